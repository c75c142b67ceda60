/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9421 against its own example (Appendix B.2.6, test-key-ed25519 from
 * B.1.4, read by our PKCS#8 key file parser): the signature base byte for
 * byte, the published signature verifies, our signature equals it (Ed25519
 * is deterministic); and refusals: a changed request, a changed parameter,
 * component parameters, a missing covered field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "willing/httpsig.h"

static const char key_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n"
                              "-----END PRIVATE KEY-----\n";
static const char sig_input[] = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" "
                                "\"content-type\" \"content-length\");created=1618884473;"
                                "keyid=\"test-key-ed25519\"";
static const char signature[] = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04"
                                "v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";
static const char want_base[] =
    "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
    "\"@method\": POST\n"
    "\"@path\": /foo\n"
    "\"@authority\": example.com\n"
    "\"content-type\": application/json\n"
    "\"content-length\": 18\n"
    "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
    "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";

static const char *date_value = "Tue, 20 Apr 2021 02:07:55 GMT";

static const char *fields(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "date") == 0)
        return date_value;
    if (strcmp(name, "content-type") == 0)
        return "application/json";
    if (strcmp(name, "content-length") == 0)
        return "18";
    if (strcmp(name, "host") == 0)
        return "example.com";
    return NULL;
}

static wl_httpsig_req test_request(void)
{
    wl_httpsig_req r = {"POST", "example.com", "/foo", "?param=Value&Pet=dog", fields, NULL};
    return r;
}

static void test_rfc_example(void **state)
{
    wl_keyfile kf;
    wl_httpsig s;
    wl_httpsig_req req = test_request();
    char base[WL_HTTPSIG_BASE_MAX], why[256], in[1024], sig[1024];
    size_t len = 0;
    static const char *const comps[] = {"date",       "@method",      "@path",
                                        "@authority", "content-type", "content-length"};
    (void)state;
    assert_int_equal(wl_keyfile_parse(key_pem, sizeof key_pem - 1, &kf), WL_OK);
    assert_int_equal(wl_httpsig_parse(sig_input, signature, "sig-b26", &s, why, sizeof why), WL_OK);
    assert_int_equal(s.created, 1618884473);
    assert_string_equal(s.keyid, "test-key-ed25519");
    assert_int_equal(wl_httpsig_base(&s, &req, base, sizeof base, &len, why, sizeof why), WL_OK);
    if (len != sizeof want_base - 1 || memcmp(base, want_base, len) != 0)
        fail_msg("base:\n%.*s", (int)len, base);
    assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_OK);
    /* our own signature over the same request is the RFC's, byte for byte */
    assert_int_equal(wl_httpsig_sign(&req, "sig-b26", comps, 6, 1618884473, "test-key-ed25519",
                                     NULL, NULL, &kf.key, in, sizeof in, sig, sizeof sig),
                     WL_OK);
    assert_string_equal(in, sig_input);
    assert_string_equal(sig, signature);
    wl_key_wipe(&kf.key);
}

static void test_refusals(void **state)
{
    wl_keyfile kf;
    wl_httpsig s;
    wl_httpsig_req req = test_request();
    char why[256];
    (void)state;
    assert_int_equal(wl_keyfile_parse(key_pem, sizeof key_pem - 1, &kf), WL_OK);
    /* another method */
    assert_int_equal(wl_httpsig_parse(sig_input, signature, NULL, &s, why, sizeof why), WL_OK);
    req.method = "PUT";
    assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_ERR_SIGNATURE);
    req = test_request();
    /* a covered field changed */
    date_value = "Tue, 20 Apr 2021 02:07:56 GMT";
    assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_ERR_SIGNATURE);
    date_value = "Tue, 20 Apr 2021 02:07:55 GMT";
    /* a parameter changed (created) */
    {
        char in2[sizeof sig_input];
        memcpy(in2, sig_input, sizeof sig_input);
        *strstr(in2, "1618884473") = '2';
        assert_int_equal(wl_httpsig_parse(in2, signature, NULL, &s, why, sizeof why), WL_OK);
        assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_ERR_SIGNATURE);
    }
    /* malformed or unsupported inputs */
    assert_int_not_equal(
        wl_httpsig_parse("sig=(\"@method\";req);created=1", signature, NULL, &s, why, sizeof why),
        WL_OK);
    assert_non_null(strstr(why, "not supported"));
    assert_int_not_equal(wl_httpsig_parse(sig_input, "sig-b26=:AAAA:", NULL, &s, why, sizeof why),
                         WL_OK);
    assert_int_not_equal(wl_httpsig_parse(NULL, NULL, NULL, &s, why, sizeof why), WL_OK);
    assert_int_not_equal(
        wl_httpsig_parse("sig=(\"@method\" \"x\"", signature, NULL, &s, why, sizeof why), WL_OK);
    /* a covered field the request lacks */
    assert_int_equal(
        wl_httpsig_parse("sig-b26=(\"x-missing\");created=1", signature, NULL, &s, why, sizeof why),
        WL_OK);
    assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_ERR_INVALID);
    assert_non_null(strstr(why, "absent"));
    wl_key_wipe(&kf.key);
}

