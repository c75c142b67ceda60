/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The identity module's commands (docs/internals/cli.md): `willing keygen`
 * writes a key file; `willing member list|add|willing|announce|withdraw`
 * lists, adds (in public or sealed) and changes members; `willing whoami`
 * sends a request signed with a key (RFC 9421, willing's profile) and prints
 * who the log says it is. Members and keys change only with a key of scope
 * sign; entries and sealed content go through common.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "willing/ledger.h"

/* ---- keygen ---- */

typedef struct {
    const char *out, *member, *scope;
} keygen_opts;

static int keygen_opt(void *ctx, int ch, const char *arg)
{
    keygen_opts *k = ctx;
    if (ch == 'o')
        k->out = arg;
    else if (ch == 'm')
        k->member = arg;
    else
        k->scope = arg;
    return CLI_GO;
}

static int run_keygen(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"member", required_argument, NULL, 'm'},
        {"scope", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    keygen_opts k = {NULL, NULL, "sign"};
    cli_common c;
    wl_keyfile kf;
    char b64[45], vk[400];
    int ret;

    if ((ret = cli_parse(self, argc, argv, 0, opts, keygen_opt, &k, &c)) != CLI_GO)
        return ret;
    if (k.out == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (k.member && !wl_valid_member_id(k.member, strlen(k.member))) {
        fprintf(stderr, "willing keygen: --member must be 1-64 of a-z 0-9 . _ -\n");
        return 2;
    }
    if (!wl_valid_scope(k.scope)) {
        fprintf(stderr, "willing keygen: --scope must be sign, login or console\n");
        return 2;
    }
    if (wl_crypto_init() != WL_OK)
        return 1;
    memset(&kf, 0, sizeof kf);
    wl_key_generate(&kf.key);
    if (k.member)
        snprintf(kf.member, sizeof kf.member, "%s", k.member);
    snprintf(kf.scope, sizeof kf.scope, "%s", k.scope);
    if (wl_keyfile_write(k.out, &kf) != WL_OK) {
        fprintf(stderr, "willing keygen: cannot write %s (it must not exist yet)\n", k.out);
        wl_key_wipe(&kf.key);
        return 1;
    }
    wl_b64_encode(kf.key.pk, 32, b64);
    printf("public key: %s\n", b64);
    if (k.member) {
        wl_vkey v;
        if (wl_vkey_make(k.member, WL_SIGTYPE_ED25519, kf.key.pk, &v) == WL_OK &&
            wl_vkey_format(&v, vk, sizeof vk) == WL_OK)
            printf("verifier key: %s\n", vk);
    }
    wl_key_wipe(&kf.key);
    return 0;
}

static const cli_cmd keygen_cmd = {
    NULL, "keygen", "--out FILE [--member ID] [--scope sign|login|console]",
    "Writes a new Ed25519 private key as PKCS#8 PEM (mode 0600, never overwritten),\n"
    "which WebCrypto can import, and prints its public key (base64) and its note\n"
    "verifier key. --member and --scope are recorded in the file for the CLI.\n",
    run_keygen};

int cli_keygen(int argc, char **argv)
{
    return keygen_cmd.run(&keygen_cmd, argc, argv);
}

/* ---- member ---- */

static int run_member_list(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    json_t *doc = NULL, *v;
    wl_keyfile kf;
    size_t i;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL,
                         &c)) != CLI_GO)
        return ret;
    if (optind != argc || c.server == NULL)
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (c.key && cli_member_key("member", c.key, &kf) != 0)
        return 1;
    ret = cli_get_json("member list", c.server, "/api/v1/members", c.key ? &kf : NULL, &doc, NULL);
    if (c.key)
        wl_key_wipe(&kf.key);
    if (ret != 0)
        return ret;
    if (c.json)
        cli_print_json(doc);
    else
        json_array_foreach(json_object_get(doc, "members"), i, v)
        {
            json_t *added = json_object_get(v, "added");
            char where[32];
            if (json_is_integer(added))
                snprintf(where, sizeof where, "entry %lld", (long long)json_integer_value(added));
            else
                snprintf(where, sizeof where, "sealed");
            printf("%-16s %-12s %-10s %s (%s)\n", json_string_value(json_object_get(v, "member")),
                   json_string_value(json_object_get(v, "role")),
                   json_string_value(json_object_get(v, "status")),
                   json_string_value(json_object_get(v, "name")), where);
        }
    json_decref(doc);
    return 0;
}

