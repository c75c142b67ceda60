/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL engine's connection at work (db_pg.c opens it): SQL run
 * without parameters, transactions, and statements (errors by SQLSTATE and the
 * pipeline: db_pg_pipe.c). A
 * persistent statement is prepared (PQprepare, named s1, s2... per
 * connection) at its first step, with parameter types taken from its
 * bindings, and prepared again when a later run binds other types; a
 * statement of one use runs through PQexecParams. Every answer comes in text
 * format and is read whole at the first step, so a scan's callback may use
 * the connection between rows. A failed statement inside a transaction
 * aborts it on PostgreSQL, where SQLite keeps it: the store's plain INSERTs
 * run with ON CONFLICT DO NOTHING (a row not inserted is WL_DB_CONSTRAINT)
 * and an INSERT ... SELECT in a savepoint. docs/internals/store.md has the
 * design.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_pg_int.h"

static const char *const settings =
    "SET synchronous_commit = on; SET client_encoding = 'UTF8';"
    " SET bytea_output = 'hex'; SET standard_conforming_strings = on";

/* Runs sql without parameters; OK or the error's code. */
static int run_plain(wl_db *db, const char *sql)
{
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = WL_DB_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
        rc = wl_pg_result_err(db, r);
    PQclear(r);
    return rc;
}

/* The session's settings, at open and when the connection is made again. */
int wl_pg_session(wl_db *db)
{
    return run_plain(db, settings);
}

/*
 * Before a statement runs: the answers of what the pipeline sent are read (the
 * first failure's code is returned), a connection that broke is made again when no
 * transaction was open on it (the statements are prepared again) and it did
 * not hold the writer's lock (wl_pg_writer_lock), and the
 * DEALLOCATEs of finalized statements are sent.
 */
static int before_run(wl_db *db)
{
    int rc = db->piped ? wl_pg_pipe_sync(db, NULL) : WL_DB_OK;
    /* the writer's connection is not: its lock died with it, and writes without it must fail */
    if (PQstatus(db->conn) == CONNECTION_BAD && !db->writer) {
        PQreset(db->conn);
        if (PQstatus(db->conn) == CONNECTION_OK && run_plain(db, settings) == WL_DB_OK)
            db->gen++;
        free(db->dealloc);
        db->dealloc = NULL;
    }
    if (db->dealloc && PQtransactionStatus(db->conn) != PQTRANS_INERROR) {
        (void)run_plain(db, db->dealloc);
        free(db->dealloc);
        db->dealloc = NULL;
    }
    return rc;
}

void wl_pg_close(wl_db *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    free(db->errmsg);
    free(db->dealloc);
    free(db);
}

const char *wl_pg_errmsg(wl_db *db)
{
    return db->errmsg ? db->errmsg : "not an error";
}

int wl_pg_errcode(wl_db *db)
{
    return db->errcode;
}

/* The rows a command changed (INSERT, UPDATE, DELETE...): PQcmdTuples, "" for others. */
static void note_changes(wl_db *db, PGresult *r)
{
    const char *n = PQcmdTuples(r);
    if (n && n[0])
        db->changes = strtoll(n, NULL, 10);
}

/*
 * SQLite's SAVEPOINT outside a transaction begins one, which the RELEASE of that outermost
 * savepoint commits; PostgreSQL refuses a savepoint outside a transaction. The text run is
 * sql with BEGIN before it, or COMMIT after it, as SQLite would do; *depth: the savepoints
 * open in a transaction so begun once sql has run.
 */
static char *savepoints_as_sqlite(wl_db *db, char *pg, const char *sql, int *depth, int *commit)
{
    int saves, releases, begin;
    char *text;
    wl_pg_savepoints(sql, &saves, &releases);
    begin = saves > 0 && wl_pg_autocommit(db);
    if (wl_pg_autocommit(db))
        db->implicit = 0;
    if (begin)
        db->implicit = 1, db->sp_depth = 0;
    *depth = db->sp_depth + saves - releases;
    *commit = db->implicit && releases > 0 && *depth <= 0;
    if (!begin && !*commit)
        return pg;
    if ((text = malloc(strlen(pg) + 16)) != NULL)
        snprintf(text, strlen(pg) + 16, "%s%s%s", begin ? "BEGIN; " : "", pg,
                 *commit ? "; COMMIT" : "");
    free(pg);
    return text;
}

