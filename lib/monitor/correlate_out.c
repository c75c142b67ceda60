/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (include/willing/correlate.h): the classes' documented table,
 * the overrides taken in (each
 * report a split names gets the class of the set of splits naming it: an
 * automatic join needs both reports in the same class), a report's
 * incident, and every incident with the canonical spanning tree that says
 * why each report is in it. docs/internals/monitor.md ("Incidents").
 */
#include <stdlib.h>
#include <string.h>

#include "correlate_int.h"

void wl_corr_compat_default(wl_corr_compat *c)
{
    const uint32_t fire = 1u << WL_CORR_EXPLOSION | 1u << WL_CORR_PROJECTILE |
                          1u << WL_CORR_MUZZLE_FLASH | 1u << WL_CORR_BURSTS_SHOTS;
    const uint32_t hit = 1u << WL_CORR_EXPLOSION | 1u << WL_CORR_PROJECTILE;
    memset(c, 0, sizeof *c);
    c->ntypes = WL_CORR_CLASSES;
    for (int i = WL_CORR_EXPLOSION; i <= WL_CORR_BURSTS_SHOTS; i++)
        c->mask[i] = fire;
    c->mask[WL_CORR_WEAPONS] = 1u << WL_CORR_WEAPONS;
    c->mask[WL_CORR_RESTRICTION] = 1u << WL_CORR_RESTRICTION;
    c->mask[WL_CORR_INFRASTRUCTURE] = hit | 1u << WL_CORR_INFRASTRUCTURE | 1u << WL_CORR_CASUALTIES;
    c->mask[WL_CORR_CASUALTIES] =
        hit | 1u << WL_CORR_BURSTS_SHOTS | 1u << WL_CORR_INFRASTRUCTURE | 1u << WL_CORR_CASUALTIES;
    c->mask[WL_CORR_EXPLOSION] |= 1u << WL_CORR_INFRASTRUCTURE | 1u << WL_CORR_CASUALTIES;
    c->mask[WL_CORR_PROJECTILE] |= 1u << WL_CORR_INFRASTRUCTURE | 1u << WL_CORR_CASUALTIES;
    c->mask[WL_CORR_BURSTS_SHOTS] |= 1u << WL_CORR_CASUALTIES;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_ov(const void *a, const void *b)
{
    return cmp_u64(&((const corr_override *)a)->index, &((const corr_override *)b)->index);
}

typedef struct {
    uint64_t id;
    uint32_t ord; /* the split's position among the overrides */
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return x->id != y->id ? (x->id < y->id ? -1 : 1) : (x->ord > y->ord) - (x->ord < y->ord);
}

typedef struct {
    const pair *p;
    size_t start, len;
    uint64_t id;
} group;

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    for (size_t i = 0; i < x->len && i < y->len; i++)
        if (x->p[x->start + i].ord != y->p[y->start + i].ord)
            return x->p[x->start + i].ord < y->p[y->start + i].ord ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

static void ov_free(corr_override *ov, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wl_free(ov[i].reports);
    wl_free(ov);
}

wl_rc wl_corr_overrides(wl_corr *c, const wl_corr_override *in, size_t n, wl_error *err)
{
    corr_override *ov = NULL;
    pair *p = NULL;
    group *g = NULL;
    corr_named *named = NULL;
    uint64_t *merged = NULL;
    size_t np = 0, nm = 0, ng = 0;
    wl_rc rc = WL_OK;
    if (n > WL_CORR_OVERRIDES_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large", "more than %u overrides",
                            WL_CORR_OVERRIDES_MAX);
    for (size_t i = 0; i < n; i++) {
        const wl_corr_override *o = &in[i];
        if (o->reason == NULL || o->reason[0] == '\0')
            return wl_error_set(err, WL_ERR_INVALID, "reason_missing",
                                "override %llu: a split or merge needs a reason",
                                (unsigned long long)o->index);
        if ((o->op == WL_CORR_MERGE && o->n < 2) || (o->op == WL_CORR_SPLIT && o->n < 1) ||
            (o->op != WL_CORR_MERGE && o->op != WL_CORR_SPLIT) || o->n > WL_CORR_REPORTS_MAX ||
            (o->n && o->reports == NULL))
            return wl_error_set(err, WL_ERR_INVALID, "bad_override",
                                "override %llu: a merge names 2 reports or more, a split 1 or "
                                "more",
                                (unsigned long long)o->index);
        if (o->op == WL_CORR_SPLIT)
            np += o->n;
        else
            nm += o->n;
    }
    ov = wl_calloc(n ? n : 1, sizeof *ov);
    p = wl_malloc((np ? np : 1) * sizeof *p);
    g = wl_malloc((np ? np : 1) * sizeof *g);
    named = wl_malloc((np ? np : 1) * sizeof *named);
    merged = wl_malloc((nm ? nm : 1) * sizeof *merged);
    if (ov == NULL || p == NULL || g == NULL || named == NULL || merged == NULL)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        ov[i].index = in[i].index;
        ov[i].op = in[i].op;
        ov[i].n = in[i].n;
        ov[i].reports = wl_malloc(in[i].n * sizeof *ov[i].reports);
        if (ov[i].reports == NULL)
            goto nomem;
        memcpy(ov[i].reports, in[i].reports, in[i].n * sizeof *ov[i].reports);
        if (in[i].op == WL_CORR_SPLIT)
            qsort(ov[i].reports, ov[i].n, sizeof *ov[i].reports, cmp_u64);
    }
    qsort(ov, n, sizeof *ov, cmp_ov);
    for (size_t i = 1; i < n; i++)
        if (ov[i].index == ov[i - 1].index) {
            rc = wl_error_set(err, WL_ERR_INVALID, "bad_override", "two overrides with index %llu",
                              (unsigned long long)ov[i].index);
            goto out;
        }
    np = nm = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ov[i].n; j++) {
            if (ov[i].op == WL_CORR_SPLIT)
                p[np++] = (pair){ov[i].reports[j], (uint32_t)i};
            else
                merged[nm++] = ov[i].reports[j];
        }
    qsort(p, np, sizeof *p, cmp_pair);
    qsort(merged, nm, sizeof *merged, cmp_u64);
    if (np) { /* a report twice in one split counts once */
        size_t w = 1;
        for (size_t i = 1; i < np; i++)
            if (p[i].id != p[w - 1].id || p[i].ord != p[w - 1].ord)
                p[w++] = p[i];
        np = w;
    }
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && p[j].id == p[i].id)
            j++;
        g[ng++] = (group){p, i, j - i, p[i].id};
        i = j;
    }
    qsort(g, ng, sizeof *g, cmp_group);
    for (size_t i = 0, cls = 0; i < ng; i++) { /* the same set of splits: the same class */
        if (i == 0 || cmp_group(&g[i - 1], &g[i]) != 0)
            cls++;
        named[i] = (corr_named){g[i].id, (uint32_t)cls};
    }
    qsort(named, ng, sizeof *named, cmp_u64);
    ov_free(c->ov, c->nov);
    wl_free(c->named);
    wl_free(c->merged);
    c->ov = ov;
    c->nov = n;
    c->named = named;
    c->nnamed = ng;
    c->merged = merged;
    c->nmerged = nm;
    ov = NULL;
    named = NULL;
    merged = NULL;
    rc = wl_corr_rebuild(c, err); /* on failure in force all the same: the next call finishes */
    goto out;
