/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite engine of db.h: a file ("" a private temporary file, ":memory:"
 * one in memory), in WAL mode with synchronous=FULL, so a commit returns only
 * once the WAL is synced. Each connection bounds its WAL (on_wal_commit), and
 * keeps at most one incremental blob handle (cell_read), closed at every
 * transaction's end. docs/internals/store.md has the design.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db_int.h"
#include "willing/wl.h"

typedef struct {
    const wl_db_ops *ops;
    sqlite3 *db;
    sqlite3_blob *cell; /* the open cell handle, inside a transaction only */
    char cell_table[32], cell_col[32];
    int page_size;
    int wal_tried; /* WAL frames at the last TRUNCATE checkpoint that readers kept waiting */
    int writer_fd; /* "<path>.writer", flocked: the writer's lock (writer_lock); -1 none */
} sq_db;

typedef struct {
    const wl_db_ops *ops;
    sqlite3_stmt *st;
    sq_db *db;
} sq_st;

static const wl_db_ops sq_ops;

static int code(int r)
{
    switch (r & 0xff) {
    case SQLITE_OK:
        return WL_DB_OK;
    case SQLITE_ROW:
        return WL_DB_ROW;
    case SQLITE_DONE:
        return WL_DB_DONE;
    case SQLITE_NOMEM:
        return WL_DB_NOMEM;
    case SQLITE_CONSTRAINT:
        return WL_DB_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return WL_DB_CORRUPT;
    case SQLITE_TOOBIG:
        return WL_DB_TOOBIG;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return WL_DB_BUSY;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
        return WL_DB_IO;
    case SQLITE_READONLY:
        return WL_DB_READONLY;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
        return WL_DB_MISUSE;
    default:
        return WL_DB_ERROR;
    }
}

#define DB(x) ((sq_db *)(x))
#define ST(x) (((sq_st *)(x))->st)

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
    sq_db *s = ctx;
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

static void sq_close(wl_db *d)
{
    sq_db *s = DB(d);
    if (s->cell)
        sqlite3_blob_close(s->cell);
    if (s->writer_fd >= 0)
        close(s->writer_fd); /* the writer's lock goes with it */
    sqlite3_close(s->db);
    wl_free(s);
}

/*
 * Once, before SQLite's first use in the process: no count of the memory it uses. Debian's
 * SQLite is built without lookaside memory, so each of its allocations is a malloc, and
 * with the count on each takes one mutex for the whole process: the readers of every
 * thread then wait on one another (16 clients of the flows summary were served no faster
 * than one, the daemon's time in that mutex and its futex calls). Nothing here reads the
 * count. If SQLite was started already, the call is refused and the count stays: slower,
 * still correct.
 */
static pthread_once_t configured = PTHREAD_ONCE_INIT;
static void configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int wl_sqlite_open(const char *path, int create, wl_db **out, char *why, size_t cap)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    sq_db *s = wl_calloc(1, sizeof *s);
    int r;
    if (s == NULL)
        return WL_DB_NOMEM;
    s->ops = &sq_ops;
    s->writer_fd = -1;
    pthread_once(&configured, configure);
    if (create) {
        /* the ledger file and its WAL are not for other users */
        mode_t old = umask(077);
        r = sqlite3_open_v2(path, &s->db, flags, NULL);
        umask(old);
    } else {
        r = sqlite3_open_v2(path, &s->db, flags, NULL);
    }
    if (r == SQLITE_OK) {
        sqlite3_busy_timeout(s->db, WL_BUSY_MS);
        sqlite3_extended_result_codes(s->db, 0);
        /*
         * journal_size_limit: a WAL that SQLite restarts is cut back to the bound too.
         * cache_spill: a transaction's changed pages stay in memory up to 128 MiB
         * (32,768 pages of 4 KiB) before SQLite writes them to the WAL mid-transaction;
         * with the 4 MiB cache as the threshold, a 100,000-row import wrote and read
         * back its random-keyed index pages about 90,000 times more (a syscall each).
         * Only a writer has changed pages; they are released at the commit.
         */
        r = sqlite3_exec(s->db,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                         "PRAGMA cache_size=-4096; PRAGMA cache_spill=32768;"
                         "PRAGMA journal_size_limit=16777216;",
                         NULL, NULL, NULL);
    }
    if (r == SQLITE_OK) {
        sqlite3_stmt *ps = NULL;
        s->page_size = 4096;
        if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &ps, NULL) == SQLITE_OK &&
            sqlite3_step(ps) == SQLITE_ROW)
            s->page_size = sqlite3_column_int(ps, 0);
        sqlite3_finalize(ps);
        sqlite3_wal_hook(s->db, on_wal_commit, s);
        *out = (wl_db *)s;
        return WL_DB_OK;
    }
    if (why && cap) /* the engine's words, and the system's: not just "an I/O error" */
        snprintf(why, cap, "%s%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(r),
                 s->db ? os_error(sqlite3_system_errno(s->db)) : "");
    sq_close((wl_db *)s);
    return code(r);
}

