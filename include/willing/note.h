/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C2SP signed-note (Ed25519, type 0x01), verifier keys, C2SP tlog-checkpoint
 * and C2SP tlog-cosignature/v1 (timestamped Ed25519, type 0x04).
 * See docs/FORMAT.md and docs/internals/log.md.
 */
#ifndef WILLING_NOTE_H
#define WILLING_NOTE_H

#include "willing/crypto.h"

#define WL_SIGTYPE_ED25519 0x01
#define WL_SIGTYPE_COSIG_V1 0x04

/* A verifier key: name+hex8(id)+base64(type || public key). */
typedef struct {
    char name[WL_KEYNAME_MAX + 1];
    uint32_t id;
    uint8_t type;
    uint8_t pk[32];
} wl_vkey;

uint32_t wl_note_key_id(const char *name, size_t name_len, uint8_t type, const uint8_t pk[32]);
/* Checks the key ID against the key. */
wl_rc wl_vkey_parse(const char *s, size_t len, wl_vkey *out) WL_MUST;
/*
 * Builds a vkey from a name and key; WL_ERR_TOO_LARGE (out zeroed) if name
 * passes WL_KEYNAME_MAX: never a cut name.
 */
wl_rc wl_vkey_make(const char *name, uint8_t type, const uint8_t pk[32], wl_vkey *out) WL_MUST;
/* Its text form into buf (400 bytes hold any); WL_ERR_TOO_LARGE (buf empty) if it does not fit. */
wl_rc wl_vkey_format(const wl_vkey *k, char *buf, size_t cap) WL_MUST;
/*
 * The fingerprint users compare out of band (docs/FORMAT.md): the first 16 bytes of
 * SHA-256 of the verifier key's text, in hex, in 8 groups of 4 digits split by spaces.
 * The explorer computes the same (web/js/verify.js). out holds WL_VKEY_FINGERPRINT_LEN.
 */
#define WL_VKEY_FINGERPRINT_LEN 40
void wl_vkey_fingerprint(const char *vkey_text, char out[WL_VKEY_FINGERPRINT_LEN]);
/* Key names: non-empty, valid UTF-8, no Unicode spaces, no '+'. */
int wl_note_valid_name(const char *s, size_t len);

typedef struct {
    const char *name; /* points into the parsed buffer */
    size_t name_len;
    uint32_t id;
    uint8_t sig[80]; /* first bytes after the key ID; enough for types 0x01 and 0x04 */
    size_t sig_len;  /* full decoded length minus 4 */
} wl_note_sig;

typedef struct {
    const char *text; /* points into the parsed buffer; includes the final newline */
    size_t text_len;
    size_t nsigs;
    wl_note_sig sigs[WL_NOTE_SIGS_MAX];
} wl_note;

/* Syntax only: UTF-8, no control characters but newline, the blank line, signature lines. */
wl_rc wl_note_parse(const char *buf, size_t len, wl_note *n) WL_MUST;

/*
 * Verifies the note against known keys (types 0x01 and 0x04). Unknown
 * signatures are ignored; a known one that fails rejects the note
 * (WL_ERR_SIGNATURE); none known gives WL_ERR_UNKNOWN_KEY. On WL_OK,
 * verified[i] is set to 1 for each key that signed, and for type 0x04 keys
 * times[i] to the cosignature timestamp (times may be NULL).
 */
wl_rc wl_note_verify(const wl_note *n, const wl_vkey *keys, size_t nkeys, uint8_t *verified,
                     uint64_t *times) WL_MUST;

/*
 * Witnesses' cosignatures on n, one key at a time: for each of keys (type
 * 0x04) verified[i] is 1, and times[i] its timestamp (times may be NULL), if
 * n carries a valid cosignature by it; a line of that key that does not
 * verify counts as none. Returns how many keys cosigned.
 */
size_t wl_note_cosigned(const wl_note *n, const wl_vkey *keys, size_t nkeys, uint8_t *verified,
                        uint64_t *times);

/*
 * A quorum of witnesses: WL_OK if at least quorum of the nkeys keys are
 * verified (as wl_note_cosigned set them); else WL_ERR_SIGNATURE, and why
 * says how many valid cosignatures there are of how many required, from
 * which keys, and which keys have none.
 */
wl_rc wl_note_quorum(const wl_vkey *keys, const uint8_t *verified, size_t nkeys, size_t quorum,
                     char *why, size_t cap) WL_MUST;

/*
 * Writes one signature line "— name base64(id || sig)\n" for text to out;
 * returns its length, or 0 if cap is too small. For type 0x04 the timestamp
 * is signed as tlog-cosignature/v1 prescribes.
 */
size_t wl_note_sign_line(const char *text, size_t text_len, const char *name, uint8_t type,
                         const wl_key *key, uint64_t timestamp, char *out, size_t cap);

/* A checkpoint body: origin, size, root hash, optional extension lines. */
typedef struct {
    char origin[WL_ORIGIN_MAX + 1];
    uint64_t size;
    uint8_t root[32];
} wl_checkpoint;

wl_rc wl_checkpoint_parse(const char *text, size_t len, wl_checkpoint *cp) WL_MUST;
/* Writes "origin\nsize\nbase64(root)\n"; returns its length (0 if cap too small). */
size_t wl_checkpoint_format(const wl_checkpoint *cp, char *out, size_t cap);

/* Parse an ASCII decimal u64 with no leading zeroes (except "0"). */
wl_rc wl_parse_u64(const char *s, size_t len, uint64_t *out) WL_MUST;

#endif
