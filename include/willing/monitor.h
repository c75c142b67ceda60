/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module (issue 11): monitors' reports, signed in the field and
 * perhaps offline, kept so that no one can change them after the fact. Its
 * one kind so far, monitor.report (a member of role monitor only): when, how
 * precisely, where (coordinates with a radius, or a named oblast), what (a
 * type from the taxonomy of lib/monitor/taxonomy.c, after the OSCE SMM's),
 * how many, direction and distance, evidence by blob hash with its chain of
 * custody, free text. No network, no threads, no printing.
 * docs/internals/monitor.md has the design, docs/FORMAT.md the body.
 */
#ifndef WILLING_MONITOR_H
#define WILLING_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* The module (lib/monitor/kinds.c), registered in lib/modules.c. */
extern const wl_module wl_monitor_module;

/*
 * A report's body checked against every rule that needs no store (the
 * kind's validate): time is the entry's own time, now the sequencing time
 * (0: not checked). WL_ERR_INVALID, invalid_body naming the field.
 */
wl_rc wl_monitor_report_check(const json_t *body, int64_t time, int64_t now, wl_error *err) WL_MUST;

/* The taxonomy (lib/monitor/taxonomy.c): each list NULL-terminated, the one list of each. */
extern const char *const wl_monitor_types[];
extern const char *const wl_monitor_restrictions[];
extern const char *const wl_monitor_weapons[];
extern const char *const wl_monitor_directions[];
/* Whether s is in list. */
bool wl_monitor_in(const char *const *list, const char *s);
/* The oblast's name in data/geo (ADMIN_1) for its id, or NULL for an id that is none. */
const char *wl_monitor_oblast_name(const char *id);

/*
 * The views (lib/monitor/views.c), public (reports are public entries).
 * wl_monitor_reports: {"reports": [...], "next": N or null}, those of index
 * > after, observed on day ("YYYY-MM-DD", NULL: any) of type (NULL: any),
 * at most limit. wl_monitor_report_show: one (WL_ERR_NOT_FOUND: none).
 * *out: caller decrefs; NULL on any error.
 */
wl_rc wl_monitor_reports(wl_store *s, const char *day, const char *type, uint64_t after,
                         unsigned limit, json_t **out) WL_MUST;
wl_rc wl_monitor_report_show(wl_store *s, uint64_t index, json_t **out) WL_MUST;
/* The reports author (a member id) wrote, of index > after, at most limit: as wl_monitor_reports.
 */
wl_rc wl_monitor_reports_by(wl_store *s, const char *author, uint64_t after, unsigned limit,
                            json_t **out) WL_MUST;
/* The taxonomy as JSON, for forms: {"types", "restrictions", "weapons", "directions",
 * "oblasts": [{"id", "name"}], "limits": {...}}. *out: caller decrefs. */
wl_rc wl_monitor_taxonomy(json_t **out) WL_MUST;
/* The i-th oblast (id order): its id, and its name in *name; NULL past the last. */
const char *wl_monitor_oblast_at(size_t i, const char **name);

/*
 * The map (lib/monitor/map.c, docs/internals/monitor.md "The map and the
 * timeline"): the reports observed in the period of day (the daily report's),
 * of type (NULL: any), compact: those with coordinates alone in their grid
 * cell as points, the others of a cell as a cluster (cells of
 * WL_MAP_CELL_DEG / 2^zoom degrees of longitude by 2/3 of that of latitude;
 * from WL_MAP_ZOOM_SINGLES on every report is a point), those naming an
 * oblast grouped by oblast; and UCDP's events of that day as the layer
 * "history". WL_ERR_INVALID bad_day, WL_ERR_TOO_LARGE past WL_MAP_REPORTS_MAX.
 * Read on one snapshot by the caller. *out: caller decrefs; NULL on error.
 */
wl_rc wl_monitor_map(wl_store *s, const char *day, const char *type, unsigned zoom, json_t **out,
                     wl_error *err) WL_MUST;
/*
 * The timeline: how many reports (of type, NULL: any) the period of each of
 * the days days ending on to held, {"to", "days", "type", "timeline": [{"day",
 * "reports"}]}, oldest first. WL_ERR_INVALID bad_day.
 */
wl_rc wl_monitor_timeline(wl_store *s, const char *to, unsigned days, const char *type,
                          json_t **out, wl_error *err) WL_MUST;

#endif
