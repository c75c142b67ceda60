/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite implementation of lib/store/store.h: WAL, synchronous=FULL, so a
 * commit returns only once the WAL is synced. Statements are prepared once per
 * handle. The schema is in docs/internals/store.md.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/store.h"

#define WL_SCHEMA_VERSION WL_STORE_SCHEMA

enum {
    Q_META_GET,
    Q_META_SET,
    Q_SIZE,
    Q_APPEND,
    Q_ENTRY,
    Q_FIND_SEQ,
    Q_ENTRIES,
    Q_HASH_PUT,
    Q_HASH_GET,
    Q_HASH_RANGE,
    Q_CP_PUT,
    Q_CP_LATEST,
    Q_CP_GET,
    Q_MEMBER_PUT,
    Q_MEMBER_GET,
    Q_KEY_PUT,
    Q_KEYS_BY_ID,
    Q_KEY_REVOKE,
    Q_WIT_GET,
    Q_WIT_SET,
    Q_TILE_PUT,
    Q_TILE_GET,
    Q_NONCE_PUT,
    Q_NONCE_PURGE,
    Q_SEALED_PUT,
    Q_SEALED_GET,
    Q_SEALED_DUE,
    Q_SEALED_DONE,
    Q_SEALED_ALL,
    Q_SEALED_OWNER,
    Q_REQ_PUT,
    Q_REQ_GET,
    Q_REQ_ENDORSE,
    Q_REQ_ALL,
    Q_FACT_SET,
    Q_FACT_ALL,
    Q_MEMBERS,
    Q_MEMBER_STATUS,
    Q_MEMBER_PUBLISH,
    Q_KEY_PUBLISH,
    Q_SEALED_ABOUT,
    Q_SEALED_EACH,
    Q_KEYS_OF,
    Q_SEALED_MINE,
    Q_SESSION_PUT,
    Q_SESSION_GET,
    Q_SESSION_DEL,
    Q_COUNT
};

