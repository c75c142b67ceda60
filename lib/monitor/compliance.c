/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compliance per zone and day (include/willing/compliance.h): the reports of
 * each day's period (the daily report's, 19:30 Kyiv time to 19:30) over the
 * last days, read once by the UTC days they span, each counted where its
 * point is: in every public area of the deal's containment index that holds
 * it (weapons in violation by type; a zone its radius straddles flags it
 * "near boundary", counted or not), else "outside" the zones; a report naming
 * only an oblast counts in that oblast, never in a zone. Restrictions are
 * summed by place (the zone, else the oblast of the point, or the oblast and
 * settlement named). Then the thresholds (monitor.threshold) weighed against
 * those figures: an alert for a zone whose figure exceeded the threshold on
 * each of its consecutive days. docs/internals/monitor.md ("Compliance").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/compliance.h"
#include "willing/csv.h"
#include "willing/daily.h"
#include "willing/limits.h"
#include "willing/monitor.h"
#include "store/store.h"

/* One day's period and what it holds, keyed by id: each summary a JSON object. */
typedef struct {
    char day[11];
    wl_daily_period p;
    json_int_t n;
    json_t *zones, *oblasts, *outside, *restr;
} period;

typedef struct {
    wl_store *s;
    wl_regions *regions;
    wl_zone_index *zones;
    period *d;
    unsigned nd;
    size_t total;
    uint64_t last;
    /* the report being counted */
    period *cur;
    const wl_store_report *r;
    json_t *body;
    bool inside;
    wl_error *err;
} build;

static wl_rc nomem(build *b)
{
    return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "out of memory (compliance)");
}

/* o[key] += by (an integer, 0 when absent). */
static wl_rc bump(json_t *o, const char *key, json_int_t by)
{
    json_t *v = json_object_get(o, key);
    json_int_t now = v ? json_integer_value(v) : 0;
    return json_object_set_new(o, key, json_integer(now + by)) == 0 ? WL_OK : WL_ERR_NOMEM;
}

/* parent[key]: {"reports": 0, "violations": 0, "by_type": {}}, made when first asked. */
static json_t *sums(json_t *parent, const char *key)
{
    json_t *o = parent ? json_object_get(parent, key) : NULL;
    if (o || parent == NULL)
        return o;
    o = json_pack("{s:i, s:i, s:{}}", "reports", 0, "violations", 0, "by_type");
    if (o && json_object_set_new(parent, key, o) != 0)
        return NULL;
    return o;
}

/* The report's count into o: reports + 1, by_type[type] + count, violations + count if one. */
static wl_rc add(json_t *o, const wl_store_report *r)
{
    static const char *const ceasefire[] = {"explosion", "projectile", "muzzle_flash",
                                            "bursts_shots", NULL};
    json_int_t count = (json_int_t)r->count;
    if (o == NULL || bump(o, "reports", 1) != WL_OK ||
        bump(json_object_get(o, "by_type"), r->type, count) != WL_OK)
        return WL_ERR_NOMEM;
    return wl_monitor_in(ceasefire, r->type) ? bump(o, "violations", count) : WL_OK;
}

/* A restriction at a place: rows keyed "by:place", {"by", "place", "reports", ...}. */
static wl_rc restricted(build *b, const char *by, const char *place)
{
    char key[300];
    json_t *row;
    const char *what = json_string_value(json_object_get(b->body, "restriction"));
    snprintf(key, sizeof key, "%s:%s", by, place);
    row = json_object_get(b->cur->restr, key);
    if (row == NULL && ((row = json_pack("{s:s, s:s, s:i, s:{}, s:[]}", "by", by, "place", place,
                                         "reports", 0, "by_restriction", "indexes")) == NULL ||
                        json_object_set_new(b->cur->restr, key, row) != 0))
        return WL_ERR_NOMEM;
    if (bump(row, "reports", 1) != WL_OK ||
        bump(json_object_get(row, "by_restriction"), what ? what : "unknown", 1) != WL_OK ||
        json_array_append_new(json_object_get(row, "indexes"), json_integer((json_int_t)b->r->idx)))
        return WL_ERR_NOMEM;
    return WL_OK;
}

