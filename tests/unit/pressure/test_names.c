/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The names engine (include/willing/names.h): ICAO 9303 and BGN/PCGN against
 * iuliia's samples (tests/fixtures/translit), Ukrainian BGN against CLDR's
 * rules, Щербаков meeting Shcherbakov and Scherbakov, "SURNAME, Given"
 * reordered, the score's every part, identifiers winning outright (the
 * candidate named by its primary name), a name of 10,000 characters and other
 * bad names refused by name, bidirectional controls and invisible characters
 * refused by code point (the zero-width non-joiner kept, out of the key),
 * compatibility forms (U+337F) folded, and every allocation of an index and a
 * screening failed in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "willing/names.h"

#define FIX WL_SOURCE_DIR "/tests/fixtures/translit/"

static wl_names *names;

static int setup(void **state)
{
    wl_error err;
    (void)state;
    return wl_names_open(&names, &err) == WL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wl_names_close(names);
    return 0;
}

/* The key of `name` that `scheme` gave ("" if none did). */
static const char *key_by(const char *name, unsigned scheme, wl_name_keys *k)
{
    wl_error err;
    assert_int_equal(wl_names_keys(names, name, strlen(name), k, &err), WL_OK);
    for (unsigned i = 0; i < k->count; i++)
        if (k->key[i].schemes & scheme)
            return k->key[i].exact;
    return "";
}

static void icao_samples(void **state)
{
    json_error_t je;
    json_t *doc = json_load_file(FIX "icao_doc_9303.json", 0, &je), *s;
    size_t i;
    char out[1024];
    (void)state;
    assert_non_null(doc);
    json_array_foreach(json_object_get(doc, "samples"), i, s)
    {
        const char *in = json_string_value(json_array_get(s, 0));
        assert_int_equal(wl_names_icao(in, strlen(in), out, sizeof out), WL_OK);
        assert_string_equal(out, json_string_value(json_array_get(s, 1)));
    }
    assert_true(i >= 9);
    json_decref(doc);
    /* capitals: a word in capitals stays in capitals; Ukrainian letters of the table */
    assert_int_equal(wl_names_icao("ЩЕРБАКОВ, Юрий", strlen("ЩЕРБАКОВ, Юрий"), out, sizeof out),
                     WL_OK);
    assert_string_equal(out, "SHCHERBAKOV, Iurii");
    assert_int_equal(
        wl_names_icao("Євгенія Ґонта Їжакевич", strlen("Євгенія Ґонта Їжакевич"), out, sizeof out),
        WL_OK);
    assert_string_equal(out, "Ievgeniia Gonta Izhakevich");
    assert_int_equal(wl_names_icao("\xD0", 1, out, sizeof out), WL_ERR_INVALID);
    assert_int_equal(wl_names_icao("Щ", 2, out, 4), WL_ERR_TOO_LARGE);
}

static void bgn_samples(void **state)
{
    json_error_t je;
    json_t *doc = json_load_file(FIX "bgn_pcgn.json", 0, &je), *s;
    size_t i;
    wl_name_keys a, b;
    (void)state;
    assert_non_null(doc);
    json_array_foreach(json_object_get(doc, "samples"), i, s)
    {
        const char *in = json_string_value(json_array_get(s, 0));
        char want[512]; /* iuliia keeps ё (Cyrillic) where ICU writes ë: both fold to e */
        const char *w = json_string_value(json_array_get(s, 1));
        size_t o = 0;
        for (size_t j = 0; w[j] && o + 2 < sizeof want; j++)
            if (memcmp(w + j, "ё", 2) == 0)
                want[o++] = 'e', j++;
            else
                want[o++] = w[j];
        want[o] = '\0';
        const char *got = key_by(in, WL_NAME_BGN_RU, &a);
        const char *exp = key_by(want, WL_NAME_AS_WRITTEN, &b);
        if (strcmp(got, exp) != 0)
            fail_msg("sample %zu: %s gave \"%s\", iuliia \"%s\"", i, in, got, exp);
    }
    assert_true(i >= 26);
    json_decref(doc);
}

