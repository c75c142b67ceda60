/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (lib/monitor/correlate_int.h): the space-time grid. A report's
 * level (the first whose radius and time precision it fits), the cells of
 * each level in one open-addressing table, a report put in its cell's
 * chain, and the query: every held report within a report's window, checked
 * exactly (its class, its splits, the time, the distance) and left in a
 * list of candidates (c->cand, or a rebuild's thread's: correlate_par.c). While a rebuild joins the
 * finer levels, a coarser level is frozen: its reports laid out by cell (row and column) and then
 * by time, so a query reads in each cell only those within its window, in a row.
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

/* A laid out level's cells: the grid's split in this many in each of latitude and longitude,
 * and in time: a query then reads fewer reports outside its reach (at one run of entries a
 * column, a finer time costs it nothing). The precise level is read bucket by bucket. */
static const int64_t LAY_SUB[CORR_LEVELS] = {1, 2, 2, 1}, LAY_SUBT[CORR_LEVELS] = {1, 4, 4, 4};

static corr_geom grid_geom(const wl_corr *c, int L)
{
    return (corr_geom){c->dlat[L], c->dlon[L], c->nrows[L], c->ncols[L], c->ct[L]};
}

/* A column cc of a query's box (within a turn either side) as the grid's column. */
static int64_t wrap_col(int64_t cc, int64_t ncols)
{
    return cc < 0 ? cc + ncols : cc >= ncols ? cc - ncols : cc;
}

static void slot_place(const corr_geom *g, const corr_slot *u, int64_t *row, int64_t *col,
                       int64_t *bucket)
{
    int64_t k = (int64_t)floor((u->lam * DEG + 180.0) / g->dlon) % g->ncols;
    *row = (int64_t)floor((u->phi * DEG + 90.0) / g->dlat);
    *col = k < 0 ? k + g->ncols : k;
    *bucket = floordiv(u->t, g->ct);
}

