/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coverage views: from a store read to what a viewer may see of the
 * register. Per requirement, what is binding, what is pledged but not
 * binding, and the gap; the pledges in the view with why each does or does
 * not bind; the facts the clearing used.
 *   public: announced pledges only, so nothing sealed can be inferred;
 *   coordinator: sealed pledges too;
 *   member: the member's own sealed pledges plus the announced ones.
 * Pledges of withdrawn members do not count (in public: publicly withdrawn).
 * No network, no threads: the daemon caches views and answers with them
 * (src/daemon/coalition.c). docs/internals/coalition.md has the design.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/csv.h"
#include "willing/deal.h" /* the words for a deal's fact */
#include "willing/ledger.h"
#include "willing/limits.h"

static const char *const viewer_names[] = {"public", "coordinator", "member"};

const char *wl_coalition_viewer_name(wl_coalition_viewer viewer)
{
    return (unsigned)viewer < 3 ? viewer_names[viewer] : "public";
}

void wl_coalition_base_init(wl_coalition_base *b)
{
    memset(b, 0, sizeof *b);
    wl_pledges_init(&b->ps);
}

void wl_coalition_base_free(wl_coalition_base *b)
{
    if (b == NULL)
        return;
    wl_pledges_free(&b->ps);
    wl_coalition_base_init(b);
}

void wl_coalition_view_free(wl_coalition_view *v)
{
    if (v == NULL)
        return;
    if (v->own) {
        wl_coalition_base_free(v->own);
        wl_free(v->own);
    }
    wl_free(v->in);
    wl_clearing_free(&v->clr);
    free(v->facts_json); /* jansson's */
    free(v->reqs_json);
    wl_buf_free(&v->csv);
    wl_free(v->notice);
    wl_free(v);
}

static wl_rc add_announced(void *ctx, uint64_t index, const char *data, size_t len)
{
    wl_coalition_base *b = ctx;
    wl_entry e;
    const char *b64;
    size_t n = 0;
    char *raw;
    b->announce_from = index + 1;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    b64 = json_string_value(json_object_get(e.body_json, "content"));
    raw = b64 ? wl_malloc(strlen(b64) + 1) : NULL;
    if (raw && wl_b64_decode(b64, strlen(b64), (uint8_t *)raw, strlen(b64), &n) == WL_OK)
        (void)!wl_pledges_add(&b->ps, raw, n, index); /* not a pledge: not counted */
    wl_free(raw);
    wl_entry_clear(&e);
    return WL_OK;
}

typedef struct {
    wl_coalition_base *b;
    const char *only; /* only this author's sealed contents, or NULL for all */
} sealed_ctx;

static wl_rc add_sealed(void *ctx, int64_t row, const char *author, const void *content, size_t len,
                        int64_t received)
{
    sealed_ctx *sc = ctx;
    sc->b->sealed_after = row;
    if (sc->only == NULL || strcmp(author, sc->only) == 0)
        (void)!wl_pledges_add(&sc->b->ps, content, len, (uint64_t)received);
    return WL_OK;
}

typedef struct {
    wl_pledges *ps;
    int public_only;
} withdrawn_ctx;

/* Pledges of withdrawn members stop counting (in public, only public withdrawals). */
static wl_rc drop_withdrawn(void *ctx, const wl_member *m)
{
    withdrawn_ctx *w = ctx;
    if (strcmp(m->status, "withdrawn") != 0 || (w->public_only && m->sealed))
        return WL_OK;
    for (size_t i = 0; i < w->ps->n; i++)
        if (strcmp(w->ps->items[i].member, m->id) == 0)
            w->ps->items[i].inactive = 1;
    return WL_OK;
}

typedef struct {
    json_t *reqs;
    wl_coalition_view *v;
} req_ctx;

static wl_rc one_requirement(void *ctx, const char *id, const char *body, uint64_t set_idx,
                             uint64_t endorsed_idx)
{
    req_ctx *r = ctx;
    json_t *b = json_loads(body, 0, NULL);
    const char *cat = json_string_value(json_object_get(b, "category"));
    const char *unit = json_string_value(json_object_get(b, "unit"));
    const char *q = json_string_value(json_object_get(b, "quantity"));
    const char *by = json_string_value(json_object_get(b, "needed_by"));
    int64_t need = 0;
    wl_cover cv;
    char sb[32], sp[32], sg[32], sn[32], prio[24];
    wl_rc rc = WL_OK;
    if (cat == NULL || unit == NULL || q == NULL || wl_qty_parse(q, strlen(q), &need) != WL_OK) {
        json_decref(b);
        return WL_OK;
    }
    wl_coverage(cat, unit, need, r->v->in, r->v->n, &r->v->clr, &cv);
    wl_qty_format(cv.binding, sb, sizeof sb);
    wl_qty_format(cv.pledged, sp, sizeof sp);
    wl_qty_format(cv.gap, sg, sizeof sg);
    wl_qty_format(need, sn, sizeof sn);
    json_array_append_new(
        r->reqs, json_pack("{s:s, s:s, s:s, s:s, s:O, s:s?, s:b, s:I, s:s, s:s, s:s}",
                           "requirement", id, "category", cat, "unit", unit, "quantity", sn,
                           "priority", json_object_get(b, "priority"), "needed_by", by, "endorsed",
                           endorsed_idx != UINT64_MAX, "set", (json_int_t)set_idx, "binding", sb,
                           "pledged_not_binding", sp, "gap", sg));
    (void)snprintf(prio, sizeof prio, "%lld", /* 20 digits fit */
                   (long long)json_integer_value(json_object_get(b, "priority")));
    {
        const char *cells[] = {
            id, cat, unit, sn, prio, by ? by : "", endorsed_idx != UINT64_MAX ? "yes" : "no",
            sb, sp,  sg};
        size_t nc = sizeof cells / sizeof cells[0];
        for (size_t i = 0; i < nc && rc == WL_OK; i++)
            rc = wl_csv_cell(&r->v->csv, cells[i], i + 1 == nc ? WL_CSV_LAST : 0, WL_CSV_MAX_BYTES);
    }
    json_decref(b);
    return rc;
}

