/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal module's kinds on a real SQLite file: every rule and refusal of
 * deal.propose, deal.sign and deal.notice, the version hash, the statuses,
 * the fact deal-in-force:<id> recorded and retracted by the deal's own
 * entries (never by hand), and a conditional pledge on it cleared with
 * wl_clear_noted: binding once the host signs last, not binding while the
 * deal is suspended, the reason saying so.
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
#include "willing/deal.h"
#include "willing/identity.h"

#define ORIGIN "example.org/deal"
#define TEXT "0000000000000000000000000000000000000000000000000000000000000001"
#define ANNEX "00000000000000000000000000000000000000000000000000000000000000a1"

static struct {
    char dir[32], path[64];
    wl_store *s;
    wl_key k;
    uint64_t size;
    char hash[8][65]; /* each version's hash, by version number */
} fx;

/* Runs kind's rules as the ledger does: validate, apply; a refusal leaves nothing behind. */
static wl_rc run(const char *kind, const char *author, const char *body, uint64_t version,
                 wl_error *err)
{
    const wl_kind *d = wl_kind_find(kind);
    wl_pending p;
    char *raw = NULL;
    size_t len = 0;
    wl_rc rc;
    assert_non_null(d);
    memset(&p, 0, sizeof p);
    memset(err, 0, sizeof *err);
    assert_int_equal(
        wl_entry_build(ORIGIN, kind, author, fx.size + 1, 1764547200, body, &fx.k, &raw, &len),
        WL_OK);
    assert_int_equal(wl_entry_parse(raw, len, &p.e, NULL, 0), WL_OK);
    rc = wl_test_apply(fx.s, d, &p, fx.size, err);
    if (rc == WL_OK) {
        fx.size++;
        if (version && version < 8) { /* the version hash: SHA-256 of the body as signed */
            uint8_t h[32];
            wl_sha256(p.e.body, p.e.body_len, h);
            wl_hex_encode(h, 32, fx.hash[version]);
        }
    }
    wl_entry_clear(&p.e);
    wl_free(raw);
    return rc;
}

static void ok(const char *kind, const char *author, const char *body)
{
    wl_error err;
    if (run(kind, author, body, 0, &err) != WL_OK)
        fail_msg("%s by %s refused: %s: %s", body, author, err.code, err.msg);
}

static void refused(const char *kind, const char *author, const char *body, const char *code,
                    const char *names)
{
    wl_error err;
    uint64_t before = fx.size;
    assert_int_not_equal(run(kind, author, body, 0, &err), WL_OK);
    if (strcmp(err.code, code) != 0 || strstr(err.msg, names) == NULL)
        fail_msg("%s: want %s naming '%s', got %s: %s", body, code, names, err.code, err.msg);
    assert_int_equal(fx.size, before);
}

/* Proposes version v of deal d with parties (a JSON list), by co. */
static void propose(const char *d, uint64_t v, const char *parties)
{
    char b[600];
    wl_error err;
    snprintf(b, sizeof b,
             "{\"deal\":\"%s\",\"version\":%llu,\"title\":\"Draft v%llu\",\"text\":\"" TEXT
             "\",\"annexes\":[{\"name\":\"Annex 1\",\"hash\":\"" ANNEX "\"}],\"parties\":%s}",
             d, (unsigned long long)v, (unsigned long long)v, parties);
    if (run("deal.propose", "co", b, v, &err) != WL_OK)
        fail_msg("%s refused: %s: %s", b, err.code, err.msg);
}

static const char *sign_body(const char *d, uint64_t v, const char *hash)
{
    static char b[200];
    snprintf(b, sizeof b, "{\"deal\":\"%s\",\"version\":%llu,\"hash\":\"%s\"}", d,
             (unsigned long long)v, hash);
    return b;
}

static const char *notice_body(const char *d, const char *n)
{
    static char b[200];
    snprintf(b, sizeof b, "{\"deal\":\"%s\",\"notice\":\"%s\",\"text\":\"because\"}", d, n);
    return b;
}

