/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Identity's kinds (the module wl_identity_module): member.add, key.add,
 * key.revoke and member.status, each with its body's syntax (validate), its
 * public effect when sequenced (apply), its private effect when sealed by the
 * operator (sealed_apply) and what announcing it means (reveal). Who may
 * write each (roles, key scopes) is in its descriptor and checked by the
 * authority (authorize.c) before these hooks run; what remains here are the
 * rules that depend on the body: whose keys, which member, no second
 * operator. Bodies in docs/FORMAT.md; docs/internals/identity.md.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "identity_int.h"

static wl_rc operator_id(wl_store *s, char **op, wl_error *err)
{
    wl_rc rc = wl_store_meta_get(s, "operator", op);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "the log has no operator: %s", wl_rc_name(rc));
    return WL_OK;
}

/* author is the log's operator: WL_OK or FORBIDDEN with why. */
static wl_rc is_operator(wl_store *s, const char *author, const char *why, wl_error *err)
{
    char *op = NULL;
    wl_rc rc = operator_id(s, &op, err);
    if (rc == WL_OK && strcmp(op, author) != 0)
        rc = wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden", "%s", why);
    wl_free(op);
    return rc;
}

/* The author is the member itself or the operator. */
static wl_rc self_or_operator(wl_store *s, const wl_entry *e, const char *member, wl_error *err)
{
    char why[160];
    if (strcmp(e->author, member) == 0)
        return WL_OK;
    (void)snprintf(why, sizeof why, "only '%s' itself or the operator may change its keys",
                   member); /* a member id is at most 64 bytes */
    return is_operator(s, e->author, why, err);
}

/* The body of member.add, public or sealed: {member, name, role, key, scope?}. */
typedef struct {
    const char *id, *name, *role, *scope;
    uint8_t pk[32];
} member_body;

