/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's sealed family: sealed content, kept privately, with its batch
 * (named by its deadline) and, once published, the index of its envelope
 * (table sealed). Readable only by its author, the coordinator and the members
 * it names (the daemon enforces that); the log holds only the commitment, in
 * an envelope published with its batch, and the receipt is signed over the
 * commitment. Included by store/store.h; lib/store/store_sealed.c implements it.
 */
#ifndef WILLING_STORE_SEALED_H
#define WILLING_STORE_SEALED_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

typedef struct {
    uint8_t commitment[32];
    char author[65];
    uint8_t salt[32];
    char *content; /* owned (wl_store_sealed_free) */
    size_t content_len;
    char *readers; /* JSON array of member ids, owned */
    int64_t batch; /* its batch, named by the batch's deadline (unix seconds) */
    int64_t received;
    uint64_t envelope; /* index of its envelope, UINT64_MAX until published */
    char pledge[33];   /* the pledge id the content names, or "" */
    char subject[65];  /* the member a member.add, key.add or member.status names, or "" */
} wl_sealed_rec;

/* CONFLICT: the commitment exists, or a pledge with this id does (another salt) */
wl_rc wl_store_sealed_put(wl_store *s, const wl_sealed_rec *r) WL_MUST;
/* On any error *r is all zeros (nothing to free). */
wl_rc wl_store_sealed_get(wl_store *s, const uint8_t commitment[32], wl_sealed_rec *r) WL_MUST;
void wl_store_sealed_free(wl_sealed_rec *r);
/*
 * Commitments not yet published whose batch (its deadline) is <= batch, at
 * most max. Here and in the lists below, *n is 0 on any error.
 */
wl_rc wl_store_sealed_due(wl_store *s, int64_t batch, uint8_t (*out)[32], size_t max,
                          size_t *n) WL_MUST;
wl_rc wl_store_sealed_published(wl_store *s, const uint8_t commitment[32],
                                uint64_t envelope) WL_MUST;

/*
 * The sealed content whose own id (its kind's sealed_id: a pledge's, a
 * flow's) is id; WL_ERR_NOT_FOUND if none. The caller checks its kind.
 */
wl_rc wl_store_sealed_by_id(wl_store *s, const char *id, wl_sealed_rec *r) WL_MUST;
/*
 * The author of the sealed pledge with this id; WL_ERR_NOT_FOUND if none, also when the
 * sealed content with this id is of another kind (a sealed flow's id is no pledge).
 */
wl_rc wl_store_pledge_author(wl_store *s, const char *pledge, char author[65]) WL_MUST;
/* The sealed commitments whose subject is member, in the order received. */
wl_rc wl_store_sealed_about(wl_store *s, const char *member, uint8_t (*out)[32], size_t max,
                            size_t *n) WL_MUST;
/*
 * The sealed commitments a member wrote or that name it, in the order received,
 * after the commitment `after` (NULL: from the first), up to max.
 */
wl_rc wl_store_sealed_mine(wl_store *s, const char *member, const uint8_t *after,
                           uint8_t (*out)[32], size_t max, size_t *n) WL_MUST;
/* Every sealed pledge and pledge.withdraw content after row `after`, in the order received. */
typedef wl_rc (*wl_sealed_fn)(void *ctx, int64_t row, const char *author, const void *content,
                              size_t len, int64_t received);
wl_rc wl_store_sealed_each(wl_store *s, int64_t after, wl_sealed_fn fn, void *ctx) WL_MUST;
/* Every sealed commitment, in the order received (the coordinator's views). */
wl_rc wl_store_sealed_all(wl_store *s, uint8_t (*out)[32], size_t max, size_t *n) WL_MUST;
/* For fsck: every sealed record, in the order received (fn may call the store). */
typedef wl_rc (*wl_sealed_rec_fn)(void *ctx, const wl_sealed_rec *r);
wl_rc wl_store_sealed_scan(wl_store *s, wl_sealed_rec_fn fn, void *ctx) WL_MUST;

#endif
