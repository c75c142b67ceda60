/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's zones family (lib/store/store_zones.c): table zones, one row
 * per zone.set entry (a version of a zone: the contact line, a withdrawal
 * line, a buffer or exclusion zone, a protected site), its geometry kept as
 * the GeoJSON text the entry gave. A zone's current version is its row of the
 * highest entry index. The store knows no meaning: the rules are lib/deal/
 * zone.c's. Included by store/store.h; docs/internals/store.md.
 */
#ifndef WILLING_STORE_ZONES_H
#define WILLING_STORE_ZONES_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* One version of a zone: the entry (idx) that set it. */
typedef struct {
    uint64_t idx, version, precision_km;
    char id[65];
    char type[16];          /* contact_line, withdrawal_line, buffer, exclusion, site */
    char side[65];          /* withdrawal_line: the member whose line it is; else "" */
    char measured_from[65]; /* withdrawal_line: the zone it is measured from; else "" */
    char category[16];      /* site: energy, water, port, nuclear, other; else "" */
    const char *geometry;   /* the GeoJSON geometry object's text */
    const char *text;       /* "" when none */
} wl_store_zone;

/* Stores a version (z->geometry and z->text are copied). */
wl_rc wl_store_zone_put(wl_store *s, const wl_store_zone *z) WL_MUST;
/*
 * The zone whose version the entry at index is: *zone (caller frees,
 * wl_free) is its id, NULL (and WL_OK) when that entry is not a zone version.
 * An engine error is returned with err set.
 */
wl_rc wl_store_zone_at(wl_store *s, uint64_t index, char **zone, wl_error *err) WL_MUST;
/* Called per version; geometry and text live until fn returns. Not WL_OK stops the walk. */
typedef wl_rc (*wl_store_zone_fn)(void *ctx, const wl_store_zone *z);
/*
 * The latest version of a zone, given to fn once (WL_ERR_NOT_FOUND when the
 * zone has none); with id NULL, the latest version of every zone, in id order.
 */
wl_rc wl_store_zones_current(wl_store *s, const char *id, wl_store_zone_fn fn, void *ctx) WL_MUST;
/* Every version of a zone, oldest first (none: fn is not called, WL_OK). */
wl_rc wl_store_zone_versions(wl_store *s, const char *id, wl_store_zone_fn fn, void *ctx) WL_MUST;
/*
 * Whether member is a party of a deal version whose zones name the entry at
 * idx (a site's readers include the parties of the deals that hold it).
 */
wl_rc wl_store_zone_deal_party(wl_store *s, const char *member, uint64_t idx, bool *yes) WL_MUST;
/*
 * The zones' generation: the index of the last zone.set entry + 1 (0: none).
 * Versions are only ever added, so it changes exactly when the zones do.
 */
wl_rc wl_store_zones_generation(wl_store *s, uint64_t *gen) WL_MUST;

#endif
