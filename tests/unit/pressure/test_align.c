/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The same subject across lists (lib/pressure/align.c, align_join.c) over a real
 * store: designations of one name with many dates of birth are grouped in near-linear
 * work (pairs tried counted, not timed: the all-pairs grouping this replaced tried
 * n(n-1)/2 pairs of a name, each comparing every date with every date), and into the
 * groups every pair compared would give: a reference computed here pair by pair over
 * dates of every precision, circa ones and none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "pressure/align_int.h"
#include "store/store.h"
#include "willing/names.h"

#define HASH "0000000000000000000000000000000000000000000000000000000000000000"

static wl_names *names;

/* A designation of list's subject, of type (a person, an entity) named name, with dates of
   birth dobs (a JSON array's inside, "" none). */
static void put(wl_store *s, const char *list, const char *subject, const char *type,
                const char *name, const char *dobs)
{
    char body[4096];
    wl_store_designation d = {.source = list,
                              .subject = subject,
                              .author = list,
                              .type = type,
                              .listed = "2022-03-01",
                              .idx = 1,
                              .body = body};
    snprintf(body, sizeof body,
             "{\"subject\":\"%s\",\"type\":\"%s\",\"names\":[{\"name\":\"%s\",\"script\":"
             "\"Latn\"}],\"dob\":[%s],\"listed\":\"2022-03-01\",\"source\":{\"list\":\"%s\","
             "\"file\":\"" HASH "\"}}",
             subject, type, name, dobs, list);
    assert_int_equal(wl_store_designation_put(s, &d), WL_OK);
}

static wl_pressure_align *built(wl_store *s)
{
    wl_pressure_align *a = NULL;
    wl_error err;
    if (wl_pressure_align_build(s, names, 1, &a, &err) != WL_OK)
        fail_msg("%s", err.msg);
    return a;
}

/* gb designates 2,000 "Ivan Petrovich Sidorov", each with 16 dates of birth, the i-th the
   days i..i+15 of a run of distinct dates: every one shares dates with its neighbours, so
   they are one subject. */
static void one_name_many_dates(void **state)
{
    wl_test_fx *f = *state;
    enum { N = 2000, DOBS = 16 };
    char subject[16], dobs[DOBS * 24];
    wl_pressure_align *a;
    assert_int_equal(wl_store_begin(f->s), WL_OK); /* one transaction: one sync */
    assert_int_equal(wl_test_member_put(f->s, "gb", "member", 0), WL_OK);
    for (int i = 0; i < N; i++) {
        size_t k = 0;
        for (int j = 0, t = i; j < DOBS; j++, t++)
            k += (size_t)snprintf(dobs + k, sizeof dobs - k, "%s{\"date\":\"%d-%02d-%02d\"}",
                                  j ? "," : "", 1900 + t / 336, 1 + t / 28 % 12, 1 + t % 28);
        snprintf(subject, sizeof subject, "s%05d", i);
        put(f->s, "gb", subject, "person", "Ivan Petrovich Sidorov", dobs);
    }
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    a = built(f->s);
    assert_int_equal(a->nd, N);
    assert_int_equal(a->ng, 1);
    /* near-linear: a few pairs tried per date of each name key; all pairs would be
       N(N-1)/2 = 1,999,000 of each key, each 256 comparisons of dates */
    assert_true(a->compared < (uint64_t)N * DOBS * 2);
    wl_pressure_align_free(a);
}

/* ---- the reference: every pair compared ---- */

typedef struct {
    int year, month, day, circa;
} ref_date;

static int ref_agree(const ref_date *x, const ref_date *y)
{
    if (x->circa || y->circa)
        return abs(x->year - y->year) <= 2;
    return x->year == y->year && (!x->month || !y->month || x->month == y->month) &&
           (!x->day || !y->day || x->day == y->day);
}

static int ref_find(int *p, int x)
{
    while (p[x] != x)
        x = p[x];
    return x;
}

/* 400 designations of one name, each with 0-3 dates of every precision drawn from a small
   range (so that they agree often, through a year alone, a month, circa): the subjects are
   the components of "no date, or a date agreeing" over every pair. */
