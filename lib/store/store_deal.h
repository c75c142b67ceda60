/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's deal family: deals (their status, the latest version, the one
 * in force), their versions (each deal.propose with the SHA-256 of its body
 * as signed), each version's parties with the index of their signature, and
 * the parties' notices (tables deals, deal_versions, deal_parties,
 * deal_notices). The rules are lib/deal's; the store knows no meaning.
 * Included by store/store.h; lib/store/store_deal.c implements it.
 */
#ifndef WILLING_STORE_DEAL_H
#define WILLING_STORE_DEAL_H

#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/*
 * A deal's row: its status (proposed, in_force, suspended, terminated), its
 * latest version, the version in force (0: none yet), the index of the entry
 * that brought it into force (UINT64_MAX: none) and that entry's time, the
 * party that suspended it ("" unless suspended), and the latest title.
 */
typedef struct {
    char id[65], status[12], suspended_by[65], title[257];
    uint64_t latest, in_force, since;
    int64_t since_time;
} wl_deal_row;
/* WL_ERR_NOT_FOUND for a deal never proposed; *out zeroed on any error. */
wl_rc wl_store_deal_get(wl_store *s, const char *id, wl_deal_row *out) WL_MUST;
/* Inserts or replaces the row (since_time is not stored: read from the entry). */
wl_rc wl_store_deal_put(wl_store *s, const wl_deal_row *d) WL_MUST;

/* A version: its entry's index and time, the hash of its body, its status and body (readers). */
typedef struct {
    uint64_t version, idx, in_force_idx; /* in_force_idx: UINT64_MAX when never in force */
    int64_t time, in_force_time;
    uint8_t hash[32];
    char status[12];  /* proposed, in_force, superseded */
    const char *body; /* the body as signed; valid during the callback only */
} wl_deal_version;
/* A version is put proposed; WL_ERR_CONFLICT if it exists. */
wl_rc wl_store_deal_version_put(wl_store *s, const char *deal, uint64_t version, uint64_t idx,
                                const uint8_t hash[32], const char *body) WL_MUST;
/* WL_ERR_NOT_FOUND if none; out->body is NULL; *out zeroed on any error. */
wl_rc wl_store_deal_version_get(wl_store *s, const char *deal, uint64_t version,
                                wl_deal_version *out) WL_MUST;
wl_rc wl_store_deal_version_status(wl_store *s, const char *deal, uint64_t version,
                                   const char *status, uint64_t in_force_idx) WL_MUST;
/* Every version of deal below `below` still proposed becomes superseded. */
wl_rc wl_store_deal_supersede_proposed(wl_store *s, const char *deal, uint64_t below) WL_MUST;

/* Parties of a version and their signatures (UINT64_MAX: not signed). */
wl_rc wl_store_deal_party_put(wl_store *s, const char *deal, uint64_t version,
                              const char *member) WL_MUST;
/* WL_ERR_NOT_FOUND when member is not a party of that version; *signed_idx UINT64_MAX then. */
wl_rc wl_store_deal_party_get(wl_store *s, const char *deal, uint64_t version, const char *member,
                              uint64_t *signed_idx) WL_MUST;
wl_rc wl_store_deal_party_sign(wl_store *s, const char *deal, uint64_t version, const char *member,
                               uint64_t idx) WL_MUST;
/* How many parties of the version have not signed; 0 on error. */
wl_rc wl_store_deal_unsigned(wl_store *s, const char *deal, uint64_t version, uint64_t *n) WL_MUST;

/* A party's notice (suspend, resume, terminate) with its text, at entry idx. */
wl_rc wl_store_deal_notice_put(wl_store *s, const char *deal, uint64_t idx, const char *author,
                               const char *notice, const char *text) WL_MUST;

/* ---- readers for the views: each callback's strings are valid during the call only ---- */
typedef wl_rc (*wl_deal_fn)(void *ctx, const wl_deal_row *d);
wl_rc wl_store_deals(wl_store *s, wl_deal_fn fn, void *ctx) WL_MUST; /* by id */
typedef wl_rc (*wl_deal_version_fn)(void *ctx, const wl_deal_version *v);
wl_rc wl_store_deal_versions(wl_store *s, const char *deal, wl_deal_version_fn fn,
                             void *ctx) WL_MUST; /* by version */
typedef wl_rc (*wl_deal_party_fn)(void *ctx, const char *member, uint64_t signed_idx,
                                  int64_t signed_time);
wl_rc wl_store_deal_parties(wl_store *s, const char *deal, uint64_t version, wl_deal_party_fn fn,
                            void *ctx) WL_MUST; /* in the order proposed */
typedef wl_rc (*wl_deal_notice_fn)(void *ctx, uint64_t idx, int64_t time, const char *author,
                                   const char *notice, const char *text);
wl_rc wl_store_deal_notices(wl_store *s, const char *deal, wl_deal_notice_fn fn,
                            void *ctx) WL_MUST; /* by index */

#endif