/*
 * One SAVEPOINT, RELEASE or COMMIT (no other statement) inside a transaction begun
 * by BEGIN: sent in the pipeline, a SAVEPOINT without waiting (the next statement
 * reads its answer), a RELEASE or a COMMIT with the answers of all before it: the
 * round's writes and its COMMIT in one round trip, not two. A write that failed
 * skips the COMMIT (the transaction stays open, in error, for the rollback) and is
 * the answer. WL_DB_MISUSE when sql is not one (it runs as any other).
 */
static int exec_piped(wl_db *db, const char *pg, int depth)
{
    int save = strncmp(pg, "SAVEPOINT ", 10) == 0, commit = strcmp(pg, "COMMIT") == 0, rc;
    PGresult *last = NULL;
    if (strchr(pg, ';') || db->implicit || wl_pg_autocommit(db) || db->dealloc ||
        PQstatus(db->conn) != CONNECTION_OK ||
        (!save && ((strncmp(pg, "RELEASE ", 8) != 0 && !commit) || db->piped == 0)) ||
        (commit && db->piped + 1 >= WL_PG_PIPE_MAX)) /* its answer must be the sync's last */
        return WL_DB_MISUSE;
    rc = wl_pg_pipe_send_plain(db, pg);
    if (rc == WL_DB_OK && !save)
        rc = wl_pg_pipe_sync(db, commit ? &last : NULL);
    if (rc == WL_DB_OK && commit && (last == NULL || strcmp(PQcmdStatus(last), "COMMIT") != 0)) {
        rc = WL_DB_ERROR; /* PostgreSQL's COMMIT of a transaction an error aborted: ROLLBACK */
        wl_pg_set_err(db, rc, "the transaction was rolled back: a statement in it failed");
    }
    PQclear(last);
    if (rc == WL_DB_OK) {
        wl_pg_set_err(db, WL_DB_OK, NULL);
        db->sp_depth = commit ? 0 : depth;
    }
    return rc;
}

int wl_pg_exec(wl_db *db, const char *sql)
{
    char *pg;
    int np, flags, rows, depth, commit, rc = WL_DB_OK;
    PGresult *r;
    ExecStatusType s;
    if (wl_pg_translate(sql, 0, &pg, &np, &flags, &rows) != 0 ||
        (pg = savepoints_as_sqlite(db, pg, sql, &depth, &commit)) == NULL) {
        wl_pg_set_err(db, WL_DB_NOMEM, "out of memory");
        return WL_DB_NOMEM;
    }
    if ((rc = exec_piped(db, pg, depth)) != WL_DB_MISUSE) {
        free(pg);
        return rc;
    }
    /* a write sent before that failed: not run (a ROLLBACK runs: it undoes the failure) */
    if ((rc = before_run(db)) != WL_DB_OK && strncmp(pg, "ROLLBACK", 8) != 0) {
        free(pg);
        return rc;
    }
    rc = WL_DB_OK;
    r = PQexec(db->conn, pg);
    s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        rc = wl_pg_result_err(db, r);
    } else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0 && strcasestr(pg, "COMMIT")) {
        /* PostgreSQL's COMMIT of a transaction an error aborted rolls it back, quietly */
        rc = WL_DB_ERROR;
        wl_pg_set_err(db, rc, "the transaction was rolled back: a statement in it failed");
    } else {
        note_changes(db, r);
        wl_pg_set_err(db, WL_DB_OK, NULL);
        db->sp_depth = commit ? 0 : depth;
        db->implicit = db->implicit && !commit;
    }
    PQclear(r);
    free(pg);
    return rc;
}

int wl_pg_autocommit(wl_db *db)
{
    PGTransactionStatusType t = PQtransactionStatus(db->conn);
    return t == PQTRANS_IDLE || t == PQTRANS_UNKNOWN;
}

int64_t wl_pg_changes(wl_db *db)
{
    return db->changes;
}

/*
 * The writer's BEGIN (the sequencer's, once a round) is sent in the pipeline: its
 * answer comes with the round's first read (the look-up of its entries), one round
 * trip fewer a round. Until then libpq says a command is active, so the transaction
 * counts as open (wl_pg_autocommit); a BEGIN that failed fails that read, and the
 * transaction is not open for the rollback that follows. Any other connection
 * waits for its BEGIN: one that broke is made again first (before_run), and a
 * connection that holds the lock never is.
 */
