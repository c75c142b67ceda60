/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The containment index of the deal's zones (include/willing/zones.h): every
 * current zone read from the store, projected (geo.c), the areas (buffer,
 * exclusion, a site's polygon) prepared by GEOS, all in a GEOS STRtree. A
 * query projects the point, asks the tree for the envelopes holding it, and
 * asks each prepared area whether it holds the point; a second query, a box
 * of WL_ZONE_SITE_RADIUS_KM around it, finds the protected sites near it.
 * The index owns its GEOS context: one thread at a time uses it.
 * docs/internals/deal.md ("Zones and sites").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "geo.h"
#include "willing/zones.h"

typedef struct {
    char id[65], type[16], category[16];
    uint64_t idx, version, precision_km;
    GEOSGeometry *proj;
    const GEOSPreparedGeometry *prep;      /* an area's; NULL for lines and points */
    GEOSGeometry *edge;                    /* an area's boundary, made at its first near query */
    const GEOSPreparedGeometry *edge_prep; /* and prepared */
    bool site;
    double coarse[2], coarse_ll[2]; /* a site: what the public sees (km, degrees) */
} item;

struct wl_zone_index {
    wl_geo g;
    GEOSSTRtree *tree;
    item *items;
    size_t n, cap;
    double reach; /* km a site's coarse point may lie from the site itself, at most */
    wl_store *s;  /* while it is built: a site's exact geometry is read from its sealed content */
    wl_error *err;
};

static wl_rc add(void *ctx, const wl_store_zone *z)
{
    wl_zone_index *ix = ctx;
    GEOSGeometry *ll = NULL;
    json_error_t jerr;
    json_t *j;
    item *it;
    wl_rc rc;
    if (ix->n == WL_ZONES_INDEX_MAX)
        return wl_error_set(ix->err, WL_ERR_TOO_LARGE, "too_large",
                            "more than %u zones: the index holds no more", WL_ZONES_INDEX_MAX);
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 64;
        item *m = wl_realloc(ix->items, cap * sizeof *m);
        if (m == NULL)
            return wl_error_set(ix->err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
        ix->items = m;
        ix->cap = cap;
    }
    if (strcmp(z->type, "site") == 0) { /* its exact geometry is sealed; stored: its coarse point */
        char *text = NULL;
        rc = wl_zone_site_exact(ix->s, z->idx, &text, NULL, ix->err);
        if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
            return rc;
        j = json_loads(text ? text : z->geometry, 0, &jerr);
        free(text); /* jansson's */
    } else {
        j = json_loads(z->geometry, 0, &jerr);
    }
    if (j == NULL)
        return wl_error_set(ix->err, WL_ERR_CORRUPT, "corrupt", "zone %s: stored geometry: %s",
                            z->id, jerr.text);
    rc = wl_geo_read(&ix->g, j, WL_GEO_ANY | WL_GEO_STORED, &ll, ix->err);
    json_decref(j);
    if (rc != WL_OK)
        return rc;
    it = &ix->items[ix->n];
    memset(it, 0, sizeof *it);
    snprintf(it->id, sizeof it->id, "%s", z->id);
    snprintf(it->type, sizeof it->type, "%s", z->type);
    snprintf(it->category, sizeof it->category, "%s", z->category);
    it->idx = z->idx;
    it->version = z->version;
    it->precision_km = z->precision_km;
    it->site = strcmp(z->type, "site") == 0;
    it->proj = wl_geo_project(&ix->g, ll);
    GEOSGeom_destroy_r(ix->g.h, ll);
    if (it->proj == NULL)
        return wl_error_set(ix->err, WL_ERR_NOMEM, "internal", "GEOS: %s", ix->g.msg);
    ix->n++; /* from here the item is the index's to free */
    if (GEOSGeomTypeId_r(ix->g.h, it->proj) == GEOS_POLYGON ||
        GEOSGeomTypeId_r(ix->g.h, it->proj) == GEOS_MULTIPOLYGON) {
        GEOSGeometry *c = GEOSGetCentroid_r(ix->g.h, it->proj);
        if ((it->prep = GEOSPrepare_r(ix->g.h, it->proj)) == NULL || c == NULL) {
            if (c)
                GEOSGeom_destroy_r(ix->g.h, c);
            return wl_error_set(ix->err, WL_ERR_NOMEM, "internal", "GEOS: %s", ix->g.msg);
        }
        /* GEOS builds a prepared area's own index at its first question: ask one now */
        (void)GEOSPreparedIntersects_r(ix->g.h, it->prep, c);
        GEOSGeom_destroy_r(ix->g.h, c);
    }
    if (it->site) {
        if ((rc = wl_geo_coarse(&ix->g, it->proj, (double)it->precision_km, it->coarse,
                                it->coarse_ll, ix->err)) != WL_OK)
            return rc;
        ix->reach = fmax(ix->reach, (double)it->precision_km * 0.7072);
    }
    return WL_OK;
}

void wl_zone_index_free(wl_zone_index *ix)
{
    if (ix == NULL)
        return;
    if (ix->tree)
        GEOSSTRtree_destroy_r(ix->g.h, ix->tree);
    for (size_t i = 0; i < ix->n; i++) {
        if (ix->items[i].prep)
            GEOSPreparedGeom_destroy_r(ix->g.h, ix->items[i].prep);
        if (ix->items[i].edge_prep)
            GEOSPreparedGeom_destroy_r(ix->g.h, ix->items[i].edge_prep);
        if (ix->items[i].edge)
            GEOSGeom_destroy_r(ix->g.h, ix->items[i].edge);
        GEOSGeom_destroy_r(ix->g.h, ix->items[i].proj);
    }
    wl_free(ix->items);
    wl_geo_close(&ix->g);
    wl_free(ix);
}

wl_rc wl_zone_index_build(wl_store *s, wl_zone_index **out, wl_error *err)
{
    wl_zone_index *ix = wl_calloc(1, sizeof *ix);
    wl_rc rc;
    *out = NULL;
    if (ix == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    ix->err = err;
    ix->s = s;
    if ((rc = wl_geo_open(&ix->g, err)) != WL_OK)
        goto out;
    rc = wl_store_zones_current(s, NULL, add, ix);
    if (rc != WL_OK && err->code == NULL)
        wl_error_set(err, rc, "storage", "the zones cannot be read");
    if (rc == WL_OK && (ix->tree = GEOSSTRtree_create_r(ix->g.h, 10)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "GEOS: %s", ix->g.msg);
    for (size_t i = 0; rc == WL_OK && i < ix->n; i++)
        GEOSSTRtree_insert_r(ix->g.h, ix->tree, ix->items[i].proj, &ix->items[i]);
out:
    ix->err = NULL;
    ix->s = NULL;
    if (rc == WL_OK)
        *out = ix;
    else
        wl_zone_index_free(ix);
    return rc;
}

size_t wl_zone_index_size(const wl_zone_index *ix)
{
    return ix ? ix->n : 0;
}

/* Items a tree query found (a few: grown as needed). */
typedef struct {
    item **v;
    size_t n, cap;
    bool nomem;
} found;

static void collect(void *it, void *userdata)
{
    found *f = userdata;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        item **m = wl_realloc(f->v, cap * sizeof *m);
        if (m == NULL) {
            f->nomem = true;
            return;
        }
        f->v = m;
        f->cap = cap;
    }
    f->v[f->n++] = it;
}

/* The areas holding the point (pt, projected) into f; sites' areas only when exact. */
static wl_rc holding(wl_zone_index *ix, const GEOSGeometry *pt, bool exact, found *f)
{
    size_t keep = 0;
    GEOSSTRtree_query_r(ix->g.h, ix->tree, pt, collect, f);
    if (f->nomem)
        return WL_ERR_NOMEM;
    for (size_t i = 0; i < f->n; i++) {
        item *it = f->v[i];
        if (it->prep && (exact || !it->site) &&
            GEOSPreparedIntersects_r(ix->g.h, it->prep, pt) == 1)
            f->v[keep++] = it;
    }
    f->n = keep;
    return WL_OK;
}

/* The areas holding (lon, lat) into f (caller frees f->v), as holding() gives them. */
static wl_rc holding_at(wl_zone_index *ix, double lon, double lat, bool exact, found *f)
{
    double x, y;
    GEOSGeometry *pt;
    wl_rc rc;
    wl_geo_forward(lon, lat, &x, &y);
    if ((pt = GEOSGeom_createPointFromXY_r(ix->g.h, x, y)) == NULL)
        return WL_ERR_NOMEM;
    rc = holding(ix, pt, exact, f);
    GEOSGeom_destroy_r(ix->g.h, pt);
    return rc;
}

wl_rc wl_zone_index_count(wl_zone_index *ix, double lon, double lat, size_t *n)
{
    found f = {0};
    wl_rc rc = holding_at(ix, lon, lat, true, &f);
    *n = rc == WL_OK ? f.n : 0;
    wl_free(f.v);
    return rc;
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(item *const *)a)->id, (*(item *const *)b)->id);
}

