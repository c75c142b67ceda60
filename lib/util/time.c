/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Times as people read them: a unix time as ISO 8601 in UTC, for messages
 * from the daemon and the CLI (the API's fields stay unix times); civil dates
 * as day numbers (Howard Hinnant's algorithms, public domain descriptions,
 * written from them); Ukraine's civil time, for the monitors' daily period.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "willing/wl.h"

void wl_time_iso8601(int64_t t, char *out, size_t cap)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (cap == 0)
        return;
    if (gmtime_r(&tt, &tm) == NULL || strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, cap, "%lld (unix time)", (long long)t);
}

int64_t wl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void wl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The number of the n digits at s, or -1 if one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int64_t wl_date_days(const char *s, bool month_ok)
{
    size_t n = s ? strlen(s) : 0;
    int y, m, d = 1;
    int64_t days, yy;
    unsigned mm, dd;
    if ((n != 10 && (n != 7 || !month_ok)) || (y = digits(s, 4)) < 1 || s[4] != '-' ||
        (m = digits(s + 5, 2)) < 1 || m > 12 ||
        (n == 10 && (s[7] != '-' || (d = digits(s + 8, 2)) < 1 || d > 31)))
        return -1;
    days = wl_days_from_civil(y, (unsigned)m, (unsigned)d);
    wl_civil_from_days(days, &yy, &mm, &dd); /* a 30th of February comes back as March */
    return mm == (unsigned)m ? days : -1;
}

void wl_days_date(int64_t days, char out[11])
{
    int64_t y;
    unsigned m, d;
    wl_civil_from_days(days, &y, &m, &d);
    if (y < 1 || y > 9999)
        y = y < 1 ? 1 : 9999, m = 1, d = 1;
    snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

/* 01:00 UTC on the last Sunday of month m (31 days long) of year y, as a unix time. */
static int64_t last_sunday_0100(int64_t y, unsigned m)
{
    int64_t last = wl_days_from_civil(y, m, 31);
    int64_t wday = ((last % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday: 0 = Sunday */
    return (last - wday) * 86400 + 3600;
}

int32_t wl_kyiv_offset(int64_t t)
{
    int64_t y;
    unsigned m, d;
    wl_civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &m, &d);
    return t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10) ? 10800 : 7200;
}