/* A public area that holds the report's point, or whose boundary its circle reaches. */
static wl_rc at_zone(void *ctx, const char *id, const char *type, bool inside, bool crosses)
{
    build *b = ctx;
    json_t *z = json_object_get(b->cur->zones, id);
    const wl_store_report *r = b->r;
    if (z == NULL &&
        ((z = json_pack("{s:s, s:i, s:i, s:{}, s:{}, s:[]}", "type", type, "reports", 0,
                        "violations", 0, "by_type", "weapons", "near_boundary")) == NULL ||
         json_object_set_new(b->cur->zones, id, z) != 0))
        return WL_ERR_NOMEM;
    if (crosses && json_array_append_new(json_object_get(z, "near_boundary"),
                                         json_pack("{s:I, s:b}", "index", (json_int_t)r->idx,
                                                   "counted", inside)) != 0)
        return WL_ERR_NOMEM;
    if (!inside)
        return WL_OK;
    b->inside = true;
    if (add(z, r) != WL_OK)
        return WL_ERR_NOMEM;
    if (strcmp(r->type, "weapon_in_violation") == 0) {
        const json_t *w = json_object_get(b->body, "weapon");
        const char *wt = json_string_value(json_object_get(w, "type"));
        if (bump(json_object_get(z, "weapons"), wt ? wt : "other",
                 json_integer_value(json_object_get(w, "count"))) != WL_OK)
            return WL_ERR_NOMEM;
    }
    return strcmp(r->type, "restriction") == 0 ? restricted(b, "zone", id) : WL_OK;
}

/* The period (of those asked) that holds t, or NULL. */
static period *period_of(build *b, int64_t t)
{
    int64_t i;
    if (b->nd == 0 || t < b->d[0].p.from || t >= b->d[b->nd - 1].p.to)
        return NULL;
    i = (t - b->d[0].p.from) / 86400;
    if (i >= (int64_t)b->nd)
        i = b->nd - 1;
    while (i > 0 && t < b->d[i].p.from)
        i--;
    while (i + 1 < (int64_t)b->nd && t >= b->d[i].p.to)
        i++;
    return t >= b->d[i].p.from && t < b->d[i].p.to ? &b->d[i] : NULL;
}

static wl_rc take(void *ctx, const wl_store_report *r)
{
    build *b = ctx;
    wl_rc rc = WL_OK;
    b->last = r->idx;
    if ((b->cur = period_of(b, r->observed)) == NULL)
        return WL_OK;
    if (++b->total > WL_COMPLIANCE_REPORTS_MAX)
        return wl_error_set(b->err, WL_ERR_TOO_LARGE, "too_large",
                            "the periods hold more than %u reports: ask for fewer days",
                            WL_COMPLIANCE_REPORTS_MAX);
    b->r = r;
    b->inside = false;
    b->body = NULL;
    b->cur->n++;
    if ((strcmp(r->type, "weapon_in_violation") == 0 || strcmp(r->type, "restriction") == 0) &&
        (b->body = json_loads(r->body, 0, NULL)) == NULL)
        return wl_error_set(b->err, WL_ERR_CORRUPT, "corrupt", "report %llu: stored body",
                            (unsigned long long)r->idx);
    if (!r->has_point) { /* a named place: its oblast, never a zone */
        json_t *o = sums(b->cur->oblasts, r->oblast);
        char place[200];
        const char *name = wl_monitor_oblast_name(r->oblast);
        if (o && json_object_get(o, "name") == NULL &&
            json_object_set_new(o, "name", json_string(name ? name : r->oblast)) != 0)
            o = NULL;
        rc = add(o, r);
        if (rc == WL_OK && strcmp(r->type, "restriction") == 0) {
            if (r->settlement && r->settlement[0]) {
                snprintf(place, sizeof place, "%s, %s", r->settlement, name ? name : r->oblast);
                rc = restricted(b, "settlement", place);
            } else {
                rc = restricted(b, "oblast", name ? name : r->oblast);
            }
        }
    } else {
        if (b->zones)
            rc = wl_zone_index_near(b->zones, r->lon, r->lat, (double)r->radius_m / 1000.0, at_zone,
                                    b);
        if (rc == WL_OK && !b->inside) {
            rc = add(b->cur->outside, r);
            if (rc == WL_OK && strcmp(r->type, "restriction") == 0) {
                const char *region =
                    b->regions ? wl_regions_find(b->regions, r->lon, r->lat) : NULL;
                rc = restricted(
                    b, "oblast",
                    region ? region
                           : (b->regions ? "outside the oblasts of the map" : "no map of oblasts"));
            }
        }
    }
    json_decref(b->body);
    b->body = NULL;
    if (rc == WL_ERR_NOMEM)
        return nomem(b);
    if (rc != WL_OK && b->err->code == NULL)
        wl_error_set(b->err, rc, "internal", "report %llu: its zones", (unsigned long long)r->idx);
    return rc;
}

