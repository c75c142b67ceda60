/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C2SP tlog-tiles path encoding ("x001/x234/067", ".p/<W>") and the geometry
 * of the tiles of a tree. The daemon serves them; verify fetches them.
 */
#include <stdio.h>
#include <string.h>

#include "willing/note.h"
#include "willing/tile.h"

size_t wl_tile_path(const wl_tile *t, char *out, size_t cap)
{
    char nbuf[64];
    char groups[8][4];
    int ng = 0, n;
    uint64_t v = t->index;
    size_t off = 0;

    do {
        snprintf(groups[ng++], 4, "%03u", (unsigned)(v % 1000));
        v /= 1000;
    } while (v > 0);
    for (int i = ng - 1; i >= 0; i--) {
        n = snprintf(nbuf + off, sizeof nbuf - off, "%s%s%s", i == ng - 1 ? "" : "/",
                     i > 0 ? "x" : "", groups[i]);
        off += (size_t)n;
    }
    if (t->level == WL_TILE_LEVEL_ENTRIES)
        n = snprintf(out, cap, "tile/entries/%s", nbuf);
    else
        n = snprintf(out, cap, "tile/%d/%s", t->level, nbuf);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    if (t->width < WL_TILE_WIDTH) {
        int m = snprintf(out + n, cap - (size_t)n, ".p/%u", t->width);
        if (m < 0 || (size_t)m >= cap - (size_t)n)
            return 0;
        n += m;
    }
    return (size_t)n;
}

wl_rc wl_tile_parse(const char *path, size_t len, wl_tile *t)
{
    const char *p = path, *end = path + len, *slash;
    uint64_t v, idx = 0;
    int last = 0;

    memset(t, 0, sizeof *t);
    if (len < 5 || memcmp(p, "tile/", 5) != 0)
        goto bad;
    p += 5;
    slash = memchr(p, '/', (size_t)(end - p));
    if (slash == NULL)
        goto bad;
    if ((size_t)(slash - p) == 7 && memcmp(p, "entries", 7) == 0) {
        t->level = WL_TILE_LEVEL_ENTRIES;
    } else {
        if (wl_parse_u64(p, (size_t)(slash - p), &v) != WL_OK || v > 63)
            goto bad;
        t->level = (int)v;
    }
    p = slash + 1;
    /* N: x-prefixed 3-digit groups, the last without x */
    while (!last) {
        const char *e = p;
        if (e < end && *e == 'x') {
            e++;
        } else {
            last = 1;
        }
        if (end - e < 3)
            goto bad;
        for (int i = 0; i < 3; i++)
            if (e[i] < '0' || e[i] > '9')
                goto bad;
        if (idx > (UINT64_MAX - 999) / 1000)
            goto bad;
        idx = idx * 1000 + (uint64_t)((e[0] - '0') * 100 + (e[1] - '0') * 10 + (e[2] - '0'));
        p = e + 3;
        if (!last) {
            if (p >= end || *p != '/')
                goto bad;
            p++;
        }
    }
    t->index = idx;
    t->width = WL_TILE_WIDTH;
    if (p != end) {
        if (end - p < 4 || memcmp(p, ".p/", 3) != 0)
            goto bad;
        if (wl_parse_u64(p + 3, (size_t)(end - p - 3), &v) != WL_OK || v < 1 || v > 255)
            goto bad;
        t->width = (unsigned)v;
    }
    /* The encoding is unique (no superfluous x000/ groups): re-encode and compare. */
    {
        char re[128];
        size_t rl = wl_tile_path(t, re, sizeof re);
        if (rl != len || memcmp(re, path, len) != 0)
            goto bad;
    }
    return WL_OK;
bad:
    memset(t, 0, sizeof *t);
    return WL_ERR_INVALID;
}

uint64_t wl_tile_full_count(uint64_t size, unsigned level)
{
    unsigned shift = WL_TILE_HEIGHT * (level + 1);
    return shift >= 64 ? 0 : size >> shift;
}

unsigned wl_tile_partial_width(uint64_t size, unsigned level)
{
    unsigned shift = WL_TILE_HEIGHT * level;
    return shift >= 64 ? 0 : (unsigned)((size >> shift) % WL_TILE_WIDTH);
}