wl_rc wl_coalition_base_update(wl_store *s, wl_coalition_base *b, int sealed, const char *only)
{
    sealed_ctx sc = {b, only};
    wl_rc r = WL_OK;
    if (sealed)
        r = wl_store_sealed_each(s, b->sealed_after, add_sealed, &sc);
    if (r == WL_OK)
        r = wl_store_entries_of_kind(s, "announce", b->announce_from, add_announced, b);
    return r;
}

/* The words for each deal's fact (wl_deal_fact_why), for the clearing's reasons. */
typedef struct {
    wl_store *s;
    wl_fact_note *v;
    size_t n, cap;
} notes_ctx;

static wl_rc deal_note(void *ctx, const wl_deal_row *d)
{
    notes_ctx *c = ctx;
    char name[80], why[200];
    wl_fact_note *nv;
    snprintf(name, sizeof name, WL_DEAL_FACT_PREFIX "%s", d->id);
    if (!wl_deal_fact_why(c->s, name, why, sizeof why))
        return WL_OK;
    if (c->n == c->cap) {
        if ((nv = wl_realloc(c->v, (c->cap ? c->cap * 2 : 8) * sizeof *nv)) == NULL)
            return WL_ERR_NOMEM;
        c->v = nv;
        c->cap = c->cap ? c->cap * 2 : 8;
    }
    c->v[c->n].fact = wl_strndup(name, strlen(name));
    c->v[c->n].why = wl_strndup(why, strlen(why));
    c->n++;
    return c->v[c->n - 1].fact && c->v[c->n - 1].why ? WL_OK : WL_ERR_NOMEM;
}

static void notes_free(notes_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        wl_free((char *)c->v[i].fact);
        wl_free((char *)c->v[i].why);
    }
    wl_free(c->v);
}

/* Brings b up to date (sealed contents of `only`, NULL: all, when sealed is set; announcements)
 * and clears it into v. */
static wl_rc build(wl_store *s, wl_coalition_base *b, int sealed, const char *only, int public_only,
                   wl_coalition_view *v)
{
    static const char header[] = "requirement,category,unit,quantity,priority,needed_by,"
                                 "endorsed,binding,pledged_not_binding,gap\r\n";
    withdrawn_ctx wc = {&b->ps, public_only};
    req_ctx rq;
    const wl_pledge_in *in = NULL;
    const wl_pledge_item **items = NULL;
    char **facts = NULL;
    size_t nf = 0;
    json_t *fa;
    notes_ctx notes = {s, NULL, 0, 0};
    wl_rc r = WL_OK;
    r = wl_coalition_base_update(s, b, sealed, only);
    for (size_t i = 0; i < b->ps.n; i++)
        b->ps.items[i].inactive = 0;
    if (r == WL_OK)
        r = wl_store_members(s, drop_withdrawn, &wc);
    if (r == WL_OK)
        r = wl_store_facts(s, &facts, &nf);
    if (r == WL_OK)
        r = wl_store_deals(s, deal_note, &notes);
    if (r == WL_OK)
        r = wl_pledges_inputs(&b->ps, &in, &items, &v->n);
    if (r == WL_OK && (v->in = wl_malloc((v->n ? v->n : 1) * sizeof *v->in)) == NULL)
        r = WL_ERR_NOMEM;
    if (r == WL_OK) {
        memcpy(v->in, in, v->n * sizeof *v->in);
        r = wl_clear_noted(v->in, v->n, (const char *const *)facts, nf, notes.v, notes.n, &v->clr);
    }
    notes_free(&notes);
    fa = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_array_append_new(fa, json_string(facts[i]));
        wl_free(facts[i]);
    }
    wl_free(facts);
    v->facts_json = json_dumps(fa, JSON_COMPACT);
    json_decref(fa);
    rq.reqs = json_array();
    rq.v = v;
    if (r == WL_OK)
        r = wl_buf_append(&v->csv, header, sizeof header - 1, WL_CSV_MAX_BYTES);
    if (r == WL_OK)
        r = wl_store_requirements(s, one_requirement, &rq);
    v->reqs_json = json_dumps(rq.reqs, JSON_COMPACT);
    json_decref(rq.reqs);
    if (wl_store_meta_get(s, "notice", &v->notice) != WL_OK)
        v->notice = NULL;
    if (r == WL_OK && (v->facts_json == NULL || v->reqs_json == NULL))
        r = WL_ERR_NOMEM;
    return r;
}

