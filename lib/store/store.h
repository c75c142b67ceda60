/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one storage interface of willing. One handle is one connection, used by
 * one thread at a time, over one database with one schema. This header holds
 * what every part shares (open, transactions, savepoints, meta values, the
 * engine's message, checks of the whole file) and includes the parts, one per
 * table family: store_log.h (entries, hashes, tiles, checkpoints),
 * store_identity.h (members, keys), store_sealed.h (sealed content),
 * store_session.h (sessions, nonces), store_coalition.h (requirements, facts,
 * announced pledges), store_flows.h (flows, answers, instruments, rates),
 * store_witness.h (witness state), store_flows_ref.h (reference data) and
 * store_zones.h (the deal's zones and sites), store_blobs.h (documents by
 * hash, their readers) and store_monitor.h (monitors' reports).
 * lib/store/store.c and store_<part>.c implement it over an engine
 * (lib/store/db.h: SQLite or PostgreSQL); nothing above this header knows
 * which engine is used. Every function zeroes its outputs on entry, so on an
 * error they hold zeros, "" or NULL, never a half-read row.
 * docs/internals/store.md has the contract and which part owns which table.
 */
#ifndef WILLING_STORE_H
#define WILLING_STORE_H

#include "store/store_blobs.h"
#include "store/store_coalition.h"
#include "store/store_deal.h"
#include "store/store_flows_ref.h"
#include "store/store_flows.h"
#include "store/store_flows_views.h"
#include "store/store_history.h"
#include "store/store_identity.h"
#include "store/store_log.h"
#include "store/store_monitor.h"
#include "store/store_pressure.h"
#include "store/store_sealed.h"
#include "store/store_session.h"
#include "store/store_witness.h"
#include "store/store_zones.h"
#include "willing/wl.h"

typedef struct wl_store wl_store;

/*
 * Opens (and with create, makes) a store. path is a file for SQLite ("" a
 * private temporary one, ":memory:" one in memory), or a postgres:// URL of
 * a database that exists (create makes the ledger's tables in it).
 */
/* The schema this build reads and writes; wl_store_open gives WL_ERR_VERSION for others. */
#define WL_STORE_SCHEMA "15"
wl_rc wl_store_open(const char *path, int create, wl_store **out) WL_MUST;
/* 1 if target is a PostgreSQL URL (postgres://, postgresql://), 0 if a SQLite path. */
int wl_store_is_url(const char *target);
/* The same; on failure why (if not NULL) holds the engine's message. */
wl_rc wl_store_open_why(const char *path, int create, wl_store **out, char *why,
                        size_t cap) WL_MUST;
void wl_store_close(wl_store *s); /* NULL is a no-op */
/*
 * Copies: outside any transaction. wl_store_save_copy writes the whole store
 * into a new file at path (which must not exist: write a temporary name and
 * rename it); wl_store_load_copy replaces s's whole content by from's (a
 * store opened from such a file, say, into one opened on ":memory:").
 */
wl_rc wl_store_save_copy(wl_store *s, const char *path) WL_MUST;
wl_rc wl_store_load_copy(wl_store *s, wl_store *from) WL_MUST;
/* The engine's last error text, for messages. */
const char *wl_store_errmsg(wl_store *s);

/* Transactions; durable at commit (the commit returns after the data is on disk). */
wl_rc wl_store_begin(wl_store *s) WL_MUST;
/* A read transaction: a consistent snapshot, no write lock; end it with wl_store_commit. */
wl_rc wl_store_begin_read(wl_store *s) WL_MUST;
wl_rc wl_store_commit(wl_store *s) WL_MUST;
/* A no-op when the engine has already rolled back (a full disk): the error's text stays. */
void wl_store_rollback(wl_store *s);
/* 1 while a transaction is open; 0 once it ended, also when the engine ended it on an error. */
int wl_store_in_transaction(wl_store *s);
/* Savepoints inside a transaction: one name in use at a time. */
wl_rc wl_store_savepoint(wl_store *s) WL_MUST;
wl_rc wl_store_release(wl_store *s) WL_MUST;
void wl_store_rollback_to(wl_store *s);

/* Small configuration values (origin, operator, format). *val: caller frees (wl_free). */
wl_rc wl_store_meta_get(wl_store *s, const char *key, char **val) WL_MUST;
wl_rc wl_store_meta_set(wl_store *s, const char *key, const char *val) WL_MUST;

/*
 * For fsck: every row of a table the log determines (members, keys,
 * requirements, facts, pledges_announced, flows, flow_answers, instruments,
 * rates, refs, blob_refs, blob_public...) as one line of text (each column
 * quoted as SQLite's quote() would), in byte order, the same on every engine;
 * public_only: the rows not sealed (members, keys, flows, flow_answers).
 * "schema": each of those tables' name and columns.
 */
typedef wl_rc (*wl_row_fn)(void *ctx, const char *row);
wl_rc wl_store_rows(wl_store *s, const char *table, int public_only, wl_row_fn fn,
                    void *ctx) WL_MUST;

/*
 * The one writer: WL_OK once this connection is the ledger's only writer
 * (it stays so until it closes, or its process dies, or the connection to a
 * PostgreSQL server is lost: the lock lives on this very connection, so a
 * writer that lost its lock has lost the connection its writes go through).
 * wait: block until the writer before it is gone; else WL_ERR_CONFLICT while
 * another connection holds it. Again on a connection that holds it: checks
 * that it still does (WL_ERR_UNAVAILABLE: the connection, and the lock, are
 * lost; open the store again). why says what failed.
 */
wl_rc wl_store_writer_lock(wl_store *s, int wait, char *why, size_t cap) WL_MUST;

/*
 * A whole ledger copied into a new store, whatever the engines (`willing
 * migrate`; lib/store/store_copy.c): every table of the schema, row by row,
 * every column as the type the source holds, in pages of a few thousand rows
 * (one transaction of `to` each; the source read in one read transaction),
 * then checked: every table's count of rows, the size, the latest checkpoint's
 * bytes, the roots recomputed from the copy's hashes, and every table fsck
 * compares (wl_store_rows) the same on both. Both outside any transaction.
 * `to` must be empty (freshly created: only meta's schema row), else
 * WL_ERR_CONFLICT and nothing written. fn (may be NULL) is called after each
 * page with the table being copied and the rows copied of all; a result other
 * than WL_OK stops the copy and is returned. On any failure `to` holds part of
 * the ledger, whose meta (copied last) has no origin: the caller removes it
 * (a file) or drops its tables (wl_store_drop_tables). why (cap bytes, may be
 * NULL) says what failed.
 */
typedef wl_rc (*wl_copy_progress)(void *ctx, const char *table, uint64_t done, uint64_t total);
wl_rc wl_store_copy(wl_store *from, wl_store *to, wl_copy_progress fn, void *ctx) WL_MUST;
wl_rc wl_store_copy_why(wl_store *from, wl_store *to, wl_copy_progress fn, void *ctx, char *why,
                        size_t cap) WL_MUST;
/*
 * The tables wl_store_copy copies, in its order: the i-th, with (key, if not
 * NULL) the columns it is read in order of ("rowid" for a table whose order
 * is its rowid); NULL past the last.
 */
const char *wl_store_copy_table(size_t i, const char **key);
/*
 * *found 1 when the database at target (a URL, or a file that exists) holds any of them; 2
 * when they are a copy that did not finish (a migrate killed, its machine lost): meta, copied
 * last, holds no origin.
 */
wl_rc wl_store_has_tables(const char *target, int *found, char *why, size_t cap) WL_MUST;
/* Drops all of them from the database at target, in one transaction (a copy that failed). */
wl_rc wl_store_drop_tables(const char *target, char *why, size_t cap) WL_MUST;

/* Whether a commit goes through (a test write, committed); why says what failed. */
wl_rc wl_store_writable(wl_store *s, char *why, size_t cap) WL_MUST;

/*
 * Engine-level integrity check of the whole file (slow on big stores); on SQLite also its
 * schema against the one this version creates (WL_ERR_CORRUPT, why saying the first difference).
 */
wl_rc wl_store_integrity(wl_store *s, char *why, size_t cap) WL_MUST;
/* The same without checking indexes against their tables (every page read once). */
wl_rc wl_store_quick_check(wl_store *s, char *why, size_t cap) WL_MUST;

#endif
