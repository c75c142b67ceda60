/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Screening (include/willing/names.h, wl_names_screen): a name, with an
 * optional date of birth, country and identifiers, against the index of
 * names_index.c; candidates with their score and why, never a verdict. The
 * score is documented in docs/internals/pressure.md, "The score": the name's
 * part (every word folded 1.00, every word loosened 0.95, some words 0.90 x
 * their Dice share; a weak alias x 0.90), then the date of birth (day +0.10,
 * month +0.07, year +0.05, differs -0.25) and the country (same +0.05,
 * differs -0.10); an identifier that agrees gives 1.00 outright.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pressure/names_int.h"

#define SCORE_EXACT 1.00
#define SCORE_LOOSE 0.95
#define SCORE_PARTIAL 0.90 /* times the share of words (Dice) */
#define SCORE_WEAK 0.90    /* a weak alias's factor */
#define DOB_DAY 0.10
#define DOB_MONTH 0.07
#define DOB_YEAR 0.05
#define DOB_DIFFERS (-0.25)
#define COUNTRY_SAME 0.05
#define COUNTRY_DIFFERS (-0.10)
#define MIN_SCORE_DEFAULT 0.5

/* The scratch arrays sized to the index; -1 when out of memory. */
static int scratch(wl_names *n, const wl_names_index *ix)
{
    size_t kc = n->kcap, kc2 = n->kcap, kc3 = n->kcap, sc = n->scap, sc2 = n->scap;
    if (wl_names_grow(&n->kstamp, &kc, ix->nkeys, sizeof *n->kstamp) != 0 ||
        wl_names_grow(&n->khits, &kc2, ix->nkeys, sizeof *n->khits) != 0 ||
        wl_names_grow(&n->touched, &kc3, ix->nkeys, sizeof *n->touched) != 0)
        return -1;
    n->kcap = kc;
    if (wl_names_grow(&n->sstamp, &sc, ix->nsubjects, sizeof *n->sstamp) != 0 ||
        wl_names_grow(&n->sslot, &sc2, ix->nsubjects, sizeof *n->sslot) != 0)
        return -1;
    n->scap = sc;
    if (n->stamp > UINT32_MAX - 64) { /* the stamps wrap: start again from clean arrays */
        memset(n->kstamp, 0, n->kcap * sizeof *n->kstamp);
        memset(n->sstamp, 0, n->scap * sizeof *n->sstamp);
        n->stamp = 0;
    }
    return 0;
}

/* The candidate slot of subject s in this screening (s0: its first stamp); NULL when out of memory.
 */
static wl_names_cand *cand_of(wl_names *n, uint32_t s, uint32_t s0)
{
    if (n->sstamp[s] >= s0)
        return &n->cands[n->sslot[s]];
    if (wl_names_grow(&n->cands, &n->ccap, n->ncands + 1, sizeof *n->cands) != 0)
        return NULL;
    n->sstamp[s] = n->stamp, n->sslot[s] = (uint32_t)n->ncands;
    wl_names_cand *c = &n->cands[n->ncands++];
    *c = (wl_names_cand){s, UINT32_MAX, 0, UINT32_MAX, 0, WL_MATCH_NONE, 0};
    return c;
}

/* The name keys that share words with the query's key v, scored into the candidates. */
static int by_key(wl_names *n, const wl_names_index *ix, unsigned v, uint32_t s0)
{
    const wl_name_key *q = &n->query.key[v];
    uint32_t qtok[WL_NAME_TOKENS_MAX];
    unsigned nq = 0;
    size_t ntouched = 0;
    n->stamp++;
    for (const char *p = q->loose; *p;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        long t = wl_names_index_find(ix, &ix->tokens, p, len);
        int seen = 0;
        for (unsigned j = 0; j < nq && !seen; j++)
            seen = qtok[j] == (uint32_t)t;
        if (t >= 0 && !seen && nq < WL_NAME_TOKENS_MAX)
            qtok[nq++] = (uint32_t)t;
        p += len;
        while (*p == ' ')
            p++;
    }
    for (unsigned j = 0; j < nq; j++) {
        const postings *ps = &ix->post[qtok[j]];
        for (uint32_t i = 0; i < ps->n; i++) {
            uint32_t k = ps->p[i];
            if (n->kstamp[k] != n->stamp) {
                n->kstamp[k] = n->stamp, n->khits[k] = 0;
                n->touched[ntouched++] = k;
            }
            n->khits[k]++;
        }
    }
    for (size_t i = 0; i < ntouched; i++) {
        uint32_t k = n->touched[i], hits = n->khits[k];
        const nkey *e = &ix->keys[k];
        unsigned need = q->words < 2 || e->words < 2 ? 1 : 2;
        double score;
        wl_name_match how;
        if (hits < need)
            continue;
        if (strcmp(ix->arena + e->exact, q->exact) == 0)
            how = WL_MATCH_EXACT, score = SCORE_EXACT;
        else if (strcmp(ix->arena + e->loose, q->loose) == 0)
            how = WL_MATCH_LOOSE, score = SCORE_LOOSE;
        else
            how = WL_MATCH_PARTIAL, score = SCORE_PARTIAL * 2.0 * hits / (q->words + e->words);
        if (ix->names[e->name].weak)
            score *= SCORE_WEAK;
        wl_names_cand *c = cand_of(n, e->subject, s0);
        if (!c)
            return -1;
        if (score > c->name_score) {
            c->name_score = score, c->nkey = k, c->variant = v, c->how = how;
            c->agreed = hits;
        }
    }
    return 0;
}

