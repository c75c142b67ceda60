/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's log family: entries (with the columns derived from their bytes),
 * complete-subtree hashes, full tiles, signed checkpoints, and which sealed
 * entries were announced (tables entries, hashes, tiles, checkpoints,
 * announced). Included by store/store.h, which opens the
 * store and holds its transactions; lib/store/store_log.c implements it.
 * docs/internals/store.md has the contract.
 */
#ifndef WILLING_STORE_LOG_H
#define WILLING_STORE_LOG_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

typedef struct {
    uint64_t index;
    const char *data;
    size_t len;
    const uint8_t *leaf;
    const char *kind;
    const char *author;
    uint64_t seq;
    int64_t time;
} wl_stored_entry;

wl_rc wl_store_size(wl_store *s, uint64_t *size) WL_MUST;
/* Appends the entry at e->index, which must equal the size. */
wl_rc wl_store_append(wl_store *s, const wl_stored_entry *e) WL_MUST;
/* *data: caller frees. kind/author: optional buffers of 33/65 bytes. */
wl_rc wl_store_entry(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                     char *author, uint64_t *seq, int64_t *time) WL_MUST;
/*
 * Inside a write transaction (wl_store_begin): which of n (author, seq) pairs the log
 * holds, asked of the engine at once (a few statements, not one a pair), so that
 * wl_store_find_seq answers the pairs it does not hold without asking, until the
 * transaction ends (an append of one makes it ask again). On failure nothing is kept.
 */
wl_rc wl_store_find_seq_many(wl_store *s, const char *const *authors, const uint64_t *seqs,
                             size_t n) WL_MUST;
/* The index and bytes stored for (author, seq); WL_ERR_NOT_FOUND if none. */
wl_rc wl_store_find_seq(wl_store *s, const char *author, uint64_t seq, uint64_t *index, char **data,
                        size_t *len) WL_MUST;
/* Calls fn for entries [from, to) in order; stops on the first non-OK. */
typedef wl_rc (*wl_entry_fn)(void *ctx, uint64_t index, const char *data, size_t len);
wl_rc wl_store_entries(wl_store *s, uint64_t from, uint64_t to, wl_entry_fn fn, void *ctx) WL_MUST;

/* Entries by kind (any of up to 4; none: all), author, index range and time range. */
typedef struct {
    const char *kinds[5]; /* NULL-terminated */
    const char *author;   /* NULL: any */
    uint64_t from, to;    /* indices [from, to) */
    int64_t since, until; /* entry times [since, until) */
    size_t limit;         /* 0: no limit */
    int newest_first;
} wl_entry_query;
wl_entry_query wl_entry_query_all(void);
wl_rc wl_store_entries_query(wl_store *s, const wl_entry_query *q, wl_entry_fn fn,
                             void *ctx) WL_MUST;
/* Entries of one kind from index `from` on, in order. */
wl_rc wl_store_entries_of_kind(wl_store *s, const char *kind, uint64_t from, wl_entry_fn fn,
                               void *ctx) WL_MUST;

/*
 * For fsck: the columns stored beside an entry's bytes (its leaf hash, kind,
 * author, seq, time), as stored, to compare with those its bytes give.
 */
wl_rc wl_store_entry_derived(wl_store *s, uint64_t index, uint8_t leaf[32], char kind[33],
                             char author[65], uint64_t *seq, int64_t *time) WL_MUST;

/* Complete-subtree hashes: level 0 is leaves; (l, i) covers [i << l, (i + 1) << l). */
wl_rc wl_store_hash_put(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32]) WL_MUST;
wl_rc wl_store_hash_get(wl_store *s, unsigned level, uint64_t idx, uint8_t h[32]) WL_MUST;
/* count consecutive hashes from idx at level into out (count * 32 bytes). */
wl_rc wl_store_hash_range(wl_store *s, unsigned level, uint64_t idx, size_t count,
                          uint8_t *out) WL_MUST;
/*
 * Full tiles, stored once complete as one blob of WL_TILE_BLOB_BYTES: the
 * tile's 256 hashes (tree level 8 * tlevel), then the 128, 64, ..., 2 hashes
 * of the seven levels above them inside the tile. The first 8,192 bytes are
 * the tile as served; the rest lets a proof read its lowest eight hashes at once.
 */
#define WL_TILE_BLOB_HASHES 510u
#define WL_TILE_BLOB_BYTES (WL_TILE_BLOB_HASHES * 32u)
wl_rc wl_store_tile_put(wl_store *s, unsigned tlevel, uint64_t idx,
                        const uint8_t data[WL_TILE_BLOB_BYTES]) WL_MUST;
wl_rc wl_store_tile_get(wl_store *s, unsigned tlevel, uint64_t idx,
                        uint8_t data[WL_TILE_BLOB_BYTES]) WL_MUST;
/* Reads len bytes at offset of a full tile's blob, without reading the rest. */
wl_rc wl_store_tile_read(wl_store *s, unsigned tlevel, uint64_t idx, size_t offset, size_t len,
                         uint8_t *out) WL_MUST;
/*
 * Reads up to max full tiles' blobs in full, the highest ids below *below first (the upper
 * tile levels, then level 0 from its newest tile back), *below set to the last id read, so
 * that the engine's and the system's caches hold them (the daemon's warm-up). *n: how many
 * were read (0: none left below); *bytes grows by their bytes.
 */
wl_rc wl_store_tiles_touch(wl_store *s, uint64_t *below, size_t max, size_t *n,
                           uint64_t *bytes) WL_MUST;
/* A wl_hash_reader over the store (ctx is the wl_store). */
wl_rc wl_store_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32]);

/* Checkpoints: the signed note of each published size, cosignatures appended. */
wl_rc wl_store_checkpoint_put(wl_store *s, uint64_t size, const char *note, size_t len,
                              int64_t created) WL_MUST;
wl_rc wl_store_checkpoint_latest(wl_store *s, uint64_t *size, char **note, size_t *len) WL_MUST;
wl_rc wl_store_checkpoint_get(wl_store *s, uint64_t size, char **note, size_t *len) WL_MUST;
/*
 * The first checkpoint of a size above `after` (the deal's in force since: its cosignature).
 * Sizes compare as stored, signed 64-bit: fsck starts from (uint64_t)INT64_MIN to meet a size
 * damaged below 0.
 */
wl_rc wl_store_checkpoint_after(wl_store *s, uint64_t after, uint64_t *size, char **note,
                                size_t *len) WL_MUST;

/*
 * Announcements: sealed entry `sealed` was announced by entry `at`, written
 * by the announce kind's rule in the entry's transaction, so that its "once"
 * is one lookup. put: WL_ERR_CONFLICT if it was announced already. get:
 * WL_ERR_NOT_FOUND (and *at UINT64_MAX) if it was not.
 */
wl_rc wl_store_announced_put(wl_store *s, uint64_t sealed, uint64_t at) WL_MUST;
wl_rc wl_store_announced_get(wl_store *s, uint64_t sealed, uint64_t *at) WL_MUST;

#endif
