/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-bulkload DB N [MEMBERS [KEYS]]: grows the ledger DB (a file or a
 * postgres:// URL), fresh from `willing init`, to N entries
 * with its keys KEYS.operator.key and KEYS.log.key (KEYS: DB by default, where init puts them)
 * straight through the library, no daemon and no HTTP, for `make bench`'s
 * 10-million-entry log (issue 13). The operator adds MEMBERS members (default
 * 4, b0..b{M-1}, keys from fixed seeds) by their member.add entries, then the
 * members write signed statements until the log holds N entries.
 *
 * Each entry goes the daemon's way: built and signed (wl_entry_build) and
 * parsed on every core, then prechecked and sequenced (wl_ledger_precheck_parsed,
 * wl_ledger_sequence: the authority, the append, the tree's hashes, every full
 * tile) one after another in transactions of CHUNK entries, each ending with a
 * signed checkpoint (wl_ledger_checkpoint) as the daemon's publisher stores one.
 * The precheck takes each signature as a hint (valid: made here with that key
 * a moment before) instead of verifying it again; `willing verify` checks them
 * all. While the store sequences one chunk, the threads sign the next.
 *
 * Progress on stderr; on stdout one JSON line: entries, seconds, entries_per_s.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "store/store_int.h" /* the engine's page cache, below: a bench tool only */
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/ledger.h"

#define CHUNK 100000u
#define MAX_MEMBERS 64u
#define MAX_THREADS 16u

typedef struct {
    char *bytes;
    size_t len;
    wl_entry e;
    unsigned member;
    int ok;
} item;

typedef struct {
    item *items;
    size_t n;
    uint64_t first; /* the first item's statement number (0-based) */
} chunk;

static const char *origin;
static wl_key keys[MAX_MEMBERS];
static unsigned members = 4, nthreads = 1;

typedef struct {
    chunk *c;
    unsigned t;
} job;

/* Builds, signs and parses the items of c whose position is t modulo nthreads. */
static void *build(void *arg)
{
    job *j = arg;
    int64_t now = (int64_t)time(NULL);
    for (size_t i = j->t; i < j->c->n; i += nthreads) {
        item *it = &j->c->items[i];
        uint64_t k = j->c->first + i;
        char body[96], name[16], why[200];
        it->member = (unsigned)(k % members);
        snprintf(name, sizeof name, "b%u", it->member);
        snprintf(body, sizeof body, "{\"text\":\"bulk statement %llu\"}", (unsigned long long)k);
        it->ok = wl_entry_build(origin, "statement", name, k / members + 1, now, body,
                                &keys[it->member], &it->bytes, &it->len) == WL_OK &&
                 wl_entry_parse(it->bytes, it->len, &it->e, why, sizeof why) == WL_OK;
    }
    return NULL;
}

/* Fills c with n statements from number first, on every thread. */
static void fill(chunk *c, uint64_t first, size_t n)
{
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    int started[MAX_THREADS];
    c->first = first;
    c->n = n;
    for (unsigned t = 0; t < nthreads; t++) {
        jobs[t] = (job){c, t};
        started[t] = pthread_create(&th[t], NULL, build, &jobs[t]) == 0;
        if (!started[t])
            build(&jobs[t]);
    }
    for (unsigned t = 0; t < nthreads; t++)
        if (started[t])
            pthread_join(th[t], NULL);
}

/* Prechecks and sequences one entry; its bytes are freed. */
static int put(wl_store *s, char *bytes, size_t len, wl_entry *parsed, const uint8_t pk[32])
{
    wl_sig_hint hint;
    wl_pending p;
    wl_error err;
    wl_entry e;
    uint64_t idx;
    int existed, ok;
    char why[200];
    memset(&err, 0, sizeof err);
    if (parsed == NULL) {
        if (wl_entry_parse(bytes, len, &e, why, sizeof why) != WL_OK) {
            fprintf(stderr, "bulkload: %s\n", why);
            wl_free(bytes);
            return -1;
        }
        parsed = &e;
    }
    memcpy(hint.pk, pk, 32);
    hint.ok = 1;
    ok = wl_ledger_precheck_parsed(s, origin, parsed, &hint, &p, &err) == WL_OK &&
         wl_ledger_sequence(s, &p, &idx, &existed, &err) == WL_OK && !existed;
    if (!ok)
        fprintf(stderr, "bulkload: entry refused: %s: %s\n", err.code ? err.code : "?", err.msg);
    wl_pending_clear(&p);
    wl_free(bytes);
    return ok ? 0 : -1;
}

/* Stores a checkpoint of the current size, signed with the log key. */
static int checkpoint(wl_store *s, const wl_key *logk)
{
    uint64_t size;
    char *note = NULL;
    size_t len;
    wl_rc rc = wl_ledger_checkpoint(s, origin, logk, (int64_t)time(NULL), &size, &note, &len);
    wl_free(note);
    return rc == WL_OK ? 0 : -1;
}

/* The operator's member.add of every member, then a checkpoint: one transaction. */
static int add_members(wl_store *s, const wl_keyfile *op, const wl_key *logk)
{
    if (wl_store_begin(s) != WL_OK)
        return -1;
    for (unsigned m = 0; m < members; m++) {
        char body[256], b64[45];
        char *bytes = NULL;
        size_t len;
        wl_b64_encode(keys[m].pk, 32, b64);
        snprintf(body, sizeof body,
                 "{\"member\":\"b%u\",\"name\":\"bulk member %u\",\"role\":\"member\","
                 "\"key\":\"%s\",\"scope\":\"sign\"}",
                 m, m, b64);
        if (wl_entry_build(origin, "member.add", op->member, 2 + m, (int64_t)time(NULL), body,
                           &op->key, &bytes, &len) != WL_OK ||
            put(s, bytes, len, NULL, op->key.pk) != 0)
            return -1;
    }
    return checkpoint(s, logk) == 0 && wl_store_commit(s) == WL_OK ? 0 : -1;
}

/* Sequences c's items in one transaction ending with a checkpoint. */
static int sequence(wl_store *s, chunk *c, const wl_key *logk)
{
    int bad = wl_store_begin(s) != WL_OK;
    for (size_t i = 0; i < c->n; i++) {
        item *it = &c->items[i];
        if (!bad && !it->ok)
            fprintf(stderr, "bulkload: cannot build statement %llu\n",
                    (unsigned long long)(c->first + i));
        if (!bad && it->ok)
            bad = put(s, it->bytes, it->len, &it->e, keys[it->member].pk) != 0;
        else
            wl_free(it->bytes), wl_entry_clear(&it->e);
        it->bytes = NULL;
    }
    if (!bad && (checkpoint(s, logk) != 0 || wl_store_commit(s) != WL_OK))
        bad = 1;
    if (bad)
        fprintf(stderr, "bulkload: %s\n", wl_store_errmsg(s));
    return bad ? -1 : 0;
}

typedef struct {
    chunk *c;
    uint64_t first;
    size_t n;
} filler;

static void *fill_main(void *arg)
{
    filler *f = arg;
    fill(f->c, f->first, f->n);
    return NULL;
}

int main(int argc, char **argv)
{
    char path[4200], *org = NULL;
    wl_keyfile op, logk;
    wl_store *s = NULL;
    uint64_t size = 0, target, total, done = 0;
    chunk cs[2];
    double t0;
    long nc = sysconf(_SC_NPROCESSORS_ONLN);

    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: willing-bulkload DB N [MEMBERS [KEYS]]\n");
        return 2;
    }
    target = strtoull(argv[2], NULL, 10);
    if (argc >= 4)
        members = (unsigned)strtoul(argv[3], NULL, 10);
    if (members < 1 || members > MAX_MEMBERS)
        return fprintf(stderr, "bulkload: 1 to %u members\n", MAX_MEMBERS), 2;
    nthreads = nc < 1 ? 1 : nc > (long)MAX_THREADS ? MAX_THREADS : (unsigned)nc;
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK)
        return 1;
    snprintf(path, sizeof path, "%s.operator.key", argc == 5 ? argv[4] : argv[1]);
    if (wl_keyfile_read(path, &op) != WL_OK)
        return fprintf(stderr, "bulkload: cannot read %s\n", path), 1;
    snprintf(path, sizeof path, "%s.log.key", argc == 5 ? argv[4] : argv[1]);
    if (wl_keyfile_read(path, &logk) != WL_OK)
        return fprintf(stderr, "bulkload: cannot read %s\n", path), 1;
    if (wl_store_open(argv[1], 0, &s) != WL_OK || wl_store_meta_get(s, "origin", &org) != WL_OK ||
        wl_store_size(s, &size) != WL_OK)
        return fprintf(stderr, "bulkload: cannot open the ledger %s\n", argv[1]), 1;
    origin = org;
    /* 256 MiB of SQLite's page cache for the big transactions (the daemon keeps 4 MiB): the
     * same file, fewer pages read back */
    if (wl_db_exec(s->db, "PRAGMA cache_size=-262144") != WL_DB_OK)
        fprintf(stderr, "bulkload: warning: the page cache stays as it is\n");
    if (size != 1)
        return fprintf(stderr,
                       "bulkload: %s holds %llu entries: give a ledger fresh from "
                       "`willing init`\n",
                       argv[1], (unsigned long long)size),
               1;
    if (target < 1 + members + 1)
        return fprintf(stderr, "bulkload: N must be at least %u\n", members + 2), 2;
    for (unsigned m = 0; m < members; m++) {
        uint8_t seed[32] = {'b', 'u', 'l', 'k'};
        memcpy(seed + 4, &m, sizeof m);
        wl_key_from_seed(&keys[m], seed);
    }
    t0 = now();
    if (add_members(s, &op, &logk.key) != 0)
        return fprintf(stderr, "bulkload: adding the members: %s\n", wl_store_errmsg(s)), 1;
    total = target - 1 - members;
    for (int k = 0; k < 2; k++)
        if ((cs[k].items = calloc(CHUNK, sizeof(item))) == NULL)
            return 1;
    fill(&cs[0], 0, total < CHUNK ? total : CHUNK);
    for (unsigned k = 0; done < total; k ^= 1) {
        pthread_t th;
        filler f = {&cs[k ^ 1], done + cs[k].n, 0};
        int started = 0;
        f.n = total - f.first < CHUNK ? total - f.first : CHUNK;
        if (f.n > 0)
            started = pthread_create(&th, NULL, fill_main, &f) == 0;
        if (sequence(s, &cs[k], &logk.key) != 0)
            return 1;
        done += cs[k].n;
        if (f.n > 0 && (!started || pthread_join(th, NULL) != 0))
            fill(&cs[k ^ 1], f.first, f.n);
        fprintf(stderr, "bulkload: %llu of %llu entries, %.0f entries/s\n",
                (unsigned long long)(done + 1 + members), (unsigned long long)target,
                (double)done / (now() - t0));
    }
    {
        double t = now() - t0;
        printf("{\"entries\":%llu,\"members\":%u,\"threads\":%u,\"seconds\":%.3f,"
               "\"entries_per_s\":%.0f}\n",
               (unsigned long long)target, members, nthreads, t, (double)target / t);
    }
    for (int k = 0; k < 2; k++)
        free(cs[k].items);
    wl_free(org);
    wl_store_close(s);
    for (unsigned m = 0; m < members; m++)
        wl_key_wipe(&keys[m]);
    wl_key_wipe(&op.key);
    wl_key_wipe(&logk.key);
    return 0;
}
