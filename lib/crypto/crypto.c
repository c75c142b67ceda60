/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 through OpenSSL EVP with the digest fetched once and one reusable
 * context per thread; Ed25519, base64, hex and wiping through libsodium; and
 * PKCS#8 PEM key files. docs/internals/crypto.md has the contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "willing/crypto.h"

static EVP_MD *sha256_md;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_ok;
static _Thread_local EVP_MD_CTX *tl_ctx;
static pthread_key_t ctx_key; /* frees a thread's context when it exits */

static void free_ctx(void *p)
{
    EVP_MD_CTX_free(p);
}

static void do_init(void)
{
    if (sodium_init() < 0 || pthread_key_create(&ctx_key, free_ctx) != 0)
        return;
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    init_ok = sha256_md != NULL;
}

wl_rc wl_crypto_init(void)
{
    pthread_once(&init_once, do_init);
    return init_ok ? WL_OK : WL_ERR_INTERNAL;
}

/* SHA-256 by libsodium: slower than OpenSSL's here, but it cannot fail. */
static void sha256_sodium(const void *const *parts, const size_t *lens, size_t n, uint8_t out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < n; i++)
        crypto_hash_sha256_update(&st, parts[i], lens[i]);
    crypto_hash_sha256_final(&st, out);
}

void wl_sha256_parts(const void *const *parts, const size_t *lens, size_t n, uint8_t out[32])
{
    unsigned int olen = 0;
    int ok;
    if (tl_ctx == NULL) {
        pthread_once(&init_once, do_init); /* callers may hash before wl_crypto_init */
        tl_ctx = EVP_MD_CTX_new();
        if (tl_ctx != NULL)
            pthread_setspecific(ctx_key, tl_ctx);
    }
    ok = tl_ctx != NULL && sha256_md != NULL && EVP_DigestInit_ex2(tl_ctx, sha256_md, NULL) == 1;
    for (size_t i = 0; ok && i < n; i++)
        ok = EVP_DigestUpdate(tl_ctx, parts[i], lens[i]) == 1;
    ok = ok && EVP_DigestFinal_ex(tl_ctx, out, &olen) == 1 && olen == 32;
    /*
     * OpenSSL failing (no memory for a context, a broken provider) is not an
     * error the caller could act on, and a hash is never wrong: the same hash,
     * computed by libsodium instead.
     */
    if (!ok)
        sha256_sodium(parts, lens, n, out);
}

void wl_sha256(const void *data, size_t len, uint8_t out[32])
{
    wl_sha256_parts(&data, &len, 1, out);
}

size_t wl_b64_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

void wl_b64_encode(const uint8_t *in, size_t n, char *out)
{
    sodium_bin2base64(out, wl_b64_len(n) + 1, in, n, sodium_base64_VARIANT_ORIGINAL);
}