static const char *const sql[Q_COUNT] = {
    [Q_META_GET] = "SELECT v FROM meta WHERE k = ?1",
    [Q_META_SET] = "INSERT INTO meta(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET v = ?2",
    [Q_SIZE] = "SELECT coalesce(max(idx) + 1, 0) FROM entries",
    [Q_APPEND] = "INSERT INTO entries(idx, data, leaf, kind, author, seq, time) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_ENTRY] = "SELECT data, kind, author, seq, time, leaf FROM entries WHERE idx = ?1",
    [Q_FIND_SEQ] = "SELECT idx, data FROM entries WHERE author = ?1 AND seq = ?2",
    [Q_ENTRIES] = "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx",
    [Q_HASH_PUT] = "INSERT INTO hashes(level, idx, hash) VALUES(?1, ?2, ?3)",
    [Q_HASH_GET] = "SELECT hash FROM hashes WHERE level = ?1 AND idx = ?2",
    [Q_HASH_RANGE] = "SELECT idx, hash FROM hashes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 "
                     "ORDER BY idx",
    [Q_CP_PUT] = "INSERT INTO checkpoints(size, note, created) VALUES(?1, ?2, ?3) "
                 "ON CONFLICT(size) DO UPDATE SET note = ?2",
    [Q_CP_LATEST] = "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
    [Q_CP_GET] = "SELECT size, note FROM checkpoints WHERE size = ?1",
    [Q_MEMBER_PUT] = "INSERT INTO members(id, name, role, added, status, sealed) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_MEMBER_GET] = "SELECT id, name, role, added, status, sealed FROM members WHERE id = ?1",
    [Q_KEY_PUT] = "INSERT INTO keys(member, pk, key_id, scope, added, revoked, sealed) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, NULL, ?6)",
    [Q_KEYS_BY_ID] = "SELECT pk, key_id, scope, added, revoked, sealed FROM keys "
                     "WHERE member = ?1 AND key_id = ?2",
    [Q_KEY_REVOKE] =
        "UPDATE keys SET revoked = ?3 WHERE member = ?1 AND pk = ?2 AND revoked IS NULL "
        "AND sealed = 0",
    [Q_WIT_GET] = "SELECT size, root FROM witness WHERE origin = ?1",
    [Q_TILE_PUT] = "INSERT INTO tiles(id, data) VALUES(?1, ?2)",
    [Q_NONCE_PUT] = "INSERT INTO nonces(nonce, expires) VALUES(?1, ?2)",
    [Q_NONCE_PURGE] = "DELETE FROM nonces WHERE expires < ?1",
    [Q_SEALED_PUT] = "INSERT INTO sealed(commitment, author, salt, content, readers, batch, "
                     "received, pledge, subject) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_SEALED_OWNER] = "SELECT author FROM sealed WHERE pledge = ?1 LIMIT 1",
    [Q_SEALED_GET] = "SELECT author, salt, content, readers, batch, received, envelope, pledge, "
                     "subject FROM sealed WHERE commitment = ?1",
    [Q_SEALED_DUE] = "SELECT commitment FROM sealed WHERE envelope IS NULL AND batch <= ?1 "
                     "ORDER BY commitment",
    [Q_SEALED_DONE] = "UPDATE sealed SET envelope = ?2 WHERE commitment = ?1",
    [Q_SEALED_ALL] = "SELECT commitment FROM sealed ORDER BY rowid",
    [Q_REQ_PUT] =
        "INSERT INTO requirements(id, body, set_idx, endorsed_idx) VALUES(?1, ?2, ?3, NULL) "
        "ON CONFLICT(id) DO UPDATE SET body = ?2, set_idx = ?3, endorsed_idx = NULL",
    [Q_REQ_GET] = "SELECT body, set_idx, endorsed_idx FROM requirements WHERE id = ?1",
    [Q_REQ_ENDORSE] = "UPDATE requirements SET endorsed_idx = ?2 WHERE id = ?1",
    [Q_REQ_ALL] = "SELECT id, body, set_idx, endorsed_idx FROM requirements ORDER BY id",
    [Q_FACT_SET] = "INSERT INTO facts(name, recorded, idx) VALUES(?1, ?2, ?3) "
                   "ON CONFLICT(name) DO UPDATE SET recorded = ?2, idx = ?3",
    [Q_FACT_ALL] = "SELECT name FROM facts WHERE recorded = 1 ORDER BY name",
    [Q_MEMBERS] = "SELECT id, name, role, added, status, sealed FROM members ORDER BY added, id",
    [Q_MEMBER_STATUS] = "UPDATE members SET status = ?2 WHERE id = ?1",
    [Q_MEMBER_PUBLISH] = "UPDATE members SET sealed = 0, status = 'announced', added = ?2 "
                         "WHERE id = ?1 AND sealed = 1",
    [Q_KEY_PUBLISH] =
        "UPDATE keys SET sealed = 0, added = ?3 WHERE member = ?1 AND pk = ?2 AND sealed = 1",
    [Q_SEALED_ABOUT] = "SELECT commitment FROM sealed WHERE subject = ?1 ORDER BY rowid",
    [Q_SEALED_EACH] = "SELECT rowid, author, content, received FROM sealed WHERE rowid > ?1 AND "
                      "(pledge IS NOT NULL OR subject IS NULL) ORDER BY rowid",
    [Q_TILE_GET] = "SELECT data FROM tiles WHERE id = ?1",
    [Q_SEALED_MINE] = "SELECT commitment FROM sealed WHERE (author = ?1 OR subject = ?1) AND "
                      "(?2 IS NULL OR rowid > (SELECT rowid FROM sealed WHERE commitment = ?2)) "
                      "ORDER BY rowid",
    [Q_KEYS_OF] = "SELECT pk, key_id, scope, added, revoked, sealed FROM keys WHERE member = ?1",
    [Q_SESSION_PUT] = "INSERT INTO sessions(token, member, key_id, csrf, expires) "
                      "VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_SESSION_GET] = "SELECT member, key_id, csrf, expires FROM sessions WHERE token = ?1",
    [Q_SESSION_DEL] = "DELETE FROM sessions WHERE token = ?1 OR expires < ?2",
    [Q_WIT_SET] = "INSERT INTO witness(origin, size, root, note) VALUES(?1, ?2, ?3, ?4) "
                  "ON CONFLICT(origin) DO UPDATE SET size = ?2, root = ?3, note = ?4",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL,"
    " leaf BLOB NOT NULL, kind TEXT NOT NULL, author TEXT NOT NULL, seq INTEGER NOT NULL,"
    " time INTEGER NOT NULL, UNIQUE(author, seq));"
    "CREATE TABLE IF NOT EXISTS hashes(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note BLOB NOT NULL,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS members(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " role TEXT NOT NULL, added INTEGER NOT NULL, status TEXT NOT NULL, sealed INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS keys(member TEXT NOT NULL REFERENCES members(id),"
    " pk BLOB NOT NULL, key_id INTEGER NOT NULL, scope TEXT NOT NULL, added INTEGER NOT NULL,"
    " revoked INTEGER, sealed INTEGER NOT NULL, PRIMARY KEY(member, pk));"
    "CREATE INDEX IF NOT EXISTS keys_by_id ON keys(member, key_id);"
    "CREATE TABLE IF NOT EXISTS tiles(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS nonces(nonce TEXT PRIMARY KEY, expires INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS nonces_by_expiry ON nonces(expires);"
    "CREATE TABLE IF NOT EXISTS sealed(commitment BLOB PRIMARY KEY, author TEXT NOT NULL,"
    " salt BLOB NOT NULL, content BLOB NOT NULL, readers TEXT NOT NULL, batch INTEGER NOT NULL,"
    " received INTEGER NOT NULL, envelope INTEGER, pledge TEXT, subject TEXT);"
    /* a pledge id is sealed once: the same pledge under another salt is refused */
    "CREATE UNIQUE INDEX IF NOT EXISTS sealed_by_pledge ON sealed(pledge) WHERE pledge IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS sealed_by_subject ON sealed(subject) WHERE subject IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS requirements(id TEXT PRIMARY KEY, body TEXT NOT NULL,"
    " set_idx INTEGER NOT NULL, endorsed_idx INTEGER);"
    "CREATE TABLE IF NOT EXISTS facts(name TEXT PRIMARY KEY, recorded INTEGER NOT NULL,"
    " idx INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS entries_by_kind ON entries(kind, idx);"
    "CREATE TABLE IF NOT EXISTS sessions(token BLOB PRIMARY KEY, member TEXT NOT NULL,"
    " key_id INTEGER NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS witness(origin TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " root BLOB NOT NULL, note BLOB NOT NULL);";

struct wl_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    /*
     * An open handle on a tile blob, moved from row to row, kept only inside
     * an explicit transaction and closed when it ends: an open blob holds its
     * read snapshot, and a handle kept across requests would pin the
     * connection on an old view of the log.
     */
    sqlite3_blob *tile;
    int page_size;
    int wal_tried; /* WAL frames at the last TRUNCATE checkpoint that readers kept waiting */
};

/*
 * The WAL's bound. SQLite's own auto-checkpoint (PASSIVE, every 1,000 pages)
 * copies frames back but never waits for readers, so under a steady stream of
 * reads the WAL is never restarted and grows without end. After each commit
 * this hook does that PASSIVE checkpoint and, once the WAL passes
 * WL_WAL_BOUND_BYTES, a TRUNCATE one: it waits (at most WL_WAL_WAIT_MS) for
 * readers to move onto the latest snapshot, which they do at their next
 * request (no read outlives a request), copies everything back and empties the
 * WAL. If readers keep it waiting, it tries again 1,000 pages later.
 */
#define WL_WAL_AUTO_PAGES 1000
#define WL_WAL_BOUND_BYTES (16 << 20)
#define WL_WAL_WAIT_MS 200
#define WL_BUSY_MS 10000

static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int frames)
{
    wl_store *s = ctx;
    if ((int64_t)frames * s->page_size >= WL_WAL_BOUND_BYTES &&
        frames >= s->wal_tried + WL_WAL_AUTO_PAGES) {
        int rc;
        sqlite3_busy_timeout(db, WL_WAL_WAIT_MS);
        rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        sqlite3_busy_timeout(db, WL_BUSY_MS);
        s->wal_tried = rc == SQLITE_OK ? 0 : frames;
    } else if (frames >= WL_WAL_AUTO_PAGES) {
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    if (frames < s->wal_tried)
        s->wal_tried = 0; /* the WAL was restarted by another connection */
    return SQLITE_OK;
}

static void tile_release(wl_store *s)
{
    if (s->tile) {
        sqlite3_blob_close(s->tile);
        s->tile = NULL;
    }
}

static wl_rc map_rc(int rc)
{
    switch (rc) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return WL_OK;
    case SQLITE_NOMEM:
        return WL_ERR_NOMEM;
    case SQLITE_CONSTRAINT:
        return WL_ERR_CONFLICT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return WL_ERR_CORRUPT;
    case SQLITE_TOOBIG:
        return WL_ERR_TOO_LARGE;
    default:
        return WL_ERR_IO;
    }
}

