/* SPDX-License-Identifier: Apache-2.0 */
/* C2SP tlog-tiles path encoding and the geometry of the spec's examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "willing/tile.h"

static void check_path(int level, uint64_t idx, unsigned w, const char *want)
{
    wl_tile t = {level, idx, w}, back;
    char buf[128];
    size_t n = wl_tile_path(&t, buf, sizeof buf);
    assert_int_equal(n, strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(wl_tile_parse(buf, n, &back), WL_OK);
    assert_int_equal(back.level, level);
    assert_int_equal(back.index, idx);
    assert_int_equal(back.width, w);
}

static void test_paths(void **state)
{
    (void)state;
    check_path(0, 1234067, 256, "tile/0/x001/x234/067");
    check_path(0, 0, 256, "tile/0/000");
    check_path(2, 1, 1, "tile/2/001.p/1");
    check_path(1, 999, 17, "tile/1/999.p/17");
    check_path(1, 1000, 256, "tile/1/x001/000");
    check_path(WL_TILE_LEVEL_ENTRIES, 273, 112, "tile/entries/273.p/112");
}

static void test_bad_paths(void **state)
{
    static const char *bad[] = {
        "tile/0/1",      "tile/0/0001",      "tile/0/x000/001",  "tile/00/000",
        "tile/64/000",   "tile/0/000.p/0",   "tile/0/000.p/256", "tile/0/000.p/01",
        "tile/0/x001",   "tile/0/001/002",   "tile/-1/000",      "tile/data/000",
        "tile/0/000.p/", "tile/entries/00a", "tile/0/x1/000",    "tiles/0/000",
    };
    wl_tile t;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (wl_tile_parse(bad[i], strlen(bad[i]), &t) == WL_OK)
            fail_msg("accepted %s", bad[i]);
}

static void test_geometry_70000(void **state)
{
    (void)state;
    /* the spec: 273 full level-0 tiles, 0.p/112, one full level-1 tile, 1.p/17, 2.p/1 */
    assert_int_equal(wl_tile_full_count(70000, 0), 273);
    assert_int_equal(wl_tile_partial_width(70000, 0), 112);
    assert_int_equal(wl_tile_full_count(70000, 1), 1);
    assert_int_equal(wl_tile_partial_width(70000, 1), 17);
    assert_int_equal(wl_tile_full_count(70000, 2), 0);
    assert_int_equal(wl_tile_partial_width(70000, 2), 1);
    assert_int_equal(wl_tile_partial_width(70000, 3), 0);
    /* size 256: one full level-0 tile and a level-1 partial of width 1 */
    assert_int_equal(wl_tile_full_count(256, 0), 1);
    assert_int_equal(wl_tile_partial_width(256, 0), 0);
    assert_int_equal(wl_tile_partial_width(256, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_geometry_70000),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
