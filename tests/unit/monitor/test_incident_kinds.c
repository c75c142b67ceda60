/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kinds monitor.merge and monitor.split on a real SQLite file: every rule
 * of their bodies (each refusal naming its field, nothing stored), each index
 * a monitor.report of the log, the row they store and the overrides loaded
 * from it as the engine takes them; the authority: a monitor or the
 * coordinator only. And the engine over stored reports: a split and a merge
 * change the incidents, and the JSON says why; every allocation failed in turn.
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
#include "willing/incidents.h"
#include "willing/module.h"
#include "willing/monitor.h"

typedef wl_test_fx fx;

static int setup(void **state)
{
    assert_int_equal(wl_modules_register(), WL_OK);
    return wl_test_fx_setup(state, "wl-incident.");
}

static int teardown(void **state)
{
    return wl_test_fx_teardown(state);
}

#define T0 1764576000 /* 2025-12-01T08:00:00Z */

/* kind with body (a whole JSON object) at index; *code, *msg the refusal. */
static wl_rc put(wl_store *s, const char *kind, uint64_t index, const char *body, const char **code,
                 const char **msg)
{
    const wl_kind *k = wl_kind_find(kind);
    static wl_error err;
    wl_pending p;
    wl_rc rc;
    assert_non_null(k);
    memset(&err, 0, sizeof err);
    memset(&p, 0, sizeof p);
    p.e.body_json = json_loads(body, 0, NULL);
    assert_non_null(p.e.body_json);
    p.e.body = body;
    p.e.body_len = strlen(body);
    p.e.time = T0;
    snprintf(p.e.kind, sizeof p.e.kind, "%s", kind);
    snprintf(p.e.author, sizeof p.e.author, "mon");
    rc = wl_test_apply(s, k, &p, index, &err);
    json_decref(p.e.body_json);
    *code = err.code ? err.code : "";
    *msg = err.msg;
    return rc;
}

/* A report of type at lon, lat (radius 500 m) observed at t (precision 600 s). */
static void report(wl_store *s, uint64_t index, double lon, double lat, int64_t t, const char *type)
{
    char body[512];
    const char *code, *msg;
    snprintf(body, sizeof body,
             "{\"observed\":%lld,\"precision_s\":600,\"location\":{\"lon\":%.6f,\"lat\":%.6f,"
             "\"radius_m\":500},\"type\":\"%s\"%s}",
             (long long)t, lon, lat, type,
             strcmp(type, "restriction") == 0 ? ",\"restriction\":\"denial\"" : "");
    assert_int_equal(put(s, "monitor.report", index, body, &code, &msg), WL_OK);
}

static size_t held(wl_store *s)
{
    wl_incident_overrides o = {0};
    size_t n;
    assert_int_equal(wl_incident_overrides_load(s, &o), WL_OK);
    n = o.n;
    wl_incident_overrides_free(&o);
    return n;
}

/* kind with body refused with code, naming field; nothing stored. */
static void refused(wl_store *s, const char *kind, const char *body, const char *code_want,
                    const char *field)
{
    const char *code, *msg;
    size_t before = held(s);
    assert_int_equal(put(s, kind, 99, body, &code, &msg), WL_ERR_INVALID);
    assert_string_equal(code, code_want);
    if (strstr(msg, field) == NULL)
        fail_msg("'%s' does not name %s", msg, field);
    assert_int_equal(held(s), before);
}

