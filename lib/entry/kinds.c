/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's own entry kinds and their rules: statement, sealed (the
 * operator's envelopes) and announce (revealing sealed content), the module
 * wl_ledger_module. Members and keys are the identity module's
 * (lib/identity/). Bodies are in docs/FORMAT.md; docs/internals/entry.md.
 * Each apply hook runs inside the sequencing transaction, so it sees every
 * entry before it, and its state changes roll back with a rejected entry.
 */
#include <string.h>

#include <jansson.h>

#include "willing/ledger.h"

static wl_rc validate_statement(const wl_entry *e, wl_error *err)
{
    if (wl_body_str(e->body_json, "text", WL_STATEMENT_MAX) == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "statement: 'text' must be a string of 1-%u bytes", WL_STATEMENT_MAX);
    return WL_OK;
}

static wl_rc validate_sealed(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"commitment", NULL};
    uint8_t c[32];
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, fields, "sealed", err)) != WL_OK)
        return rc;
    if (!wl_body_b64_32(e->body_json, "commitment", c))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "sealed: 'commitment' must be a base64 SHA-256 value");
    return WL_OK;
}

/* Envelopes are the operator's (its role, asked of the authority), all of one size. */
static wl_rc apply_sealed(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    (void)s;
    (void)index;
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
 * it announces. The commitment, not the key's date, dates the content.) The
 * authority must let the announcing member, with the announcing key, write
 * the content's kind now; its kind's reveal hook then checks and applies what
 * announcing it means.
 */
static wl_rc check_sealed_content(wl_store *s, const char *raw, size_t rawlen, const wl_pending *p,
                                  uint64_t sealed_index, uint64_t index, wl_error *err)
{
    const wl_entry *announce = &p->e;
    const wl_kind *k;
    wl_entry c;
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
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
    if ((k = wl_kind_sealable(c.kind)) == NULL || k->reveal == NULL) {
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
    if ((rc = wl_authority_ask(s, announce->author, p->scope, c.kind, err)) != WL_OK)
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
    if (rc == WL_OK && k->validate != NULL)
        rc = k->validate(&c, err);
    if (rc == WL_OK)
        rc = k->reveal(s, &c, sealed_index, index, err);
out:
    wl_entry_clear(&c);
    return rc;
}

static wl_rc validate_announce(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"sealed", "salt", "content", NULL};
    const json_t *si = json_object_get(e->body_json, "sealed");
    const char *content = json_string_value(json_object_get(e->body_json, "content"));
    uint8_t salt[32];
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, fields, "announce", err)) != WL_OK)
        return rc;
    if (!json_is_integer(si) || json_integer_value(si) < 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'sealed' must be the index of an earlier sealed entry");
    if (!wl_body_b64_32(e->body_json, "salt", salt))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'salt' must be 32 bytes in base64");
    if (content == NULL || strlen(content) > WL_ENTRY_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'content' must be base64");
    return WL_OK;
}

/* The sealed entry's commitment matches salt and content: WL_OK, CONFLICT or another error. */
static wl_rc commitment_matches(wl_store *s, uint64_t sealed_index, const uint8_t salt[32],
                                const uint8_t *raw, size_t rawlen, wl_error *err)
{
    char *sealed = NULL, kind[33];
    size_t sealed_len = 0;
    uint8_t want[32], got[32];
    wl_entry se;
    wl_rc rc;

    memset(&se, 0, sizeof se);
    rc = wl_store_entry(s, sealed_index, &sealed, &sealed_len, kind, NULL, NULL, NULL);
    if (rc != WL_OK || strcmp(kind, "sealed") != 0) {
        rc = wl_error_set(err, WL_ERR_INVALID, "not_sealed",
                          "announce: entry %llu is not a sealed entry",
                          (unsigned long long)sealed_index);
        goto out;
    }
    rc = wl_entry_parse(sealed, sealed_len, &se, NULL, 0);
    if (rc != WL_OK || !wl_body_b64_32(se.body_json, "commitment", want)) {
        rc = wl_error_set(err, WL_ERR_CORRUPT, "storage",
                          "announce: the sealed entry cannot be read");
        goto out;
    }
    wl_seal_commitment(salt, raw, rawlen, got);
    if (memcmp(got, want, 32) != 0)
        rc = wl_error_set(err, WL_ERR_CONFLICT, "commitment_mismatch",
                          "announce: salt and content do not match the sealed commitment");
out:
    wl_entry_clear(&se);
    wl_free(sealed);
    return rc;
}

static wl_rc apply_announce(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    json_t *b = p->e.body_json;
    const char *content = json_string_value(json_object_get(b, "content"));
    uint64_t sealed_index = (uint64_t)json_integer_value(json_object_get(b, "sealed"));
    size_t cap = content ? strlen(content) / 4 * 3 + 3 : 0, rawlen = 0;
    uint8_t salt[32], *raw = NULL;
    uint64_t at;
    wl_rc rc;

    if (content == NULL || sealed_index >= index)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'sealed' must be the index of an earlier sealed entry");
    if (!wl_body_b64_32(b, "salt", salt))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "announce: 'salt' must be 32 bytes in base64");
    if ((raw = wl_malloc(cap)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "announce");
    if (wl_b64_decode(content, strlen(content), raw, cap, &rawlen) != WL_OK) {
        rc = wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                          "announce: 'content' is not valid base64");
        goto out;
    }
    if ((rc = commitment_matches(s, sealed_index, salt, raw, rawlen, err)) != WL_OK)
        goto out;
    /* sealed content is announced once: a second announcement would count twice */
    rc = wl_store_announced_get(s, sealed_index, &at);
    if (rc == WL_OK)
        rc = wl_error_set(err, WL_ERR_CONFLICT, "already_announced",
                          "announce: sealed entry %llu was announced already, by entry %llu",
                          (unsigned long long)sealed_index, (unsigned long long)at);
    else if (rc == WL_ERR_NOT_FOUND)
        rc = check_sealed_content(s, (const char *)raw, rawlen, p, sealed_index, index, err);
    else
        rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    if (rc == WL_OK && (rc = wl_store_announced_put(s, sealed_index, index)) != WL_OK)
        rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
out:
    wl_free(raw);
    return rc;
}

static const wl_kind ledger_kinds[] = {
    {.name = "statement",
     .scopes = WL_SCOPES_WRITE,
     .seal = WL_SEAL_NEVER,
     .changes_register = false, /* the register's cached views ignore statements */
     .validate = validate_statement},
    {.name = "sealed",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_OPERATOR,
     .seal = WL_SEAL_NEVER,
     .changes_register = true,
     .validate = validate_sealed,
     .apply = apply_sealed},
    /* and what it reveals must be the announcing member's to write (check_sealed_content) */
    {.name = "announce",
     .scopes = WL_SCOPES_WRITE,
     .seal = WL_SEAL_NEVER,
     .changes_register = true,
     .validate = validate_announce,
     .apply = apply_announce},
};

const wl_module wl_ledger_module = {
    .name = "ledger",
    .kinds = ledger_kinds,
    .nkinds = sizeof ledger_kinds / sizeof ledger_kinds[0],
};
