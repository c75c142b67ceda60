/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents kept by the daemon (docs/internals/monitor.md, "Incidents"):
 *   GET /api/v1/incidents?day=YYYY-MM-DD[&type=T]  the incidents with a report in
 *                                                 the day's period (the daily report's)
 *   GET /api/v1/incidents/<id>                      one incident, why each report is in it
 * Public: reports and overrides are public entries. One engine
 * (include/willing/correlate.h) for the daemon, behind one mutex: built at
 * start from the stored reports and overrides on a thread of its own (reads
 * wait for it, writes go on, queued), then each report,
 * merge and split the sequencer commits queued after its round, before the
 * writer is answered (wl_sequencer_on_round), so a read after a write sees
 * it. The hook never waits for the engine: it only queues the round's new
 * reports and overrides under a mutex of their own, and each read drains the
 * queue into the engine before answering (a read holds the engine for as long
 * as a recomputation takes, and writers are not kept waiting meanwhile). A
 * round the hook could not queue (out of memory, or QMAX items with no read)
 * makes the next read rebuild the engine from its own snapshot of the store.
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
static bool starting; /* the start-up build runs (start_main): reads wait on built_cv */
static pthread_cond_t built_cv = PTHREAD_COND_INITIALIZER;
static bool delayed; /* WL_TEST_INCIDENTS_READ_DELAY_MS spent: under mu */

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

/* The start-up build, on a thread of its own: writes go on meanwhile (queued, below), reads
 * wait for it (on built_cv). */
static void *start_main(void *arg)
{
    wl_error err = {0};
    wl_store *s = wl_thread_store();
    (void)arg;
    pthread_mutex_lock(&mu);
    wl_test_delay("WL_TEST_INCIDENTS_BUILD_DELAY_MS", "the incidents' start-up build");
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        fprintf(stderr, "willing: incidents: the ledger cannot be read: built at the first read\n");
    else {
        if (build_from(s, true, &err) != WL_OK)
            fprintf(stderr, "willing: incidents: %s: built at the first read\n", err.msg);
        (void)!wl_store_commit(s);
    }
    starting = false;
    pthread_cond_broadcast(&built_cv);
    pthread_mutex_unlock(&mu);
    return NULL;
}

void wl_incidents_start(wl_store *s)
{
    pthread_t t;
    wl_error err = {0};
    starting = true;
    if (pthread_create(&t, NULL, start_main, NULL) == 0) {
        pthread_detach(t);
        return;
    }
    starting = false; /* no thread: built here, before the sequencer runs */
    pthread_mutex_lock(&mu);
    if (build_from(s, true, &err) != WL_OK)
        fprintf(stderr, "willing: incidents: %s: built at the first read\n", err.msg);
    pthread_mutex_unlock(&mu);
}

void wl_incidents_wait(void)
{
    pthread_mutex_lock(&mu);
    while (starting)
        pthread_cond_wait(&built_cv, &mu);
    pthread_mutex_unlock(&mu);
}

/*
 * The rounds' new reports and overrides, waiting for the next read (under qmu,
 * never under mu): the after-round hook only appends to this queue, so a write
 * never waits for the engine, however long a read holds it. The hook runs
 * before the writer is answered, so a read after a write finds it here.
 */
typedef struct {
    uint64_t index;
    bool report;      /* else an override: op, reports (owned), reason (owned) */
    wl_corr_report r; /* report */
    const char *op;   /* "merge" or "split" */
    json_t *reports;
    char *reason;
} queued;

#define QMAX 1000000u /* items queued at most; past it the next read rebuilds */

static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static queued *q;
static size_t nq, capq;
static bool qlost; /* a round could not be queued (out of memory): rebuild at the next read */

static void queued_free(queued *it)
{
    json_decref(it->reports);
    wl_free(it->reason);
}

/* One committed entry as a queue item; false: nothing to queue (or out of memory: *nomem). */
static bool queue_item(const wl_pending *p, uint64_t index, queued *it, bool *nomem)
{
    const json_t *b = p->e.body_json;
    *it = (queued){.index = index};
    if (strcmp(p->e.kind, "monitor.report") == 0) {
        it->report = true;
        return wl_incident_report_of_body(b, index, &it->r);
    }
    if (strcmp(p->e.kind, "monitor.merge") == 0 || strcmp(p->e.kind, "monitor.split") == 0) {
        const char *reason = json_string_value(json_object_get(b, "reason"));
        size_t len = reason ? strlen(reason) : 0;
        it->op = p->e.kind[8] == 'm' ? "merge" : "split";
        it->reports = json_deep_copy(json_object_get(b, "reports"));
        it->reason = wl_malloc(len + 1);
        if (it->reports == NULL || it->reason == NULL) {
            queued_free(it);
            *nomem = true;
            return false;
        }
        memcpy(it->reason, reason ? reason : "", len + 1);
        return true;
    }
    return false;
}

