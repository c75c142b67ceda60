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

bool wl_body_blank(const char *s)
{
    return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

int wl_body_b64_32(const json_t *body, const char *name, uint8_t out[32])
{
    const char *s = json_string_value(json_object_get(body, name));
    size_t n = 0;
    return s && strlen(s) == 44 && wl_b64_decode(s, 44, out, 32, &n) == WL_OK && n == 32;
}

/* A scan of a body in compact form: see wl_body_compact_rows. */
typedef struct {
    const char *end, *key;
    size_t keylen, max, n;
    const char **starts;
    size_t *lens;
} compact_scan;

/* The end of the plain string at p ('"'), NULL for an escape, a control byte or no end. */
static const char *plain_string(const compact_scan *cs, const char *p)
{
    for (p++; p < cs->end; p++) {
        if (*p == '"')
            return p + 1;
        if (*p == '\\' || (unsigned char)*p < 0x20)
            return NULL;
    }
    return NULL;
}

/* The end of an integer as jansson prints it: -?(0|[1-9][0-9]{0,17}), no fraction, no -0. */
static const char *plain_integer(const compact_scan *cs, const char *p)
{
    const char *q = p + (*p == '-'), *d = q;
    while (q < cs->end && *q >= '0' && *q <= '9')
        q++;
    if (q == d || q - d > 18 || (*d == '0' && (q - d > 1 || *p == '-')))
        return NULL;
    if (q < cs->end && (*q == '.' || *q == 'e' || *q == 'E'))
        return NULL;
    return q;
}

static const char *plain_value(compact_scan *cs, const char *p, int depth, int rows);

/* The end of the object or array at p, its elements' spans recorded when rows is set. */
static const char *plain_container(compact_scan *cs, const char *p, int depth, int rows)
{
    char close = *p == '{' ? '}' : ']';
    int object = *p == '{';
    if (++p < cs->end && *p == close)
        return p + 1;
    while (p < cs->end) {
        int is_key = 0;
        const char *v = p;
        if (object) {
            const char *k = p;
            if (*p != '"' || (p = plain_string(cs, p)) == NULL || p >= cs->end || *p++ != ':')
                return NULL;
            is_key = depth == 0 && (size_t)(p - k) == cs->keylen + 3 &&
                     memcmp(k + 1, cs->key, cs->keylen) == 0;
            v = p;
        }
        if ((p = plain_value(cs, v, depth + 1, is_key)) == NULL || p >= cs->end)
            return NULL;
        if (rows) {
            if (cs->n == cs->max)
                return NULL;
            cs->starts[cs->n] = v;
            cs->lens[cs->n++] = (size_t)(p - v);
        }
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
    return NULL;
}

static const char *plain_value(compact_scan *cs, const char *p, int depth, int rows)
{
    static const char *const words[] = {"true", "false", "null"};
    if (p >= cs->end || depth > 32)
        return NULL;
    if (rows && *p != '[')
        return NULL;
    switch (*p) {
    case '"':
        return plain_string(cs, p);
    case '{':
    case '[':
        return plain_container(cs, p, depth, rows);
    case 't':
    case 'f':
    case 'n':
        for (size_t i = 0; i < 3; i++) {
            size_t wl = strlen(words[i]);
            if ((size_t)(cs->end - p) >= wl && memcmp(p, words[i], wl) == 0)
                return p + wl;
        }
        return NULL;
    default:
        return *p == '-' || (*p >= '0' && *p <= '9') ? plain_integer(cs, p) : NULL;
    }
}

size_t wl_body_compact_rows(const char *b, size_t len, const char *key, size_t max,
                            const char **starts, size_t *lens)
{
    compact_scan cs = {b + len, key, strlen(key), max, 0, starts, lens};
    const char *p;
    if (len == 0 || *b != '{')
        return 0;
    p = plain_value(&cs, b, 0, 0);
    return p == b + len ? cs.n : 0;
}
