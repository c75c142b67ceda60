/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state of `willing serve` that its parts share (server.c): the server's
 * configuration and keys, the sequencer's queue, the published checkpoint,
 * each thread's read connection; and the small services below every part:
 * fault injection (faults.c) and the hash cache (hashcache.c). The parts
 * have headers of their own: http.h, route.h, respond.h, auth.h,
 * sequencer.h, admit.h, threads.h, entries.h. docs/internals/daemon.md.
 */
#ifndef WILLING_DAEMON_H
#define WILLING_DAEMON_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>

#include "willing/ledger.h"
#include "willing/note.h"

typedef struct wl_job wl_job;

typedef struct {
    char url[512];
    wl_vkey vkey;
    uint64_t size; /* the size it last cosigned, as far as we know */
    bool failing;  /* its last round failed (said once on stderr; the publisher's thread only) */
    char why[160]; /* why, as said */
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
    size_t blob_max;          /* bytes of one blob (serve --blob-max) */
    /* serve --read-only (readonly.c): no writes; the latest stored checkpoint followed */
    bool read_only;
    char primary_url[WL_PUBLIC_URL_MAX + 1]; /* serve --primary: where writes go, if given */

    /* the sequencer */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wl_job *head, *tail;
    bool stopping;     /* the publisher: publish once more and stop */
    bool seq_stopping; /* the sequencer: drain the queue and stop (after the publisher) */
    uint64_t size;     /* committed size, under mu */
    uint64_t reg_gen;  /* bumped, under mu, by every commit that may change the register */
    bool damaged;      /* the sequencer found the file damaged: serve stops and exits 1 */
    bool standby;      /* another process writes the ledger: reads only (writer.c), under mu */

    /* the published checkpoint, under mu */
    char *cp_note;
    size_t cp_len;
    uint64_t cp_size;
    size_t cp_cosigs; /* the witnesses' cosignatures it carries */
    pthread_cond_t cp_cv;
    pthread_cond_t done_cv; /* jobs without a connection are done */

    wl_witness_peer witnesses[WL_WITNESS_MAX];
    size_t nwitnesses;
    unsigned witness_timeout_ms; /* a round of cosignatures ends this long after it starts */

    struct MHD_Daemon *mhd;
} wl_server;

/* The one server of this process (server.c), set up by serve.c before any thread starts. */
extern wl_server *wl_srv;

/*
 * Waits ms milliseconds, or less if woken (cp_cv: a checkpoint served, the
 * daemon stopping); whether the daemon is stopping.
 */
bool wl_srv_wait(unsigned ms);

/* The register's generation now (wl_srv->reg_gen, read under mu). */
uint64_t wl_register_gen(void);

/*
 * The keys s reads kept from request to request while the register's generation stays
 * (wl_store_keep_keys): in the process that writes the log only, where every commit that
 * may change a key moves it before its answer; a standby or a read-only replica, whose
 * log another process writes, reads them every time.
 */
void wl_thread_keep_keys(wl_store *s);
/* Read connection of the calling thread, opened on first use. */
wl_store *wl_thread_store(void);
/* Closes every thread's read connection (after the HTTP daemon has stopped). */
void wl_thread_stores_close(void);

/* A wl_hash_reader over a store (ctx) with a shared in-memory cache (hashcache.c). */
wl_rc wl_cached_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32]);
/* The tree's warm-up (hashcache.c), on a store of its own (arg) from serve.c: every full
 * tile read once at start, upper levels first, so that proofs do not wait on the disk; it
 * closes the store when done. */
void *wl_tree_warmer_main(void *arg);

/*
 * Fault injection for tests (faults.c): sleeps the milliseconds that the
 * environment variable env names, saying on stderr that `what` was slowed;
 * returns at once when env is unset or 0 (always, outside tests).
 */
void wl_test_delay(const char *env, const char *what);

#endif
