/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows views on a real SQLite store in a temporary file, every figure
 * checked against a hand-computed expectation: the summary by member,
 * category and month (pledged to disputed, the lag), the public, a member, a
 * reader and the coordinator each seeing what they may and no more, a
 * correction counting once, a later answer replacing an earlier one,
 * conversion with and without rates (every rate named, what is not
 * convertible listed), the instrument tree's drawn and left, the list's
 * pages and one flow's chain.
 *
 * The ledger (fixture): pledges, sealed content of 2025-03-08 (1741392000):
 *   P1 gb air_defence 5000 missiles, announced    P2 gb finance 1600000000 gbp, sealed
 *   P3 fr air_defence 100 systems, announced
 * flows:
 *   F1 gb P1 delivery 2025-06 500 missiles, public; confirmed 400, then 450 (latest)
 *   F2 gb P1 delivery 2025-07-15 300 missiles, public; superseded by
 *   F3 gb P1 delivery 2025-07-15 350 missiles, public
 *   F4 gb P2 disbursement 2025-06-10 200000000 GBP, sealed, reader fr, on contract belfast;
 *      confirmed 150000000 (sealed)
 *   F5 gb P2 commitment 2025-04-01 1160000000 GBP, sealed
 *   F6 fr P3 delivery 2025-04-07 10 systems, public; disputed (public)
 *   F7 fr P3 commitment 2025-05-01 5000.5 EUR, public
 *   F8 fr P3 commitment 2025-05-02 1000 UAH, public
 * rates GBP->EUR: 2025-03-01 1.19, 2025-06-01 1.2095. Instruments: facility ukef (GBP
 * 1600000000) > contract belfast (GBP 1160000000, possibly 500000000 more).
 * Lags: P1 2025-03-08 -> 2025-06 (the 1st): 85 days; P2 -> 2025-06-10: 94; P3 -> 2025-04-07: 30.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/coalition.h"
#include "willing/entry.h"
#include "willing/flows_views.h"
#include "willing/module.h"

#define ORIGIN "example.org/flows"
#define P1 "11111111111111111111111111111111"
#define P2 "22222222222222222222222222222222"
#define P3 "33333333333333333333333333333333"
#define F(n) "f000000000000000000000000000000" #n
#define S INT64_C(10000) /* the scale of amounts and quantities */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    wl_key gb, fr;
    uint64_t size;
    int64_t received;
    wl_flows_pledges pl;
} fixture;

/* Sealed content of a pledge by author, as stored (and, with announce, as announced). */
static void pledge(fixture *f, const char *author, const wl_key *k, const char *id,
                   const char *body, int announce)
{
    static unsigned nonce;
    char n[33], *raw = NULL;
    size_t len = 0;
    snprintf(n, sizeof n, "%032x", ++nonce);
    assert_int_equal(wl_sealed_build(ORIGIN, "pledge", author, n, 1741392000, body, k, &raw, &len),
                     WL_OK);
    f->received++;
    assert_int_equal(
        wl_test_sealed_put(f->s, author, id, raw, len, (int)f->received, 1741392060, f->received),
        WL_OK);
    if (announce) /* an announce entry in the log carrying the content */
        assert_int_equal(wl_test_announce(f->s, &f->size, ORIGIN, author, k, raw, len), WL_OK);
    wl_free(raw);
}

