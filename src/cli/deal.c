/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's commands (docs/internals/deal.md, docs/internals/cli.md):
 *   willing deal propose   a version: its text and annexes uploaded as blobs
 *                          (content-addressed), then the proposal naming their hashes
 *   willing deal sign      a party signs a version: the text and annexes fetched
 *                          and checked against their hashes first, each
 *                          protected site's sealed geometry against the
 *                          commitment its public entry carries, then the
 *                          version's hash signed
 *   willing deal notice    a party suspends, resumes or terminates the deal
 *   willing deal show|list the deals as the server shows them
 * The server checks every rule and names what it refuses; this file builds
 * bodies and checks documents.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "willing/ledger.h"
#include "willing/limits.h"
#include "willing/zones.h"

typedef struct {
    json_t *body, *annexes, *parties, *zones;
    const char *text_file, *version, *notice_text;
    bool public_;
} deal_opts;

/*
 * The deal as the server shows it (GET /api/v1/deals/<id>): 0 with *out, 1 after printing why;
 * with missing_ok, a deal never proposed is 0 with *out NULL.
 */
static int fetch_deal(const char *cmd, const char *server, const char *id, bool missing_ok,
                      json_t **out)
{
    char url[WL_CLI_SERVER_URL_MAX + 128], p[128], err[256];
    cli_buf b = {0};
    long st;
    *out = NULL;
    snprintf(p, sizeof p, "/api/v1/deals/%s", id);
    cli_url(server, p, url, sizeof url);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st == 404 && missing_ok) {
        cli_buf_free(&b);
        return 0;
    }
    if (st != 200 || (*out = json_loads(b.buf ? b.buf : "", 0, NULL)) == NULL) {
        cli_refused(cmd, st, &b, err);
        cli_buf_free(&b);
        return 1;
    }
    cli_buf_free(&b);
    return 0;
}

/* Version n of a shown deal (0: the latest), or NULL. */
static json_t *version_of(json_t *deal, json_int_t n)
{
    json_t *v, *found = NULL;
    size_t i;
    json_array_foreach(json_object_get(deal, "versions"), i, v)
    {
        if (n ? json_integer_value(json_object_get(v, "version")) == n : true)
            found = v;
    }
    return found;
}

static int deal_opt(void *ctx, int ch, const char *arg)
{
    deal_opts *o = ctx;
    switch (ch) {
    case 'd':
        json_object_set_new(o->body, "deal", json_string(arg));
        break;
    case 't':
        json_object_set_new(o->body, "title", json_string(arg));
        break;
    case 'T':
        o->text_file = arg;
        break;
    case 'a':
        if (strchr(arg, '=') == NULL || arg[0] == '=') {
            fprintf(stderr, "willing deal propose: --annex takes NAME=FILE\n");
            return 2;
        }
        json_array_append_new(o->annexes, json_string(arg));
        break;
    case 'p':
        json_array_append_new(o->parties, json_string(arg));
        break;
    case 'z': {
        char *end = NULL;
        unsigned long long z = strtoull(arg, &end, 10);
        if (end == arg || *end != '\0' || arg[0] == '-') {
            fprintf(stderr, "willing deal propose: --zone takes an entry index\n");
            return 2;
        }
        json_array_append_new(o->zones, json_integer((json_int_t)z));
        break;
    }
    case 'P':
        o->public_ = true;
        break;
    case 'v':
        o->version = arg;
        break;
    case 'x':
        o->notice_text = arg;
        break;
    default:
        break;
    }
    return CLI_GO;
}

static deal_opts opts_new(void)
{
    deal_opts o = {json_object(), json_array(), json_array(), json_array(),
                   NULL,          NULL,         NULL,         false};
    return o;
}

/*
 * Parses argv for self into o and c: the server, the key, --deal, `operands`
 * operands and what valid() wants; then reads the member's key into kf.
 * CLI_GO with the key read (the caller wipes it), or the exit code.
 */
