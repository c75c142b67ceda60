/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The clearing engine: the binding pledges are the greatest set whose
 * conditions all hold given that set. Start with every pledge binding; a
 * worklist re-evaluates only the pledges an aggregate's change can affect,
 * and drops those whose condition fails. Conditions are monotone and the
 * aggregates only fall, so each threshold is crossed at most once: the work
 * is near-linear in the size of the input, and the result is unique and
 * independent of its order. docs/internals/clearing.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "willing/coalition.h"
#include "willing/deal.h" /* WL_DEAL_FACT_PREFIX */

/* ---- interning strings to small integers ---- */

typedef struct {
    char **keys;
    uint32_t *ids;
    size_t cap, n;
} strtab;

static uint64_t fnv(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
    for (; b && *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211ull;
    return h;
}

/* Interns a (or a with b); returns its id, or UINT32_MAX when out of memory. */
static uint32_t intern(strtab *t, const char *a, const char *b)
{
    char key[160];
    uint64_t h;
    /* member ids and category names are at most 64 bytes, a number 10: it fits, and a key that
     * did not would be another one, so it is refused as out of memory would be */
    if (wl_fmt(key, sizeof key, "%s\x1f%s", a, b ? b : "") != WL_OK)
        return UINT32_MAX;
    if (t->n * 2 >= t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        char **nk = wl_calloc(nc, sizeof *nk);
        uint32_t *ni = wl_calloc(nc, sizeof *ni);
        if (nk == NULL || ni == NULL) {
            wl_free(nk);
            wl_free(ni);
            return UINT32_MAX;
        }
        for (size_t i = 0; i < t->cap; i++) {
            if (t->keys[i] == NULL)
                continue;
            size_t j = fnv(t->keys[i], NULL) & (nc - 1);
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = t->keys[i];
            ni[j] = t->ids[i];
        }
        wl_free(t->keys);
        wl_free(t->ids);
        t->keys = nk;
        t->ids = ni;
        t->cap = nc;
    }
    h = fnv(key, NULL);
    for (size_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        if (t->keys[j] == NULL) {
            t->keys[j] = wl_strndup(key, strlen(key));
            if (t->keys[j] == NULL)
                return UINT32_MAX;
            t->ids[j] = (uint32_t)t->n++;
            return t->ids[j];
        }
        if (strcmp(t->keys[j], key) == 0)
            return t->ids[j];
    }
}

static void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->cap; i++)
        wl_free(t->keys[i]);
    wl_free(t->keys);
    wl_free(t->ids);
}

/* ---- compiled conditions ---- */

typedef struct {
    uint8_t op;
    uint32_t ref;  /* member, category, category-unit or (for facts) 1 if recorded */
    uint32_t pair; /* at_least: the (author, category) pair */
    int64_t n;
    uint32_t kid0, nkids; /* into kids[] */
    const wl_cond *src;   /* for the reasons */
} cnode;

typedef struct {
    uint32_t pledge;
    int64_t threshold;
} dep;

typedef struct {
    dep *v;
    size_t n, cap;
} deps;

typedef struct {
    const wl_pledge_in *in;
    size_t n;
    strtab members, cats, catunits, pairs, facts;
    cnode *nodes;
    size_t nnodes, capnodes;
    uint32_t *kids;
    size_t nkids, capkids;
    uint32_t *root; /* per pledge: its condition's node, or UINT32_MAX */
    uint32_t *p_member, *p_cat, *p_cu, *p_pair;
    /* aggregates over the binding set */
    int64_t *member_cnt, *cat_members, *total, *pair_cnt;
    deps *dep_member, *dep_cat, *dep_total;
    uint8_t *binding, *queued; /* binding is the caller's out->binding */
    uint32_t *queue;
    size_t qhead, qtail;
    size_t evals;
    const wl_fact_note *notes; /* words for facts no one records by hand */
    size_t nnotes;
} ctx;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need)
        nc *= 2;
    void *np = wl_realloc(*p, nc * size);
    if (np == NULL)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static int add_dep(deps *d, uint32_t pledge, int64_t threshold)
{
    if (grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v) != 0)
        return -1;
    d->v[d->n].pledge = pledge;
    d->v[d->n].threshold = threshold;
    d->n++;
    return 0;
}

