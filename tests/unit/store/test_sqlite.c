/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite store on real files: create and reopen, file mode 0600, meta,
 * entries and hash ranges, refusal of a file that is not a ledger and of a
 * truncated one, that a rolled-back transaction leaves nothing, and a round's
 * writes (one failing alone, rolled back to its savepoint). Against
 * PostgreSQL (ctest's pg.unit.*) the same on fresh databases (testdb.h), but
 * for what is about files: the mode, a missing file, junk and truncation.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "testdb.h"

static char dir[32]; /* "/tmp/wl-store-" and mkdtemp's six template letters */

static void path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void test_create_reopen(void **state)
{
    char p[256], *v = NULL, *data = NULL;
    const char *t;
    wl_store *s;
    struct stat st;
    uint8_t leaf[32] = {1}, h[64];
    size_t len;
    uint64_t size;
    wl_stored_entry e = {0, "hello", 5, leaf, "statement", "gb", 1, 2};
    (void)state;
    path(p, sizeof p, "a.db");
    t = wl_test_db(p);
    if (!wl_test_pg()) {
        assert_int_equal(wl_store_open(p, 0, &s), WL_ERR_NOT_FOUND);
        assert_int_equal(wl_store_open(p, 1, &s), WL_OK);
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    } else {
        assert_int_equal(wl_store_open(t, 1, &s), WL_OK);
    }
    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_meta_set(s, "origin", "x"), WL_OK);
    assert_int_equal(wl_store_append(s, &e), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 0, leaf), WL_OK);
    assert_int_equal(wl_store_commit(s), WL_OK);
    /* a rolled-back append leaves nothing */
    assert_int_equal(wl_store_begin(s), WL_OK);
    e.index = 1;
    e.seq = 2;
    assert_int_equal(wl_store_append(s, &e), WL_OK);
    wl_store_rollback(s);
    wl_store_close(s);

    assert_int_equal(wl_store_open(t, 0, &s), WL_OK);
    assert_int_equal(wl_store_meta_get(s, "origin", &v), WL_OK);
    assert_string_equal(v, "x");
    wl_free(v);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 1);
    assert_int_equal(wl_store_entry(s, 0, &data, &len, NULL, NULL, NULL, NULL), WL_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "hello", 5);
    wl_free(data);
    assert_int_equal(wl_store_hash_range(s, 0, 0, 1, h), WL_OK);
    assert_int_equal(wl_store_hash_range(s, 0, 0, 2, h), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_store_entry(s, 9, &data, &len, NULL, NULL, NULL, NULL), WL_ERR_NOT_FOUND);
    wl_store_close(s);
}

static void test_not_a_ledger(void **state)
{
    char p[256];
    wl_store *s;
    int fd;
    (void)state;
    if (wl_test_pg())
        skip();
    path(p, sizeof p, "junk.db");
    fd = open(p, O_WRONLY | O_CREAT, 0600);
    assert_true(write(fd, "this is not a database at all, not even close........", 52) == 52);
    close(fd);
    assert_int_not_equal(wl_store_open(p, 0, &s), WL_OK);
}

static void test_truncated(void **state)
{
    char p[256], cmd[600];
    wl_store *s;
    uint8_t leaf[32] = {0};
    wl_rc rc;
    (void)state;
    if (wl_test_pg())
        skip();
    path(p, sizeof p, "t.db");
    assert_int_equal(wl_store_open(p, 1, &s), WL_OK);
    assert_int_equal(wl_store_begin(s), WL_OK);
    for (uint64_t i = 0; i < 2000; i++) {
        char d[300];
        memset(d, 'a' + (int)(i % 26), sizeof d);
        wl_stored_entry e = {i, d, sizeof d, leaf, "statement", "gb", i, 0};
        assert_int_equal(wl_store_append(s, &e), WL_OK);
    }
    assert_int_equal(wl_store_commit(s), WL_OK);
    wl_store_close(s); /* checkpoints the WAL into the file */
    snprintf(cmd, sizeof cmd, "truncate -s 8192 %s", p);
    assert_int_equal(system(cmd), 0);
    rc = wl_store_open(p, 0, &s);
    if (rc == WL_OK) {
        uint64_t size = 0;
        char why[256];
        /* the header may survive; reading or the integrity check must not */
        rc = wl_store_size(s, &size);
        if (rc == WL_OK)
            rc = wl_store_integrity(s, why, sizeof why);
        wl_store_close(s);
    }
    assert_int_not_equal(rc, WL_OK);
}