nomem:
    rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
out:
    if (ov)
        ov_free(ov, n);
    wl_free(p);
    wl_free(g);
    wl_free(named);
    wl_free(merged);
    return rc;
}

wl_rc wl_corr_incident_of(wl_corr *c, uint64_t id, uint64_t *incident, wl_error *err)
{
    const uint32_t *v;
    wl_rc rc;
    *incident = 0;
    if (c->broken && (rc = wl_corr_rebuild(c, err)) != WL_OK)
        return rc;
    v = wl_corr_slot_of(c, id);
    if (v == NULL)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_report", "no report %llu",
                            (unsigned long long)id);
    *incident = c->s[wl_corr_find(c, *v)].minid;
    return WL_OK;
}

void wl_corr_result_free(wl_corr_result *r)
{
    if (r == NULL)
        return;
    wl_free(r->incidents);
    wl_free(r->links);
    memset(r, 0, sizeof *r);
}

static int cmp_slot_id(const void *a, const void *b, void *ctx)
{
    const wl_corr *c = ctx;
    uint64_t x = c->s[*(const uint32_t *)a].id, y = c->s[*(const uint32_t *)b].id;
    return x < y ? -1 : x > y;
}

static int cmp_root_minid(const void *a, const void *b, void *ctx)
{
    const wl_corr *c = ctx;
    uint64_t x = c->s[*(const uint32_t *)a].minid, y = c->s[*(const uint32_t *)b].minid;
    return x < y ? -1 : x > y;
}

