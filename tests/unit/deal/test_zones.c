/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones module on a real SQLite file: the store's zones family (a zone's
 * versions, its current version, wl_store_zone_at: the deal's check that an
 * entry index is a zone version), and zone.set's rules run as the ledger runs
 * them (validate, then apply in a savepoint: a refusal leaves nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/module.h"
#include "willing/zones.h"

typedef struct {
    char dir[32];
    wl_store *s;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    char path[64];
    if (f == NULL || wl_test_store_open(f->dir, path, "wl-zones.", &f->s) != WL_OK)
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

/* zone.set with body by the coordinator at index: its rc, err's code in code. */
static wl_rc zone_set(wl_store *s, uint64_t index, const char *body, const char **code)
{
    const wl_kind *k = wl_kind_find("zone.set");
    static wl_error err;
    wl_pending p;
    wl_rc rc;
    assert_non_null(k);
    memset(&p, 0, sizeof p);
    memset(&err, 0, sizeof err);
    p.e.body_json = json_loads(body, 0, NULL);
    assert_non_null(p.e.body_json);
    assert_int_equal(wl_store_savepoint(s), WL_OK);
    rc = k->validate(&p.e, &err);
    if (rc == WL_OK)
        rc = k->apply(s, &p, index, &err);
    if (rc == WL_OK)
        assert_int_equal(wl_store_release(s), WL_OK);
    else
        wl_store_rollback_to(s);
    json_decref(p.e.body_json);
    *code = err.code ? err.code : "";
    return rc;
}

#define LINE "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36,50],[37,48]]}"
#define AREA                                                                                       \
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[36,50],[37,50],[37,49],[36,50]]]}"

static void test_kind(void **state)
{
    fx *f = *state;
    const char *code;
    char *zone = NULL;
    uint64_t last = 0;
    assert_int_equal(wl_modules_register(), WL_OK);
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "ua", "host", 0), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "hidden", "party", 1), WL_OK);
    assert_int_equal(
        zone_set(f->s, 10, "{\"zone\":\"cl\",\"type\":\"contact_line\"," LINE "}", &code), WL_OK);
    /* a withdrawal line: its side a public member, measured from a line */
    assert_int_equal(zone_set(f->s, 11,
                              "{\"zone\":\"w\",\"type\":\"withdrawal_line\",\"side\":\"hidden\","
                              "\"measured_from\":\"cl\"," LINE "}",
                              &code),
                     WL_ERR_CONFLICT);
    assert_string_equal(code, "unknown_member");
    assert_int_equal(zone_set(f->s, 11,
                              "{\"zone\":\"w\",\"type\":\"withdrawal_line\",\"side\":\"ua\","
                              "\"measured_from\":\"nowhere\"," LINE "}",
                              &code),
                     WL_ERR_CONFLICT);
    assert_string_equal(code, "unknown_zone");
    assert_int_equal(zone_set(f->s, 11,
                              "{\"zone\":\"w\",\"type\":\"withdrawal_line\",\"side\":\"ua\","
                              "\"measured_from\":\"w\"," LINE "}",
                              &code),
                     WL_ERR_INVALID);
    assert_int_equal(zone_set(f->s, 11,
                              "{\"zone\":\"w\",\"type\":\"withdrawal_line\",\"side\":\"ua\","
                              "\"measured_from\":\"cl\"," LINE "}",
                              &code),
                     WL_OK);
    /* fields of another type, a site without its category or precision */
    assert_int_equal(
        zone_set(f->s, 12, "{\"zone\":\"b\",\"type\":\"buffer\",\"side\":\"ua\"," AREA "}", &code),
        WL_ERR_INVALID);
    assert_int_equal(
        zone_set(f->s, 12, "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\"," AREA "}",
                 &code),
        WL_ERR_INVALID);
    assert_int_equal(
        zone_set(
            f->s, 12,
            "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\",\"precision_km\":101," AREA
            "}",
            &code),
        WL_ERR_INVALID);
    assert_int_equal(
        zone_set(
            f->s, 12,
            "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\",\"precision_km\":20," AREA
            "}",
            &code),
        WL_OK);
    /* a new version keeps the type; versions count up */
    assert_int_equal(zone_set(f->s, 13, "{\"zone\":\"s\",\"type\":\"buffer\"," AREA "}", &code),
                     WL_ERR_CONFLICT);
    assert_string_equal(code, "zone_type_changed");
    assert_int_equal(
        zone_set(f->s, 14,
                 "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"water\",\"precision_km\":5," AREA
                 "}",
                 &code),
        WL_OK);
    assert_int_equal(wl_store_zones_current(f->s, "s", count, &last), WL_OK);
    assert_int_equal(last, 14);
    /* refused entries left nothing: 13 and 11's refusals are no zone versions */
    assert_int_equal(wl_store_zone_at(f->s, 13, &zone, NULL), WL_OK);
    assert_null(zone);
    assert_int_equal(wl_store_zone_at(f->s, 12, &zone, NULL), WL_OK);
    assert_string_equal(zone, "s");
    wl_free(zone);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_zone_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
