/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows views that show flows one by one (willing/flows_views.h): the
 * list with its filters and pages (JSON and CSV), one flow's correction chain
 * with its answers, the instrument tree with what is drawn and left, and the
 * rates. What a viewer may see is the store's reader's rule
 * (store_flows_views.h: wl_flows_who); an answer sealed is shown only to
 * whoever may read its flow's sealed side. The summary is views_summary.c.
 * No network, no threads, no caching. docs/internals/flows.md ("Views").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/csv.h"
#include "willing/flows_views.h"
#include "willing/limits.h"

const char *wl_flows_viewer_name(const wl_flows_viewer *v)
{
    return v->all ? "all" : v->member[0] ? "member" : "public";
}

void wl_flows_dec_format(wl_flows_i128 v, int scale, char *out, size_t cap)
{
    char d[64];
    int n = 0, neg = v < 0, end;
    wl_flows_u128 u = neg ? (wl_flows_u128)(-(v + 1)) + 1 : (wl_flows_u128)v;
    size_t k = 0;
    do { /* digits, least significant first, at least scale + 1 of them */
        d[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while ((u || n <= scale) && n < (int)sizeof d);
    for (end = 0; end < scale && d[end] == '0'; end++) /* trailing zeroes of the fraction */
        ;
    if (cap < 48) {
        if (cap)
            out[0] = '\0';
        return;
    }
    if (neg)
        out[k++] = '-';
    for (int i = n - 1; i >= end; i--) {
        if (i == scale - 1)
            out[k++] = '.';
        out[k++] = d[i];
    }
    out[k] = '\0';
}

static void who_of(const wl_flows_viewer *v, wl_flows_who *w)
{
    w->all = v->all;
    w->member = v->all || v->member[0] == '\0' ? NULL : v->member;
}

/* Whether the viewer may see f's sealed side (and so its sealed answers). */
static int sees_sealed(const wl_flows_viewer *v, const wl_flowv_row *f)
{
    char q[70];
    if (v->all)
        return 1;
    if (v->member[0] == '\0')
        return 0;
    if (strcmp(f->author, v->member) == 0)
        return 1;
    snprintf(q, sizeof q, "\"%s\"", v->member);
    return f->readers && strstr(f->readers, q) != NULL;
}

static const char *kind_name(const char *kind)
{
    return strncmp(kind, "flow.", 5) == 0 ? kind + 5 : kind;
}

static json_t *opt(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

/* A body's field, or null (for json_pack's "O"). */
static json_t *field(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return v ? v : json_null();
}

static json_t *dec(int has, int64_t v)
{
    char b[48];
    if (!has)
        return json_null();
    wl_flows_dec_format(v, 4, b, sizeof b);
    return json_string(b);
}

typedef struct {
    const wl_flowv_row *f;
    json_t *list; /* every answer, or NULL: the latest only, into one */
    json_t *one;
} answer_ctx;

static wl_rc one_answer(void *ctx, const wl_flowv_answer *a)
{
    answer_ctx *ac = ctx;
    int64_t fig = ac->f->has_amount ? ac->f->amount : ac->f->qty;
    json_t *j = json_pack("{s:s, s:I, s:o, s:o, s:o, s:o?}", "kind", kind_name(a->kind), "index",
                          (json_int_t)a->idx, "received", dec(a->has_received, a->received), "date",
                          opt(a->date), "reason", opt(a->reason), "full",
                          a->has_received ? json_boolean(a->received == fig) : json_null());
    if (j == NULL)
        return WL_ERR_NOMEM;
    if (a->sealed)
        json_object_set_new(j, "sealed", json_true());
    if (ac->list)
        return json_array_append_new(ac->list, j) == 0 ? WL_OK : WL_ERR_NOMEM;
    json_decref(ac->one);
    ac->one = j;
    return WL_OK;
}

/* The flow as the list shows it, its latest answer (or every one, into `answers`). */
static wl_rc flow_json(wl_store *s, const wl_flows_viewer *v, const wl_flowv_row *f,
                       int all_answers, json_t **out)
{
    json_t *b = json_loads(f->body ? f->body : "{}", 0, NULL), *j;
    answer_ctx ac = {f, all_answers ? json_array() : NULL, NULL};
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_store_flow_answers(s, f->id, sees_sealed(v, f), !all_answers, one_answer, &ac)) !=
        WL_OK) {
        json_decref(b);
        json_decref(ac.list);
        json_decref(ac.one);
        return rc;
    }
    j = json_pack("{s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:O, "
                  "s:O, s:b, s:O, s:o}",
                  "flow", f->id, "index", (json_int_t)f->idx, "author", f->author, "pledge",
                  opt(f->pledge), "requirement", opt(f->requirement), "instrument",
                  opt(f->instrument), "activity", opt(f->activity), "category", opt(f->category),
                  "stage", f->stage, "date", f->date, "quantity", dec(f->has_qty, f->qty), "unit",
                  opt(f->unit), "amount", dec(f->has_amount, f->amount), "currency",
                  opt(f->currency), "source", field(b, "source"), "text", field(b, "text"),
                  "sealed", f->sealed, "supersedes", field(b, "supersedes"), "superseded_by",
                  opt(f->superseded_by));
    json_decref(b);
    if (j && all_answers)
        json_object_set_new(j, "answers", ac.list);
    else if (j)
        json_object_set_new(j, "answer", ac.one ? ac.one : json_null());
    else {
        json_decref(ac.list);
        json_decref(ac.one);
        return WL_ERR_NOMEM;
    }
    *out = j;
    return WL_OK;
}

typedef struct {
    wl_store *s;
    const wl_flows_viewer *v;
    json_t *flows;
    wl_buf *csv;
    size_t n, limit;
    int64_t last;
} list_ctx;

static const char csv_header[] =
    "flow,index,author,pledge,requirement,instrument,activity,category,stage,date,quantity,"
    "unit,amount,currency,source,sealed,supersedes,superseded_by,answer,received,answer_date,"
    "text\r\n";

static wl_rc csv_row(wl_buf *b, json_t *j)
{
    static const char *const cols[] = {
        "flow",     "index",    "author", "pledge", "requirement", "instrument",
        "activity", "category", "stage",  "date",   "quantity",    "unit",
        "amount",   "currency", "source", "sealed", "supersedes",  "superseded_by"};
    json_t *a = json_object_get(j, "answer");
    const char *tail[] = {json_string_value(json_object_get(a, "kind")),
                          json_string_value(json_object_get(a, "received")),
                          json_string_value(json_object_get(a, "date")),
                          json_string_value(json_object_get(j, "text"))};
    wl_rc rc = WL_OK;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0] && rc == WL_OK; i++) {
        json_t *c = json_object_get(j, cols[i]);
        char n[24];
        const char *t = json_string_value(c);
        if (json_is_integer(c)) {
            snprintf(n, sizeof n, "%lld", (long long)json_integer_value(c));
            t = n;
        } else if (json_is_boolean(c)) {
            t = json_is_true(c) ? "yes" : "no";
        }
        rc = wl_csv_cell(b, t ? t : "", 0, WL_CSV_MAX_BYTES);
    }
    for (size_t i = 0; i < 4 && rc == WL_OK; i++)
        rc = wl_csv_cell(b, tail[i] ? tail[i] : "", i == 3 ? WL_CSV_LAST : 0, WL_CSV_MAX_BYTES);
    return rc;
}

