/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing verify's pipeline (docs/internals/cli.md, "verify"): fetcher threads,
 * one connection each, download entry bundles, with the tiles each one
 * completes, into a window of slots (each takes the next bundle not taken; a
 * bundle is handed on once every one before it is in); worker threads take a bundle each and do
 * what needs no earlier entry: parse each entry, its leaf hash, and its signature against the key
 * its author's key ID had at the last entry the sequencer replayed (a hint); the sequencer, this
 * thread, takes the bundles in order, puts their leaves in the tree and compares the tiles they
 * complete, then replays each entry through the ledger's rules, which take a hint for the same key
 * in place of their own signature check and check any other key themselves. The verdict is the same
 * as on one thread (--threads 1: everything in line, no hints), and the first
 * failure in the log's order is the one reported.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify_int.h"
#include "willing/merkle.h"
#include "willing/tile.h"

enum { SLOT_EMPTY, SLOT_FETCHED, SLOT_READY };

#define KC_SLOTS                                                                                   \
    65536u /* authors' key IDs remembered for hints; more: no hint, the same verdict               \
            */
#define TILES_PER_SLOT 16u

typedef struct {
    wl_tile t;
    cli_buf b;
    bool ok; /* fetched, of the tile's length */
} vtile;

typedef struct {
    int state;
    uint64_t bundle, first;
    unsigned count;
    bool last, failed;
    char err[600];
    cli_buf b;
    uint32_t off[256];
    uint16_t len[256];
    uint8_t leaf[256][32];
    wl_entry e[256]; /* parsed ahead when parsed[j]; the replay takes it */
    uint8_t parsed[256];
    wl_sig_hint hint[256];
    uint8_t hinted[256];
    uint64_t keyh[256];
    unsigned ntiles;
    vtile tiles[TILES_PER_SLOT];
} vslot;

typedef struct {
    uint64_t h;
    uint8_t pk[32];
} kc_ent;

typedef struct {
    vrun *v;
    pthread_mutex_t mu, kmu;
    pthread_cond_t cv;
    vslot *slots;
    unsigned nslots;
    uint64_t b0, nb, fetched, claimed;
    uint64_t taken;    /* bundles a fetcher has taken; fetched: the ones in, in order */
    uint64_t consumed; /* bundles the sequencer is done with */
    bool stop;
    kc_ent *kc;
    double last_progress, t0;
} vpipe;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* FNV-1a of author and key ID, never 0: a hint's lookup only (a collision gives a hint for
 * another key, which the precheck does not use). */
static uint64_t key_hash(const char *author, uint32_t key_id)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *c = author; *c; c++)
        h = (h ^ (uint8_t)*c) * 1099511628211ull;
    for (int i = 0; i < 4; i++)
        h = (h ^ ((key_id >> (8 * i)) & 0xff)) * 1099511628211ull;
    return h | 1;
}

static bool kc_get(vpipe *p, uint64_t h, uint8_t pk[32])
{
    bool found = false;
    pthread_mutex_lock(&p->kmu);
    for (uint32_t i = (uint32_t)h % KC_SLOTS, n = 0; n < 16 && p->kc[i].h != 0;
         i = (i + 1) % KC_SLOTS, n++)
        if (p->kc[i].h == h) {
            memcpy(pk, p->kc[i].pk, 32);
            found = true;
            break;
        }
    pthread_mutex_unlock(&p->kmu);
    return found;
}

static void kc_put(vpipe *p, uint64_t h, const uint8_t pk[32])
{
    pthread_mutex_lock(&p->kmu);
    for (uint32_t i = (uint32_t)h % KC_SLOTS, n = 0; n < 16; i = (i + 1) % KC_SLOTS, n++)
        if (p->kc[i].h == 0 || p->kc[i].h == h) {
            p->kc[i].h = h;
            memcpy(p->kc[i].pk, pk, 32);
            break;
        }
    pthread_mutex_unlock(&p->kmu);
}

static void slot_release(vslot *s)
{
    for (unsigned j = 0; j < s->count; j++)
        if (s->parsed[j]) {
            wl_entry_clear(&s->e[j]);
            s->parsed[j] = 0;
        }
    cli_buf_free(&s->b);
    for (unsigned i = 0; i < s->ntiles; i++)
        cli_buf_free(&s->tiles[i].b);
    s->ntiles = 0;
}