static const char *sq_errmsg(wl_db *d)
{
    return sqlite3_errmsg(DB(d)->db);
}

static int sq_errcode(wl_db *d)
{
    return code(sqlite3_errcode(DB(d)->db));
}

static int sq_exec(wl_db *d, const char *sql)
{
    return code(sqlite3_exec(DB(d)->db, sql, NULL, NULL, NULL));
}

static int sq_autocommit(wl_db *d)
{
    return sqlite3_get_autocommit(DB(d)->db);
}

static int64_t sq_changes(wl_db *d)
{
    return sqlite3_changes64(DB(d)->db);
}

static int sq_data_version(wl_db *d, unsigned *dv)
{
    return code(sqlite3_file_control(DB(d)->db, "main", SQLITE_FCNTL_DATA_VERSION, dv));
}

static void sq_cell_release(wl_db *d)
{
    sq_db *s = DB(d);
    if (s->cell) {
        sqlite3_blob_close(s->cell);
        s->cell = NULL;
    }
}

static int sq_begin(wl_db *d)
{
    return sq_exec(d, "BEGIN IMMEDIATE");
}

static int sq_begin_read(wl_db *d)
{
    return sq_exec(d, "BEGIN DEFERRED");
}

static int sq_commit(wl_db *d)
{
    sq_cell_release(d);
    return sq_exec(d, "COMMIT");
}

static int sq_rollback(wl_db *d)
{
    sq_cell_release(d);
    return sq_exec(d, "ROLLBACK");
}

static int sq_prepare(wl_db *d, const char *sql, int persistent, wl_st **out)
{
    sq_st *st = wl_calloc(1, sizeof *st);
    int r;
    if (st == NULL)
        return WL_DB_NOMEM;
    st->ops = &sq_ops;
    st->db = DB(d);
    r = sqlite3_prepare_v3(DB(d)->db, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st->st,
                           NULL);
    if (r != SQLITE_OK || st->st == NULL) {
        sqlite3_finalize(st->st);
        wl_free(st);
        return r == SQLITE_OK ? WL_DB_ERROR : code(r); /* no statement in the text */
    }
    *out = (wl_st *)st;
    return WL_DB_OK;
}

static void sq_finalize(wl_st *st)
{
    sqlite3_finalize(ST(st));
    wl_free(st);
}

static void sq_reset(wl_st *st)
{
    sqlite3_reset(ST(st));
}

static void sq_clear(wl_st *st)
{
    sqlite3_clear_bindings(ST(st));
}

static void sq_bind_int64(wl_st *st, int i, int64_t v)
{
    sqlite3_bind_int64(ST(st), i, v);
}

static void sq_bind_double(wl_st *st, int i, double v)
{
    sqlite3_bind_double(ST(st), i, v);
}

