/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Screening over HTTP (issue 12, point 5), public:
 *   GET /api/v1/pressure/screen?name=NAME[&id=[TYPE:]VALUE]...[&dob=YYYY[-MM[-DD]]]
 *       [&country=C][&limit=N][&format=json]
 *     the candidates among the listed designations, each with its score and
 *     why, never a verdict; a name, identifiers (id= repeated), or both; any
 *     other parameter twice, or a format but json, 400 naming it
 *   POST /api/v1/pressure/screen[?limit=N][&format=csv] (Content-Type: text/csv)
 *     a CSV of names, each row's candidates or why the row was refused, with
 *     its line; JSON, or CSV with format=csv or Accept: text/csv. The answer
 *     is written out row by row as it is screened and is at most
 *     WL_SCREEN_OUT_MAX (32 MiB) either way: the row that would pass it
 *     refuses the request, 413 answer_too_large (lib/pressure/screen.c)
 *   GET /api/v1/pressure/screen/counterparties?facility=ID[&limit=N]
 *     every contract under the facility, its counterparty screened
 * Every answer says "data_version", the log's size the index was built from:
 * still the truth of the designations, since the index is rebuilt only when
 * they change (wl_store_pressure_last, the largest entry index among them,
 * moved), not after a write of another kind. The index (lib/pressure/views.c)
 * is built once per change, by one thread while the others wait, and shared: each request holds it
 * by a count while it screens, so screenings run side by side, each with its thread's own names
 * context (ICU's transliterators are not shared). docs/internals/pressure.md, "Screening".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "willing/limits.h"
#include "willing/pressure.h"

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct {
    const char *const *keys; /* NULL-terminated */
    unsigned seen[8];
    const char *twice;
} once_args;

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    once_args *a = cls;
    (void)kind, (void)value;
    for (size_t i = 0; a->keys[i] && i < sizeof a->seen / sizeof a->seen[0]; i++)
        if (strcmp(key, a->keys[i]) == 0 && ++a->seen[i] == 2 && a->twice == NULL)
            a->twice = a->keys[i];
    return MHD_YES;
}

/* 400 naming the first of keys (at most 8) given more than once, else MHD_NO: which of two
 * names would be screened is not for the server to guess. */
static enum MHD_Result given_twice(struct MHD_Connection *c, const char *const *keys)
{
    once_args a = {keys, {0}, NULL};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_arg, &a);
    if (a.twice)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "%s: given twice (only id may be repeated)", a.twice);
    return MHD_NO;
}

/* ---- the index, shared; a names context per thread ---- */

typedef struct {
    wl_pressure_index *pi;
    uint64_t last;  /* the designations' largest entry index it was built from */
    unsigned users; /* requests holding it, and 1 while it is the current one */
} held;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;    /* cur and the counts */
static pthread_mutex_t build = PTHREAD_MUTEX_INITIALIZER; /* one build at a time */
static held *cur;
static pthread_key_t names_key;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_free(void *p)
{
    wl_names_close(p);
}

static void names_key_make(void)
{
    (void)pthread_key_create(&names_key, names_free);
}

/* This thread's names context, opened on its first screening. */
static wl_rc thread_names(wl_names **out, wl_error *err)
{
    wl_rc rc;
    pthread_once(&names_once, names_key_make);
    if ((*out = pthread_getspecific(names_key)) != NULL)
        return WL_OK;
    if ((rc = wl_names_open(out, err)) != WL_OK)
        return rc;
    if (pthread_setspecific(names_key, *out) != 0) {
        wl_names_close(*out);
        *out = NULL;
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    }
    return WL_OK;
}

static void release(held *h)
{
    bool last;
    pthread_mutex_lock(&mu);
    last = --h->users == 0;
    pthread_mutex_unlock(&mu);
    if (last) {
        wl_pressure_index_free(h->pi);
        wl_free(h);
    }
}

/* The current index if built from the designations as of last, held (NULL otherwise). */
static held *take_if(uint64_t last)
{
    held *h = NULL;
    pthread_mutex_lock(&mu);
    if (cur && cur->last == last) {
        h = cur;
        h->users++;
    }
    pthread_mutex_unlock(&mu);
    return h;
}

/* The index of the committed log as it is now, held by the caller until release. */
static wl_rc acquire(wl_store *s, wl_names *n, held **out, wl_error *err)
{
    uint64_t size = 0, last = 0, decision;
    held *h, *old = NULL;
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_store_begin_read(s)) != WL_OK)
        return wl_error_set(err, rc, "storage", "the ledger cannot be read");
    if ((rc = wl_store_pressure_last(s, &last, &decision)) != WL_OK) {
        (void)!wl_store_commit(s);
        return wl_error_set(err, rc, "storage", "pressure: cannot read the designations");
    }
    if ((*out = take_if(last)) != NULL) {
        (void)!wl_store_commit(s);
        return WL_OK;
    }
    pthread_mutex_lock(&build); /* another thread may be building this very version */
    if ((*out = take_if(last)) == NULL) {
        if ((h = wl_calloc(1, sizeof *h)) == NULL)
            rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
        else if ((rc = wl_store_size(s, &size)) != WL_OK) {
            wl_error_set(err, rc, "storage", "pressure: cannot read the log's size");
            wl_free(h);
        } else if ((rc = wl_pressure_index_build(s, n, size, &h->pi, err)) != WL_OK)
            wl_free(h);
        if (rc == WL_OK) {
            h->last = last;
            h->users = 2; /* the current one, and ours */
            pthread_mutex_lock(&mu);
            old = cur;
            cur = h;
            pthread_mutex_unlock(&mu);
            *out = h;
        }
    }
    pthread_mutex_unlock(&build);
    (void)!wl_store_commit(s);
    if (old)
        release(old);
    return rc;
}

