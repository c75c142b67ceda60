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

#define DEG (180.0 / M_PI)

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
    return corr_hav(a->phi, a->lam, a->cphi, b->phi, b->lam, b->cphi);
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
    wl_corr_grid_init(c);
    *out = c;
    return WL_OK;
}

void wl_corr_set_threads(wl_corr *c, unsigned threads)
{
    c->threads = threads;
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
    wl_free(c->cand.v);
    wl_free(c->croot);
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
    if (wl_corr_table_get(&c->ids, r->id + 1))
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
    u->mark = CORR_NONE;
    u->cls = class_of(c, r->id);
    u->level = wl_corr_level(r->radius_m, r->pt);
}

/*
 * Join v to the n reports it joins (cand; c->croot holds n): Kruskal's order when v is canonically
 * last. Taken in the order of their slots, v's joins would go to the first report of each component
 * (as it was before v): so each component's smallest slot is found (marked at its root), then
 * joined, in any order: the same edges, no sort.
 */
static void join(wl_corr *c, uint32_t v, const uint32_t *cand, size_t n)
{
    const corr_slot *a = &c->s[v];
    for (size_t i = 0; i < n; i++) {
        uint32_t u = cand[i], r = wl_corr_find(c, u);
        corr_slot *R = &c->s[r];
        c->croot[i] = r;
        if (R->mark != v || u < R->best) {
            R->mark = v;
            R->best = u;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t u = cand[i];
        corr_slot *R = &c->s[c->croot[i]];
        const corr_slot *b = &c->s[u];
        corr_edge *e;
        if (R->mark != v || R->best != u)
            continue;
        R->mark = CORR_NONE;
        unite(c, wl_corr_find(c, c->croot[i]), wl_corr_find(c, v));
        e = &c->e[c->ne++]; /* reserved by the caller */
        e->a = v;
        e->b = u;
        e->how = WL_CORR_AUTO;
        e->ov = 0;
        e->dist = hav_dist(hav(a, b));
        e->gap = a->t > b->t ? a->t - b->t : b->t - a->t;
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
            uint32_t *vi = wl_corr_table_get(&c->ids, o->reports[i] + 1);
            for (size_t j = 0; vi && j < i; j++) { /* the first earlier one it stays with */
                uint32_t *vj = wl_corr_table_get(&c->ids, o->reports[j] + 1), ra, rb;
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

/* Every level laid out before the first join (a rebuild knows every report): then no query
 * reads what a join writes, and threads may gather ahead (correlate_par.c). 0: some level
 * could not be (too wide a box, no memory), and none is: the rebuild lays out each level
 * when its run starts, and freezes one that cannot be, as with one thread. */
static int lay_out_all(wl_corr *c)
{
    int all = 1;
    for (uint32_t v = 0; v < c->n && all; v++)
        if (v == 0 || c->s[v].level != c->s[v - 1].level) {
            int L = c->s[v].level;
            wl_corr_lay_out(c, v);
            all = (L < CORR_LEVELS ? c->lay[L].h : c->list.h) != NULL;
        }
    if (!all) {
        for (int L = 0; L < CORR_LEVELS; L++)
            wl_corr_laid_free(&c->lay[L]);
        wl_corr_laid_free(&c->list);
    }
    return all;
}

/* Everything again from the reports, in the canonical order: the joins and the forest. */
wl_rc wl_corr_rebuild(wl_corr *c, wl_error *err)
{
    corr_pipe *pipe = NULL;
    wl_rc rc = WL_OK;
    c->broken = 1;
    c->stale = 1;
    if (wl_corr_table_reserve(&c->cells, c->n) != WL_OK ||
        wl_corr_table_reserve(&c->ids, c->n) != WL_OK ||
        wl_corr_reserve((void **)&c->e, &c->ecap, c->n, sizeof *c->e) != WL_OK ||
        canon_sort(c) != WL_OK) {
        rc = WL_ERR_NOMEM;
        goto out;
    }
    wl_corr_table_clear(&c->cells);
    wl_corr_table_clear(&c->ids);
    memset(c->occupied, 0, sizeof c->occupied);
    memset(c->count, 0, sizeof c->count);
    c->list_head = CORR_NONE;
    c->ne = 0;
    for (uint32_t v = 0; v < c->n; v++) {
        corr_slot *s = &c->s[v];
        s->parent = v;
        s->size = 1;
        s->mark = CORR_NONE;
        s->minid = s->id;
        s->cls = class_of(c, s->id);
    }
    pipe = c->threads != 1 && lay_out_all(c) ? wl_corr_pipe_start(c, c->threads) : NULL;
    for (uint32_t v = 0; v < c->n; v++) {
        const uint32_t *cand = NULL;
        size_t nc = 0;
        if (pipe == NULL && (v == 0 || c->s[v].level != c->s[v - 1].level)) { /* a level's first */
            if (v && c->s[v - 1].level < CORR_LEVELS && c->lay[c->s[v - 1].level].h == NULL)
                wl_corr_freeze(c, c->s[v - 1].level, v);
            wl_corr_lay_out(c, v);
        }
        if (pipe ? wl_corr_pipe_next(pipe, v, &cand, &nc) != WL_OK ||
                       wl_corr_reserve((void **)&c->croot, &c->rcap, nc, sizeof *c->croot) != WL_OK
                 : wl_corr_gather(c, v) != WL_OK) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
        if (pipe == NULL) {
            cand = c->cand.v;
            nc = c->cand.n;
        }
        join(c, v, cand, nc);
        wl_corr_grid_put(c, v);
    }
    merges(c);
    c->broken = c->stale = 0;
out:
    wl_corr_pipe_end(pipe);
    for (int L = 0; L < CORR_LEVELS; L++) {
        wl_corr_frozen_free(&c->fz[L]);
        wl_corr_laid_free(&c->lay[L]);
    }
    wl_corr_laid_free(&c->list);
    if (rc)
        wl_error_set(err, rc, "internal", "out of memory (incidents)");
    return rc;
}

uint32_t *wl_corr_slot_of(const wl_corr *c, uint64_t id)
{
    return wl_corr_table_get(&c->ids, id + 1);
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
    if (wl_corr_reserve((void **)&c->s, &c->cap, c->n + 1, sizeof *c->s) != WL_OK ||
        wl_corr_table_reserve(&c->cells, c->n + 1) != WL_OK ||
        wl_corr_table_reserve(&c->ids, c->n + 1) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    slot_set(c, &c->s[v], r, v);
    if (wl_corr_gather(c, v) != WL_OK ||
        wl_corr_reserve((void **)&c->e, &c->ecap, c->ne + c->cand.n + 1, sizeof *c->e) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
    canonical = c->n == 0 || canon_less(&c->s[v - 1], &c->s[v]);
    c->n++;
    join(c, v, c->cand.v, c->cand.n);
    wl_corr_grid_put(c, v);
    if (!canonical)
        c->stale = 1;
    if (named_in_merge(c, r->id) && (rc = wl_corr_rebuild(c, err)) != WL_OK) {
        drop(c, &r->id, 1);
        return rc;
    }
    if (joined) {
        uint32_t *slot = wl_corr_table_get(&c->ids, r->id + 1);
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
    if (ids == NULL || wl_corr_reserve((void **)&c->s, &c->cap, c->n + n, sizeof *c->s) != WL_OK) {
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
