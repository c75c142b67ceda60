/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/coverage[?view=coordinator|member][&format=csv][&offset=N&limit=M]:
 * per requirement, what is binding, what is pledged but not binding, and the
 * gap; and the pledges in the view (a page of them: limit default 1000) with
 * why each does or does not bind.
 *   public (no signature): announced pledges only, so nothing sealed can be
 *     inferred from the result;
 *   coordinator (signed, role coordinator or operator): sealed pledges too;
 *   member (signed): the member's own sealed pledges plus the public ones.
 * Pledges of withdrawn members do not count (in public: publicly withdrawn).
 *
 * The public and the coordinator's views are cleared once per change of the
 * register (wl_srv->reg_gen) and kept: a request then only formats the cached
 * result. Their pledge sets are kept too and grow incrementally (only sealed
 * rows and announcements new since the last build are parsed); the clearing
 * is re-run in full. Member views are computed per request.
 *
 * Views are built on one thread, the builder (wl_coverage_warmer_main), never
 * on an HTTP worker: a request whose view is stale (or a member's view)
 * suspends its connection and queues itself; the builder builds the view,
 * hands it over in the request (wl_req's held) and resumes the connection,
 * which is routed again and answered from that view.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "willing/csv.h"
#include "willing/coalition.h"

enum { VIEW_PUBLIC, VIEW_COORDINATOR, VIEW_MEMBER };

/* One cleared view, shared by requests (refcounted under cache_mu). */
typedef struct {
    int refs;
    uint64_t gen;
    wl_pledges *own;  /* the pledge set, when this view owns it (member views) */
    wl_pledge_in *in; /* owned; its strings belong to the pledge set */
    size_t n;
    wl_clearing clr;
    char *facts_json; /* ["..."] */
    char *reqs_json;  /* [{requirement coverage}] */
    wl_buf csv;
    char *notice;
} cov;

/*
 * The pledge set of a cached view, growing under build_mu. Items are never
 * freed while the daemon runs, so views built earlier keep valid pointers.
 */
typedef struct {
    wl_pledges ps;
    int64_t sealed_after;   /* the last sealed row parsed */
    uint64_t announce_from; /* the next announce index to parse */
} pledge_base;

/* cov_member frees a pledge_base through its first member */
_Static_assert(offsetof(pledge_base, ps) == 0, "pledge_base starts with its pledge set");

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static cov *cache[2];        /* VIEW_PUBLIC, VIEW_COORDINATOR */
static pledge_base bases[2]; /* under build_mu */

static void cov_release(cov *v)
{
    int last;
    if (v == NULL)
        return;
    pthread_mutex_lock(&cache_mu);
    last = --v->refs == 0;
    pthread_mutex_unlock(&cache_mu);
    if (!last)
        return;
    if (v->own) {
        wl_pledges_free(v->own);
        free(v->own);
    }
    free(v->in);
    wl_clearing_free(&v->clr);
    free(v->facts_json);
    free(v->reqs_json);
    wl_buf_free(&v->csv);
    wl_free(v->notice);
    free(v);
}

static wl_rc add_announced(void *ctx, uint64_t index, const char *data, size_t len)
{
    pledge_base *pb = ctx;
    wl_pledges *ps = &pb->ps;
    wl_entry e;
    pb->announce_from = index + 1;
    const char *b64;
    size_t n = 0;
    char *raw;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    b64 = json_string_value(json_object_get(e.body_json, "content"));
    raw = b64 ? malloc(strlen(b64)) : NULL;
    if (raw && wl_b64_decode(b64, strlen(b64), (uint8_t *)raw, strlen(b64), &n) == WL_OK)
        (void)!wl_pledges_add(ps, raw, n, index);
    free(raw);
    wl_entry_clear(&e);
    return WL_OK;
}

typedef struct {
    pledge_base *pb;
    const char *only; /* only this author's sealed contents, or NULL for all */
} sealed_ctx;

static wl_rc add_sealed(void *ctx, int64_t row, const char *author, const void *content, size_t len,
                        int64_t received)
{
    sealed_ctx *sc = ctx;
    sc->pb->sealed_after = row;
    if (sc->only == NULL || strcmp(author, sc->only) == 0)
        (void)!wl_pledges_add(&sc->pb->ps, content, len, (uint64_t)received);
    return WL_OK;
}

typedef struct {
    wl_pledges *ps;
    int public_only;
} withdrawn_ctx;

/* Pledges of withdrawn members stop counting (in public, only public withdrawals). */
static wl_rc drop_withdrawn(void *ctx, const wl_member *m)
{
    withdrawn_ctx *w = ctx;
    if (strcmp(m->status, "withdrawn") != 0 || (w->public_only && m->sealed))
        return WL_OK;
    for (size_t i = 0; i < w->ps->n; i++)
        if (strcmp(w->ps->items[i].member, m->id) == 0)
            w->ps->items[i].inactive = 1;
    return WL_OK;
}

typedef struct {
    json_t *reqs;
    const cov *v;
} req_ctx;

static wl_rc one_requirement(void *ctx, const char *id, const char *body, uint64_t set_idx,
                             uint64_t endorsed_idx)
{
    req_ctx *r = ctx;
    json_t *b = json_loads(body, 0, NULL);
    const char *cat = json_string_value(json_object_get(b, "category"));
    const char *unit = json_string_value(json_object_get(b, "unit"));
    const char *q = json_string_value(json_object_get(b, "quantity"));
    const char *by = json_string_value(json_object_get(b, "needed_by"));
    int64_t need = 0;
    wl_cover cv;
    char sb[32], sp[32], sg[32], sn[32], prio[24];
    wl_rc rc = WL_OK;
    if (cat == NULL || unit == NULL || q == NULL || wl_qty_parse(q, strlen(q), &need) != WL_OK) {
        json_decref(b);
        return WL_OK;
    }
    wl_coverage(cat, unit, need, r->v->in, r->v->n, &r->v->clr, &cv);
    wl_qty_format(cv.binding, sb, sizeof sb);
    wl_qty_format(cv.pledged, sp, sizeof sp);
    wl_qty_format(cv.gap, sg, sizeof sg);
    wl_qty_format(need, sn, sizeof sn);
    json_array_append_new(
        r->reqs, json_pack("{s:s, s:s, s:s, s:s, s:O, s:s?, s:b, s:I, s:s, s:s, s:s}",
                           "requirement", id, "category", cat, "unit", unit, "quantity", sn,
                           "priority", json_object_get(b, "priority"), "needed_by", by, "endorsed",
                           endorsed_idx != UINT64_MAX, "set", (json_int_t)set_idx, "binding", sb,
                           "pledged_not_binding", sp, "gap", sg));
    (void)snprintf(prio, sizeof prio, "%lld", /* 20 digits fit */
                   (long long)json_integer_value(json_object_get(b, "priority")));
    {
        const char *cells[] = {
            id, cat, unit, sn, prio, by ? by : "", endorsed_idx != UINT64_MAX ? "yes" : "no",
            sb, sp,  sg};
        size_t nc = sizeof cells / sizeof cells[0];
        for (size_t i = 0; i < nc && rc == WL_OK; i++)
            rc = wl_csv_cell(&((cov *)r->v)->csv, cells[i], i + 1 == nc ? WL_CSV_LAST : 0,
                             WL_CSV_MAX_BYTES);
    }
    json_decref(b);
    return rc;
}

/*
 * Brings the pledge set pb up to date (sealed contents of `only`, NULL: all,
 * when sealed is set; announcements) and clears it as one view.
 */
static cov *cov_build(wl_store *s, pledge_base *pb, int sealed, const char *only, int public_only,
                      uint64_t gen)
{
    static const char header[] = "requirement,category,unit,quantity,priority,needed_by,"
                                 "endorsed,binding,pledged_not_binding,gap\r\n";
    cov *v = calloc(1, sizeof *v);
    sealed_ctx sc;
    withdrawn_ctx wc;
    req_ctx rc;
    const wl_pledge_in *in = NULL;
    const wl_pledge_item **items = NULL;
    char **facts = NULL;
    size_t nf = 0;
    json_t *fa;
    wl_rc r = WL_OK;
    if (v == NULL)
        return NULL;
    wl_test_delay("WL_TEST_BUILD_DELAY_MS", only     ? "building a member's coverage view"
                                            : sealed ? "building the coordinator's coverage view"
                                                     : "building the public coverage view");
    v->refs = 1;
    v->gen = gen;
    sc.pb = pb;
    sc.only = only;
    wc.ps = &pb->ps;
    wc.public_only = public_only;
    if (sealed)
        r = wl_store_sealed_each(s, pb->sealed_after, add_sealed, &sc);
    if (r == WL_OK)
        r = wl_store_entries_of_kind(s, "announce", pb->announce_from, add_announced, pb);
    for (size_t i = 0; i < pb->ps.n; i++)
        pb->ps.items[i].inactive = 0;
    if (r == WL_OK)
        r = wl_store_members(s, drop_withdrawn, &wc);
    if (r == WL_OK)
        r = wl_store_facts(s, &facts, &nf);
    if (r == WL_OK)
        r = wl_pledges_inputs(&pb->ps, &in, &items, &v->n);
    if (r == WL_OK && (v->in = malloc((v->n ? v->n : 1) * sizeof *v->in)) == NULL)
        r = WL_ERR_NOMEM;
    if (r == WL_OK) {
        memcpy(v->in, in, v->n * sizeof *v->in);
        r = wl_clear(v->in, v->n, (const char *const *)facts, nf, &v->clr);
    }
    fa = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_array_append_new(fa, json_string(facts[i]));
        wl_free(facts[i]);
    }
    wl_free(facts);
    v->facts_json = json_dumps(fa, JSON_COMPACT);
    json_decref(fa);
    rc.reqs = json_array();
    rc.v = v;
    if (r == WL_OK && wl_buf_append(&v->csv, header, sizeof header - 1, WL_CSV_MAX_BYTES) == WL_OK)
        r = wl_store_requirements(s, one_requirement, &rc);
    v->reqs_json = json_dumps(rc.reqs, JSON_COMPACT);
    json_decref(rc.reqs);
    if (wl_store_meta_get(s, "notice", &v->notice) != WL_OK)
        v->notice = NULL;
    if (r != WL_OK || v->facts_json == NULL || v->reqs_json == NULL) {
        cov_release(v);
        return NULL;
    }
    return v;
}

/* A member's view: its own sealed pledges and the announced ones, built afresh. */
static cov *cov_member(wl_store *s, const char *member)
{
    pledge_base *pb = calloc(1, sizeof *pb);
    cov *v;
    if (pb == NULL)
        return NULL;
    wl_pledges_init(&pb->ps);
    v = cov_build(s, pb, 1, member, 1, 0);
    if (v == NULL) {
        wl_pledges_free(&pb->ps);
        free(pb);
        return NULL;
    }
    v->own = &pb->ps; /* the first member of pb: freed with it */
    return v;
}

static uint64_t reg_gen(void)
{
    uint64_t g;
    pthread_mutex_lock(&wl_srv->mu);
    g = wl_srv->reg_gen;
    pthread_mutex_unlock(&wl_srv->mu);
    return g;
}

/* The cached public or coordinator view if the register has not changed since, else NULL. */
static cov *cov_cached(int view)
{
    uint64_t g = reg_gen();
    cov *v = NULL;
    pthread_mutex_lock(&cache_mu);
    if (cache[view] && cache[view]->gen == g) {
        v = cache[view];
        v->refs++;
    }
    pthread_mutex_unlock(&cache_mu);
    return v;
}

/* The cached public or coordinator view, rebuilt when the register changed (the builder). */
static cov *cov_get(wl_store *s, int view)
{
    uint64_t g;
    cov *v = cov_cached(view);
    if (v)
        return v;
    pthread_mutex_lock(&build_mu); /* one build at a time; the others then share it */
    g = reg_gen();
    pthread_mutex_lock(&cache_mu);
    if (cache[view] && cache[view]->gen == g) {
        v = cache[view];
        v->refs++;
    }
    pthread_mutex_unlock(&cache_mu);
    if (v == NULL &&
        (v = cov_build(s, &bases[view], view == VIEW_COORDINATOR, NULL, view == VIEW_PUBLIC, g))) {
        cov *old;
        pthread_mutex_lock(&cache_mu);
        old = cache[view];
        cache[view] = v;
        v->refs++; /* the cache's */
        pthread_mutex_unlock(&cache_mu);
        cov_release(old);
    }
    pthread_mutex_unlock(&build_mu);
    return v;
}

/* A request waiting for the builder, queued under wl_srv->mu. */
typedef struct cov_wait {
    struct MHD_Connection *c;
    wl_req *r;
    int view;
    char member[65];
    struct cov_wait *next;
} cov_wait;

static cov_wait *waiting; /* newest first */
static bool builder_gone; /* the builder has stopped: no more waits */

static void cov_release_held(void *v)
{
    cov_release(v);
}

/* Builds (or finds) each waiting request's view, hands it over and resumes it. */
static void serve_waiting(wl_store *s, cov_wait *w, bool stop)
{
    cov_wait *fifo = NULL;
    while (w) { /* oldest first */
        cov_wait *next = w->next;
        w->next = fifo;
        fifo = w;
        w = next;
    }
    while (fifo) {
        cov_wait *next = fifo->next;
        cov *v = stop                        ? NULL
                 : fifo->view == VIEW_MEMBER ? cov_member(s, fifo->member)
                                             : cov_get(s, fifo->view);
        fifo->r->held = v;
        fifo->r->held_free = v ? cov_release_held : NULL;
        fifo->r->held_ready = true;
        MHD_resume_connection(fifo->c); /* routed again, with the view in r->held */
        free(fifo);
        fifo = next;
    }
}

/*
 * The view a request is answered from, never built on the worker: on the
 * second pass, the one the builder handed over (NULL if it could not be
 * built); the cached view if fresh; else NULL with *wait set: the connection
 * is suspended and queued for the builder.
 */
static cov *view_for(struct MHD_Connection *c, wl_req *r, int view, const char *member, bool *wait)
{
    cov_wait *w;
    cov *v;
    *wait = false;
    if (r->held_ready) {
        v = r->held;
        r->held = NULL;
        r->held_free = NULL;
        return v;
    }
    if (view != VIEW_MEMBER && (v = cov_cached(view)) != NULL)
        return v;
    if ((w = calloc(1, sizeof *w)) == NULL)
        return NULL;
    w->c = c;
    w->r = r;
    w->view = view;
    snprintf(w->member, sizeof w->member, "%s", member ? member : "");
    *wait = true;
    MHD_suspend_connection(c);
    pthread_mutex_lock(&wl_srv->mu);
    if (!builder_gone) {
        w->next = waiting;
        waiting = w;
        w = NULL;
        pthread_cond_broadcast(&wl_srv->cp_cv); /* the builder waits on it */
    }
    pthread_mutex_unlock(&wl_srv->mu);
    if (w) { /* stopping: routed again at once, without a view */
        free(w);
        r->held_ready = true;
        MHD_resume_connection(c);
    }
    return NULL;
}

/*
 * The builder: it serves the requests waiting for a view first. Then, as a
 * warmer: once the register has changed and then stayed unchanged for a
 * second (or every 30 s under a steady stream of changes), it rebuilds the
 * cached views, so the coordinator's next request finds them ready. It stays
 * out of the way of bulk writes: a build parses every new sealed content.
 */
void *wl_coverage_warmer_main(void *arg)
{
    wl_store *s = arg;
    uint64_t built = UINT64_MAX, seen = UINT64_MAX;
    time_t seen_at = 0, built_at = 0;
    for (;;) {
        struct timespec ts;
        bool stop;
        uint64_t g;
        time_t now;
        cov_wait *w;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_mutex_lock(&wl_srv->mu);
        if (!wl_srv->stopping && waiting == NULL)
            pthread_cond_timedwait(&wl_srv->cp_cv, &wl_srv->mu, &ts);
        stop = wl_srv->stopping;
        builder_gone = stop;
        w = waiting;
        waiting = NULL;
        g = wl_srv->reg_gen;
        pthread_mutex_unlock(&wl_srv->mu);
        serve_waiting(s, w, stop);
        if (stop)
            break;
        now = time(NULL);
        if (g != seen) {
            seen = g;
            seen_at = now;
        }
        if (g == built || (now - seen_at < 1 && now - built_at < 30))
            continue;
        cov_release(cov_get(s, VIEW_COORDINATOR));
        cov_release(cov_get(s, VIEW_PUBLIC));
        built = g;
        built_at = now;
    }
    return NULL;
}

static enum MHD_Result respond(struct MHD_Connection *c, const cov *v, const char *vname,
                               size_t offset, size_t limit, int csv)
{
    wl_buf b = {0};
    json_t *pl = json_array(), *head;
    char *pls = NULL, *hs = NULL;
    enum MHD_Result ret;
    if (csv)
        return wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", v->csv.buf, v->csv.len,
                                "no-store");
    for (size_t i = offset; i < v->n && i - offset < limit; i++) {
        char q[32];
        wl_qty_format(v->in[i].qty, q, sizeof q);
        json_array_append_new(
            pl, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?}", "pledge", v->in[i].id, "member",
                          v->in[i].member, "category", v->in[i].category, "quantity", q, "unit",
                          v->in[i].unit, "binding", v->clr.binding[i], "reason", v->clr.reason[i]));
    }
    head = json_pack("{s:s, s:I, s:I, s:I}", "view", vname, "pledges_total", (json_int_t)v->n,
                     "offset", (json_int_t)offset, "limit", (json_int_t)limit);
    if (v->notice)
        json_object_set_new(head, "notice", json_string(v->notice));
    hs = json_dumps(head, JSON_COMPACT);
    pls = json_dumps(pl, JSON_COMPACT);
    json_decref(head);
    json_decref(pl);
    /* {head..., "facts": F, "requirements": R, "pledges": P} */
    if (hs == NULL || pls == NULL || wl_buf_append(&b, hs, strlen(hs) - 1, 1u << 30) != WL_OK ||
        wl_buf_append(&b, ",\"facts\":", 9, 1u << 30) != WL_OK ||
        wl_buf_append(&b, v->facts_json, strlen(v->facts_json), 1u << 30) != WL_OK ||
        wl_buf_append(&b, ",\"requirements\":", 16, 1u << 30) != WL_OK ||
        wl_buf_append(&b, v->reqs_json, strlen(v->reqs_json), 1u << 30) != WL_OK ||
        wl_buf_append(&b, ",\"pledges\":", 11, 1u << 30) != WL_OK ||
        wl_buf_append(&b, pls, strlen(pls), 1u << 30) != WL_OK ||
        wl_buf_append(&b, "}\n", 2, 1u << 30) != WL_OK)
        ret = wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory",
                               "cannot format the coverage");
    else
        ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/json", b.buf, b.len, "no-store");
    free(hs);
    free(pls);
    wl_buf_free(&b);
    return ret;
}