static void member(const char *id, const char *role, int sealed)
{
    assert_int_equal(wl_test_member_put(fx.s, id, role, sealed), WL_OK);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&fx, 0, sizeof fx);
    assert_int_equal(wl_test_store_open(fx.dir, fx.path, "wl-deal-", &fx.s), WL_OK);
    wl_key_generate(&fx.k);
    assert_int_equal(wl_store_begin(fx.s), WL_OK);
    member("op", "operator", 0);
    member("co", "coordinator", 0);
    member("uk", "member", 0);
    member("ua", "host", 0);
    member("ru", "party", 0); /* a party that is not a coalition member */
    member("ob", "observer", 0);
    member("nl", "member", 1); /* sealed: not public */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_store_rollback(fx.s);
    wl_store_close(fx.s);
    assert_int_equal(wl_test_rmdir(fx.dir), 0);
    return 0;
}

static wl_deal_row deal(const char *id)
{
    wl_deal_row d;
    assert_int_equal(wl_store_deal_get(fx.s, id, &d), WL_OK);
    return d;
}

static const char *vstatus(const char *id, uint64_t v)
{
    static wl_deal_version r;
    assert_int_equal(wl_store_deal_version_get(fx.s, id, v, &r), WL_OK);
    return r.status;
}

/* Clears one pledge of uk conditioned on fact(deal-in-force:id) against the store's facts. */
static void clear_one(const char *id, bool binding, const char *reason)
{
    char cond[120], why[200], name[80];
    char **facts = NULL;
    size_t nf = 0;
    wl_cond *c = NULL;
    wl_clearing r;
    wl_fact_note note = {name, why};
    wl_pledge_in in = {"p1", "uk", "air_defence", "systems", 10000, NULL};
    snprintf(cond, sizeof cond, "fact(deal-in-force:%s)", id);
    snprintf(name, sizeof name, "deal-in-force:%s", id);
    assert_int_equal(wl_cond_parse(cond, &c, why, sizeof why), WL_OK);
    in.cond = c;
    assert_true(wl_deal_fact_why(fx.s, name, why, sizeof why));
    assert_int_equal(wl_store_facts(fx.s, &facts, &nf), WL_OK);
    assert_int_equal(wl_clear_noted(&in, 1, (const char *const *)facts, nf, &note, 1, &r), WL_OK);
    assert_int_equal(r.binding[0], binding);
    if (reason && (r.reason[0] == NULL || strstr(r.reason[0], reason) == NULL))
        fail_msg("want a reason with '%s', got '%s'", reason, r.reason[0] ? r.reason[0] : "");
    wl_clearing_free(&r);
    for (size_t i = 0; i < nf; i++)
        wl_free(facts[i]);
    wl_free(facts);
    wl_cond_free(c);
}

/* The pledge binds, its reason naming the entry that recorded the fact and what it was. */
static void clear_binds(const char *id, uint64_t since, const char *by)
{
    char want[240];
    snprintf(want, sizeof want,
             "binds: fact(deal-in-force:%s): the deal %s is in force since entry %llu: "
             "recorded by %s",
             id, id, (unsigned long long)since, by);
    clear_one(id, true, want);
}

static void test_bodies(void **state)
{
    (void)state;
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"ABC\",\"parties\":[\"ua\"]}",
            "invalid_body", "'text'");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\",\"ua\"]}",
            "invalid_body", "repeats 'ua'");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT "\",\"parties\":[]}",
            "invalid_body", "'parties'");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":0,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"]}",
            "invalid_body", "'version'");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"],\"annexes\":[{\"name\":\"a\",\"hash\":\"x\"}]}",
            "invalid_body", "annexes[0].hash");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"],\"extra\":1}",
            "invalid_body", "extra");
    refused("deal.sign", "ua", "{\"deal\":\"d\",\"version\":1,\"hash\":\"00\"}", "invalid_body",
            "'hash'");
    refused("deal.notice", "ua", "{\"deal\":\"d\",\"notice\":\"pause\",\"text\":\"x\"}",
            "invalid_body", "suspend, resume or terminate");
}

