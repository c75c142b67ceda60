/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Monitors' reports from the command line, with no network at hand
 * (docs/internals/monitor.md, "Commands"): `willing report setup` keeps the
 * server, the log's origin and the key once; `willing report new` checks a
 * report with the module's own rules, signs it at once and queues it in the
 * outbox ($XDG_STATE_HOME/willing/outbox/<origin>/: directory 0700, one file
 * per report, 0600, written atomically); `willing sync` sends the pending ones
 * in order, each once (the same bytes again are answered with the original
 * index), and survives being interrupted; `willing report list` shows the
 * outbox. The outbox itself is outbox.c's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/crypto.h"
#include "willing/limits.h"
#include "willing/merkle.h"
#include "willing/monitor.h"

/* ---- report setup ---- */

typedef struct {
    const char *origin;
    bool retry_refused; /* sync --retry-refused */
} setup_opts;

static int setup_opt(void *ctx, int ch, const char *arg)
{
    if (ch == 'o')
        ((setup_opts *)ctx)->origin = arg;
    else if (ch == 'R')
        ((setup_opts *)ctx)->retry_refused = true;
    return CLI_GO;
}

static int run_setup(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"origin", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    setup_opts o = {NULL};
    char origin[WL_ORIGIN_MAX + 1], key[PATH_MAX], path[2300], dir[2048], base[2048];
    cli_common c;
    wl_keyfile kf;
    json_t *doc;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY, opts, setup_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || c.key == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (cli_member_key("report setup", c.key, &kf) != 0)
        return 1;
    wl_key_wipe(&kf.key);
    if (realpath(c.key, key) == NULL) {
        fprintf(stderr, "willing report setup: %s: %s\n", c.key, strerror(errno));
        return 1;
    }
    if (o.origin)
        snprintf(origin, sizeof origin, "%s", o.origin);
    else if (cli_fetch_origin(c.server, origin, sizeof origin) != 0)
        return 1;
    cli_base_url(c.server, base, sizeof base);
    cli_state_dir(NULL, dir, sizeof dir);
    cli_report_config(path, sizeof path);
    doc = json_pack("{s:s, s:s, s:s, s:s}", "server", base, "origin", origin, "key", key, "member",
                    kf.member);
    if (doc == NULL || cli_write_atomic(dir, "report.json", doc, false) != 0) {
        fprintf(stderr, "willing report setup: cannot write %s: %s\n", path, strerror(errno));
        json_decref(doc);
        return 1;
    }
    json_decref(doc);
    if (cli_outbox_dir("report setup", origin, dir, sizeof dir) != 0)
        return 1;
    printf("reports of %s for %s, signed with %s\noutbox %s\n", kf.member, origin, key, dir);
    return 0;
}

/* ---- report new ---- */

typedef struct {
    json_t *body, *loc, *evidence_paths;
    const char *origin, *at, *device;
    long long radius;
    int bad;
} new_opts;

static int number(const char *opt, const char *arg, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(arg, &end, 10);
    if (*end || end == arg || errno) {
        fprintf(stderr, "willing report new: --%s takes a whole number\n", opt);
        return 2;
    }
    return CLI_GO;
}

