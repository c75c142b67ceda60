/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The daemon's own threads and start-up work, started by serve.c: the
 * publisher (publisher.c), the sealer (sealer.c), the coverage views' builder
 * (coalition.c) and what runs after each sequencer round (sealed.c, incidents.c).
 */
#ifndef WILLING_DAEMON_THREADS_H
#define WILLING_DAEMON_THREADS_H

#include <stddef.h>

#include "willing/ledger.h"

typedef struct json_t json_t;

typedef struct wl_job wl_job;

/* The publisher: checkpoints every interval, witnesses' cosignatures. */
void *wl_publisher_main(void *arg);
/* Publishes now if the tree grew (used at start-up). */
wl_rc wl_publish_once(wl_store *s, char *why, size_t cap); /* why: what failed */
/*
 * Asks every witness (wl_srv->witnesses) at once to cosign the signed checkpoint
 * note of the tree of this size (cosign.c); appends the verified cosignature
 * lines to cosigs, and returns how many, when all have answered or
 * wl_srv->witness_timeout_ms after the start, whichever is first. Publisher's
 * thread only (it updates each witness's size and state).
 */
size_t wl_cosign_all(wl_store *s, const char *note, size_t nlen, uint64_t size, wl_buf *cosigs);
/* Start-up check of the database against its last checkpoint. */
wl_rc wl_startup_check(wl_store *s, char *why, size_t cap);
void *wl_sealer_main(void *arg);
/* Rebuilds the cached coverage views after changes, in the background (arg: its store). */
void *wl_coverage_warmer_main(void *arg);
/*
 * Signs the receipts of the sealed submissions of a committed round: run on
 * the sequencer's thread after each round (wl_sequencer_on_round).
 */
void wl_sealed_receipts(wl_job *round);
/*
 * The incidents' engine (incidents.c): built at start-up on a thread of its
 * own (s only if no thread can be made); then each committed round's reports, merges and splits
 * queued after it (wl_sequencer_on_round), before its writers are answered,
 * without waiting for the engine; the next read adds them.
 */
void wl_incidents_start(wl_store *s);
/* Returns once the start-up build is over: at shutdown, before the threads' stores close
 * (the build reads through a store of its own thread). */
void wl_incidents_wait(void);
void wl_incidents_on_round(wl_job *round);
/* The log grew without a round of this daemon (serve --read-only): the next read rebuilds the
 * engine from the store. */
void wl_incidents_stale(void);
/* The daily report's notable incidents from the engine (a wl_daily_notable_fn; ctx unused):
 * the ids and reports GET /api/v1/incidents gives. */
wl_rc wl_incidents_holding_now(void *ctx, const uint64_t *notable, size_t n, json_t **out,
                               wl_error *err);

#endif
