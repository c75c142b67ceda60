/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The authority (wl_authorize) on a real SQLite store in a temporary file:
 * every registered kind against every role, every key scope and every member
 * status, then through the ledger: that sequencing asks the authority (a
 * withdrawn member, a role that may not, a key revoked between precheck and
 * sequencing), and wl_member_privileged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../fixture.h"

#include "willing/identity.h"
#include "willing/ledger.h"

#define ORIGIN "example.org/identity"

static char dir[32]; /* a fresh directory under /tmp, removed at the end */

static const char *const roles[] = {"operator", "coordinator", "member",  "host",
                                    "party",    "monitor",     "observer"};
static const char *const scopes[] = {"sign", "console", "login"};
static const char *const statuses[] = {"announced", "invited", "willing", "withdrawn"};
/* every kind a build registers, the coalition's and the sealed-only ones included */
static const char *const kinds[] = {"member.add",     "key.add",           "key.revoke",
                                    "member.status",  "statement",         "sealed",
                                    "announce",       "requirement.set",   "requirement.endorse",
                                    "fact.record",    "fact.retract",      "clearing",
                                    "pledge",         "pledge.withdraw",   "pressure.designation",
                                    "pressure.batch", "pressure.snapshot", "pressure.decision"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static wl_store *open_store(const char *name)
{
    char p[128];
    wl_store *s = NULL;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(wl_store_open(wl_test_db(p), 1, &s), WL_OK);
    return s;
}

static void put_member(wl_store *s, const char *id, const char *role, const char *status)
{
    wl_member m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.name, sizeof m.name, "%s", id);
    snprintf(m.role, sizeof m.role, "%s", role);
    snprintf(m.status, sizeof m.status, "%s", status);
    m.sealed = strcmp(status, "invited") == 0 || strcmp(status, "willing") == 0;
    assert_int_equal(wl_store_member_put(s, &m), WL_OK);
}

/* What the rules say, written out: scope, then membership, then status, then role. */
static const char *expected(const char *kind, const char *role, const char *status,
                            const char *scope)
{
    const wl_kind *k = wl_kind_find(kind);
    int identity = strcmp(kind, "member.add") == 0 || strcmp(kind, "key.add") == 0 ||
                   strcmp(kind, "key.revoke") == 0 || strcmp(kind, "member.status") == 0;
    int operator_only = strcmp(kind, "member.add") == 0 || strcmp(kind, "sealed") == 0;
    if (strcmp(scope, "login") == 0 || (identity && strcmp(scope, "console") == 0))
        return "key_scope";
    if (role == NULL)
        return "forbidden";
    if (strcmp(status, "withdrawn") == 0 && strcmp(kind, "key.revoke") != 0 &&
        strcmp(kind, "member.status") != 0)
        return "withdrawn";
    if (operator_only && strcmp(role, "operator") != 0)
        return "forbidden";
    /* the roles each module's descriptor names (0: any member) */
    if (k->roles != 0 && (k->roles & wl_role_bit(role)) == 0)
        return "forbidden";
    return "ok";
}

static void test_matrix(void **state)
{
    wl_store *s = open_store("matrix.db");
    char id[64];
    size_t n = 0;
    (void)state;
    assert_int_equal(wl_store_begin(s), WL_OK);
    for (size_t r = 0; r < N(roles); r++)
        for (size_t t = 0; t < N(statuses); t++) {
            snprintf(id, sizeof id, "%s-%s", roles[r], statuses[t]);
            put_member(s, id, roles[r], statuses[t]);
        }
    assert_int_equal(wl_store_commit(s), WL_OK);
    for (size_t k = 0; k < N(kinds); k++) {
        assert_non_null(wl_kind_find(kinds[k]));
        for (size_t c = 0; c < N(scopes); c++) {
            for (size_t r = 0; r <= N(roles); r++) /* N(roles): no such member */
                for (size_t t = 0; t < N(statuses); t++) {
                    const char *role = r < N(roles) ? roles[r] : NULL;
                    const char *want = expected(kinds[k], role, statuses[t], scopes[c]);
                    wl_error err;
                    wl_rc rc;
                    memset(&err, 0, sizeof err);
                    snprintf(id, sizeof id, "%s-%s", role ? role : "nobody", statuses[t]);
                    rc = wl_authorize(s, id, scopes[c], kinds[k], &err);
                    if (strcmp(want, "ok") == 0) {
                        if (rc != WL_OK)
                            fail_msg("%s by %s with a %s key: refused, %s", kinds[k], id, scopes[c],
                                     err.msg);
                    } else {
                        if (rc != WL_ERR_FORBIDDEN || err.code == NULL ||
                            strcmp(err.code, want) != 0)
                            fail_msg("%s by %s with a %s key: want %s, got %s (%s)", kinds[k], id,
                                     scopes[c], want, err.code ? err.code : wl_rc_name(rc),
                                     err.msg);
                        /* a refusal names what it refuses */
                        assert_non_null(strstr(err.msg, kinds[k]));
                    }
                    n++;
                }
        }
    }
    assert_int_equal(n, N(kinds) * N(scopes) * (N(roles) + 1) * N(statuses));
    {
        wl_error err;
        assert_int_equal(wl_authorize(s, "operator-announced", "sign", "no.such.kind", &err),
                         WL_ERR_INVALID);
        assert_string_equal(err.code, "unknown_kind");
    }
    wl_store_close(s);
}