static int new_opt(void *ctx, int ch, const char *arg)
{
    static const char *const strs[128] = {
        ['t'] = "type", ['r'] = "restriction", ['d'] = "direction", ['x'] = "text"};
    static const char *const nums[128] = {
        ['b'] = "observed", ['p'] = "precision_s", ['n'] = "count", ['D'] = "distance_m"};
    static const char *const opt_names[128] = {/* the options, as a refusal names them */
                                               ['b'] = "observed",
                                               ['p'] = "precision",
                                               ['n'] = "count",
                                               ['D'] = "distance"};
    new_opts *o = ctx;
    long long v;
    int ret;
    if (ch == 'o') {
        o->origin = arg;
    } else if (ch == 'a') {
        o->at = arg;
    } else if (ch == 'R') {
        if ((ret = number("radius", arg, &o->radius)) != CLI_GO)
            return ret;
    } else if (ch == 'O') {
        json_object_set_new(o->loc, "oblast", json_string(arg));
    } else if (ch == 's') {
        json_object_set_new(o->loc, "settlement", json_string(arg));
    } else if (ch == 'e') {
        json_array_append_new(o->evidence_paths, json_string(arg));
    } else if (ch == 'v') {
        o->device = arg;
    } else if (ch == 'w') { /* TYPE:COUNT */
        const char *colon = strchr(arg, ':');
        char type[64];
        if (colon == NULL || (size_t)(colon - arg) >= sizeof type ||
            number("weapon", colon + 1, &v) != CLI_GO)
            return fprintf(stderr, "willing report new: --weapon TYPE:COUNT\n"), 2;
        snprintf(type, sizeof type, "%.*s", (int)(colon - arg), arg);
        json_object_set_new(o->body, "weapon",
                            json_pack("{s:s, s:I}", "type", type, "count", (json_int_t)v));
    } else if (ch > 0 && ch < 128 && strs[ch]) {
        json_object_set_new(o->body, strs[ch], json_string(arg));
    } else if (ch > 0 && ch < 128 && nums[ch]) {
        if (strcmp(nums[ch], "observed") == 0 && strcmp(arg, "now") == 0)
            v = (long long)time(NULL);
        else if ((ret = number(opt_names[ch], arg, &v)) != CLI_GO)
            return ret;
        json_object_set_new(o->body, nums[ch], json_integer(v));
    }
    return CLI_GO;
}

/* --at LON,LAT and --radius M into the location; 0 or 2 after saying why. */
static int point(new_opts *o)
{
    char *end;
    double lon, lat;
    /* plain decimals only: strtod would also take 0x25, 1e2, inf or nan */
    if (strspn(o->at, "+-0123456789.,") != strlen(o->at))
        return fprintf(stderr, "willing report new: --at LON,LAT (degrees, plain decimals)\n"), 2;
    lon = strtod(o->at, &end);
    if (*end != ',' || end == o->at)
        return fprintf(stderr, "willing report new: --at LON,LAT (degrees)\n"), 2;
    lat = strtod(end + 1, &end);
    if (*end)
        return fprintf(stderr, "willing report new: --at LON,LAT (degrees)\n"), 2;
    json_object_set_new(o->loc, "lon", json_real(lon));
    json_object_set_new(o->loc, "lat", json_real(lat));
    if (o->radius) /* without it the rules refuse the location, naming radius_m */
        json_object_set_new(o->loc, "radius_m", json_integer(o->radius));
    return 0;
}

/*
 * Each evidence file hashed here, offline: {"blob", "captured_by" (the
 * signer), "captured_at" (its modification time, not after now), "device"};
 * each is kept in the outbox as {"path": its absolute path, "blob": the hash
 * signed} for sync to upload (o->evidence_paths replaced). 0 or 1.
 */
static int evidence(new_opts *o, const char *member, int64_t now)
{
    json_t *list = json_array(), *kept = json_array(), *p;
    size_t i, n = 0;
    json_array_foreach(o->evidence_paths, i, p)
    {
        const char *path = json_string_value(p);
        char *bytes = cli_read_file(path, WL_BLOB_MAX_CEILING, &n), hex[65];
        uint8_t h[32];
        struct stat sb;
        int64_t at = stat(path, &sb) == 0 ? (int64_t)sb.st_mtime : now;
        char *abs = bytes ? realpath(path, NULL) : NULL;
        if (abs == NULL) {
            fprintf(stderr, "willing report new: cannot read the evidence %s\n", path);
            free(bytes);
            json_decref(list);
            json_decref(kept);
            return 1;
        }
        wl_sha256(bytes, n, h);
        free(bytes);
        wl_hex_encode(h, 32, hex);
        /* sync may run from another directory: the path kept is absolute */
        json_array_append_new(kept, json_pack("{s:s, s:s}", "path", abs, "blob", hex));
        free(abs);
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:I, s:s}", "blob", hex, "captured_by", member,
                                        "captured_at", (json_int_t)(at < now ? at : now), "device",
                                        o->device ? o->device : "unspecified"));
    }
    if (json_array_size(list))
        json_object_set_new(o->body, "evidence", list);
    else
        json_decref(list);
    json_decref(o->evidence_paths);
    o->evidence_paths = kept;
    return 0;
}