/* Signs req over comps; parses what it wrote back into s. */
static wl_rc sign_back(const wl_httpsig_req *req, const char *const *comps, size_t n,
                       const char *keyid, const wl_key *k, wl_httpsig *s)
{
    char in[2048], sig[256], why[256];
    wl_rc rc = wl_httpsig_sign(req, "sig", comps, n, 1700000000, keyid, "nonce-0123456789ab", NULL,
                               k, in, sizeof in, sig, sizeof sig);
    if (rc == WL_OK)
        rc = wl_httpsig_parse(in, sig, NULL, s, why, sizeof why);
    return rc;
}

/* Signs req, which verifies; then changes value[at]: it no longer does. */
static void signed_whole(const wl_httpsig_req *req, const char *const *comps, size_t n,
                         const wl_key *k, char *value, size_t at)
{
    wl_httpsig s;
    char why[256];
    assert_int_equal(sign_back(req, comps, n, "k", k, &s), WL_OK);
    assert_int_equal(wl_httpsig_verify(&s, req, k->pk, why, sizeof why), WL_OK);
    value[at] = 'X';
    assert_int_equal(wl_httpsig_verify(&s, req, k->pk, why, sizeof why), WL_ERR_SIGNATURE);
}

/*
 * Values longer than the buffers they once went through (issue 14, point 15):
 * a path, an authority, a request target past 255 bytes are signed whole (a
 * change at their end no longer verifies); a base past WL_HTTPSIG_BASE_MAX, a
 * keyid or component name longer than its field are refused, never signed cut.
 */
static void test_long_values(void **state)
{
    static char path[301], host[301], huge[WL_HTTPSIG_BASE_MAX + 100], name[80], keyid[200],
        in[512];
    static const char *const target[] = {"@method", "@request-target"};
    static const char *const authority[] = {"@method", "@authority", "@path"};
    wl_keyfile kf;
    wl_httpsig s;
    wl_httpsig_req req = test_request();
    char why[256], base[64];
    size_t len;
    (void)state;
    assert_int_equal(wl_keyfile_parse(key_pem, sizeof key_pem - 1, &kf), WL_OK);

    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    req.path = path;
    signed_whole(&req, target, 2, &kf.key, path, 290); /* the target was cut to 255 bytes */
    req = test_request();
    memset(host, 'h', sizeof host - 1);
    req.authority = host;
    signed_whole(&req, authority, 3, &kf.key, host, 296); /* the authority was, too */
    req = test_request();

    /* a base past the ceiling: refused by the signer and by the verifier */
    memset(huge, 'a', sizeof huge - 1);
    huge[0] = '/';
    req.path = huge;
    assert_int_equal(sign_back(&req, target, 2, "k", &kf.key, &s), WL_ERR_TOO_LARGE);
    req = test_request();
    assert_int_equal(sign_back(&req, target, 2, "k", &kf.key, &s), WL_OK);
    req.path = huge;
    assert_int_equal(wl_httpsig_verify(&s, &req, kf.key.pk, why, sizeof why), WL_ERR_TOO_LARGE);
    assert_int_equal(wl_httpsig_base(&s, &req, base, sizeof base, &len, why, sizeof why),
                     WL_ERR_TOO_LARGE);
    req = test_request();

    /* a component name or a keyid longer than its field */
    memset(name, 'x', sizeof name - 1);
    {
        const char *const comps[] = {"@method", name};
        assert_int_equal(sign_back(&req, comps, 2, "k", &kf.key, &s), WL_ERR_INVALID);
    }
    memset(keyid, 'k', sizeof keyid - 1);
    assert_int_equal(sign_back(&req, target, 2, keyid, &kf.key, &s), WL_ERR_INVALID);

    /* a received alg or tag longer than its field is refused, not cut */
    snprintf(in, sizeof in, "sig=(\"@method\");created=1;alg=\"ed25519%040d\"", 0);
    assert_int_equal(wl_httpsig_parse(in, "sig=:AAAA:", NULL, &s, why, sizeof why), WL_ERR_INVALID);
    assert_non_null(strstr(why, "alg"));
    wl_key_wipe(&kf.key);
}

static void test_content_digest(void **state)
{
    char d[64];
    (void)state;
    /* RFC 9530 §B.1's example body {"hello": "world"}\n */
    wl_content_digest("{\"hello\": \"world\"}\n", 19, d, sizeof d);
    assert_string_equal(d, "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:");
    /* too small a buffer: empty, never a cut digest */
    wl_content_digest("{\"hello\": \"world\"}\n", 19, d, 40);
    assert_string_equal(d, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_content_digest),
        cmocka_unit_test(test_long_values),
    };
    if (wl_crypto_init() != WL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
