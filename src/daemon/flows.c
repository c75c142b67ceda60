/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows module's routes (docs/internals/flows.md, "Views"):
 *   GET /api/v1/flows[?member=&pledge=&instrument=&stage=&after=&offset=&limit=&format=csv]
 *   GET /api/v1/flows/<id>                 one flow, its correction chain, its answers
 *   GET /api/v1/flows/summary?by=member|category|month[&currency=C][&format=csv]
 *   GET /api/v1/flows/instruments[/<id>]   the instrument tree, drawn and left
 *   GET /api/v1/flows/rates
 *   GET /api/v1/flows/iati?member=M        a member's flows as IATI 2.03 XML (lib/flows/iati_*.c)
 * Who asks decides what is seen, as for GET /api/v1/members: a request with a
 * signature or a session cookie is authenticated (a bad one is refused), and
 * then a member sees its own flows, sealed ones naming it and public ones; the
 * host nation, coordinators and operators see every flow; anyone else, and
 * `view=public`, the public's view. The views are lib/flows' (views.c,
 * views_summary.c); this file keeps the pledge set the summary reads between
 * requests (grown incrementally under a lock) and HTTP.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "willing/flows.h" /* wl_currency_find */
#include "willing/flows_views.h"
#include "willing/iati.h"
#include "willing/identity.h" /* wl_member_privileged */
#include "willing/limits.h"

/*
 * Each thread's pledge set, grown from its own read snapshot, so that
 * summaries run side by side: the lock guards only the list that keeps
 * every set reachable until the process ends.
 */
static _Thread_local wl_flows_pledges *tl_pledges;
static pthread_mutex_t pledges_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_flows_pledges *pledge_sets[128]; /* under pledges_mu */
static size_t npledge_sets;                /* under pledges_mu */

static wl_flows_pledges *thread_pledges(void)
{
    if (tl_pledges == NULL) {
        pthread_mutex_lock(&pledges_mu);
        if (npledge_sets < sizeof pledge_sets / sizeof pledge_sets[0] &&
            (tl_pledges = calloc(1, sizeof *tl_pledges)) != NULL) {
            wl_flows_pledges_init(tl_pledges);
            pledge_sets[npledge_sets++] = tl_pledges;
        }
        pthread_mutex_unlock(&pledges_mu);
    }
    return tl_pledges;
}

static const char *arg(wl_call *call, const char *name)
{
    return MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct {
    const char *const *known;
    const char *bad;
} args_ctx;

static enum MHD_Result check_arg(void *ctx, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    args_ctx *a = ctx;
    (void)kind;
    (void)value;
    for (size_t i = 1; a->known[i]; i++) /* known[0]: the list, for the message */
        if (strcmp(a->known[i], key) == 0)
            return MHD_YES;
    a->bad = key;
    return MHD_NO;
}

/* 0, or -1 with the 400 answered naming the first parameter not in known[1...]. */
static int only_args(wl_call *call, const char *const *known, enum MHD_Result *ret)
{
    args_ctx a = {known, NULL};
    MHD_get_connection_values(call->c, MHD_GET_ARGUMENT_KIND, check_arg, &a);
    if (a.bad == NULL)
        return 0;
    *ret = wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                            "unknown parameter '%.64s' (this view takes: %s)", a.bad, known[0]);
    return -1;
}

/*
 * The viewer: public unless the request carries a signature or session and
 * does not ask for view=public. -1: answered (a bad signature, or waiting).
 */
