/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's outputs on failure (issue 8, point 6): every reader zeroes what
 * it fills before anything can fail, so a caller that reads an output after an
 * error sees zeros, "" or NULL, never a stale or half-read row. Checked for a
 * row that is not there, a list past its ceiling, and allocations failing in
 * turn while a list or a sealed record is read (nothing leaks: ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "testdb.h"

static const uint8_t zero[WL_TILE_BLOB_BYTES];

static wl_store *open_mem(void)
{
    wl_store *s = NULL;
    assert_int_equal(wl_store_open(wl_test_db(":memory:"), 1, &s), WL_OK);
    return s;
}

static void test_missing_rows(void **state)
{
    wl_store *s = open_mem();
    static uint8_t tile[WL_TILE_BLOB_BYTES];
    uint8_t leaf[32] = {1}, h[64], root[32];
    char kind[33], author[65], csrf[65], *data = (char *)"stale";
    size_t len = 99;
    uint64_t seq = 7, size = 7, set_idx = 7, endorsed = 7;
    int64_t t = 7, expires = 7;
    uint32_t kid = 7;
    wl_stored_entry e = {0, "x", 1, leaf, "statement", "gb", 1, 2};
    (void)state;

    memset(kind, 'k', sizeof kind);
    memset(author, 'a', sizeof author);
    assert_int_equal(wl_store_entry(s, 3, &data, &len, kind, author, &seq, &t), WL_ERR_NOT_FOUND);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(kind, "");
    assert_string_equal(author, "");
    assert_int_equal(seq, 0);
    assert_int_equal(t, 0);
    /* an index past SQLite's integers is answered before the statement runs */
    seq = 7;
    assert_int_equal(wl_store_entry(s, UINT64_MAX, NULL, NULL, kind, NULL, &seq, NULL),
                     WL_ERR_NOT_FOUND);
    assert_int_equal(seq, 0);
    memset(h, 9, sizeof h);
    memset(author, 'a', sizeof author);
    assert_int_equal(wl_store_entry_derived(s, 3, h, kind, author, &seq, &t), WL_ERR_NOT_FOUND);
    assert_memory_equal(h, zero, 32);
    assert_string_equal(author, "");

    memset(h, 9, sizeof h);
    assert_int_equal(wl_store_hash_get(s, 0, 5, h), WL_ERR_NOT_FOUND);
    assert_memory_equal(h, zero, 32);
    /* a range of which only the first hash is there: none of it is given */
    assert_int_equal(wl_store_append(s, &e), WL_OK);
    assert_int_equal(wl_store_hash_put(s, 0, 0, leaf), WL_OK);
    memset(h, 9, sizeof h);
    assert_int_equal(wl_store_hash_range(s, 0, 0, 2, h), WL_ERR_NOT_FOUND);
    assert_memory_equal(h, zero, 64);

    memset(tile, 9, sizeof tile);
    assert_int_equal(wl_store_tile_get(s, 0, 0, tile), WL_ERR_NOT_FOUND);
    assert_memory_equal(tile, zero, sizeof tile);
    memset(tile, 9, sizeof tile);
    assert_int_equal(wl_store_tile_get(s, 64, 0, tile), WL_ERR_NOT_FOUND);
    assert_memory_equal(tile, zero, sizeof tile);
    memset(h, 9, sizeof h);
    assert_int_equal(wl_store_tile_read(s, 0, 0, 0, 32, h), WL_ERR_NOT_FOUND);
    assert_memory_equal(h, zero, 32);

    memset(author, 'a', sizeof author);
    memset(csrf, 'c', sizeof csrf);
    assert_int_equal(wl_store_session_get(s, leaf, author, &kid, csrf, &expires), WL_ERR_NOT_FOUND);
    assert_string_equal(author, "");
    assert_string_equal(csrf, "");
    assert_int_equal(kid, 0);
    assert_int_equal(expires, 0);

    memset(root, 9, sizeof root);
    assert_int_equal(wl_store_witness_get(s, "example.org/x", &size, root), WL_ERR_NOT_FOUND);
    assert_int_equal(size, 0);
    assert_memory_equal(root, zero, 32);

    assert_int_equal(wl_store_requirement_get(s, "r1", &set_idx, &endorsed), WL_ERR_NOT_FOUND);
    assert_int_equal(set_idx, 0);
    assert_int_equal(endorsed, 0);

    /* the readers that zeroed their outputs already, kept so */
    {
        char *note = (char *)"stale", *val = (char *)"stale";
        uint64_t index = 7;
        wl_member m;
        data = (char *)"stale";
        len = 7;
        assert_int_equal(wl_store_find_seq(s, "gb", 9, &index, &data, &len), WL_ERR_NOT_FOUND);
        assert_int_equal(index, 0);
        assert_null(data);
        assert_int_equal(len, 0);
        assert_int_equal(wl_store_meta_get(s, "nothing", &val), WL_ERR_NOT_FOUND);
        assert_null(val);
        len = 7;
        size = 7;
        assert_int_equal(wl_store_checkpoint_latest(s, &size, &note, &len), WL_ERR_NOT_FOUND);
        assert_int_equal(size, 0);
        assert_null(note);
        assert_int_equal(len, 0);
        note = (char *)"stale";
        assert_int_equal(wl_store_checkpoint_get(s, 1, &note, &len), WL_ERR_NOT_FOUND);
        assert_null(note);
        memset(&m, 9, sizeof m);
        assert_int_equal(wl_store_member_get(s, "nobody", &m), WL_ERR_NOT_FOUND);
        assert_string_equal(m.id, "");
        assert_int_equal(m.added, 0);
        memset(author, 'a', sizeof author);
        assert_int_equal(wl_store_pledge_author(s, "p9", author), WL_ERR_NOT_FOUND);
        assert_string_equal(author, "");
    }
    wl_store_close(s);
}

/* A member with three keys of one key ID. */
static wl_store *three_keys(void)
{
    wl_store *s = open_mem();
    wl_member m;
    wl_member_key k;
    memset(&m, 0, sizeof m);
    memcpy(m.id, "gb", 3);
    memcpy(m.role, "member", 7);
    assert_int_equal(wl_store_member_put(s, &m), WL_OK);
    memset(&k, 0, sizeof k);
    memcpy(k.member, "gb", 3);
    memcpy(k.scope, "sign", 5);
    for (int i = 0; i < 3; i++) {
        k.pk[0] = (uint8_t)i;
        assert_int_equal(wl_store_key_put(s, &k), WL_OK);
    }
    return s;
}

static void test_keys_past_ceiling(void **state)
{
    wl_store *s = three_keys();
    wl_member_key out[2];
    size_t n = 9;
    (void)state;
    assert_int_equal(wl_store_keys_of(s, "gb", out, 2, &n), WL_ERR_TOO_LARGE);
    assert_int_equal(n, 0);
    assert_memory_equal(out, zero, sizeof out);
    n = 9;
    assert_int_equal(wl_store_keys_by_id(s, "gb", 0, out, 2, &n), WL_ERR_TOO_LARGE);
    assert_int_equal(n, 0);
    assert_memory_equal(out, zero, sizeof out);
    wl_store_close(s);
}

/* More facts than the list's first allocation holds (8), so it grows once. */
#define NFACTS 10

static void test_facts_allocation_fails(void **state)
{
    wl_store *s = open_mem();
    unsigned long at;
    (void)state;
    for (int i = 0; i < NFACTS; i++) {
        char name[16];
        snprintf(name, sizeof name, "fact-%02d", i);
        assert_int_equal(wl_store_fact_set(s, name, 1, (uint64_t)i), WL_OK);
    }
    for (at = 1;; at++) {
        char **names = (char **)&at; /* anything but NULL */
        size_t n = 99;
        wl_alloc_fail_at(at);
        wl_rc rc = wl_store_facts(s, &names, &n);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (failed) {
            assert_int_equal(rc, WL_ERR_NOMEM);
            assert_null(names);
            assert_int_equal(n, 0);
            continue;
        }
        assert_int_equal(rc, WL_OK);
        assert_int_equal(n, NFACTS);
        for (size_t i = 0; i < n; i++) {
            assert_non_null(names[i]);
            wl_free(names[i]);
        }
        wl_free(names);
        break;
    }
    assert_true(at > NFACTS); /* every allocation of the list failed once */
    wl_store_close(s);
}

static void test_sealed_allocation_fails(void **state)
{
    wl_store *s = open_mem();
    wl_sealed_rec r, none;
    unsigned long at;
    (void)state;
    memset(&r, 0, sizeof r);
    memset(r.commitment, 3, 32);
    memcpy(r.author, "gb", 3);
    r.content = (char *)"{\"kind\":\"pledge\"}";
    r.content_len = strlen(r.content);
    r.readers = (char *)"[]";
    memcpy(r.pledge, "p1", 3);
    assert_int_equal(wl_store_sealed_put(s, &r), WL_OK);
    memset(&none, 0, sizeof none);
    for (at = 1;; at++) {
        wl_sealed_rec got;
        memset(&got, 9, sizeof got);
        wl_alloc_fail_at(at);
        wl_rc rc = wl_store_sealed_get(s, r.commitment, &got);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (failed) {
            assert_int_equal(rc, WL_ERR_NOMEM);
            assert_memory_equal(&got, &none, sizeof got); /* nothing half-read */
            continue;
        }
        assert_int_equal(rc, WL_OK);
        assert_string_equal(got.author, "gb");
        assert_memory_equal(got.content, r.content, r.content_len);
        wl_store_sealed_free(&got);
        break;
    }
    assert_int_equal(at, 3); /* its content and its readers */
    /* a commitment that is not there */
    {
        wl_sealed_rec got;
        uint8_t c[32] = {4};
        memset(&got, 9, sizeof got);
        assert_int_equal(wl_store_sealed_get(s, c, &got), WL_ERR_NOT_FOUND);
        assert_memory_equal(&got, &none, sizeof got);
    }
    wl_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_rows),
        cmocka_unit_test(test_keys_past_ceiling),
        cmocka_unit_test(test_facts_allocation_fails),
        cmocka_unit_test(test_sealed_allocation_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