static void test_privileged(void **state)
{
    wl_member m;
    (void)state;
    for (size_t r = 0; r < N(roles); r++)
        for (size_t t = 0; t < N(statuses); t++) {
            memset(&m, 0, sizeof m);
            snprintf(m.role, sizeof m.role, "%s", roles[r]);
            snprintf(m.status, sizeof m.status, "%s", statuses[t]);
            assert_int_equal(wl_member_privileged(&m),
                             (r == 0 || r == 1) && strcmp(statuses[t], "withdrawn") != 0);
        }
}

/* Through the ledger: builds, prechecks and sequences one entry. */
typedef struct {
    wl_store *s;
    uint64_t seq;
} ledger;

static wl_rc precheck(ledger *l, const wl_key *k, const char *author, const char *kind,
                      const char *body, wl_pending *p, wl_error *err)
{
    char *e = NULL;
    size_t len = 0;
    wl_rc rc = wl_entry_build(ORIGIN, kind, author, ++l->seq, 1741392000, body, k, &e, &len);
    assert_int_equal(rc, WL_OK);
    memset(err, 0, sizeof *err);
    /* the pending entry points into e: the caller frees it (p->e.bytes) after sequencing */
    rc = wl_ledger_precheck(l->s, ORIGIN, e, len, p, err);
    if (rc != WL_OK)
        wl_free(e);
    return rc;
}

static wl_rc sequence(ledger *l, wl_pending *p, wl_error *err)
{
    uint64_t idx = 0;
    int existed = 0;
    wl_rc rc;
    assert_int_equal(wl_store_begin(l->s), WL_OK);
    rc = wl_ledger_sequence(l->s, p, &idx, &existed, err);
    if (rc == WL_OK)
        assert_int_equal(wl_store_commit(l->s), WL_OK);
    else
        wl_store_rollback(l->s);
    return rc;
}

static wl_rc append(ledger *l, const wl_key *k, const char *author, const char *kind,
                    const char *body, wl_error *err)
{
    wl_pending p;
    const char *bytes;
    wl_rc rc = precheck(l, k, author, kind, body, &p, err);
    if (rc != WL_OK)
        return rc;
    bytes = p.e.bytes;
    rc = sequence(l, &p, err);
    wl_pending_clear(&p);
    wl_free((void *)bytes);
    return rc;
}

static void key_body(char *out, size_t cap, const char *id, const wl_key *k, const char *scope)
{
    char b64[45];
    wl_b64_encode(k->pk, 32, b64);
    if (scope)
        snprintf(out, cap, "{\"member\":\"%s\",\"key\":\"%s\",\"scope\":\"%s\"}", id, b64, scope);
    else
        snprintf(out, cap, "{\"member\":\"%s\",\"key\":\"%s\"}", id, b64);
}