static void ukrainian_bgn(void **state)
{
    static const struct {
        const char *in, *key;
    } v[] = {
        {"Київ", "kyyiv"},                               /* и y, ї yi */
        {"Зеленський Володимир", "volodymyr zelenskyy"}, /* ь ʹ (folded off), -ий yy */
        {"Єгор Гнатюк", "hnatyuk yehor"},                /* є ye at the start, г h, ю yu */
        {"Щербаков", "shcherbakov"},                     /* щ shch */
    };
    wl_name_keys k;
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_string_equal(key_by(v[i].in, WL_NAME_BGN_UK, &k), v[i].key);
    /* three keys for a Cyrillic name, merged where they agree */
    key_by("Щербаков", WL_NAME_BGN_RU, &k);
    assert_int_equal(k.count, 1);
    assert_int_equal(k.key[0].schemes, WL_NAME_BGN_RU | WL_NAME_BGN_UK | WL_NAME_ICAO);
    assert_string_equal(key_by("Юрий Гагарин", WL_NAME_BGN_RU, &k), "gagarin yuriy");
    assert_string_equal(key_by("Юрий Гагарин", WL_NAME_BGN_UK, &k), "haharyn yuryy");
    assert_string_equal(key_by("Юрий Гагарин", WL_NAME_ICAO, &k), "gagarin iurii");
    assert_int_equal(k.count, 3);
    /* the loose form makes the spellings of one name meet */
    assert_string_equal(k.key[0].loose, k.key[2].loose);
}

static void folding_and_order(void **state)
{
    wl_name_keys a, b;
    char out[128];
    (void)state;
    assert_string_equal(key_by("SHCHERBAKOV, Yuriy Ivanovich", 1, &a),
                        key_by("Yuriy Ivanovich Shcherbakov", 1, &b));
    assert_string_equal(a.key[0].exact, "ivanovich shcherbakov yuriy");
    assert_string_equal(key_by("Müñoz-García, José", 1, &a), "garcia jose munoz");
    assert_string_equal(key_by("O'Brien", 1, &a), "obrien");
    assert_int_equal(wl_names_reorder("SHCHERBAKOV,  Yuriy Ivanovich ", 30, out, sizeof out),
                     WL_OK);
    assert_string_equal(out, "Yuriy Ivanovich SHCHERBAKOV");
    assert_int_equal(wl_names_reorder("BANK ROSSIYA", 12, out, sizeof out), WL_OK);
    assert_string_equal(out, "BANK ROSSIYA");
    assert_int_equal(wl_names_reorder("A, B, C", 7, out, sizeof out), WL_OK);
    assert_string_equal(out, "A, B, C");
    assert_int_equal(wl_names_reorder("LONGNAME, Given", 15, out, 8), WL_ERR_TOO_LARGE);
    wl_names_loose("shcherbakov", 11, out, sizeof out);
    assert_string_equal(out, "scherbakov");
    wl_names_loose("yuriy", 5, out, sizeof out);
    assert_string_equal(out, "iuri");
    wl_names_loose("iurii", 5, out, sizeof out);
    assert_string_equal(out, "iuri");
    wl_names_loose("yury", 4, out, sizeof out);
    assert_string_equal(out, "iuri");
}

