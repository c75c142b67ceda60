/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (lib/monitor/correlate_int.h): the space-time grid. A report's
 * level (the first whose radius and time precision it fits), the cells of
 * each level in one open-addressing table, a report put in its cell's
 * chain, and the query: every held report within a report's window, checked
 * exactly but for the distance (its class, its splits, the time) and left in
 * c->cand. While a rebuild joins the finer levels, a coarser level is
 * frozen: its reports laid out by cell (row and column) and then by time, so
 * a query reads in each cell only those within its window, in a row.
 * docs/internals/monitor.md ("Incidents").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "correlate_int.h"

/* The levels: a report goes to the first whose radius and time precision it fits. */
static const uint32_t RMAX[CORR_LEVELS] = {1500, 5000, 25000, 100000};       /* m */
static const uint32_t PTMAX[CORR_LEVELS] = {900, 3600, 6 * 3600, 48 * 3600}; /* s */
/* A level's cells: (2 rmax + D) by (2 ptmax + T) times this: the coarse levels' finer, so that
 * a precise report's query walks fewer coarse reports outside its window (more cells asked). */
static const double SCALE[CORR_LEVELS] = {1, 1, 0.5, 0.5};
#define DEG (180.0 / M_PI)
#define M_PER_DEG (WL_CORR_EARTH_M / DEG)

uint64_t corr_mix(uint64_t k) /* splitmix64's finaliser */
{
    k ^= k >> 30;
    k *= 0xBF58476D1CE4E5B9u;
    k ^= k >> 27;
    k *= 0x94D049BB133111EBu;
    return k ^ (k >> 31);
}

uint32_t *wl_corr_table_get(const corr_table *t, uint64_t key)
{
    if (t->cap == 0)
        return NULL;
    for (size_t i = corr_mix(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (t->keys[i] == key)
            return &t->vals[i];
        if (t->keys[i] == 0)
            return NULL;
    }
}

/* Room for n keys at a load of at most one half; on failure the table is unchanged. */
wl_rc wl_corr_table_reserve(corr_table *t, size_t n)
{
    size_t cap = t->cap ? t->cap : 1024;
    corr_table nt = {0};
    while (cap < 2 * n)
        cap *= 2;
    if (cap == t->cap)
        return WL_OK;
    nt.keys = wl_calloc(cap, sizeof *nt.keys);
    nt.vals = wl_malloc(cap * sizeof *nt.vals);
    if (nt.keys == NULL || nt.vals == NULL) {
        wl_free(nt.keys);
        wl_free(nt.vals);
        return WL_ERR_NOMEM;
    }
    nt.cap = cap;
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) {
            size_t j = corr_mix(t->keys[i]) & (cap - 1);
            while (nt.keys[j])
                j = (j + 1) & (cap - 1);
            nt.keys[j] = t->keys[i];
            nt.vals[j] = t->vals[i];
        }
    nt.n = t->n;
    wl_free(t->keys);
    wl_free(t->vals);
    *t = nt;
    return WL_OK;
}

void wl_corr_table_put(corr_table *t, uint64_t key, uint32_t val) /* reserved before */
{
    size_t i = corr_mix(key) & (t->cap - 1);
    while (t->keys[i] && t->keys[i] != key)
        i = (i + 1) & (t->cap - 1);
    if (t->keys[i] == 0)
        t->n++;
    t->keys[i] = key;
    t->vals[i] = val;
}

