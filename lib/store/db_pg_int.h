/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What db_pg.c (opening, the table of operations), db_pg_stmt.c
 * (statements, transactions), db_pg_col.c (bindings, columns) and
 * db_pg_svc.c (the whole database's services) share: the PostgreSQL engine's
 * connection and statement. Nothing outside those files includes it; db_pg.h is the engine's door.
 */
#ifndef WILLING_DB_PG_INT_H
#define WILLING_DB_PG_INT_H

#include <libpq-fe.h>

#include "store/db_int.h"
#include "store/db_pg.h"
#include "willing/wl.h"

/* The types' OIDs (PostgreSQL's catalog/pg_type.h, fixed since 7.x). */
#define BOOLOID 16
#define BYTEAOID 17
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23
#define TEXTOID 25
#define FLOAT4OID 700
#define FLOAT8OID 701
#define NUMERICOID 1700

enum { P_NULL, P_INT, P_DOUBLE, P_TEXT, P_BLOB };

/* Statements sent in pipeline mode before their answers are read, at most. */
#define WL_PG_PIPE_MAX 128

typedef struct {
    int type;
    const char *p; /* text (NUL-terminated) or blob */
    int len;
    char *own;    /* a copy this statement owns, or NULL */
    char num[32]; /* an integer's or a double's text */
} pg_param;

struct wl_db {
    const wl_db_ops *ops; /* wl_db_head: db.c's way in */
    PGconn *conn;
    int errcode;
    char *errmsg; /* NULL: "not an error" */
    int64_t changes;
    unsigned names; /* the last statement name given (s1, s2...) */
    unsigned gen;   /* bumped when the connection is made again: every statement re-prepared */
    char *dealloc;  /* DEALLOCATE statements of finalized statements, not sent yet */
    int implicit;   /* the transaction was begun by a SAVEPOINT (SQLite's way) */
    int sp_depth;   /* the savepoints open in it */
    int writer;     /* holds the writer's advisory lock: never made again (the fence) */
    int piped;      /* statements sent in libpq's pipeline mode, answers not read (db_pg_pipe.c) */
};

struct wl_st {
    const wl_db_ops *ops; /* wl_db_head */
    wl_db *db;
    char *sql; /* translated */
    int nparams, flags, rows, persistent;
    unsigned char *used; /* [i]: $i+1 appears in sql (one absent has no type to guess) */
    char name[16];       /* "" until prepared */
    unsigned gen;        /* the connection's gen when prepared */
    int nslots;
    pg_param *params;
    Oid *types, *prepared;
    const char **values;
    int *lengths, *formats;
    PGresult *res;
    int row, ntuples, ncols, started;
    struct wl_st *later;   /* a guarded INSERT without its guard (wl_pg_step_later), or NULL */
    unsigned char **cells; /* the current row's BYTEA decoded, per column; or NULL */
    int *cell_len;
};

/* Sets the connection's last error (code WL_DB_OK: none); msg copied, trailing newlines cut. */
void wl_pg_set_err(wl_db *db, int code, const char *msg);

/* The error of a failed result (or of the connection when r is NULL); its code. */
int wl_pg_result_err(wl_db *db, const PGresult *r);
/*
 * Pipeline mode (db_pg_pipe.c), inside a write transaction: statements sent without
 * waiting for their answers, read all at once by the next statement that needs one.
 * send_plain: a statement without parameters (a SAVEPOINT, a RELEASE); send_prepared:
 * the statement prepared as name with st's bindings (fill_params'). Both enter pipeline
 * mode; WL_DB_OK or the error of sending. sync: reads every answer and leaves pipeline
 * mode; the first failure's code, else WL_DB_OK; *last (may be NULL): the last
 * statement's answer, the caller's to clear (NULL when it failed or was not run).
 */
int wl_pg_pipe_send_plain(wl_db *db, const char *sql);
int wl_pg_pipe_send_prepared(wl_db *db, wl_st *st, const char *name);
int wl_pg_pipe_sync(wl_db *db, PGresult **last);
int wl_pg_step_later(wl_st *st);

/* Room for parameter slots 1..n (db_pg_col.c); 0, or -1 when out of memory. */
int wl_pg_slots(wl_st *st, int n);
/* The session's settings (db_pg_stmt.c), at open and when the connection is made again. */
int wl_pg_session(wl_db *db);
/* The operations of db_pg.c's table (db_int.h's wl_db_ops), from db_pg_stmt.c, db_pg_col.c
 * and db_pg_svc.c. */
void wl_pg_close(wl_db *db);
int wl_pg_errcode(wl_db *db);
int wl_pg_exec(wl_db *db, const char *sql);
int wl_pg_autocommit(wl_db *db);
int64_t wl_pg_changes(wl_db *db);
int wl_pg_begin(wl_db *db);
int wl_pg_begin_read(wl_db *db);
int wl_pg_commit(wl_db *db);
int wl_pg_rollback(wl_db *db);
void wl_pg_reset(wl_st *st);
int wl_pg_prepare(wl_db *db, const char *sql, int persistent, wl_st **out);
void wl_pg_finalize(wl_st *st);
void wl_pg_clear(wl_st *st);
void wl_pg_bind_int64(wl_st *st, int i, int64_t v);
void wl_pg_bind_double(wl_st *st, int i, double v);
void wl_pg_bind_text(wl_st *st, int i, const char *p, int len, int copy);
void wl_pg_bind_blob(wl_st *st, int i, const void *p, int len, int copy);
void wl_pg_bind_null(wl_st *st, int i);
int wl_pg_step(wl_st *st);
const char *wl_pg_errmsg(wl_db *db);
int wl_pg_col_count(wl_st *st);
int wl_pg_col_type(wl_st *st, int c);
int64_t wl_pg_col_int64(wl_st *st, int c);
double wl_pg_col_double(wl_st *st, int c);
const char *wl_pg_col_text(wl_st *st, int c);
const void *wl_pg_col_blob(wl_st *st, int c);
int wl_pg_col_bytes(wl_st *st, int c);
int wl_pg_cell_read(wl_db *db, const char *table, const char *col, const char *key, int64_t id,
                    size_t offset, size_t len, void *out, size_t *total);
void wl_pg_cell_release(wl_db *db);
int wl_pg_save_copy(wl_db *db, const char *path);
int wl_pg_load_copy(wl_db *dst, wl_db *src);
int wl_pg_check(wl_db *db, int quick, char *why, size_t cap);
int wl_pg_readonly(wl_db *db);
int wl_pg_writer_lock(wl_db *db, int wait, char *why, size_t cap);
int wl_pg_columns(wl_db *db, const char *table, int (*fn)(void *ctx, const char *name), void *ctx);

#endif
