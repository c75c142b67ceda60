/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exact decimals and currencies of the flows module (lib/flows/money.c,
 * currency.c): amounts with their sign and at most 14 + 4 digits, rates with
 * 8 places, conversions exact in 128 bits, the coarse dates, and the C
 * currency table checked code by code against the IATI codelist it was
 * written from (tests/fixtures/iati/Currency.xml).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "willing/flows.h"

static int64_t money(const char *s, bool neg)
{
    int64_t v = -1;
    assert_int_equal(wl_money_parse(s, neg, &v), WL_OK);
    return v;
}

static void refused(const char *s, bool neg)
{
    int64_t v = 7;
    assert_int_equal(wl_money_parse(s, neg, &v), WL_ERR_INVALID);
    assert_int_equal(v, 0); /* zeroed on failure */
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(money("1160000000", false), 11600000000000LL);
    assert_int_equal(money("166819.43", false), 1668194300LL);
    assert_int_equal(money("0.0001", false), 1);
    assert_int_equal(money("-78791", true), -787910000LL);
    assert_int_equal(money("99999999999999.9999", true), 999999999999999999LL);
    assert_int_equal(money("-99999999999999.9999", true), -999999999999999999LL);
    refused("-78791", false);         /* quantities are never negative */
    refused("1.00001", true);         /* a fifth place */
    refused("100000000000000", true); /* a 15th digit before the point */
    refused("", true);
    refused("-", true);
    refused(".5", true);
    refused("5.", true);
    refused("+5", true);
    refused("1e6", true);
    refused(" 5", true);
    refused("5 ", true);
    refused("1,000", true);
    refused(NULL, true);
}

