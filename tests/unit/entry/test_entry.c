/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entries: the worked example of docs/FORMAT.md byte for byte (a fixed key,
 * Ed25519 being deterministic), its leaf hash and key ID, and the parser's
 * refusals. Fault injection: every allocation of build and parse fails in
 * turn without a crash or a leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "willing/entry.h"
#include "willing/merkle.h"

/* docs/FORMAT.md, "A worked example": the key's seed is the bytes 0x00..0x1f */
#define WORKED_SIG                                                                                 \
    "5t/aeLRrCGjDXt4hz0vX1BBci59k2ZE1h5WB4ccgk/L3V3/v0LRLYUhmWao7nKJClEnU2e+bAwwwl4F/tNidk8/S/g8="
#define WORKED_LEAF "6717696328f3cdedc73f7f00d1083ac6c58409f97e7463034bef46fbacbbd2ee"
#define WORKED_KEYID 0xe6dfda78u
#define WORKED_PK "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="

static const char example[] = "willing.entry/v1\n"
                              "example.org/coalition\n"
                              "statement\n"
                              "gb\n"
                              "1\n"
                              "1741392000\n"
                              "{\"text\":\"The United Kingdom is willing.\"}\n"
                              "\n"
                              "\xe2\x80\x94 gb " WORKED_SIG "\n";

static void example_key(wl_key *k)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    wl_key_from_seed(k, seed);
}

static void test_worked_example(void **state)
{
    wl_key k;
    char *out = NULL, hex[65], b64[45];
    size_t len = 0;
    wl_entry e;
    (void)state;
    example_key(&k);
    assert_int_equal(wl_entry_build("example.org/coalition", "statement", "gb", 1, 1741392000,
                                    "{\"text\":\"The United Kingdom is willing.\"}", &k, &out,
                                    &len),
                     WL_OK);
    if (len != sizeof example - 1 || memcmp(out, example, len) != 0)
        fail_msg("built:\n%.*s", (int)len, out);
    assert_int_equal(wl_entry_parse(out, len, &e, NULL, 0), WL_OK);
    wl_hex_encode(e.leaf, 32, hex);
    assert_string_equal(hex, WORKED_LEAF);
    assert_int_equal(e.key_id, WORKED_KEYID);
    wl_b64_encode(k.pk, 32, b64);
    assert_string_equal(b64, WORKED_PK);
    assert_int_equal(wl_entry_verify_sig(&e, k.pk), WL_OK);
    assert_string_equal(e.kind, "statement");
    assert_string_equal(e.author, "gb");
    assert_int_equal(e.seq, 1);
    assert_int_equal(e.time, 1741392000);
    wl_entry_clear(&e);
    wl_free(out);
}

static void expect_refused(const char *text, const char *why_part)
{
    wl_entry e;
    char why[256];
    wl_rc rc = wl_entry_parse(text, strlen(text), &e, why, sizeof why);
    if (rc == WL_OK)
        fail_msg("accepted:\n%s", text);
    if (why_part && strstr(why, why_part) == NULL)
        fail_msg("refused for '%s', expected '%s'", why, why_part);
}

#define SIG "\n\xe2\x80\x94 gb " WORKED_SIG "\n"

static void test_refusals(void **state)
{
    (void)state;
    expect_refused("willing.entry/v2\nexample.org/coalition\nstatement\ngb\n1\n1\n{}\n" SIG,
                   "first line");
    expect_refused("willing.entry/v1\nexample.org/coalition\nStatement\ngb\n1\n1\n{}\n" SIG,
                   "kind");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\nGB\n1\n1\n{}\n" SIG,
                   "member id");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n01\n1\n{}\n" SIG,
                   "sequence");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n-1\n{}\n" SIG,
                   "unix time");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n[]\n" SIG,
                   "JSON object");
    expect_refused(
        "willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n{\"a\":1,\"a\":2}\n" SIG,
        "not valid JSON");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n{}\nextra\n" SIG,
                   "more than 7");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n{}\n"
                   "\n\xe2\x80\x94 fr " WORKED_SIG "\n",
                   "must name the author");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n{}\n" SIG
                   "\xe2\x80\x94 gb " WORKED_SIG "\n",
                   "exactly one signature");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n"
                   "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}\n" SIG,
                   "nested");
    expect_refused("willing.entry/v1\nexample.org/coalition\nstatement\ngb\n1\n1\n{}\n",
                   "not a signed note");
}

static void test_forged(void **state)
{
    wl_key k;
    wl_entry e;
    char copy[sizeof example];
    (void)state;
    example_key(&k);
    memcpy(copy, example, sizeof example);
    *strstr(copy, "willing.") = 'W'; /* "willing." in the body text changes */
    copy[0] = 'w';
    *strstr(copy, "is willing") = 'I';
    assert_int_equal(wl_entry_parse(copy, sizeof copy - 1, &e, NULL, 0), WL_OK);
    assert_int_equal(wl_entry_verify_sig(&e, k.pk), WL_ERR_SIGNATURE);
    wl_entry_clear(&e);
}

/*
 * Every allocation of build, then of parse, fails in turn: each injected failure
 * gives an error (and nothing to free: ASan's leak check runs at exit), and with
 * no failure injected both succeed and give the worked example. The loops end at
 * the first count that no allocation reaches, so they cover every allocation.
 */
