/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents kept by the daemon (docs/internals/monitor.md, "Incidents"):
 *   GET /api/v1/incidents?day=YYYY-MM-DD[&type=T]  the incidents with a report in
 *                                                 the day's period (the daily report's)
 *   GET /api/v1/incidents/<id>                      one incident, why each report is in it
 * Public: reports and overrides are public entries. One engine
 * (include/willing/correlate.h) for the daemon, behind one mutex: built at
 * start from the stored reports and overrides (serve.c), then each report,
 * merge and split the sequencer commits added after its round, before the
 * writer is answered (wl_sequencer_on_round), so a read after a write sees
 * it. A round the hook could not take (out of memory) marks the engine
 * broken: the next read rebuilds it from its own snapshot of the store.
 * The JSON is lib/monitor/incidents.c's; this file is the state and HTTP.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "threads.h"
#include "willing/daily.h"
#include "willing/incidents.h"
#include "willing/limits.h"
#include "willing/monitor.h"
#include "willing/note.h" /* wl_parse_u64 */

#define PAGE 10000u /* reports read from the store at a time */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static wl_corr *eng;           /* NULL: broken, rebuilt at the next read */
static wl_incident_meta *meta; /* every report the engine holds, by id */
static size_t nmeta, capmeta;
static wl_incident_overrides ovs; /* every override, by index */
static uint64_t synced;           /* entries below this index are accounted for */
static wl_corr_result res;        /* the incidents, valid when res_ok */
static bool res_ok;

static void drop(void)
{
    wl_corr_free(eng);
    eng = NULL;
    wl_free(meta);
    meta = NULL;
    nmeta = capmeta = 0;
    wl_incident_overrides_free(&ovs);
    wl_corr_result_free(&res);
    res_ok = false;
}

static wl_rc meta_add(const wl_corr_report *r)
{
    if (nmeta == capmeta) {
        size_t cap = capmeta ? 2 * capmeta : 1024;
        wl_incident_meta *m = wl_realloc(meta, cap * sizeof *m);
        if (m == NULL)
            return WL_ERR_NOMEM;
        meta = m;
        capmeta = cap;
    }
    meta[nmeta++] = (wl_incident_meta){r->id, r->t, r->type};
    return WL_OK;
}

typedef struct {
    wl_corr_report *r;
    size_t n, cap;
} loading;

static wl_rc load_report(void *ctx, const wl_store_report *sr)
{
    loading *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : PAGE;
        wl_corr_report *p = wl_realloc(l->r, cap * sizeof *p);
        if (p == NULL)
            return WL_ERR_NOMEM;
        l->r = p;
        l->cap = cap;
    }
    if (wl_incident_report_of(sr, &l->r[l->n]))
        l->n++;
    return WL_OK;
}

/* Everything again from s (one snapshot): under mu. */
static wl_rc build_from(wl_store *s, bool progress, wl_error *err)
{
    wl_corr_compat c;
    loading l = {0};
    uint64_t after = 0, last = 0, size = 0;
    time_t t0 = time(NULL);
    wl_rc rc;
    drop();
    wl_corr_compat_default(&c);
    if ((rc = wl_store_size(s, &size)) != WL_OK)
        return wl_error_set(err, rc, "storage", "incidents: cannot read the log's size");
    do {
        size_t before = l.n;
        if ((rc = wl_store_report_points(s, after, PAGE, load_report, &l, &last)) != WL_OK) {
            wl_free(l.r);
            return wl_error_set(err, rc, "storage", "incidents: cannot read the reports");
        }
        if (progress && time(NULL) - t0 >= 2 && l.n / 100000 != before / 100000)
            fprintf(stderr, "willing: incidents: %zu reports read\n", l.n);
        if (last == after)
            break;
        after = last;
    } while (1);
    for (size_t i = 0; rc == WL_OK && i < l.n; i++)
        rc = meta_add(&l.r[i]);
    if (rc == WL_OK && (rc = wl_corr_new(&c, &eng, err)) == WL_OK)
        rc = wl_corr_add_all(eng, l.r, l.n, err);
    wl_free(l.r);
    if (rc == WL_OK && (rc = wl_incident_overrides_load(s, &ovs)) != WL_OK)
        wl_error_set(err, rc, "storage", "incidents: cannot read the splits and merges");
    if (rc == WL_OK)
        rc = wl_corr_overrides(eng, ovs.ov, ovs.n, err);
    if (rc != WL_OK) {
        drop();
        return rc;
    }
    synced = size;
    if (progress && time(NULL) - t0 >= 2)
        fprintf(stderr, "willing: incidents: %zu reports correlated in %llds\n", nmeta,
                (long long)(time(NULL) - t0));
    return WL_OK;
}

void wl_incidents_start(wl_store *s)
{
    wl_error err = {0};
    pthread_mutex_lock(&mu);
    if (build_from(s, true, &err) != WL_OK)
        fprintf(stderr, "willing: incidents: %s: built at the first read\n", err.msg);
    pthread_mutex_unlock(&mu);
}

