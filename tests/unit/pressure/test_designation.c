/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bodies of pressure.designation and pressure.snapshot
 * (include/willing/pressure.h): a designation as OFAC's list gives
 * SHCHERBAKOV, Kirill Konstantinovich accepted, and each field's every
 * refusal naming the field, a name of 10,000 characters and one holding a
 * right-to-left override among them; the words a screening gives for how a
 * candidate agreed (a country "same").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "willing/pressure.h"

static const char *good =
    "{\"subject\": \"31303\", \"type\": \"person\", \"names\": ["
    "{\"name\": \"SHCHERBAKOV, Kirill Konstantinovich\", \"script\": \"Latn\"},"
    "{\"name\": \"Щербаков Кирилл Константинович\", \"script\": \"Cyrl\", \"quality\": "
    "\"strong\", \"alias\": \"aka\"}],"
    "\"ids\": [{\"type\": \"tax id\", \"value\": \"774302261730\", \"country\": \"Russia\"}],"
    "\"dob\": [{\"date\": \"1968-05-18\"}, {\"date\": \"1964\", \"circa\": true}],"
    "\"pob\": [\"Russia\"], \"countries\": [\"Russia\"],"
    "\"programmes\": [\"UKRAINE-EO13661\", \"CYBER2\", \"ELECTION-EO13848\"],"
    "\"listed\": \"2018-12-19\", \"amended\": \"2021-04-15\","
    "\"source\": {\"list\": \"ofac-sdn\", \"file\": "
    "\"aa1b8fd0bb8e50e1a2c2f1c2bf32e3d1f1c6a5e3a9b1f1c1d1e1f1a1b1c1d1e1\"}}";

/* The good body with `path`'s value replaced (a top-level field, or NULL: removed). */
static wl_rc with(const char *field, const char *value, wl_error *err)
{
    json_error_t je;
    json_t *b = json_loads(good, 0, &je);
    assert_non_null(b);
    if (value) {
        json_t *v = json_loads(value, JSON_DECODE_ANY, &je);
        assert_non_null(v);
        json_object_set_new(b, field, v);
    } else {
        json_object_del(b, field);
    }
    wl_rc rc = wl_pressure_designation_check(b, err);
    json_decref(b);
    return rc;
}

static void designation(void **state)
{
    wl_error err;
    static const struct {
        const char *field, *value, *says;
    } bad[] = {
        {"subject", "\"Has Spaces\"", "'subject'"},
        {"type", "\"company\"", "'type'"},
        {"names", "[]", "'names'"},
        {"names", "[{\"name\": \"A\", \"script\": \"Latn\", \"alias\": \"aka\"}]", "one primary"},
        {"names", "[{\"name\": \"A\", \"script\": \"latin\"}]", "ISO 15924"},
        {"names", "[{\"name\": \"A\", \"script\": \"Latn\", \"quality\": \"good\"}]",
         "strong or weak"},
        {"names", "[{\"name\": \"A\", \"script\": \"Latn\", \"x\": 1}]", "unknown field 'x'"},
        {"ids", "[{\"type\": \"passport\"}]", "ids[0]"},
        {"dob", "[{\"date\": \"1968-02-30\"}]", "dob[0]"},
        {"dob", "[{\"date\": \"14 Apr 1965\"}]", "dob[0]"},
        {"pob", "[\"\"]", "'pob'"},
        {"programmes", "\"SDGT\"", "'programmes'"},
        {"listed", NULL, "'listed'"},
        {"delisted", "\"soon\"", "'delisted'"},
        {"source", "{\"list\": \"ofac-sdn\", \"file\": \"ABC\"}", "SHA-256"},
        {"source", "{\"list\": \"ofac-sdn\", \"file\": \"x\", \"url\": \"y\"}",
         "only list and file"},
        {"colour", "\"red\"", "colour"},
    };
    (void)state;
    assert_int_equal(with("subject", "\"31303\"", &err), WL_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wl_rc rc = with(bad[i].field, bad[i].value, &err);
        if (rc != WL_ERR_INVALID || !strstr(err.msg, bad[i].says))
            fail_msg("%s=%s: rc %d, \"%s\" (wanted \"%s\")", bad[i].field,
                     bad[i].value ? bad[i].value : "(none)", rc, err.msg, bad[i].says);
    }
    /* a name of 10,000 characters: refused by name, as screening refuses it */
    char *big = malloc(10100);
    int n = snprintf(big, 10100, "[{\"name\": \"");
    memset(big + n, 'x', 10000);
    memcpy(big + n + 10000, "\", \"script\": \"Latn\"}]", 22);
    assert_int_equal(with("names", big, &err), WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "name_too_long");
    free(big);
    assert_int_equal(with("names", "[{\"name\": \"A\\u0001B\", \"script\": \"Latn\"}]", &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "name_invalid");
    /* a right-to-left override: refused by code point, as screening refuses it */
    assert_int_equal(
        with("names", "[{\"name\": \"VONAVI\\u202e Ivan\", \"script\": \"Latn\"}]", &err),
        WL_ERR_INVALID);
    assert_string_equal(err.code, "name_invalid");
    assert_non_null(strstr(err.msg, "U+202E"));
    /* a zero-width non-joiner (Persian spelling): kept */
    assert_int_equal(with("names", "[{\"name\": \"Ali\\u200cReza\", \"script\": \"Latn\"}]", &err),
                     WL_OK);
}

/* The words a screening answer gives for how a candidate agreed. */
static void agree_texts(void **state)
{
    (void)state;
    assert_string_equal(wl_pressure_agree_text(WL_AGREE_DAY, 1), "same"); /* a country */
    assert_string_equal(wl_pressure_agree_text(WL_AGREE_DISAGREE, 1), "disagree");
    assert_string_equal(wl_pressure_agree_text(WL_AGREE_UNKNOWN, 1), "unknown");
    assert_string_equal(wl_pressure_agree_text(WL_AGREE_DAY, 0), "day"); /* a date of birth */
    assert_string_equal(wl_pressure_agree_text(WL_AGREE_MONTH, 0), "month");
    assert_string_equal(wl_pressure_match_text(WL_MATCH_LOOSE), "loose");
}

static void snapshot(void **state)
{
    const char *ok = "{\"list\": \"ofac-sdn\", \"file\": "
                     "\"aa1b8fd0bb8e50e1a2c2f1c2bf32e3d1f1c6a5e3a9b1f1c1d1e1f1a1b1c1d1e1\", "
                     "\"date\": \"2024-05-03\", \"base\": 41, \"counts\": {\"subjects\": 14965, "
                     "\"added\": 12, "
                     "\"amended\": 3, \"delisted\": 1}}";
    json_error_t je;
    wl_error err;
    json_t *b = json_loads(ok, 0, &je);
    (void)state;
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_OK);
    /* base: the entry of the list's latest snapshot, or null for the first; required */
    json_object_set_new(b, "base", json_null());
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_OK);
    json_object_del(b, "base");
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'base'"));
    json_object_set_new(b, "base", json_integer(0));
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    json_object_set_new(b, "base", json_string("41"));
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    json_object_set_new(b, "base", json_integer(41));
    json_object_set_new(json_object_get(b, "counts"), "added", json_integer(-1));
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "counts.added"));
    json_object_set_new(b, "date", json_string("2024-5-3"));
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'date'"));
    json_object_set_new(b, "extra", json_true());
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(designation),
        cmocka_unit_test(snapshot),
        cmocka_unit_test(agree_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
