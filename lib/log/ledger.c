/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's write path: precheck (parallel, read-only) and sequence (one
 * writer, inside a transaction), and checkpoint signing. Kinds and who may
 * write them come from the module registry (registry.c). See
 * docs/internals/ledger.md.
 */
#include <string.h>
#include <time.h>

#include "willing/ledger.h"
#include "willing/merkle.h"

#include <jansson.h>

void wl_pending_clear(wl_pending *p)
{
    wl_entry_clear(&p->e);
    memset(p, 0, sizeof *p);
}

/* The genesis entry is the operator adding itself, with the key in its body. */
static int genesis_key(const wl_entry *e, uint8_t pk[32])
{
    const char *m, *k;
    size_t n = 0;
    if (strcmp(e->kind, "member.add") != 0)
        return 0;
    m = json_string_value(json_object_get(e->body_json, "member"));
    k = json_string_value(json_object_get(e->body_json, "key"));
    if (m == NULL || k == NULL || strcmp(m, e->author) != 0)
        return 0;
    return wl_b64_decode(k, strlen(k), pk, 32, &n) == WL_OK && n == 32;
}

/* The signature of e by pk: the hint's answer when it is for the same key. */
static int sig_ok(const wl_entry *e, const uint8_t pk[32], const wl_sig_hint *hint)
{
    if (hint != NULL && memcmp(hint->pk, pk, 32) == 0)
        return hint->ok;
    return wl_entry_verify_sig(e, pk) == WL_OK;
}

wl_rc wl_ledger_precheck(wl_store *s, const char *origin, const char *bytes, size_t len,
                         wl_pending *p, wl_error *err)
{
    char why[200];
    wl_entry e;
    wl_rc rc;

    memset(p, 0, sizeof *p);
    rc = wl_entry_parse(bytes, len, &e, why, sizeof why);
    if (rc != WL_OK)
        return wl_error_set(err, rc, rc == WL_ERR_TOO_LARGE ? "entry_too_large" : "malformed_entry",
                            "%s", why);
    return wl_ledger_precheck_parsed(s, origin, &e, NULL, p, err);
}

wl_rc wl_ledger_precheck_parsed(wl_store *s, const char *origin, wl_entry *e,
                                const wl_sig_hint *hint, wl_pending *p, wl_error *err)
{
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    uint64_t size = 0;
    const wl_kind *k;
    wl_rc rc;

    memset(p, 0, sizeof *p);
    p->e = *e;
    memset(e, 0, sizeof *e);
    if (strcmp(p->e.origin, origin) != 0) {
        rc = wl_error_set(err, WL_ERR_INVALID, "wrong_origin",
                          "entry is for log '%s', this log is '%s'", p->e.origin, origin);
        goto fail;
    }
    /* sealed-only kinds (a pledge) are never entries: no such kind in the log */
    if ((k = wl_kind_entry(p->e.kind)) == NULL) {
        rc = wl_error_set(err, WL_ERR_INVALID, "unknown_kind", "no kind '%s' in this log",
                          p->e.kind);
        goto fail;
    }
    rc = wl_store_keys_by_id(s, p->e.author, p->e.key_id, keys, WL_MAX_KEYS_PER_MEMBER, &nk);
    if (rc != WL_OK) {
        rc = wl_error_set(err, rc, "storage", "reading keys: %s", wl_store_errmsg(s));
        goto fail;
    }
    /*
     * Keys added by sealed content are for private requests only: in public a
     * member that has not announced does not exist, and a forger learns
     * nothing (the same answer as for a key nobody holds).
     */
    {
        size_t pub = 0;
        for (size_t i = 0; i < nk; i++) {
            if (!keys[i].sealed) {
                keys[pub++] = keys[i];
            } else if (sig_ok(&p->e, keys[i].pk, hint)) {
                rc = wl_error_set(err, WL_ERR_FORBIDDEN, "not_announced",
                                  "'%s' has not announced its membership: it may seal content "
                                  "but not sign public entries until it announces (run "
                                  "`willing member announce`)",
                                  p->e.author);
                goto fail;
            }
        }
        nk = pub;
    }
    rc = WL_ERR_SIGNATURE;
    if (nk == 0) {
        if (wl_store_size(s, &size) == WL_OK && size == 0 && genesis_key(&p->e, p->pk) &&
            sig_ok(&p->e, p->pk, hint)) {
            memcpy(p->scope, "sign", 5);
            rc = WL_OK;
        } else {
            rc = wl_error_set(err, WL_ERR_UNKNOWN_KEY, "unknown_key",
                              "no key %08x of member '%s' is known to this log",
                              (unsigned)p->e.key_id, p->e.author);
        }
    }
    for (size_t i = 0; i < nk; i++) {
        if (!sig_ok(&p->e, keys[i].pk, hint))
            continue;
        if (keys[i].revoked != UINT64_MAX) {
            rc = wl_error_set(err, WL_ERR_REVOKED, "revoked_key",
                              "key %08x of '%s' was revoked at entry %llu", (unsigned)p->e.key_id,
                              p->e.author, (unsigned long long)keys[i].revoked);
            break;
        }
        if ((rc = wl_scope_check(p->e.kind, keys[i].scope, err)) != WL_OK)
            break;
        memcpy(p->pk, keys[i].pk, 32);
        memcpy(p->scope, keys[i].scope, sizeof p->scope);
        break;
    }
    if (rc == WL_ERR_SIGNATURE)
        wl_error_set(err, rc, "bad_signature",
                     "the signature does not verify with key %08x of '%s'", (unsigned)p->e.key_id,
                     p->e.author);
    /* the body's syntax last: who signed it is the first thing a refusal says */
    if (rc == WL_OK && k->validate != NULL)
        rc = k->validate(&p->e, err);
    if (rc == WL_OK)
        return WL_OK;
fail:
    wl_pending_clear(p);
    return rc;
}