static void fmt(int64_t v, const char *want)
{
    char out[48];
    wl_money_format(v, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_format(void **state)
{
    char out[48];
    (void)state;
    fmt(11600000000000LL, "1160000000");
    fmt(1668194300LL, "166819.43");
    fmt(-787910000LL, "-78791");
    fmt(-5000, "-0.5");
    fmt(0, "0");
    fmt(1, "0.0001");
    fmt(INT64_MIN, "-922337203685477.5808");
    /* every value survives parse -> format -> parse */
    for (int64_t v = -100003; v <= 100003; v += 7919) {
        int64_t back = 0;
        wl_money_format(v, out, sizeof out);
        assert_int_equal(wl_money_parse(out, true, &back), WL_OK);
        assert_int_equal(back, v);
    }
    wl_money_format(5, out, 10); /* too small a buffer: nothing, not a cut number */
    assert_string_equal(out, "");
}

static void test_rates_and_conversion(void **state)
{
    int64_t r = 0;
    char out[48];
    wl_i128 big;
    (void)state;
    assert_int_equal(wl_rate_parse("1.2095", &r), WL_OK);
    assert_int_equal(r, 120950000);
    wl_rate_format(r, out, sizeof out);
    assert_string_equal(out, "1.2095");
    assert_int_equal(wl_rate_parse("0.00000001", &r), WL_OK);
    assert_int_equal(r, 1);
    assert_int_equal(wl_rate_parse("0", &r), WL_ERR_INVALID);
    assert_int_equal(wl_rate_parse("-1.2", &r), WL_ERR_INVALID);
    assert_int_equal(wl_rate_parse("1.000000001", &r), WL_ERR_INVALID);
    /* GBP 1,160,000,000 at 1.2095 is EUR 1,403,020,000 exactly */
    wl_decimal_format(wl_money_convert(11600000000000LL, 120950000), WL_CONVERTED_SCALE_DIGITS, out,
                      sizeof out);
    assert_string_equal(out, "1403020000");
    /* -78791.0001 x 0.00000003 keeps every digit */
    wl_decimal_format(wl_money_convert(-787910001LL, 3), WL_CONVERTED_SCALE_DIGITS, out,
                      sizeof out);
    assert_string_equal(out, "-0.002363730003");
    /* the widest amount at the widest rate: no overflow in 128 bits */
    big = wl_money_convert(999999999999999999LL, 999999999999999999LL);
    wl_decimal_format(big, WL_CONVERTED_SCALE_DIGITS, out, sizeof out);
    assert_string_equal(out, "999999999999999998000000.000000000001");
}

static void test_dates(void **state)
{
    bool month = true;
    (void)state;
    assert_int_equal(wl_flow_date_parse("2025-03-02", &month), WL_OK);
    assert_false(month);
    assert_int_equal(wl_flow_date_parse("2025-06", &month), WL_OK);
    assert_true(month);
    assert_int_equal(wl_flow_date_parse("2024-02-29", &month), WL_OK);
    assert_int_equal(wl_flow_date_parse("2025-02-29", &month), WL_ERR_INVALID);
    assert_int_equal(wl_flow_date_parse("2025-13", &month), WL_ERR_INVALID);
    assert_int_equal(wl_flow_date_parse("2025-04-31", &month), WL_ERR_INVALID);
    assert_int_equal(wl_flow_date_parse("2025-3-2", &month), WL_ERR_INVALID);
    assert_int_equal(wl_flow_date_parse("2025-03-02T10:00", &month), WL_ERR_INVALID);
    assert_int_equal(wl_flow_date_parse(NULL, &month), WL_ERR_INVALID);
    /* a month compares by month */
    assert_true(wl_flow_date_before("2025-02", "2025-03-02"));
    assert_false(wl_flow_date_before("2025-03", "2025-03-20"));
    assert_true(wl_flow_date_before("2025-03-01", "2025-03-02"));
    assert_false(wl_flow_date_before("2025-03-02", "2025-03-02"));
    {
        char day[11];
        wl_flow_day(1740873600, day, sizeof day); /* 2025-03-02T00:00:00Z */
        assert_string_equal(day, "2025-03-02");
    }
}

/* The codelist file, read simply: each item's code and its withdrawal date, if any. */
static void test_currency_table_is_the_codelist(void **state)
{
    char path[512], *xml, *p;
    size_t n, items = 0, withdrawn = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/tests/fixtures/iati/Currency.xml", WL_SOURCE_DIR);
    xml = wl_test_slurp(path, &n);
    assert_non_null(xml);
    for (p = xml; (p = strstr(p, "<codelist-item")) != NULL; p++) {
        char *end = strchr(p, '>'), code[4], date[11] = "";
        const char *c = strstr(p, "<code>"), *w = strstr(p, "withdrawal-date=\"");
        const wl_currency *cur;
        if (p[14] == 's') /* <codelist-items> */
            continue;
        assert_non_null(c);
        snprintf(code, sizeof code, "%.3s", c + 6);
        if (w && w < end)
            snprintf(date, sizeof date, "%.10s", w + 17);
        cur = wl_currency_find(code);
        assert_non_null(cur);
        if (date[0]) {
            assert_non_null(cur->withdrawn);
            assert_string_equal(cur->withdrawn, date);
            withdrawn++;
        } else {
            assert_null(cur->withdrawn);
        }
        items++;
    }
    free(xml);
    assert_int_equal(items, 176);
    assert_int_equal(withdrawn, 9);
    /* and nothing more in the table, in code order */
    for (n = 0; wl_currency_at((size_t)n); n++)
        if (n > 0)
            assert_true(
                strcmp(wl_currency_at((size_t)n - 1)->code, wl_currency_at((size_t)n)->code) < 0);
    assert_int_equal(n, 176);
    assert_null(wl_currency_find("gbp"));
    assert_null(wl_currency_find("GBPX"));
    assert_null(wl_currency_find("XYZ"));
    assert_string_equal(wl_currency_find("UAH")->name, "Hryvnia");
    assert_string_equal(wl_currency_find("LTL")->withdrawn, "2018-08-08");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rates_and_conversion),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_currency_table_is_the_codelist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
