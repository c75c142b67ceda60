/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Views of third-party reference data (issue 9, point 8): a source's
 * totals per donor, currency, type and stage, summed exactly (every digit
 * the source gave), and its rows page by page. Every answer names the
 * source, its release and file and says it is third-party data: nothing
 * here is a member's own report, and no view of members' flows reads it.
 * docs/internals/flows.md, "Reference data".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/csv.h"
#include "willing/reference.h"

static const char *const types[] = {"military", "financial", "humanitarian"};
static const char *const stages[] = {"allocation", "commitment"};
#define NTYPES 3
#define NSTAGES 2

/* Who the data comes from, in words a reader can cite. */
static void attribution(const char *source, const char *release, char *out, size_t cap)
{
    if (strcmp(source, WL_KIEL_SOURCE) == 0)
        snprintf(out, cap,
                 "Kiel Institute for the World Economy, Ukraine Support Tracker (Trebesch et al., "
                 "Kiel Working Paper 2218), release %s: third-party reference data, not a "
                 "member's own report",
                 release);
    else
        snprintf(out, cap, "%s, release %s: third-party reference data, not a member's own report",
                 source, release);
}

/* The release asked for, or the source's latest. */
static wl_rc pick_release(wl_store *s, const char *source, const char *release, char *out,
                          size_t cap, wl_error *err)
{
    wl_rc rc;
    if (release) {
        snprintf(out, cap, "%s", release);
        return WL_OK;
    }
    rc = wl_store_ref_latest(s, source, out, cap);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "unknown_source", "no reference data from '%s'", source);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "cannot read the reference data");
    return WL_OK;
}

static json_t *head(const char *source, const char *release)
{
    char who[512];
    attribution(source, release, who, sizeof who);
    return json_pack("{s:s, s:s, s:b, s:s}", "source", source, "attribution", who, "third_party", 1,
                     "release", release);
}

/* ---- totals ---- */

typedef struct {
    char donor[WL_REF_TEXT_BYTES + 1];
    char currency[4];
    wl_ref_dec sum[NTYPES][NSTAGES];
} group;

typedef struct {
    group *g;
    size_t n, cap;
    char file[65];
    uint64_t parts;
    uint64_t part_idx[WL_REF_PARTS_MAX + 1]; /* the entry of each part seen, 0: none */
    wl_error *err;
    bool refused; /* add_row set err */
} totals_ctx;

static int index_of(const char *s, const char *const *set, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return i;
    return -1;
}

