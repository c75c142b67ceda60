/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of `willing serve`: the server state shared by the HTTP handlers
 * (http.c, log.c, entries.c), the sequencer (group commit, sequencer.c)
 * and the publisher (checkpoints and witnesses, publisher.c).
 * docs/ARCHITECTURE.md shows the data flow of a write and of a read.
 */
#ifndef WILLING_DAEMON_H
#define WILLING_DAEMON_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>

#include <jansson.h>

#include "willing/identity.h" /* wl_authorize, wl_member_privileged */
#include "willing/ledger.h"
#include "willing/note.h"
#include "respond.h"

typedef struct wl_job wl_job;

typedef struct {
    char url[512];
    wl_vkey vkey;
    uint64_t size; /* the size it last cosigned, as far as we know */
} wl_witness_peer;

typedef struct {
    char db_path[4096];
    char web_dir[4096]; /* the console's files (web/) */
    bool tls;           /* served over TLS: cookies are Secure */
    /* where readers reach the log (serve --public-url): absolute links, never from Host */
    char public_url[WL_PUBLIC_URL_MAX + 1];
    char origin[WL_ORIGIN_MAX + 1];
    wl_key log_key;
    wl_vkey log_vkey;
    wl_key op_key;          /* the operator's entry key: envelopes and receipts */
    char op_id[65];         /* the operator's member id */
    unsigned seal_interval; /* seconds between batches of sealed envelopes */
    unsigned seal_batch;    /* envelopes per batch (padded with dummies) */
    unsigned interval_ms;
    unsigned client_timeout; /* seconds: idle connection, and a whole request body */
    unsigned header_timeout; /* seconds from accept (or the last response) to a request's headers */
    unsigned max_connections; /* in all */
    unsigned max_per_address; /* from one client address */
    size_t body_budget;       /* bytes of request bodies held at once, all connections */

    /* the sequencer */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wl_job *head, *tail;
    bool stopping;     /* the publisher: publish once more and stop */
    bool seq_stopping; /* the sequencer: drain the queue and stop (after the publisher) */
    uint64_t size;     /* committed size, under mu */
    uint64_t reg_gen;  /* bumped, under mu, by every commit that may change the register */
    bool damaged;      /* the sequencer found the file damaged: serve stops and exits 1 */

    /* the published checkpoint, under mu */
    char *cp_note;
    size_t cp_len;
    uint64_t cp_size;
    pthread_cond_t cp_cv;
    pthread_cond_t done_cv; /* jobs without a connection are done */

    wl_witness_peer witnesses[WL_WITNESS_MAX];
    size_t nwitnesses;

    struct MHD_Daemon *mhd;
} wl_server;

extern wl_server *wl_srv;

/* An authenticated requester (auth.c). */
typedef struct {
    char member[65];
    char scope[17];
    uint32_t key_id;
    unsigned status; /* on failure: the HTTP status, code and message */
    const char *code;
    char msg[256];
    char nonce[129]; /* with defer_nonce: for the caller to record in its own job */
    int64_t nonce_expires;
    bool suspended; /* no verdict yet: the connection waits for the nonce to be durable */
} wl_auth;

/* A request's state, freed in one place when the response is done (http.c). */
typedef struct wl_req_s {
    char *uri; /* the request target as received (path and query) */
    bool begun;
    char *body;
    size_t len, cap, max;
    size_t expect;   /* Content-Length + 1, or 0 (chunked, or no body) */
    size_t reserved; /* bytes taken from the body budget (admit.c), given back when done */
    int error_status;
    const char *error_code;
    char error_msg[256];
    time_t started;
    wl_job *job; /* a write waiting for the sequencer */
    /* the answer once the sequencer resumes the connection (default: entries) */
    enum MHD_Result (*done)(struct MHD_Connection *c, struct wl_req_s *r);
    /*
     * Waits that route the request again when the connection resumes (a worker
     * never waits on a disk or a long computation, docs/internals/daemon.md):
     * a signed request's nonce being made durable (auth.c), whose verdict the
     * second pass takes from here; a view computed on another thread (a
     * coverage view), handed over in held and freed with held_free.
     */
    wl_job *nonce_job;
    wl_auth nonce_auth;
    bool held_ready;
    void *held;
    void (*held_free)(void *);
} wl_req;

/*
 * Admission control (admit.c): the header deadline and the body budget.
 * wl_admit_notify is libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback;
 * wl_admit_headers_in marks a connection's request headers complete (the
 * access handler's first call); wl_admit_request_done starts the deadline
 * for the next request on the connection.
 */
int wl_admit_start(unsigned header_timeout_s, size_t body_budget_bytes);
void wl_admit_stop(void);
void wl_admit_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe);
void wl_admit_headers_in(struct MHD_Connection *c);
void wl_admit_request_done(struct MHD_Connection *c);
/* Whether n bytes more would fit in the body budget now (nothing taken). */
bool wl_admit_body_room(size_t n);
/* Takes n bytes from the body budget; false (nothing taken) if that would go over it. */
bool wl_admit_body_take(size_t n);
void wl_admit_body_give(size_t n);

/* Read connection of the calling thread, opened on first use. */
wl_store *wl_thread_store(void);
/* Closes every thread's read connection (after the HTTP daemon has stopped). */
void wl_thread_stores_close(void);