/*
 * Signs body as a monitor.report of origin by kf's member, time now, seq the
 * clock in microseconds, and queues it in dir as <seq>.json (a name never
 * reused: a report queued at the same microsecond makes this one take the
 * next). 0, or 1 after saying why.
 */
static int queue(const char *dir, const char *origin, const wl_keyfile *kf, const json_t *body,
                 json_t *evidence_paths, int64_t now)
{
    char name[32], *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER), *entry = NULL;
    char *b64 = NULL;
    json_t *rec = NULL;
    uint64_t seq = cli_now_us();
    size_t elen = 0;
    int ret = 1;
    for (int tries = 0; tries < 8; tries++, seq++) {
        wl_free(entry);
        free(b64);
        json_decref(rec);
        entry = NULL;
        b64 = NULL;
        rec = NULL;
        if (text == NULL || wl_entry_build(origin, "monitor.report", kf->member, seq, now, text,
                                           &kf->key, &entry, &elen) != WL_OK) {
            fprintf(stderr, "willing report new: cannot build the entry (at most %u bytes)\n",
                    WL_ENTRY_MAX);
            break;
        }
        if ((b64 = malloc(wl_b64_len(elen) + 1)) == NULL)
            break;
        wl_b64_encode((const uint8_t *)entry, elen, b64);
        rec = json_pack(
            "{s:I, s:s, s:s, s:s, s:O, s:s, s:O}", "seq", (json_int_t)seq, "state", "pending",
            "origin", origin, "type", json_string_value(json_object_get(body, "type")), "observed",
            json_object_get(body, "observed"), "entry", b64, "evidence", evidence_paths);
        snprintf(name, sizeof name, "%020llu.json", (unsigned long long)seq);
        if (rec == NULL)
            break;
        if (cli_write_atomic(dir, name, rec, true) == 0) {
            printf("queued report %llu (%s) in %s: `willing sync` sends it\n",
                   (unsigned long long)seq, json_string_value(json_object_get(body, "type")), dir);
            ret = 0;
            break;
        }
        if (errno != EEXIST) {
            fprintf(stderr, "willing report new: cannot write %s/%s: %s\n", dir, name,
                    strerror(errno));
            break;
        }
    }
    wl_free(entry);
    free(b64);
    free(text);
    json_decref(rec);
    return ret;
}

