/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/coverage[?view=coordinator|member][&format=csv][&offset=N&limit=M]:
 * per requirement, what is binding, what is pledged but not binding, and the
 * gap; and the pledges in the view (a page of them: limit default 1000) with
 * why each does or does not bind. Who may ask for which view is decided here:
 *   public (no signature); coordinator (signed, role coordinator or operator);
 *   member (signed). What each view counts, and its JSON, are the coalition
 * module's (lib/coalition/views.c); this file keeps the caching, the builder
 * thread and HTTP.
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
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "threads.h"
#include "willing/coalition.h"
#include "willing/identity.h" /* wl_member_privileged */

/* One cleared view (lib/coalition/views.c), shared by requests (refcounted under cache_mu). */
typedef struct {
    int refs;
    uint64_t gen;
    wl_coalition_view *v;
} cov;

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static cov *cache[2];              /* WL_VIEWER_PUBLIC, WL_VIEWER_COORDINATOR */
static wl_coalition_base bases[2]; /* under build_mu: the cached views' pledge sets */
static bool bases_ready;           /* under build_mu */

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
    wl_coalition_view_free(v->v);
    wl_free(v);
}

/* Builds a view (the public or coordinator view from its kept pledge set, under build_mu). */
static cov *cov_build(wl_store *s, int view, const char *member, uint64_t gen)
{
    cov *v = wl_calloc(1, sizeof *v);
    if (v == NULL)
        return NULL;
    wl_test_delay("WL_TEST_BUILD_DELAY_MS",
                  view == WL_VIEWER_MEMBER        ? "building a member's coverage view"
                  : view == WL_VIEWER_COORDINATOR ? "building the coordinator's coverage view"
                                                  : "building the public coverage view");
    v->refs = 1;
    v->gen = gen;
    if (view != WL_VIEWER_MEMBER && !bases_ready) {
        wl_coalition_base_init(&bases[WL_VIEWER_PUBLIC]);
        wl_coalition_base_init(&bases[WL_VIEWER_COORDINATOR]);
        bases_ready = true;
    }
    if (wl_coalition_view_build(s, (wl_coalition_viewer)view, member,
                                view == WL_VIEWER_MEMBER ? NULL : &bases[view], &v->v) != WL_OK) {
        wl_free(v);
        return NULL;
    }
    return v;
}

/* A member's view: its own sealed pledges and the announced ones, built afresh. */
static cov *cov_member(wl_store *s, const char *member)
{
    return cov_build(s, WL_VIEWER_MEMBER, member, 0);
}

/* The cached public or coordinator view if the register has not changed since, else NULL. */
static cov *cov_cached(int view)
{
    uint64_t g = wl_register_gen();
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
    g = wl_register_gen();
    pthread_mutex_lock(&cache_mu);
    if (cache[view] && cache[view]->gen == g) {
        v = cache[view];
        v->refs++;
    }
    pthread_mutex_unlock(&cache_mu);
    if (v == NULL && (v = cov_build(s, view, NULL, g))) {
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
        cov *v = stop                             ? NULL
                 : fifo->view == WL_VIEWER_MEMBER ? cov_member(s, fifo->member)
                                                  : cov_get(s, fifo->view);
        fifo->r->held = v;
        fifo->r->held_free = v ? cov_release_held : NULL;
        fifo->r->held_ready = true;
        MHD_resume_connection(fifo->c); /* routed again, with the view in r->held */
        wl_free(fifo);
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
    if (view != WL_VIEWER_MEMBER && (v = cov_cached(view)) != NULL)
        return v;
    if ((w = wl_calloc(1, sizeof *w)) == NULL)
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
        wl_free(w);
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
        cov_release(cov_get(s, WL_VIEWER_COORDINATOR));
        cov_release(cov_get(s, WL_VIEWER_PUBLIC));
        built = g;
        built_at = now;
    }
    return NULL;
}

static enum MHD_Result respond(struct MHD_Connection *c, const cov *v, wl_coalition_viewer viewer,
                               size_t offset, size_t limit, int csv)
{
    wl_buf b;
    enum MHD_Result ret;
    if (csv)
        return wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", v->v->csv.buf,
                                v->v->csv.len, "no-store");
    if (wl_coalition_view_json(v->v, viewer, offset, limit, &b) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory",
                                "cannot format the coverage");
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/json", b.buf, b.len, "no-store");
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

/* GET /api/v1/coverage (anyone; the member's and the coordinator's views are signed). */
static enum MHD_Result get_coverage(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_req *r = call->r;
    const char *view = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "view");
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    wl_store *s = wl_thread_store();
    size_t offset, limit;
    cov *v = NULL;
    wl_auth *a = &call->auth;
    wl_member m;
    enum MHD_Result ret;
    wl_coalition_viewer viewer = WL_VIEWER_PUBLIC;
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
        if (wl_authenticate(c, call->method, r, a) != 0)
            return wl_auth_refuse(c, a);
        if (wl_store_member_get(s, a->member, &m) != WL_OK)
            return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "not a member");
        if (strcmp(view, "coordinator") == 0) {
            if (!wl_member_privileged(&m))
                return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden",
                                        "the coordinator's view is for members with role "
                                        "coordinator or operator that have not withdrawn");
            v = view_for(c, r, WL_VIEWER_COORDINATOR, NULL, &wait);
            viewer = WL_VIEWER_COORDINATOR;
        } else {
            v = view_for(c, r, WL_VIEWER_MEMBER, a->member, &wait);
            viewer = WL_VIEWER_MEMBER;
        }
    } else {
        v = view_for(c, r, WL_VIEWER_PUBLIC, NULL, &wait);
    }
    if (wait)
        return MHD_YES; /* answered when the builder resumes the connection */
    if (v == NULL)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage",
                                "cannot compute the coverage");
    ret = respond(c, v, viewer, offset, limit, format && strcmp(format, "csv") == 0);
    cov_release(v);
    return ret;
}

/*
 * GET /api/v1/clearing/inputs (WL_ACCESS_PRIVILEGED): the inputs of
 * the coordinator's clearing, in the form `willing clear --input` reads, so
 * the coordinator can record a clearing that anyone given them can re-run.
 */
static enum MHD_Result get_clearing_inputs(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    cov *v;
    enum MHD_Result ret;
    bool wait;

    v = view_for(c, call->r, WL_VIEWER_COORDINATOR, NULL, &wait);
    if (wait)
        return MHD_YES; /* answered when the builder resumes the connection */
    if (v == NULL)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage", "cannot read");
    ret = wl_respond_json(c, MHD_HTTP_OK, wl_coalition_view_inputs(v->v));
    cov_release(v);
    return ret;
}

const wl_route wl_routes_coalition[] = {
    {"GET", "/api/v1/coverage", WL_ACCESS_ANYONE, 0, get_coverage, 0, NULL},
    {"GET", "/api/v1/clearing/inputs", WL_ACCESS_PRIVILEGED, 0, get_clearing_inputs, 0,
     "the clearing's inputs are for members with role coordinator or operator that have not "
     "withdrawn"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
