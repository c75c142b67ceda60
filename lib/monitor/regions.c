/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The region of a point (include/willing/regions.h): the oblast boundaries
 * of data/geo (a GeoJSON FeatureCollection, each feature named by one of its
 * properties), read with GEOS's own GeoJSON reader, each prepared, all in a GEOS
 * STRtree; a point is in the region whose area holds it (the first in the
 * file's order when a shared boundary holds it: the same answer every time).
 * For the daily report's summary by region. docs/internals/monitor.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>
#include <jansson.h>

#include "willing/regions.h"

typedef struct {
    char *name;
    size_t order;
    GEOSGeometry *geom;
    const GEOSPreparedGeometry *prep;
} region;

struct wl_regions {
    GEOSContextHandle_t h;
    GEOSSTRtree *tree;
    region *items;
    size_t n;
};

void wl_regions_free(wl_regions *r)
{
    if (r == NULL)
        return;
    if (r->tree)
        GEOSSTRtree_destroy_r(r->h, r->tree);
    for (size_t i = 0; i < r->n; i++) {
        if (r->items[i].prep)
            GEOSPreparedGeom_destroy_r(r->h, r->items[i].prep);
        if (r->items[i].geom)
            GEOSGeom_destroy_r(r->h, r->items[i].geom);
        wl_free(r->items[i].name);
    }
    wl_free(r->items);
    if (r->h)
        GEOS_finish_r(r->h);
    wl_free(r);
}

/* One feature into r->items[r->n]: its name and its area, prepared. */
static wl_rc add(wl_regions *r, GEOSGeoJSONReader *rd, const json_t *f, size_t i, const char *prop,
                 wl_error *err)
{
    const char *name = json_string_value(json_object_get(json_object_get(f, "properties"), prop));
    json_t *g = json_object_get(f, "geometry");
    char *text = g ? json_dumps(g, JSON_COMPACT) : NULL;
    region *it = &r->items[r->n];
    int type;
    if (name == NULL || text == NULL) {
        free(text); /* jansson's */
        return wl_error_set(err, WL_ERR_INVALID, "bad_regions",
                            "feature %zu: no properties.%s or no geometry", i, prop);
    }
    memset(it, 0, sizeof *it);
    it->geom = GEOSGeoJSONReader_readGeometry_r(r->h, rd, text);
    free(text);
    if (it->geom == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "bad_regions", "feature %zu (%s): not GeoJSON", i,
                            name);
    type = GEOSGeomTypeId_r(r->h, it->geom);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        GEOSGeom_destroy_r(r->h, it->geom);
        return wl_error_set(err, WL_ERR_INVALID, "bad_regions",
                            "feature %zu (%s): not a Polygon or MultiPolygon", i, name);
    }
    it->order = i;
    it->name = wl_strndup(name, strlen(name));
    it->prep = GEOSPrepare_r(r->h, it->geom);
    r->n++; /* from here the item is r's to free */
    if (it->name == NULL || it->prep == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (regions)");
    return WL_OK;
}

wl_rc wl_regions_build(const char *geojson, size_t len, const char *prop, wl_regions **out,
                       wl_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(geojson, len, 0, &jerr), *fs;
    GEOSGeoJSONReader *rd = NULL;
    wl_regions *r = NULL;
    wl_rc rc = WL_OK;
    *out = NULL;
    fs = json_object_get(doc, "features");
    if (doc == NULL || !json_is_array(fs)) {
        json_decref(doc);
        return wl_error_set(err, WL_ERR_INVALID, "bad_regions",
                            "the regions are not a GeoJSON FeatureCollection%s%s", doc ? "" : ": ",
                            doc ? "" : jerr.text);
    }
    if ((r = wl_calloc(1, sizeof *r)) == NULL ||
        (r->items = wl_calloc(json_array_size(fs) + 1, sizeof *r->items)) == NULL ||
        (r->h = GEOS_init_r()) == NULL || (rd = GEOSGeoJSONReader_create_r(r->h)) == NULL ||
        (r->tree = GEOSSTRtree_create_r(r->h, 10)) == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (regions)");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(fs) && rc == WL_OK; i++)
        rc = add(r, rd, json_array_get(fs, i), i, prop, err);
    for (size_t i = 0; i < r->n && rc == WL_OK; i++)
        GEOSSTRtree_insert_r(r->h, r->tree, r->items[i].geom, &r->items[i]);
out:
    if (rd)
        GEOSGeoJSONReader_destroy_r(r->h, rd);
    json_decref(doc);
    if (rc != WL_OK) {
        wl_regions_free(r);
        return rc;
    }
    *out = r;
    return WL_OK;
}

typedef struct {
    wl_regions *r;
    GEOSGeometry *pt;
    const region *best;
} find;

static void visit(void *item, void *ctx)
{
    const region *it = item;
    find *f = ctx;
    if ((f->best == NULL || it->order < f->best->order) &&
        GEOSPreparedIntersects_r(f->r->h, it->prep, f->pt) == 1)
        f->best = it;
}

const char *wl_regions_find(wl_regions *r, double lon, double lat)
{
    find f = {r, NULL, NULL};
    if (r == NULL || (f.pt = GEOSGeom_createPointFromXY_r(r->h, lon, lat)) == NULL)
        return NULL;
    GEOSSTRtree_query_r(r->h, r->tree, f.pt, visit, &f);
    GEOSGeom_destroy_r(r->h, f.pt);
    return f.best ? f.best->name : NULL;
}

size_t wl_regions_count(const wl_regions *r)
{
    return r ? r->n : 0;
}