static wl_rc add_row(void *ctx, const wl_store_ref *r)
{
    totals_ctx *t = ctx;
    group *g = t->n ? &t->g[t->n - 1] : NULL;
    int ty = index_of(r->type, types, NTYPES), st = index_of(r->stage, stages, NSTAGES);
    wl_ref_dec v;
    t->refused = true;
    if (ty < 0 || st < 0 || wl_ref_dec_parse(r->amount, &v) != WL_OK || r->part == 0 ||
        r->part > WL_REF_PARTS_MAX)
        return wl_error_set(t->err, WL_ERR_CORRUPT, "storage",
                            "a stored reference row (entry %llu, row %llu) is not valid",
                            (unsigned long long)r->idx, (unsigned long long)r->row);
    /* rows come by donor: a new donor or currency starts a group */
    if (g == NULL || strcmp(g->donor, r->donor) != 0 || strcmp(g->currency, r->currency) != 0) {
        g = NULL;
        for (size_t i = t->n; i > 0 && g == NULL; i--) /* same donor, another currency */
            if (strcmp(t->g[i - 1].donor, r->donor) == 0 &&
                strcmp(t->g[i - 1].currency, r->currency) == 0)
                g = &t->g[i - 1];
    }
    if (g == NULL) {
        if (t->n == WL_REF_GROUPS_MAX)
            return wl_error_set(t->err, WL_ERR_TOO_LARGE, "too_large",
                                "more than %u donors and currencies (WL_REF_GROUPS_MAX)",
                                WL_REF_GROUPS_MAX);
        if (t->n == t->cap) {
            size_t c = t->cap ? t->cap * 2 : 64;
            group *q = wl_realloc(t->g, c * sizeof *q);
            if (q == NULL)
                return wl_error_set(t->err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
            t->g = q;
            t->cap = c;
        }
        g = &t->g[t->n++];
        memset(g, 0, sizeof *g);
        memcpy(g->donor, r->donor, sizeof g->donor);
        memcpy(g->currency, r->currency, sizeof g->currency);
    }
    if (wl_ref_dec_add(&g->sum[ty][st], v) != WL_OK)
        return wl_error_set(t->err, WL_ERR_TOO_LARGE, "too_large",
                            "the total of %s passes what an exact decimal holds", r->donor);
    t->refused = false;
    t->part_idx[r->part] = r->idx;
    t->parts = r->parts;
    memcpy(t->file, r->file, sizeof t->file);
    return WL_OK;
}

static json_t *group_json(const group *g)
{
    char num[WL_REF_DEC_TEXT];
    json_t *o = json_pack("{s:s, s:s}", "donor", g->donor, "currency", g->currency);
    int bad = o == NULL;
    for (int ty = 0; !bad && ty < NTYPES; ty++) {
        json_t *f = json_object();
        bad |= f == NULL;
        for (int st = 0; !bad && st < NSTAGES; st++) {
            wl_ref_dec_format(g->sum[ty][st], num);
            bad |= json_object_set_new(f, stages[st], json_string(num));
        }
        /* json_object_set_new takes f even when it fails */
        bad |= json_object_set_new(o, types[ty], f);
    }
    if (!bad)
        return o;
    json_decref(o);
    return NULL;
}

wl_rc wl_ref_totals(wl_store *s, const char *source, const char *release, json_t **out,
                    wl_error *err)
{
    char rel[WL_REF_TEXT_BYTES + 1];
    totals_ctx *t = NULL;
    json_t *o = NULL, *rows = NULL, *entries = NULL;
    size_t have = 0;
    int bad = 0;
    wl_rc rc;

    *out = NULL;
    if ((rc = pick_release(s, source, release, rel, sizeof rel, err)) != WL_OK)
        return rc;
    if ((t = wl_calloc(1, sizeof *t)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    t->err = err;
    rc = wl_store_refs(s, source, rel, NULL, true, 0, UINT64_MAX, add_row, t);
    if (rc != WL_OK && !t->refused)
        rc = wl_error_set(err, rc, "storage", "cannot read the reference data");
    if (rc == WL_OK && t->n == 0)
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_source",
                          "no reference data from '%s', release %s", source, rel);
    if (rc != WL_OK)
        goto out;
    o = head(source, rel);
    rows = json_array();
    entries = json_array();
    if (o == NULL || rows == NULL || entries == NULL) {
        json_decref(rows);
        json_decref(entries);
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        goto out;
    }
    for (uint64_t p = 1; p <= t->parts && p <= WL_REF_PARTS_MAX; p++)
        if (t->part_idx[p]) {
            have++;
            bad |= json_array_append_new(entries, json_integer((json_int_t)t->part_idx[p]));
        }
    for (size_t i = 0; i < t->n; i++)
        bad |= json_array_append_new(rows, group_json(&t->g[i]));
    /* json_object_set_new takes its value even when it fails */
    bad |= json_object_set_new(o, "file", json_string(t->file));
    bad |= json_object_set_new(o, "entries", entries);
    bad |= json_object_set_new(o, "parts", json_integer((json_int_t)t->parts));
    bad |= json_object_set_new(o, "complete", json_boolean(have == t->parts));
    bad |= json_object_set_new(o, "by", json_string("donor"));
    bad |= json_object_set_new(o, "rows", rows);
    if (bad) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        goto out;
    }
    *out = o;
    o = NULL;
out:
    json_decref(o);
    if (t)
        wl_free(t->g);
    wl_free(t);
    return rc;
}

wl_rc wl_ref_totals_csv(const json_t *totals, wl_buf *b, size_t max)
{
    const json_t *rows = json_object_get(totals, "rows");
    static const char head[] = "donor,currency,type,allocation,commitment\r\n";
    wl_rc rc = wl_buf_append(b, head, sizeof head - 1, max);
    for (size_t i = 0; rc == WL_OK && i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i);
        for (int ty = 0; rc == WL_OK && ty < NTYPES; ty++) {
            const json_t *f = json_object_get(r, types[ty]);
            const char *cells[] = {json_string_value(json_object_get(r, "donor")),
                                   json_string_value(json_object_get(r, "currency")), types[ty],
                                   json_string_value(json_object_get(f, "allocation")),
                                   json_string_value(json_object_get(f, "commitment"))};
            for (int c = 0; rc == WL_OK && c < 5; c++)
                rc = wl_csv_cell(b, cells[c], c == 4 ? WL_CSV_LAST : 0, max);
        }
    }
    return rc;
}

/* ---- rows ---- */

typedef struct {
    json_t *list;
    uint64_t n;
} rows_ctx;

static wl_rc list_row(void *ctx, const wl_store_ref *r)
{
    rows_ctx *l = ctx;
    json_t *o =
        json_pack("{s:I, s:I, s:I, s:s, s:s?, s:s, s:s, s:s, s:s}", "index", (json_int_t)r->idx,
                  "row", (json_int_t)r->row, "line", (json_int_t)r->line, "donor", r->donor, "date",
                  r->date[0] ? r->date : NULL, "type", r->type, "stage", r->stage, "amount",
                  r->amount, "currency", r->currency);
    if (o == NULL || json_array_append_new(l->list, o) != 0)
        return WL_ERR_NOMEM;
    l->n++;
    return WL_OK;
}

wl_rc wl_ref_rows(wl_store *s, const char *source, const char *release, const char *donor,
                  uint64_t offset, uint64_t limit, json_t **out, wl_error *err)
{
    char rel[WL_REF_TEXT_BYTES + 1];
    rows_ctx l = {json_array(), 0};
    json_t *o;
    wl_rc rc;

    *out = NULL;
    if (l.list == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    if ((rc = pick_release(s, source, release, rel, sizeof rel, err)) != WL_OK) {
        json_decref(l.list);
        return rc;
    }
    /* one more than asked says whether another page follows */
    rc = wl_store_refs(s, source, rel, donor, false, offset, limit + 1, list_row, &l);
    if (rc != WL_OK) {
        json_decref(l.list);
        return wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "out_of_memory" : "storage",
                            "cannot read the reference data");
    }
    if (l.n > limit)
        json_array_remove(l.list, json_array_size(l.list) - 1);
    if ((o = head(source, rel)) == NULL)
        json_decref(l.list);
    /* json_object_set_new takes the list even when it fails */
    if (o == NULL || json_object_set_new(o, "rows", l.list) != 0 ||
        json_object_set_new(o, "more", json_boolean(l.n > limit)) != 0) {
        json_decref(o);
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    }
    *out = o;
    return WL_OK;
}
