/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Times as people read them: a unix time as ISO 8601 in UTC, for messages
 * from the daemon and the CLI (the API's fields stay unix times).
 */
#include <stdio.h>
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
