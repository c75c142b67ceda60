/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every `willing` command does, in one place (docs/internals/cli.md):
 * parse the common options and print a command's own usage, read a key file,
 * fetch the log's origin, sign and post an entry, seal content (keeping salt
 * and content here before sending, checking the operator's receipt), and
 * print an answer. Commands call this file and http.c (the transport), never
 * each other.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "willing/ledger.h"
#include "willing/receipt.h"

bool cli_json;

/* ---- a command, its usage and its options ---- */

/* A usage's notes after a blank line, always ending its line; no notes, nothing. */
static void usage_notes(FILE *f, const char *notes)
{
    size_t n = notes ? strlen(notes) : 0;
    if (n)
        fprintf(f, "\n%s%s", notes, notes[n - 1] == '\n' ? "" : "\n");
}

int cli_cmd_usage(FILE *f, const cli_cmd *cmd)
{
    fprintf(f, "usage: willing %s%s%s %s\n", cmd->group ? cmd->group : "", cmd->group ? " " : "",
            cmd->name, cmd->synopsis);
    usage_notes(f, cmd->about);
    return f == stdout ? 0 : 2;
}

int cli_group(int argc, char **argv, const char *group, const cli_cmd *subs, size_t n,
              const char *notes)
{
    bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    FILE *f = help ? stdout : stderr;
    for (size_t i = 0; argc >= 2 && !help && i < n; i++)
        if (strcmp(subs[i].name, argv[1]) == 0)
            return subs[i].run(&subs[i], argc - 1, argv + 1);
    if (argc >= 2 && !help)
        fprintf(stderr, "willing %s: no subcommand '%s'\n", group, argv[1]);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s willing %s %s %s\n", i ? "      " : "usage:", group, subs[i].name,
                subs[i].synopsis);
    usage_notes(f, notes);
    return help ? 0 : 2;
}

enum { OPT_SERVER = 0x100, OPT_KEY, OPT_JSON };

int cli_parse(const cli_cmd *self, int argc, char **argv, unsigned common, const struct option *own,
              cli_opt_fn fn, void *ctx, cli_common *c)
{
    struct option all[CLI_OPTS_MAX + 5];
    size_t n = 0;
    int ch, r;

    memset(c, 0, sizeof *c);
    for (; own && own[n].name; n++) {
        assert(n < CLI_OPTS_MAX && own[n].val > 0 && own[n].val < 0x100);
        all[n] = own[n];
    }
    if (common & CLI_SERVER)
        all[n++] = (struct option){"server", required_argument, NULL, OPT_SERVER};
    if (common & CLI_KEY)
        all[n++] = (struct option){"key", required_argument, NULL, OPT_KEY};
    if (common & CLI_JSON)
        all[n++] = (struct option){"json", no_argument, NULL, OPT_JSON};
    all[n++] = (struct option){"help", no_argument, NULL, 'h'};
    all[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", all, NULL)) != -1) {
        switch (ch) {
        case OPT_SERVER:
            c->server = optarg;
            break;
        case OPT_KEY:
            c->key = optarg;
            break;
        case OPT_JSON:
            c->json = cli_json = true;
            break;
        case 'h':
            return cli_cmd_usage(stdout, self);
        case '?':
        case ':':
            return cli_cmd_usage(stderr, self);
        default:
            if (fn && (r = fn(ctx, ch, optarg)) != CLI_GO)
                return r;
        }
    }
    return CLI_GO;
}

/* ---- small things ---- */

uint64_t cli_now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

void cli_base_url(const char *url, char *out, size_t cap)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    /* at most WL_CLI_SERVER_URL_MAX: every request's URL, the base and a path, then fits */
    if (n > WL_CLI_SERVER_URL_MAX || wl_fmt(out, cap, "%.*s", (int)n, url) != WL_OK) {
        fprintf(stderr, "willing: --server: a URL of at most %u bytes\n", WL_CLI_SERVER_URL_MAX);
        exit(2);
    }
}

void cli_url(const char *server, const char *path, char *out, size_t cap)
{
    size_t n = strlen(server);
    while (n > 0 && server[n - 1] == '/')
        n--;
    if (n > WL_CLI_SERVER_URL_MAX || wl_fmt(out, cap, "%.*s%s", (int)n, server, path) != WL_OK) {
        fprintf(stderr, "willing: --server: a URL of at most %u bytes\n", WL_CLI_SERVER_URL_MAX);
        exit(2); /* never a request to a cut URL */
    }
}

