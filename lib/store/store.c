/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's connection (lib/store/store.h) over an engine (db.h: SQLite or
 * PostgreSQL): open, the one schema, transactions and savepoints, meta values
 * and the checks of the whole database. A commit returns only once it is
 * durable. Every family's statements (store_<family>.c) are prepared here
 * once per connection; docs/internals/store.md has the design and says which
 * family owns which table.
 */
#include <errno.h>
#include <sys/stat.h>

#include "store/store_int.h"

#define WL_SCHEMA_VERSION WL_STORE_SCHEMA

enum { Q_META_GET, Q_META_SET, Q_COUNT };

static const char *const sql[Q_COUNT] = {
    [Q_META_GET] = "SELECT v FROM meta WHERE k = ?1",
    [Q_META_SET] = "INSERT INTO meta(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET v = ?2",
};

_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");
static const wl_sq_family meta = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_META, q);
}

/*
 * The one schema, every family's tables in one text (a new file gets them all
 * at once; WL_STORE_SCHEMA names its version). Each table belongs to one
 * family, whose store_<family>.c alone reads and writes it.
 */
static const char schema[] =
    /* this file: configuration values */
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
    /* store_log.c */
    "CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL,"
    " leaf BLOB NOT NULL, kind TEXT NOT NULL, author TEXT NOT NULL, seq INTEGER NOT NULL,"
    " time INTEGER NOT NULL, UNIQUE(author, seq));"
    "CREATE INDEX IF NOT EXISTS entries_by_kind ON entries(kind, idx);"
    "CREATE TABLE IF NOT EXISTS hashes(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS tiles(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note BLOB NOT NULL,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS announced(sealed INTEGER PRIMARY KEY, at INTEGER NOT NULL);"
    /* store_identity.c */
    "CREATE TABLE IF NOT EXISTS members(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " role TEXT NOT NULL, added INTEGER NOT NULL, status TEXT NOT NULL, sealed INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS keys(member TEXT NOT NULL REFERENCES members(id),"
    " pk BLOB NOT NULL, key_id INTEGER NOT NULL, scope TEXT NOT NULL, added INTEGER NOT NULL,"
    " revoked INTEGER, sealed INTEGER NOT NULL, PRIMARY KEY(member, pk));"
    "CREATE INDEX IF NOT EXISTS keys_by_id ON keys(member, key_id);"
    /* store_sealed.c */
    "CREATE TABLE IF NOT EXISTS sealed(commitment BLOB PRIMARY KEY, author TEXT NOT NULL,"
    " salt BLOB NOT NULL, content BLOB NOT NULL, readers TEXT NOT NULL, batch INTEGER NOT NULL,"
    " received INTEGER NOT NULL, envelope INTEGER, pledge TEXT, subject TEXT);"
    /* a pledge id is sealed once: the same pledge under another salt is refused */
    "CREATE UNIQUE INDEX IF NOT EXISTS sealed_by_pledge ON sealed(pledge) WHERE pledge IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS sealed_by_subject ON sealed(subject) WHERE subject IS NOT NULL;"
    /* store_session.c */
    "CREATE TABLE IF NOT EXISTS sessions(token BLOB PRIMARY KEY, member TEXT NOT NULL,"
    " key_id INTEGER NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS nonces(nonce TEXT PRIMARY KEY, expires INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS nonces_by_expiry ON nonces(expires);"
    /* store_coalition.c */
    "CREATE TABLE IF NOT EXISTS requirements(id TEXT PRIMARY KEY, body TEXT NOT NULL,"
    " set_idx INTEGER NOT NULL, endorsed_idx INTEGER);"
    "CREATE TABLE IF NOT EXISTS facts(name TEXT PRIMARY KEY, recorded INTEGER NOT NULL,"
    " idx INTEGER NOT NULL);"
    /* the announced pledges (flows name them): the day of each, from its content's time */
    "CREATE TABLE IF NOT EXISTS pledges_announced(pledge TEXT PRIMARY KEY, author TEXT NOT NULL,"
    " time INTEGER NOT NULL, category TEXT NOT NULL, idx INTEGER NOT NULL);"
    /* the operator's: pledges withdrawn or amended under seal, and when (flows refuse them) */
    "CREATE TABLE IF NOT EXISTS pledges_retired(pledge TEXT PRIMARY KEY, at INTEGER NOT NULL,"
    " successor TEXT);"
    /* store_flows.c */
    "CREATE TABLE IF NOT EXISTS flows(id TEXT PRIMARY KEY, idx INTEGER NOT NULL,"
    " row INTEGER NOT NULL DEFAULT -1, author TEXT NOT NULL, pledge TEXT, requirement TEXT,"
    " instrument TEXT, activity TEXT, category TEXT, stage TEXT NOT NULL, date TEXT NOT NULL,"
    " qty INTEGER, unit TEXT, amount INTEGER, currency TEXT, sealed INTEGER NOT NULL,"
    " superseded_by TEXT, readers TEXT, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS flows_by_pledge ON flows(pledge) WHERE pledge IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS flows_by_date ON flows(date);"
    "CREATE INDEX IF NOT EXISTS flows_by_instrument ON flows(instrument, stage)"
    " WHERE instrument IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS flow_answers(flow TEXT NOT NULL, idx INTEGER NOT NULL,"
    " kind TEXT NOT NULL, received INTEGER, date TEXT, reason TEXT, sealed INTEGER NOT NULL,"
    " PRIMARY KEY(flow, idx));"
    "CREATE TABLE IF NOT EXISTS instruments(id TEXT PRIMARY KEY, idx INTEGER NOT NULL,"
    " parent TEXT, level TEXT, type TEXT, provider TEXT, amount INTEGER NOT NULL,"
    " currency TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS instruments_by_parent ON instruments(parent)"
    " WHERE parent IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS instrument_drawn(instrument TEXT PRIMARY KEY,"
    " drawn INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS rates(date TEXT, cfrom TEXT, cto TEXT, rate INTEGER NOT NULL,"
    " idx INTEGER NOT NULL, PRIMARY KEY(cfrom, cto, date));"
    /* store_deal.c */
    "CREATE TABLE IF NOT EXISTS deals(id TEXT PRIMARY KEY, status TEXT NOT NULL,"
    " latest INTEGER NOT NULL, in_force INTEGER NOT NULL, since INTEGER,"
    " suspended_by TEXT NOT NULL, title TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS deal_versions(deal TEXT NOT NULL, version INTEGER NOT NULL,"
    " idx INTEGER NOT NULL, hash BLOB NOT NULL, status TEXT NOT NULL, in_force_idx INTEGER,"
    " body TEXT NOT NULL, PRIMARY KEY(deal, version));"
    "CREATE TABLE IF NOT EXISTS deal_parties(deal TEXT NOT NULL, version INTEGER NOT NULL,"
    " member TEXT NOT NULL, ord INTEGER NOT NULL, signed_idx INTEGER,"
    " PRIMARY KEY(deal, version, member));"
    "CREATE TABLE IF NOT EXISTS deal_notices(deal TEXT NOT NULL, idx INTEGER NOT NULL,"
    " author TEXT NOT NULL, notice TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(deal, idx));"
    /* store_witness.c */
    "CREATE TABLE IF NOT EXISTS witness(origin TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " root BLOB NOT NULL, note BLOB NOT NULL);"
    /* store_flows_ref.c: third-party reference data, apart from members' flows */
    "CREATE TABLE IF NOT EXISTS refs(idx INTEGER NOT NULL, row INTEGER NOT NULL,"
    " line INTEGER NOT NULL, part INTEGER NOT NULL, parts INTEGER NOT NULL, source TEXT NOT NULL,"
    " release TEXT NOT NULL, file TEXT NOT NULL, donor TEXT NOT NULL, date TEXT,"
    " type TEXT NOT NULL, stage TEXT NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL,"
    " PRIMARY KEY(idx, row)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS refs_by_release ON refs(source, release, donor, idx, row);"
    "CREATE INDEX IF NOT EXISTS refs_by_source ON refs(source, idx);"
    /* store_zones.c: the versions of the deal's zones and protected sites */
    "CREATE TABLE IF NOT EXISTS zones(idx INTEGER PRIMARY KEY, version INTEGER NOT NULL,"
    " id TEXT NOT NULL, type TEXT NOT NULL, side TEXT, measured_from TEXT, category TEXT,"
    " precision_km INTEGER NOT NULL, geometry TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS zones_by_id ON zones(id, version);"
    /* store_blobs.c: documents by hash, and the readers entries name (a grant may come first) */
    "CREATE TABLE IF NOT EXISTS blobs(hash BLOB PRIMARY KEY, size INTEGER NOT NULL,"
    " media TEXT NOT NULL, public INTEGER NOT NULL, uploader TEXT NOT NULL,"
    " added INTEGER NOT NULL, bytes BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blob_uploaders(hash BLOB NOT NULL, member TEXT NOT NULL,"
    " PRIMARY KEY(hash, member)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS blob_refs(hash BLOB NOT NULL, member TEXT NOT NULL,"
    " idx INTEGER NOT NULL, PRIMARY KEY(hash, member, idx)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS blob_public(hash BLOB PRIMARY KEY, idx INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    /* store_monitor.c: monitors' reports, and when the log sequenced each */
    "CREATE TABLE IF NOT EXISTS reports(idx INTEGER PRIMARY KEY, author TEXT NOT NULL,"
    " observed INTEGER NOT NULL, precision_s INTEGER NOT NULL, signed INTEGER NOT NULL,"
    " day TEXT NOT NULL, type TEXT NOT NULL, lon REAL, lat REAL, radius_m INTEGER,"
    " oblast TEXT, settlement TEXT, count INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS reports_by_day ON reports(day, idx);"
    "CREATE INDEX IF NOT EXISTS reports_by_type ON reports(type, idx);"
    "CREATE INDEX IF NOT EXISTS reports_by_day_type ON reports(day, type, idx);"
    "CREATE INDEX IF NOT EXISTS reports_by_author ON reports(author, idx);"
    "CREATE TABLE IF NOT EXISTS report_logged(idx INTEGER PRIMARY KEY, at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS report_overrides(idx INTEGER PRIMARY KEY, op TEXT NOT NULL,"
    " author TEXT NOT NULL, reports TEXT NOT NULL, reason TEXT NOT NULL);"
    /* store_history.c: UCDP's events, apart from monitors' reports */
    "CREATE TABLE IF NOT EXISTS history(idx INTEGER NOT NULL, row INTEGER NOT NULL,"
    " line INTEGER NOT NULL, part INTEGER NOT NULL, parts INTEGER NOT NULL, source TEXT NOT NULL,"
    " release TEXT NOT NULL, file TEXT NOT NULL, id INTEGER NOT NULL, year INTEGER NOT NULL,"
    " type INTEGER NOT NULL, date_start TEXT NOT NULL, date_end TEXT NOT NULL, lat REAL NOT NULL,"
    " lon REAL NOT NULL, best INTEGER NOT NULL, high INTEGER NOT NULL, low INTEGER NOT NULL,"
    " event TEXT NOT NULL, PRIMARY KEY(idx, row)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX IF NOT EXISTS history_by_id ON history(source, release, id);"
    "CREATE INDEX IF NOT EXISTS history_by_day ON history(source, release, date_start, id);"
    "CREATE INDEX IF NOT EXISTS history_by_source ON history(source, idx);"
    /* store_pressure.c: designations by (source, subject), the latest body; imports' snapshots */
    "CREATE TABLE IF NOT EXISTS designations(source TEXT NOT NULL, subject TEXT NOT NULL,"
    " idx INTEGER NOT NULL, first INTEGER NOT NULL, author TEXT NOT NULL, type TEXT NOT NULL,"
    " listed TEXT NOT NULL, delisted TEXT, body TEXT NOT NULL, PRIMARY KEY(source, subject))"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS pressure_decisions(a_list TEXT NOT NULL, a_subject TEXT NOT NULL,"
    " b_list TEXT NOT NULL, b_subject TEXT NOT NULL, idx INTEGER NOT NULL, author TEXT NOT NULL,"
    " same INTEGER NOT NULL, reason TEXT NOT NULL,"
    " PRIMARY KEY(a_list, a_subject, b_list, b_subject)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS designations_by_idx ON designations(idx);"
    "CREATE INDEX IF NOT EXISTS decisions_by_idx ON pressure_decisions(idx);"
    "CREATE TABLE IF NOT EXISTS pressure_snapshots(idx INTEGER PRIMARY KEY, author TEXT NOT NULL,"
    " list TEXT NOT NULL, file TEXT NOT NULL, date TEXT NOT NULL, body TEXT NOT NULL);";

static wl_rc exec(wl_store *s, const char *text)
{
    return map_rc(wl_db_exec(s->db, text));
}

/*
 * Every family's statements, prepared once per connection. A file whose
 * statements do not prepare is not a willing ledger, or a damaged one.
 */
static wl_rc prepare(wl_store *s)
{
    static const wl_sq_family *const families[WL_SQ_FAMILIES] = {
        [WL_SQ_META] = &meta,
        [WL_SQ_LOG] = &wl_sq_log,
        [WL_SQ_IDENTITY] = &wl_sq_identity,
        [WL_SQ_SEALED] = &wl_sq_sealed,
        [WL_SQ_SESSION] = &wl_sq_session,
        [WL_SQ_FLOWS_REF] = &wl_sq_flows_ref,
        [WL_SQ_COALITION] = &wl_sq_coalition,
        [WL_SQ_WITNESS] = &wl_sq_witness,
        [WL_SQ_FLOWS] = &wl_sq_flows,
        [WL_SQ_ZONES] = &wl_sq_zones,
        [WL_SQ_BLOBS] = &wl_sq_blobs,
        [WL_SQ_DEAL] = &wl_sq_deal,
        [WL_SQ_FLOWS_TOTALS] = &wl_sq_flows_totals,
        [WL_SQ_MONITOR] = &wl_sq_monitor,
        [WL_SQ_HISTORY] = &wl_sq_history,
        [WL_SQ_PRESSURE] = &wl_sq_pressure,
    };
    for (int f = 0; f < WL_SQ_FAMILIES; f++) {
        for (int i = 0; i < families[f]->n; i++) {
            int e = wl_st_prepare(s->db, families[f]->sql[i], 1, &s->q[f][i]);
            if (e !=
                WL_DB_OK) /* a file that is not ours, or a truncated one; or no room, no access */
                return e == WL_DB_ERROR || e == WL_DB_CORRUPT ? WL_ERR_CORRUPT : map_rc(e);
        }
    }
    return WL_OK;
}

const char *wl_store_errmsg(wl_store *s)
{
    return s && s->db ? wl_db_errmsg(s->db) : "no database";
}

int wl_store_is_url(const char *target)
{
    return wl_db_is_url(target);
}

wl_rc wl_store_open(const char *path, int create, wl_store **out)
{
    return wl_store_open_why(path, create, out, NULL, 0);
}

wl_rc wl_store_open_why(const char *path, int create, wl_store **out, char *why, size_t cap)
{
    wl_store *s;
    wl_rc rc;
    int r;
    struct stat st;

    *out = NULL;
    if (why && cap)
        why[0] = '\0';
    if (!wl_db_is_url(path) && !create && stat(path, &st) != 0)
        return WL_ERR_NOT_FOUND;
    s = wl_calloc(1, sizeof *s);
    if (s == NULL)
        return WL_ERR_NOMEM;
    if ((r = wl_db_open(path, create, &s->db, why, cap)) != WL_DB_OK) {
        wl_free(s);
        return r == WL_DB_MISUSE ? WL_ERR_INVALID : map_rc(r);
    }
    /* an empty PostgreSQL database is made a ledger by create, as a new file is */
    if (create) {
        if ((rc = exec(s, schema)) != WL_OK || (rc = exec(s, wl_sq_flows_views_schema)) != WL_OK)
            goto out;
    }
    if ((rc = prepare(s)) != WL_OK)
        goto out;
    if (create) {
        char *v = NULL;
        if (wl_store_meta_get(s, "schema", &v) == WL_ERR_NOT_FOUND)
            rc = wl_store_meta_set(s, "schema", WL_SCHEMA_VERSION);
        wl_free(v);
    } else {
        char *v = NULL;
        rc = wl_store_meta_get(s, "schema", &v);
        if (rc == WL_OK && strcmp(v, WL_SCHEMA_VERSION) != 0)
            rc = WL_ERR_VERSION;
        else if (rc == WL_ERR_NOT_FOUND)
            rc = WL_ERR_CORRUPT;
        wl_free(v);
    }
out:
    if (rc == WL_OK) {
        *out = s;
    } else {
        if (why && cap && !why[0])
            snprintf(why, cap, "%s", wl_db_errmsg(s->db));
        wl_store_close(s);
    }
    return rc;
}

void wl_store_close(wl_store *s)
{
    if (s == NULL)
        return;
    for (int f = 0; f < WL_SQ_FAMILIES; f++)
        for (int i = 0; i < WL_SQ_MAX; i++)
            wl_st_finalize(s->q[f][i]); /* NULL: a no-op */
    wl_st_finalize(s->seqs_pg);
    wl_st_finalize(s->hp.st);
    wl_free(s->hp.idx);
    wl_free(s->hp.level);
    wl_free(s->hp.hash);
    wl_sq_totals_free(s);
    wl_sq_seqs_drop(s);
    wl_free(s->kept);
    wl_db_close(s->db);
    wl_free(s);
}

wl_rc wl_store_save_copy(wl_store *s, const char *path)
{
    return map_rc(wl_db_save_copy(s->db, path));
}

wl_rc wl_store_load_copy(wl_store *s, wl_store *from)
{
    return map_rc(wl_db_load_copy(s->db, from->db));
}

/* What a write transaction holds to write later: the hashes (PostgreSQL), the flows' sums. */
static wl_rc held_flush(wl_store *s)
{
    wl_rc rc = wl_sq_hashes_flush(s);
    return rc == WL_OK ? wl_sq_totals_flush(s) : rc;
}

wl_rc wl_store_begin(wl_store *s)
{
    wl_rc rc = map_rc(wl_db_begin(s->db));
    if (rc == WL_OK && s->tx.kept && s->writer) {
        s->tx.on = 1; /* what the last commit left (wl_sq_tx): no other writer since */
        s->tx.kept = 0;
    } else {
        wl_sq_tx_drop(s, rc == WL_OK);
    }
    wl_sq_seqs_drop(s);
    wl_sq_hashes_drop(s);
    return rc;
}

wl_rc wl_store_begin_read(wl_store *s)
{
    return map_rc(wl_db_begin_read(s->db));
}

wl_rc wl_store_commit(wl_store *s)
{
    wl_rc rc = held_flush(s);
    int keep = s->tx.on && s->writer;
    wl_db_cell_release(s->db);
    wl_sq_seqs_drop(s);
    if (rc == WL_OK)
        rc = map_rc(wl_db_commit(s->db));
    if (rc == WL_OK && keep) {
        s->tx.on = 0; /* kept for the next transaction (wl_store_begin) */
        s->tx.kept = 1;
    } else {
        wl_sq_tx_drop(s, 0);
    }
    return rc;
}

/*
 * Some errors (a full disk, I/O) make an engine roll the whole transaction back
 * itself; a ROLLBACK then would only replace the real error's text with
 * "cannot rollback - no transaction is active", so it is skipped.
 */
void wl_store_rollback(wl_store *s)
{
    wl_db_cell_release(s->db);
    wl_sq_totals_drop(s);
    wl_sq_hashes_drop(s);
    wl_sq_tx_drop(s, 0);
    wl_sq_seqs_drop(s);
    if (!wl_db_autocommit(s->db))
        (void)wl_db_rollback(s->db);
}

int wl_store_in_transaction(wl_store *s)
{
    return !wl_db_autocommit(s->db);
}

/*
 * The flows views' sums held in memory (store_flows_totals.c) are written before a
 * savepoint and at its release, and dropped when it rolls back: what is held is always
 * what was done since the innermost savepoint, so dropping it undoes exactly that.
 */
wl_rc wl_store_savepoint(wl_store *s)
{
    wl_rc rc = held_flush(s);
    return rc == WL_OK ? exec(s, "SAVEPOINT wl_sp") : rc;
}

wl_rc wl_store_release(wl_store *s)
{
    wl_rc rc = held_flush(s);
    return rc == WL_OK ? exec(s, "RELEASE wl_sp") : rc;
}

void wl_store_rollback_to(wl_store *s)
{
    wl_sq_totals_drop(s);
    wl_sq_hashes_drop(s);
    wl_sq_tx_drop(s, s->tx.on);   /* what it held may have been undone */
    if (!wl_db_autocommit(s->db)) /* gone already: keep the error that ended it */
        (void)exec(s, "ROLLBACK TO wl_sp; RELEASE wl_sp");
}

wl_rc wl_store_meta_get(wl_store *s, const char *key, char **val)
{
    wl_st *st = stmt(s, Q_META_GET);
    int r;
    wl_rc rc;
    *val = NULL;
    wl_st_bind_text(st, 1, key, -1);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        *val = col_dup(st, 0, NULL);
        rc = *val ? WL_OK : WL_ERR_NOMEM;
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_meta_set(wl_store *s, const char *key, const char *val)
{
    wl_st *st = stmt(s, Q_META_SET);
    wl_st_bind_text(st, 1, key, -1);
    wl_st_bind_text(st, 2, val, -1);
    return step_done(st);
}

wl_rc wl_store_writable(wl_store *s, char *why, size_t cap)
{
    wl_rc rc;
    why[0] = '\0';
    if (wl_db_readonly(s->db)) {
        snprintf(why, cap,
                 "opened read-only: no write permission, a read-only mount, or a standby "
                 "server");
        return WL_ERR_IO;
    }
    /* a real commit: one WAL frame (a WAL record) written and synced */
    rc = map_rc(wl_db_begin(s->db));
    if (rc == WL_OK)
        rc = exec(s, "UPDATE meta SET v = v WHERE k = 'schema'");
    if (rc == WL_OK)
        rc = map_rc(wl_db_commit(s->db));
    if (rc != WL_OK) {
        snprintf(why, cap, "%s", wl_db_errmsg(s->db));
        wl_store_rollback(s);
    }
    return rc;
}

wl_rc wl_store_writer_lock(wl_store *s, int wait, char *why, size_t cap)
{
    char tmp[8], *w = why && cap ? why : tmp;
    size_t wcap = why && cap ? cap : sizeof tmp;
    int r = wl_db_writer_lock(s->db, wait, w, wcap);
    if (!s->writer || r != WL_DB_OK)
        wl_sq_tx_drop(s, s->tx.on); /* newly the writer, or no longer: nothing kept is sure */
    s->writer = r == WL_DB_OK;
    if (r == WL_DB_OK)
        return WL_OK;
    if (!w[0])
        snprintf(w, wcap, "%s", wl_db_errmsg(s->db));
    return r == WL_DB_BUSY ? WL_ERR_CONFLICT : r == WL_DB_IO ? WL_ERR_UNAVAILABLE : map_rc(r);
}

/*
 * SQLite: the file's own schema (each table's and index's statement in sqlite_schema) against
 * the one this version creates, in a fresh private store. A damaged statement (an index over
 * an expression instead of its columns, one byte flipped) is valid SQL to SQLite and passes
 * its integrity check, while a reader that uses the index would see other rows. No ledger's
 * schema changes in place (another version is refused at open), so a difference is damage.
 * The statistics ANALYZE may have added are left out.
 */
static wl_rc schema_same(wl_store *s, char *why, size_t cap)
{
    static const char q[] = "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || "
                            "coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE "
                            "'sqlite_stat%' ORDER BY type, name";
    wl_store *fresh = NULL;
    wl_st *a = NULL, *b = NULL;
    wl_rc rc;
    if (wl_db_engine(s->db) != WL_DB_SQLITE)
        return WL_OK;
    if ((rc = wl_store_open("", 1, &fresh)) != WL_OK)
        return rc;
    if (wl_st_prepare(s->db, q, 0, &a) != WL_DB_OK ||
        wl_st_prepare(fresh->db, q, 0, &b) != WL_DB_OK)
        rc = WL_ERR_IO;
    while (rc == WL_OK) {
        int ra = wl_st_step(a), rb = wl_st_step(b);
        const char *ta = ra == WL_DB_ROW ? wl_st_col_text(a, 0) : NULL;
        const char *tb = rb == WL_DB_ROW ? wl_st_col_text(b, 0) : NULL;
        if ((ra != WL_DB_ROW && ra != WL_DB_DONE) || (rb != WL_DB_ROW && rb != WL_DB_DONE)) {
            rc = WL_ERR_IO;
        } else if (ra != rb || (ta && tb && strcmp(ta, tb) != 0)) {
            snprintf(why, cap, "the file's schema is not what this version makes: it has %.150s%s",
                     ta ? ta : "nothing more", tb ? ", where this version has " : "");
            if (tb && strlen(why) + 1 < cap)
                snprintf(why + strlen(why), cap - strlen(why), "%.150s", tb);
            rc = WL_ERR_CORRUPT;
        } else if (ra == WL_DB_DONE) {
            break;
        }
    }
    wl_st_finalize(a);
    wl_st_finalize(b);
    wl_store_close(fresh);
    return rc;
}

wl_rc wl_store_integrity(wl_store *s, char *why, size_t cap)
{
    if (wl_db_check(s->db, 0, why, cap) != WL_DB_OK)
        return WL_ERR_CORRUPT;
    return schema_same(s, why, cap);
}

wl_rc wl_store_quick_check(wl_store *s, char *why, size_t cap)
{
    return wl_db_check(s->db, 1, why, cap) == WL_DB_OK ? WL_OK : WL_ERR_CORRUPT;
}
