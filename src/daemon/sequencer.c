/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sequencer: one thread, one write connection. It takes every job queued
 * since its last round and commits them in one transaction (group commit):
 * each single entry in its own savepoint, each batch in one savepoint, all or
 * nothing. Only after the commit returns (the WAL is synced) does it resume
 * the suspended connections, so no answer precedes durability. It calls no
 * handler: what must happen after a round (sealed receipts) is a function
 * registered at start-up (wl_sequencer_on_round), run before the resumes.
 *
 * Fault injection (tests only, off by default, faults.c): WL_TEST_FSYNC_DELAY_MS=N
 * makes every commit take N ms longer, as a slow disk's fsync would; tests use
 * it to show that no worker thread waits for a commit.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "http.h"
#include "sequencer.h"

/* What runs after each committed round (wl_sequencer_on_round), set at start-up. */
#define ON_ROUND_MAX 4
static void (*on_round[ON_ROUND_MAX])(wl_job *round);
static size_t non_round;

void wl_sequencer_on_round(void (*fn)(wl_job *round))
{
    if (non_round < ON_ROUND_MAX) /* a few, each named in serve.c: more is a bug */
        on_round[non_round++] = fn;
}

void wl_job_free(wl_job *j)
{
    if (j == NULL)
        return;
    if (j->free_arg)
        j->free_arg(j->arg);
    for (size_t i = 0; i < j->n; i++) {
        char *bytes = (char *)j->items[i].e.bytes; /* owned by the job */
        wl_pending_clear(&j->items[i]);
        wl_free(bytes);
    }
    wl_free(j->items);
    wl_free(j->index);
    wl_free(j->existed);
    wl_free(j);
}

void wl_sequencer_submit(wl_job *j)
{
    pthread_mutex_lock(&wl_srv->mu);
    j->next = NULL;
    if (wl_srv->tail)
        wl_srv->tail->next = j;
    else
        wl_srv->head = j;
    wl_srv->tail = j;
    pthread_cond_signal(&wl_srv->cv);
    pthread_mutex_unlock(&wl_srv->mu);
}

enum MHD_Result wl_sequencer_defer(struct MHD_Connection *c, wl_req *r, wl_job *j, wl_done_fn done)
{
    j->conn = c;
    r->job = j;
    r->done = done;
    /* durable before the answer, without holding a worker thread meanwhile */
    MHD_suspend_connection(c);
    wl_sequencer_submit(j);
    return MHD_YES;
}

enum MHD_Result wl_sequencer_defer_fn(struct MHD_Connection *c, wl_req *r,
                                      wl_rc (*fn)(wl_store *s, void *arg, wl_error *err), void *arg,
                                      void (*free_arg)(void *arg), wl_done_fn done)
{
    wl_job *j = wl_calloc(1, sizeof *j);
    if (j == NULL) {
        free_arg(arg);
        return MHD_NO;
    }
    j->fn = fn;
    j->arg = arg;
    j->free_arg = free_arg;
    return wl_sequencer_defer(c, r, j, done);
}

void wl_sequencer_run(wl_job *j)
{
    j->conn = NULL;
    wl_sequencer_submit(j);
    pthread_mutex_lock(&wl_srv->mu);
    while (!j->done)
        pthread_cond_wait(&wl_srv->done_cv, &wl_srv->mu);
    pthread_mutex_unlock(&wl_srv->mu);
}

wl_job *wl_sequencer_take(void)
{
    wl_job *batch;
    bool stop = false;
    while ((batch = wl_sequencer_take_for(60000, &stop)) == NULL && !stop)
        ;
    return batch;
}

void wl_job_done(wl_job *j)
{
    if (j->conn) {
        j->done = true;
        MHD_resume_connection(j->conn);
    } else {
        pthread_mutex_lock(&wl_srv->mu);
        j->done = true;
        pthread_cond_broadcast(&wl_srv->done_cv);
        pthread_mutex_unlock(&wl_srv->mu);
    }
}

/*
 * A refusal of the entry that wrote nothing (p->writing false) and left the
 * transaction whole: not the engine's failure, which may have aborted it.
 */
static bool refused_clean(const wl_pending *p, const wl_error *err)
{
    if (p->writing || (err->code != NULL && strcmp(err->code, "storage") == 0))
        return false;
    switch (err->rc) {
    case WL_ERR_IO:
    case WL_ERR_CORRUPT:
    case WL_ERR_INTERNAL:
    case WL_ERR_NOMEM:
    case WL_ERR_UNAVAILABLE:
        return false;
    default:
        return true;
    }
}

