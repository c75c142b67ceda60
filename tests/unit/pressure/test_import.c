/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A list's import as the differences from what the log holds
 * (wl_pressure_diff, lib/pressure/import.c): a first import adds every
 * subject; the same subjects from another file write nothing; a subject
 * missing is delisted on the file's date, listed kept; a body changed is
 * amended, listed kept from the first listing, amended the file's date (or
 * the list's own); a delisted subject listed again is added; the snapshot
 * counts them; a body of another list and a subject twice are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "willing/pressure.h"

#define F1 "1111111111111111111111111111111111111111111111111111111111111111"
#define F2 "2222222222222222222222222222222222222222222222222222222222222222"

/* A designation of ofac-sdn: subject, name, listed, file, and extra fields (",..." or ""). */
static json_t *desig(const char *subject, const char *name, const char *listed, const char *file,
                     const char *extra)
{
    char text[1024];
    json_error_t je;
    json_t *b;
    snprintf(text, sizeof text,
             "{\"subject\": \"%s\", \"type\": \"person\", \"names\": [{\"name\": \"%s\", "
             "\"script\": \"Latn\"}], \"listed\": \"%s\"%s, \"source\": {\"list\": "
             "\"ofac-sdn\", \"file\": \"%s\"}}",
             subject, name, listed, extra, file);
    b = json_loads(text, 0, &je);
    assert_non_null(b);
    return b;
}

