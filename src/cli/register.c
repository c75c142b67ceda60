/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing requirement set|endorse|list` and `willing fact record|retract`:
 * the coordinator's and the host nation's register entries, built from
 * options rather than raw JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const cli_sub req_subs[] = {
    {"set",
     "set --server URL --key FILE --id ID --category C\n"
     "                              --quantity Q --unit U --priority 1-5\n"
     "                              [--needed-by YYYY-Qn] [--text TEXT] [--json]",
     "The coordinator sets (or replaces) a requirement of the operation.\n"},
    {"endorse", "endorse --server URL --key FILE --id ID --set INDEX [--json]",
     "The host nation endorses a requirement, naming the version it endorses:\n"
     "INDEX, the index of its latest requirement.set entry.\n"},
    {"list", "list --server URL [--json]", "The requirements and their endorsements.\n"},
};

static int req_usage_for(FILE *f, const char *sub)
{
    return cli_usage(f, "requirement", req_subs, sizeof req_subs / sizeof req_subs[0], sub,
                     "The coordinator sets the operation's requirements; the host nation endorses\n"
                     "each with its own signature, naming the version (the index of the\n"
                     "requirement.set entry) it endorses.\n");
}

static int req_usage(FILE *f)
{
    return req_usage_for(f, NULL);
}

int cli_requirement(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"id", required_argument, NULL, 'i'},
        {"category", required_argument, NULL, 'c'},
        {"quantity", required_argument, NULL, 'q'},
        {"unit", required_argument, NULL, 'u'},
        {"priority", required_argument, NULL, 'p'},
        {"needed-by", required_argument, NULL, 'n'},
        {"text", required_argument, NULL, 't'},
        {"set", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sub, *server = NULL, *keyp = NULL, *set = NULL;
    json_t *body = json_object();
    wl_keyfile kf;
    int ch, ret = 2;
    char *text;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        json_decref(body);
        return req_usage(argc < 2 ? stderr : stdout);
    }
    sub = argv[1];
    argc--;
    argv++;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
            break;
        case 'i':
            json_object_set_new(body, "requirement", json_string(optarg));
            break;
        case 'c':
            json_object_set_new(body, "category", json_string(optarg));
            break;
        case 'q':
            json_object_set_new(body, "quantity", json_string(optarg));
            break;
        case 'u':
            json_object_set_new(body, "unit", json_string(optarg));
            break;
        case 'p':
            json_object_set_new(body, "priority", json_integer(atoi(optarg)));
            break;
        case 'n':
            json_object_set_new(body, "needed_by", json_string(optarg));
            break;
        case 't':
            json_object_set_new(body, "text", json_string(optarg));
            break;
        case 'S':
            set = optarg;
            break;
        case 'j':
            cli_json = true;
            break;
        case 'h':
            json_decref(body);
            return req_usage_for(stdout, sub);
        default:
            json_decref(body);
            return req_usage_for(stderr, sub);
        }
    }
    if (server == NULL || optind != argc) {
        json_decref(body);
        return req_usage_for(stderr, sub);
    }
    if (strcmp(sub, "list") == 0) {
        char base[1024], url[1200], err[512];
        cli_buf b = {0};
        json_t *o, *r;
        size_t i;
        cli_base_url(server, base, sizeof base);
        snprintf(url, sizeof url, "%s/api/v1/coverage", base);
        if (cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err) != 200) {
            fprintf(stderr, "willing requirement list: %s\n", b.buf ? b.buf : err);
            cli_buf_free(&b);
            json_decref(body);
            return 1;
        }
        o = json_loads(b.buf, 0, NULL);
        if (cli_json)
            json_dumpf(json_object_get(o, "requirements"), stdout, JSON_INDENT(2)), putchar('\n');
        else
            json_array_foreach(json_object_get(o, "requirements"), i, r)
            {
                printf("%s: %s %s %s, priority %lld%s%s, set at entry %lld, %s\n",
                       json_string_value(json_object_get(r, "requirement")),
                       json_string_value(json_object_get(r, "quantity")),
                       json_string_value(json_object_get(r, "unit")),
                       json_string_value(json_object_get(r, "category")),
                       (long long)json_integer_value(json_object_get(r, "priority")),
                       json_object_get(r, "needed_by") ? ", needed by " : "",
                       json_object_get(r, "needed_by")
                           ? json_string_value(json_object_get(r, "needed_by"))
                           : "",
                       (long long)json_integer_value(json_object_get(r, "set")),
                       json_is_true(json_object_get(r, "endorsed")) ? "endorsed by the host nation"
                                                                    : "not endorsed");
            }
        json_decref(o);
        cli_buf_free(&b);
        json_decref(body);
        return 0;
    }
    if (keyp == NULL || cli_member_key("requirement", keyp, &kf) != 0) {
        json_decref(body);
        return keyp ? 1 : req_usage_for(stderr, sub);
    }
    if (strcmp(sub, "endorse") == 0 && set) {
        json_t *e = json_pack("{s:O?, s:I}", "requirement", json_object_get(body, "requirement"),
                              "set", (json_int_t)strtoll(set, NULL, 10));
        text = json_dumps(e, JSON_COMPACT);
        json_decref(e);
        ret = cli_post_entry(server, &kf, kf.member, "requirement.endorse", text, cli_now_us(),
                             cli_json, NULL, NULL);
        free(text);
    } else if (strcmp(sub, "set") == 0) {
        text = json_dumps(body, JSON_COMPACT);
        ret = cli_post_entry(server, &kf, kf.member, "requirement.set", text, cli_now_us(),
                             cli_json, NULL, NULL);
        free(text);
    } else {
        req_usage_for(stderr, sub);
    }
    wl_key_wipe(&kf.key);
    json_decref(body);
    return ret;
}

int cli_fact(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'}, {"key", required_argument, NULL, 'k'},
        {"text", required_argument, NULL, 't'},   {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    static const char usage[] =
        "usage: willing fact record|retract --server URL --key FILE [--text TEXT] [--json] NAME\n"
        "\n"
        "The coordinator records (or retracts) a named fact, such as ceasefire-signed,\n"
        "which pledges' conditions may wait for: fact(ceasefire-signed).\n";
    const char *sub, *server = NULL, *keyp = NULL, *note = NULL;
    wl_keyfile kf;
    json_t *b;
    char *text;
    int ch, ret;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    sub = argv[1];
    argc--;
    argv++;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
            break;
        case 't':
            note = optarg;
            break;
        case 'j':
            cli_json = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!server || !keyp || optind != argc - 1 ||
        (strcmp(sub, "record") != 0 && strcmp(sub, "retract") != 0)) {
        fputs(usage, stderr);
        return 2;
    }
    if (cli_member_key("fact", keyp, &kf) != 0)
        return 1;
    b = json_pack("{s:s, s:s?}", "fact", argv[optind], "text", note);
    text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    ret = cli_post_entry(server, &kf, kf.member,
                         strcmp(sub, "record") == 0 ? "fact.record" : "fact.retract", text,
                         cli_now_us(), cli_json, NULL, NULL);
    free(text);
    wl_key_wipe(&kf.key);
    return ret;
}