static sqlite3_stmt *stmt(wl_store *s, int q)
{
    sqlite3_stmt *st = s->q[q];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static wl_rc exec(wl_store *s, const char *text)
{
    return map_rc(sqlite3_exec(s->db, text, NULL, NULL, NULL));
}

const char *wl_store_errmsg(wl_store *s)
{
    return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

/* The few system errors a user can act on, as a suffix for a message. */
static const char *os_error(int e)
{
    switch (e) {
    case ENOSPC:
        return ": no space left on the device";
    case EDQUOT:
        return ": disk quota exceeded";
    case EROFS:
        return ": a read-only file system";
    case EACCES:
    case EPERM:
        return ": permission denied";
    default:
        return "";
    }
}

wl_rc wl_store_open(const char *path, int create, wl_store **out)
{
    return wl_store_open_why(path, create, out, NULL, 0);
}

wl_rc wl_store_open_why(const char *path, int create, wl_store **out, char *why, size_t cap)
{
    wl_store *s;
    wl_rc rc;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    struct stat st;

    *out = NULL;
    if (!create && stat(path, &st) != 0)
        return WL_ERR_NOT_FOUND;
    s = wl_calloc(1, sizeof *s);
    if (s == NULL)
        return WL_ERR_NOMEM;
    if (create) {
        /* the ledger file and its WAL are not for other users */
        mode_t old = umask(077);
        rc = map_rc(sqlite3_open_v2(path, &s->db, flags, NULL));
        umask(old);
    } else {
        rc = map_rc(sqlite3_open_v2(path, &s->db, flags, NULL));
    }
    if (rc != WL_OK)
        goto fail;
    sqlite3_busy_timeout(s->db, WL_BUSY_MS);
    sqlite3_extended_result_codes(s->db, 0);
    /* journal_size_limit: a WAL that SQLite restarts is cut back to the bound too */
    if ((rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                      "PRAGMA cache_size=-4096; PRAGMA journal_size_limit=16777216;")) != WL_OK)
        goto fail;
    s->page_size = 4096;
    {
        sqlite3_stmt *ps = NULL;
        if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &ps, NULL) == SQLITE_OK &&
            sqlite3_step(ps) == SQLITE_ROW)
            s->page_size = sqlite3_column_int(ps, 0);
        sqlite3_finalize(ps);
    }
    sqlite3_wal_hook(s->db, on_wal_commit, s);
    if (create) {
        if ((rc = exec(s, schema)) != WL_OK)
            goto fail;
    }
    for (int i = 0; i < Q_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) !=
            SQLITE_OK) {
            /* a file that is not ours, or a truncated one; or no room, no access */
            int e = sqlite3_errcode(s->db);
            rc = e == SQLITE_ERROR || e == SQLITE_CORRUPT || e == SQLITE_NOTADB ? WL_ERR_CORRUPT
                                                                                : map_rc(e);
            goto fail;
        }
    }
    if (create) {
        char *v = NULL;
        if (wl_store_meta_get(s, "schema", &v) == WL_ERR_NOT_FOUND)
            rc = wl_store_meta_set(s, "schema", WL_SCHEMA_VERSION);
        wl_free(v);
        if (rc != WL_OK)
            goto fail;
    } else {
        char *v = NULL;
        rc = wl_store_meta_get(s, "schema", &v);
        if (rc == WL_OK && strcmp(v, WL_SCHEMA_VERSION) != 0)
            rc = WL_ERR_VERSION;
        else if (rc == WL_ERR_NOT_FOUND)
            rc = WL_ERR_CORRUPT;
        wl_free(v);
        if (rc != WL_OK)
            goto fail;
    }
    *out = s;
    return WL_OK;
fail:
    if (why && cap) /* the engine's words, and the system's: not just "an I/O error" */
        snprintf(why, cap, "%s%s", s->db ? sqlite3_errmsg(s->db) : wl_rc_name(rc),
                 s->db ? os_error(sqlite3_system_errno(s->db)) : "");
    wl_store_close(s);
    return rc;
}

void wl_store_close(wl_store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->q[i]);
    tile_release(s);
    sqlite3_close(s->db);
    wl_free(s);
}

wl_rc wl_store_begin(wl_store *s)
{
    return exec(s, "BEGIN IMMEDIATE");
}

wl_rc wl_store_begin_read(wl_store *s)
{
    return exec(s, "BEGIN DEFERRED");
}

wl_rc wl_store_commit(wl_store *s)
{
    tile_release(s);
    return exec(s, "COMMIT");
}

/*
 * Some errors (a full disk, I/O) make SQLite roll the whole transaction back
 * itself; a ROLLBACK then would only replace the real error's text with
 * "cannot rollback - no transaction is active", so it is skipped.
 */
void wl_store_rollback(wl_store *s)
{
    tile_release(s);
    if (!sqlite3_get_autocommit(s->db))
        (void)exec(s, "ROLLBACK");
}

int wl_store_in_transaction(wl_store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

wl_rc wl_store_savepoint(wl_store *s)
{
    return exec(s, "SAVEPOINT wl_sp");
}

wl_rc wl_store_release(wl_store *s)
{
    return exec(s, "RELEASE wl_sp");
}

void wl_store_rollback_to(wl_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) /* gone already: keep the error that ended it */
        (void)exec(s, "ROLLBACK TO wl_sp; RELEASE wl_sp");
}

static wl_rc step_done(sqlite3_stmt *st)
{
    int r = sqlite3_step(st);
    wl_rc rc = map_rc(r == SQLITE_ROW ? SQLITE_MISUSE : r);
    sqlite3_reset(st);
    return rc;
}

static char *col_dup(sqlite3_stmt *st, int c, size_t *len)
{
    const void *p = sqlite3_column_blob(st, c);
    size_t n = (size_t)sqlite3_column_bytes(st, c);
    char *d = wl_malloc(n + 1);
    if (d == NULL)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    if (len)
        *len = n;
    return d;
}

