/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9162 §2.1 Merkle Tree Hash, inclusion paths (PATH), consistency proofs
 * (PROOF/SUBPROOF) and their verification algorithms (§2.1.3.2, §2.1.4.2),
 * written from the RFC. docs/internals/log.md describes the contract.
 */
#include <string.h>

#include "willing/crypto.h"
#include "willing/merkle.h"

void wl_merkle_leaf_hash(const void *data, size_t len, uint8_t out[32])
{
    static const uint8_t zero = 0x00;
    const void *parts[2] = {&zero, data};
    size_t lens[2] = {1, len};
    wl_sha256_parts(parts, lens, 2, out);
}

void wl_merkle_node_hash(const uint8_t left[32], const uint8_t right[32], uint8_t out[32])
{
    uint8_t buf[65];
    buf[0] = 0x01;
    memcpy(buf + 1, left, 32);
    memcpy(buf + 33, right, 32);
    wl_sha256(buf, sizeof buf, out);
}

void wl_merkle_empty_root(uint8_t out[32])
{
    wl_sha256("", 0, out);
}

/* Largest power of two strictly less than n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

static int is_pow2(uint64_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

wl_rc wl_merkle_subtree(wl_hash_reader rd, void *ctx, uint64_t lo, uint64_t hi, uint8_t out[32])
{
    uint64_t n = hi - lo, k;
    uint8_t l[32], r[32];
    wl_rc rc;

    if (hi <= lo)
        return WL_ERR_INVALID;
    if (is_pow2(n) && lo % n == 0)
        return rd(ctx, (unsigned)__builtin_ctzll(n), lo / n, out);
    k = split_point(n);
    if ((rc = wl_merkle_subtree(rd, ctx, lo, lo + k, l)) != WL_OK)
        return rc;
    if ((rc = wl_merkle_subtree(rd, ctx, lo + k, hi, r)) != WL_OK)
        return rc;
    wl_merkle_node_hash(l, r, out);
    return WL_OK;
}

wl_rc wl_merkle_root(wl_hash_reader rd, void *ctx, uint64_t size, uint8_t out[32])
{
    if (size == 0) {
        wl_merkle_empty_root(out);
        return WL_OK;
    }
    return wl_merkle_subtree(rd, ctx, 0, size, out);
}

/* PATH(m, D[lo:hi]): appends to proof, deepest sibling first. */
static wl_rc path(wl_hash_reader rd, void *ctx, uint64_t m, uint64_t lo, uint64_t hi,
                  uint8_t proof[][32], size_t *n)
{
    uint64_t k;
    wl_rc rc;
    if (hi - lo == 1)
        return WL_OK;
    if (*n >= WL_PROOF_MAX)
        return WL_ERR_TOO_LARGE;
    k = split_point(hi - lo);
    if (m < k) {
        if ((rc = path(rd, ctx, m, lo, lo + k, proof, n)) != WL_OK)
            return rc;
        rc = wl_merkle_subtree(rd, ctx, lo + k, hi, proof[*n]);
    } else {
        if ((rc = path(rd, ctx, m - k, lo + k, hi, proof, n)) != WL_OK)
            return rc;
        rc = wl_merkle_subtree(rd, ctx, lo, lo + k, proof[*n]);
    }
    if (rc == WL_OK)
        (*n)++;
    return rc;
}

wl_rc wl_merkle_inclusion_proof(wl_hash_reader rd, void *ctx, uint64_t index, uint64_t size,
                                uint8_t proof[][32], size_t *n)
{
    wl_rc rc;
    *n = 0;
    if (index >= size)
        return WL_ERR_INVALID;
    rc = path(rd, ctx, index, 0, size, proof, n);
    if (rc != WL_OK)
        *n = 0;
    return rc;
}

