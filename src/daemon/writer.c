/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One writer, standbys, and a database that goes away (writer.h). The lock is
 * the store's (wl_store_writer_lock: an flock beside a SQLite file, a
 * PostgreSQL advisory lock on the writer's own connection), so a writer that
 * lost its connection lost its lock with it, and writes nothing more: it
 * reopens the database, takes the lock again (or stands by, if another took
 * over meanwhile) and reloads the state before its next round.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "sequencer.h"
#include "threads.h"
#include "writer.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void wl_writer_redact(const char *target, char *out, size_t cap)
{
    const char *scheme = strstr(target, "://"), *at, *colon;
    snprintf(out, cap, "%s", target);
    if (scheme == NULL)
        return;
    scheme += 3;
    at = strchr(scheme, '@');
    colon = strchr(scheme, ':');
    if (at && colon && colon < at && !memchr(scheme, '/', (size_t)(at - scheme)))
        snprintf(out, cap, "%.*s***%s", (int)(colon + 1 - target), target, at);
}

/* Why the ledger at db (shown: without a password) cannot be served, on stderr. */
static void open_failed(const char *db, const char *shown, wl_rc rc, const char *why)
{
    if (rc == WL_ERR_NOT_FOUND)
        fprintf(stderr,
                "willing serve: %s does not exist; create it with `willing init --db %s "
                "--origin NAME`\n",
                db, db);
    else if (rc == WL_ERR_VERSION)
        fprintf(stderr,
                "willing serve: %s was made by another version of willing (its schema is "
                "not " WL_STORE_SCHEMA
                "); there is no migration yet: recreate it (for the demo of `make run`, remove "
                "it and run again)\n",
                shown);
    else if (rc == WL_ERR_IO && wl_store_is_url(db))
        fprintf(stderr, "willing serve: cannot reach the database %s: %s\n", shown, why);
    else if (rc == WL_ERR_IO)
        fprintf(stderr,
                "willing serve: %s cannot be opened for writing (%s); check the permissions "
                "of the file and its directory, the mount and the free space\n",
                db, why);
    else if (rc == WL_ERR_INVALID)
        fprintf(stderr, "willing serve: %s: %s\n", shown, why);
    else
        fprintf(stderr,
                "willing serve: refusing to serve %s: it is not a willing ledger or is damaged "
                "(%s); run `willing fsck --db %s`\n",
                shown, wl_rc_name(rc), shown);
}

wl_rc wl_writer_open(const char *db, unsigned wait_s, wl_store **out)
{
    double deadline = now_ms() + wait_s * 1e3;
    bool said = false;
    char why[400], shown[600];
    wl_writer_redact(db, shown, sizeof shown);
    for (;;) {
        wl_rc rc = wl_store_open_why(db, 0, out, why, sizeof why);
        if (rc != WL_ERR_IO || !wl_store_is_url(db) || now_ms() >= deadline) {
            if (rc != WL_OK)
                open_failed(db, shown, rc, why);
            if (rc != WL_OK && said)
                fprintf(stderr, "willing serve: gave up after %u s (--db-wait)\n", wait_s);
            return rc;
        }
        if (!said)
            fprintf(stderr,
                    "willing serve: cannot reach the database %s (%s); trying again every "
                    "second for up to %u s (--db-wait)\n",
                    shown, why, wait_s);
        said = true;
        sleep(1);
    }
}

/* The log's state from the writer's connection: the last checkpoint checked against the tree. */
static wl_rc reload(wl_store *s, char *why, size_t cap)
{
    uint64_t size = 0;
    wl_rc rc = wl_startup_check(s, why, cap); /* serves the stored checkpoint */
    if (rc == WL_OK && (rc = wl_store_size(s, &size)) != WL_OK)
        snprintf(why, cap, "cannot read the log's size: %s", wl_store_errmsg(s));
    if (rc != WL_OK)
        return rc;
    pthread_mutex_lock(&wl_srv->mu);
    wl_srv->size = size;
    wl_srv->reg_gen++; /* another writer may have changed the register */
    pthread_mutex_unlock(&wl_srv->mu);
    return WL_OK;
}

/* The 503 a job gets while this process does not write, by why (0 standby, 1 no database). */
static void refuse_waiting(wl_job *batch, bool away, const char *why)
{
    if (away)
        wl_sequencer_refuse(batch, WL_ERR_UNAVAILABLE, "storage_unavailable",
                            "the database cannot be reached (%s); nothing stored: send it "
                            "again later",
                            why);
    else
        wl_sequencer_refuse(batch, WL_ERR_UNAVAILABLE, "standby",
                            "this willing serve is a standby: another willing serve writes this "
                            "ledger (%s); nothing stored: send writes to the writer, or again "
                            "once this one has taken over",
                            why);
    wl_sequencer_answer(batch);
}

