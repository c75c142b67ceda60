/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing fetch --key FILE URL`: a GET (or, with --data, a POST; --method
 * PUT for a blob, --type its Content-Type) signed with an officer's key on willing's RFC 9421
 * profile, for scripts: prints the body; with --status, the HTTP status on the first line; with
 * --print-headers, the signed header lines instead of sending them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

typedef struct {
    const char *data, *method, *type;
    bool status, print;
} fetch_opts;

static int fetch_opt(void *ctx, int ch, const char *arg)
{
    fetch_opts *f = ctx;
    if (ch == 'd')
        f->data = arg;
    else if (ch == 'm')
        f->method = arg;
    else if (ch == 't')
        f->type = arg;
    else if (ch == 's')
        f->status = true;
    else
        f->print = true;
    return CLI_GO;
}

static int run_fetch(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},    {"status", no_argument, NULL, 's'},
        {"print-headers", no_argument, NULL, 'p'}, {"method", required_argument, NULL, 'm'},
        {"type", required_argument, NULL, 't'},    {NULL, 0, NULL, 0},
    };
    fetch_opts f = {NULL, NULL, NULL, false, false};
    char *file = NULL, err[512], h1[CLI_HEADER_MAX], h2[CLI_HEADER_MAX], h3[CLI_HEADER_MAX];
    const char *data;
    size_t len = 0;
    cli_common c;
    wl_keyfile kf;
    cli_buf b = {0};
    long st;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_KEY, opts, fetch_opt, &f, &c)) != CLI_GO)
        return ret;
    if (!c.key || optind != argc - 1 ||
        (f.method && strcmp(f.method, "GET") != 0 && strcmp(f.method, "POST") != 0 &&
         strcmp(f.method, "PUT") != 0))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    data = f.data;
    if (data && data[0] == '@') {
        if ((file = cli_read_file(data + 1, WL_CLI_DATA_MAX, &len)) == NULL) {
            fprintf(stderr, "willing fetch: cannot read %s\n", data + 1);
            return 1;
        }
        data = file;
    } else if (data) {
        len = strlen(data);
    }
    ret = 1;
    if (f.method == NULL)
        f.method = data ? "POST" : "GET";
    if (cli_member_key("fetch", c.key, &kf) != 0)
        goto out;
    if (f.print) {
        /* the signed header lines only, for a script to send (or replay) itself */
        if (cli_sign_request(f.method, argv[optind], data, len, &kf, (int64_t)time(NULL), h1, h2,
                             h3, sizeof h1) == 0) {
            printf("%s\n%s\n%s%s", h1, h2, h3, h3[0] ? "\n" : "");
            ret = 0;
        }
        goto wipe;
    }
    st = cli_signed_http_ct(f.method, argv[optind],
                            data ? (f.type ? f.type : "application/json") : NULL, data, len, &kf,
                            &b, err, sizeof err);
    if (st == 0) {
        fprintf(stderr, "willing fetch: %s\n", err);
        goto wipe;
    }
    if (f.status)
        printf("%ld\n", st);
    if (b.len)
        fwrite(b.buf, 1, b.len, stdout);
    printf("\n");
    ret = st >= 200 && st < 300 ? 0 : 1;
wipe:
    wl_key_wipe(&kf.key);
out:
    cli_buf_free(&b);
    free(file);
    return ret;
}

static const cli_cmd fetch_cmd = {
    NULL, "fetch",
    "--key FILE [--data JSON|@FILE] [--method GET|POST|PUT] [--type CT]\n"
    "                        [--status] [--print-headers] URL",
    "Sends a request signed with the key (RFC 9421, willing's profile) and prints the\n"
    "answer's body. --data POSTs a JSON body (with its Content-Digest); --method\n"
    "sends it as another method (PUT: a blob), --type with another Content-Type.\n"
    "Exits 0 on a 2xx answer.\n",
    run_fetch};

int cli_fetch(int argc, char **argv)
{
    return fetch_cmd.run(&fetch_cmd, argc, argv);
}