static int viewer_of(wl_call *call, wl_flows_viewer *v, enum MHD_Result *ret)
{
    struct MHD_Connection *c = call->c;
    const char *view = arg(call, "view");
    wl_store *s = wl_thread_store();
    wl_member m;
    memset(v, 0, sizeof *v);
    if (view && strcmp(view, "public") != 0) {
        *ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "view is public, or absent: who signs decides the view");
        return -1;
    }
    if (view || (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") == NULL &&
                 MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") == NULL))
        return 0;
    if (wl_authenticate(c, call->method, call->r, &call->auth) != 0) {
        *ret = wl_auth_refuse(c, &call->auth);
        return -1;
    }
    if (s && wl_store_member_get(s, call->auth.member, &m) == WL_OK) {
        v->all = wl_member_privileged(&m) || strcmp(m.role, "host") == 0;
        snprintf(v->member, sizeof v->member, "%s", m.id);
    }
    return 0;
}

static int is_hex(const char *s, size_t n)
{
    size_t i = 0;
    for (; s[i] && i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == n && s[i] == '\0';
}

/* An id of a member or instrument: 1-64 of a-z 0-9 . _ - */
static int is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > WL_MEMBER_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

static int count_arg(const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (v == NULL)
        return 0;
    *out = strtoull(v, &end, 10);
    return v[0] >= '0' && v[0] <= '9' && *end == '\0' && *out <= max ? 0 : -1;
}

static enum MHD_Result failed(struct MHD_Connection *c, wl_rc rc, const char *what)
{
    if (rc == WL_ERR_TOO_LARGE)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "too_large",
                                "%s would pass its ceiling: ask for less", what);
    return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read %s", what);
}

static int is_csv(wl_call *call, enum MHD_Result *ret)
{
    const char *f = arg(call, "format");
    if (f == NULL || strcmp(f, "json") == 0)
        return 0;
    if (strcmp(f, "csv") == 0)
        return 1;
    *ret = wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query", "format is json or csv");
    return -1;
}

/* GET /api/v1/flows: a page of the flows the viewer may see, with the next page's URL. */
static enum MHD_Result get_flows(wl_call *call)
{
    static const char *const known[] = {
        "member, pledge, instrument, stage, after, offset, limit, format, view",
        "member",
        "pledge",
        "instrument",
        "stage",
        "after",
        "offset",
        "limit",
        "format",
        "view",
        NULL};
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    wl_flows_viewer v;
    wl_flows_query q = {arg(call, "member"),
                        arg(call, "pledge"),
                        arg(call, "instrument"),
                        arg(call, "stage"),
                        0,
                        0,
                        WL_FLOWS_PAGE_DEFAULT};
    unsigned long long after = 0, limit = WL_FLOWS_PAGE_DEFAULT, offset = 0;
    int64_t next = -1;
    enum MHD_Result ret = MHD_NO;
    int csv;
    wl_rc rc;
    char url[1024];
    if (only_args(call, known, &ret) != 0 || (csv = is_csv(call, &ret)) < 0)
        return ret;
    if ((q.member && !is_slug(q.member)) || (q.pledge && !is_hex(q.pledge, 32)) ||
        (q.instrument && !is_slug(q.instrument)) ||
        (q.stage && strcmp(q.stage, "commitment") != 0 && strcmp(q.stage, "allocation") != 0 &&
         strcmp(q.stage, "delivery") != 0 && strcmp(q.stage, "disbursement") != 0) ||
        count_arg(arg(call, "after"), INT64_MAX, &after) != 0 ||
        count_arg(arg(call, "offset"), 1000000000ull, &offset) != 0 ||
        count_arg(arg(call, "limit"), WL_FLOWS_PAGE_MAX, &limit) != 0 || limit == 0)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "member and instrument are ids, pledge 32 hex digits, stage "
                                "commitment, allocation, delivery or disbursement, after and "
                                "offset counts, limit 1-%u",
                                WL_FLOWS_PAGE_MAX);
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (viewer_of(call, &v, &ret) != 0)
        return ret;
    q.after = (int64_t)after;
    q.offset = (size_t)offset;
    q.limit = (size_t)limit;
    if (csv) {
        wl_buf b;
        if (arg(call, "limit") == NULL) /* every flow, up to the ceiling */
            q.limit = 0;
        rc = wl_flows_list_csv(s, &v, &q, &b, &next);
        if (rc == WL_ERR_TOO_LARGE && q.limit == 0)
            return wl_respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                                    "every flow as CSV would pass %u bytes: ask for pages with "
                                    "limit (1-%u) and after (the next of the JSON page)",
                                    WL_CSV_MAX_BYTES, WL_FLOWS_PAGE_MAX);
        if (rc != WL_OK)
            return failed(c, rc, "the flows");
        ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", b.buf, b.len, "no-store");
        wl_buf_free(&b);
        return ret;
    }
    {
        json_t *o;
        if ((rc = wl_flows_list(s, &v, &q, &o, &next)) != WL_OK)
            return failed(c, rc, "the flows");
        /* the next page: the same filters, after the last flow of this one */
        if (next >= 0 &&
            wl_fmt(url, sizeof url, "/api/v1/flows?after=%lld&limit=%llu%s%s%s%s%s%s%s%s",
                   (long long)next, limit, q.member ? "&member=" : "", q.member ? q.member : "",
                   q.pledge ? "&pledge=" : "", q.pledge ? q.pledge : "",
                   q.instrument ? "&instrument=" : "", q.instrument ? q.instrument : "",
                   q.stage ? "&stage=" : "", q.stage ? q.stage : "") == WL_OK)
            json_object_set_new(o, "next", json_string(url));
        else
            json_object_set_new(o, "next", json_null());
        return wl_respond_json(c, MHD_HTTP_OK, o);
    }
}