void cli_state_dir(const char *sub, char *out, size_t cap)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char d[2048];
    if ((xdg && xdg[0]
             ? wl_fmt(d, sizeof d, "%s/willing", xdg)
             : wl_fmt(d, sizeof d, "%s/.local/state/willing", home ? home : ".")) != WL_OK ||
        (sub && strlen(d) + 1 + strlen(sub) >= cap) || strlen(d) >= cap) {
        fprintf(stderr, "willing: the state directory's path (XDG_STATE_HOME or HOME) is too "
                        "long\n");
        exit(1); /* never a cut path */
    }
    /* mkdir -p, mode 0700: what is kept here is for this user only */
    for (char *p = d + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(d, 0700);
            *p = '/';
        }
    mkdir(d, 0700);
    if (sub) {
        (void)snprintf(out, cap, "%s/%s", d, sub); /* checked above: it fits */
        mkdir(out, 0700);
    } else {
        (void)snprintf(out, cap, "%s", d);
    }
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    if (len)
        *len = 0;
    if (f == NULL)
        return NULL;
    if ((buf = malloc(max + 2)) == NULL)
        goto out;
    n = fread(buf, 1, max + 1, f);
    if (n > max || ferror(f)) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
out:
    if (f != stdin)
        fclose(f);
    return buf;
}