typedef struct {
    const char *id, *name, *role, *pub, *pubfile, *scope;
    bool sealed;
} add_opts;

static int add_opt(void *ctx, int ch, const char *arg)
{
    add_opts *a = ctx;
    switch (ch) {
    case 'i':
        a->id = arg;
        break;
    case 'n':
        a->name = arg;
        break;
    case 'r':
        a->role = arg;
        break;
    case 'p':
        a->pub = arg;
        break;
    case 'P':
        a->pubfile = arg;
        break;
    case 'S':
        a->scope = arg;
        break;
    case 'E':
        a->sealed = true;
        break;
    }
    return CLI_GO;
}

static int run_member_add(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"id", required_argument, NULL, 'i'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"pubkey", required_argument, NULL, 'p'},
        {"pubkey-file", required_argument, NULL, 'P'},
        {"scope", required_argument, NULL, 'S'},
        {"sealed", no_argument, NULL, 'E'},
        {NULL, 0, NULL, 0},
    };
    add_opts a = {.scope = "sign"};
    cli_common c;
    const char *who, *pub;
    char b64[45];
    wl_keyfile kf;
    json_t *o = NULL;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, add_opt, &a,
                         &c)) != CLI_GO)
        return ret;
    if (optind != argc || !c.server || !c.key || !a.id || !a.name || !a.role ||
        (!a.pub == !a.pubfile))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    pub = a.pub;
    if (a.pubfile) {
        wl_keyfile mk;
        if (wl_keyfile_read(a.pubfile, &mk) != WL_OK) {
            wl_key_wipe(&mk.key);
            fprintf(stderr, "willing member add: cannot read %s\n", a.pubfile);
            return 1;
        }
        wl_b64_encode(mk.key.pk, 32, b64);
        wl_key_wipe(&mk.key);
        pub = b64;
    }
    if (cli_entry_key(c.key, NULL, &kf, &who) != 0)
        return 1;
    o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "member", a.id, "name", a.name, "role", a.role,
                  "key", pub, "scope", a.scope);
    if (o == NULL) {
        fprintf(stderr, "willing member add: the name must be valid UTF-8\n");
        ret = 2;
    } else if (a.sealed) {
        char label[100];
        snprintf(label, sizeof label, "member %s (invited, sealed)\n", a.id);
        ret = cli_seal(c.server, &kf, "member.add", o, label);
    } else {
        ret = cli_post_json(c.server, &kf, "member.add", o);
    }
    json_decref(o);
    wl_key_wipe(&kf.key);
    return ret;
}

/* willing, announce, withdraw: the member's own steps. */
static int run_member_step(const cli_cmd *self, int argc, char **argv)
{
    const char *sub = self->name;
    char cmd[64];
    cli_common c;
    wl_keyfile kf;
    json_t *me = NULL, *body = NULL;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL,
                         &c)) != CLI_GO)
        return ret;
    if (optind != argc || !c.server || !c.key)
        return cli_cmd_usage(stderr, self);
    if (cli_member_key("member", c.key, &kf) != 0)
        return 1;
    snprintf(cmd, sizeof cmd, "member %s", sub);
    ret = 1;
    if (cli_get_json(cmd, c.server, "/api/v1/whoami", &kf, &me, NULL) != 0)
        goto out;
    if (strcmp(sub, "announce") == 0) {
        char url[2048], err[512];
        cli_buf b = {0};
        long st;
        cli_url(c.server, "/api/v1/members/announce", url, sizeof url);
        st = cli_signed_http("POST", url, NULL, 0, &kf, &b, err, sizeof err);
        if (st != 201) {
            cli_refused("member announce", st, &b, err);
        } else if (cli_json) {
            printf("%s\n", b.buf);
            ret = 0;
        } else {
            body = json_loads(b.buf, 0, NULL);
            printf("%s announced: entries %lld to %lld\n", kf.member,
                   (long long)json_integer_value(json_object_get(body, "first")),
                   (long long)json_integer_value(json_object_get(body, "last")));
            ret = 0;
        }
        cli_buf_free(&b);
    } else if (json_is_true(json_object_get(me, "sealed"))) {
        body = json_pack("{s:s, s:s}", "member", kf.member, "status",
                         strcmp(sub, "willing") == 0 ? "willing" : "withdrawn");
        ret = cli_seal(c.server, &kf, "member.status", body, "");
    } else if (strcmp(sub, "willing") == 0) {
        fprintf(stderr, "willing member willing: %s is already public (%s)\n", kf.member,
                json_string_value(json_object_get(me, "status")));
    } else {
        body = json_pack("{s:s, s:s}", "member", kf.member, "status", "withdrawn");
        ret = cli_post_json(c.server, &kf, "member.status", body);
    }