static void test_rules(void **state)
{
    fx *f = *state;
    const char *code, *msg;
    char big[2100], body[2300];
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    report(f->s, 1, 37.8, 48.1, T0 - 3600, "explosion");
    report(f->s, 2, 37.81, 48.1, T0 - 3500, "explosion");
    report(f->s, 3, 37.9, 48.2, T0 - 3400, "restriction");
    assert_int_equal(
        put(f->s, "monitor.merge", 4, "{\"reports\":[1,3],\"reason\":\"one event\"}", &code, &msg),
        WL_OK);
    assert_int_equal(
        put(f->s, "monitor.split", 5, "{\"reports\":[2],\"reason\":\"another gun\"}", &code, &msg),
        WL_OK);
    assert_int_equal(held(f->s), 2);
    /* the shape */
    refused(f->s, "monitor.merge", "{\"reports\":[1],\"reason\":\"x\"}", "invalid_body", "reports");
    refused(f->s, "monitor.merge", "{\"reports\":[],\"reason\":\"x\"}", "invalid_body", "reports");
    refused(f->s, "monitor.split", "{\"reports\":[],\"reason\":\"x\"}", "invalid_body", "reports");
    refused(f->s, "monitor.split", "{\"reports\":7,\"reason\":\"x\"}", "invalid_body", "reports");
    refused(f->s, "monitor.split", "{\"reason\":\"x\"}", "invalid_body", "reports");
    refused(f->s, "monitor.merge", "{\"reports\":[1,\"2\"],\"reason\":\"x\"}", "invalid_body",
            "reports[1]");
    refused(f->s, "monitor.merge", "{\"reports\":[1,-2],\"reason\":\"x\"}", "invalid_body",
            "reports[1]");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2.5],\"reason\":\"x\"}", "invalid_body",
            "reports[1]");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2,1],\"reason\":\"x\"}", "invalid_body",
            "reports[2]");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2]}", "reason_missing", "reason");
    refused(f->s, "monitor.split", "{\"reports\":[1]}", "reason_missing", "reason");
    refused(f->s, "monitor.split", "{\"reports\":[1],\"reason\":\" \"}", "reason_missing",
            "reason");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2],\"reason\":\" \\t\\n \"}", "reason_missing",
            "reason");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2],\"reason\":\"\"}", "invalid_body", "reason");
    refused(f->s, "monitor.merge", "{\"reports\":[1,2],\"reason\":3}", "invalid_body", "reason");
    memset(big, 'a', 2001);
    big[2001] = '\0';
    snprintf(body, sizeof body, "{\"reports\":[1,2],\"reason\":\"%s\"}", big);
    refused(f->s, "monitor.merge", body, "invalid_body", "reason");
    big[2000] = '\0'; /* 2,000 bytes: at the edge, taken */
    snprintf(body, sizeof body, "{\"reports\":[1,2],\"reason\":\"%s\"}", big);
    assert_int_equal(put(f->s, "monitor.merge", 6, body, &code, &msg), WL_OK);
    refused(f->s, "monitor.merge", "{\"reports\":[1,2],\"reason\":\"x\",\"by\":\"me\"}",
            "invalid_body", "by");
    {
        char many[WL_CORR_OVERRIDE_REPORTS_MAX * 6 + 64];
        size_t w = (size_t)snprintf(many, sizeof many, "{\"reports\":[");
        for (unsigned i = 0; i <= WL_CORR_OVERRIDE_REPORTS_MAX; i++)
            w += (size_t)snprintf(many + w, sizeof many - w, "%s%u", i ? "," : "", i + 1);
        snprintf(many + w, sizeof many - w, "],\"reason\":\"x\"}");
        refused(f->s, "monitor.split", many, "invalid_body", "at most 1000");
    }
    /* each index a report of the log */
    refused(f->s, "monitor.merge", "{\"reports\":[1,4],\"reason\":\"x\"}", "invalid_body",
            "reports[1]: entry 4 is not a monitor.report");
    refused(f->s, "monitor.split", "{\"reports\":[2,1,77],\"reason\":\"x\"}", "invalid_body",
            "reports[2]: entry 77");
    wl_store_rollback(f->s);
}

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
    for (const char *const *k = (const char *const[]){"monitor.merge", "monitor.split", NULL}; *k;
         k++) {
        assert_int_equal(wl_authorize(f->s, "mon", "sign", *k, &err), WL_OK);
        assert_int_equal(wl_authorize(f->s, "co", "sign", *k, &err), WL_OK);
        for (const char *const *who = (const char *const[]){"op", "pa", "ob", NULL}; *who; who++)
            assert_int_equal(wl_authorize(f->s, *who, "sign", *k, &err), WL_ERR_FORBIDDEN);
    }
    wl_store_rollback(f->s);
}

