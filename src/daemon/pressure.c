/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module over HTTP (issue 12): public reads of the designations
 * that pressure.designation entries stored (screening against them: screen.c).
 *   GET /api/v1/pressure/subjects[?source=LIST][&after=NEXT][&limit=N]
 *     the designations by (source, subject), a page at a time ("next": the
 *     cursor of the page after)
 *   GET /api/v1/pressure/snapshots[?list=LIST]      the import snapshots, by
 *   GET /api/v1/pressure/snapshots.csv[?list=LIST]  (list, entry); data_version
 *     the log's size of the read
 * docs/internals/pressure.md, "The kinds" and "Importing a list".
 */
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

static enum MHD_Result snapshots(wl_call *call, bool as_csv)
{
    struct MHD_Connection *c = call->c;
    const char *list = arg(c, "list");
    static const char *const nostore[] = {"Cache-Control", "no-store", NULL};
    wl_store *s = wl_thread_store();
    uint64_t size = 0;
    json_t *out = NULL;
    wl_buf csv = {0};
    wl_error err;
    wl_rc rc;

    if (list && (*list == '\0' || strlen(list) > 64))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query", "list: a list (1-64 bytes)");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        if ((rc = wl_store_size(s, &size)) != WL_OK)
            wl_error_set(&err, rc, "storage", "pressure: cannot read the log's size");
        else
            rc = wl_pressure_snapshots(s, list, size, as_csv ? NULL : &out, as_csv ? &csv : NULL,
                                       &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK) {
        wl_buf_free(&csv);
        return wl_respond_refused(c, &err);
    }
    if (!as_csv)
        return wl_respond_json(c, MHD_HTTP_OK, out);
    return wl_respond_taken(c, MHD_HTTP_OK, "text/csv; charset=utf-8", csv.buf, csv.len, nostore);
}

static enum MHD_Result get_snapshots(wl_call *call)
{
    return snapshots(call, false);
}

static enum MHD_Result get_snapshots_csv(wl_call *call)
{
    return snapshots(call, true);
}

const wl_route wl_routes_pressure[] = {
    {"GET", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, get_subjects, 0, NULL},
    {"*", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"GET", "/api/v1/pressure/snapshots", WL_ACCESS_ANYONE, 0, get_snapshots, 0, NULL},
    {"*", "/api/v1/pressure/snapshots", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"GET", "/api/v1/pressure/snapshots.csv", WL_ACCESS_ANYONE, 0, get_snapshots_csv, 0, NULL},
    {"*", "/api/v1/pressure/snapshots.csv", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
