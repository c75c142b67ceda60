/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL engine's services over the whole database (lib/store/db.h):
 * a part of one BYTEA cell (substring, so the rest is never sent), the check
 * (the catalog answers, every table of the schema is readable: nothing more
 * without extensions), read-only (a standby, or read-only by default), a
 * table's columns, the writer's advisory lock. SQLite's copies of a whole file have no equal here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_pg_int.h"

int wl_pg_cell_read(wl_db *db, const char *table, const char *col, const char *key, int64_t id,
                    size_t offset, size_t len, void *out, size_t *total)
{
    char sql[512];
    wl_st *st = NULL;
    int rc;
    if (total)
        *total = 0;
    if (offset > INT32_MAX - 1 || len > INT32_MAX ||
        (size_t)snprintf(
            sql, sizeof sql,
            "SELECT substring(\"%s\" FROM CAST(?2 AS INTEGER) FOR CAST(?3 AS INTEGER)), "
            "octet_length(\"%s\") FROM \"%s\" WHERE \"%s\" = ?1",
            col, col, table, key) >= sizeof sql) {
        wl_pg_set_err(db, WL_DB_MISUSE, "a cell's offset, length or names out of range");
        return WL_DB_MISUSE;
    }
    if ((rc = wl_pg_prepare(db, sql, 0, &st)) != WL_DB_OK)
        return rc;
    wl_pg_bind_int64(st, 1, id);
    wl_pg_bind_int64(st, 2, (int64_t)offset + 1);
    wl_pg_bind_int64(st, 3, (int64_t)len);
    if ((rc = wl_pg_step(st)) == WL_DB_ROW) {
        size_t size = (size_t)wl_pg_col_int64(st, 1);
        if (total)
            *total = size;
        if (wl_pg_col_type(st, 0) == WL_DB_NULL || offset + len > size) {
            rc = WL_DB_ERROR;
            wl_pg_set_err(db, rc, "a read past the end of the cell");
        } else {
            if (len)
                memcpy(out, wl_pg_col_blob(st, 0), len);
            rc = (size_t)wl_pg_col_bytes(st, 0) == len ? WL_DB_OK : WL_DB_NOMEM;
        }
    }
    wl_pg_finalize(st);
    return rc;
}

void wl_pg_cell_release(wl_db *db)
{
    (void)db; /* no handle is kept */
}

int wl_pg_save_copy(wl_db *db, const char *path)
{
    (void)path;
    wl_pg_set_err(db, WL_DB_MISUSE,
                  "a copy of the database into a file is SQLite's only "
                  "(PostgreSQL: pg_dump or pg_basebackup)");
    return WL_DB_MISUSE;
}

int wl_pg_load_copy(wl_db *dst, wl_db *src)
{
    (void)src;
    wl_pg_set_err(dst, WL_DB_MISUSE, "loading a whole copy is SQLite's only");
    return WL_DB_MISUSE;
}

/* The tables of the connection's schema, one name after another, in *names (caller frees). */
static int schema_tables(wl_db *db, char **names, size_t *count)
{
    wl_st *st = NULL;
    size_t used = 0, cap = 0;
    int rc = wl_pg_prepare(db,
                           "SELECT c.relname FROM pg_catalog.pg_class c JOIN "
                           "pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
                           "ORDER BY c.relname",
                           0, &st);
    *names = NULL;
    *count = 0;
    while (rc == WL_DB_OK && (rc = wl_pg_step(st)) == WL_DB_ROW) {
        const char *name = wl_pg_col_text(st, 0);
        size_t n = strlen(name) + 1;
        if (used + n > cap) {
            char *p = realloc(*names, cap = 2 * (used + n));
            if (p == NULL) {
                rc = WL_DB_NOMEM;
                break;
            }
            *names = p;
        }
        memcpy(*names + used, name, n);
        used += n;
        ++*count;
        rc = WL_DB_OK;
    }
    wl_pg_finalize(st);
    return rc == WL_DB_DONE ? WL_DB_OK : rc;
}

