/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows summary (willing/flows_views.h): per member, category or month,
 * per unit or currency, what was pledged (the coalition's pledges the viewer
 * may see), committed, allocated, delivered, disbursed, confirmed and
 * disputed; the pledge-to-delivery lag (days from a pledge's day to its first
 * delivery or disbursement, median and 90th percentile by nearest rank); and,
 * with a currency, the money totals converted with the coordinator's rates,
 * naming every rate used and every flow or pledge that could not be
 * converted: nothing is guessed. The flows' figures come from the totals the
 * store keeps (store_flows_views.h), so a summary over a million flows reads
 * a few thousand rows. docs/internals/flows.md ("Views").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/flows.h"
#include "willing/flows_views.h"
#include "willing/limits.h"

enum { F_PLEDGED, F_COMMITTED, F_ALLOCATED, F_DELIVERED, F_DISBURSED, F_CONFIRMED, F_DISPUTED, NF };
static const char *const fig_names[NF] = {"pledged",   "committed", "allocated", "delivered",
                                          "disbursed", "confirmed", "disputed"};

void wl_flows_pledges_init(wl_flows_pledges *p)
{
    wl_coalition_base_init(&p->pub);
    wl_coalition_base_init(&p->all);
}

void wl_flows_pledges_free(wl_flows_pledges *p)
{
    wl_coalition_base_free(&p->pub);
    wl_coalition_base_free(&p->all);
}

wl_rc wl_flows_pledges_update(wl_store *s, wl_flows_pledges *p)
{
    wl_rc rc = wl_coalition_base_update(s, &p->pub, 0, NULL);
    return rc == WL_OK ? wl_coalition_base_update(s, &p->all, 1, NULL) : rc;
}

