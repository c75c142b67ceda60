/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing verify URL --vkey KEY`: audits a running log end to end, trusting
 * nothing it serves. It checks the checkpoint's signature (and witnesses'
 * cosignatures when their keys are given), downloads every entry bundle,
 * replays every entry through the ledger's rules (each signature against the
 * member keys the log itself records), recomputes every tile and compares it
 * with the one served, recomputes the root, and checks consistency with the
 * last checkpoint this client saw (kept under $XDG_STATE_HOME/willing/).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/merkle.h"
#include "willing/coalition.h"
#include "willing/replay.h"
#include "willing/tile.h"

static int fail(bool json_out, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(bool json_out, const char *what, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (json_out) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "verdict", "FAIL", "check", what, "message", msg);
        char *t = json_dumps(o, JSON_COMPACT);
        printf("%s\n", t);
        free(t);
        json_decref(o);
    }
    fprintf(stderr, "verify: FAIL (%s): %s\n", what, msg);
    return 1;
}

/* Every complete subtree hash of the tree, level by level, in memory. */
typedef struct {
    uint8_t *h;
    uint64_t n;
} hlevel;

static wl_rc level_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    const hlevel *lv = ctx;
    if (level >= 64 || idx >= lv[level].n)
        return WL_ERR_NOT_FOUND;
    memcpy(out, lv[level].h + idx * 32, 32);
    return WL_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void state_path(const char *origin, char *out, size_t cap)
{
    char dir[2100];
    uint8_t h[32];
    char hex[17];
    cli_state_dir(NULL, dir, sizeof dir);
    wl_sha256(origin, strlen(origin), h);
    wl_hex_encode(h, 8, hex);
    snprintf(out, cap, "%s/%s.checkpoint", dir, hex);
}

/* A split view: both checkpoints in full on stderr, the one kept in statep and the one served. */
static void both_checkpoints(const char *statep, const char *prev, size_t plen, const char *now,
                             size_t nlen)
{
    fprintf(stderr,
            "verify: a split view: the checkpoint seen before (kept in %s):\n%.*s"
            "verify: the checkpoint the log serves now:\n%.*s",
            statep, (int)plen, prev, (int)nlen, now);
}

typedef struct {
    wl_vkey *keys;
    size_t nkeys;
    const char *vkey, *state;
    long quorum; /* -1: all the witnesses given */
} verify_opts;

static int verify_opt(void *ctx, int ch, const char *arg)
{
    verify_opts *v = ctx;
    if (ch == 'k') {
        v->vkey = arg;
    } else if (ch == 's') {
        v->state = arg;
    } else if (ch == 'w') {
        if (v->nkeys > WL_CLI_WITNESSES_MAX ||
            wl_vkey_parse(arg, strlen(arg), &v->keys[v->nkeys]) != WL_OK ||
            v->keys[v->nkeys].type != WL_SIGTYPE_COSIG_V1) {
            fprintf(stderr, "verify: --witness wants a cosignature verifier key (type 0x04)\n");
            return 2;
        }
        v->nkeys++;
    } else if (ch == 'q' && (v->quorum = cli_quorum_parse("verify", arg)) < 0) {
        return 2;
    }
    return CLI_GO;
}

static int run_verify(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vkey", required_argument, NULL, 'k'},
        {"witness", required_argument, NULL, 'w'},
        {"state", required_argument, NULL, 's'},
        {"quorum", required_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    wl_vkey keys[1 + WL_CLI_WITNESSES_MAX];
    uint8_t verified[1 + WL_CLI_WITNESSES_MAX];
    uint64_t times[1 + WL_CLI_WITNESSES_MAX];
    size_t nkeys;
    const char *vkey, *statep;
    bool json_out, progress = isatty(2);
    verify_opts vo = {keys, 1, NULL, NULL, -1};
    cli_common c;
    char base[1024], url[1200], err[512], spath[2200];
    cli_buf b = {0};
    char *cpnote = NULL;
    size_t cplen = 0;
    wl_note note;
    wl_checkpoint cp;
    wl_replay r;
    uint8_t root[32];
    uint64_t prev_size = 0;
    int ret = 1;
    long st;
    time_t t0 = time(NULL);
    hlevel levels[64];
    cli_buf *bundles = NULL;
    size_t nb = 0;
    double t1, t_fetch = 0, t_hash = 0, t_tiles = 0, t_replay = 0;

    memset(&r, 0, sizeof r);
    memset(levels, 0, sizeof levels);
    if ((ret = cli_parse(self, argc, argv, CLI_JSON, opts, verify_opt, &vo, &c)) != CLI_GO)
        return ret;
    vkey = vo.vkey;
    statep = vo.state;
    nkeys = vo.nkeys;
    json_out = c.json;
    ret = 1;
    if (vkey == NULL || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (vo.quorum > (long)nkeys - 1) {
        fprintf(stderr, "verify: --quorum %ld is more than the %zu --witness keys given\n",
                vo.quorum, nkeys - 1);
        return 2;
    }
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK)
        return 1;
    if (wl_vkey_parse(vkey, strlen(vkey), &keys[0]) != WL_OK ||
        keys[0].type != WL_SIGTYPE_ED25519) {
        fprintf(stderr, "verify: --vkey is not an Ed25519 note verifier key (name+id+base64)\n");
        return 2;
    }
    cli_base_url(argv[optind], base, sizeof base);

    /* 1. the checkpoint */
    snprintf(url, sizeof url, "%s/log/checkpoint", base);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200) {
        ret = fail(json_out, "checkpoint", "cannot fetch %s: %s", url, st ? "bad status" : err);
        goto out;
    }
    cpnote = b.buf;
    cplen = b.len;
    memset(&b, 0, sizeof b);
    if (wl_note_parse(cpnote, cplen, &note) != WL_OK ||
        wl_checkpoint_parse(note.text, note.text_len, &cp) != WL_OK) {
        ret = fail(json_out, "checkpoint", "the checkpoint is not a well-formed signed note");
        goto out;
    }
    if (strcmp(cp.origin, keys[0].name) != 0) {
        ret = fail(json_out, "checkpoint", "the checkpoint is for origin '%s', the key for '%s'",
                   cp.origin, keys[0].name);
        goto out;
    }
    if (wl_note_verify(&note, keys, 1, verified, times) != WL_OK || !verified[0]) {
        ret = fail(json_out, "checkpoint signature", "the checkpoint is not validly signed by %s",
                   vkey);
        goto out;
    }
    (void)wl_note_cosigned(&note, keys + 1, nkeys - 1, verified + 1, times + 1);
    if (wl_note_quorum(keys + 1, verified + 1, nkeys - 1,
                       vo.quorum < 0 ? nkeys - 1 : (size_t)vo.quorum, err, sizeof err) != WL_OK) {
        ret = fail(json_out, "cosignature", "%s", err);
        goto out;
    }

    /* 2. every entry bundle; the leaf hashes into levels[0] */
    t1 = now_s();
    nb = (size_t)((cp.size + 255) / 256);
    bundles = calloc(nb ? nb : 1, sizeof *bundles);
    levels[0].h = malloc(cp.size ? (size_t)cp.size * 32 : 1);
    if (bundles == NULL || levels[0].h == NULL) {
        ret = fail(json_out, "internal", "out of memory for %llu entries",
                   (unsigned long long)cp.size);
        goto out;
    }
    levels[0].n = cp.size;
    for (uint64_t n = 0; n < nb; n++) {
        wl_tile t = {WL_TILE_LEVEL_ENTRIES, n,
                     (unsigned)(cp.size - n * 256 >= 256 ? 256 : cp.size - n * 256)};
        char path[128];
        size_t off = 0;
        wl_tile_path(&t, path, sizeof path);
        snprintf(url, sizeof url, "%s/log/%s", base, path);
        st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
        if (st != 200) {
            ret = fail(json_out, "entries", "cannot fetch %s (%ld)", url, st);
            goto out;
        }
        for (unsigned i = 0; i < t.width; i++) {
            size_t len;
            if (off + 2 > b.len ||
                off + 2 + ((size_t)((uint8_t)b.buf[off]) << 8 | (uint8_t)b.buf[off + 1]) > b.len) {
                ret = fail(json_out, "entries", "bundle %s is truncated", path);
                goto out;
            }
            len = (size_t)((uint8_t)b.buf[off]) << 8 | (uint8_t)b.buf[off + 1];
            off += 2;
            wl_merkle_leaf_hash(b.buf + off, len, levels[0].h + (n * 256 + i) * 32);
            off += len;
        }
        if (off != b.len) {
            ret = fail(json_out, "entries", "bundle %s has trailing bytes", path);
            goto out;
        }
        bundles[n] = b; /* kept for the replay */
        memset(&b, 0, sizeof b);
        if (progress && n % 64 == 0)
            fprintf(stderr, "\rverify: fetched %llu / %llu entries", (unsigned long long)(n * 256),
                    (unsigned long long)cp.size);
    }
    t_fetch = now_s() - t1;

    /* 3. every complete subtree hash, the root, in memory */
    t1 = now_s();
    for (unsigned k = 1; k < 64 && levels[k - 1].n >= 2; k++) {
        levels[k].n = levels[k - 1].n / 2;
        levels[k].h = malloc((size_t)levels[k].n * 32);
        if (levels[k].h == NULL) {
            ret = fail(json_out, "internal", "out of memory");
            goto out;
        }
        for (uint64_t i = 0; i < levels[k].n; i++)
            wl_merkle_node_hash(levels[k - 1].h + 64 * i, levels[k - 1].h + 64 * i + 32,
                                levels[k].h + 32 * i);
    }
    if (wl_merkle_root(level_reader, levels, cp.size, root) != WL_OK ||
        memcmp(root, cp.root, 32) != 0) {
        ret = fail(json_out, "root", "the entries do not hash to the checkpoint's root");
        goto out;
    }
    t_hash = now_s() - t1;

    /* 4. every tile of this size, as served, against the recomputed hashes */
    t1 = now_s();
    for (unsigned level = 0; level < 8; level++) {
        uint64_t have = (8 * level < 64) ? cp.size >> (8 * level) : 0;
        for (uint64_t n = 0; n * 256 < have; n++) {
            unsigned w = (unsigned)(have - n * 256 >= 256 ? 256 : have - n * 256);
            wl_tile t = {(int)level, n, w};
            char path[128];
            wl_tile_path(&t, path, sizeof path);
            snprintf(url, sizeof url, "%s/log/%s", base, path);
            st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
            if (st != 200 || b.len != (size_t)w * 32 ||
                memcmp(b.buf, levels[8 * level].h + n * 256 * 32, b.len) != 0) {
                ret =
                    fail(json_out, "tile", "tile %s differs from the hashes of the entries", path);
                goto out;
            }
        }
    }
    t_tiles = now_s() - t1;

    /* 5. every entry through the ledger's rules: signatures against the log's own keys */
    t1 = now_s();
    if (wl_replay_init(&r, cp.origin) != WL_OK) {
        ret = fail(json_out, "internal", "cannot start the replay");
        goto out;
    }
    for (uint64_t n = 0; n < nb; n++) {
        size_t off = 0;
        while (off < bundles[n].len) {
            size_t len =
                (size_t)((uint8_t)bundles[n].buf[off]) << 8 | (uint8_t)bundles[n].buf[off + 1];
            off += 2;
            if (wl_replay_add(&r, bundles[n].buf + off, len) != WL_OK) {
                ret = fail(json_out, "entry", "entry %llu: %s", (unsigned long long)r.next,
                           r.err.msg);
                goto out;
            }
            off += len;
        }
        cli_buf_free(&bundles[n]);
        if (progress && n % 64 == 0)
            fprintf(stderr, "\rverify: checked %llu / %llu entries  ", (unsigned long long)r.next,
                    (unsigned long long)cp.size);
    }
    if (progress)
        fprintf(stderr, "\r%60s\r", "");
    t_replay = now_s() - t1;

    /* 6. consistency with what this client saw before */
    if (statep == NULL) {
        state_path(cp.origin, spath, sizeof spath);
        statep = spath;
    }
    {
        size_t plen = 0;
        char *prev = cli_read_file(statep, WL_CLI_STATE_MAX, &plen);
        if (prev != NULL) {
            wl_note pn;
            wl_checkpoint pc;
            uint8_t ok = 0, proot[32];
            if (wl_note_parse(prev, plen, &pn) != WL_OK ||
                wl_note_verify(&pn, keys, 1, &ok, NULL) != WL_OK ||
                wl_checkpoint_parse(pn.text, pn.text_len, &pc) != WL_OK) {
                free(prev);
                ret = fail(json_out, "state", "%s is not a checkpoint of this log", statep);
                goto out;
            }
            prev_size = pc.size;
            if (pc.size > cp.size) {
                ret = fail(json_out, "consistency",
                           "the log shrank: this client saw size %llu, now %llu",
                           (unsigned long long)pc.size, (unsigned long long)cp.size);
                both_checkpoints(statep, prev, plen, cpnote, cplen);
                free(prev);
                goto out;
            }
            if (wl_merkle_root(level_reader, levels, pc.size, proot) != WL_OK ||
                memcmp(proot, pc.root, 32) != 0) {
                ret = fail(json_out, "consistency",
                           "the log rewrote history: the checkpoint seen at size %llu is not a "
                           "prefix of the current tree",
                           (unsigned long long)pc.size);
                both_checkpoints(statep, prev, plen, cpnote, cplen);
                free(prev);
                goto out;
            }
            free(prev);
        }
        {
            char tmp[2300];
            FILE *f;
            /* a cut name could be another file, which the rename would then replace */
            f = wl_fmt(tmp, sizeof tmp, "%s.tmp", statep) == WL_OK ? fopen(tmp, "wb") : NULL;
            if (f == NULL || fwrite(cpnote, 1, cplen, f) != cplen || fclose(f) != 0 ||
                rename(tmp, statep) != 0)
                fprintf(stderr, "verify: warning: cannot save the checkpoint to %s: %s\n", statep,
                        strerror(errno));
        }
    }

    if (json_out) {
        json_t *ws = json_array(), *o;
        char *t;
        for (size_t i = 1; i < nkeys; i++)
            if (verified[i])
                json_array_append_new(ws, json_pack("{s:s, s:I}", "name", keys[i].name, "time",
                                                    (json_int_t)times[i]));
        o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:{s:f, s:f, s:f, s:f}}", "verdict", "OK",
                      "origin", cp.origin, "size", (json_int_t)cp.size, "previous_size",
                      (json_int_t)prev_size, "cosignatures", ws, "seconds",
                      (json_int_t)(time(NULL) - t0), "phases", "fetch_entries", t_fetch,
                      "hash_tree_and_root", t_hash, "fetch_and_compare_tiles", t_tiles,
                      "replay_entries", t_replay);
        t = json_dumps(o, JSON_COMPACT);
        printf("%s\n", t);
        free(t);
        json_decref(o);
    } else {
        printf("verify: OK: %s at size %llu: checkpoint signed by the log", cp.origin,
               (unsigned long long)cp.size);
        for (size_t i = 1; i < nkeys; i++)
            if (verified[i])
                printf(", cosigned by %s at %llu", keys[i].name, (unsigned long long)times[i]);
        printf("; %llu entries and their signatures, every tile and the root recomputed; "
               "consistent with size %llu seen before\n",
               (unsigned long long)cp.size, (unsigned long long)prev_size);
    }
    ret = 0;
out:
    wl_replay_free(&r);
    for (size_t i = 0; i < nb && bundles; i++)
        cli_buf_free(&bundles[i]);
    free(bundles);
    for (int k = 0; k < 64; k++)
        free(levels[k].h);
    free(cpnote);
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd verify_cmd = {
    NULL, "verify", "URL --vkey KEY [--witness VKEY]... [--quorum K] [--state FILE] [--json]",
    "Audits the log at URL end to end with the log's verifier key KEY (from\n"
    "`willing init`, obtained out of band): checkpoint signature and witness\n"
    "cosignatures, every entry and its author's signature, every tile and the root,\n"
    "and consistency with the last checkpoint this client saw. One verdict line.\n"
    "\n"
    "  --witness VKEY   a witness's cosignature verifier key (type 0x04), repeatable\n"
    "  --quorum K       at least K of the --witness keys must have cosigned the\n"
    "                   checkpoint validly (default: all of them); the failure names\n"
    "                   the keys with a valid cosignature and those without\n"
    "  --state FILE     where to keep the last seen checkpoint (default under\n"
    "                   $XDG_STATE_HOME/willing/)\n"
    "  --json           print the verdict as JSON\n",
    run_verify};

int cli_verify(int argc, char **argv)
{
    return verify_cmd.run(&verify_cmd, argc, argv);
}