/* The stored reports and overrides into an engine: the JSON of incident id. */
static json_t *incident(wl_store *s, uint64_t id)
{
    wl_corr_compat c;
    wl_corr *e = NULL;
    wl_corr_result res = {0};
    wl_incident_overrides ov = {0};
    wl_incident_meta meta[16];
    wl_corr_report r[16];
    size_t n = 0;
    wl_error err = {0};
    json_t *o = NULL;
    wl_corr_compat_default(&c);
    assert_int_equal(wl_corr_new(&c, &e, &err), WL_OK);
    for (uint64_t i = 1; i < 16; i++) {
        json_t *rep = NULL;
        if (wl_monitor_report_show(s, i, &rep) != WL_OK)
            continue;
        assert_true(wl_incident_report_of_body(json_object_get(rep, "report"), i, &r[n]));
        meta[n] = (wl_incident_meta){i, r[n].t, r[n].type};
        n++;
        json_decref(rep);
    }
    assert_int_equal(wl_corr_add_all(e, r, n, &err), WL_OK);
    assert_int_equal(wl_incident_overrides_load(s, &ov), WL_OK);
    assert_int_equal(wl_corr_overrides(e, ov.ov, ov.n, &err), WL_OK);
    assert_int_equal(wl_corr_incidents(e, &res, &err), WL_OK);
    if (wl_incident_json(&res, id, meta, n, &ov, &o) != WL_OK)
        o = NULL;
    wl_corr_result_free(&res);
    wl_incident_overrides_free(&ov);
    wl_corr_free(e);
    return o;
}

static void test_engine(void **state)
{
    fx *f = *state;
    const char *code, *msg;
    json_t *o;
    char *text;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    report(f->s, 1, 37.8, 48.1, T0 - 3600, "explosion");
    report(f->s, 2, 37.81, 48.1, T0 - 3500, "civilian_casualties"); /* 742.6 m east */
    report(f->s, 3, 37.81, 48.1, T0 - 3400, "restriction");         /* incompatible */
    o = incident(f->s, 1);
    assert_non_null(o);
    text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(
        text, "{\"id\":1,\"overrides\":[],\"reports\":[{\"distance_m\":0,\"gap_s\":0,\"how\":"
              "\"first\",\"observed\":1764572400,\"override\":null,\"report\":1,\"type\":"
              "\"explosion\",\"via\":null},{\"distance_m\":743,\"gap_s\":100,\"how\":\"auto\","
              "\"observed\":1764572500,\"override\":null,\"report\":2,\"type\":"
              "\"civilian_casualties\",\"via\":1}],\"size\":2,\"t_max\":1764572500,\"t_min\":"
              "1764572400}");
    free(text);
    json_decref(o);
    assert_int_equal(put(f->s, "monitor.merge", 4,
                         "{\"reports\":[3,2],\"reason\":\"seen together\"}", &code, &msg),
                     WL_OK);
    o = incident(f->s, 1);
    assert_int_equal(json_integer_value(json_object_get(o, "size")), 3);
    {
        json_t *r3 = json_array_get(json_object_get(o, "reports"), 2);
        assert_string_equal(json_string_value(json_object_get(r3, "how")), "merged");
        assert_int_equal(json_integer_value(json_object_get(r3, "override")), 4);
        assert_int_equal(json_integer_value(json_object_get(r3, "via")), 2);
    }
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(o, "overrides"), 0), "reason")),
                        "seen together");
    json_decref(o);
    assert_int_equal(put(f->s, "monitor.split", 5,
                         "{\"reports\":[1],\"reason\":\"an older crater\"}", &code, &msg),
                     WL_OK);
    o = incident(f->s, 1);
    assert_int_equal(json_integer_value(json_object_get(o, "size")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(o, "overrides"), 0), "reason")),
                        "an older crater"); /* the split names 1, and so explains it */
    json_decref(o);
    o = incident(f->s, 2);
    assert_int_equal(json_integer_value(json_object_get(o, "size")), 2); /* the merge survives */
    assert_int_equal(json_array_size(json_object_get(o, "overrides")), 1);
    json_decref(o);
    assert_null(incident(f->s, 3)); /* 3 is in incident 2 */
    wl_store_rollback(f->s);
}

typedef struct {
    wl_corr_report r[8];
    wl_incident_meta meta[8];
    size_t n;
} points;

