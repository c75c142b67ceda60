/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The import snapshots (include/willing/pressure.h, wl_pressure_snapshots):
 * every pressure.snapshot the store holds, a list's in the order written, as
 * JSON or CSV. A pure function of a store read. docs/internals/pressure.md,
 * "Importing a list".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/csv.h"
#include "willing/limits.h"
#include "willing/pressure.h"

static const char *const counts[4] = {"subjects", "added", "amended", "delisted"};

typedef struct {
    json_t *arr;  /* JSON: the snapshots */
    wl_buf *csv;  /* CSV: the lines */
    char ver[24]; /* CSV: data_version's cell */
} listing;

static wl_rc cells(wl_buf *b, const char *const *v, size_t n)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; rc == WL_OK && i < n; i++)
        rc = wl_csv_cell(b, v[i], i + 1 == n ? WL_CSV_LAST : 0, WL_PRESSURE_CSV_MAX);
    return rc;
}

static wl_rc one(void *ctx, const wl_store_snapshot *p)
{
    listing *l = ctx;
    json_t *body = json_loads(p->body, 0, NULL), *c = json_object(), *o;
    const json_t *in = json_object_get(body, "counts");
    /* the entry of the snapshot it was compared against; 0: none (the list's first) */
    json_int_t base = json_integer_value(json_object_get(body, "base"));
    wl_rc rc = WL_OK;
    for (size_t i = 0; c && i < 4; i++) /* the body's check vouched for each */
        if (json_object_set(c, counts[i], json_object_get(in, counts[i])) != 0) {
            json_decref(c);
            c = NULL;
        }
    json_decref(body);
    if (c == NULL)
        return WL_ERR_NOMEM;
    if (l->csv) {
        char n[4][24], entry[24], from[24] = "";
        for (size_t i = 0; i < 4; i++)
            snprintf(n[i], sizeof n[i], "%lld",
                     (long long)json_integer_value(json_object_get(c, counts[i])));
        snprintf(entry, sizeof entry, "%llu", (unsigned long long)p->idx);
        if (base > 0)
            snprintf(from, sizeof from, "%lld", (long long)base);
        const char *row[] = {p->list, p->date, p->file, n[0],      n[1],  n[2],
                             n[3],    entry,   from,    p->author, l->ver};
        json_decref(c);
        return cells(l->csv, row, 11);
    }
    o = json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:s}", "list", p->list, "date", p->date, "file",
                  p->file, "counts", c, "entry", (json_int_t)p->idx, "base",
                  base > 0 ? json_integer(base) : json_null(), "author", p->author);
    if (o == NULL || json_array_append_new(l->arr, o) != 0)
        rc = WL_ERR_NOMEM;
    return rc;
}

wl_rc wl_pressure_snapshots(wl_store *s, const char *list, uint64_t version, json_t **json,
                            wl_buf *csv, wl_error *err)
{
    static const char *const head[] = {"list",  "date",    "file",        "subjects",
                                       "added", "amended", "delisted",    "entry",
                                       "base",  "author",  "data_version"};
    listing l = {NULL, csv, ""};
    wl_rc rc = WL_OK;
    if (json)
        *json = NULL;
    snprintf(l.ver, sizeof l.ver, "%llu", (unsigned long long)version);
    if (csv)
        rc = cells(csv, head, 11);
    else if ((l.arr = json_array()) == NULL)
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = wl_store_snapshots(s, list, one, &l);
    if (rc == WL_OK && json &&
        (*json = json_pack("{s:I, s:s?, s:O}", "data_version", (json_int_t)version, "list", list,
                           "snapshots", l.arr)) == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(l.arr);
    if (rc == WL_ERR_TOO_LARGE)
        return wl_error_set(err, rc, "too_large", "the snapshots' CSV is over %u bytes",
                            WL_PRESSURE_CSV_MAX);
    if (rc == WL_ERR_NOMEM)
        return wl_error_set(err, rc, "internal", "pressure: out of memory");
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "pressure: cannot read the snapshots");
    return WL_OK;
}