/*
 * Runs job j of a round. Careful, each job in a savepoint of its own: a failed
 * one is undone alone. Otherwise (a round of entries, nonces and checkpoints
 * only: jobs that may run again) an entries job runs without one, since on
 * PostgreSQL its SAVEPOINT and RELEASE were two statements and a wait for the
 * server per entry; a failure that may have left writes (or surfaced a write
 * sent before, in the pipeline) returns true: the round is to be rolled back
 * and run again, carefully. A refusal before any write (a replayed seq, a
 * revoked key) needs none.
 */
static bool run_job(wl_store *s, wl_job *j, bool careful)
{
    wl_error err;
    if (j->fn) {
        /* all or nothing, like a batch */
        wl_rc rc = wl_store_savepoint(s);
        memset(&j->err, 0, sizeof j->err);
        if (rc == WL_OK)
            rc = j->fn(s, j->arg, &j->err);
        if (rc != WL_OK) {
            if (j->err.code == NULL)
                wl_error_set(&j->err, rc, "storage", "%s", wl_store_errmsg(s));
            j->failed = true;
            wl_store_rollback_to(s);
        } else if (wl_store_release(s) != WL_OK) {
            wl_error_set(&j->err, WL_ERR_IO, "storage", "%s", wl_store_errmsg(s));
            j->failed = true;
            wl_store_rollback_to(s);
        }
        return false;
    }
    if (j->nonce) {
        wl_rc rc = wl_store_nonce_use(s, j->nonce, j->nonce_expires, (int64_t)time(NULL));
        if (rc == WL_ERR_CONFLICT)
            wl_error_set(&j->err, rc, "replayed_request",
                         "this request's nonce was already used: sign each request anew");
        else if (rc != WL_OK)
            wl_error_set(&j->err, rc, "storage", "recording a nonce: %s", wl_store_errmsg(s));
        j->failed = rc != WL_OK;
        return false;
    }
    if (j->cp_note) {
        wl_rc rc =
            wl_store_checkpoint_put(s, j->cp_size, j->cp_note, j->cp_len, (int64_t)time(NULL));
        if (rc != WL_OK) {
            j->failed = true;
            wl_error_set(&j->err, rc, "storage", "storing a checkpoint: %s", wl_store_errmsg(s));
        }
        return false;
    }
    if (careful && wl_store_savepoint(s) != WL_OK) {
        j->failed = true;
        wl_error_set(&j->err, WL_ERR_IO, "storage", "savepoint: %s", wl_store_errmsg(s));
        return false;
    }
    for (size_t i = 0; i < j->n; i++) {
        memset(&err, 0, sizeof err);
        if (wl_ledger_sequence(s, &j->items[i], &j->index[i], &j->existed[i], &err) != WL_OK) {
            j->failed = true;
            j->err = err;
            j->err_pos = i;
            if (careful)
                wl_store_rollback_to(s);
            return !careful && (i > 0 || !refused_clean(&j->items[i], &err));
        }
    }
    if (careful && wl_store_release(s) != WL_OK) {
        j->failed = true;
        wl_error_set(&j->err, WL_ERR_IO, "storage", "release: %s", wl_store_errmsg(s));
        wl_store_rollback_to(s);
    }
    return false;
}

/* Whether every job of the round may run again after a rollback (no function: those are run once).
 */
static bool may_rerun(const wl_job *batch)
{
    for (const wl_job *j = batch; j; j = j->next)
        if (j->fn)
            return false;
    return true;
}

/* The round's jobs as before it ran, to run again. */
static void rewind_jobs(wl_job *batch)
{
    for (wl_job *j = batch; j; j = j->next) {
        j->failed = false;
        j->err_pos = 0;
        memset(&j->err, 0, sizeof j->err);
        if (j->n) {
            memset(j->index, 0, j->n * sizeof *j->index);
            memset(j->existed, 0, j->n * sizeof *j->existed);
        }
    }
}

/*
 * Whether a committed round may have changed the register (members, pledges,
 * requirements, facts): any job that ran a function (sealed content,
 * announcements, envelopes) or appended an entry of a kind whose descriptor
 * says it does (changes_register: every kind but a plain statement). Nonces
 * and checkpoints do not. Cached views key on this.
 */
