/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's own entry kinds and their rules: member.add, key.add,
 * key.revoke, statement, sealed, announce. Bodies are in docs/FORMAT.md.
 * Each apply hook runs inside the sequencing transaction, so it sees every
 * entry before it, and its state changes roll back with a rejected entry.
 */
#include <string.h>

#include <jansson.h>

#include "willing/ledger.h"

#define STATEMENT_MAX 4096

static int only_fields(json_t *o, const char *const *allowed, const char **bad)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(k, *a) == 0)
                ok = 1;
        if (!ok) {
            *bad = k;
            return 0;
        }
    }
    return 1;
}

static wl_rc check_fields(json_t *o, const char *const *allowed, const char *kind, wl_error *err)
{
    const char *bad = NULL;
    if (!only_fields(o, allowed, &bad))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: unknown field '%s'", kind,
                            bad);
    return WL_OK;
}

static const char *str_field(json_t *o, const char *name, size_t max)
{
    const char *s = json_string_value(json_object_get(o, name));
    if (s == NULL || s[0] == '\0' || strlen(s) > max)
        return NULL;
    return s;
}

static int b64_32(json_t *o, const char *name, uint8_t out[32])
{
    const char *s = json_string_value(json_object_get(o, name));
    size_t n = 0;
    return s && strlen(s) == 44 && wl_b64_decode(s, 44, out, 32, &n) == WL_OK && n == 32;
}

static wl_rc operator_id(wl_store *s, char **op, wl_error *err)
{
    wl_rc rc = wl_store_meta_get(s, "operator", op);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "the log has no operator: %s", wl_rc_name(rc));
    return WL_OK;
}

/* The author is the member itself or the operator. */
static wl_rc self_or_operator(wl_store *s, const wl_entry *e, const char *member, wl_error *err)
{
    char *op = NULL;
    wl_rc rc;
    if (strcmp(e->author, member) == 0)
        return WL_OK;
    if ((rc = operator_id(s, &op, err)) != WL_OK)
        return rc;
    rc = strcmp(op, e->author) == 0
             ? WL_OK
             : wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "only '%s' itself or the operator may change its keys", member);
    wl_free(op);
    return rc;
}

/* The body of member.add, public or sealed: {member, name, role, key, scope?}. */
typedef struct {
    const char *id, *name, *role, *scope;
    uint8_t pk[32];
} member_body;