static void col_str(sqlite3_stmt *st, int c, char *out, size_t cap)
{
    const unsigned char *p = sqlite3_column_text(st, c);
    snprintf(out, cap, "%s", p ? (const char *)p : "");
}

wl_rc wl_store_meta_get(wl_store *s, const char *key, char **val)
{
    sqlite3_stmt *st = stmt(s, Q_META_GET);
    int r;
    wl_rc rc;
    *val = NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *val = col_dup(st, 0, NULL);
        rc = *val ? WL_OK : WL_ERR_NOMEM;
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_meta_set(wl_store *s, const char *key, const char *val)
{
    sqlite3_stmt *st = stmt(s, Q_META_SET);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
    return step_done(st);
}

wl_rc wl_store_size(wl_store *s, uint64_t *size)
{
    sqlite3_stmt *st = stmt(s, Q_SIZE);
    int r = sqlite3_step(st);
    wl_rc rc = WL_OK;
    *size = 0;
    if (r == SQLITE_ROW)
        *size = (uint64_t)sqlite3_column_int64(st, 0);
    else
        rc = map_rc(r == SQLITE_DONE ? SQLITE_CORRUPT : r);
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_append(wl_store *s, const wl_stored_entry *e)
{
    sqlite3_stmt *st = stmt(s, Q_APPEND);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)e->index);
    sqlite3_bind_blob(st, 2, e->data, (int)e->len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, e->leaf, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->author, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)e->seq);
    sqlite3_bind_int64(st, 7, e->time);
    return step_done(st);
}

/* One entry's row; each output optional (data: caller frees). */
static wl_rc entry_read(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                        char *author, uint64_t *seq, int64_t *time, uint8_t *leaf)
{
    sqlite3_stmt *st = stmt(s, Q_ENTRY);
    int r;
    wl_rc rc = WL_OK;
    if (data) {
        *data = NULL;
        *len = 0;
    }
    if (index > INT64_MAX)
        return WL_ERR_NOT_FOUND;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        if (data && (*data = col_dup(st, 0, len)) == NULL)
            rc = WL_ERR_NOMEM;
        if (kind)
            col_str(st, 1, kind, 33);
        if (author)
            col_str(st, 2, author, 65);
        if (seq)
            *seq = (uint64_t)sqlite3_column_int64(st, 3);
        if (time)
            *time = sqlite3_column_int64(st, 4);
        if (leaf && sqlite3_column_bytes(st, 5) == 32)
            memcpy(leaf, sqlite3_column_blob(st, 5), 32);
        else if (leaf)
            memset(leaf, 0, 32); /* differs from any real leaf hash */
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_entry(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                     char *author, uint64_t *seq, int64_t *time)
{
    return entry_read(s, index, data, len, kind, author, seq, time, NULL);
}

wl_rc wl_store_entry_derived(wl_store *s, uint64_t index, uint8_t leaf[32], char kind[33],
                             char author[65], uint64_t *seq, int64_t *time)
{
    return entry_read(s, index, NULL, NULL, kind, author, seq, time, leaf);
}

wl_rc wl_store_find_seq(wl_store *s, const char *author, uint64_t seq, uint64_t *index, char **data,
                        size_t *len)
{
    sqlite3_stmt *st = stmt(s, Q_FIND_SEQ);
    int r;
    wl_rc rc = WL_OK;
    *index = 0;
    *data = NULL;
    *len = 0;
    sqlite3_bind_text(st, 1, author, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *index = (uint64_t)sqlite3_column_int64(st, 0);
        *data = col_dup(st, 1, len);
        if (*data == NULL)
            rc = WL_ERR_NOMEM;
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_entries(wl_store *s, uint64_t from, uint64_t to, wl_entry_fn fn, void *ctx)
{
    /* a private statement: fn may call back into the store */
    sqlite3_stmt *st = NULL;
    uint64_t want = from;
    wl_rc rc = WL_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, sql[Q_ENTRIES], -1, &st, NULL) != SQLITE_OK)
        return WL_ERR_IO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t idx = (uint64_t)sqlite3_column_int64(st, 0);
        if (idx != want) {
            rc = WL_ERR_CORRUPT; /* a hole in the log */
            break;
        }
        want++;
        rc = fn(ctx, idx, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
        if (rc != WL_OK)
            break;
    }
    if (rc == WL_OK && r != SQLITE_DONE)
        rc = map_rc(r);
    if (rc == WL_OK && want != to)
        rc = WL_ERR_NOT_FOUND;
    sqlite3_finalize(st);
    return rc;
}

wl_rc wl_store_hash_put(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32])
{
    sqlite3_stmt *st = stmt(s, Q_HASH_PUT);
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    sqlite3_bind_blob(st, 3, h, 32, SQLITE_STATIC);
    return step_done(st);
}

wl_rc wl_store_hash_get(wl_store *s, unsigned level, uint64_t idx, uint8_t h[32])
{
    sqlite3_stmt *st = stmt(s, Q_HASH_GET);
    int r;
    wl_rc rc = WL_OK;
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 32)
            rc = WL_ERR_CORRUPT;
        else
            memcpy(h, sqlite3_column_blob(st, 0), 32);
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    return wl_store_hash_get(ctx, level, idx, out);
}

wl_rc wl_store_hash_range(wl_store *s, unsigned level, uint64_t idx, size_t count, uint8_t *out)
{
    sqlite3_stmt *st = stmt(s, Q_HASH_RANGE);
    size_t got = 0;
    int r;
    wl_rc rc = WL_OK;
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(idx + count));
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((uint64_t)sqlite3_column_int64(st, 0) != idx + got ||
            sqlite3_column_bytes(st, 1) != 32) {
            rc = WL_ERR_CORRUPT;
            break;
        }
        memcpy(out + 32 * got, sqlite3_column_blob(st, 1), 32);
        got++;
    }
    if (rc == WL_OK && r != SQLITE_DONE)
        rc = map_rc(r);
    if (rc == WL_OK && got != count)
        rc = WL_ERR_NOT_FOUND;
    sqlite3_reset(st);
    return rc;
}

/* full tiles: id = tile level << 56 | index */
static sqlite3_int64 tile_id(unsigned tlevel, uint64_t idx)
{
    return (sqlite3_int64)((uint64_t)tlevel << 56 | idx);
}

