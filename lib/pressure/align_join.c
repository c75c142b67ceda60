/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The joins of the alignment's build (align.c) by shared identifier and by name,
 * in near-linear work whatever the designations: never every pair of those sharing
 * a key. Designations sharing a key are taken in (list, subject) order; a slot is a
 * set whose every member agrees with every other (an identifier; a name's
 * designations without a date of birth; dates of birth agreeing through a year
 * alone, a month alone or one day), and each designation joins the slot's groups so
 * far, one try each: near one try per designation, more only where a decision
 * "different" keeps groups of a slot apart. Dates that agree only "circa" (years
 * within 2) are joined along their sorted years. The groups are those that comparing
 * every pair would give (tests/unit/pressure/test_align.c checks it against that).
 * docs/internals/pressure.md, "The same subject across lists".
 */
#include <stdlib.h>
#include <string.h>

#include "pressure/align_int.h"

static wl_rc nomem(al_builder *b)
{
    return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
}

int wl_pressure_align_grow(void **p, uint32_t *cap, size_t n, size_t size)
{
    void *q;
    if (n < *cap)
        return 0;
    if ((q = wl_realloc(*p, (*cap ? 2 * (size_t)*cap : 64) * size)) == NULL)
        return -1;
    *p = q;
    *cap = *cap ? 2 * *cap : 64;
    return 0;
}

uint32_t wl_pressure_align_find(uint32_t *p, uint32_t x)
{
    while (p[x] != x)
        x = p[x] = p[p[x]];
    return x;
}

int wl_pressure_align_join(al_builder *b, uint32_t x, uint32_t y, int by, const char *detail)
{
    wl_pressure_align *a = b->a;
    uint32_t rx = wl_pressure_align_find(b->parent, x), ry = wl_pressure_align_find(b->parent, y);
    if (rx == ry)
        return 0;
    for (uint32_t i = 0; i < b->ndiff; i++) {
        uint32_t f0 = wl_pressure_align_find(b->parent, b->diff[i][0]);
        uint32_t f1 = wl_pressure_align_find(b->parent, b->diff[i][1]);
        if ((f0 == rx && f1 == ry) || (f0 == ry && f1 == rx)) {
            a->kept_apart++;
            return 0;
        }
    }
    if (wl_pressure_align_grow((void **)&a->joins, &b->capj, a->nj, sizeof *a->joins) != 0)
        return -1;
    a->joins[a->nj] = (al_join){x < y ? x : y, x < y ? y : x, by, ""};
    (void)!wl_fmt(a->joins[a->nj].detail, sizeof a->joins[0].detail, "%.150s", detail);
    a->nj++;
    b->parent[rx < ry ? ry : rx] = rx < ry ? rx : ry;
    return 0;
}

/* What one key's joins share: why in words, and a slot's groups so far (room for all). */
typedef struct {
    al_builder *b;
    int by;
    char detail[200];
    uint32_t *reps;
    size_t nreps;
} bucket;

/* x and y tried (counted as the work); 0, or -1 out of memory. */
static int try_pair(bucket *k, uint32_t x, uint32_t y)
{
    k->b->a->compared++;
    return wl_pressure_align_join(k->b, x, y, k->by, k->detail);
}

/*
 * x tries each group of the slot so far; add: x agrees with the slot's every member, and
 * becomes a group of it when it joined none (a decision keeps it apart from them all).
 */
static int try_slot(bucket *k, uint32_t x, int add)
{
    int joined = 0;
    for (size_t i = 0; i < k->nreps; i++) {
        if (try_pair(k, k->reps[i], x) != 0)
            return -1;
        joined |= wl_pressure_align_find(k->b->parent, k->reps[i]) ==
                  wl_pressure_align_find(k->b->parent, x);
    }
    if (add && !joined)
        k->reps[k->nreps++] = x;
    return 0;
}

/* A date of birth of a designation, as the sort wants it. */
typedef struct {
    int year;
    unsigned month, day;
    uint32_t d;
} dob_tok;

