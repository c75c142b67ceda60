/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: decoding of the write API's request bodies. */
#include "willing/entry.h"
#include "willing/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int batch = 0; batch < 2; batch++) {
        wl_entries_req r;
        wl_error err;
        size_t pos;
        wl_entry e;
        if (wl_request_entries((const char *)data, size, batch, &r, &err, &pos) == WL_OK)
            for (size_t i = 0; i < r.n; i++)
                if (wl_entry_parse(r.bytes[i], r.lens[i], &e, NULL, 0) == WL_OK)
                    wl_entry_clear(&e);
        wl_request_free(&r);
    }
    {
        const char *salt, *content;
        size_t sl, cl;
        if (wl_request_sealed_split((const char *)data, size, &salt, &sl, &content, &cl)) {
            /* what it splits lies inside the input, and the rest is the fixed frame */
            if (salt < (const char *)data || salt + sl > (const char *)data + size ||
                content < salt + sl || content + cl + 2 != (const char *)data + size)
                __builtin_trap();
        }
    }
    return 0;
}
