/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones' geometry (lib/deal/geo.c): every check of a GeoJSON geometry
 * with its code and where; the projection against the WGS 84 ellipsoid's own
 * distances (Vincenty's inverse, written here independently) over Ukraine;
 * the coarse point the public sees of a site.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "deal/geo.h"

static const unsigned all = WL_GEO_ANY;

/* wl_geo_read of text: the code of its refusal ("" when accepted) and the message. */
static const char *read_code(const char *text, unsigned allowed, char *msg, size_t cap)
{
    static char code[64];
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    wl_error err = {0};
    GEOSGeometry *g = NULL;
    wl_geo ctx;
    assert_non_null(j);
    assert_int_equal(wl_geo_open(&ctx, &err), WL_OK);
    if (wl_geo_read(&ctx, j, allowed, &g, &err) == WL_OK) {
        assert_non_null(g);
        code[0] = '\0';
        GEOSGeom_destroy_r(ctx.h, g);
    } else {
        assert_null(g);
        snprintf(code, sizeof code, "%s", err.code);
    }
    snprintf(msg, cap, "%s", err.msg);
    wl_geo_close(&ctx);
    json_decref(j);
    return code;
}

static void refused(const char *text, unsigned allowed, const char *code, const char *where)
{
    char msg[256];
    assert_string_equal(read_code(text, allowed, msg, sizeof msg), code);
    if (where && strstr(msg, where) == NULL)
        fail_msg("'%s' not in '%s'", where, msg);
}

/*
 * Each geometry, the types allowed (0: any), the code of its refusal ("": accepted) and where:
 * an altitude is accepted; two valid parts that overlap make an invalid MultiPolygon.
 */
static const struct {
    const char *text;
    unsigned allowed;
    const char *code, *where;
} cases[] = {
    {"{\"type\":\"Polygon\",\"coordinates\":[[[30,50],[31,50],[31,51],[30,50]]]}", 0, "", NULL},
    {"{\"type\":\"Point\",\"coordinates\":[30,50,120.5]}", 0, "", NULL},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[30,50],[31,50],[31,51],[30,50.5]]]}", 0,
     "unclosed_ring", "geometry.coordinates[0][3]"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[30,50],[31,50],[30,50]]]}", 0, "unclosed_ring",
     "geometry.coordinates[0]:"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[30,50],[31,51],[31,50],[30,51],[30,50]]]}", 0,
     "invalid_geometry", "Self-intersection"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[30,50],[31,50],[31,51],[30,50]]],"
     "[[[30,50],[31,50],[31,51],[30,50]]]]}",
     0, "invalid_geometry", "geometry.coordinates:"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[30,50],[31,50],[31,51],[30,50]]],"
     "[[[32,50],[33,51],[33,50],[32,51],[32,50]]]]}",
     0, "invalid_geometry", "geometry.coordinates[1]:"},
    {"{\"type\":\"Point\",\"coordinates\":[180.5,50]}", 0, "out_of_range", "geometry.coordinates:"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50],[30,-91]]}", 0, "out_of_range",
     "geometry.coordinates[1]"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50],[30]]}", 0, "bad_position",
     "geometry.coordinates[1]"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50],[30,51,1,2]]}", 0, "bad_position",
     "geometry.coordinates[1]"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50],[30,null]]}", 0, "bad_position",
     "geometry.coordinates[1]"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50]]}", 0, "invalid_geometry", "2 or more"},
    {"{\"type\":\"LineString\",\"coordinates\":[[30,50],[30,50]]}", 0, "invalid_geometry",
     "geometry.coordinates"},
    {"{\"type\":\"GeometryCollection\",\"geometries\":[]}", 0, "geometry_type",
     "GeometryCollection"},
    {"{\"type\":\"Point\",\"coordinates\":[30,50]}", WL_GEO_POLYGON, "geometry_type",
     "Point is not allowed"},
    {"{\"type\":\"Point\",\"coordinates\":[30,50],\"crs\":{}}", 0, "invalid_geometry", "'crs'"},
    {"{\"type\":\"Point\"}", 0, "invalid_geometry", "required"},
};

static void test_checks(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(cases[i].text, cases[i].allowed ? cases[i].allowed : all, cases[i].code,
                cases[i].where);
}

static void test_vertex_ceiling(void **state)
{
    char msg[256];
    wl_buf b = {0};
    (void)state;
    for (unsigned n = WL_ZONE_VERTICES_MAX; n <= WL_ZONE_VERTICES_MAX + 1; n++) {
        char pos[48];
        b.len = 0;
        assert_int_equal(
            wl_buf_append(&b, "{\"type\":\"LineString\",\"coordinates\":[", 36, 1u << 20), WL_OK);
        for (unsigned i = 0; i < n; i++) {
            int k = snprintf(pos, sizeof pos, "%s[%u.%04u,50]", i ? "," : "", 30 + i / 10000,
                             i % 10000);
            assert_int_equal(wl_buf_append(&b, pos, (size_t)k, 1u << 20), WL_OK);
        }
        assert_int_equal(wl_buf_append(&b, "]}", 3, 1u << 20), WL_OK); /* with the NUL */
        assert_string_equal(read_code(b.buf, all, msg, sizeof msg),
                            n == WL_ZONE_VERTICES_MAX ? "" : "too_many_vertices");
    }
    wl_buf_free(&b);
}

