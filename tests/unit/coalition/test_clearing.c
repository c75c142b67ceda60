/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Conditions and clearing: the parser and its refusals, the JSON form, and
 * clearing cases (mutual conditions, chains, cycles, thresholds, any, facts
 * recorded then retracted, totals), with reasons; a property test over random
 * pledge sets: the result is a fixpoint, equals brute force over all subsets
 * (up to 12 pledges), and does not change when the input is permuted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "willing/coalition.h"

static wl_cond *C(const char *text)
{
    wl_cond *c = NULL;
    char why[256];
    if (wl_cond_parse(text, &c, why, sizeof why) != WL_OK)
        fail_msg("parse %s: %s", text, why);
    return c;
}

static void test_parse_and_refusals(void **state)
{
    static const char *ok[] = {
        "true",
        "requires(us)",
        "all(requires(us), at_least(5, ground_forces))",
        "any(fact(ceasefire-signed), total(air_defence, systems) >= 100)",
        "total(ground_forces) >= 30000",
        "total(finance, gbp) >= 1600000000.50",
        " all ( requires ( us ) , fact ( x ) ) ",
    };
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"not(requires(us))", "never be undone"},
        {"!requires(us)", "never be undone"},
        {"at_most(3, ground_forces)", "more members joining would undo"},
        {"total(air_defence, systems) < 100", "totals only grow"},
        {"total(air_defence, systems) <= 100", "totals only grow"},
        {"total(finance) >= 5", "needs its unit"},
        {"requires(US)", "a-z"},
        {"all()", "expected a name"},
        {"requires(us) extra", "unexpected text"},
        {"at_least(x, ground_forces)", "whole number"},
        {"total(air_defence, systems) >= 1.23456", "at most 4 places"},
        {"maybe(us)", "expected all, any"},
        {"all(all(all(all(all(all(all(all(all(all(true))))))))))", "nest at most"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        wl_cond *c = C(ok[i]), *back = NULL;
        json_t *j = wl_cond_to_json(c);
        char why[256];
        assert_non_null(j);
        assert_int_equal(wl_cond_from_json(j, &back, why, sizeof why), WL_OK);
        json_t *j2 = wl_cond_to_json(back);
        assert_true(json_equal(j, j2));
        json_decref(j);
        json_decref(j2);
        wl_cond_free(back);
        wl_cond_free(c);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wl_cond *c = NULL;
        char why[512] = "";
        if (wl_cond_parse(bad[i].text, &c, why, sizeof why) == WL_OK)
            fail_msg("accepted %s", bad[i].text);
        if (strstr(why, bad[i].why) == NULL)
            fail_msg("%s: refused with '%s', expected '%s'", bad[i].text, why, bad[i].why);
    }
    /* the JSON form refuses the same things */
    {
        static const char *jbad[] = {
            "{\"not\":{\"requires\":\"us\"}}", "{\"at_most\":{\"n\":3,\"category\":\"x\"}}",
            "{\"total\":{\"category\":\"x\",\"unit\":\"u\",\"max\":\"3\"}}", "{\"all\":[]}",
            "{\"requires\":\"us\",\"fact\":\"x\"}"};
        for (size_t i = 0; i < sizeof jbad / sizeof jbad[0]; i++) {
            json_t *j = json_loads(jbad[i], 0, NULL);
            wl_cond *c = NULL;
            char why[512];
            assert_non_null(j);
            assert_int_equal(wl_cond_from_json(j, &c, why, sizeof why), WL_ERR_INVALID);
            json_decref(j);
        }
    }
}

typedef struct {
    const char *id, *member, *category, *unit, *qty, *cond;
} P;

static wl_clearing run(const P *ps, size_t n, const char *const *facts, size_t nf)
{
    wl_pledge_in in[64];
    wl_cond *conds[64];
    wl_clearing out;
    for (size_t i = 0; i < n; i++) {
        in[i].id = ps[i].id;
        in[i].member = ps[i].member;
        in[i].category = ps[i].category;
        in[i].unit = ps[i].unit;
        assert_int_equal(wl_qty_parse(ps[i].qty, strlen(ps[i].qty), &in[i].qty), WL_OK);
        conds[i] = ps[i].cond ? C(ps[i].cond) : NULL;
        in[i].cond = conds[i];
    }
    assert_int_equal(wl_clear(in, n, facts, nf, &out), WL_OK);
    for (size_t i = 0; i < n; i++)
        wl_cond_free(conds[i]);
    return out;
}

