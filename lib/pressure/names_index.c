/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The index of name keys and screening (include/willing/names.h): every
 * subject's name keys, their loosened words in a hash table of postings, the
 * identifiers in another; a screening counts, for each of its keys, the
 * words each name key shares with it, scores the names that share enough,
 * and adjusts by date of birth and country; an identifier that agrees wins
 * outright. The score: docs/internals/pressure.md, "The score".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pressure/names_int.h"

int wl_names_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
    void **p = pp;
    size_t c = *cap ? *cap : 16;
    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    void *q = wl_realloc(*p, c * elem);
    if (!q)
        return -1;
    memset((char *)q + *cap * elem, 0, (c - *cap) * elem);
    *p = q, *cap = c;
    return 0;
}

static uint32_t hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* s's offset in the arena, NUL-terminated; UINT32_MAX when out of memory. */
static uint32_t arena_put(wl_names_index *ix, const char *s, size_t len)
{
    if (wl_names_grow(&ix->arena, &ix->acap, ix->alen + len + 1, 1) != 0 ||
        ix->alen + len + 1 > UINT32_MAX)
        return UINT32_MAX;
    uint32_t off = (uint32_t)ix->alen;
    memcpy(ix->arena + off, s, len);
    ix->arena[off + len] = '\0';
    ix->alen += len + 1;
    return off;
}

static size_t map_pos(const wl_names_index *ix, const strmap *m, const char *s, size_t len,
                      uint32_t h)
{
    size_t mask = m->cap - 1, p = h & mask;
    while (m->slot[p]) {
        const strent *e = &m->ent[m->slot[p] - 1];
        if (e->hash == h && e->len == len && memcmp(ix->arena + e->str, s, len) == 0)
            return p;
        p = (p + 1) & mask;
    }
    return p;
}

long wl_names_index_find(const wl_names_index *ix, const strmap *m, const char *s, size_t len)
{
    if (m->cap == 0)
        return -1;
    size_t p = map_pos(ix, m, s, len, hash(s, len));
    return m->slot[p] ? (long)m->slot[p] - 1 : -1;
}

/* The entry of s into *idx, made if new; -1 when out of memory. */
static int map_put(wl_names_index *ix, strmap *m, const char *s, size_t len, uint32_t *idx)
{
    uint32_t h = hash(s, len);
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        uint32_t *slot = wl_calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < m->n; i++) {
            size_t p = m->ent[i].hash & (cap - 1);
            while (slot[p])
                p = (p + 1) & (cap - 1);
            slot[p] = (uint32_t)i + 1;
        }
        wl_free(m->slot);
        m->slot = slot, m->cap = cap;
    }
    size_t p = map_pos(ix, m, s, len, h);
    if (m->slot[p]) {
        *idx = m->slot[p] - 1;
        return 0;
    }
    if (wl_names_grow(&m->ent, &m->ecap, m->n + 1, sizeof *m->ent) != 0)
        return -1;
    uint32_t off = arena_put(ix, s, len);
    if (off == UINT32_MAX)
        return -1;
    m->ent[m->n] = (strent){off, (uint32_t)len, h};
    m->slot[p] = (uint32_t)m->n + 1;
    *idx = (uint32_t)m->n++;
    return 0;
}

wl_rc wl_names_index_new(uint64_t version, wl_names_index **out)
{
    *out = wl_calloc(1, sizeof **out);
    if (!*out)
        return WL_ERR_NOMEM;
    (*out)->version = version;
    return WL_OK;
}

void wl_names_index_free(wl_names_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->tokens.n && i < ix->pcap; i++)
        wl_free(ix->post[i].p);
    wl_free(ix->post);
    wl_free(ix->tokens.slot);
    wl_free(ix->tokens.ent);
    wl_free(ix->idvals.slot);
    wl_free(ix->idvals.ent);
    wl_free(ix->idhead);
    wl_free(ix->idrefs);
    wl_free(ix->arena);
    wl_free(ix->keys);
    wl_free(ix->names);
    wl_free(ix->subjects);
    wl_free(ix->dobs);
    wl_free(ix->ctry);
    wl_free(ix->tokids);
    wl_free(ix);
}