static void test_ledger_asks(void **state)
{
    ledger l = {open_store("ledger.db"), 0};
    wl_key op, gc, gm, gm_console, gm_spare;
    wl_pending p;
    wl_error err;
    char body[512];
    const char *bytes;
    (void)state;
    wl_key_generate(&op);
    wl_key_generate(&gc);
    wl_key_generate(&gm);
    wl_key_generate(&gm_console);
    wl_key_generate(&gm_spare);
    wl_test_member_body(body, sizeof body, "op", "operator", &op, "sign");
    assert_int_equal(append(&l, &op, "op", "member.add", body, &err), WL_OK);
    wl_test_member_body(body, sizeof body, "gc", "coordinator", &gc, "sign");
    assert_int_equal(append(&l, &op, "op", "member.add", body, &err), WL_OK);
    wl_test_member_body(body, sizeof body, "gm", "member", &gm, "sign");
    assert_int_equal(append(&l, &op, "op", "member.add", body, &err), WL_OK);
    key_body(body, sizeof body, "gm", &gm_console, "console");
    assert_int_equal(append(&l, &gm, "gm", "key.add", body, &err), WL_OK);
    key_body(body, sizeof body, "gm", &gm_spare, "sign");
    assert_int_equal(append(&l, &gm, "gm", "key.add", body, &err), WL_OK);

    /* a role that may not: the coordinator adds no members, nor publishes envelopes */
    wl_test_member_body(body, sizeof body, "x1", "member", &gm_spare, "sign");
    assert_int_equal(append(&l, &gc, "gc", "member.add", body, &err), WL_ERR_FORBIDDEN);
    assert_string_equal(err.code, "forbidden");
    assert_non_null(strstr(err.msg, "only operator"));
    /* a console key: a statement yes, a key no (the precheck says so already) */
    assert_int_equal(append(&l, &gm_console, "gm", "statement", "{\"text\":\"hi\"}", &err), WL_OK);
    key_body(body, sizeof body, "gm", &op, "sign");
    assert_int_equal(append(&l, &gm_console, "gm", "key.add", body, &err), WL_ERR_FORBIDDEN);
    assert_string_equal(err.code, "key_scope");

    /* a key revoked between the precheck and sequencing */
    assert_int_equal(precheck(&l, &gm_spare, "gm", "statement", "{\"text\":\"late\"}", &p, &err),
                     WL_OK);
    key_body(body, sizeof body, "gm", &gm_spare, NULL);
    assert_int_equal(append(&l, &gm, "gm", "key.revoke", body, &err), WL_OK);
    bytes = p.e.bytes;
    assert_int_equal(sequence(&l, &p, &err), WL_ERR_REVOKED);
    assert_string_equal(err.code, "revoked_key");
    wl_pending_clear(&p);
    wl_free((void *)bytes);
    /* and after: refused at the precheck */
    assert_int_equal(append(&l, &gm_spare, "gm", "statement", "{\"text\":\"x\"}", &err),
                     WL_ERR_REVOKED);

    /* a member that withdraws between the precheck and sequencing */
    assert_int_equal(precheck(&l, &gm, "gm", "statement", "{\"text\":\"before\"}", &p, &err),
                     WL_OK);
    assert_int_equal(append(&l, &gm, "gm", "member.status",
                            "{\"member\":\"gm\",\"status\":\"withdrawn\"}", &err),
                     WL_OK);
    bytes = p.e.bytes;
    assert_int_equal(sequence(&l, &p, &err), WL_ERR_FORBIDDEN);
    assert_string_equal(err.code, "withdrawn");
    wl_pending_clear(&p);
    wl_free((void *)bytes);
    /* withdrawn, it writes nothing more, but still revokes its keys and is told it withdrew */
    assert_int_equal(append(&l, &gm, "gm", "statement", "{\"text\":\"after\"}", &err),
                     WL_ERR_FORBIDDEN);
    assert_int_equal(append(&l, &gm, "gm", "member.status",
                            "{\"member\":\"gm\",\"status\":\"withdrawn\"}", &err),
                     WL_ERR_CONFLICT);
    assert_string_equal(err.code, "already_withdrawn");
    key_body(body, sizeof body, "gm", &gm_console, NULL);
    assert_int_equal(append(&l, &gm, "gm", "key.revoke", body, &err), WL_OK);
    /* a sealed-only kind is no entry */
    assert_int_equal(append(&l, &gc, "gc", "pledge", "{}", &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "unknown_kind");
    wl_store_close(l.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_privileged),
        cmocka_unit_test(test_ledger_asks),
    };
    int r;
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK ||
        wl_modules_register() != WL_OK || wl_test_tmpdir(dir, "wl-ident-") != 0)
        return 1;
    r = cmocka_run_group_tests(tests, NULL, NULL);
    if (wl_test_rmdir(dir) != 0)
        return 1;
    return r;
}
