/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding of the write API's request bodies (see include/willing/request.h). */
#include <string.h>

#include <jansson.h>

#include "willing/crypto.h"
#include "willing/request.h"

/* Decodes one entry's base64, s[0..sl), into *out (owned, wl_free). */
static wl_rc decode_one(const char *s, size_t sl, char **out, size_t *len, wl_error *err)
{
    size_t got = 0, cap;
    char *buf = NULL;
    wl_rc rc = WL_OK;
    *out = NULL;
    *len = 0;
    if (s == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "malformed_request",
                            "each of 'entries' must be a base64 string");
    if (sl / 4 * 3 > WL_ENTRY_MAX + 2)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "entry_too_large",
                            "an entry is at most %u bytes", WL_ENTRY_MAX);
    cap = sl / 4 * 3 + 3;
    if ((buf = wl_malloc(cap)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "decoding an entry");
    if (wl_b64_decode_public(s, sl, (uint8_t *)buf, cap, &got) != WL_OK)
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_base64",
                          "the entry is not valid standard base64 (RFC 4648 §4, padded)");
    else if (got > WL_ENTRY_MAX)
        rc = wl_error_set(err, WL_ERR_TOO_LARGE, "entry_too_large",
                          "the entry is %zu bytes, over the limit of %u", got, WL_ENTRY_MAX);
    if (rc != WL_OK) {
        wl_free(buf);
        return rc;
    }
    *out = buf;
    *len = got;
    return WL_OK;
}

wl_rc wl_request_shape(const json_t *root, const char *const *fields, const char *types,
                       wl_error *err)
{
    const char *k;
    json_t *v;
    size_t i;
    if (!json_is_object(root))
        return wl_error_set(err, WL_ERR_INVALID, "malformed_request",
                            "the body must be a JSON object");
    json_object_foreach((json_t *)root, k, v)
    {
        for (i = 0; fields[i] && strcmp(fields[i], k) != 0; i++)
            ;
        if (fields[i] == NULL)
            return wl_error_set(err, WL_ERR_INVALID, "malformed_request", "unknown field '%.64s'",
                                k);
    }
    for (i = 0; fields[i]; i++) {
        v = json_object_get(root, fields[i]);
        if (v == NULL)
            return wl_error_set(err, WL_ERR_INVALID, "malformed_request", "'%s' is missing",
                                fields[i]);
        if (types[i] == 's' ? !json_is_string(v) : !json_is_array(v))
            return wl_error_set(err, WL_ERR_INVALID, "malformed_request", "'%s' must be %s",
                                fields[i],
                                types[i] == 's' ? "a base64 string" : "a list of base64 strings");
    }
    return WL_OK;
}

/* The characters of standard base64 with its padding: all a compact body's strings hold. */
static int b64_char(char c)
{
    return wl_b64_char(c);
}

/*
 * The entries of a body in the exact compact form clients send,
 * {"entries":["<base64>",...]} (or {"entry":"<base64>"}), found without a JSON
 * parser: the hot path of a large import, whose 30 MB body jansson would copy
 * string by string. The number of strings, their starts and lengths in
 * starts/lens when those are not NULL; 0 for anything else (whitespace, an
 * escape, another field, no entry), which the JSON parser then reads and
 * answers as before. A body in this form is valid JSON of the right shape, so
 * both paths decode the same entries and refuse the same way.
 */
static size_t compact_entries(const char *b, size_t len, int batch, const char **starts,
                              size_t *lens)
{
    static const char pb[] = "{\"entries\":[", p1[] = "{\"entry\":";
    const char *p, *q, *end = b + len;
    size_t pl = batch ? sizeof pb - 1 : sizeof p1 - 1, n = 0;
    if (b == NULL || len < pl || memcmp(b, batch ? pb : p1, pl) != 0)
        return 0;
    for (p = b + pl;; p++) {
        if (p >= end || *p != '"')
            return 0;
        for (q = ++p; q < end && b64_char(*q); q++)
            ;
        if (q >= end || *q != '"')
            return 0;
        if (starts) {
            starts[n] = p;
            lens[n] = (size_t)(q - p);
        }
        n++;
        p = q + 1;
        if (!batch || p >= end || *p != ',')
            break;
        if (n == WL_BATCH_MAX) /* too many: the parser's path refuses it */
            return 0;
    }
    if (batch && (p >= end || *p++ != ']'))
        return 0;
    return (size_t)(end - p) == 1 && *p == '}' ? n : 0;
}

