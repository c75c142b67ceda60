/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding of the write API's request bodies: {"entry": "<base64 note>"} and
 * {"entries": ["<base64 note>", ...]} (1 to WL_BATCH_MAX). Kept out of the
 * daemon so that it can be fuzzed and tested alone.
 */
#ifndef WILLING_REQUEST_H
#define WILLING_REQUEST_H

#include "willing/wl.h"

typedef struct json_t json_t;

typedef struct {
    char **bytes; /* each decoded entry, owned */
    size_t *lens;
    size_t n;
} wl_entries_req;

/*
 * On failure err names the problem and *pos the entry at fault (0 for the
 * body itself). Release with wl_request_free (also after a failure). A body
 * in the exact compact form clients send ({"entries":["<base64>",...]} or
 * {"entry":"<base64>"}, no whitespace) is read without the JSON parser;
 * wl_request_compact gives the number of entries such a body holds, 0 for any
 * other body (which the parser reads and answers the same way).
 */
size_t wl_request_compact(const char *body, size_t len, int batch);
wl_rc wl_request_entries(const char *body, size_t len, int batch, wl_entries_req *out,
                         wl_error *err, size_t *pos) WL_MUST;
void wl_request_free(wl_entries_req *r);
/* Hands entry i's bytes to the caller, who frees them with wl_free. */
char *wl_request_take(wl_entries_req *r, size_t i);

/*
 * The sealed-content body as clients send it, exactly
 * {"salt":"<base64>","content":"<base64>"}, split without a JSON parser (the
 * hot path of sealing): 1 and pointers into body, or 0 for anything else,
 * which the caller then gives to a JSON parser. The base64 is not decoded.
 */
int wl_request_sealed_split(const char *body, size_t len, const char **salt, size_t *salt_len,
                            const char **content, size_t *content_len);

/*
 * Checks a request body's shape: an object holding exactly the fields named
 * (NULL-terminated), field i a string when types[i] is 's' and an array when
 * it is 'a'. A refusal names the one field at fault: unknown, missing or of
 * the wrong type.
 */
wl_rc wl_request_shape(const json_t *root, const char *const *fields, const char *types,
                       wl_error *err) WL_MUST;

#endif