void wl_corr_table_clear(corr_table *t)
{
    if (t->cap)
        memset(t->keys, 0, t->cap * sizeof *t->keys);
    t->n = 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static uint64_t cell_key(int level, int64_t row, int64_t col, int64_t it)
{
    return (uint64_t)(level + 1) << 61 | (uint64_t)(row & 0xFFFFF) << 41 |
           (uint64_t)(col & 0xFFFFF) << 21 | (uint64_t)(it & 0x1FFFFF);
}

static int64_t col_of(const wl_corr *c, int L, double lon)
{
    int64_t col = (int64_t)floor((lon + 180.0) / c->dlon[L]);
    col %= c->ncols[L];
    return col < 0 ? col + c->ncols[L] : col;
}

static uint64_t slot_cell(const wl_corr *c, const corr_slot *u)
{
    int L = u->level;
    int64_t row = (int64_t)floor((u->phi * DEG + 90.0) / c->dlat[L]);
    return cell_key(L, row, col_of(c, L, u->lam * DEG), floordiv(u->t, c->ct[L]));
}

wl_rc wl_corr_reserve(void **p, size_t *cap, size_t need, size_t size)
{
    size_t nc = *cap ? *cap : 64;
    void *m;
    if (need <= *cap)
        return WL_OK;
    while (nc < need)
        nc *= 2;
    m = wl_realloc(*p, nc * size);
    if (m == NULL)
        return WL_ERR_NOMEM;
    *p = m;
    *cap = nc;
    return WL_OK;
}

/* A candidate u of v: a class v may join, the same splits, within both time windows. */
static wl_rc consider_as(wl_corr *c, const corr_slot *v, uint32_t u, int64_t t, uint32_t pt,
                         uint32_t type, uint32_t cls)
{
    int64_t gap = t > v->t ? t - v->t : v->t - t;
    if (!((c->compat.mask[v->type] >> type) & 1) || cls != v->cls ||
        gap > (int64_t)pt + v->pt + WL_CORR_T_S)
        return WL_OK;
    if (c->ncand == c->ccap &&
        wl_corr_reserve((void **)&c->cand, &c->ccap, c->ncand + 1, sizeof *c->cand) != WL_OK)
        return WL_ERR_NOMEM;
    c->cand[c->ncand++] = u;
    return WL_OK;
}

static wl_rc consider(wl_corr *c, const corr_slot *v, uint32_t u)
{
    const corr_slot *s = &c->s[u];
    return consider_as(c, v, u, s->t, s->pt, s->type, s->cls);
}

static wl_rc chain(wl_corr *c, const corr_slot *v, uint32_t u)
{
    for (; u != CORR_NONE; u = c->s[u].next)
        if (consider(c, v, u) != WL_OK)
            return WL_ERR_NOMEM;
    return WL_OK;
}

/* The reports of level L in the cells that may hold one within reach of v. */
static wl_rc query_level(wl_corr *c, const corr_slot *v, int L)
{
    double reach = ((double)v->radius + RMAX[L] + WL_CORR_D_M) * (1 + 1e-9) + 1;
    double lat = v->phi * DEG, lon = v->lam * DEG, dphi = reach / M_PER_DEG, dlam = 360, sn;
    int64_t r0, r1, c0, c1, t0, t1, ncols = c->ncols[L], span;
    int64_t tr = (int64_t)v->pt + PTMAX[L] + WL_CORR_T_S;
    r0 = (int64_t)floor((lat - dphi + 90.0) / c->dlat[L]);
    r1 = (int64_t)floor((lat + dphi + 90.0) / c->dlat[L]);
    r0 = r0 < 0 ? 0 : r0;
    r1 = r1 >= c->nrows[L] ? c->nrows[L] - 1 : r1;
    sn = sin(reach / WL_CORR_EARTH_M) / cos(v->phi);
    if (lat + dphi < 90.0 && lat - dphi > -90.0 && sn < 1.0)
        dlam = asin(sn) * DEG;
    if (dlam >= 180.0) {
        c0 = 0;
        c1 = ncols - 1;
    } else {
        c0 = (int64_t)floor((lon - dlam + 180.0) / c->dlon[L]);
        c1 = (int64_t)floor((lon + dlam + 180.0) / c->dlon[L]);
        if (c1 - c0 + 1 >= ncols) {
            c0 = 0;
            c1 = ncols - 1;
        }
    }
    t0 = floordiv(v->t - tr, c->ct[L]);
    t1 = floordiv(v->t + tr, c->ct[L]);
    if (c->fz[L].e) { /* frozen: per row and column, only those within the window, in a row */
        for (int64_t r = r0; r <= r1; r++)
            for (int64_t cc = c0; cc <= c1; cc++) {
                const corr_fentry *f;
                size_t k = wl_corr_frozen_range(&c->fz[L], L, r, ((cc % ncols) + ncols) % ncols, t0,
                                                t1, v->t - tr, v->t + tr, &f);
                for (size_t i = 0; i < k; i++)
                    if (consider_as(c, v, f[i].slot, f[i].t, f[i].pt, f[i].type, f[i].cls) != WL_OK)
                        return WL_ERR_NOMEM;
            }
        return WL_OK;
    }
    span = (r1 - r0 + 1) * (c1 - c0 + 1) * (t1 - t0 + 1);
    /* Fewer cells held than in the box, and the table short enough to read whole (a slot read
     * in a row costs about an eighth of a lookup): scan them. */
    if ((size_t)span > 2 * c->occupied[L] + 16 && (size_t)span > c->cells.cap / 8) {
        for (size_t i = 0; i < c->cells.cap; i++) {
            uint64_t k = c->cells.keys[i];
            int64_t row = (int64_t)(k >> 41 & 0xFFFFF), col = (int64_t)(k >> 21 & 0xFFFFF);
            uint64_t it = k & 0x1FFFFF;
            if (k == 0 || (int)(k >> 61) != L + 1 || row < r0 || row > r1 ||
                ((it - (uint64_t)t0) & 0x1FFFFF) > (uint64_t)(t1 - t0))
                continue;
            if (((col - c0) % ncols + ncols) % ncols > c1 - c0)
                continue;
            if (chain(c, v, c->cells.vals[i]) != WL_OK)
                return WL_ERR_NOMEM;
        }
        return WL_OK;
    }
    for (int64_t r = r0; r <= r1; r++)
        for (int64_t cc = c0; cc <= c1; cc++)
            for (int64_t t = t0; t <= t1; t++) {
                uint64_t key = cell_key(L, r, ((cc % ncols) + ncols) % ncols, t);
                uint32_t *h;
                h = wl_corr_table_get(&c->cells, key);
                if (h && chain(c, v, *h) != WL_OK)
                    return WL_ERR_NOMEM;
            }
    return WL_OK;
}

/* Every held report within v's window (v not yet in the grid), into c->cand. */
wl_rc wl_corr_gather(wl_corr *c, uint32_t v)
{
    c->ncand = 0;
    for (int L = 0; L < CORR_LEVELS; L++)
        if (c->count[L] && query_level(c, &c->s[v], L) != WL_OK)
            return WL_ERR_NOMEM;
    if (c->count[CORR_LEVELS] && chain(c, &c->s[v], c->list_head) != WL_OK)
        return WL_ERR_NOMEM;
    if (wl_corr_reserve((void **)&c->croot, &c->rcap, c->ncand, sizeof *c->croot) != WL_OK)
        return WL_ERR_NOMEM;
    return WL_OK;
}

void wl_corr_grid_put(wl_corr *c, uint32_t v) /* the tables reserved by the caller */
{
    corr_slot *s = &c->s[v];
    uint32_t *h;
    uint64_t k;
    c->count[s->level]++;
    wl_corr_table_put(&c->ids, s->id + 1, v);
    if (s->level == CORR_LEVELS) {
        s->next = c->list_head;
        c->list_head = v;
        return;
    }
    k = slot_cell(c, s);
    h = wl_corr_table_get(&c->cells, k);
    if (h) {
        s->next = *h;
        *h = v;
    } else {
        s->next = CORR_NONE;
        wl_corr_table_put(&c->cells, k, v);
        c->occupied[s->level]++;
    }
}

void wl_corr_grid_init(wl_corr *c)
{
    for (int L = 0; L < CORR_LEVELS; L++) {
        double cs = (2.0 * RMAX[L] + WL_CORR_D_M) * SCALE[L]; /* m */
        c->dlat[L] = cs / M_PER_DEG;
        c->nrows[L] = (int32_t)ceil(180.0 / c->dlat[L]) + 1;
        c->ncols[L] = (int32_t)ceil(360.0 / (c->dlat[L] * 1.5)); /* about square near 48 N */
        c->dlon[L] = 360.0 / c->ncols[L];
        c->ct[L] = (int64_t)((2.0 * PTMAX[L] + WL_CORR_T_S) * SCALE[L]);
    }
}

uint8_t wl_corr_level(uint32_t radius_m, uint32_t pt)
{
    for (uint8_t L = 0; L < CORR_LEVELS; L++)
        if (radius_m <= RMAX[L] && pt <= PTMAX[L])
            return L;
    return CORR_LEVELS;
}

void wl_corr_freeze(wl_corr *c, int L, uint32_t end)
{
    corr_frozen *f = &c->fz[L];
    uint32_t first = end;
    if (L == CORR_LEVELS)
        return;
    while (first > 0 && c->s[first - 1].level == L)
        first--;
    f->e = wl_malloc((end - first + 1) * sizeof *f->e);
    if (f->e == NULL)
        return; /* read through its chains */
    for (uint32_t u = first; u < end; u++)
        f->e[f->n++] = (corr_fentry){
            slot_cell(c, &c->s[u]), c->s[u].t, u, c->s[u].pt, c->s[u].cls, c->s[u].type};
    wl_corr_frozen_build(f);
}

#define CORR_COLUMN(k) ((k) & ~(uint64_t)0x1FFFFF) /* a cell's key without its time bucket */

static int cmp_fentry(const void *a, const void *b) /* by row and column, then by time */
{
    const corr_fentry *x = a, *y = b;
    if (CORR_COLUMN(x->key) != CORR_COLUMN(y->key))
        return CORR_COLUMN(x->key) < CORR_COLUMN(y->key) ? -1 : 1;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->slot > y->slot) - (x->slot < y->slot);
}