static void test_propose_rules(void **state)
{
    char b[400];
    (void)state;
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"uk\",\"ru\"]}",
            "host_not_party", "host");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\",\"nl\"]}",
            "unknown_party", "'nl'");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\",\"ob\"]}",
            "unknown_party", "observer");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"],\"zones\":[3]}",
            "not_a_zone", "entry 3");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":2,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"]}",
            "stale_version", "propose version 1");
    { /* a zone version's entry is taken, once */
        wl_store_zone z;
        memset(&z, 0, sizeof z);
        z.idx = 3;
        z.version = 1;
        z.precision_km = 10;
        snprintf(z.id, sizeof z.id, "buffer-1");
        snprintf(z.type, sizeof z.type, "buffer");
        z.geometry = "{\"type\":\"Polygon\",\"coordinates\":[[[30,50],[31,50],[31,51],[30,50]]]}";
        z.text = "";
        assert_int_equal(wl_store_zone_put(fx.s, &z), WL_OK);
    }
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"],\"zones\":[3,4]}",
            "not_a_zone", "zones[1] (entry 4)");
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"],\"zones\":[3,3]}",
            "invalid_body", "repeats entry 3");
    ok("deal.propose", "co",
       "{\"deal\":\"z\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
       "\",\"parties\":[\"ua\"],\"zones\":[3]}");
    assert_int_equal(wl_store_deal_get(fx.s, "d", &(wl_deal_row){0}), WL_ERR_NOT_FOUND);
    propose("d", 1, "[\"ru\",\"ua\"]");
    assert_string_equal(deal("d").status, "proposed");
    assert_int_equal(deal("d").latest, 1);
    snprintf(b, sizeof b,
             "{\"deal\":\"d\",\"version\":1,\"title\":\"t\",\"text\":\"" TEXT
             "\",\"parties\":[\"ua\"]}");
    refused("deal.propose", "co", b, "stale_version", "propose version 2");
}

