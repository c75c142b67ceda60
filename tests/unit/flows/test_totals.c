/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The views' totals stay exact: SQLite's + turns a sum past 64 bits into a
 * float, so the store refuses the write that would make one (the totals kept
 * in C, lib/store/sqlite_flows_totals.c) and nothing of it is stored; the
 * flows rules answer that as 409 total_too_large. Nine flows of the largest
 * amount a flow may hold (99999999999999.9999) sum exactly, a tenth is
 * refused, a reversal then makes room again, and the summary reads the exact
 * decimal sum, never a rounded one. The totals held in memory until a savepoint,
 * release or commit (lib/store/sqlite_flows_totals.c) follow the transaction: a
 * savepoint rolled back takes its flows out of them, one released keeps them,
 * a correction and an answer count as before. On a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/flows.h"
#include "willing/flows_views.h"
#include "willing/module.h"

#define BIG INT64_C(999999999999999999) /* 99999999999999.9999, scaled by 10^4 */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    uint64_t size;
} fixture;

/* Stores flow n of pl (EUR disbursement of amount), in the caller's transaction. */
static wl_rc put_in(fixture *f, int n, int64_t amount)
{
    wl_flow_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "f%031d", n);
    r.idx = ++f->size;
    r.row = -1;
    snprintf(r.author, sizeof r.author, "pl");
    snprintf(r.category, sizeof r.category, "finance");
    snprintf(r.stage, sizeof r.stage, "disbursement");
    snprintf(r.date, sizeof r.date, "2025-07-01");
    r.has_amount = true;
    r.amount = amount;
    snprintf(r.currency, sizeof r.currency, "EUR");
    r.body = "{}";
    return wl_store_flow_put(f->s, &r);
}

/* The same in a transaction of its own. */
static wl_rc put(fixture *f, int n, int64_t amount)
{
    wl_rc rc;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    rc = put_in(f, n, amount);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    return rc;
}

/* Figure what of pl in EUR, as the coordinator's summary by member says it. */
static void figure_is(fixture *f, const char *what, const char *want)
{
    static const wl_flows_viewer all = {1, ""};
    wl_flows_pledges pl;
    json_t *o = NULL, *row, *fig;
    wl_flows_pledges_init(&pl);
    assert_int_equal(wl_flows_pledges_update(f->s, &pl), WL_OK);
    assert_int_equal(wl_flows_summary(f->s, &all, &pl, WL_FLOWS_SUMMARY_MEMBER, NULL, &o), WL_OK);
    row = json_array_get(json_object_get(o, "rows"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "key")), "pl");
    fig = json_array_get(json_object_get(row, "figures"), 0);
    assert_string_equal(json_string_value(json_object_get(fig, "currency")), "EUR");
    assert_string_equal(json_string_value(json_object_get(fig, what)), want);
    json_decref(o);
    wl_flows_pledges_free(&pl);
}

static void disbursed_is(fixture *f, const char *want)
{
    figure_is(f, "disbursed", want);
}

static void test_totals_stay_exact(void **state)
{
    fixture f;
    wl_flow_row r;
    wl_error err = {0};
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-totals-", &f.s), WL_OK);
    for (int i = 1; i <= 9; i++)
        assert_int_equal(put(&f, i, BIG), WL_OK);
    disbursed_is(&f, "899999999999999.9991");
    /* a tenth would take every total of pl past 64 bits: refused, not stored */
    assert_int_equal(put(&f, 10, BIG), WL_ERR_TOO_LARGE);
    assert_int_equal(wl_store_flow_get(f.s, "f0000000000000000000000000000010", &r),
                     WL_ERR_NOT_FOUND);
    disbursed_is(&f, "899999999999999.9991");
    assert_int_equal(wl_flows_storage(f.s, WL_ERR_TOO_LARGE, &err), WL_ERR_CONFLICT);
    assert_string_equal(err.code, "total_too_large");
    /* a reversal makes room: the same flow under another id is stored, every digit kept */
    assert_int_equal(put(&f, 11, -BIG), WL_OK);
    assert_int_equal(put(&f, 12, BIG), WL_OK);
    disbursed_is(&f, "899999999999999.9991");
    assert_int_equal(put(&f, 13, -1), WL_OK);
    disbursed_is(&f, "899999999999999.999");
    wl_store_close(f.s);
    assert_int_equal(wl_test_rmdir(f.dir), 0);
}

/* The held totals follow savepoints, as the sequencer runs each job in one. */
static void test_totals_follow_savepoints(void **state)
{
    fixture f;
    wl_flow_answer_row a;
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_tmpdir(f.dir, "wl-totals-"), 0);
    snprintf(f.path, sizeof f.path, "%s/log.db", f.dir);
    assert_int_equal(wl_store_open(f.path, 1, &f.s), WL_OK);
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 1, 50000), WL_OK);
    assert_int_equal(wl_store_release(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 2, 70000), WL_OK);
    assert_int_equal(put_in(&f, 3, 90000), WL_OK);
    wl_store_rollback_to(f.s); /* a job refused: its flows count nowhere */
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 4, 20000), WL_OK);
    assert_int_equal(wl_store_release(f.s), WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    disbursed_is(&f, "7");
    /* a correction replaces the figure it corrects; a dispute of it is counted */
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(put_in(&f, 5, 30000), WL_OK);
    assert_int_equal(wl_store_flow_supersede(f.s, "f0000000000000000000000000000004",
                                             "f0000000000000000000000000000005"),
                     WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    disbursed_is(&f, "8");
    memset(&a, 0, sizeof a);
    snprintf(a.flow, sizeof a.flow, "f%031d", 5);
    a.idx = ++f.size;
    snprintf(a.kind, sizeof a.kind, "confirm");
    a.has_received = true;
    a.received = 10000;
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(wl_store_flow_answer_put(f.s, &a), WL_OK);
    wl_store_rollback_to(f.s);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    figure_is(&f, "confirmed", "0");
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_flow_answer_put(f.s, &a), WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    figure_is(&f, "confirmed", "1");
    disbursed_is(&f, "8");
    wl_store_close(f.s);
    assert_int_equal(wl_test_rmdir(f.dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_stay_exact),
        cmocka_unit_test(test_totals_follow_savepoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
