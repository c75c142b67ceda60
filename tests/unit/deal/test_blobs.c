/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's blobs family (lib/store/sqlite_blobs.c) on real SQLite files:
 * a blob stored once by its hash (the same hash again changes nothing), read
 * back byte for byte, its metadata without its bytes; who may read it (public,
 * published by an entry, its uploader, a reader an entry names, a grant that
 * came before the blob); nothing stored on a refusal or a rollback; what was
 * committed is there after the store is closed and opened again, whole and
 * in slices.
 * docs/internals/deal.md ("Blobs").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/crypto.h"

typedef struct {
    char dir[32], path[64];
    wl_store *s;
} fx;

static int setup(void **state)
{
    static fx f;
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-blobs.", &f.s), WL_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    wl_store_close(f->s);
    return wl_test_rmdir(f->dir);
}

static void hash_of(const char *text, uint8_t h[32])
{
    wl_sha256(text, strlen(text), h);
}

static void put(wl_store *s, const char *text, const char *media, bool pub, const char *who,
                bool want_created)
{
    uint8_t h[32];
    bool created = !want_created;
    wl_error err;
    hash_of(text, h);
    assert_int_equal(
        wl_store_blob_put(s, h, text, strlen(text), media, pub, who, 1700000000, &created, &err),
        WL_OK);
    assert_int_equal(created, want_created);
}

static bool may(wl_store *s, const char *text, const char *member)
{
    uint8_t h[32];
    bool m = true;
    hash_of(text, h);
    assert_int_equal(wl_store_blob_may_read(s, h, member, &m, NULL), WL_OK);
    return m;
}

static void test_round_trip(void **state)
{
    fx *f = *state;
    uint8_t h[32];
    wl_blob_meta m;
    void *bytes = NULL;
    size_t n = 0;

    put(f->s, "the text of the agreement", "text/plain", false, "gb", true);
    /* the same hash again: nothing changes, not even what the second upload said */
    put(f->s, "the text of the agreement", "text/html", true, "fr", false);
    hash_of("the text of the agreement", h);
    assert_int_equal(wl_store_blob_meta(f->s, h, &m, NULL), WL_OK);
    assert_true(m.exists);
    assert_int_equal(m.size, strlen("the text of the agreement"));
    assert_string_equal(m.media, "text/plain");
    assert_false(m.public_);
    assert_string_equal(m.uploader, "gb");
    assert_int_equal(m.added, 1700000000);
    assert_int_equal(wl_store_blob_read(f->s, h, &bytes, &n, NULL), WL_OK);
    assert_int_equal(n, strlen("the text of the agreement"));
    assert_memory_equal(bytes, "the text of the agreement", n);
    wl_free(bytes);

    /* an empty blob is a blob */
    put(f->s, "", "application/octet-stream", true, "gb", true);
    hash_of("", h);
    assert_int_equal(wl_store_blob_read(f->s, h, &bytes, &n, NULL), WL_OK);
    assert_non_null(bytes);
    assert_int_equal(n, 0);
    wl_free(bytes);
}

static void test_not_held(void **state)
{
    fx *f = *state;
    uint8_t h[32];
    wl_blob_meta m;
    void *bytes = (void *)"stale";
    size_t n = 9;
    bool mr = true;
    wl_error err;

    hash_of("never uploaded", h);
    memset(&m, 7, sizeof m);
    assert_int_equal(wl_store_blob_meta(f->s, h, &m, NULL), WL_OK);
    assert_false(m.exists);
    assert_int_equal(m.size, 0);
    assert_string_equal(m.media, "");
    assert_int_equal(wl_store_blob_read(f->s, h, &bytes, &n, &err), WL_ERR_NOT_FOUND);
    assert_string_equal(err.code, "unknown_blob");
    assert_null(bytes);
    assert_int_equal(n, 0);
    /* published, yet not held: nobody reads what is not there */
    assert_int_equal(wl_store_blob_publish(f->s, h, 5, NULL), WL_OK);
    assert_int_equal(wl_store_blob_may_read(f->s, h, NULL, &mr, NULL), WL_OK);
    assert_false(mr);
}

