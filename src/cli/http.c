/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's HTTP client (libcurl) and file helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sys/stat.h>

#include "cli.h"

#define CLI_RESPONSE_MAX (64u * 1024u * 1024u)

bool cli_json;

static size_t on_data(char *p, size_t sz, size_t n, void *ctx)
{
    return wl_buf_append(ctx, p, sz * n, CLI_RESPONSE_MAX) == WL_OK ? sz * n : 0;
}

long cli_http(const char *method, const char *url, const char *ctype, const char *body, size_t len,
              cli_buf *out, char *err, size_t errcap)
{
    return cli_http_h(method, url, ctype, body, len, NULL, out, err, errcap);
}

long cli_http_h(const char *method, const char *url, const char *ctype, const char *body,
                size_t len, const char *const *headers, cli_buf *out, char *err, size_t errcap)
{
    static CURL *c; /* one handle: keep-alive across calls */
    struct curl_slist *h = NULL;
    char ebuf[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode rc;

    if (c == NULL) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        c = curl_easy_init();
        if (c == NULL) {
            snprintf(err, errcap, "cannot start libcurl");
            return 0;
        }
    }
    curl_easy_reset(c);
    out->len = 0;
    if (out->buf)
        out->buf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    for (size_t i = 0; headers && headers[i]; i++)
        h = curl_slist_append(h, headers[i]);
    if (strcmp(method, "POST") == 0) {
        char hdr[128];
        snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype ? ctype : "application/json");
        h = curl_slist_append(h, hdr);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (h)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(err, errcap, "%s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(rc));
    curl_slist_free_all(h);
    return status;
}

void cli_buf_free(cli_buf *b)
{
    wl_buf_free(b);
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf;
    size_t n;
    if (f == NULL)
        return NULL;
    buf = malloc(max + 2);
    if (buf == NULL) {
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    n = fread(buf, 1, max + 1, f);
    if (f != stdin)
        fclose(f);
    if (n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void cli_base_url(const char *url, char *out, size_t cap)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    snprintf(out, cap, "%.*s", (int)n, url);
}

const char *cli_answer_message(long status, const cli_buf *b, const char *err, char *out,
                               size_t cap)
{
    json_t *o;
    const char *m;
    if (status == 0) {
        snprintf(out, cap, "%s", err);
        return out;
    }
    o = json_loads(b->buf ? b->buf : "", 0, NULL);
    m = json_string_value(json_object_get(o, "message"));
    snprintf(out, cap, "%s", m ? m : (b->buf && b->buf[0] ? b->buf : "refused"));
    json_decref(o);
    return out;
}

void cli_state_dir(const char *sub, char *out, size_t cap)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char d[2048];
    if (xdg && xdg[0])
        snprintf(d, sizeof d, "%s/willing", xdg);
    else
        snprintf(d, sizeof d, "%s/.local/state/willing", home ? home : ".");
    /* mkdir -p, mode 0700: what is kept here is for this user only */
    for (char *p = d + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(d, 0700);
            *p = '/';
        }
    mkdir(d, 0700);
    if (sub) {
        snprintf(out, cap, "%s/%s", d, sub);
        mkdir(out, 0700);
    } else {
        snprintf(out, cap, "%s", d);
    }
}

int cli_usage(FILE *f, const char *group, const cli_sub *subs, size_t n, const char *sub,
              const char *notes)
{
    int one = 0;
    for (size_t i = 0; sub && i < n; i++)
        if (strcmp(subs[i].name, sub) == 0) {
            fprintf(f, "usage: willing %s %s\n\n%s%s", group, subs[i].synopsis,
                    subs[i].about ? subs[i].about : "", subs[i].about ? "\n" : "");
            one = 1;
        }
    for (size_t i = 0; !one && i < n; i++)
        fprintf(f, "%s willing %s %s\n", i ? "      " : "usage:", group, subs[i].synopsis);
    if (!one) {
        fputc('\n', f);
        fputs(notes, f);
    }
    return f == stdout ? 0 : 2;
}