static void add_tile(vpipe *p, vslot *s, unsigned level, uint64_t index, unsigned width)
{
    vtile *t = &s->tiles[s->ntiles++];
    char path[128], url[1400], err[256];
    long st;
    t->t = (wl_tile){(int)level, index, width};
    wl_tile_path(&t->t, path, sizeof path);
    snprintf(url, sizeof url, "%s/log/%s", p->v->base, path);
    st = cli_http("GET", url, NULL, NULL, 0, &t->b, err, sizeof err);
    t->ok = st == 200 && t->b.len == (size_t)width * 32;
}

static void add_tiles(vpipe *p, vslot *s, uint64_t b, unsigned w);

/* --tiles-only: the w leaf hashes of bundle b from its level-0 tile, with the tiles above. */
static void fetch_leaves(vpipe *p, vslot *s, uint64_t b, unsigned w)
{
    char path[128];
    add_tiles(p, s, b, w);
    for (unsigned i = 0; i < s->ntiles; i++) {
        const vtile *t = &s->tiles[i];
        if (t->t.level != 0 || !t->ok)
            continue;
        memcpy(s->leaf, t->b.buf, (size_t)w * 32);
        s->count = w;
        return;
    }
    wl_tile_path(&(wl_tile){0, b, w}, path, sizeof path);
    snprintf(s->err, sizeof s->err, "cannot fetch the tile %s/log/%s of %u hashes", p->v->base,
             path, w);
    s->failed = true;
}

/* Downloads bundle b into s, with the tiles it completes; a failure is kept in s. */
static void fetch_slot(vpipe *p, vslot *s, uint64_t b)
{
    const vrun *v = p->v;
    unsigned w = (unsigned)(v->size - b * 256 >= 256 ? 256 : v->size - b * 256);
    wl_tile t = {WL_TILE_LEVEL_ENTRIES, b, w};
    char path[128], url[1400], err[256];
    size_t off = 0;
    long st;

    s->bundle = b;
    s->first = b * 256;
    s->count = 0;
    s->failed = false;
    s->last = b + 1 == p->nb;
    if (v->tiles_only) {
        fetch_leaves(p, s, b, w);
        return;
    }
    wl_tile_path(&t, path, sizeof path);
    snprintf(url, sizeof url, "%s/log/%s", v->base, path);
    st = cli_http("GET", url, NULL, NULL, 0, &s->b, err, sizeof err);
    if (st != 200) {
        snprintf(s->err, sizeof s->err, "cannot fetch %s (%ld%s%s)", url, st, st ? "" : ": ",
                 st ? "" : err);
        s->failed = true;
        return;
    }
    while (off < s->b.len && s->count < w) {
        size_t len;
        if (off + 2 > s->b.len)
            break;
        len = (size_t)((uint8_t)s->b.buf[off]) << 8 | (uint8_t)s->b.buf[off + 1];
        if (off + 2 + len > s->b.len)
            break;
        s->off[s->count] = (uint32_t)(off + 2);
        s->len[s->count++] = (uint16_t)len;
        off += 2 + len;
    }
    if (s->count < w || off != s->b.len) {
        snprintf(s->err, sizeof s->err, "bundle %s is %s", path,
                 s->count < w ? "truncated" : "followed by trailing bytes");
        s->failed = true;
        return;
    }
    add_tiles(p, s, b, w);
}

/* The tiles bundle b completes (all of the last one's partial tiles when it is the last). */
static void add_tiles(vpipe *p, vslot *s, uint64_t b, unsigned w)
{
    const vrun *v = p->v;
    if (w == 256)
        for (unsigned l = 0; l < 8; l++) {
            uint64_t span = (uint64_t)1 << (8 * l);
            if ((b + 1) % span == 0)
                add_tile(p, s, l, (b + 1) / span - 1, 256);
        }
    if (s->last)
        for (unsigned l = 0; l < 8; l++) {
            uint64_t have = v->size >> (8 * l);
            if (have % 256 != 0)
                add_tile(p, s, l, have / 256, (unsigned)(have % 256));
        }
}

