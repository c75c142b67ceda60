/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger: how an entry gets into the log. Two steps:
 *   1. wl_ledger_precheck (read-only, any thread, in parallel): syntax, origin,
 *      kind, the author's key, the signature;
 *   2. wl_ledger_sequence (inside one store transaction, one writer): replay
 *      and seq checks, the kind's rules and state changes, the append and its
 *      Merkle hashes.
 * Kinds live in a registry (wl_kind_register) that domain modules extend.
 * docs/internals/ledger.md has the design; docs/FORMAT.md the kinds' bodies.
 */
#ifndef WILLING_LEDGER_H
#define WILLING_LEDGER_H

#include "willing/entry.h"
#include "store/store.h"

typedef struct {
    wl_rc rc;
    const char *code; /* stable, for {"error": code} */
    char msg[256];
} wl_error;

/* Sets err and returns rc. */
wl_rc wl_error_set(wl_error *err, wl_rc rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

typedef struct {
    wl_entry e;
    uint8_t pk[32]; /* the key that verified the signature */
    char scope[17];
} wl_pending;

/*
 * Key scopes as bits, for the scopes that may write a kind. `sign` keys write
 * everything; `console` keys (the web console) everything but identity
 * (members and keys); `login` keys write nothing (they sign in).
 */
#define WL_SCOPE_SIGN 1u
#define WL_SCOPE_CONSOLE 2u
#define WL_SCOPE_LOGIN 4u
#define WL_SCOPES_IDENTITY WL_SCOPE_SIGN                   /* members and keys */
#define WL_SCOPES_WRITE (WL_SCOPE_SIGN | WL_SCOPE_CONSOLE) /* everything else */

/*
 * A kind: its name, who may author it, and a hook that checks the body and
 * applies its state change at sequencing time (inside the transaction).
 */
typedef struct {
    const char *name;
    /* returns WL_OK or sets err */
    wl_rc (*apply)(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err);
    unsigned scopes; /* the key scopes (WL_SCOPE_*) that may sign it */
} wl_kind;

/* Registers a kind (at start-up, before any thread uses the registry). */
wl_rc wl_kind_register(const wl_kind *k) WL_MUST;
const wl_kind *wl_kind_find(const char *name);
/* Registers the ledger's own kinds: member.add, key.add, key.revoke, statement, sealed, announce.
 */
wl_rc wl_kinds_core_register(void) WL_MUST;

/*
 * What announcing sealed content of a kind means: a hook that checks the
 * revealed content (already shown to match its commitment and signed by its
 * author with a key held when sealed) and applies its public effect. Content
 * of a kind with no hook cannot be announced.
 */
typedef wl_rc (*wl_reveal_fn)(wl_store *s, const wl_entry *content, uint64_t sealed_index,
                              uint64_t index, wl_error *err);
wl_rc wl_reveal_register(const char *content_kind, wl_reveal_fn fn, unsigned scopes) WL_MUST;
wl_reveal_fn wl_reveal_find(const char *content_kind);

/*
 * The one rule for who may write what: the scopes (WL_SCOPE_*) that may sign
 * kind, as an entry (wl_kind.scopes) or else as sealed content (the scopes
 * given to wl_reveal_register); 0 for a kind nobody writes.
 */
unsigned wl_kind_scopes(const char *kind);
/*
 * WL_OK if a key of scope may sign kind; else WL_ERR_FORBIDDEN with err set
 * to key_scope, naming the scope, the kind and the scopes it needs. Every
 * route checks it: entries (precheck and sequencing), sealed content (when
 * it is stored and when it is announced, for the content's key and the
 * announcing key).
 */
wl_rc wl_scope_check(const char *kind, const char *scope, wl_error *err) WL_MUST;

/*
 * The operator's private effect of sealed content about members, applied
 * when the content is stored (not in the log): member.add by the operator
 * adds a sealed member (status invited) and its key; key.add by the operator
 * a sealed key; member.status by the member or the operator sets willing or
 * withdrawn. size: the tree size then. Sealed rows are invisible in public.
 */
wl_rc wl_sealed_member_apply(wl_store *s, const wl_entry *content, uint64_t size,
                             wl_error *err) WL_MUST;

wl_rc wl_ledger_precheck(wl_store *s, const char *origin, const char *bytes, size_t len,
                         wl_pending *p, wl_error *err) WL_MUST;
/*
 * Inside a transaction. *index gets the entry's index; *existed is 1 when the
 * same bytes were already in the log (nothing is written then).
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

/* Roles and scopes the ledger knows. */
int wl_valid_role(const char *s);
int wl_valid_scope(const char *s);

#endif
