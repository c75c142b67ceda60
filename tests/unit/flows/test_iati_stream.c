/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The streamed IATI view (wl_flows_iati_open/next, lib/flows/iati_view.c) on a real
 * SQLite store: the document it streams is byte for byte what wl_iati_export writes from
 * the same flows' bodies (each viewer's: the public never sees a sealed flow, a named
 * reader and the coordinator do; a correction counts once; flows in kind are left out and
 * counted); it comes in pieces of at most WL_FLOWS_ROWS_MAX transactions, so an activity of
 * 1,500 flows is never whole in memory; the stream holds no store between pieces (they are
 * asked for from another connection); a member with no flow of money gets WL_ERR_NOT_FOUND
 * before a byte is written.
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
#include "willing/iati.h"

#define PLEDGE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BIG 1500 /* flows of one activity */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    uint64_t size;
    json_t *bodies[3]; /* what each viewer may see, live, in the order stored */
} fixture;

static fixture fx;

enum { PUBLIC, READER, ALL };

/*
 * A flow stored as the kinds store it, its body as signed; kept in the bodies each viewer
 * may see of gb's (sealed: the reader "fr" and the coordinator), unless a later flow corrects it.
 */
static void flow(const char *author, const char *activity, const char *date, const char *amount,
                 const char *currency, int sealed, const char *iati)
{
    wl_flow_row r;
    char body[1024];
    json_t *b;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%032llx", (unsigned long long)fx.size + 1);
    r.idx = ++fx.size;
    r.row = -1;
    snprintf(r.author, sizeof r.author, "%s", author);
    snprintf(r.activity, sizeof r.activity, "%s", activity ? activity : "");
    snprintf(r.pledge, sizeof r.pledge, "%s", activity ? "" : PLEDGE);
    snprintf(r.category, sizeof r.category, "finance");
    snprintf(r.stage, sizeof r.stage, "disbursement");
    snprintf(r.date, sizeof r.date, "%s", date);
    if (currency) {
        r.has_amount = true;
        r.amount = atoll(amount) * 10000;
        snprintf(r.currency, sizeof r.currency, "%s", currency);
    } else {
        r.has_qty = true;
        r.qty = atoll(amount) * 10000;
        snprintf(r.unit, sizeof r.unit, "missiles");
    }
    r.sealed = sealed;
    r.readers = sealed ? "[\"fr\"]" : NULL;
    snprintf(body, sizeof body,
             "{\"flow\":\"%s\",%s%s%s\"stage\":\"disbursement\",\"date\":\"%s\",\"%s\":\"%s\","
             "\"%s\":\"%s\",\"text\":\"row %llu <&>\"%s%s}",
             r.id, activity ? "\"activity\":\"" : "\"pledge\":\"", activity ? activity : PLEDGE,
             "\",", date, currency ? "amount" : "quantity", amount, currency ? "currency" : "unit",
             currency ? currency : "missiles", (unsigned long long)fx.size, iati ? "," : "",
             iati ? iati : "");
    r.body = body;
    assert_int_equal(wl_store_flow_put(fx.s, &r), WL_OK);
    b = json_loads(body, 0, NULL);
    assert_non_null(b);
    for (int v = PUBLIC; v <= ALL; v++)
        if ((!sealed || v != PUBLIC) && strcmp(author, "gb") == 0)
            json_array_append(fx.bodies[v], b);
    json_decref(b);
}

/* Corrects the last flow stored by the one before it: the earlier one no longer counts. */
static void corrected_by_last(void)
{
    char old[33], by[33];
    snprintf(old, sizeof old, "%032llx", (unsigned long long)fx.size - 1);
    snprintf(by, sizeof by, "%032llx", (unsigned long long)fx.size);
    assert_int_equal(wl_store_flow_supersede(fx.s, old, by), WL_OK);
    for (int v = PUBLIC; v <= ALL; v++) {
        size_t i;
        json_t *b;
        json_array_foreach(fx.bodies[v], i,
                           b) if (strcmp(json_string_value(json_object_get(b, "flow")), old) == 0)
        {
            json_array_remove(fx.bodies[v], i);
            break;
        }
    }
}