static int start(const cli_cmd *self, int argc, char **argv, const struct option *opts,
                 deal_opts *o, cli_common *c, int operands, bool (*valid)(const deal_opts *),
                 wl_keyfile *kf)
{
    char cmd[32];
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, deal_opt, o, c);
    if (ret != CLI_GO)
        return ret;
    if (optind + operands != argc || !c->server || !c->key || !json_object_get(o->body, "deal") ||
        !valid(o))
        return cli_cmd_usage(stderr, self);
    snprintf(cmd, sizeof cmd, "deal %s", self->name);
    return cli_member_key(cmd, c->key, kf) != 0 ? 1 : CLI_GO;
}

static bool propose_valid(const deal_opts *o)
{
    return o->text_file && json_object_get(o->body, "title") && json_array_size(o->parties) > 0;
}

static bool sign_valid(const deal_opts *o)
{
    return !o->version || strspn(o->version, "0123456789") == strlen(o->version);
}

static bool notice_valid(const deal_opts *o)
{
    return o->notice_text != NULL;
}

static void opts_free(deal_opts *o)
{
    json_decref(o->body);
    json_decref(o->annexes);
    json_decref(o->parties);
    json_decref(o->zones);
}

static int deal_propose(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"deal", required_argument, NULL, 'd'},  {"title", required_argument, NULL, 't'},
        {"text", required_argument, NULL, 'T'},  {"annex", required_argument, NULL, 'a'},
        {"party", required_argument, NULL, 'p'}, {"zone", required_argument, NULL, 'z'},
        {"public", no_argument, NULL, 'P'},      {NULL, 0, NULL, 0}};
    deal_opts o = opts_new();
    json_t *annexes = json_array(), *shown = NULL, *a;
    cli_common c;
    wl_keyfile kf;
    bool have_key = false;
    char hex[65];
    const char *id;
    size_t i;
    int ret = start(self, argc, argv, opts, &o, &c, 0, propose_valid, &kf);
    if (ret != CLI_GO)
        goto out;
    have_key = true;
    ret = 1;
    id = json_string_value(json_object_get(o.body, "deal"));
    /* the version: 1 for a new deal, else the latest + 1 (the server refuses a stale one) */
    if (fetch_deal("deal propose", c.server, id, true, &shown) != 0)
        goto out;
    json_object_set_new(
        o.body, "version",
        json_integer(shown ? json_integer_value(json_object_get(shown, "latest")) + 1 : 1));
    json_decref(shown);
    shown = NULL;
    if (cli_blob_put_file("deal propose", c.server, &kf, o.text_file, NULL, o.public_, hex, NULL) !=
        0)
        goto out;
    json_object_set_new(o.body, "text", json_string(hex));
    json_array_foreach(o.annexes, i, a)
    {
        const char *spec = json_string_value(a), *eq = strchr(spec, '=');
        char *name = wl_strndup(spec, (size_t)(eq - spec));
        if (name == NULL || cli_blob_put_file("deal propose", c.server, &kf, eq + 1, NULL,
                                              o.public_, hex, NULL) != 0) {
            wl_free(name);
            goto out;
        }
        json_array_append_new(annexes, json_pack("{s:s, s:s}", "name", name, "hash", hex));
        wl_free(name);
    }
    json_object_set(o.body, "annexes", annexes);
    json_object_set(o.body, "zones", o.zones);
    json_object_set(o.body, "parties", o.parties);
    json_object_set_new(o.body, "public", json_boolean(o.public_));
    if ((ret = cli_post_json(c.server, &kf, "deal.propose", o.body)) != 0)
        goto out;
    ret = 1;
    if (fetch_deal("deal propose", c.server, id, false, &shown) != 0)
        goto out;
    a = version_of(shown, json_integer_value(json_object_get(o.body, "version")));
    if (!cli_json)
        printf("deal %s version %lld hash %s\n", id,
               (long long)json_integer_value(json_object_get(o.body, "version")),
               cli_str(a, "hash", "?"));
    ret = 0;
