/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing whoami`: sends a request signed with an officer's key (RFC 9421,
 * willing's profile: "@method", "@authority", "@path", created, a fresh
 * nonce, keyid "<member>/<key ID>") and prints who the log says it is.
 * --print-headers writes the signed header lines instead of sending them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "willing/entry.h"

static int usage(FILE *f)
{
    fprintf(f, "usage: willing whoami --server URL --key FILE [--print-headers] [--created T]\n"
               "\n"
               "Signs GET /api/v1/whoami with the key (RFC 9421 HTTP Message Signatures) and\n"
               "prints the member, role and key scope the log finds for it.\n"
               "\n"
               "  --print-headers  print the signed header lines instead of sending them\n"
               "  --created T      sign as of unix time T (default: now)\n");
    return f == stdout ? 0 : 2;
}

int cli_whoami(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},  {"key", required_argument, NULL, 'k'},
        {"print-headers", no_argument, NULL, 'p'}, {"created", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *server = NULL, *keyp = NULL;
    bool print = false;
    int64_t created = (int64_t)time(NULL);
    char base[1024], url[1300], h1[1100], h2[1100], h3[128], err[512];
    const char *headers[3];
    wl_keyfile kf;
    cli_buf b = {0};
    long st;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
            break;
        case 'p':
            print = true;
            break;
        case 'c':
            created = strtoll(optarg, NULL, 10);
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (!server || !keyp || optind != argc)
        return usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (cli_member_key("whoami", keyp, &kf) != 0)
        return 1;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/whoami", base);
    if (cli_sign_request("GET", url, NULL, 0, &kf, created, h1, h2, h3, sizeof h1) != 0) {
        wl_key_wipe(&kf.key);
        return 1;
    }
    wl_key_wipe(&kf.key);
    if (print) {
        printf("%s\n%s\n", h1, h2);
        return 0;
    }
    headers[0] = h1;
    headers[1] = h2;
    headers[2] = NULL;
    st = cli_http_h("GET", url, NULL, NULL, 0, headers, &b, err, sizeof err);
    if (st == 0) {
        fprintf(stderr, "willing whoami: %s\n", err);
        return 1;
    }
    printf("%s\n", b.buf ? b.buf : "");
    cli_buf_free(&b);
    return st == 200 ? 0 : 1;
}
