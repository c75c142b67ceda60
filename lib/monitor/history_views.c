/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Views of history (issue 11, point 5): UCDP's yearly counts of events and
 * deaths (best, high, low) by type of violence, from the store or from
 * events in memory, and the events a page at a time by day, box and type
 * for the map. Every answer names UCDP and its release and says these are
 * historical events, not monitors' reports. docs/internals/monitor.md,
 * "History".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/csv.h"
#include "willing/history.h"

static const char *const type_names[] = {"", "state-based", "non-state", "one-sided"};

static json_t *head(const char *release)
{
    char who[600];
    snprintf(who, sizeof who,
             "Uppsala Conflict Data Program (UCDP), Georeferenced Event Dataset, release %s, "
             "CC BY 4.0 (Sundberg & Melander 2013; Davies, Pettersson & Oberg 2023): historical "
             "events, not monitors' reports",
             release);
    return json_pack("{s:s, s:s, s:b, s:b, s:s}", "source", WL_UCDP_SOURCE, "attribution", who,
                     "third_party", 1, "historical", 1, "release", release);
}

/* The release asked for, or the latest imported. */
static wl_rc pick_release(wl_store *s, const char *release, char *out, size_t cap, wl_error *err)
{
    wl_rc rc;
    if (release) {
        snprintf(out, cap, "%s", release);
        return WL_OK;
    }
    rc = wl_store_history_latest(s, WL_UCDP_SOURCE, out, cap);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "no_history",
                            "no history imported: UCDP's events are "
                            "imported with willing history import-ucdp");
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "cannot read the history");
    return WL_OK;
}

/* ---- yearly counts ---- */

typedef struct {
    json_t *years, *year; /* the array, and its last year's object */
    uint64_t total[4];    /* events, best, high, low */
    bool failed;
} counts_ctx;

static json_t *figures(uint64_t events, uint64_t best, uint64_t high, uint64_t low)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "events", (json_int_t)events, "best", (json_int_t)best,
                     "high", (json_int_t)high, "low", (json_int_t)low);
}

/* Adds v to a figure of o; 0, or -1 when it cannot. */
static int add_to(json_t *o, const char *k, uint64_t v)
{
    return json_object_set_new(
        o, k, json_integer(json_integer_value(json_object_get(o, k)) + (json_int_t)v));
}

static wl_rc add_count(void *ctx, const wl_store_history_count *c)
{
    counts_ctx *t = ctx;
    json_t *ty;
    const uint64_t v[4] = {c->events, c->best, c->high, c->low};
    static const char *const keys[4] = {"events", "best", "high", "low"};
    if (t->year == NULL ||
        json_integer_value(json_object_get(t->year, "year")) != (json_int_t)c->year) {
        t->year = json_pack("{s:i, s:I, s:I, s:I, s:I, s:[]}", "year", c->year, "events",
                            (json_int_t)0, "best", (json_int_t)0, "high", (json_int_t)0, "low",
                            (json_int_t)0, "by_type");
        /* json_array_append_new takes its value even when it fails */
        if (t->year == NULL || json_array_append_new(t->years, t->year) != 0) {
            t->year = NULL;
            t->failed = true;
            return WL_ERR_NOMEM;
        }
    }
    ty = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I}", "type_of_violence", c->type, "type",
                   c->type >= 1 && c->type <= 3 ? type_names[c->type] : "?", "events",
                   (json_int_t)c->events, "best", (json_int_t)c->best, "high", (json_int_t)c->high,
                   "low", (json_int_t)c->low);
    if (ty == NULL || json_array_append_new(json_object_get(t->year, "by_type"), ty) != 0) {
        t->failed = true;
        return WL_ERR_NOMEM;
    }
    for (int i = 0; i < 4; i++) {
        if (add_to(t->year, keys[i], v[i]) != 0) {
            t->failed = true;
            return WL_ERR_NOMEM;
        }
        t->total[i] += v[i];
    }
    return WL_OK;
}

