/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reference data and the CSV reader (lib/flows/reference.c, reference_views.c,
 * csvimport.c) on a real SQLite store: exact decimals that keep every digit
 * (0.1 + 0.2 is 0.3, 18 decimals survive a sum), the CSV reader's line numbers
 * and its refusal of anything but UTF-8, the Kiel tracker's file read whole
 * and packed into entries under the ceiling, bad rows named by line and
 * column, and the reference.batch kind: its body rules, its rows stored, a
 * release imported once, totals summed exactly per donor, type and stage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "../fixture.h"
#include "willing/reference.h"

#define ORIGIN "example.org/reference"
#define FILE0 "0000000000000000000000000000000000000000000000000000000000000000"
#define FILE1 "1111111111111111111111111111111111111111111111111111111111111111"

static void dec_is(const char *in, const char *want)
{
    wl_ref_dec v;
    char out[WL_REF_DEC_TEXT];
    assert_int_equal(wl_ref_dec_parse(in, &v), WL_OK);
    wl_ref_dec_format(v, out);
    assert_string_equal(out, want);
}

static void test_decimals(void **state)
{
    static const char *const bad[] = {
        "",
        "-",
        "1e5",
        "1.",
        ".5",
        "01",
        "+1",
        "1,5",
        " 1",
        "1 ",
        "--1",
        "0x10",
        "1.0000000000000000001", /* 19 decimals */
        "123456789012345678901", /* 21 digits before the point */
    };
    wl_ref_dec a, b;
    char out[WL_REF_DEC_TEXT];
    (void)state;
    dec_is("23417159.978473667", "23417159.978473667");
    dec_is("0.000538485701281467", "0.000538485701281467");
    dec_is("-61973576.04927391", "-61973576.04927391");
    dec_is("1.500", "1.5");
    dec_is("0", "0");
    dec_is("-0.0", "0");
    dec_is("99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wl_ref_dec_parse(bad[i], &a), WL_ERR_INVALID);
    /* exact where binary floating point is not: 0.1 + 0.2 is 0.3 */
    assert_int_equal(wl_ref_dec_parse("0.1", &a), WL_OK);
    assert_int_equal(wl_ref_dec_parse("0.2", &b), WL_OK);
    assert_int_equal(wl_ref_dec_add(&a, b), WL_OK);
    wl_ref_dec_format(a, out);
    assert_string_equal(out, "0.3");
    /* the 18th decimal survives a sum with 20 digits before the point */
    assert_int_equal(wl_ref_dec_parse("99999999999999999999", &a), WL_OK);
    assert_int_equal(wl_ref_dec_parse("0.000000000000000001", &b), WL_OK);
    assert_int_equal(wl_ref_dec_add(&a, b), WL_OK);
    wl_ref_dec_format(a, out);
    assert_string_equal(out, "99999999999999999999.000000000000000001");
    /* a sum that leaves the type is refused, the total unchanged */
    for (int i = 0; i < 100 && wl_ref_dec_add(&a, a) == WL_OK; i++)
        ;
    b = a;
    assert_int_equal(wl_ref_dec_add(&a, a), WL_ERR_TOO_LARGE);
    assert_true(a == b);
}

/* ---- the CSV reader ---- */

typedef struct {
    size_t n, lines[8], fields[8];
    char first[8][64];
} seen;

static wl_rc collect(void *ctx, const wl_csv_record *r, wl_error *err)
{
    seen *s = ctx;
    (void)err;
    if (s->n < 8) {
        s->lines[s->n] = r->line;
        s->fields[s->n] = r->n;
        snprintf(s->first[s->n], sizeof s->first[0], "%s", r->n > 1 ? r->field[1] : "");
    }
    s->n++;
    return WL_OK;
}

static wl_rc read_csv(const char *text, seen *s, size_t *line, wl_error *err)
{
    memset(s, 0, sizeof *s);
    return wl_csv_read(text, strlen(text), collect, s, line, err);
}

static void test_csv_lines(void **state)
{
    const char *csv = "\xef\xbb\xbf"
                      "a,b,c\r\n"
                      "1,\"two, with a comma\",3\r\n"
                      "4,\"five\nspans\nthree lines\",6\r\n"
                      "\r\n"
                      "7,\"say \"\"eight\"\"\",9\n"
                      "10,\xc3\xbc,12";
    seen s;
    size_t line;
    wl_error err;
    (void)state;
    assert_int_equal(read_csv(csv, &s, &line, &err), WL_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.lines[0], 1);
    assert_int_equal(s.lines[1], 2);
    assert_int_equal(s.lines[2], 3);
    assert_int_equal(s.lines[3], 7); /* after a field of three lines and a blank line */
    assert_int_equal(s.lines[4], 8);
    assert_string_equal(s.first[0], "b"); /* the UTF-8 byte order mark skipped */
    assert_string_equal(s.first[1], "two, with a comma");
    assert_string_equal(s.first[2], "five\nspans\nthree lines");
    assert_string_equal(s.first[3], "say \"eight\"");
    assert_string_equal(s.first[4], "\xc3\xbc");
    assert_int_equal(s.fields[4], 3);
}

static void refused_at(const char *text, size_t len, size_t want_line, const char *code)
{
    seen s;
    size_t line = 0;
    wl_error err;
    memset(&s, 0, sizeof s);
    assert_int_equal(wl_csv_read(text, len, collect, &s, &line, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, code);
    assert_int_equal(line, want_line);
    if (strcmp(code, "not_utf8") == 0)
        assert_int_equal(s.n, 0); /* refused before any record is read */
}

static void test_csv_not_utf8(void **state)
{
    static const char latin1[] = "giver,verdi\nNorway,1\nT\xfcrkiye,2\nX,\xe9\n";
    static const char utf16le[] = "\xff\xfeg\0i\0";
    static const char utf16be[] = "\xfe\xff\0g\0i";
    static const char overlong[] = "a\n\xc0\xaf\n";
    static const char surrogate[] = "a\nb\nc,\xed\xa0\x80\n";
    static const char cut[] = "a\n\xe2\x82";
    static const char nul[] = "a\nb\0c\n";
    (void)state;
    refused_at(latin1, sizeof latin1 - 1, 3, "not_utf8"); /* the first bad line */
    refused_at(utf16le, sizeof utf16le - 1, 1, "not_utf8");
    refused_at(utf16be, sizeof utf16be - 1, 1, "not_utf8");
    refused_at(overlong, sizeof overlong - 1, 2, "not_utf8");
    refused_at(surrogate, sizeof surrogate - 1, 3, "not_utf8");
    refused_at(cut, sizeof cut - 1, 2, "not_utf8");
    refused_at(nul, sizeof nul - 1, 2, "not_utf8");
    refused_at("a,b\n1,\"x\"y,2\n", 13, 2, "bad_csv");
    refused_at("a,b\n1,2\n3,\"open\n", 16, 3, "bad_csv");
}

static void test_csv_ceilings(void **state)
{
    size_t line;
    wl_error err;
    seen s;
    char *big = malloc(WL_IMPORT_RECORD_MAX + 16), *wide = malloc(WL_IMPORT_FIELDS_MAX * 2 + 8);
    (void)state;
    assert_non_null(big);
    assert_non_null(wide);
    memcpy(big, "a\n", 2);
    memset(big + 2, 'x', WL_IMPORT_RECORD_MAX + 4);
    big[WL_IMPORT_RECORD_MAX + 6] = '\n';
    memset(&s, 0, sizeof s);
    assert_int_equal(wl_csv_read(big, WL_IMPORT_RECORD_MAX + 7, collect, &s, &line, &err),
                     WL_ERR_TOO_LARGE);
    assert_int_equal(line, 2);
    for (size_t i = 0; i <= WL_IMPORT_FIELDS_MAX; i++)
        memcpy(wide + 2 * i, "x,", 2);
    wide[WL_IMPORT_FIELDS_MAX * 2 + 1] = '\n';
    assert_int_equal(wl_csv_read(wide, WL_IMPORT_FIELDS_MAX * 2 + 2, collect, &s, &line, &err),
                     WL_ERR_TOO_LARGE);
    free(big);
    free(wide);
}

/* ---- the tracker's file ---- */

static char *slurp(const char *path, size_t *len)
{
    char *buf = wl_test_slurp(path, len);
    assert_non_null(buf);
    return buf;
}

static void test_kiel_fixture(void **state)
{
    size_t len, line, rows = 0;
    char *buf = slurp(WL_SOURCE_DIR "/tests/fixtures/kiel/bilateral_activities.csv", &len);
    wl_ref_import im;
    wl_error err;
    json_t *bodies;
    (void)state;
    assert_int_equal(wl_ref_kiel_read(buf, len, &im, &line, &err), WL_OK);
    assert_int_equal(im.n, 5565);
    assert_int_equal(im.nbad, 0);
    assert_int_equal(im.rows[0].line, 2);
    assert_string_equal(im.rows[0].donor, "Australia");
    assert_string_equal(im.rows[0].type, "humanitarian");
    assert_string_equal(im.rows[0].stage, "allocation");
    assert_string_equal(im.rows[0].amount, "23417159.978473667"); /* as the file wrote it */
    assert_string_equal(im.rows[0].currency, "EUR");
    assert_int_equal(wl_ref_batches(im.rows, im.n, WL_KIEL_SOURCE, "28", FILE0, &bodies, &err),
                     WL_OK);
    assert_true(json_array_size(bodies) > 1);
    for (size_t i = 0; i < json_array_size(bodies); i++) {
        json_t *b = json_array_get(bodies, i);
        char *t = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_non_null(t);
        assert_true(strlen(t) <= WL_IMPORT_BODY_MAX);
        assert_int_equal(json_integer_value(json_object_get(b, "part")), (json_int_t)i + 1);
        assert_int_equal(json_integer_value(json_object_get(b, "parts")),
                         (json_int_t)json_array_size(bodies));
        rows += json_array_size(json_object_get(b, "rows"));
        free(t);
    }
    assert_int_equal(rows, 5565);
    json_decref(bodies);
    wl_ref_import_free(&im);
    free(buf);
}

static void test_kiel_bad_rows(void **state)
{
    static const char csv[] = "maal,giver,verdi_eur,kategori,dato\n"
                              "Allocation,Norway,10.5,Military,2023-01-31\n"
                              "Allocation,Norway,10.5,Military,2023-02-29\n"
                              "Pledge,Norway,10.5,Military,2023-03-01\n"
                              "Allocation,Norway,\"1,5\",Military,2023-03-01\n"
                              "Allocation,,1,Military,2023-03-01\n"
                              "Commitment,Norway,-2,Financial,\n"
                              "Allocation,Norway\n";
    static const char nocol[] = "giver,dato,kategori,maal\nNorway,2023-01-01,Military,Allocation\n";
    static const struct {
        size_t line;
        const char *starts;
    } want[] = {{3, "dato"}, {4, "maal"}, {5, "verdi_eur"}, {6, "giver"}, {8, "fewer columns"}};
    wl_ref_import im;
    wl_error err;
    size_t line;
    (void)state;
    assert_int_equal(wl_ref_kiel_read(csv, sizeof csv - 1, &im, &line, &err), WL_OK);
    assert_int_equal(im.n, 2);                /* columns found by name, in any order */
    assert_string_equal(im.rows[1].date, ""); /* the tracker gives no date: none */
    assert_string_equal(im.rows[1].type, "financial");
    assert_int_equal(im.nbad, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(im.bad[i].line, want[i].line);
        assert_memory_equal(im.bad[i].why, want[i].starts, strlen(want[i].starts));
    }
    assert_non_null(strstr(im.bad[2].why, "'1,5'")); /* the value at fault */
    wl_ref_import_free(&im);
    assert_int_equal(wl_ref_kiel_read(nocol, sizeof nocol - 1, &im, &line, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_columns");
    assert_non_null(strstr(err.msg, "verdi_eur"));
    assert_int_equal(line, 1);
}

/* ---- the kind, on a real store ---- */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    wl_key k;
    uint64_t size;
} fixture;

static int setup(void **state)
{
    static fixture f;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-ref-", &f.s), WL_OK);
    wl_key_generate(&f.k);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wl_store_close(f->s);
    wl_key_wipe(&f->k);
    return wl_test_rmdir(f->dir);
}

/* Validates body as a reference.batch by the coordinator and, when valid, applies it. */
static wl_rc submit(fixture *f, const char *body, wl_error *err)
{
    wl_pending p;
    char *raw = NULL;
    size_t len = 0;
    wl_rc rc;
    memset(&p, 0, sizeof p);
    assert_int_equal(wl_entry_build(ORIGIN, "reference.batch", "co", f->size + 1, 1741392000, body,
                                    &f->k, &raw, &len),
                     WL_OK);
    assert_int_equal(wl_entry_parse(raw, len, &p.e, NULL, 0), WL_OK);
    rc = wl_reference_batch_validate(&p.e, err);
    if (rc == WL_OK)
        rc = wl_reference_batch_apply(f->s, &p, ++f->size, err);
    wl_entry_clear(&p.e);
    wl_free(raw);
    return rc;
}

#define ROW(d, t, s, a)                                                                            \
    "{\"line\":2,\"donor\":\"" d "\",\"type\":\"" t "\",\"stage\":\"" s "\",\"amount\":\"" a       \
    "\",\"currency\":\"EUR\"}"
#define BODY(rel, file, part, parts, rows)                                                         \
    "{\"source\":\"kiel-ust\",\"release\":\"" rel "\",\"file\":\"" file "\",\"part\":" part        \
    ",\"parts\":" parts ",\"rows\":[" rows "]}"

static void test_kind_rules(void **state)
{
    static const struct {
        const char *body, *says;
    } bad[] = {
        {BODY("28", FILE0, "1", "1", ROW("A", "military", "allocation", "1e5")),
         "rows[0] (line 2): amount"},
        {BODY("28", FILE0, "1", "1", ROW("A", "weapons", "allocation", "1")),
         "rows[0] (line 2): type"},
        {BODY("28", FILE0, "1", "1", ROW("A", "military", "pledge", "1")),
         "rows[0] (line 2): stage"},
        {BODY("28", FILE0, "1", "1", ROW("", "military", "allocation", "1")), "rows[0]"},
        {BODY("28", FILE0, "2", "1", ROW("A", "military", "allocation", "1")), "'part'"},
        {BODY("28", "abc", "1", "1", ROW("A", "military", "allocation", "1")), "'file'"},
        {BODY("28", FILE0, "1", "1", ), "'rows'"},
        {"{\"source\":\"Kiel UST\",\"release\":\"28\",\"file\":\"" FILE0
         "\",\"part\":1,\"parts\":1,\"rows\":[" ROW("A", "military", "allocation", "1") "]}",
         "'source'"},
        {"{\"source\":\"kiel-ust\",\"release\":\"28\",\"file\":\"" FILE0
         "\",\"part\":1,\"parts\":1,\"extra\":1,\"rows\":[]}",
         "unknown field 'extra'"},
    };
    fixture *f = *state;
    wl_error err;
    json_t *tot = NULL;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(submit(f, bad[i].body, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "invalid_body");
        assert_non_null(strstr(err.msg, bad[i].says));
    }
    assert_int_equal(wl_ref_totals(f->s, "kiel-ust", NULL, &tot, &err), WL_ERR_NOT_FOUND);
    assert_null(tot);
}

static const char *fig(const json_t *tot, const char *donor, const char *type, const char *stage)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(tot, "rows"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "donor")), donor) == 0)
            return json_string_value(json_object_get(json_object_get(r, type), stage));
    }
    return NULL;
}