static void set_standby(bool standby)
{
    pthread_mutex_lock(&wl_srv->mu);
    wl_srv->standby = standby;
    pthread_mutex_unlock(&wl_srv->mu);
}

bool wl_writer_become(wl_store **ps)
{
    double t0 = now_ms();
    bool away = *ps == NULL, said_away = false, was_standby;
    char why[300] = "";
    pthread_mutex_lock(&wl_srv->mu);
    was_standby = wl_srv->standby;
    pthread_mutex_unlock(&wl_srv->mu);
    for (;;) {
        wl_job *batch;
        bool stop = false;
        wl_rc rc = WL_OK;
        if (*ps == NULL)
            rc = wl_store_open_why(wl_srv->db_path, 0, ps, why, sizeof why);
        if (rc == WL_OK && (rc = wl_store_writer_lock(*ps, 0, why, sizeof why)) == WL_OK) {
            double t1 = now_ms();
            if ((rc = reload(*ps, why, sizeof why)) == WL_OK) {
                set_standby(false);
                if (was_standby || away)
                    fprintf(stderr,
                            "willing: %s: this willing serve writes the ledger now (after %.0f "
                            "ms %s; the lock taken and the state reloaded in %.0f ms)\n",
                            was_standby ? "took over" : "the database is back", t1 - t0,
                            was_standby ? "as a standby" : "without the database", now_ms() - t1);
                pthread_mutex_lock(&wl_srv->mu);
                pthread_cond_broadcast(&wl_srv->cp_cv); /* the publisher: a checkpoint now */
                pthread_mutex_unlock(&wl_srv->mu);
                return true;
            }
            if (rc == WL_ERR_CORRUPT) { /* the other writer left a ledger that does not check */
                fprintf(stderr, "willing serve: refusing to write %s: %s. Run `willing fsck`.\n",
                        wl_srv->db_path, why);
                pthread_mutex_lock(&wl_srv->mu);
                wl_srv->damaged = true;
                pthread_mutex_unlock(&wl_srv->mu);
                kill(getpid(), SIGTERM);
            }
        }
        if (rc == WL_ERR_CONFLICT) {
            away = false;
            if (!was_standby) { /* the writer's place was taken while we were away */
                fprintf(stderr, "willing serve: standby: another willing serve writes this "
                                "ledger; waiting to take over\n");
                was_standby = true;
            }
            set_standby(true);
        } else if (rc != WL_OK) {
            away = true;
            if (!said_away)
                fprintf(stderr,
                        "willing: the database cannot be reached (%s); writes get 503 until it "
                        "is back (trying every %u ms)\n",
                        why, WL_WRITER_TRY_MS);
            said_away = true;
            wl_store_close(*ps); /* its connection, and any lock on it, are gone */
            *ps = NULL;
        }
        batch = wl_sequencer_take_for(WL_WRITER_TRY_MS, &stop);
        if (batch)
            refuse_waiting(batch, away, why);
        else if (stop)
            return false;
    }
}

bool wl_writer_lost(wl_store **ps, wl_job *round)
{
    char why[300];
    if (wl_store_writer_lock(*ps, 0, why, sizeof why) != WL_ERR_UNAVAILABLE)
        return false;
    fprintf(stderr, "willing: the database connection was lost (%s); reconnecting\n", why);
    wl_sequencer_refuse(round, WL_ERR_UNAVAILABLE, "storage_unavailable",
                        "the database connection was lost (%s); nothing stored: send it again",
                        why);
    wl_store_close(*ps);
    *ps = NULL;
    return true;
}

void *wl_writer_main(void *arg)
{
    wl_store **ps = arg;
    char damaged[300];
    bool is_damaged = false, writer = false;
    for (;;) {
        wl_job *batch;
        bool stop = false;
        wl_rc rc;
        if (!writer) { /* a standby, or the database away: until this process writes */
            if (!wl_writer_become(ps))
                break;
            writer = true;
            is_damaged = wl_sequencer_damaged(*ps, damaged, sizeof damaged);
        }
        batch = wl_sequencer_take_for(WL_WRITER_CHECK_MS, &stop);
        if (batch == NULL) {
            if (stop)
                break; /* stopping, nothing left */
            /* idle: is the lock (its connection) still ours? the next write must not wait */
            writer = is_damaged || !wl_writer_lost(ps, NULL);
            continue;
        }
        rc = wl_sequencer_round(*ps, batch, is_damaged ? damaged : NULL);
        /* nothing committed: the connection lost (503, then reconnect) or the storage's error */
        if (rc != WL_OK && !is_damaged && wl_writer_lost(ps, batch))
            writer = false;
        wl_sequencer_answer(batch);
    }
    return NULL;
}