int cli_write_private(const char *path, json_t *doc, size_t flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int bad;
    if (f == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    bad = json_dumpf(doc, f, flags) != 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

char *cli_b64_decode(const char *b64, size_t *len)
{
    size_t n = b64 ? strlen(b64) : 0;
    char *raw = b64 ? malloc(n + 1) : NULL;
    *len = 0;
    if (raw == NULL || wl_b64_decode(b64, n, (uint8_t *)raw, n, len) != WL_OK) {
        free(raw);
        *len = 0;
        return NULL;
    }
    raw[*len] = '\0';
    return raw;
}

bool cli_hex_id(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

void cli_random_hex(char *out, size_t n)
{
    uint8_t r[32];
    assert(n <= sizeof r);
    randombytes_buf(r, n);
    wl_hex_encode(r, n, out);
}

/* ---- keys ---- */

int cli_member_key(const char *cmd, const char *path, wl_keyfile *kf)
{
    if (wl_crypto_init() != WL_OK || wl_keyfile_read(path, kf) != WL_OK || !kf->member[0]) {
        wl_key_wipe(&kf->key);
        fprintf(stderr,
                "willing %s: cannot read %s, or it names no member (willing keygen "
                "--member ID)\n",
                cmd, path);
        return -1;
    }
    return 0;
}

int cli_entry_key(const char *path, const char *author, wl_keyfile *kf, const char **who)
{
    *who = NULL;
    if (wl_keyfile_read(path, kf) != WL_OK) {
        wl_key_wipe(&kf->key);
        fprintf(stderr, "willing: cannot read the key file %s (PKCS#8 PEM from willing keygen)\n",
                path);
        return -1;
    }
    *who = author ? author : (kf->member[0] ? kf->member : NULL);
    if (*who == NULL) {
        wl_key_wipe(&kf->key);
        fprintf(stderr, "willing: %s names no member: pass --author ID\n", path);
        return -1;
    }
    return 0;
}

/* ---- answers ---- */

const char *cli_answer_message(long status, const cli_buf *b, const char *err, char *out,
                               size_t cap)
{
    json_t *o;
    const char *m;
    if (status == 0) {
        snprintf(out, cap, "%s", err);
        return out;
    }
    o = json_loads(b->buf ? b->buf : "", 0, NULL);
    m = json_string_value(json_object_get(o, "message"));
    snprintf(out, cap, "%s", m ? m : (b->buf && b->buf[0] ? b->buf : "refused"));
    json_decref(o);
    return out;
}

int cli_refused(const char *cmd, long status, const cli_buf *b, const char *err)
{
    char m[512];
    fprintf(stderr, "willing%s%s: %s\n", cmd[0] ? " " : "", cmd,
            cli_answer_message(status, b, err, m, sizeof m));
    return 1;
}

const char *cli_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

void cli_print_json(const json_t *o)
{
    json_dumpf(o, stdout, JSON_INDENT(2));
    putchar('\n');
}

int cli_get_json(const char *cmd, const char *server, const char *path, const wl_keyfile *kf,
                 json_t **out, cli_buf *raw)
{
    char url[2048], err[512];
    cli_buf b = {0};
    long st;
    int ret = 1;

    *out = NULL;
    cli_url(server, path, url, sizeof url);
    st = kf ? cli_signed_http("GET", url, NULL, 0, kf, &b, err, sizeof err)
            : cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200) {
        cli_refused(cmd, st, &b, err);
        goto out;
    }
    *out = json_loadb(b.buf ? b.buf : "", b.len, 0, NULL);
    if (*out == NULL && raw == NULL) {
        fprintf(stderr, "willing %s: the server's answer is not JSON\n", cmd);
        goto out;
    }
    if (raw) {
        *raw = b;
        memset(&b, 0, sizeof b);
    }
    ret = 0;
out:
    cli_buf_free(&b);
    return ret;
}

/* ---- the log ---- */

int cli_fetch_origin(const char *base, char *origin, size_t cap)
{
    char url[2048], err[512];
    cli_buf b = {0};
    long st;
    int ret = -1;
    origin[0] = '\0';
    cli_url(base, "/log/checkpoint", url, sizeof url);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200 || b.buf == NULL || strchr(b.buf, '\n') == NULL) {
        fprintf(stderr, "willing: cannot read %s: %s\n", url, st ? "bad answer" : err);
        goto out;
    }
    if (wl_fmt(origin, cap, "%.*s", (int)(strchr(b.buf, '\n') - b.buf), b.buf) != WL_OK) {
        fprintf(stderr, "willing: %s names an origin longer than %zu bytes\n", url, cap - 1);
        goto out;
    }
    ret = 0;
out:
    cli_buf_free(&b);
    return ret;
}

/* Writes the signed entry to outpath ("-": stdout), which must not exist; exit code. */
static int write_entry(const char *outpath, const char *entry, size_t elen)
{
    FILE *f = strcmp(outpath, "-") == 0 ? stdout : fopen(outpath, "wbx");
    bool ok = f != NULL && fwrite(entry, 1, elen, f) == elen;
    if (f != NULL && f != stdout && fclose(f) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "willing: cannot write %s (it must not exist)\n", outpath);
    return ok ? 0 : 1;
}

/* post_entry's answer when the log refused a seq it was told to try again (retry_seq) */
#define SEQ_TAKEN 3

static int post_entry(const char *server, const wl_keyfile *kf, const char *author,
                      const char *kind, const char *body, uint64_t seq, bool json_out,
                      const char *origin_arg, const char *outpath, bool retry_seq)
{
    char origin[WL_ORIGIN_MAX + 1], url[2048], err[512];
    char *entry = NULL, *b64 = NULL, *req = NULL;
    size_t elen = 0;
    cli_buf resp = {0};
    json_t *o = NULL;
    long st;
    int ret = 1;

    if (origin_arg)
        snprintf(origin, sizeof origin, "%s", origin_arg);
    else if (cli_fetch_origin(server, origin, sizeof origin) != 0)
        goto out;
    if (wl_entry_build(origin, kind, author, seq, (int64_t)time(NULL), body, &kf->key, &entry,
                       &elen) != WL_OK) {
        fprintf(stderr,
                "willing: cannot build the entry: the body must be one line of JSON "
                "(an object) and the entry at most %u bytes\n",
                WL_ENTRY_MAX);
        goto out;
    }
    if (outpath) {
        /* offline: write the signed note, post it later (curl or willing append --file) */
        ret = write_entry(outpath, entry, elen);
        goto out;
    }
    if ((b64 = malloc(wl_b64_len(elen) + 1)) == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)entry, elen, b64);
    o = json_pack("{s:s}", "entry", b64);
    if (o == NULL || (req = json_dumps(o, JSON_COMPACT)) == NULL)
        goto out;
    json_decref(o);
    o = NULL;
    cli_url(server, "/api/v1/entries", url, sizeof url);
    st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
    if (st == 0) {
        fprintf(stderr, "willing: %s\n", err);
        goto out;
    }
    o = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if (st == 200 || st == 201) {
        if (json_out)
            printf("%s\n", resp.buf);
        else
            printf("index %lld%s\nleaf_hash %s\n",
                   (long long)json_integer_value(json_object_get(o, "index")),
                   st == 200 ? " (already in the log)" : "",
                   json_string_value(json_object_get(o, "leaf_hash")));
        ret = 0;
    } else {
        const char *code = json_string_value(json_object_get(o, "error"));
        const char *msg = json_string_value(json_object_get(o, "message"));
        if (retry_seq && st == 409 && code && strcmp(code, "seq_conflict") == 0) {
            ret = SEQ_TAKEN;
            goto out;
        }
        if (json_out)
            printf("%s\n", resp.buf ? resp.buf : "");
        fprintf(stderr, "willing: the log refused the entry (%ld %s): %s\n", st, code ? code : "?",
                msg ? msg : "(no message)");
    }
out:
    json_decref(o);
    wl_free(entry);
    free(b64);
    free(req);
    cli_buf_free(&resp);
    return ret;
}