wl_rc wl_ledger_tile_blob(wl_store *s, unsigned tlevel, uint64_t idx,
                          uint8_t out[WL_TILE_BLOB_BYTES])
{
    size_t off = 0;
    for (unsigned r = 0; r < 8; r++) {
        wl_rc rc = wl_store_hash_range(s, tlevel * 8 + r, (idx * 256) >> r, 256u >> r, out + off);
        if (rc != WL_OK) {
            memset(out, 0, WL_TILE_BLOB_BYTES); /* no half-built tile */
            return rc;
        }
        off += (256u >> r) * 32;
    }
    return WL_OK;
}

/*
 * Hash i at tree level 8(t+1) is the root of tile (t, i): once it exists, the
 * whole tile and the levels inside it are complete and stored as one blob.
 */
static wl_rc maybe_tile(wl_store *s, unsigned level, uint64_t i)
{
    uint8_t blob[WL_TILE_BLOB_BYTES];
    wl_rc rc;
    if (level == 0 || level % 8 != 0)
        return WL_OK;
    if ((rc = wl_ledger_tile_blob(s, level / 8 - 1, i, blob)) != WL_OK)
        return rc == WL_ERR_NOT_FOUND ? WL_ERR_CORRUPT : rc;
    return wl_store_tile_put(s, level / 8 - 1, i, blob);
}

/* Stores leaf idx, every complete subtree it closes, and every tile they complete. */
static wl_rc put_hashes(wl_store *s, uint64_t idx, const uint8_t leaf[32])
{
    uint8_t cur[32], left[32];
    wl_rc rc;
    unsigned level = 0;
    uint64_t i = idx;

    memcpy(cur, leaf, 32);
    if ((rc = wl_store_hash_put(s, 0, idx, cur)) != WL_OK)
        return rc;
    while (i & 1) {
        if ((rc = wl_store_hash_get(s, level, i - 1, left)) != WL_OK)
            return rc == WL_ERR_NOT_FOUND ? WL_ERR_CORRUPT : rc;
        wl_merkle_node_hash(left, cur, cur);
        i >>= 1;
        level++;
        if ((rc = wl_store_hash_put(s, level, i, cur)) != WL_OK ||
            (rc = maybe_tile(s, level, i)) != WL_OK)
            return rc;
    }
    return WL_OK;
}