static int run_new(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"origin", required_argument, NULL, 'o'},
        {"type", required_argument, NULL, 't'},
        {"observed", required_argument, NULL, 'b'},
        {"precision", required_argument, NULL, 'p'},
        {"at", required_argument, NULL, 'a'},
        {"radius", required_argument, NULL, 'R'},
        {"oblast", required_argument, NULL, 'O'},
        {"settlement", required_argument, NULL, 's'},
        {"restriction", required_argument, NULL, 'r'},
        {"weapon", required_argument, NULL, 'w'},
        {"count", required_argument, NULL, 'n'},
        {"direction", required_argument, NULL, 'd'},
        {"distance", required_argument, NULL, 'D'},
        {"evidence", required_argument, NULL, 'e'},
        {"device", required_argument, NULL, 'v'},
        {"text", required_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    new_opts o = {json_object(), json_object(), json_array(), NULL, NULL, NULL, 0, 0};
    char path[2300], dir[2048];
    json_t *cfg = NULL;
    const char *origin, *key;
    int64_t now = (int64_t)time(NULL);
    wl_keyfile kf;
    wl_error err = {0};
    cli_common c;
    int ret = cli_parse(self, argc, argv, CLI_KEY, opts, new_opt, &o, &c), have_key = 0;

    if (ret != CLI_GO)
        goto out;
    ret = 1;
    if (optind != argc || !json_object_get(o.body, "type") ||
        (o.at == NULL) == (json_object_size(o.loc) == 0)) {
        ret = cli_cmd_usage(stderr, self);
        goto out;
    }
    cli_report_config(path, sizeof path);
    cfg = json_load_file(path, 0, NULL); /* none: --origin and --key say it all */
    origin = o.origin ? o.origin : cli_conf(cfg, "origin");
    key = c.key ? c.key : cli_conf(cfg, "key");
    if (origin == NULL || key == NULL) {
        fprintf(stderr, "willing report new: no origin or key: run `willing report setup` once "
                        "with a link, or give --origin and --key\n");
        goto out;
    }
    if (cli_member_key("report new", key, &kf) != 0)
        goto out;
    have_key = 1;
    if (o.at && (ret = point(&o)) != 0)
        goto out;
    ret = 1;
    json_object_set_new(o.body, "location", json_incref(o.loc));
    if (!json_object_get(o.body, "observed"))
        json_object_set_new(o.body, "observed", json_integer(now));
    if (!json_object_get(o.body, "precision_s"))
        json_object_set_new(o.body, "precision_s", json_integer(600));
    if (evidence(&o, kf.member, now) != 0)
        goto out;
    /* the server's own rules, here and now: a report that would be refused is never queued */
    if (wl_monitor_report_check(o.body, now, now, &err) != WL_OK) {
        fprintf(stderr, "willing report new: %s\n", err.msg);
        goto out;
    }
    if (cli_outbox_dir("report new", origin, dir, sizeof dir) != 0 ||
        (ret = queue(dir, origin, &kf, o.body, o.evidence_paths, now)) != 0)
        ret = 1;
out:
    if (have_key)
        wl_key_wipe(&kf.key);
    json_decref(o.body);
    json_decref(o.loc);
    json_decref(o.evidence_paths);
    json_decref(cfg);
    return ret;
}

/* ---- report list ---- */

static int run_list(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"origin", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    setup_opts o = {NULL};
    char path[2300], dir[2048], when[32];
    json_t *cfg, *all = json_array(), *rec;
    const char *origin;
    size_t n = 0;
    char **names;
    cli_common c;
    int ret = cli_parse(self, argc, argv, CLI_JSON, opts, setup_opt, &o, &c);
    if (ret != CLI_GO || optind != argc) {
        json_decref(all);
        return ret != CLI_GO ? ret : cli_cmd_usage(stderr, self);
    }
    cli_report_config(path, sizeof path);
    cfg = json_load_file(path, 0, NULL);
    origin = o.origin ? o.origin : cli_conf(cfg, "origin");
    if (origin == NULL || cli_outbox_dir("report list", origin, dir, sizeof dir) != 0) {
        if (origin == NULL)
            fprintf(stderr, "willing report list: no origin: `willing report setup` or --origin\n");
        json_decref(cfg);
        json_decref(all);
        return 1;
    }
    names = cli_outbox_files(dir, &n);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if ((rec = json_load_file(path, 0, NULL)) == NULL)
            continue;
        json_object_del(rec, "entry");
        if (c.json) {
            json_array_append_new(all, rec);
            continue;
        }
        wl_time_iso8601(json_integer_value(json_object_get(rec, "observed")), when, sizeof when);
        printf("%.20s  %-8s %s observed %s", names[i], cli_str(rec, "state", "?"),
               cli_str(rec, "type", "?"), when);
        if (json_object_get(rec, "index"))
            printf(" index %lld", (long long)json_integer_value(json_object_get(rec, "index")));
        if (json_object_get(rec, "why"))
            printf(": %s", cli_str(rec, "why", ""));
        printf("\n");
        json_decref(rec);
    }
    if (c.json)
        cli_print_json(all);
    else if (n == 0)
        printf("the outbox %s is empty\n", dir);
    cli_names_free(names, n);
    json_decref(cfg);
    json_decref(all);
    return 0;
}

/* ---- sync ---- */

