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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sealed_split),
        cmocka_unit_test(test_entries_refused),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