static wl_name_agree dob_agree(const wl_name_date *q, const wl_name_date *d, size_t nd)
{
    wl_name_agree best = WL_AGREE_UNKNOWN;
    if (q->year == 0)
        return WL_AGREE_UNKNOWN;
    for (size_t i = 0; i < nd; i++) {
        wl_name_agree a;
        if (d[i].year == 0)
            continue;
        if (q->circa || d[i].circa)
            a = abs(q->year - d[i].year) <= 2 ? WL_AGREE_YEAR : WL_AGREE_DISAGREE;
        else if (q->year != d[i].year)
            a = WL_AGREE_DISAGREE;
        else if (!q->month || !d[i].month)
            a = WL_AGREE_YEAR;
        else if (q->month != d[i].month)
            a = WL_AGREE_DISAGREE;
        else if (!q->day || !d[i].day)
            a = WL_AGREE_MONTH;
        else
            a = q->day == d[i].day ? WL_AGREE_DAY : WL_AGREE_DISAGREE;
        if (a > best)
            best = a;
    }
    return best;
}

static wl_name_agree country_agree(const wl_names_index *ix, const nsubject *s, const char *q)
{
    int any = 0;
    if (!q || !*q)
        return WL_AGREE_UNKNOWN;
    for (uint32_t i = 0; i < s->nctry; i++) {
        any = 1;
        if (strcmp(ix->arena + ix->ctry[s->ctry0 + i], q) == 0)
            return WL_AGREE_DAY;
    }
    return any ? WL_AGREE_DISAGREE : WL_AGREE_UNKNOWN;
}

typedef struct {
    double score;
    uint64_t id;
    uint32_t slot;
    wl_name_agree dob, country;
} ranked;

static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const char *agree_text(wl_name_agree a, int country, double *adj)
{
    static const double dob[] = {0, DOB_DIFFERS, DOB_YEAR, DOB_MONTH, DOB_DAY};
    *adj = country ? (a == WL_AGREE_DAY        ? COUNTRY_SAME
                      : a == WL_AGREE_DISAGREE ? COUNTRY_DIFFERS
                                               : 0)
                   : dob[a];
    if (country)
        return a == WL_AGREE_DAY ? "the same" : a == WL_AGREE_DISAGREE ? "differs" : "unknown";
    static const char *const t[] = {"unknown", "differs", "agrees to the year",
                                    "agrees to the month", "agrees to the day"};
    return t[a];
}

/* The candidate's every part in words. */
static void explain(const wl_names *n, const wl_names_index *ix, wl_names_candidate *o)
{
    static const char *const how[] = {"no name agreed", "some words agreed",
                                      "every word agreed once loosened", "every word agreed"};
    char qs[96], ks[96];
    double da, ca;
    const char *dt = agree_text(o->dob, 0, &da), *ct = agree_text(o->country, 1, &ca);
    (void)ix;
    if (o->id_value) {
        snprintf(o->why, sizeof o->why, "identifier %s %s agreed: 1.00 outright%s%s%s",
                 o->id_type[0] ? o->id_type : "(untyped)", o->id_value,
                 o->how ? "; the name too: " : "", o->how ? how[o->how] : "", o->how ? "" : "");
        return;
    }
    wl_names_schemes_text(o->schemes, ks, sizeof ks);
    wl_names_schemes_text(o->query_schemes, qs, sizeof qs);
    snprintf(o->why, sizeof o->why,
             "name: %s (%u of %u words; %s%s \"%s\", key \"%s\" by %s; the query's by %s): %.2f; "
             "date of birth %s: %+.2f; country %s: %+.2f; score %.2f",
             how[o->how], o->words_agreed, o->words_query, o->weak ? "weak " : "",
             o->alias ? "alias" : "name", o->name, o->key, ks, qs, o->name_score, dt, da, ct, ca,
             o->score);
    (void)n;
}