/*
 * The log's refusals that can change with time, so keep a report pending: its
 * author's key or membership not yet in the log (the monitor not registered
 * yet), not announced yet, a time ahead of the log's clock (skew). Any other
 * refusal (bad_signature, invalid_body, unknown_kind, forbidden, revoked_key,
 * seq_conflict...) is final: the same bytes would be refused again.
 */
static bool refusal_may_change(const char *code)
{
    static const char *const temporary[] = {"unknown_key", "unknown_member", "not_announced",
                                            "time_in_future", NULL};
    for (size_t i = 0; temporary[i]; i++)
        if (strcmp(code, temporary[i]) == 0)
            return true;
    return false;
}

/*
 * Whether ans is the log's receipt of the entry (base64 b64): an index, and
 * the leaf hash of exactly these bytes. A 200 from anything else (a captive
 * portal, a proxy) is no receipt, and the report stays pending.
 */
static bool logged(const json_t *ans, const char *b64)
{
    static uint8_t bytes[WL_ENTRY_MAX];
    uint8_t leaf[32];
    char want[48];
    size_t n = 0;
    const char *got = json_string_value(json_object_get(ans, "leaf_hash"));
    if (!json_is_integer(json_object_get(ans, "index")) || got == NULL || b64 == NULL ||
        wl_b64_decode(b64, strlen(b64), bytes, sizeof bytes, &n) != WL_OK)
        return false;
    wl_merkle_leaf_hash(bytes, n, leaf);
    wl_b64_encode(leaf, 32, want);
    return strcmp(got, want) == 0;
}

/*
 * Whether the file at path still hashes to want (the blob the report signed):
 * a file edited or replaced since `report new` is never uploaded in its place.
 */
static bool evidence_same(const char *path, const char *want)
{
    size_t n = 0;
    char *bytes = cli_read_file(path, WL_BLOB_MAX_CEILING, &n), hex[65];
    uint8_t h[32];
    if (bytes == NULL)
        return false;
    wl_sha256(bytes, n, h);
    free(bytes);
    wl_hex_encode(h, 32, hex);
    return strcmp(hex, want) == 0;
}

/*
 * Sends one queued report: its evidence first, then its entry. 0 sent (rec
 * marked), 1 refused (rec marked), -1 not reached (rec unchanged). Evidence
 * is {"path", "blob"}; a bare path (an outbox of an older willing) is sent
 * without the check.
 */
static int send_one(const char *server, const wl_keyfile *kf, json_t *rec, char *why, size_t cap)
{
    char url[2048], err[512], hex[65], *req = NULL;
    const json_t *p;
    json_t *o = NULL, *ans = NULL;
    cli_buf resp = {0};
    size_t i;
    long st;
    int ret = -1;
    json_array_foreach(json_object_get(rec, "evidence"), i, p)
    {
        if (kf == NULL) {
            snprintf(why, cap, "its evidence is uploaded with a key: --key or report setup");
            return -1;
        }
        const char *path = json_is_string(p) ? json_string_value(p) : cli_str(p, "path", "");
        const char *want = json_is_string(p) ? NULL : cli_str(p, "blob", "");
        if (want && !evidence_same(path, want))
            return snprintf(why, cap,
                            "the evidence %s changed since the report was signed (or cannot be "
                            "read): restore it; the report stays pending",
                            path),
                   -1;
        if (cli_blob_put_file("sync", server, kf, path, NULL, false, hex, NULL))
            return snprintf(why, cap, "the evidence %s was not uploaded", path), -1;
        if (want && strcmp(hex, want) != 0)
            return snprintf(why, cap, "the evidence %s changed while it was sent", path), -1;
    }
    o = json_pack("{s:O}", "entry", json_object_get(rec, "entry"));
    if (o == NULL || (req = json_dumps(o, JSON_COMPACT)) == NULL)
        goto out;
    cli_url(server, "/api/v1/entries", url, sizeof url);
    st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
    ans = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if ((st == 200 || st == 201) && logged(ans, json_string_value(json_object_get(rec, "entry")))) {
        json_object_set_new(rec, "state", json_string("sent"));
        json_object_set(rec, "index", json_object_get(ans, "index"));
        json_object_set_new(rec, "existed", json_boolean(st == 200));
        ret = 0;
    } else if (st == 200 || st == 201) {
        snprintf(why, cap, "HTTP %ld is not the log's receipt of the report (another server?)", st);
    } else if (st >= 400 && st < 500 && st != 408 && st != 429 &&
               json_is_string(json_object_get(ans, "error")) &&
               refusal_may_change(json_string_value(json_object_get(ans, "error")))) {
        char msg[400];
        cli_answer_message(st, &resp, err, msg, sizeof msg);
        snprintf(why, cap, "%ld %s: %s (a refusal that may change: kept pending)", st,
                 json_string_value(json_object_get(ans, "error")), msg);
    } else if (st >= 400 && st < 500 && st != 408 && st != 429 &&
               json_is_string(json_object_get(ans, "error"))) { /* the log's own refusal */
        cli_answer_message(st, &resp, err, why, cap);
        json_object_set_new(rec, "state", json_string("refused"));
        json_object_set_new(rec, "why", json_string(why));
        ret = 1;
    } else {
        cli_answer_message(st, &resp, err, why, cap);
    }
out:
    json_decref(o);
    json_decref(ans);
    free(req);
    cli_buf_free(&resp);
    return ret;
}