static wl_rc parse_member_add(json_t *b, member_body *mb, wl_error *err)
{
    static const char *const fields[] = {"member", "name", "role", "key", "scope", NULL};
    wl_rc rc;
    if ((rc = check_fields(b, fields, "member.add", err)) != WL_OK)
        return rc;
    mb->id = str_field(b, "member", WL_MEMBER_MAX);
    mb->name = str_field(b, "name", 256);
    mb->role = str_field(b, "role", 16);
    mb->scope = json_object_get(b, "scope") ? str_field(b, "scope", 16) : "sign";
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
    if (!b64_32(b, "key", mb->pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'key' must be a base64 Ed25519 public key");
    return WL_OK;
}

/* Only the operator adds members (publicly or sealed), never a second operator. */
static wl_rc operator_adds(wl_store *s, const char *author, const member_body *mb, wl_error *err)
{
    char *op = NULL;
    wl_rc rc = operator_id(s, &op, err);
    if (rc != WL_OK)
        return rc;
    rc = strcmp(op, author) == 0 ? WL_OK : WL_ERR_FORBIDDEN;
    wl_free(op);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "forbidden", "only the operator may add members");
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
        if ((rc = operator_adds(s, p->e.author, &mb, err)) != WL_OK)
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

static wl_rc apply_key_add(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"member", "key", "scope", NULL};
    json_t *b = p->e.body_json;
    const char *id = str_field(b, "member", WL_MEMBER_MAX);
    const char *scope = str_field(b, "scope", 16);
    wl_member m;
    wl_member_key k;
    wl_rc rc;

    if ((rc = check_fields(b, fields, "key.add", err)) != WL_OK)
        return rc;
    memset(&k, 0, sizeof k);
    if (!public_member(s, id, &m))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "key.add: 'member' must name a member of this log");
    if (scope == NULL || !wl_valid_scope(scope))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: 'scope' must be sign, login or console");
    if (!b64_32(b, "key", k.pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: 'key' must be a base64 Ed25519 public key");
    if ((rc = self_or_operator(s, &p->e, id, err)) != WL_OK)
        return rc;
    return put_key(s, id, scope, k.pk, index, 0, err);
}

static wl_rc apply_key_revoke(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"member", "key", NULL};
    json_t *b = p->e.body_json;
    const char *id = str_field(b, "member", WL_MEMBER_MAX);
    uint8_t pk[32];
    wl_rc rc;

    if ((rc = check_fields(b, fields, "key.revoke", err)) != WL_OK)
        return rc;
    if (id == NULL || !wl_valid_member_id(id, strlen(id)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.revoke: 'member' must be a member id");
    if (!b64_32(b, "key", pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.revoke: 'key' must be a base64 Ed25519 public key");
    if ((rc = self_or_operator(s, &p->e, id, err)) != WL_OK)
        return rc;
    rc = wl_store_key_revoke(s, id, pk, index);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "unknown_key", "'%s' has no such active key", id);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
}

static wl_rc apply_statement(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *text = str_field(p->e.body_json, "text", STATEMENT_MAX);
    (void)s;
    (void)index;
    if (text == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "statement: 'text' must be a string of 1-%d bytes", STATEMENT_MAX);
    return WL_OK;
}

static wl_rc apply_sealed(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"commitment", NULL};
    uint8_t c[32];
    char *op = NULL;
    wl_rc rc;
    (void)index;
    if ((rc = check_fields(p->e.body_json, fields, "sealed", err)) != WL_OK)
        return rc;
    if (!b64_32(p->e.body_json, "commitment", c))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "sealed: 'commitment' must be a base64 SHA-256 value");
    if ((rc = operator_id(s, &op, err)) != WL_OK)
        return rc;
    rc = strcmp(op, p->e.author) == 0 ? WL_OK : WL_ERR_FORBIDDEN;
    wl_free(op);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "forbidden", "only the operator publishes sealed envelopes");
    /* constant size: 16-digit seq (microseconds), 10-digit time, fixed body */
    if (p->e.seq < 1000000000000000ull || p->e.seq > 9999999999999999ull ||
        p->e.time < 1000000000 || p->e.time > 9999999999 ||
        p->e.body_len != strlen("{\"commitment\":\"\"}") + 44)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "sealed: envelopes have a 16-digit seq, a 10-digit time and the "
                            "body {\"commitment\":\"<base64>\"} exactly, so all are one size");
    return WL_OK;
}

/*
 * The revealed content is a sealed note (willing.sealed/v1) by the announcing
 * member for this log, signed with a public key of theirs that was not
 * revoked before the envelope was published. (The key may have become public
 * after the envelope: a member that was itself sealed publishes its keys when
 * it announces. The commitment, not the key's date, dates the content.) Its
 * kind's reveal hook then checks and applies what announcing it means.
 */