static wl_rc finish_counts(counts_ctx *t, json_t *o, wl_error *err)
{
    json_t *years = t->years;
    if (t->failed)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    /* json_object_set_new takes its value even when it fails: years first, then the rest */
    t->years = NULL;
    if (json_object_set_new(o, "years", years) != 0 ||
        json_object_set_new(o, "types",
                            json_pack("{s:s, s:s, s:s}", "1", type_names[1], "2", type_names[2],
                                      "3", type_names[3])) != 0 ||
        json_object_set_new(o, "total",
                            figures(t->total[0], t->total[1], t->total[2], t->total[3])) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    return WL_OK;
}

typedef struct {
    json_t *entries;
    uint64_t parts, seen;
    char file[65];
} parts_ctx;

static wl_rc add_part(void *ctx, uint64_t part, uint64_t parts, uint64_t idx, const char *file)
{
    parts_ctx *p = ctx;
    (void)part;
    p->parts = parts;
    p->seen++;
    if (file && !p->file[0])
        snprintf(p->file, sizeof p->file, "%s", file);
    return json_array_append_new(p->entries, json_integer((json_int_t)idx)) ? WL_ERR_NOMEM : WL_OK;
}

wl_rc wl_history_years(wl_store *s, const char *release, json_t **out, wl_error *err)
{
    char rel[WL_REF_TEXT_BYTES + 1];
    counts_ctx t = {0};
    parts_ctx p = {0};
    json_t *o = NULL;
    wl_rc rc;
    *out = NULL;
    if ((rc = pick_release(s, release, rel, sizeof rel, err)) != WL_OK)
        return rc;
    t.years = json_array();
    p.entries = json_array();
    if ((o = head(rel)) == NULL || t.years == NULL || p.entries == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        goto out;
    }
    if ((rc = wl_store_history_parts(s, WL_UCDP_SOURCE, rel, add_part, &p)) != WL_OK ||
        (rc = wl_store_history_counts(s, WL_UCDP_SOURCE, rel, add_count, &t)) != WL_OK) {
        wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "out_of_memory" : "storage",
                     "cannot read the history");
        goto out;
    }
    if (p.seen == 0) {
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "no_history",
                          "no release '%s' of UCDP's events imported", rel);
        goto out;
    }
    /* json_object_set_new takes its value even when it fails: the entries first */
    rc = json_object_set_new(o, "entries", p.entries) != 0 ? WL_ERR_NOMEM : WL_OK;
    p.entries = NULL;
    if (rc != WL_OK || json_object_set_new(o, "file", json_string(p.file)) != 0 ||
        json_object_set_new(o, "parts", json_integer((json_int_t)p.parts)) != 0 ||
        json_object_set_new(o, "complete", json_boolean(p.seen == p.parts)) != 0) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        goto out;
    }
    if ((rc = finish_counts(&t, o, err)) == WL_OK) {
        *out = o;
        o = NULL;
    }
out:
    json_decref(o);
    json_decref(t.years);
    json_decref(p.entries);
    return rc;
}

static int by_year_type(const void *a, const void *b)
{
    const wl_store_history_count *x = a, *y = b;
    if (x->year != y->year)
        return x->year - y->year;
    return x->type - y->type;
}

wl_rc wl_history_years_of(const wl_history_event *ev, size_t n, const char *release, json_t **out,
                          wl_error *err)
{
    wl_store_history_count *c = NULL;
    size_t nc = 0;
    counts_ctx t = {0};
    json_t *o = head(release);
    wl_rc rc = WL_OK;
    *out = NULL;
    /* at most a count per event: years x 3 types in practice */
    if (o == NULL || (t.years = json_array()) == NULL ||
        (n && (c = wl_malloc(n * sizeof *c)) == NULL)) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < nc && (c[j].year != ev[i].year || c[j].type != ev[i].type))
            j++;
        if (j == nc) {
            memset(&c[nc], 0, sizeof c[nc]);
            c[nc].year = ev[i].year;
            c[nc++].type = ev[i].type;
        }
        c[j].events++;
        c[j].best += ev[i].best;
        c[j].high += ev[i].high;
        c[j].low += ev[i].low;
    }
    qsort(c, nc, sizeof *c, by_year_type);
    for (size_t j = 0; j < nc && rc == WL_OK; j++)
        rc = add_count(&t, &c[j]);
    if (rc != WL_OK)
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    else if ((rc = finish_counts(&t, o, err)) == WL_OK) {
        *out = o;
        o = NULL;
    }
out:
    wl_free(c);
    json_decref(o);
    json_decref(t.years);
    return rc;
}

wl_rc wl_history_years_csv(const json_t *years, wl_buf *b, size_t max)
{
    static const char *const hdr[] = {"year", "type_of_violence", "type", "events", "best", "high",
                                      "low"};
    size_t i, j;
    json_t *y, *t;
    char num[7][24];
    wl_rc rc = WL_OK;
    for (size_t k = 0; k < 7 && rc == WL_OK; k++)
        rc = wl_csv_cell(b, hdr[k], k == 6 ? WL_CSV_LAST : 0, max);
    json_array_foreach(json_object_get(years, "years"), i, y)
    {
        json_array_foreach(json_object_get(y, "by_type"), j, t)
        {
            static const char *const keys[] = {"events", "best", "high", "low"};
            snprintf(num[0], sizeof num[0], "%lld",
                     (long long)json_integer_value(json_object_get(y, "year")));
            snprintf(num[1], sizeof num[1], "%lld",
                     (long long)json_integer_value(json_object_get(t, "type_of_violence")));
            for (int k = 0; k < 4; k++)
                snprintf(num[3 + k], sizeof num[3 + k], "%lld",
                         (long long)json_integer_value(json_object_get(t, keys[k])));
            for (int k = 0; k < 7 && rc == WL_OK; k++)
                rc = wl_csv_cell(b, k == 2 ? json_string_value(json_object_get(t, "type")) : num[k],
                                 k == 6 ? WL_CSV_LAST : 0, max);
        }
    }
    return rc;
}

