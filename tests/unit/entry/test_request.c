/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The write API's bodies: the sealed-content body split on its hot path
 * (exactly {"salt":"...","content":"..."}; anything else goes to the JSON
 * parser), and the entries bodies' refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "willing/entry.h"
#include "willing/request.h"

static int split(const char *body, char *salt, char *content)
{
    const char *s, *c;
    size_t sl, cl;
    int r = wl_request_sealed_split(body, strlen(body), &s, &sl, &c, &cl);
    if (r) {
        snprintf(salt, 64, "%.*s", (int)sl, s);
        snprintf(content, 64, "%.*s", (int)cl, c);
    }
    return r;
}

static void test_sealed_split(void **state)
{
    char s[64], c[64];
    (void)state;
    assert_true(split("{\"salt\":\"AAAA\",\"content\":\"d2lsbA==\"}", s, c));
    assert_string_equal(s, "AAAA");
    assert_string_equal(c, "d2lsbA==");
    assert_true(split("{\"salt\":\"\",\"content\":\"\"}", s, c)); /* empty: decoding refuses */
    /* anything but the exact compact form is left to the JSON parser */
    assert_false(split("{\"content\":\"AAAA\",\"salt\":\"AAAA\"}", s, c));
    assert_false(split("{ \"salt\":\"AAAA\",\"content\":\"AAAA\"}", s, c));
    assert_false(split("{\"salt\":\"AAAA\",\"content\":\"AAAA\"} ", s, c));
    assert_false(split("{\"salt\":\"AA\\u0041\",\"content\":\"AAAA\"}", s, c));
    assert_false(split("{\"salt\":\"AAAA\",\"content\":\"AAAA\",\"x\":1}", s, c));
    assert_false(split("{\"salt\":\"AAAA\",\"content\":\"AAAA", s, c));
    assert_false(split("{\"salt\":\"AAAA\"", s, c));
    assert_false(split("", s, c));
    {
        const char *a, *b;
        size_t al, bl;
        assert_false(wl_request_sealed_split(NULL, 0, &a, &al, &b, &bl));
    }
}

static void test_entries_refused(void **state)
{
    static const char *const bad[] = {"",
                                      "{}",
                                      "[]",
                                      "{\"entry\":1}",
                                      "{\"entry\":\"***\"}",
                                      "{\"entry\":\"QQ==\",\"x\":1}",
                                      "{\"entries\":[]}"};
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wl_entries_req r;
        wl_error err;
        size_t pos = 0;
        int batch = strstr(bad[i], "entries") != NULL;
        assert_int_not_equal(wl_request_entries(bad[i], strlen(bad[i]), batch, &r, &err, &pos),
                             WL_OK);
        assert_non_null(err.code);
        wl_request_free(&r);
    }
}

/* Decodes body; the entries joined by '|' in out, or the refusal's code and position. */
static void decoded(const char *body, int batch, char *out, size_t cap)
{
    wl_entries_req r;
    wl_error err;
    size_t pos = 0, off = 0;
    if (wl_request_entries(body, strlen(body), batch, &r, &err, &pos) != WL_OK) {
        snprintf(out, cap, "%s@%zu", err.code, pos);
    } else {
        out[0] = '\0';
        for (size_t i = 0; i < r.n && off < cap; i++)
            off += (size_t)snprintf(out + off, cap - off, "%s%.*s", i ? "|" : "", (int)r.lens[i],
                                    r.bytes[i]);
    }
    wl_request_free(&r);
}

/*
 * The compact form clients send is read without the JSON parser; whitespace,
 * escapes or anything else goes to the parser: both decode the same entries
 * and refuse the same way.
 */
static void test_entries_compact(void **state)
{
    static const char *const same[][2] = {
        {"{\"entries\":[\"QQ==\",\"Qg==\"]}", "{ \"entries\" : [ \"QQ==\", \"Qg==\" ] }\n"},
        {"{\"entries\":[\"QUI=\"]}", "{\"entries\":[\"QU\\u0049=\"]}"},
        {"{\"entries\":[\"QQ==\",\"Q\"]}", "{\"entries\":[\"QQ==\", \"Q\"]}"},
        {"{\"entries\":[\"QQ==\",\"\"]}", "{\"entries\":[\"QQ==\", \"\"]}"},
        {"{\"entry\":\"QQ==\"}", "{\"entry\": \"QQ==\"}"},
    };
    static const char *const refused[] = {
        "{\"entries\":[\"QQ==\",]}",        "{\"entries\":[\"QQ==\"]}x",
        "{\"entries\":[\"QQ==\"]",          "{\"entries\":[\"QQ==\"}",
        "{\"entries\":[\"QQ==\"],\"x\":1}", "{\"entries\":[\"QQ==\"]}}",
        "{\"entries\":\"QQ==\"}",           "{\"entry\":[\"QQ==\"]}",
    };
    char a[64], b[64];
    (void)state;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        int batch = strstr(same[i][0], "entries") != NULL;
        /* the first of each pair takes the compact path, the second the parser's */
        assert_int_equal(wl_request_compact(same[i][0], strlen(same[i][0]), batch),
                         batch ? (size_t)(strchr(same[i][0], ',') ? 2 : 1) : 1);
        assert_int_equal(wl_request_compact(same[i][1], strlen(same[i][1]), batch), 0);
        decoded(same[i][0], batch, a, sizeof a);
        decoded(same[i][1], batch, b, sizeof b);
        assert_string_equal(a, b);
    }
    decoded("{\"entries\":[\"QQ==\",\"Qg==\"]}", 1, a, sizeof a);
    assert_string_equal(a, "A|B");
    decoded("{\"entries\":[\"QQ==\",\"Q\"]}", 1, a, sizeof a);
    assert_string_equal(a, "bad_base64@1");
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        int batch = strstr(refused[i], "entries") != NULL;
        assert_int_equal(wl_request_compact(refused[i], strlen(refused[i]), batch), 0);
        decoded(refused[i], batch, a, sizeof a);
        assert_non_null(strchr(a, '@'));
    }
    {
        /* one more than a batch holds, in the compact form: refused as before */
        static char big[8 * 1002 + 32];
        size_t off = (size_t)snprintf(big, sizeof big, "{\"entries\":[");
        for (unsigned i = 0; i <= WL_BATCH_MAX; i++)
            off += (size_t)snprintf(big + off, sizeof big - off, "%s\"QQ==\"", i ? "," : "");
        snprintf(big + off, sizeof big - off, "]}");
        assert_int_equal(wl_request_compact(big, strlen(big), 1), 0);
        decoded(big, 1, a, sizeof a);
        assert_string_equal(a, "bad_batch_size@0");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sealed_split),
        cmocka_unit_test(test_entries_refused),
        cmocka_unit_test(test_entries_compact),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