static void test_sign_and_fact(void **state)
{
    char other[65];
    wl_deal_version v;
    (void)state;
    propose("d", 1, "[\"ru\",\"ua\"]");
    assert_int_equal(wl_store_deal_version_get(fx.s, "d", 1, &v), WL_OK);
    { /* the stored hash is the SHA-256 of the body as signed */
        char hex[65];
        wl_hex_encode(v.hash, 32, hex);
        assert_string_equal(hex, fx.hash[1]);
    }
    memcpy(other, fx.hash[1], sizeof other);
    other[0] = other[0] == '0' ? '1' : '0';
    refused("deal.sign", "ru", sign_body("d", 1, other), "unknown_version", "no version 1");
    refused("deal.sign", "ru", sign_body("d", 2, fx.hash[1]), "unknown_version", "no version 2");
    refused("deal.sign", "ru", sign_body("nodeal", 1, fx.hash[1]), "unknown_version", "nodeal");
    refused("deal.sign", "uk", sign_body("d", 1, fx.hash[1]), "not_a_party", "'uk'");
    clear_one("d", false, "the deal d is not in force (proposed)");
    ok("deal.sign", "ru", sign_body("d", 1, fx.hash[1]));
    refused("deal.sign", "ru", sign_body("d", 1, fx.hash[1]), "already_signed", "'ru' signed");
    assert_string_equal(deal("d").status, "proposed");
    clear_one("d", false, "not in force (proposed)");
    /* Ukraine, the host, signs last: in force at its entry, the pledge binds */
    ok("deal.sign", "ua", sign_body("d", 1, fx.hash[1]));
    assert_string_equal(deal("d").status, "in_force");
    assert_int_equal(deal("d").since, fx.size - 1);
    assert_string_equal(vstatus("d", 1), "in_force");
    /* binding, and saying why: the entry that made the fact true, the last signature */
    clear_binds("d", fx.size - 1, "the last party's signature of version 1");
    /* suspended by a party: the fact retracted, the pledge no longer binds, and says why */
    refused("deal.notice", "uk", notice_body("d", "suspend"), "not_a_party", "'uk'");
    refused("deal.notice", "ru", notice_body("d", "resume"), "bad_transition", "is in_force");
    ok("deal.notice", "ru", notice_body("d", "suspend"));
    assert_string_equal(deal("d").status, "suspended");
    clear_one("d", false, "the deal d is not in force (suspended)");
    refused("deal.notice", "ua", notice_body("d", "resume"), "not_the_suspender", "only ru");
    refused("deal.notice", "ru", notice_body("d", "suspend"), "bad_transition", "is suspended");
    ok("deal.notice", "ru", notice_body("d", "resume"));
    clear_binds("d", fx.size - 1, "ru's resume notice");
    ok("deal.notice", "ua", notice_body("d", "terminate"));
    clear_one("d", false, "not in force (terminated)");
    refused("deal.notice", "ua", notice_body("d", "resume"), "bad_transition", "terminated");
    refused("deal.sign", "ru", sign_body("d", 1, fx.hash[1]), "terminated", "terminated");
    propose("e", 1, "[\"ua\"]"); /* another deal is untouched */
    refused("deal.propose", "co",
            "{\"deal\":\"d\",\"version\":2,\"title\":\"t\",\"text\":\"" TEXT
            "\",\"parties\":[\"ua\"]}",
            "terminated", "terminated");
    clear_one("nodeal", false, "no version of it has been proposed");
}

static void test_amendments(void **state)
{
    (void)state;
    propose("d", 1, "[\"ua\"]");
    refused("deal.notice", "ua", notice_body("d", "suspend"), "bad_transition", "is proposed");
    ok("deal.sign", "ua", sign_body("d", 1, fx.hash[1]));
    /* an amendment: v1 stays in force until v2 is; signatures start over */
    propose("d", 2, "[\"ru\",\"ua\"]");
    assert_string_equal(vstatus("d", 1), "in_force");
    assert_string_equal(vstatus("d", 2), "proposed");
    ok("deal.sign", "ru", sign_body("d", 2, fx.hash[2]));
    /* v3 proposed: v2, not in force, is superseded at once and its signatures can no longer
     * complete; v1 still in force */
    propose("d", 3, "[\"ru\",\"ua\"]");
    assert_string_equal(vstatus("d", 2), "superseded");
    refused("deal.sign", "ua", sign_body("d", 2, fx.hash[2]), "superseded", "superseded");
    assert_string_equal(deal("d").status, "in_force");
    assert_int_equal(deal("d").in_force, 1);
    ok("deal.sign", "ua", sign_body("d", 3, fx.hash[3]));
    ok("deal.sign", "ru", sign_body("d", 3, fx.hash[3]));
    assert_string_equal(vstatus("d", 1), "superseded");
    assert_string_equal(vstatus("d", 3), "in_force");
    assert_int_equal(deal("d").in_force, 3);
    clear_one("d", true, NULL);
}

