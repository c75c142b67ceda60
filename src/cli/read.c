/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ledger's reads (docs/internals/cli.md): `willing get`, `willing prove`
 * (and `prove --check`, offline) and `willing checkpoint`, from a running log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/proof.h"

/* GETs server+path and prints the answer's bytes; exit code. */
static int simple_get(const char *cmd, const char *server, const char *path)
{
    char url[2048], err[512];
    cli_buf b = {0};
    long st;
    cli_url(server, path, url, sizeof url);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st == 0) {
        fprintf(stderr, "willing %s: %s\n", cmd, err);
        return 1;
    }
    if (st != 200) {
        json_t *o = json_loads(b.buf ? b.buf : "", 0, NULL);
        const char *msg = json_string_value(json_object_get(o, "message"));
        fprintf(stderr, "willing %s: %ld: %s\n", cmd, st, msg ? msg : (b.buf ? b.buf : ""));
        json_decref(o);
        cli_buf_free(&b);
        return 1;
    }
    fwrite(b.buf, 1, b.len, stdout);
    cli_buf_free(&b);
    return 0;
}

static int get_opt(void *ctx, int ch, const char *arg)
{
    (void)arg;
    *(bool *)ctx = ch == 'r';
    return CLI_GO;
}

static int run_get(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"raw", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    bool raw = false;
    char path[128];
    cli_common c;
    json_t *o = NULL;
    char *e = NULL;
    size_t n = 0;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, get_opt, &raw, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || optind != argc - 1 || strlen(argv[optind]) > 24)
        return cli_cmd_usage(stderr, self);
    snprintf(path, sizeof path, "/api/v1/entries/%s", argv[optind]);
    if (c.json) {
        cli_buf b = {0};
        if ((ret = cli_get_json("get", c.server, path, NULL, &o, &b)) == 0)
            printf("%s\n", b.buf);
        cli_buf_free(&b);
        json_decref(o);
        return ret;
    }
    if (cli_get_json("get", c.server, path, NULL, &o, NULL) != 0)
        return 1;
    e = cli_b64_decode(json_string_value(json_object_get(o, "entry")), &n);
    if (e == NULL) {
        fprintf(stderr, "willing get: the server's answer is malformed\n");
        ret = 1;
    } else {
        fwrite(e, 1, n, stdout);
        ret = 0;
    }
    free(e);
    json_decref(o);
    return ret;
}

static const cli_cmd get_cmd = {
    NULL, "get", "--server URL INDEX [--json | --raw]",
    "Prints the entry at INDEX: its note text (default), the API's JSON (--json),\n"
    "or the exact bytes (--raw).\n",
    run_get};

int cli_get(int argc, char **argv)
{
    return get_cmd.run(&get_cmd, argc, argv);
}

typedef struct {
    const char *check;
    wl_vkey keys[1 + WL_CLI_WITNESSES_MAX];
    size_t nkeys;
    long quorum; /* -1: all the witnesses given */
    bool have_key;
} prove_opts;

static int prove_opt(void *ctx, int ch, const char *arg)
{
    prove_opts *p = ctx;
    if (ch == 'c') {
        p->check = arg;
    } else if (ch == 'k') {
        if (wl_vkey_parse(arg, strlen(arg), &p->keys[0]) != WL_OK ||
            p->keys[0].type != WL_SIGTYPE_ED25519) {
            fprintf(stderr, "willing prove: --vkey is not an Ed25519 verifier key\n");
            return 2;
        }
        p->have_key = true;
    } else if (ch == 'w') {
        if (p->nkeys > WL_CLI_WITNESSES_MAX ||
            wl_vkey_parse(arg, strlen(arg), &p->keys[p->nkeys]) != WL_OK ||
            p->keys[p->nkeys].type != WL_SIGTYPE_COSIG_V1) {
            fprintf(stderr, "willing prove: --witness wants a cosignature verifier key\n");
            return 2;
        }
        p->nkeys++;
    } else if (ch == 'q') {
        if ((p->quorum = cli_quorum_parse("prove", arg)) < 0)
            return 2;
    }
    return CLI_GO;
}

