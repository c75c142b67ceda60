/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exact decimals for flows: amounts and quantities scaled by 10^4 (negative
 * amounts allowed: a reversal), rates scaled by 10^8, conversions exact in
 * 128 bits at scale 10^12, printed exactly with trailing zeroes trimmed; and
 * the coarse dates of flows (a day, or a month for in-kind flows). Nothing is
 * rounded anywhere: a value with more places than the scale is refused. And
 * the store error the flows rules answer (a total past 64 bits is 409).
 * include/willing/flows.h; docs/internals/flows.md, "Numbers".
 */
#include <stdio.h>
#include <string.h>

#include "willing/flows.h"

__extension__ typedef unsigned __int128 u128;

/*
 * "[-]D+[.D+]" with at most `whole` digits before the point and `places`
 * after, scaled by 10^places. The bounds keep every accepted value in int64.
 */
static wl_rc decimal_parse(const char *s, bool negative_ok, unsigned whole, unsigned places,
                           int64_t *out)
{
    int64_t v = 0;
    size_t i = 0, w = 0, f = 0;
    bool neg = false;
    *out = 0;
    if (s == NULL)
        return WL_ERR_INVALID;
    if (s[0] == '-') {
        if (!negative_ok)
            return WL_ERR_INVALID;
        neg = true;
        i++;
    }
    for (; s[i] >= '0' && s[i] <= '9'; i++, w++)
        v = v * 10 + (s[i] - '0');
    if (w == 0 || w > whole)
        return WL_ERR_INVALID;
    if (s[i] == '.') {
        for (i++; s[i] >= '0' && s[i] <= '9'; i++, f++) {
            if (f == places)
                return WL_ERR_INVALID;
            v = v * 10 + (s[i] - '0');
        }
        if (f == 0)
            return WL_ERR_INVALID;
    }
    if (s[i] != '\0')
        return WL_ERR_INVALID;
    for (; f < places; f++)
        v *= 10;
    *out = neg ? -v : v;
    return WL_OK;
}

wl_rc wl_money_parse(const char *s, bool negative_ok, int64_t *out)
{
    return decimal_parse(s, negative_ok, 14, WL_FLOW_SCALE_DIGITS, out);
}

wl_rc wl_rate_parse(const char *s, int64_t *out)
{
    wl_rc rc = decimal_parse(s, false, 10, WL_RATE_SCALE_DIGITS, out);
    if (rc == WL_OK && *out == 0)
        rc = WL_ERR_INVALID;
    return rc;
}

void wl_decimal_format(wl_i128 v, unsigned digits, char *out, size_t cap)
{
    char rev[48];
    size_t n = 0, o = 0;
    u128 u;
    bool neg = v < 0;
    if (cap < 48 || digits > 30) {
        if (cap)
            out[0] = '\0';
        return;
    }
    /* the magnitude without overflow, also for the most negative value */
    u = neg ? (u128)(-(v + 1)) + 1u : (u128)v;
    do {
        rev[n++] = (char)('0' + (int)(u % 10u));
        u /= 10u;
    } while (u != 0 || n <= digits);
    /* rev holds the digits backwards, at least digits + 1 of them */
    {
        size_t lo = 0;
        while (lo < digits && rev[lo] == '0')
            lo++; /* trailing zeroes of the fraction */
        if (neg)
            out[o++] = '-';
        for (size_t i = n; i > digits; i--)
            out[o++] = rev[i - 1];
        if (lo < digits) {
            out[o++] = '.';
            for (size_t i = digits; i > lo; i--)
                out[o++] = rev[i - 1];
        }
        out[o] = '\0';
    }
}

void wl_money_format(int64_t v, char *out, size_t cap)
{
    wl_decimal_format(v, WL_FLOW_SCALE_DIGITS, out, cap);
}

void wl_rate_format(int64_t v, char *out, size_t cap)
{
    wl_decimal_format(v, WL_RATE_SCALE_DIGITS, out, cap);
}

wl_i128 wl_money_convert(int64_t amount, int64_t rate)
{
    return (wl_i128)amount * (wl_i128)rate;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

wl_rc wl_flow_date_parse(const char *s, bool *month_only)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = s ? strlen(s) : 0;
    int y, m, d, max;
    *month_only = false;
    if ((n != 7 && n != 10) || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2))
        return WL_ERR_INVALID;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y < 1900 || m < 1 || m > 12)
        return WL_ERR_INVALID;
    if (n == 7) {
        *month_only = true;
        return WL_OK;
    }
    if (s[7] != '-' || !digits(s + 8, 2))
        return WL_ERR_INVALID;
    d = (s[8] - '0') * 10 + (s[9] - '0');
    max = days[m - 1];
    if (m == 2 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        max = 28;
    return d >= 1 && d <= max ? WL_OK : WL_ERR_INVALID;
}

void wl_flow_day(int64_t t, char *out, size_t cap)
{
    char iso[32];
    wl_time_iso8601(t, iso, sizeof iso);
    snprintf(out, cap, "%.10s", iso);
}

bool wl_flow_date_before(const char *a, const char *b)
{
    size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b); /* a month compares by month */
    return strncmp(a, b, n) < 0;
}

/* A total past 64 bits: the store's guard triggers (sqlite_flows_totals.c). */
wl_rc wl_flows_storage(wl_store *s, wl_rc rc, wl_error *err)
{
    if (rc == WL_ERR_TOO_LARGE)
        return wl_error_set(err, WL_ERR_CONFLICT, "total_too_large",
                            "a total of the flows (by member, category, month or instrument) "
                            "would pass %s: not stored",
                            "922337203685477.5807");
    return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}
