/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline verification of a C2SP tlog-proof (c2sp.org/tlog-proof@v1): the
 * checkpoint is signed by keys[0] (the log) and cosigned by at least quorum of
 * the other keys given (type 0x04 witnesses; times[i] the timestamp of each
 * valid cosignature, 0 for none), and the entry's bytes are at the proof's
 * index in that tree.
 */
#ifndef WILLING_PROOF_H
#define WILLING_PROOF_H

#include "willing/note.h"

wl_rc wl_tlog_proof_verify(const char *proof, size_t len, const void *entry, size_t elen,
                           const wl_vkey *keys, size_t nkeys, size_t quorum, uint64_t *index,
                           uint64_t *times, char *why, size_t whylen) WL_MUST;

#endif
