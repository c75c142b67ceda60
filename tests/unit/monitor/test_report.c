/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module's monitor.report on a real SQLite file: every rule of
 * its body (each refusal naming its field), the observed time against the
 * entry's own time and the sequencing clock, the row it stores for the views
 * (day, type, place), the views' pages, and the authority: a monitor only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/identity.h"
#include "willing/module.h"
#include "willing/monitor.h"

typedef wl_test_fx fx;

static int setup(void **state)
{
    assert_int_equal(wl_modules_register(), WL_OK);
    return wl_test_fx_setup(state, "wl-monitor.");
}

static int teardown(void **state)
{
    return wl_test_fx_teardown(state);
}

#define T0 1764576000 /* 2025-12-01T08:00:00Z: the entry's own time */
#define WHERE "\"location\":{\"lon\":37.8,\"lat\":48.1,\"radius_m\":500}"
#define GOOD "\"observed\":1764575400,\"precision_s\":600," WHERE ",\"type\":\"explosion\""

/* p: a pending monitor.report by mon with body (a whole JSON object) signed at time t */
static void pending(wl_pending *p, const char *body, int64_t t)
{
    memset(p, 0, sizeof *p);
    p->e.body_json = json_loads(body, 0, NULL);
    assert_non_null(p->e.body_json);
    p->e.body = body;
    p->e.body_len = strlen(body);
    p->e.time = t;
    snprintf(p->e.author, sizeof p->e.author, "mon");
}

/* monitor.report with body (fields inside the braces) signed at time t, run at index. */
static wl_rc report(wl_store *s, uint64_t index, int64_t t, const char *fields, const char **code,
                    const char **msg)
{
    const wl_kind *k = wl_kind_find("monitor.report");
    static wl_error err;
    static char body[4096];
    wl_pending p;
    wl_rc rc;
    assert_non_null(k);
    memset(&err, 0, sizeof err);
    snprintf(body, sizeof body, "{%s}", fields);
    pending(&p, body, t);
    rc = wl_test_apply(s, k, &p, index, &err);
    json_decref(p.e.body_json);
    *code = err.code ? err.code : "";
    *msg = err.msg;
    return rc;
}

static int64_t stored(wl_store *s)
{
    json_t *o = NULL;
    int64_t n;
    assert_int_equal(wl_monitor_reports(s, NULL, NULL, 0, 1000, &o), WL_OK);
    n = (int64_t)json_array_size(json_object_get(o, "reports"));
    json_decref(o);
    return n;
}

/* refused: 400 invalid_body naming field, nothing stored */
static void refused(wl_store *s, const char *fields, const char *field)
{
    const char *code, *msg;
    int64_t before = stored(s);
    assert_int_equal(report(s, 99, T0, fields, &code, &msg), WL_ERR_INVALID);
    assert_string_equal(code, "invalid_body");
    if (strstr(msg, field) == NULL)
        fail_msg("'%s' does not name %s", msg, field);
    assert_int_equal(stored(s), before);
}

