/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing blob put|get`: documents by the SHA-256 of their bytes, as the
 * deal's text and annexes are kept (docs/internals/deal.md, "Blobs"). put
 * uploads a file and prints its hash; get downloads one and checks it against
 * the hash asked for before writing a byte. The transport is blobio.c.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

typedef struct {
    const char *media, *out;
    bool pub;
} blob_opts;

static int blob_opt(void *ctx, int ch, const char *arg)
{
    blob_opts *o = ctx;
    if (ch == 'm')
        o->media = arg;
    else if (ch == 'o')
        o->out = arg;
    else if (ch == 'p')
        o->pub = true;
    return CLI_GO;
}

static int run_put(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"public", no_argument, NULL, 'p'},
                                         {"media", required_argument, NULL, 'm'},
                                         {NULL, 0, NULL, 0}};
    blob_opts o = {NULL, NULL, false};
    cli_common c;
    wl_keyfile kf;
    json_t *answer = NULL;
    char hex[65];
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, blob_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (o.media && strlen(o.media) > WL_BLOB_MEDIA_MAX) {
        fprintf(stderr, "willing blob put: --media is at most %u characters\n", WL_BLOB_MEDIA_MAX);
        return 2;
    }
    if (cli_member_key("blob put", c.key, &kf) != 0)
        return 1;
    ret = cli_blob_put_file("blob put", c.server, &kf, argv[optind], o.media, o.pub, hex, &answer);
    wl_key_wipe(&kf.key);
    if (ret == 0 && c.json)
        cli_print_json(answer);
    else if (ret == 0)
        printf("blob %s\n", hex);
    json_decref(answer);
    return ret;
}

static int run_get(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    blob_opts o = {NULL, NULL, false};
    cli_common c;
    wl_keyfile kf;
    cli_buf b = {0};
    FILE *f;
    char *args[64];
    int ret;
    /* -o is --output (the CLI's parser takes long options only) */
    if (argc >= (int)(sizeof args / sizeof args[0]))
        return cli_cmd_usage(stderr, self);
    for (int i = 0; i < argc; i++)
        args[i] = strcmp(argv[i], "-o") == 0 ? (char *)"--output" : argv[i];
    args[argc] = NULL;
    argv = args;
    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY, opts, blob_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (c.key && cli_member_key("blob get", c.key, &kf) != 0)
        return 1;
    ret = cli_blob_get("blob get", c.server, c.key ? &kf : NULL, argv[optind], &b);
    if (c.key)
        wl_key_wipe(&kf.key);
    if (ret != 0)
        return ret;
    f = o.out ? fopen(o.out, "wb") : stdout;
    if (f == NULL || fwrite(b.buf ? b.buf : "", 1, b.len, f) != b.len ||
        (f != stdout && fclose(f) != 0) || (f == stdout && fflush(f) != 0)) {
        fprintf(stderr, "willing blob get: cannot write %s\n", o.out ? o.out : "the output");
        ret = 1;
    }
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd subs[] = {
    {"blob", "put", "--server URL --key FILE [--public] [--media TYPE] [--json] FILE",
     "Uploads FILE as a blob, named by the SHA-256 of its bytes, and prints\n"
     "`blob HASH`. Private unless --public: its readers are its uploader, the\n"
     "coordinators and the operator, and the members an entry (a deal's\n"
     "version) names. --media TYPE: its media type (default\n"
     "application/octet-stream), served back as its Content-Type. The same file\n"
     "again changes nothing.\n",
     run_put},
    {"blob", "get", "--server URL [--key FILE] [-o|--output FILE] HASH",
     "Downloads blob HASH (a private one with --key, signed) and checks that its\n"
     "bytes' SHA-256 is HASH before writing them to FILE (default: standard\n"
     "output); bytes that do not match are never written.\n",
     run_get},
};

int cli_blob(int argc, char **argv)
{
    return cli_group(argc, argv, "blob", subs, sizeof subs / sizeof subs[0],
                     "Documents by hash: the deal's text and annexes, later the monitors'\n"
                     "evidence. Entries carry only their hashes.\n");
}
