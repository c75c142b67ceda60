/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition's pledges (docs/internals/cli.md):
 * `willing pledge add|amend|drafts|submit|withdraw|show|list|announce`.
 *   --draft   (add, amend) keeps the pledge under $XDG_STATE_HOME/willing/drafts/
 *             without sending anything; `submit` seals and sends it.
 *   add       builds the pledge as sealed content signed with the member's key
 *             and seals it (common.c: salt, content and receipt are kept under
 *             $XDG_STATE_HOME/willing/sealed/, mode 0600: only the author can
 *             announce it later).
 *   show      the sealed content as the log keeps it (author, coordinator and
 *             named readers only), with its envelope once published.
 *   announce  publishes salt and content in an `announce` entry naming the
 *             envelope, so anyone can check the commitment.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/coalition.h"

static int add(const char *server, const wl_keyfile *kf, const char *kind, json_t *body)
{
    char label[160];
    snprintf(label, sizeof label,
             "pledge %s\n(two ids: pledge show and announce take the sealed id, pledge amend "
             "and withdraw the pledge id)\n",
             cli_str(body, "pledge", ""));
    return cli_seal(server, kf, kind, body, label);
}

/* ---- drafts: kept here with their author, mode 0600, never sent until submitted ---- */

static void drafts_dir(char *dir, size_t cap)
{
    cli_state_dir("drafts", dir, cap);
}

