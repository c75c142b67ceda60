/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bodies of pressure.designation and pressure.snapshot
 * (include/willing/pressure.h): a designation as OFAC's list gives
 * SHCHERBAKOV, Kirill Konstantinovich accepted, and each field's every
 * refusal naming the field, a name of 10,000 characters and one holding a
 * right-to-left override, dates before the listing and a list's id that is not
 * one among them; no date after the entry's own time; the words a screening gives
 * for how a candidate agreed (a country "same").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "willing/pressure.h"

#define HASH "aa1b8fd0bb8e50e1a2c2f1c2bf32e3d1f1c6a5e3a9b1f1c1d1e1f1a1b1c1d1e1"

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
        /* dates before the listing (the good body is listed 2018-12-19) */
        {"amended", "\"1999-01-01\"", "'amended' (1999-01-01) is before 'listed' (2018-12-19)"},
        {"delisted", "\"2018-12-18\"", "'delisted' (2018-12-18) is before 'listed'"},
        /* a list's id: what LIST:SUBJECT and the alignment's CSV rely on */
        {"source", "{\"list\": \"a:b\", \"file\": \"" HASH "\"}", "no ':'"},
        {"source", "{\"list\": \"OFAC SDN\", \"file\": \"" HASH "\"}", "the list's id"},
        {"source", "{\"list\": \"a;b\", \"file\": \"" HASH "\"}", "the list's id"},
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

/* No date later than the latest date anywhere (UTC+14) at the entry's time plus the skew. */
static void dates_by_entry_time(void **state)
{
    json_error_t je;
    json_t *b = json_loads(good, 0, &je);
    wl_error err;
    int64_t t = 1700000000; /* 2023-11-14T22:13:20Z: 2023-11-15 from UTC+2 eastwards */
    (void)state;
    assert_int_equal(wl_pressure_designation_check_at(b, t, &err), WL_OK);
    json_object_set_new(b, "delisted", json_string("2023-11-15")); /* New Zealand's today */
    assert_int_equal(wl_pressure_designation_check_at(b, t, &err), WL_OK);
    json_object_set_new(b, "delisted", json_string("2023-11-16"));
    assert_int_equal(wl_pressure_designation_check_at(b, t, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'delisted' (2023-11-16) is after the entry's own time: "
                                    "2023-11-15 is the latest date anywhere then"));
    json_object_del(b, "delisted");
    json_object_set_new(b, "listed", json_string("9999-12-31")); /* a backdate to look first */
    json_object_del(b, "amended");
    assert_int_equal(wl_pressure_designation_check_at(b, t, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'listed' (9999-12-31) is after the entry's own time"));
    /* 2023-11-14T09:55Z + the skew (300 s) is 2023-11-15T00:00 in UTC+14: the 15th is due */
    json_object_set_new(b, "listed", json_string("2023-11-15"));
    assert_int_equal(wl_pressure_designation_check_at(b, 1699955700 - 1, &err), WL_ERR_INVALID);
    assert_int_equal(wl_pressure_designation_check_at(b, 1699955700, &err), WL_OK);
    /* and the body's own rules still */
    json_object_set_new(b, "type", json_string("company"));
    assert_int_equal(wl_pressure_designation_check_at(b, t, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'type'"));
    json_decref(b);
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
    json_object_set_new(b, "date", json_string("2024-05-03"));
    json_object_set_new(json_object_get(b, "counts"), "added", json_integer(1));
    json_object_set_new(b, "list", json_string("a:b"));
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "the list's id"));
    json_object_set_new(b, "extra", json_true());
    assert_int_equal(wl_pressure_snapshot_check(b, &err), WL_ERR_INVALID);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(designation),
        cmocka_unit_test(dates_by_entry_time),
        cmocka_unit_test(snapshot),
        cmocka_unit_test(agree_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
