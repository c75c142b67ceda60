/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tiler (lib/log/tiler.c): tiles built leaf by leaf are the tree's
 * hashes, its root is RFC 9162's at every size, a tiler started from the
 * partial tiles of a size continues as if it had never stopped, and a wrong
 * partial tile gives another root. Entry bundles' encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "willing/crypto.h"
#include "willing/merkle.h"
#include "willing/tiler.h"

#define N 70000u /* the spec's example: tiles of three levels, full and partial */

/* Every complete subtree hash of the tree of N leaves, by tree level. */
static uint8_t *lv[64];
static uint64_t lvn[64];

static wl_rc lv_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    (void)ctx;
    if (level >= 64 || idx >= lvn[level])
        return WL_ERR_NOT_FOUND;
    memcpy(out, lv[level] + idx * 32, 32);
    return WL_OK;
}

static void leaf(uint64_t i, uint8_t out[32])
{
    uint8_t b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(i >> (8 * k));
    wl_merkle_leaf_hash(b, sizeof b, out);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(wl_crypto_init(), WL_OK);
    lvn[0] = N;
    lv[0] = malloc((size_t)N * 32);
    for (uint64_t i = 0; i < N; i++)
        leaf(i, lv[0] + i * 32);
    for (unsigned k = 1; lvn[k - 1] >= 2; k++) {
        lvn[k] = lvn[k - 1] / 2;
        lv[k] = malloc((size_t)lvn[k] * 32);
        for (uint64_t i = 0; i < lvn[k]; i++)
            wl_merkle_node_hash(lv[k - 1] + 64 * i, lv[k - 1] + 64 * i + 32, lv[k] + 32 * i);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int k = 0; k < 64; k++)
        free(lv[k]);
    return 0;
}

/* Every tile written is the tree's hashes at its place; counts them. */
static wl_rc check_tile(void *ctx, const wl_tile *t, const uint8_t *hashes)
{
    unsigned *n = ctx;
    unsigned level = 8u * (unsigned)t->level;
    assert_int_equal(t->width, 256);
    assert_true((t->index + 1) * 256 <= lvn[level]);
    assert_memory_equal(hashes, lv[level] + t->index * 256 * 32, 256 * 32);
    (*n)++;
    return WL_OK;
}

/* The partial tiles of a size, read from the tree (as a mirror reads them from disk). */
static wl_rc tree_partial(void *ctx, const wl_tile *t, uint8_t *out)
{
    int *flip = ctx;
    unsigned level = 8u * (unsigned)t->level;
    memcpy(out, lv[level] + t->index * 256 * 32, (size_t)t->width * 32);
    if (flip && *flip)
        out[0] ^= 1;
    return WL_OK;
}

static void test_grow_from_zero(void **state)
{
    static const uint64_t at[] = {1, 2, 3, 255, 256, 257, 511, 512, 65535, 65536, 65537, N};
    wl_tiler *t = malloc(sizeof *t);
    uint8_t want[32], got[32];
    unsigned tiles = 0;
    size_t a = 0;
    (void)state;
    assert_int_equal(wl_tiler_start(t, 0, NULL, NULL), WL_OK);
    assert_int_equal(wl_tiler_root(t, got), WL_OK);
    wl_merkle_empty_root(want);
    assert_memory_equal(got, want, 32);
    for (uint64_t i = 0; i < N; i++) {
        assert_int_equal(wl_tiler_add(t, lv[0] + i * 32, check_tile, &tiles), WL_OK);
        if (t->size == at[a]) {
            assert_int_equal(wl_merkle_root(lv_reader, NULL, t->size, want), WL_OK);
            assert_int_equal(wl_tiler_root(t, got), WL_OK);
            assert_memory_equal(got, want, 32);
            a++;
        }
    }
    assert_int_equal(a, sizeof at / sizeof at[0]);
    assert_int_equal(tiles, 273 + 1); /* the spec's 70,000: 273 full tiles of level 0, one of 1 */
    {
        wl_tile p;
        const uint8_t *h;
        wl_tiler_partial(t, 0, &p, &h);
        assert_int_equal(p.index, 273);
        assert_int_equal(p.width, 112);
        assert_memory_equal(h, lv[0] + 273 * 256 * 32, 112 * 32);
        wl_tiler_partial(t, 2, &p, &h);
        assert_int_equal(p.width, 1);
        assert_memory_equal(h, lv[16], 32);
        wl_tiler_partial(t, 3, &p, &h);
        assert_int_equal(p.width, 0);
        assert_int_equal(wl_tiler_leaf(t, 273 * 256, got), WL_OK);
        assert_memory_equal(got, lv[0] + 273 * 256 * 32, 32);
        assert_int_equal(wl_tiler_leaf(t, 273 * 256 - 1, got), WL_ERR_NOT_FOUND);
        assert_int_equal(wl_tiler_leaf(t, N, got), WL_ERR_NOT_FOUND);
    }
    free(t);
}

