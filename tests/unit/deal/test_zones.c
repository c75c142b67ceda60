/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones module on a real SQLite file: the store's zones family (a zone's
 * versions, its current version, wl_store_zone_at: the deal's check that an
 * entry index is a zone version).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../fixture.h"
#include "store/store.h"

typedef struct {
    char dir[32];
    wl_store *s;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    char path[64];
    if (f == NULL || wl_test_tmpdir(f->dir, "wl-zones.") != 0)
        return -1;
    snprintf(path, sizeof path, "%s/z.db", f->dir);
    if (wl_store_open(path, 1, &f->s) != WL_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    wl_store_close(f->s);
    wl_test_rmdir(f->dir);
    free(f);
    return 0;
}

static void put(wl_store *s, uint64_t idx, uint64_t version, const char *id, const char *geometry)
{
    wl_store_zone z;
    memset(&z, 0, sizeof z);
    z.idx = idx;
    z.version = version;
    z.precision_km = 10;
    snprintf(z.id, sizeof z.id, "%s", id);
    snprintf(z.type, sizeof z.type, "buffer");
    z.geometry = geometry;
    z.text = "";
    assert_int_equal(wl_store_zone_put(s, &z), WL_OK);
}

static wl_rc count(void *ctx, const wl_store_zone *z)
{
    uint64_t *last = ctx;
    *last = z->idx;
    return WL_OK;
}

static void test_store_zone_at(void **state)
{
    fx *f = *state;
    wl_error err = {0};
    char *zone = (char *)"x";
    uint64_t last = 0;
    put(f->s, 5, 1, "buffer-north", "{\"type\":\"Polygon\"}");
    put(f->s, 9, 2, "buffer-north", "{\"type\":\"Polygon\",\"v\":2}");
    assert_int_equal(wl_store_zone_at(f->s, 5, &zone, &err), WL_OK);
    assert_string_equal(zone, "buffer-north");
    wl_free(zone);
    assert_int_equal(wl_store_zone_at(f->s, 9, &zone, &err), WL_OK);
    assert_string_equal(zone, "buffer-north");
    wl_free(zone);
    /* an entry that is not a zone version: NULL, not an error */
    assert_int_equal(wl_store_zone_at(f->s, 6, &zone, &err), WL_OK);
    assert_null(zone);
    assert_int_equal(wl_store_zone_at(f->s, UINT64_MAX, &zone, &err), WL_OK);
    assert_null(zone);
    /* the current version is the latest; the versions come oldest first */
    assert_int_equal(wl_store_zones_current(f->s, "buffer-north", count, &last), WL_OK);
    assert_int_equal(last, 9);
    assert_int_equal(wl_store_zones_current(f->s, "nowhere", count, &last), WL_ERR_NOT_FOUND);
    last = 0;
    assert_int_equal(wl_store_zone_versions(f->s, "buffer-north", count, &last), WL_OK);
    assert_int_equal(last, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_zone_at, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