static void same_groups_as_every_pair(void **state)
{
    wl_test_fx *f = *state;
    enum { N = 400 };
    static ref_date dates[N][3];
    static int nd[N], parent[N];
    wl_pressure_align *a;
    unsigned seed = 12;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    for (int i = 0; i < N; i++) {
        char dobs[256] = "", subject[16];
        size_t k = 0;
        nd[i] = i % 95 == 0 ? 0 : 1 + (int)(rand_r(&seed) % 2); /* 0: entities, joined */
        for (int j = 0; j < nd[i]; j++) {
            ref_date *d = &dates[i][j];
            int kind = (int)(rand_r(&seed) % 10); /* a year alone, a month, a day, circa */
            d->year = 1700 + (int)(rand_r(&seed) % 300);
            d->month = kind >= 1 && kind <= 8 ? 1 + (int)(rand_r(&seed) % 3) : 0;
            d->day = kind >= 3 && kind <= 8 ? 1 + (int)(rand_r(&seed) % 3) : 0;
            d->circa = kind == 9;
            k += (size_t)snprintf(dobs + k, sizeof dobs - k, "%s{\"date\":\"%d", j ? "," : "",
                                  d->year);
            if (d->month)
                k += (size_t)snprintf(dobs + k, sizeof dobs - k, "-%02d", d->month);
            if (d->day)
                k += (size_t)snprintf(dobs + k, sizeof dobs - k, "-%02d", d->day);
            k += (size_t)snprintf(dobs + k, sizeof dobs - k, "\"%s}",
                                  d->circa ? ",\"circa\":true" : "");
        }
        snprintf(subject, sizeof subject, "r%05d", i);
        put(f->s, "us", subject, i % 5 ? "person" : "entity",
            i % 2 ? "Petr Ivanovich Orlov" : "ORLOV, Petr Ivanovich", dobs);
        parent[i] = i;
    }
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    for (int x = 0; x < N; x++)
        for (int y = x + 1; y < N; y++) {
            int agree = (x % 5 == 0) == (y % 5 == 0) && (nd[x] == 0 || nd[y] == 0);
            for (int i = 0; i < nd[x] && !agree && (x % 5 == 0) == (y % 5 == 0); i++)
                for (int j = 0; j < nd[y] && !agree; j++)
                    agree = ref_agree(&dates[x][i], &dates[y][j]);
            if (agree && ref_find(parent, x) != ref_find(parent, y))
                parent[ref_find(parent, y)] = ref_find(parent, x);
        }
    a = built(f->s);
    assert_int_equal(a->nd, N); /* rows by subject: r00000... is designation i */
    for (int x = 0; x < N; x++)
        for (int y = x + 1; y < N; y++)
            if ((ref_find(parent, x) == ref_find(parent, y)) != (a->d[x].group == a->d[y].group))
                fail_msg("r%05d and r%05d: %s by every pair, %s by the alignment", x, y,
                         ref_find(parent, x) == ref_find(parent, y) ? "one" : "two",
                         a->d[x].group == a->d[y].group ? "one" : "two");
    wl_pressure_align_free(a);
}

/* A kept apart from B and from C by decisions, all three of one name and date of birth: B and
   C still join (each tries every group of the date so far), A alone. */
static void kept_apart(void **state)
{
    wl_test_fx *f = *state;
    static const char *const subjects[] = {"a", "b", "c"};
    wl_store_decision d = {.a_list = "gb",
                           .a_subject = "a",
                           .b_list = "gb",
                           .author = "co",
                           .reason = "another man",
                           .same = 0,
                           .idx = 9};
    wl_pressure_align *a;
    for (int i = 0; i < 3; i++)
        put(f->s, "gb", subjects[i], "person", "Ivan Petrov", "{\"date\":\"1970-01-01\"}");
    d.b_subject = "b";
    assert_int_equal(wl_store_decision_put(f->s, &d), WL_OK);
    d.b_subject = "c";
    assert_int_equal(wl_store_decision_put(f->s, &d), WL_OK);
    a = built(f->s);
    assert_int_equal(a->ng, 2);
    assert_int_not_equal(a->d[0].group, a->d[1].group);
    assert_int_equal(a->d[1].group, a->d[2].group);
    assert_true(a->kept_apart >= 2);
    wl_pressure_align_free(a);
}

static int setup(void **state)
{
    wl_error err;
    return wl_names_open(&names, &err) == WL_OK ? wl_test_fx_setup(state, "align") : -1;
}

static int teardown(void **state)
{
    wl_names_close(names);
    return wl_test_fx_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_name_many_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(same_groups_as_every_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(kept_apart, setup, teardown)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
