/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_store_copy (store.h, lib/store/store_copy.c), SQLite to SQLite: its list
 * of tables is the schema's (every table, each read in order of its primary
 * key, or of its rowid); a ledger whose every table holds rows (a real log,
 * and rows of every type in the tables it leaves empty: integers, reals,
 * text with quotes, bytes, empty bytes, NULL) is copied whole, every row the
 * same, in the same order; a target that is not empty is refused with nothing
 * written; a failure of the target mid-copy, a stop asked by the progress
 * callback and every allocation failing in turn each end in an error, never
 * a crash, a leak or an OK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/db.h"
#include "store/store.h"
#include "willing/ledger.h"

#define ORIGIN "example.org/copy"

static wl_key logk, opk, gbk;
static char dir[32] = "/tmp/wl-copy-XXXXXX";
static unsigned serial;

/* A new file name in the test's directory. */
static const char *fresh(char *out, size_t cap)
{
    snprintf(out, cap, "%s/%u.db", dir, ++serial);
    return out;
}

/* Runs sql on the file at path through db.h, asserting it worked. */
static void run_sql(const char *path, const char *sql)
{
    wl_db *db = NULL;
    assert_int_equal(wl_db_open(path, 0, &db, NULL, 0), WL_DB_OK);
    if (wl_db_exec(db, sql) != WL_DB_OK)
        fail_msg("%s: %s", sql, wl_db_errmsg(db));
    wl_db_close(db);
}

static void sequence(wl_store *s, const wl_key *k, const char *author, uint64_t seq,
                     const char *kind, const char *body)
{
    wl_error err = {0};
    wl_pending p;
    char *e = NULL;
    size_t len = 0;
    uint64_t idx = 0;
    int existed = 0;
    assert_int_equal(wl_entry_build(ORIGIN, kind, author, seq, 1741392000, body, k, &e, &len),
                     WL_OK);
    assert_int_equal(wl_ledger_precheck(s, ORIGIN, e, len, &p, &err), WL_OK);
    assert_int_equal(wl_ledger_sequence(s, &p, &idx, &existed, &err), WL_OK);
    wl_pending_clear(&p);
    wl_free(e);
}

static void member(wl_store *s, uint64_t seq, const char *id, const char *role, const wl_key *k)
{
    char body[300], b64[45];
    wl_b64_encode(k->pk, 32, b64);
    snprintf(body, sizeof body,
             "{\"member\":\"%s\",\"name\":\"%s\",\"role\":\"%s\",\"key\":\"%s\","
             "\"scope\":\"sign\"}",
             id, id, role, b64);
    sequence(s, &opk, "op", seq, "member.add", body);
}

/* A real log of n statements (so 256 or more fill a tile) with its checkpoint, at path. */
static void make_log(const char *path, unsigned n)
{
    wl_store *s = NULL;
    char body[80], *note = NULL;
    size_t nlen = 0;
    uint64_t size = 0;
    assert_int_equal(wl_store_open(path, 1, &s), WL_OK);
    assert_int_equal(wl_store_begin(s), WL_OK);
    assert_int_equal(wl_store_meta_set(s, "origin", ORIGIN), WL_OK);
    member(s, 1, "op", "operator", &opk);
    member(s, 2, "gb", "coordinator", &gbk);
    for (unsigned i = 1; i <= n; i++) {
        snprintf(body, sizeof body, "{\"text\":\"statement %u\"}", i);
        sequence(s, &gbk, "gb", i, "statement", body);
    }
    assert_int_equal(wl_ledger_checkpoint(s, ORIGIN, &logk, 1741392000, &size, &note, &nlen),
                     WL_OK);
    assert_int_equal(wl_store_commit(s), WL_OK);
    wl_free(note);
    wl_store_close(s);
}

/* The columns of a table as SQLite declares them (for the rows made up below). */
typedef struct {
    char name[64], type[16];
    int notnull, pk;
} column;

static size_t columns(wl_db *db, const char *table, column *c, size_t cap)
{
    wl_st *st = NULL;
    size_t n = 0;
    assert_int_equal(
        wl_st_prepare(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)", 0, &st),
        WL_DB_OK);
    wl_st_bind_text(st, 1, table, -1);
    while (wl_st_step(st) == WL_DB_ROW && n < cap) {
        snprintf(c[n].name, sizeof c[n].name, "%s", wl_st_col_text(st, 0));
        snprintf(c[n].type, sizeof c[n].type, "%s", wl_st_col_text(st, 1));
        c[n].notnull = wl_st_col_int(st, 2);
        c[n].pk = wl_st_col_int(st, 3);
        n++;
    }
    wl_st_finalize(st);
    return n;
}

