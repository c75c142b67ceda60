/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A set of pledges built from sealed contents in order (a pledge, its
 * amendments, its withdrawal), and coverage: per requirement, what is
 * binding, what is pledged but not binding, and the gap.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/entry.h"

void wl_pledges_init(wl_pledges *ps)
{
    memset(ps, 0, sizeof *ps);
}

static void item_free(wl_pledge_item *it)
{
    wl_free(it->id);
    wl_free(it->member);
    wl_free(it->category);
    wl_free(it->unit);
    wl_cond_free(it->cond);
    memset(it, 0, sizeof *it);
}

void wl_pledges_free(wl_pledges *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        item_free(&ps->items[i]);
    wl_free(ps->items);
    wl_free(ps->in);
    wl_free(ps->live);
    wl_free(ps->slots);
    memset(ps, 0, sizeof *ps);
}

/* The index by id: open addressing, slots hold item index + 1, at most half full. */
static size_t id_hash(const char *id)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211ull;
    return (size_t)h;
}

static wl_pledge_item *find(wl_pledges *ps, const char *id)
{
    if (ps->nslots == 0)
        return NULL;
    for (size_t i = id_hash(id) & (ps->nslots - 1);; i = (i + 1) & (ps->nslots - 1)) {
        size_t v = ps->slots[i];
        if (v == 0)
            return NULL;
        if (strcmp(ps->items[v - 1].id, id) == 0)
            return &ps->items[v - 1];
    }
}

static void slot_put(wl_pledges *ps, size_t item)
{
    size_t i = id_hash(ps->items[item].id) & (ps->nslots - 1);
    while (ps->slots[i] != 0)
        i = (i + 1) & (ps->nslots - 1);
    ps->slots[i] = item + 1;
}

/* Room for one more item in the index. */
static wl_rc index_grow(wl_pledges *ps)
{
    size_t ns;
    size_t *sl;
    if ((ps->n + 1) * 2 <= ps->nslots)
        return WL_OK;
    ns = ps->nslots ? ps->nslots * 2 : 64;
    sl = wl_calloc(ns, sizeof *sl);
    if (sl == NULL)
        return WL_ERR_NOMEM;
    wl_free(ps->slots);
    ps->slots = sl;
    ps->nslots = ns;
    for (size_t i = 0; i < ps->n; i++)
        slot_put(ps, i);
    return WL_OK;
}

static char *dup(const char *s)
{
    return s ? wl_strndup(s, strlen(s)) : NULL;
}

wl_rc wl_pledges_add(wl_pledges *ps, const char *content, size_t len, uint64_t where)
{
    wl_entry e;
    json_t *b;
    const char *id, *amends;
    wl_pledge_item it, *old;
    char why[200];
    wl_rc rc = wl_sealed_parse(content, len, &e, NULL, 0);
    if (rc != WL_OK)
        return rc;
    b = e.body_json;
    id = json_string_value(json_object_get(b, "pledge"));
    if (strcmp(e.kind, "pledge.withdraw") == 0) {
        /* only its own author withdraws a pledge */
        old = id ? find(ps, id) : NULL;
        if (old && strcmp(old->member, e.author) == 0)
            old->withdrawn = 1;
        wl_entry_clear(&e);
        return WL_OK;
    }
    if (strcmp(e.kind, "pledge") != 0 || wl_pledge_check(b, why, sizeof why) != WL_OK) {
        wl_entry_clear(&e);
        return WL_ERR_INVALID;
    }
    memset(&it, 0, sizeof it);
    it.id = dup(id);
    it.member = dup(e.author);
    it.category = dup(json_string_value(json_object_get(b, "category")));
    it.unit = dup(json_string_value(json_object_get(b, "unit")));
    {
        const char *q = json_string_value(json_object_get(b, "quantity"));
        (void)!wl_qty_parse(q, strlen(q), &it.qty);
    }
    it.where = where;
    it.time = e.time;
    if (json_object_get(b, "condition") &&
        wl_cond_from_json(json_object_get(b, "condition"), &it.cond, why, sizeof why) != WL_OK)
        rc = WL_ERR_INVALID;
    if (rc == WL_OK && (!it.id || !it.member || !it.category || !it.unit))
        rc = WL_ERR_NOMEM;
    if (rc != WL_OK) {
        item_free(&it);
        wl_entry_clear(&e);
        return rc;
    }
    /* an amendment replaces its predecessor, by the same author */
    amends = json_string_value(json_object_get(b, "amends"));
    if (amends && (old = find(ps, amends)) != NULL && strcmp(old->member, e.author) == 0)
        old->withdrawn = 1;
    if ((old = find(ps, it.id)) != NULL) { /* the same pledge again: keep the first */
        item_free(&it);
        wl_entry_clear(&e);
        return WL_OK;
    }
    if (index_grow(ps) != WL_OK) {
        item_free(&it);
        wl_entry_clear(&e);
        return WL_ERR_NOMEM;
    }
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 16;
        wl_pledge_item *ni = wl_realloc(ps->items, nc * sizeof *ni);
        if (ni == NULL) {
            item_free(&it);
            wl_entry_clear(&e);
            return WL_ERR_NOMEM;
        }
        ps->items = ni;
        ps->cap = nc;
    }
    ps->items[ps->n] = it;
    slot_put(ps, ps->n++);
    wl_entry_clear(&e);
    return WL_OK;
}

/* The live pledges as clearing input (pointers into the items). */
wl_rc wl_pledges_inputs(wl_pledges *ps, const wl_pledge_in **in, const wl_pledge_item ***items,
                        size_t *n)
{
    size_t k = 0;
    wl_free(ps->in);
    wl_free(ps->live);
    ps->in = wl_calloc(ps->n ? ps->n : 1, sizeof *ps->in);
    ps->live = wl_calloc(ps->n ? ps->n : 1, sizeof *ps->live);
    if (ps->in == NULL || ps->live == NULL)
        return WL_ERR_NOMEM;
    for (size_t i = 0; i < ps->n; i++) {
        wl_pledge_item *it = &ps->items[i];
        if (it->withdrawn || it->inactive)
            continue;
        ps->in[k] = (wl_pledge_in){it->id, it->member, it->category, it->unit, it->qty, it->cond};
        ps->live[k++] = it;
    }
    *in = ps->in;
    *items = (const wl_pledge_item **)ps->live;
    *n = k;
    return WL_OK;
}

void wl_coverage(const char *category, const char *unit, int64_t need, const wl_pledge_in *p,
                 size_t n, const wl_clearing *c, wl_cover *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p[i].category, category) != 0 || strcmp(p[i].unit, unit) != 0)
            continue;
        if (c->binding[i]) {
            out->binding += p[i].qty;
            out->nbinding++;
        } else {
            out->pledged += p[i].qty;
            out->npledged++;
        }
    }
    out->gap = need > out->binding ? need - out->binding : 0;
}