/* A flow's row as the kinds store it: quantity (unit) or amount (currency), scaled by 10^4. */
static void flow(fixture *f, const char *id, const char *author, const char *pledge_id,
                 const char *category, const char *stage, const char *date, int64_t scaled,
                 const char *measure, int money, int sealed, const char *readers,
                 const char *instrument)
{
    wl_flow_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    r.idx = ++f->size;
    r.row = -1;
    snprintf(r.author, sizeof r.author, "%s", author);
    snprintf(r.pledge, sizeof r.pledge, "%s", pledge_id);
    snprintf(r.category, sizeof r.category, "%s", category);
    snprintf(r.stage, sizeof r.stage, "%s", stage);
    snprintf(r.date, sizeof r.date, "%s", date);
    snprintf(r.instrument, sizeof r.instrument, "%s", instrument ? instrument : "");
    if (money) {
        r.has_amount = true;
        r.amount = scaled;
        snprintf(r.currency, sizeof r.currency, "%s", measure);
    } else {
        r.has_qty = true;
        r.qty = scaled;
        snprintf(r.unit, sizeof r.unit, "%s", measure);
    }
    r.sealed = sealed;
    r.readers = readers;
    r.body = "{\"text\":\"test\"}";
    assert_int_equal(wl_store_flow_put(f->s, &r), WL_OK);
}

static void answer(fixture *f, const char *flow_id, const char *kind, int64_t received, int sealed)
{
    wl_flow_answer_row a;
    memset(&a, 0, sizeof a);
    snprintf(a.flow, sizeof a.flow, "%s", flow_id);
    a.idx = ++f->size;
    snprintf(a.kind, sizeof a.kind, "%s", kind);
    a.has_received = received >= 0;
    a.received = received * 10000;
    snprintf(a.date, sizeof a.date, "%s", received >= 0 ? "2025-07-01" : "");
    a.reason = received >= 0 ? NULL : "not received";
    a.sealed = sealed;
    assert_int_equal(wl_store_flow_answer_put(f->s, &a), WL_OK);
}

static void instrument(fixture *f, const char *id, const char *parent, const char *level,
                       int64_t amount, const char *body)
{
    wl_instrument_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    r.idx = ++f->size;
    snprintf(r.parent, sizeof r.parent, "%s", parent);
    snprintf(r.level, sizeof r.level, "%s", level);
    snprintf(r.type, sizeof r.type, "export_credit");
    snprintf(r.provider, sizeof r.provider, "gb");
    snprintf(r.currency, sizeof r.currency, "GBP");
    r.amount = amount * 10000;
    r.body = body;
    assert_int_equal(wl_store_instrument_put(f->s, &r), WL_OK);
}

