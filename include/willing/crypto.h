/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cryptographic primitives used by willing: SHA-256 (OpenSSL EVP, digest
 * fetched once), Ed25519 (libsodium), base64 and hex, and Ed25519 private key
 * files in PKCS#8 PEM (importable by WebCrypto). See docs/internals/crypto.md.
 */
#ifndef WILLING_CRYPTO_H
#define WILLING_CRYPTO_H

#include "willing/wl.h"

#define WL_ED25519_PK_BYTES 32u
#define WL_ED25519_SK_BYTES 64u
#define WL_ED25519_SIG_BYTES 64u

/* Must be called once before any other function here; thread-safe, idempotent. */
wl_rc wl_crypto_init(void) WL_MUST;

/* SHA-256 of the concatenation of n parts. */
void wl_sha256(const void *data, size_t len, uint8_t out[32]);
void wl_sha256_parts(const void *const *parts, const size_t *lens, size_t n, uint8_t out[32]);

/* Standard base64 (RFC 4648 §4, padded). enc: out must hold wl_b64_len(n)+1. */
size_t wl_b64_len(size_t n);
void wl_b64_encode(const uint8_t *in, size_t n, char *out);
/* Strict decode of exactly len characters; *outlen gets the byte count. */
wl_rc wl_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *outlen) WL_MUST;
/*
 * The same decode (the same strings accepted, the same bytes and answers), in variable time:
 * for public data only (a request's entries: libsodium's constant-time decoder was a fifth of
 * a flow import's request handling). Keys and secrets go through wl_b64_decode.
 */
/* 1 if c is a character of standard base64 or its padding '=' (a table: hot scans). */
int wl_b64_char(char c);
wl_rc wl_b64_decode_public(const char *in, size_t len, uint8_t *out, size_t cap,
                           size_t *outlen) WL_MUST;
/* Lower-case hex; out must hold 2n+1. */
void wl_hex_encode(const uint8_t *in, size_t n, char *out);
wl_rc wl_hex_decode(const char *in, size_t len, uint8_t *out, size_t n) WL_MUST;

/* An Ed25519 key pair. Wipe with wl_key_wipe when done. */
typedef struct {
    uint8_t sk[WL_ED25519_SK_BYTES];
    uint8_t pk[WL_ED25519_PK_BYTES];
} wl_key;

void wl_key_generate(wl_key *k);
void wl_key_from_seed(wl_key *k, const uint8_t seed[32]);
void wl_key_wipe(wl_key *k);
void wl_ed25519_sign(const wl_key *k, const void *msg, size_t len, uint8_t sig[64]);
wl_rc wl_ed25519_verify(const uint8_t pk[32], const void *msg, size_t len,
                        const uint8_t sig[64]) WL_MUST;

/*
 * Key files: a PKCS#8 PEM "PRIVATE KEY" block (RFC 8410), optionally preceded
 * by explanatory "Name: value" lines (RFC 7468 §2 allows text before the
 * block). willing writes "Member:" and "Scope:" there.
 */
typedef struct {
    wl_key key;
    char member[65]; /* empty when the file names none */
    char scope[17];
} wl_keyfile;

/* Writes mode 0600, refusing to overwrite. */
wl_rc wl_keyfile_write(const char *path, const wl_keyfile *kf) WL_MUST;
wl_rc wl_keyfile_read(const char *path, wl_keyfile *kf) WL_MUST;
/* Parse from memory (the same format). */
wl_rc wl_keyfile_parse(const char *text, size_t len, wl_keyfile *kf) WL_MUST;

#endif