wl_rc wl_zone_index_each(wl_zone_index *ix, double lon, double lat, wl_zone_hold_fn fn, void *ctx)
{
    found f = {0};
    wl_rc rc = holding_at(ix, lon, lat, false, &f);
    if (rc == WL_OK && f.n > 1)
        qsort(f.v, f.n, sizeof *f.v, by_id);
    for (size_t i = 0; rc == WL_OK && i < f.n; i++)
        rc = fn(ctx, f.v[i]->id, f.v[i]->type);
    wl_free(f.v);
    return rc;
}

/* The items whose envelopes meet the box of r km around (x, y), by id, into f (caller frees f->v).
 */
static wl_rc in_box(wl_zone_index *ix, double x, double y, double r, found *f)
{
    GEOSGeometry *box = GEOSGeom_createRectangle_r(ix->g.h, x - r, y - r, x + r, y + r);
    if (box == NULL)
        return WL_ERR_NOMEM;
    GEOSSTRtree_query_r(ix->g.h, ix->tree, box, collect, f);
    GEOSGeom_destroy_r(ix->g.h, box);
    if (f->nomem)
        return WL_ERR_NOMEM;
    if (f->n > 1) /* none found: f->v is NULL */
        qsort(f->v, f->n, sizeof *f->v, by_id);
    return WL_OK;
}