static wl_rc check_sealed_content(wl_store *s, const char *raw, size_t rawlen, const wl_pending *p,
                                  uint64_t sealed_index, uint64_t index, wl_error *err)
{
    const wl_entry *announce = &p->e;
    wl_entry c;
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    char why[200];
    wl_reveal_fn reveal;
    wl_rc rc = wl_sealed_parse(raw, rawlen, &c, why, sizeof why);
    if (rc != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_content",
                            "announce: the content is not sealed content: %s", why);
    if (strcmp(c.origin, announce->origin) != 0 || strcmp(c.author, announce->author) != 0) {
        rc = wl_error_set(err, WL_ERR_FORBIDDEN, "not_your_content",
                          "announce: only its author, for this log, may announce sealed content "
                          "(its author is '%s')",
                          c.author);
        goto out;
    }
    if ((reveal = wl_reveal_find(c.kind)) == NULL) {
        rc = wl_error_set(err, WL_ERR_INVALID, "not_announceable",
                          "announce: sealed content of kind '%s' cannot be announced", c.kind);
        goto out;
    }
    rc = wl_store_keys_by_id(s, c.author, c.key_id, keys, WL_MAX_KEYS_PER_MEMBER, &nk);
    if (rc != WL_OK) {
        rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        goto out;
    }
    /* announcing is writing what is revealed: the announcing key must be one that may */
    if ((rc = wl_scope_check(c.kind, p->scope, err)) != WL_OK)
        goto out;
    rc = wl_error_set(err, WL_ERR_SIGNATURE, "bad_signature",
                      "announce: the content is not signed by a key '%s' held when it was sealed",
                      c.author);
    for (size_t i = 0; i < nk; i++)
        if (!keys[i].sealed && keys[i].added < index &&
            (keys[i].revoked == UINT64_MAX || keys[i].revoked > sealed_index) &&
            wl_entry_verify_sig(&c, keys[i].pk) == WL_OK) {
            rc = wl_scope_check(c.kind, keys[i].scope, err);
            break;
        }
    if (rc == WL_OK)
        rc = reveal(s, &c, sealed_index, index, err);
out:
    wl_entry_clear(&c);
    return rc;
}

/*
 * Announcing a sealed member.add (content by the operator): the member and
 * its key become public, dated by the envelope. In the operator's own store
 * the sealed rows become public; in anyone else's replay they are created.
 */
static wl_rc reveal_member_add(wl_store *s, const wl_entry *c, uint64_t sealed_index,
                               uint64_t index, wl_error *err)
{
    member_body mb;
    wl_member m;
    wl_rc rc;
    (void)index;
    if ((rc = parse_member_add(c->body_json, &mb, err)) != WL_OK ||
        (rc = operator_adds(s, c->author, &mb, err)) != WL_OK)
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
    static const char *const fields[] = {"member", "key", "scope", NULL};
    const char *id = str_field(c->body_json, "member", WL_MEMBER_MAX);
    const char *scope = str_field(c->body_json, "scope", 16);
    wl_member m;
    wl_member_key k;
    wl_rc rc;
    (void)index;
    memset(&k, 0, sizeof k);
    if ((rc = check_fields(c->body_json, fields, "key.add", err)) != WL_OK)
        return rc;
    if (!public_member(s, id, &m))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "key.add: announce the member before its keys");
    if (scope == NULL || !wl_valid_scope(scope) || !b64_32(c->body_json, "key", k.pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "key.add: {member, key (base64), scope (sign, login or console)}");
    if ((rc = self_or_operator(s, c, id, err)) != WL_OK)
        return rc;
    if (wl_store_key_publish(s, id, k.pk, sealed_index) == WL_OK)
        return WL_OK;
    return put_key(s, id, scope, k.pk, sealed_index, 0, err);
}

/* member.status, public: an announced member withdraws (by itself or the operator). */
static wl_rc apply_member_status(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"member", "status", NULL};
    const char *id = str_field(p->e.body_json, "member", WL_MEMBER_MAX);
    const char *st = str_field(p->e.body_json, "status", 16);
    wl_member m;
    wl_rc rc;
    (void)index;
    if ((rc = check_fields(p->e.body_json, fields, "member.status", err)) != WL_OK)
        return rc;
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

