/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitors' map and timeline (include/willing/monitor.h): the reports of
 * one day's period (the daily report's, 19:30 to 19:30 Kyiv time) in a compact
 * form, clustered on a grid whose cells follow the map's zoom, those naming an
 * oblast grouped by oblast, and UCDP's events of that day as a separate,
 * attributed layer; and how many reports each day's period held, for the
 * timeline. Public: reports are public entries. docs/internals/monitor.md
 * ("The map and the timeline").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/daily.h"
#include "willing/history.h"
#include "willing/limits.h"
#include "willing/monitor.h"

typedef struct {
    uint64_t idx, count, radius_m;
    double lon, lat;
    int64_t row, col; /* the grid cell */
    unsigned type;    /* its place in wl_monitor_types */
} pt;

typedef struct {
    wl_daily_period p;
    pt *v;
    size_t n, cap;
    json_t *oblasts; /* id -> {"oblast", "name", "reports", "count", "by_type", "indexes"} */
    double cell_lon, cell_lat;
    uint64_t last, total;
    wl_error *err;
} map_ctx;

static unsigned type_of(const char *t)
{
    unsigned i = 0;
    while (wl_monitor_types[i] && strcmp(wl_monitor_types[i], t) != 0)
        i++;
    return i;
}

static wl_rc nomem(wl_error *err)
{
    return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (the map)");
}

/* Adds one to by_type[type] of o. */
static int bump(json_t *o, const char *type)
{
    json_t *by = json_object_get(o, "by_type"), *n;
    if (by == NULL)
        return -1;
    n = json_object_get(by, type);
    return json_object_set_new(by, type, json_integer(n ? json_integer_value(n) + 1 : 1));
}

static wl_rc by_oblast(map_ctx *m, const wl_store_report *r)
{
    json_t *o = json_object_get(m->oblasts, r->oblast), *ix;
    const char *name = wl_monitor_oblast_name(r->oblast);
    if (o == NULL) {
        o = json_pack("{s:s, s:s, s:I, s:I, s:{}, s:[]}", "oblast", r->oblast, "name",
                      name ? name : r->oblast, "reports", (json_int_t)0, "count", (json_int_t)0,
                      "by_type", "indexes");
        if (o == NULL || json_object_set_new(m->oblasts, r->oblast, o) != 0)
            return nomem(m->err);
    }
    ix = json_object_get(o, "indexes");
    if (json_array_append_new(ix, json_integer((json_int_t)r->idx)) != 0 ||
        json_object_set_new(o, "reports", json_integer((json_int_t)json_array_size(ix))) != 0 ||
        json_object_set_new(o, "count",
                            json_integer(json_integer_value(json_object_get(o, "count")) +
                                         (json_int_t)r->count)) != 0 ||
        bump(o, r->type) != 0)
        return nomem(m->err);
    return WL_OK;
}

static wl_rc take(void *ctx, const wl_store_report *r)
{
    map_ctx *m = ctx;
    pt *x;
    m->last = r->idx;
    if (r->observed < m->p.from || r->observed >= m->p.to)
        return WL_OK;
    if (++m->total > WL_MAP_REPORTS_MAX)
        return wl_error_set(m->err, WL_ERR_TOO_LARGE, "too_large",
                            "more than %u reports in the day's period", WL_MAP_REPORTS_MAX);
    if (!r->has_point)
        return by_oblast(m, r);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        pt *v = wl_realloc(m->v, cap * sizeof *v);
        if (v == NULL)
            return nomem(m->err);
        m->v = v;
        m->cap = cap;
    }
    x = &m->v[m->n++];
    x->idx = r->idx;
    x->count = r->count;
    x->radius_m = r->radius_m;
    x->lon = r->lon;
    x->lat = r->lat;
    x->row = (int64_t)floor(r->lat / m->cell_lat);
    x->col = (int64_t)floor(r->lon / m->cell_lon);
    x->type = type_of(r->type);
    return WL_OK;
}

