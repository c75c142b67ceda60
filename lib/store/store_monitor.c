/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor family of the store (store/store_monitor.h): table
 * reports, one row per monitor.report entry, read by index, by observed day,
 * by type and by author, and their observed times over a range of days (the timeline);
 * report_logged, when the log sequenced each; report_overrides, the
 * monitors' splits and merges of incidents (monitor.split, monitor.merge).
 */
#include "store/store_int.h"

enum {
    Q_PUT,
    Q_LOGGED,
    Q_GET,
    Q_ALL,
    Q_DAY,
    Q_TYPE,
    Q_DAY_TYPE,
    Q_AUTHOR,
    Q_TIMES,
    Q_TIMES_TYPE,
    Q_POINTS,
    Q_OV_PUT,
    Q_OV_ALL,
    Q_OV_COUNT,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

#define COLS                                                                                       \
    "r.idx, r.author, r.observed, r.precision_s, r.signed, r.day, r.type, r.lon, r.lat, "          \
    "r.radius_m, r.oblast, r.settlement, r.count, r.body, coalesce(l.at, 0)"
#define FROM " FROM reports r LEFT JOIN report_logged l ON l.idx = r.idx "

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT INTO reports(idx, author, observed, precision_s, signed, day, type, lon, "
              "lat, radius_m, oblast, settlement, count, body) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_LOGGED] = "INSERT INTO report_logged(idx, at) VALUES(?1, ?2)",
    [Q_GET] = "SELECT " COLS FROM "WHERE r.idx = ?1",
    [Q_ALL] = "SELECT " COLS FROM "WHERE r.idx > ?1 ORDER BY r.idx LIMIT ?2",
    [Q_DAY] = "SELECT " COLS FROM "WHERE r.day = ?3 AND r.idx > ?1 ORDER BY r.idx LIMIT ?2",
    [Q_TYPE] = "SELECT " COLS FROM "WHERE r.type = ?4 AND r.idx > ?1 ORDER BY r.idx LIMIT ?2",
    [Q_DAY_TYPE] = "SELECT " COLS FROM
                   "WHERE r.day = ?3 AND r.type = ?4 AND r.idx > ?1 ORDER BY r.idx LIMIT ?2",
    [Q_AUTHOR] = "SELECT " COLS FROM "WHERE r.author = ?3 AND r.idx > ?1 ORDER BY r.idx LIMIT ?2",
    [Q_TIMES] = "SELECT observed, type FROM reports WHERE day >= ?1 AND day <= ?2",
    [Q_TIMES_TYPE] =
        "SELECT observed, type FROM reports WHERE day >= ?1 AND day <= ?2 AND type = ?3",
    [Q_POINTS] = "SELECT idx, observed, precision_s, type, lon, lat, radius_m FROM reports "
                 "WHERE idx > ?1 AND lon IS NOT NULL ORDER BY idx LIMIT ?2",
    [Q_OV_PUT] = "INSERT INTO report_overrides(idx, op, author, reports, reason) "
                 "VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_OV_ALL] = "SELECT idx, op, author, reports, reason FROM report_overrides ORDER BY idx",
    [Q_OV_COUNT] = "SELECT count(*) FROM report_overrides",
};
const wl_sq_family wl_sq_monitor = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_MONITOR, q);
}

