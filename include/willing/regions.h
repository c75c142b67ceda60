/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Regions of a map (lib/monitor/regions.c): the oblast boundaries of
 * data/geo, as the console's map draws them, to say which oblast a report's
 * point is in (the daily report's summary by region). GEOS containment over
 * prepared areas in an STRtree. One index is used by one thread at a time
 * (it owns its GEOS context). docs/internals/monitor.md ("The daily report").
 */
#ifndef WILLING_REGIONS_H
#define WILLING_REGIONS_H

#include <stddef.h>

#include "willing/wl.h"

typedef struct wl_regions wl_regions;

/*
 * An index of the GeoJSON FeatureCollection geojson (len bytes): each
 * feature a Polygon or MultiPolygon named by its property prop ("name" in the
 * file the daemon serves, "ADMIN_1" in data/geo's own). WL_ERR_INVALID,
 * bad_regions naming the feature, for anything else.
 */
wl_rc wl_regions_build(const char *geojson, size_t len, const char *prop, wl_regions **out,
                       wl_error *err) WL_MUST;
void wl_regions_free(wl_regions *r); /* NULL: a no-op */
/* The regions the index holds. */
size_t wl_regions_count(const wl_regions *r);
/*
 * The name of the region whose area (its boundary included) holds the point,
 * the first in the file's order when two do; NULL when none does. The name
 * lives as long as the index.
 */
const char *wl_regions_find(wl_regions *r, double lon, double lat);

#endif
