/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Receipts signed in rounds (include/willing/receipt.h): every real leaf of a
 * round verifies with its path under the signed root; a wrong commitment,
 * blind, batch, index, origin, key or a changed note does not; the tree is
 * always 64 leaves whatever the round's size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "willing/receipt.h"

#define ORIGIN "example.org/coalition"

static void round_of(size_t n)
{
    wl_key op;
    wl_vkey vk, other;
    uint8_t seed[32] = {1}, c[64][32], blind[64][32], leaves[64][32];
    uint8_t paths[64][WL_RECEIPT_DEPTH][32];
    char *note = NULL;
    wl_key_from_seed(&op, seed);
    assert_int_equal(wl_vkey_make("operator", WL_SIGTYPE_ED25519, op.pk, &vk), WL_OK);
    seed[0] = 2;
    {
        wl_key k2;
        wl_key_from_seed(&k2, seed);
        assert_int_equal(wl_vkey_make("operator", WL_SIGTYPE_ED25519, k2.pk, &other), WL_OK);
    }
    for (size_t i = 0; i < n; i++) {
        memset(c[i], (int)i, 32);
        memset(blind[i], (int)(100 + i), 32);
        wl_receipt_leaf(ORIGIN, c[i], 7, 4200, blind[i], leaves[i]);
    }
    assert_int_equal(
        wl_receipt_sign(ORIGIN, "operator", &op, (const uint8_t(*)[32])leaves, n, &note, paths),
        WL_OK);
    assert_non_null(strstr(note, "willing.receipts/v1\n" ORIGIN "\n"));
    assert_non_null(strstr(note, "\n64\n\n\xe2\x80\x94 operator "));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(wl_receipt_verify(note, strlen(note), &vk, ORIGIN, c[i], 7, 4200, blind[i],
                                           i, (const uint8_t(*)[32])paths[i]),
                         WL_OK);
    /* refusals */
    assert_int_not_equal(wl_receipt_verify(note, strlen(note), &vk, ORIGIN, c[0], 8, 4200, blind[0],
                                           0, (const uint8_t(*)[32])paths[0]),
                         WL_OK);
    assert_int_not_equal(wl_receipt_verify(note, strlen(note), &vk, ORIGIN, c[0], 7, 4200, blind[0],
                                           1, (const uint8_t(*)[32])paths[0]),
                         WL_OK);
    assert_int_not_equal(wl_receipt_verify(note, strlen(note), &vk, ORIGIN, c[0], 7, 4200,
                                           blind[n > 1 ? 1 : 0], n > 1 ? 0 : 64,
                                           (const uint8_t(*)[32])paths[0]),
                         WL_OK);
    assert_int_not_equal(wl_receipt_verify(note, strlen(note), &vk, "other.org/log", c[0], 7, 4200,
                                           blind[0], 0, (const uint8_t(*)[32])paths[0]),
                         WL_OK);
    assert_int_equal(wl_receipt_verify(note, strlen(note), &other, ORIGIN, c[0], 7, 4200, blind[0],
                                       0, (const uint8_t(*)[32])paths[0]),
                     WL_ERR_SIGNATURE);
    note[25] ^= 1; /* the note changed: its signature fails */
    assert_int_not_equal(wl_receipt_verify(note, strlen(note), &vk, ORIGIN, c[0], 7, 4200, blind[0],
                                           0, (const uint8_t(*)[32])paths[0]),
                         WL_OK);
    wl_free(note);
    wl_key_wipe(&op);
}

static void test_rounds(void **state)
{
    (void)state;
    round_of(1);
    round_of(2);
    round_of(37);
    round_of(64);
}

static void test_too_many(void **state)
{
    wl_key op;
    uint8_t seed[32] = {1}, leaves[65][32] = {{0}}, paths[65][WL_RECEIPT_DEPTH][32];
    char *note = NULL;
    (void)state;
    wl_key_from_seed(&op, seed);
    assert_int_equal(
        wl_receipt_sign(ORIGIN, "operator", &op, (const uint8_t(*)[32])leaves, 65, &note, paths),
        WL_ERR_INVALID);
    assert_null(note);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounds),
        cmocka_unit_test(test_too_many),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
