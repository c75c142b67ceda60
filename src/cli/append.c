/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing append` and `willing seal`: the ledger's own writes, for any kind.
 * append builds an entry, signs it with a key file and POSTs it to a running
 * log (or, with --output, writes it for posting later). The seq defaults to
 * the current time in microseconds (gaps are allowed); pass --seq to make a
 * retry send the same bytes and get the same index back. seal seals content
 * of any kind with a raw JSON body, for scripts (`willing pledge` checks a
 * pledge first). Both go through common.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

typedef struct {
    const char *kind, *body, *author, *origin, *output;
    uint64_t seq;
    bool have_seq;
} append_opts;

static int append_opt(void *ctx, int ch, const char *arg)
{
    append_opts *a = ctx;
    switch (ch) {
    case 'K':
        a->kind = arg;
        break;
    case 'b':
        a->body = arg;
        break;
    case 'a':
        a->author = arg;
        break;
    case 'q':
        if (wl_parse_u64(arg, strlen(arg), &a->seq) != WL_OK) {
            fprintf(stderr, "willing append: --seq must be a decimal number\n");
            return 2;
        }
        a->have_seq = true;
        break;
    case 'o':
        a->origin = arg;
        break;
    case 'O':
        a->output = arg;
        break;
    }
    return CLI_GO;
}

static int run_append(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'K'},
        {"body", required_argument, NULL, 'b'},
        {"author", required_argument, NULL, 'a'},
        {"seq", required_argument, NULL, 'q'},
        {"origin", required_argument, NULL, 'o'},
        {"output", required_argument, NULL, 'O'},
        {NULL, 0, NULL, 0},
    };
    append_opts a = {0};
    cli_common c;
    const char *who, *body;
    char *filebody = NULL;
    wl_keyfile kf;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, append_opt, &a,
                         &c)) != CLI_GO)
        return ret;
    if ((!c.server && !(a.origin && a.output)) || !c.key || !a.kind || !a.body || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    body = a.body;
    if (body[0] == '@') {
        size_t n = 0;
        filebody = cli_read_file(body + 1, WL_ENTRY_MAX, &n);
        if (filebody == NULL) {
            fprintf(stderr, "willing append: cannot read %s (at most %u bytes)\n", body + 1,
                    WL_ENTRY_MAX);
            return 1;
        }
        while (n > 0 && (filebody[n - 1] == '\n' || filebody[n - 1] == '\r'))
            filebody[--n] = '\0';
        body = filebody;
    }
    if (cli_entry_key(c.key, a.author, &kf, &who) != 0) {
        free(filebody);
        return 1;
    }
    ret = cli_post_entry(c.server, &kf, who, a.kind, body, a.have_seq ? a.seq : cli_now_us(),
                         c.json, a.origin, a.output);
    wl_key_wipe(&kf.key);
    free(filebody);
    return ret;
}

static const cli_cmd append_cmd = {
    NULL, "append",
    "--server URL --key FILE --kind KIND --body JSON|@FILE\n"
    "                      [--author ID] [--seq N] [--json]\n"
    "       willing append --origin NAME --output FILE --key FILE --kind KIND ...",
    "Signs an entry with FILE and appends it to the log at URL. The body is one\n"
    "line of JSON (an object), given inline or read from @FILE (- for stdin).\n"
    "Kinds: statement, member.add, key.add, key.revoke, member.status, sealed,\n"
    "announce. Members and keys (member.add, key.add, key.revoke,\n"
    "member.status) change only with a key of scope sign; a console key writes\n"
    "the rest; a login key writes nothing.\n"
    "\n"
    "  --author ID   the member signing (default: the Member: line of the key file)\n"
    "  --seq N       the author's sequence number (default: time in microseconds);\n"
    "                the same entry sent again returns its first index\n"
    "  --json        print the server's JSON answer\n"
    "  --output FILE sign only: write the entry (a signed note) to FILE (- for\n"
    "                stdout) instead of posting it; for signing offline, with\n"
    "                --origin NAME giving the log's origin\n",
    run_append};

int cli_append(int argc, char **argv)
{
    return append_cmd.run(&append_cmd, argc, argv);
}

typedef struct {
    const char *kind, *body;
} seal_opts;

static int seal_opt(void *ctx, int ch, const char *arg)
{
    seal_opts *s = ctx;
    if (ch == 'K')
        s->kind = arg;
    else
        s->body = arg;
    return CLI_GO;
}

static int run_seal(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'K'},
        {"body", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    seal_opts s = {0};
    cli_common c;
    json_error_t jerr;
    json_t *body;
    wl_keyfile kf;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, seal_opt, &s,
                         &c)) != CLI_GO)
        return ret;
    if (!c.server || !c.key || !s.kind || !s.body || optind != argc)
        return cli_cmd_usage(stderr, self);
    if ((body = json_loads(s.body, 0, &jerr)) == NULL) {
        fprintf(stderr, "willing seal: the body is not JSON: %s\n", jerr.text);
        return 2;
    }
    if (cli_member_key("seal", c.key, &kf) != 0) {
        json_decref(body);
        return 1;
    }
    ret = cli_seal(c.server, &kf, s.kind, body, "");
    wl_key_wipe(&kf.key);
    json_decref(body);
    return ret;
}

static const cli_cmd seal_cmd = {
    NULL, "seal", "--server URL --key FILE --kind KIND --body JSON [--json]",
    "Seals content of any kind with the body as given, unchecked here: the log\n"
    "checks it (for scripts and tests; `willing pledge` checks first).\n",
    run_seal};

int cli_seal_raw(int argc, char **argv)
{
    return seal_cmd.run(&seal_cmd, argc, argv);
}