/* GET /api/v1/flows/summary?by=member|category|month[&currency=C][&format=csv] */
static enum MHD_Result get_summary(wl_call *call)
{
    static const char *const known[] = {
        "by, currency, format, view", "by", "currency", "format", "view", NULL};
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    const char *cur = arg(call, "currency");
    int by = wl_flows_summary_by(arg(call, "by")), csv;
    wl_flows_viewer v;
    wl_flows_pledges *p;
    enum MHD_Result ret = MHD_NO;
    json_t *o = NULL;
    wl_rc rc;
    if (only_args(call, known, &ret) != 0 || (csv = is_csv(call, &ret)) < 0)
        return ret;
    if (by < 0)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "by is member, category or month");
    if (cur && (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "currency is an ISO 4217 code in capitals, such as EUR");
    if (cur) {
        const wl_currency *k = wl_currency_find(cur);
        if (k == NULL)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "currency %s is not an ISO 4217 code", cur);
        if (k->withdrawn)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "currency %s was withdrawn from ISO 4217 on %s", cur,
                                    k->withdrawn);
    }
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (viewer_of(call, &v, &ret) != 0)
        return ret;
    if ((p = thread_pledges()) == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    /* one snapshot: the pledges grown and the totals read at one moment */
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_flows_pledges_update(s, p);
        if (rc == WL_OK)
            rc = wl_flows_summary(s, &v, p, by, cur, &o);
        (void)!wl_store_commit(s);
    }
    if (rc != WL_OK)
        return failed(c, rc, "the summary");
    if (csv) {
        wl_buf b;
        rc = wl_flows_summary_csv(o, &b);
        json_decref(o);
        if (rc != WL_OK)
            return failed(c, rc, "the summary");
        ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", b.buf, b.len, "no-store");
        wl_buf_free(&b);
        return ret;
    }
    return wl_respond_json(c, MHD_HTTP_OK, o);
}

/* GET /api/v1/flows/instruments and /api/v1/flows/instruments/<id> */
static enum MHD_Result get_instruments(wl_call *call)
{
    static const char *const known[] = {"view", "view", NULL};
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    const char *id = call->rest && call->rest[0] ? call->rest : NULL;
    wl_flows_viewer v;
    enum MHD_Result ret = MHD_NO;
    json_t *o;
    wl_rc rc;
    if (only_args(call, known, &ret) != 0)
        return ret;
    if (id && !is_slug(id))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "an instrument id is 1-64 of a-z 0-9 . _ -");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (viewer_of(call, &v, &ret) != 0)
        return ret;
    if ((rc = wl_flows_instruments(s, &v, id, &o)) == WL_ERR_NOT_FOUND)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "unknown_instrument", "no instrument %s",
                                id);
    if (rc != WL_OK)
        return failed(c, rc, "the instruments");
    return wl_respond_json(c, MHD_HTTP_OK, o);
}