wl_rc wl_store_tile_put(wl_store *s, unsigned tlevel, uint64_t idx,
                        const uint8_t data[WL_TILE_BLOB_BYTES])
{
    sqlite3_stmt *st = stmt(s, Q_TILE_PUT);
    if (tlevel > 63 || idx >= (1ull << 56))
        return WL_ERR_INVALID;
    sqlite3_bind_int64(st, 1, tile_id(tlevel, idx));
    sqlite3_bind_blob(st, 2, data, WL_TILE_BLOB_BYTES, SQLITE_STATIC);
    return step_done(st);
}

wl_rc wl_store_tile_get(wl_store *s, unsigned tlevel, uint64_t idx,
                        uint8_t data[WL_TILE_BLOB_BYTES])
{
    sqlite3_stmt *st = stmt(s, Q_TILE_GET);
    int r;
    wl_rc rc = WL_OK;
    if (tlevel > 63 || idx >= (1ull << 56))
        return WL_ERR_NOT_FOUND;
    sqlite3_bind_int64(st, 1, tile_id(tlevel, idx));
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != (int)WL_TILE_BLOB_BYTES)
            rc = WL_ERR_CORRUPT;
        else
            memcpy(data, sqlite3_column_blob(st, 0), WL_TILE_BLOB_BYTES);
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_tile_read(wl_store *s, unsigned tlevel, uint64_t idx, size_t offset, size_t len,
                         uint8_t *out)
{
    sqlite3_int64 row;
    int rc;
    wl_rc ret;
    if (tlevel > 63 || idx >= (1ull << 56) || offset + len > WL_TILE_BLOB_BYTES)
        return WL_ERR_NOT_FOUND;
    row = tile_id(tlevel, idx);
    rc = s->tile ? sqlite3_blob_reopen(s->tile, row)
                 : sqlite3_blob_open(s->db, "main", "tiles", "data", row, 0, &s->tile);
    if (rc != SQLITE_OK) {
        /* no such row (the tile is not full yet), or a stale handle: start afresh next time */
        tile_release(s);
        return WL_ERR_NOT_FOUND;
    }
    if (sqlite3_blob_bytes(s->tile) != (int)WL_TILE_BLOB_BYTES)
        ret = WL_ERR_CORRUPT;
    else
        ret =
            sqlite3_blob_read(s->tile, out, (int)len, (int)offset) == SQLITE_OK ? WL_OK : WL_ERR_IO;
    /* outside a transaction the handle would hold a snapshot after this call */
    if (ret != WL_OK || sqlite3_get_autocommit(s->db))
        tile_release(s);
    return ret;
}

wl_rc wl_store_checkpoint_put(wl_store *s, uint64_t size, const char *note, size_t len,
                              int64_t created)
{
    sqlite3_stmt *st = stmt(s, Q_CP_PUT);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    sqlite3_bind_blob(st, 2, note, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, created);
    return step_done(st);
}

static wl_rc cp_read(sqlite3_stmt *st, uint64_t *size, char **note, size_t *len)
{
    int r = sqlite3_step(st);
    wl_rc rc = WL_OK;
    *note = NULL;
    *len = 0;
    if (r == SQLITE_ROW) {
        if (size)
            *size = (uint64_t)sqlite3_column_int64(st, 0);
        *note = col_dup(st, 1, len);
        if (*note == NULL)
            rc = WL_ERR_NOMEM;
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_checkpoint_latest(wl_store *s, uint64_t *size, char **note, size_t *len)
{
    *size = 0;
    return cp_read(stmt(s, Q_CP_LATEST), size, note, len);
}

wl_rc wl_store_checkpoint_get(wl_store *s, uint64_t size, char **note, size_t *len)
{
    sqlite3_stmt *st = stmt(s, Q_CP_GET);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    return cp_read(st, NULL, note, len);
}

wl_rc wl_store_member_put(wl_store *s, const wl_member *m)
{
    sqlite3_stmt *st = stmt(s, Q_MEMBER_PUT);
    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)m->added);
    sqlite3_bind_text(st, 5, m->status[0] ? m->status : "announced", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, m->sealed != 0);
    return step_done(st);
}

wl_rc wl_store_member_status(wl_store *s, const char *id, const char *status)
{
    sqlite3_stmt *st = stmt(s, Q_MEMBER_STATUS);
    wl_rc rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    rc = step_done(st);
    if (rc == WL_OK && sqlite3_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    return rc;
}

wl_rc wl_store_member_publish(wl_store *s, const char *id, uint64_t added)
{
    sqlite3_stmt *st = stmt(s, Q_MEMBER_PUBLISH);
    wl_rc rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)added);
    rc = step_done(st);
    if (rc == WL_OK && sqlite3_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    return rc;
}

wl_rc wl_store_key_publish(wl_store *s, const char *member, const uint8_t pk[32], uint64_t added)
{
    sqlite3_stmt *st = stmt(s, Q_KEY_PUBLISH);
    wl_rc rc;
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pk, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)added);
    rc = step_done(st);
    if (rc == WL_OK && sqlite3_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    return rc;
}

wl_rc wl_store_members(wl_store *s, wl_member_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(s, Q_MEMBERS);
    int rc;
    wl_rc ret = WL_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        wl_member m;
        memset(&m, 0, sizeof m);
        col_str(st, 0, m.id, sizeof m.id);
        col_str(st, 1, m.name, sizeof m.name);
        col_str(st, 2, m.role, sizeof m.role);
        m.added = (uint64_t)sqlite3_column_int64(st, 3);
        col_str(st, 4, m.status, sizeof m.status);
        m.sealed = sqlite3_column_int(st, 5);
        if ((ret = fn(ctx, &m)) != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != SQLITE_DONE)
        ret = map_rc(rc);
    sqlite3_reset(st);
    return ret;
}

wl_rc wl_store_member_get(wl_store *s, const char *id, wl_member *m)
{
    sqlite3_stmt *st = stmt(s, Q_MEMBER_GET);
    int r;
    wl_rc rc = WL_OK;
    memset(m, 0, sizeof *m);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        col_str(st, 0, m->id, sizeof m->id);
        col_str(st, 1, m->name, sizeof m->name);
        col_str(st, 2, m->role, sizeof m->role);
        m->added = (uint64_t)sqlite3_column_int64(st, 3);
        col_str(st, 4, m->status, sizeof m->status);
        m->sealed = sqlite3_column_int(st, 5);
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_key_put(wl_store *s, const wl_member_key *k)
{
    sqlite3_stmt *st = stmt(s, Q_KEY_PUT);
    sqlite3_bind_text(st, 1, k->member, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, k->pk, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, k->key_id);
    sqlite3_bind_text(st, 4, k->scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)k->added);
    sqlite3_bind_int(st, 6, k->sealed != 0);
    return step_done(st);
}

