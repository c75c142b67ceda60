/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay: feeds a log's entries, in order, through the ledger's own rules into
 * a fresh store (a temporary file: memory bounded by SQLite's cache), so that every signature is
 * checked against the member keys the log itself records at that index, every kind's rules are
 * re-applied, and every Merkle hash is recomputed. fsck and verify use it.
 */
#ifndef WILLING_REPLAY_H
#define WILLING_REPLAY_H

#include "willing/ledger.h"

typedef struct {
    wl_store *s; /* the store being rebuilt */
    char origin[WL_ORIGIN_MAX + 1];
    uint64_t next;
    wl_error err;   /* why the last wl_replay_add failed */
    uint8_t pk[32]; /* the key whose signature the last entry added carries */
} wl_replay;

wl_rc wl_replay_init(wl_replay *r, const char *origin) WL_MUST;
/* Adds the entry at index r->next. */
wl_rc wl_replay_add(wl_replay *r, const char *bytes, size_t len) WL_MUST;
/*
 * The same, for an entry parsed ahead and maybe its signature checked ahead
 * (wl_ledger_precheck_parsed: e's content is taken, hint may be NULL).
 */
wl_rc wl_replay_add_parsed(wl_replay *r, wl_entry *e, const wl_sig_hint *hint) WL_MUST;
/*
 * The replayed store kept, to go on later: wl_replay_save writes it into a new
 * file at path (which must not exist); wl_replay_load starts a replay from
 * such a file (into memory), with r->next its size. The file is the log's
 * public content and what the rules derived from it, as large as a ledger.
 */
wl_rc wl_replay_save(wl_replay *r, const char *path) WL_MUST;
wl_rc wl_replay_load(wl_replay *r, const char *origin, const char *path) WL_MUST;
void wl_replay_free(wl_replay *r);

#endif
