/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The views' totals stay exact: SQLite's + turns a sum past 64 bits into a
 * float, so the store refuses the write that would make one (the totals' guard
 * triggers, lib/store/sqlite_flows_totals.c) and nothing of it is stored; the
 * flows rules answer that as 409 total_too_large. Nine flows of the largest
 * amount a flow may hold (99999999999999.9999) sum exactly, a tenth is
 * refused, a reversal then makes room again, and the summary reads the exact
 * decimal sum, never a rounded one. On a real SQLite file.
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

static wl_rc put(fixture *f, int n, int64_t amount)
{
    wl_flow_row r;
    wl_rc rc;
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
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    rc = wl_store_flow_put(f->s, &r);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    return rc;
}

/* The disbursed figure of pl in EUR, as the coordinator's summary by member says it. */
static void disbursed_is(fixture *f, const char *want)
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
    assert_string_equal(json_string_value(json_object_get(fig, "disbursed")), want);
    json_decref(o);
    wl_flows_pledges_free(&pl);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_stay_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
