/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compliance per zone and day (include/willing/compliance.h) on a real SQLite
 * file: a buffer zone and reports put straight into the store, the counts of
 * two days' periods by hand, the boundary rule on both sides of an edge, a
 * named oblast never in a zone, the CSV; then each allocation of a session
 * (the counts, the CSV, the alerts) failed in turn: an error or the same
 * answer, no leak under ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/compliance.h"

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    wl_zone_index *ix;
} fixture;

static int64_t at(const char *iso)
{
    char day[11];
    snprintf(day, sizeof day, "%.10s", iso);
    return wl_date_days(day, false) * 86400 + atoi(iso + 11) * 3600 + atoi(iso + 14) * 60;
}

static void report(fixture *f, uint64_t idx, const char *iso, double lon, double lat,
                   uint64_t radius, const char *type, uint64_t count, const char *body)
{
    wl_store_report r;
    memset(&r, 0, sizeof r);
    r.idx = idx;
    r.observed = at(iso);
    r.precision_s = 600;
    r.signed_at = r.observed;
    r.logged = r.observed;
    snprintf(r.author, sizeof r.author, "mon");
    snprintf(r.day, sizeof r.day, "%.10s", iso);
    snprintf(r.type, sizeof r.type, "%s", type);
    r.has_point = radius > 0;
    r.lon = lon;
    r.lat = lat;
    r.radius_m = radius;
    if (!r.has_point)
        snprintf(r.oblast, sizeof r.oblast, "zaporizhzhia");
    r.settlement = "";
    r.count = count;
    r.body = body;
    assert_int_equal(wl_store_report_put(f->s, &r), WL_OK);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    wl_store_zone z;
    wl_error err;
    assert_int_equal(wl_test_store_open(f->dir, f->path, "wlcompl", &f->s), WL_OK);
    memset(&z, 0, sizeof z);
    z.idx = 1;
    z.version = 1;
    z.precision_km = 10;
    snprintf(z.id, sizeof z.id, "bz");
    snprintf(z.type, sizeof z.type, "buffer");
    z.geometry = "{\"type\":\"Polygon\",\"coordinates\":[[[37.6,47.9],[38.0,47.9],[38.0,48.2],"
                 "[37.6,48.2],[37.6,47.9]]]}";
    z.text = "";
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    assert_int_equal(wl_store_zone_put(f->s, &z), WL_OK);
    /* the period of 2026-03-29 is [03-28 17:30Z, 03-29 16:30Z) */
    report(f, 2, "2026-03-29T08:00:00Z", 37.80, 48.02, 500, "explosion", 5, "{}");
    report(f, 3, "2026-03-29T09:00:00Z", 37.75, 48.05, 500, "weapon_in_violation", 1,
           "{\"weapon\":{\"type\":\"tank\",\"count\":3}}");
    report(f, 4, "2026-03-29T10:00:00Z", 37.995, 48.05, 1000, "explosion", 2, "{}");
    report(f, 5, "2026-03-29T10:10:00Z", 38.005, 48.05, 1000, "projectile", 4, "{}");
    report(f, 6, "2026-03-29T11:00:00Z", 0, 0, 0, "restriction", 1, "{\"restriction\":\"denial\"}");
    report(f, 7, "2026-03-28T17:20:00Z", 37.80, 48.02, 500, "projectile", 1, "{}");
    report(f, 8, "2026-03-29T16:45:00Z", 37.80, 48.02, 500, "explosion", 7, "{}");
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    assert_int_equal(wl_zone_index_build(f->s, &f->ix, &err), WL_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wl_zone_index_free(f->ix);
    wl_store_close(f->s);
    wl_test_rmdir(f->dir);
    free(f);
    return 0;
}

static json_int_t num(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void test_counts(void **state)
{
    fixture *f = *state;
    json_t *c = NULL, *z, *nb, *tr;
    wl_error err;
    char *csv = NULL;
    size_t len;
    assert_int_equal(wl_compliance_build(f->s, "2026-03-29", 2, true, NULL, f->ix, &c, &err),
                     WL_OK);
    assert_int_equal(num(c, "reports"), 5);
    z = json_array_get(json_object_get(c, "zones"), 0);
    assert_string_equal(json_string_value(json_object_get(z, "zone")), "bz");
    /* 2, 3 and 4 inside (4 372 m from the east edge); 5 outside, 372 m beyond it */
    assert_int_equal(num(z, "reports"), 3);
    assert_int_equal(num(z, "violations"), 7);
    assert_int_equal(num(json_object_get(z, "by_type"), "explosion"), 7);
    assert_int_equal(num(json_object_get(z, "weapons"), "tank"), 3);
    nb = json_object_get(z, "near_boundary");
    assert_int_equal(json_array_size(nb), 2);
    assert_int_equal(num(json_array_get(nb, 0), "index"), 4);
    assert_true(json_is_true(json_object_get(json_array_get(nb, 0), "counted")));
    assert_int_equal(num(json_array_get(nb, 1), "index"), 5);
    assert_true(json_is_false(json_object_get(json_array_get(nb, 1), "counted")));
    assert_int_equal(num(json_object_get(json_object_get(c, "outside"), "by_type"), "projectile"),
                     4);
    /* the named oblast: counted there, in no zone; its restriction by oblast */
    assert_int_equal(num(json_array_get(json_object_get(c, "oblasts"), 0), "reports"), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(c, "restrictions"), 0), "by")),
                        "oblast");
    /* the day before holds 7 only; 8 is the 30th's */
    tr = json_object_get(c, "trend");
    assert_int_equal(json_array_size(tr), 2);
    assert_int_equal(num(json_array_get(tr, 0), "reports"), 1);
    assert_int_equal(wl_compliance_csv(c, &csv, &len, &err), WL_OK);
    assert_non_null(strstr(csv, "2026-03-28,zone,bz,buffer,projectile,1,\r\n"));
    assert_non_null(strstr(csv, "2026-03-29,zone,bz,buffer,weapon:tank,3,\r\n"));
    assert_non_null(strstr(csv, "2026-03-29,oblast,zaporizhzhia,,restriction,1,\r\n"));
    wl_free(csv);
    json_decref(c);
    /* scope deal with no deal in force: no zone, bz's 3 reports outside with the 1 already there */
    assert_int_equal(wl_compliance_build(f->s, "2026-03-29", 2, false, NULL, f->ix, &c, &err),
                     WL_OK);
    assert_int_equal(json_array_size(json_object_get(c, "zones")), 0);
    assert_int_equal(json_array_size(json_object_get(c, "deals_in_force")), 0);
    assert_string_equal(json_string_value(json_object_get(c, "scope")), "deal");
    assert_int_equal(num(json_object_get(c, "outside"), "reports"), 4);
    json_decref(c);
    assert_int_equal(wl_compliance_build(f->s, "2026-02-30", 2, true, NULL, f->ix, &c, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_day");
    assert_int_equal(wl_compliance_build(f->s, "2026-03-29", 91, true, NULL, f->ix, &c, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_query");
    assert_null(c);
}

static wl_rc session(void *ctx, json_t **out)
{
    fixture *f = ctx;
    json_t *c = NULL, *a = NULL;
    wl_error err;
    char *csv = NULL;
    size_t len = 0;
    wl_rc rc = wl_compliance_build(f->s, "2026-03-29", 3, true, NULL, f->ix, &c, &err);
    *out = NULL;
    if (rc == WL_OK)
        rc = wl_compliance_csv(c, &csv, &len, &err);
    if (rc == WL_OK)
        rc = wl_compliance_alerts(f->s, "2026-03-29", true, NULL, f->ix, &a, &err);
    if (rc == WL_OK &&
        (*out = json_pack("{s:O, s:O, s:s%}", "c", c, "a", a, "csv", csv, len)) == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(c);
    json_decref(a);
    wl_free(csv);
    return rc;
}

static void test_alloc_faults(void **state)
{
    unsigned long bad, n = wl_test_alloc_faults(session, *state, &bad);
    if (bad)
        fail_msg("allocation %lu failed, yet the answer was WL_OK and not the same", bad);
    assert_true(n > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
