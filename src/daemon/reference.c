/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Third-party reference data over HTTP (issue 9, point 8): public reads of
 * what reference.batch entries stored, each answer attributed to its source
 * and marked third_party, never mixed with members' flows.
 *   GET /api/v1/reference/totals?source=kiel-ust&by=donor[&release=R][&format=csv]
 *     per donor, currency and type (military, financial, humanitarian), the
 *     allocations and commitments apart, summed exactly
 *   GET /api/v1/reference?source=kiel-ust[&donor=D][&release=R][&offset=N][&limit=N]
 *     the rows, a page at a time (next_offset: where the next page starts)
 * The views are lib/flows/reference_views.c; docs/internals/flows.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/csv.h"
#include "willing/reference.h"

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* source and release of the query; 0, or -1 after the 400 is queued in *ret. */
static int source_release(struct MHD_Connection *c, const char **source, const char **release,
                          enum MHD_Result *ret)
{
    *source = arg(c, "source");
    *release = arg(c, "release");
    if (*source == NULL || !wl_valid_member_id(*source, strlen(*source)) ||
        (*release && (**release == '\0' || strlen(*release) > WL_REF_TEXT_BYTES))) {
        *ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "source: a source id such as kiel-ust; release: 1-%u bytes",
                                WL_REF_TEXT_BYTES);
        return -1;
    }
    return 0;
}

static enum MHD_Result get_totals(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *source, *release, *by = arg(c, "by"), *format = arg(c, "format");
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_buf csv = {0};
    wl_error err;
    wl_rc rc;

    if (source_release(c, &source, &release, &ret) != 0)
        return ret;
    if ((by && strcmp(by, "donor") != 0) ||
        (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "by: donor; format: json or csv");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    /* one read snapshot: the release, its rows and its parts agree */
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_ref_totals(s, source, release, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    if (format == NULL || strcmp(format, "csv") != 0)
        return wl_respond_json(c, MHD_HTTP_OK, out);
    rc = wl_ref_totals_csv(out, &csv, WL_CSV_MAX_BYTES);
    json_decref(out);
    if (rc != WL_OK) {
        wl_buf_free(&csv);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too_large",
                                "the totals pass the CSV limit of %u bytes", WL_CSV_MAX_BYTES);
    }
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", csv.buf, csv.len, "no-cache");
    wl_buf_free(&csv);
    return ret;
}

static enum MHD_Result get_rows(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *source, *release, *donor = arg(c, "donor");
    uint64_t offset = 0, limit = WL_REF_PAGE_DEFAULT;
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_error err;
    wl_rc rc;

    if (source_release(c, &source, &release, &ret) != 0)
        return ret;
    if (wl_query_u64(c, "offset", &offset) || wl_query_u64(c, "limit", &limit) || limit < 1 ||
        limit > WL_REF_PAGE_MAX || offset > INT64_MAX ||
        (donor && (donor[0] == '\0' || strlen(donor) > WL_REF_TEXT_BYTES)))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "offset: a whole number; limit: 1-%u; donor: 1-%u bytes",
                                WL_REF_PAGE_MAX, WL_REF_TEXT_BYTES);
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_ref_rows(s, source, release, donor, offset, limit, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    /* the next page: the same query from where this one ends */
    if (json_is_true(json_object_get(out, "more")))
        json_object_set_new(out, "next_offset", json_integer((json_int_t)(offset + limit)));
    json_object_del(out, "more");
    return wl_respond_json(c, MHD_HTTP_OK, out);
}

const wl_route wl_routes_reference[] = {
    {"GET", "/api/v1/reference/totals", WL_ACCESS_ANYONE, 0, get_totals, 0, NULL},
    {"GET", "/api/v1/reference", WL_ACCESS_ANYONE, 0, get_rows, 0, NULL},
    {"*", "/api/v1/reference/totals", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/reference", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
