/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The authority (wl_authorize in include/willing/identity.h): the one place
 * that says whether a member, with a key of some scope, may write a kind now,
 * from the kind's descriptor (scopes, roles) and the member's record (role,
 * status), and whether one may do an action that is not an entry (upload a
 * blob, read every blob). The ledger asks it for every entry it sequences
 * and for what an announcement reveals; the daemon for what a request writes. The rules are
 * in docs/internals/identity.md.
 */
#include <stdio.h>
#include <string.h>

#include "identity_int.h"

/* "operator", "coordinator or operator": the roles in bits, for a refusal. */
static void roles_text(unsigned roles, char *out, size_t cap)
{
    size_t n = 0;
    unsigned left = roles;
    out[0] = '\0';
    for (unsigned bit = 1; bit <= WL_ROLES_ALL && n < cap; bit <<= 1) {
        const char *name = wl_role_name(bit);
        int w;
        if (!(roles & bit) || name == NULL)
            continue;
        left &= ~bit;
        w = snprintf(out + n, cap - n, "%s%s", n == 0 ? "" : left ? ", " : " or ", name);
        if (w < 0 || (size_t)w >= cap - n)
            break; /* cut: the names fit 128 bytes, so this does not happen */
        n += (size_t)w;
    }
}

/* After withdrawing, a member may still revoke its keys (a lost key stays revocable). */
static int withdrawn_may(const wl_kind *k)
{
    return strcmp(k->name, "key.revoke") == 0 || strcmp(k->name, "member.status") == 0;
}

wl_rc wl_identity_author_may(wl_store *s, const char *member, const char *kind, wl_error *err)
{
    const wl_kind *k = wl_kind_find(kind);
    wl_member m;
    char roles[128];
    wl_rc rc;
    if (k == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "unknown_kind", "no kind '%s' in this log", kind);
    rc = wl_store_member_get(s, member, &m);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden", "%s: '%s' is not a member", k->name,
                            member);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    if (strcmp(m.status, "withdrawn") == 0 && !withdrawn_may(k))
        return wl_error_set(err, WL_ERR_FORBIDDEN, "withdrawn",
                            "%s: '%s' has withdrawn: it writes nothing more", k->name, member);
    if (k->roles != 0 && (k->roles & wl_role_bit(m.role)) == 0) {
        roles_text(k->roles, roles, sizeof roles);
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "%s: a member with role %s may not write it (only %s)", k->name, m.role,
                            roles);
    }
    return WL_OK;
}

wl_rc wl_authorize(wl_store *s, const char *member, const char *scope, const char *kind,
                   wl_error *err)
{
    wl_rc rc;
    if (wl_kind_find(kind) == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "unknown_kind", "no kind '%s' in this log", kind);
    if ((rc = wl_scope_check(kind, scope, err)) != WL_OK)
        return rc;
    return wl_identity_author_may(s, member, kind, err);
}

wl_rc wl_authorize_action(wl_store *s, const char *member, const char *scope, wl_action act,
                          wl_error *err)
{
    wl_member m;
    wl_rc rc;
    if (act == WL_ACTION_BLOB_UPLOAD &&
        (wl_scope_bit(scope ? scope : "") & (WL_SCOPE_SIGN | WL_SCOPE_CONSOLE)) == 0)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "key_scope",
                            "a key of scope '%s' may not upload a blob: it needs a key of scope "
                            "sign or console",
                            scope ? scope : "");
    rc = member ? wl_store_member_get(s, member, &m) : WL_ERR_NOT_FOUND;
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden", "no member %s",
                            member ? member : "(anonymous)");
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    if (act == WL_ACTION_BLOB_READ_ANY)
        return wl_member_privileged(&m)
                   ? WL_OK
                   : wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                                  "'%s' reads only the blobs it uploaded or entries name it for",
                                  m.id);
    if (strcmp(m.status, "withdrawn") == 0 || wl_role_bit(m.role) == WL_ROLE_OBSERVER)
        return wl_error_set(
            err, WL_ERR_FORBIDDEN, "forbidden", "'%s' may not upload blobs: %s", m.id,
            strcmp(m.status, "withdrawn") == 0 ? "it has withdrawn" : "an observer reads only");
    return WL_OK;
}

wl_rc wl_authorize_blob_share(wl_store *s, const char *member, const uint8_t hash[32],
                              const char *kind, wl_error *err)
{
    wl_blob_meta meta;
    bool may = false;
    char hex[65];
    wl_rc rc;
    if ((rc = wl_store_blob_meta(s, hash, &meta, err)) != WL_OK)
        return rc;
    if (!meta.exists)
        return WL_OK;
    if ((rc = wl_store_blob_may_read(s, hash, member, &may, err)) != WL_OK)
        return rc;
    if (may)
        return WL_OK;
    wl_hex_encode(hash, 32, hex);
    return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                        "%s: the blob %s was not uploaded by %s and is not public: an entry "
                        "shares only a blob its author uploaded or was given",
                        kind, hex, member);
}

wl_rc wl_identity_sealed_signer(wl_store *s, const wl_entry *content, wl_error *err)
{
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    if (wl_store_keys_by_id(s, content->author, content->key_id, keys, WL_MAX_KEYS_PER_MEMBER,
                            &nk) != WL_OK)
        return wl_error_set(err, WL_ERR_IO, "storage", "cannot read keys");
    for (size_t i = 0; i < nk; i++)
        if (keys[i].revoked == UINT64_MAX && wl_entry_verify_sig(content, keys[i].pk) == WL_OK)
            return wl_scope_check(content->kind, keys[i].scope, err);
    return wl_error_set(err, WL_ERR_FORBIDDEN, "bad_signature",
                        "the content is not signed by a live signing key of %s", content->author);
}

bool wl_member_privileged(const wl_member *m)
{
    return (strcmp(m->role, "coordinator") == 0 || strcmp(m->role, "operator") == 0) &&
           strcmp(m->status, "withdrawn") != 0;
}