static wl_rc list_one(void *ctx, const wl_flowv_row *f)
{
    list_ctx *l = ctx;
    json_t *j;
    wl_rc rc;
    if (l->n++ == l->limit) /* one more than the page: there is a next page */
        return WL_OK;
    if ((rc = flow_json(l->s, l->v, f, 0, &j)) != WL_OK)
        return rc;
    l->last = f->row;
    if (l->csv) {
        rc = csv_row(l->csv, j);
        json_decref(j);
        return rc;
    }
    return json_array_append_new(l->flows, j) == 0 ? WL_OK : WL_ERR_NOMEM;
}

static wl_rc list(wl_store *s, const wl_flows_viewer *v, const wl_flows_query *q, list_ctx *l,
                  int64_t *next)
{
    wl_flows_who w;
    wl_flows_filter f = {q->member, q->pledge, q->instrument, q->stage, q->after, q->offset, 0};
    wl_rc rc;
    *next = -1;
    l->s = s;
    l->v = v;
    l->limit = q->limit < WL_FLOWS_PAGE_MAX ? q->limit : WL_FLOWS_PAGE_MAX;
    l->last = q->after;
    f.limit = l->limit + 1;
    who_of(v, &w);
    if ((rc = wl_store_flows_list(s, &w, &f, list_one, l)) == WL_OK && l->n > l->limit)
        *next = l->last;
    return rc;
}

