/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Documents by hash, for every command that sends or fetches one (`willing
 * blob`, the deal's text and annexes): a blob uploaded with a signed PUT
 * /api/v1/blobs/HASH, and one downloaded and checked against its hash before
 * anything keeps it. docs/internals/deal.md ("Blobs").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"

int cli_blob_put(const char *cmd, const char *server, const wl_keyfile *kf, const char *bytes,
                 size_t n, const char *media, bool pub, char hex[65], json_t **answer)
{
    uint8_t h[32];
    char url[2048], path[128], err[512];
    cli_buf b = {0};
    long st;
    int ret = 1;

    if (answer)
        *answer = NULL;
    wl_sha256(bytes ? bytes : "", n, h);
    wl_hex_encode(h, 32, hex);
    snprintf(path, sizeof path, "/api/v1/blobs/%s%s", hex, pub ? "?public=1" : "");
    cli_url(server, path, url, sizeof url);
    st = cli_signed_http_ct("PUT", url, media ? media : "application/octet-stream", bytes, n, kf,
                            &b, err, sizeof err);
    if (st != 200 && st != 201) {
        cli_refused(cmd, st, &b, err);
        goto out;
    }
    if (answer && (*answer = json_loadb(b.buf ? b.buf : "", b.len, 0, NULL)) == NULL) {
        fprintf(stderr, "willing %s: the server's answer is not JSON\n", cmd);
        goto out;
    }
    ret = 0;
out:
    cli_buf_free(&b);
    return ret;
}

int cli_blob_put_file(const char *cmd, const char *server, const wl_keyfile *kf, const char *path,
                      const char *media, bool pub, char hex[65], json_t **answer)
{
    struct stat sb;
    size_t max = WL_BLOB_MAX_CEILING, n = 0;
    char *bytes;
    int ret;

    if (answer)
        *answer = NULL;
    hex[0] = '\0';
    /* a regular file is read at its size, never into a buffer of the ceiling */
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uint64_t)sb.st_size <= max)
        max = (size_t)sb.st_size;
    bytes = cli_read_file(path, max, &n);
    if (bytes == NULL) {
        fprintf(stderr,
                "willing %s: cannot read %s, or it is over %u bytes (WL_BLOB_MAX_CEILING)\n", cmd,
                path, WL_BLOB_MAX_CEILING);
        return 1;
    }
    ret = cli_blob_put(cmd, server, kf, bytes, n, media, pub, hex, answer);
    free(bytes); /* cli_read_file's */
    return ret;
}

int cli_blob_get(const char *cmd, const char *server, const wl_keyfile *kf, const char *hex,
                 cli_buf *out)
{
    uint8_t h[32];
    char url[2048], path[128], err[512], got[65];
    long st;

    if (!cli_hex_id(hex, 64)) {
        fprintf(stderr, "willing %s: a blob's hash is 64 lower-case hex digits\n", cmd);
        return 1;
    }
    snprintf(path, sizeof path, "/api/v1/blobs/%s", hex);
    cli_url(server, path, url, sizeof url);
    st = kf ? cli_signed_http("GET", url, NULL, 0, kf, out, err, sizeof err)
            : cli_http("GET", url, NULL, NULL, 0, out, err, sizeof err);
    if (st != 200) {
        cli_refused(cmd, st, out, err);
        cli_buf_free(out);
        return 1;
    }
    wl_sha256(out->buf ? out->buf : "", out->len, h);
    wl_hex_encode(h, 32, got);
    if (strcmp(got, hex) != 0) {
        fprintf(stderr,
                "willing %s: the server sent bytes whose SHA-256 is %s, not %s: nothing "
                "kept\n",
                cmd, got, hex);
        cli_buf_free(out);
        return 1;
    }
    return 0;
}
