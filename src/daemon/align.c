/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alignment over HTTP (issue 12, point 4), public:
 *   GET /api/v1/pressure/alignment        the matrix of member lists (JSON)
 *   GET /api/v1/pressure/alignment.csv    the same pairs as CSV
 *   GET /api/v1/pressure/alignment/subjects[?by=L][&not=L][&after=NEXT][&limit=N]
 *     every subject (designations grouped across lists), its lists and since when
 *   GET /api/v1/pressure/alignment/gaps?by=X&not=Y[&after=NEXT][&limit=N]
 *   GET /api/v1/pressure/alignment/gaps.csv?by=X&not=Y
 *     the subjects X designates and Y does not
 * Every answer says "data_version", the log's size the alignment was built
 * from: still the truth of what it reads, since it is rebuilt only when that
 * changes (the designations' or decisions' largest entry index, or the public
 * members, moved), not after a write of another kind. It is built under one
 * mutex with the one names context it needs (lib/pressure/align.c), and kept:
 * each view is then a walk over it, outside the mutex, the alignment held by a
 * count of its readers (a rebuild frees the one it replaces when its last
 * reader is done). docs/internals/pressure.md, "Alignment".
 */
#include <pthread.h>
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/limits.h"
#include "willing/pressure_align.h"

/* An alignment and who holds it: the cache while it is current, and each view reading it. */
typedef struct {
    wl_pressure_align *a;
    unsigned holders;
} held;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* cached, names, every holders */
static held *cached;
static wl_names *names;

/* Under mu: h let go of; freed by its last holder. */
static void let_go(held *h)
{
    if (h && --h->holders == 0) {
        wl_pressure_align_free(h->a);
        wl_free(h);
    }
}

/* What the alignment reads, by the numbers that move when it is written. */
typedef struct {
    uint64_t designation, decision, members, member;
} stamp;
static stamp cached_stamp;

static wl_rc stamp_read(wl_store *s, stamp *t, wl_error *err)
{
    wl_rc rc = wl_store_pressure_last(s, &t->designation, &t->decision);
    if (rc == WL_OK)
        rc = wl_store_members_public(s, &t->members, &t->member);
    return rc == WL_OK ? WL_OK
                       : wl_error_set(err, rc, "storage", "pressure: cannot read the designations");
}

/* The alignment of the committed log as it is now, built if what it reads changed: under mu. */
static wl_rc current(wl_store *s, wl_error *err)
{
    uint64_t size = 0;
    stamp now = {0};
    wl_pressure_align *a = NULL;
    held *h;
    wl_rc rc;
    if (names == NULL && (rc = wl_names_open(&names, err)) != WL_OK)
        return rc;
    if ((rc = wl_store_begin_read(s)) != WL_OK)
        return wl_error_set(err, rc, "storage", "the ledger cannot be read");
    rc = stamp_read(s, &now, err);
    if (rc == WL_OK && (cached == NULL || memcmp(&now, &cached_stamp, sizeof now) != 0)) {
        if ((rc = wl_store_size(s, &size)) != WL_OK)
            wl_error_set(err, rc, "storage", "pressure: cannot read the log's size");
        else
            rc = wl_pressure_align_build(s, names, size, &a, err);
    }
    (void)!wl_store_commit(s);
    if (rc == WL_OK && a) {
        if ((h = wl_malloc(sizeof *h)) == NULL) {
            wl_pressure_align_free(a);
            return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
        }
        *h = (held){a, 1}; /* the cache's */
        let_go(cached);
        cached = h;
        cached_stamp = now;
    }
    return rc;
}

typedef enum { V_MATRIX, V_MATRIX_CSV, V_SUBJECTS, V_GAPS, V_GAPS_CSV } view;

