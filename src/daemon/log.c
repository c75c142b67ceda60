/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The C2SP tlog-tiles read API under /log/: the checkpoint (short cache),
 * Merkle tiles and entry bundles (immutable, long cache). A tile is served
 * when the committed tree covers it; partial tiles for every size.
 */
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/tiler.h"

static const char immutable[] = "public, max-age=31536000, immutable";

static enum MHD_Result checkpoint(struct MHD_Connection *c)
{
    enum MHD_Result ret;
    pthread_mutex_lock(&wl_srv->mu);
    if (wl_srv->cp_note == NULL) {
        pthread_mutex_unlock(&wl_srv->mu);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no_checkpoint",
                                "no checkpoint has been published yet; retry in a second");
    }
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/plain; charset=utf-8", wl_srv->cp_note,
                           wl_srv->cp_len, "public, max-age=1, must-revalidate");
    pthread_mutex_unlock(&wl_srv->mu);
    return ret;
}

static wl_rc add_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    wl_rc rc = wl_bundle_add(ctx, data, len, WL_BUNDLE_MAX);
    (void)index;
    return rc == WL_ERR_TOO_LARGE ? WL_ERR_CORRUPT : rc; /* a stored entry over the limit */
}

/* GET /log/<path>: the checkpoint, a tile or an entry bundle. */
static enum MHD_Result get_log(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *path = call->rest;
    wl_tile t;
    uint64_t size, have;
    wl_store *s;
    enum MHD_Result ret;
    wl_rc rc;

    if (strcmp(path, "checkpoint") == 0)
        return checkpoint(c);
    if (wl_tile_parse(path, strlen(path), &t) != WL_OK)
        return wl_respond_error(
            c, MHD_HTTP_NOT_FOUND, "not_found",
            "not a tile path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], "
            "N as x-prefixed 3-digit groups)");
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->size;
    pthread_mutex_unlock(&wl_srv->mu);
    /* hashes available at this tile's level */
    if (t.level == WL_TILE_LEVEL_ENTRIES)
        have = size;
    else
        have = (unsigned)t.level * 8 >= 64 ? 0 : size >> (8 * (unsigned)t.level);
    if (t.index > UINT64_MAX / 256 || t.index * 256 + t.width > have)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "the tree (size %llu) has no such tile", (unsigned long long)size);
    s = wl_thread_store();
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if (t.level == WL_TILE_LEVEL_ENTRIES) {
        wl_buf b = {NULL, 0, 0};
        rc = wl_store_entries(s, t.index * 256, t.index * 256 + t.width, add_entry, &b);
        if (rc == WL_OK)
            ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/octet-stream", b.buf, b.len,
                                   immutable);
        else
            ret = wl_respond_error(c, wl_status_for(rc), "storage", "reading entries: %s",
                                   wl_rc_name(rc));
        wl_free(b.buf);
        return ret;
    }
    {
        uint8_t hashes[WL_TILE_BLOB_BYTES]; /* a full tile is the blob's first 8,192 bytes */
        if (t.width == 256)
            rc = wl_store_tile_get(s, (unsigned)t.level, t.index, hashes); /* one row */
        else
            rc = wl_store_hash_range(s, (unsigned)t.level * 8, t.index * 256, t.width, hashes);
        if (rc != WL_OK)
            return wl_respond_error(c, wl_status_storage(rc), "storage",
                                    "reading tile hashes from the database: %s", wl_rc_name(rc));
        return wl_respond_bytes(c, MHD_HTTP_OK, "application/octet-stream", hashes,
                                (size_t)t.width * 32, immutable);
    }
}

const wl_route wl_routes_log[] = {
    {"GET", "/log/*", WL_ACCESS_ANYONE, 0, get_log, 0, NULL},
    {"*", "/log/*", WL_ACCESS_ANYONE, 0, NULL, 0, "%s is read-only: use GET"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