static uint64_t slot_cell(const wl_corr *c, const corr_slot *u)
{
    corr_geom g = grid_geom(c, u->level);
    int64_t row, col, bucket;
    slot_place(&g, u, &row, &col, &bucket);
    return cell_key(u->level, row, col, bucket);
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

/*
 * Is a farther from b than lim (not beyond half the globe)? The answer of the haversine test
 * (hav(a, b) > sin^2(lim / 2R)), told without a sine where the bounds x - x^3/6 <= sin x <= x
 * (x >= 0) leave no doubt, by a margin (1e-9) far above any rounding (1e-15): for a pair not
 * within a millimetre of the window's edge. Otherwise computed: the same answer.
 */
static int farther(const corr_slot *a, const corr_cold *b, double lim)
{
    double x = lim / (2 * WL_CORR_EARTH_M), dp = fabs(a->phi - b->phi) / 2;
    double dl = fabs(a->lam - b->lam) / 2, sl;
    if (dl < 1) { /* not across 180 degrees, where sin(dl) falls again */
        double cc = a->cphi * b->cphi, sx = x - x * x * x / 6;
        double sp = dp - dp * dp * dp / 6, sq = dl - dl * dl * dl / 6;
        if ((dp * dp + cc * dl * dl) * (1 + 1e-9) < sx * sx * (1 - 1e-9))
            return 0; /* hav's bound above is below sin^2 x's bound below */
        if ((sp * sp + cc * sq * sq) * (1 - 1e-9) > x * x * (1 + 1e-9))
            return 1;
    }
    sl = sin(x);
    return corr_hav(a->phi, a->lam, a->cphi, b->phi, b->lam, b->cphi) > sl * sl;
}

/* v's joins among the n reports from h (points k), up to the first not before v (slot self):
 * a class v may join, the same splits, within both windows; into c->cand. */
static wl_rc consider_run(const wl_corr *c, const corr_slot *v, uint32_t self, const corr_hot *h,
                          const corr_cold *k, size_t n, corr_cands *out)
{
    uint32_t mask = c->compat.mask[v->type];
    for (size_t i = 0; i < n && h[i].slot < self; i++) {
        int64_t gap = h[i].t > v->t ? h[i].t - v->t : v->t - h[i].t;
        double lim;
        if (!((mask >> h[i].type) & 1) || h[i].cls != v->cls ||
            gap > (int64_t)h[i].pt + v->pt + WL_CORR_T_S)
            continue;
        lim = (double)v->radius + k[i].radius + WL_CORR_D_M;
        if (fabs(v->phi - k[i].phi) * WL_CORR_EARTH_M > lim || /* the latitudes alone: too far */
            (lim < M_PI * WL_CORR_EARTH_M && farther(v, &k[i], lim)))
            continue;
        if (out->n == out->cap &&
            wl_corr_reserve((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v) != WL_OK)
            return WL_ERR_NOMEM;
        out->v[out->n++] = h[i].slot;
    }
    return WL_OK;
}

static void laid_of(const corr_slot *s, uint32_t u, corr_hot *h, corr_cold *k)
{
    *h = (corr_hot){.t = s->t, .slot = u, .pt = s->pt, .cls = s->cls, .type = s->type};
    *k = (corr_cold){.phi = s->phi, .lam = s->lam, .cphi = s->cphi, .radius = s->radius};
}

static wl_rc consider(const wl_corr *c, const corr_slot *v, uint32_t u, corr_cands *out)
{
    corr_hot h;
    corr_cold k;
    laid_of(&c->s[u], u, &h, &k);
    return consider_run(c, v, CORR_NONE, &h, &k, 1, out);
}

static wl_rc chain(const wl_corr *c, const corr_slot *v, uint32_t u, corr_cands *out)
{
    for (; u != CORR_NONE; u = c->s[u].next)
        if (consider(c, v, u, out) != WL_OK)
            return WL_ERR_NOMEM;
    return WL_OK;
}

/* The cells of g within dphi degrees of latitude, dlam of longitude (360: all) and times tlo
 * to thi of (lat, lon): rows r[0]-r[1] (on the globe), columns c[0]-c[1] (perhaps a turn
 * either side: wrap_col), time buckets b[0]-b[1]. */
static void box_of(const corr_geom *g, double lat, double lon, double dphi, double dlam,
                   int64_t tlo, int64_t thi, int64_t r[2], int64_t c[2], int64_t b[2])
{
    r[0] = (int64_t)floor((lat - dphi + 90.0) / g->dlat);
    r[1] = (int64_t)floor((lat + dphi + 90.0) / g->dlat);
    r[0] = r[0] < 0 ? 0 : r[0];
    r[1] = r[1] >= g->nrows ? g->nrows - 1 : r[1];
    c[0] = 0;
    c[1] = g->ncols - 1;
    if (dlam < 180.0) {
        int64_t c0 = (int64_t)floor((lon - dlam + 180.0) / g->dlon);
        int64_t c1 = (int64_t)floor((lon + dlam + 180.0) / g->dlon);
        if (c1 - c0 + 1 < g->ncols) {
            c[0] = c0;
            c[1] = c1;
        }
    }
    b[0] = floordiv(tlo, g->ct);
    b[1] = floordiv(thi, g->ct);
}

/* Laid out level L's reports before v in the cells of its box r, c, b (box_of). */
static wl_rc query_laid(const wl_corr *c, const corr_slot *v, int L, int64_t rr[2], int64_t cr[2],
                        int64_t br[2], corr_cands *out)
{
    const corr_laid *a = &c->lay[L];
    uint32_t self = (uint32_t)(v - c->s);
    int64_t r0 = rr[0] < a->r0 ? a->r0 : rr[0],
            r1 = rr[1] > a->r0 + a->nr - 1 ? a->r0 + a->nr - 1 : rr[1];
    int64_t t0 = br[0] < a->b0 ? a->b0 : br[0],
            t1 = br[1] > a->b0 + a->nb - 1 ? a->b0 + a->nb - 1 : br[1];
    for (int64_t r = r0; r <= r1 && t0 <= t1; r++)
        for (int64_t cc = cr[0]; cc <= cr[1]; cc++) {
            int64_t col = wrap_col(cc, a->g.ncols) - a->c0;
            const uint32_t *st;
            if (col < 0 || col >= a->nc)
                continue;
            st = a->start + ((r - a->r0) * a->nc + col) * a->nb + (t0 - a->b0);
            if (v->level != L) { /* a coarser level, all before v: the buckets in a row */
                if (consider_run(c, v, self, a->h + st[0], a->k + st[0], st[t1 - t0 + 1] - st[0],
                                 out) != WL_OK)
                    return WL_ERR_NOMEM;
                continue;
            }
            for (int64_t b = 0; b <= t1 - t0; b++) /* v's own level: each bucket's prefix */
                if (consider_run(c, v, self, a->h + st[b], a->k + st[b], st[b + 1] - st[b], out) !=
                    WL_OK)
                    return WL_ERR_NOMEM;
        }
    return WL_OK;
}

/* The reports of level L in the cells that may hold one within reach of v. */
static wl_rc query_level(const wl_corr *c, const corr_slot *v, int L, corr_cands *out)
{
    double reach = ((double)v->radius + RMAX[L] + WL_CORR_D_M) * (1 + 1e-9) + 1;
    double lat = v->phi * DEG, lon = v->lam * DEG, dphi = reach / M_PER_DEG, dlam = 360, sn;
    int64_t r0, r1, c0, c1, t0, t1, ncols = c->ncols[L], span, rr[2], cr[2], br[2];
    int64_t tr = (int64_t)v->pt + PTMAX[L] + WL_CORR_T_S;
    corr_geom g = grid_geom(c, L);
    sn = sin(reach / WL_CORR_EARTH_M) / v->cphi; /* cphi: cos(phi) */
    if (lat + dphi < 90.0 && lat - dphi > -90.0 && sn < 1.0)
        dlam = asin(sn) * DEG;
    if (c->lay[L].h) {
        box_of(&c->lay[L].g, lat, lon, dphi, dlam, v->t - tr, v->t + tr, rr, cr, br);
        return query_laid(c, v, L, rr, cr, br, out);
    }
    box_of(&g, lat, lon, dphi, dlam, v->t - tr, v->t + tr, rr, cr, br);
    r0 = rr[0];
    r1 = rr[1];
    c0 = cr[0];
    c1 = cr[1];
    t0 = br[0];
    t1 = br[1];
    if (c->fz[L].e) { /* frozen: per row and column, only those within the window, in a row */
        for (int64_t r = r0; r <= r1; r++)
            for (int64_t cc = c0; cc <= c1; cc++) {
                const corr_fentry *f;
                size_t k = wl_corr_frozen_range(&c->fz[L], L, r, wrap_col(cc, ncols), t0, t1,
                                                v->t - tr, v->t + tr, &f);
                for (size_t i = 0; i < k; i++) /* the slot read for a candidate only */
                    if ((c->compat.mask[v->type] >> f[i].type & 1) && f[i].cls == v->cls &&
                        consider(c, v, f[i].slot, out) != WL_OK)
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
            if (chain(c, v, c->cells.vals[i], out) != WL_OK)
                return WL_ERR_NOMEM;
        }
        return WL_OK;
    }
    for (int64_t r = r0; r <= r1; r++)
        for (int64_t cc = c0; cc <= c1; cc++)
            for (int64_t t = t0; t <= t1; t++) {
                uint64_t key = cell_key(L, r, wrap_col(cc, ncols), t);
                uint32_t *h;
                h = wl_corr_table_get(&c->cells, key);
                if (h && chain(c, v, *h, out) != WL_OK)
                    return WL_ERR_NOMEM;
            }
    return WL_OK;
}

/* Is any report of level L (CORR_LEVELS: the coarse list) before slot v? A laid out level
 * holds all of its run of the canonical order, the grid only those put in it. */
static int held_before(const wl_corr *c, int L, uint32_t v)
{
    const corr_laid *a = L < CORR_LEVELS ? &c->lay[L] : &c->list;
    return a->h ? a->first < v : c->count[L] != 0;
}

wl_rc wl_corr_gather_into(const wl_corr *c, uint32_t v, corr_cands *out)
{
    for (int L = 0; L < CORR_LEVELS; L++)
        if (held_before(c, L, v) && query_level(c, &c->s[v], L, out) != WL_OK)
            return WL_ERR_NOMEM;
    if (held_before(c, CORR_LEVELS, v) &&
        (c->list.h ? consider_run(c, &c->s[v], v, c->list.h, c->list.k, c->list.n, out)
                   : chain(c, &c->s[v], c->list_head, out)) != WL_OK)
        return WL_ERR_NOMEM;
    return WL_OK;
}

/* Every held report within v's window (v not yet in the grid), into c->cand. */
wl_rc wl_corr_gather(wl_corr *c, uint32_t v)
{
    c->cand.n = 0;
    if (wl_corr_gather_into(c, v, &c->cand) != WL_OK ||
        wl_corr_reserve((void **)&c->croot, &c->rcap, c->cand.n, sizeof *c->croot) != WL_OK)
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

void wl_corr_laid_free(corr_laid *a)
{
    wl_free(a->h);
    wl_free(a->k);
    wl_free(a->start);
    memset(a, 0, sizeof *a);
}

/* At most this many cells in a laid out level's box: a bounded index (4 bytes a cell). */
#define CORR_LAY_CELLS(n) (16 * (int64_t)(n) + ((int64_t)1 << 20))

void wl_corr_lay_out(wl_corr *c, uint32_t first)
{
    int L = c->s[first].level;
    corr_laid *a = L < CORR_LEVELS ? &c->lay[L] : &c->list;
    int64_t lo[3] = {INT64_MAX, INT64_MAX, INT64_MAX}, hi[3] = {INT64_MIN, INT64_MIN, INT64_MIN};
    uint32_t end = first, *cell;
    size_t cells;
    wl_corr_laid_free(a);
    a->first = first;
    if (L == CORR_LEVELS) { /* the coarse list: by slot, read whole */
        while (end < c->n && c->s[end].level == L)
            end++;
        a->h = wl_malloc((end - first) * sizeof *a->h);
        a->k = wl_malloc((end - first) * sizeof *a->k);
        if (a->h == NULL || a->k == NULL) {
            wl_corr_laid_free(a); /* read through its chain */
            return;
        }
        for (uint32_t u = first; u < end; u++)
            laid_of(&c->s[u], u, &a->h[a->n++], &a->k[u - first]);
        return;
    }
    a->g.dlat = c->dlat[L] / (double)LAY_SUB[L];
    a->g.nrows = (int64_t)ceil(180.0 / a->g.dlat) + 1;
    a->g.ncols = c->ncols[L] * LAY_SUB[L];
    a->g.dlon = 360.0 / (double)a->g.ncols;
    a->g.ct = c->ct[L] / LAY_SUBT[L];
    for (; end < c->n && c->s[end].level == L; end++) {
        int64_t p[3];
        slot_place(&a->g, &c->s[end], &p[0], &p[1], &p[2]);
        for (int k = 0; k < 3; k++) {
            lo[k] = p[k] < lo[k] ? p[k] : lo[k];
            hi[k] = p[k] > hi[k] ? p[k] : hi[k];
        }
    }
    /* rows and columns are under 2^20 each, buckets under 2^42: no overflow before the test */
    if ((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) > CORR_LAY_CELLS(end - first) ||
        (hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1) >
            CORR_LAY_CELLS(end - first))
        return;
    a->r0 = lo[0];
    a->c0 = lo[1];
    a->b0 = lo[2];
    a->nr = hi[0] - lo[0] + 1;
    a->nc = hi[1] - lo[1] + 1;
    a->nb = hi[2] - lo[2] + 1;
    cells = (size_t)(a->nr * a->nc * a->nb);
    a->start = wl_calloc(cells + 1, sizeof *a->start);
    a->h = wl_malloc((end - first) * sizeof *a->h);
    a->k = wl_malloc((end - first) * sizeof *a->k);
    cell = wl_malloc((end - first) * sizeof *cell);
    if (a->start == NULL || a->h == NULL || a->k == NULL || cell == NULL) {
        wl_free(cell);
        wl_corr_laid_free(a);
        return;
    }
    for (uint32_t u = first; u < end; u++) { /* a counting sort by cell: by slot within one */
        int64_t row, col, bucket;
        slot_place(&a->g, &c->s[u], &row, &col, &bucket);
        cell[u - first] =
            (uint32_t)(((row - a->r0) * a->nc + col - a->c0) * a->nb + bucket - a->b0);
        a->start[cell[u - first] + 1]++;
    }
    for (size_t i = 1; i <= cells; i++)
        a->start[i] += a->start[i - 1];
    a->n = end - first;
    for (uint32_t u = first; u < end; u++) { /* start[k]: its next place, then the next's start */
        uint32_t at = a->start[cell[u - first]]++;
        laid_of(&c->s[u], u, &a->h[at], &a->k[at]);
    }
    for (size_t i = cells; i > 0; i--)
        a->start[i] = a->start[i - 1];
    a->start[0] = 0;
    wl_free(cell);
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
