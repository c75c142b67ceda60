/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV cells (include/willing/csv.h): quoting as RFC 4180 says, and cells a
 * spreadsheet would take for formulas written with a leading single quote,
 * while plain numbers stay numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "willing/csv.h"

static void expect_row(const char *const *cells, size_t n, int flags, const char *want)
{
    wl_buf b = {0};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(wl_csv_cell(&b, cells[i], flags | (i + 1 == n ? WL_CSV_LAST : 0), 1024),
                         WL_OK);
    assert_string_equal(b.buf, want);
    wl_buf_free(&b);
}

static void formulas_neutralised(void **state)
{
    static const char *const cells[] = {"=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"};
    (void)state;
    expect_row(cells, 6, 0, "\"'=1+2\",\"'+1\",\"'-2+3\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\"\r\n");
    for (size_t i = 0; i < 6; i++)
        assert_true(wl_csv_is_formula(cells[i]));
}

static void numbers_and_text_kept(void **state)
{
    static const char *const cells[] = {"-12", "4.5", "-0.25", "plain", "", NULL, "a-b"};
    (void)state;
    expect_row(cells, 7, 0, "-12,4.5,-0.25,plain,,,a-b\r\n");
    expect_row(cells, 7, WL_CSV_QUOTE, "\"-12\",\"4.5\",\"-0.25\",\"plain\",\"\",\"\",\"a-b\"\r\n");
    assert_true(wl_csv_is_formula("-")); /* not a number: neutralised */
    assert_true(wl_csv_is_formula("-."));
}

static void quotes_doubled_and_quoted_when_needed(void **state)
{
    static const char *const cells[] = {"=HYPERLINK(\"x\")", "a,b", "say \"hi\"", "two\nlines"};
    (void)state;
    expect_row(cells, 4, 0,
               "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

static void ceiling_kept(void **state)
{
    wl_buf b = {0};
    (void)state;
    assert_int_equal(wl_csv_cell(&b, "0123456789", 0, 8), WL_ERR_TOO_LARGE);
    wl_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formulas_neutralised),
        cmocka_unit_test(numbers_and_text_kept),
        cmocka_unit_test(quotes_doubled_and_quoted_when_needed),
        cmocka_unit_test(ceiling_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
