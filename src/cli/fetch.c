/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing fetch --key FILE URL`: a GET (or, with --data, a POST) signed with
 * an officer's key on willing's RFC 9421 profile, for scripts: prints the
 * body; with --status, the HTTP status on the first line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int usage(FILE *f)
{
    fprintf(f,
            "usage: willing fetch --key FILE [--data JSON|@FILE] [--status] [--print-headers] URL\n"
            "\n"
            "Sends a request signed with the key (RFC 9421, willing's profile) and prints the\n"
            "answer's body. --data POSTs a JSON body (with its Content-Digest). Exits 0 on a\n"
            "2xx answer.\n");
    return f == stdout ? 0 : 2;
}

int cli_fetch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'}, {"data", required_argument, NULL, 'd'},
        {"status", no_argument, NULL, 's'},    {"print-headers", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    const char *keyp = NULL, *data = NULL;
    char *file = NULL, err[512];
    bool status = false, print = false;
    size_t len = 0;
    wl_keyfile kf;
    cli_buf b = {0};
    long st;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'k':
            keyp = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 's':
            status = true;
            break;
        case 'p':
            print = true;
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (!keyp || optind != argc - 1)
        return usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (data && data[0] == '@') {
        file = cli_read_file(data + 1, 16u << 20, &len);
        if (file == NULL) {
            fprintf(stderr, "willing fetch: cannot read %s\n", data + 1);
            return 1;
        }
        data = file;
    } else if (data) {
        len = strlen(data);
    }
    if (cli_member_key("fetch", keyp, &kf) != 0) {
        free(file);
        return 1;
    }
    if (print) {
        /* the signed header lines only, for a script to send (or replay) itself */
        char h1[1100], h2[400], h3[128];
        int r = cli_sign_request(data ? "POST" : "GET", argv[optind], data, len, &kf,
                                 (int64_t)time(NULL), h1, h2, h3, sizeof h1);
        wl_key_wipe(&kf.key);
        free(file);
        if (r != 0)
            return 1;
        printf("%s\n%s\n%s%s", h1, h2, h3, h3[0] ? "\n" : "");
        return 0;
    }
    st = cli_signed_http(data ? "POST" : "GET", argv[optind], data, len, &kf, &b, err, sizeof err);
    wl_key_wipe(&kf.key);
    free(file);
    if (st == 0) {
        fprintf(stderr, "willing fetch: %s\n", err);
        return 1;
    }
    if (status)
        printf("%ld\n", st);
    if (b.len)
        fwrite(b.buf, 1, b.len, stdout);
    printf("\n");
    cli_buf_free(&b);
    return st >= 200 && st < 300 ? 0 : 1;
}