static int tok_cmp(const void *x, const void *y)
{
    const dob_tok *p = x, *q = y;
    if (p->year != q->year)
        return (p->year > q->year) - (p->year < q->year);
    if (p->month != q->month)
        return (p->month > q->month) - (p->month < q->month);
    if (p->day != q->day)
        return (p->day > q->day) - (p->day < q->day);
    return (p->d > q->d) - (p->d < q->d);
}

/* The end of the run from s of tokens whose first `depth` fields (year, month, day) agree. */
static size_t run_end(const dob_tok *t, size_t s, size_t n, int depth)
{
    size_t e = s + 1;
    while (e < n && t[e].year == t[s].year && (depth < 2 || t[e].month == t[s].month) &&
           (depth < 3 || t[e].day == t[s].day))
        e++;
    return e;
}

/*
 * Exact dates t[s..e) of one year (depth 1) or one month (2), or one day (3): those
 * without the finer field (the year alone, the month alone) agree with the whole run and
 * are its slot; the others try it, then their finer runs.
 */
static int join_runs(bucket *k, const dob_tok *t, size_t s, size_t e, int depth)
{
    size_t i = s;
    k->nreps = 0;
    if (depth == 3) {
        for (; i < e; i++)
            if (try_slot(k, t[i].d, 1) != 0)
                return -1;
        return 0;
    }
    for (; i < e && (depth == 1 ? t[i].month : t[i].day) == 0; i++)
        if (try_slot(k, t[i].d, 1) != 0)
            return -1;
    for (size_t j = i; j < e && k->nreps; j++)
        if (try_slot(k, t[j].d, 0) != 0)
            return -1;
    for (size_t f; i < e; i = f)
        if (join_runs(k, t, i, f = run_end(t, i, e, depth + 1), depth + 1) != 0)
            return -1;
    return 0;
}

/* Circa dates c[0..nc) by year, exact ones t[0..nt): circa agree within 2 years of anything. */
static int join_circa(bucket *k, const dob_tok *c, size_t nc, const dob_tok *t, size_t nt)
{
    for (size_t i = 1; i < nc; i++)
        if (c[i].year - c[i - 1].year <= 2 && try_pair(k, c[i - 1].d, c[i].d) != 0)
            return -1;
    /* an exact date joins the first and the last circa of [year - 2, year + 2]: the circa
       of [year - 2, year] are within 2 of each other, joined above, and so of [year, +2] */
    for (size_t i = 0, lo = 0, hi = 0; nc && i < nt; i++) { /* t by year: lo, hi only grow */
        while (lo < nc && c[lo].year < t[i].year - 2)
            lo++;
        while (hi + 1 < nc && c[hi + 1].year <= t[i].year + 2)
            hi++;
        if (lo < nc && c[lo].year <= t[i].year + 2 &&
            (try_pair(k, c[lo].d, t[i].d) != 0 || try_pair(k, c[hi].d, t[i].d) != 0))
            return -1;
    }
    return 0;
}

/*
 * The designations ds[0..n) of one name key and one type, in order: those without a date
 * of birth agree with every one, a slot; then the dates, when more than one group is left.
 */