static int begin_as(wl_db *db, const char *sql)
{
    int rc;
    if (!wl_pg_autocommit(db)) {
        wl_pg_set_err(db, WL_DB_ERROR, "cannot start a transaction within a transaction");
        return WL_DB_ERROR;
    }
    if (!db->writer || strcmp(sql, "BEGIN") != 0 || db->piped || db->dealloc ||
        PQstatus(db->conn) != CONNECTION_OK)
        return wl_pg_exec(db, sql);
    if ((rc = wl_pg_pipe_send_plain(db, sql)) == WL_DB_OK) { /* libpq: PQTRANS_ACTIVE now */
        db->implicit = 0;
        db->sp_depth = 0;
        wl_pg_set_err(db, WL_DB_OK, NULL);
    }
    return rc;
}

int wl_pg_begin(wl_db *db)
{
    return begin_as(db, "BEGIN");
}

int wl_pg_begin_read(wl_db *db)
{
    return begin_as(db, "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

int wl_pg_commit(wl_db *db)
{
    if (wl_pg_autocommit(db)) {
        wl_pg_set_err(db, WL_DB_ERROR, "cannot commit - no transaction is active");
        return WL_DB_ERROR;
    }
    return wl_pg_exec(db, "COMMIT"); /* synchronous_commit = on: durable when it returns */
}

int wl_pg_rollback(wl_db *db)
{
    if (wl_pg_autocommit(db)) {
        wl_pg_set_err(db, WL_DB_ERROR, "cannot rollback - no transaction is active");
        return WL_DB_ERROR;
    }
    return wl_pg_exec(db, "ROLLBACK");
}

/* Statements */

static void free_cells(wl_st *st)
{
    if (st->cells == NULL)
        return;
    for (int c = 0; c < st->ncols; c++) {
        free(st->cells[c]);
        st->cells[c] = NULL;
    }
}

static void drop_result(wl_st *st)
{
    free_cells(st);
    free(st->cells);
    free(st->cell_len);
    st->cells = NULL;
    st->cell_len = NULL;
    PQclear(st->res);
    st->res = NULL;
    st->row = st->ntuples = st->ncols = st->started = 0;
}

/* Which parameters the translated SQL names (outside literals and quoted names). */
static int params_used(wl_st *st)
{
    const char *p = st->sql;
    if ((st->used = calloc((size_t)st->nparams + 1, 1)) == NULL)
        return -1;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            const char *e = strchr(p + 1, *p);
            p = e ? e + 1 : p + strlen(p);
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            long n = strtol(p + 1, (char **)&p, 10);
            if (n >= 1 && n <= st->nparams)
                st->used[n - 1] = 1;
        } else {
            p++;
        }
    }
    return 0;
}

static int prepare_as(wl_db *db, const char *sql, int persistent, int guard, wl_st **out)
{
    wl_st *st = calloc(1, sizeof *st);
    *out = NULL;
    if (st == NULL ||
        wl_pg_translate(sql, guard, &st->sql, &st->nparams, &st->flags, &st->rows) != 0 ||
        wl_pg_slots(st, st->nparams) != 0 || params_used(st) != 0) {
        wl_pg_finalize(st);
        wl_pg_set_err(db, WL_DB_NOMEM, "out of memory");
        return WL_DB_NOMEM;
    }
    st->ops = db->ops;
    st->db = db;
    st->persistent = persistent;
    /* sent in the pipeline (wl_pg_step_later), a conflict must be the server's error, which
       skips what was sent after it: the INSERT without its guard */
    if (persistent && (st->flags & WL_PG_GUARD_ROWS) &&
        prepare_as(db, sql, persistent, 0, &st->later) != WL_DB_OK) {
        wl_pg_finalize(st);
        return WL_DB_NOMEM;
    }
    *out = st;
    wl_pg_set_err(db, WL_DB_OK, NULL);
    return WL_DB_OK;
}

int wl_pg_prepare(wl_db *db, const char *sql, int persistent, wl_st **out)
{
    return prepare_as(db, sql, persistent, 1, out);
}

