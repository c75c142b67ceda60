/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic CSV importer (lib/flows/csvimport.c): a mapping of flow fields
 * to columns (or constants) parsed and refused by name; each row mapped to a
 * flow body and checked with the flows library's own rules, every bad row
 * listed with its line and why; ids derived from the file and the line, so
 * one file gives the same ids twice and another file others; the rows packed
 * into flow.batch bodies that the flow.batch kind accepts as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "willing/crypto.h"
#include "willing/flows.h"
#include "willing/reference.h"

#define FILE0 "0000000000000000000000000000000000000000000000000000000000000000"
#define FILE1 "1111111111111111111111111111111111111111111111111111111111111111"
#define MAP                                                                                        \
    "activity=Project,date=When,stage=Stage,amount=EUR,currency='EUR',category=Area,"              \
    "text=Note"

static const char csv[] = "Project,When,Stage,EUR,Area,Note,Ignored\n"
                          "P-1,2025-03-01,disbursement,1160000000.00,air_defence,first,x\n"
                          "P-2,2025-03-02,disbursement,12.34567,air_defence,,x\n"
                          "P-3,2025-03,disbursement,5,air_defence,,x\n"
                          "P-4,2025-03-04,gift,5,air_defence,,x\n"
                          "P-5,2025-03-05,commitment,-78791,finance,\"a, quoted\nnote\",x\n"
                          "P-6,2025-03-06,delivery,5,air_defence,,x\n"
                          ",2025-03-07,disbursement,5,air_defence,,x\n";

static void test_map(void **state)
{
    static const struct {
        const char *spec, *says;
    } bad[] = {
        {"", "at least one field"},
        {"date", "field=Column"},
        {"date=", "field=Column"},
        {"=Date", "field=Column"},
        {"colour=Red", "'colour' is not a flow field"},
        {"date=A,date=B", "'date' mapped twice"},
    };
    wl_csv_map m;
    wl_error err;
    (void)state;
    assert_int_equal(wl_csv_map_parse(MAP, &m, &err), WL_OK);
    assert_int_equal(m.n, 7);
    assert_string_equal(m.m[0].field, "activity");
    assert_string_equal(m.m[0].column, "Project");
    assert_false(m.m[0].constant);
    assert_string_equal(m.m[4].field, "currency");
    assert_string_equal(m.m[4].column, "EUR"); /* a value for every row */
    assert_true(m.m[4].constant);
    assert_string_equal(m.m[3].column, "EUR"); /* a column of that name */
    assert_false(m.m[3].constant);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(wl_csv_map_parse(bad[i].spec, &m, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "bad_map");
        assert_non_null(strstr(err.msg, bad[i].says));
    }
}

static void test_rows(void **state)
{
    static const struct {
        size_t line;
        const char *says;
    } want[] = {
        {3, "'amount'"},   /* 5 decimals */
        {4, "'date'"},     /* a month, for money */
        {5, "'stage'"},    /* gift */
        {8, "'quantity'"}, /* a delivery of money */
        {9, "'pledge'"},   /* against nothing: the activity's cell is empty */
    };
    wl_csv_map m;
    wl_flow_import im, again, other;
    wl_error err;
    size_t line;
    json_t *f0, *f1;
    (void)state;
    assert_int_equal(wl_csv_map_parse(MAP, &m, &err), WL_OK);
    assert_int_equal(wl_csv_flows_read(csv, sizeof csv - 1, &m, FILE0, &im, &line, &err), WL_OK);
    assert_int_equal(json_array_size(im.flows), 2);
    assert_int_equal(im.lines[0], 2);
    assert_int_equal(im.lines[1], 6); /* the quoted note spans lines 6 and 7 */
    assert_int_equal(im.nbad, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(im.bad[i].line, want[i].line);
        assert_non_null(strstr(im.bad[i].why, want[i].says));
    }
    f0 = json_array_get(im.flows, 0);
    f1 = json_array_get(im.flows, 1);
    assert_string_equal(json_string_value(json_object_get(f0, "amount")), "1160000000.00");
    assert_string_equal(json_string_value(json_object_get(f0, "currency")), "EUR");
    assert_string_equal(json_string_value(json_object_get(f0, "text")), "first");
    assert_string_equal(json_string_value(json_object_get(f1, "text")), "a, quoted\nnote");
    assert_string_equal(json_string_value(json_object_get(f1, "amount")), "-78791");
    assert_null(json_object_get(f0, "Ignored"));
    /* ids from the file and the line: the same file again gives the same, another file others */
    assert_int_equal(wl_csv_flows_read(csv, sizeof csv - 1, &m, FILE0, &again, &line, &err), WL_OK);
    assert_int_equal(wl_csv_flows_read(csv, sizeof csv - 1, &m, FILE1, &other, &line, &err), WL_OK);
    assert_int_equal(strlen(json_string_value(json_object_get(f0, "flow"))), 32);
    assert_string_equal(json_string_value(json_object_get(f0, "flow")),
                        json_string_value(json_object_get(json_array_get(again.flows, 0), "flow")));
    assert_string_not_equal(json_string_value(json_object_get(f0, "flow")),
                            json_string_value(json_object_get(f1, "flow")));
    assert_string_not_equal(
        json_string_value(json_object_get(f0, "flow")),
        json_string_value(json_object_get(json_array_get(other.flows, 0), "flow")));
    wl_flow_import_free(&again);
    wl_flow_import_free(&other);
    wl_flow_import_free(&im);
}