/*
 * Reads rows (pk, key_id, scope, added, revoked, sealed) of member's keys;
 * WL_ERR_TOO_LARGE if there are more than max.
 */
static wl_rc keys_read(sqlite3_stmt *st, const char *member, wl_member_key *out, size_t max,
                       size_t *n)
{
    int r;
    wl_rc rc = WL_OK;
    *n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        wl_member_key *k;
        if (*n == max) {
            rc = WL_ERR_TOO_LARGE;
            break;
        }
        k = &out[*n];
        memset(k, 0, sizeof *k);
        if (sqlite3_column_bytes(st, 0) != 32) {
            rc = WL_ERR_CORRUPT;
            break;
        }
        snprintf(k->member, sizeof k->member, "%s", member);
        memcpy(k->pk, sqlite3_column_blob(st, 0), 32);
        k->key_id = (uint32_t)sqlite3_column_int64(st, 1);
        col_str(st, 2, k->scope, sizeof k->scope);
        k->added = (uint64_t)sqlite3_column_int64(st, 3);
        k->revoked = sqlite3_column_type(st, 4) == SQLITE_NULL
                         ? UINT64_MAX
                         : (uint64_t)sqlite3_column_int64(st, 4);
        k->sealed = sqlite3_column_int(st, 5);
        (*n)++;
    }
    if (rc == WL_OK && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = map_rc(r);
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_keys_by_id(wl_store *s, const char *member, uint32_t key_id, wl_member_key *out,
                          size_t max, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_KEYS_BY_ID);
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, key_id);
    return keys_read(st, member, out, max, n);
}

wl_rc wl_store_key_revoke(wl_store *s, const char *member, const uint8_t pk[32], uint64_t index)
{
    sqlite3_stmt *st = stmt(s, Q_KEY_REVOKE);
    wl_rc rc;
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pk, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)index);
    rc = step_done(st);
    if (rc == WL_OK && sqlite3_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    return rc;
}

wl_rc wl_store_keys_of(wl_store *s, const char *member, wl_member_key *out, size_t max, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_KEYS_OF);
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    return keys_read(st, member, out, max, n);
}

wl_rc wl_store_session_put(wl_store *s, const uint8_t token[32], const char *member,
                           uint32_t key_id, const char *csrf, int64_t expires)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_PUT);
    sqlite3_bind_blob(st, 1, token, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, member, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, key_id);
    sqlite3_bind_text(st, 4, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, expires);
    return step_done(st);
}

wl_rc wl_store_session_get(wl_store *s, const uint8_t token[32], char member[65], uint32_t *key_id,
                           char csrf[65], int64_t *expires)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_GET);
    int r;
    wl_rc rc = WL_OK;
    sqlite3_bind_blob(st, 1, token, 32, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        col_str(st, 0, member, 65);
        *key_id = (uint32_t)sqlite3_column_int64(st, 1);
        col_str(st, 2, csrf, 65);
        *expires = sqlite3_column_int64(st, 3);
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_session_delete(wl_store *s, const uint8_t token[32], int64_t now)
{
    sqlite3_stmt *st = stmt(s, Q_SESSION_DEL);
    sqlite3_bind_blob(st, 1, token, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return step_done(st);
}

wl_rc wl_store_witness_get(wl_store *s, const char *origin, uint64_t *size, uint8_t root[32])
{
    sqlite3_stmt *st = stmt(s, Q_WIT_GET);
    int r;
    wl_rc rc = WL_OK;
    *size = 0;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
        *size = (uint64_t)sqlite3_column_int64(st, 0);
        memcpy(root, sqlite3_column_blob(st, 1), 32);
    } else {
        rc = r == SQLITE_DONE ? WL_ERR_NOT_FOUND : WL_ERR_CORRUPT;
    }
    sqlite3_reset(st);
    return rc;
}

wl_rc wl_store_witness_set(wl_store *s, const char *origin, uint64_t size, const uint8_t root[32],
                           const char *note, size_t len)
{
    sqlite3_stmt *st = stmt(s, Q_WIT_SET);
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
    sqlite3_bind_blob(st, 3, root, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, note, (int)len, SQLITE_STATIC);
    return step_done(st);
}

wl_rc wl_store_nonce_use(wl_store *s, const char *nonce, int64_t expires, int64_t now)
{
    sqlite3_stmt *st = stmt(s, Q_NONCE_PURGE);
    wl_rc rc;
    sqlite3_bind_int64(st, 1, now);
    if ((rc = step_done(st)) != WL_OK)
        return rc;
    st = stmt(s, Q_NONCE_PUT);
    sqlite3_bind_text(st, 1, nonce, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, expires);
    return step_done(st); /* WL_ERR_CONFLICT: seen before */
}

wl_rc wl_store_sealed_put(wl_store *s, const wl_sealed_rec *r)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_PUT);
    sqlite3_bind_blob(st, 1, r->commitment, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->author, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, r->salt, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, r->content, (int)r->content_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->readers, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, r->batch);
    sqlite3_bind_int64(st, 7, r->received);
    if (r->pledge[0])
        sqlite3_bind_text(st, 8, r->pledge, -1, SQLITE_STATIC);
    if (r->subject[0])
        sqlite3_bind_text(st, 9, r->subject, -1, SQLITE_STATIC);
    return step_done(st);
}

wl_rc wl_store_sealed_get(wl_store *s, const uint8_t commitment[32], wl_sealed_rec *r)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_GET);
    int rc;
    wl_rc ret = WL_OK;
    memset(r, 0, sizeof *r);
    sqlite3_bind_blob(st, 1, commitment, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
        memcpy(r->commitment, commitment, 32);
        col_str(st, 0, r->author, sizeof r->author);
        memcpy(r->salt, sqlite3_column_blob(st, 1), 32);
        r->content = col_dup(st, 2, &r->content_len);
        r->readers = col_dup(st, 3, NULL);
        r->batch = sqlite3_column_int64(st, 4);
        r->received = sqlite3_column_int64(st, 5);
        r->envelope = sqlite3_column_type(st, 6) == SQLITE_NULL
                          ? UINT64_MAX
                          : (uint64_t)sqlite3_column_int64(st, 6);
        col_str(st, 7, r->pledge, sizeof r->pledge);
        col_str(st, 8, r->subject, sizeof r->subject);
        if (r->content == NULL || r->readers == NULL) {
            wl_store_sealed_free(r);
            ret = WL_ERR_NOMEM;
        }
    } else {
        ret = rc == SQLITE_DONE ? WL_ERR_NOT_FOUND : WL_ERR_CORRUPT;
    }
    sqlite3_reset(st);
    return ret;
}

