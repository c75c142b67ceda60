/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GeoJSON geometries of the deal's zones read into GEOS with every check
 * (geo.h), the projection suited to Ukraine that distances and containment
 * use, and the coarse point the public sees of a protected site. GEOS's
 * reentrant C API only: a context per caller, its messages kept in the
 * context's buffer and put into a wl_error, never printed.
 * docs/internals/deal.md ("Zones and sites").
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "geo.h"

/* GEOS's errors and notices: kept for the message of the call that failed. */
static void on_message(const char *message, void *userdata)
{
    wl_geo *g = userdata;
    snprintf(g->msg, sizeof g->msg, "%s", message ? message : "");
}

wl_rc wl_geo_open(wl_geo *g, wl_error *err)
{
    memset(g, 0, sizeof *g);
    if ((g->h = GEOS_init_r()) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "GEOS: no context (out of memory)");
    GEOSContext_setErrorMessageHandler_r(g->h, on_message, g);
    GEOSContext_setNoticeMessageHandler_r(g->h, on_message, g);
    return WL_OK;
}

void wl_geo_close(wl_geo *g)
{
    if (g->h)
        GEOS_finish_r(g->h);
    g->h = NULL;
}

typedef struct {
    wl_geo *g;
    size_t vertices;
    wl_error *err;
    bool stored; /* checked when its entry was: validity not asked again */
} reader;

static wl_rc refuse(reader *r, const char *code, const char *path, const char *what)
{
    return wl_error_set(r->err, WL_ERR_INVALID, code, "%s: %s", path, what);
}

static wl_rc geos_failed(reader *r, const char *path)
{
    return wl_error_set(r->err, WL_ERR_INVALID, "invalid_geometry", "%s: %s", path,
                        r->g->msg[0] ? r->g->msg : "GEOS cannot build it");
}

/* A position: [lon, lat] or [lon, lat, altitude] (the altitude ignored). */
static wl_rc position(reader *r, const json_t *p, const char *path, double xy[2])
{
    size_t n = json_array_size(p);
    if (!json_is_array(p) || n < 2 || n > 3)
        return refuse(r, "bad_position", path, "a position is [longitude, latitude]");
    for (size_t i = 0; i < n; i++)
        if (!json_is_number(json_array_get(p, i)))
            return refuse(r, "bad_position", path, "a position holds numbers only");
    xy[0] = json_number_value(json_array_get(p, 0));
    xy[1] = json_number_value(json_array_get(p, 1));
    if (!isfinite(xy[0]) || !isfinite(xy[1]) || xy[0] < -180 || xy[0] > 180 || xy[1] < -90 ||
        xy[1] > 90)
        return refuse(r, "out_of_range", path,
                      "longitude must be -180 to 180 and latitude -90 to 90 (degrees, WGS 84)");
    return WL_OK;
}

/* A line (ring: a closed ring of 4 or more positions) as a GEOS line or ring. */
static wl_rc line(reader *r, const json_t *a, const char *path, int ring, GEOSGeometry **out)
{
    size_t n = json_array_size(a), min = ring ? 4 : 2;
    char at[128];
    double *buf = NULL;
    GEOSCoordSequence *seq = NULL;
    wl_rc rc = WL_OK;
    *out = NULL;
    if (!json_is_array(a) || n < min)
        return refuse(r, ring ? "unclosed_ring" : "invalid_geometry", path,
                      ring ? "a ring needs 4 or more positions, the last the same as the first"
                           : "a line needs 2 or more positions");
    if (n > WL_ZONE_VERTICES_MAX || (r->vertices += n) > WL_ZONE_VERTICES_MAX)
        return wl_error_set(r->err, WL_ERR_INVALID, "too_many_vertices",
                            "%s: the geometry has more than %u positions", path,
                            WL_ZONE_VERTICES_MAX);
    if ((buf = wl_malloc(n * 2 * sizeof *buf)) == NULL)
        return wl_error_set(r->err, WL_ERR_NOMEM, "internal", "out of memory reading a zone");
    for (size_t i = 0; i < n && rc == WL_OK; i++) {
        snprintf(at, sizeof at, "%s[%zu]", path, i);
        rc = position(r, json_array_get(a, i), at, buf + 2 * i);
    }
    if (rc == WL_OK && ring && (buf[0] != buf[2 * n - 2] || buf[1] != buf[2 * n - 1])) {
        snprintf(at, sizeof at, "%s[%zu]", path, n - 1);
        rc = refuse(r, "unclosed_ring", at, "a ring ends on the position it starts from");
    }
    if (rc == WL_OK && (seq = GEOSCoordSeq_copyFromBuffer_r(r->g->h, buf, (unsigned)n, 0, 0)))
        *out = ring ? GEOSGeom_createLinearRing_r(r->g->h, seq)
                    : GEOSGeom_createLineString_r(r->g->h, seq);
    if (rc == WL_OK && *out == NULL)
        rc = geos_failed(r, path);
    wl_free(buf);
    return rc;
}

