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
 * each of its consecutive days. The zones are those a deal version in force
 * names (scope deal, the default), or every area the index holds (scope all);
 * either way each zone's row says which deals in force name it, and the answer
 * which deals are in force. docs/internals/monitor.md ("Compliance").
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
    bool all;      /* scope all: every area of the index counts */
    json_t *named; /* {zone: {"deals": [ids], ["named_version", "current_version"]}} */
    json_t *deals; /* [{"deal", "version", "zones": [ids]}]: the deals in force */
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

/* The deals in force, copied out first (the store's walk is not nested). */
typedef struct {
    char (*id)[65];
    uint64_t *version;
    size_t n;
} in_force;

static wl_rc deal_one(void *ctx, const wl_deal_row *d)
{
    in_force *f = ctx;
    void *ids, *vs;
    if (strcmp(d->status, "in_force") != 0)
        return WL_OK;
    if ((ids = wl_realloc(f->id, (f->n + 1) * sizeof *f->id)) == NULL)
        return WL_ERR_NOMEM;
    f->id = ids;
    if ((vs = wl_realloc(f->version, (f->n + 1) * sizeof *f->version)) == NULL)
        return WL_ERR_NOMEM;
    f->version = vs;
    snprintf(f->id[f->n], sizeof f->id[f->n], "%s", d->id);
    f->version[f->n++] = d->in_force;
    return WL_OK;
}

/* The version in force of one deal: the zone versions its body names (a new reference). */
typedef struct {
    uint64_t version;
    json_t *zones;
} named_by;

static wl_rc version_one(void *ctx, const wl_deal_version *v)
{
    named_by *nb = ctx;
    json_t *body;
    if (v->version != nb->version)
        return WL_OK;
    if ((body = json_loads(v->body ? v->body : "", 0, NULL)) == NULL)
        return WL_ERR_CORRUPT;
    json_decref(nb->zones);
    nb->zones = json_incref(json_object_get(body, "zones")); /* NULL: none named */
    json_decref(body);
    return WL_OK;
}

static wl_rc current_one(void *ctx, const wl_store_zone *z)
{
    *(uint64_t *)ctx = z->idx;
    return WL_OK;
}

/* One zone version (entry at) a deal in force names: into b->named and the deal's zones. */
static wl_rc name_zone(build *b, const char *deal, uint64_t at, json_t *ids)
{
    char *zone = NULL;
    uint64_t cur = 0;
    json_t *n;
    wl_rc rc = wl_store_zone_at(b->s, at, &zone, b->err);
    if (rc != WL_OK || zone == NULL)
        return rc; /* the deal module checked it is a zone version when it was proposed */
    if ((rc = wl_store_zones_current(b->s, zone, current_one, &cur)) != WL_OK) {
        wl_free(zone);
        return rc;
    }
    if ((n = json_object_get(b->named, zone)) == NULL &&
        ((n = json_pack("{s:[]}", "deals")) == NULL || json_object_set_new(b->named, zone, n) != 0))
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK &&
        (json_array_append_new(json_object_get(n, "deals"), json_string(deal)) != 0 ||
         json_array_append_new(ids, json_string(zone)) != 0))
        rc = WL_ERR_NOMEM;
    /* the first deal (by id) naming a version that is no longer current says so */
    if (rc == WL_OK && cur != at && json_object_get(n, "named_version") == NULL &&
        (json_object_set_new(n, "named_version", json_integer((json_int_t)at)) != 0 ||
         json_object_set_new(n, "current_version", json_integer((json_int_t)cur)) != 0))
        rc = WL_ERR_NOMEM;
    wl_free(zone);
    return rc;
}