static int run_sync(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"origin", required_argument, NULL, 'o'},
                                         {"retry-refused", no_argument, NULL, 'R'},
                                         {NULL, 0, NULL, 0}};
    setup_opts o = {NULL};
    char path[2300], dir[2048], why[512] = "";
    const char *origin, *server, *key;
    size_t n = 0, sent = 0, refused = 0, pending = 0;
    json_t *cfg, *rec;
    char **names = NULL;
    wl_keyfile kf;
    cli_common c;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY, opts, setup_opt, &o, &c), r;
    int have_key = 0, stopped = 0;
    if (ret != CLI_GO || optind != argc)
        return ret != CLI_GO ? ret : cli_cmd_usage(stderr, self);
    cli_report_config(path, sizeof path);
    cfg = json_load_file(path, 0, NULL);
    origin = o.origin ? o.origin : cli_conf(cfg, "origin");
    server = c.server ? c.server : cli_conf(cfg, "server");
    key = c.key ? c.key : cli_conf(cfg, "key");
    ret = 1;
    if (origin == NULL || server == NULL) {
        fprintf(stderr, "willing sync: no server or origin: `willing report setup` or --server "
                        "and --origin\n");
        goto out;
    }
    if (key && cli_member_key("sync", key, &kf) != 0)
        goto out;
    have_key = key != NULL;
    if (cli_outbox_dir("sync", origin, dir, sizeof dir) != 0)
        goto out;
    /* one sync at a time: two would send the same reports and race on marking them */
    if (cli_lock_dir(dir) < 0) {
        if (errno == EWOULDBLOCK)
            fprintf(stderr, "willing sync: another sync of this outbox is running: nothing sent\n");
        else
            fprintf(stderr, "willing sync: cannot lock %s/.lock: %s\n", dir, strerror(errno));
        goto out;
    }
    names = cli_outbox_files(dir, &n);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if ((rec = json_load_file(path, 0, NULL)) == NULL) {
            fprintf(stderr, "willing sync: %s cannot be read: left as it is\n", path);
            continue;
        }
        if (o.retry_refused && strcmp(cli_str(rec, "state", ""), "refused") == 0) {
            json_object_set_new(rec, "state", json_string("pending")); /* sent again below */
            json_object_del(rec, "why");
        }
        if (strcmp(cli_str(rec, "state", ""), "pending") != 0 || stopped) {
            pending += stopped && strcmp(cli_str(rec, "state", ""), "pending") == 0;
            json_decref(rec);
            continue;
        }
        r = send_one(server, have_key ? &kf : NULL, rec, why, sizeof why);
        if (r >= 0 && cli_write_atomic(dir, names[i], rec, false) != 0) {
            fprintf(stderr, "willing sync: cannot mark %s: %s\n", path, strerror(errno));
            r = -1;
        }
        if (r == 0) {
            sent++;
            fprintf(stderr, "sync: %.20s sent: index %lld%s\n", names[i],
                    (long long)json_integer_value(json_object_get(rec, "index")),
                    json_is_true(json_object_get(rec, "existed")) ? " (already in the log)" : "");
        } else if (r == 1) {
            refused++;
            fprintf(stderr, "sync: %.20s REFUSED: %s\n", names[i], why);
        } else {
            stopped = 1;
            pending++;
            fprintf(stderr, "sync: %.20s not sent: %s\n", names[i], why);
        }
        json_decref(rec);
    }
    fprintf(stderr, "sync: %zu sent, %zu refused, %zu pending\n", sent, refused, pending);
    ret = stopped || refused ? 1 : 0;