static void test_rules(void **state)
{
    fx *f = *state;
    const char *code, *msg;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    assert_int_equal(report(f->s, 10, T0, GOOD, &code, &msg), WL_OK);
    /* when */
    refused(f->s, "\"precision_s\":600," WHERE ",\"type\":\"explosion\"", "observed");
    refused(f->s, "\"observed\":1764576301,\"precision_s\":600," WHERE ",\"type\":\"explosion\"",
            "observed: in the future");
    assert_int_equal(report(f->s, 11, T0,
                            "\"observed\":1764576300,\"precision_s\":600," WHERE
                            ",\"type\":\"explosion\"",
                            &code, &msg),
                     WL_OK); /* 5 minutes ahead: at the edge, taken */
    refused(f->s, "\"observed\":1000,\"precision_s\":600," WHERE ",\"type\":\"explosion\"",
            "observed");
    refused(f->s, "\"observed\":\"now\",\"precision_s\":600," WHERE ",\"type\":\"explosion\"",
            "observed");
    refused(f->s, "\"observed\":1764575400," WHERE ",\"type\":\"explosion\"", "precision_s");
    refused(f->s, "\"observed\":1764575400,\"precision_s\":1," WHERE ",\"type\":\"explosion\"",
            "precision_s");
    /* where */
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"lon\":37.8,\"lat\":48.1},"
            "\"type\":\"explosion\"",
            "location.radius_m");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"lon\":37.8,\"lat\":48.1,"
            "\"radius_m\":5},\"type\":\"explosion\"",
            "location.radius_m");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"lon\":190,\"lat\":48.1,"
            "\"radius_m\":500},\"type\":\"explosion\"",
            "location.lon");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"lon\":37,\"lat\":-91,"
            "\"radius_m\":500},\"type\":\"explosion\"",
            "location.lat");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"oblast\":\"atlantis\"},"
            "\"type\":\"explosion\"",
            "location.oblast");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{\"oblast\":\"donetsk\","
            "\"lon\":37},\"type\":\"explosion\"",
            "lon");
    refused(f->s, "\"observed\":1764575400,\"precision_s\":600,\"type\":\"explosion\"", "location");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600,\"location\":{},\"type\":\"explosion\"",
            "location");
    /* what */
    refused(f->s, "\"observed\":1764575400,\"precision_s\":600," WHERE ",\"type\":\"rumour\"",
            "type");
    refused(f->s, "\"observed\":1764575400,\"precision_s\":600," WHERE, "type");
    refused(f->s, "\"observed\":1764575400,\"precision_s\":600," WHERE ",\"type\":\"restriction\"",
            "restriction");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600," WHERE
            ",\"type\":\"restriction\",\"restriction\":\"rudeness\"",
            "restriction");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600," WHERE
            ",\"type\":\"explosion\",\"restriction\":\"denial\"",
            "restriction");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600," WHERE
            ",\"type\":\"weapon_in_violation\"",
            "weapon");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600," WHERE
            ",\"type\":\"weapon_in_violation\",\"weapon\":{\"type\":\"catapult\",\"count\":1}",
            "weapon.type");
    refused(f->s,
            "\"observed\":1764575400,\"precision_s\":600," WHERE
            ",\"type\":\"weapon_in_violation\",\"weapon\":{\"type\":\"tank\",\"count\":0}",
            "weapon.count");
    refused(f->s, GOOD ",\"weapon\":{\"type\":\"tank\",\"count\":1}", "weapon");
    refused(f->s, GOOD ",\"count\":0", "count");
    refused(f->s, GOOD ",\"direction\":\"up\"", "direction");
    refused(f->s, GOOD ",\"distance_m\":-1", "distance_m");
    refused(f->s, GOOD ",\"distance_m\":50001", "distance_m");
    refused(f->s, GOOD ",\"colour\":\"red\"", "colour");
    refused(f->s, GOOD ",\"text\":5", "text");
    /* evidence */
#define EV(blob, by, at, dev)                                                                      \
    GOOD ",\"evidence\":[{\"blob\":\"" blob "\",\"captured_by\":\"" by "\",\"captured_at\":" at    \
         ",\"device\":\"" dev "\"}]"
#define H "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    /* captured_by names a member of the log (the kind's apply) */
    assert_int_equal(report(f->s, 12, T0, EV(H, "mon", "1764575460", "camera 2"), &code, &msg),
                     WL_ERR_NOT_FOUND);
    assert_string_equal(code, "unknown_member");
    assert_int_equal(wl_test_member_put(f->s, "mon", "monitor", 0), WL_OK);
    assert_int_equal(report(f->s, 12, T0, EV(H, "mon", "1764575460", "camera 2"), &code, &msg),
                     WL_OK);
    refused(f->s, EV("00", "mon", "1764575460", "camera 2"), "evidence[0].blob");
    refused(f->s, EV(H, "Not An Id", "1764575460", "camera 2"), "evidence[0].captured_by");
    refused(f->s, EV(H, "mon", "1764576301", "camera 2"), "evidence[0].captured_at");
    refused(f->s, EV(H, "mon", "1764575460", ""), "evidence[0].device");
    refused(f->s, GOOD ",\"evidence\":[5]", "evidence");
    /* every field of each type that has one */
    assert_int_equal(report(f->s, 13, T0,
                            "\"observed\":1764575400,\"precision_s\":3600,\"location\":{"
                            "\"oblast\":\"donetsk\",\"settlement\":\"Avdiivka\"},\"type\":"
                            "\"restriction\",\"restriction\":\"jamming_gps\",\"direction\":\"NE\","
                            "\"distance_m\":2000,\"count\":3,\"text\":\"at the checkpoint\"",
                            &code, &msg),
                     WL_OK);
    assert_int_equal(report(f->s, 14, T0,
                            "\"observed\":1764575400,\"precision_s\":3600," WHERE
                            ",\"type\":\"weapon_in_violation\",\"weapon\":{\"type\":\"mlrs\","
                            "\"count\":4}",
                            &code, &msg),
                     WL_OK);
    assert_int_equal(stored(f->s), 5);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
}