wl_rc wl_sealed_member_apply(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    wl_member m;
    wl_rc rc;
    if (strcmp(c->kind, "member.add") == 0) {
        member_body mb;
        if ((rc = parse_member_add(c->body_json, &mb, err)) != WL_OK ||
            (rc = operator_adds(s, c->author, &mb, err)) != WL_OK)
            return rc;
        if (wl_store_member_get(s, mb.id, &m) == WL_OK)
            return wl_error_set(err, WL_ERR_CONFLICT, "member_exists", "member '%s' already exists",
                                mb.id);
        return put_member(s, &mb, size, "invited", 1, err);
    }
    if (strcmp(c->kind, "key.add") == 0) {
        static const char *const fields[] = {"member", "key", "scope", NULL};
        const char *id = str_field(c->body_json, "member", WL_MEMBER_MAX);
        const char *scope = str_field(c->body_json, "scope", 16);
        wl_member_key k;
        memset(&k, 0, sizeof k);
        if ((rc = check_fields(c->body_json, fields, "key.add", err)) != WL_OK)
            return rc;
        if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK || !m.sealed)
            return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                                "sealed key.add: 'member' must name a member that has not "
                                "announced (announced members add keys in public)");
        if (scope == NULL || !wl_valid_scope(scope) || !b64_32(c->body_json, "key", k.pk))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "key.add: {member, key (base64), scope (sign, login or console)}");
        {
            char *op = NULL;
            if ((rc = operator_id(s, &op, err)) != WL_OK)
                return rc;
            rc = strcmp(op, c->author) == 0 ? WL_OK : WL_ERR_FORBIDDEN;
            wl_free(op);
            if (rc != WL_OK)
                return wl_error_set(err, rc, "forbidden",
                                    "sealed key.add is the operator's (it announces them)");
        }
        return put_key(s, id, scope, k.pk, size, 1, err);
    }
    if (strcmp(c->kind, "member.status") == 0) {
        static const char *const fields[] = {"member", "status", NULL};
        const char *id = str_field(c->body_json, "member", WL_MEMBER_MAX);
        const char *st = str_field(c->body_json, "status", 16);
        if ((rc = check_fields(c->body_json, fields, "member.status", err)) != WL_OK)
            return rc;
        if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK || !m.sealed)
            return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                                "sealed member.status: 'member' must name a member that has not "
                                "announced (announced members withdraw in public)");
        if (st == NULL || (strcmp(st, "willing") != 0 && strcmp(st, "withdrawn") != 0))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "member.status: 'status' is willing or withdrawn");
        if ((rc = self_or_operator(s, c, id, err)) != WL_OK)
            return rc;
        if ((rc = wl_store_member_status(s, id, st)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        return WL_OK;
    }
    return wl_error_set(err, WL_ERR_INVALID, "unknown_kind",
                        "sealed content about members is member.add, key.add or member.status");
}

/* The announce, if any, that named sealed entry `sealed` already (a scan stops at it). */
typedef struct {
    uint64_t sealed, at;
} announced_ctx;

static wl_rc announced_one(void *ctx, uint64_t index, const char *data, size_t len)
{
    announced_ctx *a = ctx;
    wl_entry e;
    json_t *si;
    int same;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    si = json_object_get(e.body_json, "sealed");
    same = json_is_integer(si) && (uint64_t)json_integer_value(si) == a->sealed;
    wl_entry_clear(&e);
    if (!same)
        return WL_OK;
    a->at = index;
    return WL_ERR_CONFLICT; /* found: stop */
}

