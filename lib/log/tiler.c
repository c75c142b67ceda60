/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A log's tiles built leaf by leaf from the partial tiles of a size, and the
 * root from them (include/willing/tiler.h; docs/internals/log.md, "Tiles").
 * Entry bundles' encoding. `willing mirror` writes a static mirror with it.
 */
#include <string.h>

#include "willing/merkle.h"
#include "willing/tiler.h"

/* Hashes the n (a power of two, at most 256) hashes at h into their subtree's root. */
static void fold(const uint8_t *h, unsigned n, uint8_t out[32])
{
    uint8_t scratch[WL_TILE_WIDTH / 2 * 32];
    const uint8_t *src = h;
    if (n == 1) {
        memcpy(out, h, 32);
        return;
    }
    for (; n > 1; n /= 2) {
        for (unsigned i = 0; i < n / 2; i++)
            wl_merkle_node_hash(src + 64 * i, src + 64 * i + 32, scratch + 32 * i);
        src = scratch;
    }
    memcpy(out, scratch, 32);
}

/* How many hashes of tile level L the tree of size has: size >> 8L. */
static uint64_t count_at(uint64_t size, unsigned level)
{
    return WL_TILE_HEIGHT * level >= 64 ? 0 : size >> (WL_TILE_HEIGHT * level);
}

wl_rc wl_tiler_start(wl_tiler *t, uint64_t size, wl_tile_read_fn rd, void *ctx)
{
    t->size = size;
    for (unsigned l = 0; l < WL_TILER_LEVELS; l++) {
        wl_tile tile = {(int)l, count_at(size, l) / WL_TILE_WIDTH, wl_tile_partial_width(size, l)};
        wl_rc rc;
        if (tile.width == 0)
            continue;
        if (rd == NULL)
            return WL_ERR_INVALID;
        if ((rc = rd(ctx, &tile, t->part[l])) != WL_OK) {
            t->size = 0;
            return rc;
        }
    }
    return WL_OK;
}

wl_rc wl_tiler_add(wl_tiler *t, const uint8_t leaf[32], wl_tile_write_fn wr, void *ctx)
{
    uint8_t h[32];
    if (t->size == UINT64_MAX)
        return WL_ERR_TOO_LARGE;
    memcpy(h, leaf, 32);
    t->size++;
    for (unsigned l = 0; l < WL_TILER_LEVELS; l++) {
        uint64_t n = count_at(t->size, l); /* the new hash is the n-th of level l */
        wl_tile tile = {(int)l, (n - 1) / WL_TILE_WIDTH, WL_TILE_WIDTH};
        wl_rc rc;
        memcpy(t->part[l] + ((n - 1) % WL_TILE_WIDTH) * 32, h, 32);
        if (n % WL_TILE_WIDTH != 0)
            break; /* no tile completed at this level: none above either */
        if (wr != NULL && (rc = wr(ctx, &tile, t->part[l])) != WL_OK)
            return rc;
        fold(t->part[l], WL_TILE_WIDTH, h); /* the tile's root: a hash of the level above */
    }
    return WL_OK;
}

wl_rc wl_tiler_leaf(const wl_tiler *t, uint64_t i, uint8_t out[32])
{
    if (i >= t->size || i < t->size / WL_TILE_WIDTH * WL_TILE_WIDTH)
        return WL_ERR_NOT_FOUND;
    memcpy(out, t->part[0] + (i % WL_TILE_WIDTH) * 32, 32);
    return WL_OK;
}

/*
 * The hash of the complete subtree at tree level `level`, index idx, from the
 * partial tile of its tile level: the root of 2^(level % 8) of its hashes.
 * The subtrees a root is made of (wl_merkle_root asks for those only) all lie
 * in the partial tiles.
 */
static wl_rc partial_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    const wl_tiler *t = ctx;
    unsigned l = level / WL_TILE_HEIGHT, k = level % WL_TILE_HEIGHT;
    uint64_t n, base, lo;
    if (l >= WL_TILER_LEVELS)
        return WL_ERR_NOT_FOUND;
    n = count_at(t->size, l);
    base = n / WL_TILE_WIDTH * WL_TILE_WIDTH;
    if (idx > (UINT64_MAX >> k) - 1)
        return WL_ERR_NOT_FOUND;
    lo = idx << k;
    if (lo < base || lo + (1u << k) > n)
        return WL_ERR_NOT_FOUND;
    fold(t->part[l] + (lo - base) * 32, 1u << k, out);
    return WL_OK;
}

wl_rc wl_tiler_root(const wl_tiler *t, uint8_t out[32])
{
    return wl_merkle_root(partial_reader, (void *)t, t->size, out);
}

void wl_tiler_partial(const wl_tiler *t, unsigned level, wl_tile *tile, const uint8_t **hashes)
{
    tile->level = (int)level;
    tile->index = count_at(t->size, level) / WL_TILE_WIDTH;
    tile->width = level < WL_TILER_LEVELS ? wl_tile_partial_width(t->size, level) : 0;
    *hashes = level < WL_TILER_LEVELS ? t->part[level] : NULL;
}

wl_rc wl_bundle_add(wl_buf *b, const void *entry, size_t len, size_t max)
{
    uint8_t n[2] = {(uint8_t)(len >> 8), (uint8_t)len};
    wl_rc rc;
    if (len > WL_ENTRY_MAX)
        return WL_ERR_TOO_LARGE;
    if ((rc = wl_buf_append(b, n, 2, max)) != WL_OK)
        return rc;
    if ((rc = wl_buf_append(b, entry, len, max)) != WL_OK) {
        b->len -= 2; /* nothing of this entry kept */
        b->buf[b->len] = '\0';
    }
    return rc;
}

wl_rc wl_bundle_next(const void *buf, size_t len, size_t *off, const uint8_t **entry, size_t *elen)
{
    const uint8_t *p = buf;
    size_t n;
    *entry = NULL;
    *elen = 0;
    if (*off >= len)
        return WL_ERR_NOT_FOUND;
    if (len - *off < 2)
        return WL_ERR_CORRUPT;
    n = (size_t)p[*off] << 8 | p[*off + 1];
    if (len - *off - 2 < n)
        return WL_ERR_CORRUPT;
    *entry = p + *off + 2;
    *elen = n;
    *off += 2 + n;
    return WL_OK;
}