/* The projected distance in km from pt to the boundary of it's area (its edge made once). */
static wl_rc edge_distance(wl_zone_index *ix, item *it, const GEOSGeometry *pt, double *d)
{
    if (it->edge == NULL) {
        if ((it->edge = GEOSBoundary_r(ix->g.h, it->proj)) == NULL)
            return WL_ERR_NOMEM;
        if ((it->edge_prep = GEOSPrepare_r(ix->g.h, it->edge)) == NULL) {
            GEOSGeom_destroy_r(ix->g.h, it->edge);
            it->edge = NULL;
            return WL_ERR_NOMEM;
        }
    }
    return GEOSPreparedDistance_r(ix->g.h, it->edge_prep, pt, d) == 1 ? WL_OK : WL_ERR_INTERNAL;
}

wl_rc wl_zone_index_near(wl_zone_index *ix, double lon, double lat, double radius_km,
                         wl_zone_near_fn fn, void *ctx)
{
    double x, y, d;
    GEOSGeometry *pt;
    found f = {0};
    wl_rc rc;
    wl_geo_forward(lon, lat, &x, &y);
    if ((pt = GEOSGeom_createPointFromXY_r(ix->g.h, x, y)) == NULL)
        return WL_ERR_NOMEM;
    rc = in_box(ix, x, y, radius_km, &f);
    for (size_t i = 0; rc == WL_OK && i < f.n; i++) {
        item *it = f.v[i];
        bool inside;
        if (it->prep == NULL || it->site)
            continue; /* a line, a point, or a site (its area is not public) */
        inside = GEOSPreparedIntersects_r(ix->g.h, it->prep, pt) == 1;
        if ((rc = edge_distance(ix, it, pt, &d)) != WL_OK)
            break;
        if (inside || d <= radius_km)
            rc = fn(ctx, it->id, it->type, inside, d <= radius_km);
    }
    GEOSGeom_destroy_r(ix->g.h, pt);
    wl_free(f.v);
    return rc;
}