/* The thread's names context and the index held, or the answer of their failure in *ret. */
static int ready(wl_call *call, wl_names **n, held **h, enum MHD_Result *ret)
{
    wl_store *s = wl_thread_store();
    wl_error err = {0};
    if (s == NULL) {
        *ret = wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
        return -1;
    }
    if (thread_names(n, &err) != WL_OK || acquire(s, *n, h, &err) != WL_OK) {
        *ret = wl_respond_refused(call->c, &err);
        return -1;
    }
    return 0;
}

static enum MHD_Result bad_limit(struct MHD_Connection *c, uint64_t *limit)
{
    *limit = WL_SCREEN_LIMIT_DEFAULT;
    if (wl_query_u64(c, "limit", limit) || *limit < 1 || *limit > WL_SCREEN_LIMIT_MAX)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "limit: 1-%u candidates per name", WL_SCREEN_LIMIT_MAX);
    return MHD_NO;
}

/* ---- one name, or identifiers ---- */

typedef struct {
    char text[WL_NAME_IDS_MAX][200];
    wl_name_id id[WL_NAME_IDS_MAX];
    size_t n;
    wl_error err;
    wl_rc rc;
} idargs;

static enum MHD_Result one_id(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    idargs *a = cls;
    (void)kind;
    if (strcmp(key, "id") != 0 || a->rc != WL_OK)
        return MHD_YES;
    if (a->n == WL_NAME_IDS_MAX) {
        a->rc = wl_error_set(&a->err, WL_ERR_INVALID, "too_many_ids",
                             "a screening takes at most %u identifiers", WL_NAME_IDS_MAX);
    } else if (value == NULL || strlen(value) >= sizeof a->text[0]) {
        a->rc = wl_error_set(&a->err, WL_ERR_INVALID, "bad_id",
                             "id: VALUE or TYPE:VALUE (a type of 1-64 bytes, a value of 1-128)");
    } else {
        memcpy(a->text[a->n], value, strlen(value) + 1);
        if ((a->rc = wl_pressure_id_parse(a->text[a->n], &a->id[a->n], &a->err)) == WL_OK)
            a->n++;
    }
    return MHD_YES;
}

static enum MHD_Result get_screen(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *dob = arg(c, "dob"), *country = arg(c, "country");
    wl_names_query q = {.name = arg(c, "name"), .country = country};
    idargs *ids = wl_calloc(1, sizeof *ids);
    uint64_t limit;
    wl_names *n = NULL;
    held *h = NULL;
    json_t *out = NULL;
    wl_error err = {0};
    enum MHD_Result ret;
    wl_rc rc;

    static const char *const once[] = {"name", "dob", "country", "limit", "format", NULL};
    const char *format = arg(c, "format");

    if (ids == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "out of memory");
    if ((ret = given_twice(c, once)) != MHD_NO)
        goto out;
    if (format && strcmp(format, "json") != 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                               "format: GET %s answers JSON only (format=json); POST a CSV of "
                               "names for an answer as CSV",
                               "/api/v1/pressure/screen");
        goto out;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, one_id, ids);
    if (ids->rc != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, ids->err.code, "%s", ids->err.msg);
        goto out;
    }
    q.ids = ids->id, q.n_ids = ids->n;
    if ((q.name == NULL || *q.name == '\0') && q.n_ids == 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                               "name: the name to screen, or id: an identifier (VALUE or "
                               "TYPE:VALUE, repeated for more), or both");
        goto out;
    }
    if ((ret = bad_limit(c, &limit)) != MHD_NO)
        goto out;
    if ((dob && wl_pressure_dob_parse(dob, &q.dob) != WL_OK) ||
        (country && (*country == '\0' || strlen(country) > WL_PRESSURE_TEXT_BYTES))) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                               "dob: YYYY, YYYY-MM or YYYY-MM-DD; country: 1-%u bytes",
                               WL_PRESSURE_TEXT_BYTES);
        goto out;
    }
    q.limit = (size_t)limit;
    /* the name's own checks first: a refused name needs no index; 413 name_too_long for a
       name over WL_NAME_MAX_BYTES, as a designation's, 400 name_invalid */
    if (q.name && *q.name && wl_names_check(q.name, strlen(q.name), NULL, &err) != WL_OK) {
        ret = wl_respond_error(c, wl_status_for(err.rc), err.code, "name: %s", err.msg);
        goto out;
    }
    if (ready(call, &n, &h, &ret) != 0)
        goto out;
    rc = wl_pressure_screen(n, h->pi, &q, &out, &err);
    release(h);
    if (rc != WL_OK)
        ret = wl_respond_refused(c, &err); /* 400 name_empty..., 413 name_too_long (32 words) */
    else
        ret = wl_respond_json_flags(c, MHD_HTTP_OK, out, WL_SCREEN_JSON_FLAGS);
