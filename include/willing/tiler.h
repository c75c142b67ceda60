/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building a log's C2SP tiles leaf by leaf (lib/log/tiler.c): a tiler holds,
 * for each tile level, the partial tile of the tree's current size (at most
 * 255 hashes, 8 KiB a level); appending a leaf hash completes tiles, each
 * handed to a writer as it completes; the root of the current size comes from
 * the partial tiles alone. A tiler started from the partial tiles of size m
 * (those a mirror holds) and grown to size n proves, when its roots at m and n
 * are the two checkpoints' roots, that the tree of size n extends that of
 * size m. Entry bundles: their encoding. docs/internals/log.md has the design.
 */
#ifndef WILLING_TILER_H
#define WILLING_TILER_H

#include "willing/tile.h"

#define WL_TILER_LEVELS 8u /* tile levels 0..7: 8 x 8 tree levels hold any 64-bit size */

typedef struct {
    uint64_t size; /* leaves so far */
    /* part[L]: the hashes of tree level 8L at indices [base, size >> 8L), base their
     * multiple of 256 below: the partial tile of level L at this size */
    uint8_t part[WL_TILER_LEVELS][WL_TILE_WIDTH * 32];
} wl_tiler;

/* Reads tile t's width * 32 bytes into out. */
typedef wl_rc (*wl_tile_read_fn)(void *ctx, const wl_tile *t, uint8_t *out);
/* Takes a tile just completed (width 256): its 256 hashes. */
typedef wl_rc (*wl_tile_write_fn)(void *ctx, const wl_tile *t, const uint8_t *hashes);

/*
 * Starts t at size from the partial tiles of that size, each read through rd
 * (none for size 0; rd may then be NULL). The first error of rd is returned.
 */
wl_rc wl_tiler_start(wl_tiler *t, uint64_t size, wl_tile_read_fn rd, void *ctx) WL_MUST;
/* Appends a leaf hash; each tile it completes goes to wr (level 0 first, then up). */
wl_rc wl_tiler_add(wl_tiler *t, const uint8_t leaf[32], wl_tile_write_fn wr, void *ctx) WL_MUST;
/* The leaf hash at index i when i is in the partial tile of level 0, else WL_ERR_NOT_FOUND. */
wl_rc wl_tiler_leaf(const wl_tiler *t, uint64_t i, uint8_t out[32]) WL_MUST;
/* The root of the tree at t->size (RFC 9162; the empty tree's for size 0). */
wl_rc wl_tiler_root(const wl_tiler *t, uint8_t out[32]) WL_MUST;
/* The partial tile of level at t->size: *tile and *hashes; width 0 when there is none. */
void wl_tiler_partial(const wl_tiler *t, unsigned level, wl_tile *tile, const uint8_t **hashes);

/*
 * Entry bundles (tile/entries/<N>): each entry as its length in two bytes,
 * big-endian, then its bytes. add: WL_ERR_TOO_LARGE for an entry over
 * WL_ENTRY_MAX or a bundle over max. next: the entry at *off (then *off
 * moves past it); WL_ERR_NOT_FOUND at the end, WL_ERR_CORRUPT if cut short.
 */
wl_rc wl_bundle_add(wl_buf *b, const void *entry, size_t len, size_t max) WL_MUST;
wl_rc wl_bundle_next(const void *buf, size_t len, size_t *off, const uint8_t **entry,
                     size_t *elen) WL_MUST;

#endif
