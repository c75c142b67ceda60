/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones views (include/willing/zones.h): every zone's current version
 * as a GeoJSON FeatureCollection, and one zone's versions, for a viewer. A
 * viewer who may not see sites exactly sees each site as a Point: the centre
 * of the grid cell of its precision_km (in the projection of geo.c) that
 * holds the site's centroid, never its own coordinates.
 * docs/internals/deal.md ("Zones and sites").
 */
#include <string.h>

#include <jansson.h>

#include "geo.h"
#include "willing/zones.h"

typedef struct {
    wl_geo g;
    bool exact;
    json_t *list;
    wl_error *err;
} walk;

/* A site as the public sees it: {"type": "Point", "coordinates": [lon, lat]} of its cell. */
static wl_rc coarse(walk *w, const json_t *geom, uint64_t precision_km, json_t **out)
{
    GEOSGeometry *ll = NULL, *proj;
    double xy[2], lonlat[2];
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_geo_read(&w->g, geom, WL_GEO_ANY | WL_GEO_STORED, &ll, w->err)) != WL_OK)
        return rc;
    proj = wl_geo_project(&w->g, ll);
    GEOSGeom_destroy_r(w->g.h, ll);
    if (proj == NULL)
        return wl_error_set(w->err, WL_ERR_NOMEM, "internal", "GEOS: %s", w->g.msg);
    rc = wl_geo_coarse(&w->g, proj, (double)precision_km, xy, lonlat, w->err);
    GEOSGeom_destroy_r(w->g.h, proj);
    if (rc == WL_OK && (*out = json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates",
                                         lonlat[0], lonlat[1])) == NULL)
        rc = wl_error_set(w->err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return rc;
}

/* One version as a GeoJSON Feature, its fields in properties. */
static wl_rc feature(void *ctx, const wl_store_zone *z)
{
    walk *w = ctx;
    json_error_t jerr;
    json_t *geom = json_loads(z->geometry, 0, &jerr), *props, *f = NULL;
    bool hide = !w->exact && strcmp(z->type, "site") == 0;
    wl_rc rc = WL_OK;
    if (geom == NULL)
        return wl_error_set(w->err, WL_ERR_CORRUPT, "corrupt", "zone %s: stored geometry: %s",
                            z->id, jerr.text);
    if (hide) {
        json_t *c = NULL;
        rc = coarse(w, geom, z->precision_km, &c);
        json_decref(geom);
        geom = c;
        if (rc != WL_OK)
            return rc;
    }
    props = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:b}", "zone", z->id, "type", z->type,
                      "version", (json_int_t)z->version, "entry", (json_int_t)z->idx,
                      "precision_km", (json_int_t)z->precision_km, "text", z->text, "coarse", hide);
    if (props && z->side[0])
        json_object_set_new(props, "side", json_string(z->side));
    if (props && z->measured_from[0])
        json_object_set_new(props, "measured_from", json_string(z->measured_from));
    if (props && z->category[0])
        json_object_set_new(props, "category", json_string(z->category));
    if (props)
        f = json_pack("{s:s, s:s, s:o, s:o}", "type", "Feature", "id", z->id, "geometry", geom,
                      "properties", props);
    else
        json_decref(geom);
    if (f == NULL || json_array_append_new(w->list, f) != 0)
        return wl_error_set(w->err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return WL_OK;
}

static wl_rc run(wl_store *s, const char *id, bool exact, json_t **list, wl_error *err)
{
    walk w = {.exact = exact, .err = err};
    wl_rc rc;
    *list = NULL;
    if ((w.list = json_array()) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    if ((rc = wl_geo_open(&w.g, err)) == WL_OK) {
        err->code = NULL;
        rc = id ? wl_store_zone_versions(s, id, feature, &w)
                : wl_store_zones_current(s, NULL, feature, &w);
        if (rc != WL_OK && err->code == NULL)
            wl_error_set(err, rc, "storage", "the zones cannot be read");
        wl_geo_close(&w.g);
    }
    if (rc == WL_OK && id && json_array_size(w.list) == 0)
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_zone", "no zone %s", id);
    if (rc != WL_OK)
        json_decref(w.list);
    else
        *list = w.list;
    return rc;
}

wl_rc wl_zones_list(wl_store *s, bool exact, json_t **out, wl_error *err)
{
    json_t *list;
    wl_rc rc = run(s, NULL, exact, &list, err);
    *out = NULL;
    if (rc == WL_OK && (*out = json_pack("{s:s, s:o, s:b}", "type", "FeatureCollection", "features",
                                         list, "exact", exact)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return rc;
}

wl_rc wl_zone_history(wl_store *s, const char *id, bool exact, json_t **out, wl_error *err)
{
    json_t *list;
    wl_rc rc = run(s, id, exact, &list, err);
    *out = NULL;
    if (rc == WL_OK &&
        (*out = json_pack("{s:s, s:o, s:b}", "zone", id, "versions", list, "exact", exact)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return rc;
}