static void test_kind_store_and_totals(void **state)
{
    fixture *f = *state;
    wl_error err;
    json_t *tot = NULL, *rows = NULL;
    wl_buf csv = {0};
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    assert_int_equal(submit(f,
                            BODY("28", FILE1, "1", "2",
                                 ROW("Norway", "military", "allocation", "0.1") "," ROW(
                                     "Norway", "military", "allocation",
                                     "0.2") "," ROW("Austria", "humanitarian", "commitment",
                                                    "99999999999999999999")),
                            &err),
                     WL_OK);
    assert_int_equal(
        submit(f,
               BODY("28", FILE1, "2", "2",
                    ROW("Austria", "humanitarian", "commitment", "0.000000000000000001") "," ROW(
                        "Norway", "military", "allocation", "-0.3")),
               &err),
        WL_OK);
    /* a part again, or the release from another file: refused, nothing stored */
    assert_int_equal(
        submit(f, BODY("28", FILE1, "2", "2", ROW("Norway", "military", "allocation", "5")), &err),
        WL_ERR_CONFLICT);
    assert_string_equal(err.code, "reference_exists");
    assert_int_equal(
        submit(f, BODY("28", FILE0, "3", "3", ROW("Norway", "military", "allocation", "5")), &err),
        WL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "another file"));
    assert_int_equal(wl_store_commit(f->s), WL_OK);

    assert_int_equal(wl_ref_totals(f->s, "kiel-ust", NULL, &tot, &err), WL_OK);
    assert_string_equal(json_string_value(json_object_get(tot, "release")), "28");
    assert_string_equal(json_string_value(json_object_get(tot, "file")), FILE1);
    assert_true(json_is_true(json_object_get(tot, "third_party")));
    assert_true(json_is_true(json_object_get(tot, "complete")));
    assert_int_equal(json_array_size(json_object_get(tot, "entries")), 2);
    assert_string_equal(fig(tot, "Norway", "military", "allocation"), "0");
    assert_string_equal(fig(tot, "Norway", "military", "commitment"), "0");
    assert_string_equal(fig(tot, "Austria", "humanitarian", "commitment"),
                        "99999999999999999999.000000000000000001");
    /* donors in order, Austria first */
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(tot, "rows"), 0), "donor")),
                        "Austria");
    assert_int_equal(wl_ref_totals_csv(tot, &csv, 1u << 20), WL_OK);
    assert_non_null(
        strstr(csv.buf, "Austria,EUR,humanitarian,0,99999999999999999999.000000000000000001\r\n"));
    assert_int_equal(wl_ref_totals_csv(tot, &csv, 10), WL_ERR_TOO_LARGE);
    wl_buf_free(&csv);
    json_decref(tot);

    assert_int_equal(wl_ref_rows(f->s, "kiel-ust", "28", "Norway", 1, 1, &rows, &err), WL_OK);
    assert_int_equal(json_array_size(json_object_get(rows, "rows")), 1);
    assert_true(json_is_true(json_object_get(rows, "more")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(rows, "rows"), 0), "amount")),
                        "0.2");
    json_decref(rows);
    assert_int_equal(wl_ref_rows(f->s, "kiel-ust", "27", NULL, 0, 10, &rows, &err), WL_OK);
    assert_int_equal(json_array_size(json_object_get(rows, "rows")), 0);
    json_decref(rows);
}