static int64_t count(wl_db *db, const char *table)
{
    char sql[128];
    wl_st *st = NULL;
    int64_t n;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    assert_int_equal(wl_st_prepare(db, sql, 0, &st), WL_DB_OK);
    assert_int_equal(wl_st_step(st), WL_DB_ROW);
    n = wl_st_col_int64(st, 0);
    wl_st_finalize(st);
    return n;
}

/*
 * Three made-up rows in every table the log left empty, of every type: the
 * rows' order by rowid is not their keys' (inserted from the last key), so a
 * copy that lost the rowid order shows.
 */
static void fill_empty_tables(const char *path)
{
    wl_db *db = NULL;
    const char *t;
    assert_int_equal(wl_db_open(path, 0, &db, NULL, 0), WL_DB_OK);
    for (size_t i = 0; (t = wl_store_copy_table(i, NULL)) != NULL; i++) {
        column c[40];
        size_t n;
        if (count(db, t) > 0)
            continue;
        n = columns(db, t, c, 40);
        for (int row = 3; row >= 1; row--) {
            char sql[2048];
            size_t at = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(", t);
            for (size_t k = 0; k < n; k++) {
                const char *sep = k ? ", " : "";
                if (!c[k].notnull && !c[k].pk && row == 2)
                    at += (size_t)snprintf(sql + at, sizeof sql - at, "%sNULL", sep);
                else if (strcmp(c[k].type, "INTEGER") == 0)
                    at += (size_t)snprintf(sql + at, sizeof sql - at, "%s%d", sep,
                                           row * 1000 + (int)k - (row == 3 ? 5000 : 0));
                else if (strcmp(c[k].type, "REAL") == 0)
                    at += (size_t)snprintf(sql + at, sizeof sql - at, "%s%d.1250000000000001", sep,
                                           row);
                else if (strcmp(c[k].type, "BLOB") == 0)
                    at += (size_t)snprintf(sql + at, sizeof sql - at,
                                           row == 1 ? "%sX''" : "%sX'00FF%02X'", sep, row);
                else
                    at += (size_t)snprintf(sql + at, sizeof sql - at, "%s'it''s %d é'", sep, row);
            }
            snprintf(sql + at, sizeof sql - at, ")");
            if (wl_db_exec(db, sql) != WL_DB_OK)
                fail_msg("%s: %s", sql, wl_db_errmsg(db));
        }
    }
    wl_db_close(db);
}

/* Every row of table t on both files, in the copy's key order, and in rowid order. */
static void same_table(const char *a, const char *b, const char *t, const char *key)
{
    wl_db *da = NULL, *db = NULL;
    char sql[256];
    wl_st *sa = NULL, *sb = NULL;
    int ra, rb;
    size_t rows = 0;
    assert_int_equal(wl_db_open(a, 0, &da, NULL, 0), WL_DB_OK);
    assert_int_equal(wl_db_open(b, 0, &db, NULL, 0), WL_DB_OK);
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", t, key);
    assert_int_equal(wl_st_prepare(da, sql, 0, &sa), WL_DB_OK);
    assert_int_equal(wl_st_prepare(db, sql, 0, &sb), WL_DB_OK);
    while ((ra = wl_st_step(sa)) == WL_DB_ROW) {
        rb = wl_st_step(sb);
        assert_int_equal(rb, WL_DB_ROW);
        for (int c = 0; c < wl_st_col_count(sa); c++) {
            int type = wl_st_col_type(sa, c);
            if (type != wl_st_col_type(sb, c))
                fail_msg("%s row %zu column %d: type %d copied as %d", t, rows, c, type,
                         wl_st_col_type(sb, c));
            assert_int_equal(wl_st_col_bytes(sa, c), wl_st_col_bytes(sb, c));
            if (type == WL_DB_FLOAT)
                assert_true(wl_st_col_double(sa, c) == wl_st_col_double(sb, c));
            else if (type != WL_DB_NULL && wl_st_col_bytes(sa, c) > 0)
                assert_memory_equal(wl_st_col_blob(sa, c), wl_st_col_blob(sb, c),
                                    (size_t)wl_st_col_bytes(sa, c));
        }
        rows++;
    }
    assert_int_equal(ra, WL_DB_DONE);
    assert_int_equal(wl_st_step(sb), WL_DB_DONE);
    assert_true(rows > 0);
    wl_st_finalize(sa);
    wl_st_finalize(sb);
    wl_db_close(da);
    wl_db_close(db);
}

/* The copy's list is the schema's: every table, each with its primary key or its rowid. */
static void test_tables_are_the_schema(void **state)
{
    char p[64];
    wl_store *s = NULL;
    wl_db *db = NULL;
    wl_st *st = NULL;
    const char *t, *key;
    size_t listed = 0, schema = 0;
    (void)state;
    assert_int_equal(wl_store_open(fresh(p, sizeof p), 1, &s), WL_OK);
    wl_store_close(s);
    assert_int_equal(wl_db_open(p, 0, &db, NULL, 0), WL_DB_OK);
    for (size_t i = 0; (t = wl_store_copy_table(i, &key)) != NULL; i++) {
        column c[40];
        char pk[400] = "";
        size_t n = columns(db, t, c, 40), npk = 0;
        if (n == 0)
            fail_msg("the copy lists %s, which the schema has not", t);
        for (int want = 1; want <= (int)n; want++)
            for (size_t k = 0; k < n; k++)
                if (c[k].pk == want) {
                    snprintf(pk + strlen(pk), sizeof pk - strlen(pk), "%s%s", npk ? ", " : "",
                             c[k].name);
                    npk++;
                }
        if (strcmp(key, "rowid") == 0) {
            /* a rowid of its own: not WITHOUT ROWID, and no INTEGER PRIMARY KEY naming it */
            char sql[128];
            wl_st *w = NULL;
            snprintf(sql, sizeof sql, "SELECT rowid FROM %s LIMIT 1", t);
            if (wl_st_prepare(db, sql, 0, &w) != WL_DB_OK)
                fail_msg("%s is read by its rowid, but has none", t);
            wl_st_finalize(w);
            for (size_t k = 0; k < n; k++)
                if (npk == 1 && c[k].pk == 1 && strcmp(c[k].type, "INTEGER") == 0)
                    fail_msg("%s is read by its rowid, but its key is %s", t, c[k].name);
        } else if (strcmp(key, pk) != 0) {
            fail_msg("%s is read in order of (%s), but its primary key is (%s)", t, key, pk);
        }
        listed++;
    }
    assert_int_equal(wl_st_prepare(db,
                                   "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                   "name NOT LIKE 'sqlite_%'",
                                   0, &st),
                     WL_DB_OK);
    while (wl_st_step(st) == WL_DB_ROW) {
        const char *name = wl_st_col_text(st, 0);
        int found = 0;
        for (size_t i = 0; (t = wl_store_copy_table(i, NULL)) != NULL; i++)
            found |= strcmp(t, name) == 0;
        if (!found)
            fail_msg("the schema's table %s is not in store_copy.c's list", name);
        schema++;
    }
    wl_st_finalize(st);
    wl_db_close(db);
    assert_int_equal(listed, schema);
}

static wl_rc count_calls(void *ctx, const char *table, uint64_t done, uint64_t total)
{
    uint64_t *calls = ctx;
    (void)table;
    assert_true(done <= total);
    calls[0]++;
    calls[1] = done;
    calls[2] = total;
    return WL_OK;
}

/* Every table copied: every row the same, of the same types, in the same order. */
static void test_copy_every_table(void **state)
{
    char a[64], b[64], why[300];
    wl_store *from = NULL, *to = NULL;
    uint64_t calls[3] = {0};
    const char *t, *key;
    (void)state;
    make_log(fresh(a, sizeof a), 600);
    fill_empty_tables(a);
    assert_int_equal(wl_store_open(a, 0, &from), WL_OK);
    assert_int_equal(wl_store_open(fresh(b, sizeof b), 1, &to), WL_OK);
    assert_int_equal(wl_store_copy_why(from, to, count_calls, calls, why, sizeof why), WL_OK);
    assert_true(calls[0] > 46);
    assert_int_equal(calls[1], calls[2]);
    wl_store_close(from);
    wl_store_close(to);
    for (size_t i = 0; (t = wl_store_copy_table(i, &key)) != NULL; i++) {
        same_table(a, b, t, key);
        if (strcmp(key, "rowid") == 0) /* the same order of insertion */
            same_table(a, b, t, "rowid");
    }
}

/* A target that holds a row is refused, and nothing is written to it. */
static void test_refuses_a_target_not_empty(void **state)
{
    char a[64], b[64], why[300] = "";
    wl_store *from = NULL, *to = NULL;
    wl_db *db = NULL;
    (void)state;
    make_log(fresh(a, sizeof a), 3);
    assert_int_equal(wl_store_open(a, 0, &from), WL_OK);
    assert_int_equal(wl_store_open(fresh(b, sizeof b), 1, &to), WL_OK);
    assert_int_equal(wl_store_meta_set(to, "origin", "other.example/log"), WL_OK);
    assert_int_equal(wl_store_copy_why(from, to, NULL, NULL, why, sizeof why), WL_ERR_CONFLICT);
    assert_non_null(strstr(why, "meta"));
    wl_store_close(to);
    assert_int_equal(wl_db_open(b, 0, &db, NULL, 0), WL_DB_OK);
    assert_int_equal(count(db, "entries"), 0);
    assert_int_equal(count(db, "meta"), 2);
    wl_db_close(db);
    /* and one with a session row only (no record of the log, still not empty) */
    assert_int_equal(wl_store_open(fresh(b, sizeof b), 1, &to), WL_OK);
    wl_store_close(to);
    run_sql(b, "INSERT INTO nonces VALUES('n', 1)");
    assert_int_equal(wl_store_open(b, 0, &to), WL_OK);
    assert_int_equal(wl_store_copy(from, to, NULL, NULL), WL_ERR_CONFLICT);
    wl_store_close(to);
    wl_store_close(from);
}

/* The progress callback breaks the target (drops a table) after its first call. */
static const char *broken_target;

static wl_rc break_target(void *ctx, const char *table, uint64_t done, uint64_t total)
{
    int *calls = ctx;
    (void)table;
    (void)total;
    if (done > 0 && (*calls)++ == 0)
        run_sql(broken_target, "DROP TABLE flows");
    return WL_OK;
}

static wl_rc stop_at_tiles(void *ctx, const char *table, uint64_t done, uint64_t total)
{
    (void)ctx;
    (void)done;
    (void)total;
    return strcmp(table, "tiles") == 0 ? WL_ERR_IO : WL_OK;
}

static void test_failure_mid_copy(void **state)
{
    char a[64], b[64], why[300] = "";
    wl_store *from = NULL, *to = NULL;
    int calls = 0, found = 1;
    (void)state;
    make_log(fresh(a, sizeof a), 300);
    fill_empty_tables(a);
    assert_int_equal(wl_store_open(a, 0, &from), WL_OK);
    broken_target = fresh(b, sizeof b);
    assert_int_equal(wl_store_open(b, 1, &to), WL_OK);
    assert_int_not_equal(wl_store_copy_why(from, to, break_target, &calls, why, sizeof why), WL_OK);
    assert_non_null(strstr(why, "flows"));
    assert_int_equal(wl_store_in_transaction(to), 0);
    assert_int_equal(wl_store_in_transaction(from), 0);
    wl_store_close(to);
    /* what the copy made is a partial copy (2: meta, copied last, has no origin), dropped whole */
    assert_int_equal(wl_store_has_tables(b, &found, why, sizeof why), WL_OK);
    assert_int_equal(found, 2);
    assert_int_equal(wl_store_drop_tables(b, why, sizeof why), WL_OK);
    assert_int_equal(wl_store_has_tables(b, &found, why, sizeof why), WL_OK);
    assert_int_equal(found, 0);
    /* a stop asked by the callback: its code, no transaction left open */
    assert_int_equal(wl_store_open(fresh(b, sizeof b), 1, &to), WL_OK);
    assert_int_equal(wl_store_copy(from, to, stop_at_tiles, NULL), WL_ERR_IO);
    assert_int_equal(wl_store_in_transaction(to), 0);
    wl_store_close(to);
    wl_store_close(from);
}

/* Every allocation of willing's failing in turn: an error or a whole copy, no crash or leak. */
static void test_alloc_failures(void **state)
{
    char a[64];
    wl_store *from = NULL, *to = NULL;
    unsigned long n, errors = 0;
    (void)state;
    make_log(fresh(a, sizeof a), 5);
    fill_empty_tables(a);
    assert_int_equal(wl_store_open(a, 0, &from), WL_OK);
    for (n = 1;; n++) {
        wl_rc rc;
        int failed;
        /* in memory: the pages' commits without a sync, so that 700 copies take seconds */
        assert_int_equal(wl_store_open(":memory:", 1, &to), WL_OK);
        wl_alloc_fail_at(n);
        rc = wl_store_copy(from, to, NULL, NULL);
        failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        assert_int_equal(wl_store_in_transaction(to), 0);
        wl_store_close(to);
        if (!failed) {
            assert_int_equal(rc, WL_OK);
            break;
        }
        assert_int_not_equal(rc, WL_OK);
        errors++;
    }
    wl_store_close(from);
    assert_true(n > 50);
    print_message("%lu allocations failed in turn, each an error\n", errors);
}

static int teardown(void **state)
{
    char cmd[64];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_the_schema),
        cmocka_unit_test(test_copy_every_table),
        cmocka_unit_test(test_refuses_a_target_not_empty),
        cmocka_unit_test(test_failure_mid_copy),
        cmocka_unit_test(test_alloc_failures),
    };
    if (mkdtemp(dir) == NULL || wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK)
        return 1;
    wl_key_generate(&logk);
    wl_key_generate(&opk);
    wl_key_generate(&gbk);
    return cmocka_run_group_tests(tests, NULL, teardown);
}
