/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition module's rules and views on a real SQLite store in a
 * temporary file: a pledge's body and condition are checked, amending or
 * withdrawing is only for the pledge's own author (another member's pledge
 * looks like one that does not exist), and the coverage views differ by who
 * looks: the public sees announced pledges only, a member its own sealed
 * pledges too, the coordinator every one.
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
#include "willing/coalition.h"
#include "willing/module.h"

#define ORIGIN "example.org/coalition"
#define P_GB "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* gb's sealed pledge */
#define P_FR "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" /* fr's sealed pledge */
#define P_PL "cccccccccccccccccccccccccccccccc" /* pl's pledge, announced */
#define P_NO "dddddddddddddddddddddddddddddddd" /* no such pledge */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    wl_key gb, fr, pl;
    uint64_t size; /* entries in the log */
    int64_t received;
} fixture;

/* Parsed sealed content of kind by author (signed with k); caller clears e and frees *raw. */
static void content(const char *kind, const char *author, const wl_key *k, const char *body,
                    char **raw, size_t *len, wl_entry *e)
{
    static unsigned nonce;
    char n[33];
    snprintf(n, sizeof n, "%032x", ++nonce);
    assert_int_equal(wl_sealed_build(ORIGIN, kind, author, n, 1741392000, body, k, raw, len),
                     WL_OK);
    assert_int_equal(wl_sealed_parse(*raw, *len, e, NULL, 0), WL_OK);
}

/* Stores sealed content as the daemon does once its rules passed. */
static void seal(fixture *f, const char *kind, const char *author, const wl_key *k,
                 const char *pledge, const char *body)
{
    wl_entry e;
    char *raw = NULL;
    size_t len = 0;
    content(kind, author, k, body, &raw, &len, &e);
    assert_int_equal(wl_test_sealed_put(f->s, author, pledge, raw, len, (int)f->received,
                                        1741392060, f->received + 1),
                     WL_OK);
    f->received++;
    wl_entry_clear(&e);
    wl_free(raw);
}

/* Announces a pledge: an announce entry in the log carrying its content. */
static void announce(fixture *f, const char *author, const wl_key *k, const char *body)
{
    wl_entry e;
    char *raw = NULL;
    size_t len = 0;
    content("pledge", author, k, body, &raw, &len, &e);
    assert_int_equal(wl_test_announce(f->s, &f->size, ORIGIN, author, k, raw, len), WL_OK);
    wl_entry_clear(&e);
    wl_free(raw);
}

static void member(fixture *f, const char *id, const char *role, int sealed)
{
    assert_int_equal(wl_test_member_put(f->s, id, role, sealed), WL_OK);
}

static int setup(void **state)
{
    static fixture f;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-coalition-", &f.s), WL_OK);
    wl_key_generate(&f.gb);
    wl_key_generate(&f.fr);
    wl_key_generate(&f.pl);
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    member(&f, "op", "operator", 0);
    member(&f, "co", "coordinator", 0);
    member(&f, "gb", "member", 0);
    member(&f, "fr", "member", 1);
    member(&f, "pl", "member", 0);
    assert_int_equal(wl_store_requirement_put(
                         f.s, "gf",
                         "{\"requirement\":\"gf\",\"category\":\"ground_forces\",\"quantity\":"
                         "\"10000\",\"unit\":\"troops\",\"priority\":1}",
                         0),
                     WL_OK);
    seal(&f, "pledge", "gb", &f.gb, P_GB,
         "{\"pledge\":\"" P_GB "\",\"category\":\"ground_forces\",\"quantity\":\"2000\","
         "\"unit\":\"troops\"}");
    seal(&f, "pledge", "fr", &f.fr, P_FR,
         "{\"pledge\":\"" P_FR "\",\"category\":\"ground_forces\",\"quantity\":\"3000\","
         "\"unit\":\"troops\"}");
    announce(&f, "pl", &f.pl,
             "{\"pledge\":\"" P_PL "\",\"category\":\"ground_forces\",\"quantity\":\"500\","
             "\"unit\":\"troops\"}");
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wl_store_close(f->s);
    return wl_test_rmdir(f->dir);
}

