/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CLI's transport (docs/internals/cli.md): HTTP requests through libcurl
 * (one handle per thread, kept alive across its calls and cleaned up when the
 * thread ends; answers read up to WL_CLI_ANSWER_MAX),
 * plain or signed on willing's RFC 9421 profile ("@method", "@authority",
 * "@path", "@query" when there is one, "content-digest" when there is a body;
 * created now, a fresh random nonce, keyid "<member>/<key ID>"). It calls
 * nothing else in src/cli.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "cli.h"
#include "willing/entry.h"
#include "willing/httpsig.h"

static size_t on_data(char *p, size_t sz, size_t n, void *ctx)
{
    return wl_buf_append(ctx, p, sz * n, WL_CLI_ANSWER_MAX) == WL_OK ? sz * n : 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t handle_key;
static bool started;

static void handle_end(void *c)
{
    curl_easy_cleanup(c);
}

static void start(void)
{
    started = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK &&
              pthread_key_create(&handle_key, handle_end) == 0;
}

/* This thread's handle: one per thread (a handle is not for two threads at once), kept alive
 * across its calls (keep-alive connections), cleaned up when the thread ends. */
static CURL *handle(void)
{
    CURL *c;
    pthread_once(&once, start);
    if (!started)
        return NULL;
    if ((c = pthread_getspecific(handle_key)) != NULL)
        return c;
    if ((c = curl_easy_init()) != NULL && pthread_setspecific(handle_key, c) != 0) {
        curl_easy_cleanup(c);
        c = NULL;
    }
    return c;
}

long cli_http(const char *method, const char *url, const char *ctype, const char *body, size_t len,
              cli_buf *out, char *err, size_t errcap)
{
    return cli_http_h(method, url, ctype, body, len, NULL, out, err, errcap);
}

long cli_http_h(const char *method, const char *url, const char *ctype, const char *body,
                size_t len, const char *const *headers, cli_buf *out, char *err, size_t errcap)
{
    CURL *c = handle();
    struct curl_slist *h = NULL;
    char ebuf[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode rc;

    if (errcap)
        err[0] = '\0';
    if (c == NULL) {
        snprintf(err, errcap, "cannot start libcurl");
        return 0;
    }
    curl_easy_reset(c);
    out->len = 0;
    if (out->buf)
        out->buf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, WL_CLI_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    for (size_t i = 0; headers && headers[i]; i++)
        h = curl_slist_append(h, headers[i]);
    if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
        char hdr[160];
        snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype ? ctype : "application/json");
        h = curl_slist_append(h, hdr);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        if (method[1] == 'U') /* a PUT: the body sent the same way */
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    }
    if (h)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else if (rc == CURLE_WRITE_ERROR)
        snprintf(err, errcap, "%s: the answer is larger than %u MiB (WL_CLI_ANSWER_MAX)", url,
                 WL_CLI_ANSWER_MAX >> 20);
    else
        snprintf(err, errcap, "%s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(rc));
    curl_slist_free_all(h);
    return status;
}

void cli_buf_free(cli_buf *b)
{
    wl_buf_free(b);
}

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

    h_input[0] = h_sig[0] = h_digest[0] = '\0';
    p = p ? p + 3 : url;
    path = p + strcspn(p, "/");
    q = strchr(path, '?');
    if ((size_t)(path - p) >= sizeof authority || strlen(path) >= sizeof pathbuf)
        return -1; /* a part cut would be signed cut: refuse instead */
    snprintf(authority, sizeof authority, "%.*s", (int)(path - p), p);
    snprintf(pathbuf, sizeof pathbuf, "%.*s", (int)(q ? (size_t)(q - path) : strlen(path)), path);
    snprintf(query, sizeof query, "%s", q ? q : "");
    if (q)
        comps[n++] = "@query";
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
                        sizeof in, sig, sizeof sig) != WL_OK ||
        (size_t)snprintf(h_input, cap, "Signature-Input: %s", in) >= cap ||
        (size_t)snprintf(h_sig, cap, "Signature: %s", sig) >= cap) {
        h_input[0] = h_sig[0] = h_digest[0] = '\0';
        return -1;
    }
    return 0;
}

long cli_signed_http(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap)
{
    return cli_signed_http_ct(method, url, body ? "application/json" : NULL, body, len, kf, out,
                              err, errcap);
}

long cli_signed_http_ct(const char *method, const char *url, const char *ctype, const char *body,
                        size_t len, const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap)
{
    char h1[CLI_HEADER_MAX], h2[CLI_HEADER_MAX], h3[CLI_HEADER_MAX];
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
    return cli_http_h(method, url, ctype, body, len, headers, out, err, errcap);
}