static void sq_bind_text(wl_st *st, int i, const char *p, int len, int copy)
{
    sqlite3_bind_text(ST(st), i, p, len, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void sq_bind_blob(wl_st *st, int i, const void *p, int len, int copy)
{
    sqlite3_bind_blob(ST(st), i, p, len, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void sq_bind_null(wl_st *st, int i)
{
    sqlite3_bind_null(ST(st), i);
}

static int sq_param_count(wl_st *st)
{
    return sqlite3_bind_parameter_count(ST(st));
}

static int sq_step(wl_st *st)
{
    return code(sqlite3_step(ST(st)));
}

static int sq_col_count(wl_st *st)
{
    return sqlite3_column_count(ST(st));
}

static int sq_col_type(wl_st *st, int c)
{
    switch (sqlite3_column_type(ST(st), c)) {
    case SQLITE_INTEGER:
        return WL_DB_INTEGER;
    case SQLITE_FLOAT:
        return WL_DB_FLOAT;
    case SQLITE_TEXT:
        return WL_DB_TEXT;
    case SQLITE_BLOB:
        return WL_DB_BLOB;
    default:
        return WL_DB_NULL;
    }
}

static int64_t sq_col_int64(wl_st *st, int c)
{
    return sqlite3_column_int64(ST(st), c);
}

static double sq_col_double(wl_st *st, int c)
{
    return sqlite3_column_double(ST(st), c);
}

static const char *sq_col_text(wl_st *st, int c)
{
    return (const char *)sqlite3_column_text(ST(st), c);
}

static const void *sq_col_blob(wl_st *st, int c)
{
    return sqlite3_column_blob(ST(st), c);
}

static int sq_col_bytes(wl_st *st, int c)
{
    return sqlite3_column_bytes(ST(st), c);
}

/*
 * SQLite's incremental blob I/O: only the pages that hold the slice are read.
 * key is the table's INTEGER PRIMARY KEY (the rowid). Inside a transaction the
 * handle stays open and moves from row to row; outside one it is closed
 * before returning (an open handle holds a read snapshot).
 */
static int sq_cell_read(wl_db *d, const char *table, const char *col, const char *key, int64_t id,
                        size_t offset, size_t len, void *out, size_t *total)
{
    sq_db *s = DB(d);
    int r, n;
    (void)key;
    if (total)
        *total = 0;
    if (s->cell && (strcmp(s->cell_table, table) != 0 || strcmp(s->cell_col, col) != 0))
        sq_cell_release(d);
    r = s->cell ? sqlite3_blob_reopen(s->cell, id)
                : sqlite3_blob_open(s->db, "main", table, col, id, 0, &s->cell);
    if (r != SQLITE_OK) {
        /* no such row, or a stale handle: start afresh next time */
        sq_cell_release(d);
        return r == SQLITE_ERROR ? WL_DB_DONE : code(r);
    }
    snprintf(s->cell_table, sizeof s->cell_table, "%s", table);
    snprintf(s->cell_col, sizeof s->cell_col, "%s", col);
    n = sqlite3_blob_bytes(s->cell);
    if (total)
        *total = (size_t)n;
    if (offset > (size_t)n || len > (size_t)n - offset)
        r = SQLITE_RANGE;
    else if (len)
        r = sqlite3_blob_read(s->cell, out, (int)len, (int)offset);
    if (r != SQLITE_OK || sqlite3_get_autocommit(s->db))
        sq_cell_release(d);
    return code(r);
}

static int sq_save_copy(wl_db *d, const char *path)
{
    sqlite3_stmt *st = NULL;
    int r = sqlite3_prepare_v2(DB(d)->db, "VACUUM INTO ?", -1, &st, NULL);
    if (r != SQLITE_OK)
        return code(r);
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? WL_DB_OK : code(r);
}

static int sq_load_copy(wl_db *dst, wl_db *src)
{
    sqlite3_backup *b = sqlite3_backup_init(DB(dst)->db, "main", DB(src)->db, "main");
    int r;
    if (b == NULL)
        return code(sqlite3_errcode(DB(dst)->db));
    r = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    return r == SQLITE_DONE ? WL_DB_OK : code(r);
}

static int sq_check(wl_db *d, int quick, char *why, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc = WL_DB_OK;
    why[0] = '\0';
    if (sqlite3_prepare_v2(DB(d)->db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t == NULL || strcmp((const char *)t, "ok") != 0) {
            snprintf(why, cap, "SQLite integrity check: %s", t ? (const char *)t : "failed");
            rc = WL_DB_CORRUPT;
        }
    } else {
        snprintf(why, cap, "%s", sqlite3_errmsg(DB(d)->db));
        rc = WL_DB_CORRUPT;
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_readonly(wl_db *d)
{
    return sqlite3_db_readonly(DB(d)->db, "main") == 1;
}

/*
 * The writer's lock: an flock on "<path>.writer" (made 0600 if missing), held
 * by this connection's descriptor of it, so by this connection alone, until it
 * closes or the process dies. A file without a name ("", ":memory:") has no
 * other writer.
 */
static int sq_writer_lock(wl_db *d, int wait, char *why, size_t cap)
{
    sq_db *s = DB(d);
    const char *path = sqlite3_db_filename(s->db, "main");
    char *side;
    size_t n;
    int fd, r;
    if (s->writer_fd >= 0 || path == NULL || path[0] == '\0')
        return WL_DB_OK;
    n = strlen(path) + sizeof ".writer";
    if ((side = wl_malloc(n)) == NULL)
        return WL_DB_NOMEM;
    snprintf(side, n, "%s.writer", path);
    fd = open(side, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (why && cap)
            snprintf(why, cap, "cannot open %s: %s", side, strerror(errno));
        wl_free(side);
        return WL_DB_IO;
    }
    while ((r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) != 0 && errno == EINTR)
        ;
    if (r != 0) {
        int busy = errno == EWOULDBLOCK;
        if (why && cap)
            snprintf(why, cap, busy ? "%s is locked by another writer" : "cannot lock %s: %s", side,
                     strerror(errno));
        close(fd);
        wl_free(side);
        return busy ? WL_DB_BUSY : WL_DB_IO;
    }
    wl_free(side);
    s->writer_fd = fd;
    return WL_DB_OK;
}

static int sq_columns(wl_db *d, const char *table, int (*fn)(void *ctx, const char *name),
                      void *ctx)
{
    sqlite3_stmt *st = NULL;
    int r, n = 0, rc = WL_DB_OK;
    if ((r = sqlite3_prepare_v2(DB(d)->db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                                -1, &st, NULL)) != SQLITE_OK)
        return code(r);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && rc == WL_DB_OK) {
        rc = fn(ctx, (const char *)sqlite3_column_text(st, 0));
        n++;
    }
    sqlite3_finalize(st);
    if (rc != WL_DB_OK)
        return rc;
    return r != SQLITE_DONE ? code(r) : n == 0 ? WL_DB_ERROR : WL_DB_OK;
}

static const wl_db_ops sq_ops = {
    .engine = WL_DB_SQLITE,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .errcode = sq_errcode,
    .exec = sq_exec,
    .autocommit = sq_autocommit,
    .changes = sq_changes,
    .data_version = sq_data_version,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .clear = sq_clear,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .param_count = sq_param_count,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_type = sq_col_type,
    .col_int64 = sq_col_int64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_bytes = sq_col_bytes,
    .cell_read = sq_cell_read,
    .cell_release = sq_cell_release,
    .save_copy = sq_save_copy,
    .load_copy = sq_load_copy,
    .check = sq_check,
    .readonly = sq_readonly,
    .writer_lock = sq_writer_lock,
    .columns = sq_columns,
};
