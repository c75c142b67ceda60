/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Receipts for sealed content (issue 3, point 2), signed by the operator in
 * rounds: every sealed submission committed in one round of the sequencer
 * gets a leaf in a Merkle tree of WL_RECEIPT_LEAVES leaves (RFC 9162 hashing;
 * the rest are random dummies, so the tree's shape says nothing about how many
 * others sealed at the same moment), and the operator signs the root once:
 *
 *   willing.receipts/v1
 *   <origin>
 *   <root, base64>
 *   <leaves: 64>
 *
 *   — <operator> <base64(key ID || Ed25519 signature)>
 *
 * A submitter's leaf is the RFC 9162 leaf hash of
 *   "willing.receipt/v1\n<origin>\n<commitment, base64>\n<batch>\n<deadline>\n" || blind
 * with a random 32-byte blind given only to it, so the sibling hashes in its
 * path reveal nothing about anyone else's commitment.
 */
#ifndef WILLING_RECEIPT_H
#define WILLING_RECEIPT_H

#include "willing/crypto.h"
#include "willing/note.h"

#define WL_RECEIPT_LEAVES 64
#define WL_RECEIPT_DEPTH 6

void wl_receipt_leaf(const char *origin, const uint8_t commitment[32], int64_t batch,
                     int64_t deadline, const uint8_t blind[32], uint8_t out[32]);

/*
 * Builds the tree over leaves (n <= WL_RECEIPT_LEAVES; the rest random), signs
 * its root as `op_name` with op_key, and writes the signed note (caller frees)
 * and each real leaf's path (paths[i][0..DEPTH-1], from the leaf up).
 */
wl_rc wl_receipt_sign(const char *origin, const char *op_name, const wl_key *op_key,
                      const uint8_t (*leaves)[32], size_t n, char **note,
                      uint8_t (*paths)[WL_RECEIPT_DEPTH][32]) WL_MUST;

/*
 * Checks a receipt: the note is signed by op (the operator's entry key), for
 * origin, and the leaf of (commitment, batch, deadline, blind) at index sits
 * under its root by path. WL_OK, or WL_ERR_SIGNATURE / WL_ERR_PROOF /
 * WL_ERR_INVALID.
 */
wl_rc wl_receipt_verify(const char *note, size_t len, const wl_vkey *op, const char *origin,
                        const uint8_t commitment[32], int64_t batch, int64_t deadline,
                        const uint8_t blind[32], uint64_t index,
                        const uint8_t path[WL_RECEIPT_DEPTH][32]) WL_MUST;

#endif