void wl_corr_frozen_free(corr_frozen *f)
{
    wl_free(f->e);
    wl_free(f->idx.keys);
    wl_free(f->idx.vals);
    f->e = NULL;
    f->n = 0;
    f->idx = (corr_table){0};
}

void wl_corr_frozen_build(corr_frozen *f)
{
    size_t cap = 64;
    while (cap < 2 * f->n)
        cap *= 2;
    f->idx.keys = wl_calloc(cap, sizeof *f->idx.keys);
    f->idx.vals = wl_malloc(cap * sizeof *f->idx.vals);
    if (f->idx.keys == NULL || f->idx.vals == NULL) {
        wl_corr_frozen_free(f);
        return;
    }
    f->idx.cap = cap;
    qsort(f->e, f->n, sizeof *f->e, cmp_fentry);
    for (size_t i = 0; i < f->n; i++) {
        size_t j;
        if (i && f->e[i].key == f->e[i - 1].key)
            continue;
        j = corr_mix(f->e[i].key) & (cap - 1);
        while (f->idx.keys[j])
            j = (j + 1) & (cap - 1);
        f->idx.keys[j] = f->e[i].key;
        f->idx.vals[j] = (uint32_t)i;
        f->idx.n++;
    }
}

size_t wl_corr_frozen_range(const corr_frozen *f, int L, int64_t row, int64_t col, int64_t b0,
                            int64_t b1, int64_t tlo, int64_t thi, const corr_fentry **first)
{
    uint64_t column = CORR_COLUMN(cell_key(L, row, col, 0));
    size_t lo = f->n, hi, end;
    *first = NULL;
    for (int64_t b = b0; b <= b1 && lo == f->n; b++) { /* the first bucket of the window held */
        uint64_t key = cell_key(L, row, col, b);
        size_t j = corr_mix(key) & (f->idx.cap - 1);
        while (f->idx.keys[j] && f->idx.keys[j] != key)
            j = (j + 1) & (f->idx.cap - 1);
        if (f->idx.keys[j] && f->e[f->idx.vals[j]].t <= thi) /* not a bucket 2^21 later */
            lo = f->idx.vals[j];
    }
    if (lo == f->n)
        return 0;
        /* The first at or after tlo: galloping from the bucket's start, then halving. */
#define BEFORE(m) ((m) < f->n && CORR_COLUMN(f->e[m].key) == column && f->e[m].t < tlo)
    if (BEFORE(lo)) {
        size_t step = 1;
        while (BEFORE(lo + step))
            step *= 2;
        hi = lo + step; /* not before */
        lo += step / 2; /* before */
        while (hi - lo > 1) {
            size_t m = lo + (hi - lo) / 2;
            if (BEFORE(m))
                lo = m;
            else
                hi = m;
        }
        lo = hi;
    }
#undef BEFORE
    for (end = lo; end < f->n && CORR_COLUMN(f->e[end].key) == column && f->e[end].t <= thi; end++)
        ;
    *first = f->e + lo;
    return end - lo;
}
