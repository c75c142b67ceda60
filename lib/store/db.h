/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine under the store, and nothing above lib/store sees it: one
 * connection (wl_db) and its statements (wl_st), in the shape of SQLite's own
 * API, implemented by db_store.c (a file, "" for a private temporary file,
 * ":memory:") and db_pg.c (a postgres:// or postgresql:// URL, over libpq).
 * The store's families (store_<family>.c) write their SQL once, in SQLite's
 * dialect with numbered parameters ?1, ?2...; db_pg.c translates it to
 * PostgreSQL's ($1, BYTEA, BIGINT, ON CONFLICT DO NOTHING, least/greatest, a
 * "C" collation on every text column) when it prepares it.
 *
 * Bindings are not copied (SQLite's SQLITE_STATIC): what a statement is bound
 * to must live until its first step, except wl_st_bind_text_copy's. A
 * column's pointer (text, blob) is valid until the next step, reset or
 * finalize of its statement. A statement's rows are read one at a time; a
 * statement may be stepped while another is between rows (a scan whose
 * callback reads the store): db_pg.c reads a statement's whole answer at its
 * first step, so a scan's callback may use the connection.
 */
#ifndef WILLING_DB_H
#define WILLING_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct wl_db wl_db;
typedef struct wl_st wl_st;

/* Result codes (wl_st_step, wl_db_exec...): what store_int.h's map_rc turns into wl_rc. */
enum {
    WL_DB_OK = 0,
    WL_DB_ERROR, /* SQL error, missing table: not a willing ledger */
    WL_DB_NOMEM,
    WL_DB_CONSTRAINT, /* a unique key or a NOT NULL, CHECK or foreign key */
    WL_DB_CORRUPT,    /* the file is damaged or not a database */
    WL_DB_TOOBIG,
    WL_DB_BUSY, /* locked by another connection past the wait */
    WL_DB_IO,   /* the disk, or the server went away */
    WL_DB_READONLY,
    WL_DB_MISUSE,    /* a bug: wrong order of calls, or an engine without the feature */
    WL_DB_ROW = 100, /* wl_st_step: a row is ready */
    WL_DB_DONE = 101 /* wl_st_step: no more rows */
};

/* Column types, as wl_st_col_type gives them. */
enum { WL_DB_INTEGER = 1, WL_DB_FLOAT, WL_DB_TEXT, WL_DB_BLOB, WL_DB_NULL };

/* Engines. */
enum { WL_DB_SQLITE = 1, WL_DB_POSTGRES };

/* 1 if target names a PostgreSQL database (postgres:// or postgresql://), else 0. */
int wl_db_is_url(const char *target);

/*
 * Opens a connection. create: make the file if missing (SQLite, mode 0600);
 * PostgreSQL's database must exist either way. *out is NULL on failure, and
 * why (cap bytes, may be NULL) holds the engine's words and the system's
 * (say, "connection refused", "no space left on the device"). A URL that
 * holds a password is refused (WL_DB_MISUSE): it is read from PGPASSFILE,
 * ~/.pgpass or PGPASSWORD, never from a command line.
 */
int wl_db_open(const char *target, int create, wl_db **out, char *why, size_t cap);
void wl_db_close(wl_db *db); /* NULL is a no-op; finalize its statements first */
int wl_db_engine(wl_db *db);
/* The engine's last error text; never NULL. */
const char *wl_db_errmsg(wl_db *db);
/* The code of the last error (WL_DB_...). */
int wl_db_errcode(wl_db *db);
/* Runs one or more statements without parameters (translated like wl_st_prepare's). */
int wl_db_exec(wl_db *db, const char *sql);
/* 1 outside a transaction, 0 inside one (also one an error aborted, until it is rolled back). */
int wl_db_autocommit(wl_db *db);
/* Rows changed by the last INSERT, UPDATE or DELETE stepped to its end. */
int64_t wl_db_changes(wl_db *db);
/* A code's name, for messages ("constraint failed", "disk I/O error"...). */
const char *wl_db_errstr(int code);
/*
 * A number that changes when another connection commits (SQLite's data
 * version), to keep a cache across transactions; WL_DB_MISUSE when the engine
 * has none (the cache is then read again in each transaction).
 */
int wl_db_data_version(wl_db *db, unsigned *dv);

/*
 * Transactions. begin: a write transaction (SQLite: BEGIN IMMEDIATE);
 * begin_read: a consistent snapshot of committed data (SQLite: BEGIN DEFERRED;
 * PostgreSQL: REPEATABLE READ). Commit returns once the commit is durable.
 */
int wl_db_begin(wl_db *db);
int wl_db_begin_read(wl_db *db);
int wl_db_commit(wl_db *db);
int wl_db_rollback(wl_db *db);

/* Statements. persistent: kept for the connection's life (prepared once, run often). */
int wl_st_prepare(wl_db *db, const char *sql, int persistent, wl_st **out);
void wl_st_finalize(wl_st *st); /* NULL is a no-op */
/* Back to before the first step; bindings stay. */
void wl_st_reset(wl_st *st);
/* Every parameter back to NULL. */
void wl_st_clear(wl_st *st);
/* Parameters are numbered from 1 (?1 in the SQL). len -1: up to the NUL. */
void wl_st_bind_int64(wl_st *st, int i, int64_t v);
void wl_st_bind_int(wl_st *st, int i, int v);
void wl_st_bind_double(wl_st *st, int i, double v);
void wl_st_bind_text(wl_st *st, int i, const char *p, int len);
void wl_st_bind_text_copy(wl_st *st, int i, const char *p, int len);
void wl_st_bind_blob(wl_st *st, int i, const void *p, int len);
void wl_st_bind_blob_copy(wl_st *st, int i, const void *p, int len);
void wl_st_bind_null(wl_st *st, int i);
/* The number of parameters (the highest ?N). */
int wl_st_param_count(wl_st *st);
/* WL_DB_ROW, WL_DB_DONE or an error code. */
int wl_st_step(wl_st *st);
/*
 * Runs st, a write that returns no rows and whose changes (wl_db_changes) nobody
 * reads, and resets it: WL_DB_DONE or an error code, as a step would. Inside a
 * transaction an engine may send it later with the next statement that needs an
 * answer (PostgreSQL: libpq's pipeline mode, one round trip for all); its failure
 * is then the answer of that statement (a read's step, a RELEASE, the COMMIT), and
 * the transaction is aborted up to the savepoint before st, as a failed statement
 * leaves it on PostgreSQL: roll back to a savepoint (or all of it). Its bindings
 * are read before it returns. SQLite runs it at once.
 */
int wl_st_step_later(wl_st *st);
/* The current row's columns, numbered from 0. */
int wl_st_col_count(wl_st *st);
int wl_st_col_type(wl_st *st, int c);
int64_t wl_st_col_int64(wl_st *st, int c); /* booleans (PostgreSQL's t, f) as 1, 0 */
int wl_st_col_int(wl_st *st, int c);
double wl_st_col_double(wl_st *st, int c);
const char *wl_st_col_text(wl_st *st, int c); /* NULL for NULL */
const void *wl_st_col_blob(wl_st *st, int c); /* NULL for NULL or empty */
int wl_st_col_bytes(wl_st *st, int c);

/*
 * Reads len bytes at offset of one BLOB/BYTEA cell: column col of the row of
 * table whose INTEGER key column `key` equals id (SQLite: the rowid), without
 * reading the rest. WL_DB_DONE if there is no such row; *total (may be NULL)
 * is the cell's size. An engine may keep a handle open inside a transaction;
 * wl_db_cell_release drops it (at every transaction's end).
 */
int wl_db_cell_read(wl_db *db, const char *table, const char *col, const char *key, int64_t id,
                    size_t offset, size_t len, void *out, size_t *total);
void wl_db_cell_release(wl_db *db);

/*
 * Whole-database services. save_copy: SQLite only (VACUUM INTO a new file);
 * load_copy: SQLite only, replaces dst's content with src's. check: the
 * engine's integrity check (quick: without indexes against tables);
 * PostgreSQL checks what it can without extensions (the catalog answers, every
 * table is readable). readonly: 1 if writes cannot succeed (a read-only
 * file, a standby server).
 */
int wl_db_save_copy(wl_db *db, const char *path);
int wl_db_load_copy(wl_db *dst, wl_db *src);
int wl_db_check(wl_db *db, int quick, char *why, size_t cap);
int wl_db_readonly(wl_db *db);
/*
 * The one writer's lock, held by this connection until it closes or its
 * process dies: SQLite an flock on the file "<path>.writer" beside the
 * database (always granted for "" and ":memory:"); PostgreSQL a
 * session-level advisory lock (key WL_DB_WRITER_KEY) taken on this very
 * connection, so the lock and the connection's writes end together (a
 * connection that holds it is never made again behind the caller's back).
 * wait: block until it is free; else WL_DB_BUSY while another connection
 * holds it. On a connection that holds it already: checks that it still does
 * (WL_DB_IO when the connection, and so the lock, was lost). why (cap bytes,
 * may be NULL) says what failed.
 */
/* PostgreSQL's advisory lock key: "willing-" of "willing-writer", its 8 bytes big-endian */
#define WL_DB_WRITER_KEY 0x77696c6c696e672dLL
int wl_db_writer_lock(wl_db *db, int wait, char *why, size_t cap);
/* A table's columns in order: fn(ctx, name) for each; WL_DB_ERROR if no such table. */
int wl_db_columns(wl_db *db, const char *table, int (*fn)(void *ctx, const char *name), void *ctx);

#endif
