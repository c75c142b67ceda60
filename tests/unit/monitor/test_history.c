/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History (lib/monitor/history.c, history_views.c) on a real SQLite store:
 * UCDP's staged file read whole (3,883 events, none skipped, 27 transcoded
 * from Windows-1252, UCDP's totals of deaths), both date formats month
 * first, quoted text with commas, quotes and line breaks, each skipped row
 * named by line, a missing column refused; the history.batch kind's rules,
 * a release and an event imported once, and the store's yearly counts equal
 * to those counted from the events in memory.
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
#include "willing/history.h"

#define ORIGIN "example.org/history"
#define FILE0 "0000000000000000000000000000000000000000000000000000000000000000"
#define FILE1 "1111111111111111111111111111111111111111111111111111111111111111"

static const wl_history_event *by_id(const wl_history_import *im, uint64_t id)
{
    for (size_t i = 0; i < im->n; i++)
        if (im->ev[i].id == id)
            return &im->ev[i];
    return NULL;
}

static json_int_t fig(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void test_staged_file(void **state)
{
    size_t len = 0, line = 0, events = 0, transcoded = 0;
    char *buf = wl_test_slurp(WL_SOURCE_DIR "/tests/fixtures/ucdp/ged-ukraine.csv", &len);
    const wl_history_event *e;
    wl_history_import im;
    json_t *years = NULL, *bodies = NULL;
    wl_error err;
    (void)state;
    assert_non_null(buf);
    assert_int_equal(wl_history_ucdp_read(buf, len, &im, &line, &err), WL_OK);
    assert_int_equal(im.n, 3883);
    assert_int_equal(im.nbad, 0);
    assert_int_equal(im.transcoded, 27);
    e = &im.ev[0]; /* '1/22/2014 12:00:00 AM' */
    assert_int_equal(e->line, 2);
    assert_int_equal(e->id, 147997);
    assert_string_equal(e->date_start, "2014-01-22");
    assert_int_equal(e->date_prec, 1);
    assert_int_equal(e->where_prec, 1);
    assert_string_equal(e->latitude, "50.45"); /* as the file writes it */
    assert_string_equal(e->longitude, "30.52333");
    assert_string_equal(e->side_b, "Maidan");
    assert_int_equal(e->best, 5);
    for (size_t i = 0; i < im.n; i++) {
        e = &im.ev[i];
        assert_int_equal(wl_utf8_bad(e->where_description, strlen(e->where_description)), 0);
        if (e->transcoded) {
            transcoded++;
            /* 0xB0 and 0x92 of Windows-1252: a degree sign and a right single quote */
            if (strstr(e->where_description, "49\xc2\xb0"
                                             "09"))
                events++;
        }
    }
    assert_int_equal(transcoded, 27);
    assert_int_equal(events, 1);
    /* '05/02/2014 00:00' is the second of May, 2014: month first */
    events = 0;
    for (size_t i = 0; i < im.n; i++)
        events += strcmp(im.ev[i].date_start, "2014-05-02") == 0;
    assert_true(events > 0);
    for (size_t i = 0; i < im.n; i++) /* no event ends before it starts */
        assert_true(strcmp(im.ev[i].date_end, im.ev[i].date_start) >= 0);
    /* UCDP's totals, and best kept outside low..high where UCDP gives it so */
    assert_int_equal(wl_history_years_of(im.ev, im.n, "24.1", &years, &err), WL_OK);
    assert_int_equal(fig(json_object_get(years, "total"), "events"), 3883);
    assert_int_equal(fig(json_object_get(years, "total"), "best"), 18480);
    assert_int_equal(fig(json_object_get(years, "total"), "high"), 20272);
    assert_int_equal(fig(json_object_get(years, "total"), "low"), 16369);
    json_decref(years);
    /* packed under the ceiling, every event once */
    assert_int_equal(wl_history_batches(im.ev, im.n, "24.1", FILE0, &bodies, &err), WL_OK);
    events = 0;
    for (size_t i = 0; i < json_array_size(bodies); i++) {
        json_t *b = json_array_get(bodies, i);
        char *t = json_dumps(b, JSON_COMPACT);
        assert_non_null(t);
        assert_true(strlen(t) <= WL_IMPORT_BODY_MAX);
        assert_int_equal(fig(b, "part"), (json_int_t)i + 1);
        events += json_array_size(json_object_get(b, "events"));
        free(t);
    }
    assert_int_equal(events, 3883);
    json_decref(bodies);
    wl_history_import_free(&im);
    free(buf);
}

/* The columns the reader needs, in another order than UCDP's, and one it ignores. */
#define HEAD                                                                                       \
    "best,id,extra,year,type_of_violence,conflict_name,dyad_name,side_a,side_b,where_prec,"        \
    "where_description,adm_1,adm_2,latitude,longitude,date_prec,date_start,date_end,deaths_a,"     \
    "deaths_b,deaths_civilians,deaths_unknown,high,low\n"
#define ROW(id, type, where, lat, start, end)                                                      \
    "1," id ",x,2014," type ",Ukraine: Government,G - N,Government of Ukraine,DPR,1," where ","    \
    "Donetsk,," lat ",37.8,1," start "," end ",0,0,1,0,2,1\n"

static void test_rows(void **state)
{
    static const char csv[] =
        HEAD ROW("1", "1", "\"Donetsk, \"\"centre\"\"\nnear the station\"", "48.0",
                 "1/22/2014 12:00:00 AM", "1/23/2014 12:00:00 AM")                        /* 2-3 */
        ROW("2", "1", "Kyiv\x92s centre", "48.0", "02/01/2014 00:00", "02/01/2014 00:00") /* 4 */
        ROW("3", "1", "x", "48.0", "31/01/2014 00:00", "31/01/2014 00:00")                /* 5 */
        ROW("4", "4", "x", "48.0", "2014-01-05", "2014-01-05")                            /* 6 */
        ROW("5", "1", "x", "91", "2014-01-05", "2014-01-05")                              /* 7 */
        ROW("1", "1", "x", "48.0", "2014-01-05", "2014-01-05")                            /* 8 */
        ROW("6", "1", "x", "48.0", "2014-01-05", "2014-01-04")                            /* 9 */
        ROW("7", "1", "a \x81 byte", "48.0", "2014-01-05", "2014-01-05")                  /* 10 */
        ROW("8", "2", "x", "48.0", "2015-01-05", "2015-01-05")                            /* 11 */
        "99999999999,10,x,2014,1,U,G - N,G,D,1,x,Donetsk,,48.0,37.8,1,2014-01-05,2014-01-05,0,0,1,"
        "0,2,1\n"  /* 12: more deaths than any event could have */
        "1,9,x\n"; /* 13 */
    static const struct {
        size_t line;
        const char *starts;
    } want[] = {{5, "date_start"},
                {6, "type_of_violence"},
                {7, "latitude"},
                {8, "id: 1 again (line 2 has it)"},
                {9, "date_end: before"},
                {10, "where_description"},
                {11, "year"},
                {12, "deaths_a, deaths_b"},
                {13, "fewer columns"}};
    static const char nocol[] = "id,year\n1,2014\n";
    wl_history_import im;
    const wl_history_event *e;
    wl_error err;
    size_t line;
    (void)state;
    assert_int_equal(wl_history_ucdp_read(csv, sizeof csv - 1, &im, &line, &err), WL_OK);
    assert_int_equal(im.n, 2);
    e = by_id(&im, 1);
    assert_non_null(e);
    assert_string_equal(e->where_description, "Donetsk, \"centre\"\nnear the station");
    assert_string_equal(e->date_end, "2014-01-23");
    assert_false(e->transcoded);
    assert_string_equal(e->adm_2, "");
    e = by_id(&im, 2);
    assert_non_null(e);
    assert_string_equal(e->date_start, "2014-02-01"); /* month first */
    assert_string_equal(e->where_description, "Kyiv\xe2\x80\x99s centre");
    assert_true(e->transcoded);
    assert_int_equal(im.transcoded, 1);
    assert_int_equal(im.nbad, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < im.nbad; i++) {
        assert_int_equal(im.bad[i].line, want[i].line);
        assert_memory_equal(im.bad[i].why, want[i].starts, strlen(want[i].starts));
    }
    wl_history_import_free(&im);
    assert_int_equal(wl_history_ucdp_read(nocol, sizeof nocol - 1, &im, &line, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_columns");
    assert_non_null(strstr(err.msg, "no column 'type_of_violence'"));
    assert_int_equal(line, 1);
    assert_int_equal(wl_history_ucdp_read("a,b\n1,\0\n", 8, &im, &line, &err), WL_ERR_INVALID);
    assert_int_equal(line, 2); /* a NUL byte refuses the file */
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
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-hist-", &f.s), WL_OK);
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

/* Runs body as a history.batch by the coordinator, as the ledger does. */
static wl_rc submit(fixture *f, const json_t *body, wl_error *err)
{
    wl_pending p;
    char *raw = NULL, *text = json_dumps(body, JSON_COMPACT);
    size_t len = 0;
    wl_rc rc;
    assert_non_null(text);
    memset(&p, 0, sizeof p);
    assert_int_equal(wl_entry_build(ORIGIN, "history.batch", "co", f->size + 1, 1741392000, text,
                                    &f->k, &raw, &len),
                     WL_OK);
    assert_int_equal(wl_entry_parse(raw, len, &p.e, NULL, 0), WL_OK);
    rc = wl_test_apply(f->s, wl_kind_find("history.batch"), &p, f->size + 1, err);
    if (rc == WL_OK)
        f->size++;
    wl_entry_clear(&p.e);
    wl_free(raw);
    free(text);
    return rc;
}

static json_t *years_of_store(fixture *f, const char *release)
{
    json_t *o = NULL;
    wl_error err;
    assert_int_equal(wl_history_years(f->s, release, &o, &err), WL_OK);
    return o;
}

static void test_kind(void **state)
{
    fixture *f = *state;
    size_t len = 0, line = 0;
    char *buf = wl_test_slurp(WL_SOURCE_DIR "/tests/fixtures/ucdp/ged-ukraine.csv", &len);
    wl_history_import im;
    json_t *bodies = NULL, *mem = NULL, *got, *b, *page = NULL;
    wl_history_query q;
    wl_error err;
    assert_non_null(buf);
    assert_int_equal(wl_history_ucdp_read(buf, len, &im, &line, &err), WL_OK);
    assert_int_equal(wl_history_batches(im.ev, im.n, "24.1", FILE0, &bodies, &err), WL_OK);
    assert_int_equal(wl_history_years(f->s, NULL, &got, &err), WL_ERR_NOT_FOUND);
    for (size_t i = 0; i < json_array_size(bodies); i++)
        assert_int_equal(submit(f, json_array_get(bodies, i), &err), WL_OK);
    /* the store's counts are the reader's, year by year and type by type */
    assert_int_equal(wl_history_years_of(im.ev, im.n, "24.1", &mem, &err), WL_OK);
    got = years_of_store(f, NULL);
    assert_true(json_equal(json_object_get(got, "years"), json_object_get(mem, "years")));
    assert_true(json_equal(json_object_get(got, "total"), json_object_get(mem, "total")));
    assert_true(json_is_true(json_object_get(got, "complete")));
    assert_string_equal(json_string_value(json_object_get(got, "file")), FILE0);
    json_decref(got);
    /* a part again, the release from another file, an event id again: 409, nothing stored */
    b = json_deep_copy(json_array_get(bodies, 0));
    assert_int_equal(submit(f, b, &err), WL_ERR_CONFLICT);
    assert_string_equal(err.code, "history_exists");
    json_object_set_new(b, "file", json_string(FILE1));
    assert_int_equal(submit(f, b, &err), WL_ERR_CONFLICT);
    json_object_set_new(b, "release", json_string("other"));
    json_object_set_new(b, "part", json_integer(1));
    json_object_set_new(b, "parts", json_integer(1));
    json_array_append(json_object_get(b, "events"),
                      json_array_get(json_object_get(b, "events"), 0));
    assert_int_equal(submit(f, b, &err), WL_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "already stored"));
    assert_int_equal(wl_history_years(f->s, "other", &got, &err), WL_ERR_NOT_FOUND);
    /* the body's rules: an event without best, another source, a bad date */
    json_array_remove(json_object_get(b, "events"), 1);
    json_object_del(json_array_get(json_object_get(b, "events"), 0), "best");
    assert_int_equal(submit(f, b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "events[0] (line 2)"));
    json_object_set_new(json_array_get(json_object_get(b, "events"), 0), "best",
                        json_integer(10000001)); /* over WL_HISTORY_DEATHS_MAX */
    assert_int_equal(submit(f, b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "up to 10000000"));
    json_object_set_new(json_array_get(json_object_get(b, "events"), 0), "best", json_integer(5));
    json_object_set_new(json_array_get(json_object_get(b, "events"), 0), "date_end",
                        json_string("2014-01-21"));
    assert_int_equal(submit(f, b, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "date_end"));
    json_object_set_new(b, "source", json_string("acled"));
    assert_int_equal(submit(f, b, &err), WL_ERR_INVALID);
    got = years_of_store(f, "24.1");
    assert_int_equal(fig(json_object_get(got, "total"), "events"), 3883);
    json_decref(got);
    /* a day and a box: event 147997, Kyiv, 22 January 2014 */
    memset(&q, 0, sizeof q);
    q.from = q.to = "2014-01-22";
    q.box = true;
    q.west = 30, q.south = 50, q.east = 31, q.north = 51;
    q.limit = 10;
    assert_int_equal(wl_history_events(f->s, &q, &page, &err), WL_OK);
    assert_int_equal(json_array_size(json_object_get(page, "events")), 1);
    assert_int_equal(fig(json_array_get(json_object_get(page, "events"), 0), "id"), 147997);
    assert_true(json_is_false(json_object_get(page, "more")));
    json_decref(page);
    json_decref(b);
    json_decref(mem);
    json_decref(bodies);
    wl_history_import_free(&im);
    free(buf);
}

/* ---- fault injection: each allocation failed in turn ---- */

static const char fault_csv[] = HEAD ROW("1", "1", "\"Donetsk, \"\"centre\"\"\"", "48.0",
                                         "1/22/2014 12:00:00 AM", "1/23/2014 12:00:00 AM")
    ROW("2", "1", "Kyiv\x92s centre", "48.0", "02/01/2014 00:00", "02/01/2014 00:00")
        ROW("3", "4", "x", "48.0", "2014-01-05", "2014-01-05");

/* Reads fault_csv, packs it, counts it, and reads the store's views: *out the answers. */
static wl_rc fault_session(void *ctx, json_t **out)
{
    fixture *f = ctx;
    wl_history_import im;
    wl_history_query q = {.limit = 10};
    wl_error err;
    json_t *bodies = NULL, *mem = NULL, *years = NULL, *page = NULL;
    wl_buf a = {0}, b = {0};
    size_t line;
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_history_ucdp_read(fault_csv, sizeof fault_csv - 1, &im, &line, &err)) != WL_OK)
        return rc;
    rc = wl_history_batches(im.ev, im.n, "24.1", FILE0, &bodies, &err);
    if (rc == WL_OK)
        rc = wl_history_years_of(im.ev, im.n, "24.1", &mem, &err);
    if (rc == WL_OK)
        rc = wl_history_years(f->s, NULL, &years, &err);
    if (rc == WL_OK)
        rc = wl_history_events(f->s, &q, &page, &err);
    if (rc == WL_OK)
        rc = wl_history_years_csv(years, &a, 1 << 20);
    if (rc == WL_OK)
        rc = wl_history_events_csv(page, &b, 1 << 20);
    if (rc == WL_OK && (im.nbad != 1 || im.transcoded != 1))
        rc = WL_ERR_INTERNAL;
    if (rc == WL_OK &&
        (*out = json_pack("{s:O, s:O, s:O, s:O, s:s%, s:s%}", "bodies", bodies, "mem", mem, "years",
                          years, "page", page, "ycsv", a.buf, a.len, "ecsv", b.buf, b.len)) == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(bodies);
    json_decref(mem);
    json_decref(years);
    json_decref(page);
    wl_buf_free(&a);
    wl_buf_free(&b);
    wl_history_import_free(&im);
    return rc;
}

static void test_alloc_faults(void **state)
{
    fixture *f = *state;
    wl_history_import im;
    json_t *bodies = NULL;
    wl_error err;
    size_t line;
    unsigned long bad, n;
    /* the store holds the events first, so the views have something to read */
    assert_int_equal(wl_history_ucdp_read(fault_csv, sizeof fault_csv - 1, &im, &line, &err),
                     WL_OK);
    assert_int_equal(wl_history_batches(im.ev, im.n, "24.1", FILE0, &bodies, &err), WL_OK);
    assert_int_equal(submit(f, json_array_get(bodies, 0), &err), WL_OK);
    json_decref(bodies);
    wl_history_import_free(&im);
    n = wl_test_alloc_faults(fault_session, f, &bad);
    if (bad)
        fail_msg("allocation %lu failed, yet the answer was WL_OK and not the same", bad);
    assert_true(n > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staged_file),
        cmocka_unit_test(test_rows),
        cmocka_unit_test_setup_teardown(test_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
