/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9162 Merkle tree hashing: leaf and node hashes, the root of any size,
 * inclusion and consistency proofs (generation and verification).
 * Generation reads complete-subtree hashes through a wl_hash_reader, so the
 * same code serves an in-memory tree, the store and a tile cache.
 * See docs/internals/log.md.
 */
#ifndef WILLING_MERKLE_H
#define WILLING_MERKLE_H

#include "willing/wl.h"

/* SHA-256(0x00 || data) */
void wl_merkle_leaf_hash(const void *data, size_t len, uint8_t out[32]);
/* SHA-256(0x01 || left || right) */
void wl_merkle_node_hash(const uint8_t left[32], const uint8_t right[32], uint8_t out[32]);
/* SHA-256("") */
void wl_merkle_empty_root(uint8_t out[32]);

/*
 * A source of complete-subtree hashes: writes the Merkle Tree Hash of leaves
 * [idx << level, (idx + 1) << level). Level 0 is the leaf hash.
 */
typedef wl_rc (*wl_hash_reader)(void *ctx, unsigned level, uint64_t idx, uint8_t out[32]);

/* MTH(D[lo:hi]) for hi > lo. */
wl_rc wl_merkle_subtree(wl_hash_reader rd, void *ctx, uint64_t lo, uint64_t hi,
                        uint8_t out[32]) WL_MUST;
/* The root of a tree of `size` leaves (the empty root for 0). */
wl_rc wl_merkle_root(wl_hash_reader rd, void *ctx, uint64_t size, uint8_t out[32]) WL_MUST;

/* proof must hold WL_PROOF_MAX hashes; *n gets the count. */
wl_rc wl_merkle_inclusion_proof(wl_hash_reader rd, void *ctx, uint64_t index, uint64_t size,
                                uint8_t proof[][32], size_t *n) WL_MUST;
/* A proof from size m to size n; empty for m == n or m == 0. */
wl_rc wl_merkle_consistency_proof(wl_hash_reader rd, void *ctx, uint64_t m, uint64_t size,
                                  uint8_t proof[][32], size_t *n) WL_MUST;

/* WL_OK or WL_ERR_PROOF. */
wl_rc wl_merkle_verify_inclusion(const uint8_t leaf[32], uint64_t index, uint64_t size,
                                 const uint8_t proof[][32], size_t n,
                                 const uint8_t root[32]) WL_MUST;
wl_rc wl_merkle_verify_consistency(uint64_t m, uint64_t size, const uint8_t root1[32],
                                   const uint8_t root2[32], const uint8_t proof[][32],
                                   size_t n) WL_MUST;

/* Root from the inclusion path alone (used by verify); WL_ERR_PROOF on shape errors. */
wl_rc wl_merkle_root_from_inclusion(const uint8_t leaf[32], uint64_t index, uint64_t size,
                                    const uint8_t proof[][32], size_t n, uint8_t root[32]) WL_MUST;

#endif
