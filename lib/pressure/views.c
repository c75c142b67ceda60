/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module's views (include/willing/pressure.h): the stored
 * designations a page at a time, and screening against an index of the
 * listed ones built with the names engine. Pure functions of a store read;
 * the daemon caches the index by the log's size. docs/internals/pressure.md,
 * "The kinds".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/pressure.h"

/* ---- the subjects, a page at a time ---- */

typedef struct {
    json_t *arr;
    char last[200];
} paging;

static wl_rc page_row(void *ctx, const wl_store_designation *d)
{
    paging *p = ctx;
    json_t *body = json_loads(d->body, 0, NULL);
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:o}", "source", d->source, "subject",
                  d->subject, "type", d->type, "author", d->author, "listed", d->listed, "delisted",
                  d->delisted, "entry", (json_int_t)d->idx, "first_entry", (json_int_t)d->first,
                  "designation", body ? body : json_null());
    if (o == NULL || json_array_append_new(p->arr, o) != 0)
        return WL_ERR_NOMEM;
    snprintf(p->last, sizeof p->last, "%s:%s", d->source, d->subject);
    return WL_OK;
}

/* The latest snapshot of source, {"entry", "file", "date"}, into *out (json null when none, or
 * when source is NULL). */
static wl_rc latest_snapshot(wl_store *s, const char *source, json_t **out, wl_error *err)
{
    uint64_t at;
    char file[65], date[11];
    wl_rc rc = source ? wl_store_snapshot_latest(s, source, &at, file, date) : WL_ERR_NOT_FOUND;
    *out = NULL;
    if (rc == WL_ERR_NOT_FOUND)
        *out = json_null();
    else if (rc == WL_OK)
        *out = json_pack("{s:I, s:s, s:s}", "entry", (json_int_t)at, "file", file, "date", date);
    else
        return wl_error_set(err, rc, "storage", "pressure: cannot read the snapshots");
    return *out ? WL_OK : wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
}