static int setup(void **state)
{
    static fixture f;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-fviews-", &f.s), WL_OK);
    wl_key_generate(&f.gb);
    wl_key_generate(&f.fr);
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    pledge(&f, "gb", &f.gb, P1,
           "{\"pledge\":\"" P1 "\",\"category\":\"air_defence\",\"quantity\":\"5000\","
           "\"unit\":\"missiles\"}",
           1);
    pledge(&f, "gb", &f.gb, P2,
           "{\"pledge\":\"" P2 "\",\"category\":\"finance\",\"quantity\":\"1600000000\","
           "\"unit\":\"gbp\"}",
           0);
    pledge(&f, "fr", &f.fr, P3,
           "{\"pledge\":\"" P3 "\",\"category\":\"air_defence\",\"quantity\":\"100\","
           "\"unit\":\"systems\"}",
           1);
    instrument(&f, "ukef", "", "facility", 1600000000,
               "{\"name\":\"UK Export Finance\",\"amount\":\"1600000000\"}");
    instrument(&f, "belfast", "ukef", "contract", 1160000000,
               "{\"name\":\"Belfast missiles\",\"amount\":\"1160000000\","
               "\"possible_more\":\"500000000\"}");
    flow(&f, F(1), "gb", P1, "air_defence", "delivery", "2025-06", 500 * S, "missiles", 0, 0, NULL,
         NULL);
    answer(&f, F(1), "confirm", 400, 0);
    answer(&f, F(1), "confirm", 450, 0);
    flow(&f, F(2), "gb", P1, "air_defence", "delivery", "2025-07-15", 300 * S, "missiles", 0, 0,
         NULL, NULL);
    flow(&f, F(3), "gb", P1, "air_defence", "delivery", "2025-07-15", 350 * S, "missiles", 0, 0,
         NULL, NULL);
    assert_int_equal(wl_store_flow_supersede(f.s, F(2), F(3)), WL_OK);
    flow(&f, F(4), "gb", P2, "finance", "disbursement", "2025-06-10", 200000000 * S, "GBP", 1, 1,
         "[\"fr\"]", "belfast");
    answer(&f, F(4), "confirm", 150000000, 1);
    flow(&f, F(5), "gb", P2, "finance", "commitment", "2025-04-01", 1160000000 * S, "GBP", 1, 1,
         NULL, NULL);
    flow(&f, F(6), "fr", P3, "air_defence", "delivery", "2025-04-07", 10 * S, "systems", 0, 0, NULL,
         NULL);
    answer(&f, F(6), "dispute", -1, 0);
    flow(&f, F(7), "fr", P3, "air_defence", "commitment", "2025-05-01", 50005000, "EUR", 1, 0, NULL,
         NULL);
    flow(&f, F(8), "fr", P3, "air_defence", "commitment", "2025-05-02", 1000 * S, "UAH", 1, 0, NULL,
         NULL);
    assert_int_equal(wl_store_rate_put(f.s, "2025-03-01", "GBP", "EUR", 119000000, ++f.size),
                     WL_OK);
    assert_int_equal(wl_store_rate_put(f.s, "2025-06-01", "GBP", "EUR", 120950000, ++f.size),
                     WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    wl_flows_pledges_init(&f.pl);
    assert_int_equal(wl_flows_pledges_update(f.s, &f.pl), WL_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wl_flows_pledges_free(&f->pl);
    wl_store_close(f->s);
    assert_int_equal(wl_test_rmdir(f->dir), 0);
    return 0;
}

static const wl_flows_viewer public_v = {0, ""}, all_v = {1, ""}, fr_v = {0, "fr"},
                             gb_v = {0, "gb"}, pl_v = {0, "pl"};

static json_t *summary(fixture *f, const wl_flows_viewer *v, int by, const char *cur)
{
    json_t *o = NULL;
    assert_int_equal(wl_flows_summary(f->s, v, &f->pl, by, cur, &o), WL_OK);
    assert_non_null(o);
    return o;
}

static json_t *row_of(const json_t *s, const char *key)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(s, "rows"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "key")), key) == 0)
            return r;
    }
    return NULL;
}

/* Figure `name` of the row `key`, unit or currency `measure`; NULL when there is no such line. */
static const char *fig(const json_t *s, const char *key, const char *measure, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(row_of(s, key), "figures"), i, f)
    {
        const char *m = json_string_value(json_object_get(f, "unit"));
        if (m == NULL)
            m = json_string_value(json_object_get(f, "currency"));
        if (strcmp(m, measure) == 0)
            return json_string_value(json_object_get(f, name));
    }
    return NULL;
}

static size_t nfigs(const json_t *s, const char *key)
{
    return json_array_size(json_object_get(row_of(s, key), "figures"));
}

/* The lag of row key: median, p90 and pledges (-1 for null). */
static void lag(const json_t *s, const char *key, int64_t median, int64_t p90, int64_t n)
{
    json_t *l = json_object_get(row_of(s, key), "lag_days");
    json_t *m = json_object_get(l, "median"), *p = json_object_get(l, "p90");
    assert_int_equal(json_is_null(m) ? -1 : json_integer_value(m), median);
    assert_int_equal(json_is_null(p) ? -1 : json_integer_value(p), p90);
    assert_int_equal(json_integer_value(json_object_get(l, "pledges")), n);
}

