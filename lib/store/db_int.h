/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How db.h reaches an engine: every connection (wl_db) and statement (wl_st)
 * of every engine begins with a pointer to its engine's operations, and db.c
 * calls through it. db_store.c and db_pg.c each fill one wl_db_ops; nothing
 * outside lib/store/db*.c sees this header.
 */
#ifndef WILLING_DB_INT_H
#define WILLING_DB_INT_H

#include "store/db.h"

typedef struct wl_db_ops {
    int engine; /* WL_DB_SQLITE, WL_DB_POSTGRES */
    void (*close)(wl_db *db);
    const char *(*errmsg)(wl_db *db);
    int (*errcode)(wl_db *db);
    int (*exec)(wl_db *db, const char *sql);
    int (*autocommit)(wl_db *db);
    int64_t (*changes)(wl_db *db);
    int (*data_version)(wl_db *db, unsigned *dv);
    int (*begin)(wl_db *db);
    int (*begin_read)(wl_db *db);
    int (*commit)(wl_db *db);
    int (*rollback)(wl_db *db);
    int (*prepare)(wl_db *db, const char *sql, int persistent, wl_st **out);
    void (*finalize)(wl_st *st);
    void (*reset)(wl_st *st);
    void (*clear)(wl_st *st);
    void (*bind_int64)(wl_st *st, int i, int64_t v);
    void (*bind_double)(wl_st *st, int i, double v);
    void (*bind_text)(wl_st *st, int i, const char *p, int len, int copy);
    void (*bind_blob)(wl_st *st, int i, const void *p, int len, int copy);
    void (*bind_null)(wl_st *st, int i);
    int (*param_count)(wl_st *st);
    int (*step)(wl_st *st);
    int (*step_later)(wl_st *st); /* NULL: step and reset now */
    int (*col_count)(wl_st *st);
    int (*col_type)(wl_st *st, int c);
    int64_t (*col_int64)(wl_st *st, int c);
    double (*col_double)(wl_st *st, int c);
    const char *(*col_text)(wl_st *st, int c);
    const void *(*col_blob)(wl_st *st, int c);
    int (*col_bytes)(wl_st *st, int c);
    int (*cell_read)(wl_db *db, const char *table, const char *col, const char *key, int64_t id,
                     size_t offset, size_t len, void *out, size_t *total);
    void (*cell_release)(wl_db *db);
    int (*save_copy)(wl_db *db, const char *path);
    int (*load_copy)(wl_db *dst, wl_db *src);
    int (*check)(wl_db *db, int quick, char *why, size_t cap);
    int (*readonly)(wl_db *db);
    int (*writer_lock)(wl_db *db, int wait, char *why, size_t cap);
    int (*columns)(wl_db *db, const char *table, int (*fn)(void *ctx, const char *name), void *ctx);
} wl_db_ops;

/* The first member of every engine's struct wl_db and struct wl_st. */
typedef struct {
    const wl_db_ops *ops;
} wl_db_head;

/* The engines' openers (db.c picks one by the target's form). */
int wl_sqlite_open(const char *path, int create, wl_db **out, char *why, size_t cap);
int wl_pg_open(const char *url, wl_db **out, char *why, size_t cap);

#endif