/* Another version's ledger: its own error, not "damaged". */
static void test_other_version(void **state)
{
    char p[256];
    const char *t;
    wl_store *s;
    (void)state;
    path(p, sizeof p, "v.db");
    t = wl_test_db(p);
    assert_int_equal(wl_store_open(t, 1, &s), WL_OK);
    assert_int_equal(wl_store_meta_set(s, "schema", "1"), WL_OK);
    wl_store_close(s);
    assert_int_equal(wl_store_open(t, 0, &s), WL_ERR_VERSION);
}

/* Console sessions: put, get, expiry, deletion (which also purges expired ones). */
/* Appends entry i (one byte of data) on w, committed. */
static void append_one(wl_store *w, uint64_t i)
{
    uint8_t leaf[32] = {0};
    wl_stored_entry e = {i, "x", 1, leaf, "statement", "gb", i, 0};
    assert_int_equal(wl_store_begin(w), WL_OK);
    assert_int_equal(wl_store_append(w, &e), WL_OK);
    assert_int_equal(wl_store_commit(w), WL_OK);
}

/*
 * Issue 14, point 1: a read of a tile blob, inside a read transaction or
 * alone, leaves no snapshot behind: another connection's later commit is
 * seen by the very next read.
 */
static void test_reads_see_later_commits(void **state)
{
    char p[256];
    const char *t;
    wl_store *w, *r;
    static uint8_t blob[WL_TILE_BLOB_BYTES];
    uint8_t h[32];
    uint64_t size;
    (void)state;
    path(p, sizeof p, "fresh.db");
    t = wl_test_db(p);
    assert_int_equal(wl_store_open(t, 1, &w), WL_OK);
    assert_int_equal(wl_store_meta_set(w, "origin", "x"), WL_OK);
    assert_int_equal(wl_store_open(t, 0, &r), WL_OK);
    memset(blob, 7, sizeof blob);
    assert_int_equal(wl_store_begin(w), WL_OK);
    assert_int_equal(wl_store_tile_put(w, 0, 0, blob), WL_OK);
    assert_int_equal(wl_store_commit(w), WL_OK);
    append_one(w, 0);

    /* a blob read on its own */
    assert_int_equal(wl_store_tile_read(r, 0, 0, 32, 32, h), WL_OK);
    assert_int_equal(h[0], 7);
    append_one(w, 1);
    assert_int_equal(wl_store_size(r, &size), WL_OK);
    assert_int_equal(size, 2);

    /* blob reads inside a read transaction, as a proof does */
    assert_int_equal(wl_store_begin_read(r), WL_OK);
    assert_int_equal(wl_store_tile_read(r, 0, 0, 0, 32, h), WL_OK);
    assert_int_equal(wl_store_tile_read(r, 0, 0, 64, 32, h), WL_OK);
    assert_int_equal(wl_store_tile_read(r, 0, 1, 0, 32, h), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_store_tile_read(r, 0, 0, 96, 32, h), WL_OK);
    assert_int_equal(wl_store_commit(r), WL_OK);
    append_one(w, 2);
    assert_int_equal(wl_store_size(r, &size), WL_OK);
    assert_int_equal(size, 3);
    wl_store_close(r);
    wl_store_close(w);
}

