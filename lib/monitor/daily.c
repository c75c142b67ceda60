/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitors' daily report (include/willing/daily.h): the reports observed
 * in a day's period (19:30 Kyiv time the day before to 19:30 that day), read
 * from the store by the UTC days the period spans, each placed in its oblast
 * (regions.c, or the oblast it names) and in the zones that hold it (the
 * deal's containment index), then summed the SMM's way: by region and type,
 * by zone and type with the weapons seen inside each, the restrictions of
 * movement with their place, notable reports (civilian casualties, damage to
 * civilian infrastructure, weapons inside a zone) and the annex of every
 * report by index. Only sums and the reports' own words: no attribution.
 * docs/internals/monitor.md ("The daily report").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/csv.h"
#include "willing/daily.h"
#include "willing/incidents.h"
#include "willing/monitor.h"
#include "store/store.h"

/* The SMM's ceasefire violations: the types summed as such in every table. */
static const char *const violations[] = {"explosion", "projectile", "muzzle_flash", "bursts_shots",
                                         NULL};

wl_rc wl_daily_period_of(const char *day, wl_daily_period *p)
{
    int64_t d = wl_date_days(day, false);
    int64_t end;
    if (d < 1)
        return WL_ERR_INVALID;
    /* 19:30 local is 17:30 or 16:30 UTC, hours from the 01:00 UTC changes: either offset finds it
     */
    end = d * 86400 + 19 * 3600 + 1800;
    p->to_offset = wl_kyiv_offset(end - 7200);
    p->to = end - p->to_offset;
    end -= 86400;
    p->from_offset = wl_kyiv_offset(end - 7200);
    p->from = end - p->from_offset;
    return WL_OK;
}

typedef struct {
    wl_store *s;
    wl_daily_period p;
    wl_regions *regions;
    wl_zone_index *zones;
    json_t *annex, *regs, *zs, *types, *restrictions, *notable;
    json_t *row;          /* the report being placed: its zones go into it */
    wl_corr_report *corr; /* the period's reports with coordinates, for its incidents */
    size_t ncorr, capcorr;
    uint64_t last; /* the last index the store gave: the next page starts after it */
    size_t n;
    wl_daily_notable_fn fn; /* the notable incidents (NULL: the period's own engine) */
    void *fn_ctx;
    wl_error *err;
} build;

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A unix time as Kyiv's civil time, "2026-11-30 19:30 (UTC+02:00)". */
static void local(int64_t t, int32_t offset, char out[32])
{
    char iso[32];
    wl_time_iso8601(t + offset, iso, sizeof iso);
    snprintf(out, 32, "%.10s %.5s (UTC+%02d:00)", iso, iso + 11, (int)(offset / 3600));
}

/* obj[key] += by, an integer created at 0. */
static wl_rc add_to(json_t *obj, const char *key, json_int_t by)
{
    json_t *v = json_object_get(obj, key);
    if (v)
        return json_integer_set(v, json_integer_value(v) + by) == 0 ? WL_OK : WL_ERR_NOMEM;
    return json_object_set_new(obj, key, json_integer(by)) == 0 ? WL_OK : WL_ERR_NOMEM;
}

/* parent[key], a summary {"reports", "violations", "by_type": {type: count}}, made on first use. */
static json_t *summary(json_t *parent, const char *key)
{
    json_t *o = json_object_get(parent, key);
    if (o == NULL &&
        (o = json_pack("{s:i, s:i, s:{}}", "reports", 0, "violations", 0, "by_type")) != NULL &&
        json_object_set_new(parent, key, o) != 0)
        return NULL;
    return o;
}

/* One report's count into a summary. */
static wl_rc count_in(json_t *sum, const char *type, json_int_t count)
{
    wl_rc rc;
    if (sum == NULL)
        return WL_ERR_NOMEM;
    if ((rc = add_to(sum, "reports", 1)) != WL_OK ||
        (rc = add_to(json_object_get(sum, "by_type"), type, count)) != WL_OK)
        return rc;
    return wl_monitor_in(violations, type) ? add_to(sum, "violations", count) : WL_OK;
}

/* A zone that holds the report's point: the zone's sums, and the zone's id in the report's row. */
static wl_rc in_zone(void *ctx, const char *id, const char *type)
{
    build *b = ctx;
    json_t *z = summary(b->zs, id), *body = json_object_get(b->row, "report");
    const char *rtype = json_string_value(json_object_get(b->row, "type"));
    json_int_t count = json_integer_value(json_object_get(b->row, "count"));
    wl_rc rc;
    if (z == NULL || json_object_set_new(z, "type", json_string(type)) != 0 ||
        json_array_append_new(json_object_get(b->row, "zones"), json_string(id)) != 0)
        return WL_ERR_NOMEM;
    if ((rc = count_in(z, rtype, count)) != WL_OK)
        return rc;
    if (strcmp(rtype, "weapon_in_violation") == 0) {
        json_t *w = json_object_get(z, "weapons");
        json_t *wb = json_object_get(body, "weapon");
        if (w == NULL && (json_object_set_new(z, "weapons", json_object()) != 0 ||
                          (w = json_object_get(z, "weapons")) == NULL))
            return WL_ERR_NOMEM;
        return add_to(w, json_string_value(json_object_get(wb, "type")),
                      json_integer_value(json_object_get(wb, "count")));
    }
    return WL_OK;
}

/* "30.5234,50.4501 (500 m)" or "Settlement, Oblast": where the report says it was. */
static void place_of(const wl_store_report *r, const char *oblast, char *out, size_t cap)
{
    if (r->has_point)
        snprintf(out, cap, "%.4f,%.4f (%llu m)", r->lon, r->lat, (unsigned long long)r->radius_m);
    else if (r->settlement && r->settlement[0])
        snprintf(out, cap, "%s, %s", r->settlement, oblast ? oblast : r->oblast);
    else
        snprintf(out, cap, "%s", oblast ? oblast : r->oblast);
}

static wl_rc take(void *ctx, const wl_store_report *r)
{
    build *b = ctx;
    const char *region;
    char place[200];
    json_t *body, *row;
    json_int_t count = (json_int_t)r->count;
    wl_rc rc;
    b->last = r->idx;
    if (r->observed < b->p.from || r->observed >= b->p.to)
        return WL_OK; /* the other part of a UTC day the period spans */
    if (++b->n > WL_DAILY_REPORTS_MAX)
        return wl_error_set(b->err, WL_ERR_TOO_LARGE, "too_large",
                            "the day holds more than %u reports", WL_DAILY_REPORTS_MAX);
    if (b->ncorr == b->capcorr) {
        size_t cap = b->capcorr ? 2 * b->capcorr : 256;
        wl_corr_report *c = wl_realloc(b->corr, cap * sizeof *c);
        if (c == NULL)
            return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
        b->corr = c;
        b->capcorr = cap;
    }
    if (wl_incident_report_of(r, &b->corr[b->ncorr]))
        b->ncorr++;
    if ((body = json_loads(r->body, 0, NULL)) == NULL)
        return wl_error_set(b->err, WL_ERR_CORRUPT, "corrupt", "report %llu: stored body",
                            (unsigned long long)r->idx);
    region = r->has_point ? wl_regions_find(b->regions, r->lon, r->lat)
                          : wl_monitor_oblast_name(r->oblast);
    if (region == NULL)
        region = b->regions ? "outside the oblasts of the map" : "no map of oblasts";
    place_of(r, r->has_point ? NULL : wl_monitor_oblast_name(r->oblast), place, sizeof place);
    row = json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:[], s:o}", "index",
                    (json_int_t)r->idx, "author", r->author, "observed", (json_int_t)r->observed,
                    "precision_s", (json_int_t)r->precision_s, "logged", (json_int_t)r->logged,
                    "type", r->type, "count", count, "place", place, "region", region, "zones",
                    "report", body);
    if (row == NULL || json_array_append_new(b->annex, row) != 0)
        return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
    b->row = row;
    if ((rc = count_in(summary(b->regs, region), r->type, count)) != WL_OK ||
        (rc = count_in(summary(b->types, r->type), r->type, count)) != WL_OK ||
        (r->has_point && b->zones &&
         (rc = wl_zone_index_each(b->zones, r->lon, r->lat, in_zone, b)) != WL_OK))
        return rc == WL_ERR_NOMEM ? wl_error_set(b->err, rc, "internal", "out of memory") : rc;
    if (strcmp(r->type, "restriction") == 0 &&
        json_array_append_new(
            b->restrictions,
            json_pack("{s:I, s:s, s:s, s:s, s:I, s:O}", "index", (json_int_t)r->idx, "restriction",
                      json_string_value(json_object_get(body, "restriction")), "place", place,
                      "region", region, "observed", (json_int_t)r->observed, "text",
                      json_object_get(body, "text") ? json_object_get(body, "text")
                                                    : json_null())) != 0)
        return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
    if ((strcmp(r->type, "civilian_casualties") == 0 ||
         strcmp(r->type, "civilian_infrastructure_damage") == 0 ||
         (strcmp(r->type, "weapon_in_violation") == 0 &&
          json_array_size(json_object_get(row, "zones")) > 0)) &&
        json_array_append_new(b->notable, json_integer((json_int_t)r->idx)) != 0)
        return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
    return WL_OK;
}