static void test_views(void **state)
{
    json_t *o = NULL, *v;
    (void)state;
    propose("d", 1, "[\"ru\",\"ua\"]");
    ok("deal.sign", "ru", sign_body("d", 1, fx.hash[1]));
    assert_int_equal(wl_deal_show(fx.s, "d", &o), WL_OK);
    v = json_array_get(json_object_get(o, "versions"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "hash")), fx.hash[1]);
    assert_string_equal(json_string_value(json_object_get(v, "text")), TEXT);
    assert_int_equal(json_array_size(json_object_get(v, "annexes")), 1);
    assert_true(json_is_object(
        json_object_get(json_array_get(json_object_get(v, "parties"), 0), "signed")));
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(v, "parties"), 1), "signed")));
    assert_true(json_is_null(json_object_get(o, "in_force_since")));
    json_decref(o);
    ok("deal.sign", "ua", sign_body("d", 1, fx.hash[1]));
    assert_int_equal(wl_deal_show(fx.s, "d", &o), WL_OK);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(o, "in_force_since"), "index")),
        fx.size - 1);
    json_decref(o);
    assert_int_equal(wl_deal_list(fx.s, &o), WL_OK);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(o, "deals"), 0), "status")),
                        "in_force");
    json_decref(o);
    assert_int_equal(wl_deal_show(fx.s, "none", &o), WL_ERR_NOT_FOUND);
    assert_null(o);
}

/* Whether member (NULL: the public) may read the blob of hex. */
static bool may_read(const char *hex, const char *member)
{
    uint8_t h[32];
    bool may = false;
    wl_error err;
    assert_int_equal(wl_hex_decode(hex, 64, h, 32), WL_OK);
    assert_int_equal(wl_store_blob_may_read(fx.s, h, member, &may, &err), WL_OK);
    return may;
}

/* A proposal names its parties as readers of the text and annexes; a public one publishes them. */
static void test_blob_grants(void **state)
{
    uint8_t h[32];
    bool created = false;
    wl_error err;
    (void)state;
    for (int i = 0; i < 2; i++) {
        const char *hex = i ? ANNEX : TEXT;
        assert_int_equal(wl_hex_decode(hex, 64, h, 32), WL_OK);
        assert_int_equal(
            wl_store_blob_put(fx.s, h, "x", 1, "text/plain", false, "co", 1, &created, &err),
            WL_OK);
        assert_false(may_read(hex, "ru"));
    }
    propose("d", 1, "[\"ru\",\"ua\"]");
    assert_true(may_read(TEXT, "ru") && may_read(ANNEX, "ru") && may_read(TEXT, "ua"));
    assert_false(may_read(TEXT, "uk"));
    assert_false(may_read(ANNEX, NULL));
    ok("deal.propose", "co",
       "{\"deal\":\"d\",\"version\":2,\"title\":\"t\",\"text\":\"" TEXT
       "\",\"annexes\":[{\"name\":\"a\",\"hash\":\"" ANNEX "\"}],\"parties\":[\"ua\"],"
       "\"public\":true}");
    assert_true(may_read(TEXT, NULL) && may_read(ANNEX, NULL) && may_read(ANNEX, "uk"));
}

/* The fact is the deal's: fact.record and fact.retract of it are refused; conditions accept it. */
static void test_reserved_fact(void **state)
{
    wl_cond *c = NULL;
    char why[200];
    (void)state;
    refused("fact.record", "co", "{\"fact\":\"deal-in-force:d\"}", "reserved_fact",
            "recorded by the deal's own entries");
    refused("fact.retract", "co", "{\"fact\":\"deal-in-force:d\"}", "reserved_fact", "deal");
    ok("fact.record", "co", "{\"fact\":\"ceasefire\"}");
    assert_int_equal(wl_cond_parse("all(fact(deal-in-force:d), fact(x))", &c, why, sizeof why),
                     WL_OK);
    wl_cond_free(c);
    c = NULL;
    assert_int_not_equal(wl_cond_parse("fact(deal-in-force:)", &c, why, sizeof why), WL_OK);
    assert_int_not_equal(wl_cond_parse("fact(other:d)", &c, why, sizeof why), WL_OK);
    {
        json_t *j = json_pack("{s:s}", "fact", "deal-in-force:d");
        assert_int_equal(wl_cond_from_json(j, &c, why, sizeof why), WL_OK);
        wl_cond_free(c);
        json_decref(j);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_propose_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_and_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amendments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reserved_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_grants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