static void test_sessions(void **state)
{
    char p[256], member[65], csrf[65];
    uint8_t a[32], b[32];
    uint32_t kid = 0;
    int64_t exp = 0;
    wl_store *s;
    (void)state;
    path(p, sizeof p, "sess.db");
    memset(a, 1, sizeof a);
    memset(b, 2, sizeof b);
    assert_int_equal(wl_store_open(wl_test_db(p), 1, &s), WL_OK);
    assert_int_equal(wl_store_session_put(s, a, "xa", 0x1234abcd, "tok-a", 2000), WL_OK);
    assert_int_equal(wl_store_session_put(s, b, "gb", 7, "tok-b", 100), WL_OK);
    assert_int_equal(wl_store_session_put(s, a, "zz", 1, "again", 3000), WL_ERR_CONFLICT);
    assert_int_equal(wl_store_session_get(s, a, member, &kid, csrf, &exp), WL_OK);
    assert_string_equal(member, "xa");
    assert_string_equal(csrf, "tok-a");
    assert_int_equal(kid, 0x1234abcd);
    assert_int_equal(exp, 2000);
    /* deleting a at time 1000 also purges b, expired at 100 */
    assert_int_equal(wl_store_session_delete(s, a, 1000), WL_OK);
    assert_int_equal(wl_store_session_get(s, a, member, &kid, csrf, &exp), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_store_session_get(s, b, member, &kid, csrf, &exp), WL_ERR_NOT_FOUND);
    wl_store_close(s);
}

/*
 * Keys kept between requests (wl_store_keep_keys): while the caller's generation stays, a
 * key another connection revoked is still answered as read (the caller vouched nothing
 * changed); a new generation, or keeping none, reads it again; a write of keys on the
 * connection itself forgets what was kept.
 */
static void test_keys_kept(void **state)
{
    char p[256];
    const char *db;
    wl_store *s, *w;
    wl_member m;
    wl_member_key k, out[2];
    size_t n = 0;
    (void)state;
    path(p, sizeof p, "kept.db");
    db = wl_test_db(p);
    assert_int_equal(wl_store_open(db, 1, &w), WL_OK);
    assert_int_equal(wl_store_open(db, 0, &s), WL_OK);
    memset(&m, 0, sizeof m);
    memcpy(m.id, "gb", 3);
    memcpy(m.role, "member", 7);
    assert_int_equal(wl_store_member_put(w, &m), WL_OK);
    memset(&k, 0, sizeof k);
    memcpy(k.member, "gb", 3);
    memcpy(k.scope, "sign", 5);
    k.pk[0] = 7;
    assert_int_equal(wl_store_key_put(w, &k), WL_OK);

    wl_store_keep_keys(s, 1, 1);
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_OK);
    assert_int_equal(n, 1);
    assert_true(out[0].revoked == UINT64_MAX);
    assert_int_equal(wl_store_key_revoke(w, "gb", k.pk, 5), WL_OK);
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_OK);
    assert_true(out[0].revoked == UINT64_MAX); /* kept: generation 1 still */
    wl_store_keep_keys(s, 1, 2);
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].revoked, 5);

    k.pk[0] = 8; /* a write on s itself: what it kept is forgotten */
    assert_int_equal(wl_store_key_put(s, &k), WL_OK);
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(wl_store_key_revoke(w, "gb", k.pk, 6), WL_OK);
    wl_store_keep_keys(s, 0, 2); /* none kept: read every time */
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_OK);
    assert_int_equal(n, 2);
    assert_true(out[0].revoked != UINT64_MAX && out[1].revoked != UINT64_MAX);
    wl_store_close(s);
    wl_store_close(w);
}

/*
 * The writer's connection keeps what a commit left (the log's size, the tree's edge, the
 * keys and members read) for its next transaction: no other writer can have changed it. A
 * connection that writes anyway, without the writer's lock, moves the size: the writer's
 * next append at the size kept fails, and the rollback drops what was kept. A connection
 * without the lock keeps nothing between its transactions.
 */
