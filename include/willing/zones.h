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
 * Views (lib/deal/zone_views.c). exact: the viewer may see sites exactly
 * (the operator, coordinators, the host nation and parties); otherwise each
 * site is the centre of its precision_km grid cell, a Point.
 * wl_zones_list: a GeoJSON FeatureCollection of every zone's current version;
 * wl_zone_history: every version of one zone (WL_ERR_NOT_FOUND: none).
 * *out: caller frees (json_decref).
 */
wl_rc wl_zones_list(wl_store *s, bool exact, json_t **out, wl_error *err) WL_MUST;
wl_rc wl_zone_history(wl_store *s, const char *id, bool exact, json_t **out, wl_error *err) WL_MUST;

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

#endif