/* SUBPROOF(m, D[lo:hi], b) */
static wl_rc subproof(wl_hash_reader rd, void *ctx, uint64_t m, uint64_t lo, uint64_t hi, int b,
                      uint8_t proof[][32], size_t *n)
{
    uint64_t k;
    wl_rc rc;
    if (*n >= WL_PROOF_MAX)
        return WL_ERR_TOO_LARGE;
    if (m == hi - lo) {
        if (b)
            return WL_OK;
        rc = wl_merkle_subtree(rd, ctx, lo, hi, proof[*n]);
        if (rc == WL_OK)
            (*n)++;
        return rc;
    }
    k = split_point(hi - lo);
    if (m <= k) {
        if ((rc = subproof(rd, ctx, m, lo, lo + k, b, proof, n)) != WL_OK)
            return rc;
        if (*n >= WL_PROOF_MAX)
            return WL_ERR_TOO_LARGE;
        rc = wl_merkle_subtree(rd, ctx, lo + k, hi, proof[*n]);
    } else {
        if ((rc = subproof(rd, ctx, m - k, lo + k, hi, 0, proof, n)) != WL_OK)
            return rc;
        if (*n >= WL_PROOF_MAX)
            return WL_ERR_TOO_LARGE;
        rc = wl_merkle_subtree(rd, ctx, lo, lo + k, proof[*n]);
    }
    if (rc == WL_OK)
        (*n)++;
    return rc;
}

wl_rc wl_merkle_consistency_proof(wl_hash_reader rd, void *ctx, uint64_t m, uint64_t size,
                                  uint8_t proof[][32], size_t *n)
{
    wl_rc rc;
    *n = 0;
    if (m > size)
        return WL_ERR_INVALID;
    if (m == 0 || m == size)
        return WL_OK;
    rc = subproof(rd, ctx, m, 0, size, 1, proof, n);
    if (rc != WL_OK)
        *n = 0;
    return rc;
}

wl_rc wl_merkle_root_from_inclusion(const uint8_t leaf[32], uint64_t index, uint64_t size,
                                    const uint8_t proof[][32], size_t n, uint8_t root[32])
{
    uint64_t fn = index, sn;
    uint8_t r[32];

    if (index >= size)
        return WL_ERR_PROOF;
    sn = size - 1;
    memcpy(r, leaf, 32);
    for (size_t i = 0; i < n; i++) {
        if (sn == 0)
            return WL_ERR_PROOF;
        if ((fn & 1) || fn == sn) {
            wl_merkle_node_hash(proof[i], r, r);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            wl_merkle_node_hash(r, proof[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return WL_ERR_PROOF;
    memcpy(root, r, 32);
    return WL_OK;
}

wl_rc wl_merkle_verify_inclusion(const uint8_t leaf[32], uint64_t index, uint64_t size,
                                 const uint8_t proof[][32], size_t n, const uint8_t root[32])
{
    uint8_t r[32];
    if (wl_merkle_root_from_inclusion(leaf, index, size, proof, n, r) != WL_OK)
        return WL_ERR_PROOF;
    return memcmp(r, root, 32) == 0 ? WL_OK : WL_ERR_PROOF;
}

wl_rc wl_merkle_verify_consistency(uint64_t m, uint64_t size, const uint8_t root1[32],
                                   const uint8_t root2[32], const uint8_t proof[][32], size_t n)
{
    uint64_t fn, sn;
    uint8_t fr[32], sr[32];
    size_t start;

    /* Consistency with the empty tree proves nothing: refused, as RFC 9162 leaves it undefined. */
    if (m > size || m == 0)
        return WL_ERR_PROOF;
    if (m == size)
        return (n == 0 && memcmp(root1, root2, 32) == 0) ? WL_OK : WL_ERR_PROOF;
    if (n == 0)
        return WL_ERR_PROOF;

    fn = m - 1;
    sn = size - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    /* If m is a power of two, the path starts with root1 (prepended). */
    if (is_pow2(m)) {
        memcpy(fr, root1, 32);
        memcpy(sr, root1, 32);
        start = 0;
    } else {
        memcpy(fr, proof[0], 32);
        memcpy(sr, proof[0], 32);
        start = 1;
    }
    for (size_t i = start; i < n; i++) {
        if (sn == 0)
            return WL_ERR_PROOF;
        if ((fn & 1) || fn == sn) {
            wl_merkle_node_hash(proof[i], fr, fr);
            wl_merkle_node_hash(proof[i], sr, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            wl_merkle_node_hash(sr, proof[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0 || memcmp(fr, root1, 32) != 0 || memcmp(sr, root2, 32) != 0)
        return WL_ERR_PROOF;
    return WL_OK;
}