wl_rc wl_coalition_view_build(wl_store *s, wl_coalition_viewer viewer, const char *member,
                              wl_coalition_base *base, wl_coalition_view **out)
{
    wl_coalition_view *v;
    wl_rc rc;
    *out = NULL;
    if ((viewer == WL_VIEWER_MEMBER) != (member != NULL) ||
        (viewer == WL_VIEWER_MEMBER) != (base == NULL))
        return WL_ERR_INVALID;
    if ((v = wl_calloc(1, sizeof *v)) == NULL)
        return WL_ERR_NOMEM;
    if (viewer == WL_VIEWER_MEMBER) { /* built afresh, and owned by the view */
        if ((v->own = wl_malloc(sizeof *v->own)) == NULL) {
            wl_free(v);
            return WL_ERR_NOMEM;
        }
        wl_coalition_base_init(v->own);
        base = v->own;
    }
    rc = build(s, base, viewer != WL_VIEWER_PUBLIC, member, viewer != WL_VIEWER_COORDINATOR, v);
    if (rc != WL_OK) {
        wl_coalition_view_free(v);
        return rc;
    }
    *out = v;
    return WL_OK;
}

wl_rc wl_coalition_view_json(const wl_coalition_view *v, wl_coalition_viewer viewer, size_t offset,
                             size_t limit, wl_buf *out)
{
    json_t *pl = json_array(), *head;
    char *pls = NULL, *hs = NULL;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = offset; i < v->n && i - offset < limit; i++) {
        char q[32];
        wl_qty_format(v->in[i].qty, q, sizeof q);
        json_array_append_new(
            pl, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?}", "pledge", v->in[i].id, "member",
                          v->in[i].member, "category", v->in[i].category, "quantity", q, "unit",
                          v->in[i].unit, "binding", v->clr.binding[i], "reason", v->clr.reason[i]));
    }
    head =
        json_pack("{s:s, s:I, s:I, s:I}", "view", wl_coalition_viewer_name(viewer), "pledges_total",
                  (json_int_t)v->n, "offset", (json_int_t)offset, "limit", (json_int_t)limit);
    if (head && v->notice)
        json_object_set_new(head, "notice", json_string(v->notice));
    hs = head ? json_dumps(head, JSON_COMPACT) : NULL;
    pls = json_dumps(pl, JSON_COMPACT);
    json_decref(head);
    json_decref(pl);
    /* {head..., "facts": F, "requirements": R, "pledges": P}: the cached parts as they are */
    if (hs == NULL || pls == NULL ||
        (rc = wl_buf_append(out, hs, strlen(hs) - 1, WL_COVERAGE_MAX_BYTES)) != WL_OK ||
        (rc = wl_buf_append(out, ",\"facts\":", 9, WL_COVERAGE_MAX_BYTES)) != WL_OK ||
        (rc = wl_buf_append(out, v->facts_json, strlen(v->facts_json), WL_COVERAGE_MAX_BYTES)) !=
            WL_OK ||
        (rc = wl_buf_append(out, ",\"requirements\":", 16, WL_COVERAGE_MAX_BYTES)) != WL_OK ||
        (rc = wl_buf_append(out, v->reqs_json, strlen(v->reqs_json), WL_COVERAGE_MAX_BYTES)) !=
            WL_OK ||
        (rc = wl_buf_append(out, ",\"pledges\":", 11, WL_COVERAGE_MAX_BYTES)) != WL_OK ||
        (rc = wl_buf_append(out, pls, strlen(pls), WL_COVERAGE_MAX_BYTES)) != WL_OK ||
        (rc = wl_buf_append(out, "}\n", 2, WL_COVERAGE_MAX_BYTES)) != WL_OK) {
        wl_buf_free(out);
        if (rc == WL_OK)
            rc = WL_ERR_NOMEM;
    }
    free(hs);
    free(pls);
    return rc;
}

json_t *wl_coalition_view_inputs(const wl_coalition_view *v)
{
    json_t *pl = json_array();
    for (size_t i = 0; pl && i < v->n; i++) {
        char q[32];
        json_t *p;
        wl_qty_format(v->in[i].qty, q, sizeof q);
        p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", v->in[i].id, "member", v->in[i].member,
                      "category", v->in[i].category, "unit", v->in[i].unit, "quantity", q);
        if (p && v->in[i].cond)
            json_object_set_new(p, "condition", wl_cond_to_json(v->in[i].cond));
        json_array_append_new(pl, p);
    }
    return json_pack("{s:o, s:o}", "facts", json_loads(v->facts_json, 0, NULL), "pledges", pl);
}
