/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault injection over the store and the sequencer: a whole ledger session
 * (open, the genesis entry, members, statements sequenced in a transaction, a
 * signed checkpoint, commit, then reads of meta, an entry, a hash and the
 * checkpoint) is run again and again with the Nth allocation failing, for
 * every N until a run reaches no failure (for SQLite's, every third N). Twice:
 * once failing willing's own allocator (wl_malloc, which jansson is pointed at
 * too), once SQLite's.
 * Each run must end in an error code or in the right answer, never in a crash,
 * a wrong answer or a leak (ASan's leak check at exit; SQLite's allocations
 * are also counted here, so a leaked statement or connection shows in the
 * release build as well); and with no failure injected the session succeeds.
 * Against PostgreSQL (ctest's pg.unit.*), each session on a fresh database,
 * willing's allocator only (SQLite's is not the engine's there), every
 * PG_STRIDE-th N: a session there costs a CREATE DATABASE and the schema, about
 * a second, and makes some 170 allocations of willing's (libpq's are its own
 * malloc's, outside this injection). Every N there
 * was run once (stride 1, 2026-12-03: 167 allocations, 163 errors, no wrong
 * answer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"
#include "testdb.h"
#include "willing/ledger.h"

#define ORIGIN "example.org/coalition"

static wl_key logk, opk, gbk;

/* SQLite's allocator, counted, with its own armed failure (like wl_alloc_fail_at). */
static unsigned long sq_countdown;
static int sq_failed;
static long sq_live; /* allocations not yet freed */

static int sq_should_fail(void)
{
    if (sq_countdown == 0)
        return 0;
    if (--sq_countdown == 0) {
        sq_failed = 1;
        return 1;
    }
    return 0;
}

/* each block is preceded by its size, as SQLite's xSize needs it */
static void *sq_malloc(int n)
{
    if (n <= 0 || sq_should_fail())
        return NULL;
    sqlite3_int64 *p = malloc((size_t)n + sizeof *p);
    if (p == NULL)
        return NULL;
    p[0] = n;
    sq_live++;
    return p + 1;
}

static void sq_free(void *v)
{
    if (v == NULL)
        return;
    sq_live--;
    free((sqlite3_int64 *)v - 1);
}

static void *sq_realloc(void *v, int n)
{
    if (v == NULL)
        return sq_malloc(n);
    if (n <= 0 || sq_should_fail())
        return NULL;
    sqlite3_int64 *p = realloc((sqlite3_int64 *)v - 1, (size_t)n + sizeof *p);
    if (p == NULL)
        return NULL;
    p[0] = n;
    return p + 1;
}

static int sq_size(void *v)
{
    return v ? (int)((sqlite3_int64 *)v - 1)[0] : 0;
}

static int sq_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sq_init(void *ctx)
{
    (void)ctx;
    return SQLITE_OK;
}

static void sq_shutdown(void *ctx)
{
    (void)ctx;
}

static void member_body(char *out, size_t cap, const char *id, const char *role, const wl_key *k)
{
    char b64[45];
    wl_b64_encode(k->pk, 32, b64);
    snprintf(
        out, cap,
        "{\"member\":\"%s\",\"name\":\"%s\",\"role\":\"%s\",\"key\":\"%s\",\"scope\":\"sign\"}", id,
        id, role, b64);
}

/* Builds, prechecks and sequences one entry inside the open transaction. */
static wl_rc sequence(wl_store *s, const wl_key *k, const char *author, uint64_t seq,
                      const char *kind, const char *body, uint64_t want_index)
{
    char *e = NULL;
    size_t len = 0;
    wl_pending p;
    wl_error err;
    uint64_t idx = 0;
    int existed = 0;
    memset(&err, 0, sizeof err);
    wl_rc rc = wl_entry_build(ORIGIN, kind, author, seq, 1741392000, body, k, &e, &len);
    if (rc != WL_OK)
        return rc;
    rc = wl_ledger_precheck(s, ORIGIN, e, len, &p, &err);
    if (rc == WL_OK) {
        rc = wl_ledger_sequence(s, &p, &idx, &existed, &err);
        wl_pending_clear(&p);
        /* anything but the right new index is a wrong answer, not an error */
        if (rc == WL_OK && (existed || idx != want_index))
            fail_msg("sequenced %s at %llu (existed %d), wanted %llu", kind,
                     (unsigned long long)idx, existed, (unsigned long long)want_index);
    }
    wl_free(e);
    return rc;
}

#define NSTATEMENTS 4

/* One session; WL_OK only with every answer checked right. */
static wl_rc session(void)
{
    wl_store *s = NULL;
    char body[512], *note = NULL, *latest = NULL, *val = NULL, *data = NULL;
    char kind[33], author[65];
    size_t nlen = 0, llen = 0, dlen = 0;
    uint64_t size = 0, lsize = 0, seq = 0, idx = 0;
    int64_t t = 0;
    uint8_t h[32];
    int in_tx = 0;
    wl_rc rc = wl_store_open(wl_test_db(":memory:"), 1, &s);
    if (rc != WL_OK)
        goto out;
    if ((rc = wl_store_begin(s)) != WL_OK)
        goto out;
    in_tx = 1;
    if ((rc = wl_store_meta_set(s, "origin", ORIGIN)) != WL_OK)
        goto out;
    member_body(body, sizeof body, "op", "operator", &opk);
    if ((rc = sequence(s, &opk, "op", 1, "member.add", body, idx++)) != WL_OK)
        goto out;
    member_body(body, sizeof body, "gb", "coordinator", &gbk);
    if ((rc = sequence(s, &opk, "op", 2, "member.add", body, idx++)) != WL_OK)
        goto out;
    for (uint64_t i = 1; i <= NSTATEMENTS; i++) {
        snprintf(body, sizeof body, "{\"text\":\"statement %llu\"}", (unsigned long long)i);
        if ((rc = sequence(s, &gbk, "gb", i, "statement", body, idx++)) != WL_OK)
            goto out;
    }
    if ((rc = wl_ledger_checkpoint(s, ORIGIN, &logk, 1741392000, &size, &note, &nlen)) != WL_OK)
        goto out;
    if ((rc = wl_store_commit(s)) != WL_OK)
        goto out;
    in_tx = 0;
    assert_int_equal(size, idx);
    /* reads */
    if ((rc = wl_store_meta_get(s, "origin", &val)) != WL_OK)
        goto out;
    assert_string_equal(val, ORIGIN);
    if ((rc = wl_store_entry(s, 3, &data, &dlen, kind, author, &seq, &t)) != WL_OK)
        goto out;
    assert_string_equal(kind, "statement");
    assert_string_equal(author, "gb");
    assert_int_equal(seq, 2);
    assert_non_null(memmem(data, dlen, "statement 2", 11));
    if ((rc = wl_store_hash_get(s, 0, 3, h)) != WL_OK)
        goto out;
    if ((rc = wl_store_checkpoint_latest(s, &lsize, &latest, &llen)) != WL_OK)
        goto out;
    assert_int_equal(lsize, size);
    assert_int_equal(llen, nlen);
    assert_memory_equal(latest, note, nlen);
out:
    if (in_tx)
        wl_store_rollback(s);
    wl_store_close(s);
    wl_free(note);
    wl_free(latest);
    wl_free(val);
    wl_free(data);
    return rc;
}

/* jansson allocates through wl_malloc here; a failure it absorbs is noted */
static int js_failed;

static void *js_malloc(size_t n)
{
    void *p = wl_malloc(n);
    if (p == NULL)
        js_failed = 1;
    return p;
}

/*
 * wl_malloc (and jansson through it) fails at every N in turn. A failed
 * allocation of willing's own must give an error; jansson absorbs some of its
 * own (inside its parser), so a run may then succeed, with the right answers.
 */
#define PG_STRIDE 5
static void test_wl_alloc_failures(void **state)
{
    unsigned long n, errors = 0, stride = wl_test_pg() ? PG_STRIDE : 1;
    (void)state;
    json_set_alloc_funcs(js_malloc, wl_free);
    for (n = 1;; n += stride) {
        js_failed = 0;
        wl_alloc_fail_at(n);
        wl_rc rc = session();
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (!failed) {
            assert_int_equal(rc, WL_OK);
            break;
        }
        if (rc == WL_OK && !js_failed)
            fail_msg("allocation %lu failed, yet the session answered WL_OK", n);
        errors += rc != WL_OK;
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(n > 20); /* the session allocates: the loop covered every allocation */
    assert_true(errors > 0);
    print_message("%lu allocations of willing and jansson, each failed in turn: %lu errors\n",
                  n - 1, errors);
}

/*
 * SQLite's allocator fails at every SQ_STRIDE-th N in turn (a session makes
 * thousands of SQLite allocations, most of them in creating the schema; the
 * stride keeps the test within seconds under ASan). SQLite survives some
 * failures by design (caches it can do without), so a run may then succeed:
 * it must give the right answers, which session() asserts.
 */
#define SQ_STRIDE 3
static void test_sqlite_alloc_failures(void **state)
{
    unsigned long n, errors = 0;
    long live = sq_live;
    (void)state;
    if (wl_test_pg())
        skip();
    for (n = 1;; n += SQ_STRIDE) {
        sq_failed = 0;
        sq_countdown = n;
        wl_rc rc = session();
        int failed = sq_failed;
        sq_countdown = 0;
        if (sq_live != live)
            fail_msg("SQLite allocation %lu failed: %ld allocations leaked", n, sq_live - live);
        if (!failed) {
            assert_int_equal(rc, WL_OK);
            break;
        }
        errors += rc != WL_OK;
    }
    assert_true(n > 20);
    assert_true(errors > 0);
    print_message("%lu allocations of SQLite, one in %d failed in turn: %lu errors\n", n - 1,
                  SQ_STRIDE, errors);
}

int main(void)
{
    static const sqlite3_mem_methods counted = {
        sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL,
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wl_alloc_failures),
        cmocka_unit_test(test_sqlite_alloc_failures),
    };
    /* no lookaside: every SQLite allocation goes through the counted allocator */
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &counted) != SQLITE_OK ||
        sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK || wl_crypto_init() != WL_OK ||
        wl_modules_register() != WL_OK)
        return 1;
    wl_key_generate(&logk);
    wl_key_generate(&opk);
    wl_key_generate(&gbk);
    /* a first session: SQLite's one-time allocations are made before counting */
    if (session() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
