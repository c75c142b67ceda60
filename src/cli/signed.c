/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed requests from the CLI: RFC 9421 on willing's profile ("@method",
 * "@authority", "@path", "@query" when there is one, "content-digest" when
 * there is a body; created now, a fresh random nonce, keyid
 * "<member>/<key ID>").
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "willing/entry.h"
#include "willing/httpsig.h"

typedef struct {
    const char *host, *digest, *ctype;
} fields;

static const char *field(void *ctx, const char *name)
{
    const fields *f = ctx;
    if (strcmp(name, "host") == 0)
        return f->host;
    if (strcmp(name, "content-digest") == 0)
        return f->digest;
    return NULL;
}

int cli_sign_request(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, int64_t created, char *h_input, char *h_sig,
                     char *h_digest, size_t cap)
{
    const char *comps[5] = {"@method", "@authority", "@path"};
    size_t n = 3;
    const char *p = strstr(url, "://"), *path, *q;
    char authority[256], pathbuf[1024], query[1024], keyid[80], nonce[33], in[1024], sig[256];
    uint8_t rnd[16];
    fields f = {authority, NULL, NULL};
    wl_httpsig_req req;

    p = p ? p + 3 : url;
    path = p + strcspn(p, "/");
    snprintf(authority, sizeof authority, "%.*s", (int)(path - p), p);
    q = strchr(path, '?');
    snprintf(pathbuf, sizeof pathbuf, "%.*s", (int)(q ? (size_t)(q - path) : strlen(path)), path);
    snprintf(query, sizeof query, "%s", q ? q : "");
    if (q)
        comps[n++] = "@query";
    h_digest[0] = '\0';
    if (body && len) {
        char d[64];
        wl_content_digest(body, len, d, sizeof d);
        snprintf(h_digest, cap, "Content-Digest: %s", d);
        f.digest = h_digest + strlen("Content-Digest: ");
        comps[n++] = "content-digest";
    }
    snprintf(keyid, sizeof keyid, "%s/%08x", kf->member,
             (unsigned)wl_entry_key_id(kf->member, kf->key.pk));
    randombytes_buf(rnd, sizeof rnd);
    wl_hex_encode(rnd, sizeof rnd, nonce);
    req = (wl_httpsig_req){method, authority, pathbuf, q ? query : NULL, field, &f};
    if (wl_httpsig_sign(&req, "willing", comps, n, created, keyid, nonce, NULL, &kf->key, in,
                        sizeof in, sig, sizeof sig) != WL_OK)
        return -1;
    snprintf(h_input, cap, "Signature-Input: %s", in);
    snprintf(h_sig, cap, "Signature: %s", sig);
    return 0;
}

long cli_signed_http(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap)
{
    char h1[1100], h2[400], h3[128];
    const char *headers[4];
    size_t k = 0;
    if (cli_sign_request(method, url, body, len, kf, (int64_t)time(NULL), h1, h2, h3, sizeof h1) !=
        0) {
        snprintf(err, errcap, "cannot sign the request");
        return 0;
    }
    headers[k++] = h1;
    headers[k++] = h2;
    if (h3[0])
        headers[k++] = h3;
    headers[k] = NULL;
    return cli_http_h(method, url, body ? "application/json" : NULL, body, len, headers, out, err,
                      errcap);
}

int cli_member_key(const char *cmd, const char *path, wl_keyfile *kf)
{
    if (wl_crypto_init() != WL_OK || wl_keyfile_read(path, kf) != WL_OK || !kf->member[0]) {
        fprintf(stderr,
                "willing %s: cannot read %s, or it names no member (willing keygen "
                "--member ID)\n",
                cmd, path);
        return -1;
    }
    return 0;
}