wl_rc wl_pressure_subjects(wl_store *s, const char *source, const char *after, uint64_t limit,
                           json_t **out, wl_error *err)
{
    char asrc[200] = "", asub[80] = "";
    paging p = {json_array(), ""};
    json_t *snap = NULL;
    const char *colon = after ? strrchr(after, ':') : NULL;
    wl_rc rc;
    *out = NULL;
    if (after && (colon == NULL || (size_t)(colon - after) >= sizeof asrc ||
                  strlen(colon + 1) >= sizeof asub)) {
        json_decref(p.arr);
        return wl_error_set(err, WL_ERR_INVALID, "bad_query",
                            "after: the 'next' of the page before (SOURCE:SUBJECT)");
    }
    if (after) {
        memcpy(asrc, after, (size_t)(colon - after));
        snprintf(asub, sizeof asub, "%s", colon + 1);
    }
    if (p.arr == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    uint64_t version = 0;
    rc = wl_store_size(s, &version);
    if (rc == WL_OK)
        rc = wl_store_designations(s, source, asrc, asub, limit + 1, page_row, &p);
    if (rc != WL_OK) {
        json_decref(p.arr);
        return wl_error_set(err, rc, "storage", "pressure: cannot read the designations");
    }
    if ((rc = latest_snapshot(s, source, &snap, err)) != WL_OK) {
        json_decref(p.arr);
        return rc;
    }
    /* the log's size in the caller's read: the designations as of it */
    *out = json_pack("{s:I}", "data_version", (json_int_t)version);
    if (*out == NULL) {
        json_decref(p.arr);
        json_decref(snap);
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    }
    if (source)
        json_object_set_new(*out, "snapshot", snap);
    else
        json_decref(snap);
    if (json_array_size(p.arr) > limit) {
        json_t *last;
        json_array_remove(p.arr, limit);
        last = json_array_get(p.arr, limit - 1);
        snprintf(p.last, sizeof p.last, "%s:%s", json_string_value(json_object_get(last, "source")),
                 json_string_value(json_object_get(last, "subject")));
        json_object_set_new(*out, "next", json_string(p.last));
    }
    json_object_set_new(*out, "subjects", p.arr);
    return WL_OK;
}

/* ---- the screening index ---- */

typedef struct {
    char source[65], subject[65], type[12];
    uint64_t entry;
} subject_ref;

struct wl_pressure_index {
    wl_names_index *ix;
    subject_ref *refs;
    size_t n, cap;
};

typedef struct {
    wl_pressure_index *pi;
    wl_names *names;
    wl_error *err;
} building;

/* "YYYY[-MM[-DD]]" into d; the body's check has vouched for its shape. */
static void dob_of(const json_t *o, wl_name_date *d)
{
    const char *t = json_string_value(json_object_get(o, "date"));
    memset(d, 0, sizeof *d);
    if (t == NULL)
        return;
    d->year = atoi(t);
    if (strlen(t) >= 7)
        d->month = (unsigned)atoi(t + 5);
    if (strlen(t) >= 10)
        d->day = (unsigned)atoi(t + 8);
    d->circa = json_is_true(json_object_get(o, "circa"));
}

static wl_rc add_subject(building *b, const wl_store_designation *d, const json_t *body)
{
    const json_t *names = json_object_get(body, "names"), *dobs = json_object_get(body, "dob");
    const json_t *countries = json_object_get(body, "countries"),
                 *ids = json_object_get(body, "ids");
    size_t nn = json_array_size(names), nd = json_array_size(dobs);
    size_t nc = json_array_size(countries), ni = json_array_size(ids);
    wl_name_in *in = wl_calloc(nn + 1, sizeof *in);
    wl_name_date *dd = wl_calloc(nd + 1, sizeof *dd);
    const char **cc = wl_calloc(nc + 1, sizeof *cc);
    wl_name_id *ii = wl_calloc(ni + 1, sizeof *ii);
    wl_pressure_index *pi = b->pi;
    wl_rc rc = WL_ERR_NOMEM;
    if (in && dd && cc && ii && pi->n == pi->cap) {
        size_t cap = pi->cap ? 2 * pi->cap : 256;
        subject_ref *r = wl_realloc(pi->refs, cap * sizeof *r);
        if (r)
            pi->refs = r, pi->cap = cap;
    }
    if (in && dd && cc && ii && pi->n < pi->cap) {
        subject_ref *r = &pi->refs[pi->n];
        wl_names_subject su = {.id = pi->n,
                               .names = in,
                               .n_names = nn,
                               .dobs = dd,
                               .n_dobs = nd,
                               .countries = cc,
                               .n_countries = nc,
                               .ids = ii,
                               .n_ids = ni};
        for (size_t i = 0; i < nn; i++) {
            const json_t *o = json_array_get(names, i);
            const char *q = json_string_value(json_object_get(o, "quality"));
            in[i].text = json_string_value(json_object_get(o, "name"));
            in[i].alias = json_object_get(o, "alias") != NULL;
            in[i].weak = q && strcmp(q, "weak") == 0;
        }
        for (size_t i = 0; i < nd; i++)
            dob_of(json_array_get(dobs, i), &dd[i]);
        for (size_t i = 0; i < nc; i++)
            cc[i] = json_string_value(json_array_get(countries, i));
        for (size_t i = 0; i < ni; i++) {
            ii[i].type = json_string_value(json_object_get(json_array_get(ids, i), "type"));
            ii[i].value = json_string_value(json_object_get(json_array_get(ids, i), "value"));
        }
        snprintf(r->source, sizeof r->source, "%s", d->source);
        snprintf(r->subject, sizeof r->subject, "%s", d->subject);
        snprintf(r->type, sizeof r->type, "%s", d->type);
        r->entry = d->idx;
        if ((rc = wl_names_index_add(pi->ix, b->names, &su, b->err)) == WL_OK)
            pi->n++;
    }
    if (rc == WL_ERR_NOMEM)
        wl_error_set(b->err, rc, "internal", "pressure: out of memory");
    wl_free(in);
    wl_free(dd);
    wl_free(cc);
    wl_free(ii);
    return rc;
}

static wl_rc index_row(void *ctx, const wl_store_designation *d)
{
    building *b = ctx;
    json_t *body;
    wl_rc rc;
    if (d->delisted) /* screening is against what is listed now */
        return WL_OK;
    if ((body = json_loads(d->body, 0, NULL)) == NULL)
        return wl_error_set(b->err, WL_ERR_CORRUPT, "storage",
                            "pressure: the stored designation %s:%s is not JSON", d->source,
                            d->subject);
    rc = add_subject(b, d, body);
    json_decref(body);
    return rc;
}

wl_rc wl_pressure_index_build(wl_store *s, wl_names *n, uint64_t version, wl_pressure_index **out,
                              wl_error *err)
{
    wl_pressure_index *pi = wl_calloc(1, sizeof *pi);
    building b = {pi, n, err};
    wl_rc rc;
    *out = NULL;
    if (pi == NULL || wl_names_index_new(version, &pi->ix) != WL_OK) {
        wl_free(pi);
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    }
    err->code = NULL;
    rc = wl_store_designations(s, NULL, "", "", UINT64_MAX, index_row, &b);
    if (rc != WL_OK) {
        if (err->code == NULL)
            wl_error_set(err, rc, "storage", "pressure: cannot read the designations");
        wl_pressure_index_free(pi);
        return rc;
    }
    *out = pi;
    return WL_OK;
}

void wl_pressure_index_free(wl_pressure_index *pi)
{
    if (pi == NULL)
        return;
    wl_names_index_free(pi->ix);
    wl_free(pi->refs);
    wl_free(pi);
}

uint64_t wl_pressure_index_version(const wl_pressure_index *pi)
{
    return wl_names_index_version(pi->ix);
}

const char *wl_pressure_match_text(wl_name_match m)
{
    static const char *const names[] = {"none", "partial", "loose", "exact"};
    return names[m];
}

const char *wl_pressure_agree_text(wl_name_agree a, int country)
{
    static const char *const dob[] = {"unknown", "disagree", "year", "month", "day"};
    /* a country agrees or not: no precision to name */
    return country ? (a == WL_AGREE_DAY        ? "same"
                      : a == WL_AGREE_DISAGREE ? "disagree"
                                               : "unknown")
                   : dob[a];
}

/* A score as the answer gives it: to the hundredth, as the why and the CSV print it. */
static double hundredths(double x)
{
    char t[32];
    snprintf(t, sizeof t, "%.2f", x);
    return strtod(t, NULL);
}

json_t *wl_pressure_candidates_json(const wl_pressure_index *pi, const wl_names_candidate *c,
                                    size_t count)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < count; i++) {
        const subject_ref *r = &pi->refs[c[i].subject];
        char schemes[128];
        json_t *o;
        wl_names_schemes_text(c[i].schemes, schemes, sizeof schemes);
        o = json_pack("{s:s, s:s, s:s, s:I, s:f, s:f, s:s?, s:s?, s:s, s:s, s:b, s:b, s:s, s:s,"
                      " s:s}",
                      "source", r->source, "subject", r->subject, "type", r->type, "entry",
                      (json_int_t)r->entry, "score", hundredths(c[i].score), "name_score",
                      hundredths(c[i].name_score), "name", c[i].name, "key", c[i].key, "schemes",
                      schemes, "match", wl_pressure_match_text(c[i].how), "alias", c[i].alias,
                      "weak", c[i].weak, "dob", wl_pressure_agree_text(c[i].dob, 0), "country",
                      wl_pressure_agree_text(c[i].country, 1), "why", c[i].why);
        if (o && c[i].id_type)
            json_object_set_new(o, "identifier",
                                json_pack("{s:s, s:s}", "type", c[i].id_type, "value",
                                          c[i].id_value ? c[i].id_value : ""));
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

size_t wl_pressure_index_subjects(const wl_pressure_index *pi)
{
    return pi->n;
}

const wl_names_index *wl_pressure_index_names(const wl_pressure_index *pi)
{
    return pi->ix;
}

void wl_pressure_index_ref(const wl_pressure_index *pi, uint64_t id, const char **source,
                           const char **subject, const char **type, uint64_t *entry)
{
    const subject_ref *r = &pi->refs[id];
    *source = r->source, *subject = r->subject, *type = r->type, *entry = r->entry;
}

wl_rc wl_pressure_screen(wl_names *n, const wl_pressure_index *pi, const wl_names_query *q,
                         json_t **out, wl_error *err)
{
    wl_names_candidate *c = wl_calloc(WL_SCREEN_LIMIT_MAX, sizeof *c);
    size_t count = 0;
    json_t *arr;
    wl_rc rc;
    *out = NULL;
    if (c == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    if ((rc = wl_names_screen(n, pi->ix, q, c, WL_SCREEN_LIMIT_MAX, &count, err)) != WL_OK) {
        wl_free(c);
        return rc;
    }
    arr = wl_pressure_candidates_json(pi, c, count);
    wl_free(c);
    if (arr == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    *out = json_pack("{s:I, s:I, s:I, s:o}", "data_version",
                     (json_int_t)wl_names_index_version(pi->ix), "subjects_screened",
                     (json_int_t)pi->n, "name_keys", (json_int_t)wl_names_index_keys(pi->ix),
                     "candidates", arr);
    return *out ? WL_OK : wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
}