out:
    if (have_key)
        wl_key_wipe(&kf.key);
    cli_names_free(names, n);
    json_decref(cfg);
    return ret;
}

static const cli_cmd report_subs[] = {
    {"report", "setup", "--server URL --key FILE [--origin ORIGIN]",
     "Once, with a link: keeps the server, the log's origin (fetched unless --origin)\n"
     "and the monitor's key file in $XDG_STATE_HOME/willing/report.json (0600), so\n"
     "that `report new` needs no network and `sync` no options.\n",
     run_setup},
    {"report", "new",
     "--type TYPE (--at LON,LAT --radius M | --oblast ID [--settlement NAME])\n"
     "                              [--observed UNIX|now] [--precision S] [--count N]\n"
     "                              [--direction N|NE|E|SE|S|SW|W|NW] [--distance M]\n"
     "                              [--restriction R] [--weapon TYPE:COUNT] [--text TEXT]\n"
     "                              [--evidence FILE]... [--device TEXT]\n"
     "                              [--key FILE] [--origin ORIGIN]",
     "A monitor's report, with no network: checked with the server's own rules,\n"
     "signed at once and queued in the outbox (0600; `willing sync` sends it).\n"
     "TYPE: explosion, projectile, muzzle_flash, bursts_shots, weapon_in_violation\n"
     "(--weapon tank|artillery|mlrs|mortar|anti_tank|air_defence|armoured_vehicle|\n"
     "other:COUNT), restriction (--restriction denial|delay|conditional|jamming_gps|\n"
     "jamming_drone), civilian_infrastructure_damage, civilian_casualties.\n"
     "--observed: when it was seen (default now), --precision: give or take how many\n"
     "seconds (60-86400, default 600); --radius: metres around --at (100-50000).\n"
     "--evidence: a file hashed now and uploaded by sync, captured by the signer on\n"
     "--device. docs/internals/monitor.md says why places and times stay coarse.\n",
     run_new},
    {"report", "list", "[--origin ORIGIN] [--json]",
     "The outbox: each report's seq, state (pending, sent with its index, refused\n"
     "with the server's reason), type and observed time.\n",
     run_list},
};

int cli_report(int argc, char **argv)
{
    return cli_group(argc, argv, "report", report_subs, sizeof report_subs / sizeof report_subs[0],
                     "Monitors' reports, written offline and sent by `willing sync`.\n");
}

int cli_sync(int argc, char **argv)
{
    static const cli_cmd self = {
        NULL, "sync", "[--server URL] [--key FILE] [--origin ORIGIN] [--retry-refused]",
        "Sends the outbox's pending reports in order, each alone: its evidence, then\n"
        "its entry. Sent (or already in the log: the same bytes answer with their\n"
        "original index) marks it sent; a final refusal (bad signature, invalid body,\n"
        "unknown type, forbidden...) marks it refused with the reason. A refusal that\n"
        "may change (the monitor's key or membership not yet in the log, not announced,\n"
        "a time ahead of the log's clock) and a server out of reach stop, leaving it\n"
        "and the rest pending. --retry-refused sends the refused ones again too. Run\n"
        "it again at any time, also after an interruption: nothing is logged twice.\n"
        "Defaults from `willing report setup`. Exit 0 when everything was sent.\n",
        run_sync};
    return self.run(&self, argc, argv);
}