void wl_store_sealed_free(wl_sealed_rec *r)
{
    wl_free(r->content);
    wl_free(r->readers);
    r->content = NULL;
    r->readers = NULL;
}

/* Reads a statement's rows of one 32-byte commitment each, up to max. */
static wl_rc read_commitments(sqlite3_stmt *st, uint8_t (*out)[32], size_t max, size_t *n)
{
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        if (sqlite3_column_bytes(st, 0) == 32)
            memcpy(out[(*n)++], sqlite3_column_blob(st, 0), 32);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WL_OK : map_rc(rc);
}

wl_rc wl_store_sealed_due(wl_store *s, int64_t batch, uint8_t (*out)[32], size_t max, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_DUE);
    sqlite3_bind_int64(st, 1, batch);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_published(wl_store *s, const uint8_t commitment[32], uint64_t envelope)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_DONE);
    sqlite3_bind_blob(st, 1, commitment, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)envelope);
    return step_done(st);
}

wl_rc wl_store_pledge_author(wl_store *s, const char *pledge, char author[65])
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_OWNER);
    int rc;
    wl_rc ret = WL_OK;
    author[0] = '\0';
    sqlite3_bind_text(st, 1, pledge, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        col_str(st, 0, author, 65);
    else
        ret = rc == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(rc);
    sqlite3_reset(st);
    return ret;
}

wl_rc wl_store_sealed_all(wl_store *s, uint8_t (*out)[32], size_t max, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_ALL);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_about(wl_store *s, const char *member, uint8_t (*out)[32], size_t max,
                            size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_ABOUT);
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_mine(wl_store *s, const char *member, const uint8_t *after,
                           uint8_t (*out)[32], size_t max, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_MINE);
    sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
    if (after)
        sqlite3_bind_blob(st, 2, after, 32, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_each(wl_store *s, int64_t after, wl_sealed_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(s, Q_SEALED_EACH);
    int rc;
    wl_rc ret = WL_OK;
    sqlite3_bind_int64(st, 1, after);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char author[65];
        col_str(st, 1, author, sizeof author);
        ret = fn(ctx, sqlite3_column_int64(st, 0), author, sqlite3_column_blob(st, 2),
                 (size_t)sqlite3_column_bytes(st, 2), sqlite3_column_int64(st, 3));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != SQLITE_DONE)
        ret = map_rc(rc);
    sqlite3_reset(st);
    return ret;
}

wl_rc wl_store_requirement_put(wl_store *s, const char *id, const char *body, uint64_t set_idx)
{
    sqlite3_stmt *st = stmt(s, Q_REQ_PUT);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)set_idx);
    return step_done(st);
}

wl_rc wl_store_requirement_get(wl_store *s, const char *id, uint64_t *set_idx,
                               uint64_t *endorsed_idx)
{
    sqlite3_stmt *st = stmt(s, Q_REQ_GET);
    int rc;
    wl_rc ret = WL_OK;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *set_idx = (uint64_t)sqlite3_column_int64(st, 1);
        *endorsed_idx = sqlite3_column_type(st, 2) == SQLITE_NULL
                            ? UINT64_MAX
                            : (uint64_t)sqlite3_column_int64(st, 2);
    } else {
        ret = rc == SQLITE_DONE ? WL_ERR_NOT_FOUND : map_rc(rc);
    }
    sqlite3_reset(st);
    return ret;
}

wl_rc wl_store_requirement_endorse(wl_store *s, const char *id, uint64_t idx)
{
    sqlite3_stmt *st = stmt(s, Q_REQ_ENDORSE);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    return step_done(st);
}

wl_rc wl_store_requirements(wl_store *s, wl_requirement_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(s, Q_REQ_ALL);
    int rc;
    wl_rc ret = WL_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1), (uint64_t)sqlite3_column_int64(st, 2),
                 sqlite3_column_type(st, 3) == SQLITE_NULL ? UINT64_MAX
                                                           : (uint64_t)sqlite3_column_int64(st, 3));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != SQLITE_DONE)
        ret = map_rc(rc);
    sqlite3_reset(st);
    return ret;
}

wl_rc wl_store_fact_set(wl_store *s, const char *name, int recorded, uint64_t idx)
{
    sqlite3_stmt *st = stmt(s, Q_FACT_SET);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, recorded ? 1 : 0);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)idx);
    return step_done(st);
}

wl_rc wl_store_facts(wl_store *s, char ***names, size_t *n)
{
    sqlite3_stmt *st = stmt(s, Q_FACT_ALL);
    int rc;
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            char **nn = wl_realloc(*names, (cap ? cap * 2 : 8) * sizeof *nn);
            if (nn == NULL)
                break;
            *names = nn;
            cap = cap ? cap * 2 : 8;
        }
        (*names)[(*n)++] = col_dup(st, 0, NULL);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? WL_OK : WL_ERR_NOMEM;
}

wl_entry_query wl_entry_query_all(void)
{
    wl_entry_query q;
    memset(&q, 0, sizeof q);
    q.to = UINT64_MAX;
    q.until = INT64_MAX;
    q.limit = 1000;
    return q;
}