/* Node ids are only known after compiling; dependencies are collected in a second pass. */
static uint32_t compile(ctx *x, const wl_cond *c, uint32_t author, const char *const *facts,
                        size_t nfacts)
{
    uint32_t id;
    cnode nd;
    memset(&nd, 0, sizeof nd);
    nd.op = (uint8_t)c->op;
    nd.n = c->n;
    nd.src = c;
    switch (c->op) {
    case WL_COND_REQUIRES:
        nd.ref = intern(&x->members, c->name, NULL);
        break;
    case WL_COND_AT_LEAST:
        nd.ref = intern(&x->cats, c->name, NULL);
        {
            char m[16];
            snprintf(m, sizeof m, "%u", author);
            nd.pair = intern(&x->pairs, m, c->name);
        }
        break;
    case WL_COND_TOTAL:
        nd.ref = intern(&x->catunits, c->name, c->unit);
        break;
    case WL_COND_FACT:
        nd.ref = 0;
        for (size_t i = 0; i < nfacts; i++)
            if (strcmp(facts[i], c->name) == 0)
                nd.ref = 1;
        break;
    default:
        break;
    }
    if (nd.ref == UINT32_MAX || nd.pair == UINT32_MAX)
        return UINT32_MAX;
    if (c->op == WL_COND_ALL || c->op == WL_COND_ANY) {
        uint32_t tmp[WL_COND_NODES_MAX];
        size_t k = c->nkids < WL_COND_NODES_MAX ? c->nkids : WL_COND_NODES_MAX;
        for (size_t i = 0; i < k; i++)
            if ((tmp[i] = compile(x, c->kids[i], author, facts, nfacts)) == UINT32_MAX)
                return UINT32_MAX;
        if (grow((void **)&x->kids, &x->capkids, x->nkids + k, sizeof *x->kids) != 0)
            return UINT32_MAX;
        nd.kid0 = (uint32_t)x->nkids;
        nd.nkids = (uint32_t)k;
        memcpy(x->kids + x->nkids, tmp, k * sizeof *tmp);
        x->nkids += k;
    }
    if (grow((void **)&x->nodes, &x->capnodes, x->nnodes + 1, sizeof *x->nodes) != 0)
        return UINT32_MAX;
    id = (uint32_t)x->nnodes++;
    x->nodes[id] = nd;
    return id;
}

static int collect_deps(ctx *x, uint32_t node, uint32_t pledge)
{
    const cnode *nd = &x->nodes[node];
    switch (nd->op) {
    case WL_COND_REQUIRES:
        return add_dep(&x->dep_member[nd->ref], pledge, 1);
    case WL_COND_AT_LEAST:
        return add_dep(&x->dep_cat[nd->ref], pledge, nd->n);
    case WL_COND_TOTAL:
        return add_dep(&x->dep_total[nd->ref], pledge, nd->n);
    case WL_COND_ALL:
    case WL_COND_ANY:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (collect_deps(x, x->kids[nd->kid0 + i], pledge) != 0)
                return -1;
        return 0;
    default:
        return 0;
    }
}

static int eval(ctx *x, uint32_t node)
{
    const cnode *nd = &x->nodes[node];
    switch (nd->op) {
    case WL_COND_TRUE:
        return 1;
    case WL_COND_REQUIRES:
        return x->member_cnt[nd->ref] > 0;
    case WL_COND_AT_LEAST:
        /* n OTHER members: the author itself does not count */
        return x->cat_members[nd->ref] - (x->pair_cnt[nd->pair] > 0) >= nd->n;
    case WL_COND_TOTAL:
        return x->total[nd->ref] >= nd->n;
    case WL_COND_FACT:
        return nd->ref == 1;
    case WL_COND_ALL:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (!eval(x, x->kids[nd->kid0 + i]))
                return 0;
        return 1;
    case WL_COND_ANY:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (eval(x, x->kids[nd->kid0 + i]))
                return 1;
        return 0;
    }
    return 0;
}

static void push(ctx *x, uint32_t p)
{
    if (x->queued[p] || !x->binding[p])
        return;
    x->queued[p] = 1;
    x->queue[x->qtail] = p;
    x->qtail = (x->qtail + 1) % (x->n + 1);
}

static int cmp_dep(const void *a, const void *b)
{
    const dep *x = a, *y = b;
    if (x->threshold != y->threshold)
        return x->threshold < y->threshold ? -1 : 1;
    return x->pledge < y->pledge ? -1 : x->pledge > y->pledge;
}

static void sort_deps(deps *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d[i].n > 1)
            qsort(d[i].v, d[i].n, sizeof(dep), cmp_dep);
}

