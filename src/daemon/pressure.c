/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module over HTTP (issue 12): public reads of the designations
 * that pressure.designation entries stored, and screening against them.
 *   GET /api/v1/pressure/subjects[?source=LIST][&after=NEXT][&limit=N]
 *     the designations by (source, subject), a page at a time ("next": the
 *     cursor of the page after)
 *   GET /api/v1/pressure/screen?name=NAME[&dob=YYYY[-MM[-DD]]][&country=C][&limit=N]
 *     the candidates among the listed designations, each with its score and
 *     why, never a verdict; "data_version": the log's size the index was
 *     built from. The index (lib/pressure/views.c over the names engine) is
 *     built again when the committed log has grown, and kept.
 * docs/internals/pressure.md, "The kinds".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/limits.h"
#include "willing/pressure.h"

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result get_subjects(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *source = arg(c, "source"), *after = arg(c, "after");
    uint64_t limit = WL_PRESSURE_PAGE_DEFAULT;
    wl_store *s = wl_thread_store();
    json_t *out = NULL;
    wl_error err;
    wl_rc rc;

    if (wl_query_u64(c, "limit", &limit) || limit < 1 || limit > WL_PRESSURE_PAGE_MAX ||
        (source && (*source == '\0' || strlen(source) > 64)))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "source: a list (1-64 bytes); after: a page's next; limit: 1-%u",
                                WL_PRESSURE_PAGE_MAX);
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_pressure_subjects(s, source, after, limit, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return rc == WL_ERR_INVALID
                   ? wl_respond_error(c, MHD_HTTP_BAD_REQUEST, err.code, "%s", err.msg)
                   : wl_respond_refused(c, &err);
    return wl_respond_json(c, MHD_HTTP_OK, out);
}

/* The index of the committed log's size and the names context that reads with it, under mu. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static wl_pressure_index *cached;
static wl_names *names;

/* The index of the log's size now, built if the log has grown: under mu. */
static wl_rc current(wl_store *s, wl_error *err)
{
    uint64_t size = 0;
    wl_pressure_index *pi = NULL;
    wl_rc rc;
    if (names == NULL && (rc = wl_names_open(&names, err)) != WL_OK)
        return rc;
    if ((rc = wl_store_begin_read(s)) != WL_OK)
        return wl_error_set(err, rc, "storage", "the ledger cannot be read");
    if ((rc = wl_store_size(s, &size)) != WL_OK)
        wl_error_set(err, rc, "storage", "pressure: cannot read the log's size");
    else if (cached == NULL || wl_pressure_index_version(cached) != size)
        rc = wl_pressure_index_build(s, names, size, &pi, err);
    (void)!wl_store_commit(s);
    if (rc == WL_OK && pi) {
        wl_pressure_index_free(cached);
        cached = pi;
    }
    return rc;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" into d; 0 when good. */
static int parse_dob(const char *t, wl_name_date *d)
{
    size_t n = strlen(t);
    if ((n != 4 && n != 7 && n != 10) || strspn(t, "0123456789") != 4 ||
        (n >= 7 && (t[4] != '-' || strspn(t + 5, "0123456789") != 2)) ||
        (n == 10 && (t[7] != '-' || strspn(t + 8, "0123456789") != 2)))
        return -1;
    d->year = atoi(t);
    d->month = n >= 7 ? (unsigned)atoi(t + 5) : 0;
    d->day = n == 10 ? (unsigned)atoi(t + 8) : 0;
    return d->year < 1 || d->month > 12 || d->day > 31 || (n >= 7 && d->month < 1) ||
                   (n == 10 && d->day < 1)
               ? -1
               : 0;
}

static enum MHD_Result get_screen(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *dob = arg(c, "dob"), *country = arg(c, "country");
    wl_names_query q = {.name = arg(c, "name"), .country = country};
    uint64_t limit = WL_SCREEN_LIMIT_DEFAULT;
    wl_store *s = wl_thread_store();
    json_t *out = NULL;
    wl_error err = {0};
    wl_rc rc;

    if (q.name == NULL || *q.name == '\0')
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query", "name: the name to screen");
    if (wl_query_u64(c, "limit", &limit) || limit < 1 || limit > WL_SCREEN_LIMIT_MAX ||
        (dob && parse_dob(dob, &q.dob) != 0) ||
        (country && (*country == '\0' || strlen(country) > 512)))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "dob: YYYY, YYYY-MM or YYYY-MM-DD; country: 1-512 bytes; "
                                "limit: 1-%u",
                                WL_SCREEN_LIMIT_MAX);
    q.limit = (size_t)limit;
    /* the name's own checks first: a refused name needs no index */
    if (wl_names_check(q.name, strlen(q.name), NULL, &err) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, err.code, "name: %s", err.msg);
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    pthread_mutex_lock(&mu);
    if ((rc = current(s, &err)) == WL_OK)
        rc = wl_pressure_screen(names, cached, &q, &out, &err);
    pthread_mutex_unlock(&mu);
    if (rc == WL_ERR_INVALID || rc == WL_ERR_TOO_LARGE)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, err.code, "name: %s", err.msg);
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    return wl_respond_json(c, MHD_HTTP_OK, out);
}

const wl_route wl_routes_pressure[] = {
    {"GET", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, get_subjects, 0, NULL},
    {"GET", "/api/v1/pressure/screen", WL_ACCESS_ANYONE, 0, get_screen, 0, NULL},
    {"*", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/pressure/screen", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