int wl_flows_summary_by(const char *s)
{
    static const char *const names[] = {"member", "category", "month"};
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* "YYYY-MM-DD" or "YYYY-MM" (the 1st) as days; -1 if neither (NULL too). */
static int64_t date_days(const char *s)
{
    return wl_date_days(s, true);
}

/*
 * A pledge's unit is money when it names a currency (pledges write it in lower
 * case: "gbp"): *code then holds the ISO 4217 code. Also for the asked currency.
 */
static int is_currency(const char *u, char code[4])
{
    code[0] = '\0';
    if (u == NULL || strlen(u) != 3)
        return 0;
    for (int i = 0; i < 3; i++) {
        char ch = u[i] >= 'a' && u[i] <= 'z' ? (char)(u[i] - 'a' + 'A') : u[i];
        if (ch < 'A' || ch > 'Z')
            return 0;
        code[i] = ch;
    }
    code[3] = '\0';
    return wl_currency_find(code) != NULL;
}

typedef struct {
    char key[72];
    int64_t *lags;
    size_t nlags, cap;
    wl_flows_i128 conv[NF]; /* converted into the asked currency, scaled by 10^12 */
    int64_t nc[NF];         /* flows and pledges in each the rates cannot convert */
    int64_t nc_all;         /* ... in any */
    int64_t other[NF];      /* money flows in other currencies (when no rate converts at all) */
} group;

/* The rates into the asked currency, by from and date: what the flows' days convert with. */
typedef struct {
    char from[4], date[11];
    int64_t rate;
    uint64_t idx;
    int named; /* named in the answer's rates already */
} rate_row;
#define CONV_RATES_MAX 100000u /* rates into one currency a converted summary reads */

typedef struct {
    size_t g;
    int money;
    char measure[72];
    wl_flows_i128 f[NF]; /* scaled by 10^4 */
} figure;

typedef struct {
    char pledge[33];
    int64_t pub, all; /* days, -1: none */
} first;

typedef struct {
    wl_store *s;
    const wl_flows_viewer *v;
    wl_flows_who who;
    int by;
    const char *to; /* the asked currency, or NULL */
    group *gs;
    size_t ng, gcap;
    figure *fs;
    size_t nf, fcap;
    json_t *gidx, *fidx; /* key -> group; key\x1fmoney\x1fmeasure -> figure */
    first *firsts;       /* per pledge, by id: its first delivery's day (public, all) */
    size_t nfirsts, firsts_cap;
    json_t *rates;         /* rates used, each once (rate_row.named) */
    json_t *nc, *nc_pairs; /* not convertible: the list, and currency|date pairs seen */
    size_t nc_total;
    int reading;  /* one_first: a member's reader rows now */
    rate_row *rr; /* the rates into the asked currency, by from and date */
    size_t nrr, rr_cap;
    rate_row *pairs; /* (currency, day) pairs whose flows are named as not convertible */
    size_t npairs, pairs_cap, nc_planned;
} sum_ctx;

/* Room for one more item in *items (n used of *cap, each size bytes), doubling. */
static wl_rc room(void *items, size_t n, size_t *cap, size_t size)
{
    void **p = items;
    size_t nc;
    void *grown;
    if (n < *cap)
        return WL_OK;
    nc = *cap ? *cap * 2 : 64;
    if ((grown = wl_realloc(*p, nc * size)) == NULL)
        return WL_ERR_NOMEM;
    *p = grown;
    *cap = nc;
    return WL_OK;
}

static wl_rc group_of(sum_ctx *c, const char *key, size_t *out)
{
    json_t *i = json_object_get(c->gidx, key);
    group *g;
    if (i) {
        *out = (size_t)json_integer_value(i);
        return WL_OK;
    }
    if (c->ng >= WL_FLOWS_SUMMARY_ROWS_MAX)
        return WL_ERR_TOO_LARGE;
    if (room(&c->gs, c->ng, &c->gcap, sizeof *c->gs) != WL_OK)
        return WL_ERR_NOMEM;
    g = &c->gs[c->ng];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    if (json_object_set_new(c->gidx, key, json_integer((json_int_t)c->ng)) != 0)
        return WL_ERR_NOMEM;
    *out = c->ng++;
    return WL_OK;
}

static wl_rc figure_of(sum_ctx *c, const char *key, int money, const char *measure, figure **out)
{
    char k[160];
    json_t *i;
    size_t g;
    wl_rc rc;
    snprintf(k, sizeof k, "%s\x1f%d\x1f%s", key, money, measure);
    if ((i = json_object_get(c->fidx, k)) != NULL) {
        *out = &c->fs[json_integer_value(i)];
        return WL_OK;
    }
    if ((rc = group_of(c, key, &g)) != WL_OK)
        return rc;
    if (c->nf >= WL_FLOWS_SUMMARY_ROWS_MAX)
        return WL_ERR_TOO_LARGE;
    if (room(&c->fs, c->nf, &c->fcap, sizeof *c->fs) != WL_OK)
        return WL_ERR_NOMEM;
    memset(&c->fs[c->nf], 0, sizeof c->fs[c->nf]);
    c->fs[c->nf].g = g;
    c->fs[c->nf].money = money;
    snprintf(c->fs[c->nf].measure, sizeof c->fs[c->nf].measure, "%s", measure);
    if (json_object_set_new(c->fidx, k, json_integer((json_int_t)c->nf)) != 0)
        return WL_ERR_NOMEM;
    *out = &c->fs[c->nf++];
    return WL_OK;
}

static int stage_fig(const char *stage)
{
    return strcmp(stage, "commitment") == 0     ? F_COMMITTED
           : strcmp(stage, "allocation") == 0   ? F_ALLOCATED
           : strcmp(stage, "delivery") == 0     ? F_DELIVERED
           : strcmp(stage, "disbursement") == 0 ? F_DISBURSED
                                                : -1;
}

static wl_rc one_sum(void *ctx, const wl_flow_sum_row *r)
{
    sum_ctx *c = ctx;
    figure *f;
    int k = stage_fig(r->stage);
    wl_rc rc;
    size_t g;
    if (k < 0)
        return WL_OK;
    if ((rc = figure_of(c, r->key, r->money, r->measure, &f)) != WL_OK)
        return rc;
    f->f[k] += r->reported;
    f->f[F_CONFIRMED] += r->confirmed;
    f->f[F_DISPUTED] += r->disputed;
    if (c->to && r->money && strcmp(r->measure, c->to) != 0) { /* to convert */
        group *gr = &c->gs[f->g];
        gr->other[k] += r->n;
        gr->other[F_CONFIRMED] += r->confirmed != 0 ? r->n : 0;
        gr->other[F_DISPUTED] += r->disputed != 0 ? r->n : 0;
    }
    if (c->to && r->money && strcmp(r->measure, c->to) == 0) { /* already in the currency asked */
        const wl_flows_i128 up = 100000000;                    /* 10^4 -> 10^12 */
        if ((rc = group_of(c, r->key, &g)) != WL_OK)
            return rc;
        c->gs[g].conv[k] += r->reported * up;
        c->gs[g].conv[F_CONFIRMED] += r->confirmed * up;
        c->gs[g].conv[F_DISPUTED] += r->disputed * up;
    }
    return WL_OK;
}

/* Names a rate used (from its currency into the asked one), once: marked in its row. */
static wl_rc name_rate(sum_ctx *c, rate_row *r)
{
    char b[48];
    json_t *o;
    if (r->named)
        return WL_OK;
    wl_flows_dec_format(r->rate, 8, b, sizeof b);
    o = json_object();
    if (o == NULL || json_object_set_new(o, "date", json_string(r->date)) ||
        json_object_set_new(o, "from", json_string(r->from)) ||
        json_object_set_new(o, "to", json_string(c->to)) ||
        json_object_set_new(o, "rate", json_string(b)) ||
        json_object_set_new(o, "index", json_integer((json_int_t)r->idx)) ||
        json_array_append_new(c->rates, o)) {
        json_decref(o);
        return WL_ERR_NOMEM;
    }
    r->named = 1;
    return WL_OK;
}

/* The rate of from in effect on day (the latest on or before it), or NULL. */
static rate_row *rate_in_effect(const sum_ctx *c, const char *from, const char *date)
{
    char day[11];
    size_t lo = 0, hi = c->nrr, len = strlen(date); /* the first row after (from, day) */
    /* a month-only date counts as the month's last day: YYYY-MM-31 sorts after each day */
    if (len == 7) {
        memcpy(day, date, 7);
        memcpy(day + 7, "-31", 4);
    } else {
        len = len < 10 ? len : 10;
        memcpy(day, date, len);
        day[len] = '\0';
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->rr[mid].from, from);
        if (cmp < 0 || (cmp == 0 && strcmp(c->rr[mid].date, day) <= 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && strcmp(c->rr[lo - 1].from, from) == 0 ? &c->rr[lo - 1] : NULL;
}

/* The rate (10^8) for currency on date, named as used; NOT_FOUND when there is none. */
static wl_rc rate_for(sum_ctx *c, const char *currency, const char *date, int64_t *rate)
{
    rate_row *r = rate_in_effect(c, currency, date);
    *rate = r ? r->rate : 0;
    if (r == NULL)
        return WL_ERR_NOT_FOUND;
    return name_rate(c, r);
}

static wl_rc add_flow_id(void *ctx, const char *id, const char *currency, const char *date)
{
    sum_ctx *c = ctx;
    json_t *j = json_object(); /* not json_pack: it parses its format for each of 1,000 flows */
    if (j == NULL || json_array_append_new(c->nc, j) != 0)
        return WL_ERR_NOMEM;
    return json_object_set_new(j, "flow", json_string(id)) ||
                   json_object_set_new(j, "currency", json_string(currency)) ||
                   json_object_set_new(j, "date", json_string(date))
               ? WL_ERR_NOMEM
               : WL_OK;
}

/*
 * The flows of (currency, date) the rates cannot convert (n of them): counted,
 * and named (after the pledges, up to the ceiling) once every day is seen.
 */
static wl_rc not_convertible(sum_ctx *c, const char *currency, const char *date, int64_t n)
{
    char k[40];
    rate_row *p;
    c->nc_total += (size_t)n;
    snprintf(k, sizeof k, "%s|%s", currency, date);
    if (json_object_get(c->nc_pairs, k))
        return WL_OK;
    if (json_object_set_new(c->nc_pairs, k, json_true()) != 0)
        return WL_ERR_NOMEM;
    if (json_array_size(c->nc) + c->nc_planned >= WL_FLOWS_NOT_CONVERTIBLE_MAX)
        return WL_OK;
    if (room(&c->pairs, c->npairs, &c->pairs_cap, sizeof *c->pairs) != WL_OK)
        return WL_ERR_NOMEM;
    p = &c->pairs[c->npairs++];
    snprintf(p->from, sizeof p->from, "%s", currency);
    snprintf(p->date, sizeof p->date, "%s", date);
    c->nc_planned += (size_t)n;
    return WL_OK;
}

/* A cell of converted totals (flow_csums): its sums, and the flows no rate converts. */
static wl_rc one_csum(void *ctx, const wl_flow_csum_row *r)
{
    sum_ctx *c = ctx;
    int k = stage_fig(r->stage);
    size_t g;
    wl_rc rc;
    if (k < 0)
        return WL_OK;
    if ((rc = group_of(c, r->key, &g)) != WL_OK)
        return rc;
    c->gs[g].conv[k] += r->reported;
    c->gs[g].conv[F_CONFIRMED] += r->confirmed;
    c->gs[g].conv[F_DISPUTED] += r->disputed;
    c->gs[g].nc[k] += r->nc;
    c->gs[g].nc[F_CONFIRMED] += r->nc_confirmed;
    c->gs[g].nc[F_DISPUTED] += r->nc_disputed;
    c->gs[g].nc_all += r->nc;
    return WL_OK;
}

static wl_rc one_rate_into(void *ctx, const char *date, const char *from, const char *to,
                           int64_t rate, uint64_t idx)
{
    sum_ctx *c = ctx;
    (void)to;
    if (c->nrr >= CONV_RATES_MAX)
        return WL_ERR_TOO_LARGE; /* refused, never converted with some rates left out */
    if (room(&c->rr, c->nrr, &c->rr_cap, sizeof *c->rr) != WL_OK)
        return WL_ERR_NOMEM;
    c->rr[c->nrr] = (rate_row){"", "", rate, idx, 0};
    snprintf(c->rr[c->nrr].from, sizeof c->rr->from, "%s", from);
    snprintf(c->rr[c->nrr++].date, sizeof c->rr->date, "%s", date);
    return WL_OK;
}

/* The visible money flows of a currency and day: the rate they used, or not convertible. */
static wl_rc one_day(void *ctx, const char *currency, const char *day, int64_t n)
{
    sum_ctx *c = ctx;
    rate_row *r = rate_in_effect(c, currency, day);
    if (r)
        return name_rate(c, r);
    return not_convertible(c, currency, day, n);
}

/*
 * The flows' part of a converted summary: the totals kept per cell (flow_csums),
 * the rates named and the flows not convertible from the flows per currency and
 * day (flow_days): days x currencies rows, never every flow.
 */
static wl_rc convert_flows(sum_ctx *c)
{
    wl_rc rc = wl_store_flows_csums(c->s, &c->who, c->by, c->to, one_csum, c);
    if (rc == WL_ERR_NOT_FOUND) { /* no rate into it at all: every other currency's flow */
        rc = WL_OK;
        for (size_t g = 0; g < c->ng; g++)
            for (int k = 0; k < NF; k++) {
                c->gs[g].nc[k] += c->gs[g].other[k];
                c->gs[g].nc_all += k < F_CONFIRMED ? c->gs[g].other[k] : 0;
            }
    }
    if (rc == WL_OK)
        rc = wl_store_flows_days(c->s, &c->who, c->to, one_day, c);
    if (rc == WL_OK && c->npairs) {
        const char **pairs = wl_malloc(2 * c->npairs * sizeof *pairs);
        if (pairs == NULL)
            return WL_ERR_NOMEM;
        for (size_t i = 0; i < c->npairs; i++) {
            pairs[2 * i] = c->pairs[i].from;
            pairs[2 * i + 1] = c->pairs[i].date;
        }
        rc = wl_store_flows_on(c->s, &c->who, pairs, c->npairs,
                               WL_FLOWS_NOT_CONVERTIBLE_MAX - json_array_size(c->nc), add_flow_id,
                               c);
        wl_free(pairs);
    }
    return rc;
}

static int first_cmp(const void *key, const void *item)
{
    return strcmp(key, ((const first *)item)->pledge);
}

static first *first_of(const sum_ctx *c, const char *pledge)
{
    return c->nfirsts ? bsearch(pledge, c->firsts, c->nfirsts, sizeof *c->firsts, first_cmp) : NULL;
}

/* The store gives pledges in id order; then a member's reader rows, on pledges already seen. */
static wl_rc one_first(void *ctx, const char *pledge, const char *first_pub, const char *first_all)
{
    sum_ctx *c = ctx;
    first *have = c->reading ? first_of(c, pledge) : NULL;
    if (c->reading) { /* a reader's sealed flow on another's pledge: the earlier counts */
        int64_t d = date_days(first_all);
        if (have && d >= 0 && (have->pub < 0 || d < have->pub))
            have->pub = d;
        return WL_OK;
    }
    if (room(&c->firsts, c->nfirsts, &c->firsts_cap, sizeof *c->firsts) != WL_OK)
        return WL_ERR_NOMEM;
    have = &c->firsts[c->nfirsts++];
    snprintf(have->pledge, sizeof have->pledge, "%s", pledge);
    have->pub = date_days(first_pub);
    have->all = date_days(first_all);
    return WL_OK;
}

static wl_rc add_lag(group *g, int64_t lag)
{
    if (room(&g->lags, g->nlags, &g->cap, sizeof *g->lags) != WL_OK)
        return WL_ERR_NOMEM;
    g->lags[g->nlags++] = lag;
    return WL_OK;
}

/* One pledge the viewer sees: pledged, its lag, and converted if money. */
static wl_rc one_pledge(sum_ctx *c, const wl_pledge_item *it)
{
    char day[11], key[72];
    const first *fi;
    int64_t when;
    figure *f;
    size_t g;
    char code[4];
    int money = is_currency(it->unit, code);
    const char *measure = money ? code : it->unit;
    wl_rc rc;
    wl_flow_day(it->time, day, sizeof day);
    snprintf(key, sizeof key, "%s",
             c->by == WL_FLOWS_SUMMARY_MEMBER     ? it->member
             : c->by == WL_FLOWS_SUMMARY_CATEGORY ? it->category
                                                  : day);
    if (c->by == WL_FLOWS_SUMMARY_MONTH)
        key[7] = '\0';
    if ((rc = figure_of(c, key, money, measure, &f)) != WL_OK)
        return rc;
    f->f[F_PLEDGED] += it->qty;
    g = f->g;
    fi = first_of(c, it->id);
    /* all, and a member's own pledges: every flow; others: the public ones (and a reader's) */
    when = fi == NULL ? -1 : c->v->all || strcmp(it->member, c->v->member) == 0 ? fi->all : fi->pub;
    if (when >= 0) {
        int64_t lag = when - date_days(day);
        if ((rc = add_lag(&c->gs[g], lag < 0 ? 0 : lag)) != WL_OK)
            return rc;
    }
    if (c->to && money) {
        int64_t rate = 100000000; /* the same currency: 1 */
        if (strcmp(code, c->to) != 0)
            rc = rate_for(c, code, day, &rate);
        if (rc == WL_ERR_NOT_FOUND) {
            c->nc_total++;
            c->gs[g].nc[F_PLEDGED]++;
            c->gs[g].nc_all++;
            if (json_array_size(c->nc) < WL_FLOWS_NOT_CONVERTIBLE_MAX &&
                json_array_append_new(c->nc, json_pack("{s:s, s:s, s:s}", "pledge", it->id,
                                                       "currency", code, "date", day)) != 0)
                return WL_ERR_NOMEM;
            return WL_OK;
        }
        if (rc != WL_OK)
            return rc;
        c->gs[g].conv[F_PLEDGED] += (wl_flows_i128)it->qty * rate;
    }
    return WL_OK;
}

static wl_rc pledges(sum_ctx *c, const wl_flows_pledges *p)
{
    const wl_coalition_base *bases[2] = {&p->all, &p->pub};
    wl_rc rc = WL_OK;
    for (int b = 0; b < 2 && rc == WL_OK; b++) {
        const wl_pledges *ps = &bases[b]->ps;
        for (size_t i = 0; i < ps->n && rc == WL_OK; i++) {
            const wl_pledge_item *it = &ps->items[i];
            int own = c->v->member[0] && strcmp(it->member, c->v->member) == 0;
            if (it->withdrawn || it->inactive)
                continue;
            /* all: the sealed set (every pledge); public: the announced set; a member: its
             * own from the sealed set, others' from the announced set */
            if (b == 0 ? !(c->v->all || own) : (c->v->all || own))
                continue;
            rc = one_pledge(c, it);
        }
    }
    return rc;
}

static int lag_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile p/100 of n sorted values. */
static int64_t rank(const int64_t *v, size_t n, unsigned p)
{
    size_t r = (n * p + 99) / 100;
    return v[r ? r - 1 : 0];
}

static int group_cmp(const void *a, const void *b)
{
    return strcmp(((const group *)a)->key, ((const group *)b)->key);
}

static json_t *dec4(wl_flows_i128 v)
{
    char b[48];
    wl_flows_dec_format(v, 4, b, sizeof b);
    return json_string(b);
}

static json_t *build_rows(sum_ctx *c, json_t **conv_rows)
{
    json_t *rows = json_array();
    size_t *order = wl_malloc((c->ng ? c->ng : 1) * sizeof *order);
    group *sorted = wl_malloc((c->ng ? c->ng : 1) * sizeof *sorted);
    *conv_rows = json_array();
    if (rows == NULL || order == NULL || sorted == NULL || *conv_rows == NULL)
        goto fail;
    for (size_t i = 0; i < c->ng; i++)
        sorted[i] = c->gs[i];
    qsort(sorted, c->ng, sizeof *sorted, group_cmp);
    for (size_t i = 0; i < c->ng; i++) {
        group *g = &sorted[i];
        size_t gi = (size_t)json_integer_value(json_object_get(c->gidx, g->key));
        json_t *figs = json_array(), *lag, *row, *cr;
        for (size_t f = 0; f < c->nf; f++) {
            json_t *fj;
            if (c->fs[f].g != gi)
                continue;
            fj = json_pack("{s:s}", c->fs[f].money ? "currency" : "unit", c->fs[f].measure);
            for (int k = 0; fj && k < NF; k++)
                json_object_set_new(fj, fig_names[k], dec4(c->fs[f].f[k]));
            json_array_append_new(figs, fj);
        }
        if (g->nlags)
            qsort(g->lags, g->nlags, sizeof *g->lags, lag_cmp);
        lag = g->nlags
                  ? json_pack("{s:I, s:I, s:I}", "median", (json_int_t)rank(g->lags, g->nlags, 50),
                              "p90", (json_int_t)rank(g->lags, g->nlags, 90), "pledges",
                              (json_int_t)g->nlags)
                  : json_pack("{s:n, s:n, s:I}", "median", "p90", "pledges", (json_int_t)0);
        row = json_pack("{s:s, s:o, s:o}", "key", g->key, "figures", figs, "lag_days", lag);
        if (row == NULL || json_array_append_new(rows, row) != 0)
            goto fail;
        if (c->to) {
            /* a figure the rates cannot give whole is null, never a partial sum */
            cr = json_pack("{s:s, s:I}", "key", g->key, "not_convertible", (json_int_t)g->nc_all);
            for (int k = 0; cr && k < NF; k++) {
                char b[64];
                if (k == F_DELIVERED)
                    continue; /* deliveries are in kind: never money */
                wl_flows_dec_format(g->conv[k], 12, b, sizeof b);
                json_object_set_new(cr, fig_names[k], g->nc[k] ? json_null() : json_string(b));
            }
            if (cr == NULL || json_array_append_new(*conv_rows, cr) != 0)
                goto fail;
        }
    }
    wl_free(order);
    wl_free(sorted);
    return rows;
fail:
    wl_free(order);
    wl_free(sorted);
    json_decref(rows);
    json_decref(*conv_rows);
    *conv_rows = NULL;
    return NULL;
}

wl_rc wl_flows_summary(wl_store *s, const wl_flows_viewer *v, const wl_flows_pledges *p, int by,
                       const char *currency, json_t **out)
{
    sum_ctx c = {.s = s, .v = v, .by = by, .to = currency};
    json_t *rows = NULL, *conv_rows = NULL;
    wl_rc rc = WL_OK;
    *out = NULL;
    char code[4];
    if (by < 0 || by > 2 || (currency && (!is_currency(currency, code) || strcmp(code, currency))))
        return WL_ERR_INVALID;
    c.who.all = v->all;
    c.who.member = v->all || !v->member[0] ? NULL : v->member;
    c.gidx = json_object();
    c.fidx = json_object();
    c.rates = json_array();
    c.nc = json_array();
    c.nc_pairs = json_object();
    if (!c.gidx || !c.fidx || !c.rates || !c.nc || !c.nc_pairs)
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = wl_store_flows_sums(s, &c.who, by, one_sum, &c);
    if (rc == WL_OK)
        rc = wl_store_flows_firsts(s, one_first, &c);
    c.reading = 1;
    if (rc == WL_OK && c.who.member)
        rc = wl_store_flows_firsts_read(s, c.who.member, one_first, &c);
    if (rc == WL_OK && currency) /* the rates first: the pledges convert with them too */
        rc = wl_store_rates_each(s, currency, CONV_RATES_MAX + 1, one_rate_into, &c);
    if (rc == WL_OK && p)
        rc = pledges(&c, p);
    if (rc == WL_OK && currency)
        rc = convert_flows(&c);
    if (rc == WL_OK && (rows = build_rows(&c, &conv_rows)) == NULL)
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK) {
        *out = json_pack("{s:s, s:s, s:o}", "by",
                         by == 0   ? "member"
                         : by == 1 ? "category"
                                   : "month",
                         "view", wl_flows_viewer_name(v), "rows", rows);
        rows = NULL;
        if (*out && currency)
            json_object_set_new(*out, "converted",
                                json_pack("{s:s, s:O, s:O, s:O, s:I}", "currency", currency, "rows",
                                          conv_rows, "rates", c.rates, "not_convertible", c.nc,
                                          "not_convertible_total", (json_int_t)c.nc_total));
        if (*out == NULL)
            rc = WL_ERR_NOMEM;
    }
    json_decref(rows);
    json_decref(conv_rows);
    for (size_t i = 0; i < c.ng; i++)
        wl_free(c.gs[i].lags);
    wl_free(c.gs);
    wl_free(c.fs);
    json_decref(c.gidx);
    json_decref(c.fidx);
    wl_free(c.firsts);
    wl_free(c.rr);
    wl_free(c.pairs);
    json_decref(c.rates);
    json_decref(c.nc);
    json_decref(c.nc_pairs);
    return rc;
}