/* An observed time ahead of the sequencing clock: refused even when the entry's time allows. */
static void test_sequencing_clock(void **state)
{
    fx *f = *state;
    const char *code, *msg;
    char fields[512];
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    snprintf(fields, sizeof fields,
             "\"observed\":%lld,\"precision_s\":60," WHERE ",\"type\":\"projectile\"",
             (long long)(now + 3600));
    assert_int_equal(report(f->s, 20, now + 3600, fields, &code, &msg), WL_ERR_INVALID);
    assert_non_null(strstr(msg, "observed: in the future"));
    assert_int_equal(stored(f->s), 0);
    /* the validate alone, without the clock, took it: the clock is apply's */
    snprintf(fields, sizeof fields,
             "{\"observed\":%lld,\"precision_s\":60," WHERE ",\"type\":\"projectile\"}",
             (long long)(now + 3600));
    {
        json_t *b = json_loads(fields, 0, NULL);
        wl_error err = {0};
        assert_int_equal(wl_monitor_report_check(b, now + 3600, 0, &err), WL_OK);
        assert_int_equal(wl_monitor_report_check(b, now + 3600, now, &err), WL_ERR_INVALID);
        json_decref(b);
    }
    wl_store_rollback(f->s);
}

/* The rows the views read: day, type, place, logged; pages by index; one report. */
static void test_views(void **state)
{
    fx *f = *state;
    const char *code, *msg;
    json_t *o = NULL, *r;
    int64_t before = (int64_t)time(NULL);
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    for (uint64_t i = 0; i < 5; i++)
        assert_int_equal(report(f->s, 30 + i, T0, GOOD, &code, &msg), WL_OK);
    assert_int_equal(report(f->s, 40, T0,
                            "\"observed\":1764489600,\"precision_s\":60,\"location\":{"
                            "\"oblast\":\"kharkiv\"},\"type\":\"civilian_casualties\",\"count\":2",
                            &code, &msg),
                     WL_OK);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    /* pages of 2: 30 31, 32 33, 34 40 */
    assert_int_equal(wl_monitor_reports(f->s, NULL, NULL, 0, 2, &o), WL_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "next")), 31);
    json_decref(o);
    assert_int_equal(wl_monitor_reports(f->s, NULL, NULL, 33, 2, &o), WL_OK);
    assert_true(json_is_null(json_object_get(o, "next")));
    assert_int_equal(json_array_size(json_object_get(o, "reports")), 2);
    json_decref(o);
    /* by observed day and type */
    assert_int_equal(wl_monitor_reports(f->s, "2025-11-30", NULL, 0, 100, &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(o, "reports")), 1);
    r = json_array_get(json_object_get(o, "reports"), 0);
    assert_int_equal(json_integer_value(json_object_get(r, "index")), 40);
    assert_string_equal(json_string_value(json_object_get(r, "type")), "civilian_casualties");
    assert_string_equal(json_string_value(json_object_get(r, "author")), "mon");
    assert_int_equal(json_integer_value(json_object_get(r, "signed")), T0);
    assert_true(json_integer_value(json_object_get(r, "logged")) >= before);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "report"), "count")), 2);
    json_decref(o);
    assert_int_equal(wl_monitor_reports(f->s, "2025-12-01", "explosion", 0, 100, &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(o, "reports")), 5);
    json_decref(o);
    assert_int_equal(wl_monitor_reports(f->s, "2025-12-01", "restriction", 0, 100, &o), WL_OK);
    assert_int_equal(json_array_size(json_object_get(o, "reports")), 0);
    json_decref(o);
    assert_int_equal(wl_monitor_report_show(f->s, 31, &o), WL_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "observed")), 1764575400);
    assert_int_equal(json_integer_value(json_object_get(o, "precision_s")), 600);
    assert_string_equal(json_string_value(json_object_get(o, "observed_day")), "2025-12-01");
    json_decref(o);
    assert_int_equal(wl_monitor_report_show(f->s, 35, &o), WL_ERR_NOT_FOUND);
    assert_null(o);
}