/* What a kind's rules say about sealed content: its descriptor's validate, then seal_check. */
static wl_rc rules(fixture *f, const char *kind, const char *author, const wl_key *k,
                   const char *body, wl_error *err)
{
    wl_entry e;
    char *raw = NULL;
    size_t len = 0;
    const wl_kind *d = wl_kind_sealable(kind);
    wl_rc rc;
    assert_non_null(d);
    assert_non_null(d->validate);
    assert_non_null(d->seal_check);
    memset(err, 0, sizeof *err);
    content(kind, author, k, body, &raw, &len, &e);
    rc = d->validate(&e, err);
    if (rc == WL_OK)
        rc = d->seal_check(f->s, &e, err);
    wl_entry_clear(&e);
    wl_free(raw);
    return rc;
}

static void test_amend_only_ones_own(void **state)
{
    fixture *f = *state;
    wl_error err;
    static const char amend_gb[] =
        "{\"pledge\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"amends\":\"" P_GB
        "\",\"category\":\"ground_forces\",\"quantity\":\"2500\",\"unit\":\"troops\"}";
    /* fr amending gb's pledge: refused as if it did not exist */
    assert_int_equal(rules(f, "pledge", "fr", &f->fr, amend_gb, &err), WL_ERR_NOT_FOUND);
    assert_string_equal(err.code, "unknown_pledge");
    assert_non_null(strstr(err.msg, P_GB));
    /* gb amending its own: accepted */
    assert_int_equal(rules(f, "pledge", "gb", &f->gb, amend_gb, &err), WL_OK);
    /* and withdrawing: the same rule */
    assert_int_equal(rules(f, "pledge.withdraw", "fr", &f->fr, "{\"pledge\":\"" P_GB "\"}", &err),
                     WL_ERR_NOT_FOUND);
    assert_string_equal(err.code, "unknown_pledge");
    assert_int_equal(rules(f, "pledge.withdraw", "gb", &f->gb, "{\"pledge\":\"" P_GB "\"}", &err),
                     WL_OK);
}

static void test_withdraw_unknown_refused(void **state)
{
    fixture *f = *state;
    wl_error err;
    assert_int_equal(rules(f, "pledge.withdraw", "gb", &f->gb, "{\"pledge\":\"" P_NO "\"}", &err),
                     WL_ERR_NOT_FOUND);
    assert_string_equal(err.code, "unknown_pledge");
    assert_non_null(strstr(err.msg, P_NO));
    /* not an id, or with a field a withdrawal does not have: refused before the store */
    assert_int_equal(rules(f, "pledge.withdraw", "gb", &f->gb, "{\"pledge\":\"x\"}", &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_pledge");
    assert_int_equal(rules(f, "pledge.withdraw", "gb", &f->gb,
                           "{\"pledge\":\"" P_GB "\",\"member\":\"fr\"}", &err),
                     WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "'member'"));
}

static void test_unknown_category_refused(void **state)
{
    fixture *f = *state;
    wl_error err;
    assert_int_equal(rules(f, "pledge", "gb", &f->gb,
                           "{\"pledge\":\"" P_NO "\",\"category\":\"tanks\",\"quantity\":\"1\","
                           "\"unit\":\"troops\"}",
                           &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_pledge");
    assert_non_null(strstr(err.msg, "'category'"));
    /* a condition naming an unknown category could never bind: refused too */
    assert_int_equal(rules(f, "pledge", "gb", &f->gb,
                           "{\"pledge\":\"" P_NO "\",\"category\":\"maritime\",\"quantity\":\"1\","
                           "\"unit\":\"ships\",\"condition\":{\"at_least\":{\"n\":2,"
                           "\"category\":\"tanks\"}}}",
                           &err),
                     WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown category 'tanks'"));
}

static int contains(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, needle, n) == 0)
            return 1;
    return 0;
}

/* The view's JSON answer, parsed. */
static json_t *view(fixture *f, wl_coalition_viewer who, const char *member,
                    wl_coalition_base *base)
{
    wl_coalition_view *v = NULL;
    wl_buf b;
    json_t *j;
    assert_int_equal(wl_coalition_view_build(f->s, who, member, base, &v), WL_OK);
    assert_int_equal(wl_coalition_view_json(v, who, 0, 1000, &b), WL_OK);
    j = json_loadb(b.buf, b.len, 0, NULL);
    assert_non_null(j);
    /* nothing sealed in the public view, not even in its text */
    if (who == WL_VIEWER_PUBLIC) {
        assert_false(contains(b.buf, b.len, P_GB));
        assert_false(contains(b.buf, b.len, P_FR));
    }
    wl_buf_free(&b);
    wl_coalition_view_free(v);
    return j;
}

static int has_pledge(json_t *j, const char *id)
{
    json_t *ps = json_object_get(j, "pledges");
    for (size_t i = 0; i < json_array_size(ps); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(ps, i), "pledge")), id) == 0)
            return 1;
    return 0;
}