static void test_kept_between(void **state)
{
    char p[256], why[200];
    const char *db;
    wl_store *w, *o;
    uint8_t h[32] = {3};
    uint64_t size = 0;
    wl_stored_entry e0 = {0, "a", 1, h, "statement", "gb", 1, 1};
    wl_stored_entry e1 = {1, "b", 1, h, "statement", "gb", 2, 1};
    wl_stored_entry e2 = {1, "c", 1, h, "statement", "gb", 3, 1};
    (void)state;
    path(p, sizeof p, "between.db");
    db = wl_test_db(p);
    assert_int_equal(wl_store_open(db, 1, &w), WL_OK);
    assert_int_equal(wl_store_writer_lock(w, 0, why, sizeof why), WL_OK);
    assert_int_equal(wl_store_open(db, 0, &o), WL_OK);
    assert_int_equal(wl_store_begin(w), WL_OK);
    assert_int_equal(wl_store_size(w, &size), WL_OK);
    assert_int_equal(size, 0);
    assert_int_equal(wl_store_append(w, &e0), WL_OK);
    assert_int_equal(wl_store_commit(w), WL_OK);

    assert_int_equal(wl_store_begin(o), WL_OK); /* a write the lock did not stop */
    assert_int_equal(wl_store_size(o, &size), WL_OK);
    assert_int_equal(size, 1);
    assert_int_equal(wl_store_append(o, &e1), WL_OK);
    assert_int_equal(wl_store_commit(o), WL_OK);

    assert_int_equal(wl_store_begin(w), WL_OK);
    assert_int_equal(wl_store_size(w, &size), WL_OK);
    assert_int_equal(size, 1);            /* kept from its commit: not asked again */
    if (wl_store_append(w, &e2) == WL_OK) /* index 1 is taken: now, or at the commit */
        assert_int_not_equal(wl_store_commit(w), WL_OK);
    if (wl_store_in_transaction(w))
        wl_store_rollback(w);
    assert_int_equal(wl_store_begin(w), WL_OK);
    assert_int_equal(wl_store_size(w, &size), WL_OK);
    assert_int_equal(size, 2); /* read again */
    e2.index = 2;
    assert_int_equal(wl_store_append(w, &e2), WL_OK);
    assert_int_equal(wl_store_commit(w), WL_OK);

    assert_int_equal(wl_store_begin(o), WL_OK);
    assert_int_equal(wl_store_size(o, &size), WL_OK);
    assert_int_equal(size, 3); /* no lock: read every time */
    wl_store_rollback(o);
    wl_store_close(o);
    wl_store_close(w);
}

/*
 * SQLite does not count the memory it uses (db_sqlite.c): with the count on, each of its
 * allocations took one mutex for the whole process, and readers on other threads waited
 * on one another. A store opened and read leaves the count at zero.
 */
static void test_no_memory_count(void **state)
{
    char p[256];
    wl_store *s;
    uint64_t size = 1;
    (void)state;
    path(p, sizeof p, "count.db"); /* a SQLite file whichever engine the suite is given */
    assert_int_equal(wl_store_open(p, 1, &s), WL_OK);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 0);
    assert_int_equal(sqlite3_memory_used(), 0);
    wl_store_close(s);
}

/*
 * Hashes put in a write transaction (on PostgreSQL held and sent together at the next read
 * of hashes, savepoint, release or commit) are read back in it, undone with their
 * savepoint, and one that fails (its place taken) fails the commit: nothing is stored.
 */