static int setup(void **state)
{
    char day[11];
    (void)state;
    memset(&fx, 0, sizeof fx);
    assert_int_equal(wl_test_store_open(fx.dir, fx.path, "wl-iatis.", &fx.s), WL_OK);
    for (int v = PUBLIC; v <= ALL; v++)
        fx.bodies[v] = json_array();
    /* interleaved activities, a pledge's flows, flows in kind, a sealed one, a correction */
    flow("gb", "GB-1-A", "2025-03-04", "1000", "EUR", 0,
         "\"iati\":{\"type\":\"3\",\"provider\":\"UKEF\",\"receiver\":\"MoD Ukraine\"}");
    flow("gb", NULL, "2025-03-05", "250", "GBP", 0, NULL);
    flow("gb", "GB-1-B", "2025-03-06", "7", NULL, 0, NULL);
    flow("gb", "GB-1-A", "2025-02-01", "-40", "EUR", 0, "\"iati\":{\"provider\":\"gb\"}");
    flow("gb", "GB-1-C", "2025-04-01", "99", "USD", 1, NULL);
    flow("fr", "FR-1", "2025-04-02", "5", "EUR", 0, NULL);
    flow("gb", NULL, "2025-03-09", "300", "GBP", 0, NULL);
    flow("gb", NULL, "2025-03-09", "310", "GBP", 0, NULL);
    corrected_by_last();
    for (int i = 0; i < BIG; i++) {
        snprintf(day, sizeof day, "2025-%02d-%02d", 1 + i % 12, 1 + i % 28);
        flow("gb", "GB-BIG", day, i % 2 ? "12" : "13", "EUR", 0, NULL);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int v = PUBLIC; v <= ALL; v++)
        json_decref(fx.bodies[v]);
    wl_store_close(fx.s);
    wl_test_rmdir(fx.dir);
    return 0;
}

static const wl_flows_viewer viewers[3] = {{0, ""}, {0, "fr"}, {1, ""}};

/* Each viewer's streamed document is what wl_iati_export writes from its flows. */
static void test_same_document(void **state)
{
    (void)state;
    for (int v = PUBLIC; v <= ALL; v++) {
        wl_buf want = {0}, got = {0};
        size_t ws = 0, gs = 0;
        wl_error err;
        assert_int_equal(
            wl_iati_export("gb", fx.bodies[v], "2026-12-01T06:00:00Z", &want, &ws, &err), WL_OK);
        assert_int_equal(
            wl_flows_iati(fx.s, &viewers[v], "gb", "2026-12-01T06:00:00Z", &got, &gs, &err), WL_OK);
        assert_int_equal(gs, ws);
        assert_int_equal(gs, 1); /* the flow in kind */
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.buf, want.buf, want.len);
        /* the sealed flow: only those who may see it */
        assert_true((strstr(got.buf, "GB-1-C") != NULL) == (v != PUBLIC));
        assert_null(strstr(got.buf, "310.")); /* corrected: it counts once, as 300 */
        wl_buf_free(&want);
        wl_buf_free(&got);
    }
}

/* Pieces of at most WL_FLOWS_ROWS_MAX transactions, asked for from another connection. */
static void test_pieces(void **state)
{
    wl_iati_stream *st = NULL;
    wl_store *other = NULL;
    wl_buf doc = {0};
    wl_error err;
    const char *piece;
    size_t len, pieces = 0, most = 0;
    (void)state;
    assert_int_equal(wl_store_open(fx.path, 0, &other), WL_OK);
    assert_int_equal(wl_flows_iati_open(fx.s, &viewers[PUBLIC], "gb", NULL, &st, &err), WL_OK);
    for (;;) {
        size_t tx = 0;
        assert_int_equal(wl_flows_iati_next(st, pieces % 2 ? other : fx.s, &piece, &len, &err),
                         WL_OK);
        if (len == 0)
            break;
        for (const char *p = piece;
             (p = memmem(p, len - (size_t)(p - piece), "<transaction>", 13)) != NULL; p += 13)
            tx++;
        assert_true(tx <= WL_FLOWS_ROWS_MAX);
        most = len > most ? len : most;
        assert_int_equal(wl_buf_append(&doc, piece, len, 64u << 20), WL_OK);
        pieces++;
    }
    /* the big activity alone is at least BIG / WL_FLOWS_ROWS_MAX pieces */
    assert_true(pieces >= BIG / WL_FLOWS_ROWS_MAX + 2);
    assert_true(most < 256u * 1024);
    assert_non_null(memmem(doc.buf, doc.len, "</iati-activities>\n", 19));
    /* done stays done */
    assert_int_equal(wl_flows_iati_next(st, fx.s, &piece, &len, &err), WL_OK);
    assert_int_equal(len, 0);
    wl_flows_iati_close(st);
    wl_store_close(other);
    wl_buf_free(&doc);
}

/* Nothing to write: refused when opened, before any byte. */
static void test_no_money(void **state)
{
    wl_iati_stream *st = NULL;
    wl_error err;
    (void)state;
    assert_int_equal(wl_flows_iati_open(fx.s, &viewers[ALL], "nl", NULL, &st, &err),
                     WL_ERR_NOT_FOUND);
    assert_null(st);
    assert_string_equal(err.code, "no_flows");
    flow("nl", "NL-1", "2025-01-01", "3", NULL, 0, NULL);
    assert_int_equal(wl_flows_iati_open(fx.s, &viewers[ALL], "nl", NULL, &st, &err),
                     WL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "(1 in kind)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_document),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_no_money),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