wl_rc wl_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
    const char *end = NULL;
    size_t got = 0;
    *outlen = 0;
    if (len % 4 != 0)
        return WL_ERR_INVALID;
    if (len / 4 * 3 > cap + 2)
        return WL_ERR_TOO_LARGE;
    if (sodium_base642bin(out, cap, in, len, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
        return WL_ERR_INVALID;
    if (end != in + len)
        return WL_ERR_INVALID;
    /* canonical only: the last quantum re-encodes to the same characters */
    if (got > 0) {
        size_t tail = got % 3 ? got % 3 : 3;
        char q[5];
        wl_b64_encode(out + got - tail, tail, q);
        if (memcmp(q, in + len - 4, 4) != 0)
            return WL_ERR_INVALID;
    }
    *outlen = got;
    return WL_OK;
}

/* One more than the value of each base64 character (65 for '='); 0 for any other byte. */
static const uint8_t b64_val1[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
    ['='] = 65,
};

/* The value of c, 64 for '=', more than 64 for a byte that is not base64. */
static unsigned b64_at(unsigned char c)
{
    return b64_val1[c] - 1u;
}

int wl_b64_char(char c)
{
    return b64_val1[(unsigned char)c] != 0;
}

wl_rc wl_b64_decode_public(const char *in, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t full, got, pad = 0, o = 0;
    unsigned a, b, c, d;
    *outlen = 0;
    if (len % 4 != 0)
        return WL_ERR_INVALID;
    if (len / 4 * 3 > cap + 2)
        return WL_ERR_TOO_LARGE;
    if (len == 0)
        return WL_OK;
    pad = (p[len - 1] == '=') + (p[len - 2] == '=');
    got = len / 4 * 3 - pad;
    if (got > cap)
        return WL_ERR_INVALID;
    full = pad ? len - 4 : len;
    for (size_t i = 0; i < full; i += 4) {
        a = b64_at(p[i]), b = b64_at(p[i + 1]), c = b64_at(p[i + 2]), d = b64_at(p[i + 3]);
        if ((a | b | c | d) >= 64) /* '=' (64) or not base64 (255) */
            return WL_ERR_INVALID;
        out[o++] = (uint8_t)(a << 2 | b >> 4);
        out[o++] = (uint8_t)(b << 4 | c >> 2);
        out[o++] = (uint8_t)(c << 6 | d);
    }
    if (pad) { /* the last quantum: XX== or XXX=, its unused bits 0 (canonical) */
        a = b64_at(p[full]), b = b64_at(p[full + 1]);
        c = pad == 1 ? b64_at(p[full + 2]) : 0;
        if ((a | b | c) >= 64 || (pad == 2 ? (b & 15) : (c & 3)) != 0)
            return WL_ERR_INVALID;
        out[o++] = (uint8_t)(a << 2 | b >> 4);
        if (pad == 1)
            out[o++] = (uint8_t)(b << 4 | c >> 2);
    }
    *outlen = got;
    return WL_OK;
}

void wl_hex_encode(const uint8_t *in, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, in, n);
}

wl_rc wl_hex_decode(const char *in, size_t len, uint8_t *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (len != 2 * n)
        return WL_ERR_INVALID;
    for (size_t i = 0; i < len; i++)
        if (!((in[i] >= '0' && in[i] <= '9') || (in[i] >= 'a' && in[i] <= 'f')))
            return WL_ERR_INVALID;
    if (sodium_hex2bin(out, n, in, len, NULL, &got, &end) != 0 || got != n)
        return WL_ERR_INVALID;
    return WL_OK;
}

void wl_key_generate(wl_key *k)
{
    crypto_sign_ed25519_keypair(k->pk, k->sk);
}

void wl_key_from_seed(wl_key *k, const uint8_t seed[32])
{
    crypto_sign_ed25519_seed_keypair(k->pk, k->sk, seed);
}

void wl_key_wipe(wl_key *k)
{
    sodium_memzero(k, sizeof *k);
}

void wl_ed25519_sign(const wl_key *k, const void *msg, size_t len, uint8_t sig[64])
{
    crypto_sign_ed25519_detached(sig, NULL, msg, len, k->sk);
}

wl_rc wl_ed25519_verify(const uint8_t pk[32], const void *msg, size_t len, const uint8_t sig[64])
{
    return crypto_sign_ed25519_verify_detached(sig, msg, len, pk) == 0 ? WL_OK : WL_ERR_SIGNATURE;
}

/* RFC 8410 PKCS#8 prefix for an Ed25519 private key; the 32-byte seed follows. */
static const uint8_t pkcs8_prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                         0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
static const char pem_begin[] = "-----BEGIN PRIVATE KEY-----";
static const char pem_end[] = "-----END PRIVATE KEY-----";