out:
    if (have_key)
        wl_key_wipe(&kf.key);
    json_decref(shown);
    json_decref(annexes);
    opts_free(&o);
    return ret;
}

/* Fetches the blob of hash (signed: a private one is readable by the parties) and checks it. */
static int check_doc(const char *server, const wl_keyfile *kf, const char *what, const char *hash)
{
    cli_buf b = {0};
    int ret = cli_blob_get("deal sign", server, kf, hash, &b);
    cli_buf_free(&b);
    if (ret != 0)
        fprintf(stderr,
                "willing deal sign: not signed: %s %s is missing or differs: read what "
                "you sign first\n",
                what, hash);
    return ret;
}

/*
 * A protected site the version names (its zone.set at entry idx): the sealed
 * exact geometry, as the zones view shows it to this signer, gives the
 * commitment the public entry carries, is by its author and for its zone,
 * and its coarse point is the entry's. Other zones: nothing to check. 0 or 1.
 */
static int check_site(const char *server, const wl_keyfile *kf, json_int_t idx)
{
    char path[128], mine[45], *raw = NULL, *salt = NULL, *content = NULL;
    size_t n = 0, sn = 0, cn = 0, i;
    json_t *o = NULL, *zone = NULL, *f, *sealed = NULL;
    const json_t *b;
    wl_entry e, ce;
    uint8_t c[32];
    double ll[2], pt[2];
    wl_error err = {0};
    const char *why = "its sealed geometry cannot be read with this key";
    int ret = 1;

    memset(&e, 0, sizeof e);
    memset(&ce, 0, sizeof ce);
    snprintf(path, sizeof path, "/api/v1/entries/%lld", (long long)idx);
    if (cli_get_json("deal sign", server, path, NULL, &o, NULL) != 0 ||
        (raw = cli_b64_decode(cli_str(o, "entry", ""), &n)) == NULL ||
        wl_entry_parse(raw, n, &e, NULL, 0) != WL_OK) {
        fprintf(stderr, "willing deal sign: not signed: entry %lld cannot be read\n",
                (long long)idx);
        goto out;
    }
    b = e.body_json;
    if (strcmp(e.kind, "zone.set") != 0 || strcmp(cli_str(b, "type", ""), "site") != 0) {
        ret = 0;
        goto out;
    }
    snprintf(path, sizeof path, "/api/v1/zones/%s", cli_str(b, "zone", ""));
    if (cli_get_json("deal sign", server, path, kf, &zone, NULL) != 0)
        goto out;
    json_array_foreach(json_object_get(zone, "versions"), i, f)
    {
        if (json_integer_value(json_object_get(json_object_get(f, "properties"), "entry")) == idx)
            sealed = json_object_get(json_object_get(f, "properties"), "sealed");
    }
    if (sealed == NULL || (salt = cli_b64_decode(cli_str(sealed, "salt", ""), &sn)) == NULL ||
        sn != 32 || (content = cli_b64_decode(cli_str(sealed, "content", ""), &cn)) == NULL)
        goto refuse;
    wl_seal_commitment((const uint8_t *)salt, content, cn, c);
    wl_b64_encode(c, 32, mine);
    why = "its sealed geometry does not give the commitment its public entry carries";
    if (strcmp(mine, cli_str(b, "sealed", "")) != 0)
        goto refuse;
    why = "its sealed geometry is not by the entry's author, for its zone";
    if (wl_sealed_parse(content, cn, &ce, NULL, 0) != WL_OK || strcmp(ce.kind, "zone.site") != 0 ||
        strcmp(ce.author, e.author) != 0 ||
        strcmp(cli_str(ce.body_json, "zone", ""), cli_str(b, "zone", "")) != 0)
        goto refuse;
    why = "the public point is not the centre of the sealed geometry's cell";
    if (wl_zone_site_coarse(json_object_get(ce.body_json, "geometry"),
                            (uint64_t)json_integer_value(json_object_get(b, "precision_km")), ll,
                            &err) != WL_OK ||
        wl_zone_point(json_object_get(b, "point"), pt) != WL_OK ||
        llround(ll[0] * 1e4) != llround(pt[0] * 1e4) ||
        llround(ll[1] * 1e4) != llround(pt[1] * 1e4))
        goto refuse;
    if (!cli_json)
        printf("site %s (entry %lld): its sealed geometry matches its commitment\n",
               cli_str(b, "zone", ""), (long long)idx);
    ret = 0;
    goto out;
refuse:
    fprintf(stderr, "willing deal sign: not signed: site %s (entry %lld): %s\n",
            cli_str(b, "zone", "?"), (long long)idx, why);
out:
    if (salt)
        sodium_memzero(salt, sn);
    free(salt);
    free(content);
    free(raw);
    wl_entry_clear(&ce);
    wl_entry_clear(&e);
    json_decref(zone);
    json_decref(o);
    return ret;
}