static void periods_free(build *b)
{
    for (unsigned i = 0; b->d && i < b->nd; i++) {
        json_decref(b->d[i].zones);
        json_decref(b->d[i].oblasts);
        json_decref(b->d[i].outside);
        json_decref(b->d[i].restr);
    }
    wl_free(b->d);
    b->d = NULL;
}

/* The periods of the days days ending on day, every report of them counted. */
static wl_rc count_days(build *b, const char *day, unsigned days)
{
    int64_t last = wl_date_days(day, false);
    wl_rc rc = WL_OK;
    if (last < 1 || strlen(day) != 10)
        return wl_error_set(b->err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                            day);
    if (days < 1 || days > WL_COMPLIANCE_DAYS_MAX || last - (int64_t)days < 1)
        return wl_error_set(b->err, WL_ERR_INVALID, "bad_query", "days: 1 to %u",
                            WL_COMPLIANCE_DAYS_MAX);
    if ((b->d = wl_calloc(days, sizeof *b->d)) == NULL)
        return nomem(b);
    b->nd = days;
    for (unsigned i = 0; i < days; i++) {
        period *p = &b->d[i];
        wl_days_date(last - (int64_t)(days - 1 - i), p->day);
        if (wl_daily_period_of(p->day, &p->p) != WL_OK)
            return wl_error_set(b->err, WL_ERR_INVALID, "bad_day", "day: %s", p->day);
        p->zones = json_object();
        p->oblasts = json_object();
        p->outside = json_pack("{s:i, s:i, s:{}}", "reports", 0, "violations", 0, "by_type");
        p->restr = json_object();
        if (!p->zones || !p->oblasts || !p->outside || !p->restr)
            return nomem(b);
    }
    /* each period spans the UTC day before its day and the day itself */
    for (int64_t u = last - days; rc == WL_OK && u <= last; u++) {
        char d[11];
        bool more = true;
        wl_days_date(u, d);
        b->last = 0;
        while (rc == WL_OK && more)
            rc = wl_store_reports(b->s, d, NULL, b->last, WL_DAILY_PAGE, take, b, &more);
        if (rc != WL_OK && b->err->code == NULL)
            wl_error_set(b->err, rc, "storage", "reading the reports of %s", d);
    }
    return rc;
}