/* prove --check: the proof file against the entry file, offline; exit code. */
static int prove_check(const prove_opts *p, const char *entryfile)
{
    char *proof, *entry, why[256];
    size_t plen = 0, elen = 0;
    uint64_t times[1 + WL_CLI_WITNESSES_MAX], index = 0;
    int ret = 1;
    proof = cli_read_file(p->check, WL_CLI_PROOF_MAX, &plen);
    entry = cli_read_file(entryfile, WL_ENTRY_MAX, &elen);
    if (proof == NULL || entry == NULL) {
        fprintf(stderr, "willing prove: cannot read %s or %s\n", p->check, entryfile);
        goto out;
    }
    if (p->quorum > (long)p->nkeys - 1) {
        fprintf(stderr, "willing prove: --quorum %ld is more than the %zu --witness keys given\n",
                p->quorum, p->nkeys - 1);
        ret = 2;
        goto out;
    }
    if (wl_tlog_proof_verify(proof, plen, entry, elen, p->keys, p->nkeys,
                             p->quorum < 0 ? p->nkeys - 1 : (size_t)p->quorum, &index, times, why,
                             sizeof why) != WL_OK) {
        fprintf(stderr, "willing prove: FAIL: %s\n", why);
        goto out;
    }
    printf("OK: the entry is at index %llu of %s", (unsigned long long)index, p->keys[0].name);
    for (size_t i = 1; i < p->nkeys; i++)
        if (times[i])
            printf(", cosigned by %s at %llu", p->keys[i].name, (unsigned long long)times[i]);
    printf("\n");
    ret = 0;
out:
    free(proof);
    free(entry);
    return ret;
}

static int run_prove(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"check", required_argument, NULL, 'c'},
        {"vkey", required_argument, NULL, 'k'},
        {"witness", required_argument, NULL, 'w'},
        {"quorum", required_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    prove_opts p;
    char path[128];
    cli_common c;
    int ret;

    memset(&p, 0, sizeof p);
    p.nkeys = 1;
    p.quorum = -1;
    if ((ret = cli_parse(self, argc, argv, CLI_SERVER, opts, prove_opt, &p, &c)) != CLI_GO)
        return ret;
    if (p.check)
        return p.have_key && optind == argc - 1 ? prove_check(&p, argv[optind])
                                                : cli_cmd_usage(stderr, self);
    if (c.server == NULL || optind != argc - 1 || strlen(argv[optind]) > 24 ||
        strspn(argv[optind], "0123456789") != strlen(argv[optind]))
        return cli_cmd_usage(stderr, self);
    snprintf(path, sizeof path, "/api/v1/entries/%s/proof", argv[optind]);
    return simple_get("prove", c.server, path);
}

static const cli_cmd prove_cmd = {
    NULL, "prove",
    "--server URL INDEX\n"
    "       willing prove --check PROOF --vkey KEY [--witness VKEY]... [--quorum K] ENTRYFILE",
    "Prints a C2SP tlog-proof for the entry at INDEX: its inclusion proof in the\n"
    "latest published checkpoint, with the checkpoint and its cosignatures. Save it\n"
    "as a .tlog-proof file: it proves the entry offline. --check verifies such a\n"
    "file against the entry's exact bytes (willing get --raw), offline: the\n"
    "checkpoint's signature by the log (KEY), the --witness keys' cosignatures (at\n"
    "least K valid of them with --quorum K; all of them by default), and the\n"
    "inclusion.\n",
    run_prove};

int cli_prove(int argc, char **argv)
{
    return prove_cmd.run(&prove_cmd, argc, argv);
}

static int run_checkpoint(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    int ret = cli_parse(self, argc, argv, CLI_SERVER, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    return simple_get("checkpoint", c.server, "/log/checkpoint");
}

static const cli_cmd checkpoint_cmd = {
    NULL, "checkpoint", "--server URL",
    "Prints the log's latest checkpoint, with its cosignatures.\n", run_checkpoint};

int cli_checkpoint(int argc, char **argv)
{
    return checkpoint_cmd.run(&checkpoint_cmd, argc, argv);
}