int cli_post_entry(const char *server, const wl_keyfile *kf, const char *author, const char *kind,
                   const char *body, uint64_t seq, bool json_out, const char *origin_arg,
                   const char *outpath)
{
    return post_entry(server, kf, author, kind, body, seq, json_out, origin_arg, outpath, false);
}

int cli_post_json(const char *server, const wl_keyfile *kf, const char *kind, const json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    const char *forced = getenv("WL_TEST_CLI_SEQ"); /* the first seq tried, for a test */
    uint64_t seq = forced ? strtoull(forced, NULL, 10) : cli_now_us();
    int ret, tries = 0;
    if (text == NULL) {
        fprintf(stderr, "willing: the body cannot be written as JSON (text must be UTF-8)\n");
        return 2;
    }
    /*
     * The seq is the clock's microsecond: two processes of one member (a script running
     * commands in parallel) may read the same one, and the log refuses the second entry
     * (409 seq_conflict: another entry has that seq). Nothing was stored: it is signed again
     * with a later seq, twice at most, then the refusal is said.
     */
    while ((ret = post_entry(server, kf, kf->member, kind, text, seq, cli_json, NULL, NULL,
                             tries < 2)) == SEQ_TAKEN) {
        uint64_t now = cli_now_us();
        seq = now > seq ? now : seq + 1;
        tries++;
    }
    free(text);
    return ret;
}

/* The operator's entry key, from the log's first entry (the operator adding itself). */
static int operator_vkey(const char *base, wl_vkey *vk)
{
    char url[2048], err[512];
    cli_buf b = {0};
    json_t *o = NULL;
    const char *m, *k;
    char *raw = NULL;
    size_t n = 0, kn = 0;
    uint8_t pk[32];
    wl_entry e;
    int ret = -1;

    memset(&e, 0, sizeof e);
    cli_url(base, "/api/v1/entries/0", url, sizeof url);
    if (cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err) == 200 &&
        (o = json_loads(b.buf, 0, NULL)) != NULL &&
        (raw = cli_b64_decode(json_string_value(json_object_get(o, "entry")), &n)) != NULL &&
        wl_entry_parse(raw, n, &e, NULL, 0) == WL_OK &&
        (m = json_string_value(json_object_get(e.body_json, "member"))) != NULL &&
        (k = json_string_value(json_object_get(e.body_json, "key"))) != NULL &&
        wl_b64_decode(k, strlen(k), pk, 32, &kn) == WL_OK && kn == 32 &&
        wl_vkey_make(m, WL_SIGTYPE_ED25519, pk, vk) == WL_OK) {
        ret = 0;
    }
    wl_entry_clear(&e);
    free(raw);
    json_decref(o);
    cli_buf_free(&b);
    return ret;
}

/* Checks the operator's receipt for commitment c (include/willing/receipt.h). */
static bool receipt_ok(const char *base, const char *origin, const uint8_t c[32], json_t *o)
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
        return false;
    json_array_foreach(json_object_get(pr, "path"), i, v)
    {
        const char *h = json_string_value(v);
        if (h == NULL || wl_b64_decode(h, strlen(h), path[i], 32, &n) != WL_OK || n != 32)
            return false;
    }
    return wl_receipt_verify(note, strlen(note), &vk, origin, c,
                             json_integer_value(json_object_get(o, "batch")),
                             json_integer_value(json_object_get(o, "deadline")), blind,
                             (uint64_t)json_integer_value(json_object_get(pr, "index")),
                             (const uint8_t(*)[32])path) == WL_OK;
}

