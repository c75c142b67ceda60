/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's rules on a real (in-memory) SQLite store: the genesis entry,
 * who may add members and keys, revocation, seq replay and conflict, sealed
 * commitments and announcements, an entry signed later than the log's clock
 * allows (time_in_future), that the stored Merkle hashes give the
 * same root as an independent computation from the leaves, and the
 * signature hints of verify's threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "../fixture.h"

#include "willing/identity.h"
#include "willing/ledger.h"
#include "willing/merkle.h"

#define ORIGIN "example.org/coalition"

typedef struct {
    wl_store *s;
    wl_key op, gb, fr;
    uint64_t seq;
    int64_t time; /* the entries' signed time; 0: 2025-03-08 */
} fixture;

static wl_rc append(fixture *f, const wl_key *k, const char *author, const char *kind,
                    const char *body, uint64_t seq, uint64_t *idx, wl_error *err)
{
    char *e = NULL;
    size_t len = 0;
    wl_pending p;
    int existed = 0;
    wl_rc rc = wl_entry_build(ORIGIN, kind, author, seq ? seq : ++f->seq,
                              f->time ? f->time : 1741392000, body, k, &e, &len);
    if (rc != WL_OK)
        return rc;
    memset(err, 0, sizeof *err);
    rc = wl_ledger_precheck(f->s, ORIGIN, e, len, &p, err);
    if (rc == WL_OK) {
        rc = wl_store_savepoint(f->s);
        assert_int_equal(rc, WL_OK);
        rc = wl_ledger_sequence(f->s, &p, idx, &existed, err);
        if (rc == WL_OK)
            assert_int_equal(wl_store_release(f->s), WL_OK);
        else
            wl_store_rollback_to(f->s);
        wl_pending_clear(&p);
    }
    wl_free(e);
    return rc;
}

static wl_rc reveal_any(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                        wl_error *err)
{
    (void)s, (void)c, (void)sealed_index, (void)index, (void)err;
    return WL_OK;
}

static int setup(void **state)
{
    static fixture f;
    char body[512];
    uint64_t idx;
    wl_error err;
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_store_open(wl_test_db(":memory:"), 1, &f.s), WL_OK);
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    wl_key_generate(&f.op);
    wl_key_generate(&f.gb);
    wl_key_generate(&f.fr);
    wl_test_member_body(body, sizeof body, "op", "operator", &f.op, "sign");
    assert_int_equal(append(&f, &f.op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    assert_int_equal(idx, 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wl_store_rollback(f->s);
    wl_store_close(f->s);
    return 0;
}

static void test_genesis_rules(void **state)
{
    wl_store *s;
    wl_key k;
    char *e = NULL, body[512];
    size_t len;
    wl_pending p;
    wl_error err;
    uint64_t idx;
    int existed;
    (void)state;
    assert_int_equal(wl_store_open(wl_test_db(":memory:"), 1, &s), WL_OK);
    wl_key_generate(&k);
    /* a statement cannot open a log: no key is known */
    assert_int_equal(
        wl_entry_build(ORIGIN, "statement", "op", 1, 1, "{\"text\":\"hi\"}", &k, &e, &len), WL_OK);
    assert_int_equal(wl_ledger_precheck(s, ORIGIN, e, len, &p, &err), WL_ERR_UNKNOWN_KEY);
    wl_free(e);
    /* a first member.add that is not the operator's own */
    wl_test_member_body(body, sizeof body, "op", "member", &k, "sign");
    assert_int_equal(wl_entry_build(ORIGIN, "member.add", "op", 1, 1, body, &k, &e, &len), WL_OK);
    assert_int_equal(wl_ledger_precheck(s, ORIGIN, e, len, &p, &err), WL_OK);
    assert_int_equal(wl_ledger_sequence(s, &p, &idx, &existed, &err), WL_ERR_FORBIDDEN);
    wl_pending_clear(&p);
    wl_free(e);
    wl_store_close(s);
}

static void test_members_and_keys(void **state)
{
    fixture *f = *state;
    char body[512], b64[45];
    uint64_t idx;
    wl_error err;
    wl_key gb2;

    wl_test_member_body(body, sizeof body, "gb", "coordinator", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    assert_int_equal(idx, 1);
    /* again: the member exists */
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_ERR_CONFLICT);
    assert_string_equal(err.code, "member_exists");
    /* a member may not add members */
    wl_test_member_body(body, sizeof body, "fr", "member", &f->fr, "sign");
    assert_int_equal(append(f, &f->gb, "gb", "member.add", body, 0, &idx, &err), WL_ERR_FORBIDDEN);
    /* nor a second operator */
    wl_test_member_body(body, sizeof body, "fr", "operator", &f->fr, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_ERR_FORBIDDEN);
    /* statements by members; a body the kind refuses */
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"willing\"}", 0, &idx, &err),
                     WL_OK);
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"txt\":\"x\"}", 0, &idx, &err),
                     WL_ERR_INVALID);
    /* rotation: add a key, revoke the old one; the old one is refused after */
    wl_key_generate(&gb2);
    wl_b64_encode(gb2.pk, 32, b64);
    snprintf(body, sizeof body, "{\"member\":\"gb\",\"key\":\"%s\",\"scope\":\"sign\"}", b64);
    assert_int_equal(append(f, &f->gb, "gb", "key.add", body, 0, &idx, &err), WL_OK);
    assert_int_equal(append(f, &f->gb, "gb", "key.add", body, 0, &idx, &err), WL_ERR_CONFLICT);
    wl_b64_encode(f->gb.pk, 32, b64);
    snprintf(body, sizeof body, "{\"member\":\"gb\",\"key\":\"%s\"}", b64);
    /* another member may not revoke gb's key */
    {
        char mb[512];
        wl_test_member_body(mb, sizeof mb, "fr", "member", &f->fr, "sign");
        assert_int_equal(append(f, &f->op, "op", "member.add", mb, 0, &idx, &err), WL_OK);
    }
    assert_int_equal(append(f, &f->fr, "fr", "key.revoke", body, 0, &idx, &err), WL_ERR_FORBIDDEN);
    assert_int_equal(append(f, &gb2, "gb", "key.revoke", body, 0, &idx, &err), WL_OK);
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"old key\"}", 0, &idx, &err),
                     WL_ERR_REVOKED);
    assert_int_equal(append(f, &gb2, "gb", "statement", "{\"text\":\"new key\"}", 0, &idx, &err),
                     WL_OK);
}