static bool changes_register(const wl_job *batch)
{
    for (const wl_job *j = batch; j; j = j->next) {
        if (j->failed)
            continue;
        if (j->fn)
            return true;
        for (size_t i = 0; i < j->n; i++) {
            const wl_kind *k = wl_kind_find(j->items[i].e.kind);
            if (k == NULL || k->changes_register)
                return true;
        }
    }
    return false;
}

/*
 * The (author, seq) of every entry of the round's jobs, looked up at once
 * (wl_store_find_seq_many): the ledger's look-up of each before it is sequenced
 * then asks the engine nothing for a new one. A cache: out of memory, none.
 */
static wl_rc look_up_round(wl_store *s, const wl_job *batch)
{
    size_t n = 0, k = 0;
    const char **authors;
    uint64_t *seqs;
    wl_rc rc;
    for (const wl_job *j = batch; j; j = j->next)
        n += j->fn ? 0 : j->n;
    if (n == 0)
        return WL_OK;
    authors = wl_calloc(n, sizeof *authors);
    seqs = wl_calloc(n, sizeof *seqs);
    if (authors == NULL || seqs == NULL) {
        wl_free(authors);
        wl_free(seqs);
        return WL_OK;
    }
    for (const wl_job *j = batch; j; j = j->next)
        for (size_t i = 0; !j->fn && i < j->n; i++, k++) {
            authors[k] = j->items[i].e.author;
            seqs[k] = j->items[i].e.seq;
        }
    rc = wl_store_find_seq_many(s, authors, seqs, n);
    wl_free(authors);
    wl_free(seqs);
    return rc == WL_ERR_NOMEM ? WL_OK : rc;
}

/*
 * Runs a round's jobs in one transaction and commits it; *size is the log's
 * size as committed, read inside the transaction (after the commit, nothing
 * may fail and tell a client that what is stored was not). On failure, why
 * says what failed in the engine's own words (a full disk), nothing is
 * stored, and the jobs not yet failed are to be told so. A job whose failure
 * made the engine roll the whole transaction back (a full disk, an I/O error)
 * ends the round: the jobs after it would otherwise run outside any
 * transaction, each committed on its own. Not careful (run_job), *again says
 * that a failure may be one entry's, not the round's: nothing is stored, and
 * the round is to run again carefully, where that entry fails alone.
 */
static wl_rc commit_round(wl_store *s, wl_job *batch, bool careful, bool *again, uint64_t *size,
                          char *why, size_t cap)
{
    wl_rc rc = wl_store_begin(s);
    *again = false;
    if (rc != WL_OK) {
        snprintf(why, cap, "cannot begin a transaction: %s", wl_store_errmsg(s));
        return rc;
    }
    if ((rc = look_up_round(s, batch)) != WL_OK) {
        snprintf(why, cap, "looking up the round's entries: %s", wl_store_errmsg(s));
        wl_store_rollback(s);
        return rc;
    }
    for (wl_job *j = batch; j; j = j->next) {
        *again = run_job(s, j, careful);
        if (!wl_store_in_transaction(s)) {
            snprintf(why, cap, "the transaction was rolled back: %s",
                     j->err.msg[0] ? j->err.msg : wl_store_errmsg(s));
            *again = !careful;
            return WL_ERR_IO;
        }
        if (*again) {
            snprintf(why, cap, "an entry failed: %s", j->err.msg);
            wl_store_rollback(s);
            return WL_ERR_IO;
        }
    }
    if ((rc = wl_store_size(s, size)) != WL_OK)
        snprintf(why, cap, "reading the log's size: %s", wl_store_errmsg(s));
    else if ((rc = wl_store_commit(s)) != WL_OK)
        snprintf(why, cap, "commit failed: %s", wl_store_errmsg(s));
    if (rc != WL_OK) {
        wl_store_rollback(s); /* after why is written: a ROLLBACK has its own message */
        *again = !careful;    /* a write of an entry may have failed (sent in a pipeline) */
    } else {
        wl_test_delay("WL_TEST_FSYNC_DELAY_MS", "a commit (its fsync)");
    }
    return rc;
}

/*
 * The file's structure, SQLite's quick_check (every page read once: seconds
 * at a million entries), checked before the first round. `serve` answers
 * reads meanwhile from a file whose last checkpoint, tree and newest entries
 * it has checked (wl_startup_check); writes wait here. On damage nothing is
 * written: every job is refused and the daemon stops, exiting 1.
 */
