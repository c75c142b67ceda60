/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition's register, from the command line (docs/internals/cli.md):
 * `willing requirement set|endorse|list` and `willing fact record|retract`,
 * the coordinator's and the host nation's entries built from options rather
 * than raw JSON, and `willing coverage`: per requirement, what is binding,
 * pledged but not binding, and the gap. Pledges are in pledge.c, the offline
 * clearing in clear.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* ---- requirement ---- */

typedef struct {
    json_t *body;
    const char *set;
} req_opts;

static int req_opt(void *ctx, int ch, const char *arg)
{
    static const char *const field[128] = {
        ['i'] = "requirement", ['c'] = "category",  ['q'] = "quantity",
        ['u'] = "unit",        ['n'] = "needed_by", ['t'] = "text"};
    req_opts *r = ctx;
    if (ch == 'S')
        r->set = arg;
    else if (ch == 'p')
        json_object_set_new(r->body, "priority", json_integer(strtoll(arg, NULL, 10)));
    else if (ch > 0 && ch < 128 && field[ch])
        json_object_set_new(r->body, field[ch], json_string(arg));
    return CLI_GO;
}

static int run_req_write(const cli_cmd *self, int argc, char **argv)
{
    static const struct option set_opts[] = {
        {"id", required_argument, NULL, 'i'},       {"category", required_argument, NULL, 'c'},
        {"quantity", required_argument, NULL, 'q'}, {"unit", required_argument, NULL, 'u'},
        {"priority", required_argument, NULL, 'p'}, {"needed-by", required_argument, NULL, 'n'},
        {"text", required_argument, NULL, 't'},     {NULL, 0, NULL, 0},
    };
    static const struct option endorse_opts[] = {
        {"id", required_argument, NULL, 'i'},
        {"set", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    bool endorse = strcmp(self->name, "endorse") == 0;
    req_opts r = {json_object(), NULL};
    json_t *e = NULL;
    cli_common c;
    wl_keyfile kf;
    int ret;

    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON,
                    endorse ? endorse_opts : set_opts, req_opt, &r, &c);
    if (ret != CLI_GO)
        goto out;
    if (c.server == NULL || c.key == NULL || optind != argc || (endorse && r.set == NULL)) {
        ret = cli_cmd_usage(stderr, self);
        goto out;
    }
    if (cli_member_key("requirement", c.key, &kf) != 0) {
        ret = 1;
        goto out;
    }
    if (endorse) {
        e = json_pack("{s:O?, s:I}", "requirement", json_object_get(r.body, "requirement"), "set",
                      (json_int_t)strtoll(r.set, NULL, 10));
        ret = cli_post_json(c.server, &kf, "requirement.endorse", e);
    } else {
        ret = cli_post_json(c.server, &kf, "requirement.set", r.body);
    }
    wl_key_wipe(&kf.key);
out:
    json_decref(e);
    json_decref(r.body);
    return ret;
}

static int run_req_list(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    json_t *o = NULL, *r;
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (cli_get_json("requirement list", c.server, "/api/v1/coverage", NULL, &o, NULL) != 0)
        return 1;
    if (c.json)
        cli_print_json(json_object_get(o, "requirements"));
    else
        json_array_foreach(json_object_get(o, "requirements"), i, r)
        {
            printf("%s: %s %s %s, priority %lld%s%s, set at entry %lld, %s\n",
                   cli_str(r, "requirement", NULL), cli_str(r, "quantity", NULL),
                   cli_str(r, "unit", NULL), cli_str(r, "category", NULL),
                   (long long)json_integer_value(json_object_get(r, "priority")),
                   cli_str(r, "needed_by", NULL) ? ", needed by " : "",
                   cli_str(r, "needed_by", NULL) ? cli_str(r, "needed_by", NULL) : "",
                   (long long)json_integer_value(json_object_get(r, "set")),
                   json_is_true(json_object_get(r, "endorsed")) ? "endorsed by the host nation"
                                                                : "not endorsed");
        }
    json_decref(o);
    return 0;
}

static const cli_cmd req_subs[] = {
    {"requirement", "set",
     "--server URL --key FILE --id ID --category C\n"
     "                              --quantity Q --unit U --priority 1-5\n"
     "                              [--needed-by YYYY-Qn] [--text TEXT] [--json]",
     "The coordinator sets (or replaces) a requirement of the operation.\n", run_req_write},
    {"requirement", "endorse", "--server URL --key FILE --id ID --set INDEX [--json]",
     "The host nation endorses a requirement, naming the version it endorses:\n"
     "INDEX, the index of its latest requirement.set entry.\n",
     run_req_write},
    {"requirement", "list", "--server URL [--json]", "The requirements and their endorsements.\n",
     run_req_list},
};

int cli_requirement(int argc, char **argv)
{
    return cli_group(argc, argv, "requirement", req_subs, sizeof req_subs / sizeof req_subs[0],
                     "The coordinator sets the operation's requirements; the host nation endorses\n"
                     "each with its own signature, naming the version (the index of the\n"
                     "requirement.set entry) it endorses.\n");
}

/* ---- fact ---- */

static int fact_opt(void *ctx, int ch, const char *arg)
{
    (void)ch;
    *(const char **)ctx = arg;
    return CLI_GO;
}

static int run_fact(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"text", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    const char *note = NULL;
    char kind[32];
    cli_common c;
    wl_keyfile kf;
    json_t *b;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, fact_opt, &note, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (cli_member_key("fact", c.key, &kf) != 0)
        return 1;
    snprintf(kind, sizeof kind, "fact.%s", self->name);
    b = json_pack("{s:s, s:s?}", "fact", argv[optind], "text", note);
    ret = cli_post_json(c.server, &kf, kind, b);
    json_decref(b);
    wl_key_wipe(&kf.key);
    return ret;
}

static const cli_cmd fact_subs[] = {
    {"fact", "record", "--server URL --key FILE [--text TEXT] [--json] NAME",
     "The coordinator records a named fact, such as ceasefire-signed, which\n"
     "pledges' conditions may wait for: fact(ceasefire-signed).\n",
     run_fact},
    {"fact", "retract", "--server URL --key FILE [--text TEXT] [--json] NAME",
     "The coordinator retracts a fact it recorded.\n", run_fact},
};

int cli_fact(int argc, char **argv)
{
    return cli_group(argc, argv, "fact", fact_subs, sizeof fact_subs / sizeof fact_subs[0],
                     "The coordinator records (or retracts) a named fact, such as\n"
                     "ceasefire-signed, which pledges' conditions may wait for:\n"
                     "fact(ceasefire-signed).\n");
}

/* ---- coverage ---- */

typedef struct {
    const char *view;
    bool csv;
} coverage_opts;

static int coverage_opt(void *ctx, int ch, const char *arg)
{
    coverage_opts *o = ctx;
    if (ch == 'v')
        o->view = arg;
    else
        o->csv = true;
    return CLI_GO;
}

static void coverage_print(const json_t *o)
{
    size_t i;
    json_t *r, *p;
    if (cli_str(o, "notice", NULL))
        printf("notice: %s\n", cli_str(o, "notice", NULL));
    printf("view: %s\n", cli_str(o, "view", NULL));
    printf("%-16s %-14s %14s %14s %14s %14s  %s\n", "requirement", "category", "needed", "binding",
           "not binding", "gap", "endorsed");
    json_array_foreach(json_object_get(o, "requirements"), i, r)
    {
        printf("%-16s %-14s %14s %14s %14s %14s  %s\n", cli_str(r, "requirement", NULL),
               cli_str(r, "category", NULL), cli_str(r, "quantity", NULL),
               cli_str(r, "binding", NULL), cli_str(r, "pledged_not_binding", NULL),
               cli_str(r, "gap", NULL),
               json_is_true(json_object_get(r, "endorsed")) ? "yes" : "no");
    }
    json_array_foreach(json_object_get(o, "pledges"), i, p)
    {
        printf("%s %s %s %s %s: %s\n", cli_str(p, "member", NULL), cli_str(p, "category", NULL),
               cli_str(p, "quantity", NULL), cli_str(p, "unit", NULL),
               json_is_true(json_object_get(p, "binding")) ? "binding" : "not binding",
               cli_str(p, "reason", NULL) ? cli_str(p, "reason", NULL) : "its conditions hold");
    }
}

static int run_coverage(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"view", required_argument, NULL, 'v'},
        {"csv", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    coverage_opts v = {NULL, false};
    cli_common c;
    char path[128];
    cli_buf b = {0};
    wl_keyfile kf;
    json_t *o = NULL;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, coverage_opt, &v, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc || (c.key && !v.view) || (v.view && !c.key) ||
        (v.view && strlen(v.view) > 32))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    snprintf(path, sizeof path, "/api/v1/coverage?view=%s%s", v.view ? v.view : "public",
             v.csv ? "&format=csv" : "");
    if (c.key && cli_member_key("coverage", c.key, &kf) != 0)
        return 1;
    ret = cli_get_json("coverage", c.server, path, c.key ? &kf : NULL, &o, &b);
    if (c.key)
        wl_key_wipe(&kf.key);
    if (ret == 0 && (v.csv || c.json)) {
        fwrite(b.buf, 1, b.len, stdout);
        if (c.json)
            printf("\n");
    } else if (ret == 0) {
        coverage_print(o);
    }
    json_decref(o);
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd coverage_cmd = {
    NULL, "coverage",
    "--server URL [--key FILE --view member|coordinator]\n"
    "                        [--csv | --json]",
    "Prints the coverage of the operation's requirements: what is binding, what is\n"
    "pledged but not binding, and the gap. Without --key, the public view (announced\n"
    "pledges only); with a key, the member's view (its own sealed pledges too) or,\n"
    "for the coordinator, every pledge.\n",
    run_coverage};

int cli_coverage(int argc, char **argv)
{
    return coverage_cmd.run(&coverage_cmd, argc, argv);
}