static int deal_sign(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"deal", required_argument, NULL, 'd'},
                                         {"version", required_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    deal_opts o = opts_new();
    json_t *shown = NULL, *v, *a, *body = NULL;
    cli_common c;
    wl_keyfile kf;
    bool have_key = false;
    const char *id;
    size_t i;
    int ret = start(self, argc, argv, opts, &o, &c, 0, sign_valid, &kf);
    if (ret != CLI_GO)
        goto out;
    have_key = true;
    ret = 1;
    id = json_string_value(json_object_get(o.body, "deal"));
    if (fetch_deal("deal sign", c.server, id, false, &shown) != 0)
        goto out;
    if ((v = version_of(shown, o.version ? (json_int_t)strtoll(o.version, NULL, 10) : 0)) == NULL) {
        fprintf(stderr, "willing deal sign: deal %s has no version %s\n", id,
                o.version ? o.version : "");
        goto out;
    }
    if (check_doc(c.server, &kf, "the text", cli_str(v, "text", "")) != 0)
        goto out;
    json_array_foreach(json_object_get(v, "annexes"), i, a)
    {
        char what[240];
        snprintf(what, sizeof what, "the annex '%s'", cli_str(a, "name", "?"));
        if (check_doc(c.server, &kf, what, cli_str(a, "hash", "")) != 0)
            goto out;
    }
    json_array_foreach(json_object_get(v, "zones"), i, a)
    {
        if (check_site(c.server, &kf, json_integer_value(a)) != 0)
            goto out;
    }
    body = json_pack("{s:s, s:O, s:s}", "deal", id, "version", json_object_get(v, "version"),
                     "hash", cli_str(v, "hash", ""));
    if ((ret = cli_post_json(c.server, &kf, "deal.sign", body)) == 0 && !cli_json)
        printf("signed deal %s version %lld hash %s\n", id,
               (long long)json_integer_value(json_object_get(v, "version")),
               cli_str(v, "hash", ""));
out:
    if (have_key)
        wl_key_wipe(&kf.key);
    json_decref(body);
    json_decref(shown);
    opts_free(&o);
    return ret;
}

static int deal_notice(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"deal", required_argument, NULL, 'd'},
                                         {"text", required_argument, NULL, 'x'},
                                         {NULL, 0, NULL, 0}};
    deal_opts o = opts_new();
    cli_common c;
    wl_keyfile kf;
    int ret = start(self, argc, argv, opts, &o, &c, 1, notice_valid, &kf);
    if (ret != CLI_GO)
        goto out;
    json_object_set_new(o.body, "notice", json_string(argv[optind]));
    json_object_set_new(o.body, "text", json_string(o.notice_text));
    ret = cli_post_json(c.server, &kf, "deal.notice", o.body);
    wl_key_wipe(&kf.key);
out:
    opts_free(&o);
    return ret;
}