/* b->deals and b->named from the store: every deal in force and the zones its version names. */
static wl_rc deals_in_force(build *b)
{
    in_force f = {0};
    wl_rc rc = wl_store_deals(b->s, deal_one, &f);
    if ((b->named = json_object()) == NULL || (b->deals = json_array()) == NULL)
        rc = rc == WL_OK ? WL_ERR_NOMEM : rc;
    for (size_t i = 0; rc == WL_OK && i < f.n; i++) {
        named_by nb = {f.version[i], NULL};
        json_t *ids = json_array(), *x;
        size_t j;
        if ((rc = wl_store_deal_versions(b->s, f.id[i], version_one, &nb)) == WL_OK &&
            (ids == NULL || json_array_append_new(
                                b->deals, json_pack("{s:s, s:I, s:O}", "deal", f.id[i], "version",
                                                    (json_int_t)f.version[i], "zones", ids)) != 0))
            rc = WL_ERR_NOMEM;
        json_array_foreach(nb.zones, j, x) if (rc == WL_OK) rc =
            name_zone(b, f.id[i], (uint64_t)json_integer_value(x), ids);
        json_decref(ids);
        json_decref(nb.zones);
    }
    wl_free(f.id);
    wl_free(f.version);
    if (rc == WL_ERR_NOMEM)
        return nomem(b);
    if (rc != WL_OK && b->err->code == NULL)
        wl_error_set(b->err, rc, "storage", "reading the deals in force");
    return rc;
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
    const json_t *named = json_object_get(b->named, id);
    const wl_store_report *r = b->r;
    if (named == NULL && !b->all)
        return WL_OK; /* scope deal: a zone no deal in force names is no zone */
    if (z == NULL) {  /* its row: the deals naming it, and the versions when they differ */
        z = json_pack("{s:s, s:i, s:i, s:{}, s:{}, s:[], s:[]}", "type", type, "reports", 0,
                      "violations", 0, "by_type", "weapons", "near_boundary", "deals");
        if (z == NULL || json_object_set_new(b->cur->zones, id, z) != 0 ||
            (named && json_object_update(z, (json_t *)named) != 0))
            return WL_ERR_NOMEM;
    }
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
    json_decref(b->named);
    json_decref(b->deals);
    b->named = b->deals = NULL;
}

/* The days the alerts of day weigh: the longest threshold's, or as many as have a period. */
static unsigned alert_days(const char *day, unsigned maxd)
{
    int64_t last = wl_date_days(day, false);
    return last >= 1 && (int64_t)maxd > last ? (unsigned)last : maxd;
}