static void test_alloc_failures(void **state)
{
    static const char body[] = "{\"text\":\"The United Kingdom is willing.\"}";
    wl_key k;
    char *out = NULL;
    size_t len = 0;
    wl_entry e;
    unsigned long n;
    (void)state;
    example_key(&k);
    for (n = 1;; n++) {
        char *o = NULL;
        size_t l = 0;
        wl_alloc_fail_at(n);
        wl_rc rc = wl_entry_build("example.org/coalition", "statement", "gb", 1, 1741392000, body,
                                  &k, &o, &l);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (!failed) {
            assert_int_equal(rc, WL_OK);
            out = o;
            len = l;
            break;
        }
        if (rc == WL_OK)
            fail_msg("wl_entry_build: allocation %lu failed, yet it answered WL_OK", n);
        assert_null(o);
    }
    assert_true(n > 1); /* build allocates */
    if (len != sizeof example - 1 || memcmp(out, example, len) != 0)
        fail_msg("built under fault injection:\n%.*s", (int)len, out);
    for (n = 1;; n++) {
        wl_alloc_fail_at(n);
        wl_rc rc = wl_entry_parse(out, len, &e, NULL, 0);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (!failed) {
            assert_int_equal(rc, WL_OK);
            assert_string_equal(e.author, "gb");
            wl_entry_clear(&e);
            break;
        }
        if (rc == WL_OK)
            fail_msg("wl_entry_parse: allocation %lu failed, yet it answered WL_OK", n);
    }
    wl_free(out);
}

/*
 * An entry built from a body held as JSON: the worked example's bytes exactly
 * (one compact serialisation, keys in their order); a body that is not an
 * object, or nested too deep, is refused as the parser would refuse it.
 */
static void test_build_json(void **state)
{
    wl_key k;
    char *out = NULL;
    size_t len = 0;
    json_t *body = json_pack("{s:s}", "text", "The United Kingdom is willing."), *deep;
    (void)state;
    example_key(&k);
    assert_int_equal(wl_entry_build_json("example.org/coalition", "statement", "gb", 1, 1741392000,
                                         body, &k, &out, &len),
                     WL_OK);
    if (len != sizeof example - 1 || memcmp(out, example, len) != 0)
        fail_msg("built:\n%.*s", (int)len, out);
    wl_free(out);
    out = NULL;
    json_decref(body);
    body = json_pack("[s]", "x");
    assert_int_equal(
        wl_entry_build_json("example.org/coalition", "statement", "gb", 1, 0, body, &k, &out, &len),
        WL_ERR_INVALID);
    assert_null(out);
    json_decref(body);
    body = json_object();
    deep = body;
    for (unsigned i = 0; i <= WL_BODY_DEPTH_MAX; i++) {
        json_t *in = json_object();
        json_object_set_new(deep, "a", in);
        deep = in;
    }
    assert_int_equal(
        wl_entry_build_json("example.org/coalition", "statement", "gb", 1, 0, body, &k, &out, &len),
        WL_ERR_INVALID);
    assert_null(out);
    json_decref(body);
}

/*
 * wl_body_compact_rows: a row's span is what json_dumps(row, JSON_COMPACT) writes, found only
 * in a body already in that form; any other body gives 0 (the caller dumps).
 */
static void test_compact_rows(void **state)
{
    static const struct {
        const char *body;
        size_t n; /* spans expected (0: the body is not in compact form) */
    } cases[] = {
        {"{\"import\":\"ab\",\"part\":1,\"flows\":[{\"a\":\"x\",\"b\":[1,-2,0]},{\"c\":null}]}", 2},
        {"{\"flows\":[{\"t\":true,\"f\":false,\"u\":\"\xc3\xa9/\"}],\"x\":{\"flows\":[]}}", 1},
        {"{\"flows\":[]}", 0},
        {"{\"flows\":[{}]}", 1},
        {"{\"flows\":[{\"a\":\"x\"}, {\"b\":1}]}", 0},
        {"{\"flows\":[{\"a\":\"\\u00e9\"}]}", 0},
        {"{\"flows\":[{\"a\":\"\\/\"}]}", 0},
        {"{\"flows\":[{\"a\":1.5}]}", 0},
        {"{\"flows\":[{\"a\":1e2}]}", 0},
        {"{\"flows\":[{\"a\":-0}]}", 0},
        {"{\"flows\":[{\"a\":1}]} ", 0},
        {"{\"fl\\u006fws\":[{\"a\":1}]}", 0},
        {"{\"flows\":{\"a\":1}}", 0},
        {"{\"other\":[{\"a\":1}]}", 0},
    };
    const char *starts[4];
    size_t lens[4];
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *b = cases[c].body;
        json_t *j = json_loads(b, JSON_REJECT_DUPLICATES, NULL), *rows;
        size_t n = wl_body_compact_rows(b, strlen(b), "flows", 4, starts, lens);
        assert_non_null(j);
        assert_int_equal(n, cases[c].n);
        rows = json_object_get(j, "flows");
        for (size_t i = 0; i < n; i++) {
            char *d = json_dumps(json_array_get(rows, i), JSON_COMPACT);
            assert_int_equal(lens[i], strlen(d));
            assert_memory_equal(starts[i], d, lens[i]);
            free(d);
        }
        json_decref(j);
    }
    assert_int_equal(wl_body_compact_rows("{\"flows\":[1,2,3]}", 17, "flows", 2, starts, lens), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_forged),         cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_build_json),     cmocka_unit_test(test_compact_rows),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
