/* SPDX-License-Identifier: Apache-2.0 */
/* Receipts for sealed content, signed once per round: include/willing/receipt.h. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "willing/merkle.h"
#include "willing/receipt.h"

void wl_receipt_leaf(const char *origin, const uint8_t commitment[32], int64_t batch,
                     int64_t deadline, const uint8_t blind[32], uint8_t out[32])
{
    /*
     * The leaf hash (0x00, then the text, then the blind) over the parts as
     * they are: no buffer of the whole, so no origin is ever cut from it.
     */
    static const char head[] = "\0willing.receipt/v1\n";
    char tail[45 + 2 * 21 + 4], cb[45];
    int n;
    wl_b64_encode(commitment, 32, cb);
    /* 44 + 2 signed 64-bit numbers (20 characters each) + 4 newlines: it fits */
    n = snprintf(tail, sizeof tail, "\n%s\n%lld\n%lld\n", cb, (long long)batch,
                 (long long)deadline);
    {
        const void *parts[4] = {head, origin, tail, blind};
        size_t lens[4] = {sizeof head - 1, strlen(origin), n > 0 ? (size_t)n : 0, 32};
        wl_sha256_parts(parts, lens, 4, out);
    }
}

wl_rc wl_receipt_sign(const char *origin, const char *op_name, const wl_key *op_key,
                      const uint8_t (*leaves)[32], size_t n, char **note,
                      uint8_t (*paths)[WL_RECEIPT_DEPTH][32])
{
    /* level[d] holds 64 >> d hashes */
    uint8_t tree[2 * WL_RECEIPT_LEAVES][32], *lvl[WL_RECEIPT_DEPTH + 1];
    char text[WL_ORIGIN_MAX + 160], rb[45], *out;
    size_t tl, sl, off = 0;
    *note = NULL;
    if (n > WL_RECEIPT_LEAVES)
        return WL_ERR_INVALID;
    for (int d = 0; d <= WL_RECEIPT_DEPTH; d++) {
        lvl[d] = tree[off];
        off += WL_RECEIPT_LEAVES >> d;
    }
    for (size_t i = 0; i < WL_RECEIPT_LEAVES; i++) {
        if (i < n)
            memcpy(lvl[0] + 32 * i, leaves[i], 32);
        else
            randombytes_buf(lvl[0] + 32 * i, 32); /* dummies: the shape says nothing */
    }
    for (int d = 1; d <= WL_RECEIPT_DEPTH; d++)
        for (size_t i = 0; i < (size_t)(WL_RECEIPT_LEAVES >> d); i++)
            wl_merkle_node_hash(lvl[d - 1] + 64 * i, lvl[d - 1] + 64 * i + 32, lvl[d] + 32 * i);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < WL_RECEIPT_DEPTH; d++)
            memcpy(paths[i][d], lvl[d] + 32 * ((i >> d) ^ 1), 32);
    wl_b64_encode(lvl[WL_RECEIPT_DEPTH], 32, rb);
    tl = (size_t)snprintf(text, sizeof text, "willing.receipts/v1\n%s\n%s\n%d\n", origin, rb,
                          WL_RECEIPT_LEAVES);
    if (tl >= sizeof text)
        return WL_ERR_INVALID;
    if ((out = wl_malloc(tl + 1 + 400)) == NULL)
        return WL_ERR_NOMEM;
    memcpy(out, text, tl);
    out[tl] = '\n';
    sl = wl_note_sign_line(text, tl, op_name, WL_SIGTYPE_ED25519, op_key, 0, out + tl + 1, 399);
    if (sl == 0) {
        wl_free(out); /* the one resource, released where it fails */
        return WL_ERR_INVALID;
    }
    out[tl + 1 + sl] = '\0';
    *note = out;
    return WL_OK;
}

wl_rc wl_receipt_verify(const char *note, size_t len, const wl_vkey *op, const char *origin,
                        const uint8_t commitment[32], int64_t batch, int64_t deadline,
                        const uint8_t blind[32], uint64_t index,
                        const uint8_t path[WL_RECEIPT_DEPTH][32])
{
    wl_note nt;
    uint8_t verified[1] = {0}, leaf[32], root[32];
    char want[WL_ORIGIN_MAX + 40];
    size_t rn = 0, wl;
    const char *p;
    if (wl_note_parse(note, len, &nt) != WL_OK)
        return WL_ERR_INVALID;
    if (wl_note_verify(&nt, op, 1, verified, NULL) != WL_OK || !verified[0])
        return WL_ERR_SIGNATURE;
    wl = (size_t)snprintf(want, sizeof want, "willing.receipts/v1\n%s\n", origin);
    if (wl >= sizeof want || nt.text_len < wl + 45 + 3 || memcmp(nt.text, want, wl) != 0)
        return WL_ERR_INVALID;
    p = nt.text + wl;
    if (p[44] != '\n' || wl_b64_decode(p, 44, root, 32, &rn) != WL_OK || rn != 32 ||
        nt.text_len != wl + 45 + 3 || memcmp(p + 45, "64\n", 3) != 0)
        return WL_ERR_INVALID;
    if (index >= WL_RECEIPT_LEAVES)
        return WL_ERR_PROOF;
    wl_receipt_leaf(origin, commitment, batch, deadline, blind, leaf);
    return wl_merkle_verify_inclusion(leaf, index, WL_RECEIPT_LEAVES, path, WL_RECEIPT_DEPTH, root);
}
