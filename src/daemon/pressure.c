/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module over HTTP (issue 12): public reads of the designations
 * that pressure.designation entries stored (screening against them: screen.c).
 *   GET /api/v1/pressure/subjects[?source=LIST][&after=NEXT][&limit=N]
 *     the designations by (source, subject), a page at a time ("next": the
 *     cursor of the page after)
 * docs/internals/pressure.md, "The kinds".
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

const wl_route wl_routes_pressure[] = {
    {"GET", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, get_subjects, 0, NULL},
    {"*", "/api/v1/pressure/subjects", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
