/* SPDX-License-Identifier: Apache-2.0 */
/* `willing coverage`: per requirement, binding, pledged but not binding, gap. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static int usage(FILE *f)
{
    fprintf(f, "usage: willing coverage --server URL [--key FILE --view member|coordinator]\n"
               "                        [--csv | --json]\n"
               "\n"
               "Prints the coverage of the operation's requirements: what is binding, what is\n"
               "pledged but not binding, and the gap. Without --key, the public view (announced\n"
               "pledges only); with a key, the member's view (its own sealed pledges too) or,\n"
               "for the coordinator, every pledge.\n");
    return f == stdout ? 0 : 2;
}

int cli_coverage(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"view", required_argument, NULL, 'v'},
        {"csv", no_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *keyp = NULL, *view = NULL;
    bool csv = false, json_out = false;
    char base[1024], url[1300], err[512];
    cli_buf b = {0};
    wl_keyfile kf;
    json_t *o;
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
        case 'v':
            view = optarg;
            break;
        case 'c':
            csv = true;
            break;
        case 'j':
            json_out = true;
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (!server || optind != argc || (keyp && !view) || (view && !keyp))
        return usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/coverage?view=%s%s", base, view ? view : "public",
             csv ? "&format=csv" : "");
    if (keyp) {
        if (cli_member_key("coverage", keyp, &kf) != 0)
            return 1;
        st = cli_signed_http("GET", url, NULL, 0, &kf, &b, err, sizeof err);
        wl_key_wipe(&kf.key);
    } else {
        st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    }
    if (st != 200) {
        char mbuf[512];
        fprintf(stderr, "willing coverage: %s\n",
                cli_answer_message(st, &b, err, mbuf, sizeof mbuf));
        cli_buf_free(&b);
        return 1;
    }
    if (csv || json_out) {
        fwrite(b.buf, 1, b.len, stdout);
        if (json_out)
            printf("\n");
        cli_buf_free(&b);
        return 0;
    }
    o = json_loads(b.buf, 0, NULL);
    {
        size_t i;
        json_t *r, *p;
        if (json_string_value(json_object_get(o, "notice")))
            printf("notice: %s\n", json_string_value(json_object_get(o, "notice")));
        printf("view: %s\n", json_string_value(json_object_get(o, "view")));
        printf("%-16s %-14s %14s %14s %14s %14s  %s\n", "requirement", "category", "needed",
               "binding", "not binding", "gap", "endorsed");
        json_array_foreach(json_object_get(o, "requirements"), i, r)
        {
            printf("%-16s %-14s %14s %14s %14s %14s  %s\n",
                   json_string_value(json_object_get(r, "requirement")),
                   json_string_value(json_object_get(r, "category")),
                   json_string_value(json_object_get(r, "quantity")),
                   json_string_value(json_object_get(r, "binding")),
                   json_string_value(json_object_get(r, "pledged_not_binding")),
                   json_string_value(json_object_get(r, "gap")),
                   json_is_true(json_object_get(r, "endorsed")) ? "yes" : "no");
        }
        json_array_foreach(json_object_get(o, "pledges"), i, p)
        {
            printf("%s %s %s %s %s: %s\n", json_string_value(json_object_get(p, "member")),
                   json_string_value(json_object_get(p, "category")),
                   json_string_value(json_object_get(p, "quantity")),
                   json_string_value(json_object_get(p, "unit")),
                   json_is_true(json_object_get(p, "binding")) ? "binding" : "not binding",
                   json_string_value(json_object_get(p, "reason"))
                       ? json_string_value(json_object_get(p, "reason"))
                       : "its conditions hold");
        }
    }
    json_decref(o);
    cli_buf_free(&b);
    return 0;
}
