/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (include/willing/correlate.h): the engine's reports, its
 * space-time grid, the joins (union-find and the canonical spanning forest)
 * and the overrides. Adding a report asks the grid for the reports within
 * its window at every level, checks each exactly (time, class, splits,
 * haversine) and joins. The forest is canonical when reports come in the
 * canonical order (coarsest level first, then by id: the order of the log
 * for the precise reports that are most of them); otherwise the components
 * are still right and the forest is rebuilt before it is shown.
 * docs/internals/monitor.md ("Incidents").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "correlate_int.h"

/* The levels: a report goes to the first whose radius and time precision it fits. */
static const uint32_t RMAX[CORR_LEVELS] = {1500, 5000, 25000, 100000};       /* m */
static const uint32_t PTMAX[CORR_LEVELS] = {900, 3600, 6 * 3600, 48 * 3600}; /* s */
#define DEG (180.0 / M_PI)
#define M_PER_DEG (WL_CORR_EARTH_M / DEG)

static uint64_t mix(uint64_t k) /* splitmix64's finaliser */
{
    k ^= k >> 30;
    k *= 0xBF58476D1CE4E5B9u;
    k ^= k >> 27;
    k *= 0x94D049BB133111EBu;
    return k ^ (k >> 31);
}

static uint32_t *table_get(const corr_table *t, uint64_t key)
{
    if (t->cap == 0)
        return NULL;
    for (size_t i = mix(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (t->keys[i] == key)
            return &t->vals[i];
        if (t->keys[i] == 0)
            return NULL;
    }
}

/* Room for n keys at a load of at most one half; on failure the table is unchanged. */
static wl_rc table_reserve(corr_table *t, size_t n)
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
            size_t j = mix(t->keys[i]) & (cap - 1);
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

static void table_put(corr_table *t, uint64_t key, uint32_t val) /* reserved before */
{
    size_t i = mix(key) & (t->cap - 1);
    while (t->keys[i] && t->keys[i] != key)
        i = (i + 1) & (t->cap - 1);
    if (t->keys[i] == 0)
        t->n++;
    t->keys[i] = key;
    t->vals[i] = val;
}

static void table_clear(corr_table *t)
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

uint32_t wl_corr_find(wl_corr *c, uint32_t x)
{
    while (c->s[x].parent != x) {
        c->s[x].parent = c->s[c->s[x].parent].parent; /* path halving */
        x = c->s[x].parent;
    }
    return x;
}

static void unite(wl_corr *c, uint32_t ra, uint32_t rb)
{
    if (c->s[ra].size < c->s[rb].size) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    c->s[rb].parent = ra;
    c->s[ra].size += c->s[rb].size;
    if (c->s[rb].minid < c->s[ra].minid)
        c->s[ra].minid = c->s[rb].minid;
}

static double hav(const corr_slot *a, const corr_slot *b)
{
    double sp = sin((a->phi - b->phi) / 2), sl = sin((a->lam - b->lam) / 2);
    return sp * sp + a->cphi * b->cphi * sl * sl;
}

static double hav_dist(double h)
{
    return 2 * WL_CORR_EARTH_M * asin(sqrt(h < 1 ? h : 1));
}

double wl_corr_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    corr_slot a = {.phi = lat1 / DEG, .lam = lon1 / DEG, .cphi = cos(lat1 / DEG)};
    corr_slot b = {.phi = lat2 / DEG, .lam = lon2 / DEG, .cphi = cos(lat2 / DEG)};
    return hav_dist(hav(&a, &b));
}

