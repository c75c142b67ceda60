/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C2SP tlog-tiles geometry: tile path encoding and parsing, and which tiles
 * a tree of a given size has. Tiles are 256 hashes wide (height 8).
 */
#ifndef WILLING_TILE_H
#define WILLING_TILE_H

#include "willing/wl.h"

#define WL_TILE_WIDTH 256u
#define WL_TILE_HEIGHT 8u
#define WL_TILE_LEVEL_ENTRIES (-1) /* the entry bundle "level" */

typedef struct {
    int level;      /* 0..63, or WL_TILE_LEVEL_ENTRIES for tile/entries */
    uint64_t index; /* N */
    unsigned width; /* 1..256; 256 is a full tile (no .p/ suffix) */
} wl_tile;

/* "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]"; returns length, 0 if cap too small. */
size_t wl_tile_path(const wl_tile *t, char *out, size_t cap);
/* Parses a path relative to the log prefix, exactly as the spec encodes it. */
wl_rc wl_tile_parse(const char *path, size_t len, wl_tile *t) WL_MUST;
/* Number of full tiles at level l, and the width of the partial one (0 if none). */
uint64_t wl_tile_full_count(uint64_t size, unsigned level);
unsigned wl_tile_partial_width(uint64_t size, unsigned level);

#endif