size_t wl_request_compact(const char *body, size_t len, int batch)
{
    return compact_entries(body, len, batch, NULL, NULL);
}

/* A body in the compact form: each entry decoded straight from the body's bytes. */
static wl_rc entries_compact(const char *body, size_t len, int batch, size_t n, wl_entries_req *out,
                             wl_error *err, size_t *pos)
{
    const char **starts = wl_calloc(n, sizeof *starts);
    size_t *slens = wl_calloc(n, sizeof *slens);
    wl_rc rc = WL_OK;
    out->bytes = wl_calloc(n, sizeof *out->bytes);
    out->lens = wl_calloc(n, sizeof *out->lens);
    if (starts == NULL || slens == NULL || out->bytes == NULL || out->lens == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "decoding the request");
        goto out;
    }
    (void)compact_entries(body, len, batch, starts, slens);
    for (size_t i = 0; i < n; i++) {
        if ((rc = decode_one(starts[i], slens[i], &out->bytes[i], &out->lens[i], err)) != WL_OK) {
            *pos = i;
            break;
        }
        out->n = i + 1;
    }
out:
    wl_free(starts);
    wl_free(slens);
    return rc;
}

wl_rc wl_request_entries(const char *body, size_t len, int batch, wl_entries_req *out,
                         wl_error *err, size_t *pos)
{
    static const char *const one_field[] = {"entry", NULL};
    static const char *const batch_fields[] = {"entries", NULL};
    json_error_t jerr;
    json_t *root, *list;
    size_t n;
    wl_rc rc = WL_OK;

    memset(out, 0, sizeof *out);
    *pos = 0;
    if ((n = wl_request_compact(body, len, batch)) > 0)
        return entries_compact(body, len, batch, n, out, err, pos);
    root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "malformed_json",
                            "the body is not valid JSON: %s (line %d, column %d)", jerr.text,
                            jerr.line, jerr.column);
    if ((rc = wl_request_shape(root, batch ? batch_fields : one_field, batch ? "a" : "s", err)) !=
        WL_OK)
        goto out;
    list = json_object_get(root, batch ? "entries" : "entry");
    n = batch ? json_array_size(list) : 1;
    if (n == 0 || n > WL_BATCH_MAX) {
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_batch_size",
                          "a batch holds 1 to %u entries, got %zu", WL_BATCH_MAX, n);
        goto out;
    }
    out->bytes = wl_calloc(n, sizeof *out->bytes);
    out->lens = wl_calloc(n, sizeof *out->lens);
    if (out->bytes == NULL || out->lens == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "decoding the request");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *v = batch ? json_array_get(list, i) : list;
        const char *str = json_string_value(v);
        rc = decode_one(str, str ? strlen(str) : 0, &out->bytes[i], &out->lens[i], err);
        if (rc != WL_OK) {
            *pos = i;
            break;
        }
        out->n = i + 1;
    }
out:
    json_decref(root);
    return rc;
}

char *wl_request_take(wl_entries_req *r, size_t i)
{
    char *b = r->bytes[i];
    r->bytes[i] = NULL;
    return b;
}

void wl_request_free(wl_entries_req *r)
{
    if (r->bytes)
        for (size_t i = 0; i < r->n; i++)
            wl_free(r->bytes[i]);
    wl_free(r->bytes);
    wl_free(r->lens);
    memset(r, 0, sizeof *r);
}

int wl_request_sealed_split(const char *b, size_t len, const char **salt, size_t *sl,
                            const char **content, size_t *cl)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    static const char p1[] = "{\"salt\":\"", p2[] = "\",\"content\":\"", p3[] = "\"}";
    const char *q, *end = b + len;
    *salt = *content = NULL;
    *sl = *cl = 0;
    if (b == NULL || len < sizeof p1 + sizeof p2 + sizeof p3 - 3 ||
        memcmp(b, p1, sizeof p1 - 1) != 0)
        return 0;
    *salt = q = b + sizeof p1 - 1;
    while (q < end && memchr(b64, *q, sizeof b64 - 1))
        q++;
    *sl = (size_t)(q - *salt);
    if ((size_t)(end - q) < sizeof p2 - 1 || memcmp(q, p2, sizeof p2 - 1) != 0)
        return 0;
    *content = q = q + sizeof p2 - 1;
    while (q < end && memchr(b64, *q, sizeof b64 - 1))
        q++;
    *cl = (size_t)(q - *content);
    return (size_t)(end - q) == sizeof p3 - 1 && memcmp(q, p3, sizeof p3 - 1) == 0;
}