wl_rc wl_flows_list(wl_store *s, const wl_flows_viewer *v, const wl_flows_query *q, json_t **out,
                    int64_t *next)
{
    list_ctx l = {0};
    wl_rc rc;
    *out = NULL;
    if ((l.flows = json_array()) == NULL)
        return WL_ERR_NOMEM;
    if ((rc = list(s, v, q, &l, next)) != WL_OK) {
        json_decref(l.flows);
        *next = -1;
        return rc;
    }
    if ((*out = json_pack("{s:s, s:o}", "view", wl_flows_viewer_name(v), "flows", l.flows)) == NULL)
        return WL_ERR_NOMEM;
    return WL_OK;
}

wl_rc wl_flows_list_csv(wl_store *s, const wl_flows_viewer *v, const wl_flows_query *q, wl_buf *out,
                        int64_t *next)
{
    list_ctx l = {0};
    wl_flows_query p = *q;
    wl_rc rc;
    memset(out, 0, sizeof *out);
    l.csv = out;
    if (q->limit == 0) /* every flow: page after page into the one answer */
        p.limit = WL_FLOWS_PAGE_MAX;
    rc = wl_buf_append(out, csv_header, sizeof csv_header - 1, WL_CSV_MAX_BYTES);
    while (rc == WL_OK && (rc = list(s, v, &p, &l, next)) == WL_OK && q->limit == 0 && *next >= 0) {
        p.after = *next;
        p.offset = 0;
        l.n = 0;
    }
    if (rc != WL_OK) {
        wl_buf_free(out);
        *next = -1;
    }
    return rc;
}

typedef struct {
    wl_store *s;
    const wl_flows_viewer *v;
    json_t *j; /* the flow as shown, with every answer (NULL: not wanted) */
    int want;
    char id[33], next[33];
} show_ctx;

static wl_rc show_one(void *ctx, const wl_flowv_row *f)
{
    show_ctx *sc = ctx;
    snprintf(sc->id, sizeof sc->id, "%s", f->id);
    snprintf(sc->next, sizeof sc->next, "%s", f->superseded_by ? f->superseded_by : "");
    return sc->want ? flow_json(sc->s, sc->v, f, 1, &sc->j) : WL_OK;
}

