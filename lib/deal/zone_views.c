/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones views (include/willing/zones.h): every zone's current version
 * as a GeoJSON FeatureCollection, and one zone's versions, for a viewer. A
 * viewer who may not see sites exactly sees each site as its public entry
 * gives it, a Point: the centre of the grid cell of its precision_km (in the
 * projection of geo.c) that holds the site's centroid. The exact geometry is
 * sealed content (zone_site.c), read here only for those who may see it: the
 * operator, coordinators, the host nation and parties (exact), and a member
 * who is a party of a deal version naming that site's entry.
 * docs/internals/deal.md ("Zones and sites").
 */
#include <string.h>

#include <jansson.h>

#include <stdlib.h>

#include "willing/zones.h"

typedef struct {
    wl_store *s;
    bool exact;         /* the viewer sees every site exactly */
    const char *member; /* the viewer (NULL: the public): a party of a deal naming a site sees it */
    json_t *list;
    wl_error *err;
} walk;

/*
 * A site's geometry for this viewer: its exact one, from its sealed content,
 * with what a reader needs to check it against the public entry (*sealed);
 * or NULL (and WL_OK) when the viewer sees only the stored coarse point.
 */
static wl_rc site_exact(walk *w, const wl_store_zone *z, json_t **geom, json_t **sealed)
{
    bool party = false;
    char *text = NULL;
    wl_rc rc;
    *geom = *sealed = NULL;
    if (!w->exact && w->member &&
        (rc = wl_store_zone_deal_party(w->s, w->member, z->idx, &party)) != WL_OK)
        return wl_error_set(w->err, rc, "storage", "zone %s: its readers cannot be read", z->id);
    if (!w->exact && !party)
        return WL_OK;
    rc = wl_zone_site_exact(w->s, z->idx, &text, sealed, w->err);
    if (rc == WL_ERR_NOT_FOUND) /* a store without its private part: the public's view */
        return WL_OK;
    if (rc == WL_OK && (*geom = json_loads(text, 0, NULL)) == NULL) {
        json_decref(*sealed);
        *sealed = NULL;
        rc = wl_error_set(w->err, WL_ERR_CORRUPT, "corrupt", "zone %s: sealed geometry", z->id);
    }
    free(text); /* jansson's */
    return rc;
}

/* One version as a GeoJSON Feature, its fields in properties. */
static wl_rc feature(void *ctx, const wl_store_zone *z)
{
    walk *w = ctx;
    json_error_t jerr;
    json_t *geom = NULL, *sealed = NULL, *props, *f = NULL;
    bool site = strcmp(z->type, "site") == 0;
    wl_rc rc;
    /* a site's stored geometry is its coarse point: the exact one is sealed */
    if (site && (rc = site_exact(w, z, &geom, &sealed)) != WL_OK)
        return rc;
    if (geom == NULL && (geom = json_loads(z->geometry, 0, &jerr)) == NULL)
        return wl_error_set(w->err, WL_ERR_CORRUPT, "corrupt", "zone %s: stored geometry: %s",
                            z->id, jerr.text);
    props =
        json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:b}", "zone", z->id, "type", z->type, "version",
                  (json_int_t)z->version, "entry", (json_int_t)z->idx, "precision_km",
                  (json_int_t)z->precision_km, "text", z->text, "coarse", site && sealed == NULL);
    if (props && z->side[0])
        json_object_set_new(props, "side", json_string(z->side));
    if (props && z->measured_from[0])
        json_object_set_new(props, "measured_from", json_string(z->measured_from));
    if (props && z->category[0])
        json_object_set_new(props, "category", json_string(z->category));
    if (props && sealed)
        json_object_set_new(props, "sealed", sealed);
    else
        json_decref(sealed);
    if (props)
        f = json_pack("{s:s, s:s, s:o, s:o}", "type", "Feature", "id", z->id, "geometry", geom,
                      "properties", props);
    else
        json_decref(geom);
    if (f == NULL || json_array_append_new(w->list, f) != 0)
        return wl_error_set(w->err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return WL_OK;
}

static wl_rc run(wl_store *s, const char *id, bool exact, const char *member, json_t **list,
                 wl_error *err)
{
    walk w = {.s = s, .exact = exact, .member = member, .err = err};
    wl_rc rc;
    *list = NULL;
    if ((w.list = json_array()) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    err->code = NULL;
    rc = id ? wl_store_zone_versions(s, id, feature, &w)
            : wl_store_zones_current(s, NULL, feature, &w);
    if (rc != WL_OK && err->code == NULL)
        wl_error_set(err, rc, "storage", "the zones cannot be read");
    if (rc == WL_OK && id && json_array_size(w.list) == 0)
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_zone", "no zone %s", id);
    if (rc != WL_OK)
        json_decref(w.list);
    else
        *list = w.list;
    return rc;
}

wl_rc wl_zones_list(wl_store *s, bool exact, const char *member, json_t **out, wl_error *err)
{
    json_t *list;
    wl_rc rc = run(s, NULL, exact, member, &list, err);
    *out = NULL;
    if (rc == WL_OK && (*out = json_pack("{s:s, s:o, s:b}", "type", "FeatureCollection", "features",
                                         list, "exact", exact)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return rc;
}

wl_rc wl_zone_history(wl_store *s, const char *id, bool exact, const char *member, json_t **out,
                      wl_error *err)
{
    json_t *list;
    wl_rc rc = run(s, id, exact, member, &list, err);
    *out = NULL;
    if (rc == WL_OK &&
        (*out = json_pack("{s:s, s:o, s:b}", "zone", id, "versions", list, "exact", exact)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
    return rc;
}
