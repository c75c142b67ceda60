/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Part of the CLI's shared layer (cli.h): many entries signed and posted in
 * one POST /api/v1/entries:batch, all stored or none, for the importers
 * (willing reference import-kiel, willing flows import-csv). A refusal names
 * the entry the server refused. docs/internals/cli.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

/* cli_post_batch with each body's kind: kinds[i], or kind for every one when kinds is NULL. */
static int post_batch(const char *cmd, const char *server, const wl_keyfile *kf, const char *kind,
                      const char *const *kinds, const json_t *bodies, json_t **answer)
{
    char origin[WL_ORIGIN_MAX + 1], url[2048], err[512];
    const size_t n = json_array_size(bodies);
    const uint64_t seq = cli_now_us();
    const int64_t now = (int64_t)time(NULL);
    wl_buf req = {0};
    cli_buf resp = {0};
    char *entry = NULL, *b64 = NULL;
    size_t elen = 0;
    long st;
    int ret = 1;

    *answer = NULL;
    if (n == 0 || n > WL_BATCH_MAX) {
        fprintf(stderr, "willing %s: 1 to %u entries go in one batch, not %zu\n", cmd, WL_BATCH_MAX,
                n);
        return 1;
    }
    if (cli_fetch_origin(server, origin, sizeof origin) != 0)
        return 1;
    if (wl_buf_append(&req, "{\"entries\":[", 12, WL_BODY_MAX_BATCH) != WL_OK)
        goto too_large;
    for (size_t i = 0; i < n; i++) {
        /* serialised once, and not parsed back: the body is checked on its tree */
        if (wl_entry_build_json(origin, kinds ? kinds[i] : kind, kf->member, seq + i, now,
                                json_array_get(bodies, i), &kf->key, &entry, &elen) != WL_OK) {
            fprintf(stderr, "willing %s: entry %zu cannot be built: at most %u bytes\n", cmd, i + 1,
                    WL_ENTRY_MAX);
            goto out;
        }
        if ((b64 = malloc(wl_b64_len(elen) + 1)) == NULL)
            goto out;
        wl_b64_encode((const uint8_t *)entry, elen, b64);
        if ((i && wl_buf_append(&req, ",", 1, WL_BODY_MAX_BATCH) != WL_OK) ||
            wl_buf_append(&req, "\"", 1, WL_BODY_MAX_BATCH) != WL_OK ||
            wl_buf_append(&req, b64, strlen(b64), WL_BODY_MAX_BATCH) != WL_OK ||
            wl_buf_append(&req, "\"", 1, WL_BODY_MAX_BATCH) != WL_OK)
            goto too_large;
        wl_free(entry);
        free(b64);
        entry = b64 = NULL;
    }
    if (wl_buf_append(&req, "]}", 2, WL_BODY_MAX_BATCH) != WL_OK)
        goto too_large;
    cli_url(server, "/api/v1/entries:batch", url, sizeof url);
    st = cli_http("POST", url, "application/json", req.buf, req.len, &resp, err, sizeof err);
    if (st != 200 && st != 201) {
        json_t *o = json_loadb(resp.buf ? resp.buf : "", resp.len, 0, NULL);
        json_t *pos = json_object_get(o, "position");
        if (json_is_integer(pos))
            fprintf(stderr, "willing %s: entry %lld of %zu refused (%ld %s), so none is stored:\n",
                    cmd, (long long)json_integer_value(pos) + 1, n, st, cli_str(o, "error", "?"));
        json_decref(o);
        cli_refused(cmd, st, &resp, err);
        goto out;
    }
    if ((*answer = json_loadb(resp.buf, resp.len, 0, NULL)) == NULL) {
        fprintf(stderr, "willing %s: the server's answer is not JSON\n", cmd);
        goto out;
    }
    ret = 0;
    goto out;
too_large:
    fprintf(stderr,
            "willing %s: the batch passes %u bytes (WL_BODY_MAX_BATCH), the most one request "
            "carries: import the file in smaller parts\n",
            cmd, WL_BODY_MAX_BATCH);
out:
    wl_free(entry);
    free(b64);
    wl_buf_free(&req);
    cli_buf_free(&resp);
    return ret;
}

int cli_post_batch(const char *cmd, const char *server, const wl_keyfile *kf, const char *kind,
                   const json_t *bodies, json_t **answer)
{
    return post_batch(cmd, server, kf, kind, NULL, bodies, answer);
}

int cli_post_batch_kinds(const char *cmd, const char *server, const wl_keyfile *kf,
                         const char *const *kinds, const json_t *bodies, json_t **answer)
{
    return post_batch(cmd, server, kf, NULL, kinds, bodies, answer);
}

int cli_import_verdict(const char *cmd, const char *path, const wl_import_bad *bad, size_t nbad,
                       size_t ngood, bool skip_bad)
{
    for (size_t i = 0; i < nbad; i++)
        fprintf(stderr, "%s:%zu: %s\n", path, bad[i].line, bad[i].why);
    if (nbad && !skip_bad) {
        fprintf(stderr,
                "willing %s: nothing sent: %zu of %zu rows are bad (--skip-bad sends the good "
                "ones)\n",
                cmd, nbad, nbad + ngood);
        return 1;
    }
    if (ngood == 0) {
        fprintf(stderr, "willing %s: nothing sent: no good row\n", cmd);
        return 1;
    }
    return -1;
}

int cli_import_sent(const char *cmd, int ret, size_t nbad)
{
    if (ret != 0 || nbad == 0)
        return ret;
    fprintf(stderr, "willing %s: %zu bad rows left out (listed above)\n", cmd, nbad);
    return 2;
}

int cli_import_opt(void *ctx, int ch, const char *arg)
{
    cli_import_opts *o = ctx;
    if (ch == 's')
        o->skip_bad = true;
    else
        o->arg = arg;
    return CLI_GO;
}

int cli_import_send(const char *cmd, const cli_common *c, const char *kind, const json_t *bodies,
                    const char *what, const char *path, const char *hex)
{
    json_t *answer = NULL, *ents;
    wl_keyfile kf;
    int ret;
    if (cli_member_key(cmd, c->key, &kf) != 0)
        return 1;
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "willing %s: every row checked, sending %zu entries\n", cmd,
                json_array_size(bodies));
    ret = cli_post_batch(cmd, c->server, &kf, kind, bodies, &answer);
    wl_key_wipe(&kf.key);
    if (ret == 0 && c->json) {
        char *t = json_dumps(answer, JSON_COMPACT);
        printf("%s\n", t ? t : "{}");
        free(t);
    } else if (ret == 0) {
        ents = json_object_get(answer, "entries");
        printf("imported %s from %s (SHA-256 %s) in %zu %s entries, indexes %lld to %lld\n", what,
               path, hex, json_array_size(ents), kind,
               (long long)json_integer_value(json_object_get(json_array_get(ents, 0), "index")),
               (long long)json_integer_value(
                   json_object_get(json_array_get(ents, json_array_size(ents) - 1), "index")));
    }
    json_decref(answer);
    return ret;
}