wl_rc wl_ledger_sequence(wl_store *s, wl_pending *p, uint64_t *index, int *existed, wl_error *err)
{
    const wl_entry *e = &p->e;
    const wl_kind *k;
    char *old = NULL;
    size_t oldlen = 0;
    uint64_t oldidx = 0, size = 0;
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    wl_stored_entry se;
    wl_rc rc;

    *index = 0;
    *existed = 0;
    p->writing = false;
    rc = wl_store_find_seq(s, e->author, e->seq, &oldidx, &old, &oldlen);
    if (rc == WL_OK) {
        int same = oldlen == e->len && memcmp(old, e->bytes, e->len) == 0;
        wl_free(old);
        if (same) {
            *index = oldidx;
            *existed = 1;
            return WL_OK;
        }
        return wl_error_set(err, WL_ERR_CONFLICT, "seq_conflict",
                            "'%s' already has a different entry with seq %llu, at index %llu",
                            e->author, (unsigned long long)e->seq, (unsigned long long)oldidx);
    }
    if (rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    if ((rc = wl_store_size(s, &size)) != WL_OK)
        return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    if ((k = wl_kind_entry(e->kind)) == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "unknown_kind", "no kind '%s'", e->kind);

    /*
     * The key may have been revoked since the precheck; with its scope, as the
     * log holds it now, the authority says whether the author may write this
     * kind now (whatever route the entry came by).
     */
    if (size > 0) {
        int live = -1;
        if ((rc = wl_store_keys_by_id(s, e->author, e->key_id, keys, WL_MAX_KEYS_PER_MEMBER,
                                      &nk)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        for (size_t i = 0; i < nk; i++)
            if (memcmp(keys[i].pk, p->pk, 32) == 0 && keys[i].revoked == UINT64_MAX &&
                !keys[i].sealed)
                live = (int)i;
        if (live < 0)
            return wl_error_set(err, WL_ERR_REVOKED, "revoked_key",
                                "key %08x of '%s' is no longer valid", (unsigned)e->key_id,
                                e->author);
        if ((rc = wl_authority_ask(s, e->author, keys[live].scope, e->kind, err)) != WL_OK)
            return rc;
        memcpy(p->scope, keys[live].scope, sizeof p->scope);
    } else if (strcmp(e->kind, "member.add") != 0) {
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "the first entry of a log must be the operator's member.add");
    }

    /*
     * An entry signed later than the log's clock (beyond the skew a device's
     * clock may have) would be shown as written after it was logged. At a
     * replay the clock is later still, so it never refuses what the live log took.
     */
    {
        int64_t now = (int64_t)time(NULL);
        if (e->time > now + WL_ENTRY_SKEW_S)
            return wl_error_set(err, WL_ERR_INVALID, "time_in_future",
                                "%s: the entry's time %lld is more than %d s after the log's "
                                "time %lld",
                                e->kind, (long long)e->time, WL_ENTRY_SKEW_S, (long long)now);
    }
    p->writing = true; /* nothing written before here: a refusal above leaves none */
    if (k->apply != NULL && (rc = k->apply(s, p, size, err)) != WL_OK)
        return rc;

    se.index = size;
    se.data = e->bytes;
    se.len = e->len;
    se.leaf = e->leaf;
    se.kind = e->kind;
    se.author = e->author;
    se.seq = e->seq;
    se.time = e->time;
    if ((rc = wl_store_append(s, &se)) != WL_OK || (rc = put_hashes(s, size, e->leaf)) != WL_OK)
        return wl_error_set(err, rc, "storage", "appending: %s", wl_store_errmsg(s));
    *index = size;
    return WL_OK;
}

wl_rc wl_ledger_sign_checkpoint(const char *origin, const wl_key *log_key, uint64_t size,
                                const uint8_t root[32], char **note, size_t *len)
{
    wl_checkpoint cp;
    size_t tl, sl = 0;
    char *buf = NULL;
    wl_rc rc = WL_ERR_INTERNAL;

    *note = NULL;
    *len = 0;
    if (strlen(origin) > WL_ORIGIN_MAX)
        return WL_ERR_INVALID;
    memset(&cp, 0, sizeof cp);
    memcpy(cp.origin, origin, strlen(origin) + 1);
    cp.size = size;
    memcpy(cp.root, root, 32);
    if ((buf = wl_malloc(1024)) == NULL)
        return WL_ERR_NOMEM;
    if ((tl = wl_checkpoint_format(&cp, buf, 512)) == 0)
        goto out;
    buf[tl] = '\n';
    sl = wl_note_sign_line(buf, tl, origin, WL_SIGTYPE_ED25519, log_key, 0, buf + tl + 1,
                           1024 - tl - 1);
    if (sl == 0)
        goto out;
    *note = buf;
    *len = tl + 1 + sl;
    buf = NULL;
    rc = WL_OK;
out:
    wl_free(buf);
    return rc;
}

wl_rc wl_ledger_checkpoint(wl_store *s, const char *origin, const wl_key *log_key, int64_t now,
                           uint64_t *size, char **note, size_t *len)
{
    uint64_t last = 0;
    uint8_t root[32];
    char *prev = NULL;
    size_t prevlen = 0;
    wl_rc rc;

    *note = NULL;
    *len = 0;
    *size = 0;
    if ((rc = wl_store_size(s, size)) != WL_OK)
        return rc;
    rc = wl_store_checkpoint_latest(s, &last, &prev, &prevlen);
    if (rc == WL_OK && last == *size) {
        *note = prev;
        *len = prevlen;
        return WL_OK;
    }
    wl_free(prev);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return rc;
    if ((rc = wl_merkle_root(wl_store_hash_reader, s, *size, root)) != WL_OK)
        return rc;
    if ((rc = wl_ledger_sign_checkpoint(origin, log_key, *size, root, note, len)) != WL_OK)
        return rc;
    rc = wl_store_checkpoint_put(s, *size, *note, *len, now);
    if (rc != WL_OK) {
        wl_free(*note);
        *note = NULL;
        *len = 0;
    }
    return rc;
}

void wl_seal_commitment(const uint8_t salt[32], const void *content, size_t len, uint8_t out[32])
{
    static const char prefix[] = "willing.seal/v1";
    const void *parts[3] = {prefix, salt, content};
    size_t lens[3] = {sizeof prefix - 1, 32, len};
    wl_sha256_parts(parts, lens, 3, out);
}
