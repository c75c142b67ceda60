/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Identity: members, their keys, the keys' scopes and the members' status, as
 * a module (lib/identity/): the kinds member.add, key.add, key.revoke and
 * member.status with their rules, public and sealed, and the one authority
 * every other module and the daemon ask: may this member, with a key of this
 * scope, write this kind now. docs/internals/identity.md has the rules.
 */
#ifndef WILLING_IDENTITY_H
#define WILLING_IDENTITY_H

#include "willing/module.h"

/* member.add, key.add, key.revoke, member.status (lib/identity/kinds.c). */
extern const wl_module wl_identity_module;

/*
 * May `member` (key of `scope`) write `kind` now: scope x kind first (403
 * key_scope), then the member exists (403 forbidden), is not withdrawn (403
 * withdrawn; a withdrawn member may still revoke its keys and state its
 * status), and its role may author the kind (403 forbidden naming the roles
 * that may). WL_OK, WL_ERR_FORBIDDEN with err naming the rule, WL_ERR_INVALID
 * for a kind nobody registered, or a storage error. Whether the key itself
 * is live is the caller's, who found it (the ledger, the daemon's
 * authentication). wl_modules_register makes it the ledger's authority.
 */
wl_rc wl_authorize(wl_store *s, const char *member, const char *scope, const char *kind,
                   wl_error *err) WL_MUST;

/*
 * Actions that are not entry kinds, answered by the same authority: may
 * `member` (key of `scope`) do `act` now. WL_ACTION_BLOB_UPLOAD: a key of
 * scope sign or console (403 key_scope), a member (403 forbidden), not
 * withdrawn, of any role but observer (403 forbidden saying which).
 * WL_ACTION_BLOB_READ_ANY: read every blob, named or not (scope not asked):
 * the operator and coordinators not withdrawn (wl_member_privileged), else
 * 403 forbidden. WL_OK, WL_ERR_FORBIDDEN with err naming the rule, or a
 * storage error. docs/internals/identity.md.
 */
typedef enum { WL_ACTION_BLOB_UPLOAD, WL_ACTION_BLOB_READ_ANY } wl_action;
wl_rc wl_authorize_action(wl_store *s, const char *member, const char *scope, wl_action act,
                          wl_error *err) WL_MUST;

/*
 * From an entry's apply: may `member` (the entry's author) pass the blob hash
 * on, making it public or readable by others? Only what it may read by the
 * blob's own grants (it uploaded it, it is public, or an entry named it as a
 * reader): a coordinator's right to read every blob is not a right to publish
 * another member's. A hash not held is the author's own commitment: WL_OK
 * (so a replay of the log without the blobs decides the same). WL_OK,
 * WL_ERR_FORBIDDEN (403 forbidden, saying the kind), or a storage error.
 */
wl_rc wl_authorize_blob_share(wl_store *s, const char *member, const uint8_t hash[32],
                              const char *kind, wl_error *err) WL_MUST;

/*
 * Sealed content at submission: WL_OK if it is signed by a live key of its
 * author (sealed keys count: a member still sealed seals its own content)
 * whose scope may write the content's kind; else WL_ERR_FORBIDDEN with err
 * key_scope (naming the scope) or bad_signature, or WL_ERR_IO with err
 * "storage". The daemon asks it before storing sealed content.
 */
wl_rc wl_identity_sealed_signer(wl_store *s, const wl_entry *content, wl_error *err) WL_MUST;

/*
 * Whether member m may see what the coordinator sees: role coordinator or
 * operator, and not withdrawn. Handlers read m from the store at each
 * request, so a withdrawal takes the coordinator's view away at once.
 */
bool wl_member_privileged(const wl_member *m);

/*
 * The operator's private effect of sealed content about members, applied
 * when the content is stored (not in the log): member.add by the operator
 * adds a sealed member (status invited) and its key; key.add by the operator
 * a sealed key; member.status by the member or the operator sets willing or
 * withdrawn. size: the tree size then. Sealed rows are invisible in public.
 * The kinds' sealed_apply hooks; this calls the one of content's kind.
 */
wl_rc wl_sealed_member_apply(wl_store *s, const wl_entry *content, uint64_t size,
                             wl_error *err) WL_MUST;

#endif