/* Handlers */
enum MHD_Result wl_h_log(struct MHD_Connection *c, const char *path);
enum MHD_Result wl_h_entries_post(struct MHD_Connection *c, wl_req *r, bool batch);
enum MHD_Result wl_h_entries_done(struct MHD_Connection *c, wl_req *r);
enum MHD_Result wl_h_entry_get(struct MHD_Connection *c, const char *rest);
enum MHD_Result wl_h_proof(struct MHD_Connection *c, const char *which);
enum MHD_Result wl_h_entries_list(struct MHD_Connection *c);
/* For an announce entry, what it reveals: {kind, author, time, body}; else NULL. */
json_t *wl_revealed(const wl_entry *e);
/* The console's pages and files, and the Atom feed (web.c). */
enum MHD_Result wl_h_web(struct MHD_Connection *c, const char *url);
/* GET /api/v1/registry: what the console lists rather than copies (registry.c). */
enum MHD_Result wl_h_registry(struct MHD_Connection *c);
/*
 * The C2SP tlog-proof of entry index against the published checkpoint
 * (malloc'd, *len bytes), or NULL: *why WL_ERR_NOT_FOUND if not covered yet.
 */
char *wl_tlog_proof_text(wl_store *s, uint64_t index, size_t *len, wl_rc *why);
void wl_job_free(wl_job *j);

/* The sequencer */
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
/* Queues a job and returns; the sequencer resumes job->conn when it is durable. */
void wl_sequencer_submit(wl_job *j);
/*
 * Queues job j for request r (which owns it from here) and suspends c; the
 * sequencer resumes c once j is durable and the request is answered by done
 * (NULL: wl_h_entries_done). Returns MHD_YES, for the handler to return.
 */
enum MHD_Result wl_sequencer_defer(struct MHD_Connection *c, wl_req *r, wl_job *j,
                                   enum MHD_Result (*done)(struct MHD_Connection *c, wl_req *r));
/* The same for a job that runs fn(arg); arg is freed with free_arg, also on failure (MHD_NO). */
enum MHD_Result wl_sequencer_defer_fn(struct MHD_Connection *c, wl_req *r,
                                      wl_rc (*fn)(wl_store *s, void *arg, wl_error *err), void *arg,
                                      void (*free_arg)(void *arg),
                                      enum MHD_Result (*done)(struct MHD_Connection *c, wl_req *r));
/*
 * Queues a job without a connection and waits until it is durable: for the
 * daemon's own threads (publisher, sealer), never an HTTP worker.
 */
void wl_sequencer_run(wl_job *j);
void *wl_sequencer_main(void *arg);

/* The publisher: checkpoints every interval, witnesses' cosignatures. */
void *wl_publisher_main(void *arg);
/* Publishes now if the tree grew (used at start-up). */
wl_rc wl_publish_once(wl_store *s, char *why, size_t cap); /* why: what failed */

/* A wl_hash_reader over a store (ctx) with a shared in-memory cache (hashcache.c). */
wl_rc wl_cached_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32]);

/*
 * 0 when the request carries a valid RFC 9421 signature by a live key (or a
 * console session); -1 with a->status. A signature's nonce is made durable
 * without holding the worker: the first pass suspends the connection and
 * returns -1 with a->suspended set, the handler then returns
 * wl_auth_refuse (MHD_YES), and the request is routed again once the nonce is
 * durable, when this returns the verdict.
 */
int wl_authenticate(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a);
/* The same, but the nonce is left for the caller to record (wl_nonce_record) in its own job. */
int wl_authenticate_deferred(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a);
/* The answer to a failed wl_authenticate: its error, or nothing yet when suspended. */
enum MHD_Result wl_auth_refuse(struct MHD_Connection *c, const wl_auth *a);
/* Console sessions (session.c). */
enum MHD_Result wl_h_login_challenge(struct MHD_Connection *c, wl_req *r);
enum MHD_Result wl_h_login(struct MHD_Connection *c, wl_req *r);
enum MHD_Result wl_h_session(struct MHD_Connection *c);
enum MHD_Result wl_h_logout(struct MHD_Connection *c, const char *method, wl_req *r);
/* The live session the request's cookie names: 0 and its fields, or -1. */
int wl_session_lookup(struct MHD_Connection *c, uint8_t token[32], char member[65],
                      uint32_t *key_id, char csrf[65]);
/* Inside a sequencer job: records a's nonce once, or fails with replayed_request. */
wl_rc wl_nonce_record(wl_store *s, const wl_auth *a, wl_error *err);
enum MHD_Result wl_h_whoami(struct MHD_Connection *c, const char *method, wl_req *r);
/* Signs the receipts of the sealed submissions of a committed round (sequencer thread). */
void wl_sealed_receipts(wl_job *batch);
enum MHD_Result wl_h_sealed_mine(struct MHD_Connection *c, const char *method, wl_req *r);
enum MHD_Result wl_h_sealed_post(struct MHD_Connection *c, const char *method, wl_req *r);
enum MHD_Result wl_h_sealed_get(struct MHD_Connection *c, const char *method, wl_req *r,
                                const char *hex);
void *wl_sealer_main(void *arg);
/* Rebuilds the cached coverage views after changes, in the background (arg: its store). */
void *wl_coverage_warmer_main(void *arg);
enum MHD_Result wl_h_coverage(struct MHD_Connection *c, const char *method, wl_req *r);
enum MHD_Result wl_h_members(struct MHD_Connection *c, const char *method, wl_req *r);
enum MHD_Result wl_h_member_announce(struct MHD_Connection *c, const char *method, wl_req *r);
enum MHD_Result wl_h_clearing_inputs(struct MHD_Connection *c, const char *method, wl_req *r);

/*
 * Fault injection for tests (faults.c): sleeps the milliseconds that the
 * environment variable env names, saying on stderr that `what` was slowed;
 * returns at once when env is unset or 0 (always, outside tests).
 */
void wl_test_delay(const char *env, const char *what);

/* Start-up check of the database against its last checkpoint. */
wl_rc wl_startup_check(wl_store *s, char *why, size_t cap);

#endif