out:
    json_decref(me);
    json_decref(body);
    wl_key_wipe(&kf.key);
    return ret;
}

static const cli_cmd member_subs[] = {
    {"member", "list", "--server URL [--key FILE] [--json]",
     "The public members; signed with --key, the coordinator sees every member\n"
     "and its status, a sealed member also itself.\n",
     run_member_list},
    {"member", "add",
     "--server URL --key OPERATOR_KEY --id ID --name TEXT\n"
     "                          --role ROLE (--pubkey BASE64 | --pubkey-file KEYFILE)\n"
     "                          [--scope sign|login|console] [--sealed] [--json]",
     "The operator adds a member with its first key (OPERATOR_KEY: a sign key).\n"
     "In public (a member.add entry) the member is announced at once; with\n"
     "--sealed it is invited and appears in nothing public: only the operator,\n"
     "the coordinator and the member itself know of it, until it announces.\n"
     "Roles: coordinator, member, host, party, monitor, observer.\n",
     run_member_add},
    {"member", "willing", "--server URL --key FILE [--json]",
     "A sealed member tells the coordinator, privately, that it is willing.\n", run_member_step},
    {"member", "announce", "--server URL --key FILE [--json]",
     "A sealed member makes its membership public (its member.add and keys are\n"
     "revealed, dated by their envelopes). FILE is a key of scope sign.\n",
     run_member_step},
    {"member", "withdraw", "--server URL --key FILE [--json]",
     "The member withdraws (privately if sealed, else in public).\n", run_member_step},
};

int cli_member(int argc, char **argv)
{
    return cli_group(argc, argv, "member", member_subs, sizeof member_subs / sizeof member_subs[0],
                     "Members and keys change only with a key of scope sign. `willing member\n"
                     "<subcommand> --help` says more.\n");
}

/* ---- whoami ---- */

typedef struct {
    bool print;
    int64_t created;
} whoami_opts;

static int whoami_opt(void *ctx, int ch, const char *arg)
{
    whoami_opts *w = ctx;
    if (ch == 'p')
        w->print = true;
    else
        w->created = strtoll(arg, NULL, 10);
    return CLI_GO;
}

static int run_whoami(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"print-headers", no_argument, NULL, 'p'},
        {"created", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    whoami_opts w = {false, (int64_t)time(NULL)};
    cli_common c;
    char url[2048], h1[CLI_HEADER_MAX], h2[CLI_HEADER_MAX], h3[CLI_HEADER_MAX], err[512];
    const char *headers[3];
    wl_keyfile kf;
    cli_buf b = {0};
    long st;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY, opts, whoami_opt, &w, &c)) !=
        CLI_GO)
        return ret;
    if (!c.server || !c.key || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (cli_member_key("whoami", c.key, &kf) != 0)
        return 1;
    cli_url(c.server, "/api/v1/whoami", url, sizeof url);
    ret = cli_sign_request("GET", url, NULL, 0, &kf, w.created, h1, h2, h3, sizeof h1);
    wl_key_wipe(&kf.key);
    if (ret != 0)
        return 1;
    if (w.print) {
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

static const cli_cmd whoami_cmd = {
    NULL, "whoami", "--server URL --key FILE [--print-headers] [--created T]",
    "Signs GET /api/v1/whoami with the key (RFC 9421 HTTP Message Signatures) and\n"
    "prints the member, role and key scope the log finds for it.\n"
    "\n"
    "  --print-headers  print the signed header lines instead of sending them\n"
    "  --created T      sign as of unix time T (default: now)\n",
    run_whoami};

int cli_whoami(int argc, char **argv)
{
    return whoami_cmd.run(&whoami_cmd, argc, argv);
}