static void test_public_summary(void **state)
{
    fixture *f = *state;
    json_t *s = summary(f, &public_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_string_equal(json_string_value(json_object_get(s, "view")), "public");
    assert_int_equal(json_array_size(json_object_get(s, "rows")), 2);
    /* gb: its announced pledge and public flows; nothing of its sealed pledge or flows */
    assert_int_equal(nfigs(s, "gb"), 1);
    assert_string_equal(fig(s, "gb", "missiles", "pledged"), "5000");
    assert_string_equal(fig(s, "gb", "missiles", "delivered"), "850"); /* 500 + 350, not 300 */
    assert_string_equal(fig(s, "gb", "missiles", "confirmed"), "450"); /* the later answer */
    assert_string_equal(fig(s, "gb", "missiles", "disputed"), "0");
    assert_string_equal(fig(s, "gb", "missiles", "committed"), "0");
    assert_null(fig(s, "gb", "GBP", "pledged"));
    lag(s, "gb", 85, 85, 1);
    assert_string_equal(fig(s, "fr", "systems", "pledged"), "100");
    assert_string_equal(fig(s, "fr", "systems", "delivered"), "10");
    assert_string_equal(fig(s, "fr", "systems", "disputed"), "10");
    assert_string_equal(fig(s, "fr", "systems", "confirmed"), "0");
    assert_string_equal(fig(s, "fr", "EUR", "committed"), "5000.5");
    assert_string_equal(fig(s, "fr", "UAH", "committed"), "1000");
    lag(s, "fr", 30, 30, 1);
    assert_null(json_object_get(s, "converted"));
    json_decref(s);
}

static void test_coordinator_summary(void **state)
{
    fixture *f = *state;
    json_t *s = summary(f, &all_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_string_equal(json_string_value(json_object_get(s, "view")), "all");
    assert_string_equal(fig(s, "gb", "missiles", "delivered"), "850");
    assert_string_equal(fig(s, "gb", "GBP", "pledged"), "1600000000"); /* the pledge's "gbp" */
    assert_string_equal(fig(s, "gb", "GBP", "committed"), "1160000000");
    assert_string_equal(fig(s, "gb", "GBP", "disbursed"), "200000000");
    assert_string_equal(fig(s, "gb", "GBP", "confirmed"), "150000000");
    assert_string_equal(fig(s, "gb", "GBP", "disputed"), "0");
    lag(s, "gb", 85, 94, 2); /* nearest rank of [85, 94]: median the 1st, p90 the 2nd */
    json_decref(s);
}

static void test_member_summaries(void **state)
{
    fixture *f = *state;
    /* fr reads gb's sealed disbursement (named reader) and its sealed answer; not the rest */
    json_t *s = summary(f, &fr_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_string_equal(json_string_value(json_object_get(s, "view")), "member");
    assert_string_equal(fig(s, "gb", "GBP", "disbursed"), "200000000");
    assert_string_equal(fig(s, "gb", "GBP", "confirmed"), "150000000");
    assert_string_equal(fig(s, "gb", "GBP", "committed"), "0");
    assert_string_equal(fig(s, "gb", "GBP", "pledged"), "0");
    lag(s, "gb", 85, 85, 1);
    assert_string_equal(fig(s, "fr", "systems", "disputed"), "10");
    json_decref(s);
    /* gb sees all of its own */
    s = summary(f, &gb_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_string_equal(fig(s, "gb", "GBP", "pledged"), "1600000000");
    assert_string_equal(fig(s, "gb", "GBP", "committed"), "1160000000");
    lag(s, "gb", 85, 94, 2);
    json_decref(s);
    /* by category and month: the public's, less its own public share, plus its own whole */
    s = summary(f, &fr_v, WL_FLOWS_SUMMARY_CATEGORY, NULL);
    assert_string_equal(fig(s, "air_defence", "missiles", "delivered"), "850");
    assert_string_equal(fig(s, "air_defence", "systems", "disputed"), "10");
    assert_string_equal(fig(s, "air_defence", "EUR", "committed"), "5000.5");
    assert_string_equal(fig(s, "finance", "GBP", "disbursed"), "200000000");
    assert_string_equal(fig(s, "finance", "GBP", "confirmed"), "150000000");
    assert_string_equal(fig(s, "finance", "GBP", "committed"), "0");
    json_decref(s);
    s = summary(f, &gb_v, WL_FLOWS_SUMMARY_MONTH, NULL);
    assert_string_equal(fig(s, "2025-04", "GBP", "committed"), "1160000000");
    assert_string_equal(fig(s, "2025-04", "systems", "delivered"), "10");
    assert_string_equal(fig(s, "2025-04", "systems", "disputed"), "10");
    assert_string_equal(fig(s, "2025-06", "GBP", "confirmed"), "150000000");
    assert_string_equal(fig(s, "2025-06", "missiles", "confirmed"), "450");
    json_decref(s);
    s = summary(f, &pl_v, WL_FLOWS_SUMMARY_MONTH, NULL);
    assert_null(fig(s, "2025-04", "GBP", "committed"));
    json_decref(s);
    /* a member named nowhere sees what the public sees */
    s = summary(f, &pl_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_int_equal(nfigs(s, "gb"), 1);
    assert_null(fig(s, "gb", "GBP", "disbursed"));
    json_decref(s);
}

static void test_by_category_and_month(void **state)
{
    fixture *f = *state;
    json_t *s = summary(f, &all_v, WL_FLOWS_SUMMARY_CATEGORY, NULL);
    assert_string_equal(json_string_value(json_object_get(s, "by")), "category");
    assert_string_equal(fig(s, "air_defence", "missiles", "pledged"), "5000");
    assert_string_equal(fig(s, "air_defence", "systems", "pledged"), "100");
    assert_string_equal(fig(s, "air_defence", "EUR", "committed"), "5000.5");
    assert_string_equal(fig(s, "finance", "GBP", "disbursed"), "200000000");
    lag(s, "air_defence", 30, 85, 2);
    lag(s, "finance", 94, 94, 1);
    json_decref(s);
    s = summary(f, &public_v, WL_FLOWS_SUMMARY_MONTH, NULL);
    assert_int_equal(json_array_size(json_object_get(s, "rows")), 5);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(s, "rows"), 0), "key")),
        "2025-03");
    assert_string_equal(fig(s, "2025-03", "missiles", "pledged"), "5000");
    assert_string_equal(fig(s, "2025-03", "systems", "pledged"), "100");
    lag(s, "2025-03", 30, 85, 2); /* the pledges' month */
    assert_string_equal(fig(s, "2025-04", "systems", "delivered"), "10");
    assert_string_equal(fig(s, "2025-05", "UAH", "committed"), "1000");
    assert_string_equal(fig(s, "2025-06", "missiles", "delivered"), "500");
    assert_string_equal(fig(s, "2025-06", "missiles", "confirmed"), "450");
    assert_string_equal(fig(s, "2025-07", "missiles", "delivered"), "350");
    lag(s, "2025-07", -1, -1, 0);
    json_decref(s);
}

static json_t *conv_row(const json_t *s, const char *key)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(json_object_get(s, "converted"), "rows"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "key")), key) == 0)
            return r;
    }
    return NULL;
}

