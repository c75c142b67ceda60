/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL engine's errors (by SQLSTATE) and its pipeline (libpq's pipeline
 * mode, db_pg_int.h): inside a write transaction, a SAVEPOINT and the writes whose answers nobody
 * reads at once (the log's entries, hashes and tiles: wl_st_step_later) are sent without waiting,
 * and the next statement that needs an answer (a read, a RELEASE, the COMMIT) sends a Sync and
 * reads them all: one round trip to the server where there were several. A failed statement aborts
 * the transaction (the ones after it are skipped) and its error is the answer of the statement that
 * synced. docs/internals/store.md has the design.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db_pg_int.h"

void wl_pg_set_err(wl_db *db, int code, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    db->errcode = code;
    free(db->errmsg);
    db->errmsg = NULL;
    if (code == WL_DB_OK || msg == NULL)
        return;
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    if ((db->errmsg = malloc(n + 1)) != NULL) {
        memcpy(db->errmsg, msg, n);
        db->errmsg[n] = '\0';
    }
}

/* A SQLSTATE in WL_DB_ words. */
static int map_state(wl_db *db, const char *state)
{
    if (state == NULL || strlen(state) != 5)
        return PQstatus(db->conn) == CONNECTION_BAD ? WL_DB_IO : WL_DB_ERROR;
    if (strncmp(state, "23", 2) == 0)
        return WL_DB_CONSTRAINT;
    if (strncmp(state, "53", 2) == 0 || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0 || strncmp(state, "58", 2) == 0)
        return WL_DB_IO; /* no room, the connection or the server gone, the server's disk */
    if (strncmp(state, "54", 2) == 0)
        return WL_DB_TOOBIG;
    if (strcmp(state, "25006") == 0)
        return WL_DB_READONLY;
    if (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "55P03") == 0)
        return WL_DB_BUSY;
    if (strcmp(state, "XX001") == 0 || strcmp(state, "XX002") == 0)
        return WL_DB_CORRUPT;
    return WL_DB_ERROR;
}

int wl_pg_result_err(wl_db *db, const PGresult *r)
{
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int code = map_state(db, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
    wl_pg_set_err(db, code, msg ? msg : PQerrorMessage(db->conn));
    return code;
}

static int enter(wl_db *db)
{
    if (PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF)
        return WL_DB_OK;
    if (PQenterPipelineMode(db->conn))
        return WL_DB_OK;
    return wl_pg_result_err(db, NULL);
}

/* Counts a statement sent; syncs when the pipeline is full. */
static int sent(wl_db *db, int ok)
{
    if (!ok) {
        int rc = wl_pg_result_err(db, NULL);
        (void)wl_pg_pipe_sync(db, NULL); /* what was sent before still has answers */
        return rc;
    }
    return ++db->piped < WL_PG_PIPE_MAX ? WL_DB_OK : wl_pg_pipe_sync(db, NULL);
}

int wl_pg_pipe_send_plain(wl_db *db, const char *sql)
{
    int rc = enter(db);
    if (rc != WL_DB_OK)
        return rc;
    return sent(db, PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0));
}

int wl_pg_pipe_send_prepared(wl_db *db, wl_st *st, const char *name)
{
    int rc = enter(db);
    if (rc != WL_DB_OK)
        return rc;
    return sent(db, PQsendQueryPrepared(db->conn, name, st->nparams, st->values, st->lengths,
                                        st->formats, 0));
}

int wl_pg_pipe_sync(wl_db *db, PGresult **last)
{
    int rc = WL_DB_OK, k = 0;
    if (last)
        *last = NULL;
    if (PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF)
        return WL_DB_OK;
    if (!PQpipelineSync(db->conn))
        rc = wl_pg_result_err(db, NULL);
    while (rc == WL_DB_OK || PQstatus(db->conn) == CONNECTION_OK) {
        PGresult *r = PQgetResult(db->conn);
        ExecStatusType s;
        if (r == NULL) {
            if (PQstatus(db->conn) != CONNECTION_OK) {
                if (rc == WL_DB_OK)
                    rc = wl_pg_result_err(db, NULL);
                break;
            }
            continue; /* the end of one statement's answers */
        }
        s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (s == PGRES_FATAL_ERROR && rc == WL_DB_OK)
            rc = wl_pg_result_err(db, r);
        if (last && k == db->piped - 1 && rc == WL_DB_OK && s != PGRES_PIPELINE_ABORTED) {
            PQclear(*last);
            *last = r;
        } else {
            PQclear(r);
        }
        k++;
    }
    db->piped = 0;
    (void)PQexitPipelineMode(db->conn);
    if (rc != WL_DB_OK && last) {
        PQclear(*last);
        *last = NULL;
    }
    return rc;
}