/* The reports of one UTC day, in pages, into b. */
static wl_rc read_day(build *b, int64_t days)
{
    char day[11];
    bool more = true;
    wl_rc rc = WL_OK;
    wl_days_date(days, day);
    b->last = 0;
    while (rc == WL_OK && more)
        rc = wl_store_reports(b->s, day, NULL, b->last, WL_DAILY_PAGE, take, b, &more);
    if (rc != WL_OK && b->err->code == NULL)
        wl_error_set(b->err, rc, "internal", "reading the reports of %s", day);
    return rc;
}

static json_int_t index_of(const json_t *v)
{
    return json_is_integer(v) ? json_integer_value(v)
                              : json_integer_value(json_object_get(v, "index"));
}

static int by_index(const void *a, const void *b)
{
    json_int_t x = index_of(*(json_t *const *)a), y = index_of(*(json_t *const *)b);
    return x < y ? -1 : x > y;
}

/* The array's items (reports, or their indexes) in index order: the two days read come apart. */
static wl_rc sort_by_index(json_t *a)
{
    size_t n = json_array_size(a);
    json_t **v = wl_calloc(n + 1, sizeof *v);
    wl_rc rc = WL_OK;
    if (v == NULL)
        return WL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(a, i));
    qsort(v, n, sizeof *v, by_index);
    json_array_clear(a);
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(a, v[i]) != 0)
            rc = WL_ERR_NOMEM;
    wl_free(v);
    return rc;
}