static int query_size(struct MHD_Connection *c, const char *name, size_t dflt, size_t max,
                      size_t *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    char *end;
    unsigned long long n;
    *out = dflt;
    if (v == NULL)
        return 0;
    n = strtoull(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || n > max)
        return -1;
    *out = (size_t)n;
    return 0;
}

enum MHD_Result wl_h_coverage(struct MHD_Connection *c, const char *method, wl_req *r)
{
    const char *view = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "view");
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    wl_store *s = wl_thread_store();
    size_t offset, limit;
    cov *v = NULL;
    wl_auth a;
    wl_member m;
    enum MHD_Result ret;
    const char *vname = "public";
    bool wait;

    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (query_size(c, "offset", 0, SIZE_MAX / 2, &offset) != 0 ||
        query_size(c, "limit", 1000, 100000, &limit) != 0 ||
        (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "offset is a count, limit 0-100000, format json or csv");
    if (view && strcmp(view, "public") != 0) {
        if (strcmp(view, "coordinator") != 0 && strcmp(view, "member") != 0)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "view is public, member or coordinator");
        if (wl_authenticate(c, method, r, &a) != 0)
            return wl_auth_refuse(c, &a);
        if (wl_store_member_get(s, a.member, &m) != WL_OK)
            return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "not a member");
        if (strcmp(view, "coordinator") == 0) {
            if (!wl_member_privileged(&m))
                return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden",
                                        "the coordinator's view is for members with role "
                                        "coordinator or operator that have not withdrawn");
            v = view_for(c, r, VIEW_COORDINATOR, NULL, &wait);
            vname = "coordinator";
        } else {
            v = view_for(c, r, VIEW_MEMBER, a.member, &wait);
            vname = "member";
        }
    } else {
        v = view_for(c, r, VIEW_PUBLIC, NULL, &wait);
    }
    if (wait)
        return MHD_YES; /* answered when the builder resumes the connection */
    if (v == NULL)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage",
                                "cannot compute the coverage");
    ret = respond(c, v, vname, offset, limit, format && strcmp(format, "csv") == 0);
    cov_release(v);
    return ret;
}

