/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitors' daily report (issue 11, point 4), in the shape of the OSCE
 * SMM's: the period of a day ends at 19:30 Kyiv time; a summary by region,
 * counts inside each zone of the deal, the restrictions of movement, notable
 * reports and a table annex of every report. Computed from the store alone,
 * the same for every reader. lib/monitor/daily.c;
 * docs/internals/monitor.md ("The daily report"), docs/FORMAT.md.
 */
#ifndef WILLING_DAILY_H
#define WILLING_DAILY_H

#include <stdint.h>

#include "willing/regions.h"
#include "willing/wl.h"
#include "willing/zones.h"

typedef struct json_t json_t;
typedef struct wl_store wl_store;

/*
 * The period of day ("YYYY-MM-DD"): [from, to) in unix seconds, from 19:30
 * Kyiv time the day before to 19:30 Kyiv time that day, and the Kyiv offsets
 * from UTC at each end (they differ on the days the clocks change).
 * WL_ERR_INVALID if day is not a date.
 */
typedef struct {
    int64_t from, to;
    int32_t from_offset, to_offset;
} wl_daily_period;
wl_rc wl_daily_period_of(const char *day, wl_daily_period *p) WL_MUST;

/*
 * The report of day as JSON (*out: caller decrefs): every report observed in
 * its period, by index. regions (NULL: none) names each point's oblast;
 * zones (NULL: none) gives the zones that hold it. WL_ERR_INVALID bad_day;
 * WL_ERR_TOO_LARGE when the period holds more than WL_DAILY_REPORTS_MAX.
 */
wl_rc wl_daily_build(wl_store *s, const char *day, wl_regions *regions, wl_zone_index *zones,
                     json_t **out, wl_error *err) WL_MUST;
/*
 * The same with the notable incidents given by fn (the daemon's engine: the
 * incidents of the whole log holding one of the n notable reports, each as
 * wl_incident_json, by id: the ids and reports GET /api/v1/incidents gives).
 * wl_daily_build alone correlates the period's reports only (the bench).
 */
typedef wl_rc (*wl_daily_notable_fn)(void *ctx, const uint64_t *notable, size_t n, json_t **out,
                                     wl_error *err);
wl_rc wl_daily_build_with(wl_store *s, const char *day, wl_regions *regions, wl_zone_index *zones,
                          wl_daily_notable_fn fn, void *ctx, json_t **out, wl_error *err) WL_MUST;

/* The report's annex (one row per report) as CSV, header first, into *out (caller frees). */
wl_rc wl_daily_csv(const json_t *report, char **out, size_t *len, wl_error *err) WL_MUST;

#endif