static bool structure_damaged(wl_store *s, char *why, size_t cap)
{
    char what[200];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (wl_store_quick_check(s, what, sizeof what) == WL_OK) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "willing: the database's structure checked (%.1f s)\n",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        return false;
    }
    snprintf(why, cap, "the database file is damaged (%s); nothing stored", what);
    fprintf(stderr,
            "willing serve: refusing to serve %s: the file is damaged: %s. Run `willing "
            "fsck --db %s`.\n",
            wl_srv->db_path, what, wl_srv->db_path);
    pthread_mutex_lock(&wl_srv->mu);
    wl_srv->damaged = true;
    pthread_mutex_unlock(&wl_srv->mu);
    kill(getpid(), SIGTERM); /* serve's main thread stops the daemon */
    return true;
}

wl_job *wl_sequencer_take_for(unsigned ms, bool *stop)
{
    wl_job *batch;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&wl_srv->mu);
    while (wl_srv->head == NULL && !wl_srv->seq_stopping)
        if (pthread_cond_timedwait(&wl_srv->cv, &wl_srv->mu, &ts) != 0)
            break; /* the time is up */
    batch = wl_srv->head;
    wl_srv->head = wl_srv->tail = NULL;
    *stop = wl_srv->seq_stopping;
    pthread_mutex_unlock(&wl_srv->mu);
    return batch;
}

void wl_sequencer_refuse(wl_job *batch, wl_rc rc, const char *code, const char *fmt, ...)
{
    char msg[sizeof batch->err.msg];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof msg, fmt, ap); /* cut if longer: a message */
    va_end(ap);
    for (wl_job *j = batch; j; j = j->next) {
        if (j->failed && j->err.rc != WL_ERR_IO)
            continue; /* refused for its own reason (a bad entry) */
        j->failed = true;
        j->err_pos = 0;
        wl_error_set(&j->err, rc, code, "%s", msg);
    }
}

void wl_sequencer_answer(wl_job *batch)
{
    for (wl_job *j = batch; j;) {
        wl_job *next = j->next;
        wl_job_done(j); /* j may be freed from here on */
        j = next;
    }
}

bool wl_sequencer_damaged(wl_store *s, char *why, size_t cap)
{
    return structure_damaged(s, why, cap);
}

/*
 * A round run again entry by entry says so in the daemon's log (an entry whose
 * write failed is the engine's trouble or a bug, not a client's): the first at
 * once, then a line a minute at most, with how many since.
 */
static void said_rerun(const char *why)
{
    static time_t last;
    static unsigned long since;
    time_t now = time(NULL);
    since++;
    if (last != 0 && now - last < 60)
        return;
    fprintf(stderr, "willing: %lu round(s) ran again entry by entry; the first try: %s\n", since,
            why);
    last = now;
    since = 0;
}

wl_rc wl_sequencer_round(wl_store *s, wl_job *batch, const char *damaged)
{
    uint64_t size = 0;
    char why[200];
    wl_rc rc;
    wl_job *j;
    if (damaged) {
        rc = WL_ERR_CORRUPT;
        for (j = batch; j; j = j->next)
            if (!j->failed) {
                j->failed = true;
                wl_error_set(&j->err, WL_ERR_IO, "storage", "%s", damaged);
            }
    } else {
        bool careful = !may_rerun(batch), again;
        rc = commit_round(s, batch, careful, &again, &size, why, sizeof why);
        if (rc != WL_OK && again) {
            said_rerun(why);
            rewind_jobs(batch);
            rc = commit_round(s, batch, true, &again, &size, why, sizeof why);
        }
    }
    for (j = batch; j; j = j->next) {
        if (rc != WL_OK && !j->failed) {
            j->failed = true;
            wl_error_set(&j->err, WL_ERR_IO, "storage", "%s; nothing stored", why);
        }
    }
    for (size_t i = 0; rc == WL_OK && i < non_round; i++)
        on_round[i](batch);
    pthread_mutex_lock(&wl_srv->mu);
    if (rc == WL_OK) {
        wl_srv->size = size;
        if (changes_register(batch))
            wl_srv->reg_gen++;
    }
    pthread_mutex_unlock(&wl_srv->mu);
    return rc;
}
