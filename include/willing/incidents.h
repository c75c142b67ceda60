/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents over the log (issue 11, point 2): the kinds monitor.merge and
 * monitor.split (lib/monitor/kinds_incident.c), what the engine of
 * include/willing/correlate.h takes from the store and from entries, and the
 * incidents' JSON (lib/monitor/incidents.c) that the daemon's routes and the
 * daily report give. No threads, no HTTP: the daemon keeps the engine.
 * docs/internals/monitor.md ("Incidents"), docs/FORMAT.md.
 */
#ifndef WILLING_INCIDENTS_H
#define WILLING_INCIDENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/correlate.h"
#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* The kinds' rows of lib/monitor/kinds.c's table. */
wl_rc wl_incident_merge_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_incident_split_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_incident_override_apply(wl_store *s, const wl_pending *p, uint64_t index,
                                 wl_error *err) WL_MUST;

/* The class of a report type (its place in wl_monitor_types), or -1 for none. */
int wl_incident_class_of(const char *type);

/*
 * A stored report as the engine takes it (*out; *type its class): false for
 * a report naming an oblast, which is not correlated (a whole oblast joins
 * nothing it could not be).
 */
bool wl_incident_report_of(const wl_store_report *r, wl_corr_report *out);
/* The same from a monitor.report body (checked by the kind) logged at index. */
bool wl_incident_report_of_body(const json_t *body, uint64_t index, wl_corr_report *out);

/* The overrides in force, owned: each one's reports and reason are the set's. */
typedef struct {
    wl_corr_override *ov; /* by index */
    size_t n, cap;
} wl_incident_overrides;
/* Adds one (an override's index larger than any held): op "merge" or "split", reports a JSON
 * array of indexes (as the body gives it), reason its text. */
wl_rc wl_incident_overrides_add(wl_incident_overrides *o, uint64_t index, const char *op,
                                const json_t *reports, const char *reason) WL_MUST;
/* Every override the store holds, added to o. */
wl_rc wl_incident_overrides_load(wl_store *s, wl_incident_overrides *o) WL_MUST;
/* Frees what o holds and zeroes it; a zeroed one: a no-op. */
void wl_incident_overrides_free(wl_incident_overrides *o);

/* What the JSON says of each report beside the engine's link: its time and class. */
typedef struct {
    uint64_t id;
    int64_t t;
    uint32_t type;
} wl_incident_meta;

/*
 * The incident of res whose id is id as JSON (*out: caller decrefs;
 * WL_ERR_NOT_FOUND: none): {"id", "t_min", "t_max", "size", "reports":
 * [{"report", "type", "observed", "how", "via", "distance_m", "gap_s",
 * "override"}], "overrides": [{"index", "op", "reports", "reason"}] (those
 * naming a report of it)}. meta: every report the engine holds, by id.
 */
wl_rc wl_incident_json(const wl_corr_result *res, uint64_t id, const wl_incident_meta *meta,
                       size_t nmeta, const wl_incident_overrides *ov, json_t **out) WL_MUST;
/*
 * The incidents with a report observed in [from, to) (of class type, or any
 * when type < 0), by id, each as wl_incident_json: {"incidents": [...],
 * "more": bool} (at most WL_INCIDENTS_DAY_MAX). *out: caller decrefs.
 */
wl_rc wl_incidents_between(const wl_corr_result *res, int64_t from, int64_t to, int type,
                           const wl_incident_meta *meta, size_t nmeta,
                           const wl_incident_overrides *ov, json_t **out) WL_MUST;

/*
 * The incidents of e (res its wl_corr_incidents; meta, ov as wl_incident_json
 * takes them) holding one of the nn reports notable, each once, by id, as
 * wl_incident_json. *out: an array, the caller decrefs. WL_ERR_NOMEM.
 */
wl_rc wl_incidents_holding(wl_corr *e, const wl_corr_result *res, const wl_incident_meta *meta,
                           size_t nmeta, const wl_incident_overrides *ov, const uint64_t *notable,
                           size_t nn, json_t **out) WL_MUST;

/*
 * Without the daemon's engine (the bench, the unit test): an engine over the n reports of a
 * day's period alone (r; meta the same reports' times and classes, by id)
 * with every override of s, and the incidents holding one of the notable
 * reports (nn indexes), each as wl_incident_json, by id. *out: an array, the
 * caller decrefs. WL_ERR_NOMEM, or the store's error.
 */
wl_rc wl_incidents_notable(wl_store *s, const wl_corr_report *r, size_t n,
                           const wl_incident_meta *meta, const uint64_t *notable, size_t nn,
                           json_t **out, wl_error *err) WL_MUST;

#endif
