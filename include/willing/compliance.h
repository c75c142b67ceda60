/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compliance per zone and day (issue 11, point 3): for each day's period
 * (the daily report's, to 19:30 Kyiv time) the reports counted by type inside
 * each zone of the deal's containment index, the weapons in violation inside
 * them, the reports naming only an oblast counted by oblast (never guessed
 * into a zone), restrictions by place, and the same counts day by day over
 * the last days (trends); the coordinator's thresholds (monitor.threshold)
 * and the alerts they raise; the daily report recorded by the coordinator
 * (monitor.daily: its bytes as a blob, their hash in the log).
 * lib/monitor/compliance.c, lib/monitor/kinds_compliance.c;
 * docs/internals/monitor.md ("Compliance"), docs/FORMAT.md.
 */
#ifndef WILLING_COMPLIANCE_H
#define WILLING_COMPLIANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/module.h"
#include "willing/regions.h"
#include "willing/wl.h"
#include "willing/zones.h"

typedef struct json_t json_t;
typedef struct wl_store wl_store;

/*
 * The compliance of day ("YYYY-MM-DD") and the days - 1 days before it
 * (1..WL_COMPLIANCE_DAYS_MAX) as JSON (*out: caller decrefs): the detail of
 * day and a trend of every day, oldest first. regions (NULL: none) names the
 * oblast of a restriction's point outside every zone; zones (NULL: none)
 * gives the zones; all false (scope deal) counts only the zones a deal version
 * in force names (a report in another counts outside), true (scope all) every
 * area of the index. Either way each zone row holds "deals" (the deals in force
 * naming it) and the answer "scope" and "deals_in_force". WL_ERR_INVALID
 * bad_day or bad_query; WL_ERR_TOO_LARGE when the periods hold more than
 * WL_COMPLIANCE_REPORTS_MAX reports.
 */
wl_rc wl_compliance_build(wl_store *s, const char *day, unsigned days, bool all,
                          wl_regions *regions, wl_zone_index *zones, json_t **out,
                          wl_error *err) WL_MUST;

/* The trend of a compliance (wl_compliance_build's) as CSV, header first (*out: caller frees). */
wl_rc wl_compliance_csv(const json_t *c, char **out, size_t *len, wl_error *err) WL_MUST;

/*
 * The alerts in force on day: every monitor.threshold of the log against the
 * figures of the days ending on day (the zones of the scope, as above),
 * {"day", "scope", "deals_in_force", "thresholds", "alerts": [...]} (*out:
 * caller decrefs).
 */
wl_rc wl_compliance_alerts(wl_store *s, const char *day, bool all, wl_regions *regions,
                           wl_zone_index *zones, json_t **out, wl_error *err) WL_MUST;

/*
 * The kinds monitor.threshold and monitor.daily (lib/monitor/kinds_compliance.c),
 * rows of the monitor module's table (lib/monitor/kinds.c).
 */
wl_rc wl_threshold_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_threshold_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;
wl_rc wl_daily_record_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_daily_record_apply(wl_store *s, const wl_pending *p, uint64_t index,
                            wl_error *err) WL_MUST;

/*
 * The monitor.daily entry of day: its index and blob hash (65 bytes, hex).
 * WL_ERR_NOT_FOUND when none is recorded.
 */
wl_rc wl_daily_recorded(wl_store *s, const char *day, uint64_t *index, char blob[65]) WL_MUST;

/* A threshold, as wl_compliance_alerts reads them. */
typedef struct {
    uint64_t index, above, days;
    char zone[65], type[40];
    const char *text; /* lives until the callback returns */
} wl_threshold;
typedef wl_rc (*wl_threshold_fn)(void *ctx, const wl_threshold *t);
/* Every monitor.threshold of the log, by index. */
wl_rc wl_thresholds_each(wl_store *s, wl_threshold_fn fn, void *ctx, wl_error *err) WL_MUST;

#endif