static json_t *list_of(json_t *a, json_t *b, json_t *c)
{
    json_t *l = json_array();
    if (a)
        json_array_append_new(l, a);
    if (b)
        json_array_append_new(l, b);
    if (c)
        json_array_append_new(l, c);
    return l;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void counts(const wl_pressure_plan *p, size_t subjects, size_t added, size_t amended,
                   size_t delisted)
{
    const json_t *c = json_object_get(p->snapshot, "counts");
    assert_int_equal(p->subjects, subjects);
    assert_int_equal(p->added, added);
    assert_int_equal(p->amended, amended);
    assert_int_equal(p->delisted, delisted);
    assert_int_equal(json_integer_value(json_object_get(c, "subjects")), subjects);
    assert_int_equal(json_integer_value(json_object_get(c, "added")), added);
    assert_int_equal(json_integer_value(json_object_get(c, "amended")), amended);
    assert_int_equal(json_integer_value(json_object_get(c, "delisted")), delisted);
    assert_int_equal(json_array_size(p->writes), added + amended + delisted);
}

static void first_import(void **state)
{
    (void)state;
    json_t *in = list_of(desig("1", "PETROV, Ivan", "2024-05-03", F1, ""),
                         desig("2", "SIDOROV, Oleg", "2024-05-03", F1, ""), NULL);
    json_t *none = json_array();
    wl_pressure_plan p;
    wl_error err;
    assert_int_equal(wl_pressure_diff("ofac-sdn", F1, "2024-05-03", -1, in, none, &p, &err), WL_OK);
    counts(&p, 2, 2, 0, 0);
    assert_string_equal(str(p.snapshot, "file"), F1);
    assert_string_equal(str(p.snapshot, "date"), "2024-05-03");
    assert_true(json_is_null(json_object_get(p.snapshot, "base"))); /* the list's first */
    assert_string_equal(str(json_array_get(p.writes, 0), "subject"), "1");
    wl_pressure_plan_free(&p);
    wl_pressure_plan_free(&p); /* a no-op on a zeroed plan */
    /* refused: a subject twice, a date that is no date (the snapshot's own check) */
    json_array_append_new(in, desig("1", "PETROV, Ivan", "2024-05-03", F1, ""));
    assert_int_equal(wl_pressure_diff("ofac-sdn", F1, "2024-05-03", -1, in, none, &p, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "duplicate_subject");
    assert_null(p.writes);
    assert_null(p.snapshot);
    assert_int_equal(wl_pressure_diff("ofac-sdn", F1, "2024-5-3", -1, none, none, &p, &err),
                     WL_ERR_INVALID);
    assert_null(p.snapshot);
    json_decref(in);
    json_decref(none);
}

static void differences(void **state)
{
    (void)state;
    /* stored from the first file: 1, 2 and 3 (3 delisted before), 4 */
    json_t *stored =
        list_of(desig("1", "PETROV, Ivan", "2024-05-03", F1, ""),
                desig("2", "SIDOROV, Oleg", "2024-05-03", F1, ""),
                desig("3", "IVANOV, Lev", "2024-05-03", F1, ", \"delisted\": \"2024-06-01\""));
    json_t *in;
    wl_pressure_plan p;
    wl_error err;
    const json_t *w;
    json_array_append_new(stored, desig("4", "KOZLOV, Pavel", "2024-05-03", F1, ""));
    /* the second file: 1 the same (another file, another date), 2 changed, 3 listed again,
     * 4 missing */
    in = list_of(desig("1", "PETROV, Ivan", "2024-07-01", F2, ""),
                 desig("2", "SIDOROV, Oleg", "2024-07-01", F2, ", \"programmes\": [\"SDGT\"]"),
                 desig("3", "IVANOV, Lev", "2024-07-01", F2, ""));
    assert_int_equal(wl_pressure_diff("ofac-sdn", F2, "2024-07-01", 12, in, stored, &p, &err),
                     WL_OK);
    counts(&p, 3, 1, 1, 1);
    /* compared against the list's snapshot at entry 12 */
    assert_int_equal(json_integer_value(json_object_get(p.snapshot, "base")), 12);
    /* amended: listed kept, amended the file's date, the new file */
    w = json_array_get(p.writes, 0);
    assert_string_equal(str(w, "subject"), "2");
    assert_string_equal(str(w, "listed"), "2024-05-03");
    assert_string_equal(str(w, "amended"), "2024-07-01");
    assert_string_equal(str(json_object_get(w, "source"), "file"), F2);
    assert_non_null(json_object_get(w, "programmes"));
    /* listed again: as the file gives it, no delisted */
    w = json_array_get(p.writes, 1);
    assert_string_equal(str(w, "subject"), "3");
    assert_string_equal(str(w, "listed"), "2024-07-01");
    assert_null(json_object_get(w, "delisted"));
    /* missing: delisted on the file's date, listed kept */
    w = json_array_get(p.writes, 2);
    assert_string_equal(str(w, "subject"), "4");
    assert_string_equal(str(w, "listed"), "2024-05-03");
    assert_string_equal(str(w, "delisted"), "2024-07-01");
    assert_string_equal(str(json_object_get(w, "source"), "file"), F2);
    wl_pressure_plan_free(&p);

    /* the same subjects again: nothing to write, a snapshot of zero counts (the route refuses
     * the same file's snapshot, not this) */
    assert_int_equal(wl_pressure_diff("ofac-sdn", F1, "2024-05-03", 12, stored, stored, &p, &err),
                     WL_OK);
    counts(&p, 4, 0, 0, 0);
    wl_pressure_plan_free(&p);
    json_decref(in);
    json_decref(stored);
}

static void amended_by_the_list(void **state)
{
    (void)state;
    json_t *stored = list_of(desig("7", "PETROV, Ivan", "2020-01-01", F1, ""), NULL, NULL);
    json_t *in = list_of(
        desig("7", "PETROV, Ivan Ivanovich", "2024-07-01", F2, ", \"amended\": \"2024-02-02\""),
        NULL, NULL);
    wl_pressure_plan p;
    wl_error err;
    assert_int_equal(wl_pressure_diff("un-sc", F2, "2024-07-01", 12, in, stored, &p, &err),
                     WL_ERR_INVALID); /* not the list's */
    assert_null(p.writes);
    assert_int_equal(wl_pressure_diff("ofac-sdn", F2, "2024-07-01", 12, in, stored, &p, &err),
                     WL_OK);
    counts(&p, 1, 0, 1, 0);
    assert_string_equal(str(json_array_get(p.writes, 0), "amended"), "2024-02-02");
    assert_string_equal(str(json_array_get(p.writes, 0), "listed"), "2020-01-01");
    wl_pressure_plan_free(&p);
    json_decref(in);
    json_decref(stored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_import),
        cmocka_unit_test(differences),
        cmocka_unit_test(amended_by_the_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