static wl_rc apply_announce(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"sealed", "salt", "content", NULL};
    json_t *b = p->e.body_json;
    json_t *si = json_object_get(b, "sealed");
    const char *content = json_string_value(json_object_get(b, "content"));
    uint8_t salt[32], want[32], got[32];
    uint8_t *raw = NULL;
    size_t rawlen = 0, sealed_len = 0;
    char *sealed = NULL, kind[33];
    wl_entry se;
    wl_rc rc;

    if ((rc = check_fields(b, fields, "announce", err)) != WL_OK)
        return rc;
    if (!json_is_integer(si) || json_integer_value(si) < 0 ||
        (uint64_t)json_integer_value(si) >= index)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'sealed' must be the index of an earlier sealed entry");
    if (!b64_32(b, "salt", salt))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'salt' must be 32 bytes in base64");
    if (content == NULL || strlen(content) > WL_ENTRY_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'content' must be base64");
    raw = wl_malloc(strlen(content) / 4 * 3 + 3);
    if (raw == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "announce");
    if (wl_b64_decode(content, strlen(content), raw, strlen(content) / 4 * 3 + 3, &rawlen) !=
        WL_OK) {
        wl_free(raw);
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'content' is not valid base64");
    }
    rc = wl_store_entry(s, (uint64_t)json_integer_value(si), &sealed, &sealed_len, kind, NULL, NULL,
                        NULL);
    if (rc != WL_OK || strcmp(kind, "sealed") != 0) {
        wl_free(raw);
        wl_free(sealed);
        return wl_error_set(err, WL_ERR_INVALID, "not_sealed",
                            "announce: entry %lld is not a sealed entry",
                            (long long)json_integer_value(si));
    }
    rc = wl_entry_parse(sealed, sealed_len, &se, NULL, 0);
    if (rc == WL_OK && b64_32(se.body_json, "commitment", want)) {
        wl_seal_commitment(salt, raw, rawlen, got);
        rc = memcmp(got, want, 32) == 0 ? WL_OK : WL_ERR_CONFLICT;
    } else {
        rc = WL_ERR_CORRUPT;
    }
    wl_entry_clear(&se);
    wl_free(sealed);
    if (rc == WL_ERR_CONFLICT) {
        wl_free(raw);
        return wl_error_set(err, rc, "commitment_mismatch",
                            "announce: salt and content do not match the sealed commitment");
    }
    if (rc != WL_OK) {
        wl_free(raw);
        return wl_error_set(err, rc, "storage", "announce: the sealed entry cannot be read");
    }
    {
        /* sealed content is announced once: a second announcement would count twice */
        announced_ctx ac = {(uint64_t)json_integer_value(si), UINT64_MAX};
        rc = wl_store_entries_of_kind(s, "announce", ac.sealed + 1, announced_one, &ac);
        if (ac.at != UINT64_MAX)
            rc = wl_error_set(err, WL_ERR_CONFLICT, "already_announced",
                              "announce: sealed entry %llu was announced already, by entry %llu",
                              (unsigned long long)ac.sealed, (unsigned long long)ac.at);
        else if (rc != WL_OK)
            rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        if (rc != WL_OK) {
            wl_free(raw);
            return rc;
        }
    }
    rc = check_sealed_content(s, (const char *)raw, rawlen, p, (uint64_t)json_integer_value(si),
                              index, err);
    wl_free(raw);
    return rc;
}

wl_rc wl_kinds_core_register(void)
{
    static const wl_kind core[] = {
        /* identity (members and keys): a signing key only, never the console's */
        {"member.add", apply_member_add, WL_SCOPES_IDENTITY},
        {"key.add", apply_key_add, WL_SCOPES_IDENTITY},
        {"key.revoke", apply_key_revoke, WL_SCOPES_IDENTITY},
        {"member.status", apply_member_status, WL_SCOPES_IDENTITY},
        {"statement", apply_statement, WL_SCOPES_WRITE},
        {"sealed", apply_sealed, WL_SCOPES_WRITE},
        /* and what it reveals must be the announcing key's to write (check_sealed_content) */
        {"announce", apply_announce, WL_SCOPES_WRITE},
    };
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        if (wl_kind_find(core[i].name) != NULL)
            continue;
        wl_rc rc = wl_kind_register(&core[i]);
        if (rc != WL_OK)
            return rc;
    }
    if (wl_reveal_find("member.add") == NULL) {
        wl_rc rc;
        if ((rc = wl_reveal_register("member.add", reveal_member_add, WL_SCOPES_IDENTITY)) !=
                WL_OK ||
            (rc = wl_reveal_register("key.add", reveal_key_add, WL_SCOPES_IDENTITY)) != WL_OK)
            return rc;
    }
    return WL_OK;
}