static void bad_names(void **state)
{
    wl_name_keys k;
    wl_error err;
    char *big = malloc(20001);
    (void)state;
    for (int i = 0; i < 10000; i++)
        memcpy(big + 2 * i, "Щ", 2);
    big[20000] = '\0';
    assert_int_equal(wl_names_keys(names, big, strlen(big), &k, &err), WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "name_too_long");
    assert_non_null(strstr(err.msg, "512"));
    assert_int_equal(k.count, 0);
    memset(big, 'a', 10000);
    big[10000] = '\0';
    assert_int_equal(wl_names_keys(names, big, 10000, &k, &err), WL_ERR_TOO_LARGE);
    free(big);
    assert_int_equal(wl_names_keys(names, "Ivan\xC3", 5, &k, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "name_invalid");
    assert_int_equal(wl_names_keys(names, "Ivan\nPetrov", 11, &k, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "name_invalid");
    assert_int_equal(wl_names_keys(names, " - , ", 5, &k, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "name_empty");
    assert_int_equal(wl_names_keys(names,
                                   "a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 "
                                   "3 4 5 6 7",
                                   65, &k, &err),
                     WL_ERR_TOO_LARGE);
}

/* Characters that draw nothing or reorder what is drawn: refused, named by code point. */
static void invisible_characters(void **state)
{
    static const struct {
        const char *name, *cp;
    } v[] = {
        {"VONAVI\xE2\x80\xAE Ivan", "U+202E"},            /* right-to-left override */
        {"Ivan\xE2\x80\xAA Petrov", "U+202A"},            /* left-to-right embedding */
        {"Ivan\xE2\x81\xA6Petrov\xE2\x81\xA9", "U+2066"}, /* an isolate */
        {"Ivan\xE2\x80\x8BPetrov", "U+200B"},             /* zero-width space */
        {"Ivan\xE2\x80\x8FPetrov", "U+200F"},             /* right-to-left mark */
        {"\xEF\xBB\xBFIvan Petrov", "U+FEFF"},            /* byte order mark */
        {"Ivan\xE2\x80\xA8Petrov", "U+2028"},             /* line separator */
        {"Ivan\xE2\x81\xA0Petrov", "U+2060"},             /* word joiner */
        {"Ivan\xC2\xADPetrov", "U+00AD"},                 /* soft hyphen */
        {"Ivan\xD8\x9CPetrov", "U+061C"},                 /* Arabic letter mark */
        {"Ivan\xF3\xA0\x80\x81Petrov", "U+E0001"},        /* a tag */
    };
    wl_name_keys k;
    wl_error err;
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(wl_names_check(v[i].name, strlen(v[i].name), NULL, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "name_invalid");
        if (strstr(err.msg, v[i].cp) == NULL)
            fail_msg("%s: \"%s\"", v[i].cp, err.msg);
        assert_int_equal(wl_names_keys(names, v[i].name, strlen(v[i].name), &k, &err),
                         WL_ERR_INVALID);
    }
    /* the zero-width non-joiner and joiner are spelling (Persian, Indic): kept, and out of the
       key, so that the name with them meets the name without */
    wl_name_keys a, b;
    assert_string_equal(key_by("Ali\xE2\x80\x8CReza TEHRANI", 1, &a), "alireza tehrani");
    assert_string_equal(
        key_by("\xD8\xB9\xD9\x84\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD8\xB6\xD8\xA7", 1, &a),
        key_by("\xD8\xB9\xD9\x84\xDB\x8C\xD8\xB1\xD8\xB6\xD8\xA7", 1, &b));
    assert_string_equal(key_by("Ali\xE2\x80\x8DReza", 1, &a), "alireza");
}

/* A compatibility character is made plain before it goes to Latin: U+337F is 株式会社. */
static void compatibility_forms(void **state)
{
    wl_name_keys a, b;
    (void)state;
    assert_string_equal(key_by("Toyota \xE3\x8D\xBF", 1, &a),
                        key_by("Toyota \xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE", 1, &b));
    assert_int_equal(a.key[0].words, 5);
    /* full-width letters and a ligature */
    assert_string_equal(key_by("\xEF\xBC\xA9\xEF\xBD\x96\xEF\xBD\x81\xEF\xBD\x8E Petrov", 1, &a),
                        "ivan petrov");
    assert_string_equal(key_by("\xEF\xAC\x81lippov", 1, &a), "filippov");
    /* and the Cyrillic still meets its spellings */
    assert_string_equal(key_by("\xD0\xA9\xD0\xB5\xD1\x80\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xBE\xD0\xB2",
                               WL_NAME_BGN_RU, &a),
                        "shcherbakov");
}

/* A small index: three subjects and their details. */
static wl_names_index *small_index(void)
{
    static const wl_name_in n1[] = {{"Щербаков, Юрий Иванович", 0, 0}, {"Юра Щербак", 1, 1}};
    static const wl_name_date d1[] = {{1965, 4, 14, 0}, {1964, 3, 1, 0}};
    static const char *const c1[] = {"Russia"};
    static const wl_name_id i1[] = {{"passport", "72 1234567"}};
    static const wl_name_in n2[] = {{"PETROV, Ivan", 0, 0}};
    static const wl_name_date d2[] = {{1958, 0, 0, 1}};
    static const wl_name_in n3[] = {{"SOVCOMFLOT", 0, 0}, {"SCF Group", 1, 0}};
    static const wl_name_id i3[] = {{"IMO", "IMO 9610781"}};
    const wl_names_subject s[] = {
        {101, n1, 2, d1, 2, c1, 1, i1, 1},
        {102, n2, 1, d2, 1, NULL, 0, NULL, 0},
        {103, n3, 2, NULL, 0, NULL, 0, i3, 1},
    };
    wl_names_index *ix;
    wl_error err;
    assert_int_equal(wl_names_index_new(42, &ix), WL_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(wl_names_index_add(ix, names, &s[i], &err), WL_OK);
    return ix;
}

static size_t screen(const wl_names_index *ix, wl_names_query *q, wl_names_candidate *c)
{
    size_t n = 0;
    wl_error err;
    assert_int_equal(wl_names_screen(names, ix, q, c, 10, &n, &err), WL_OK);
    return n;
}

static void they_meet(void **state)
{
    wl_names_index *ix = small_index();
    wl_names_candidate c[10];
    (void)state;
    assert_int_equal(wl_names_index_subjects(ix), 3);
    assert_int_equal(wl_names_index_version(ix), 42);
    /* Щербаков Юрий Иванович: BGN (ru) yuriy, BGN (uk) yuryy ivanovych, ICAO iurii; the
       alias Юра Щербак: yura (BGN), iura (ICAO); PETROV, Ivan; SOVCOMFLOT and SCF Group */
    assert_int_equal(wl_names_index_keys(ix), 3 + 2 + 1 + 2);
    wl_names_query q = {.name = "Yuriy Shcherbakov"};
    assert_int_equal(screen(ix, &q, c), 1);
    assert_int_equal(c[0].subject, 101);
    assert_int_equal(c[0].how, WL_MATCH_PARTIAL); /* two words of three */
    assert_string_equal(c[0].name, "Щербаков, Юрий Иванович");
    q.name = "Shcherbakov Yuriy Ivanovich";
    assert_int_equal(screen(ix, &q, c), 1);
    assert_int_equal(c[0].how, WL_MATCH_EXACT);
    assert_true(c[0].schemes & WL_NAME_BGN_RU);
    assert_true(c[0].score > 0.99);
    assert_non_null(strstr(c[0].why, "Russian-Latin/BGN"));
    q.name = "Scherbakov Iurii Ivanovich";
    assert_int_equal(screen(ix, &q, c), 1);
    assert_int_equal(c[0].how, WL_MATCH_LOOSE);
    assert_true(c[0].score > 0.94 && c[0].score < 0.96);
    /* the other way: a Cyrillic query meets a Latin list */
    q.name = "Петров Иван";
    assert_int_equal(screen(ix, &q, c), 1);
    assert_int_equal(c[0].subject, 102);
    assert_int_equal(c[0].how, WL_MATCH_EXACT);
    /* no candidate for a stranger */
    q.name = "John Smith";
    assert_int_equal(screen(ix, &q, c), 0);
    wl_names_index_free(ix);
}

static void the_score(void **state)
{
    wl_names_index *ix = small_index();
    wl_names_candidate c[10];
    (void)state;
    wl_names_query q = {.name = "Shcherbakov Yuriy Ivanovich", .dob = {1965, 4, 14, 0}};
    assert_int_equal(screen(ix, &q, c), 1);
    assert_int_equal(c[0].dob, WL_AGREE_DAY);
    assert_true(c[0].score > 0.99); /* 1.00 + 0.10, at most 1 */
    q.name = "Scherbakov Iurii Ivanovich";
    q.dob = (wl_name_date){1964, 3, 0, 0}; /* the alternative date, to the month */
    screen(ix, &q, c);
    assert_int_equal(c[0].dob, WL_AGREE_MONTH);
    assert_true(c[0].score > 1.0 - 0.001); /* 0.95 + 0.07 */
    q.dob = (wl_name_date){1970, 0, 0, 0};
    q.country = "RUSSIA";
    screen(ix, &q, c);
    assert_int_equal(c[0].dob, WL_AGREE_DISAGREE);
    assert_int_equal(c[0].country, WL_AGREE_DAY);
    assert_true(c[0].score > 0.95 - 0.25 + 0.05 - 0.001 && c[0].score < 0.75 + 0.001);
    assert_non_null(strstr(c[0].why, "date of birth differs: -0.25"));
    q.country = "Ukraine";
    q.dob = (wl_name_date){0, 0, 0, 0};
    screen(ix, &q, c);
    assert_int_equal(c[0].country, WL_AGREE_DISAGREE);
    assert_true(c[0].score > 0.85 - 0.001 && c[0].score < 0.85 + 0.001);
    /* circa 1958: 1960 agrees to the year */
    wl_names_query p = {.name = "Ivan Petrov", .dob = {1960, 5, 5, 0}};
    screen(ix, &p, c);
    assert_int_equal(c[0].dob, WL_AGREE_YEAR);
    /* a weak alias counts less */
    wl_names_query w = {.name = "Yura Shcherbak"};
    screen(ix, &w, c);
    assert_true(c[0].weak && c[0].alias);
    assert_true(c[0].score > 0.9 - 0.001 && c[0].score < 0.9 + 0.001);
    /* an identifier wins outright, whatever the name */
    wl_name_id id = {"IMO", "imo9610781"};
    wl_names_query i = {.name = "Unrelated Shipping", .ids = &id, .n_ids = 1};
    assert_int_equal(screen(ix, &i, c), 1);
    assert_int_equal(c[0].subject, 103);
    assert_true(c[0].score == 1.0);
    assert_string_equal(c[0].id_value, "IMO 9610781");
    assert_non_null(strstr(c[0].why, "outright"));
    wl_names_query o = {.ids = &id, .n_ids = 1};
    assert_int_equal(screen(ix, &o, c), 1);
    /* by an identifier alone: named by the subject's primary name, no key */
    assert_int_equal(c[0].how, WL_MATCH_NONE);
    assert_string_equal(c[0].name, "SOVCOMFLOT");
    assert_null(c[0].key);
    /* an IMO number with its prefix or without (the UN's and UK's readers keep the digits) */
    wl_name_id digits = {"IMO", "9610781"};
    wl_names_query d = {.ids = &digits, .n_ids = 1};
    assert_int_equal(screen(ix, &d, c), 1);
    assert_int_equal(c[0].subject, 103);
    wl_name_id other = {"passport", "IMO9610782"};
    wl_names_query x = {.ids = &other, .n_ids = 1};
    assert_int_equal(screen(ix, &x, c), 0);
    wl_names_index_free(ix);
}

static void bad_queries(void **state)
{
    wl_names_index *ix = small_index();
    wl_names_candidate c[10];
    wl_error err;
    size_t n = 7;
    char *big = malloc(10001);
    (void)state;
    memset(big, 'x', 10000);
    big[10000] = '\0';
    wl_names_query q = {.name = big};
    assert_int_equal(wl_names_screen(names, ix, &q, c, 10, &n, &err), WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "name_too_long");
    assert_int_equal(n, 0);
    free(big);
    wl_names_query e = {.name = ""};
    assert_int_equal(wl_names_screen(names, ix, &e, c, 10, &n, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "screen_empty");
    wl_names_query l = {.name = "Ivan", .limit = WL_SCREEN_LIMIT_MAX + 1};
    assert_int_equal(wl_names_screen(names, ix, &l, c, 10, &n, &err), WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "screen_limit");
    /* a bad name of a subject: refused, the index as it was */
    static const wl_name_in bad[] = {{"Good Name", 0, 0}, {"Bad\x01Name", 1, 0}};
    wl_names_subject s = {200, bad, 2, NULL, 0, NULL, 0, NULL, 0};
    size_t keys = wl_names_index_keys(ix);
    assert_int_equal(wl_names_index_add(ix, names, &s, &err), WL_ERR_INVALID);
    assert_int_equal(wl_names_index_keys(ix), keys);
    assert_int_equal(wl_names_index_subjects(ix), 3);
    wl_names_query g = {.name = "Good Name"};
    assert_int_equal(screen(ix, &g, c), 0);
    wl_names_index_free(ix);
}

static void allocation_failures(void **state)
{
    static const wl_name_in n1[] = {{"Щербаков, Юрий", 0, 0}, {"Yura", 1, 1}};
    static const wl_name_id i1[] = {{"passport", "721234567"}};
    const wl_names_subject s = {1, n1, 2, NULL, 0, NULL, 0, i1, 1};
    wl_names_candidate c[4];
    wl_error err;
    (void)state;
    for (unsigned long at = 1; at < 200; at++) {
        wl_names_index *ix = NULL;
        wl_rc rc;
        size_t n = 0;
        wl_alloc_fail_at(at);
        rc = wl_names_index_new(1, &ix);
        if (rc == WL_OK)
            rc = wl_names_index_add(ix, names, &s, &err);
        if (rc == WL_OK) {
            wl_names_query q = {.name = "Shcherbakov Yuriy", .ids = i1, .n_ids = 1};
            rc = wl_names_screen(names, ix, &q, c, 4, &n, &err);
            if (rc == WL_OK)
                assert_int_equal(n, 1);
        }
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        assert_int_equal(rc == WL_ERR_NOMEM, failed);
        wl_names_index_free(ix);
        if (!failed)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(icao_samples),        cmocka_unit_test(bgn_samples),
        cmocka_unit_test(ukrainian_bgn),       cmocka_unit_test(folding_and_order),
        cmocka_unit_test(bad_names),           cmocka_unit_test(they_meet),
        cmocka_unit_test(the_score),           cmocka_unit_test(bad_queries),
        cmocka_unit_test(allocation_failures), cmocka_unit_test(invisible_characters),
        cmocka_unit_test(compatibility_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