/* Pushes the pledges of d whose threshold lies in [lo, hi]. */
static void push_range(ctx *x, const deps *d, int64_t lo, int64_t hi)
{
    size_t a = 0, b = d->n;
    while (a < b) { /* first threshold >= lo */
        size_t m = (a + b) / 2;
        if (d->v[m].threshold < lo)
            a = m + 1;
        else
            b = m;
    }
    for (; a < d->n && d->v[a].threshold <= hi; a++)
        push(x, d->v[a].pledge);
}

static void drop(ctx *x, uint32_t p)
{
    uint32_t m = x->p_member[p], c = x->p_cat[p], cu = x->p_cu[p], pr = x->p_pair[p];
    x->binding[p] = 0;
    if (--x->member_cnt[m] == 0)
        push_range(x, &x->dep_member[m], 1, 1);
    if (--x->pair_cnt[pr] == 0) {
        int64_t v = x->cat_members[c]--;
        /* an atom at_least(n) flips for n = v (author outside) or n = v - 1 (inside) */
        push_range(x, &x->dep_cat[c], v - 1, v);
    }
    if (x->in[p].qty > 0) {
        int64_t t = x->total[cu];
        x->total[cu] -= x->in[p].qty;
        push_range(x, &x->dep_total[cu], x->total[cu] + 1, t);
    }
}

/* ---- reasons: which condition failed, against which numbers, what would bind it ---- */