wl_rc wl_flows_show(wl_store *s, const wl_flows_viewer *v, const char *id, json_t **out)
{
    show_ctx sc = {s, v, NULL, 1, "", ""};
    wl_flows_who w;
    json_t *chain = NULL, *flow;
    char at[33];
    wl_rc rc;
    *out = NULL;
    who_of(v, &w);
    if ((rc = wl_store_flow_row(s, &w, id, 0, show_one, &sc)) != WL_OK)
        return rc;
    flow = sc.j;
    /* back to the first of the chain the viewer may see (by superseded_by), then forward */
    snprintf(at, sizeof at, "%s", id);
    sc.want = 0;
    for (int i = 0; i < WL_FLOWS_CHAIN_MAX; i++) {
        if ((rc = wl_store_flow_row(s, &w, at, 1, show_one, &sc)) != WL_OK)
            break;
        snprintf(at, sizeof at, "%s", sc.id);
    }
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        goto out;
    if ((chain = json_array()) == NULL) {
        rc = WL_ERR_NOMEM;
        goto out;
    }
    sc.want = 1;
    for (int i = 0; at[0] && i < WL_FLOWS_CHAIN_MAX; i++) {
        sc.j = NULL;
        if ((rc = wl_store_flow_row(s, &w, at, 0, show_one, &sc)) != WL_OK)
            break;
        if (json_array_append_new(chain, sc.j) != 0) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
        snprintf(at, sizeof at, "%s", sc.next);
    }
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        goto out;
    rc = (*out = json_pack("{s:s, s:O, s:o}", "view", wl_flows_viewer_name(v), "flow", flow,
                           "chain", chain)) != NULL
             ? WL_OK
             : WL_ERR_NOMEM;
    chain = NULL;
out:
    json_decref(flow);
    json_decref(chain);
    return rc;
}

/* The instrument tree. */
typedef struct {
    json_t *by_id; /* id -> node */
    json_t *order; /* ids in order */
    size_t n;
} tree_ctx;

static wl_rc one_instrument(void *ctx, const wl_flowv_instrument *r)
{
    tree_ctx *t = ctx;
    json_t *b = json_loads(r->body ? r->body : "{}", 0, NULL), *node;
    if (t->n++ >= WL_FLOWS_INSTRUMENTS_MAX) {
        json_decref(b);
        return WL_ERR_TOO_LARGE;
    }
    node = json_pack(
        "{s:s, s:I, s:O, s:s, s:s, s:o, s:o, s:O, s:s, s:O, s:O, s:o, s:I, s:I, "
        "s:I, s:o}",
        "instrument", r->id, "index", (json_int_t)r->idx, "name", field(b, "name"), "type",
        r->type ? r->type : "", "level", r->level ? r->level : "", "provider", opt(r->provider),
        "parent", opt(r->parent), "amount", field(b, "amount"), "currency",
        r->currency ? r->currency : "", "possible_more", field(b, "possible_more"), "source",
        field(b, "source"), "children", json_array(), "own", (json_int_t)0, "flows", (json_int_t)0,
        "amount_scaled", (json_int_t)r->amount, "text",
        json_object_get(b, "text") ? json_incref(json_object_get(b, "text")) : json_null());
    if (node && json_object_get(b, "counterparty"))
        json_object_set(node, "counterparty", json_object_get(b, "counterparty"));
    json_decref(b);
    if (node == NULL || json_object_set_new(t->by_id, r->id, node) != 0 ||
        json_array_append_new(t->order, json_string(r->id)) != 0)
        return WL_ERR_NOMEM;
    return WL_OK;
}

static wl_rc one_isum(void *ctx, const char *instrument, const char *stage, const char *measure,
                      int64_t total, int64_t n)
{
    tree_ctx *t = ctx;
    json_t *node = json_object_get(t->by_id, instrument);
    const char *cur;
    if (node == NULL)
        return WL_OK;
    json_object_set_new(node, "flows",
                        json_integer(json_integer_value(json_object_get(node, "flows")) + n));
    cur = json_string_value(json_object_get(node, "currency"));
    if (strcmp(stage, "disbursement") == 0 && cur && strcmp(cur, measure) == 0)
        json_object_set_new(node, "own",
                            json_integer(json_integer_value(json_object_get(node, "own")) + total));
    return WL_OK;
}

/* drawn: own disbursements plus the children's drawn; returns drawn (scaled). */
static wl_flows_i128 finish(json_t *node, int depth)
{
    wl_flows_i128 drawn = json_integer_value(json_object_get(node, "own"));
    json_t *kids = json_object_get(node, "children");
    char b[48];
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k)
    {
        if (depth < 8)
            drawn += finish(k, depth + 1);
    }
    wl_flows_dec_format(drawn, 4, b, sizeof b);
    json_object_set_new(node, "drawn", json_string(b));
    wl_flows_dec_format((wl_flows_i128)json_integer_value(json_object_get(node, "amount_scaled")) -
                            drawn,
                        4, b, sizeof b);
    json_object_set_new(node, "left", json_string(b));
    json_object_del(node, "own");
    json_object_del(node, "amount_scaled");
    return drawn;
}

