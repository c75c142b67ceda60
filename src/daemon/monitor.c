/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module's routes (docs/internals/monitor.md, "Routes"):
 *   GET /api/v1/reports            reports by observed day and type, a page at a time
 *   GET /api/v1/reports/<index>    one report
 *   GET /api/v1/monitor/map        a day's reports for the map, clustered, and UCDP's layer
 *   GET /api/v1/monitor/timeline   reports per day's period over the days before a day
 *   GET /api/v1/monitor/taxonomy   the report types and their lists, for forms
 * Public: reports are public entries. A report is written by posting its
 * entry (POST /api/v1/entries: the same bytes again answer 200 with the
 * original index). The views are lib/monitor/views.c's; this file is HTTP only.
 */
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/limits.h"
#include "willing/monitor.h"
#include "willing/entry.h" /* wl_valid_member_id */
#include "willing/note.h"  /* wl_parse_u64 */

static const char *arg(wl_call *call, const char *name)
{
    return MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result bad_query(wl_call *call, const char *what)
{
    return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query", "%s", what);
}

static enum MHD_Result get_reports(wl_call *call)
{
    const char *day = arg(call, "day"), *type = arg(call, "type"), *author = arg(call, "author");
    const char *after_s = arg(call, "after"), *limit_s = arg(call, "limit");
    wl_store *s = wl_thread_store();
    uint64_t after = 0, limit = WL_MONITOR_PAGE_DEFAULT;
    json_t *o = NULL;
    wl_rc rc;
    if (day && wl_date_days(day, false) < 1)
        return bad_query(call, "day: a UTC day, YYYY-MM-DD");
    if (type && !wl_monitor_in(wl_monitor_types, type))
        return bad_query(call, "type: a report type (docs/FORMAT.md, \"Monitors' reports\")");
    if (after_s && (wl_parse_u64(after_s, strlen(after_s), &after) != WL_OK || after > INT64_MAX))
        return bad_query(call, "after: an entry index");
    if (limit_s && (wl_parse_u64(limit_s, strlen(limit_s), &limit) != WL_OK || limit < 1 ||
                    limit > WL_MONITOR_PAGE_MAX))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "limit: 1 to %u reports", WL_MONITOR_PAGE_MAX);
    if (author && (day || type || !wl_valid_member_id(author, strlen(author))))
        return bad_query(call, "author: a member id, alone (without day or type)");
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    rc = author ? wl_monitor_reports_by(s, author, after, (unsigned)limit, &o)
                : wl_monitor_reports(s, day, type, after, (unsigned)limit, &o);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "cannot read the reports");
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

static enum MHD_Result get_report(wl_call *call)
{
    wl_store *s = wl_thread_store();
    uint64_t idx = 0;
    json_t *o = NULL;
    wl_rc rc;
    if (wl_parse_u64(call->rest, strlen(call->rest), &idx) != WL_OK || idx > INT64_MAX)
        return bad_query(call, "a report is named by its entry index: GET /api/v1/reports/<index>");
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    rc = wl_monitor_report_show(s, idx, &o);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "unknown_report",
                                "entry %s is not a report", call->rest);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "cannot read the report");
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

/* A view read on one snapshot of the store; its refusal or its answer. */
static enum MHD_Result answer_view(wl_call *call, wl_rc rc, json_t *o, wl_error *err)
{
    if (rc == WL_ERR_INVALID)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, err->code, "%s", err->msg);
    if (rc == WL_ERR_TOO_LARGE)
        return wl_respond_error(call->c, MHD_HTTP_CONTENT_TOO_LARGE, err->code, "%s", err->msg);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE,
                                err->code ? err->code : "storage", "%s",
                                err->code ? err->msg : "cannot read the reports");
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

static enum MHD_Result get_map(wl_call *call)
{
    const char *day = arg(call, "day"), *type = arg(call, "type"), *zoom_s = arg(call, "zoom");
    wl_store *s = wl_thread_store();
    uint64_t zoom = WL_MAP_ZOOM_DEFAULT;
    wl_error err = {0};
    json_t *o = NULL;
    wl_rc rc;
    if (day == NULL || wl_date_days(day, false) < 1)
        return wl_respond_error(
            call->c, MHD_HTTP_BAD_REQUEST, "bad_day",
            "day: a day YYYY-MM-DD, required: /api/v1/monitor/map?day=2026-11-30");
    if (type && !wl_monitor_in(wl_monitor_types, type))
        return bad_query(call, "type: a report type (docs/FORMAT.md, \"Monitors' reports\")");
    if (zoom_s && (wl_parse_u64(zoom_s, strlen(zoom_s), &zoom) != WL_OK || zoom > WL_MAP_ZOOM_MAX))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query", "zoom: 0 to %u",
                                WL_MAP_ZOOM_MAX);
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    rc = wl_monitor_map(s, day, type, (unsigned)zoom, &o, &err);
    (void)!wl_store_commit(s);
    return answer_view(call, rc, o, &err);
}

static enum MHD_Result get_timeline(wl_call *call)
{
    const char *to = arg(call, "to"), *type = arg(call, "type"), *days_s = arg(call, "days");
    wl_store *s = wl_thread_store();
    uint64_t days = WL_MAP_TIMELINE_DAYS;
    wl_error err = {0};
    json_t *o = NULL;
    wl_rc rc;
    if (to == NULL || wl_date_days(to, false) < 1)
        return wl_respond_error(
            call->c, MHD_HTTP_BAD_REQUEST, "bad_day",
            "to: a day YYYY-MM-DD, required: /api/v1/monitor/timeline?to=2026-11-30");
    if (type && !wl_monitor_in(wl_monitor_types, type))
        return bad_query(call, "type: a report type (docs/FORMAT.md, \"Monitors' reports\")");
    if (days_s && (wl_parse_u64(days_s, strlen(days_s), &days) != WL_OK || days < 1 ||
                   days > WL_MAP_TIMELINE_MAX))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query", "days: 1 to %u",
                                WL_MAP_TIMELINE_MAX);
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    rc = wl_monitor_timeline(s, to, (unsigned)days, type, &o, &err);
    (void)!wl_store_commit(s);
    return answer_view(call, rc, o, &err);
}

static enum MHD_Result get_taxonomy(wl_call *call)
{
    json_t *o = NULL;
    if (wl_monitor_taxonomy(&o) != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "internal", "out of memory");
    return wl_respond_json(call->c, MHD_HTTP_OK, o);
}

const wl_route wl_routes_monitor[] = {
    {"GET", "/api/v1/monitor/map", WL_ACCESS_ANYONE, 0, get_map, 0, NULL},
    {"GET", "/api/v1/monitor/timeline", WL_ACCESS_ANYONE, 0, get_timeline, 0, NULL},
    {"GET", "/api/v1/monitor/taxonomy", WL_ACCESS_ANYONE, 0, get_taxonomy, 0, NULL},
    {"*", "/api/v1/monitor/*", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"GET", "/api/v1/reports", WL_ACCESS_ANYONE, 0, get_reports, 0, NULL},
    {"GET", "/api/v1/reports/*", WL_ACCESS_ANYONE, 0, get_report, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