/* The WGS 84 ellipsoid's distance in km (Vincenty's inverse formula). */
static double vincenty_km(double lon1, double lat1, double lon2, double lat2)
{
    const double a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f), rad = M_PI / 180;
    double L = (lon2 - lon1) * rad, U1 = atan((1 - f) * tan(lat1 * rad));
    double U2 = atan((1 - f) * tan(lat2 * rad)), lam = L, prev, sS, cS, sig, sA, c2A, c2m, C, u2;
    double A, B, dS;
    int i = 0;
    do {
        double sl = sin(lam), cl = cos(lam);
        sS = sqrt(pow(cos(U2) * sl, 2) + pow(cos(U1) * sin(U2) - sin(U1) * cos(U2) * cl, 2));
        cS = sin(U1) * sin(U2) + cos(U1) * cos(U2) * cl;
        sig = atan2(sS, cS);
        sA = cos(U1) * cos(U2) * sl / sS;
        c2A = 1 - sA * sA;
        c2m = cS - 2 * sin(U1) * sin(U2) / c2A;
        C = f / 16 * c2A * (4 + f * (4 - 3 * c2A));
        prev = lam;
        lam = L + (1 - C) * f * sA * (sig + C * sS * (c2m + C * cS * (-1 + 2 * c2m * c2m)));
    } while (fabs(lam - prev) > 1e-12 && ++i < 200);
    u2 = c2A * (a * a - b * b) / (b * b);
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    dS = B * sS *
         (c2m + B / 4 *
                    (cS * (-1 + 2 * c2m * c2m) -
                     B / 6 * c2m * (-3 + 4 * sS * sS) * (-3 + 4 * c2m * c2m)));
    return b * A * (sig - dS) / 1000;
}

/* Over Ukraine (22-40.5 E, 44.3-52.4 N): distances in the projection against the ellipsoid's. */
static void test_projection(void **state)
{
    double worst = 0, worst_local = 0;
    (void)state;
    for (double lon1 = 22.0; lon1 <= 40.5; lon1 += 1.5)
        for (double lat1 = 44.5; lat1 <= 52.4; lat1 += 1.0)
            for (double dl = -3; dl <= 3; dl += 1.5)
                for (double dp = -2; dp <= 2; dp += 1) {
                    double lon2 = lon1 + dl, lat2 = lat1 + dp, x1, y1, x2, y2, lo, la, e, g;
                    if ((dl == 0 && dp == 0) || lon2 < 22 || lon2 > 40.5 || lat2 < 44.3 ||
                        lat2 > 52.4)
                        continue;
                    wl_geo_forward(lon1, lat1, &x1, &y1);
                    wl_geo_forward(lon2, lat2, &x2, &y2);
                    g = vincenty_km(lon1, lat1, lon2, lat2);
                    e = fabs(hypot(x2 - x1, y2 - y1) - g) / g;
                    worst = fmax(worst, e);
                    if (g < 200)
                        worst_local = fmax(worst_local, e);
                    wl_geo_inverse(x1, y1, &lo, &la);
                    assert_true(fabs(lo - lon1) < 1e-9 && fabs(la - lat1) < 1e-9);
                }
    /* the figure docs/internals/deal.md gives */
    print_message("projection: worst relative distance error over Ukraine %.3f%% "
                  "(pairs under 200 km: %.3f%%)\n",
                  worst * 100, worst_local * 100);
    assert_true(worst < 0.004);
}

static void test_coarse(void **state)
{
    wl_geo g;
    wl_error err = {0};
    double xy[2], a[2], b[2], x, y;
    GEOSGeometry *p, *q;
    (void)state;
    assert_int_equal(wl_geo_open(&g, &err), WL_OK);
    /* two places a few hundred metres apart in one 10 km cell: the same public point */
    wl_geo_forward(34.2, 47.2, &x, &y);
    p = GEOSGeom_createPointFromXY_r(g.h, x, y);
    q = GEOSGeom_createPointFromXY_r(g.h, x + 0.3, y - 0.2);
    assert_int_equal(wl_geo_coarse(&g, p, 10, xy, a, &err), WL_OK);
    assert_true(fabs(xy[0] - x) <= 5 && fabs(xy[1] - y) <= 5);
    assert_true(fmod(fabs(xy[0]) - 5, 10) < 1e-9 || fmod(fabs(xy[0]) - 5, 10) > 10 - 1e-9);
    assert_int_equal(wl_geo_coarse(&g, q, 10, xy, b, &err), WL_OK);
    if (floor(x / 10) == floor((x + 0.3) / 10) && floor(y / 10) == floor((y - 0.2) / 10))
        assert_true(a[0] == b[0] && a[1] == b[1]);
    assert_false(a[0] == 34.2 && a[1] == 47.2);
    GEOSGeom_destroy_r(g.h, p);
    GEOSGeom_destroy_r(g.h, q);
    wl_geo_close(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_vertex_ceiling),
        cmocka_unit_test(test_projection),
        cmocka_unit_test(test_coarse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