static void test_cases(void **state)
{
    wl_clearing r;
    (void)state;
    /* mutual: A if B, B if A -> both bind */
    {
        P ps[] = {{"a", "fr", "ground_forces", "troops", "2000", "requires(gb)"},
                  {"b", "gb", "ground_forces", "troops", "5000", "requires(fr)"}};
        r = run(ps, 2, NULL, 0);
        assert_true(r.binding[0] && r.binding[1]);
        wl_clearing_free(&r);
    }
    /* a chain resting on an unconditional pledge binds; cut at its root it falls whole */
    {
        P ps[] = {{"p1", "m1", "logistics", "units", "1", NULL},
                  {"p2", "m2", "logistics", "units", "1", "requires(m1)"},
                  {"p3", "m3", "logistics", "units", "1", "requires(m2)"},
                  {"p4", "m4", "logistics", "units", "1", "requires(m3)"}};
        r = run(ps, 4, NULL, 0);
        for (int i = 0; i < 4; i++)
            assert_true(r.binding[i]);
        wl_clearing_free(&r);
        ps[0].cond = "requires(m0)";
        r = run(ps, 4, NULL, 0);
        for (int i = 0; i < 4; i++)
            assert_false(r.binding[i]);
        assert_non_null(strstr(r.reason[0], "requires(m0): m0 holds no binding pledge"));
        assert_non_null(strstr(r.reason[3], "requires(m3)"));
        wl_clearing_free(&r);
    }
    /* a cycle that hangs on a fact: binds only when the fact is recorded */
    {
        P ps[] = {
            {"a", "ua", "training", "units", "1", "requires(pl)"},
            {"b", "pl", "training", "units", "1", "requires(de)"},
            {"c", "de", "training", "units", "1", "all(requires(ua), fact(ceasefire-signed))"}};
        const char *facts[] = {"ceasefire-signed"};
        r = run(ps, 3, NULL, 0);
        assert_false(r.binding[0] || r.binding[1] || r.binding[2]);
        assert_non_null(strstr(r.reason[2], "fact(ceasefire-signed) is not recorded"));
        wl_clearing_free(&r);
        r = run(ps, 3, facts, 1); /* recorded */
        assert_true(r.binding[0] && r.binding[1] && r.binding[2]);
        wl_clearing_free(&r);
        r = run(ps, 3, NULL, 0); /* retracted again */
        assert_false(r.binding[0] || r.binding[1] || r.binding[2]);
        wl_clearing_free(&r);
    }
    /* thresholds: "at least 5 OTHER nations send ground forces"; the author does not count */
    {
        P ps[] = {{"x", "gb", "ground_forces", "troops", "2000", "at_least(5, ground_forces)"},
                  {"1", "fr", "ground_forces", "troops", "1", NULL},
                  {"2", "de", "ground_forces", "troops", "1", NULL},
                  {"3", "pl", "ground_forces", "troops", "1", NULL},
                  {"4", "nl", "ground_forces", "troops", "1", NULL},
                  {"5", "gb", "ground_forces", "troops", "1", NULL}};
        r = run(ps, 6, NULL, 0);
        assert_false(r.binding[0]);
        assert_non_null(strstr(r.reason[0], "4 other members hold binding pledges there; needs 1 "
                                            "more member with ground_forces"));
        wl_clearing_free(&r);
        ps[5].member = "se";
        r = run(ps, 6, NULL, 0);
        assert_true(r.binding[0]);
        wl_clearing_free(&r);
    }
    /* any, and totals with exact decimals */
    {
        P ps[] = {
            {"f", "gb", "finance", "gbp", "1600000000", NULL},
            {"g", "fr", "air_defence", "systems", "40",
             "any(fact(us-backstop), total(finance, gbp) >= 1600000000.0001)"},
            {"h", "it", "air_defence", "systems", "60", "total(air_defence, systems) >= 100"}};
        r = run(ps, 3, NULL, 0);
        assert_true(r.binding[0]);
        assert_false(r.binding[1]);
        assert_non_null(strstr(r.reason[1], "needs 0.0001 more gbp"));
        assert_non_null(strstr(r.reason[1], "fact(us-backstop) is not recorded"));
        /* h counts itself in the coalition total, but g fell: 60 < 100 */
        assert_false(r.binding[2]);
        assert_non_null(strstr(r.reason[2], "the binding total is 60; needs 40 more systems"));
        wl_clearing_free(&r);
        const char *f[] = {"us-backstop"};
        r = run(ps, 3, f, 1);
        assert_true(r.binding[1] && r.binding[2]);
        wl_clearing_free(&r);
    }
}

/* ---- property test ---- */

static const char *members[] = {"a", "b", "c", "d", "e"};
static const char *cats[] = {"ground_forces", "air_defence", "logistics"};