wl_rc wl_store_report_put(wl_store *s, const wl_store_report *r)
{
    wl_st *st = stmt(s, Q_PUT);
    wl_rc rc;
    if (r->idx > INT64_MAX)
        return WL_ERR_INVALID;
    wl_st_bind_int64(st, 1, (int64_t)r->idx);
    wl_st_bind_text(st, 2, r->author, -1);
    wl_st_bind_int64(st, 3, r->observed);
    wl_st_bind_int64(st, 4, (int64_t)r->precision_s);
    wl_st_bind_int64(st, 5, r->signed_at);
    wl_st_bind_text(st, 6, r->day, -1);
    wl_st_bind_text(st, 7, r->type, -1);
    if (r->has_point) {
        wl_st_bind_double(st, 8, r->lon);
        wl_st_bind_double(st, 9, r->lat);
        wl_st_bind_int64(st, 10, (int64_t)r->radius_m);
    } else {
        wl_st_bind_text(st, 11, r->oblast, -1);
        if (r->settlement && r->settlement[0])
            wl_st_bind_text(st, 12, r->settlement, -1);
    }
    wl_st_bind_int64(st, 13, (int64_t)r->count);
    wl_st_bind_text(st, 14, r->body, -1);
    if ((rc = step_done(st)) != WL_OK)
        return rc;
    st = stmt(s, Q_LOGGED);
    wl_st_bind_int64(st, 1, (int64_t)r->idx);
    wl_st_bind_int64(st, 2, r->logged);
    return step_done(st);
}

/* Gives fn each row up to limit; a row past it sets *more and ends the walk. */
static wl_rc walk(wl_st *st, unsigned limit, wl_store_report_fn fn, void *ctx, unsigned *n,
                  bool *more)
{
    wl_store_report r;
    wl_rc rc = WL_OK;
    int q = WL_DB_DONE;
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        if (*n == limit) {
            *more = true;
            q = WL_DB_DONE;
            break;
        }
        memset(&r, 0, sizeof r);
        r.idx = (uint64_t)wl_st_col_int64(st, 0);
        col_str(st, 1, r.author, sizeof r.author);
        r.observed = wl_st_col_int64(st, 2);
        r.precision_s = (uint64_t)wl_st_col_int64(st, 3);
        r.signed_at = wl_st_col_int64(st, 4);
        col_str(st, 5, r.day, sizeof r.day);
        col_str(st, 6, r.type, sizeof r.type);
        r.has_point = wl_st_col_type(st, 7) != WL_DB_NULL;
        r.lon = wl_st_col_double(st, 7);
        r.lat = wl_st_col_double(st, 8);
        r.radius_m = (uint64_t)wl_st_col_int64(st, 9);
        col_str(st, 10, r.oblast, sizeof r.oblast);
        r.settlement = (const char *)wl_st_col_text(st, 11);
        r.count = (uint64_t)wl_st_col_int64(st, 12);
        r.body = (const char *)wl_st_col_text(st, 13);
        r.logged = wl_st_col_int64(st, 14);
        if (r.settlement == NULL)
            r.settlement = "";
        if (r.body == NULL) {
            rc = WL_ERR_NOMEM;
            break;
        }
        (*n)++;
        rc = fn(ctx, &r);
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_reports(wl_store *s, const char *day, const char *type, uint64_t after,
                       unsigned limit, wl_store_report_fn fn, void *ctx, bool *more)
{
    wl_st *st = stmt(s, day ? (type ? Q_DAY_TYPE : Q_DAY) : (type ? Q_TYPE : Q_ALL));
    unsigned n = 0;
    *more = false;
    if (after > INT64_MAX)
        return WL_OK;
    wl_st_bind_int64(st, 1, (int64_t)after);
    wl_st_bind_int64(st, 2, (int64_t)limit + 1); /* one more: whether a next page is */
    if (day)
        wl_st_bind_text(st, 3, day, -1);
    if (type)
        wl_st_bind_text(st, 4, type, -1);
    return walk(st, limit, fn, ctx, &n, more);
}

wl_rc wl_store_report_get(wl_store *s, uint64_t idx, wl_store_report_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_GET);
    unsigned n = 0;
    bool more = false;
    wl_rc rc;
    if (idx > INT64_MAX)
        return WL_ERR_NOT_FOUND;
    wl_st_bind_int64(st, 1, (int64_t)idx);
    rc = walk(st, 1, fn, ctx, &n, &more);
    return rc == WL_OK && n == 0 ? WL_ERR_NOT_FOUND : rc;
}

