/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing mirror --from URL|--db PATH --to DIR`: a static mirror of a log
 * (docs/OPERATIONS.md, "A static mirror"; docs/internals/cli.md): DIR gets
 * the C2SP tlog-tiles layout, checkpoint, tile/<L>/<N>[.p/<W>] and
 * tile/entries/<N>[.p/<W>], for any static web server to serve under
 * <URL>/log/. Incremental: it starts from the partial tiles of DIR's own
 * checkpoint (size m), whose root must be that checkpoint's, fetches the
 * entry bundles from m's on, checks the entries DIR holds already are the
 * source's, hashes the new ones into tiles (lib/log/tiler.c) and checks the
 * root at the source's size n: both roots from one set of hashes prove the
 * tree of n extends the tree of m. Crash-safe: every file goes to a temporary
 * name, fsync, rename; directories fsynced; the checkpoint last, by rename,
 * so a reader never sees a checkpoint whose tiles are missing, and a crash
 * leaves the old checkpoint valid for the next run to complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "store/store.h"
#include "willing/merkle.h"
#include "willing/note.h"
#include "willing/tiler.h"

/* directories remembered for the fsync before the checkpoint (more: synced, then forgotten) */
#define DIRS_MAX 1024

typedef struct {
    const char *from, *db, *to, *vkey;
} mirror_opts;

typedef struct {
    char base[1100];      /* --from: the log's URL, without trailing slashes */
    wl_store *s;          /* --db: the ledger, in a read transaction */
    const char *dir;      /* --to */
    char *dirs[DIRS_MAX]; /* directories written into, to fsync */
    size_t ndirs;
    uint64_t files, tiles, bundles, stop_after;
    bool progress;
    char err[1400]; /* why a callback failed */
} mirror;

static int mirror_opt(void *ctx, int ch, const char *arg)
{
    mirror_opts *o = ctx;
    if (ch == 'f')
        o->from = arg;
    else if (ch == 'd')
        o->db = arg;
    else if (ch == 't')
        o->to = arg;
    else
        o->vkey = arg;
    return CLI_GO;
}

/* fsync of a directory: what was made or renamed in it is on disk. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;
    if (fd < 0)
        return -1;
    if (fsync(fd) != 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

/* mkdir -p path, each directory made synced in its parent: 0, or -1 with errno set. */
static int make_dirs(const char *path)
{
    char p[2300];
    struct stat st;
    char *last = NULL; /* the separator before the current component */
    if (wl_fmt(p, sizeof p, "%s", path) != WL_OK) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *q = p + 1;; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0755) == 0) {
            if (last) /* the new directory's name, durable in its parent */
                *last = '\0';
            if (sync_dir(last ? p : ".") != 0)
                return -1;
            if (last)
                *last = '/';
        } else if (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (errno == EEXIST)
                errno = ENOTDIR;
            return -1;
        }
        *q = c;
        if (c == '\0')
            return 0;
        last = q;
    }
}

/* fsync of every directory written into: then the checkpoint may name their files. */
static int sync_dirs(mirror *m)
{
    for (size_t i = 0; i < m->ndirs; i++)
        if (sync_dir(m->dirs[i]) != 0) {
            snprintf(m->err, sizeof m->err, "cannot sync %s: %s", m->dirs[i], strerror(errno));
            return -1;
        }
    return 0;
}

/* Remembers dir (made if missing) for the fsync before the checkpoint. */
static int note_dir(mirror *m, const char *dir)
{
    for (size_t i = m->ndirs; i > 0; i--)
        if (strcmp(m->dirs[i - 1], dir) == 0)
            return 0;
    if (m->ndirs == DIRS_MAX) { /* a first run of a large log: sync these now */
        if (sync_dirs(m) != 0)
            return -1;
        for (size_t i = 0; i < m->ndirs; i++)
            free(m->dirs[i]);
        m->ndirs = 0;
    }
    if ((m->dirs[m->ndirs] = strdup(dir)) == NULL) {
        snprintf(m->err, sizeof m->err, "out of memory");
        return -1;
    }
    m->ndirs++;
    if (make_dirs(dir) != 0) {
        snprintf(m->err, sizeof m->err, "cannot make %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes DIR/rel (a tile's path) by temporary name, fsync and rename. */
static int put_file(mirror *m, const char *rel, const void *data, size_t len)
{
    char path[2300], *slash;
    if (wl_fmt(path, sizeof path, "%s/%s", m->dir, rel) != WL_OK) {
        snprintf(m->err, sizeof m->err, "the path of %s is too long", rel);
        return -1;
    }
    slash = strrchr(path, '/');
    *slash = '\0';
    if (note_dir(m, path) != 0)
        return -1;
    if (cli_write_bytes(path, slash + 1, data, len, CLI_WRITE_PUBLIC | CLI_WRITE_NO_DIRSYNC) != 0) {
        snprintf(m->err, sizeof m->err, "cannot write %s/%s: %s", path, slash + 1, strerror(errno));
        return -1;
    }
    if (++m->files == m->stop_after) {
        /* a test's crash at a known point (docs/internals/cli.md, "Fault injection") */
        fprintf(stderr,
                "willing: test fault (WL_TEST_MIRROR_STOP_AFTER): stopped after %llu files, "
                "waiting to be killed\n",
                (unsigned long long)m->files);
        for (;;)
            pause();
    }
    return 0;
}

/* Reads a partial tile DIR holds: exactly width * 32 bytes. */
static wl_rc dir_read(void *ctx, const wl_tile *t, uint8_t *out)
{
    mirror *m = ctx;
    char rel[128], path[2300];
    size_t len = 0;
    char *data;
    wl_tile_path(t, rel, sizeof rel);
    if (wl_fmt(path, sizeof path, "%s/%s", m->dir, rel) != WL_OK)
        return WL_ERR_TOO_LARGE;
    data = cli_read_file(path, (size_t)t->width * 32 + 1, &len);
    if (data == NULL || len != (size_t)t->width * 32) {
        snprintf(m->err, sizeof m->err, "%s is %s", path,
                 data == NULL ? "missing or unreadable" : "not the tile its name says");
        free(data);
        return WL_ERR_CORRUPT;
    }
    memcpy(out, data, len);
    free(data);
    return WL_OK;
}

static wl_rc dir_write(void *ctx, const wl_tile *t, const uint8_t *hashes)
{
    mirror *m = ctx;
    char rel[128];
    wl_tile_path(t, rel, sizeof rel);
    if (put_file(m, rel, hashes, (size_t)t->width * 32) != 0)
        return WL_ERR_IO;
    m->tiles++;
    return WL_OK;
}

static wl_rc bundle_add(void *ctx, uint64_t index, const char *data, size_t len)
{
    (void)index;
    return wl_bundle_add(ctx, data, len, WL_BUNDLE_MAX);
}

/* The source's latest checkpoint note: 0, or -1 with m->err. */
static int src_checkpoint(mirror *m, char **note, size_t *len)
{
    cli_buf b = {0};
    char url[1300], err[512];
    long st;
    uint64_t size;
    if (m->s) {
        if (wl_store_checkpoint_latest(m->s, &size, note, len) == WL_OK)
            return 0;
        snprintf(m->err, sizeof m->err, "the ledger has no checkpoint yet");
        return -1;
    }
    snprintf(url, sizeof url, "%s/log/checkpoint", m->base);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200) {
        if (st)
            snprintf(m->err, sizeof m->err, "cannot fetch %s: status %ld", url, st);
        else
            snprintf(m->err, sizeof m->err, "cannot fetch %s: %s", url, err);
        cli_buf_free(&b);
        return -1;
    }
    *note = b.buf;
    *len = b.len;
    return 0;
}

/* The source's entry bundle t into out: 0, or -1 with m->err. */
static int src_bundle(mirror *m, const wl_tile *t, cli_buf *out)
{
    char rel[128], url[1300], err[512];
    long st;
    wl_tile_path(t, rel, sizeof rel);
    out->len = 0;
    if (m->s) {
        wl_rc rc =
            wl_store_entries(m->s, t->index * 256, t->index * 256 + t->width, bundle_add, out);
        if (rc != WL_OK)
            snprintf(m->err, sizeof m->err, "reading %s from the ledger: %s", rel, wl_rc_name(rc));
        return rc == WL_OK ? 0 : -1;
    }
    snprintf(url, sizeof url, "%s/log/%s", m->base, rel);
    st = cli_http("GET", url, NULL, NULL, 0, out, err, sizeof err);
    if (st != 200) {
        if (st)
            snprintf(m->err, sizeof m->err, "cannot fetch %s: status %ld", url, st);
        else
            snprintf(m->err, sizeof m->err, "cannot fetch %s: %s", url, err);
        return -1;
    }
    return 0;
}

/* A checkpoint note's text parsed, its signature checked when there is a key. */
static int parse_cp(const char *note, size_t len, const wl_vkey *key, wl_checkpoint *cp,
                    const char *whose, char *why, size_t cap)
{
    wl_note n;
    uint8_t ok = 0;
    if (wl_note_parse(note, len, &n) != WL_OK ||
        wl_checkpoint_parse(n.text, n.text_len, cp) != WL_OK) {
        snprintf(why, cap, "%s is not a well-formed checkpoint", whose);
        return -1;
    }
    if (key && (wl_note_verify(&n, key, 1, &ok, NULL) != WL_OK || !ok)) {
        snprintf(why, cap, "%s is not signed by the log's key %s", whose, key->name);
        return -1;
    }
    return 0;
}

/*
 * Brings the tiler from DIR's size m to the source's size n: every bundle
 * from m's on, the entries below m checked against DIR's, the new ones hashed
 * in (full tiles and full bundles written as they complete). The last,
 * partial bundle is kept in *last for the caller to write after the root
 * check. 0, or -1 with m->err.
 */
static int grow(mirror *mr, wl_tiler *t, uint64_t m, uint64_t n, cli_buf *last, wl_tile *last_t)
{
    cli_buf b = {0};
    int ret = -1;
    for (uint64_t k = m / 256; k * 256 < n; k++) {
        wl_tile bt = {WL_TILE_LEVEL_ENTRIES, k, (unsigned)(n - k * 256 >= 256 ? 256 : n - k * 256)};
        char rel[128];
        size_t off = 0, elen;
        const uint8_t *e;
        uint64_t idx = k * 256;
        wl_rc rc;
        wl_tile_path(&bt, rel, sizeof rel);
        if (src_bundle(mr, &bt, &b) != 0)
            goto out;
        while ((rc = wl_bundle_next(b.buf, b.len, &off, &e, &elen)) == WL_OK) {
            uint8_t leaf[32], have[32];
            if (idx == k * 256 + bt.width)
                break;
            wl_merkle_leaf_hash(e, elen, leaf);
            if (idx < m) {
                if (wl_tiler_leaf(t, idx, have) != WL_OK || memcmp(have, leaf, 32) != 0) {
                    snprintf(mr->err, sizeof mr->err,
                             "inconsistent: the source's entry %llu is not the one DIR's "
                             "checkpoint covers; the source's log at size %llu does not extend "
                             "DIR's at size %llu",
                             (unsigned long long)idx, (unsigned long long)n, (unsigned long long)m);
                    goto out;
                }
            } else if (wl_tiler_add(t, leaf, dir_write, mr) != WL_OK) {
                goto out;
            }
            idx++;
        }
        if (idx != k * 256 + bt.width || off != b.len) {
            snprintf(mr->err, sizeof mr->err, "the source's bundle %s does not hold %u entries",
                     rel, bt.width);
            goto out;
        }
        mr->bundles++;
        if (bt.width < 256) { /* the last: written after the root check */
            *last = b;
            *last_t = bt;
            memset(&b, 0, sizeof b);
        } else if (put_file(mr, rel, b.buf, b.len) != 0) {
            goto out;
        }
        if (mr->progress && k % 16 == 0)
            fprintf(stderr, "\rmirror: %llu / %llu entries", (unsigned long long)idx,
                    (unsigned long long)n);
    }
    ret = 0;
out:
    cli_buf_free(&b);
    return ret;
}

/* The mirror's work once DIR is locked and the source open: 0, or -1 with mr->err. */
static int mirror_run(mirror *mr, const wl_vkey *key, uint64_t *from_size, uint64_t *to_size)
{
    char path[2300], *old = NULL, *note = NULL;
    size_t oldlen = 0, len = 0;
    wl_checkpoint oc, nc;
    wl_tiler *t = NULL;
    cli_buf last = {0};
    wl_tile last_t = {0, 0, 0};
    uint8_t root[32];
    uint64_t m = 0;
    int ret = -1;

    if (src_checkpoint(mr, &note, &len) != 0 ||
        parse_cp(note, len, key, &nc, "the source's checkpoint", mr->err, sizeof mr->err) != 0)
        goto out;
    *to_size = nc.size;
    if (wl_fmt(path, sizeof path, "%s/checkpoint", mr->dir) != WL_OK)
        goto out;
    if ((old = cli_read_file(path, WL_NOTE_MAX, &oldlen)) != NULL) {
        if (parse_cp(old, oldlen, key, &oc, "DIR's checkpoint", mr->err, sizeof mr->err) != 0)
            goto out;
        if (strcmp(oc.origin, nc.origin) != 0) {
            snprintf(mr->err, sizeof mr->err, "DIR mirrors the log '%s', the source is '%s'",
                     oc.origin, nc.origin);
            goto out;
        }
        m = oc.size;
    } else if (errno != ENOENT) {
        snprintf(mr->err, sizeof mr->err, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    *from_size = m;
    if (nc.size < m) {
        snprintf(mr->err, sizeof mr->err,
                 "the source's checkpoint is at size %llu, behind DIR's at size %llu: not mirrored",
                 (unsigned long long)nc.size, (unsigned long long)m);
        goto out;
    }
    if ((t = malloc(sizeof *t)) == NULL) {
        snprintf(mr->err, sizeof mr->err, "out of memory");
        goto out;
    }
    /* DIR's partial tiles at m must give the root of DIR's checkpoint */
    if (wl_tiler_start(t, m, dir_read, mr) != WL_OK || wl_tiler_root(t, root) != WL_OK ||
        (old && memcmp(root, oc.root, 32) != 0)) {
        char why[1400];
        snprintf(why, sizeof why, "%s", mr->err[0] ? mr->err : "its tiles give another root");
        snprintf(mr->err, sizeof mr->err,
                 "DIR is damaged: %s; its checkpoint at size %llu needs it (mirror into an empty "
                 "directory)",
                 why, (unsigned long long)m);
        goto out;
    }
    if (nc.size > m && grow(mr, t, m, nc.size, &last, &last_t) != 0)
        goto out;
    if (mr->progress)
        fprintf(stderr, "\r%60s\r", "");
    if (wl_tiler_root(t, root) != WL_OK || memcmp(root, nc.root, 32) != 0) {
        snprintf(mr->err, sizeof mr->err,
                 "inconsistent: the source's entries do not give the root of its checkpoint at "
                 "size %llu, or its log does not extend DIR's at size %llu: not mirrored",
                 (unsigned long long)nc.size, (unsigned long long)m);
        goto out;
    }
    /* the partial tiles of n that m's do not hold already, the last bundle, then the checkpoint */
    for (unsigned l = 0; l < WL_TILER_LEVELS; l++) {
        wl_tile pt;
        const uint8_t *h;
        unsigned sh = WL_TILE_HEIGHT * l;
        wl_tiler_partial(t, l, &pt, &h);
        if (pt.width > 0 && (nc.size >> sh) != (m >> sh) && dir_write(mr, &pt, h) != WL_OK)
            goto out;
    }
    if (last_t.width > 0) {
        char rel[128];
        wl_tile_path(&last_t, rel, sizeof rel);
        if (put_file(mr, rel, last.buf, last.len) != 0)
            goto out;
    }
    if (sync_dirs(mr) != 0)
        goto out;
    if (old == NULL || oldlen != len || memcmp(old, note, len) != 0) {
        if (cli_write_bytes(mr->dir, "checkpoint", note, len, CLI_WRITE_PUBLIC) != 0) {
            snprintf(mr->err, sizeof mr->err, "cannot write %s: %s", path, strerror(errno));
            goto out;
        }
        mr->files++;
    }
    ret = 0;
out:
    cli_buf_free(&last);
    free(t);
    free(old);
    free(note);
    return ret;
}

/* Opens the source: the ledger in a read transaction, or the URL; the log's key if known. */
static int open_source(mirror *mr, const mirror_opts *o, wl_vkey *key, bool *have_key)
{
    char *vk = NULL;
    wl_rc rc;
    *have_key = false;
    if (o->vkey) {
        if (wl_vkey_parse(o->vkey, strlen(o->vkey), key) != WL_OK ||
            key->type != WL_SIGTYPE_ED25519) {
            fprintf(stderr, "mirror: --vkey is not an Ed25519 note verifier key\n");
            return 2;
        }
        *have_key = true;
    }
    if (o->from) {
        cli_base_url(o->from, mr->base, sizeof mr->base);
        return 0;
    }
    if ((rc = wl_store_open(o->db, 0, &mr->s)) != WL_OK) {
        fprintf(stderr, "mirror: %s: %s\n", o->db,
                rc == WL_ERR_NOT_FOUND ? "no such file" : "not a willing ledger, or damaged");
        return 1;
    }
    if (wl_store_begin_read(mr->s) != WL_OK) {
        fprintf(stderr, "mirror: %s: cannot be read: %s\n", o->db, wl_store_errmsg(mr->s));
        return 1;
    }
    /* the ledger's own key, unless one was given */
    if (!*have_key && wl_store_meta_get(mr->s, "log_vkey", &vk) == WL_OK &&
        wl_vkey_parse(vk, strlen(vk), key) == WL_OK)
        *have_key = true;
    wl_free(vk);
    return 0;
}

/* DIR made if missing and locked: 0, or 1 after saying why (nothing written). */
static int open_dir(const char *dir)
{
    char probe[2300];
    struct stat st;
    int fd;
    if (stat(dir, &st) != 0 && make_dirs(dir) != 0) {
        fprintf(stderr, "mirror: cannot make %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mirror: %s is not a directory\n", dir);
        return 1;
    }
    if (cli_lock_dir(dir) < 0) {
        if (errno == EWOULDBLOCK)
            fprintf(stderr, "mirror: another mirror is writing %s\n", dir);
        else
            fprintf(stderr, "mirror: %s is not writable: %s\n", dir, strerror(errno));
        return 1;
    }
    /* the lock may be there from before: can a file be made beside it now? */
    if (wl_fmt(probe, sizeof probe, "%s/.probe.%ld", dir, (long)getpid()) != WL_OK ||
        (fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
        fprintf(stderr, "mirror: %s is not writable: %s\n", dir, strerror(errno));
        return 1;
    }
    close(fd);
    unlink(probe);
    return 0;
}

static int run_mirror(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'},
        {"db", required_argument, NULL, 'd'},
        {"to", required_argument, NULL, 't'},
        {"vkey", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    mirror_opts o = {NULL, NULL, NULL, NULL};
    mirror *mr;
    cli_common c;
    wl_vkey key;
    bool have_key;
    const char *stop = getenv("WL_TEST_MIRROR_STOP_AFTER");
    uint64_t from = 0, to = 0;
    int ret;

    if ((ret = cli_parse(self, argc, argv, CLI_JSON, opts, mirror_opt, &o, &c)) != CLI_GO)
        return ret;
    if (optind != argc || o.to == NULL || (o.from == NULL) == (o.db == NULL))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK || (mr = calloc(1, sizeof *mr)) == NULL)
        return 1;
    mr->dir = o.to;
    mr->progress = isatty(2);
    mr->stop_after = stop ? strtoull(stop, NULL, 10) : 0;
    if ((ret = open_source(mr, &o, &key, &have_key)) == 0 && (ret = open_dir(o.to)) == 0) {
        ret = mirror_run(mr, have_key ? &key : NULL, &from, &to) == 0 ? 0 : 1;
        if (ret != 0)
            fprintf(stderr, "mirror: %s: %s\n", o.to, mr->err);
    }
    if (ret == 0 && c.json)
        printf("{\"size\":%llu,\"previous_size\":%llu,\"bundles\":%llu,\"tiles\":%llu,"
               "\"files\":%llu}\n",
               (unsigned long long)to, (unsigned long long)from, (unsigned long long)mr->bundles,
               (unsigned long long)mr->tiles, (unsigned long long)mr->files);
    else if (ret == 0)
        printf("mirror: %s at size %llu (was %llu): %llu entry bundles, %llu tiles and %s "
               "written%s\n",
               o.to, (unsigned long long)to, (unsigned long long)from,
               (unsigned long long)mr->bundles, (unsigned long long)mr->tiles,
               to == from && mr->files == 0 ? "no checkpoint" : "the checkpoint, last,",
               have_key ? "; checkpoints signed by the log's key" : "");
    if (mr->s && wl_store_commit(mr->s) != WL_OK)
        ret = ret ? ret : 1; /* the end of a read: not reached */
    wl_store_close(mr->s);
    for (size_t i = 0; i < mr->ndirs; i++)
        free(mr->dirs[i]);
    free(mr);
    return ret;
}

static const cli_cmd mirror_cmd = {
    NULL, "mirror", "--from URL|--db PATH --to DIR [--vkey KEY] [--json]",
    "Writes a static mirror of the log into DIR, for any web server or CDN to serve\n"
    "as <URL>/log/ (docs/OPERATIONS.md has nginx's configuration): the checkpoint,\n"
    "the tiles (tile/<L>/<N>, partial ones tile/<L>/<N>.p/<W>) and the entry\n"
    "bundles (tile/entries/<N>), as C2SP tlog-tiles lays them out. `willing verify`\n"
    "audits the mirror at its URL.\n"
    "\n"
    "Incremental: only what is new since DIR's own checkpoint is fetched and\n"
    "written, and the source's log must extend the log DIR holds (the entries DIR\n"
    "covers unchanged, both roots recomputed from the tiles); otherwise nothing is\n"
    "published and the error names both sizes. Crash-safe: every file is written\n"
    "under a temporary name, synced and renamed, the checkpoint last, so a reader\n"
    "never sees a checkpoint whose tiles are missing and a run after a crash\n"
    "completes the mirror.\n"
    "\n"
    "  --from URL   the log's daemon (or another mirror) at URL\n"
    "  --db PATH    the ledger database itself (read in one snapshot)\n"
    "  --to DIR     the mirror's directory (made if missing)\n"
    "  --vkey KEY   the log's verifier key: checkpoints not signed by it are\n"
    "               refused (with --db, the ledger's own key by default)\n"
    "  --json       print {size, previous_size, bundles, tiles, files}\n",
    run_mirror};

int cli_mirror(int argc, char **argv)
{
    return mirror_cmd.run(&mirror_cmd, argc, argv);
}
