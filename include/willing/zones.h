/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's zones and protected sites (issue 10, point 3): the module
 * `zones`, its one kind `zone.set` (a version of the contact line, a side's
 * withdrawal line, a buffer or exclusion zone, or a protected critical
 * infrastructure site), geometry read and checked with GEOS (lib/deal/geo.c),
 * the views a viewer may see (the public: each site only as coarse as its
 * precision_km) and the containment index (prepared geometries in an STRtree)
 * that answers which zones hold a point and which sites lie near it.
 * docs/internals/deal.md ("Zones and sites"), docs/FORMAT.md (zone.set).
 */
#ifndef WILLING_ZONES_H
#define WILLING_ZONES_H

#include <stdbool.h>

#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* The module (lib/deal/zone.c), registered in lib/modules.c. */
extern const wl_module wl_zones_module;

/* zone.set's body syntax and geometry checks, no store (the kind's validate). */
wl_rc wl_zone_validate(const wl_entry *e, wl_error *err) WL_MUST;

/*
 * A protected site's exact geometry is sealed content of kind zone.site
 * ({"zone": ID, "geometry": a Point or Polygon}), stored privately; its
 * public zone.set carries only the coarse "point" and "sealed", the
 * commitment (docs/FORMAT.md "Sealed entries") to that content. Both come
 * together (POST /api/v1/zones/sites), never one alone: lib/deal/zone_site.c.
 *
 * wl_zone_point: a site's public point [lon, lat] (each on the 1e-4 degree
 * grid, in range) into lonlat (NULL: only checked); WL_ERR_INVALID if not.
 * wl_zone_entry_check: zone.set posted on its own (POST /api/v1/entries): a
 * site's is refused (it comes with its sealed geometry).
 * wl_zone_site_validate, _seal_check: zone.site's hooks (its body and
 * geometry; sealed on its own through POST /api/v1/sealed: refused).
 * wl_zone_site_coarse: the coarse point of a site's geometry (a GeoJSON Point
 * or Polygon, checked as zone.site's) at precision_km, in degrees.
 * wl_zone_site_pair: the public entry e (zone.set of a site) and its sealed
 * content (zone.site, whose salt and bytes gave commitment c): the same
 * author and zone, e's "sealed" is c, e's point the coarse point of the
 * sealed geometry. Each refusal WL_ERR_INVALID naming the field.
 * wl_zone_site_exact: the exact geometry (GeoJSON text, *geometry: caller
 * frees with free) of the site whose zone.set is the entry at idx, from its
 * sealed content; with sealed != NULL also {"commitment", "salt",
 * "content"} (base64) for a reader to check it against the public entry.
 * WL_ERR_NOT_FOUND: the store holds no sealed content for it.
 */
wl_rc wl_zone_point(const json_t *pt, double lonlat[2]) WL_MUST;
wl_rc wl_zone_entry_check(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_zone_site_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_zone_site_seal_check(wl_store *s, const wl_entry *content, wl_error *err) WL_MUST;
wl_rc wl_zone_site_coarse(const json_t *geometry, uint64_t precision_km, double lonlat[2],
                          wl_error *err) WL_MUST;
wl_rc wl_zone_site_pair(const wl_entry *e, const wl_entry *content, const uint8_t c[32],
                        wl_error *err) WL_MUST;
wl_rc wl_zone_site_exact(wl_store *s, uint64_t idx, char **geometry, json_t **sealed,
                         wl_error *err) WL_MUST;

/*
 * Views (lib/deal/zone_views.c). exact: the viewer may see every site
 * exactly (the operator, coordinators, the host nation and parties); member
 * (NULL: the public): a viewer who sees exactly the sites of the deal
 * versions it is a party of. Anyone else sees each site as its public entry
 * gives it: the centre of its precision_km grid cell, a Point. A site seen
 * exactly carries properties.sealed {"commitment", "salt", "content"}.
 * wl_zones_list: a GeoJSON FeatureCollection of every zone's current version;
 * wl_zone_history: every version of one zone (WL_ERR_NOT_FOUND: none).
 * *out: caller frees (json_decref).
 */
wl_rc wl_zones_list(wl_store *s, bool exact, const char *member, json_t **out,
                    wl_error *err) WL_MUST;
wl_rc wl_zone_history(wl_store *s, const char *id, bool exact, const char *member, json_t **out,
                      wl_error *err) WL_MUST;

/*
 * The containment index (lib/deal/zone_index.c): every current zone, projected,
 * its polygons prepared, in a GEOS STRtree. One index is used by one thread
 * at a time (it owns its GEOS context); build a new one when zones change.
 */
typedef struct wl_zone_index wl_zone_index;
wl_rc wl_zone_index_build(wl_store *s, wl_zone_index **out, wl_error *err) WL_MUST;
void wl_zone_index_free(wl_zone_index *ix); /* NULL: a no-op */
/* Zones the index holds. */
size_t wl_zone_index_size(const wl_zone_index *ix);
/*
 * The zones whose area holds (lon, lat) (its boundary included: buffer,
 * exclusion, a site's polygon when exact), and the protected sites within
 * WL_ZONE_SITE_RADIUS_KM with the distance in km (exact: to the site itself,
 * to 0.01 km; else to its coarse point, to 1 km). *out: caller frees.
 */
wl_rc wl_zone_index_contains(wl_zone_index *ix, double lon, double lat, bool exact, json_t **out,
                             wl_error *err) WL_MUST;
/* The same, counting only (the bench): zones holding the point. */
wl_rc wl_zone_index_count(wl_zone_index *ix, double lon, double lat, size_t *n) WL_MUST;
/*
 * The zones whose area holds (lon, lat), protected sites left out (their
 * exact areas are not public), each given to fn by id (id and type live until
 * fn returns): the monitors' counts per zone. Not WL_OK from fn stops.
 */
typedef wl_rc (*wl_zone_hold_fn)(void *ctx, const char *id, const char *type);
wl_rc wl_zone_index_each(wl_zone_index *ix, double lon, double lat, wl_zone_hold_fn fn,
                         void *ctx) WL_MUST;
/*
 * A circle of radius_km around (lon, lat) against the same public areas, by
 * id: fn(ctx, id, type, inside, crosses) for each area that holds the point
 * (inside, its boundary included) or whose boundary the circle reaches
 * (crosses: the boundary lies within radius_km of the point, measured in the
 * projection). The monitors' compliance counts a report where its point is
 * and flags the zones its radius straddles. Not WL_OK from fn stops.
 */
typedef wl_rc (*wl_zone_near_fn)(void *ctx, const char *id, const char *type, bool inside,
                                 bool crosses);
wl_rc wl_zone_index_near(wl_zone_index *ix, double lon, double lat, double radius_km,
                         wl_zone_near_fn fn, void *ctx) WL_MUST;

#endif