static wl_rc join_type(bucket *k, const uint32_t *ds, size_t n)
{
    al_builder *b = k->b;
    uint32_t kept = b->a->kept_apart;
    size_t ntok = 0, nt = 0, nc = 0;
    dob_tok *t, *c;
    wl_rc rc = WL_OK;
    k->nreps = 0;
    for (size_t i = 0; i < n; i++)
        if (b->ndobs[ds[i]] == 0 && try_slot(k, ds[i], 1) != 0)
            return nomem(b);
    for (size_t i = 0; i < n && k->nreps; i++)
        if (b->ndobs[ds[i]] && try_slot(k, ds[i], 0) != 0)
            return nomem(b);
    if (k->nreps == 1 && b->a->kept_apart == kept)
        return WL_OK; /* every one joined the first without a date */
    for (size_t i = 0; i < n; i++)
        ntok += b->ndobs[ds[i]];
    if ((t = wl_malloc((2 * ntok + 1) * sizeof *t)) == NULL)
        return nomem(b);
    c = t + ntok;
    for (size_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < b->ndobs[ds[i]]; j++) {
            const wl_name_date *dt = &b->dobs[ds[i]][j];
            dob_tok x = {dt->year, dt->month, dt->day, ds[i]};
            if (dt->circa)
                c[nc++] = (dob_tok){dt->year, 0, 0, ds[i]};
            else
                t[nt++] = x;
        }
    qsort(t, nt, sizeof *t, tok_cmp);
    qsort(c, nc, sizeof *c, tok_cmp);
    for (size_t s = 0, e; s < nt && rc == WL_OK; s = e)
        if (join_runs(k, t, s, e = run_end(t, s, nt, 1), 1) != 0)
            rc = nomem(b);
    if (rc == WL_OK && join_circa(k, c, nc, t, nt) != 0)
        rc = nomem(b);
    wl_free(t);
    return rc;
}

static int keyed_cmp(const void *x, const void *y)
{
    const al_keyed *p = x, *q = y;
    int c = strcmp(p->key, q->key);
    return c ? c : (p->d > q->d) - (p->d < q->d);
}

/* One key's designations ds[0..n), each once, in order: an identifier's are one slot; a
   name's are joined type by type. */
static wl_rc join_bucket(bucket *k, uint32_t *ds, size_t n, uint32_t *scratch)
{
    if (k->by == WL_JOIN_IDENTIFIER) {
        k->nreps = 0;
        for (size_t i = 0; i < n; i++)
            if (try_slot(k, ds[i], 1) != 0)
                return nomem(k->b);
        return WL_OK;
    }
    while (n > 0) { /* the designations of the first's type, then the rest */
        const char *type = k->b->a->d[ds[0]].type;
        size_t same = 0, rest = 0;
        wl_rc rc;
        for (size_t i = 0; i < n; i++)
            if (strcmp(k->b->a->d[ds[i]].type, type) == 0)
                ds[same++] = ds[i];
            else
                scratch[rest++] = ds[i];
        if ((rc = join_type(k, ds, same)) != WL_OK)
            return rc;
        memcpy(ds, scratch, rest * sizeof *ds);
        n = rest;
    }
    return WL_OK;
}

static wl_rc join_keyed(al_builder *b, al_keyed *key, size_t n, int by)
{
    uint32_t *ds = wl_malloc((3 * n + 1) * sizeof *ds);
    bucket k = {b, by, "", NULL, 0};
    wl_rc rc = WL_OK;
    if (ds == NULL)
        return nomem(b);
    k.reps = ds + 2 * n; /* at most one a designation, or a date: see join_type's own */
    if (n)               /* key may be NULL when nothing has this key kind */
        qsort(key, n, sizeof *key, keyed_cmp);
    for (size_t s = 0, e; s < n && rc == WL_OK; s = e) {
        size_t m = 0;
        for (e = s; e < n && strcmp(key[e].key, key[s].key) == 0; e++)
            if (m == 0 || ds[m - 1] != key[e].d)
                ds[m++] = key[e].d;
        if (m < 2)
            continue;
        (void)!wl_fmt(k.detail, sizeof k.detail, "%s %.150s",
                      by == WL_JOIN_NAME ? "every word of the name, loosened:" : "the identifier",
                      key[s].key);
        rc = join_bucket(&k, ds, m, ds + n);
    }
    wl_free(ds);
    return rc;
}

wl_rc wl_pressure_align_join_keys(al_builder *b)
{
    wl_rc rc = join_keyed(b, b->ids, b->nids, WL_JOIN_IDENTIFIER);
    return rc == WL_OK ? join_keyed(b, b->names, b->nnames, WL_JOIN_NAME) : rc;
}