static void test_readers(void **state)
{
    fx *f = *state;
    uint8_t h[32];
    wl_blob_meta m;

    put(f->s, "annex 1: the lines", "application/geo+json", false, "gb", true);
    hash_of("annex 1: the lines", h);
    assert_false(may(f->s, "annex 1: the lines", NULL));
    assert_true(may(f->s, "annex 1: the lines", "gb"));
    assert_false(may(f->s, "annex 1: the lines", "ua"));
    /* an entry names ua a reader: ua reads, the public still not */
    assert_int_equal(wl_store_blob_ref(f->s, h, "ua", 7, NULL), WL_OK);
    assert_int_equal(wl_store_blob_ref(f->s, h, "ua", 7, NULL), WL_OK); /* a replay: no change */
    assert_true(may(f->s, "annex 1: the lines", "ua"));
    assert_false(may(f->s, "annex 1: the lines", "pl"));
    assert_false(may(f->s, "annex 1: the lines", NULL));
    /* an entry makes it public: everyone reads, and its metadata says so */
    assert_int_equal(wl_store_blob_publish(f->s, h, 9, NULL), WL_OK);
    assert_int_equal(wl_store_blob_publish(f->s, h, 11, NULL), WL_OK);
    assert_true(may(f->s, "annex 1: the lines", NULL));
    assert_true(may(f->s, "annex 1: the lines", "pl"));
    assert_int_equal(wl_store_blob_meta(f->s, h, &m, NULL), WL_OK);
    assert_true(m.public_);

    /* uploaded public */
    put(f->s, "a public notice", "text/plain", true, "gb", true);
    assert_true(may(f->s, "a public notice", NULL));

    /* a grant before the blob: it applies when the blob comes */
    hash_of("annex 2: the sites", h);
    assert_int_equal(wl_store_blob_ref(f->s, h, "ua", 12, NULL), WL_OK);
    assert_false(may(f->s, "annex 2: the sites", "ua"));
    put(f->s, "annex 2: the sites", "text/plain", false, "gb", true);
    assert_true(may(f->s, "annex 2: the sites", "ua"));
    assert_false(may(f->s, "annex 2: the sites", "pl"));
}

static void test_refused_and_rolled_back(void **state)
{
    fx *f = *state;
    char media[WL_BLOB_MEDIA_MAX + 2];
    uint8_t h[32];
    bool created = true;
    wl_blob_meta m;
    wl_error err;

    memset(media, 'a', sizeof media - 1);
    media[sizeof media - 1] = '\0';
    hash_of("x", h);
    assert_int_equal(wl_store_blob_put(f->s, h, "x", 1, media, false, "gb", 1, &created, &err),
                     WL_ERR_INVALID);
    assert_false(created);
    assert_int_equal(wl_store_blob_meta(f->s, h, &m, NULL), WL_OK);
    assert_false(m.exists);

    /* a put inside a transaction that rolls back leaves nothing */
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    put(f->s, "x", "text/plain", false, "gb", true);
    wl_store_rollback(f->s);
    assert_int_equal(wl_store_blob_meta(f->s, h, &m, NULL), WL_OK);
    assert_false(m.exists);
}

static void test_durable(void **state)
{
    fx *f = *state;
    uint8_t h[32];
    void *bytes = NULL;
    size_t n = 0;
    static char big[1 << 20];

    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    put(f->s, big, "text/plain", false, "gb", true);
    hash_of(big, h);
    assert_int_equal(wl_store_blob_ref(f->s, h, "ua", 3, NULL), WL_OK);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    wl_store_close(f->s);
    f->s = NULL;
    assert_int_equal(wl_store_open(f->path, 0, &f->s), WL_OK);
    assert_int_equal(wl_store_blob_read(f->s, h, &bytes, &n, NULL), WL_OK);
    assert_int_equal(n, strlen(big));
    assert_memory_equal(bytes, big, n);
    wl_free(bytes);
    assert_true(may(f->s, big, "ua"));
    /* in slices, as it is served: each the same bytes; none past the end */
    {
        static char part[70000];
        wl_error err;
        for (size_t off = 0; off < n; off += sizeof part) {
            size_t k = n - off < sizeof part ? n - off : sizeof part;
            assert_int_equal(wl_store_blob_read_at(f->s, h, off, part, k, NULL), WL_OK);
            assert_memory_equal(part, big + off, k);
        }
        assert_int_equal(wl_store_blob_read_at(f->s, h, n - 10, part, 11, &err), WL_ERR_INVALID);
        assert_int_equal(wl_store_blob_read_at(f->s, h, n, part, 0, NULL), WL_OK);
        hash_of("never uploaded", h);
        assert_int_equal(wl_store_blob_read_at(f->s, h, 0, part, 1, &err), WL_ERR_NOT_FOUND);
        assert_string_equal(err.code, "unknown_blob");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_held, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_and_rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
