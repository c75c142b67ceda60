/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fixture of the flows kinds' unit tests (test_kinds.c, test_flow_draws.c):
 * a real SQLite store in a temporary file with members of every role, a
 * requirement and uk's pledges, one announced and one sealed; entries built,
 * signed and run through the kinds' own descriptors (validate, apply,
 * seal_check, sealed_apply, reveal) as the ledger and the sealed route run
 * them, a refused one rolled back as the ledger does. Included by one test
 * file each: everything here is static.
 */
#ifndef WL_TESTS_FLOWS_KINDS_FIXTURE_H
#define WL_TESTS_FLOWS_KINDS_FIXTURE_H
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
#include "willing/flows.h"
#include "willing/identity.h"

#define ORIGIN "example.org/flows"
#define P_UK "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"  /* uk's pledge, announced (2025-03-02) */
#define P_UKS "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" /* uk's pledge, sealed */
#define F1 "11111111111111111111111111111111"
#define F2 "22222222222222222222222222222222"
#define F3 "33333333333333333333333333333333"
#define F4 "44444444444444444444444444444444"
#define T_PLEDGE 1740873600 /* 2025-03-02T00:00:00Z */
#define T_LATER 1764547200  /* 2025-12-01T00:00:00Z: when flows and answers are signed */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    wl_key k;
    uint64_t size;
    unsigned nonce;
} fixture;

static fixture fx;
static int64_t fx_signed; /* when flows and answers are signed, if not T_LATER */

/*
 * Parsed content: an entry or sealed content; caller clears e and frees *raw.
 * A field given twice in text takes its last value (the tests override fields so).
 */
static void parse(const char *kind, const char *author, const char *text, bool sealed, char **raw,
                  wl_entry *e)
{
    char n[33], body[8192];
    size_t len = 0;
    json_t *j = json_loads(text, 0, NULL);
    int64_t when = strcmp(kind, "pledge") == 0 ? T_PLEDGE : fx_signed ? fx_signed : T_LATER;
    assert_non_null(j);
    assert_int_not_equal(json_dumpb(j, body, sizeof body - 1, JSON_COMPACT), 0);
    body[json_dumpb(j, NULL, 0, JSON_COMPACT)] = '\0';
    json_decref(j);
    snprintf(n, sizeof n, "%032x", ++fx.nonce);
    if (sealed) {
        assert_int_equal(wl_sealed_build(ORIGIN, kind, author, n, when, body, &fx.k, raw, &len),
                         WL_OK);
        assert_int_equal(wl_sealed_parse(*raw, len, e, NULL, 0), WL_OK);
    } else {
        assert_int_equal(
            wl_entry_build(ORIGIN, kind, author, fx.nonce, when, body, &fx.k, raw, &len), WL_OK);
        assert_int_equal(wl_entry_parse(*raw, len, e, NULL, 0), WL_OK);
    }
}

typedef enum { PUBLIC, SEAL, REVEAL } how;

/* Runs the kind's rules as the ledger (PUBLIC), the sealed route (SEAL) or announcing (REVEAL). */
static wl_rc run(how h, const char *kind, const char *author, const char *body, wl_error *err)
{
    const wl_kind *d = wl_kind_find(kind);
    wl_pending p;
    char *raw = NULL;
    wl_rc rc;
    assert_non_null(d);
    memset(&p, 0, sizeof p);
    memset(err, 0, sizeof *err);
    parse(kind, author, body, h != PUBLIC, &raw, &p.e);
    assert_int_equal(wl_store_savepoint(fx.s), WL_OK);
    rc = d->validate ? d->validate(&p.e, err) : WL_OK;
    if (rc == WL_OK && h == PUBLIC)
        rc = d->apply(fx.s, &p, fx.size, err);
    if (rc == WL_OK && h == SEAL) {
        assert_non_null(d->seal_check);
        rc = d->seal_check(fx.s, &p.e, err);
        if (rc == WL_OK)
            rc = d->sealed_apply(fx.s, &p.e, fx.size, err);
    }
    if (rc == WL_OK && h == REVEAL)
        rc = d->reveal(fx.s, &p.e, 0, fx.size, err);
    /* as the ledger does: a refused entry leaves nothing behind */
    if (rc != WL_OK)
        wl_store_rollback_to(fx.s); /* and releases it */
    else
        assert_int_equal(wl_store_release(fx.s), WL_OK);
    if (rc == WL_OK)
        fx.size++;
    wl_entry_clear(&p.e);
    wl_free(raw);
    return rc;
}