static int draft_save(const char *kind, json_t *body)
{
    char dir[2100], path[2300];
    const char *id = cli_str(body, "pledge", "");
    json_t *d = json_pack("{s:s, s:O}", "kind", kind, "body", body);
    drafts_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    if (d == NULL || cli_write_private(path, d, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
        fprintf(stderr, "willing pledge: cannot keep the draft in %s: %s\n", path, strerror(errno));
        json_decref(d);
        return 1;
    }
    json_decref(d);
    if (cli_json)
        printf("{\"draft\": \"%s\", \"kept\": \"%s\"}\n", id, path);
    else
        printf("draft %s\nkept in %s (not sent: `willing pledge submit %s` sends it)\n", id, path,
               id);
    return 0;
}

static int draft_submit(const char *server, const wl_keyfile *kf, const char *id)
{
    char dir[2100], path[2300], why[512];
    json_t *d, *body;
    const char *kind;
    int ret = 1;
    if (!cli_hex_id(id, 32)) {
        fprintf(stderr, "willing pledge submit: a draft is named by its 32 hex digits\n");
        return 2;
    }
    drafts_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    d = json_load_file(path, 0, NULL);
    body = json_object_get(d, "body");
    kind = json_string_value(json_object_get(d, "kind"));
    if (d == NULL || body == NULL || kind == NULL)
        fprintf(stderr, "willing pledge submit: no draft %s here (%s)\n", id, path);
    else if (wl_pledge_check(body, why, sizeof why) != WL_OK)
        fprintf(stderr, "willing pledge submit: the draft is not a valid pledge: %s\n", why);
    else if ((ret = add(server, kf, kind, body)) == 0 && unlink(path) != 0)
        fprintf(stderr, "willing pledge submit: sent, but cannot remove the draft %s: %s\n", path,
                strerror(errno));
    json_decref(d);
    return ret;
}

static int drafts_list(void)
{
    json_t *all = json_array();
    char dir[2100], path[2400];
    DIR *dp;
    struct dirent *de;
    int n = 0;
    drafts_dir(dir, sizeof dir);
    dp = opendir(dir);
    while (dp && (de = readdir(dp)) != NULL) {
        json_t *d, *b;
        if (strlen(de->d_name) != 37 || strcmp(de->d_name + 32, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        d = json_load_file(path, 0, NULL);
        b = json_object_get(d, "body");
        if (b && cli_json) {
            json_array_append_new(
                all, json_pack("{s:s%, s:O}", "draft", de->d_name, (size_t)32, "body", b));
            n++;
        } else if (b) {
            printf("%.32s %-14s %s %s%s\n", de->d_name, cli_str(b, "category", ""),
                   cli_str(b, "quantity", ""), cli_str(b, "unit", ""),
                   json_object_get(b, "amends") ? " (amendment)" : "");
            n++;
        }
        json_decref(d);
    }
    if (dp)
        closedir(dp);
    if (cli_json)
        cli_print_json(all);
    else if (n == 0)
        printf("no drafts in %s\n", dir);
    json_decref(all);
    return 0;
}

/* ---- the two ids of a pledge ---- */

/* The sealed id (64 hex) of the pledge with pledge id pid (32 hex) sealed from here; 0 or -1. */
static int sealed_id_of(const char *pid, char out[65])
{
    char dir[2100];
    DIR *d;
    struct dirent *de;
    int found = 0;
    cli_state_dir("sealed", dir, sizeof dir);
    if ((d = opendir(dir)) == NULL)
        return -1;
    while (!found && (de = readdir(d)) != NULL) {
        char hex[65];
        wl_entry e;
        if (strlen(de->d_name) != 69 || strcmp(de->d_name + 64, ".json") != 0)
            continue;
        memcpy(hex, de->d_name, 64);
        hex[64] = '\0';
        if (cli_kept_content(hex, &e) != 0)
            continue;
        if (strcmp(e.kind, "pledge") == 0 && strcmp(cli_str(e.body_json, "pledge", ""), pid) == 0) {
            snprintf(out, 65, "%s", hex);
            found = 1;
        }
        wl_entry_clear(&e);
    }
    closedir(d);
    return found ? 0 : -1;
}

/*
 * A pledge has two ids: its sealed id (64 hex digits, the commitment the log
 * publishes: show and announce take it) and its pledge id (32 hex digits, in
 * its body: amend and withdraw take it). Where one is wanted the other is
 * accepted too when the pledge was sealed from here (the salt and content kept
 * here say which is which). out gets the wanted id (65 bytes); 0, or -1 and a
 * line on stderr saying which id is wanted.
 */
static int want_id(const char *cmd, const char *given, bool sealed, char out[65])
{
    wl_entry e;
    const char *wanted = sealed ? "the sealed id (64 hex digits, printed as `sealed` by add)"
                                : "the pledge id (32 hex digits, printed as `pledge` by add)";
    out[0] = '\0';
    if (cli_hex_id(given, sealed ? 64 : 32)) {
        snprintf(out, 65, "%s", given);
        return 0;
    }
    if (!sealed && cli_hex_id(given, 64) && cli_kept_content(given, &e) == 0) {
        const char *p = cli_str(e.body_json, "pledge", "");
        bool ok = strcmp(e.kind, "pledge") == 0 && cli_hex_id(p, 32);
        if (ok)
            snprintf(out, 65, "%s", p);
        wl_entry_clear(&e);
        if (ok)
            return 0;
    }
    if (sealed && cli_hex_id(given, 32) && sealed_id_of(given, out) == 0)
        return 0;
    fprintf(stderr, "willing pledge %s: %s wants %s; %s is %s\n", cmd, cmd, wanted, given,
            cli_hex_id(given, 32)   ? "a pledge id, and no pledge sealed from here has it"
            : cli_hex_id(given, 64) ? "a sealed id, and no pledge sealed from here has it"
                                    : "neither (a sealed id has 64 hex digits, a pledge id 32)");
    return -1;
}

/* ---- what the log keeps ---- */

static int show(const char *server, const wl_keyfile *kf, const char *id, json_t **out)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/sealed/%s", id);
    return cli_get_json("pledge", server, path, kf, out, NULL);
}

static int announce(const char *server, const wl_keyfile *kf, const char *id)
{
    char dir[2100], path[2300];
    json_t *saved, *cur = NULL, *o = NULL;
    int ret = 1;

    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    saved = json_load_file(path, 0, NULL);
    if (saved == NULL) {
        fprintf(stderr,
                "willing pledge announce: no kept pledge %s here (%s): only its author "
                "holds the salt\n",
                id, path);
        goto out;
    }
    if (show(server, kf, id, &cur) != 0)
        goto out;
    if (!json_is_integer(json_object_get(cur, "envelope"))) {
        char when[32];
        wl_time_iso8601(json_integer_value(json_object_get(cur, "deadline")), when, sizeof when);
        fprintf(stderr,
                "willing pledge announce: %s is not published yet; its batch closes at %s\n", id,
                when);
        goto out;
    }
    o = json_pack("{s:I, s:O, s:O}", "sealed", json_integer_value(json_object_get(cur, "envelope")),
                  "salt", json_object_get(saved, "salt"), "content",
                  json_object_get(saved, "content"));
    ret = cli_post_json(server, kf, "announce", o);
out:
    json_decref(o);
    json_decref(saved);
    json_decref(cur);
    return ret;
}

/* One pledge sealed from here, as the log sees it now: printed, or added to all; 0 or -1. */
static int list_one(const char *server, const wl_keyfile *kf, const char *id, json_t *all)
{
    json_t *cur = NULL, *env, *b;
    char *raw = NULL;
    size_t len = 0;
    wl_entry e;
    int ret = -1;

    memset(&e, 0, sizeof e);
    if (show(server, kf, id, &cur) != 0)
        goto out;
    env = json_object_get(cur, "envelope");
    raw = cli_b64_decode(json_string_value(json_object_get(cur, "content")), &len);
    if (raw == NULL || wl_sealed_parse(raw, len, &e, NULL, 0) != WL_OK)
        goto out;
    b = e.body_json;
    if (cli_json)
        json_array_append_new(all, json_pack("{s:s, s:s, s:O, s:O, s:b}", "id", id, "kind", e.kind,
                                             "body", b, "envelope", env, "published",
                                             json_is_integer(env)));
    else
        printf("%s  %s %s %s %s  %s\n", id, e.kind, cli_str(b, "category", "-"),
               cli_str(b, "quantity", ""), cli_str(b, "unit", ""),
               json_is_integer(env) ? "published" : "waiting for its batch");
    ret = 0;
out:
    wl_entry_clear(&e);
    free(raw);
    json_decref(cur);
    return ret;
}

/* The pledges this user sealed (kept under the state directory), as the log sees them now. */
static int list(const char *server, const wl_keyfile *kf)
{
    char dir[2100], base[1024];
    DIR *d;
    struct dirent *de;
    int n = 0;
    json_t *all = json_array();
    cli_state_dir("sealed", dir, sizeof dir);
    cli_base_url(server, base, sizeof base);
    d = opendir(dir);
    while (d && (de = readdir(d)) != NULL) {
        char path[2400], id[65];
        json_t *saved;
        if (strlen(de->d_name) != 69 || strcmp(de->d_name + 64, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        saved = json_load_file(path, 0, NULL);
        memcpy(id, de->d_name, 64);
        id[64] = '\0';
        if (saved && strcmp(cli_str(saved, "server", ""), base) == 0 &&
            list_one(server, kf, id, all) == 0)
            n++;
        json_decref(saved);
    }
    if (d)
        closedir(d);
    if (cli_json)
        cli_print_json(all);
    else if (d == NULL)
        printf("no pledges sealed from here\n");
    else if (n == 0)
        printf("no pledges sealed from here for %s\n", base);
    json_decref(all);
    return 0;
}

/* ---- the subcommands ---- */

typedef struct {
    json_t *body, *caveats;
    bool draft;
} pledge_opts;

static int pledge_opt(void *ctx, int ch, const char *arg)
{
    static const char *const field[128] = {['c'] = "category", ['q'] = "quantity", ['u'] = "unit",
                                           ['p'] = "place",    ['P'] = "period",   ['t'] = "text"};
    pledge_opts *p = ctx;
    char why[512];
    if (ch > 0 && ch < 128 && field[ch]) {
        json_object_set_new(p->body, field[ch], json_string(arg));
    } else if (ch == 'D') {
        p->draft = true;
    } else if (ch == 'v') {
        json_array_append_new(p->caveats, json_string(arg));
    } else if (ch == 'C') {
        wl_cond *c = NULL;
        if (wl_cond_parse(arg, &c, why, sizeof why) != WL_OK) {
            fprintf(stderr, "willing pledge: condition: %s\n", why);
            return 2;
        }
        json_object_set_new(p->body, "condition", wl_cond_to_json(c));
        wl_cond_free(c);
    } else if (ch == 'r') {
        json_t *rs = json_array();
        const char *s = arg;
        while (*s) {
            size_t n = strcspn(s, ",");
            if (n)
                json_array_append_new(rs, json_stringn(s, n));
            s += n + (s[n] == ',');
        }
        json_object_set_new(p->body, "readers", rs);
    }
    return CLI_GO;
}

/* add and amend (PLEDGE_ID): the pledge from the options, sealed or kept as a draft. */
static int run_new(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"category", required_argument, NULL, 'c'},
        {"quantity", required_argument, NULL, 'q'},
        {"unit", required_argument, NULL, 'u'},
        {"condition", required_argument, NULL, 'C'},
        {"readers", required_argument, NULL, 'r'},
        {"place", required_argument, NULL, 'p'},
        {"period", required_argument, NULL, 'P'},
        {"caveat", required_argument, NULL, 'v'},
        {"text", required_argument, NULL, 't'},
        {"draft", no_argument, NULL, 'D'},
        {NULL, 0, NULL, 0},
    };
    pledge_opts p = {json_object(), json_array(), false};
    bool amend = strcmp(self->name, "amend") == 0;
    char id[33], pid[65], why[512];
    cli_common c;
    wl_keyfile kf;
    int ret;

    cli_random_hex(id, 16);
    json_object_set_new(p.body, "pledge", json_string(id));
    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, pledge_opt, &p, &c);
    if (ret != CLI_GO)
        goto out;
    ret = 2;
    if (optind != argc - amend || (!c.server && !p.draft) || !c.key) {
        cli_cmd_usage(stderr, self);
        goto out;
    }
    if (cli_member_key("pledge", c.key, &kf) != 0) {
        ret = 1;
        goto out;
    }
    if (amend) {
        if (want_id("amend", argv[optind], false, pid) != 0)
            goto wipe;
        json_object_set_new(p.body, "amends", json_string(pid));
    }
    if (json_array_size(p.caveats))
        json_object_set(p.body, "caveats", p.caveats);
    if (wl_pledge_check(p.body, why, sizeof why) != WL_OK)
        fprintf(stderr, "willing %s\n", why);
    else
        ret = p.draft ? draft_save("pledge", p.body) : add(c.server, &kf, "pledge", p.body);
wipe:
    wl_key_wipe(&kf.key);
out:
    json_decref(p.body);
    json_decref(p.caveats);
    return ret;
}

static int withdraw(const char *server, const wl_keyfile *kf, const char *given)
{
    char pid[65];
    json_t *w;
    int ret;
    if (want_id("withdraw", given, false, pid) != 0)
        return 2;
    w = json_pack("{s:s}", "pledge", pid);
    ret = add(server, kf, "pledge.withdraw", w);
    json_decref(w);
    return ret;
}

static int show_json(const char *server, const wl_keyfile *kf, const char *given)
{
    char id[65];
    json_t *o = NULL;
    int ret;
    if (want_id("show", given, true, id) != 0)
        return 2;
    if ((ret = show(server, kf, id, &o)) == 0)
        cli_print_json(o);
    json_decref(o);
    return ret;
}

static int announce_id(const char *server, const wl_keyfile *kf, const char *given)
{
    char id[65];
    return want_id("announce", given, true, id) != 0 ? 2 : announce(server, kf, id);
}

static int list_all(const char *server, const wl_keyfile *kf, const char *none)
{
    (void)none;
    return list(server, kf);
}

/* The subcommands that take --server, --key and at most one operand, and what each does. */
static const struct {
    const char *name;
    int (*fn)(const char *server, const wl_keyfile *kf, const char *operand);
    int operands;
} keyed[] = {
    {"submit", draft_submit, 1},  {"withdraw", withdraw, 1}, {"show", show_json, 1},
    {"announce", announce_id, 1}, {"list", list_all, 0},
};

static int run_keyed(const cli_cmd *self, int argc, char **argv)
{
    size_t i = 0;
    cli_common c;
    wl_keyfile kf;
    int ret;
    while (i < sizeof keyed / sizeof keyed[0] && strcmp(keyed[i].name, self->name) != 0)
        i++;
    assert(i < sizeof keyed / sizeof keyed[0]); /* each of pledge_subs running here has a row */
    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (optind != argc - keyed[i].operands || !c.server || !c.key)
        return cli_cmd_usage(stderr, self);
    if (cli_member_key("pledge", c.key, &kf) != 0)
        return 1;
    ret = keyed[i].fn(c.server, &kf, keyed[i].operands ? argv[optind] : NULL);
    wl_key_wipe(&kf.key);
    return ret;
}

static int run_drafts(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    int ret = cli_parse(self, argc, argv, CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    return optind == argc ? drafts_list() : cli_cmd_usage(stderr, self);
}

static const cli_cmd pledge_subs[] = {
    {"pledge", "add",
     "--server URL --key FILE --category C --quantity Q --unit U\n"
     "                          [--condition TEXT] [--readers a,b] [--place P]\n"
     "                          [--period YYYY-Qn] [--caveat TEXT]... [--text TEXT]\n"
     "                          [--draft] [--json]",
     "Seals a new pledge and prints its two ids: `sealed` (its sealed id, 64 hex\n"
     "digits: show and announce take it) and `pledge` (its pledge id, 32 hex\n"
     "digits: amend and withdraw take it). --draft keeps it here (mode 0600)\n"
     "without sending anything. Categories:\n  " WL_PLEDGE_CATEGORIES ".\n"
     "Quantities are exact decimals (money: 1600000000.00). Conditions may only\n"
     "ask for more, e.g. \"all(requires(us), at_least(5, ground_forces))\", and\n"
     "name known categories. Places and times stay coarse: a country or region,\n"
     "a quarter.\n",
     run_new},
    {"pledge", "amend", "--server URL --key FILE [add's options] PLEDGE_ID",
     "Seals a new version of your pledge PLEDGE_ID (add's options, all of them:\n"
     "the amendment replaces the pledge). PLEDGE_ID is the pledge id (32 hex\n"
     "digits); its sealed id (64) is taken too when it was sealed from here.\n",
     run_new},
    {"pledge", "drafts", "[--json]", "Lists the drafts kept here.\n", run_drafts},
    {"pledge", "submit", "--server URL --key FILE DRAFT", "Seals and sends a draft kept here.\n",
     run_keyed},
    {"pledge", "withdraw", "--server URL --key FILE PLEDGE_ID",
     "Seals the withdrawal of your pledge PLEDGE_ID: the pledge id (32 hex\n"
     "digits); its sealed id (64) is taken too when it was sealed from here.\n",
     run_keyed},
    {"pledge", "show", "--server URL --key FILE SEALED_ID",
     "Prints the sealed content as the log keeps it (JSON), with its envelope\n"
     "once published. SEALED_ID is the sealed id (64 hex digits); the pledge id\n"
     "(32) is taken too when the pledge was sealed from here.\n",
     run_keyed},
    {"pledge", "list", "--server URL --key FILE [--json]", "Lists the pledges sealed from here.\n",
     run_keyed},
    {"pledge", "announce", "--server URL --key FILE SEALED_ID",
     "Publishes the pledge's salt and content in an announce entry, so anyone can\n"
     "check it against its envelope. SEALED_ID is the sealed id (64 hex digits);\n"
     "the pledge id (32) is taken too when the pledge was sealed from here.\n",
     run_keyed},
};

int cli_pledge(int argc, char **argv)
{
    return cli_group(argc, argv, "pledge", pledge_subs, sizeof pledge_subs / sizeof pledge_subs[0],
                     "A pledge has two ids: its sealed id (64 hex digits: the commitment the log\n"
                     "publishes; show and announce take it) and its pledge id (32 hex digits, in\n"
                     "its body; amend and withdraw take it). Either is accepted for the other\n"
                     "when the pledge was sealed from here.\n"
                     "A pledge is sealed: the log publishes only a commitment, in a batch of\n"
                     "identical-looking envelopes, until its author announces it. Categories:\n"
                     "  " WL_PLEDGE_CATEGORIES
                     ".\nQuantities are exact decimals (money: 1600000000.00).\n"
                     "Conditions may only ask for more, e.g.\n"
                     "  \"all(requires(us), at_least(5, ground_forces))\"\n"
                     "Places and times stay coarse: a country or region, a quarter.\n"
                     "Every subcommand takes --json (show always prints JSON).\n");
}
