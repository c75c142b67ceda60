/* SPDX-License-Identifier: Apache-2.0 */
/* What entries.c gives the other route files besides its routes. */
#ifndef WILLING_DAEMON_ENTRIES_H
#define WILLING_DAEMON_ENTRIES_H

#include <stddef.h>

#include <jansson.h>

#include "willing/ledger.h"

/* For an announce entry, what it reveals: {kind, author, time, body}; else NULL. */
json_t *wl_revealed(const wl_entry *e);
/*
 * The C2SP tlog-proof of entry index against the published checkpoint
 * (allocated, *len bytes; the caller frees it with wl_free), or NULL: *why
 * WL_ERR_NOT_FOUND if not covered yet.
 */
char *wl_tlog_proof_text(wl_store *s, uint64_t index, size_t *len, wl_rc *why);

#endif
