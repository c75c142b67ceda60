/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_b64_decode_public (lib/crypto/crypto.c), the variable-time decoder of a
 * request's entries, against wl_b64_decode (libsodium's, constant time): the
 * same answer, length and bytes for every encoding of 0 to 40 random bytes,
 * for each of those with any one character replaced by any byte, cut short or
 * lengthened, and with every output capacity around the decoded length. One
 * difference, kept: libsodium (1.0.18) reads any byte from 0x80 up as '/', so
 * that "\x80AAA" decodes; the public decoder refuses it, as RFC 4648 does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "willing/crypto.h"

/* Both decoders on in[0..len) into cap bytes: the same rc, length and bytes. */
static void same(const char *in, size_t len, size_t cap)
{
    uint8_t a[64], b[64];
    size_t na = 0, nb = 0;
    wl_rc ra, rb;
    assert_true(cap <= sizeof a);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] >= 0x80) {
            assert_int_equal(wl_b64_decode_public(in, len, b, cap, &nb), WL_ERR_INVALID);
            return;
        }
    memset(a, 0xa5, sizeof a);
    memset(b, 0xa5, sizeof b);
    ra = wl_b64_decode(in, len, a, cap, &na);
    rb = wl_b64_decode_public(in, len, b, cap, &nb);
    if (ra != rb || na != nb)
        fail_msg("'%.*s' (cap %zu): sodium %d %zu, public %d %zu", (int)len, in, cap, ra, na, rb,
                 nb);
    if (ra == WL_OK)
        assert_memory_equal(a, b, na);
}

static void differential(void **state)
{
    static const char probe[] = "AQgz09+/=-_ .\n\"\\\x80\xff";
    uint8_t raw[40];
    char enc[64], m[64];
    unsigned seed = 12345;
    (void)state;
    for (size_t n = 0; n <= sizeof raw; n++) {
        size_t el = wl_b64_len(n);
        for (size_t i = 0; i < n; i++)
            raw[i] = (uint8_t)(rand_r(&seed) >> 7);
        wl_b64_encode(raw, n, enc);
        for (size_t cap = n > 3 ? n - 3 : 0; cap <= n + 3; cap++)
            same(enc, el, cap);
        for (size_t cut = 0; cut < el; cut++) /* cut short */
            same(enc, cut, n + 3);
        for (size_t pos = 0; pos < el; pos++) { /* one character replaced */
            memcpy(m, enc, el);
            for (size_t k = 0; k < sizeof probe - 1; k++) {
                m[pos] = probe[k];
                same(m, el, n + 3);
            }
            if (n <= 3) /* a short string: by every byte */
                for (int c = 0; c < 256; c++) {
                    m[pos] = (char)c;
                    same(m, el, n + 3);
                }
        }
        memcpy(m, enc, el); /* lengthened by a quantum */
        memcpy(m + el, "AAA=", 4);
        same(m, el + 4, n + 6);
        memcpy(m + el, "====", 4);
        same(m, el + 4, n + 6);
    }
}

/* Non-canonical last quanta: unused bits set, or padding where a character is due. */
static void non_canonical(void **state)
{
    static const char *const bad[] = {
        "QQ==", "QR==", "QUI=", "QUJ=", "Q===", "====", "QUJD====", "QU=D", "=UJD", "Q=JD"};
    uint8_t out[8];
    size_t n;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wl_rc want = wl_b64_decode(bad[i], strlen(bad[i]), out, sizeof out, &n);
        assert_int_equal(wl_b64_decode_public(bad[i], strlen(bad[i]), out, sizeof out, &n), want);
        if (i != 0 && i != 2) /* QQ== and QUI= are canonical */
            assert_int_not_equal(want, WL_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(differential),
        cmocka_unit_test(non_canonical),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
