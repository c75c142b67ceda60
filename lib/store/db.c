/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db.h over the engines: a target is a PostgreSQL URL (db_pg.c) or a path
 * (db_store.c); every other call goes through the operations its connection
 * or statement begins with (db_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "store/db_int.h"

#define OPS(x) (((const wl_db_head *)(x))->ops)

int wl_db_is_url(const char *target)
{
    return target &&
           (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0);
}

int wl_db_open(const char *target, int create, wl_db **out, char *why, size_t cap)
{
    *out = NULL;
    if (why && cap)
        why[0] = '\0';
    if (wl_db_is_url(target))
        return wl_pg_open(target, out, why, cap); /* the database must exist: create or not */
    return wl_sqlite_open(target, create, out, why, cap);
}

void wl_db_close(wl_db *db)
{
    if (db)
        OPS(db)->close(db);
}

int wl_db_engine(wl_db *db)
{
    return OPS(db)->engine;
}

const char *wl_db_errmsg(wl_db *db)
{
    return db ? OPS(db)->errmsg(db) : "no database";
}

int wl_db_errcode(wl_db *db)
{
    return OPS(db)->errcode(db);
}

int wl_db_exec(wl_db *db, const char *sql)
{
    return OPS(db)->exec(db, sql);
}

int wl_db_autocommit(wl_db *db)
{
    return OPS(db)->autocommit(db);
}

int64_t wl_db_changes(wl_db *db)
{
    return OPS(db)->changes(db);
}

const char *wl_db_errstr(int code)
{
    switch (code) {
    case WL_DB_OK:
        return "not an error";
    case WL_DB_NOMEM:
        return "out of memory";
    case WL_DB_CONSTRAINT:
        return "constraint failed";
    case WL_DB_CORRUPT:
        return "the database is damaged or not a database";
    case WL_DB_TOOBIG:
        return "string or blob too big";
    case WL_DB_BUSY:
        return "the database is locked";
    case WL_DB_IO:
        return "disk or connection I/O error";
    case WL_DB_READONLY:
        return "the database is read-only";
    case WL_DB_MISUSE:
        return "bad use of the database interface";
    case WL_DB_ROW:
        return "another row available";
    case WL_DB_DONE:
        return "no more rows available";
    default:
        return "SQL logic error";
    }
}

int wl_db_data_version(wl_db *db, unsigned *dv)
{
    *dv = 0;
    return OPS(db)->data_version(db, dv);
}

int wl_db_begin(wl_db *db)
{
    return OPS(db)->begin(db);
}

int wl_db_begin_read(wl_db *db)
{
    return OPS(db)->begin_read(db);
}

int wl_db_commit(wl_db *db)
{
    return OPS(db)->commit(db);
}

int wl_db_rollback(wl_db *db)
{
    return OPS(db)->rollback(db);
}

int wl_st_prepare(wl_db *db, const char *sql, int persistent, wl_st **out)
{
    *out = NULL;
    return OPS(db)->prepare(db, sql, persistent, out);
}

void wl_st_finalize(wl_st *st)
{
    if (st)
        OPS(st)->finalize(st);
}

void wl_st_reset(wl_st *st)
{
    OPS(st)->reset(st);
}

void wl_st_clear(wl_st *st)
{
    OPS(st)->clear(st);
}

void wl_st_bind_int64(wl_st *st, int i, int64_t v)
{
    OPS(st)->bind_int64(st, i, v);
}

void wl_st_bind_int(wl_st *st, int i, int v)
{
    OPS(st)->bind_int64(st, i, v);
}

void wl_st_bind_double(wl_st *st, int i, double v)
{
    OPS(st)->bind_double(st, i, v);
}

void wl_st_bind_text(wl_st *st, int i, const char *p, int len)
{
    OPS(st)->bind_text(st, i, p, len, 0);
}

void wl_st_bind_text_copy(wl_st *st, int i, const char *p, int len)
{
    OPS(st)->bind_text(st, i, p, len, 1);
}

void wl_st_bind_blob(wl_st *st, int i, const void *p, int len)
{
    OPS(st)->bind_blob(st, i, p, len, 0);
}

void wl_st_bind_blob_copy(wl_st *st, int i, const void *p, int len)
{
    OPS(st)->bind_blob(st, i, p, len, 1);
}

void wl_st_bind_null(wl_st *st, int i)
{
    OPS(st)->bind_null(st, i);
}

int wl_st_param_count(wl_st *st)
{
    return OPS(st)->param_count(st);
}

int wl_st_step(wl_st *st)
{
    return OPS(st)->step(st);
}

int wl_st_step_later(wl_st *st)
{
    int rc;
    if (OPS(st)->step_later)
        return OPS(st)->step_later(st);
    rc = OPS(st)->step(st);
    OPS(st)->reset(st);
    return rc == WL_DB_ROW ? WL_DB_MISUSE : rc;
}

int wl_st_col_count(wl_st *st)
{
    return OPS(st)->col_count(st);
}

int wl_st_col_type(wl_st *st, int c)
{
    return OPS(st)->col_type(st, c);
}

int64_t wl_st_col_int64(wl_st *st, int c)
{
    return OPS(st)->col_int64(st, c);
}

int wl_st_col_int(wl_st *st, int c)
{
    return (int)OPS(st)->col_int64(st, c);
}

double wl_st_col_double(wl_st *st, int c)
{
    return OPS(st)->col_double(st, c);
}

const char *wl_st_col_text(wl_st *st, int c)
{
    return OPS(st)->col_text(st, c);
}

const void *wl_st_col_blob(wl_st *st, int c)
{
    return OPS(st)->col_blob(st, c);
}

int wl_st_col_bytes(wl_st *st, int c)
{
    return OPS(st)->col_bytes(st, c);
}

int wl_db_cell_read(wl_db *db, const char *table, const char *col, const char *key, int64_t id,
                    size_t offset, size_t len, void *out, size_t *total)
{
    return OPS(db)->cell_read(db, table, col, key, id, offset, len, out, total);
}

void wl_db_cell_release(wl_db *db)
{
    OPS(db)->cell_release(db);
}

int wl_db_save_copy(wl_db *db, const char *path)
{
    return OPS(db)->save_copy(db, path);
}

int wl_db_load_copy(wl_db *dst, wl_db *src)
{
    if (OPS(dst) != OPS(src))
        return WL_DB_MISUSE;
    return OPS(dst)->load_copy(dst, src);
}

int wl_db_check(wl_db *db, int quick, char *why, size_t cap)
{
    return OPS(db)->check(db, quick, why, cap);
}

int wl_db_readonly(wl_db *db)
{
    return OPS(db)->readonly(db);
}

int wl_db_writer_lock(wl_db *db, int wait, char *why, size_t cap)
{
    if (why && cap)
        why[0] = '\0';
    return OPS(db)->writer_lock(db, wait, why, cap);
}

int wl_db_columns(wl_db *db, const char *table, int (*fn)(void *ctx, const char *name), void *ctx)
{
    return OPS(db)->columns(db, table, fn, ctx);
}