static wl_rc point(void *ctx, const wl_store_report *sr)
{
    points *p = ctx;
    if (p->n < 8 && wl_incident_report_of(sr, &p->r[p->n])) {
        p->meta[p->n] = (wl_incident_meta){sr->idx, p->r[p->n].t, p->r[p->n].type};
        p->n++;
    }
    return WL_OK;
}

/* Every view of the stored reports and overrides, read as the daemon reads them: the day's
 * list and the notable incidents. */
static wl_rc views(void *ctx, json_t **out)
{
    wl_store *s = ctx;
    wl_corr_compat c;
    wl_corr *e = NULL;
    wl_corr_result res = {0};
    wl_incident_overrides ov = {0};
    points p = {0};
    wl_corr_report *r = p.r;
    wl_incident_meta *meta = p.meta;
    uint64_t notable[] = {2}, last = 0;
    size_t n;
    wl_error err = {0};
    json_t *between = NULL, *nota = NULL;
    wl_rc rc;
    *out = NULL;
    if ((rc = wl_store_report_points(s, 0, 8, point, &p, &last)) != WL_OK)
        return rc;
    n = p.n;
    wl_corr_compat_default(&c);
    if ((rc = wl_corr_new(&c, &e, &err)) == WL_OK &&
        (rc = wl_corr_add_all(e, r, n, &err)) == WL_OK &&
        (rc = wl_incident_overrides_load(s, &ov)) == WL_OK &&
        (rc = wl_corr_overrides(e, ov.ov, ov.n, &err)) == WL_OK &&
        (rc = wl_corr_incidents(e, &res, &err)) == WL_OK &&
        (rc = wl_incidents_between(&res, T0 - 86400, T0, -1, meta, n, &ov, &between)) == WL_OK &&
        (rc = wl_incidents_notable(s, r, n, meta, notable, 1, &nota, &err)) == WL_OK &&
        (*out = json_pack("{s:O, s:O}", "between", between, "notable", nota)) == NULL)
        rc = WL_ERR_NOMEM;
    json_decref(between);
    json_decref(nota);
    wl_corr_result_free(&res);
    wl_incident_overrides_free(&ov);
    wl_corr_free(e);
    return rc;
}

/*
 * Each allocation of a merge's apply, then of the views over the stored
 * reports and overrides (the engine fed, the day's list, the notable
 * incidents), failed in turn: an error or the same answer, never a crash or a
 * leak (ASan's leak check at exit).
 */
static void test_faults(void **state)
{
    fx *f = *state;
    const wl_kind *k = wl_kind_find("monitor.merge");
    const char *body = "{\"reports\":[1,3],\"reason\":\"seen together\"}";
    unsigned long n, bad;
    const char *code, *msg;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    report(f->s, 1, 37.8, 48.1, T0 - 3600, "explosion");
    report(f->s, 2, 37.81, 48.1, T0 - 3500, "civilian_casualties");
    report(f->s, 3, 37.9, 48.2, T0 - 3400, "restriction");
    json_set_alloc_funcs(wl_malloc, wl_free);
    for (n = 1;; n++) {
        wl_pending p;
        wl_error err = {0};
        wl_rc rc;
        int failed;
        memset(&p, 0, sizeof p);
        p.e.body_json = json_loads(body, 0, NULL);
        p.e.body = body;
        p.e.body_len = strlen(body);
        snprintf(p.e.kind, sizeof p.e.kind, "monitor.merge");
        snprintf(p.e.author, sizeof p.e.author, "mon");
        assert_non_null(p.e.body_json);
        wl_alloc_fail_at(n);
        rc = wl_test_apply(f->s, k, &p, 4, &err);
        failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        json_decref(p.e.body_json);
        assert_true(rc == WL_OK || failed);
        if (rc == WL_OK)
            break;
    }
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(held(f->s), 1);
    assert_int_equal(
        put(f->s, "monitor.split", 5, "{\"reports\":[2],\"reason\":\"apart\"}", &code, &msg),
        WL_OK);
    n = wl_test_alloc_faults(views, f->s, &bad);
    if (n == 0)
        fail_msg("allocation %lu failed gave a wrong answer", bad);
    assert_true(n > 20);
    wl_store_rollback(f->s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_authority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