/* What needs no earlier entry; full: parse and check the signature too (threads only). */
static void work_slot(vpipe *p, vslot *s, bool full)
{
    bool waited = false, found;
    if (p->v->tiles_only)
        return; /* the leaves came from the tiles: nothing to parse */
    for (unsigned j = 0; j < s->count && !s->failed; j++) {
        const char *bytes = s->b.buf + s->off[j];
        size_t len = s->len[j];
        wl_entry *e = &s->e[j];
        char why[8];

        s->hinted[j] = 0;
        s->parsed[j] = 0;
        s->keyh[j] = 0;
        if (!full || s->first + j < p->v->from ||
            wl_entry_parse(bytes, len, e, why, sizeof why) != WL_OK) {
            wl_merkle_leaf_hash(bytes, len, s->leaf[j]);
            continue;
        }
        s->parsed[j] = 1;
        memcpy(s->leaf[j], e->leaf, 32);
        s->keyh[j] = key_hash(e->author, e->key_id);
        found = kc_get(p, s->keyh[j], s->hint[j].pk);
        if (!found && !waited) {
            /*
             * A key not seen yet: once, wait for the sequencer to have replayed every
             * bundle before this one, whose keys are then known. Whether an entry gets a
             * hint is then the same in every run (a key known at its bundle, or added in
             * it), and so is what a test of the hinted path sees.
             */
            pthread_mutex_lock(&p->mu);
            while (!p->stop && p->consumed < s->bundle)
                pthread_cond_wait(&p->cv, &p->mu);
            pthread_mutex_unlock(&p->mu);
            waited = true;
            found = kc_get(p, s->keyh[j], s->hint[j].pk);
        }
        if (found) {
            s->hint[j].ok = wl_entry_verify_sig(e, s->hint[j].pk) == WL_OK;
            s->hinted[j] = 1;
        }
    }
}

static int failf(vrun *v, const char *check, const char *msg)
{
    snprintf(v->check, sizeof v->check, "%s", check);
    snprintf(v->msg, sizeof v->msg, "%s", msg);
    return 1;
}

static int check_tile(vrun *v, const vslot *s, unsigned level, unsigned width)
{
    char path[128], msg[300];
    for (unsigned i = 0; i < s->ntiles; i++) {
        const vtile *t = &s->tiles[i];
        if (t->t.level != (int)level || t->t.width != width)
            continue;
        if (t->ok && memcmp(t->b.buf, v->tree->tile[level], (size_t)width * 32) == 0)
            return 0;
        wl_tile_path(&t->t, path, sizeof path);
        snprintf(msg, sizeof msg, "%s differs from the hashes of the entries", path);
        return failf(v, "tile", msg);
    }
    return failf(v, "internal", "a tile the tree completed was not fetched");
}

/* The sequencer's part of bundle s: its leaves into the tree, the tiles, its entries replayed. */
static int consume(vpipe *p, vslot *s)
{
    vrun *v = p->v;
    double t1 = now_s();
    char msg[1024];

    if (s->failed)
        return failf(v, "entries", s->err);
    v->fetched += s->count;
    for (unsigned j = 0; j < s->count; j++) {
        uint64_t idx = s->first + j;
        unsigned done;
        if (idx < v->from) {
            /* in the tree already: the bundle served now must hold the same entry */
            if (memcmp(s->leaf[j], v->tree->tile[0] + (idx % 256) * 32, 32) != 0) {
                snprintf(msg, sizeof msg,
                         "entry %llu served now is not the one verified before (its leaf hash "
                         "differs)",
                         (unsigned long long)idx);
                return failf(v, "entries", msg);
            }
            continue;
        }
        done = vtree_push(v->tree, s->leaf[j]);
        if (v->tree->n == v->prev_size) {
            uint8_t root[32];
            vtree_root(v->tree, root);
            if (memcmp(root, v->prev_root, 32) != 0)
                return failf(v, "consistency", v->prev_msg);
        }
        for (unsigned l = 0; l < 8; l++)
            if ((done >> l) & 1 && check_tile(v, s, l, 256) != 0)
                return 1;
    }
    if (s->last)
        for (unsigned l = 0; l < 8; l++) {
            unsigned w = (unsigned)((v->size >> (8 * l)) % 256);
            if (w != 0 && check_tile(v, s, l, w) != 0)
                return 1;
        }
    v->t_tree += now_s() - t1;
    for (unsigned j = 0; j < s->count && !v->tiles_only; j++) {
        if (s->first + j < v->from)
            continue;
        wl_rc rc;
        if (s->parsed[j]) {
            rc = wl_replay_add_parsed(v->r, &s->e[j], s->hinted[j] ? &s->hint[j] : NULL);
            s->parsed[j] = 0;
        } else {
            rc = wl_replay_add(v->r, s->b.buf + s->off[j], s->len[j]);
        }
        if (rc != WL_OK) {
            snprintf(msg, sizeof msg, "entry %llu: %s", (unsigned long long)v->r->next,
                     v->r->err.msg);
            return failf(v, "entry", msg);
        }
        v->replayed++;
        v->ahead += s->hinted[j];
        if (s->keyh[j] != 0)
            kc_put(p, s->keyh[j], v->r->pk);
    }
    if (v->progress && now_s() - p->last_progress >= 1) {
        p->last_progress = now_s();
        fprintf(stderr, "\rverify: %llu / %llu entries, %.0f entries/s   ",
                (unsigned long long)(s->first + s->count), (unsigned long long)v->size,
                (double)(v->tiles_only ? s->first + s->count - v->from : v->replayed) /
                    (p->last_progress - p->t0));
    }
    return 0;
}

