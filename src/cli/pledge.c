/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing pledge add|amend|withdraw|show|list|announce|drafts|submit`: a
 * member's sealed pledges.
 *   --draft   (add, amend) keeps the pledge under $XDG_STATE_HOME/willing/drafts/
 *             without sending anything; `submit` seals and sends it.
 *   add       builds the pledge as sealed content signed with the member's key,
 *             draws a 32-byte salt, sends both on a signed request, and keeps
 *             salt, content and receipt under $XDG_STATE_HOME/willing/sealed/
 *             (mode 0600): only the author can announce it later.
 *   show      the sealed content as the log keeps it (author, coordinator and
 *             named readers only), with its envelope once published.
 *   announce  publishes salt and content in an `announce` entry naming the
 *             envelope, so anyone can check the commitment.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "willing/coalition.h"
#include "willing/entry.h"
#include "willing/ledger.h"
#include "willing/receipt.h"

static const cli_sub pledge_subs[] = {
    {"add",
     "add --server URL --key FILE --category C --quantity Q --unit U\n"
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
     "a quarter.\n"},
    {"amend", "amend --server URL --key FILE [add's options] PLEDGE_ID",
     "Seals a new version of your pledge PLEDGE_ID (add's options, all of them:\n"
     "the amendment replaces the pledge). PLEDGE_ID is the pledge id (32 hex\n"
     "digits); its sealed id (64) is taken too when it was sealed from here.\n"},
    {"drafts", "drafts", "Lists the drafts kept here.\n"},
    {"submit", "submit --server URL --key FILE DRAFT", "Seals and sends a draft kept here.\n"},
    {"withdraw", "withdraw --server URL --key FILE PLEDGE_ID",
     "Seals the withdrawal of your pledge PLEDGE_ID: the pledge id (32 hex\n"
     "digits); its sealed id (64) is taken too when it was sealed from here.\n"},
    {"show", "show --server URL --key FILE SEALED_ID",
     "Prints the sealed content as the log keeps it (JSON), with its envelope\n"
     "once published. SEALED_ID is the sealed id (64 hex digits); the pledge id\n"
     "(32) is taken too when the pledge was sealed from here.\n"},
    {"list", "list --server URL --key FILE", "Lists the pledges sealed from here.\n"},
    {"announce", "announce --server URL --key FILE SEALED_ID",
     "Publishes the pledge's salt and content in an announce entry, so anyone can\n"
     "check it against its envelope. SEALED_ID is the sealed id (64 hex digits);\n"
     "the pledge id (32) is taken too when the pledge was sealed from here.\n"},
};

static int usage_for(FILE *f, const char *sub)
{
    return cli_usage(f, "pledge", pledge_subs, sizeof pledge_subs / sizeof pledge_subs[0], sub,
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

static int usage(FILE *f)
{
    return usage_for(f, NULL);
}

static void random_hex(char *out, size_t bytes)
{
    uint8_t r[32];
    randombytes_buf(r, bytes);
    wl_hex_encode(r, bytes, out);
}

/* The operator's entry key, from the log's first entry (the operator adding itself). */
static int operator_vkey(const char *base, wl_vkey *vk)
{
    char url[1200], err[512];
    cli_buf b = {0};
    json_t *o = NULL;
    const char *e64, *m, *k;
    char *raw = NULL;
    size_t n = 0, kn = 0;
    uint8_t pk[32];
    wl_entry e;
    int ok = 0;
    memset(&e, 0, sizeof e);
    snprintf(url, sizeof url, "%s/api/v1/entries/0", base);
    if (cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err) == 200 &&
        (o = json_loads(b.buf, 0, NULL)) != NULL &&
        (e64 = json_string_value(json_object_get(o, "entry"))) != NULL &&
        (raw = malloc(strlen(e64))) != NULL &&
        wl_b64_decode(e64, strlen(e64), (uint8_t *)raw, strlen(e64), &n) == WL_OK &&
        wl_entry_parse(raw, n, &e, NULL, 0) == WL_OK &&
        (m = json_string_value(json_object_get(e.body_json, "member"))) != NULL &&
        (k = json_string_value(json_object_get(e.body_json, "key"))) != NULL &&
        wl_b64_decode(k, strlen(k), pk, 32, &kn) == WL_OK && kn == 32) {
        wl_vkey_make(m, WL_SIGTYPE_ED25519, pk, vk);
        ok = 1;
    }
    wl_entry_clear(&e);
    free(raw);
    json_decref(o);
    cli_buf_free(&b);
    return ok ? 0 : -1;
}

/* Checks the operator's receipt for commitment c (include/willing/receipt.h). */
static int receipt_ok(const char *base, const char *origin, const uint8_t c[32], json_t *o)
{
    wl_vkey vk;
    const char *note = json_string_value(json_object_get(o, "receipt"));
    json_t *pr = json_object_get(o, "receipt_proof"), *v;
    const char *bl = json_string_value(json_object_get(pr, "blind"));
    uint8_t blind[32], path[WL_RECEIPT_DEPTH][32];
    size_t n = 0, i;
    if (note == NULL || bl == NULL || operator_vkey(base, &vk) != 0 ||
        wl_b64_decode(bl, strlen(bl), blind, 32, &n) != WL_OK || n != 32 ||
        json_array_size(json_object_get(pr, "path")) != WL_RECEIPT_DEPTH)
        return 0;
    json_array_foreach(json_object_get(pr, "path"), i, v)
    {
        const char *h = json_string_value(v);
        if (h == NULL || wl_b64_decode(h, strlen(h), path[i], 32, &n) != WL_OK || n != 32)
            return 0;
    }
    return wl_receipt_verify(note, strlen(note), &vk, origin, c,
                             json_integer_value(json_object_get(o, "batch")),
                             json_integer_value(json_object_get(o, "deadline")), blind,
                             (uint64_t)json_integer_value(json_object_get(pr, "index")),
                             (const uint8_t(*)[32])path) == WL_OK;
}

/*
 * Seals content of this kind and body by kf's member: draws the nonce and the
 * salt, keeps salt and content under the state directory (mode 0600) before
 * sending, and prints the operator's receipt. Pledges and members use it.
 */
int cli_seal(const char *server, const wl_keyfile *kf, const char *kind, json_t *body,
             const char *label)
{
    char base[1024], origin[WL_ORIGIN_MAX + 1], url[1200], err[512], nonce[33], dir[2100];
    char path[2300], *content = NULL, *bodytext = NULL, *req = NULL, *cb64 = NULL;
    size_t clen = 0;
    uint8_t salt[32], c[32];
    char sb[45], hex[65];
    cli_buf resp = {0};
    json_t *o = NULL, *saved;
    long st;
    int ret = 1;
    FILE *f;

    cli_base_url(server, base, sizeof base);
    if (cli_fetch_origin(base, origin, sizeof origin) != 0)
        return 1;
    bodytext = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    random_hex(nonce, 16);
    if (bodytext == NULL || wl_sealed_build(origin, kind, kf->member, nonce, (int64_t)time(NULL),
                                            bodytext, &kf->key, &content, &clen) != WL_OK) {
        fprintf(stderr, "willing: cannot build the sealed content\n");
        goto out;
    }
    randombytes_buf(salt, sizeof salt);
    wl_seal_commitment(salt, content, clen, c);
    wl_hex_encode(c, 32, hex);
    wl_b64_encode(salt, 32, sb);
    cb64 = malloc(wl_b64_len(clen) + 1);
    if (cb64 == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)content, clen, cb64);
    o = json_pack("{s:s, s:s}", "salt", sb, "content", cb64);
    req = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    o = NULL;
    /* keep salt and content before sending: without them the pledge cannot be announced */
    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, hex);
    saved =
        json_pack("{s:s, s:s, s:s, s:s}", "server", base, "id", hex, "salt", sb, "content", cb64);
    {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
    }
    if (f == NULL || json_dumpf(saved, f, JSON_INDENT(2)) != 0 || fclose(f) != 0) {
        fprintf(stderr, "willing: cannot keep the sealed content in %s: %s\n", path,
                strerror(errno));
        json_decref(saved);
        goto out;
    }
    json_decref(saved);
    snprintf(url, sizeof url, "%s/api/v1/sealed", base);
    /* the content's own signature authenticates it: no signed request needed */
    st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
    o = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if (st != 200 && st != 201) {
        char m[512];
        fprintf(stderr, "willing: %s\n", cli_answer_message(st, &resp, err, m, sizeof m));
        goto out;
    }
    if (!cli_json) {
        char when[32];
        wl_time_iso8601(json_integer_value(json_object_get(o, "deadline")), when, sizeof when);
        printf("sealed %s\n%spublished with the batch of %s\nkept in %s\n", hex, label, when, path);
        printf("receipt:\n%s", json_string_value(json_object_get(o, "receipt")));
    }
    if (!receipt_ok(base, origin, c, o)) {
        fprintf(stderr, "willing: the operator's receipt does not verify: keep this output\n");
        if (cli_json)
            json_dumpf(o, stderr, JSON_INDENT(2));
        goto out;
    }
    if (cli_json) {
        json_object_set_new(o, "kind", json_string(kind));
        json_object_set(o, "body", body);
        json_object_set_new(o, "kept", json_string(path));
        json_object_set_new(o, "receipt_verified", json_true());
        json_dumpf(o, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        printf("receipt verified: signed by the operator's entry key, the commitment in its "
               "tree\n");
    }
    /* keep the receipt beside salt and content: proof the operator took it in time */
    saved = json_load_file(path, 0, NULL);
    if (saved) {
        int fd = open(path, O_WRONLY | O_TRUNC);
        json_object_set(saved, "receipt", json_object_get(o, "receipt"));
        json_object_set(saved, "receipt_proof", json_object_get(o, "receipt_proof"));
        json_object_set(saved, "batch", json_object_get(o, "batch"));
        json_object_set(saved, "deadline", json_object_get(o, "deadline"));
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f == NULL && fd >= 0)
            close(fd);
        if (f == NULL || json_dumpf(saved, f, JSON_INDENT(2)) != 0 || fclose(f) != 0)
            fprintf(stderr, "willing: cannot keep the receipt in %s\n", path);
        json_decref(saved);
    }
    ret = 0;
out:
    json_decref(o);
    free(bodytext);
    free(req);
    free(cb64);
    wl_free(content);
    cli_buf_free(&resp);
    return ret;
}

static int add(const char *server, const wl_keyfile *kf, const char *kind, json_t *body)
{
    char label[160];
    const char *id = json_string_value(json_object_get(body, "pledge"));
    snprintf(label, sizeof label,
             "pledge %s\n(two ids: pledge show and announce take the sealed id, pledge amend "
             "and withdraw the pledge id)\n",
             id ? id : "");
    return cli_seal(server, kf, kind, body, label);
}

/* Drafts stay with their author: kept here, mode 0600, never sent until submitted. */
static void drafts_dir(char *dir, size_t cap)
{
    cli_state_dir("drafts", dir, cap);
}

static int draft_save(const char *kind, json_t *body)
{
    char dir[2100], path[2300];
    const char *id = json_string_value(json_object_get(body, "pledge"));
    json_t *d = json_pack("{s:s, s:O}", "kind", kind, "body", body);
    int fd;
    FILE *f;
    drafts_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL || json_dumpf(d, f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 || fclose(f) != 0) {
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
    json_error_t jerr;
    json_t *d, *body;
    const char *kind;
    int ret = 1;
    drafts_dir(dir, sizeof dir);
    if (strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32) {
        fprintf(stderr, "willing pledge submit: a draft is named by its 32 hex digits\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    d = json_load_file(path, 0, &jerr);
    body = json_object_get(d, "body");
    kind = json_string_value(json_object_get(d, "kind"));
    if (d == NULL || body == NULL || kind == NULL) {
        fprintf(stderr, "willing pledge submit: no draft %s here (%s)\n", id, path);
        json_decref(d);
        return 1;
    }
    if (wl_pledge_check(body, why, sizeof why) != WL_OK) {
        fprintf(stderr, "willing pledge submit: the draft is not a valid pledge: %s\n", why);
    } else if ((ret = add(server, kf, kind, body)) == 0 && unlink(path) != 0) {
        fprintf(stderr, "willing pledge submit: sent, but cannot remove the draft %s: %s\n", path,
                strerror(errno));
    }
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
            printf("%.32s %-14s %s %s%s\n", de->d_name,
                   json_string_value(json_object_get(b, "category")),
                   json_string_value(json_object_get(b, "quantity")),
                   json_string_value(json_object_get(b, "unit")),
                   json_object_get(b, "amends") ? " (amendment)" : "");
            n++;
        }
        json_decref(d);
    }
    if (dp)
        closedir(dp);
    if (cli_json) {
        json_dumpf(all, stdout, JSON_INDENT(2));
        putchar('\n');
    } else if (n == 0) {
        printf("no drafts in %s\n", dir);
    }
    json_decref(all);
    return 0;
}

static int hex_id(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* The sealed content kept here under sealed id hex (64 digits), parsed into e; 0 or -1. */
static int kept_content(const char *hex, wl_entry *e)
{
    char dir[2100], path[2300];
    const char *c64;
    json_t *saved;
    char *raw = NULL;
    size_t len = 0;
    int ret = -1;
    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, hex);
    saved = json_load_file(path, 0, NULL);
    c64 = json_string_value(json_object_get(saved, "content"));
    if (c64 && (raw = malloc(strlen(c64) + 1)) != NULL &&
        wl_b64_decode(c64, strlen(c64), (uint8_t *)raw, strlen(c64), &len) == WL_OK &&
        wl_sealed_parse(raw, len, e, NULL, 0) == WL_OK)
        ret = 0;
    free(raw);
    json_decref(saved);
    return ret;
}

/*
 * A pledge has two ids: its sealed id (64 hex digits, the commitment the log
 * publishes: show and announce take it) and its pledge id (32 hex digits, in
 * its body: amend and withdraw take it). Where one is wanted the other is
 * accepted too when the pledge was sealed from here (the salt and content kept
 * here say which is which). out gets the wanted id (65 bytes); 0, or -1 and a
 * line on stderr saying which id is wanted.
 */
static int want_id(const char *cmd, const char *given, int sealed, char out[65])
{
    char dir[2100];
    wl_entry e;
    const char *wanted = sealed ? "the sealed id (64 hex digits, printed as `sealed` by add)"
                                : "the pledge id (32 hex digits, printed as `pledge` by add)";
    if (hex_id(given, sealed ? 64 : 32)) {
        snprintf(out, 65, "%s", given);
        return 0;
    }
    if (!sealed && hex_id(given, 64) && kept_content(given, &e) == 0) {
        const char *p = json_string_value(json_object_get(e.body_json, "pledge"));
        int ok = strcmp(e.kind, "pledge") == 0 && p && hex_id(p, 32);
        if (ok)
            snprintf(out, 65, "%s", p);
        wl_entry_clear(&e);
        if (ok)
            return 0;
    }
    if (sealed && hex_id(given, 32)) {
        DIR *d;
        struct dirent *de;
        int found = 0;
        cli_state_dir("sealed", dir, sizeof dir);
        if ((d = opendir(dir)) != NULL) {
            while (!found && (de = readdir(d)) != NULL) {
                char hex[65];
                if (strlen(de->d_name) != 69 || strcmp(de->d_name + 64, ".json") != 0)
                    continue;
                memcpy(hex, de->d_name, 64);
                hex[64] = '\0';
                if (kept_content(hex, &e) != 0)
                    continue;
                if (strcmp(e.kind, "pledge") == 0 &&
                    strcmp(json_string_value(json_object_get(e.body_json, "pledge"))
                               ? json_string_value(json_object_get(e.body_json, "pledge"))
                               : "",
                           given) == 0) {
                    snprintf(out, 65, "%s", hex);
                    found = 1;
                }
                wl_entry_clear(&e);
            }
            closedir(d);
        }
        if (found)
            return 0;
    }
    fprintf(stderr, "willing pledge %s: %s wants %s; %s is %s\n", cmd, cmd, wanted, given,
            hex_id(given, 32)   ? "a pledge id, and no pledge sealed from here has it"
            : hex_id(given, 64) ? "a sealed id, and no pledge sealed from here has it"
                                : "neither (a sealed id has 64 hex digits, a pledge id 32)");
    return -1;
}

static int show(const char *server, const wl_keyfile *kf, const char *id, json_t **out)
{
    char base[1024], url[1200], err[512];
    cli_buf resp = {0};
    long st;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/sealed/%s", base, id);
    st = cli_signed_http("GET", url, NULL, 0, kf, &resp, err, sizeof err);
    *out = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if (st != 200) {
        char m[512];
        fprintf(stderr, "willing pledge: %s\n", cli_answer_message(st, &resp, err, m, sizeof m));
        json_decref(*out);
        *out = NULL;
    }
    cli_buf_free(&resp);
    return st == 200 ? 0 : 1;
}

static int announce(const char *server, const wl_keyfile *kf, const char *id)
{
    char dir[2100], path[2300], *body;
    json_t *saved, *cur = NULL, *o;
    json_error_t jerr;
    int ret;

    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    saved = json_load_file(path, 0, &jerr);
    if (saved == NULL) {
        fprintf(stderr,
                "willing pledge announce: no kept pledge %s here (%s): only its author "
                "holds the salt\n",
                id, path);
        return 1;
    }
    if (show(server, kf, id, &cur) != 0) {
        json_decref(saved);
        return 1;
    }
    if (!json_is_integer(json_object_get(cur, "envelope"))) {
        char when[32];
        wl_time_iso8601(json_integer_value(json_object_get(cur, "deadline")), when, sizeof when);
        fprintf(stderr,
                "willing pledge announce: %s is not published yet; its batch closes at %s\n", id,
                when);
        json_decref(saved);
        json_decref(cur);
        return 1;
    }
    o = json_pack("{s:I, s:O, s:O}", "sealed", json_integer_value(json_object_get(cur, "envelope")),
                  "salt", json_object_get(saved, "salt"), "content",
                  json_object_get(saved, "content"));
    body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ret = cli_post_entry(server, kf, kf->member, "announce", body, cli_now_us(), cli_json, NULL,
                         NULL);
    free(body);
    json_decref(o);
    json_decref(saved);
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
    if (d == NULL) {
        json_decref(all);
        if (cli_json)
            printf("[]\n");
        else
            printf("no pledges sealed from here\n");
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        char path[2400], id[65];
        json_t *saved, *cur = NULL;
        if (strlen(de->d_name) != 69 || strcmp(de->d_name + 64, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        saved = json_load_file(path, 0, NULL);
        if (saved == NULL || strcmp(json_string_value(json_object_get(saved, "server"))
                                        ? json_string_value(json_object_get(saved, "server"))
                                        : "",
                                    base) != 0) {
            json_decref(saved);
            continue;
        }
        memcpy(id, de->d_name, 64);
        id[64] = '\0';
        if (show(server, kf, id, &cur) == 0) {
            const char *c64 = json_string_value(json_object_get(cur, "content"));
            json_t *env = json_object_get(cur, "envelope");
            char *raw = c64 ? malloc(strlen(c64)) : NULL;
            size_t len = 0;
            wl_entry e;
            if (raw &&
                wl_b64_decode(c64, strlen(c64), (uint8_t *)raw, strlen(c64), &len) == WL_OK &&
                wl_sealed_parse(raw, len, &e, NULL, 0) == WL_OK) {
                json_t *b = e.body_json;
                if (cli_json)
                    json_array_append_new(all, json_pack("{s:s, s:s, s:O, s:O, s:b}", "id", id,
                                                         "kind", e.kind, "body", b, "envelope", env,
                                                         "published", json_is_integer(env)));
                else
                    printf("%s  %s %s %s %s  %s\n", id, e.kind,
                           json_string_value(json_object_get(b, "category"))
                               ? json_string_value(json_object_get(b, "category"))
                               : "-",
                           json_string_value(json_object_get(b, "quantity"))
                               ? json_string_value(json_object_get(b, "quantity"))
                               : "",
                           json_string_value(json_object_get(b, "unit"))
                               ? json_string_value(json_object_get(b, "unit"))
                               : "",
                           json_is_integer(env) ? "published" : "waiting for its batch");
                wl_entry_clear(&e);
                n++;
            }
            free(raw);
            json_decref(cur);
        }
        json_decref(saved);
    }
    closedir(d);
    if (cli_json) {
        json_dumpf(all, stdout, JSON_INDENT(2));
        putchar('\n');
    } else if (n == 0) {
        printf("no pledges sealed from here for %s\n", base);
    }
    json_decref(all);
    return 0;
}

int cli_pledge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
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
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sub, *server = NULL, *keyp = NULL;
    json_t *body = json_object(), *caveats = json_array();
    char id[33], why[512], pid[65];
    wl_keyfile kf;
    int ch, ret = 2, draft = 0;

    if (argc < 2) {
        json_decref(body);
        json_decref(caveats);
        return usage(stderr);
    }
    sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        json_decref(body);
        json_decref(caveats);
        return usage(stdout);
    }
    argc--;
    argv++;
    random_hex(id, 16);
    json_object_set_new(body, "pledge", json_string(id));
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
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
            json_object_set_new(body, "place", json_string(optarg));
            break;
        case 'P':
            json_object_set_new(body, "period", json_string(optarg));
            break;
        case 't':
            json_object_set_new(body, "text", json_string(optarg));
            break;
        case 'D':
            draft = 1;
            break;
        case 'j':
            cli_json = true;
            break;
        case 'v':
            json_array_append_new(caveats, json_string(optarg));
            break;
        case 'C': {
            wl_cond *c = NULL;
            if (wl_cond_parse(optarg, &c, why, sizeof why) != WL_OK) {
                fprintf(stderr, "willing pledge: condition: %s\n", why);
                goto out;
            }
            json_object_set_new(body, "condition", wl_cond_to_json(c));
            wl_cond_free(c);
            break;
        }
        case 'r': {
            json_t *rs = json_array();
            char *copy = strdup(optarg), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                json_array_append_new(rs, json_string(t));
            free(copy);
            json_object_set_new(body, "readers", rs);
            break;
        }
        case 'h':
            ret = usage_for(stdout, sub);
            goto out;
        default:
            goto out;
        }
    }
    if (strcmp(sub, "drafts") == 0 && optind == argc) {
        ret = drafts_list();
        goto out;
    }
    if (draft && strcmp(sub, "add") != 0 && strcmp(sub, "amend") != 0) {
        fprintf(stderr, "willing pledge: --draft is for add and amend\n");
        goto out;
    }
    if ((!server && !draft) || !keyp) {
        usage_for(stderr, sub);
        goto out;
    }
    if (cli_member_key("pledge", keyp, &kf) != 0) {
        ret = 1;
        goto out;
    }
    if (strcmp(sub, "add") == 0 && optind == argc) {
        if (json_array_size(caveats))
            json_object_set(body, "caveats", caveats);
        if (wl_pledge_check(body, why, sizeof why) != WL_OK) {
            fprintf(stderr, "willing %s\n", why);
            ret = 2;
        } else {
            ret = draft ? draft_save("pledge", body) : add(server, &kf, "pledge", body);
        }
    } else if (strcmp(sub, "submit") == 0 && optind == argc - 1) {
        ret = draft_submit(server, &kf, argv[optind]);
    } else if (strcmp(sub, "amend") == 0 && optind == argc - 1) {
        if (json_array_size(caveats))
            json_object_set(body, "caveats", caveats);
        if (want_id("amend", argv[optind], 0, pid) != 0) {
            ret = 2;
            goto wipe;
        }
        json_object_set_new(body, "amends", json_string(pid));
        if (wl_pledge_check(body, why, sizeof why) != WL_OK) {
            fprintf(stderr, "willing %s\n", why);
            ret = 2;
        } else {
            ret = draft ? draft_save("pledge", body) : add(server, &kf, "pledge", body);
        }
    } else if (strcmp(sub, "withdraw") == 0 && optind == argc - 1) {
        json_t *w;
        if (want_id("withdraw", argv[optind], 0, pid) != 0) {
            ret = 2;
            goto wipe;
        }
        w = json_pack("{s:s}", "pledge", pid);
        ret = add(server, &kf, "pledge.withdraw", w);
        json_decref(w);
    } else if (strcmp(sub, "list") == 0 && optind == argc) {
        ret = list(server, &kf);
    } else if (strcmp(sub, "show") == 0 && optind == argc - 1) {
        json_t *o = NULL;
        if (want_id("show", argv[optind], 1, pid) != 0) {
            ret = 2;
            goto wipe;
        }
        ret = show(server, &kf, pid, &o);
        if (o) {
            char *t = json_dumps(o, JSON_INDENT(2));
            printf("%s\n", t);
            free(t);
            json_decref(o);
        }
    } else if (strcmp(sub, "announce") == 0 && optind == argc - 1) {
        ret = want_id("announce", argv[optind], 1, pid) != 0 ? 2 : announce(server, &kf, pid);
    } else {
        usage_for(stderr, sub);
    }
wipe:
    wl_key_wipe(&kf.key);
out:
    json_decref(body);
    json_decref(caveats);
    return ret;
}

/* willing seal --server URL --key FILE --kind KIND --body JSON: any sealed content, as is. */
int cli_seal_raw(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"kind", required_argument, NULL, 'K'},
        {"body", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *keyp = NULL, *kind = NULL, *bodytext = NULL;
    json_error_t jerr;
    json_t *body;
    wl_keyfile kf;
    int ch, ret;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
            break;
        case 'K':
            kind = optarg;
            break;
        case 'b':
            bodytext = optarg;
            break;
        case 'j':
            cli_json = true;
            break;
        case 'h':
        default:
            fprintf(ch == 'h' ? stdout : stderr,
                    "usage: willing seal --server URL --key FILE --kind KIND --body JSON\n\n"
                    "Seals content of any kind with the body as given, unchecked here: the log\n"
                    "checks it (for scripts and tests; `willing pledge` checks first).\n");
            return ch == 'h' ? 0 : 2;
        }
    }
    if (!server || !keyp || !kind || !bodytext || optind != argc) {
        fprintf(stderr, "usage: willing seal --server URL --key FILE --kind KIND --body JSON\n");
        return 2;
    }
    if ((body = json_loads(bodytext, 0, &jerr)) == NULL) {
        fprintf(stderr, "willing seal: the body is not JSON: %s\n", jerr.text);
        return 2;
    }
    if (cli_member_key("seal", keyp, &kf) != 0) {
        json_decref(body);
        return 1;
    }
    ret = cli_seal(server, &kf, kind, body, "");
    wl_key_wipe(&kf.key);
    json_decref(body);
    return ret;
}