int wl_pg_check(wl_db *db, int quick, char *why, size_t cap)
{
    char *names = NULL, sql[256], tmp[8];
    const char *name;
    size_t count = 0;
    int rc;
    (void)quick; /* the same either way: every table read whole */
    if (why == NULL || cap == 0) {
        why = tmp;
        cap = sizeof tmp;
    }
    why[0] = '\0';
    if ((rc = schema_tables(db, &names, &count)) != WL_DB_OK) {
        snprintf(why, cap, "PostgreSQL's catalog: %s", wl_pg_errmsg(db));
        return rc == WL_DB_IO || rc == WL_DB_NOMEM ? rc : WL_DB_CORRUPT;
    }
    name = names;
    for (size_t i = 0; i < count && rc == WL_DB_OK; i++, name += strlen(name) + 1) {
        char *q = PQescapeIdentifier(db->conn, name, strlen(name));
        wl_st *st = NULL;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", q ? q : "\"\"");
        PQfreemem(q);
        if ((rc = wl_pg_prepare(db, sql, 0, &st)) == WL_DB_OK)
            rc = wl_pg_step(st) == WL_DB_ROW ? WL_DB_OK : db->errcode;
        wl_pg_finalize(st);
        if (rc != WL_DB_OK) {
            snprintf(why, cap, "table %s: %s", name, wl_pg_errmsg(db));
            if (rc != WL_DB_IO && rc != WL_DB_NOMEM)
                rc = WL_DB_CORRUPT;
        }
    }
    free(names);
    return rc;
}

int wl_pg_readonly(wl_db *db)
{
    wl_st *st = NULL;
    int ro = 0;
    if (wl_pg_prepare(db,
                      "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')"
                      " = 'on' OR current_setting('default_transaction_read_only') = 'on'",
                      0, &st) == WL_DB_OK &&
        wl_pg_step(st) == WL_DB_ROW)
        ro = (int)wl_pg_col_int64(st, 0);
    wl_pg_finalize(st);
    return ro;
}

int wl_pg_columns(wl_db *db, const char *table, int (*fn)(void *ctx, const char *name), void *ctx)
{
    wl_st *st = NULL;
    int rc, seen = 0;
    if ((rc = wl_pg_prepare(db,
                            "SELECT column_name FROM information_schema.columns WHERE "
                            "table_schema = current_schema() AND table_name = ?1 "
                            "ORDER BY ordinal_position",
                            0, &st)) != WL_DB_OK)
        return rc;
    wl_pg_bind_text(st, 1, table, -1, 0);
    while ((rc = wl_pg_step(st)) == WL_DB_ROW) {
        const char *name = wl_pg_col_text(st, 0);
        seen = 1;
        if (strcmp(name, "rowid") == 0)
            continue; /* db_pg_sql.c's stand-in for SQLite's implicit rowid */
        if ((rc = fn(ctx, name)) != 0)
            break;
    }
    wl_pg_finalize(st);
    if (rc == WL_DB_DONE && !seen) {
        char msg[200];
        snprintf(msg, sizeof msg, "no such table: %s", table);
        wl_pg_set_err(db, WL_DB_ERROR, msg);
        return WL_DB_ERROR;
    }
    return rc == WL_DB_DONE ? WL_DB_OK : rc;
}

/*
 * The writer's lock: a session-level advisory lock (WL_DB_WRITER_KEY) on this
 * connection, released by the server when the session ends (the process
 * died, the connection broke). A connection that holds it is never made
 * again (db_pg_stmt.c's before_run), so its writes fail once the lock is
 * gone; asked again, it checks pg_locks for its own session's lock.
 */
int wl_pg_writer_lock(wl_db *db, int wait, char *why, size_t cap)
{
    char sql[256];
    wl_st *st = NULL;
    int rc, held = 0;
    const uint64_t key = (uint64_t)WL_DB_WRITER_KEY;
    if (db->writer && PQstatus(db->conn) != CONNECTION_OK) {
        wl_pg_set_err(db, WL_DB_IO, "the connection that held the writer's lock was lost");
        snprintf(why, cap, "%s", wl_pg_errmsg(db));
        return WL_DB_IO;
    }
    if (db->writer)
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                 "pid = pg_backend_pid() AND objsubid = 1 AND classid = %u AND objid = %u",
                 (unsigned)(key >> 32), (unsigned)(key & 0xffffffffu));
    else
        snprintf(sql, sizeof sql, "SELECT %s(%lld)",
                 wait ? "pg_advisory_lock" : "pg_try_advisory_lock", (long long)key);
    if ((rc = wl_pg_prepare(db, sql, 0, &st)) == WL_DB_OK && (rc = wl_pg_step(st)) == WL_DB_ROW) {
        held = wait && !db->writer ? 1 : wl_pg_col_int64(st, 0) == 1; /* t, or one lock */
        rc = WL_DB_OK;
    }
    wl_pg_finalize(st);
    if (rc != WL_DB_OK) {
        snprintf(why, cap, "%s", wl_pg_errmsg(db));
        return db->writer ? WL_DB_IO : rc;
    }
    if (!held) {
        snprintf(why, cap,
                 db->writer ? "the writer's lock is no longer held by this connection"
                            : "another connection holds the writer's advisory lock (key %lld)",
                 (long long)key);
        return db->writer ? WL_DB_IO : WL_DB_BUSY;
    }
    db->writer = 1;
    return WL_DB_OK;
}
