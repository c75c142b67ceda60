/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing verify URL --vkey KEY`: audits a running log end to end, trusting
 * nothing it serves. It checks the checkpoint's signature (and witnesses'
 * cosignatures when their keys are given), downloads every entry bundle,
 * replays every entry through the ledger's rules (each signature against the
 * member keys the log itself records), recomputes every tile and compares it
 * with the one served, recomputes the root, and checks consistency with the
 * last checkpoint this client saw (kept under $XDG_STATE_HOME/willing/). With
 * --state FILE it goes on from the audit FILE keeps: only the entries after
 * it are fetched and replayed. The entries are checked on every core
 * (verify_run.c); the tree and the state file are verify_tree.c.
 * docs/internals/cli.md, "verify" has the design.
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

#include "verify_int.h"
#include "willing/coalition.h"
#include "willing/merkle.h"
#include "willing/tile.h"

#define VERIFY_THREADS_MAX 64u
#define VERIFY_CONNECTIONS_MAX 32u
#define VERIFY_CONNECTIONS 4u /* by default: the fetch, not the mirror, was the audit's bound */

static int fail(bool json_out, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(bool json_out, const char *what, const char *fmt, ...)
{
    char msg[2048];
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
    unsigned threads, connections;
    bool full, progress, tiles_only;
    long quorum; /* -1: all the witnesses given */
} verify_opts;

static int verify_opt(void *ctx, int ch, const char *arg)
{
    verify_opts *v = ctx;
    if (ch == 'k') {
        v->vkey = arg;
    } else if (ch == 's') {
        v->state = arg;
    } else if (ch == 'F') {
        v->full = true;
    } else if (ch == 'P') {
        v->progress = true;
    } else if (ch == 'T') {
        v->tiles_only = true;
    } else if (ch == 't') {
        char *end;
        unsigned long n = strtoul(arg, &end, 10);
        if (*arg < '1' || *arg > '9' || *end != '\0' || n > VERIFY_THREADS_MAX) {
            fprintf(stderr, "verify: --threads wants a number from 1 to %u\n", VERIFY_THREADS_MAX);
            return 2;
        }
        v->threads = (unsigned)n;
    } else if (ch == 'c') {
        char *end;
        unsigned long n = strtoul(arg, &end, 10);
        if (*arg < '1' || *arg > '9' || *end != '\0' || n > VERIFY_CONNECTIONS_MAX) {
            fprintf(stderr, "verify: --connections wants a number from 1 to %u\n",
                    VERIFY_CONNECTIONS_MAX);
            return 2;
        }
        v->connections = (unsigned)n;
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

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > (long)VERIFY_THREADS_MAX ? VERIFY_THREADS_MAX : (unsigned)n;
}

/*
 * The tree t (of a checkpoint seen before) is a prefix of the log's at size n:
 * each node of t's right edge, recomputed from the log's tiles at size n,
 * equals the one kept. No entry is read: a split view is found before any
 * replay, whether the log is a daemon or a static mirror.
 */
static int edge_in_tiles(const char *base, const vtree *t, uint64_t n)
{
    for (unsigned k = 0; k < 64; k++) {
        uint64_t i, lo, tidx, have;
        unsigned l = k / 8, r = k % 8, w;
        uint8_t h[128][32];
        wl_tile tile;
        char path[128], url[1400], err[256];
        cli_buf b = {0};
        long st;
        int ok;

        if (((t->n >> k) & 1) == 0)
            continue;
        i = (t->n >> k) - 1;
        lo = i << r;
        tidx = lo / 256;
        have = n >> (8 * l);
        w = (unsigned)(have - tidx * 256 >= 256 ? 256 : have - tidx * 256);
        tile = (wl_tile){(int)l, tidx, w};
        wl_tile_path(&tile, path, sizeof path);
        snprintf(url, sizeof url, "%s/log/%s", base, path);
        st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
        ok = st == 200 && b.len == (size_t)w * 32 && lo % 256 + (1u << r) <= w;
        if (ok) {
            memcpy(h, b.buf + (lo % 256) * 32, (size_t)32 << r);
            for (unsigned m = 1u << r; m > 1; m /= 2)
                for (unsigned j = 0; j < m / 2; j++)
                    wl_merkle_node_hash(h[2 * j], h[2 * j + 1], h[j]);
            ok = memcmp(h[0], t->edge[k], 32) == 0;
        }
        cli_buf_free(&b);
        if (!ok)
            return -1;
    }
    return 0;
}

/* The replayed store kept beside the state file: FILE.replay. */
static int replay_path(const char *statep, char *out, size_t cap)
{
    return wl_fmt(out, cap, "%s.replay", statep) == WL_OK ? 0 : -1;
}

static int save_replay(wl_replay *r, const char *statep)
{
    char path[2300], tmp[2310];
    if (replay_path(statep, path, sizeof path) != 0 ||
        wl_fmt(tmp, sizeof tmp, "%s.tmp", path) != WL_OK)
        return -1;
    unlink(tmp);
    if (wl_replay_save(r, tmp) != WL_OK) {
        unlink(tmp);
        return -1;
    }
    return rename(tmp, path);
}

static int run_verify(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vkey", required_argument, NULL, 'k'},        {"witness", required_argument, NULL, 'w'},
        {"state", required_argument, NULL, 's'},       {"threads", required_argument, NULL, 't'},
        {"connections", required_argument, NULL, 'c'}, {"full", no_argument, NULL, 'F'},
        {"quorum", required_argument, NULL, 'q'},      {"progress", no_argument, NULL, 'P'},
        {"tiles-only", no_argument, NULL, 'T'},        {NULL, 0, NULL, 0},
    };
    wl_vkey keys[1 + WL_CLI_WITNESSES_MAX];
    uint8_t verified[1 + WL_CLI_WITNESSES_MAX];
    uint64_t times[1 + WL_CLI_WITNESSES_MAX];
    size_t nkeys;
    const char *vkey, *statep;
    bool json_out, resume = false;
    verify_opts vo = {keys, 1, NULL, NULL, 0, 0, false, false, false, -1};
    cli_common c;
    char base[1024], url[1200], err[512], spath[2200], rpath[2300], prev_msg[1200];
    char was[300], now[300];
    cli_buf b = {0};
    char *cpnote = NULL;
    size_t cplen = 0;
    wl_note note;
    wl_checkpoint cp;
    wl_replay r;
    vstate prev;
    vrun v;
    uint8_t root[32];
    uint64_t prev_size = 0;
    int ret = 1, have_prev;
    time_t t0 = time(NULL);

    memset(&r, 0, sizeof r);
    memset(&prev, 0, sizeof prev);
    memset(&v, 0, sizeof v);
    if ((ret = cli_parse(self, argc, argv, CLI_JSON, opts, verify_opt, &vo, &c)) != CLI_GO)
        return ret;
    vkey = vo.vkey;
    statep = vo.state;
    nkeys = vo.nkeys;
    json_out = c.json;
    ret = 1;
    if (vkey == NULL || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (vo.tiles_only && statep != NULL) {
        fprintf(stderr, "verify: --tiles-only replays no entry: it cannot keep an audit to go on "
                        "from (--state)\n");
        return 2;
    }
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
    {
        long st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
        if (st != 200) {
            ret = fail(json_out, "checkpoint", "cannot fetch %s: %s", url, st ? "bad status" : err);
            goto out;
        }
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
    vcp_name(&cp, now, sizeof now);

    /* 2. the audit seen before: consistent with this checkpoint, and where to go on from */
    resume = statep != NULL && !vo.full;
    if (statep == NULL) {
        state_path(cp.origin, spath, sizeof spath);
        statep = spath;
    }
    have_prev = vstate_load(statep, &keys[0], &prev, err, sizeof err);
    if (have_prev < 0) {
        ret = fail(json_out, "state", "%s; the log at %s serves %s", err, base, now);
        goto out;
    }
    if (have_prev == 0) {
        vcp_name(&prev.cp, was, sizeof was);
        prev_size = prev.cp.size;
        snprintf(prev_msg, sizeof prev_msg,
                 "a split view: the checkpoint seen before (%s, kept in %s) is not a prefix of "
                 "the log's checkpoint (%s)",
                 was, statep, now);
        if (prev.cp.size > cp.size) {
            ret = fail(json_out, "consistency",
                       "the log shrank (rolled back): this client saw %s (kept in %s); the log "
                       "now serves %s",
                       was, statep, now);
            both_checkpoints(statep, prev.note, prev.note_len, cpnote, cplen);
            goto out;
        }
        if ((prev.cp.size == cp.size && memcmp(prev.cp.root, cp.root, 32) != 0) ||
            (prev.has_tree && edge_in_tiles(base, prev.tree, cp.size) != 0)) {
            ret = fail(json_out, "consistency", "%s", prev_msg);
            both_checkpoints(statep, prev.note, prev.note_len, cpnote, cplen);
            goto out;
        }
    }
    resume = resume && have_prev == 0 && prev.has_tree && prev.replay_size == prev.cp.size &&
             replay_path(statep, rpath, sizeof rpath) == 0 && access(rpath, R_OK) == 0;
    if (resume && (wl_replay_load(&r, cp.origin, rpath) != WL_OK || r.next != prev.cp.size)) {
        fprintf(stderr,
                "verify: warning: %s does not hold the entries of %s: auditing every "
                "entry again\n",
                rpath, statep);
        wl_replay_free(&r);
        resume = false;
    }
    if (!resume && wl_replay_init(&r, cp.origin) != WL_OK) {
        ret = fail(json_out, "internal", "cannot start the replay");
        goto out;
    }

    /* 3. the entries after it: fetched, their tiles and signatures checked, replayed */
    v.base = base;
    v.size = cp.size;
    v.threads = vo.threads ? vo.threads : cores();
    v.connections = vo.connections ? vo.connections : VERIFY_CONNECTIONS;
    v.progress = vo.progress || isatty(2);
    v.tiles_only = vo.tiles_only;
    v.r = &r;
    if (resume) {
        v.tree = prev.tree;
        prev.tree = NULL;
        v.from = prev.cp.size;
    } else {
        v.tree = calloc(1, sizeof *v.tree);
        if (have_prev == 0 && prev.cp.size > 0) {
            v.prev_size = prev.cp.size;
            memcpy(v.prev_root, prev.cp.root, 32);
            v.prev_msg = prev_msg;
        }
    }
    if (v.tree == NULL) {
        ret = fail(json_out, "internal", "out of memory");
        goto out;
    }
    if (vrun_go(&v) != 0) {
        ret = fail(json_out, v.check, "%s", v.msg);
        if (strcmp(v.check, "consistency") == 0)
            both_checkpoints(statep, prev.note, prev.note_len, cpnote, cplen);
        goto out;
    }
    vtree_root(v.tree, root);
    if (memcmp(root, cp.root, 32) != 0) {
        if (resume) {
            ret = fail(json_out, "root",
                       "the entries after %s (kept in %s) do not hash to the root of %s", was,
                       statep, now);
            both_checkpoints(statep, prev.note, prev.note_len, cpnote, cplen);
        } else
            ret = fail(json_out, "root", "the entries do not hash to the checkpoint's root");
        goto out;
    }

    /* 4. what the next audit goes on from: the replayed store, then the state, by rename */
    {
        /* a resumed audit with nothing new leaves the replayed store kept as it is */
        bool keep = vo.state != NULL;
        if (keep && !(resume && v.replayed == 0) && save_replay(&r, statep) != 0) {
            fprintf(stderr, "verify: warning: cannot save the replayed entries beside %s: %s\n",
                    statep, strerror(errno));
            keep = false;
        }
        if (vstate_save(statep, cpnote, cplen, v.tree, keep ? cp.size : 0) != 0)
            fprintf(stderr, "verify: warning: cannot save the checkpoint to %s: %s\n", statep,
                    strerror(errno));
    }

    if (json_out) {
        json_t *ws = json_array(), *o;
        char *t;
        for (size_t i = 1; i < nkeys; i++)
            if (verified[i])
                json_array_append_new(ws, json_pack("{s:s, s:I}", "name", keys[i].name, "time",
                                                    (json_int_t)times[i]));
        o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:{s:f, "
                      "s:f, s:f, s:f, s:f}}",
                      "verdict", "OK", "origin", cp.origin, "size", (json_int_t)cp.size,
                      "previous_size", (json_int_t)prev_size, "cosignatures", ws, "seconds",
                      (json_int_t)(time(NULL) - t0), "resumed_from", (json_int_t)v.from, "fetched",
                      (json_int_t)v.fetched, "replayed", (json_int_t)v.replayed, "checked_ahead",
                      (json_int_t)v.ahead, "threads", (json_int_t)v.threads, "wall_seconds",
                      v.t_wall, "phases", "fetch_entries", v.t_fetch, "hash_tree_and_root",
                      v.t_tree, "replay_entries", v.t_wall, "cpu_seconds", v.cpu,
                      "sequencer_cpu_seconds", v.cpu_seq);
        /* the witnesses' quorum met: how many of the keys given cosigned, how many required */
        json_object_set_new(o, "quorum",
                            json_pack("{s:I, s:I, s:I}", "required",
                                      (json_int_t)(vo.quorum < 0 ? nkeys - 1 : (size_t)vo.quorum),
                                      "witnesses", (json_int_t)(nkeys - 1), "cosigned",
                                      (json_int_t)json_array_size(ws)));
        json_object_set_new(o, "tiles_only", json_boolean(v.tiles_only));
        json_object_set_new(o, "connections",
                            json_integer((json_int_t)(v.threads <= 1 ? 1 : v.connections)));
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
        if (v.tiles_only)
            printf("; tiles only: %llu leaf hashes read from the tiles, no entry fetched",
                   (unsigned long long)v.fetched);
        else
            printf("; %llu entries fetched and %llu replayed with their signatures",
                   (unsigned long long)v.fetched, (unsigned long long)v.replayed);
        if (v.from > 0)
            printf(" (resumed from size %llu)", (unsigned long long)v.from);
        printf(", every tile and the root recomputed; consistent with size %llu seen before\n",
               (unsigned long long)prev_size);
    }
    ret = 0;
out:
    wl_replay_free(&r);
    vstate_free(&prev);
    free(v.tree);
    free(cpnote);
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd verify_cmd = {
    NULL, "verify",
    "URL --vkey KEY [--witness VKEY]... [--quorum K] [--state FILE [--full]] [--threads N] "
    "[--connections N] [--tiles-only] [--progress] [--json]",
    "Audits the log at URL end to end with the log's verifier key KEY (from\n"
    "`willing init`, obtained out of band): checkpoint signature and witness\n"
    "cosignatures, every entry and its author's signature, every tile and the root,\n"
    "and consistency with the last checkpoint this client saw. One verdict line.\n"
    "\n"
    "  --witness VKEY   a witness's cosignature verifier key (type 0x04), repeatable\n"
    "  --quorum K       at least K of the --witness keys must have cosigned the\n"
    "                   checkpoint validly (default: all of them); the failure names\n"
    "                   the keys with a valid cosignature and those without\n"
    "  --state FILE     keep the audit in FILE (the checkpoint, the tree's right\n"
    "                   edge; the replayed entries in FILE.replay, as large as the\n"
    "                   ledger) and go on from it: a later run checks that the log\n"
    "                   still holds that checkpoint's tree (from the tiles; a split\n"
    "                   view or a rollback fails naming both checkpoints), then\n"
    "                   fetches and replays only the entries after it. Without it,\n"
    "                   every entry is audited and the last checkpoint seen is kept\n"
    "                   under $XDG_STATE_HOME/willing/\n"
    "  --full           with --state: audit every entry again (and keep the result)\n"
    "  --threads N      check entries on N threads (default: one per core); the\n"
    "                   verdict is the same for any N\n"
    "  --connections N  fetch on N connections at once (default 4; with --threads 1,\n"
    "                   one: everything in line); the verdict is the same for any N\n"
    "  --tiles-only     audit the tree alone: the leaf hashes from the level-0\n"
    "                   tiles, every tile above and the root recomputed from them,\n"
    "                   the checkpoint's signature and consistency checked; no\n"
    "                   entry is fetched or replayed (a mirror's quick audit)\n"
    "  --progress       entries/s on stderr (default when stderr is a terminal)\n"
    "  --json           print the verdict as JSON (with fetched, replayed, resumed_from)\n",
    run_verify};

int cli_verify(int argc, char **argv)
{
    return verify_cmd.run(&verify_cmd, argc, argv);
}