static char *random_cond(unsigned *seed, int depth)
{
    char *s = malloc(512);
    int k = rand_r(seed) % (depth > 1 ? 5 : 7);
    switch (k) {
    case 0:
        snprintf(s, 512, "requires(%s)", members[rand_r(seed) % 5]);
        break;
    case 1:
        snprintf(s, 512, "at_least(%d, %s)", rand_r(seed) % 4, cats[rand_r(seed) % 3]);
        break;
    case 2:
        snprintf(s, 512, "total(%s, u) >= %d", cats[rand_r(seed) % 3], rand_r(seed) % 12);
        break;
    case 3:
        snprintf(s, 512, "fact(%s)", rand_r(seed) % 2 ? "f1" : "f2");
        break;
    case 4:
        snprintf(s, 512, "true");
        break;
    default: {
        char *a = random_cond(seed, depth + 1), *b = random_cond(seed, depth + 1);
        snprintf(s, 512, "%s(%s, %s)", k == 5 ? "all" : "any", a, b);
        free(a);
        free(b);
    }
    }
    return s;
}

/* Does every pledge of set S hold its condition given S? (by running clearing on S alone
 * with all conditions: S is consistent iff clearing S keeps all of S) */
static int consistent(const wl_pledge_in *in, size_t n, unsigned mask, const char *const *facts,
                      size_t nf)
{
    wl_pledge_in sub[16];
    size_t k = 0;
    wl_clearing r;
    int all = 1;
    for (size_t i = 0; i < n; i++)
        if (mask >> i & 1)
            sub[k++] = in[i];
    if (wl_clear(sub, k, facts, nf, &r) != WL_OK)
        return -1;
    for (size_t i = 0; i < k; i++)
        all &= r.binding[i];
    wl_clearing_free(&r);
    return all;
}

static void test_property(void **state)
{
    unsigned seed = 12345;
    (void)state;
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + (size_t)(rand_r(&seed) % 12);
        wl_pledge_in in[12], perm[12];
        wl_cond *conds[12];
        char qty[12][8];
        const char *facts[] = {"f1"};
        size_t nf = (size_t)(rand_r(&seed) % 2);
        wl_clearing r, rp;
        unsigned best = 0;
        int bestn = -1;
        size_t order[12];

        for (size_t i = 0; i < n; i++) {
            char *t = random_cond(&seed, 0);
            conds[i] = C(t);
            free(t);
            in[i].id = "p";
            in[i].member = members[rand_r(&seed) % 5];
            in[i].category = cats[rand_r(&seed) % 3];
            in[i].unit = "u";
            snprintf(qty[i], sizeof qty[i], "%d", rand_r(&seed) % 5);
            assert_int_equal(wl_qty_parse(qty[i], strlen(qty[i]), &in[i].qty), WL_OK);
            in[i].cond = conds[i];
        }
        assert_int_equal(wl_clear(in, n, facts, nf, &r), WL_OK);
        /* brute force: the largest consistent subset (unique for monotone conditions) */
        for (unsigned mask = 0; mask < (1u << n); mask++) {
            int c = consistent(in, n, mask, facts, nf);
            assert_true(c >= 0);
            if (c && __builtin_popcount(mask) > bestn) {
                bestn = __builtin_popcount(mask);
                best = mask;
            }
        }
        for (size_t i = 0; i < n; i++)
            if (r.binding[i] != (best >> i & 1))
                fail_msg("round %d: pledge %zu binding=%d, brute force says %u", round, i,
                         r.binding[i], best >> i & 1);
        /* a permutation gives the same result */
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)rand_r(&seed) % i, t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < n; i++)
            perm[i] = in[order[i]];
        assert_int_equal(wl_clear(perm, n, facts, nf, &rp), WL_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(rp.binding[i], r.binding[order[i]]);
        /* and it is a fixpoint: every binding pledge holds given the binding set, every
         * other pledge has a reason */
        for (size_t i = 0; i < n; i++)
            assert_true(r.binding[i] ? r.reason[i] == NULL : r.reason[i] != NULL);
        wl_clearing_free(&r);
        wl_clearing_free(&rp);
        for (size_t i = 0; i < n; i++)
            wl_cond_free(conds[i]);
    }
}

static void test_long_chain(void **state)
{
    enum { N = 20000 };
    static wl_pledge_in in[N];
    static char names[N][16], conds_text[N][32];
    static wl_cond *conds[N];
    wl_clearing r;
    (void)state;
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "m%d", i);
        snprintf(conds_text[i], sizeof conds_text[i], "requires(m%d)", i + 1);
        conds[i] = C(conds_text[i]);
        in[i] = (wl_pledge_in){"p", names[i], "logistics", "units", 1, conds[i]};
    }
    /* the last one rests on a member with no pledge: the whole chain falls, one by one */
    assert_int_equal(wl_clear(in, N, NULL, 0, &r), WL_OK);
    for (int i = 0; i < N; i++)
        assert_false(r.binding[i]);
    assert_true(r.rounds < 3 * N); /* near-linear: each pledge re-evaluated O(1) times */
    wl_clearing_free(&r);
    for (int i = 0; i < N; i++)
        wl_cond_free(conds[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_refusals),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_property),
        cmocka_unit_test(test_long_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
