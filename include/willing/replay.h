/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay: feeds a log's entries, in order, through the ledger's own rules into
 * a fresh in-memory store, so that every signature is checked against the
 * member keys the log itself records at that index, every kind's rules are
 * re-applied, and every Merkle hash is recomputed. fsck and verify use it.
 */
#ifndef WILLING_REPLAY_H
#define WILLING_REPLAY_H

#include "willing/ledger.h"

typedef struct {
    wl_store *s; /* the in-memory store being rebuilt */
    char origin[WL_ORIGIN_MAX + 1];
    uint64_t next;
    wl_error err; /* why the last wl_replay_add failed */
} wl_replay;

wl_rc wl_replay_init(wl_replay *r, const char *origin) WL_MUST;
/* Adds the entry at index r->next. */
wl_rc wl_replay_add(wl_replay *r, const char *bytes, size_t len) WL_MUST;
void wl_replay_free(wl_replay *r);

#endif
