/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entries: signed notes whose text is
 *   willing.entry/v1 \n origin \n kind \n author \n seq \n time \n body \n
 * followed by one Ed25519 signature line from the author. The log leaf is the
 * note's exact bytes. docs/FORMAT.md has the bytes and a worked example.
 */
#ifndef WILLING_ENTRY_H
#define WILLING_ENTRY_H

#include "willing/note.h"

#define WL_ENTRY_HEADER "willing.entry/v1"
#define WL_SEALED_HEADER "willing.sealed/v1"

typedef struct json_t json_t;

typedef struct {
    const char *bytes; /* the whole note; not owned */
    size_t len;
    char origin[WL_ORIGIN_MAX + 1];
    char kind[WL_KIND_MAX + 1];
    char author[WL_MEMBER_MAX + 1];
    uint64_t seq;   /* entries */
    char nonce[33]; /* sealed contents */
    int64_t time;
    const char *body; /* one line of JSON, inside bytes */
    size_t body_len;
    json_t *body_json; /* owned; an object */
    const char *text;  /* the signed text, inside bytes */
    size_t text_len;
    uint32_t key_id;
    uint8_t sig[64];
    uint8_t leaf[32]; /* RFC 9162 leaf hash of bytes */
} wl_entry;

/*
 * Parses the syntax of an entry (not its signature, not its kind). On
 * failure, why gets a one-line reason. Release with wl_entry_clear.
 */
wl_rc wl_entry_parse(const char *bytes, size_t len, wl_entry *e, char *why, size_t whylen) WL_MUST;
void wl_entry_clear(wl_entry *e);
/* Checks the author's signature with the given public key. */
wl_rc wl_entry_verify_sig(const wl_entry *e, const uint8_t pk[32]) WL_MUST;

/*
 * Builds and signs an entry; *out is allocated (caller frees with wl_free).
 * body must be one line of JSON (an object).
 */
wl_rc wl_entry_build(const char *origin, const char *kind, const char *author, uint64_t seq,
                     int64_t time, const char *body, const wl_key *key, char **out,
                     size_t *outlen) WL_MUST;
/*
 * The same, from a body held as JSON (an object nested at most
 * WL_BODY_DEPTH_MAX deep, else WL_ERR_INVALID): serialised once, compact, its
 * keys in their order, and checked on the tree rather than parsed back (an
 * importer's thousand-row bodies). The bytes are those wl_entry_build gives
 * for that serialisation.
 */
wl_rc wl_entry_build_json(const char *origin, const char *kind, const char *author, uint64_t seq,
                          int64_t time, const json_t *body, const wl_key *key, char **out,
                          size_t *outlen) WL_MUST;

/*
 * Sealed content: the same seven lines under "willing.sealed/v1", with a random
 * nonce (32 lower-case hex digits) on line 5 instead of a seq, so that nothing in
 * it counts a member's pledges. Parsed into the same struct (nonce set, seq 0).
 */
wl_rc wl_sealed_parse(const char *bytes, size_t len, wl_entry *e, char *why, size_t whylen) WL_MUST;
wl_rc wl_sealed_build(const char *origin, const char *kind, const char *author, const char *nonce,
                      int64_t time, const char *body, const wl_key *key, char **out,
                      size_t *outlen) WL_MUST;

/* Member IDs: 1..64 of [a-z0-9._-], starting with a letter or digit. */
int wl_valid_member_id(const char *s, size_t len);
/* Kinds: 1..32 of [a-z0-9._-], starting with a letter. */
int wl_valid_kind(const char *s, size_t len);

/* The key ID of an entry-signing key: the note key ID for name = member. */
uint32_t wl_entry_key_id(const char *member, const uint8_t pk[32]);

/*
 * Reading a kind's body (lib/entry/body.c), the same way in every module:
 * wl_body_fields refuses a field not in allowed (NULL-terminated) with
 * invalid_body naming the kind and the field; wl_body_str is the string
 * field name when it has 1..max bytes, else NULL; wl_body_b64_32 decodes the
 * field name as exactly 32 bytes of base64 (a key, a hash), 1 if it is so;
 * wl_body_blank is true for NULL or a text of spaces, tabs and line breaks
 * only (a reason of "   " says nothing: refused as a missing one).
 */
wl_rc wl_body_fields(const json_t *body, const char *const *allowed, const char *kind,
                     wl_error *err) WL_MUST;
const char *wl_body_str(const json_t *body, const char *name, size_t max);
int wl_body_b64_32(const json_t *body, const char *name, uint8_t out[32]);
bool wl_body_blank(const char *s);

/*
 * The elements of the top-level array `key` of a body's text b[0..len), each as the span
 * json_dumps(element, JSON_COMPACT) would write: n of them (at most max, their starts and
 * lengths in starts/lens), found only when the whole body is already in that form (no
 * whitespace, no escape in a string, numbers only integers in their shortest form, at most
 * 32 levels deep, `key` written plainly). 0 otherwise: the caller then dumps each element.
 * A flow.batch's rows keep the bytes they came with without 100,000 dumps.
 */
size_t wl_body_compact_rows(const char *b, size_t len, const char *key, size_t max,
                            const char **starts, size_t *lens);

#endif