/* The sites near the point, with their distance as this viewer may know it. */
static wl_rc near(wl_zone_index *ix, const GEOSGeometry *pt, double x, double y, bool exact,
                  json_t *sites)
{
    double r = WL_ZONE_SITE_RADIUS_KM + (exact ? 0 : ix->reach), d;
    found f = {0};
    wl_rc rc = in_box(ix, x, y, r, &f);
    for (size_t i = 0; rc == WL_OK && i < f.n; i++) {
        item *it = f.v[i];
        if (!it->site)
            continue;
        if (exact && GEOSDistance_r(ix->g.h, it->proj, pt, &d) != 1) {
            rc = WL_ERR_INTERNAL;
            break;
        }
        d = exact ? round(d * 100) / 100 : round(hypot(it->coarse[0] - x, it->coarse[1] - y));
        if (d <= WL_ZONE_SITE_RADIUS_KM &&
            json_array_append_new(
                sites, json_pack("{s:s, s:s, s:I, s:f, s:I}", "zone", it->id, "category",
                                 it->category, "version", (json_int_t)it->version, "distance_km", d,
                                 "precision_km", (json_int_t)it->precision_km)) != 0)
            rc = WL_ERR_NOMEM;
    }
    wl_free(f.v);
    return rc;
}

wl_rc wl_zone_index_contains(wl_zone_index *ix, double lon, double lat, bool exact, json_t **out,
                             wl_error *err)
{
    json_t *o = NULL, *zones = json_array(), *sites = json_array();
    found f = {0};
    double x, y;
    GEOSGeometry *pt;
    wl_rc rc;
    *out = NULL;
    wl_geo_forward(lon, lat, &x, &y);
    if (zones == NULL || sites == NULL ||
        (pt = GEOSGeom_createPointFromXY_r(ix->g.h, x, y)) == NULL) {
        json_decref(zones);
        json_decref(sites);
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (contains)");
    }
    rc = holding(ix, pt, exact, &f);
    if (rc == WL_OK && f.n > 1) /* none found: f.v is NULL */
        qsort(f.v, f.n, sizeof *f.v, by_id);
    for (size_t i = 0; rc == WL_OK && i < f.n; i++)
        if (json_array_append_new(zones,
                                  json_pack("{s:s, s:s, s:I, s:I}", "zone", f.v[i]->id, "type",
                                            f.v[i]->type, "version", (json_int_t)f.v[i]->version,
                                            "entry", (json_int_t)f.v[i]->idx)) != 0)
            rc = WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = near(ix, pt, x, y, exact, sites);
    if (rc == WL_OK) {
        o = json_pack("{s:f, s:f, s:b, s:o, s:o, s:f}", "lon", lon, "lat", lat, "exact", exact,
                      "zones", zones, "sites", sites, "radius_km", WL_ZONE_SITE_RADIUS_KM);
        zones = sites = NULL; /* json_pack took them, also when it failed */
        if (o == NULL)
            rc = WL_ERR_NOMEM;
    }
    json_decref(zones);
    json_decref(sites);
    GEOSGeom_destroy_r(ix->g.h, pt);
    wl_free(f.v);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "internal", "contains: %s",
                            ix->g.msg[0] ? ix->g.msg : "out of memory");
    *out = o;
    return WL_OK;
}