/* The store's pages of one UTC day, from the first index on. */
static wl_rc read_day(wl_store *s, map_ctx *m, int64_t days, const char *type)
{
    char day[11];
    bool more = true;
    wl_rc rc = WL_OK;
    wl_days_date(days, day);
    m->last = 0;
    while (rc == WL_OK && more) {
        rc = wl_store_reports(s, day, type, m->last, WL_DAILY_PAGE, take, m, &more);
        if (rc != WL_OK && m->err->code == NULL)
            rc = wl_error_set(m->err, rc, "storage", "cannot read the reports");
    }
    return rc;
}

static int by_cell(const void *a, const void *b)
{
    const pt *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_index(const void *a, const void *b)
{
    const pt *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static json_t *point_json(const pt *x)
{
    return json_pack("{s:I, s:f, s:f, s:I, s:s, s:I}", "index", (json_int_t)x->idx, "lon", x->lon,
                     "lat", x->lat, "radius_m", (json_int_t)x->radius_m, "type",
                     wl_monitor_types[x->type], "count", (json_int_t)x->count);
}

/* v[0..n) one cell's reports (n >= 2): their mean point, sums and bounds. */
static json_t *cluster_json(const map_ctx *m, const pt *v, size_t n)
{
    double lon = 0, lat = 0, w = v[0].lon, e = v[0].lon, s = v[0].lat, no = v[0].lat;
    uint64_t count = 0, by[16] = {0};
    json_t *types = json_object(), *o;
    for (size_t i = 0; i < n; i++) {
        lon += v[i].lon, lat += v[i].lat, count += v[i].count;
        w = fmin(w, v[i].lon), e = fmax(e, v[i].lon);
        s = fmin(s, v[i].lat), no = fmax(no, v[i].lat);
        if (v[i].type < 16)
            by[v[i].type]++;
    }
    for (unsigned t = 0; types && t < 16 && wl_monitor_types[t]; t++)
        if (by[t] &&
            json_object_set_new(types, wl_monitor_types[t], json_integer((json_int_t)by[t])) != 0) {
            json_decref(types);
            types = NULL;
        }
    if (types == NULL)
        return NULL;
    o = json_pack("{s:f, s:f, s:I, s:I, s:o, s:[f, f, f, f], s:[f, f, f, f]}", "lon", lon / n,
                  "lat", lat / n, "reports", (json_int_t)n, "count", (json_int_t)count, "by_type",
                  types, "bounds", w, s, e, no, "cell", (double)v[0].col * m->cell_lon,
                  (double)v[0].row * m->cell_lat, (double)(v[0].col + 1) * m->cell_lon,
                  (double)(v[0].row + 1) * m->cell_lat);
    return o;
}

/* Points alone in their cell (or all, when not clustering) and clusters of the rest. */
static wl_rc place(map_ctx *m, bool cluster, json_t *points, json_t *clusters)
{
    size_t i = 0, j;
    pt *singles;
    size_t ns = 0;
    if (m->n == 0)
        return WL_OK;
    if (!cluster) {
        qsort(m->v, m->n, sizeof *m->v, by_index);
        for (i = 0; i < m->n; i++)
            if (json_array_append_new(points, point_json(&m->v[i])) != 0)
                return nomem(m->err);
        return WL_OK;
    }
    qsort(m->v, m->n, sizeof *m->v, by_cell);
    /* a cell's single report moves to the front (singles), in place: ns <= i always */
    singles = m->v;
    while (i < m->n) {
        for (j = i + 1; j < m->n && m->v[j].row == m->v[i].row && m->v[j].col == m->v[i].col; j++)
            ;
        if (j - i == 1)
            singles[ns++] = m->v[i];
        else if (json_array_append_new(clusters, cluster_json(m, &m->v[i], j - i)) != 0)
            return nomem(m->err);
        i = j;
    }
    if (ns > 1)
        qsort(singles, ns, sizeof *singles, by_index);
    for (i = 0; i < ns; i++)
        if (json_array_append_new(points, point_json(&singles[i])) != 0)
            return nomem(m->err);
    return WL_OK;
}

static const char *str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static int by_oblast_id(const void *a, const void *b)
{
    return strcmp(str(*(json_t *const *)a, "oblast"), str(*(json_t *const *)b, "oblast"));
}

/* UCDP's events of day, compact; an empty layer when no history was imported. */
static json_t *history_layer(wl_store *s, const char *day, wl_error *err)
{
    wl_history_query q = {.from = day, .to = day, .limit = WL_MAP_HISTORY_MAX};
    json_t *page = NULL, *ev, *out, *list = json_array();
    wl_error e = {0};
    size_t i;
    wl_rc rc = wl_history_events(s, &q, &page, &e);
    if (list == NULL)
        return NULL;
    if (rc == WL_ERR_NOT_FOUND) {
        out = json_pack("{s:s, s:s, s:n, s:s, s:b, s:o, s:b}", "layer", "history", "source",
                        "UCDP GED", "release", "attribution",
                        "Uppsala Conflict Data Program (UCDP), Georeferenced Event Dataset, CC "
                        "BY 4.0: none imported",
                        "historical", 1, "events", list, "more", 0);
        return out;
    }
    if (rc != WL_OK) {
        json_decref(list);
        *err = e;
        return NULL;
    }
    json_array_foreach(json_object_get(page, "events"), i, ev)
    {
        json_t *c = json_pack(
            "{s:I, s:f, s:f, s:s, s:s, s:I, s:I, s:I, s:s?}", "id",
            json_integer_value(json_object_get(ev, "id")), "lon",
            strtod(str(ev, "longitude"), NULL), "lat", strtod(str(ev, "latitude"), NULL),
            "date_start", str(ev, "date_start"), "date_end", str(ev, "date_end"),
            "type_of_violence", json_integer_value(json_object_get(ev, "type_of_violence")),
            "where_prec", json_integer_value(json_object_get(ev, "where_prec")), "best",
            json_integer_value(json_object_get(ev, "best")), "where",
            json_string_value(json_object_get(ev, "where_description")));
        if (c == NULL || json_array_append_new(list, c) != 0) {
            json_decref(list);
            json_decref(page);
            return NULL;
        }
    }
    out = json_pack("{s:s, s:s, s:O, s:O, s:b, s:o, s:O}", "layer", "history", "source", "UCDP GED",
                    "release", json_object_get(page, "release"), "attribution",
                    json_object_get(page, "attribution"), "historical", 1, "events", list, "more",
                    json_object_get(page, "more"));
    json_decref(page);
    return out;
}

wl_rc wl_monitor_map(wl_store *s, const char *day, const char *type, unsigned zoom, json_t **out,
                     wl_error *err)
{
    map_ctx m = {.err = err};
    json_t *points = json_array(), *clusters = json_array(), *obl = json_array(), *hist = NULL;
    json_t *o = NULL, *v;
    const char *k;
    bool cluster = zoom < WL_MAP_ZOOM_SINGLES;
    int64_t d = wl_date_days(day, false);
    wl_rc rc;
    *out = NULL;
    err->code = NULL;
    m.oblasts = json_object();
    if (wl_daily_period_of(day, &m.p) != WL_OK || d < 1) {
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                          day ? day : "");
        goto out;
    }
    if (!points || !clusters || !obl || !m.oblasts) {
        rc = nomem(err);
        goto out;
    }
    m.cell_lon =
        WL_MAP_CELL_DEG / (double)(1u << (zoom > WL_MAP_ZOOM_MAX ? WL_MAP_ZOOM_MAX : zoom));
    m.cell_lat = m.cell_lon * 2.0 / 3.0; /* about square on the map at Ukraine's latitudes */
    /* the period spans the UTC day before and the day itself */
    if ((rc = read_day(s, &m, d - 1, type)) != WL_OK || (rc = read_day(s, &m, d, type)) != WL_OK ||
        (rc = place(&m, cluster, points, clusters)) != WL_OK)
        goto out;
    if (json_object_size(m.oblasts) > 0) { /* by id */
        json_t *byid[64];
        size_t n = 0;
        json_object_foreach(m.oblasts, k, v) if (n < 64) byid[n++] = v;
        qsort(byid, n, sizeof *byid, by_oblast_id);
        for (size_t i = 0; i < n; i++)
            if (json_array_append(obl, byid[i]) != 0) {
                rc = nomem(err);
                goto out;
            }
    }
    if ((hist = history_layer(s, day, err)) == NULL) {
        rc = err->code ? WL_ERR_IO : nomem(err);
        goto out;
    }
    o = json_pack("{s:s, s:{s:I, s:I}, s:s?, s:I, s:{s:f, s:f}, s:b, s:I, s:O, s:O, s:O, s:O}",
                  "day", day, "period", "from", (json_int_t)m.p.from, "to", (json_int_t)m.p.to,
                  "type", type, "zoom", (json_int_t)zoom, "cell", "lon_deg", m.cell_lon, "lat_deg",
                  m.cell_lat, "clustered", cluster, "reports", (json_int_t)m.total, "points",
                  points, "clusters", clusters, "oblasts", obl, "history", hist);
    rc = o ? WL_OK : nomem(err);
out:
    wl_free(m.v);
    json_decref(points);
    json_decref(clusters);
    json_decref(obl);
    json_decref(hist);
    json_decref(m.oblasts);
    *out = o;
    return rc;
}

/* ---- the timeline ---- */

typedef struct {
    int64_t first, n; /* the first day (days since 1970) and how many */
    uint64_t *reports;
} line_ctx;

static wl_rc count_one(void *ctx, int64_t observed, const char *type)
{
    line_ctx *l = ctx;
    /* the day whose period holds observed: 19:30 Kyiv time ends a day's period */
    int64_t local = observed + wl_kyiv_offset(observed) - (19 * 3600 + 1800);
    int64_t day = (local >= 0 ? local / 86400 : -((-local + 86399) / 86400)) + 1;
    (void)type;
    if (day >= l->first && day < l->first + l->n)
        l->reports[day - l->first]++;
    return WL_OK;
}

wl_rc wl_monitor_timeline(wl_store *s, const char *to, unsigned days, const char *type,
                          json_t **out, wl_error *err)
{
    int64_t last = wl_date_days(to, false);
    line_ctx l = {0};
    char a[11], b[11];
    json_t *list = NULL, *o = NULL;
    wl_rc rc;
    *out = NULL;
    if (last < 1 || days < 1 || days > WL_MAP_TIMELINE_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "bad_day", "to: a day YYYY-MM-DD; days: 1-%u",
                            WL_MAP_TIMELINE_MAX);
    l.first = last - days + 1;
    l.n = days;
    if (l.first < 2 || (l.reports = wl_calloc(days, sizeof *l.reports)) == NULL)
        return l.first < 2 ? wl_error_set(err, WL_ERR_INVALID, "bad_day", "to: too early")
                           : nomem(err);
    /* a period starts on the UTC day before its own */
    wl_days_date(l.first - 1, a);
    wl_days_date(last, b);
    if ((rc = wl_store_report_times(s, a, b, type, count_one, &l)) != WL_OK) {
        rc = wl_error_set(err, rc, "storage", "cannot read the reports");
        goto out;
    }
    if ((list = json_array()) == NULL) {
        rc = nomem(err);
        goto out;
    }
    for (int64_t i = 0; i < l.n; i++) {
        wl_days_date(l.first + i, a);
        if (json_array_append_new(list, json_pack("{s:s, s:I}", "day", a, "reports",
                                                  (json_int_t)l.reports[i])) != 0) {
            rc = nomem(err);
            goto out;
        }
    }
    o = json_pack("{s:s, s:I, s:s?, s:O}", "to", to, "days", (json_int_t)days, "type", type,
                  "timeline", list);
    rc = o ? WL_OK : nomem(err);
out:
    json_decref(list);
    wl_free(l.reports);
    *out = o;
    return rc;
}