/* {key: summary, ...} as [{name: key, ...summary}, ...] in key order (jansson keeps insertion). */
static json_t *as_list(json_t *obj, const char *name)
{
    const char **keys = wl_calloc(json_object_size(obj) + 1, sizeof *keys);
    json_t *list = json_array(), *v;
    const char *k;
    size_t n = 0;
    if (keys == NULL || list == NULL) {
        wl_free(keys);
        json_decref(list);
        return NULL;
    }
    json_object_foreach(obj, k, v) keys[n++] = k;
    qsort(keys, n, sizeof *keys, by_string);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_deep_copy(json_object_get(obj, keys[i]));
        if (o == NULL || json_object_set_new(o, name, json_string(keys[i])) != 0 ||
            json_array_append_new(list, o) != 0) {
            json_decref(list);
            list = NULL;
            break;
        }
    }
    wl_free(keys);
    return list;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const wl_corr_report *)a)->id, y = ((const wl_corr_report *)b)->id;
    return x < y ? -1 : x > y;
}

/* The incidents holding a notable report: b->fn's (the daemon's engine), or the period's
 * reports' alone (incidents.c). */
static wl_rc notable_incidents(build *b, json_t **out)
{
    size_t nn = json_array_size(b->notable);
    wl_incident_meta *meta = wl_calloc(b->ncorr + 1, sizeof *meta);
    uint64_t *ids = wl_calloc(nn + 1, sizeof *ids);
    wl_rc rc;
    if (meta == NULL || ids == NULL) {
        wl_free(meta);
        wl_free(ids);
        return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
    }
    if (b->ncorr)
        qsort(b->corr, b->ncorr, sizeof *b->corr, by_id);
    for (size_t i = 0; i < b->ncorr; i++)
        meta[i] = (wl_incident_meta){b->corr[i].id, b->corr[i].t, b->corr[i].type};
    for (size_t i = 0; i < nn; i++)
        ids[i] = (uint64_t)json_integer_value(json_array_get(b->notable, i));
    if (b->fn) {
        rc = b->fn(b->fn_ctx, ids, nn, out, b->err);
        wl_free(meta);
        wl_free(ids);
        return rc;
    }
    rc = wl_incidents_notable(b->s, b->corr, b->ncorr, meta, ids, nn, out, b->err);
    wl_free(meta);
    wl_free(ids);
    return rc;
}

wl_rc wl_daily_build(wl_store *s, const char *day, wl_regions *regions, wl_zone_index *zones,
                     json_t **out, wl_error *err)
{
    return wl_daily_build_with(s, day, regions, zones, NULL, NULL, out, err);
}

