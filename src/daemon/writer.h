/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One writer, standbys, and a database that goes away (writer.c): the writer's
 * lock (wl_store_writer_lock) taken before the sequencer writes; a standby
 * that serves reads, refuses writes (503 standby) and takes over when the
 * writer is gone; a writer that lost its database connection reopens it,
 * takes the lock again and reloads the log's state. docs/OPERATIONS.md "One
 * writer and standbys", docs/internals/daemon.md.
 */
#ifndef WILLING_DAEMON_WRITER_H
#define WILLING_DAEMON_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "willing/ledger.h"

typedef struct wl_job wl_job;

/* How often a standby tries the lock, and a writer without a database reconnects. */
#define WL_WRITER_TRY_MS 200
/* How often an idle writer checks that it still holds the lock (its connection lives). */
#define WL_WRITER_CHECK_MS 1000

/*
 * Opens the ledger at db for `serve`, waiting up to wait_s seconds for a
 * PostgreSQL server that cannot be reached yet (said once, with the URL
 * without its password, tried again every second); on failure, says why on
 * stderr. The codes of wl_store_open_why.
 */
wl_rc wl_writer_open(const char *db, unsigned wait_s, wl_store **out);
/* target as it may be printed: a URL's password, if any, replaced by "***". */
void wl_writer_redact(const char *target, char *out, size_t cap);
/*
 * On the sequencer's thread: until *ps is the writer's connection holding
 * the lock, with the log's state reloaded from it (size, the last checkpoint
 * checked against the tree), every WL_WRITER_TRY_MS it tries the lock (and,
 * with *ps NULL, reopens the database first); jobs queued meanwhile are
 * refused 503, "standby" or "storage_unavailable". false if serve stops
 * first.
 */
bool wl_writer_become(wl_store **ps);
/*
 * After a round that failed: whether the writer lost its connection (and so
 * its lock); if so, the round's jobs are refused 503 storage_unavailable (none
 * was committed) and *ps is closed and set to NULL, for wl_writer_become.
 */
bool wl_writer_lost(wl_store **ps, wl_job *round);
/*
 * The writer's thread (serve starts it; arg: the address of its store, which
 * it reopens when the connection is lost; serve closes what it holds at the
 * end): until the writer's lock is its own it writes nothing
 * (wl_writer_become); then it runs the sequencer's rounds (group commit).
 */
void *wl_writer_main(void *arg);

#endif