static const char *conv(const json_t *s, const char *key, const char *name)
{
    return json_string_value(json_object_get(conv_row(s, key), name));
}

static json_int_t conv_nc(const json_t *s, const char *key)
{
    return json_integer_value(json_object_get(conv_row(s, key), "not_convertible"));
}

static void test_conversion(void **state)
{
    fixture *f = *state;
    json_t *s = summary(f, &all_v, WL_FLOWS_SUMMARY_MEMBER, "EUR"), *c, *r;
    c = json_object_get(s, "converted");
    assert_string_equal(json_string_value(json_object_get(c, "currency")), "EUR");
    assert_string_equal(conv(s, "gb", "pledged"), "1904000000");   /* 1.6e9 x 1.19 (03-01) */
    assert_string_equal(conv(s, "gb", "committed"), "1380400000"); /* 1.16e9 x 1.19 */
    assert_string_equal(conv(s, "gb", "disbursed"), "241900000");  /* 2e8 x 1.2095 (06-01) */
    assert_string_equal(conv(s, "gb", "confirmed"), "181425000");  /* 1.5e8 x 1.2095 */
    /* fr's EUR 5000.5 and UAH 1000 (no rate): not a partial sum, but null and counted */
    assert_null(conv(s, "fr", "committed"));
    assert_int_equal(conv_nc(s, "fr"), 1);
    assert_int_equal(conv_nc(s, "gb"), 0);
    assert_null(conv(s, "fr", "delivered")); /* in kind: never money */
    assert_int_equal(json_array_size(json_object_get(c, "rates")), 2);
    r = json_array_get(json_object_get(c, "rates"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "date")), "2025-03-01");
    assert_string_equal(json_string_value(json_object_get(r, "rate")), "1.19");
    assert_string_equal(json_string_value(json_object_get(r, "from")), "GBP");
    r = json_array_get(json_object_get(c, "rates"), 1);
    assert_string_equal(json_string_value(json_object_get(r, "rate")), "1.2095");
    /* UAH: no rate; left out of every total and named */
    assert_int_equal(json_array_size(json_object_get(c, "not_convertible")), 1);
    r = json_array_get(json_object_get(c, "not_convertible"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "flow")), F(8));
    assert_string_equal(json_string_value(json_object_get(r, "currency")), "UAH");
    assert_string_equal(json_string_value(json_object_get(r, "date")), "2025-05-02");
    json_decref(s);
    /* the public's: no GBP flow visible, so no rate is named either */
    s = summary(f, &public_v, WL_FLOWS_SUMMARY_MEMBER, "EUR");
    c = json_object_get(s, "converted");
    assert_int_equal(json_array_size(json_object_get(c, "rates")), 0);
    assert_string_equal(conv(s, "gb", "pledged"), "0");
    assert_null(conv(s, "fr", "committed")); /* its public UAH flow has no rate */
    assert_int_equal(conv_nc(s, "fr"), 1);
    json_decref(s);
    /* no rate into USD at all: every money figure not convertible, nothing guessed */
    s = summary(f, &all_v, WL_FLOWS_SUMMARY_MEMBER, "USD");
    c = json_object_get(s, "converted");
    assert_int_equal(json_array_size(json_object_get(c, "rates")), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "not_convertible_total")), 5);
    /* ... said in each row: the figure null (not 0) and how many flows and pledges it lacks */
    assert_null(conv(s, "gb", "pledged"));
    assert_null(conv(s, "gb", "committed"));
    assert_null(conv(s, "fr", "committed"));
    assert_string_equal(conv(s, "gb", "allocated"), "0"); /* nothing there: truly 0 */
    assert_true(conv_nc(s, "gb") > 0 && conv_nc(s, "fr") > 0);
    json_decref(s);
    assert_int_equal(wl_flows_summary(f->s, &all_v, &f->pl, WL_FLOWS_SUMMARY_MEMBER, "eur", &s),
                     WL_ERR_INVALID);
    assert_null(s);
}