static enum MHD_Result answer(wl_call *call, view v)
{
    struct MHD_Connection *c = call->c;
    const char *by = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "by");
    const char *not_by = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "not");
    const char *after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    uint64_t limit = WL_PRESSURE_PAGE_DEFAULT;
    wl_store *s = wl_thread_store();
    json_t *out = NULL;
    wl_buf csv = {0};
    wl_error err = {0};
    held *h = NULL;
    wl_rc rc;
    if (wl_query_u64(c, "limit", &limit) || limit < 1 || limit > WL_PRESSURE_PAGE_MAX)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query", "limit: 1-%u",
                                WL_PRESSURE_PAGE_MAX);
    if ((v == V_GAPS || v == V_GAPS_CSV) && (by == NULL || not_by == NULL))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "by and not: the list that designates, and the one that does not");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    pthread_mutex_lock(&mu);
    if ((rc = current(s, &err)) == WL_OK)
        (h = cached)->holders++;
    pthread_mutex_unlock(&mu);
    if (rc == WL_OK) { /* the view: read-only, outside mu */
        if (v == V_MATRIX)
            rc = wl_pressure_align_json(h->a, &out, &err);
        else if (v == V_MATRIX_CSV)
            rc = wl_pressure_align_csv(h->a, &csv, &err);
        else
            rc = wl_pressure_align_subjects(h->a, by, not_by, after, (size_t)limit,
                                            v == V_GAPS_CSV ? NULL : &out,
                                            v == V_GAPS_CSV ? &csv : NULL, &err);
        pthread_mutex_lock(&mu);
        let_go(h);
        pthread_mutex_unlock(&mu);
    }
    if (rc != WL_OK) {
        wl_buf_free(&csv);
        return rc == WL_ERR_INVALID
                   ? wl_respond_error(c, MHD_HTTP_BAD_REQUEST, err.code, "%s", err.msg)
                   : wl_respond_refused(c, &err);
    }
    if (out)
        return wl_respond_json(c, MHD_HTTP_OK, out);
    static const char *const nostore[] = {"Cache-Control", "no-store", NULL};
    return wl_respond_taken(c, MHD_HTTP_OK, "text/csv; charset=utf-8", csv.buf, csv.len, nostore);
}

static enum MHD_Result get_matrix(wl_call *call)
{
    return answer(call, V_MATRIX);
}

static enum MHD_Result get_matrix_csv(wl_call *call)
{
    return answer(call, V_MATRIX_CSV);
}

static enum MHD_Result get_subjects(wl_call *call)
{
    return answer(call, V_SUBJECTS);
}

static enum MHD_Result get_gaps(wl_call *call)
{
    return answer(call, V_GAPS);
}

static enum MHD_Result get_gaps_csv(wl_call *call)
{
    return answer(call, V_GAPS_CSV);
}

#define GET_ONLY(path)                                                                             \
    {                                                                                              \
        "*", path, WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"                              \
    }
const wl_route wl_routes_align[] = {
    {"GET", "/api/v1/pressure/alignment", WL_ACCESS_ANYONE, 0, get_matrix, 0, NULL},
    {"GET", "/api/v1/pressure/alignment.csv", WL_ACCESS_ANYONE, 0, get_matrix_csv, 0, NULL},
    {"GET", "/api/v1/pressure/alignment/subjects", WL_ACCESS_ANYONE, 0, get_subjects, 0, NULL},
    {"GET", "/api/v1/pressure/alignment/gaps", WL_ACCESS_ANYONE, 0, get_gaps, 0, NULL},
    {"GET", "/api/v1/pressure/alignment/gaps.csv", WL_ACCESS_ANYONE, 0, get_gaps_csv, 0, NULL},
    GET_ONLY("/api/v1/pressure/alignment"),
    GET_ONLY("/api/v1/pressure/alignment.csv"),
    GET_ONLY("/api/v1/pressure/alignment/subjects"),
    GET_ONLY("/api/v1/pressure/alignment/gaps"),
    GET_ONLY("/api/v1/pressure/alignment/gaps.csv"),
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
