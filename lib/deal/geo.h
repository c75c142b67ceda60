/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to lib/deal: GeoJSON (RFC 7946) geometries read into GEOS with
 * every check of a zone (geo.c), the projection distances and containment
 * use, and the coarse point the public sees of a protected site. Only GEOS's
 * reentrant C API, one context per caller (wl_geo_open), whose messages go
 * into the caller's wl_error, never to stderr. docs/internals/deal.md
 * ("Zones and sites").
 */
#ifndef WILLING_DEAL_GEO_H
#define WILLING_DEAL_GEO_H

#include <geos_c.h>

#include "willing/wl.h"

typedef struct json_t json_t;

/* A GEOS context and the last message GEOS gave on it. */
typedef struct {
    GEOSContextHandle_t h;
    char msg[200];
} wl_geo;

/* The GeoJSON types a zone may have, as bits. */
#define WL_GEO_POINT 1u
#define WL_GEO_LINESTRING 2u
#define WL_GEO_POLYGON 4u
#define WL_GEO_MULTILINESTRING 8u
#define WL_GEO_MULTIPOLYGON 16u
#define WL_GEO_ANY 31u
/* With the types: a geometry checked before (read from the store): GEOS's validity not asked. */
#define WL_GEO_STORED 1024u

/* A context for this thread's use; close with wl_geo_close (NULL h: a no-op). */
wl_rc wl_geo_open(wl_geo *g, wl_error *err) WL_MUST;
void wl_geo_close(wl_geo *g);

/*
 * The GeoJSON geometry object geom as a GEOS geometry in longitude and
 * latitude (*out: free with GEOSGeom_destroy_r), if its type is one of
 * allowed and it passes every check: geometry_type, bad_position (not 2 or 3
 * numbers: an altitude is allowed and ignored), out_of_range, unclosed_ring
 * (also a ring of fewer than 4 positions), too_many_vertices
 * (WL_ZONE_VERTICES_MAX), invalid_geometry (GEOS's reason: a
 * self-intersection, a line of one position). Each refusal is WL_ERR_INVALID
 * naming where, as geometry.coordinates[0][5].
 */
wl_rc wl_geo_read(wl_geo *g, const json_t *geom, unsigned allowed, GEOSGeometry **out,
                  wl_error *err) WL_MUST;

/*
 * The projection: spherical Lambert azimuthal equal-area centred on 31 E,
 * 48.5 N, in kilometres (docs/internals/deal.md says its error over Ukraine).
 */
void wl_geo_forward(double lon, double lat, double *x, double *y);
void wl_geo_inverse(double x, double y, double *lon, double *lat);
/* g (longitude, latitude) projected: a new geometry, NULL when GEOS fails. */
GEOSGeometry *wl_geo_project(wl_geo *g, const GEOSGeometry *lonlat);
/*
 * The point the public sees of a site: the centre of the precision_km grid
 * cell (in the projection) holding the centroid of proj, in kilometres (x, y)
 * and degrees (lon, lat, rounded to 1e-4).
 */
wl_rc wl_geo_coarse(wl_geo *g, const GEOSGeometry *proj, double precision_km, double xy[2],
                    double lonlat[2], wl_error *err) WL_MUST;

#endif