static int by_key(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The keys of o in order (*n of them; caller frees the array, NULL when out of memory). */
static const char **keys_of(const json_t *o, size_t *n)
{
    const char **ids = wl_calloc(json_object_size(o) + 1, sizeof *ids), *id;
    json_t *v;
    *n = 0;
    if (ids == NULL)
        return NULL;
    json_object_foreach((json_t *)o, id, v) ids[(*n)++] = id;
    qsort(ids, *n, sizeof *ids, by_key);
    return ids;
}

/* {id: {...}} as [{name: id, ...}] by id; NULL when out of memory. */
static json_t *listed(const json_t *o, const char *name)
{
    size_t n, k;
    const char **ids = keys_of(o, &n);
    json_t *a = json_array();
    if (ids == NULL || a == NULL)
        goto fail;
    for (k = 0; k < n; k++) {
        json_t *row = json_deep_copy(json_object_get(o, ids[k]));
        if (row && name && json_object_set_new(row, name, json_string(ids[k])) != 0) {
            json_decref(row);
            goto fail;
        }
        if (json_array_append_new(a, row) != 0) /* a NULL row too; a row it refuses is freed */
            goto fail;
    }
    wl_free(ids);
    return a;
fail:
    wl_free(ids);
    json_decref(a);
    return NULL;
}

/* One period as JSON. */
static json_t *period_json(const period *p)
{
    json_t *z = listed(p->zones, "zone"), *o = listed(p->oblasts, "oblast");
    json_t *r = listed(p->restr, NULL);
    if (z == NULL || o == NULL || r == NULL) {
        json_decref(z);
        json_decref(o);
        json_decref(r);
        return NULL;
    }
    return json_pack("{s:s, s:{s:I, s:I}, s:I, s:o, s:o, s:O, s:o}", "day", p->day, "period",
                     "from", (json_int_t)p->p.from, "to", (json_int_t)p->p.to, "reports", p->n,
                     "zones", z, "oblasts", o, "outside", p->outside, "restrictions", r);
}

wl_rc wl_compliance_build(wl_store *s, const char *day, unsigned days, wl_regions *regions,
                          wl_zone_index *zones, json_t **out, wl_error *err)
{
    build b = {.s = s, .regions = regions, .zones = zones, .err = err};
    json_t *o = NULL, *trend = NULL;
    wl_rc rc;
    *out = NULL;
    err->code = NULL;
    if ((rc = count_days(&b, day ? day : "", days)) != WL_OK)
        goto out;
    if ((trend = json_array()) == NULL) {
        rc = nomem(&b);
        goto out;
    }
    for (unsigned i = 0; i < b.nd; i++)
        if (json_array_append_new(trend, period_json(&b.d[i])) != 0) {
            rc = nomem(&b);
            goto out;
        }
    /* the day asked: its period's figures at the top, the trend beside them */
    if ((o = json_deep_copy(json_array_get(trend, b.nd - 1))) == NULL ||
        json_object_set_new(o, "days", json_integer(days)) != 0 ||
        json_object_set(o, "trend", trend) != 0) {
        rc = nomem(&b);
        goto out;
    }
out:
    json_decref(trend);
    periods_free(&b);
    if (rc != WL_OK) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

/* One CSV row: day, by, place, zone_type, type, count. */
static wl_rc row(wl_buf *csv, const char *day, const char *by, const char *place, const char *zt,
                 const char *type, json_int_t count)
{
    char n[24];
    const char *cells[] = {day, by, place, zt, type, n};
    wl_rc rc = WL_OK;
    snprintf(n, sizeof n, "%lld", (long long)count);
    for (size_t i = 0; rc == WL_OK && i < 6; i++)
        rc = wl_csv_cell(csv, cells[i], i == 5 ? WL_CSV_LAST : 0, WL_COMPLIANCE_CSV_MAX);
    return rc;
}

/* Every type of one summary (by_type in key order; weapons as "weapon:TYPE"). */
static wl_rc rows_of(wl_buf *csv, const char *day, const char *by, const char *place,
                     const json_t *sum)
{
    const char *zt = json_string_value(json_object_get(sum, "type"));
    const json_t *bt = json_object_get(sum, "by_type"), *w = json_object_get(sum, "weapons");
    size_t n, nw, i;
    const char **types = keys_of(bt, &n), **weapons = keys_of(w, &nw);
    wl_rc rc = types && weapons ? WL_OK : WL_ERR_NOMEM;
    for (i = 0; rc == WL_OK && i < n; i++)
        rc = row(csv, day, by, place, zt, types[i],
                 json_integer_value(json_object_get(bt, types[i])));
    for (i = 0; rc == WL_OK && i < nw; i++) {
        char t[64];
        snprintf(t, sizeof t, "weapon:%s", weapons[i]);
        rc = row(csv, day, by, place, zt, t, json_integer_value(json_object_get(w, weapons[i])));
    }
    wl_free(types);
    wl_free(weapons);
    return rc;
}

wl_rc wl_compliance_csv(const json_t *c, char **out, size_t *len, wl_error *err)
{
    static const char *const head[] = {"day", "by", "place", "zone_type", "type", "count"};
    wl_buf csv = {0};
    const json_t *p, *z;
    size_t i, j;
    wl_rc rc = WL_OK;
    *out = NULL;
    *len = 0;
    for (i = 0; rc == WL_OK && i < 6; i++)
        rc = wl_csv_cell(&csv, head[i], i == 5 ? WL_CSV_LAST : 0, WL_COMPLIANCE_CSV_MAX);
    json_array_foreach(json_object_get(c, "trend"), i, p)
    {
        const char *day = json_string_value(json_object_get(p, "day"));
        json_array_foreach(json_object_get(p, "zones"), j, z) if (rc == WL_OK) rc =
            rows_of(&csv, day, "zone", json_string_value(json_object_get(z, "zone")), z);
        json_array_foreach(json_object_get(p, "oblasts"), j, z) if (rc == WL_OK) rc =
            rows_of(&csv, day, "oblast", json_string_value(json_object_get(z, "oblast")), z);
        if (rc == WL_OK)
            rc = rows_of(&csv, day, "outside", "", json_object_get(p, "outside"));
    }
    if (rc != WL_OK) {
        wl_buf_free(&csv);
        return wl_error_set(err, rc, rc == WL_ERR_TOO_LARGE ? "too_large" : "internal",
                            "the compliance CSV: %s",
                            rc == WL_ERR_TOO_LARGE ? "too large" : "out of memory");
    }
    *out = csv.buf;
    *len = csv.len;
    return WL_OK;
}

/* The thresholds, copied out of the log. */
typedef struct {
    wl_threshold *v;
    size_t n;
    unsigned maxd;
    wl_error *err;
} thresholds;

static wl_rc keep(void *ctx, const wl_threshold *t)
{
    thresholds *ts = ctx;
    wl_threshold *m;
    if (ts->n == WL_THRESHOLDS_MAX)
        return wl_error_set(ts->err, WL_ERR_TOO_LARGE, "too_large", "more than %u thresholds",
                            WL_THRESHOLDS_MAX);
    if ((m = wl_realloc(ts->v, (ts->n + 1) * sizeof *m)) == NULL)
        return wl_error_set(ts->err, WL_ERR_NOMEM, "internal", "out of memory (thresholds)");
    ts->v = m;
    m[ts->n] = *t;
    {
        const char *text = t->text ? t->text : "";
        char *copy = wl_malloc(strlen(text) + 1);
        if (copy == NULL)
            return wl_error_set(ts->err, WL_ERR_NOMEM, "internal", "out of memory (thresholds)");
        memcpy(copy, text, strlen(text) + 1);
        m[ts->n].text = copy;
    }
    ts->n++;
    if (t->days > ts->maxd)
        ts->maxd = (unsigned)t->days;
    return WL_OK;
}

/* A zone's figure on one day for a threshold's type (0: nothing counted). */
static json_int_t figure(const period *p, const char *zone, const char *type)
{
    const json_t *z = json_object_get(p->zones, zone);
    if (z == NULL)
        return 0;
    if (strcmp(type, "violations") == 0 || strcmp(type, "reports") == 0)
        return json_integer_value(json_object_get(z, type));
    return json_integer_value(json_object_get(json_object_get(z, "by_type"), type));
}

/* The alert of threshold t for zone, if its figure exceeded t->above on each of its days. */
static wl_rc weigh(const build *b, const wl_threshold *t, const char *zone, json_t *alerts)
{
    json_t *figs = json_array(), *a;
    for (unsigned i = b->nd - (unsigned)t->days; i < b->nd; i++) {
        json_int_t f = figure(&b->d[i], zone, t->type);
        if (f <= (json_int_t)t->above) {
            json_decref(figs);
            return WL_OK;
        }
        if (figs == NULL || json_array_append_new(figs, json_pack("{s:s, s:I}", "day", b->d[i].day,
                                                                  "figure", f)) != 0)
            break;
    }
    a = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:o}", "threshold", (json_int_t)t->index, "zone",
                  zone, "type", t->type, "above", (json_int_t)t->above, "days", (json_int_t)t->days,
                  "text", t->text, "figures", figs);
    return a && json_array_append_new(alerts, a) == 0 ? WL_OK : WL_ERR_NOMEM;
}

