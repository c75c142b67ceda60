/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (lib/crypto/crypto.c) never aborts: when OpenSSL cannot give a
 * thread its digest context (here: every OpenSSL allocation fails), the same
 * hash comes from libsodium. Known answers from FIPS 180-2, appendix B.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/crypto.h>

#include "willing/crypto.h"

static int openssl_fails; /* set while a test wants every OpenSSL allocation to fail */

static void *t_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return __atomic_load_n(&openssl_fails, __ATOMIC_SEQ_CST) ? NULL : malloc(n);
}

static void *t_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return __atomic_load_n(&openssl_fails, __ATOMIC_SEQ_CST) ? NULL : realloc(p, n);
}

static void t_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    free(p);
}

static const char abc_hex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char two_blocks_hex[] =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static void expect_hashes(void)
{
    uint8_t h[32];
    char hex[65];
    const void *parts[] = {"abcdbcdecdefdefg", "efghfghighijhijkijkljklmklmnlmnomnopnopq"};
    size_t lens[] = {16, 40};
    wl_sha256("abc", 3, h);
    wl_hex_encode(h, 32, hex);
    assert_string_equal(hex, abc_hex);
    wl_sha256(two_blocks, strlen(two_blocks), h);
    wl_hex_encode(h, 32, hex);
    assert_string_equal(hex, two_blocks_hex);
    wl_sha256_parts(parts, lens, 2, h);
    wl_hex_encode(h, 32, hex);
    assert_string_equal(hex, two_blocks_hex);
}

static void *in_thread(void *arg)
{
    (void)arg;
    expect_hashes(); /* a new thread: it needs its own OpenSSL context, which it cannot have */
    return NULL;
}

static void known_answers(void **state)
{
    (void)state;
    expect_hashes();
}

static void openssl_failing(void **state)
{
    pthread_t t;
    (void)state;
    __atomic_store_n(&openssl_fails, 1, __ATOMIC_SEQ_CST);
    assert_int_equal(pthread_create(&t, NULL, in_thread, NULL), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    __atomic_store_n(&openssl_fails, 0, __ATOMIC_SEQ_CST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_answers),
        cmocka_unit_test(openssl_failing),
    };
    /* before OpenSSL allocates anything */
    if (!CRYPTO_set_mem_functions(t_malloc, t_realloc, t_free) || wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
