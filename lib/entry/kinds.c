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

static wl_rc apply_member_add(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const fields[] = {"member", "name", "role", "key", "scope", NULL};
    json_t *b = p->e.body_json;
    const char *id = str_field(b, "member", WL_MEMBER_MAX);
    const char *name = str_field(b, "name", 256);
    const char *role = str_field(b, "role", 16);
    const char *scope = json_object_get(b, "scope") ? str_field(b, "scope", 16) : "sign";
    wl_member m;
    wl_member_key k;
    char *op = NULL;
    wl_rc rc;

    if ((rc = check_fields(b, fields, "member.add", err)) != WL_OK)
        return rc;
    memset(&m, 0, sizeof m);
    memset(&k, 0, sizeof k);
    if (id == NULL || !wl_valid_member_id(id, strlen(id)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'member' must be a member id (a-z 0-9 . _ -)");
    if (name == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'name' must be a string of 1-256 bytes");
    if (role == NULL || !wl_valid_role(role))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'role' must be one of operator, coordinator, member, "
                            "host, party, monitor, observer");
    if (scope == NULL || !wl_valid_scope(scope))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'scope' must be sign, login or console");
    if (!b64_32(b, "key", k.pk))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "member.add: 'key' must be a base64 Ed25519 public key");
    if (index == 0) {
        if (strcmp(id, p->e.author) != 0 || strcmp(role, "operator") != 0 ||
            strcmp(scope, "sign") != 0)
            return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                                "the first entry must add its own author as operator with a "
                                "sign key");
        if ((rc = wl_store_meta_set(s, "operator", id)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    } else {
        if ((rc = operator_id(s, &op, err)) != WL_OK)
            return rc;
        rc = strcmp(op, p->e.author) == 0 ? WL_OK : WL_ERR_FORBIDDEN;
        wl_free(op);
        if (rc != WL_OK)
            return wl_error_set(err, rc, "forbidden", "only the operator may add members");
        if (strcmp(role, "operator") == 0)
            return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                                "a log has one operator, added by its first entry");
        if (wl_store_member_get(s, id, &m) == WL_OK)
            return wl_error_set(err, WL_ERR_CONFLICT, "member_exists",
                                "member '%s' was already added at index %llu", id,
                                (unsigned long long)m.added);
    }
    memset(&m, 0, sizeof m);
    memcpy(m.id, id, strlen(id) + 1);
    memcpy(m.name, name, strlen(name) + 1);
    memcpy(m.role, role, strlen(role) + 1);
    m.added = index;
    memcpy(k.member, id, strlen(id) + 1);
    memcpy(k.scope, scope, strlen(scope) + 1);
    k.key_id = wl_entry_key_id(id, k.pk);
    k.added = index;
    if ((rc = wl_store_member_put(s, &m)) != WL_OK || (rc = wl_store_key_put(s, &k)) != WL_OK)
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
    if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK)
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
    memcpy(k.member, id, strlen(id) + 1);
    memcpy(k.scope, scope, strlen(scope) + 1);
    k.key_id = wl_entry_key_id(id, k.pk);
    k.added = index;
    rc = wl_store_key_put(s, &k);
    if (rc == WL_ERR_CONFLICT)
        return wl_error_set(err, rc, "key_exists", "this key is already registered for '%s'", id);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    return WL_OK;
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
 * member for this log, signed with a key of theirs that was live when the
 * envelope was published (added before it, not revoked before it).
 */
static wl_rc check_sealed_content(wl_store *s, const char *raw, size_t rawlen,
                                  const wl_entry *announce, uint64_t sealed_index, wl_error *err)
{
    wl_entry c;
    wl_member_key keys[4];
    size_t nk = 0;
    char why[200];
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
    rc = wl_store_keys_by_id(s, c.author, c.key_id, keys, 4, &nk);
    if (rc != WL_OK) {
        rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        goto out;
    }
    rc = wl_error_set(err, WL_ERR_SIGNATURE, "bad_signature",
                      "announce: the content is not signed by a key '%s' held when it was sealed",
                      c.author);
    for (size_t i = 0; i < nk; i++)
        if (keys[i].added < sealed_index &&
            (keys[i].revoked == UINT64_MAX || keys[i].revoked > sealed_index) &&
            wl_entry_verify_sig(&c, keys[i].pk) == WL_OK) {
            rc = WL_OK;
            break;
        }
out:
    wl_entry_clear(&c);
    return rc;
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
    rc = check_sealed_content(s, (const char *)raw, rawlen, &p->e, (uint64_t)json_integer_value(si),
                              err);
    wl_free(raw);
    return rc;
}

wl_rc wl_kinds_core_register(void)
{
    static const wl_kind core[] = {
        {"member.add", apply_member_add}, {"key.add", apply_key_add},
        {"key.revoke", apply_key_revoke}, {"statement", apply_statement},
        {"sealed", apply_sealed},         {"announce", apply_announce},
    };
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        if (wl_kind_find(core[i].name) != NULL)
            continue;
        wl_rc rc = wl_kind_register(&core[i]);
        if (rc != WL_OK)
            return rc;
    }
    return WL_OK;
}