/* Queues the server's prepared statement for DEALLOCATE (sent before the next statement). */
static void forget_prepared(wl_st *st)
{
    wl_db *db = st->db;
    if (st->name[0] && st->gen == db->gen) {
        size_t n = db->dealloc ? strlen(db->dealloc) : 0;
        char *d = realloc(db->dealloc, n + sizeof st->name + 16);
        if (d) {
            snprintf(d + n, sizeof st->name + 16, "DEALLOCATE %s;", st->name);
            db->dealloc = d;
        }
    }
    st->name[0] = '\0';
}

void wl_pg_finalize(wl_st *st)
{
    if (st == NULL)
        return;
    drop_result(st);
    wl_pg_finalize(st->later);
    if (st->db)
        forget_prepared(st);
    for (int i = 0; i < st->nslots; i++)
        free(st->params[i].own);
    free(st->params);
    free(st->types);
    free(st->prepared);
    free(st->values);
    free(st->lengths);
    free(st->formats);
    free(st->sql);
    free(st->used);
    free(st);
}

void wl_pg_reset(wl_st *st)
{
    drop_result(st);
}

/* The run's parameter values, lengths, formats and types, from the bindings. */
static void fill_params(wl_st *st)
{
    for (int i = 0; i < st->nparams; i++) {
        pg_param *p = &st->params[i];
        st->formats[i] = 0;
        st->lengths[i] = 0;
        st->values[i] = NULL;
        switch (p->type) {
        case P_INT:
            st->values[i] = p->num;
            st->types[i] = INT8OID;
            break;
        case P_DOUBLE:
            st->values[i] = p->num;
            st->types[i] = FLOAT8OID;
            break;
        case P_TEXT:
            st->values[i] = p->p;
            st->types[i] = 0; /* the server's guess from the context, as a literal's */
            break;
        case P_BLOB:
            st->values[i] = p->len ? p->p : "";
            st->lengths[i] = p->len;
            st->formats[i] = 1;
            st->types[i] = BYTEAOID;
            break;
        default: /* a NULL fits any type: the one prepared, so no new preparation */
            st->types[i] = st->name[0] ? st->prepared[i] : 0;
        }
        if (st->types[i] == 0 && !st->used[i])
            st->types[i] = TEXTOID; /* a number the SQL skips: the server cannot guess it */
    }
}