/* One committed entry of the round at index into the engine: under mu. */
static wl_rc take(const wl_pending *p, uint64_t index)
{
    const json_t *b = p->e.body_json;
    wl_error err = {0};
    wl_corr_report r;
    wl_rc rc;
    if (strcmp(p->e.kind, "monitor.report") == 0) {
        if (!wl_incident_report_of_body(b, index, &r))
            return WL_OK;
        if ((rc = meta_add(&r)) != WL_OK)
            return rc;
        if ((rc = wl_corr_add(eng, &r, NULL, &err)) != WL_OK)
            nmeta--;
        return rc;
    }
    if (strcmp(p->e.kind, "monitor.merge") == 0 || strcmp(p->e.kind, "monitor.split") == 0) {
        if ((rc = wl_incident_overrides_add(
                 &ovs, index, p->e.kind + 8, json_object_get(b, "reports"),
                 json_string_value(json_object_get(b, "reason")))) != WL_OK)
            return rc;
        return wl_corr_overrides(eng, ovs.ov, ovs.n, &err);
    }
    return WL_OK;
}

void wl_incidents_on_round(wl_job *round)
{
    pthread_mutex_lock(&mu);
    for (wl_job *j = round; eng && j; j = j->next) {
        if (j->failed || j->fn || j->items == NULL)
            continue;
        for (size_t i = 0; eng && i < j->n; i++) {
            if (j->existed[i] || j->index[i] < synced)
                continue; /* logged before, or in the snapshot of a rebuild already */
            if (take(&j->items[i], j->index[i]) != WL_OK)
                drop(); /* rebuilt at the next read, from the store */
            else
                synced = j->index[i] + 1;
            res_ok = false;
        }
    }
    pthread_mutex_unlock(&mu);
}

/* The incidents, current: under mu. On failure err says why. */
static wl_rc current(wl_error *err)
{
    wl_rc rc;
    if (eng == NULL) {
        wl_store *s = wl_thread_store();
        if (s == NULL || wl_store_begin_read(s) != WL_OK)
            return wl_error_set(err, WL_ERR_IO, "storage", "the ledger cannot be read");
        rc = build_from(s, false, err);
        (void)!wl_store_commit(s);
        if (rc != WL_OK)
            return rc;
    }
    if (!res_ok) {
        wl_corr_result_free(&res);
        if ((rc = wl_corr_incidents(eng, &res, err)) != WL_OK)
            return rc;
        res_ok = true;
    }
    return WL_OK;
}

static enum MHD_Result failed(wl_call *call, wl_rc rc, wl_error *err)
{
    if (rc == WL_ERR_TOO_LARGE)
        return wl_respond_error(call->c, MHD_HTTP_CONTENT_TOO_LARGE, err->code, "%s", err->msg);
    return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE,
                            err->code ? err->code : "internal", "%s",
                            err->code ? err->msg : "out of memory (incidents)");
}

static enum MHD_Result get_incidents(wl_call *call)
{
    const char *day = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "day");
    const char *type = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "type");
    wl_daily_period p;
    wl_error err = {0};
    json_t *o = NULL;
    wl_rc rc;
    if (day == NULL || wl_daily_period_of(day, &p) != WL_OK)
        return wl_respond_error(
            call->c, MHD_HTTP_BAD_REQUEST, "bad_day",
            "day: a day YYYY-MM-DD, required: /api/v1/incidents?day=2026-11-30");
    if (type && wl_incident_class_of(type) < 0)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "type: a report type (docs/FORMAT.md, \"Monitors' reports\")");
    pthread_mutex_lock(&mu);
    rc = current(&err);
    if (rc == WL_OK &&
        wl_incidents_between(&res, p.from, p.to, type ? wl_incident_class_of(type) : -1, meta,
                             nmeta, &ovs, &o) != WL_OK)
        rc = wl_error_set(&err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    pthread_mutex_unlock(&mu);
    if (rc != WL_OK)
        return failed(call, rc, &err);
    if (json_object_set_new(o, "day", json_string(day)) != 0 ||
        json_object_set_new(
            o, "period",
            json_pack("{s:I, s:I}", "from", (json_int_t)p.from, "to", (json_int_t)p.to)) != 0 ||
        json_object_set_new(o, "type", type ? json_string(type) : json_null()) != 0) {
        json_decref(o);
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "internal",
                                "out of memory (incidents)");
    }
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

static enum MHD_Result get_incident(wl_call *call)
{
    uint64_t id = 0;
    wl_error err = {0};
    json_t *o = NULL;
    wl_rc rc;
    if (wl_parse_u64(call->rest, strlen(call->rest), &id) != WL_OK || id > INT64_MAX)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "an incident is named by its id, its first report's index: GET "
                                "/api/v1/incidents/<id>");
    pthread_mutex_lock(&mu);
    rc = current(&err);
    if (rc == WL_OK)
        rc = wl_incident_json(&res, id, meta, nmeta, &ovs, &o);
    pthread_mutex_unlock(&mu);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "unknown_incident",
                                "no incident has the id %s (an incident's id is its first "
                                "report's index)",
                                call->rest);
    if (rc != WL_OK)
        return failed(call, rc, &err);
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

const wl_route wl_routes_incidents[] = {
    {"GET", "/api/v1/incidents", WL_ACCESS_ANYONE, 0, get_incidents, 0, NULL},
    {"GET", "/api/v1/incidents/*", WL_ACCESS_ANYONE, 0, get_incident, 0, NULL},
    {"*", "/api/v1/incidents", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/incidents/*", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