static void test_seq_replay_and_conflict(void **state)
{
    fixture *f = *state;
    char body[512];
    uint64_t idx, idx2;
    wl_error err;
    char *e = NULL;
    size_t len;
    wl_pending p;
    int existed = 0;

    wl_test_member_body(body, sizeof body, "gb", "member", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"a\"}", 77, &idx, &err),
                     WL_OK);
    /* the same bytes: existed, same index */
    assert_int_equal(wl_entry_build(ORIGIN, "statement", "gb", 77, 1741392000, "{\"text\":\"a\"}",
                                    &f->gb, &e, &len),
                     WL_OK);
    assert_int_equal(wl_ledger_precheck(f->s, ORIGIN, e, len, &p, &err), WL_OK);
    assert_int_equal(wl_ledger_sequence(f->s, &p, &idx2, &existed, &err), WL_OK);
    assert_int_equal(existed, 1);
    assert_int_equal(idx2, idx);
    wl_pending_clear(&p);
    wl_free(e);
    /* other bytes, same seq */
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"b\"}", 77, &idx, &err),
                     WL_ERR_CONFLICT);
    assert_string_equal(err.code, "seq_conflict");
    /* gaps are fine */
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"c\"}", 1000, &idx, &err),
                     WL_OK);
}

/* an entry whose time is more than WL_ENTRY_SKEW_S after the log's clock: refused, any kind */
static void test_time_in_future(void **state)
{
    fixture *f = *state;
    char body[512];
    uint64_t idx = 0, size = 0;
    wl_error err;

    wl_test_member_body(body, sizeof body, "gb", "member", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    f->time = (int64_t)time(NULL) + 86400;
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"a\"}", 0, &idx, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "time_in_future");
    assert_non_null(strstr(err.msg, "statement"));
    wl_test_member_body(body, sizeof body, "fr", "member", &f->fr, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "time_in_future");
    assert_int_equal(wl_store_size(f->s, &size), WL_OK);
    assert_int_equal(size, 2); /* the genesis and gb's member.add */
    /* within the skew: a device's clock a little ahead is fine */
    f->time = (int64_t)time(NULL) + WL_ENTRY_SKEW_S - 60;
    assert_int_equal(append(f, &f->gb, "gb", "statement", "{\"text\":\"b\"}", 0, &idx, &err),
                     WL_OK);
}

