/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's blobs family: documents stored by the SHA-256 of their bytes
 * (table blobs), and who may read them (blob_refs: the members an entry names
 * as readers; blob_public: an entry that makes a blob public). Blobs are not
 * log entries: entries carry only their hashes, and an entry's apply grants
 * readers with wl_store_blob_ref / wl_store_blob_publish, which may name a
 * hash not uploaded yet (the grant applies when it comes). The store keeps the
 * rows; whether the bytes match the hash and who may upload are the caller's
 * (src/daemon/blobs.c). Included by store/store.h; lib/store/store_blobs.c
 * implements it. docs/internals/deal.md ("Blobs").
 */
#ifndef WILLING_STORE_BLOBS_H
#define WILLING_STORE_BLOBS_H

#include <stdbool.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* What the store knows of a blob, without its bytes. */
typedef struct {
    bool exists; /* false: not held (every other field zero) */
    uint64_t size;
    char media[WL_BLOB_MEDIA_MAX + 1];
    bool public_; /* anyone may read it: uploaded public, or made public by an entry */
    char uploader[WL_MEMBER_MAX + 1];
    int64_t added; /* unix seconds of the upload */
} wl_blob_meta;

/*
 * Stores n bytes under hash (the caller has checked that hash is their
 * SHA-256). The same hash again changes nothing: *created is false then, true
 * for a new blob. media: at most WL_BLOB_MEDIA_MAX bytes (WL_ERR_INVALID
 * otherwise). Durable at the transaction's commit, like entries.
 */
wl_rc wl_store_blob_put(wl_store *s, const uint8_t hash[32], const void *bytes, size_t n,
                        const char *media, bool public_, const char *uploader, int64_t added,
                        bool *created, wl_error *err) WL_MUST;
/* The blob's metadata; WL_OK with out->exists false when it is not held. */
wl_rc wl_store_blob_meta(wl_store *s, const uint8_t hash[32], wl_blob_meta *out,
                         wl_error *err) WL_MUST;
/*
 * The blob's bytes into *bytes (caller frees with wl_free; NUL-terminated
 * after *n bytes), or WL_ERR_NOT_FOUND when it is not held (*bytes NULL, *n 0).
 */
wl_rc wl_store_blob_read(wl_store *s, const uint8_t hash[32], void **bytes, size_t *n,
                         wl_error *err) WL_MUST;
/*
 * n bytes of the blob from offset into buf (offset + n within its size), read
 * from its pages alone (a slice, never the whole blob in memory): for serving
 * a large blob in pieces. WL_ERR_NOT_FOUND when it is not held.
 */
wl_rc wl_store_blob_read_at(wl_store *s, const uint8_t hash[32], uint64_t offset, void *buf,
                            size_t n, wl_error *err) WL_MUST;
/*
 * Whether member may read the blob by the blob's own grants: it is held, and
 * it is public (uploaded public, or published by an entry), or member
 * uploaded it, or an entry names member as a reader. member NULL: anyone (the
 * public). Roles that see everything (coordinators, the operator) are the
 * caller's to add: the store knows no roles.
 */
wl_rc wl_store_blob_may_read(wl_store *s, const uint8_t hash[32], const char *member, bool *may,
                             wl_error *err) WL_MUST;
/*
 * From an entry's apply (index: the entry's): member may read the blob; and
 * the blob is public. Either may name a hash not held yet. The same entry's
 * grant twice changes nothing (a replay); a blob made public again keeps the
 * first entry's index.
 */
wl_rc wl_store_blob_ref(wl_store *s, const uint8_t hash[32], const char *member, uint64_t index,
                        wl_error *err) WL_MUST;
wl_rc wl_store_blob_publish(wl_store *s, const uint8_t hash[32], uint64_t index,
                            wl_error *err) WL_MUST;

#endif