/* A geometry whose validity GEOS judges: invalid_geometry with GEOS's reason. */
static wl_rc valid(reader *r, GEOSGeometry *geom, const char *path)
{
    char v = r->stored ? 1 : GEOSisValid_r(r->g->h, geom), *why;
    wl_rc rc;
    if (v == 1)
        return WL_OK;
    if (v != 0)
        return geos_failed(r, path);
    why = GEOSisValidReason_r(r->g->h, geom);
    rc = refuse(r, "invalid_geometry", path, why ? why : "not a valid geometry");
    GEOSFree_r(r->g->h, why);
    return rc;
}

static wl_rc polygon(reader *r, const json_t *a, const char *path, GEOSGeometry **out)
{
    size_t n = json_array_size(a), made = 0;
    GEOSGeometry *rings[64] = {0};
    char at[128];
    wl_rc rc = WL_OK;
    *out = NULL;
    if (!json_is_array(a) || n < 1)
        return refuse(r, "invalid_geometry", path, "a polygon is a list of rings");
    if (n > sizeof rings / sizeof rings[0])
        return refuse(r, "invalid_geometry", path, "a polygon has at most 63 holes");
    for (; made < n && rc == WL_OK; made++) {
        snprintf(at, sizeof at, "%s[%zu]", path, made);
        rc = line(r, json_array_get(a, made), at, 1, &rings[made]);
    }
    if (rc == WL_OK) {
        *out = GEOSGeom_createPolygon_r(r->g->h, rings[0], rings + 1, (unsigned)(n - 1));
        if (*out == NULL)
            return geos_failed(r, path); /* GEOS owns the rings now */
        if ((rc = valid(r, *out, path)) != WL_OK) {
            GEOSGeom_destroy_r(r->g->h, *out);
            *out = NULL;
        }
        return rc;
    }
    for (size_t i = 0; i < made; i++)
        if (rings[i])
            GEOSGeom_destroy_r(r->g->h, rings[i]);
    return rc;
}

/* A MultiLineString or MultiPolygon: each part read, then the whole judged. */
static wl_rc multi(reader *r, const json_t *a, int polys, GEOSGeometry **out)
{
    const char *path = "geometry.coordinates";
    size_t n = json_array_size(a), made = 0;
    GEOSGeometry **parts = NULL;
    char at[128];
    wl_rc rc = WL_OK;
    *out = NULL;
    if (!json_is_array(a) || n < 1)
        return refuse(r, "invalid_geometry", path, "a list of one or more parts");
    if (n > WL_ZONE_VERTICES_MAX)
        return wl_error_set(r->err, WL_ERR_INVALID, "too_many_vertices",
                            "%s: the geometry has more than %u positions", path,
                            WL_ZONE_VERTICES_MAX);
    if ((parts = wl_calloc(n, sizeof *parts)) == NULL)
        return wl_error_set(r->err, WL_ERR_NOMEM, "internal", "out of memory reading a zone");
    for (; made < n && rc == WL_OK; made++) {
        snprintf(at, sizeof at, "%s[%zu]", path, made);
        rc = polys ? polygon(r, json_array_get(a, made), at, &parts[made])
                   : line(r, json_array_get(a, made), at, 0, &parts[made]);
    }
    if (rc == WL_OK) {
        *out = GEOSGeom_createCollection_r(
            r->g->h, polys ? GEOS_MULTIPOLYGON : GEOS_MULTILINESTRING, parts, (unsigned)n);
        if (*out == NULL) {
            rc = geos_failed(r, path);
        } else if ((rc = valid(r, *out, path)) != WL_OK) {
            GEOSGeom_destroy_r(r->g->h, *out);
            *out = NULL;
        }
    } else {
        for (size_t i = 0; i < made; i++)
            if (parts[i])
                GEOSGeom_destroy_r(r->g->h, parts[i]);
    }
    wl_free(parts);
    return rc;
}