static json_t *node(const json_t *tree, const char *id)
{
    size_t i;
    json_t *n, *k;
    if (strcmp(json_string_value(json_object_get(tree, "instrument")), id) == 0)
        return (json_t *)tree;
    json_array_foreach(json_object_get(tree, "children"), i, n)
    {
        if ((k = node(n, id)) != NULL)
            return k;
    }
    return NULL;
}

static void tree_is(fixture *f, const wl_flows_viewer *v, const char *drawn_c, const char *left_c,
                    const char *drawn_f, const char *left_f, int64_t flows)
{
    json_t *o = NULL, *root, *c;
    assert_int_equal(wl_flows_instruments(f->s, v, NULL, &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(o, "instruments")), 1);
    root = json_array_get(json_object_get(o, "instruments"), 0);
    c = node(root, "belfast");
    assert_non_null(c);
    assert_string_equal(json_string_value(json_object_get(root, "drawn")), drawn_f);
    assert_string_equal(json_string_value(json_object_get(root, "left")), left_f);
    assert_string_equal(json_string_value(json_object_get(c, "drawn")), drawn_c);
    assert_string_equal(json_string_value(json_object_get(c, "left")), left_c);
    assert_int_equal(json_integer_value(json_object_get(c, "flows")), flows);
    assert_string_equal(json_string_value(json_object_get(c, "possible_more")), "500000000");
    json_decref(o);
}