static void test_hashes_held(void **state)
{
    char p[256];
    wl_store *s;
    uint8_t a[32] = {1}, b[32] = {2}, c[32] = {3}, h[32], r[64];
    wl_stored_entry e = {0, "one", 3, a, "statement", "gb", 1, 2};
    uint64_t size = 9;
    (void)state;
    path(p, sizeof p, "held.db");
    assert_int_equal(wl_store_open(wl_test_db(p), 1, &s), WL_OK);
    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 0, a), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 2, b), WL_OK);
    assert_int_equal(wl_store_hash_get(s, 0, 0, h), WL_OK); /* not the edge's: the engine's */
    assert_memory_equal(h, a, 32);
    assert_int_equal(wl_store_hash_put(s, 0, 1, c), WL_OK);
    assert_int_equal(wl_store_hash_range(s, 0, 0, 2, r), WL_OK);
    assert_memory_equal(r, a, 32);
    assert_memory_equal(r + 32, c, 32);
    assert_int_equal(wl_store_savepoint(s), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 3, a), WL_OK);
    wl_store_rollback_to(s);
    assert_int_equal(wl_store_hash_put(s, 0, 4, b), WL_OK);
    assert_int_equal(wl_store_commit(s), WL_OK);
    assert_int_equal(wl_store_hash_get(s, 0, 3, h), WL_ERR_NOT_FOUND);
    assert_int_equal(wl_store_hash_get(s, 0, 4, h), WL_OK);
    assert_memory_equal(h, b, 32);

    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_append(s, &e), WL_OK);
    if (wl_store_hash_put(s, 0, 1, a) == WL_OK) /* taken: now, or at the commit */
        assert_int_not_equal(wl_store_commit(s), WL_OK);
    if (wl_store_in_transaction(s))
        wl_store_rollback(s);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 0);
    assert_int_equal(wl_store_hash_get(s, 0, 1, h), WL_OK);
    assert_memory_equal(h, c, 32);
    wl_store_close(s);
}

/*
 * A round's writes as the sequencer makes them (docs/internals/store.md, "A round in few
 * round trips"): the log's size and the tree's edge kept in the transaction, and on
 * PostgreSQL the writes sent in a pipeline. An entry whose write fails (its index taken)
 * fails by its release at the latest, alone: rolled back to its savepoint, the next
 * entry and the commit go on. A commit after a failed write not rolled back stores nothing.
 */