/* The periods of the days days ending on day, every report of them counted. */
static wl_rc count_days(build *b, const char *day, unsigned days)
{
    int64_t last = wl_date_days(day, false);
    wl_daily_period first;
    wl_rc rc = WL_OK;
    /* a date as the daily report takes one (1970-01-01 and earlier too: days may be < 1) */
    if (day == NULL || strlen(day) != 10 || wl_daily_period_of(day, &first) != WL_OK)
        return wl_error_set(b->err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                            day ? day : "");
    if (days < 1 || days > WL_COMPLIANCE_DAYS_MAX)
        return wl_error_set(b->err, WL_ERR_INVALID, "bad_query", "days: 1 to %u",
                            WL_COMPLIANCE_DAYS_MAX);
    if ((int64_t)days > last) /* the trend's first day has a period: 1970-01-02 or after */
        return wl_error_set(b->err, WL_ERR_INVALID, "bad_query",
                            "days: at most %lld for %s (a day's period starts 1970-01-02)",
                            (long long)last, day);
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

wl_rc wl_compliance_build(wl_store *s, const char *day, unsigned days, bool all,
                          wl_regions *regions, wl_zone_index *zones, json_t **out, wl_error *err)
{
    build b = {.s = s, .regions = regions, .zones = zones, .all = all, .err = err};
    json_t *o = NULL, *trend = NULL;
    wl_rc rc;
    *out = NULL;
    err->code = NULL;
    if ((rc = deals_in_force(&b)) != WL_OK || (rc = count_days(&b, day ? day : "", days)) != WL_OK)
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
        json_object_set_new(o, "scope", json_string(all ? "all" : "deal")) != 0 ||
        json_object_set(o, "deals_in_force", b.deals) != 0 ||
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

/* One CSV row: day, by, place, zone_type, type, count, deals. */
static wl_rc row(wl_buf *csv, const char *day, const char *by, const char *place, const char *zt,
                 const char *type, json_int_t count, const char *deals)
{
    char n[24];
    const char *cells[] = {day, by, place, zt, type, n, deals};
    wl_rc rc = WL_OK;
    snprintf(n, sizeof n, "%lld", (long long)count);
    for (size_t i = 0; rc == WL_OK && i < 7; i++)
        rc = wl_csv_cell(csv, cells[i], i == 6 ? WL_CSV_LAST : 0, WL_COMPLIANCE_CSV_MAX);
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
    const json_t *ds = json_object_get(sum, "deals"), *d;
    char *deals = wl_calloc(1, json_array_size(ds) * 65 + 1); /* ids of 1-64 bytes, spaced */
    wl_rc rc = types && weapons && deals ? WL_OK : WL_ERR_NOMEM;
    json_array_foreach(ds, i, d) if (deals)
    {
        size_t at = strlen(deals);
        snprintf(deals + at, 66, "%s%.64s", at ? " " : "", json_string_value(d));
    }
    for (i = 0; rc == WL_OK && i < n; i++)
        rc = row(csv, day, by, place, zt, types[i],
                 json_integer_value(json_object_get(bt, types[i])), deals);
    for (i = 0; rc == WL_OK && i < nw; i++) {
        char t[64];
        snprintf(t, sizeof t, "weapon:%s", weapons[i]);
        rc = row(csv, day, by, place, zt, t, json_integer_value(json_object_get(w, weapons[i])),
                 deals);
    }
    wl_free(types);
    wl_free(weapons);
    wl_free(deals);
    return rc;
}

wl_rc wl_compliance_csv(const json_t *c, char **out, size_t *len, wl_error *err)
{
    static const char *const head[] = {"day", "by", "place", "zone_type", "type", "count", "deals"};
    wl_buf csv = {0};
    const json_t *p, *z;
    size_t i, j;
    wl_rc rc = WL_OK;
    *out = NULL;
    *len = 0;
    for (i = 0; rc == WL_OK && i < 7; i++)
        rc = wl_csv_cell(&csv, head[i], i == 6 ? WL_CSV_LAST : 0, WL_COMPLIANCE_CSV_MAX);
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
    json_t *figs, *a;
    if ((unsigned)t->days > b->nd) /* fewer days have a period than it weighs (1970): none */
        return WL_OK;
    figs = json_array();
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

wl_rc wl_compliance_alerts(wl_store *s, const char *day, bool all, wl_regions *regions,
                           wl_zone_index *zones, json_t **out, wl_error *err)
{
    build b = {.s = s, .regions = regions, .zones = zones, .all = all, .err = err};
    thresholds ts = {.maxd = 1, .err = err};
    json_t *alerts = json_array(), *seen = json_object(), *o = NULL;
    wl_rc rc;
    *out = NULL;
    err->code = NULL;
    if (alerts == NULL || seen == NULL) {
        rc = nomem(&b);
        goto out;
    }
    if (day == NULL || strlen(day) != 10) { /* a date: count_days asks the daily report */
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_day", "day: not a date YYYY-MM-DD: %.20s",
                          day ? day : "");
        goto out;
    }
    if ((rc = wl_thresholds_each(s, keep, &ts, err)) != WL_OK ||
        (rc = deals_in_force(&b)) != WL_OK ||
        (rc = count_days(&b, day, alert_days(day, ts.maxd))) != WL_OK)
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
    if (rc == WL_OK && (o = json_pack("{s:s, s:s, s:O, s:I, s:O}", "day", day, "scope",
                                      all ? "all" : "deal", "deals_in_force", b.deals, "thresholds",
                                      (json_int_t)ts.n, "alerts", alerts)) == NULL)
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