wl_rc wl_names_screen(wl_names *n, const wl_names_index *ix, const wl_names_query *q,
                      wl_names_candidate *out, size_t cap, size_t *count, wl_error *err)
{
    size_t limit = q->limit ? q->limit : WL_SCREEN_LIMIT_DEFAULT;
    double min = q->min_score > 0 ? q->min_score : MIN_SCORE_DEFAULT;
    char country[256], buf[256];
    ranked *r = NULL;
    wl_rc rc = WL_OK;
    *count = 0;
    memset(&n->query, 0, sizeof n->query);
    if (q->limit > WL_SCREEN_LIMIT_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "screen_limit",
                            "a screening gives at most %u candidates", WL_SCREEN_LIMIT_MAX);
    if (q->n_ids > WL_NAME_IDS_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_many_ids",
                            "a screening takes at most %u identifiers", WL_NAME_IDS_MAX);
    if ((!q->name || !*q->name) && q->n_ids == 0)
        return wl_error_set(err, WL_ERR_INVALID, "screen_empty",
                            "a screening needs a name or an identifier");
    if (q->name && *q->name) {
        rc = wl_names_keys(n, q->name, strlen(q->name), &n->query, err);
        if (rc != WL_OK)
            return rc;
    }
    if (scratch(n, ix) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    n->ncands = 0;
    uint32_t s0 = n->stamp + 1;
    for (unsigned v = 0; v < n->query.count; v++)
        if (by_key(n, ix, v, s0) != 0)
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    if (n->query.count == 0)
        n->stamp++;
    for (size_t i = 0; i < q->n_ids; i++) {
        size_t l = wl_names_squeeze_id(q->ids[i].value, buf, sizeof buf);
        long v = l ? wl_names_index_find(ix, &ix->idvals, buf, l) : -1;
        for (uint32_t ref = v >= 0 ? ix->idhead[v] : 0; ref; ref = ix->idrefs[ref - 1].next) {
            wl_names_cand *c = cand_of(n, ix->idrefs[ref - 1].subject, s0);
            if (!c)
                return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            c->idref = ref - 1;
        }
    }
    wl_names_squeeze(q->country, country, sizeof country, 0);
    r = wl_malloc((n->ncands ? n->ncands : 1) * sizeof *r);
    if (!r)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    size_t nr = 0;
    for (size_t i = 0; i < n->ncands; i++) {
        const wl_names_cand *c = &n->cands[i];
        const nsubject *s = &ix->subjects[c->subject];
        ranked x = {0, s->id, (uint32_t)i, WL_AGREE_UNKNOWN, WL_AGREE_UNKNOWN};
        double adj;
        x.dob = dob_agree(&q->dob, ix->dobs + s->dob0, s->ndob);
        x.country = country_agree(ix, s, country);
        x.score = c->name_score;
        agree_text(x.dob, 0, &adj), x.score += adj;
        agree_text(x.country, 1, &adj), x.score += adj;
        x.score = x.score < 0 ? 0 : x.score > 1 ? 1 : x.score;
        if (c->idref != UINT32_MAX)
            x.score = 1.0;
        if (x.score + 1e-9 >= min)
            r[nr++] = x;
    }
    qsort(r, nr, sizeof *r, by_score);
    for (size_t i = 0; i < nr && i < limit && i < cap; i++) {
        const wl_names_cand *c = &n->cands[r[i].slot];
        wl_names_candidate *o = &out[i];
        memset(o, 0, sizeof *o);
        o->subject = r[i].id, o->score = r[i].score, o->name_score = c->name_score;
        o->how = c->how, o->dob = r[i].dob, o->country = r[i].country;
        o->words_agreed = c->agreed;
        if (c->nkey != UINT32_MAX) {
            const nkey *e = &ix->keys[c->nkey];
            o->name = ix->arena + ix->names[e->name].text;
            o->key = ix->arena + e->exact;
            o->schemes = e->schemes, o->query_schemes = n->query.key[c->variant].schemes;
            o->words_query = n->query.key[c->variant].words, o->words_name = e->words;
            o->alias = ix->names[e->name].alias, o->weak = ix->names[e->name].weak;
        } else if (ix->subjects[c->subject].primary != UINT32_MAX) /* an identifier alone */
            o->name = ix->arena + ix->subjects[c->subject].primary;
        if (c->idref != UINT32_MAX) {
            o->id_type = ix->arena + ix->idrefs[c->idref].type;
            o->id_value = ix->arena + ix->idrefs[c->idref].value;
        }
        explain(n, ix, o);
        (*count)++;
    }
    wl_free(r);
    return rc;
}