wl_rc wl_geo_read(wl_geo *g, const json_t *geom, unsigned allowed, GEOSGeometry **out,
                  wl_error *err)
{
    static const struct {
        const char *name;
        unsigned bit;
    } types[] = {{"Point", WL_GEO_POINT},
                 {"LineString", WL_GEO_LINESTRING},
                 {"Polygon", WL_GEO_POLYGON},
                 {"MultiLineString", WL_GEO_MULTILINESTRING},
                 {"MultiPolygon", WL_GEO_MULTIPOLYGON}};
    reader r = {g, 0, err, (allowed & WL_GEO_STORED) != 0};
    const char *type = json_string_value(json_object_get(geom, "type")), *k;
    const json_t *c = json_object_get(geom, "coordinates");
    unsigned bit = 0;
    double xy[2];
    json_t *v;
    wl_rc rc;

    *out = NULL;
    g->msg[0] = '\0';
    if (!json_is_object(geom))
        return wl_error_set(err, WL_ERR_INVALID, "geometry_type",
                            "geometry: a GeoJSON geometry object is required");
    for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i].name) == 0)
            bit = types[i].bit;
    if ((bit & allowed) == 0)
        return wl_error_set(err, WL_ERR_INVALID, "geometry_type",
                            "geometry.type: %s is not allowed for this zone's type",
                            type ? type : "(none)");
    json_object_foreach((json_t *)geom, k, v)
    {
        if (strcmp(k, "type") != 0 && strcmp(k, "coordinates") != 0 && strcmp(k, "bbox") != 0)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_geometry",
                                "geometry: unknown member '%s'", k);
    }
    if (c == NULL)
        return refuse(&r, "invalid_geometry", "geometry.coordinates", "required");
    switch (bit) {
    case WL_GEO_POINT:
        if ((rc = position(&r, c, "geometry.coordinates", xy)) == WL_OK &&
            (*out = GEOSGeom_createPointFromXY_r(g->h, xy[0], xy[1])) == NULL)
            rc = geos_failed(&r, "geometry.coordinates");
        return rc;
    case WL_GEO_LINESTRING:
        if ((rc = line(&r, c, "geometry.coordinates", 0, out)) == WL_OK &&
            (rc = valid(&r, *out, "geometry.coordinates")) != WL_OK) {
            GEOSGeom_destroy_r(g->h, *out);
            *out = NULL;
        }
        return rc;
    case WL_GEO_POLYGON:
        return polygon(&r, c, "geometry.coordinates", out);
    default:
        return multi(&r, c, bit == WL_GEO_MULTIPOLYGON, out);
    }
}

/*
 * The projection. Lambert azimuthal equal-area on a sphere of radius R,
 * centred on LON0, LAT0 (the middle of Ukraine); R is the Gaussian mean
 * radius of WGS 84 at LAT0, sqrt(M N), so that the sphere fits the
 * ellipsoid best where the zones are.
 */
#define LON0 31.0
#define LAT0 48.5
#define R_KM 6380.7
#define RAD (M_PI / 180.0)

void wl_geo_forward(double lon, double lat, double *x, double *y)
{
    double phi = lat * RAD, dl = (lon - LON0) * RAD, p0 = LAT0 * RAD;
    double d = 1 + sin(p0) * sin(phi) + cos(p0) * cos(phi) * cos(dl);
    double k = d > 1e-12 ? sqrt(2 / d) : 0; /* the antipode: no finite place */
    *x = R_KM * k * cos(phi) * sin(dl);
    *y = R_KM * k * (cos(p0) * sin(phi) - sin(p0) * cos(phi) * cos(dl));
}

void wl_geo_inverse(double x, double y, double *lon, double *lat)
{
    double rho = hypot(x, y), p0 = LAT0 * RAD, c, sc, cc;
    if (rho < 1e-12) {
        *lon = LON0;
        *lat = LAT0;
        return;
    }
    c = 2 * asin(fmin(1.0, rho / (2 * R_KM)));
    sc = sin(c);
    cc = cos(c);
    *lat = asin(cc * sin(p0) + y * sc * cos(p0) / rho) / RAD;
    *lon = LON0 + atan2(x * sc, rho * cos(p0) * cc - y * sin(p0) * sc) / RAD;
}

static int forward_cb(double *x, double *y, void *userdata)
{
    (void)userdata;
    wl_geo_forward(*x, *y, x, y);
    return 1;
}

GEOSGeometry *wl_geo_project(wl_geo *g, const GEOSGeometry *lonlat)
{
    return GEOSGeom_transformXY_r(g->h, lonlat, forward_cb, NULL);
}

wl_rc wl_geo_coarse(wl_geo *g, const GEOSGeometry *proj, double precision_km, double xy[2],
                    double lonlat[2], wl_error *err)
{
    GEOSGeometry *c = GEOSGetCentroid_r(g->h, proj);
    double x = 0, y = 0;
    int ok = c && GEOSGeomGetX_r(g->h, c, &x) == 1 && GEOSGeomGetY_r(g->h, c, &y) == 1;
    if (c)
        GEOSGeom_destroy_r(g->h, c);
    if (!ok)
        return wl_error_set(err, WL_ERR_INTERNAL, "internal", "GEOS: no centroid: %s", g->msg);
    xy[0] = (floor(x / precision_km) + 0.5) * precision_km;
    xy[1] = (floor(y / precision_km) + 0.5) * precision_km;
    wl_geo_inverse(xy[0], xy[1], &lonlat[0], &lonlat[1]);
    lonlat[0] = round(lonlat[0] * 1e4) / 1e4;
    lonlat[1] = round(lonlat[1] * 1e4) / 1e4;
    return WL_OK;
}