static const char *binding(json_t *j)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(j, "requirements"), 0), "binding"));
}

static void test_views_by_viewer(void **state)
{
    fixture *f = *state;
    wl_coalition_base pub, coord;
    wl_coalition_view *v = NULL;
    json_t *j;
    wl_coalition_base_init(&pub);
    wl_coalition_base_init(&coord);

    j = view(f, WL_VIEWER_PUBLIC, NULL, &pub);
    assert_string_equal(json_string_value(json_object_get(j, "view")), "public");
    assert_int_equal(json_integer_value(json_object_get(j, "pledges_total")), 1);
    assert_true(has_pledge(j, P_PL));
    assert_string_equal(binding(j), "500");
    json_decref(j);

    j = view(f, WL_VIEWER_MEMBER, "gb", NULL);
    assert_string_equal(json_string_value(json_object_get(j, "view")), "member");
    assert_int_equal(json_integer_value(json_object_get(j, "pledges_total")), 2);
    assert_true(has_pledge(j, P_GB) && has_pledge(j, P_PL) && !has_pledge(j, P_FR));
    assert_string_equal(binding(j), "2500");
    json_decref(j);

    j = view(f, WL_VIEWER_COORDINATOR, NULL, &coord);
    assert_string_equal(json_string_value(json_object_get(j, "view")), "coordinator");
    assert_int_equal(json_integer_value(json_object_get(j, "pledges_total")), 3);
    assert_string_equal(binding(j), "5500");
    json_decref(j);

    /* the kept pledge set grows: a withdrawal and a sealed member's withdrawal count next time */
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    seal(f, "pledge.withdraw", "gb", &f->gb, NULL, "{\"pledge\":\"" P_GB "\"}");
    assert_int_equal(wl_store_member_status(f->s, "fr", "withdrawn"), WL_OK);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    j = view(f, WL_VIEWER_COORDINATOR, NULL, &coord);
    assert_string_equal(binding(j), "500");
    json_decref(j);
    /* fr withdrew privately: the public does not learn it (its pledge was never public) */
    j = view(f, WL_VIEWER_PUBLIC, NULL, &pub);
    assert_string_equal(binding(j), "500");
    json_decref(j);

    /* the clearing's inputs: the coordinator's pledges and facts, for `willing clear --input` */
    assert_int_equal(wl_coalition_view_build(f->s, WL_VIEWER_COORDINATOR, NULL, &coord, &v), WL_OK);
    j = wl_coalition_view_inputs(v);
    assert_true(json_is_array(json_object_get(j, "facts")));
    assert_int_equal(json_array_size(json_object_get(j, "pledges")), 1);
    json_decref(j);
    wl_coalition_view_free(v);

    /* a member's view names its member; the others take a kept pledge set */
    assert_int_equal(wl_coalition_view_build(f->s, WL_VIEWER_MEMBER, NULL, NULL, &v),
                     WL_ERR_INVALID);
    assert_int_equal(wl_coalition_view_build(f->s, WL_VIEWER_PUBLIC, NULL, NULL, &v),
                     WL_ERR_INVALID);
    assert_null(v);
    wl_coalition_base_free(&pub);
    wl_coalition_base_free(&coord);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_amend_only_ones_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_unknown_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_category_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_by_viewer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