/* ---- fault injection: each allocation failed in turn ---- */

/* Reads a small tracker file, packs it and sums the store's totals: *out the answers as text. */
static wl_rc fault_session(void *ctx, json_t **out)
{
    fixture *f = ctx;
    static const char csv[] = "giver,dato,kategori,maal,verdi_eur\n"
                              "Norway,2023-01-31,Military,Allocation,10.5\n"
                              "Norway,2023-02-30,Military,Allocation,1\n"
                              "\"Korea, South\",,Financial,Commitment,0.000000000000000001\n";
    wl_ref_import im;
    wl_error err;
    json_t *bodies = NULL, *tot = NULL, *rows = NULL;
    size_t line;
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_ref_kiel_read(csv, sizeof csv - 1, &im, &line, &err)) != WL_OK)
        return rc;
    rc = wl_ref_batches(im.rows, im.n, WL_KIEL_SOURCE, "28", FILE0, &bodies, &err);
    if (rc == WL_OK)
        rc = wl_ref_totals(f->s, "kiel-ust", NULL, &tot, &err);
    if (rc == WL_OK)
        rc = wl_ref_rows(f->s, "kiel-ust", NULL, NULL, 0, 10, &rows, &err);
    if (rc == WL_OK && im.nbad != 1)
        rc = WL_ERR_INTERNAL;
    if (rc == WL_OK && (*out = json_pack("{s:O, s:O, s:O}", "bodies", bodies, "totals", tot, "rows",
                                         rows)) == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(bodies);
    json_decref(tot);
    json_decref(rows);
    wl_ref_import_free(&im);
    return rc;
}