wl_rc wl_compliance_alerts(wl_store *s, const char *day, wl_regions *regions, wl_zone_index *zones,
                           json_t **out, wl_error *err)
{
    build b = {.s = s, .regions = regions, .zones = zones, .err = err};
    thresholds ts = {.maxd = 1, .err = err};
    json_t *alerts = json_array(), *seen = json_object(), *o = NULL;
    wl_rc rc;
    *out = NULL;
    err->code = NULL;
    if (alerts == NULL || seen == NULL) {
        rc = nomem(&b);
        goto out;
    }
    if (wl_date_days(day ? day : "", false) < 1 || strlen(day) != 10) {
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                          day ? day : "");
        goto out;
    }
    if ((rc = wl_thresholds_each(s, keep, &ts, err)) != WL_OK ||
        (rc = count_days(&b, day, ts.maxd)) != WL_OK)
        goto out;
    /* every zone counted in on one of the days: what a threshold on "*" weighs */
    for (unsigned i = 0; i < b.nd; i++) {
        const char *k;
        json_t *v;
        json_object_foreach(b.d[i].zones, k, v) json_object_set(seen, k, json_true());
    }
    for (size_t i = 0; rc == WL_OK && i < ts.n; i++) {
        if (strcmp(ts.v[i].zone, "*") != 0) {
            rc = weigh(&b, &ts.v[i], ts.v[i].zone, alerts);
            continue;
        }
        size_t n;
        const char **ids = keys_of(seen, &n);
        if (ids == NULL)
            rc = WL_ERR_NOMEM;
        for (size_t j = 0; rc == WL_OK && j < n; j++)
            rc = weigh(&b, &ts.v[i], ids[j], alerts);
        wl_free(ids);
    }
    if (rc == WL_ERR_NOMEM)
        rc = nomem(&b);
    if (rc == WL_OK && (o = json_pack("{s:s, s:I, s:O}", "day", day, "thresholds", (json_int_t)ts.n,
                                      "alerts", alerts)) == NULL)
        rc = nomem(&b);
out:
    for (size_t i = 0; i < ts.n; i++)
        wl_free((char *)ts.v[i].text);
    wl_free(ts.v);
    periods_free(&b);
    json_decref(alerts);
    json_decref(seen);
    *out = o;
    return rc;
}
