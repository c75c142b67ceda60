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
#include <math.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/crypto.h"
#include "willing/module.h"
#include "willing/zones.h"

typedef wl_test_fx fx;

static int setup(void **state)
{
    return wl_test_fx_setup(state, "wl-zones.");
}

static int teardown(void **state)
{
    return wl_test_fx_teardown(state);
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
    rc = wl_test_apply(s, k, &p, index, &err);
    json_decref(p.e.body_json);
    *code = err.code ? err.code : "";
    return rc;
}

#define LINE "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36,50],[37,48]]}"
#define AREA                                                                                       \
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[36,50],[37,50],[37,49],[36,50]]]}"
/* a site's public part: its coarse point and the commitment to its sealed geometry */
#define SEALED "\"sealed\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\""
#define SITE "\"point\":[36.6667,49.6667]," SEALED

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
        zone_set(f->s, 12, "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\"," SITE "}",
                 &code),
        WL_ERR_INVALID);
    assert_int_equal(
        zone_set(
            f->s, 12,
            "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\",\"precision_km\":101," SITE
            "}",
            &code),
        WL_ERR_INVALID);
    assert_int_equal(
        zone_set(
            f->s, 12,
            "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"nuclear\",\"precision_km\":20," SITE
            "}",
            &code),
        WL_OK);
    /* a new version keeps the type; versions count up */
    assert_int_equal(zone_set(f->s, 13, "{\"zone\":\"s\",\"type\":\"buffer\"," AREA "}", &code),
                     WL_ERR_CONFLICT);
    assert_string_equal(code, "zone_type_changed");
    assert_int_equal(
        zone_set(f->s, 14,
                 "{\"zone\":\"s\",\"type\":\"site\",\"category\":\"water\",\"precision_km\":5," SITE
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

/* The message of err for body as zone.set's validate sees it: WL_ERR_INVALID, naming field. */
static void refused_naming(const char *kind, const char *body, const char *field)
{
    wl_error err = {0};
    wl_entry e;
    memset(&e, 0, sizeof e);
    e.body_json = json_loads(body, 0, NULL);
    assert_non_null(e.body_json);
    assert_int_equal(wl_kind_find(kind)->validate(&e, &err), WL_ERR_INVALID);
    if (strstr(err.msg, field) == NULL)
        fail_msg("%s: '%s' does not name %s", kind, err.msg, field);
    json_decref(e.body_json);
}

#define PLANT "{\"type\":\"Point\",\"coordinates\":[34.2,47.2]}"

/*
 * A protected site's exact geometry is never in its public entry: zone.set
 * of a site refuses a geometry and wants the coarse point and the
 * commitment; zone.site (sealed) carries the geometry, checked by GEOS; the
 * pairing rule holds the point to the cell centre of the sealed geometry.
 */
static void test_site_sealed(void **state)
{
    const char *base = "{\"zone\":\"p\",\"type\":\"site\",\"category\":\"energy\","
                       "\"precision_km\":10,";
    char body[512];
    uint8_t c[32];
    char cb[45];
    double ll[2];
    wl_error err = {0};
    wl_entry e, content;
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    snprintf(body, sizeof body, "%s\"geometry\":" PLANT "}", base);
    refused_naming("zone.set", body, "geometry");
    snprintf(body, sizeof body, "%s\"point\":[34.23456,47.2]," SEALED "}", base);
    refused_naming("zone.set", body, "point");
    snprintf(body, sizeof body, "%s\"point\":[34.2345,47.2],\"sealed\":\"AAAA\"}", base);
    refused_naming("zone.set", body, "sealed");
    refused_naming("zone.set", "{\"zone\":\"b\",\"type\":\"buffer\"," AREA "," SEALED "}",
                   "sealed");
    refused_naming("zone.site",
                   "{\"zone\":\"p\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[30,50],"
                   "[31,51],[31,50],[30,51],[30,50]]]}}",
                   "Self-intersection");
    refused_naming("zone.site", "{\"zone\":\"p\",\"geometry\":" PLANT ",\"x\":1}", "x");
    /* sealed on its own, through POST /api/v1/sealed: refused */
    assert_int_equal(wl_kind_find("zone.site")->seal_check(NULL, NULL, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "sealed_with_entry");

    /* the pair: the point the cell centre, the commitment the content's, one author and zone */
    json_t *g = json_loads(PLANT, 0, NULL);
    assert_int_equal(wl_zone_site_coarse(g, 10, ll, &err), WL_OK);
    json_decref(g);
    assert_true(fabs(ll[0] - 34.2) < 0.1 && fabs(ll[1] - 47.2) < 0.1);
    assert_true(ll[0] != 34.2 || ll[1] != 47.2);
    memset(c, 7, sizeof c);
    wl_b64_encode(c, 32, cb);
    memset(&e, 0, sizeof e);
    memset(&content, 0, sizeof content);
    snprintf(e.kind, sizeof e.kind, "zone.set");
    snprintf(e.author, sizeof e.author, "coord");
    snprintf(content.kind, sizeof content.kind, "zone.site");
    snprintf(content.author, sizeof content.author, "coord");
    content.body_json = json_loads("{\"zone\":\"p\",\"geometry\":" PLANT "}", 0, NULL);
    snprintf(body, sizeof body, "%s\"point\":[%.4f,%.4f],\"sealed\":\"%s\"}", base, ll[0], ll[1],
             cb);
    e.body_json = json_loads(body, 0, NULL);
    assert_int_equal(wl_zone_site_pair(&e, &content, c, &err), WL_OK);
    c[0] ^= 1; /* another content */
    assert_int_equal(wl_zone_site_pair(&e, &content, c, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "sealed"));
    c[0] ^= 1;
    json_decref(e.body_json);
    snprintf(body, sizeof body, "%s\"point\":[%.4f,%.4f],\"sealed\":\"%s\"}", base, ll[0] + 0.0001,
             ll[1], cb);
    e.body_json = json_loads(body, 0, NULL);
    assert_int_equal(wl_zone_site_pair(&e, &content, c, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "point"));
    json_decref(e.body_json);
    snprintf(body, sizeof body, "%s\"point\":[%.4f,%.4f],\"sealed\":\"%s\"}", base, ll[0], ll[1],
             cb);
    e.body_json = json_loads(body, 0, NULL);
    snprintf(content.author, sizeof content.author, "other");
    assert_int_equal(wl_zone_site_pair(&e, &content, c, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "not_your_content");
    json_decref(e.body_json);
    json_decref(content.body_json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_zone_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind, setup, teardown),
        cmocka_unit_test(test_site_sealed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
