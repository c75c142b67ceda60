/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Modules and their kinds: the one form a domain module fills in. A module
 * (lib/<module>/) is a name and a table of kinds; each kind carries every rule
 * of its own in one descriptor: which key scopes may sign it, which roles may
 * author it, whether it may be sealed, whether it changes the register, and
 * the hooks that check its body, apply it to the log, check and apply it as
 * sealed content, and say what announcing it means. The ledger (ledger.h)
 * asks the registry here; it never names a module. All of a build's modules
 * are registered in one place, wl_modules_register (lib/modules.c).
 * docs/internals/ledger.md has the registry, docs/ARCHITECTURE.md the shape.
 */
#ifndef WILLING_MODULE_H
#define WILLING_MODULE_H

#include <stdbool.h>

#include "store/store.h"
#include "willing/entry.h"

/* An entry that passed the precheck: its parsed bytes, the key that signed it, its scope. */
typedef struct {
    wl_entry e;
    uint8_t pk[32]; /* the key that verified the signature */
    char scope[17];
    bool writing; /* wl_ledger_sequence began to write it: a refusal now may leave writes */
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

/* Roles as bits, for the roles that may author a kind (0: any member). */
#define WL_ROLE_OPERATOR 1u
#define WL_ROLE_COORDINATOR 2u
#define WL_ROLE_MEMBER 4u
#define WL_ROLE_HOST 8u
#define WL_ROLE_PARTY 16u
#define WL_ROLE_MONITOR 32u
#define WL_ROLE_OBSERVER 64u
#define WL_ROLES_ALL 127u

/* Whether a kind may be sealed content. */
#define WL_SEAL_NEVER 0u /* a public entry only */
#define WL_SEAL_MAY 1u   /* a public entry, or sealed content */
#define WL_SEAL_ONLY 2u  /* sealed content only: never an entry */

/*
 * What announcing sealed content of a kind means: a hook that checks the
 * revealed content (already shown to match its commitment, signed by its
 * author with a key held when sealed, and the announcing member authorized
 * for its kind) and applies its public effect.
 */
typedef wl_rc (*wl_reveal_fn)(wl_store *s, const wl_entry *content, uint64_t sealed_index,
                              uint64_t index, wl_error *err);

typedef struct wl_kind {
    const char *name;
    unsigned scopes;       /* WL_SCOPE_* that may sign it: not 0, never login */
    unsigned roles;        /* WL_ROLE_* that may author it; 0 = any active member */
    unsigned seal;         /* WL_SEAL_NEVER, WL_SEAL_MAY, WL_SEAL_ONLY */
    bool changes_register; /* a commit holding it bumps reg_gen (cached views rebuild) */
    /* body syntax, no store: precheck and sealed submission both call it; NULL: any body */
    wl_rc (*validate)(const wl_entry *e, wl_error *err);
    /* its state change at sequencing, inside the transaction; NULL: none (WL_SEAL_ONLY: none) */
    wl_rc (*apply)(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err);
    /* sealed content of this kind, when submitted: amend/withdraw/ownership rules; NULL: none */
    wl_rc (*seal_check)(wl_store *s, const wl_entry *content, wl_error *err);
    /* the operator's private effect when sealed content of this kind is stored; NULL: none */
    wl_rc (*sealed_apply)(wl_store *s, const wl_entry *content, uint64_t size, wl_error *err);
    /* announcing it; NULL: sealed content of this kind cannot be announced */
    wl_reveal_fn reveal;
    /* an entry of this kind posted on its own (POST /api/v1/entries, :batch), after the
     * precheck; NULL: any. An error refuses it: some entries come only with sealed content
     * through their module's own route (a protected site's zone.set) */
    wl_rc (*entry_check)(const wl_entry *e, wl_error *err);
    /* sealed content: the body field holding its own id, sealed once (a pledge's "pledge"), and
     * the body field naming the member it is about, who may read it (identity's "member") */
    const char *sealed_id, *sealed_subject;
} wl_kind;

typedef struct wl_module {
    const char *name;
    const wl_kind *kinds; /* static: the registry keeps pointers into it */
    size_t nkinds;
} wl_module;

/*
 * Registers a module's kinds (at start-up, before any thread uses the
 * registry). The same module again is a no-op; a kind name another module
 * registered is WL_ERR_CONFLICT and nothing of m is registered; a kind
 * nobody may sign (no scope, or the login scope), roles or seal out of range,
 * or sealed hooks on a kind that is never sealed is WL_ERR_INVALID.
 */
wl_rc wl_module_register(const wl_module *m) WL_MUST;
/* The kind of that name, or NULL. */
const wl_kind *wl_kind_find(const char *name);
/* The kind of that name if it may be a public entry (not WL_SEAL_ONLY), or NULL. */
const wl_kind *wl_kind_entry(const char *name);
/* The kind of that name if it may be sealed content (WL_SEAL_MAY or ONLY), or NULL. */
const wl_kind *wl_kind_sealable(const char *name);
/* The i-th registered kind, in the order registered; NULL past the last. */
const wl_kind *wl_kind_at(size_t i);

/*
 * Every module of this build, registered in one place (lib/modules.c), with
 * identity as the authority (wl_authority_set): the daemon, fsck, verify and
 * the tests call it at start-up. Calling it again is a no-op.
 */
wl_rc wl_modules_register(void) WL_MUST;

/*
 * The authority: the one function that says whether a member, with a key of
 * some scope, may write a kind now (wl_authorize, lib/identity). The ledger
 * asks it through wl_authority_ask without knowing the module that answers;
 * it is set once at start-up (the same function again is a no-op). With none
 * set, wl_authority_ask refuses everything (WL_ERR_INTERNAL, no_authority).
 */
typedef wl_rc (*wl_authority_fn)(wl_store *s, const char *member, const char *scope,
                                 const char *kind, wl_error *err);
wl_rc wl_authority_set(wl_authority_fn fn) WL_MUST;
wl_rc wl_authority_ask(wl_store *s, const char *member, const char *scope, const char *kind,
                       wl_error *err) WL_MUST;

/*
 * The scope rule alone: the scopes (WL_SCOPE_*) that may sign kind, 0 for a
 * kind nobody writes; and WL_OK if a key of scope may sign kind, else
 * WL_ERR_FORBIDDEN with err set to key_scope, naming the scope, the kind and
 * the scopes it needs. wl_authorize applies it first; the precheck applies it
 * alone (no member state), so does a content's signing key when announced.
 */
unsigned wl_kind_scopes(const char *kind);
wl_rc wl_scope_check(const char *kind, const char *scope, wl_error *err) WL_MUST;

/* Names and bits of scopes and roles: 0 for a name that is none. */
unsigned wl_scope_bit(const char *scope);
unsigned wl_role_bit(const char *role);
/* The name of a single role bit (WL_ROLE_*), or NULL. */
const char *wl_role_name(unsigned bit);
/* Roles and scopes the ledger knows. */
int wl_valid_role(const char *s);
int wl_valid_scope(const char *s);

#endif
