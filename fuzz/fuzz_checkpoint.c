/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: checkpoint bodies, verifier keys and tile paths. */
#include <string.h>

#include "willing/note.h"
#include "willing/tile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wl_checkpoint cp;
    wl_vkey v;
    wl_tile t;
    char out[512];
    if (wl_checkpoint_parse((const char *)data, size, &cp) == WL_OK) {
        size_t n = wl_checkpoint_format(&cp, out, sizeof out);
        wl_checkpoint back;
        /* what we format, we parse back to the same values */
        if (n == 0 || wl_checkpoint_parse(out, n, &back) != WL_OK || back.size != cp.size ||
            memcmp(back.root, cp.root, 32) != 0)
            __builtin_trap();
    }
    if (wl_vkey_parse((const char *)data, size, &v) == WL_OK) {
        /* what parses, formats back to the same text, whole */
        if (wl_vkey_format(&v, out, sizeof out) != WL_OK || strlen(out) != size ||
            memcmp(out, data, size) != 0)
            __builtin_trap();
    }
    if (wl_tile_parse((const char *)data, size, &t) == WL_OK) {
        size_t n = wl_tile_path(&t, out, sizeof out);
        if (n != size || memcmp(out, data, size) != 0)
            __builtin_trap();
    }
    return 0;
}