size_t wl_names_index_keys(const wl_names_index *ix)
{
    return ix->nkeys;
}
size_t wl_names_index_subjects(const wl_names_index *ix)
{
    return ix->nsubjects;
}
uint64_t wl_names_index_version(const wl_names_index *ix)
{
    return ix->version;
}

size_t wl_names_squeeze(const char *s, char *out, size_t cap, int upper)
{
    size_t o = 0;
    for (; s && *s && o + 1 < cap; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z' && upper)
            c = (char)(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z' && !upper)
            c = (char)(c - 'A' + 'a');
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

size_t wl_names_squeeze_id(const char *s, char *out, size_t cap)
{
    size_t l = wl_names_squeeze(s, out, cap, 1);
    /* "IMO 9610781", "IMO9610781" and "9610781" are one ship: a list writes the prefix or not */
    if (l == 10 && memcmp(out, "IMO", 3) == 0 && strspn(out + 3, "0123456789") == 7) {
        memmove(out, out + 3, 8);
        l = 7;
    }
    return l;
}

/* One key of a subject's name into the index, unless the subject has it already. */
static int add_key(wl_names_index *ix, uint32_t subject, uint32_t name, uint32_t first,
                   const wl_name_key *k)
{
    for (size_t i = first; i < ix->nkeys; i++)
        if (strcmp(ix->arena + ix->keys[i].exact, k->exact) == 0) {
            ix->keys[i].schemes |= (uint8_t)k->schemes;
            return 0;
        }
    if (wl_names_grow(&ix->keys, &ix->kcap, ix->nkeys + 1, sizeof *ix->keys) != 0)
        return -1;
    nkey *e = &ix->keys[ix->nkeys];
    e->subject = subject, e->name = name, e->schemes = (uint8_t)k->schemes;
    e->words = (uint16_t)k->words;
    e->exact = arena_put(ix, k->exact, strlen(k->exact));
    e->loose = arena_put(ix, k->loose, strlen(k->loose));
    if (e->exact == UINT32_MAX || e->loose == UINT32_MAX)
        return -1;
    e->tok0 = (uint32_t)ix->ntokids, e->ntok = 0;
    for (const char *p = k->loose; *p;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        uint32_t t;
        if (map_put(ix, &ix->tokens, p, len, &t) != 0 ||
            wl_names_grow(&ix->post, &ix->pcap, ix->tokens.n, sizeof *ix->post) != 0)
            return -1;
        int seen = 0; /* a word twice in one key counts once */
        for (uint32_t j = 0; j < e->ntok && !seen; j++)
            seen = ix->tokids[e->tok0 + j] == t;
        if (!seen) {
            postings *ps = &ix->post[t];
            if (wl_names_grow(&ix->tokids, &ix->tcap, ix->ntokids + 1, sizeof *ix->tokids) != 0)
                return -1;
            if (ps->n == ps->cap) {
                size_t c = ps->cap;
                if (wl_names_grow(&ps->p, &c, (size_t)ps->n + 1, sizeof *ps->p) != 0)
                    return -1;
                ps->cap = (uint32_t)c;
            }
            ps->p[ps->n++] = (uint32_t)ix->nkeys;
            ix->tokids[ix->ntokids++] = t;
            e->ntok++;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    ix->nkeys++;
    return 0;
}

/* Undoes the keys from `first` on (a subject whose name was refused). */
static void drop_keys(wl_names_index *ix, size_t first)
{
    while (ix->nkeys > first) {
        nkey *e = &ix->keys[--ix->nkeys];
        for (uint32_t j = e->ntok; j-- > 0;)
            ix->post[ix->tokids[e->tok0 + j]].n--;
        ix->ntokids = e->tok0;
    }
}

wl_rc wl_names_index_add(wl_names_index *ix, wl_names *n, const wl_names_subject *s, wl_error *err)
{
    size_t k0 = ix->nkeys, n0 = ix->nnames;
    uint32_t subj = (uint32_t)ix->nsubjects;
    wl_name_keys keys;
    char buf[256];
    wl_rc rc;
    if (wl_names_grow(&ix->subjects, &ix->scap, ix->nsubjects + 1, sizeof *ix->subjects) != 0 ||
        wl_names_grow(&ix->names, &ix->ncap, ix->nnames + s->n_names, sizeof *ix->names) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    for (size_t i = 0; i < s->n_names; i++) {
        const char *t = s->names[i].text;
        rc = wl_names_keys(n, t, strlen(t), &keys, err);
        if (rc != WL_OK) {
            drop_keys(ix, k0);
            ix->nnames = n0;
            return rc;
        }
        uint32_t off = arena_put(ix, t, strlen(t));
        if (off == UINT32_MAX)
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        ix->names[ix->nnames] =
            (nname){off, (uint8_t) !!s->names[i].alias, (uint8_t) !!s->names[i].weak};
        for (unsigned k = 0; k < keys.count; k++)
            if (add_key(ix, subj, (uint32_t)ix->nnames, (uint32_t)k0, &keys.key[k]) != 0)
                return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        ix->nnames++;
    }
    nsubject *e = &ix->subjects[subj];
    e->id = s->id;
    /* its primary name (else its first): a candidate found by an identifier alone is named by it */
    e->primary = n0 < ix->nnames ? ix->names[n0].text : UINT32_MAX;
    for (size_t i = n0; i < ix->nnames; i++)
        if (!ix->names[i].alias) {
            e->primary = ix->names[i].text;
            break;
        }
    e->dob0 = (uint32_t)ix->ndobs, e->ndob = (uint32_t)s->n_dobs;
    e->ctry0 = (uint32_t)ix->nctry, e->nctry = 0;
    if (wl_names_grow(&ix->dobs, &ix->dcap, ix->ndobs + s->n_dobs, sizeof *ix->dobs) != 0 ||
        wl_names_grow(&ix->ctry, &ix->ccap, ix->nctry + s->n_countries, sizeof *ix->ctry) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    if (s->n_dobs)
        memcpy(ix->dobs + ix->ndobs, s->dobs, s->n_dobs * sizeof *s->dobs);
    ix->ndobs += s->n_dobs;
    for (size_t i = 0; i < s->n_countries; i++) {
        size_t l = wl_names_squeeze(s->countries[i], buf, sizeof buf, 0);
        if (l == 0)
            continue;
        uint32_t off = arena_put(ix, buf, l);
        if (off == UINT32_MAX)
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        ix->ctry[ix->nctry++] = off, e->nctry++;
    }
    ix->nsubjects++;
    for (size_t i = 0; i < s->n_ids; i++) {
        size_t l = wl_names_squeeze_id(s->ids[i].value, buf, sizeof buf);
        uint32_t v;
        if (l == 0)
            continue;
        if (map_put(ix, &ix->idvals, buf, l, &v) != 0 ||
            wl_names_grow(&ix->idhead, &ix->hcap, ix->idvals.n, sizeof *ix->idhead) != 0 ||
            wl_names_grow(&ix->idrefs, &ix->rcap, ix->nidrefs + 1, sizeof *ix->idrefs) != 0)
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        const char *type = s->ids[i].type ? s->ids[i].type : "";
        uint32_t toff = arena_put(ix, type, strlen(type));
        uint32_t voff = arena_put(ix, s->ids[i].value, strlen(s->ids[i].value));
        if (toff == UINT32_MAX || voff == UINT32_MAX)
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        ix->idrefs[ix->nidrefs] = (nidref){subj, toff, voff, ix->idhead[v]};
        ix->idhead[v] = (uint32_t)++ix->nidrefs;
    }
    return WL_OK;
}
