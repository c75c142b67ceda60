/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's identity family: members and their keys (tables members, keys),
 * public and sealed. Included by store/store.h; lib/store/store_identity.c
 * implements it. What a member may do is lib/identity's to say, not the store's.
 */
#ifndef WILLING_STORE_IDENTITY_H
#define WILLING_STORE_IDENTITY_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

typedef struct {
    char id[65];
    char name[257];
    char role[17];
    uint64_t added;  /* index of its member.add (or of its sealed envelope once announced) */
    char status[12]; /* invited, willing, announced, withdrawn */
    int sealed;      /* 1: known to the operator only (a sealed member.add not yet announced) */
} wl_member;

typedef struct {
    char member[65];
    uint8_t pk[32];
    uint32_t key_id;
    char scope[17];
    uint64_t added;   /* index of the entry that added it */
    uint64_t revoked; /* index of the revoking entry, or UINT64_MAX */
    int sealed;       /* 1: added by sealed content not yet announced; never valid in public */
} wl_member_key;

wl_rc wl_store_member_put(wl_store *s, const wl_member *m) WL_MUST;
wl_rc wl_store_member_get(wl_store *s, const char *id, wl_member *m) WL_MUST;
/* Every member, in the order added. */
typedef wl_rc (*wl_member_fn)(void *ctx, const wl_member *m);
wl_rc wl_store_members(wl_store *s, wl_member_fn fn, void *ctx) WL_MUST;
wl_rc wl_store_member_status(wl_store *s, const char *id, const char *status) WL_MUST;
/* How many members are public (not sealed), and the largest added among them (0: none). */
wl_rc wl_store_members_public(wl_store *s, uint64_t *count, uint64_t *last) WL_MUST;
/* A sealed member becomes public (status announced, added = index); NOT_FOUND unless sealed. */
wl_rc wl_store_member_publish(wl_store *s, const char *id, uint64_t added) WL_MUST;
wl_rc wl_store_key_put(wl_store *s, const wl_member_key *k) WL_MUST;
/* A sealed key becomes public; NOT_FOUND unless that key is sealed. */
wl_rc wl_store_key_publish(wl_store *s, const char *member, const uint8_t pk[32],
                           uint64_t added) WL_MUST;
/*
 * Keys of member with this key ID (usually 0 or 1), up to max (a member has at
 * most WL_MAX_KEYS_PER_MEMBER); WL_ERR_TOO_LARGE if there are more. On any
 * error *n is 0.
 */
wl_rc wl_store_keys_by_id(wl_store *s, const char *member, uint32_t key_id, wl_member_key *out,
                          size_t max, size_t *n) WL_MUST;
wl_rc wl_store_key_revoke(wl_store *s, const char *member, const uint8_t pk[32],
                          uint64_t index) WL_MUST;
/*
 * Keys read by wl_store_keys_by_id outside a transaction are kept while gen stays the same
 * from call to call: the caller vouches that no key changed meanwhile (the daemon's register
 * generation, which every commit that may change a key moves). A write of keys or members on
 * s forgets them too. keep 0: none kept from now on; out of memory: none kept.
 */
void wl_store_keep_keys(wl_store *s, int keep, uint64_t gen);

/* Every key of a member (live, revoked, sealed), up to max; WL_ERR_TOO_LARGE if more. */
wl_rc wl_store_keys_of(wl_store *s, const char *member, wl_member_key *out, size_t max,
                       size_t *n) WL_MUST;

#endif