static void test_instruments(void **state)
{
    fixture *f = *state;
    json_t *o = NULL;
    tree_is(f, &public_v, "0", "1160000000", "0", "1600000000", 0);
    tree_is(f, &all_v, "200000000", "960000000", "200000000", "1400000000", 1);
    tree_is(f, &fr_v, "200000000", "960000000", "200000000", "1400000000", 1);
    tree_is(f, &pl_v, "0", "1160000000", "0", "1600000000", 0);
    assert_int_equal(wl_flows_instruments(f->s, &all_v, "belfast", &o), WL_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(o, "instrument"), "left")), "960000000");
    json_decref(o);
    assert_int_equal(wl_flows_instruments(f->s, &all_v, "nope", &o), WL_ERR_NOT_FOUND);
    assert_null(o);
}

/* The flows of a list page, each by the last digit of its id. */
static void ids(const json_t *o, char *out, size_t cap)
{
    size_t i, k = 0;
    json_t *x;
    out[0] = '\0';
    json_array_foreach(json_object_get(o, "flows"), i, x)
    {
        if (k + 2 < cap) {
            out[k++] = json_string_value(json_object_get(x, "flow"))[31];
            out[k] = '\0';
        }
    }
}

static void list_is(fixture *f, const wl_flows_viewer *v, const wl_flows_query *q, const char *want,
                    int more)
{
    json_t *o = NULL;
    int64_t next = -1;
    char got[64];
    assert_int_equal(wl_flows_list(f->s, v, q, &o, &next), WL_OK);
    ids(o, got, sizeof got);
    assert_string_equal(got, want);
    assert_true(more ? next >= 0 : next == -1);
    json_decref(o);
}

static void test_list(void **state)
{
    fixture *f = *state;
    wl_flows_query q = {NULL, NULL, NULL, NULL, 0, 0, 100};
    json_t *o = NULL, *x;
    int64_t next;
    wl_buf b;
    list_is(f, &public_v, &q, "123678", 0);
    list_is(f, &fr_v, &q, "1234678", 0);
    list_is(f, &pl_v, &q, "123678", 0);
    list_is(f, &gb_v, &q, "12345678", 0);
    list_is(f, &all_v, &q, "12345678", 0);
    q.stage = "commitment";
    list_is(f, &all_v, &q, "578", 0);
    q.stage = NULL;
    q.member = "fr";
    list_is(f, &public_v, &q, "678", 0);
    q.member = NULL;
    q.pledge = P1;
    list_is(f, &public_v, &q, "123", 0);
    q.pledge = NULL;
    q.instrument = "belfast";
    list_is(f, &public_v, &q, "", 0);
    list_is(f, &fr_v, &q, "4", 0);
    q.instrument = NULL;
    /* pages of 2, following the cursor */
    q.limit = 2;
    assert_int_equal(wl_flows_list(f->s, &public_v, &q, &o, &next), WL_OK);
    json_decref(o);
    assert_true(next > 0);
    q.after = next;
    list_is(f, &public_v, &q, "36", 1);
    q.after = 0;
    q.offset = 4;
    list_is(f, &public_v, &q, "78", 0);
    q.offset = 0;
    q.limit = 100;
    /* the latest answer of each, the superseded flow named */
    assert_int_equal(wl_flows_list(f->s, &public_v, &q, &o, &next), WL_OK);
    x = json_array_get(json_object_get(o, "flows"), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(x, "answer"), "received")), "450");
    assert_false(json_is_true(json_object_get(json_object_get(x, "answer"), "full")));
    assert_string_equal(json_string_value(json_object_get(x, "quantity")), "500");
    x = json_array_get(json_object_get(o, "flows"), 1);
    assert_string_equal(json_string_value(json_object_get(x, "superseded_by")), F(3));
    x = json_array_get(json_object_get(o, "flows"), 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(x, "answer"), "kind")),
                        "dispute");
    json_decref(o);
    /* a sealed answer: for who may read the flow's sealed side */
    assert_int_equal(wl_flows_list(f->s, &fr_v, &q, &o, &next), WL_OK);
    x = json_array_get(json_object_get(o, "flows"), 3);
    assert_string_equal(json_string_value(json_object_get(x, "flow")), F(4));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(x, "answer"), "received")), "150000000");
    json_decref(o);
    assert_int_equal(wl_flows_list_csv(f->s, &public_v, &q, &b, &next), WL_OK);
    assert_non_null(strstr((const char *)b.buf, "flow,index,author,pledge,"));
    assert_non_null(strstr((const char *)b.buf, F(1) ","));
    assert_null(strstr((const char *)b.buf, F(4)));
    wl_buf_free(&b);
}