/*
 * GET /api/v1/clearing/inputs (signed, coordinator or operator): the inputs of
 * the coordinator's clearing, in the form `willing clear --input` reads, so
 * the coordinator can record a clearing that anyone given them can re-run.
 */
enum MHD_Result wl_h_clearing_inputs(struct MHD_Connection *c, const char *method, wl_req *r)
{
    wl_store *s = wl_thread_store();
    json_t *pl, *fa;
    wl_auth a;
    wl_member m;
    cov *v;
    enum MHD_Result ret;
    bool wait;

    if (wl_authenticate(c, method, r, &a) != 0)
        return wl_auth_refuse(c, &a);
    if (s == NULL || wl_store_member_get(s, a.member, &m) != WL_OK || !wl_member_privileged(&m))
        return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden",
                                "the clearing's inputs are for members with role coordinator or "
                                "operator that have not withdrawn");
    v = view_for(c, r, VIEW_COORDINATOR, NULL, &wait);
    if (wait)
        return MHD_YES; /* answered when the builder resumes the connection */
    if (v == NULL)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage", "cannot read");
    pl = json_array();
    for (size_t i = 0; i < v->n; i++) {
        char q[32];
        json_t *p;
        wl_qty_format(v->in[i].qty, q, sizeof q);
        p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", v->in[i].id, "member", v->in[i].member,
                      "category", v->in[i].category, "unit", v->in[i].unit, "quantity", q);
        if (v->in[i].cond)
            json_object_set_new(p, "condition", wl_cond_to_json(v->in[i].cond));
        json_array_append_new(pl, p);
    }
    fa = json_loads(v->facts_json, 0, NULL);
    ret = wl_respond_json(c, MHD_HTTP_OK, json_pack("{s:o, s:o}", "facts", fa, "pledges", pl));
    cov_release(v);
    return ret;
}