/* GET /api/v1/flows/rates: public entries, the same for everyone. */
static enum MHD_Result get_rates(wl_call *call)
{
    static const char *const known[] = {"none", NULL};
    wl_store *s = wl_thread_store();
    enum MHD_Result ret = MHD_NO;
    json_t *o;
    wl_rc rc;
    if (only_args(call, known, &ret) != 0)
        return ret;
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if ((rc = wl_flows_rates(s, &o)) != WL_OK)
        return failed(call->c, rc, "the rates");
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

/* GET /api/v1/flows/<id>: one flow the viewer may see, its chain and its answers. */
/* The IATI document of one request, piece by piece as the client takes it. */
typedef struct {
    wl_iati_stream *st;
    const char *piece;
    size_t len, off;
    int done;
} iati_reader;

static ssize_t iati_read(void *ctx, uint64_t pos, char *buf, size_t max)
{
    iati_reader *r = ctx;
    wl_error err = {0};
    size_t n;
    (void)pos;
    while (r->off == r->len) {
        wl_store *s = wl_thread_store();
        if (r->done)
            return WL_RESPOND_END;
        if (s == NULL || wl_flows_iati_next(r->st, s, &r->piece, &r->len, &err) != WL_OK) {
            fprintf(stderr, "willing: GET /api/v1/flows/iati: %s\n", s ? err.msg : "no store");
            return -1; /* the connection ends: the document is cut, never wrong */
        }
        r->off = 0;
        r->done = r->len == 0;
    }
    n = r->len - r->off < max ? r->len - r->off : max;
    memcpy(buf, r->piece + r->off, n);
    r->off += n;
    return (ssize_t)n;
}

static void iati_reader_free(void *ctx)
{
    iati_reader *r = ctx;
    wl_flows_iati_close(r->st);
    wl_free(r);
}

/*
 * GET /api/v1/flows/iati?member=M: M's live flows the asker may see, one IATI 2.03 document,
 * streamed (chunked): what is refused is refused before a byte is sent.
 */
static enum MHD_Result get_iati(wl_call *call)
{
    static const char *const known[] = {"member, view", "member", "view", NULL};
    static const char *const headers[] = {MHD_HTTP_HEADER_CACHE_CONTROL, "no-store", NULL};
    wl_store *s = wl_thread_store();
    const char *member = arg(call, "member");
    enum MHD_Result ret = MHD_NO;
    wl_flows_viewer v;
    wl_error err = {0};
    iati_reader *r;
    char now[32];
    wl_rc rc;
    if (only_args(call, known, &ret) != 0 || viewer_of(call, &v, &ret) != 0)
        return ret;
    if (member == NULL || !is_slug(member))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "member=ID is required: 1-64 of a-z 0-9 . _ -");
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if ((r = wl_calloc(1, sizeof *r)) == NULL)
        return failed(call->c, WL_ERR_NOMEM, "the IATI document");
    wl_time_iso8601((int64_t)time(NULL), now, sizeof now);
    rc = wl_flows_iati_open(s, &v, member, now, &r->st, &err);
    if (rc != WL_OK) {
        wl_free(r);
        if (rc == WL_ERR_NOT_FOUND)
            return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, err.code, "%s", err.msg);
        return failed(call->c, rc, "the IATI document");
    }
    return wl_respond_stream(call->c, MHD_HTTP_OK, "application/xml; charset=utf-8",
                             WL_RESPOND_SIZE_UNKNOWN, iati_read, r, iati_reader_free, headers);
}

static enum MHD_Result get_flow(wl_call *call)
{
    static const char *const known[] = {"view", "view", NULL};
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    wl_flows_viewer v;
    enum MHD_Result ret = MHD_NO;
    json_t *o;
    wl_rc rc;
    if (only_args(call, known, &ret) != 0)
        return ret;
    if (!is_hex(call->rest, 32))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "a flow id is 32 lower-case hex digits: GET /api/v1/flows/<id>");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (viewer_of(call, &v, &ret) != 0)
        return ret;
    /* one the viewer may not see gets the same answer as one that does not exist */
    if ((rc = wl_flows_show(s, &v, call->rest, &o)) == WL_ERR_NOT_FOUND)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "unknown_flow", "no flow %s", call->rest);
    if (rc != WL_OK)
        return failed(c, rc, "the flow");
    return wl_respond_json(c, MHD_HTTP_OK, o);
}

/*
 * Exact paths first: the router takes the first row that matches. Other
 * helpers' rows under /api/v1/flows/ (iati) go before the catch-all flow row.
 */
const wl_route wl_routes_flows[] = {
    {"GET", "/api/v1/flows", WL_ACCESS_ANYONE, 0, get_flows, 0, NULL},
    {"GET", "/api/v1/flows/summary", WL_ACCESS_ANYONE, 0, get_summary, 0, NULL},
    {"GET", "/api/v1/flows/rates", WL_ACCESS_ANYONE, 0, get_rates, 0, NULL},
    {"GET", "/api/v1/flows/instruments", WL_ACCESS_ANYONE, 0, get_instruments, 0, NULL},
    {"GET", "/api/v1/flows/instruments/*", WL_ACCESS_ANYONE, 0, get_instruments, 0, NULL},
    {"GET", "/api/v1/flows/iati", WL_ACCESS_ANYONE, 0, get_iati, 0, NULL},
    {"GET", "/api/v1/flows/*", WL_ACCESS_ANYONE, 0, get_flow, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