wl_rc wl_flows_instruments(wl_store *s, const wl_flows_viewer *v, const char *id, json_t **out)
{
    tree_ctx t = {json_object(), json_array(), 0};
    json_t *roots = json_array(), *idj;
    wl_flows_who w;
    size_t i;
    wl_rc rc = WL_OK;
    *out = NULL;
    who_of(v, &w);
    if (t.by_id == NULL || t.order == NULL || roots == NULL)
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = wl_store_instruments_each(s, one_instrument, &t);
    if (rc == WL_OK)
        rc = wl_store_flows_isums(s, &w, one_isum, &t);
    json_array_foreach(t.order, i, idj)
    {
        json_t *node = json_object_get(t.by_id, json_string_value(idj));
        json_t *parent =
            json_object_get(t.by_id, json_string_value(json_object_get(node, "parent"))
                                         ? json_string_value(json_object_get(node, "parent"))
                                         : "");
        if (rc != WL_OK)
            break;
        if (parent && parent != node)
            json_array_append(json_object_get(parent, "children"), node);
        else
            json_array_append(roots, node);
    }
    json_array_foreach(roots, i, idj)
    {
        (void)finish(idj, 0);
    }
    if (rc == WL_OK && id) {
        json_t *node = json_object_get(t.by_id, id);
        if (node == NULL)
            rc = WL_ERR_NOT_FOUND;
        else if (json_object_get(node, "drawn") == NULL)
            finish(node, 0); /* under a parent: finished with it, but not if cut off */
        if (rc == WL_OK)
            *out = json_pack("{s:s, s:O}", "view", wl_flows_viewer_name(v), "instrument", node);
    } else if (rc == WL_OK) {
        *out = json_pack("{s:s, s:O}", "view", wl_flows_viewer_name(v), "instruments", roots);
    }
    if (rc == WL_OK && *out == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(roots);
    json_decref(t.by_id);
    json_decref(t.order);
    return rc;
}

typedef struct {
    wl_store *s;
    json_t *rates;
} rates_ctx;

static wl_rc one_rate(void *ctx, const char *date, const char *from, const char *to, int64_t rate,
                      uint64_t idx)
{
    rates_ctx *r = ctx;
    char b[48], *data = NULL;
    size_t len = 0;
    wl_entry e;
    json_t *source = json_null();
    wl_flows_dec_format(rate, 8, b, sizeof b);
    if (wl_store_entry(r->s, idx, &data, &len, NULL, NULL, NULL, NULL) == WL_OK &&
        wl_entry_parse(data, len, &e, NULL, 0) == WL_OK) {
        json_t *src = json_object_get(e.body_json, "source");
        if (src)
            source = json_incref(src);
        wl_entry_clear(&e);
    }
    wl_free(data);
    return json_array_append_new(r->rates, json_pack("{s:s, s:s, s:s, s:s, s:o, s:I}", "date", date,
                                                     "from", from, "to", to, "rate", b, "source",
                                                     source, "index", (json_int_t)idx)) == 0
               ? WL_OK
               : WL_ERR_NOMEM;
}

wl_rc wl_flows_rates(wl_store *s, json_t **out)
{
    rates_ctx r = {s, json_array()};
    wl_rc rc;
    *out = NULL;
    if (r.rates == NULL)
        return WL_ERR_NOMEM;
    if ((rc = wl_store_rates_each(s, NULL, WL_FLOWS_RATES_MAX, one_rate, &r)) != WL_OK) {
        json_decref(r.rates);
        return rc;
    }
    return (*out = json_pack("{s:o}", "rates", r.rates)) ? WL_OK : WL_ERR_NOMEM;
}