/* The authority: a monitor writes reports; no other role, however privileged. */
static void test_authority(void **state)
{
    fx *f = *state;
    wl_error err = {0};
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "mon", "monitor", 0), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "co", "coordinator", 0), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "op", "operator", 0), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "pa", "party", 0), WL_OK);
    assert_int_equal(wl_test_member_put(f->s, "ob", "observer", 0), WL_OK);
    assert_int_equal(wl_authorize(f->s, "mon", "sign", "monitor.report", &err), WL_OK);
    assert_int_equal(wl_authorize(f->s, "mon", "console", "monitor.report", &err), WL_OK);
    assert_int_equal(wl_authorize(f->s, "mon", "login", "monitor.report", &err), WL_ERR_FORBIDDEN);
    for (const char *const *who = (const char *const[]){"co", "op", "pa", "ob", NULL}; *who; who++)
        assert_int_equal(wl_authorize(f->s, *who, "sign", "monitor.report", &err),
                         WL_ERR_FORBIDDEN);
    wl_store_rollback(f->s);
}

/*
 * Each allocation of a report's apply and of both views (willing's and
 * jansson's, pointed at wl_malloc) failed in turn: an error or the right
 * answer, never a crash or a leak (ASan's leak check at exit). Its strings
 * are short: jansson's lexer asserts when a token's buffer (16 bytes at first)
 * cannot grow, a fault of jansson's own, not of this module.
 */
static void test_faults(void **state)
{
    fx *f = *state;
    const wl_kind *k = wl_kind_find("monitor.report");
    const char *body = "{" GOOD ",\"text\":\"a text\"}";
    unsigned long n;
    int errors = 0;
    json_set_alloc_funcs(wl_malloc, wl_free);
    for (n = 1;; n++) {
        wl_pending p;
        wl_error err = {0};
        json_t *list = NULL, *one = NULL;
        wl_rc rc;
        int failed;
        pending(&p, body, T0);
        assert_int_equal(wl_store_begin(f->s), WL_OK);
        wl_alloc_fail_at(n);
        rc = wl_test_apply(f->s, k, &p, 50, &err);
        if (rc == WL_OK)
            rc = wl_monitor_reports(f->s, NULL, "explosion", 0, 10, &list);
        if (rc == WL_OK)
            rc = wl_monitor_report_show(f->s, 50, &one);
        failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (rc == WL_OK) { /* the right answer, failure or not */
            assert_int_equal(json_array_size(json_object_get(list, "reports")), 1);
            assert_string_equal(
                json_string_value(json_object_get(json_object_get(one, "report"), "text")),
                "a text");
        } else {
            assert_true(failed);
            assert_null(list == NULL ? one : NULL);
            errors++;
        }
        json_decref(list);
        json_decref(one);
        json_decref(p.e.body_json);
        wl_store_rollback(f->s);
        if (!failed)
            break;
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(n > 5);
    assert_true(errors > 0);
}

static void test_taxonomy(void **state)
{
    (void)state;
    assert_true(wl_monitor_in(wl_monitor_types, "bursts_shots"));
    assert_false(wl_monitor_in(wl_monitor_types, "bursts"));
    assert_false(wl_monitor_in(wl_monitor_types, NULL));
    assert_string_equal(wl_monitor_oblast_name("donetsk"), "Донецька область");
    assert_null(wl_monitor_oblast_name("Donetsk"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sequencing_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_authority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_taxonomy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