wl_rc wl_corr_incidents(wl_corr *c, wl_corr_result *out, wl_error *err)
{
    uint32_t *root = NULL, *inc = NULL, *order = NULL, *off = NULL, *adj = NULL, *pe = NULL;
    uint32_t *queue = NULL, *roots = NULL;
    size_t n = c->n, ni = 0;
    wl_corr_result r = {0};
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    if ((c->broken || c->stale) && (rc = wl_corr_rebuild(c, err)) != WL_OK)
        return rc;
    root = wl_malloc((n + 1) * sizeof *root);
    inc = wl_malloc((n + 1) * sizeof *inc);
    order = wl_malloc((n + 1) * sizeof *order);
    off = wl_calloc(n + 2, sizeof *off);
    adj = wl_malloc((2 * c->ne + 1) * sizeof *adj);
    pe = wl_malloc((n + 1) * sizeof *pe);
    queue = wl_malloc((n + 1) * sizeof *queue);
    roots = wl_malloc((n + 1) * sizeof *roots);
    r.links = wl_malloc((n + 1) * sizeof *r.links);
    if (!root || !inc || !order || !off || !adj || !pe || !queue || !roots || !r.links)
        goto nomem;
    for (uint32_t v = 0; v < n; v++) {
        root[v] = wl_corr_find(c, v);
        if (root[v] == v)
            roots[ni++] = v;
    }
    qsort_r(roots, ni, sizeof *roots, cmp_root_minid, c);
    r.incidents = wl_calloc(ni + 1, sizeof *r.incidents);
    if (r.incidents == NULL)
        goto nomem;
    for (size_t i = 0; i < ni; i++) { /* an incident's slots: a run of order, by id */
        inc[roots[i]] = (uint32_t)i;
        r.incidents[i].id = c->s[roots[i]].minid;
        r.incidents[i].n = c->s[roots[i]].size;
    }
    for (size_t i = 0, at = 0; i < ni; i++) {
        r.incidents[i].first = at;
        at += r.incidents[i].n;
        r.incidents[i].n = 0;
    }
    for (uint32_t v = 0; v < n; v++) {
        wl_corr_incident *I = &r.incidents[inc[root[v]]];
        order[I->first + I->n++] = v;
    }
    for (size_t i = 0; i < ni; i++)
        qsort_r(order + r.incidents[i].first, r.incidents[i].n, sizeof *order, cmp_slot_id, c);
    for (size_t k = 0; k < c->ne; k++) { /* the forest's edges by slot */
        off[c->e[k].a + 1]++;
        off[c->e[k].b + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    for (size_t k = 0; k < c->ne; k++) {
        adj[off[c->e[k].a]++] = (uint32_t)k;
        adj[off[c->e[k].b]++] = (uint32_t)k;
    }
    for (size_t v = n; v > 0; v--)
        off[v] = off[v - 1];
    off[0] = 0;
    for (size_t v = 0; v < n; v++)
        pe[v] = CORR_NONE;
    for (size_t i = 0; i < ni; i++) { /* hung from the incident's first report */
        wl_corr_incident *I = &r.incidents[i];
        uint32_t first = order[I->first];
        size_t qh = 0, qt = 0;
        I->t_min = I->t_max = c->s[first].t;
        queue[qt++] = first;
        pe[first] = CORR_NONE - 1;
        while (qh < qt) {
            uint32_t w = queue[qh++];
            for (uint32_t j = off[w]; j < off[w + 1]; j++) {
                const corr_edge *e = &c->e[adj[j]];
                uint32_t x = e->a == w ? e->b : e->a;
                if (pe[x] != CORR_NONE)
                    continue;
                pe[x] = adj[j];
                queue[qt++] = x;
            }
        }
        if (qt != I->n) {
            rc = wl_error_set(err, WL_ERR_INTERNAL, "internal",
                              "incident %llu: its tree holds "
                              "%zu of %zu reports",
                              (unsigned long long)I->id, qt, I->n);
            goto out;
        }
        for (size_t j = 0; j < I->n; j++) {
            uint32_t v = order[I->first + j];
            wl_corr_link *L = &r.links[I->first + j];
            const corr_slot *s = &c->s[v];
            memset(L, 0, sizeof *L);
            L->report = L->via = s->id;
            if (s->t < I->t_min)
                I->t_min = s->t;
            if (s->t > I->t_max)
                I->t_max = s->t;
            if (v != first) {
                const corr_edge *e = &c->e[pe[v]];
                L->via = c->s[e->a == v ? e->b : e->a].id;
                L->how = e->how;
                L->override = e->ov;
                L->distance_m = e->dist;
                L->gap_s = e->gap;
            }
        }
    }
    r.n_incidents = ni;
    r.n_links = n;
    *out = r;
    r.incidents = NULL;
    r.links = NULL;
    goto out;
nomem:
    rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (incidents)");
out:
    wl_corr_result_free(&r);
    wl_free(root);
    wl_free(inc);
    wl_free(order);
    wl_free(off);
    wl_free(adj);
    wl_free(pe);
    wl_free(queue);
    wl_free(roots);
    return rc;
}