/* The server's prepared statement for this run's types: made, or made again. */
static int ensure_prepared(wl_st *st)
{
    wl_db *db = st->db;
    char name[sizeof st->name];
    PGresult *r;
    size_t tsize = (size_t)st->nparams * sizeof(Oid);
    if (st->name[0] &&
        (st->gen != db->gen || (tsize && memcmp(st->types, st->prepared, tsize) != 0)))
        forget_prepared(st);
    if (st->name[0])
        return WL_DB_OK;
    snprintf(name, sizeof name, "s%u", ++db->names);
    r = PQprepare(db->conn, name, st->sql, st->nparams, st->types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = wl_pg_result_err(db, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    memcpy(st->name, name, sizeof name);
    st->gen = db->gen;
    if (tsize)
        memcpy(st->prepared, st->types, tsize);
    return WL_DB_OK;
}

/* The answer of a run: rows kept for the steps, or the command's changes. */
static int take_result(wl_st *st, PGresult *r)
{
    wl_db *db = st->db;
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_TUPLES_OK) {
        st->res = r;
        st->ntuples = PQntuples(r);
        st->ncols = PQnfields(r);
        st->cells = calloc((size_t)st->ncols + 1, sizeof *st->cells);
        st->cell_len = calloc((size_t)st->ncols + 1, sizeof *st->cell_len);
        if (st->cells == NULL || st->cell_len == NULL) {
            drop_result(st);
            wl_pg_set_err(db, WL_DB_NOMEM, "out of memory");
            return WL_DB_NOMEM;
        }
        return WL_DB_OK;
    }
    if (s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY) {
        note_changes(db, r);
        PQclear(r);
        if ((st->flags & WL_PG_GUARD_ROWS) && db->changes < st->rows) {
            wl_pg_set_err(db, WL_DB_CONSTRAINT,
                          "UNIQUE constraint failed: a row with the same key is "
                          "stored");
            return WL_DB_CONSTRAINT;
        }
        return WL_DB_OK;
    }
    {
        int rc = wl_pg_result_err(db, r);
        PQclear(r);
        return rc;
    }
}

/* Whether st is prepared on the server for the types of its bindings (fill_params'). */
static int prepared_as_bound(const wl_st *st)
{
    return st->persistent && st->name[0] && st->gen == st->db->gen &&
           (st->nparams == 0 ||
            memcmp(st->types, st->prepared, (size_t)st->nparams * sizeof(Oid)) == 0);
}

/* Whether st may join the pipeline: in a transaction begun by BEGIN, nothing to do first. */
static int pipeable(wl_st *st)
{
    wl_db *db = st->db;
    return st->persistent && !(st->flags & WL_PG_GUARD_SAVEPOINT) && !db->implicit &&
           !wl_pg_autocommit(db) && db->dealloc == NULL && PQstatus(db->conn) == CONNECTION_OK;
}

/* A statement run after those the pipeline holds, in the same round trip. */
static int run_piped(wl_st *st)
{
    PGresult *last = NULL;
    int rc = wl_pg_pipe_send_prepared(st->db, st, st->name);
    if (rc == WL_DB_OK)
        rc = wl_pg_pipe_sync(st->db, &last);
    if (rc != WL_DB_OK)
        return rc;
    if (last == NULL) {
        wl_pg_set_err(st->db, WL_DB_IO, "no answer to a statement sent in a pipeline");
        return WL_DB_IO;
    }
    return take_result(st, last);
}

int wl_pg_step_later(wl_st *st)
{
    wl_db *db = st->db;
    int rc;
    if (!pipeable(st)) {
        rc = wl_pg_step(st);
        wl_pg_reset(st);
        return rc == WL_DB_ROW ? WL_DB_MISUSE : rc;
    }
    drop_result(st);
    fill_params(st);
    if (st->later) /* the INSERT without its guard, for the same bindings */
        memcpy(st->later->types, st->types, (size_t)st->nparams * sizeof(Oid));
    if (!prepared_as_bound(st->later ? st->later : st)) {
        /* prepared (again) outside the pipeline: once per connection and types */
        if ((db->piped && (rc = wl_pg_pipe_sync(db, NULL)) != WL_DB_OK) ||
            (rc = ensure_prepared(st->later ? st->later : st)) != WL_DB_OK)
            return rc;
    }
    rc = wl_pg_pipe_send_prepared(db, st, st->later ? st->later->name : st->name);
    return rc == WL_DB_OK ? WL_DB_DONE : rc;
}

static int run(wl_st *st)
{
    wl_db *db = st->db;
    int rc, guard = 0;
    if (db->piped && pipeable(st)) {
        fill_params(st);
        if (prepared_as_bound(st)) {
            if ((rc = run_piped(st)) == WL_DB_OK)
                wl_pg_set_err(db, WL_DB_OK, NULL);
            return rc;
        }
    }
    if ((rc = before_run(db)) != WL_DB_OK)
        return rc;
    fill_params(st);
    if ((st->flags & WL_PG_GUARD_SAVEPOINT) && PQtransactionStatus(db->conn) == PQTRANS_INTRANS) {
        /* a failed INSERT ... SELECT leaves the transaction as it was, as on SQLite */
        if ((rc = run_plain(db, "SAVEPOINT wl_pg_guard")) != WL_DB_OK)
            return rc;
        guard = 1;
    }
    if (st->persistent) {
        rc = ensure_prepared(st);
        if (rc == WL_DB_OK)
            rc = take_result(st, PQexecPrepared(db->conn, st->name, st->nparams, st->values,
                                                st->lengths, st->formats, 0));
    } else {
        rc = take_result(st, PQexecParams(db->conn, st->sql, st->nparams, st->types, st->values,
                                          st->lengths, st->formats, 0));
    }
    if (guard)
        (void)run_plain(db, rc == WL_DB_OK ? "RELEASE SAVEPOINT wl_pg_guard"
                                           : "ROLLBACK TO SAVEPOINT wl_pg_guard;"
                                             " RELEASE SAVEPOINT wl_pg_guard");
    if (rc == WL_DB_OK)
        wl_pg_set_err(db, WL_DB_OK, NULL);
    return rc;
}

int wl_pg_step(wl_st *st)
{
    if (!st->started) {
        int rc = run(st);
        if (rc != WL_DB_OK)
            return rc;
        st->started = 1;
        st->row = -1;
    }
    free_cells(st);
    if (st->res && st->row + 1 < st->ntuples) {
        st->row++;
        return WL_DB_ROW;
    }
    st->row = st->ntuples;
    return WL_DB_DONE;
}
