/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History over HTTP (issue 11, point 5): public reads of UCDP's events that
 * history.batch entries stored, each answer attributed to UCDP and marked
 * historical, never mixed with monitors' reports.
 *   GET /api/v1/history[?release=R][&format=csv]
 *     the yearly counts of events and deaths (best, high, low) by type of
 *     violence, as UCDP's own figures
 *   GET /api/v1/history/events[?from=D][&to=D][&bbox=W,S,E,N][&type=1-3]
 *       [&release=R][&offset=N][&limit=N][&format=csv]
 *     the events whose days overlap [from, to] inside the box, for the map,
 *     a page at a time (next_offset: where the next page starts)
 * The views are lib/monitor/history_views.c; docs/internals/monitor.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/csv.h"
#include "willing/entry.h"
#include "willing/history.h"

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/*
 * A day YYYY-MM-DD that exists, by the calendar parser every route uses
 * (wl_date_days: 2026-13-45 or 2026-02-30 is not one); from 1970 (UCDP's
 * events begin in 1989), since wl_date_days answers -1 for a bad day.
 */
static int day_ok(const char *s)
{
    return wl_date_days(s, false) >= 0;
}

/* W,S,E,N in degrees; 0 when good. */
static int parse_bbox(const char *s, wl_history_query *q)
{
    double v[4];
    char *end;
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno || (i < 3 && *end != ',') || (i == 3 && *end != '\0'))
            return -1;
        p = end + 1;
    }
    if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] > v[2] || v[1] > v[3])
        return -1;
    q->box = true;
    q->west = v[0], q->south = v[1], q->east = v[2], q->north = v[3];
    return 0;
}

/* release and format; 0, or -1 after the 400 is queued in *ret. */
static int common_args(struct MHD_Connection *c, const char **release, bool *csv,
                       enum MHD_Result *ret)
{
    const char *format = arg(c, "format");
    *release = arg(c, "release");
    *csv = format && strcmp(format, "csv") == 0;
    if ((*release && !wl_valid_member_id(*release, strlen(*release))) ||
        (format && strcmp(format, "json") != 0 && !*csv)) {
        *ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "release: such as 24.1; format: json or csv");
        return -1;
    }
    return 0;
}

static enum MHD_Result answer(struct MHD_Connection *c, json_t *out, bool csv,
                              wl_rc (*to_csv)(const json_t *, wl_buf *, size_t))
{
    enum MHD_Result ret;
    wl_buf b = {0};
    wl_rc rc;
    if (!csv)
        return wl_respond_json(c, MHD_HTTP_OK, out);
    rc = to_csv(out, &b, WL_CSV_MAX_BYTES);
    json_decref(out);
    if (rc != WL_OK) {
        wl_buf_free(&b);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too_large",
                                "the answer passes the CSV limit of %u bytes", WL_CSV_MAX_BYTES);
    }
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", b.buf, b.len, "no-cache");
    wl_buf_free(&b);
    return ret;
}

static enum MHD_Result get_years(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *release;
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_error err;
    bool csv;
    wl_rc rc;

    if (common_args(c, &release, &csv, &ret) != 0)
        return ret;
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    /* one read snapshot: the release, its parts and its counts agree */
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_history_years(s, release, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    return answer(c, out, csv, wl_history_years_csv);
}

static enum MHD_Result get_events(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *bbox = arg(c, "bbox");
    wl_history_query q = {.limit = WL_HISTORY_PAGE_DEFAULT};
    uint64_t type = 0;
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_error err;
    bool csv;
    wl_rc rc;

    if (common_args(c, &q.release, &csv, &ret) != 0)
        return ret;
    q.from = arg(c, "from");
    q.to = arg(c, "to");
    if (wl_query_u64(c, "offset", &q.offset) || wl_query_u64(c, "limit", &q.limit) || q.limit < 1 ||
        q.limit > WL_HISTORY_PAGE_MAX || q.offset > INT64_MAX || wl_query_u64(c, "type", &type) ||
        type > 3 || (arg(c, "type") && type < 1) || (q.from && !day_ok(q.from)) ||
        (q.to && !day_ok(q.to)) || (bbox && parse_bbox(bbox, &q) != 0))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "from, to: days YYYY-MM-DD; bbox: west,south,east,north in "
                                "degrees; type: 1-3; offset: a whole number; limit: 1-%u",
                                WL_HISTORY_PAGE_MAX);
    q.type = (int)type;
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_history_events(s, &q, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return wl_respond_refused(c, &err);
    /* the next page: the same query from where this one ends */
    if (json_is_true(json_object_get(out, "more")))
        json_object_set_new(out, "next_offset", json_integer((json_int_t)(q.offset + q.limit)));
    json_object_del(out, "more");
    return answer(c, out, csv, wl_history_events_csv);
}

const wl_route wl_routes_history[] = {
    {"GET", "/api/v1/history/events", WL_ACCESS_ANYONE, 0, get_events, 0, NULL},
    {"GET", "/api/v1/history", WL_ACCESS_ANYONE, 0, get_years, 0, NULL},
    {"*", "/api/v1/history/events", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/history", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