static void test_sealed_and_announce(void **state)
{
    fixture *f = *state;
    uint8_t salt[32], c[32];
    char *content = NULL, *other = NULL;
    size_t clen = 0, olen = 0;
    char body[4096], sb[45], cb[45], contb[2048], otherb[2048];
    uint64_t sealed_idx, other_idx, idx;
    wl_error err;

    wl_test_member_body(body, sizeof body, "gb", "member", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    wl_test_member_body(body, sizeof body, "fr", "member", &f->fr, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    assert_int_equal(wl_sealed_build(ORIGIN, "pledge", "gb", "0123456789abcdef0123456789abcdef",
                                     1741392000, "{\"category\":\"ground_forces\"}", &f->gb,
                                     &content, &clen),
                     WL_OK);
    memset(salt, 0x5a, sizeof salt);
    wl_seal_commitment(salt, content, clen, c);
    wl_b64_encode(c, 32, cb);
    snprintf(body, sizeof body, "{\"commitment\":\"%s\"}", cb);
    /* only the operator publishes envelopes */
    assert_int_equal(append(f, &f->gb, "gb", "sealed", body, 0, &idx, &err), WL_ERR_FORBIDDEN);
    /* envelopes are constant-size: a short seq is refused */
    assert_int_equal(append(f, &f->op, "op", "sealed", body, 0, &sealed_idx, &err), WL_ERR_INVALID);
    assert_int_equal(
        append(f, &f->op, "op", "sealed", body, 1764000000000000ull, &sealed_idx, &err), WL_OK);
    wl_b64_encode(salt, 32, sb);
    wl_b64_encode((const uint8_t *)content, clen, contb);
    /* the wrong salt */
    salt[0] ^= 1;
    {
        char bad[45];
        wl_b64_encode(salt, 32, bad);
        snprintf(body, sizeof body, "{\"sealed\":%llu,\"salt\":\"%s\",\"content\":\"%s\"}",
                 (unsigned long long)sealed_idx, bad, contb);
        assert_int_equal(append(f, &f->gb, "gb", "announce", body, 0, &idx, &err), WL_ERR_CONFLICT);
        assert_string_equal(err.code, "commitment_mismatch");
    }
    /* an index that is not a sealed entry */
    snprintf(body, sizeof body, "{\"sealed\":0,\"salt\":\"%s\",\"content\":\"%s\"}", sb, contb);
    assert_int_equal(append(f, &f->gb, "gb", "announce", body, 0, &idx, &err), WL_ERR_INVALID);
    /* someone else announcing gb's content */
    snprintf(body, sizeof body, "{\"sealed\":%llu,\"salt\":\"%s\",\"content\":\"%s\"}",
             (unsigned long long)sealed_idx, sb, contb);
    assert_int_equal(append(f, &f->fr, "fr", "announce", body, 0, &idx, &err), WL_ERR_FORBIDDEN);
    assert_string_equal(err.code, "not_your_content");
    /* the author announces */
    assert_int_equal(append(f, &f->gb, "gb", "announce", body, 0, &idx, &err), WL_OK);
    /* content signed by another key than the author's own: refused */
    assert_int_equal(wl_sealed_build(ORIGIN, "pledge", "gb", "fedcba9876543210fedcba9876543210",
                                     1741392000, "{}", &f->fr, &other, &olen),
                     WL_OK);
    memset(salt, 7, sizeof salt);
    wl_seal_commitment(salt, other, olen, c);
    wl_b64_encode(c, 32, cb);
    snprintf(body, sizeof body, "{\"commitment\":\"%s\"}", cb);
    assert_int_equal(append(f, &f->op, "op", "sealed", body, 1764000000000001ull, &other_idx, &err),
                     WL_OK);
    wl_b64_encode(salt, 32, sb);
    wl_b64_encode((const uint8_t *)other, olen, otherb);
    snprintf(body, sizeof body, "{\"sealed\":%llu,\"salt\":\"%s\",\"content\":\"%s\"}",
             (unsigned long long)other_idx, sb, otherb);
    assert_int_equal(append(f, &f->gb, "gb", "announce", body, 0, &idx, &err), WL_ERR_SIGNATURE);
    wl_free(content);
    wl_free(other);
}

/*
 * Many envelopes announced, in an order other than theirs: each announcement
 * is taken once and a second of any (the first, one in the middle, the last)
 * is refused naming the entry that announced it first, however many came
 * between. (apply_announce once scanned every later announcement for each.)
 */
#define MANY 400
static void test_announce_many(void **state)
{
    fixture *f = *state;
    static uint64_t sealed_at[MANY], announced_at[MANY];
    static char bodies[MANY][1024];
    char body[1024], cb[45], sb[45], contb[600], nonce[33];
    uint8_t salt[32], c[32];
    uint64_t idx;
    wl_error err;
    wl_test_member_body(body, sizeof body, "gb", "member", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    memset(salt, 0x33, sizeof salt);
    wl_b64_encode(salt, 32, sb);
    for (int i = 0; i < MANY; i++) {
        char *content = NULL;
        size_t clen = 0;
        snprintf(nonce, sizeof nonce, "%032x", i);
        assert_int_equal(wl_sealed_build(ORIGIN, "pledge", "gb", nonce, 1741392000, "{}", &f->gb,
                                         &content, &clen),
                         WL_OK);
        wl_seal_commitment(salt, content, clen, c);
        wl_b64_encode(c, 32, cb);
        snprintf(body, sizeof body, "{\"commitment\":\"%s\"}", cb);
        assert_int_equal(append(f, &f->op, "op", "sealed", body, 1764000000000000ull + (uint64_t)i,
                                &sealed_at[i], &err),
                         WL_OK);
        assert_true(clen * 4 / 3 + 4 < sizeof contb);
        wl_b64_encode((const uint8_t *)content, clen, contb);
        snprintf(bodies[i], sizeof bodies[i],
                 "{\"sealed\":%llu,\"salt\":\"%s\",\"content\":\"%s\"}",
                 (unsigned long long)sealed_at[i], sb, contb);
        wl_free(content);
    }
    /* every one once, in a stride through them (7 is prime to MANY), the last envelope first */
    for (int n = 0, i = MANY - 1; n < MANY; n++, i = (i + 7) % MANY) {
        if (append(f, &f->gb, "gb", "announce", bodies[i], 0, &announced_at[i], &err) != WL_OK)
            fail_msg("announcing envelope %d: %s: %s", i, err.code, err.msg);
    }
    for (int i = 0; i < MANY; i++) {
        char want[32];
        assert_int_equal(append(f, &f->gb, "gb", "announce", bodies[i], 0, &idx, &err),
                         WL_ERR_CONFLICT);
        assert_string_equal(err.code, "already_announced");
        snprintf(want, sizeof want, "by entry %llu", (unsigned long long)announced_at[i]);
        assert_non_null(strstr(err.msg, want));
    }
}

/*
 * verify's threads: a precheck of an entry parsed ahead takes a signature
 * hint for the key it checks, and for that key only: a hint for another key
 * leaves a forged entry refused, and without a hint the answer is the bytes'.
 */
static wl_rc precheck_parsed(fixture *f, const char *e, size_t len, const wl_sig_hint *h,
                             wl_error *err)
{
    wl_entry pe;
    wl_pending p;
    char why[100];
    wl_rc rc;
    assert_int_equal(wl_entry_parse(e, len, &pe, why, sizeof why), WL_OK);
    memset(err, 0, sizeof *err);
    rc = wl_ledger_precheck_parsed(f->s, ORIGIN, &pe, h, &p, err);
    assert_null(pe.body_json); /* taken */
    if (rc == WL_OK)
        wl_pending_clear(&p);
    return rc;
}

static void test_hinted_precheck(void **state)
{
    fixture *f = *state;
    char *e = NULL;
    size_t len = 0;
    wl_sig_hint h;
    wl_key other;
    wl_pending p;
    wl_error err;

    assert_int_equal(wl_entry_build(ORIGIN, "statement", "op", 77, 1741392000, "{\"text\":\"hi\"}",
                                    &f->op, &e, &len),
                     WL_OK);
    memcpy(h.pk, f->op.pk, 32);
    h.ok = 1;
    assert_int_equal(precheck_parsed(f, e, len, &h, &err), WL_OK);
    assert_int_equal(precheck_parsed(f, e, len, NULL, &err), WL_OK);
    /* the hint for the key is taken in place of the check */
    h.ok = 0;
    assert_int_equal(precheck_parsed(f, e, len, &h, &err), WL_ERR_SIGNATURE);
    /* a forged body: a hint for another key is not taken */
    memcpy(strstr(e, "\"hi\"") + 1, "ho", 2);
    wl_key_generate(&other);
    memcpy(h.pk, other.pk, 32);
    h.ok = 1;
    assert_int_equal(precheck_parsed(f, e, len, &h, &err), WL_ERR_SIGNATURE);
    assert_string_equal(err.code, "bad_signature");
    assert_int_equal(precheck_parsed(f, e, len, NULL, &err), WL_ERR_SIGNATURE);
    assert_int_equal(wl_ledger_precheck(f->s, ORIGIN, e, len, &p, &err), WL_ERR_SIGNATURE);
    wl_free(e);
}

static wl_rc leaf_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    uint8_t(*leaves)[32] = ctx;
    uint8_t l[32], r[32];
    if (level == 0) {
        memcpy(out, leaves[idx], 32);
        return WL_OK;
    }
    if (leaf_reader(ctx, level - 1, 2 * idx, l) != WL_OK ||
        leaf_reader(ctx, level - 1, 2 * idx + 1, r) != WL_OK)
        return WL_ERR_NOT_FOUND;
    wl_merkle_node_hash(l, r, out);
    return WL_OK;
}

static void test_hashes_match_independent_root(void **state)
{
    fixture *f = *state;
    static uint8_t leaves[600][32];
    char body[512];
    uint64_t idx, size;
    wl_error err;
    wl_test_member_body(body, sizeof body, "gb", "member", &f->gb, "sign");
    assert_int_equal(append(f, &f->op, "op", "member.add", body, 0, &idx, &err), WL_OK);
    for (int i = 0; i < 520; i++) {
        char t[64];
        snprintf(t, sizeof t, "{\"text\":\"%d\"}", i);
        assert_int_equal(append(f, &f->gb, "gb", "statement", t, 0, &idx, &err), WL_OK);
    }
    assert_int_equal(wl_store_size(f->s, &size), WL_OK);
    for (uint64_t i = 0; i < size; i++) {
        char *d;
        size_t len;
        assert_int_equal(wl_store_entry(f->s, i, &d, &len, NULL, NULL, NULL, NULL), WL_OK);
        wl_merkle_leaf_hash(d, len, leaves[i]);
        wl_free(d);
    }
    for (uint64_t n = 1; n <= size; n += 37) {
        uint8_t a[32], b[32];
        assert_int_equal(wl_merkle_root(wl_store_hash_reader, f->s, n, a), WL_OK);
        assert_int_equal(wl_merkle_root(leaf_reader, leaves, n, b), WL_OK);
        assert_memory_equal(a, b, 32);
    }
    /* a level-1 tile (level 8 in the tree) exists once 256 leaves are in */
    {
        uint8_t h[64];
        assert_int_equal(wl_store_hash_range(f->s, 8, 0, 2, h), WL_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genesis_rules),
        cmocka_unit_test_setup_teardown(test_members_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seq_replay_and_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_in_future, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_and_announce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_announce_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hashes_match_independent_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hinted_precheck, setup, teardown),
    };
    /* the log core knows no domain kinds: a test module whose sealed kind anything may announce */
    static const wl_kind test_kinds[] = {
        {.name = "pledge", .scopes = WL_SCOPES_WRITE, .seal = WL_SEAL_ONLY, .reveal = reveal_any},
    };
    static const wl_module test_module = {"test", test_kinds, 1};
    if (wl_crypto_init() != WL_OK || wl_authority_set(wl_authorize) != WL_OK ||
        wl_module_register(&wl_ledger_module) != WL_OK ||
        wl_module_register(&wl_identity_module) != WL_OK ||
        wl_module_register(&test_module) != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
