/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The region of a point (include/willing/regions.h) over the oblast
 * boundaries the repository carries (data/geo): cities in their oblasts, the
 * two cities of their own, the sea in none; a map that is not one refused,
 * naming the feature at fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "willing/regions.h"

static void cities_in_their_oblasts(void **state)
{
    static const struct {
        double lon, lat;
        const char *name;
    } v[] = {
        {30.5234, 50.4501, "Місто Київ"},         {30.2300, 50.4000, "Київська область"},
        {24.0297, 49.8397, "Львівська область"},  {37.8028, 48.0159, "Донецька область"},
        {36.2304, 49.9935, "Харківська область"}, {35.1396, 47.8388, "Запорізька область"},
        {33.5224, 44.6166, "Місто Севастополь"},  {34.1024, 44.9521, "Автономна Республіка Крим"},
        {32.6169, 46.6354, "Херсонська область"},
    };
    size_t len = 0;
    char *text = wl_test_slurp(WL_SOURCE_DIR "/data/geo/ukraine-oblasts.geojson", &len);
    wl_regions *r = NULL;
    wl_error err;
    (void)state;
    assert_non_null(text);
    assert_int_equal(wl_regions_build(text, len, "ADMIN_1", &r, &err), WL_OK);
    assert_int_equal(wl_regions_count(r), 27);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const char *got = wl_regions_find(r, v[i].lon, v[i].lat);
        assert_non_null(got);
        assert_string_equal(got, v[i].name);
    }
    assert_null(wl_regions_find(r, 31.0, 44.0));   /* the Black Sea */
    assert_null(wl_regions_find(r, 13.40, 52.52)); /* Berlin */
    wl_regions_free(r);
    free(text);
}

static void not_a_map_refused(void **state)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"[]", "FeatureCollection"},
        {"{\"features\":", "FeatureCollection"},
        {"{\"features\":[{\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}"
         "}]}",
         "feature 0"},
        {"{\"features\":[{\"properties\":{\"name\":\"a\"},\"geometry\":{\"type\":\"Polygon\","
         "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},{\"properties\":{\"name\":\"b\"},"
         "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}}]}",
         "feature 1 (b): not a Polygon"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wl_regions *r = (wl_regions *)&r;
        wl_error err;
        assert_int_equal(wl_regions_build(bad[i].text, strlen(bad[i].text), "name", &r, &err),
                         WL_ERR_INVALID);
        assert_null(r);
        assert_string_equal(err.code, "bad_regions");
        assert_non_null(strstr(err.msg, bad[i].says));
    }
    wl_regions_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cities_in_their_oblasts),
        cmocka_unit_test(not_a_map_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
