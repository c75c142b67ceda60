/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Civil dates and Ukraine's civil time (include/willing/wl.h): day numbers
 * both ways over four centuries, dates refused when they are not dates, and
 * the Kyiv offset either side of each change, against the instants tzdata's
 * Europe/Kyiv gives (Python's zoneinfo on Debian 12, 2024 and 2025).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "willing/wl.h"

static void days_both_ways(void **state)
{
    char s[11];
    (void)state;
    assert_int_equal(wl_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(wl_date_days("2025-03-02", false), 20149);
    assert_int_equal(wl_date_days("2000-02-29", false), 11016);
    assert_int_equal(wl_date_days("2025-03", true), wl_date_days("2025-03-01", false));
    for (int64_t d = -150000; d < 150000; d += 7) { /* 1559 to 2380 */
        int64_t y;
        unsigned m, dd;
        wl_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(wl_days_from_civil(y, m, dd), d);
        wl_days_date(d, s);
        assert_int_equal(wl_date_days(s, false), d);
    }
    wl_days_date(20149, s);
    assert_string_equal(s, "2025-03-02");
}

static void not_dates_refused(void **state)
{
    static const char *const bad[] = {"2025-02-29", "2024-02-30",  "2025-04-31", "2025-13-01",
                                      "2025-00-10", "2025-01-00",  "0000-01-01", "2025-1-01",
                                      "2025/01/01", "2025-01-01T", "",           "2025-03"};
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wl_date_days(bad[i], false), -1);
    assert_int_equal(wl_date_days(NULL, true), -1);
    assert_int_equal(wl_date_days("2025-3", true), -1);
    assert_int_not_equal(wl_date_days("2024-02-29", false), -1);
}

static void kyiv_offset(void **state)
{
    /* the last second before and the first after each change, as tzdata has them */
    static const struct {
        int64_t t;
        int32_t off;
    } v[] = {{1743296399, 7200}, {1743296400, 10800}, {1761440399, 10800}, {1761440400, 7200},
             {1711846799, 7200}, {1711846800, 10800}, {1729990799, 10800}, {1729990800, 7200},
             {1735689600, 7200}, {1719792000, 10800}};
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(wl_kyiv_offset(v[i].t), v[i].off);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_both_ways),
        cmocka_unit_test(not_dates_refused),
        cmocka_unit_test(kyiv_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
