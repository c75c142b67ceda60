/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-geosimplify: a GeoJSON FeatureCollection of areas made small enough for the
 * console's map, run by the build (CMakeLists.txt) over data/geo/ukraine-oblasts.geojson.
 * Each feature's geometry goes through GEOS's topology-preserving simplification
 * (GEOSTopologyPreserveSimplify_r: no ring of it crosses itself or another of the same
 * feature, none vanishes), its coordinates are rounded to 1e-4 degrees (about 10 m, far
 * under the tolerance), and each feature keeps one property, "name", from the property
 * named by --name. The output is written whole to OUT.tmp and renamed: a build never
 * serves half a file. Usage (docs/internals/console.md, "The deal page"):
 *   willing-geosimplify [--tolerance DEGREES] [--name PROPERTY] IN OUT
 */
#include <errno.h>
#include <geos_c.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_PATH_MAX 4096

static void geos_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("willing-geosimplify: GEOS: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Every number in a coordinates array rounded to 1e-4, in place. */
static int round_coords(json_t *v)
{
    size_t i;
    json_t *x;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if (json_is_number(x)) {
                double d = round(json_number_value(x) * 1e4) / 1e4;
                if (json_array_set_new(v, i, json_real(d)) != 0)
                    return -1;
            } else if (round_coords(x) != 0)
                return -1;
        }
    }
    return 0;
}

/* One feature's geometry simplified: a new JSON geometry, or NULL (said on stderr). */
static json_t *simplify(GEOSContextHandle_t h, GEOSGeoJSONReader *rd, GEOSGeoJSONWriter *wr,
                        json_t *geometry, double tolerance, size_t n)
{
    char *in = json_dumps(geometry, JSON_COMPACT), *out = NULL;
    GEOSGeometry *g = NULL, *s = NULL;
    json_t *res = NULL;
    json_error_t jerr;
    if (in == NULL || (g = GEOSGeoJSONReader_readGeometry_r(h, rd, in)) == NULL) {
        fprintf(stderr, "willing-geosimplify: feature %zu: not a GeoJSON geometry\n", n);
        goto out;
    }
    if ((s = GEOSTopologyPreserveSimplify_r(h, g, tolerance)) == NULL ||
        (out = GEOSGeoJSONWriter_writeGeometry_r(h, wr, s, -1)) == NULL) {
        fprintf(stderr, "willing-geosimplify: feature %zu: GEOS could not simplify it\n", n);
        goto out;
    }
    if ((res = json_loads(out, 0, &jerr)) == NULL ||
        round_coords(json_object_get(res, "coordinates")) != 0) {
        fprintf(stderr, "willing-geosimplify: feature %zu: %s\n", n, jerr.text);
        json_decref(res);
        res = NULL;
    }
out:
    if (out)
        GEOSFree_r(h, out);
    if (s)
        GEOSGeom_destroy_r(h, s);
    if (g)
        GEOSGeom_destroy_r(h, g);
    free(in);
    return res;
}

static int usage(void)
{
    fputs("usage: willing-geosimplify [--tolerance DEGREES] [--name PROPERTY] IN OUT\n"
          "  simplifies each feature of the FeatureCollection IN (GEOS, topology kept)\n"
          "  --tolerance  the distance tolerance in degrees (default 0.005, about 500 m)\n"
          "  --name       the property kept as each feature's \"name\" (default ADMIN_1)\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    double tolerance = 0.005;
    const char *name = "ADMIN_1", *in = NULL, *outpath = NULL;
    char tmp[OUT_PATH_MAX];
    json_error_t jerr;
    json_t *doc = NULL, *features, *f, *out = json_array(), *fc = NULL;
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeoJSONReader *rd = NULL;
    GEOSGeoJSONWriter *wr = NULL;
    size_t i;
    int rc = 1;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--tolerance") == 0 && a + 1 < argc) {
            char *end;
            tolerance = strtod(argv[++a], &end);
            if (*end != '\0' || !(tolerance > 0 && tolerance < 1))
                return usage();
        } else if (strcmp(argv[a], "--name") == 0 && a + 1 < argc)
            name = argv[++a];
        else if (argv[a][0] == '-')
            return usage();
        else if (in == NULL)
            in = argv[a];
        else if (outpath == NULL)
            outpath = argv[a];
        else
            return usage();
    }
    if (in == NULL || outpath == NULL || strlen(outpath) + 5 > sizeof tmp)
        return usage();
    if (h == NULL || out == NULL)
        goto done;
    GEOSContext_setErrorHandler_r(h, geos_message);
    rd = GEOSGeoJSONReader_create_r(h);
    wr = GEOSGeoJSONWriter_create_r(h);
    if (rd == NULL || wr == NULL)
        goto done;
    if ((doc = json_load_file(in, 0, &jerr)) == NULL) {
        fprintf(stderr, "willing-geosimplify: %s:%d: %s\n", in, jerr.line, jerr.text);
        goto done;
    }
    features = json_object_get(doc, "features");
    if (!json_is_array(features)) {
        fprintf(stderr, "willing-geosimplify: %s: not a FeatureCollection\n", in);
        goto done;
    }
    json_array_foreach(features, i, f)
    {
        json_t *g = simplify(h, rd, wr, json_object_get(f, "geometry"), tolerance, i);
        const char *nm = json_string_value(json_object_get(json_object_get(f, "properties"), name));
        if (g == NULL || json_array_append_new(out, json_pack("{s:s, s:{s:s}, s:o}", "type",
                                                              "Feature", "properties", "name",
                                                              nm ? nm : "", "geometry", g)) != 0)
            goto done;
    }
    memcpy(tmp, outpath, strlen(outpath));
    memcpy(tmp + strlen(outpath), ".tmp", 5);
    fc = json_pack("{s:s, s:O}", "type", "FeatureCollection", "features", out);
    if (fc == NULL || json_dump_file(fc, tmp, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0 ||
        rename(tmp, outpath) != 0) {
        fprintf(stderr, "willing-geosimplify: cannot write %s: %s\n", outpath, strerror(errno));
        (void)unlink(tmp); /* nothing half-written left behind */
        goto done;
    }
    rc = 0;
done:
    json_decref(fc);
    json_decref(doc);
    json_decref(out);
    if (wr)
        GEOSGeoJSONWriter_destroy_r(h, wr);
    if (rd)
        GEOSGeoJSONReader_destroy_r(h, rd);
    if (h)
        GEOS_finish_r(h);
    return rc;
}