static int valid_label(const char *s, size_t n, size_t max)
{
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

wl_rc wl_keyfile_write(const char *path, const wl_keyfile *kf)
{
    uint8_t der[48];
    char b64[65];
    char text[512];
    int fd, n;
    wl_rc rc = WL_OK;

    memcpy(der, pkcs8_prefix, 16);
    memcpy(der + 16, kf->key.sk, 32); /* libsodium's sk is seed || pk */
    wl_b64_encode(der, sizeof der, b64);
    n = snprintf(text, sizeof text, "%s%s%s%s%s%s%s\n%s\n%s\n", kf->member[0] ? "Member: " : "",
                 kf->member, kf->member[0] ? "\n" : "", kf->scope[0] ? "Scope: " : "", kf->scope,
                 kf->scope[0] ? "\n" : "", pem_begin, b64, pem_end);
    sodium_memzero(der, sizeof der);
    sodium_memzero(b64, sizeof b64);
    if (n < 0 || (size_t)n >= sizeof text) {
        rc = WL_ERR_INTERNAL;
        goto out;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = WL_ERR_IO;
        goto out;
    }
    if (write(fd, text, (size_t)n) != n || fsync(fd) != 0)
        rc = WL_ERR_IO;
    if (close(fd) != 0)
        rc = WL_ERR_IO;
out:
    sodium_memzero(text, sizeof text);
    return rc;
}

wl_rc wl_keyfile_parse(const char *text, size_t len, wl_keyfile *kf)
{
    const char *p = text, *end = text + len;
    const char *b = NULL, *e = NULL;
    uint8_t der[64];
    size_t dlen = 0;
    char b64[128];
    size_t bl = 0;
    wl_rc rc = WL_ERR_INVALID;

    memset(kf, 0, sizeof *kf);
    /* explanatory lines before the armour */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ll >= sizeof pem_begin - 1 && memcmp(p, pem_begin, sizeof pem_begin - 1) == 0) {
            b = nl ? nl + 1 : end;
            break;
        }
        if (ll > 8 && memcmp(p, "Member: ", 8) == 0 && valid_label(p + 8, ll - 8, 64))
            memcpy(kf->member, p + 8, ll - 8);
        else if (ll > 7 && memcmp(p, "Scope: ", 7) == 0 && valid_label(p + 7, ll - 7, 16))
            memcpy(kf->scope, p + 7, ll - 7);
        p = nl ? nl + 1 : end;
    }
    if (b == NULL)
        goto out;
    for (p = b; p < end; p++) {
        if ((size_t)(end - p) >= sizeof pem_end - 1 &&
            memcmp(p, pem_end, sizeof pem_end - 1) == 0) {
            e = p;
            break;
        }
        if (*p == '\n' || *p == '\r' || *p == ' ')
            continue;
        if (bl >= sizeof b64)
            goto out;
        b64[bl++] = *p;
    }
    if (e == NULL)
        goto out;
    if (wl_b64_decode(b64, bl, der, sizeof der, &dlen) != WL_OK || dlen != 48 ||
        memcmp(der, pkcs8_prefix, 16) != 0)
        goto out;
    wl_key_from_seed(&kf->key, der + 16);
    rc = WL_OK;
out:
    sodium_memzero(der, sizeof der);
    sodium_memzero(b64, sizeof b64);
    if (rc != WL_OK)
        sodium_memzero(kf, sizeof *kf);
    return rc;
}

wl_rc wl_keyfile_read(const char *path, wl_keyfile *kf)
{
    char buf[1024];
    ssize_t n;
    wl_rc rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    memset(kf, 0, sizeof *kf);
    if (fd < 0)
        return errno == ENOENT ? WL_ERR_NOT_FOUND : WL_ERR_IO;
    n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0)
        rc = WL_ERR_IO;
    else if ((size_t)n == sizeof buf)
        rc = WL_ERR_TOO_LARGE;
    else
        rc = wl_keyfile_parse(buf, (size_t)n, kf);
    sodium_memzero(buf, sizeof buf); /* on every path: what was read may be a key */
    return rc;
}