/* One deal in lines: status, in force since, each version and who signed it. */
static void print_deal(const json_t *d)
{
    const json_t *v, *p, *since = json_object_get(d, "in_force_since");
    size_t i, j;
    printf("deal %s: %s (%s)\n", cli_str(d, "deal", "?"), cli_str(d, "title", ""),
           cli_str(d, "status", "?"));
    if (json_is_object(since))
        printf("in force since entry %lld (%s)\n",
               (long long)json_integer_value(json_object_get(since, "index")),
               cli_str(since, "time", "?"));
    json_array_foreach(json_object_get(d, "versions"), i, v)
    {
        printf("version %lld %s hash %s\n",
               (long long)json_integer_value(json_object_get(v, "version")),
               cli_str(v, "status", "?"), cli_str(v, "hash", "?"));
        json_array_foreach(json_object_get(v, "parties"), j, p)
        {
            const json_t *s = json_object_get(p, "signed");
            if (json_is_object(s))
                printf("  %s signed at entry %lld\n", cli_str(p, "member", "?"),
                       (long long)json_integer_value(json_object_get(s, "index")));
            else
                printf("  %s not signed\n", cli_str(p, "member", "?"));
        }
    }
}

static int deal_read(const cli_cmd *self, int argc, char **argv, bool one)
{
    cli_common c;
    json_t *o = NULL, *d;
    char p[128];
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (optind + (one ? 1 : 0) != argc || !c.server)
        return cli_cmd_usage(stderr, self);
    snprintf(p, sizeof p, one ? "/api/v1/deals/%.64s" : "/api/v1/deals", one ? argv[optind] : "");
    if (cli_get_json(one ? "deal show" : "deal list", c.server, p, NULL, &o, NULL) != 0)
        return 1;
    if (cli_json)
        cli_print_json(o);
    else if (one)
        print_deal(o);
    else
        json_array_foreach(json_object_get(o, "deals"), i, d)
        {
            printf("%s\t%s\tversion %lld\t%s\n", cli_str(d, "deal", "?"), cli_str(d, "status", "?"),
                   (long long)json_integer_value(json_object_get(d, "latest")),
                   cli_str(d, "title", ""));
        }
    json_decref(o);
    return 0;
}

static int deal_show(const cli_cmd *self, int argc, char **argv)
{
    return deal_read(self, argc, argv, true);
}

static int deal_list(const cli_cmd *self, int argc, char **argv)
{
    return deal_read(self, argc, argv, false);
}

#define COMMON "--server URL --key FILE [--json]"

int cli_deal(int argc, char **argv)
{
    static const cli_cmd subs[] = {
        {"deal", "propose",
         "--deal ID --title T --text FILE [--annex NAME=FILE]... --party M...\n"
         "        [--zone INDEX]... [--public] " COMMON,
         "A coordinator proposes a version of the deal: the text and each annex are uploaded\n"
         "as blobs (by their SHA-256; --public makes them readable by anyone, else by the\n"
         "parties), then the proposal names their hashes, the zone versions it includes (by\n"
         "entry index) and the parties who must sign, the host nation among them. Prints\n"
         "'deal ID version N hash HEX': the hash each party signs. A new version supersedes\n"
         "every earlier one not in force; signatures start over.",
         deal_propose},
        {"deal", "sign", "--deal ID [--version N] " COMMON,
         "A party signs a version (the latest unless --version): its text and annexes are\n"
         "downloaded and checked against their hashes first, and nothing is signed if one is\n"
         "missing or differs. Once every party has signed, the version is in force and the\n"
         "fact deal-in-force:ID holds for pledge conditions.",
         deal_sign},
        {"deal", "notice", "--deal ID suspend|resume|terminate --text T " COMMON,
         "A party of the version in force suspends the deal, resumes it (only the party that\n"
         "suspended it) or terminates it (final), saying why.",
         deal_notice},
        {"deal", "show", "ID --server URL [--json]",
         "A deal: its status, since when it is in force, each version with its hash and\n"
         "who signed it.",
         deal_show},
        {"deal", "list", "--server URL [--json]", "Every deal: its status and latest version.",
         deal_list},
    };
    return cli_group(argc, argv, "deal", subs, sizeof subs / sizeof subs[0], NULL);
}