wl_rc wl_store_reports_by(wl_store *s, const char *author, uint64_t after, unsigned limit,
                          wl_store_report_fn fn, void *ctx, bool *more)
{
    wl_st *st = stmt(s, Q_AUTHOR);
    unsigned n = 0;
    *more = false;
    if (after > INT64_MAX)
        return WL_OK;
    wl_st_bind_int64(st, 1, (int64_t)after);
    wl_st_bind_int64(st, 2, (int64_t)limit + 1);
    wl_st_bind_text(st, 3, author, -1);
    return walk(st, limit, fn, ctx, &n, more);
}

wl_rc wl_store_report_times(wl_store *s, const char *from_day, const char *to_day, const char *type,
                            wl_store_report_time_fn fn, void *ctx)
{
    wl_st *st = stmt(s, type ? Q_TIMES_TYPE : Q_TIMES);
    wl_rc rc = WL_OK;
    int q = WL_DB_DONE;
    wl_st_bind_text(st, 1, from_day, -1);
    wl_st_bind_text(st, 2, to_day, -1);
    if (type)
        wl_st_bind_text(st, 3, type, -1);
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        const char *t = (const char *)wl_st_col_text(st, 1);
        rc = t ? fn(ctx, wl_st_col_int64(st, 0), t) : WL_ERR_NOMEM;
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_report_points(wl_store *s, uint64_t after, unsigned limit, wl_store_report_fn fn,
                             void *ctx, uint64_t *last)
{
    wl_st *st = stmt(s, Q_POINTS);
    wl_store_report r;
    wl_rc rc = WL_OK;
    int q = WL_DB_DONE;
    *last = after;
    if (after > INT64_MAX)
        return WL_OK;
    wl_st_bind_int64(st, 1, (int64_t)after);
    wl_st_bind_int64(st, 2, (int64_t)limit);
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        memset(&r, 0, sizeof r);
        r.idx = (uint64_t)wl_st_col_int64(st, 0);
        r.observed = wl_st_col_int64(st, 1);
        r.precision_s = (uint64_t)wl_st_col_int64(st, 2);
        col_str(st, 3, r.type, sizeof r.type);
        r.has_point = true;
        r.lon = wl_st_col_double(st, 4);
        r.lat = wl_st_col_double(st, 5);
        r.radius_m = (uint64_t)wl_st_col_int64(st, 6);
        r.settlement = "";
        r.body = "";
        *last = r.idx;
        rc = fn(ctx, &r);
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_override_put(wl_store *s, const wl_store_override *o)
{
    wl_st *st = stmt(s, Q_OV_PUT);
    if (o->idx > INT64_MAX)
        return WL_ERR_INVALID;
    wl_st_bind_int64(st, 1, (int64_t)o->idx);
    wl_st_bind_text(st, 2, o->op, -1);
    wl_st_bind_text(st, 3, o->author, -1);
    wl_st_bind_text(st, 4, o->reports, -1);
    wl_st_bind_text(st, 5, o->reason, -1);
    return step_done(st);
}

wl_rc wl_store_overrides(wl_store *s, wl_store_override_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_OV_ALL);
    wl_store_override o;
    wl_rc rc = WL_OK;
    int q = WL_DB_DONE;
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        memset(&o, 0, sizeof o);
        o.idx = (uint64_t)wl_st_col_int64(st, 0);
        o.op = (const char *)wl_st_col_text(st, 1);
        o.author = (const char *)wl_st_col_text(st, 2);
        o.reports = (const char *)wl_st_col_text(st, 3);
        o.reason = (const char *)wl_st_col_text(st, 4);
        rc = o.op && o.author && o.reports && o.reason ? fn(ctx, &o) : WL_ERR_NOMEM;
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_override_count(wl_store *s, uint64_t *n)
{
    wl_st *st = stmt(s, Q_OV_COUNT);
    int q = wl_st_step(st);
    wl_rc rc = q == WL_DB_ROW ? WL_OK : map_rc(q);
    *n = rc == WL_OK ? (uint64_t)wl_st_col_int64(st, 0) : 0;
    wl_st_reset(st);
    return rc;
}