wl_rc wl_corr_new(const wl_corr_compat *compat, wl_corr **out, wl_error *err)
{
    wl_corr *c;
    *out = NULL;
    if (compat == NULL || compat->ntypes == 0 || compat->ntypes > WL_CORR_TYPES_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "bad_compat",
                            "the table has no classes, or "
                            "more than %u",
                            WL_CORR_TYPES_MAX);
    for (uint32_t a = 0; a < compat->ntypes; a++)
        for (uint32_t b = 0; b < WL_CORR_TYPES_MAX; b++) {
            int ab = (compat->mask[a] >> b) & 1;
            if (ab && (b >= compat->ntypes || !((compat->mask[b] >> a) & 1)))
                return wl_error_set(err, WL_ERR_INVALID, "bad_compat",
                                    "the table is not symmetric (classes %u and %u)", a, b);
        }
    c = wl_calloc(1, sizeof *c);
    if (c == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    c->compat = *compat;
    c->list_head = CORR_NONE;
    for (int L = 0; L < CORR_LEVELS; L++) {
        double cs = 2.0 * RMAX[L] + WL_CORR_D_M; /* m */
        c->dlat[L] = cs / M_PER_DEG;
        c->nrows[L] = (int32_t)ceil(180.0 / c->dlat[L]) + 1;
        c->ncols[L] = (int32_t)ceil(360.0 / (c->dlat[L] * 1.5)); /* about square near 48 N */
        c->dlon[L] = 360.0 / c->ncols[L];
        c->ct[L] = 2 * (int64_t)PTMAX[L] + WL_CORR_T_S;
    }
    *out = c;
    return WL_OK;
}

static void overrides_free(corr_override *ov, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wl_free(ov[i].reports);
    wl_free(ov);
}

void wl_corr_free(wl_corr *c)
{
    if (c == NULL)
        return;
    wl_free(c->s);
    wl_free(c->cells.keys);
    wl_free(c->cells.vals);
    wl_free(c->ids.keys);
    wl_free(c->ids.vals);
    wl_free(c->e);
    wl_free(c->cand);
    overrides_free(c->ov, c->nov);
    wl_free(c->named);
    wl_free(c->merged);
    wl_free(c);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_named(const void *a, const void *b)
{
    return cmp_u64(&((const corr_named *)a)->id, &((const corr_named *)b)->id);
}

static uint32_t class_of(const wl_corr *c, uint64_t id)
{
    corr_named k = {.id = id}, *f;
    if (c->nnamed == 0)
        return 0;
    f = bsearch(&k, c->named, c->nnamed, sizeof k, cmp_named);
    return f ? f->cls : 0;
}

static wl_rc check_report(const wl_corr *c, const wl_corr_report *r, wl_error *err)
{
    const char *bad = NULL;
    if (r->id == UINT64_MAX)
        bad = "id";
    else if (!(r->lon >= -180.0 && r->lon <= 180.0))
        bad = "lon";
    else if (!(r->lat >= -90.0 && r->lat <= 90.0))
        bad = "lat";
    else if (r->radius_m > WL_CORR_RADIUS_MAX)
        bad = "radius_m";
    else if (r->pt > WL_CORR_PT_MAX)
        bad = "pt";
    else if (r->t < -((int64_t)1 << 40) || r->t > ((int64_t)1 << 40))
        bad = "t";
    else if (r->type >= c->compat.ntypes)
        bad = "type";
    if (bad)
        return wl_error_set(err, WL_ERR_INVALID, "bad_report", "report %llu: %s out of range",
                            (unsigned long long)r->id, bad);
    if (table_get(&c->ids, r->id + 1))
        return wl_error_set(err, WL_ERR_CONFLICT, "duplicate_report", "report %llu is held already",
                            (unsigned long long)r->id);
    return WL_OK;
}

static void slot_set(const wl_corr *c, corr_slot *u, const wl_corr_report *r, uint32_t self)
{
    memset(u, 0, sizeof *u);
    u->id = u->minid = r->id;
    u->t = r->t;
    u->phi = r->lat / DEG;
    u->lam = r->lon / DEG;
    u->cphi = cos(u->phi);
    u->pt = r->pt;
    u->radius = r->radius_m;
    u->type = (uint8_t)r->type;
    u->next = CORR_NONE;
    u->parent = self;
    u->size = 1;
    u->cls = class_of(c, r->id);
    u->level = CORR_LEVELS;
    for (uint8_t L = 0; L < CORR_LEVELS; L++)
        if (r->radius_m <= RMAX[L] && r->pt <= PTMAX[L]) {
            u->level = L;
            break;
        }
}

static wl_rc reserve(void **p, size_t *cap, size_t need, size_t size)
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
static wl_rc consider(wl_corr *c, const corr_slot *v, uint32_t u)
{
    const corr_slot *s = &c->s[u];
    int64_t gap = s->t > v->t ? s->t - v->t : v->t - s->t;
    if (!((c->compat.mask[v->type] >> s->type) & 1) || s->cls != v->cls ||
        gap > (int64_t)s->pt + v->pt + WL_CORR_T_S)
        return WL_OK;
    if (c->ncand == c->ccap &&
        reserve((void **)&c->cand, &c->ccap, c->ncand + 1, sizeof *c->cand) != WL_OK)
        return WL_ERR_NOMEM;
    c->cand[c->ncand++] = u;
    return WL_OK;
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
    span = (r1 - r0 + 1) * (c1 - c0 + 1) * (t1 - t0 + 1);
    if ((size_t)span > 2 * c->occupied[L] + 16) { /* fewer cells held than in the box: scan them */
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
                uint32_t *h =
                    table_get(&c->cells, cell_key(L, r, ((cc % ncols) + ncols) % ncols, t));
                if (h && chain(c, v, *h) != WL_OK)
                    return WL_ERR_NOMEM;
            }
    return WL_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Every held report within v's window (v not yet in the grid), into c->cand, in slot order. */
static wl_rc gather(wl_corr *c, uint32_t v)
{
    c->ncand = 0;
    for (int L = 0; L < CORR_LEVELS; L++)
        if (c->count[L] && query_level(c, &c->s[v], L) != WL_OK)
            return WL_ERR_NOMEM;
    if (c->count[CORR_LEVELS] && chain(c, &c->s[v], c->list_head) != WL_OK)
        return WL_ERR_NOMEM;
    if (c->ncand > 48) {
        qsort(c->cand, c->ncand, sizeof *c->cand, cmp_u32);
        return WL_OK;
    }
    for (size_t i = 1; i < c->ncand; i++) { /* mostly a few, mostly in order already */
        uint32_t x = c->cand[i];
        size_t j = i;
        for (; j > 0 && c->cand[j - 1] > x; j--)
            c->cand[j] = c->cand[j - 1];
        c->cand[j] = x;
    }
    return WL_OK;
}

/* Join v to its candidates in their order: Kruskal's order when v is canonically last. */
static void join(wl_corr *c, uint32_t v)
{
    for (size_t i = 0; i < c->ncand; i++) {
        uint32_t u = c->cand[i], ru = wl_corr_find(c, u), rv = wl_corr_find(c, v);
        const corr_slot *a = &c->s[v], *b = &c->s[u];
        double lim, h, sl;
        corr_edge *e;
        if (ru == rv)
            continue;
        lim = (double)a->radius + b->radius + WL_CORR_D_M;
        if (lim < M_PI * WL_CORR_EARTH_M) {
            sl = sin(lim / (2 * WL_CORR_EARTH_M));
            h = hav(a, b);
            if (h > sl * sl)
                continue;
        } else {
            h = hav(a, b);
        }
        unite(c, ru, rv);
        e = &c->e[c->ne++]; /* reserved by the caller */
        e->a = v;
        e->b = u;
        e->how = WL_CORR_AUTO;
        e->ov = 0;
        e->dist = hav_dist(h);
        e->gap = a->t > b->t ? a->t - b->t : b->t - a->t;
    }
}

static void grid_put(wl_corr *c, uint32_t v) /* the tables reserved by the caller */
{
    corr_slot *s = &c->s[v];
    uint32_t *h;
    uint64_t k;
    c->count[s->level]++;
    table_put(&c->ids, s->id + 1, v);
    if (s->level == CORR_LEVELS) {
        s->next = c->list_head;
        c->list_head = v;
        return;
    }
    k = slot_cell(c, s);
    h = table_get(&c->cells, k);
    if (h) {
        s->next = *h;
        *h = v;
    } else {
        s->next = CORR_NONE;
        table_put(&c->cells, k, v);
        c->occupied[s->level]++;
    }
}

/* Does the join of a and b by the merge at position k survive every later split? */
static int survives(const wl_corr *c, size_t k, uint64_t a, uint64_t b)
{
    for (size_t j = k + 1; j < c->nov; j++) {
        const corr_override *o = &c->ov[j];
        if (o->op != WL_CORR_SPLIT)
            continue;
        if ((bsearch(&a, o->reports, o->n, sizeof a, cmp_u64) != NULL) !=
            (bsearch(&b, o->reports, o->n, sizeof b, cmp_u64) != NULL))
            return 0;
    }
    return 1;
}

/* The merges, in their order, after the automatic joins (edges reserved: n - 1 at most). */
static void merges(wl_corr *c)
{
    for (size_t k = 0; k < c->nov; k++) {
        const corr_override *o = &c->ov[k];
        if (o->op != WL_CORR_MERGE)
            continue;
        for (size_t i = 1; i < o->n; i++) {
            uint32_t *vi = table_get(&c->ids, o->reports[i] + 1);
            for (size_t j = 0; vi && j < i; j++) { /* the first earlier one it stays with */
                uint32_t *vj = table_get(&c->ids, o->reports[j] + 1), ra, rb;
                corr_edge *e;
                if (vj == NULL || !survives(c, k, o->reports[i], o->reports[j]))
                    continue;
                ra = wl_corr_find(c, *vi);
                rb = wl_corr_find(c, *vj);
                if (ra != rb) {
                    const corr_slot *a = &c->s[*vi], *b = &c->s[*vj];
                    unite(c, ra, rb);
                    e = &c->e[c->ne++];
                    e->a = *vi;
                    e->b = *vj;
                    e->how = WL_CORR_MERGED;
                    e->ov = o->index;
                    e->dist = hav_dist(hav(a, b));
                    e->gap = a->t > b->t ? a->t - b->t : b->t - a->t;
                }
                break;
            }
        }
    }
}

static int canon_less(const corr_slot *a, const corr_slot *b)
{
    return a->level != b->level ? a->level > b->level : a->id < b->id;
}

typedef struct {
    uint64_t id;
    uint32_t level, slot;
} canon_key;

static int cmp_canon(const void *x, const void *y)
{
    const canon_key *a = x, *b = y;
    if (a->level != b->level)
        return a->level > b->level ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The slots into the canonical order; on failure unchanged. */
static wl_rc canon_sort(wl_corr *c)
{
    canon_key *k = wl_malloc((c->n ? c->n : 1) * sizeof *k);
    corr_slot *ns = wl_malloc((c->cap ? c->cap : 1) * sizeof *ns);
    int sorted = 1;
    if (k == NULL || ns == NULL) {
        wl_free(k);
        wl_free(ns);
        return WL_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        k[i] = (canon_key){c->s[i].id, c->s[i].level, i};
        sorted &= i == 0 || cmp_canon(&k[i - 1], &k[i]) < 0;
    }
    if (!sorted) {
        qsort(k, c->n, sizeof *k, cmp_canon);
        for (size_t i = 0; i < c->n; i++)
            ns[i] = c->s[k[i].slot];
        wl_free(c->s);
        c->s = ns;
        ns = NULL;
    }
    wl_free(k);
    wl_free(ns);
    return WL_OK;
}

/* Everything again from the reports, in the canonical order: the joins and the forest. */
wl_rc wl_corr_rebuild(wl_corr *c, wl_error *err)
{
    wl_rc rc = WL_OK;
    c->broken = 1;
    c->stale = 1;
    if (table_reserve(&c->cells, c->n) != WL_OK || table_reserve(&c->ids, c->n) != WL_OK ||
        reserve((void **)&c->e, &c->ecap, c->n, sizeof *c->e) != WL_OK || canon_sort(c) != WL_OK) {
        rc = WL_ERR_NOMEM;
        goto out;
    }
    table_clear(&c->cells);
    table_clear(&c->ids);
    memset(c->occupied, 0, sizeof c->occupied);
    memset(c->count, 0, sizeof c->count);
    c->list_head = CORR_NONE;
    c->ne = 0;
    for (uint32_t v = 0; v < c->n; v++) {
        corr_slot *s = &c->s[v];
        s->parent = v;
        s->size = 1;
        s->minid = s->id;
        s->cls = class_of(c, s->id);
    }
    for (uint32_t v = 0; v < c->n; v++) {
        if (gather(c, v) != WL_OK) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
        join(c, v);
        grid_put(c, v);
    }
    merges(c);
    c->broken = c->stale = 0;
out:
    if (rc)
        wl_error_set(err, rc, "internal", "out of memory (incidents)");
    return rc;
}

uint32_t *wl_corr_slot_of(const wl_corr *c, uint64_t id)
{
    return table_get(&c->ids, id + 1);
}

/* Takes out again the k reports of ids (sorted) after a rebuild that failed: still broken. */
static void drop(wl_corr *c, const uint64_t *ids, size_t k)
{
    size_t w = 0;
    for (size_t i = 0; i < c->n; i++)
        if (bsearch(&c->s[i].id, ids, k, sizeof *ids, cmp_u64) == NULL)
            c->s[w++] = c->s[i];
    c->n = w;
}

static int named_in_merge(const wl_corr *c, uint64_t id)
{
    return c->nmerged && bsearch(&id, c->merged, c->nmerged, sizeof id, cmp_u64) != NULL;
}

wl_rc wl_corr_add(wl_corr *c, const wl_corr_report *r, wl_corr_joined *joined, wl_error *err)
{
    uint32_t v = (uint32_t)c->n, root;
    int canonical;
    wl_rc rc;
    if (joined)
        memset(joined, 0, sizeof *joined);
    if (c->broken && (rc = wl_corr_rebuild(c, err)) != WL_OK)
        return rc;
    if ((rc = check_report(c, r, err)) != WL_OK)
        return rc;
    if (c->n >= WL_CORR_REPORTS_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large", "more than %u reports",
                            WL_CORR_REPORTS_MAX);
    if (reserve((void **)&c->s, &c->cap, c->n + 1, sizeof *c->s) != WL_OK ||
        table_reserve(&c->cells, c->n + 1) != WL_OK || table_reserve(&c->ids, c->n + 1) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    slot_set(c, &c->s[v], r, v);
    if (gather(c, v) != WL_OK ||
        reserve((void **)&c->e, &c->ecap, c->ne + c->ncand + 1, sizeof *c->e) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    canonical = c->n == 0 || canon_less(&c->s[v - 1], &c->s[v]);
    c->n++;
    join(c, v);
    grid_put(c, v);
    if (!canonical)
        c->stale = 1;
    if (named_in_merge(c, r->id) && (rc = wl_corr_rebuild(c, err)) != WL_OK) {
        drop(c, &r->id, 1);
        return rc;
    }
    if (joined) {
        uint32_t *slot = table_get(&c->ids, r->id + 1);
        root = wl_corr_find(c, *slot);
        joined->incident = c->s[root].minid;
        joined->reports = c->s[root].size;
    }
    return WL_OK;
}

wl_rc wl_corr_add_all(wl_corr *c, const wl_corr_report *r, size_t n, wl_error *err)
{
    uint64_t *ids;
    wl_rc rc = WL_OK;
    if (c->broken && (rc = wl_corr_rebuild(c, err)) != WL_OK)
        return rc;
    if (c->n + n > WL_CORR_REPORTS_MAX || n > WL_CORR_REPORTS_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large", "more than %u reports",
                            WL_CORR_REPORTS_MAX);
    for (size_t i = 0; i < n; i++)
        if ((rc = check_report(c, &r[i], err)) != WL_OK)
            return rc;
    ids = wl_malloc((n ? n : 1) * sizeof *ids);
    if (ids == NULL || reserve((void **)&c->s, &c->cap, c->n + n, sizeof *c->s) != WL_OK) {
        wl_free(ids);
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = r[i].id;
    qsort(ids, n, sizeof *ids, cmp_u64);
    for (size_t i = 1; i < n; i++)
        if (ids[i] == ids[i - 1]) {
            rc = wl_error_set(err, WL_ERR_CONFLICT, "duplicate_report",
                              "report %llu is given twice", (unsigned long long)ids[i]);
            break;
        }
    if (rc == WL_OK) {
        for (size_t i = 0; i < n; i++)
            slot_set(c, &c->s[c->n + i], &r[i], (uint32_t)(c->n + i));
        c->n += n;
        if ((rc = wl_corr_rebuild(c, err)) != WL_OK)
            drop(c, ids, n); /* none of them held; the next call rebuilds without them */
    }
    wl_free(ids);
    return rc;
}