void wl_incidents_on_round(wl_job *round)
{
    for (wl_job *j = round; j; j = j->next) {
        if (j->failed || j->fn || j->items == NULL)
            continue;
        for (size_t i = 0; i < j->n; i++) {
            queued it;
            bool nomem = false;
            if (j->existed[i])
                continue; /* logged before */
            if (!queue_item(&j->items[i], j->index[i], &it, &nomem)) {
                if (nomem) {
                    pthread_mutex_lock(&qmu);
                    qlost = true;
                    pthread_mutex_unlock(&qmu);
                }
                continue;
            }
            pthread_mutex_lock(&qmu);
            if (nq == QMAX) { /* no read for that long: the next one rebuilds */
                for (size_t k = 0; k < nq; k++)
                    queued_free(&q[k]);
                nq = 0;
                qlost = true;
            }
            if (nq == capq) {
                size_t cap = capq ? 2 * capq : 64;
                queued *nq2 = wl_realloc(q, cap * sizeof *nq2);
                if (nq2 == NULL) {
                    qlost = true;
                    pthread_mutex_unlock(&qmu);
                    queued_free(&it);
                    continue;
                }
                q = nq2;
                capq = cap;
            }
            q[nq++] = it;
            pthread_mutex_unlock(&qmu);
        }
    }
}

void wl_incidents_stale(void)
{
    pthread_mutex_lock(&qmu);
    qlost = true;
    pthread_mutex_unlock(&qmu);
}

/* The queue into the engine (under mu): reports one by one, the overrides at
 * once (the engine applies them all again, in the order of their index, after
 * the reports, as at start-up). Items the engine's snapshot holds are skipped. */
static void drain(void)
{
    queued *items;
    size_t n;
    bool lost, overrides = false;
    wl_error err = {0};
    wl_rc rc = WL_OK;
    pthread_mutex_lock(&qmu);
    items = q;
    n = nq;
    lost = qlost;
    q = NULL;
    nq = capq = 0;
    qlost = false;
    pthread_mutex_unlock(&qmu);
    if (lost)
        drop(); /* rebuilt below, from the store */
    for (size_t i = 0; i < n; i++) {
        queued *it = &items[i];
        if (eng && rc == WL_OK && it->index >= synced) {
            if (it->report) {
                if ((rc = meta_add(&it->r)) == WL_OK &&
                    (rc = wl_corr_add(eng, &it->r, NULL, &err)) != WL_OK)
                    nmeta--;
            } else {
                rc = wl_incident_overrides_add(&ovs, it->index, it->op, it->reports, it->reason);
                overrides = true;
            }
            synced = it->index + 1;
            res_ok = false;
        }
        queued_free(it);
    }
    wl_free(items);
    if (eng && rc == WL_OK && overrides)
        rc = wl_corr_overrides(eng, ovs.ov, ovs.n, &err);
    if (rc != WL_OK)
        drop(); /* rebuilt at once, from the store */
}

/* The incidents, current: under mu. On failure err says why. */
static wl_rc current(wl_error *err)
{
    wl_rc rc;
    while (starting)
        pthread_cond_wait(&built_cv, &mu);
    drain();
    if (eng == NULL) {
        wl_store *s = wl_thread_store();
        bool own = s && !wl_store_in_transaction(s); /* the daily report's snapshot: kept */
        if (s == NULL || (own && wl_store_begin_read(s) != WL_OK))
            return wl_error_set(err, WL_ERR_IO, "storage", "the ledger cannot be read");
        rc = build_from(s, false, err);
        if (own)
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
    if (!delayed) { /* a test's fault (faults.c): the first read holds the engine longer */
        delayed = true;
        wl_test_delay("WL_TEST_INCIDENTS_READ_DELAY_MS", "the first read of the incidents");
    }
    return WL_OK;
}

wl_rc wl_incidents_holding_now(void *ctx, const uint64_t *notable, size_t n, json_t **out,
                               wl_error *err)
{
    wl_rc rc;
    (void)ctx;
    *out = NULL;
    pthread_mutex_lock(&mu);
    rc = current(err);
    if (rc == WL_OK &&
        (rc = wl_incidents_holding(eng, &res, meta, nmeta, &ovs, notable, n, out)) != WL_OK)
        wl_error_set(err, rc, "internal", "out of memory (daily report)");
    pthread_mutex_unlock(&mu);
    return rc;
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
