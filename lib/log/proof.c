/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C2SP tlog-proof: parsing and offline verification of a proof file against
 * an entry's bytes, the log's verifier key and (optionally) witness keys.
 */
#include <stdio.h>
#include <string.h>

#include "willing/merkle.h"
#include "willing/proof.h"

wl_rc wl_tlog_proof_verify(const char *proof, size_t len, const void *entry, size_t elen,
                           const wl_vkey *keys, size_t nkeys, size_t quorum, uint64_t *index,
                           uint64_t *times, char *why, size_t whylen)
{
    static const char head[] = "c2sp.org/tlog-proof@v1\n";
    const char *p = proof, *end = proof + len, *nl;
    uint8_t path[WL_PROOF_MAX][32], leaf[32], verified[WL_NOTE_SIGS_MAX];
    size_t np = 0, got;
    wl_note note;
    wl_checkpoint cp;

    *index = 0;
    if (len < sizeof head - 1 || memcmp(p, head, sizeof head - 1) != 0) {
        snprintf(why, whylen, "not a tlog-proof: the first line must be c2sp.org/tlog-proof@v1");
        return WL_ERR_INVALID;
    }
    p += sizeof head - 1;
    if ((size_t)(end - p) > 6 && memcmp(p, "extra ", 6) == 0) {
        if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
            goto malformed;
        p = nl + 1;
    }
    if ((size_t)(end - p) < 7 || memcmp(p, "index ", 6) != 0 ||
        (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
        wl_parse_u64(p + 6, (size_t)(nl - p - 6), index) != WL_OK)
        goto malformed;
    for (p = nl + 1;; p = nl + 1) {
        if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
            goto malformed;
        if (nl == p)
            break;
        if (np >= WL_PROOF_MAX || wl_b64_decode(p, (size_t)(nl - p), path[np], 32, &got) != WL_OK ||
            got != 32)
            goto malformed;
        np++;
    }
    p = nl + 1;
    if (nkeys > WL_NOTE_SIGS_MAX || wl_note_parse(p, (size_t)(end - p), &note) != WL_OK ||
        wl_checkpoint_parse(note.text, note.text_len, &cp) != WL_OK) {
        snprintf(why, whylen, "the checkpoint in the proof is malformed");
        return WL_ERR_INVALID;
    }
    if (nkeys == 0 || wl_note_verify(&note, keys, 1, verified, times) != WL_OK || !verified[0]) {
        snprintf(why, whylen, "the checkpoint is not signed by the log's key");
        return WL_ERR_SIGNATURE;
    }
    (void)wl_note_cosigned(&note, keys + 1, nkeys - 1, verified + 1, times ? times + 1 : NULL);
    if (wl_note_quorum(keys + 1, verified + 1, nkeys - 1, quorum, why, whylen) != WL_OK)
        return WL_ERR_SIGNATURE;
    if (strcmp(cp.origin, keys[0].name) != 0) {
        snprintf(why, whylen, "the checkpoint is for %s, the key for %s", cp.origin, keys[0].name);
        return WL_ERR_SIGNATURE;
    }
    wl_merkle_leaf_hash(entry, elen, leaf);
    if (wl_merkle_verify_inclusion(leaf, *index, cp.size, (const uint8_t(*)[32])path, np,
                                   cp.root) != WL_OK) {
        snprintf(why, whylen, "the entry is not at index %llu of the tree of size %llu",
                 (unsigned long long)*index, (unsigned long long)cp.size);
        return WL_ERR_PROOF;
    }
    return WL_OK;
malformed:
    snprintf(why, whylen, "the tlog-proof is malformed (index line, hash lines, blank line)");
    return WL_ERR_INVALID;
}
