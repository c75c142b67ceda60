/* SPDX-License-Identifier: Apache-2.0 */
/* `willing get`, `willing prove` and `willing checkpoint`: read from a running log. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/proof.h"

static int simple_get(const char *cmd, const char *server, const char *path, bool json_err)
{
    char base[1024], url[1200], err[512];
    cli_buf b = {0};
    long st;
    (void)json_err;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s%s", base, path);
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

static int parse_common(int argc, char **argv, const char *usage, const char **server,
                        bool *json_out, bool *raw)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"raw", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            *server = optarg;
            break;
        case 'j':
            *json_out = true;
            break;
        case 'r':
            *raw = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (*server == NULL) {
        fputs(usage, stderr);
        return 2;
    }
    return -1;
}

int cli_get(int argc, char **argv)
{
    static const char usage[] =
        "usage: willing get --server URL INDEX [--json | --raw]\n"
        "\n"
        "Prints the entry at INDEX: its note text (default), the API's JSON (--json),\n"
        "or the exact bytes (--raw).\n";
    const char *server = NULL;
    bool json_out = false, raw = false;
    char base[1024], url[1200], err[512];
    cli_buf b = {0};
    json_t *o;
    long st;
    int r = parse_common(argc, argv, usage, &server, &json_out, &raw);
    if (r >= 0)
        return r;
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/entries/%s", base, argv[optind]);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200) {
        char mbuf[512];
        fprintf(stderr, "willing get: %s\n", cli_answer_message(st, &b, err, mbuf, sizeof mbuf));
        cli_buf_free(&b);
        return 1;
    }
    if (json_out) {
        printf("%s\n", b.buf);
        cli_buf_free(&b);
        return 0;
    }
    o = json_loads(b.buf, 0, NULL);
    {
        const char *e = json_string_value(json_object_get(o, "entry"));
        size_t n = 0;
        uint8_t *buf = e ? malloc(strlen(e)) : NULL;
        if (buf == NULL || wl_b64_decode(e, strlen(e), buf, strlen(e), &n) != WL_OK) {
            fprintf(stderr, "willing get: the server's answer is malformed\n");
            free(buf);
            json_decref(o);
            cli_buf_free(&b);
            return 1;
        }
        fwrite(buf, 1, n, stdout);
        free(buf);
    }
    json_decref(o);
    cli_buf_free(&b);
    return 0;
}

int cli_prove(int argc, char **argv)
{
    static const char usage[] =
        "usage: willing prove --server URL INDEX\n"
        "       willing prove --check PROOF --vkey KEY [--witness VKEY]... ENTRYFILE\n"
        "\n"
        "Prints a C2SP tlog-proof for the entry at INDEX: its inclusion proof in the\n"
        "latest published checkpoint, with the checkpoint and its cosignatures. Save it\n"
        "as a .tlog-proof file: it proves the entry offline. --check verifies such a\n"
        "file against the entry's exact bytes (willing get --raw), offline: the\n"
        "checkpoint's signature by the log (KEY), each --witness's cosignature, and the\n"
        "inclusion.\n";
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'}, {"check", required_argument, NULL, 'c'},
        {"vkey", required_argument, NULL, 'k'},   {"witness", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *check = NULL;
    wl_vkey keys[17];
    uint64_t times[17], index = 0;
    size_t nkeys = 1;
    int ch, have_key = 0;
    char path[128];

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'c':
            check = optarg;
            break;
        case 'k':
            if (wl_vkey_parse(optarg, strlen(optarg), &keys[0]) != WL_OK ||
                keys[0].type != WL_SIGTYPE_ED25519) {
                fprintf(stderr, "willing prove: --vkey is not an Ed25519 verifier key\n");
                return 2;
            }
            have_key = 1;
            break;
        case 'w':
            if (nkeys >= 17 || wl_vkey_parse(optarg, strlen(optarg), &keys[nkeys]) != WL_OK ||
                keys[nkeys].type != WL_SIGTYPE_COSIG_V1) {
                fprintf(stderr, "willing prove: --witness wants a cosignature verifier key\n");
                return 2;
            }
            nkeys++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (check) {
        char *proof, *entry, why[256];
        size_t plen = 0, elen = 0;
        wl_rc rc;
        if (!have_key || optind != argc - 1) {
            fputs(usage, stderr);
            return 2;
        }
        proof = cli_read_file(check, 1 << 20, &plen);
        entry = cli_read_file(argv[optind], WL_ENTRY_MAX, &elen);
        if (proof == NULL || entry == NULL) {
            fprintf(stderr, "willing prove: cannot read %s or %s\n", check, argv[optind]);
            free(proof);
            free(entry);
            return 1;
        }
        rc = wl_tlog_proof_verify(proof, plen, entry, elen, keys, nkeys, &index, times, why,
                                  sizeof why);
        free(proof);
        free(entry);
        if (rc != WL_OK) {
            fprintf(stderr, "willing prove: FAIL: %s\n", why);
            return 1;
        }
        printf("OK: the entry is at index %llu of %s", (unsigned long long)index, keys[0].name);
        for (size_t i = 1; i < nkeys; i++)
            printf(", cosigned by %s at %llu", keys[i].name, (unsigned long long)times[i]);
        printf("\n");
        return 0;
    }
    if (server == NULL || optind != argc - 1 ||
        strspn(argv[optind], "0123456789") != strlen(argv[optind])) {
        fputs(usage, stderr);
        return 2;
    }
    snprintf(path, sizeof path, "/api/v1/entries/%s/proof", argv[optind]);
    return simple_get("prove", server, path, false);
}

int cli_checkpoint(int argc, char **argv)
{
    static const char usage[] = "usage: willing checkpoint --server URL\n"
                                "\n"
                                "Prints the log's latest checkpoint, with its cosignatures.\n";
    const char *server = NULL;
    bool json_out = false, raw = false;
    int r = parse_common(argc, argv, usage, &server, &json_out, &raw);
    if (r >= 0)
        return r;
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    return simple_get("checkpoint", server, "/log/checkpoint", false);
}
