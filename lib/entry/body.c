/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a kind's body, the same way in every module: unknown fields
 * refused by name, bounded strings, 32-byte base64 values (keys, hashes).
 * Pure: JSON only. Declared in include/willing/entry.h.
 */
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"

wl_rc wl_body_fields(const json_t *body, const char *const *allowed, const char *kind,
                     wl_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(k, *a) == 0;
        if (!ok)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: unknown field '%s'", kind,
                                k);
    }
    return WL_OK;
}

const char *wl_body_str(const json_t *body, const char *name, size_t max)
{
    const char *s = json_string_value(json_object_get(body, name));
    if (s == NULL || s[0] == '\0' || strlen(s) > max)
        return NULL;
    return s;
}

int wl_body_b64_32(const json_t *body, const char *name, uint8_t out[32])
{
    const char *s = json_string_value(json_object_get(body, name));
    size_t n = 0;
    return s && strlen(s) == 44 && wl_b64_decode(s, 44, out, 32, &n) == WL_OK && n == 32;
}