/* Expects a refusal with code; the message names `names`. */
static void refused(how h, const char *kind, const char *author, const char *body, const char *code,
                    const char *names)
{
    wl_error err;
    assert_int_not_equal(run(h, kind, author, body, &err), WL_OK);
    if (strcmp(err.code, code) != 0 || strstr(err.msg, names) == NULL)
        fail_msg("%s: want %s naming '%s', got %s: %s", body, code, names, err.code, err.msg);
}

static void ok(how h, const char *kind, const char *author, const char *body)
{
    wl_error err;
    if (run(h, kind, author, body, &err) != WL_OK)
        fail_msg("%s refused: %s: %s", body, err.code, err.msg);
}

static void member(const char *id, const char *role, int sealed)
{
    assert_int_equal(wl_test_member_put(fx.s, id, role, sealed), WL_OK);
}

/* Sealed content of kind, its own id `id`, in the operator's sealed table (as the route does). */
static void seal_as(const char *kind, const char *author, const char *id, const char *body)
{
    wl_entry e;
    char *raw = NULL;
    parse(kind, author, body, true, &raw, &e);
    assert_int_equal(wl_test_sealed_put(fx.s, author, id, raw, strlen(raw), (int)fx.nonce, 0, 0),
                     WL_OK);
    wl_entry_clear(&e);
    wl_free(raw);
}

static void seal_pledge(const char *author, const char *id)
{
    char body[200];
    snprintf(body, sizeof body,
             "{\"pledge\":\"%s\",\"category\":\"air_defence\",\"quantity\":\"5000\","
             "\"unit\":\"missiles\"}",
             id);
    seal_as("pledge", author, id, body);
}

static void announce_pledge(const char *author, const char *id)
{
    char body[200];
    snprintf(body, sizeof body,
             "{\"pledge\":\"%s\",\"category\":\"air_defence\",\"quantity\":\"5000\","
             "\"unit\":\"missiles\"}",
             id);
    ok(REVEAL, "pledge", author, body); /* the coalition's reveal records it */
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&fx, 0, sizeof fx);
    assert_int_equal(wl_test_store_open(fx.dir, fx.path, "wl-flows-", &fx.s), WL_OK);
    wl_key_generate(&fx.k);
    assert_int_equal(wl_store_begin(fx.s), WL_OK);
    member("op", "operator", 0);
    member("co", "coordinator", 0);
    member("uk", "member", 0);
    member("fr", "member", 0);
    member("ua", "host", 0);
    member("nl", "member", 1); /* sealed: not public */
    assert_int_equal(wl_store_requirement_put(fx.s, "air-defence",
                                              "{\"requirement\":\"air-defence\",\"category\":"
                                              "\"air_defence\",\"quantity\":\"100\",\"unit\":"
                                              "\"systems\",\"priority\":1}",
                                              0),
                     WL_OK);
    seal_pledge("uk", P_UK);
    announce_pledge("uk", P_UK);
    seal_pledge("uk", P_UKS);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_store_rollback(fx.s);
    wl_store_close(fx.s);
    return wl_test_rmdir(fx.dir);
}

static bool stored(const char *id)
{
    wl_flow_row r;
    return wl_store_flow_get(fx.s, id, &r) == WL_OK;
}

#define DELIVERY(id, extra)                                                                        \
    "{\"flow\":\"" id "\",\"pledge\":\"" P_UK "\",\"stage\":\"delivery\",\"date\":\"2025-06\","    \
    "\"quantity\":\"500\",\"unit\":\"missiles\"" extra "}"

#define INSTR(id, level, amount, extra)                                                            \
    "{\"instrument\":\"" id "\",\"name\":\"" id "\",\"type\":\"export_credit\",\"level\":\"" level \
    "\",\"provider\":\"uk\",\"amount\":\"" amount "\",\"currency\":\"GBP\"" extra "}"
#define DISB(id, amount, extra)                                                                    \
    "{\"flow\":\"" id "\",\"pledge\":\"" P_UK "\",\"instrument\":\"belfast-missiles\",\"stage\":"  \
    "\"disbursement\",\"date\":\"2025-06-01\",\"amount\":\"" amount                                \
    "\",\"currency\":\"GBP\"" extra "}"

#endif
