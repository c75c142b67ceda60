/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sequencer (sequencer.c): one thread, one write connection, group
 * commit. Handlers hand it jobs and suspend their connection; the daemon's
 * own threads wait for theirs. It calls no handler: what must run after a
 * round (sealed receipts) is registered with wl_sequencer_on_round at start.
 * docs/ARCHITECTURE.md, docs/internals/daemon.md.
 */
#ifndef WILLING_DAEMON_SEQUENCER_H
#define WILLING_DAEMON_SEQUENCER_H

#include <microhttpd.h>
#include <stdbool.h>

#include "willing/ledger.h"

typedef struct wl_req_s wl_req;
typedef struct wl_job wl_job;

struct wl_job {
    wl_pending *items;
    size_t n;
    bool batch; /* all or nothing */
    uint64_t *index;
    int *existed;
    wl_error err;
    size_t err_pos;
    bool failed;
    bool done;
    /* any other durable change, run in the sequencer's transaction */
    wl_rc (*fn)(wl_store *s, void *arg, wl_error *err);
    void *arg;
    void (*free_arg)(void *arg); /* called by wl_job_free */
    /* a request nonce to record once (auth.c) instead of entries */
    const char *nonce;
    int64_t nonce_expires;
    /* a checkpoint to store (from the publisher) instead of entries */
    const char *cp_note;
    size_t cp_len;
    uint64_t cp_size;
    struct MHD_Connection *conn; /* NULL: the submitter waits on done_cv */
    wl_job *next;
};

/* The answer to a request once its job is durable (or failed). */
typedef enum MHD_Result (*wl_done_fn)(struct MHD_Connection *c, wl_req *r);

/* Frees a job, its entries and its arg (free_arg); NULL is a no-op. */
void wl_job_free(wl_job *j);
/* Queues a job and returns; the sequencer resumes job->conn when it is durable. */
void wl_sequencer_submit(wl_job *j);
/*
 * Queues job j for request r (which owns it from here) and suspends c; the
 * sequencer resumes c once j is durable and the request is answered by done.
 * Returns MHD_YES, for the handler to return.
 */
enum MHD_Result wl_sequencer_defer(struct MHD_Connection *c, wl_req *r, wl_job *j, wl_done_fn done);
/* The same for a job that runs fn(arg); arg is freed with free_arg, also on failure (MHD_NO). */
enum MHD_Result wl_sequencer_defer_fn(struct MHD_Connection *c, wl_req *r,
                                      wl_rc (*fn)(wl_store *s, void *arg, wl_error *err), void *arg,
                                      void (*free_arg)(void *arg), wl_done_fn done);
/*
 * Queues a job without a connection and waits until it is durable: for the
 * daemon's own threads (publisher, sealer), never an HTTP worker.
 */
void wl_sequencer_run(wl_job *j);
/*
 * j's answer is ready (its err and failed set): its connection resumed, or its
 * submitter woken. j may be freed as soon as this is called.
 */
void wl_job_done(wl_job *j);
/*
 * The jobs queued since the last call (a list through next), waiting for one;
 * NULL once the daemon stops (seq_stopping) with none left. The sequencer's
 * thread, or the one that stands in for it (serve --read-only).
 */
wl_job *wl_sequencer_take(void);
/*
 * Registers fn to run on the sequencer's thread after each committed round,
 * before its connections resume, with the round's jobs (a list through
 * next). At start-up, before the sequencer runs; at most a few.
 */
void wl_sequencer_on_round(void (*fn)(wl_job *round));
/*
 * The file's structure checked (SQLite's quick_check) before a writer's first
 * round; on damage, why says so, serve is told to stop (exit 1), and true.
 */
bool wl_sequencer_damaged(wl_store *s, char *why, size_t cap);
/*
 * One round: batch's jobs run and committed in one transaction on s (or, with
 * damaged, each refused with that text), the after-round hooks run and the
 * committed size kept; on failure every job is failed (nothing stored). The
 * jobs are not answered yet (wl_sequencer_answer). The writer's thread
 * (writer.c) runs the rounds.
 */
wl_rc wl_sequencer_round(wl_store *s, wl_job *batch, const char *damaged);
/*
 * The writer's thread's: takes every queued job, waiting up to ms for one;
 * NULL if none came (*stop: serve is stopping and the queue is empty).
 */
wl_job *wl_sequencer_take_for(unsigned ms, bool *stop);
/* Marks every job of batch that is not refused for a reason of its own as failed (rc, code). */
void wl_sequencer_refuse(wl_job *batch, wl_rc rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Answers a batch's jobs: resumes their connections, wakes their waiting threads. */
void wl_sequencer_answer(wl_job *batch);

#endif