wl_rc wl_daily_build_with(wl_store *s, const char *day, wl_regions *regions, wl_zone_index *zones,
                          wl_daily_notable_fn fn, void *ctx, json_t **out, wl_error *err)
{
    build b;
    json_t *o = NULL, *rl = NULL, *zl = NULL, *tl = NULL, *ni = NULL;
    char from[32], to[32];
    wl_rc rc;
    *out = NULL;
    memset(&b, 0, sizeof b);
    if (wl_daily_period_of(day, &b.p) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                            day ? day : "");
    b.s = s;
    b.regions = regions;
    b.zones = zones;
    b.fn = fn;
    b.fn_ctx = ctx;
    b.err = err;
    err->code = NULL;
    b.annex = json_array();
    b.regs = json_object();
    b.zs = json_object();
    b.types = json_object();
    b.restrictions = json_array();
    b.notable = json_array();
    if (!b.annex || !b.regs || !b.zs || !b.types || !b.restrictions || !b.notable) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
        goto out;
    }
    /* the period spans the UTC day before and the day itself: by index within each */
    if ((rc = read_day(&b, wl_date_days(day, false) - 1)) != WL_OK ||
        (rc = read_day(&b, wl_date_days(day, false))) != WL_OK)
        goto out;
    if (sort_by_index(b.annex) != WL_OK || sort_by_index(b.restrictions) != WL_OK ||
        sort_by_index(b.notable) != WL_OK) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
        goto out;
    }
    if ((rc = notable_incidents(&b, &ni)) != WL_OK)
        goto out;
    local(b.p.from, b.p.from_offset, from);
    local(b.p.to, b.p.to_offset, to);
    rl = as_list(b.regs, "region");
    zl = as_list(b.zs, "zone");
    tl = as_list(b.types, "type");
    o = json_pack("{s:s, s:{s:I, s:I, s:s, s:s}, s:I, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "day",
                  day, "period", "from", (json_int_t)b.p.from, "to", (json_int_t)b.p.to,
                  "from_local", from, "to_local", to, "reports", (json_int_t)b.n, "by_type", tl,
                  "regions", rl, "zones", zl, "restrictions", b.restrictions, "notable", b.notable,
                  "notable_incidents", ni, "annex", b.annex);
    if (o == NULL || rl == NULL || zl == NULL || tl == NULL) {
        json_decref(o);
        o = NULL;
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (daily report)");
    }
out:
    json_decref(ni);
    wl_free(b.corr);
    json_decref(rl);
    json_decref(zl);
    json_decref(tl);
    json_decref(b.annex);
    json_decref(b.regs);
    json_decref(b.zs);
    json_decref(b.types);
    json_decref(b.restrictions);
    json_decref(b.notable);
    *out = o;
    return rc;
}

wl_rc wl_daily_csv(const json_t *report, char **out, size_t *len, wl_error *err)
{
    static const char *const head[] = {"index",  "observed_utc", "precision_s", "logged_utc",
                                       "author", "type",         "count",       "place",
                                       "region", "zones"};
    const size_t nh = sizeof head / sizeof head[0];
    const json_t *annex = json_object_get(report, "annex"), *r;
    wl_buf b = {0};
    size_t i;
    wl_rc rc = WL_OK;
    *out = NULL;
    *len = 0;
    for (i = 0; rc == WL_OK && i < nh; i++)
        rc = wl_csv_cell(&b, head[i], i + 1 == nh ? WL_CSV_LAST : 0, WL_DAILY_CSV_MAX);
    json_array_foreach(annex, i, r)
    {
        char idx[24], obs[32], prec[24], logged[32], count[24];
        const json_t *z;
        wl_buf zb = {0};
        size_t k;
        snprintf(idx, sizeof idx, "%lld",
                 (long long)json_integer_value(json_object_get(r, "index")));
        wl_time_iso8601(json_integer_value(json_object_get(r, "observed")), obs, sizeof obs);
        snprintf(prec, sizeof prec, "%lld",
                 (long long)json_integer_value(json_object_get(r, "precision_s")));
        wl_time_iso8601(json_integer_value(json_object_get(r, "logged")), logged, sizeof logged);
        snprintf(count, sizeof count, "%lld",
                 (long long)json_integer_value(json_object_get(r, "count")));
        json_array_foreach(json_object_get(r, "zones"), k, z)
        {
            const char *id = json_string_value(z);
            if (rc == WL_OK && k > 0)
                rc = wl_buf_append(&zb, " ", 1, WL_DAILY_CSV_MAX);
            if (rc == WL_OK)
                rc = wl_buf_append(&zb, id, strlen(id), WL_DAILY_CSV_MAX);
        }
        {
            const char *cells[] = {idx,
                                   obs,
                                   prec,
                                   logged,
                                   json_string_value(json_object_get(r, "author")),
                                   json_string_value(json_object_get(r, "type")),
                                   count,
                                   json_string_value(json_object_get(r, "place")),
                                   json_string_value(json_object_get(r, "region")),
                                   zb.buf};
            for (size_t c = 0; rc == WL_OK && c < nh; c++)
                rc = wl_csv_cell(&b, cells[c], c + 1 == nh ? WL_CSV_LAST : 0, WL_DAILY_CSV_MAX);
        }
        wl_buf_free(&zb);
        if (rc != WL_OK)
            break;
    }
    if (rc != WL_OK) {
        wl_buf_free(&b);
        return wl_error_set(err, rc, rc == WL_ERR_TOO_LARGE ? "too_large" : "internal",
                            "the daily report's CSV: %s",
                            rc == WL_ERR_TOO_LARGE ? "too large" : "out of memory");
    }
    *out = b.buf;
    *len = b.len;
    return WL_OK;
}