static void test_show(void **state)
{
    fixture *f = *state;
    json_t *o = NULL, *chain;
    assert_int_equal(wl_flows_show(f->s, &public_v, F(3), &o), WL_OK);
    chain = json_object_get(o, "chain");
    assert_int_equal(json_array_size(chain), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(chain, 0), "flow")), F(2));
    assert_string_equal(json_string_value(json_object_get(json_array_get(chain, 1), "flow")), F(3));
    json_decref(o);
    assert_int_equal(wl_flows_show(f->s, &public_v, F(1), &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(json_object_get(o, "flow"), "answers")), 2);
    json_decref(o);
    /* a sealed flow: as if it did not exist, but to its author, its reader, the coordinator */
    assert_int_equal(wl_flows_show(f->s, &public_v, F(4), &o), WL_ERR_NOT_FOUND);
    assert_null(o);
    assert_int_equal(wl_flows_show(f->s, &pl_v, F(4), &o), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_flows_show(f->s, &fr_v, F(5), &o), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_flows_show(f->s, &fr_v, F(4), &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(json_object_get(o, "flow"), "answers")), 1);
    json_decref(o);
    assert_int_equal(wl_flows_show(f->s, &all_v, F(5), &o), WL_OK);
    json_decref(o);
}

static void test_decimals(void **state)
{
    char b[64];
    (void)state;
    wl_flows_dec_format(-12345, 4, b, sizeof b);
    assert_string_equal(b, "-1.2345");
    wl_flows_dec_format(5000000, 4, b, sizeof b);
    assert_string_equal(b, "500");
    wl_flows_dec_format(1, 12, b, sizeof b);
    assert_string_equal(b, "0.000000000001");
    wl_flows_dec_format(0, 12, b, sizeof b);
    assert_string_equal(b, "0");
}

/* Last: announcing F5 makes it (and nothing else) public, at once, in every total. */
static void test_announced_flow_counts(void **state)
{
    fixture *f = *state;
    json_t *s;
    assert_int_equal(wl_store_flow_publish(f->s, F(5), ++f->size), WL_OK);
    s = summary(f, &public_v, WL_FLOWS_SUMMARY_MEMBER, NULL);
    assert_string_equal(fig(s, "gb", "GBP", "committed"), "1160000000");
    assert_string_equal(fig(s, "gb", "GBP", "pledged"), "0");
    assert_string_equal(fig(s, "gb", "GBP", "disbursed"), "0");
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_public_summary),
        cmocka_unit_test(test_coordinator_summary),
        cmocka_unit_test(test_member_summaries),
        cmocka_unit_test(test_by_category_and_month),
        cmocka_unit_test(test_conversion),
        cmocka_unit_test(test_instruments),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_show),
        cmocka_unit_test(test_announced_flow_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
