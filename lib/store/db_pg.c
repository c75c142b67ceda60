/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL engine of lib/store/db.h, over libpq: opening a connection
 * (a URL's password refused, a server that does not answer said in clear
 * words, the session's settings) and the engine's table of operations that
 * db.c calls through. The work is in db_pg_stmt.c (statements,
 * transactions), db_pg_col.c (bindings, columns), db_pg_svc.c (whole-database
 * services); db_pg_sql.c translates the store's SQL. docs/internals/store.md
 * has the design.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_pg_int.h"

static const wl_db_ops pg_ops;

/* 1 if url holds a password (user:password@, or password=). */
static int has_password(const char *url, char *why, size_t cap)
{
    char *err = NULL;
    int pw = 0;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (opts == NULL) {
        snprintf(why, cap, "not a PostgreSQL URL: %s", err ? err : "out of memory");
        PQfreemem(err);
        return -1;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
            pw = 1;
    PQconninfoFree(opts);
    return pw;
}

/* libpq's message on one line: its newlines and tabs as "; " and " ". */
static void one_line(char *out, size_t cap, const char *prefix, const char *msg)
{
    size_t n = (size_t)snprintf(out, cap, "%s", prefix);
    for (const char *p = msg; *p && n + 3 < cap; p++) {
        if (*p == '\n') {
            if (p[1] != '\0')
                n += (size_t)snprintf(out + n, cap - n, "; ");
        } else if (*p != '\t') {
            out[n++] = *p;
        }
    }
    if (n < cap)
        out[n] = '\0';
}

/* The server's notices (a table that exists already, a DROP's cascade) are not for stderr. */
static void no_notice(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int wl_pg_open(const char *url, wl_db **out, char *why, size_t cap)
{
    static const char *const kw[] = {"fallback_application_name", "connect_timeout", "dbname",
                                     NULL};
    const char *val[] = {"willing", "10", url, NULL};
    char tmp[8], *w = why && cap ? why : tmp;
    size_t wcap = why && cap ? cap : sizeof tmp;
    wl_db *db;
    int pw;

    *out = NULL;
    w[0] = '\0';
    if ((pw = has_password(url, w, wcap)) != 0) {
        if (pw > 0)
            snprintf(w, wcap,
                     "the PostgreSQL URL holds a password: give it in PGPASSFILE, "
                     "~/.pgpass or PGPASSWORD instead, never on a command line");
        return WL_DB_MISUSE;
    }
    if ((db = calloc(1, sizeof *db)) == NULL)
        return WL_DB_NOMEM;
    db->ops = &pg_ops;
    db->conn = PQconnectdbParams(kw, val, 1);
    if (db->conn == NULL) {
        free(db);
        return WL_DB_NOMEM;
    }
    PQsetNoticeProcessor(db->conn, no_notice, NULL);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        one_line(w, wcap, "could not connect to server: ", PQerrorMessage(db->conn));
        wl_pg_close(db);
        return WL_DB_IO;
    }
    if (PQserverVersion(db->conn) < 130000) {
        snprintf(w, wcap, "PostgreSQL %d.%d is too old: willing needs 13 or later",
                 PQserverVersion(db->conn) / 10000, PQserverVersion(db->conn) % 10000);
        wl_pg_close(db);
        return WL_DB_ERROR;
    }
    if (wl_pg_session(db) != WL_DB_OK) {
        int rc = db->errcode;
        snprintf(w, wcap, "%s", wl_pg_errmsg(db));
        wl_pg_close(db);
        return rc;
    }
    *out = db;
    return WL_DB_OK;
}

static int wl_pg_param_count(wl_st *st)
{
    return st->nparams;
}

static int wl_pg_data_version(wl_db *db, unsigned *dv)
{
    (void)db;
    *dv = 0;
    return WL_DB_MISUSE; /* none: a cache is read again in each transaction */
}

static const wl_db_ops pg_ops = {
    .engine = WL_DB_POSTGRES,
    .close = wl_pg_close,
    .errmsg = wl_pg_errmsg,
    .errcode = wl_pg_errcode,
    .exec = wl_pg_exec,
    .autocommit = wl_pg_autocommit,
    .changes = wl_pg_changes,
    .data_version = wl_pg_data_version,
    .begin = wl_pg_begin,
    .begin_read = wl_pg_begin_read,
    .commit = wl_pg_commit,
    .rollback = wl_pg_rollback,
    .prepare = wl_pg_prepare,
    .finalize = wl_pg_finalize,
    .reset = wl_pg_reset,
    .clear = wl_pg_clear,
    .bind_int64 = wl_pg_bind_int64,
    .bind_double = wl_pg_bind_double,
    .bind_text = wl_pg_bind_text,
    .bind_blob = wl_pg_bind_blob,
    .bind_null = wl_pg_bind_null,
    .param_count = wl_pg_param_count,
    .step = wl_pg_step,
    .step_later = wl_pg_step_later,
    .col_count = wl_pg_col_count,
    .col_type = wl_pg_col_type,
    .col_int64 = wl_pg_col_int64,
    .col_double = wl_pg_col_double,
    .col_text = wl_pg_col_text,
    .col_blob = wl_pg_col_blob,
    .col_bytes = wl_pg_col_bytes,
    .cell_read = wl_pg_cell_read,
    .cell_release = wl_pg_cell_release,
    .save_copy = wl_pg_save_copy,
    .load_copy = wl_pg_load_copy,
    .check = wl_pg_check,
    .readonly = wl_pg_readonly,
    .writer_lock = wl_pg_writer_lock,
    .columns = wl_pg_columns,
};