static void test_round_writes(void **state)
{
    char p[256], *data = NULL;
    wl_store *s;
    uint8_t one[32] = {1}, two[32] = {2}, h[32];
    uint64_t size = 0;
    size_t len = 0;
    wl_stored_entry e = {0, "one", 3, one, "statement", "gb", 1, 2};
    wl_stored_entry dup = {0, "dup", 3, two, "statement", "gb", 2, 2};
    wl_stored_entry next = {1, "two", 3, two, "statement", "gb", 3, 2};
    (void)state;
    path(p, sizeof p, "round.db");
    assert_int_equal(wl_store_open(wl_test_db(p), 1, &s), WL_OK);
    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_append(s, &e), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 0, one), WL_OK);
    assert_int_equal(wl_store_commit(s), WL_OK);

    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 1);
    assert_int_equal(wl_store_savepoint(s), WL_OK);
    if (wl_store_append(s, &dup) == WL_OK) /* sent later: its release tells */
        assert_int_not_equal(wl_store_release(s), WL_OK);
    wl_store_rollback_to(s);
    assert_true(wl_store_in_transaction(s));
    assert_int_equal(wl_store_savepoint(s), WL_OK);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 1);
    assert_int_equal(wl_store_append(s, &next), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 1, two), WL_OK);
    assert_int_equal(wl_store_hash_get(s, 0, 0, h), WL_OK);
    assert_memory_equal(h, one, 32);
    assert_int_equal(wl_store_release(s), WL_OK);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 2);
    assert_int_equal(wl_store_commit(s), WL_OK);

    assert_int_equal(wl_store_begin(s), WL_OK);
    if (wl_store_append(s, &dup) == WL_OK) /* sent later: the commit tells */
        assert_int_not_equal(wl_store_commit(s), WL_OK);
    if (wl_store_in_transaction(s))
        wl_store_rollback(s);
    assert_int_equal(wl_store_size(s, &size), WL_OK);
    assert_int_equal(size, 2);
    assert_int_equal(wl_store_entry(s, 0, &data, &len, NULL, NULL, NULL, NULL), WL_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "one", 3);
    wl_free(data);
    assert_int_equal(wl_store_hash_get(s, 0, 1, h), WL_OK);
    assert_memory_equal(h, two, 32);

    /* the round's (author, seq) looked up at once: held, not held, then appended */
    {
        const char *authors[3] = {"gb", "gb", "gb"};
        const uint64_t seqs[3] = {1, 3, 9};
        wl_stored_entry late = {2, "new", 3, two, "statement", "gb", 9, 2};
        uint64_t idx = 0;
        assert_int_equal(wl_store_begin(s), WL_OK);
        assert_int_equal(wl_store_find_seq_many(s, authors, seqs, 3), WL_OK);
        assert_int_equal(wl_store_find_seq(s, "gb", 3, &idx, &data, &len), WL_OK);
        assert_int_equal(idx, 1);
        wl_free(data);
        assert_int_equal(wl_store_find_seq(s, "gb", 9, &idx, &data, &len), WL_ERR_NOT_FOUND);
        assert_int_equal(wl_store_append(s, &late), WL_OK);
        assert_int_equal(wl_store_find_seq(s, "gb", 9, &idx, &data, &len), WL_OK);
        assert_int_equal(idx, 2);
        assert_memory_equal(data, "new", 3);
        wl_free(data);
        wl_store_rollback(s);
    }
    /* any bytes in an author (PostgreSQL's arrays quote them), more pairs than one statement's */
    {
        const char *authors[40], *odd_author = "q\"\\x";
        uint64_t seqs[40], idx = 0;
        wl_stored_entry odd = {2, "odd", 3, two, "statement", odd_author, 7, 2};
        assert_int_equal(wl_store_begin(s), WL_OK);
        assert_int_equal(wl_store_append(s, &odd), WL_OK);
        assert_int_equal(wl_store_commit(s), WL_OK);
        for (size_t i = 0; i < 40; i++) {
            authors[i] = i == 37 ? odd_author : "gb";
            seqs[i] = i == 37 ? 7 : i == 38 ? 3 : 100 + i;
        }
        assert_int_equal(wl_store_begin(s), WL_OK);
        assert_int_equal(wl_store_find_seq_many(s, authors, seqs, 40), WL_OK);
        assert_int_equal(wl_store_find_seq(s, odd_author, 7, &idx, &data, &len), WL_OK);
        assert_int_equal(idx, 2);
        wl_free(data);
        assert_int_equal(wl_store_find_seq(s, "gb", 3, &idx, &data, &len), WL_OK);
        assert_int_equal(idx, 1);
        wl_free(data);
        assert_int_equal(wl_store_find_seq(s, "gb", 100, &idx, &data, &len), WL_ERR_NOT_FOUND);
        wl_store_rollback(s);
    }
    wl_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_reopen),   cmocka_unit_test(test_not_a_ledger),
        cmocka_unit_test(test_truncated),       cmocka_unit_test(test_other_version),
        cmocka_unit_test(test_sessions),        cmocka_unit_test(test_reads_see_later_commits),
        cmocka_unit_test(test_round_writes),    cmocka_unit_test(test_keys_kept),
        cmocka_unit_test(test_kept_between),    cmocka_unit_test(test_hashes_held),
        cmocka_unit_test(test_no_memory_count),
    };
    int r;
    memcpy(dir, "/tmp/wl-store-", 14);
    memset(dir + 14, 'X', 6);
    dir[20] = '\0';
    if (mkdtemp(dir) == NULL)
        return 1;
    r = cmocka_run_group_tests(tests, NULL, NULL);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return r;
}
