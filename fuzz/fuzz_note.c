/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: the signed-note and entry decoders, and signature checks. */
#include <string.h>

#include "willing/entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wl_vkey keys[2];
    static int init;
    wl_note n;
    wl_entry e;
    uint8_t ok[2];
    uint64_t times[2];
    if (!init) {
        static const char v[] =
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
        if (wl_crypto_init() != WL_OK || wl_vkey_parse(v, sizeof v - 1, &keys[0]) != WL_OK ||
            wl_vkey_make("witness.example/w1", WL_SIGTYPE_COSIG_V1, keys[0].pk, &keys[1]) != WL_OK)
            return 0;
        init = 1;
    }
    if (wl_note_parse((const char *)data, size, &n) == WL_OK)
        (void)!wl_note_verify(&n, keys, 2, ok, times);
    if (wl_entry_parse((const char *)data, size, &e, NULL, 0) == WL_OK) {
        (void)!wl_entry_verify_sig(&e, keys[0].pk);
        wl_entry_clear(&e);
    }
    return 0;
}