static void say(wl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(wl_buf *b, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        (void)!wl_buf_append(b, line, strlen(line), 8192);
}

/*
 * The value of an aggregate as the pledge p itself sees it: its own quantity
 * counts in a total, and its author holds a pledge. The clearing dropped p
 * because its condition failed while p was still counted, so the reasons are
 * given the same way.
 */
static int64_t own_total(ctx *x, uint32_t p, const cnode *nd)
{
    return x->total[nd->ref] + (x->p_cu[p] == nd->ref ? x->in[p].qty : 0);
}

static int holds_for(ctx *x, uint32_t p, uint32_t node)
{
    const cnode *nd = &x->nodes[node];
    switch (nd->op) {
    case WL_COND_REQUIRES:
        return x->member_cnt[nd->ref] > 0 || x->p_member[p] == nd->ref;
    case WL_COND_TOTAL:
        return own_total(x, p, nd) >= nd->n;
    case WL_COND_ALL:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (!holds_for(x, p, x->kids[nd->kid0 + i]))
                return 0;
        return 1;
    case WL_COND_ANY:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (holds_for(x, p, x->kids[nd->kid0 + i]))
                return 1;
        return 0;
    default:
        return eval(x, node);
    }
}

static void explain(ctx *x, uint32_t p, uint32_t node, wl_buf *b)
{
    const cnode *nd = &x->nodes[node];
    const wl_cond *c = nd->src;
    int first = 1;

    switch (nd->op) {
    case WL_COND_TRUE:
        return;
    case WL_COND_REQUIRES:
        say(b, "requires(%s): %s holds no binding pledge; needs a binding pledge from %s", c->name,
            c->name, c->name);
        return;
    case WL_COND_AT_LEAST: {
        int64_t have = x->cat_members[nd->ref] - (x->pair_cnt[nd->pair] > 0);
        say(b,
            "at_least(%lld, %s): %lld other member%s hold%s binding pledges there; needs %lld "
            "more member%s with %s",
            (long long)nd->n, c->name, (long long)have, have == 1 ? "" : "s", have == 1 ? "s" : "",
            (long long)(nd->n - have), nd->n - have == 1 ? "" : "s", c->name);
        return;
    }
    case WL_COND_TOTAL: {
        char have[32], want[32], need[32];
        wl_qty_format(own_total(x, p, nd), have, sizeof have);
        wl_qty_format(nd->n, want, sizeof want);
        wl_qty_format(nd->n - own_total(x, p, nd), need, sizeof need);
        say(b, "total(%s, %s) >= %s: the binding total is %s; needs %s more %s", c->name, c->unit,
            want, have, need, c->unit);
    }
        return;
    case WL_COND_FACT:
        for (size_t i = 0; i < x->nnotes; i++)
            if (strcmp(x->notes[i].fact, c->name) == 0) {
                say(b, "fact(%s): %s", c->name, x->notes[i].why);
                return;
            }
        if (strncmp(c->name, WL_DEAL_FACT_PREFIX, sizeof WL_DEAL_FACT_PREFIX - 1) == 0)
            say(b, "fact(%s): the deal %s is not in force (no version of it has been proposed)",
                c->name, c->name + sizeof WL_DEAL_FACT_PREFIX - 1);
        else
            say(b, "fact(%s) is not recorded; needs the coordinator to record it", c->name);
        return;
    case WL_COND_ALL:
        for (uint32_t i = 0; i < nd->nkids; i++) {
            uint32_t k = x->kids[nd->kid0 + i];
            if (holds_for(x, p, k))
                continue;
            if (!first)
                say(b, "; and ");
            explain(x, p, k, b);
            first = 0;
        }
        return;
    case WL_COND_ANY:
        say(b, "none of these holds: ");
        for (uint32_t i = 0; i < nd->nkids; i++) {
            if (i)
                say(b, "; or ");
            explain(x, p, x->kids[nd->kid0 + i], b);
        }
        return;
    }
}

/*
 * Why a binding pledge binds, when a fact with words (a deal's) made its
 * condition true: "binds: fact(NAME): WHY" for the first such fact that holds,
 * in the condition's order. Nothing (b untouched) when none did.
 */
static void binds_because(ctx *x, uint32_t node, wl_buf *b)
{
    const cnode *nd = &x->nodes[node];
    if (b->len)
        return;
    if (nd->op == WL_COND_FACT && nd->ref) {
        for (size_t i = 0; i < x->nnotes; i++)
            if (strcmp(x->notes[i].fact, nd->src->name) == 0) {
                say(b, "binds: fact(%s): %s", nd->src->name, x->notes[i].why);
                return;
            }
        return;
    }
    if (nd->op == WL_COND_ALL || nd->op == WL_COND_ANY)
        for (uint32_t i = 0; i < nd->nkids && b->len == 0; i++)
            if (eval(x, x->kids[nd->kid0 + i]))
                binds_because(x, x->kids[nd->kid0 + i], b);
}

static void ctx_free(ctx *x)
{
    strtab_free(&x->members);
    strtab_free(&x->cats);
    strtab_free(&x->catunits);
    strtab_free(&x->pairs);
    strtab_free(&x->facts);
    wl_free(x->nodes);
    wl_free(x->kids);
    wl_free(x->root);
    wl_free(x->p_member);
    wl_free(x->p_cat);
    wl_free(x->p_cu);
    wl_free(x->p_pair);
    wl_free(x->member_cnt);
    wl_free(x->cat_members);
    wl_free(x->total);
    wl_free(x->pair_cnt);
    for (size_t i = 0; x->dep_member && i < x->members.n; i++)
        wl_free(x->dep_member[i].v);
    for (size_t i = 0; x->dep_cat && i < x->cats.n; i++)
        wl_free(x->dep_cat[i].v);
    for (size_t i = 0; x->dep_total && i < x->catunits.n; i++)
        wl_free(x->dep_total[i].v);
    wl_free(x->dep_member);
    wl_free(x->dep_cat);
    wl_free(x->dep_total);
    wl_free(x->queued);
    wl_free(x->queue);
}

void wl_clearing_free(wl_clearing *c)
{
    if (c->reason)
        for (size_t i = 0; i < c->n; i++)
            wl_free(c->reason[i]);
    wl_free(c->reason);
    wl_free(c->binding);
    memset(c, 0, sizeof *c);
}

wl_rc wl_clear(const wl_pledge_in *p, size_t n, const char *const *facts, size_t nfacts,
               wl_clearing *out)
{
    return wl_clear_noted(p, n, facts, nfacts, NULL, 0, out);
}

wl_rc wl_clear_noted(const wl_pledge_in *p, size_t n, const char *const *facts, size_t nfacts,
                     const wl_fact_note *notes, size_t nnotes, wl_clearing *out)
{
    ctx x;
    wl_rc rc = WL_ERR_NOMEM;

    memset(out, 0, sizeof *out);
    memset(&x, 0, sizeof x);
    x.notes = notes;
    x.nnotes = nnotes;
    if (n > UINT32_MAX - 1)
        return WL_ERR_TOO_LARGE;
    x.in = p;
    x.n = n;
    out->n = n;
    out->binding = wl_calloc(n, 1);
    out->reason = wl_calloc(n, sizeof *out->reason);
    x.root = wl_calloc(n, sizeof *x.root);
    x.p_member = wl_calloc(n, sizeof *x.p_member);
    x.p_cat = wl_calloc(n, sizeof *x.p_cat);
    x.p_cu = wl_calloc(n, sizeof *x.p_cu);
    x.p_pair = wl_calloc(n, sizeof *x.p_pair);
    x.queued = wl_calloc(n, 1);
    x.queue = wl_calloc(n + 1, sizeof *x.queue);
    if (!out->binding || !out->reason || !x.root || !x.p_member || !x.p_cat || !x.p_cu ||
        !x.p_pair || !x.queued || !x.queue)
        goto fail;
    x.binding = out->binding;
    /* intern every pledge's own member, category and unit, and compile its condition */
    for (size_t i = 0; i < n; i++) {
        char m[16];
        if (p[i].qty < 0) {
            rc = WL_ERR_INVALID;
            goto fail;
        }
        x.p_member[i] = intern(&x.members, p[i].member, NULL);
        x.p_cat[i] = intern(&x.cats, p[i].category, NULL);
        x.p_cu[i] = intern(&x.catunits, p[i].category, p[i].unit);
        snprintf(m, sizeof m, "%u", x.p_member[i]);
        x.p_pair[i] = intern(&x.pairs, m, p[i].category);
        if (x.p_member[i] == UINT32_MAX || x.p_cat[i] == UINT32_MAX || x.p_cu[i] == UINT32_MAX ||
            x.p_pair[i] == UINT32_MAX)
            goto fail;
        x.root[i] = UINT32_MAX;
        if (p[i].cond) {
            x.root[i] = compile(&x, p[i].cond, x.p_member[i], facts, nfacts);
            if (x.root[i] == UINT32_MAX)
                goto fail;
        }
    }
    x.member_cnt = wl_calloc(x.members.n + 1, sizeof *x.member_cnt);
    x.cat_members = wl_calloc(x.cats.n + 1, sizeof *x.cat_members);
    x.total = wl_calloc(x.catunits.n + 1, sizeof *x.total);
    x.pair_cnt = wl_calloc(x.pairs.n + 1, sizeof *x.pair_cnt);
    x.dep_member = wl_calloc(x.members.n + 1, sizeof *x.dep_member);
    x.dep_cat = wl_calloc(x.cats.n + 1, sizeof *x.dep_cat);
    x.dep_total = wl_calloc(x.catunits.n + 1, sizeof *x.dep_total);
    if (!x.member_cnt || !x.cat_members || !x.total || !x.pair_cnt || !x.dep_member || !x.dep_cat ||
        !x.dep_total)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (x.root[i] != UINT32_MAX && collect_deps(&x, x.root[i], (uint32_t)i) != 0)
            goto fail;
    sort_deps(x.dep_member, x.members.n);
    sort_deps(x.dep_cat, x.cats.n);
    sort_deps(x.dep_total, x.catunits.n);

    /* everyone binding to begin with */
    for (size_t i = 0; i < n; i++) {
        x.binding[i] = 1;
        x.member_cnt[x.p_member[i]]++;
        if (x.pair_cnt[x.p_pair[i]]++ == 0)
            x.cat_members[x.p_cat[i]]++;
        if (x.total[x.p_cu[i]] > INT64_MAX - p[i].qty) {
            rc = WL_ERR_TOO_LARGE;
            goto fail;
        }
        x.total[x.p_cu[i]] += p[i].qty;
    }
    for (size_t i = 0; i < n; i++)
        push(&x, (uint32_t)i);
    while (x.qhead != x.qtail) {
        uint32_t i = x.queue[x.qhead];
        x.qhead = (x.qhead + 1) % (n + 1);
        x.queued[i] = 0;
        x.evals++;
        if (x.binding[i] && x.root[i] != UINT32_MAX && !eval(&x, x.root[i]))
            drop(&x, i);
    }
    for (size_t i = 0; i < n; i++) {
        wl_buf b = {0};
        if (x.binding[i]) { /* a binding pledge has a reason when a deal's fact made it bind */
            if (x.root[i] != UINT32_MAX && x.nnotes)
                binds_because(&x, x.root[i], &b);
            if (b.len && b.buf == NULL)
                goto fail;
            out->reason[i] = b.buf;
            continue;
        }
        explain(&x, (uint32_t)i, x.root[i], &b);
        if (b.buf == NULL)
            goto fail;
        out->reason[i] = b.buf;
    }
    out->rounds = x.evals;
    ctx_free(&x);
    return WL_OK;
fail:
    ctx_free(&x);
    wl_clearing_free(out);
    return rc;
}