/* Started from the partial tiles of m, grown to n: the same tiles and roots as from zero. */
static void test_restart(void **state)
{
    static const uint64_t from[] = {1, 255, 256, 300, 65535, 65536, 65600};
    wl_tiler *t = malloc(sizeof *t);
    uint8_t want[32], got[32];
    (void)state;
    for (size_t f = 0; f < sizeof from / sizeof from[0]; f++) {
        uint64_t m = from[f], n = m + 700 < N ? m + 700 : N;
        unsigned tiles = 0;
        assert_int_equal(wl_tiler_start(t, m, tree_partial, NULL), WL_OK);
        assert_int_equal(wl_merkle_root(lv_reader, NULL, m, want), WL_OK);
        assert_int_equal(wl_tiler_root(t, got), WL_OK);
        assert_memory_equal(got, want, 32);
        for (uint64_t i = m; i < n; i++)
            assert_int_equal(wl_tiler_add(t, lv[0] + i * 32, check_tile, &tiles), WL_OK);
        assert_int_equal(wl_merkle_root(lv_reader, NULL, n, want), WL_OK);
        assert_int_equal(wl_tiler_root(t, got), WL_OK);
        assert_memory_equal(got, want, 32);
        assert_int_equal(tiles, n / 256 - m / 256 + (n >> 16) - (m >> 16));
    }
    free(t);
}

/* A partial tile with one bit changed gives another root, at m and after growing. */
static void test_wrong_partial(void **state)
{
    wl_tiler *t = malloc(sizeof *t);
    uint8_t want[32], got[32];
    int flip = 1;
    (void)state;
    assert_int_equal(wl_tiler_start(t, 65600, tree_partial, &flip), WL_OK);
    assert_int_equal(wl_merkle_root(lv_reader, NULL, 65600, want), WL_OK);
    assert_int_equal(wl_tiler_root(t, got), WL_OK);
    assert_memory_not_equal(got, want, 32);
    for (uint64_t i = 65600; i < 65800; i++)
        assert_int_equal(wl_tiler_add(t, lv[0] + i * 32, NULL, NULL), WL_OK);
    assert_int_equal(wl_merkle_root(lv_reader, NULL, 65800, want), WL_OK);
    assert_int_equal(wl_tiler_root(t, got), WL_OK);
    assert_memory_not_equal(got, want, 32);
    free(t);
}

static wl_rc refuse(void *ctx, const wl_tile *t, uint8_t *out)
{
    (void)ctx, (void)t, (void)out;
    return WL_ERR_CORRUPT;
}

static void test_start_errors(void **state)
{
    wl_tiler *t = malloc(sizeof *t);
    (void)state;
    assert_int_equal(wl_tiler_start(t, 300, refuse, NULL), WL_ERR_CORRUPT);
    assert_int_equal(wl_tiler_start(t, 300, NULL, NULL), WL_ERR_INVALID);
    assert_int_equal(wl_tiler_start(t, 512, refuse, NULL), WL_ERR_CORRUPT); /* 1.p/2 */
    free(t);
}

static void test_bundles(void **state)
{
    wl_buf b = {0};
    size_t off = 0, len;
    const uint8_t *e;
    static char big[WL_ENTRY_MAX + 1];
    (void)state;
    assert_int_equal(wl_bundle_add(&b, "one", 3, 100), WL_OK);
    assert_int_equal(wl_bundle_add(&b, "", 0, 100), WL_OK);
    assert_int_equal(wl_bundle_add(&b, big, WL_ENTRY_MAX, WL_BUNDLE_MAX), WL_OK);
    assert_int_equal(b.len, 2 + 3 + 2 + 2 + WL_ENTRY_MAX);
    assert_memory_equal(b.buf, "\0\3one\0\0\xff\xff", 9);
    assert_int_equal(wl_bundle_add(&b, big, WL_ENTRY_MAX + 1, WL_BUNDLE_MAX), WL_ERR_TOO_LARGE);
    /* over the bundle's ceiling: nothing of the entry kept */
    assert_int_equal(wl_bundle_add(&b, "four", 4, b.len + 5), WL_ERR_TOO_LARGE);
    assert_int_equal(b.len, 2 + 3 + 2 + 2 + WL_ENTRY_MAX);
    assert_int_equal(b.buf[b.len], '\0');
    assert_int_equal(wl_bundle_next(b.buf, b.len, &off, &e, &len), WL_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(e, "one", 3);
    assert_int_equal(wl_bundle_next(b.buf, b.len, &off, &e, &len), WL_OK);
    assert_int_equal(len, 0);
    assert_int_equal(wl_bundle_next(b.buf, b.len, &off, &e, &len), WL_OK);
    assert_int_equal(len, WL_ENTRY_MAX);
    assert_int_equal(wl_bundle_next(b.buf, b.len, &off, &e, &len), WL_ERR_NOT_FOUND);
    off = 0;
    assert_int_equal(wl_bundle_next(b.buf, 4, &off, &e, &len), WL_ERR_CORRUPT); /* cut */
    off = 5;
    assert_int_equal(wl_bundle_next(b.buf, 6, &off, &e, &len), WL_ERR_CORRUPT); /* one byte */
    assert_null(e);
    wl_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_from_zero), cmocka_unit_test(test_restart),
        cmocka_unit_test(test_wrong_partial),  cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_bundles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
