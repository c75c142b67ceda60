/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline verification of a C2SP tlog-proof (c2sp.org/tlog-proof@v1): the
 * checkpoint is signed by keys[0] (the log) and cosigned by every other key
 * given (type 0x04 witnesses, their timestamps in times[]), and the entry's
 * bytes are at the proof's index in that tree.
 */
#ifndef WILLING_PROOF_H
#define WILLING_PROOF_H

#include "willing/note.h"

wl_rc wl_tlog_proof_verify(const char *proof, size_t len, const void *entry, size_t elen,
                           const wl_vkey *keys, size_t nkeys, uint64_t *index, uint64_t *times,
                           char *why, size_t whylen) WL_MUST;

#endif