/* ---- events, a page at a time ---- */

typedef struct {
    json_t *events;
    uint64_t n, limit;
} page_ctx;

static wl_rc add_event(void *ctx, uint64_t idx, const char *event)
{
    page_ctx *p = ctx;
    char *text;
    json_t *o;
    if (++p->n > p->limit)
        return WL_OK; /* one more than the page: there is a next one */
    if ((o = json_loads(event ? event : "", 0, NULL)) == NULL || !json_is_object(o)) {
        json_decref(o);
        return WL_ERR_CORRUPT;
    }
    /*
     * jansson's lexer drops a character of a key or string when its buffer cannot grow
     * (an allocation failing), and still answers: the event read back is checked against
     * the stored text, so a page never holds a key that is not UCDP's
     */
    if ((text = json_dumps(o, JSON_COMPACT)) == NULL || strcmp(text, event) != 0) {
        free(text);
        json_decref(o);
        return WL_ERR_NOMEM;
    }
    free(text);
    if (json_object_set_new(o, "index", json_integer((json_int_t)idx)) != 0) {
        json_decref(o);
        return WL_ERR_NOMEM;
    }
    if (json_array_append_new(p->events, o) != 0) /* takes o even when it fails */
        return WL_ERR_NOMEM;
    return WL_OK;
}

wl_rc wl_history_events(wl_store *s, const wl_history_query *q, json_t **out, wl_error *err)
{
    char rel[WL_REF_TEXT_BYTES + 1];
    wl_store_history_query x;
    page_ctx p = {0};
    json_t *o = NULL;
    wl_rc rc;
    *out = NULL;
    if ((rc = pick_release(s, q->release, rel, sizeof rel, err)) != WL_OK)
        return rc;
    memset(&x, 0, sizeof x);
    x.source = WL_UCDP_SOURCE;
    x.release = rel;
    x.from = q->from;
    x.to = q->to;
    x.box = q->box;
    x.west = q->west, x.south = q->south, x.east = q->east, x.north = q->north;
    x.type = q->type;
    x.offset = q->offset;
    x.limit = q->limit + 1;
    p.limit = q->limit;
    if ((o = head(rel)) == NULL || (p.events = json_array()) == NULL ||
        json_object_set_new(o, "events", p.events) != 0) {
        json_decref(o);
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    }
    if ((rc = wl_store_history_events(s, &x, add_event, &p)) != WL_OK) {
        json_decref(o);
        return wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "out_of_memory" : "storage",
                            "cannot read the history");
    }
    if (json_object_set_new(o, "more", json_boolean(p.n > q->limit)) != 0) {
        json_decref(o);
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    }
    *out = o;
    return WL_OK;
}

wl_rc wl_history_events_csv(const json_t *page, wl_buf *b, size_t max)
{
    static const char *const cols[] = {"index",
                                       "id",
                                       "year",
                                       "type_of_violence",
                                       "date_start",
                                       "date_end",
                                       "date_prec",
                                       "latitude",
                                       "longitude",
                                       "where_prec",
                                       "where_description",
                                       "adm_1",
                                       "adm_2",
                                       "conflict_name",
                                       "dyad_name",
                                       "side_a",
                                       "side_b",
                                       "deaths_a",
                                       "deaths_b",
                                       "deaths_civilians",
                                       "deaths_unknown",
                                       "best",
                                       "high",
                                       "low",
                                       "transcoded"};
    const size_t n = sizeof cols / sizeof cols[0];
    size_t i;
    json_t *e;
    char num[24];
    wl_rc rc = WL_OK;
    for (size_t k = 0; k < n && rc == WL_OK; k++)
        rc = wl_csv_cell(b, cols[k], k == n - 1 ? WL_CSV_LAST : 0, max);
    json_array_foreach(json_object_get(page, "events"), i, e)
    {
        for (size_t k = 0; k < n && rc == WL_OK; k++) {
            const json_t *v = json_object_get(e, cols[k]);
            const char *s = json_string_value(v);
            if (json_is_integer(v)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                s = num;
            }
            rc = wl_csv_cell(b, s, k == n - 1 ? WL_CSV_LAST : 0, max);
        }
    }
    return rc;
}
