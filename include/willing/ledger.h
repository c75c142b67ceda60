/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger: how an entry gets into the log. Two steps:
 *   1. wl_ledger_precheck (read-only, any thread, in parallel): syntax, origin,
 *      kind, the author's key, the signature, the key's scope, the body;
 *   2. wl_ledger_sequence (inside one store transaction, one writer): replay
 *      and seq checks, the key still live, the authority (who may write the
 *      kind now), the kind's state changes, the append and its Merkle hashes.
 * Kinds come from the module registry (willing/module.h); the ledger's own
 * kinds (statement, sealed, announce) are the module wl_ledger_module.
 * docs/internals/ledger.md has the design; docs/FORMAT.md the kinds' bodies.
 */
#ifndef WILLING_LEDGER_H
#define WILLING_LEDGER_H

#include "willing/module.h"

/* The ledger's own kinds: statement, sealed, announce (lib/entry/kinds.c). */
extern const wl_module wl_ledger_module;

wl_rc wl_ledger_precheck(wl_store *s, const char *origin, const char *bytes, size_t len,
                         wl_pending *p, wl_error *err) WL_MUST;
/*
 * A signature checked ahead, on another thread: ok is whether the entry's
 * signature verifies with pk (wl_entry_verify_sig). The precheck takes it in
 * place of its own check of that one key (any other key it checks itself), so
 * its answer is the same as without the hint. verify's threads use it.
 */
typedef struct {
    uint8_t pk[32];
    int ok;
} wl_sig_hint;

/*
 * The same precheck over an entry parsed ahead (wl_entry_parse, which it does
 * not repeat), with hint (NULL: none) computed over that entry: p takes e's
 * content and e is left zeroed; e's bytes must live as long as p.
 */
wl_rc wl_ledger_precheck_parsed(wl_store *s, const char *origin, wl_entry *e,
                                const wl_sig_hint *hint, wl_pending *p, wl_error *err) WL_MUST;
/*
 * Inside a transaction. *index gets the entry's index; *existed is 1 when the
 * same bytes were already in the log (nothing is written then). A refusal with
 * p->writing false wrote nothing (the checks come before any write); with it
 * true, what the kind applied may be in the transaction: undo it (a savepoint).
 */
wl_rc wl_ledger_sequence(wl_store *s, wl_pending *p, uint64_t *index, int *existed,
                         wl_error *err) WL_MUST;
void wl_pending_clear(wl_pending *p);

/* Signs "origin\nsize\nroot\n" with the log key; *note: caller frees. */
wl_rc wl_ledger_sign_checkpoint(const char *origin, const wl_key *log_key, uint64_t size,
                                const uint8_t root[32], char **note, size_t *len) WL_MUST;
/*
 * Signs and stores a checkpoint for the current size, unless the latest
 * checkpoint already covers it. *note is the signed note (caller frees).
 */
wl_rc wl_ledger_checkpoint(wl_store *s, const char *origin, const wl_key *log_key, int64_t now,
                           uint64_t *size, char **note, size_t *len) WL_MUST;

/* Builds the stored blob of full tile (tlevel, idx) from the hashes in s (see store.h). */
wl_rc wl_ledger_tile_blob(wl_store *s, unsigned tlevel, uint64_t idx,
                          uint8_t out[WL_TILE_BLOB_BYTES]) WL_MUST;

/* The commitment of a sealed entry: SHA-256("willing.seal/v1" || salt || content). */
void wl_seal_commitment(const uint8_t salt[32], const void *content, size_t len, uint8_t out[32]);

#endif