static void test_file_refused(void **state)
{
    static const char latin1[] = "Project,When\nP-1,2025-03-01\nP-\xe9,2025-03-02\n";
    wl_csv_map m;
    wl_flow_import im;
    wl_error err;
    size_t line;
    (void)state;
    assert_int_equal(wl_csv_map_parse("activity=Project,date=When,stage=Kind", &m, &err), WL_OK);
    assert_int_equal(wl_csv_flows_read(csv, sizeof csv - 1, &m, FILE0, &im, &line, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_columns");
    assert_non_null(strstr(err.msg, "'Kind'"));
    assert_int_equal(line, 1);
    assert_null(im.flows);
    assert_int_equal(wl_csv_map_parse("activity=Project,date=When", &m, &err), WL_OK);
    assert_int_equal(wl_csv_flows_read(latin1, sizeof latin1 - 1, &m, FILE0, &im, &line, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "not_utf8");
    assert_int_equal(line, 3);
    assert_null(im.flows);
}

/* Many rows pack into flow.batch bodies under the ceiling that the kind accepts as they are. */
static void test_pack_batches(void **state)
{
    wl_buf big = {0};
    wl_csv_map m;
    wl_flow_import im;
    wl_error err;
    wl_key k;
    size_t line, rows = 0;
    json_t *head = json_pack("{s:s, s:s}", "import", FILE0, "format", "csv"), *bodies = NULL;
    char row[160];
    (void)state;
    assert_int_equal(wl_buf_append(&big, "Project,When,Stage,EUR\n", 23, 1u << 24), WL_OK);
    for (int i = 0; i < 2500; i++) {
        int n =
            snprintf(row, sizeof row, "P-%d,2025-03-%02d,disbursement,%d.25\n", i, 1 + i % 28, i);
        assert_int_equal(wl_buf_append(&big, row, (size_t)n, 1u << 24), WL_OK);
    }
    assert_int_equal(wl_csv_map_parse("activity=Project,date=When,stage=Stage,amount=EUR,"
                                      "currency='GBP',category='finance'",
                                      &m, &err),
                     WL_OK);
    assert_int_equal(wl_csv_flows_read(big.buf, big.len, &m, FILE0, &im, &line, &err), WL_OK);
    assert_int_equal(json_array_size(im.flows), 2500);
    assert_int_equal(wl_import_pack(head, "flows", im.flows, WL_FLOW_BATCH_ROWS, &bodies, &err),
                     WL_OK);
    assert_true(json_array_size(bodies) >= 3); /* 1,000 rows at most, 60 KiB at most */
    wl_key_generate(&k);
    for (size_t i = 0; i < json_array_size(bodies); i++) {
        json_t *b = json_array_get(bodies, i);
        char *text = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER), *raw = NULL;
        size_t len = 0;
        wl_entry e;
        assert_non_null(text);
        assert_true(strlen(text) <= WL_IMPORT_BODY_MAX);
        assert_int_equal(wl_entry_build("example.org/csv", "flow.batch", "gb", i + 1, 1743465600,
                                        text, &k, &raw, &len),
                         WL_OK);
        assert_int_equal(wl_entry_parse(raw, len, &e, NULL, 0), WL_OK);
        assert_int_equal(wl_flow_batch_validate(&e, &err), WL_OK);
        rows += json_array_size(json_object_get(b, "flows"));
        wl_entry_clear(&e);
        wl_free(raw);
        free(text);
    }
    assert_int_equal(rows, 2500);
    wl_key_wipe(&k);
    json_decref(bodies);
    json_decref(head);
    wl_flow_import_free(&im);
    wl_buf_free(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_file_refused),
        cmocka_unit_test(test_pack_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