static void test_alloc_faults(void **state)
{
    fixture *f = *state;
    unsigned long bad, n = wl_test_alloc_faults(fault_session, f, &bad);
    if (bad)
        fail_msg("allocation %lu failed, yet the answer was WL_OK and not the same", bad);
    assert_true(n > 20);
}

/* The totals as CSV: a header line ended by CRLF like every row (a bare CR joined it to the first
 * row). */
static void test_totals_csv_lines(void **state)
{
    (void)state;
    json_t *t = json_pack("{s:[{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}]}", "rows",
                          "donor", "Australia", "currency", "EUR", "military", "allocation", "1.5",
                          "commitment", "0", "financial", "allocation", "0", "commitment", "0",
                          "humanitarian", "allocation", "2", "commitment", "0");
    wl_buf b = {0};
    assert_non_null(t);
    assert_int_equal(wl_ref_totals_csv(t, &b, 1 << 20), WL_OK);
    assert_non_null(b.buf);
    assert_true(b.len > 43);
    assert_memory_equal(
        b.buf, "donor,currency,type,allocation,commitment\r\nAustralia,EUR,military,1.5,0\r\n", 73);
    wl_buf_free(&b);
    json_decref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals),     cmocka_unit_test(test_csv_lines),
        cmocka_unit_test(test_csv_not_utf8), cmocka_unit_test(test_csv_ceilings),
        cmocka_unit_test(test_kiel_fixture), cmocka_unit_test(test_kiel_bad_rows),
        cmocka_unit_test(test_kind_rules),   cmocka_unit_test(test_kind_store_and_totals),
        cmocka_unit_test(test_alloc_faults), cmocka_unit_test(test_totals_csv_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
