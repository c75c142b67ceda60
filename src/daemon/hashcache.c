/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A direct-mapped cache of complete-subtree hashes for the proof handlers.
 * Such a hash never changes once committed, and every hash cached here was
 * read from committed data, so the cache needs no invalidation. 65,536 slots
 * of 40 bytes (2.5 MiB), guarded by 256 striped mutexes.
 *
 * The tree's warm-up: a proof reads a hash or more from one full tile of each
 * level, so after a start on a log the system has not read lately (a bulk
 * load, a restart) each one waited on the disk for its level-0 tile's pages.
 * One thread reads every full tile once at start, upper levels first, into
 * the system's page cache (not this process's memory: the engine's own cache
 * stays its few MiB); then the proofs find them there.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"

#define HC_BITS 16
#define HC_SLOTS (1u << HC_BITS)
#define HC_STRIPES 256u

typedef struct {
    uint64_t key; /* (level << 58 | idx) + 1; 0 = empty */
    uint8_t h[32];
} slot;

static slot cache[HC_SLOTS];
static pthread_mutex_t stripes[HC_STRIPES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    for (unsigned i = 0; i < HC_STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
}

/* A hash inside a full tile's blob: 32 bytes read in place (store.h, tile blobs). */
static wl_rc blob_hash(wl_store *s, unsigned level, uint64_t idx, uint8_t out[32])
{
    unsigned tl = level / 8, r = level % 8;
    uint64_t t = idx >> (8 - r), off = 0;
    for (unsigned j = 0; j < r; j++)
        off += 256u >> j;
    off += idx - (t << (8 - r));
    return wl_store_tile_read(s, tl, t, (size_t)off * 32, 32, out);
}

wl_rc wl_cached_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    uint64_t key, pos;
    pthread_mutex_t *mu;
    wl_rc rc;
    int hit;

    if (level >= 64 || idx >= (1ull << 58))
        return wl_store_hash_get(ctx, level, idx, out);
    pthread_once(&once, init);
    key = ((uint64_t)level << 58 | idx) + 1;
    pos = (key * 0x9E3779B97F4A7C15ull) >> (64 - HC_BITS);
    mu = &stripes[pos % HC_STRIPES];
    pthread_mutex_lock(mu);
    hit = cache[pos].key == key;
    if (hit)
        memcpy(out, cache[pos].h, 32);
    pthread_mutex_unlock(mu);
    if (hit)
        return WL_OK;
    rc = blob_hash(ctx, level, idx, out);
    if (rc == WL_ERR_NOT_FOUND)
        rc = wl_store_hash_get(ctx, level, idx, out);
    if (rc == WL_OK) {
        pthread_mutex_lock(mu);
        cache[pos].key = key;
        memcpy(cache[pos].h, out, 32);
        pthread_mutex_unlock(mu);
    }
    return rc;
}

void *wl_tree_warmer_main(void *arg)
{
    wl_store *s = arg;
    uint64_t below = UINT64_MAX, bytes = 0, tiles = 0;
    struct timespec t0, t1;
    wl_rc rc = WL_OK;
    size_t n = 1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (n > 0) {
        bool stop;
        pthread_mutex_lock(&wl_srv->mu);
        stop = wl_srv->stopping;
        pthread_mutex_unlock(&wl_srv->mu);
        if (stop) {
            wl_store_close(s);
            return NULL;
        }
        /* 256 tiles (4 MiB) a transaction: no snapshot held for long */
        if ((rc = wl_store_begin_read(s)) == WL_OK)
            rc = wl_store_tiles_touch(s, &below, 256, &n, &bytes);
        (void)!wl_store_commit(s);
        if (rc != WL_OK)
            break;
        tiles += n;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    wl_store_close(s); /* its cache's memory back: the warm-up is done */
    if (rc != WL_OK)
        fprintf(stderr, "willing: the tree's warm-up stopped after %llu tiles: %s\n",
                (unsigned long long)tiles, wl_rc_name(rc));
    else
        fprintf(stderr, "willing: the tree's %llu full tiles read once (%llu MiB, %.1f s)\n",
                (unsigned long long)tiles, (unsigned long long)(bytes >> 20),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return NULL;
}