static void *fetcher(void *arg)
{
    vpipe *p = arg;
    for (;;) {
        uint64_t b;
        vslot *s;
        double t1;
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->taken < p->nb && p->taken - p->consumed >= p->nslots)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop || p->taken >= p->nb) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        b = p->taken++;
        pthread_mutex_unlock(&p->mu);
        s = &p->slots[(b - p->b0) % p->nslots];
        t1 = now_s();
        fetch_slot(p, s, b);
        pthread_mutex_lock(&p->mu);
        p->v->t_fetch += now_s() - t1;
        s->state = SLOT_FETCHED;
        /* handed on in order: the bundles fetched with no gap before them */
        while (p->fetched < p->nb) {
            const vslot *n = &p->slots[(p->fetched - p->b0) % p->nslots];
            if (n->state != SLOT_FETCHED || n->bundle != p->fetched)
                break;
            p->fetched++;
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static void *worker(void *arg)
{
    vpipe *p = arg;
    for (;;) {
        uint64_t b;
        vslot *s;
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->claimed < p->nb && p->claimed >= p->fetched)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop || p->claimed >= p->nb) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        b = p->claimed++;
        pthread_mutex_unlock(&p->mu);
        s = &p->slots[(b - p->b0) % p->nslots];
        work_slot(p, s, true);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_READY;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Every bundle on this thread, in line: the one-core audit. */
static int run_inline(vpipe *p)
{
    for (uint64_t b = p->b0; b < p->nb; b++) {
        vslot *s = &p->slots[0];
        double t1 = now_s();
        int rc;
        fetch_slot(p, s, b);
        p->v->t_fetch += now_s() - t1;
        work_slot(p, s, false);
        rc = consume(p, s);
        slot_release(s);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int run_threads(vpipe *p, pthread_t *th, unsigned nth, unsigned nfetch)
{
    unsigned started = 0;
    int rc = 0;

    for (unsigned i = 0; i < nfetch + nth; i++, started++)
        if (pthread_create(&th[started], NULL, i < nfetch ? fetcher : worker, p) != 0) {
            rc = failf(p->v, "internal", "cannot start a thread");
            break;
        }
    for (uint64_t b = p->b0; rc == 0 && b < p->nb; b++) {
        vslot *s = &p->slots[(b - p->b0) % p->nslots];
        pthread_mutex_lock(&p->mu);
        while (s->state != SLOT_READY)
            pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        rc = consume(p, s);
        slot_release(s);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_EMPTY;
        p->consumed = b + 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return rc;
}

int vrun_go(vrun *v)
{
    vpipe p;
    pthread_t *th = NULL;
    unsigned nfetch;
    int rc = 1;

    memset(&p, 0, sizeof p);
    p.v = v;
    p.t0 = now_s();
    p.b0 = v->from / 256;
    p.nb = (v->size + 255) / 256;
    p.consumed = p.b0;
    p.fetched = p.claimed = p.taken = p.b0;
    if (v->size <= v->from)
        return 0;
    nfetch = v->connections ? v->connections : 1;
    p.nslots = v->threads <= 1 ? 1 : 8 * v->threads + 8 + 2 * nfetch;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    p.kc = v->threads <= 1 ? NULL : calloc(KC_SLOTS, sizeof *p.kc);
    th = v->threads <= 1 ? NULL : calloc(v->threads + nfetch, sizeof *th);
    if (p.slots == NULL || (v->threads > 1 && (p.kc == NULL || th == NULL))) {
        failf(v, "internal", "out of memory for the audit's window");
        goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_mutex_init(&p.kmu, NULL);
    pthread_cond_init(&p.cv, NULL);
    {
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), s0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
        rc = v->threads <= 1 ? run_inline(&p) : run_threads(&p, th, v->threads, nfetch);
        v->cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        v->cpu_seq = clock_s(CLOCK_THREAD_CPUTIME_ID) - s0;
    }
    for (unsigned i = 0; i < p.nslots; i++)
        slot_release(&p.slots[i]);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.kmu);
    pthread_mutex_destroy(&p.mu);
    if (v->progress)
        fprintf(stderr, "\r%70s\r", "");
out:
    v->t_wall = now_s() - p.t0;
    free(th);
    free(p.kc);
    free(p.slots);
    return rc;
}
