/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing serve --read-only` (readonly.c): a daemon that serves reads from a
 * database another daemon writes (a PostgreSQL streaming replica, or the same
 * SQLite file) and writes nothing. Writes are refused before their body is
 * read; the log's state is the latest checkpoint stored, followed every
 * interval; no sequencer runs, only a thread that refuses any job handed to
 * it. docs/internals/daemon.md ("Read-only").
 */
#ifndef WILLING_DAEMON_READONLY_H
#define WILLING_DAEMON_READONLY_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "daemon.h"
#include "route.h"

/* Whether a read-only server refuses method on row: a change (not GET or HEAD), unless the
 * row only reads (WL_ROUTE_READS). A row that 404s or 405s answers as it would anyway. */
bool wl_readonly_refuses(const wl_route *row, const char *method);
/* A list's end index to (exclusive): on a read-only server, no further than the checkpoint it
 * serves covers (entries committed but not yet checkpointed are not served); as is on a writer. */
uint64_t wl_readonly_cap(uint64_t to);
/* 503 {"error": "read_only", "message": "... write to <serve --primary>"} */
enum MHD_Result wl_readonly_refuse(struct MHD_Connection *c);
/*
 * The log's key and operator from the ledger's meta values (a reader holds no
 * secret key): 0, or -1 after saying on stderr what is missing.
 */
int wl_readonly_identity(wl_server *srv, wl_store *s, const char *db);
/*
 * Serves the latest checkpoint stored if it is newer than the one served, once
 * it checks: signed by the log's key, and the stored tree of its size has its
 * root (the tiles and proofs served never go past it). why: what failed.
 */
wl_rc wl_readonly_follow_once(wl_store *s, char *why, size_t cap);
/* The follower thread (arg: its store): wl_readonly_follow_once every interval. */
void *wl_readonly_follow_main(void *arg);
/* In place of the sequencer: every job handed to it fails with read_only (arg unused). */
void *wl_readonly_refuser_main(void *arg);

#endif