static wl_rc parse_member_add(const json_t *b, member_body *mb, wl_error *err)
{
    static const char *const fields[] = {"member", "name", "role", "key", "scope", NULL};
    wl_rc rc;
    memset(mb, 0, sizeof *mb);
    if ((rc = wl_body_fields(b, fields, "member.add", err)) != WL_OK)
        return rc;
    mb->id = wl_body_str(b, "member", WL_MEMBER_MAX);
    mb->name = wl_body_str(b, "name", 256);
    mb->role = wl_body_str(b, "role", 16);
    mb->scope = json_object_get(b, "scope") ? wl_body_str(b, "scope", 16) : "sign";
    if (mb->id == NULL || !wl_valid_member_id(mb->id, strlen(mb->id)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'member' must be a member id (a-z 0-9 . _ -)");
    if (mb->name == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'name' must be a string of 1-256 bytes");
    if (mb->role == NULL || !wl_valid_role(mb->role))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'role' must be one of operator, coordinator, member, "
                            "host, party, monitor, observer");
    if (mb->scope == NULL || !wl_valid_scope(mb->scope))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'scope' must be sign, login or console");
    if (!wl_body_b64_32(b, "key", mb->pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'key' must be a base64 Ed25519 public key");
    return WL_OK;
}

static wl_rc validate_member_add(const wl_entry *e, wl_error *err)
{
    member_body mb;
    return parse_member_add(e->body_json, &mb, err);
}

/* A log has one operator: every member.add but the first adds another role. */
static wl_rc one_operator(const member_body *mb, wl_error *err)
{
    if (strcmp(mb->role, "operator") == 0)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "a log has one operator, added by its first entry");
    return WL_OK;
}

static wl_rc put_member(wl_store *s, const member_body *mb, uint64_t added, const char *status,
                        int sealed, wl_error *err)
{
    wl_member m;
    wl_member_key k;
    wl_rc rc;
    memset(&m, 0, sizeof m);
    memset(&k, 0, sizeof k);
    memcpy(m.id, mb->id, strlen(mb->id) + 1);
    memcpy(m.name, mb->name, strlen(mb->name) + 1);
    memcpy(m.role, mb->role, strlen(mb->role) + 1);
    memcpy(m.status, status, strlen(status) + 1);
    m.added = added;
    m.sealed = sealed;
    memcpy(k.member, mb->id, strlen(mb->id) + 1);
    memcpy(k.pk, mb->pk, 32);
    memcpy(k.scope, mb->scope, strlen(mb->scope) + 1);
    k.key_id = wl_entry_key_id(mb->id, k.pk);
    k.added = added;
    k.sealed = sealed;
    if ((rc = wl_store_member_put(s, &m)) != WL_OK || (rc = wl_store_key_put(s, &k)) != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

static wl_rc apply_member_add(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    member_body mb;
    wl_member m;
    wl_rc rc;

    if ((rc = parse_member_add(p->e.body_json, &mb, err)) != WL_OK)
        return rc;
    if (index == 0) {
        if (strcmp(mb.id, p->e.author) != 0 || strcmp(mb.role, "operator") != 0 ||
            strcmp(mb.scope, "sign") != 0)
            return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                                "the first entry must add its own author as operator with a "
                                "sign key");
        if ((rc = wl_store_meta_set(s, "operator", mb.id)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    } else {
        if ((rc = one_operator(&mb, err)) != WL_OK)
            return rc;
        if (wl_store_member_get(s, mb.id, &m) == WL_OK)
            return wl_error_set(err, WL_ERR_CONFLICT, "member_exists",
                                "member '%s' already exists (%s)", mb.id,
                                m.sealed ? "sealed: it announces itself" : "public");
    }
    return put_member(s, &mb, index, "announced", 0, err);
}

/* A public member (sealed ones do not exist in public). */
static int public_member(wl_store *s, const char *id, wl_member *m)
{
    return id != NULL && wl_store_member_get(s, id, m) == WL_OK && !m->sealed;
}

/* Stores a key of member id; key_exists if it is registered already. */
static wl_rc put_key(wl_store *s, const char *id, const char *scope, const uint8_t pk[32],
                     uint64_t added, int sealed, wl_error *err)
{
    wl_member_key k, had[WL_MAX_KEYS_PER_MEMBER];
    size_t n = 0;
    wl_rc rc;
    /* a member's keys, revoked ones too, are read whole everywhere: refuse one too many */
    rc = wl_store_keys_of(s, id, had, WL_MAX_KEYS_PER_MEMBER, &n);
    if (rc == WL_OK && n == WL_MAX_KEYS_PER_MEMBER)
        rc = WL_ERR_TOO_LARGE;
    if (rc == WL_ERR_TOO_LARGE)
        return wl_error_set(err, WL_ERR_CONFLICT, "too_many_keys",
                            "'%s' has %u keys, revoked ones included: the most a member may "
                            "have over its life (WL_MAX_KEYS_PER_MEMBER)",
                            id, WL_MAX_KEYS_PER_MEMBER);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    memset(&k, 0, sizeof k);
    memcpy(k.member, id, strlen(id) + 1);
    memcpy(k.pk, pk, 32);
    memcpy(k.scope, scope, strlen(scope) + 1);
    k.key_id = wl_entry_key_id(id, k.pk);
    k.added = added;
    k.sealed = sealed;
    rc = wl_store_key_put(s, &k);
    if (rc == WL_ERR_CONFLICT)
        return wl_error_set(err, rc, "key_exists", "this key is already registered for '%s'", id);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

/* key.add, public or sealed: {member, key, scope}; which member is the hooks' to check. */
static wl_rc validate_key_add(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"member", "key", "scope", NULL};
    const char *scope = wl_body_str(e->body_json, "scope", 16);
    uint8_t pk[32];
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, fields, "key.add", err)) != WL_OK)
        return rc;
    if (scope == NULL || !wl_valid_scope(scope))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: 'scope' must be sign, login or console");
    if (!wl_body_b64_32(e->body_json, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: 'key' must be a base64 Ed25519 public key");
    return WL_OK;
}

static wl_rc apply_key_add(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json;
    const char *id = wl_body_str(b, "member", WL_MEMBER_MAX);
    uint8_t pk[32];
    wl_member m;
    wl_rc rc;

    if (!public_member(s, id, &m))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "key.add: 'member' must name a member of this log");
    if (!wl_body_b64_32(b, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: 'key' must be a base64 Ed25519 public key");
    if ((rc = self_or_operator(s, &p->e, id, err)) != WL_OK)
        return rc;
    return put_key(s, id, wl_body_str(b, "scope", 16), pk, index, 0, err);
}

static wl_rc validate_key_revoke(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"member", "key", NULL};
    const char *id = wl_body_str(e->body_json, "member", WL_MEMBER_MAX);
    uint8_t pk[32];
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, fields, "key.revoke", err)) != WL_OK)
        return rc;
    if (id == NULL || !wl_valid_member_id(id, strlen(id)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.revoke: 'member' must be a member id");
    if (!wl_body_b64_32(e->body_json, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.revoke: 'key' must be a base64 Ed25519 public key");
    return WL_OK;
}

static wl_rc apply_key_revoke(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *id = wl_body_str(p->e.body_json, "member", WL_MEMBER_MAX);
    uint8_t pk[32];
    wl_rc rc;

    if (id == NULL || !wl_body_b64_32(p->e.body_json, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.revoke: {member, key (base64)}");
    if ((rc = self_or_operator(s, &p->e, id, err)) != WL_OK)
        return rc;
    rc = wl_store_key_revoke(s, id, pk, index);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "unknown_key", "'%s' has no such active key", id);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

/*
 * Announcing a sealed member.add (content by the operator, whom the authority
 * let write it): the member and its key become public, dated by the envelope.
 * In the operator's own store the sealed rows become public; in anyone else's
 * replay they are created.
 */
static wl_rc reveal_member_add(wl_store *s, const wl_entry *c, uint64_t sealed_index,
                               uint64_t index, wl_error *err)
{
    member_body mb;
    wl_member m;
    wl_rc rc;
    (void)index;
    if ((rc = parse_member_add(c->body_json, &mb, err)) != WL_OK ||
        (rc = one_operator(&mb, err)) != WL_OK)
        return rc;
    if (wl_store_member_get(s, mb.id, &m) != WL_OK)
        return put_member(s, &mb, sealed_index, "announced", 0, err);
    if (!m.sealed)
        return wl_error_set(err, WL_ERR_CONFLICT, "member_exists", "member '%s' is already public",
                            mb.id);
    if ((rc = wl_store_member_publish(s, mb.id, sealed_index)) != WL_OK ||
        (rc = wl_store_key_publish(s, mb.id, mb.pk, sealed_index)) != WL_OK)
        return wl_error_set(err, rc, "storage", "announcing '%s': %s", mb.id, wl_store_errmsg(s));
    return WL_OK;
}

/* Announcing a sealed key.add (by the operator): the member must be public already. */
static wl_rc reveal_key_add(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                            wl_error *err)
{
    const char *id = wl_body_str(c->body_json, "member", WL_MEMBER_MAX);
    const char *scope = wl_body_str(c->body_json, "scope", 16);
    wl_member m;
    uint8_t pk[32];
    wl_rc rc;
    (void)index;
    if ((rc = validate_key_add(c, err)) != WL_OK)
        return rc;
    if (!public_member(s, id, &m))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "key.add: announce the member before its keys");
    if (!wl_body_b64_32(c->body_json, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: {member, key (base64), scope (sign, login or console)}");
    if ((rc = self_or_operator(s, c, id, err)) != WL_OK)
        return rc;
    if (wl_store_key_publish(s, id, pk, sealed_index) == WL_OK)
        return WL_OK;
    return put_key(s, id, scope, pk, sealed_index, 0, err);
}

/* member.status, public or sealed: {member, status: willing or withdrawn}. */
static wl_rc validate_member_status(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"member", "status", NULL};
    const char *st = wl_body_str(e->body_json, "status", 16);
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, fields, "member.status", err)) != WL_OK)
        return rc;
    if (st == NULL || (strcmp(st, "willing") != 0 && strcmp(st, "withdrawn") != 0))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.status: 'status' is willing or withdrawn");
    return WL_OK;
}

/* member.status, public: an announced member withdraws (by itself or the operator). */
static wl_rc apply_member_status(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *id = wl_body_str(p->e.body_json, "member", WL_MEMBER_MAX);
    const char *st = wl_body_str(p->e.body_json, "status", 16);
    wl_member m;
    wl_rc rc;
    (void)index;
    if (!public_member(s, id, &m))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "member.status: 'member' must name a member of this log");
    if (st == NULL || strcmp(st, "withdrawn") != 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.status: in public the only change is 'withdrawn' (a member "
                            "becomes announced by announcing its sealed member.add)");
    if ((rc = self_or_operator(s, &p->e, id, err)) != WL_OK)
        return rc;
    if (strcmp(m.status, "withdrawn") == 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "already_withdrawn", "'%s' has already withdrawn",
                            id);
    if ((rc = wl_store_member_status(s, id, "withdrawn")) != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

/* Sealed member.add, by the operator: a sealed member, status invited, and its key. */
static wl_rc sealed_member_add(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    member_body mb;
    wl_member m;
    wl_rc rc;
    if ((rc = parse_member_add(c->body_json, &mb, err)) != WL_OK ||
        (rc = wl_identity_author_may(s, c->author, "member.add", err)) != WL_OK ||
        (rc = one_operator(&mb, err)) != WL_OK)
        return rc;
    if (wl_store_member_get(s, mb.id, &m) == WL_OK)
        return wl_error_set(err, WL_ERR_CONFLICT, "member_exists", "member '%s' already exists",
                            mb.id);
    return put_member(s, &mb, size, "invited", 1, err);
}

/* Sealed key.add, by the operator only (it announces them): a sealed key of a sealed member. */
static wl_rc sealed_key_add(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    const char *id = wl_body_str(c->body_json, "member", WL_MEMBER_MAX);
    wl_member m;
    uint8_t pk[32];
    wl_rc rc;
    if ((rc = validate_key_add(c, err)) != WL_OK)
        return rc;
    if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK || !m.sealed)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "sealed key.add: 'member' must name a member that has not "
                            "announced (announced members add keys in public)");
    if (!wl_body_b64_32(c->body_json, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: {member, key (base64), scope (sign, login or console)}");
    if ((rc = is_operator(s, c->author, "sealed key.add is the operator's (it announces them)",
                          err)) != WL_OK)
        return rc;
    return put_key(s, id, wl_body_str(c->body_json, "scope", 16), pk, size, 1, err);
}

/* Sealed member.status, by the member or the operator: willing or withdrawn, in private. */
static wl_rc sealed_member_status(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    const char *id = wl_body_str(c->body_json, "member", WL_MEMBER_MAX);
    const char *st = wl_body_str(c->body_json, "status", 16);
    wl_member m;
    wl_rc rc;
    (void)size;
    if ((rc = validate_member_status(c, err)) != WL_OK)
        return rc;
    if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK || !m.sealed)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "sealed member.status: 'member' must name a member that has not "
                            "announced (announced members withdraw in public)");
    if ((rc = self_or_operator(s, c, id, err)) != WL_OK)
        return rc;
    if ((rc = wl_store_member_status(s, id, st)) != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

/* Members and keys change only with a signing key, never the console's (WL_SCOPES_IDENTITY). */
static const wl_kind identity_kinds[] = {
    {.name = "member.add",
     .scopes = WL_SCOPES_IDENTITY,
     .roles = WL_ROLE_OPERATOR,
     .seal = WL_SEAL_MAY,
     .changes_register = true,
     .validate = validate_member_add,
     .apply = apply_member_add,
     .sealed_apply = sealed_member_add,
     .sealed_subject = "member",
     .reveal = reveal_member_add},
    {.name = "key.add",
     .scopes = WL_SCOPES_IDENTITY,
     .seal = WL_SEAL_MAY,
     .changes_register = true,
     .validate = validate_key_add,
     .apply = apply_key_add,
     .sealed_apply = sealed_key_add,
     .sealed_subject = "member",
     .reveal = reveal_key_add},
    {.name = "key.revoke",
     .scopes = WL_SCOPES_IDENTITY,
     .seal = WL_SEAL_NEVER,
     .changes_register = true,
     .validate = validate_key_revoke,
     .apply = apply_key_revoke},
    /* sealed, it is not announced: an announced member withdraws in public */
    {.name = "member.status",
     .scopes = WL_SCOPES_IDENTITY,
     .seal = WL_SEAL_MAY,
     .changes_register = true,
     .validate = validate_member_status,
     .apply = apply_member_status,
     .sealed_apply = sealed_member_status,
     .sealed_subject = "member"},
};

const wl_module wl_identity_module = {
    .name = "identity",
    .kinds = identity_kinds,
    .nkinds = sizeof identity_kinds / sizeof identity_kinds[0],
};

wl_rc wl_sealed_member_apply(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    for (size_t i = 0; i < wl_identity_module.nkinds; i++)
        if (strcmp(c->kind, identity_kinds[i].name) == 0 && identity_kinds[i].sealed_apply)
            return identity_kinds[i].sealed_apply(s, c, size, err);
    return wl_error_set(err, WL_ERR_INVALID, "unknown_kind",
                        "sealed content about members is member.add, key.add or member.status");
}