wl_rc wl_store_entries_query(wl_store *s, const wl_entry_query *q, wl_entry_fn fn, void *ctx)
{
    char text[512];
    size_t nk = 0, off;
    sqlite3_stmt *st = NULL;
    int rc, arg = 5;
    wl_rc ret = WL_OK;
    off = (size_t)snprintf(text, sizeof text,
                           "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 AND "
                           "time >= ?3 AND time < ?4");
    while (nk < 4 && q->kinds[nk])
        nk++;
    for (size_t i = 0; i < nk; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%s?%d", i ? ", " : " AND kind IN (",
                                arg + (int)i);
    if (nk)
        off += (size_t)snprintf(text + off, sizeof text - off, ")");
    if (q->author)
        off += (size_t)snprintf(text + off, sizeof text - off, " AND author = ?%d", arg + (int)nk);
    off += (size_t)snprintf(text + off, sizeof text - off, " ORDER BY idx %s",
                            q->newest_first ? "DESC" : "ASC");
    if (q->limit) /* 0: no limit */
        snprintf(text + off, sizeof text - off, " LIMIT %zu", q->limit);
    if (sqlite3_prepare_v2(s->db, text, -1, &st, NULL) != SQLITE_OK)
        return WL_ERR_IO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(q->from > INT64_MAX ? INT64_MAX : q->from));
    sqlite3_bind_int64(st, 2, (sqlite3_int64)(q->to > INT64_MAX ? INT64_MAX : q->to));
    sqlite3_bind_int64(st, 3, q->since);
    sqlite3_bind_int64(st, 4, q->until);
    for (size_t i = 0; i < nk; i++)
        sqlite3_bind_text(st, arg + (int)i, q->kinds[i], -1, SQLITE_STATIC);
    if (q->author)
        sqlite3_bind_text(st, arg + (int)nk, q->author, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = fn(ctx, (uint64_t)sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
                 (size_t)sqlite3_column_bytes(st, 1));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != SQLITE_DONE)
        ret = map_rc(rc);
    sqlite3_finalize(st);
    return ret;
}

wl_rc wl_store_entries_of_kind(wl_store *s, const char *kind, uint64_t from, wl_entry_fn fn,
                               void *ctx)
{
    wl_entry_query q = wl_entry_query_all();
    q.kinds[0] = kind;
    q.from = from;
    q.limit = 0;
    return wl_store_entries_query(s, &q, fn, ctx);
}

wl_rc wl_store_rows(wl_store *s, const char *table, int public_only, wl_row_fn fn, void *ctx)
{
    static const char *const tables[] = {"members", "keys", "requirements", "facts", NULL};
    char cols[1024] = "", text[1400];
    size_t off = 0;
    sqlite3_stmt *st = NULL;
    wl_rc rc = WL_OK;
    int r, known = 0;

    for (size_t i = 0; tables[i]; i++)
        known |= strcmp(table, tables[i]) == 0;
    if (!known)
        return WL_ERR_INVALID;
    /* every column, quoted, as one line of text: the same rows give the same lines */
    snprintf(text, sizeof text, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
    if (sqlite3_prepare_v2(s->db, text, -1, &st, NULL) != SQLITE_OK)
        return map_rc(sqlite3_errcode(s->db));
    while ((r = sqlite3_step(st)) == SQLITE_ROW && off < sizeof cols - 100)
        off += (size_t)snprintf(cols + off, sizeof cols - off, "%squote(\"%s\")",
                                off ? "||'|'||" : "", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (r != SQLITE_DONE || off == 0 || off >= sizeof cols - 100)
        return WL_ERR_CORRUPT;
    snprintf(text, sizeof text, "SELECT %s AS r FROM %s%s ORDER BY r", cols, table,
             public_only ? " WHERE sealed = 0" : "");
    if (sqlite3_prepare_v2(s->db, text, -1, &st, NULL) != SQLITE_OK)
        return map_rc(sqlite3_errcode(s->db));
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0))) != WL_OK)
            break;
    if (rc == WL_OK && r != SQLITE_DONE)
        rc = map_rc(r);
    sqlite3_finalize(st);
    return rc;
}

wl_rc wl_store_sealed_scan(wl_store *s, wl_sealed_rec_fn fn, void *ctx)
{
    /* a private statement: fn may call back into the store */
    sqlite3_stmt *st = NULL;
    wl_rc rc = WL_OK;
    int r;
    if (sqlite3_prepare_v2(s->db, sql[Q_SEALED_ALL], -1, &st, NULL) != SQLITE_OK)
        return map_rc(sqlite3_errcode(s->db));
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        wl_sealed_rec rec;
        uint8_t c[32] = {0};
        if (sqlite3_column_bytes(st, 0) == 32)
            memcpy(c, sqlite3_column_blob(st, 0), 32);
        rc = wl_store_sealed_get(s, c, &rec);
        if (rc == WL_OK) {
            rc = fn(ctx, &rec);
            wl_store_sealed_free(&rec);
        } else if (rc == WL_ERR_NOT_FOUND) {
            rc = WL_ERR_CORRUPT; /* a commitment that is not 32 bytes */
        }
        if (rc != WL_OK)
            break;
    }
    if (rc == WL_OK && r != SQLITE_DONE)
        rc = map_rc(r);
    sqlite3_finalize(st);
    return rc;
}

wl_rc wl_store_writable(wl_store *s, char *why, size_t cap)
{
    wl_rc rc;
    why[0] = '\0';
    if (sqlite3_db_readonly(s->db, "main") == 1) {
        snprintf(why, cap, "opened read-only: no write permission, or a read-only mount");
        return WL_ERR_IO;
    }
    /* a real commit: one WAL frame written and synced */
    rc = exec(s, "BEGIN IMMEDIATE; UPDATE meta SET v = v WHERE k = 'schema'; COMMIT");
    if (rc != WL_OK) {
        snprintf(why, cap, "%s", sqlite3_errmsg(s->db));
        wl_store_rollback(s);
    }
    return rc;
}

static wl_rc integrity_pragma(wl_store *s, const char *pragma, char *why, size_t cap)
{
    sqlite3_stmt *st = NULL;
    wl_rc rc = WL_OK;
    if (sqlite3_prepare_v2(s->db, pragma, -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, cap, "%s", sqlite3_errmsg(s->db));
        return WL_ERR_CORRUPT;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t == NULL || strcmp((const char *)t, "ok") != 0) {
            snprintf(why, cap, "SQLite integrity check: %s", t ? (const char *)t : "failed");
            rc = WL_ERR_CORRUPT;
        }
    } else {
        snprintf(why, cap, "%s", sqlite3_errmsg(s->db));
        rc = WL_ERR_CORRUPT;
    }
    sqlite3_finalize(st);
    return rc;
}

wl_rc wl_store_integrity(wl_store *s, char *why, size_t cap)
{
    return integrity_pragma(s, "PRAGMA integrity_check", why, cap);
}

wl_rc wl_store_quick_check(wl_store *s, char *why, size_t cap)
{
    return integrity_pragma(s, "PRAGMA quick_check", why, cap);
}