/* Keeps the receipt beside salt and content: proof the operator took it in time. */
static void keep_receipt(const char *path, json_t *o)
{
    json_t *saved = json_load_file(path, 0, NULL);
    if (saved == NULL)
        return;
    json_object_set(saved, "receipt", json_object_get(o, "receipt"));
    json_object_set(saved, "receipt_proof", json_object_get(o, "receipt_proof"));
    json_object_set(saved, "batch", json_object_get(o, "batch"));
    json_object_set(saved, "deadline", json_object_get(o, "deadline"));
    if (cli_write_private(path, saved, JSON_INDENT(2)) != 0)
        fprintf(stderr, "willing: cannot keep the receipt in %s\n", path);
    json_decref(saved);
}

int cli_seal(const char *server, const wl_keyfile *kf, const char *kind, json_t *body,
             const char *label)
{
    char base[1024], origin[WL_ORIGIN_MAX + 1], url[2048], err[512], nonce[33], dir[2100];
    char path[2300], *content = NULL, *bodytext = NULL, *req = NULL, *cb64 = NULL;
    size_t clen = 0;
    uint8_t salt[32], c[32];
    char sb[45], hex[65];
    cli_buf resp = {0};
    json_t *o = NULL, *saved = NULL;
    long st;
    int ret = 1;

    cli_base_url(server, base, sizeof base);
    if (cli_fetch_origin(base, origin, sizeof origin) != 0)
        goto out;
    bodytext = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    cli_random_hex(nonce, 16);
    if (bodytext == NULL || wl_sealed_build(origin, kind, kf->member, nonce, (int64_t)time(NULL),
                                            bodytext, &kf->key, &content, &clen) != WL_OK) {
        fprintf(stderr, "willing: cannot build the sealed content\n");
        goto out;
    }
    randombytes_buf(salt, sizeof salt);
    wl_seal_commitment(salt, content, clen, c);
    wl_hex_encode(c, 32, hex);
    wl_b64_encode(salt, 32, sb);
    if ((cb64 = malloc(wl_b64_len(clen) + 1)) == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)content, clen, cb64);
    o = json_pack("{s:s, s:s}", "salt", sb, "content", cb64);
    req = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    o = NULL;
    if (req == NULL)
        goto out;
    /* keep salt and content before sending: without them the pledge cannot be announced */
    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, hex);
    saved =
        json_pack("{s:s, s:s, s:s, s:s}", "server", base, "id", hex, "salt", sb, "content", cb64);
    if (saved == NULL || cli_write_private(path, saved, JSON_INDENT(2)) != 0) {
        fprintf(stderr, "willing: cannot keep the sealed content in %s: %s\n", path,
                strerror(errno));
        goto out;
    }
    cli_url(base, "/api/v1/sealed", url, sizeof url);
    /* the content's own signature authenticates it: no signed request needed */
    st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
    o = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if (st != 200 && st != 201) {
        cli_refused("", st, &resp, err);
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
        cli_print_json(o);
    } else {
        printf("receipt verified: signed by the operator's entry key, the commitment in its "
               "tree\n");
    }
    keep_receipt(path, o);
    ret = 0;
out:
    json_decref(saved);
    json_decref(o);
    free(bodytext);
    free(req);
    free(cb64);
    wl_free(content);
    cli_buf_free(&resp);
    sodium_memzero(salt, sizeof salt);
    return ret;
}

int cli_kept_content(const char *hex, wl_entry *e)
{
    char dir[2100], path[2300];
    json_t *saved;
    char *raw;
    size_t len = 0;
    int ret = -1;

    memset(e, 0, sizeof *e);
    cli_state_dir("sealed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, hex);
    saved = json_load_file(path, 0, NULL);
    raw = cli_b64_decode(json_string_value(json_object_get(saved, "content")), &len);
    if (raw && wl_sealed_parse(raw, len, e, NULL, 0) == WL_OK)
        ret = 0;
    free(raw);
    json_decref(saved);
    return ret;
}

long cli_quorum_parse(const char *cmd, const char *arg)
{
    uint64_t k = 0;
    if (wl_parse_u64(arg, strlen(arg), &k) != WL_OK || k > WL_CLI_WITNESSES_MAX) {
        fprintf(stderr, "%s: --quorum wants a number of witnesses, 0 to %u\n", cmd,
                WL_CLI_WITNESSES_MAX);
        return -1;
    }
    return (long)k;
}