out:
    wl_free(ids);
    return ret;
}

/* ---- a CSV of names ---- */

/* CSV asked for: format=csv, or an Accept naming text/csv (format=json wins over Accept). */
static int wants_csv(struct MHD_Connection *c, enum MHD_Result *ret)
{
    const char *f = arg(c, "format"),
               *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    if (f && strcmp(f, "csv") != 0 && strcmp(f, "json") != 0) {
        *ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query", "format: json or csv");
        return -1;
    }
    if (f)
        return strcmp(f, "csv") == 0;
    return a && strcasestr(a, "text/csv") != NULL;
}

static enum MHD_Result post_screen(wl_call *call)
{
    static const char *const once[] = {"limit", "format", NULL};
    static const char *const nostore[] = {"Cache-Control", "no-store", NULL};
    struct MHD_Connection *c = call->c;
    enum MHD_Result ret = MHD_NO;
    int as_csv;
    uint64_t limit;
    wl_names *n = NULL;
    held *h = NULL;
    wl_buf out = {0};
    wl_error err = {0};
    size_t line = 0;
    wl_rc rc;

    if ((ret = given_twice(c, once)) != MHD_NO || (as_csv = wants_csv(c, &ret)) < 0)
        return ret;
    if ((ret = bad_limit(c, &limit)) != MHD_NO)
        return ret;
    if (call->r->len == 0 || call->r->body == NULL)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_csv",
                                "the body is a CSV of names: a header row naming its columns "
                                "(name, and optionally dob, country, ref, id), then a row a name");
    if (ready(call, &n, &h, &ret) != 0)
        return ret;
    rc = wl_pressure_screen_csv(n, h->pi, call->r->body, call->r->len, (size_t)limit, as_csv, &out,
                                &line, &err);
    release(h);
    if (rc == WL_ERR_INVALID || rc == WL_ERR_TOO_LARGE) {
        /* 400 for a file that cannot be read, 413 for one over a ceiling (rows, the answer's
           bytes) */
        if (line)
            return wl_respond_error(c, wl_status_for(rc), err.code, "line %zu: %s", line, err.msg);
        return wl_respond_error(c, wl_status_for(rc), err.code, "%s", err.msg);
    }
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    return wl_respond_taken(c, MHD_HTTP_OK, as_csv ? "text/csv; charset=utf-8" : "application/json",
                            out.buf, out.len, nostore);
}

/* ---- the counterparties under a facility ---- */

static enum MHD_Result get_counterparties(wl_call *call)
{
    static const char *const once[] = {"facility", "limit", NULL};
    struct MHD_Connection *c = call->c;
    const char *facility = arg(c, "facility");
    enum MHD_Result ret;
    uint64_t limit;
    wl_names *n = NULL;
    held *h = NULL;
    json_t *out = NULL;
    wl_error err = {0};
    wl_rc rc;

    if (facility == NULL || *facility == '\0' || strlen(facility) > 64)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "facility: the id of an instrument (a facility's contracts, or "
                                "one contract)");
    if ((ret = given_twice(c, once)) != MHD_NO || (ret = bad_limit(c, &limit)) != MHD_NO)
        return ret;
    if (ready(call, &n, &h, &ret) != 0)
        return ret;
    if ((rc = wl_store_begin_read(wl_thread_store())) == WL_OK) {
        rc = wl_pressure_counterparties(wl_thread_store(), n, h->pi, facility, (size_t)limit, &out,
                                        &err);
        (void)!wl_store_commit(wl_thread_store());
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    release(h);
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    return wl_respond_json_flags(c, MHD_HTTP_OK, out, WL_SCREEN_JSON_FLAGS);
}

const wl_route wl_routes_screen[] = {
    {"GET", "/api/v1/pressure/screen", WL_ACCESS_ANYONE, 0, get_screen, 0, NULL},
    {"POST", "/api/v1/pressure/screen", WL_ACCESS_ANYONE, WL_SCREEN_CSV_MAX, post_screen,
     WL_ROUTE_CSV_BODY | WL_ROUTE_READS, NULL},
    {"*", "/api/v1/pressure/screen", WL_ACCESS_ANYONE, 0, NULL, 0,
     "use GET (one name) or POST (a CSV of names) on %s"},
    {"GET", "/api/v1/pressure/screen/counterparties", WL_ACCESS_ANYONE, 0, get_counterparties, 0,
     NULL},
    {"*", "/api/v1/pressure/screen/counterparties", WL_ACCESS_ANYONE, 0, NULL, 0,
     "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
