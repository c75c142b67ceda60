/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows module's kinds on a real SQLite store in a temporary file: every
 * rule of flow, flow.batch, flow.confirm, flow.dispute, instrument and rate,
 * refusals included (each with its code and the field or chain it names, and
 * nothing stored), run through the kinds' own descriptors (validate, apply,
 * seal_check, sealed_apply, reveal) as the ledger and the sealed route run
 * them; who may write each kind asked of the authority.
 */
#include "kinds_fixture.h"

static void test_flow_body(void **state)
{
    (void)state;
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"colour\":\"red\""), "invalid_body", "colour");
    refused(PUBLIC, "flow", "uk", "{\"flow\":\"xyz\",\"pledge\":\"" P_UK "\"}", "invalid_body",
            "'flow'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"stage\":\"paid\""), "invalid_body", "stage");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"delivery\",\"date\":"
            "\"2025-06-31\",\"quantity\":\"5\",\"unit\":\"missiles\"}",
            "invalid_body", "'date'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"amount\":\"5\",\"currency\":\"GBP\""),
            "invalid_body", "'amount'");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"delivery\",\"date\":"
            "\"2025-06-01\",\"amount\":\"5\",\"currency\":\"GBP\"}",
            "invalid_body", "'quantity'");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"disbursement\",\"date\":"
            "\"2025-06-01\",\"quantity\":\"5\",\"unit\":\"missiles\"}",
            "invalid_body", "'amount'");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-06\",\"amount\":\"5\",\"currency\":\"GBP\"}",
            "invalid_body", "'date'");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-06-01\",\"amount\":\"5\",\"currency\":\"XYZ\"}",
            "invalid_body", "unknown currency");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-06-01\",\"amount\":\"5\",\"currency\":\"LTL\"}",
            "invalid_body", "withdrawn on 2018-08-08");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-06-01\",\"amount\":\"123456789012345\",\"currency\":\"GBP\"}",
            "invalid_body", "at most 14 digits before the point and 4 after");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-06-01\",\"amount\":\"1.00001\",\"currency\":\"GBP\"}",
            "invalid_body", "'amount'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"readers\":[\"fr\"]"), "invalid_body",
            "'readers'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"category\":\"snacks\""), "invalid_body",
            "'category'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"source\":\"abc\""), "invalid_body", "'source'");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"iati\":{\"type\":\"14\"}"), "invalid_body",
            "iati.type");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"stage\":\"delivery\",\"date\":\"2025-06\",\"quantity\":\"5\","
            "\"unit\":\"missiles\"}",
            "invalid_body", "'pledge'");
    assert_false(stored(F1));
}

static void test_flow_on_pledge(void **state)
{
    (void)state;
    /* someone else's pledge: the same answer as none */
    refused(PUBLIC, "flow", "fr", DELIVERY(F1, ""), "unknown_pledge", P_UK);
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"cccccccccccccccccccccccccccccccc\",\"stage\":"
            "\"delivery\",\"date\":\"2025-06\",\"quantity\":\"5\",\"unit\":\"missiles\"}",
            "unknown_pledge", "cccc");
    /* a sealed, unannounced pledge takes only sealed flows */
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UKS "\",\"stage\":\"delivery\",\"date\":"
            "\"2025-06\",\"quantity\":\"5\",\"unit\":\"missiles\"}",
            "pledge_sealed", "--sealed");
    /* before its pledge (2025-03-02), by day and by month */
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"date\":\"2025-02\""), "before_pledge",
            "2025-03-02");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
            "\"2025-03-01\",\"amount\":\"5\",\"currency\":\"GBP\"}",
            "before_pledge", "2025-03-01");
    assert_false(stored(F1));
    ok(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"date\":\"2025-03\""));
    {
        wl_flow_row r;
        assert_int_equal(wl_store_flow_get(fx.s, F1, &r), WL_OK);
        assert_string_equal(r.category, "air_defence"); /* from its pledge */
        assert_int_equal(r.qty, 5000000);
        assert_false(r.sealed);
        assert_int_equal(r.row, -1);
    }
    /* the same id again */
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ""), "flow_exists", F1);
    /* a requirement gives the category; an unknown one is refused */
    refused(PUBLIC, "flow", "co",
            "{\"flow\":\"" F2 "\",\"requirement\":\"nope\",\"stage\":\"allocation\",\"date\":"
            "\"2025-04-01\",\"amount\":\"10\",\"currency\":\"EUR\"}",
            "unknown_requirement", "nope");
    ok(PUBLIC, "flow", "co",
       "{\"flow\":\"" F2 "\",\"requirement\":\"air-defence\",\"stage\":\"allocation\",\"date\":"
       "\"2025-04-01\",\"amount\":\"10\",\"currency\":\"EUR\"}");
    /* an activity alone needs a category */
    refused(PUBLIC, "flow", "fr",
            "{\"flow\":\"" F3 "\",\"activity\":\"XM-DAC-7-PPR-28250\",\"stage\":\"disbursement\","
            "\"date\":\"2018-01-01\",\"amount\":\"-78791\",\"currency\":\"EUR\"}",
            "invalid_body", "'category'");
    ok(PUBLIC, "flow", "fr",
       "{\"flow\":\"" F3 "\",\"activity\":\"XM-DAC-7-PPR-28250\",\"stage\":\"disbursement\","
       "\"date\":\"2018-01-01\",\"amount\":\"-78791\",\"currency\":\"EUR\",\"category\":"
       "\"other\"}");
}

static void test_supersedes(void **state)
{
    (void)state;
    ok(PUBLIC, "flow", "uk", DELIVERY(F1, ""));
    /* not a flow: a pledge's id, an unknown id, another member's flow */
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"supersedes\":\"" P_UK "\""), "unknown_flow",
            P_UK);
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"supersedes\":\"" F4 "\""), "unknown_flow", F4);
    ok(PUBLIC, "flow", "fr",
       "{\"flow\":\"" F3 "\",\"activity\":\"x\",\"category\":\"other\",\"stage\":\"commitment\","
       "\"date\":\"2025-01-01\",\"amount\":\"1\",\"currency\":\"EUR\"}");
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"supersedes\":\"" F3 "\""), "unknown_flow", F3);
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"supersedes\":\"" F2 "\""), "invalid_body",
            "supersedes");
    /* a correction, then a second correction of the same flow */
    ok(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"quantity\":\"450\",\"supersedes\":\"" F1 "\""));
    {
        wl_flow_row r;
        assert_int_equal(wl_store_flow_get(fx.s, F1, &r), WL_OK);
        assert_string_equal(r.superseded_by, F2);
    }
    refused(PUBLIC, "flow", "uk", DELIVERY(F4, ",\"supersedes\":\"" F1 "\""), "superseded", F2);
    assert_false(stored(F4));
}

static void test_instruments(void **state)
{
    wl_instrument_row r;
    (void)state;
    refused(PUBLIC, "instrument", "uk",
            INSTR("ukef-2025", "facility", "1600000000", ",\"type\":\"gift\""), "invalid_body",
            "'type'");
    refused(PUBLIC, "instrument", "fr", INSTR("ukef-2025", "facility", "1600000000", ""),
            "forbidden", "uk");
    refused(PUBLIC, "instrument", "uk",
            INSTR("ukef-2025", "facility", "1600000000", ",\"provider\":\"nl\""), "unknown_member",
            "nl");
    ok(PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1600000000", ""));
    refused(PUBLIC, "instrument", "uk",
            INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"nope\""),
            "unknown_instrument", "nope");
    ok(PUBLIC, "instrument", "uk",
       INSTR("belfast-missiles", "contract", "1160000000",
             ",\"parent\":\"ukef-2025\",\"possible_more\":\"500000000\""));
    assert_int_equal(wl_store_instrument_get(fx.s, "belfast-missiles", &r), WL_OK);
    assert_string_equal(r.parent, "ukef-2025");
    /* the children of a facility may not sum beyond it: 1.16bn + 0.5bn > 1.6bn */
    refused(PUBLIC, "instrument", "co",
            INSTR("second", "contract", "500000000", ",\"parent\":\"ukef-2025\""), "overdrawn",
            "ukef-2025");
    refused(PUBLIC, "instrument", "uk",
            "{\"instrument\":\"eur\",\"name\":\"x\",\"type\":\"loan\",\"level\":\"contract\","
            "\"provider\":\"uk\",\"amount\":\"1\",\"currency\":\"EUR\",\"parent\":\"ukef-2025\"}",
            "currency_mismatch", "EUR");
    refused(PUBLIC, "instrument", "uk",
            INSTR("under", "contract", "1", ",\"parent\":\"belfast-missiles\""), "not_a_facility",
            "ukef-2025 > belfast-missiles");
    /* an amendment: the amount may change, what it is may not */
    refused(PUBLIC, "instrument", "uk",
            INSTR("belfast-missiles", "contract", "1160000000",
                  ",\"parent\":\"ukef-2025\",\"type\":\"grant\""),
            "instrument_fixed", "'type'");
    refused(PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1000000000", ""),
            "overdrawn", "instruments under it");
    ok(PUBLIC, "instrument", "co",
       INSTR("belfast-missiles", "contract", "1200000000", ",\"parent\":\"ukef-2025\""));
    assert_int_equal(wl_store_instrument_get(fx.s, "belfast-missiles", &r), WL_OK);
    assert_int_equal(r.amount, 12000000000000LL);
    ok(PUBLIC, "instrument", "uk",
       INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"ukef-2025\""));
    /* flows: on the contract, not the facility; never beyond the contract */
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"instrument\":\"ukef-2025\",\"stage\":"
            "\"disbursement\",\"date\":\"2025-06-01\",\"amount\":\"5\",\"currency\":\"GBP\"}",
            "not_a_leaf", "ukef-2025");
    refused(PUBLIC, "flow", "uk", DISB(F1, "5", ",\"instrument\":\"nope\""), "unknown_instrument",
            "nope");
    ok(PUBLIC, "flow", "uk", DISB(F1, "1000000000", ""));
    refused(PUBLIC, "flow", "uk", DISB(F2, "160000000.0001", ""), "overdrawn",
            "GBP 160000000.0001 more on ukef-2025 > belfast-missiles would overdraw it: its "
            "disbursements may not come to more than its GBP 1160000000");
    /* a correction replaces what it corrects: 1.1bn in place of 1bn fits */
    ok(PUBLIC, "flow", "uk", DISB(F2, "1100000000", ",\"supersedes\":\"" F1 "\""));
    ok(PUBLIC, "flow", "uk", DISB(F3, "60000000", ""));
    /* the contract may not be amended below what was disbursed on it */
    refused(PUBLIC, "instrument", "uk",
            INSTR("belfast-missiles", "contract", "1000000000", ",\"parent\":\"ukef-2025\""),
            "overdrawn", "disbursements on it");
}

/* A zero amount says nothing; a category may not contradict its pledge's or requirement's. */
static void test_zero_and_category(void **state)
{
    (void)state;
    refused(PUBLIC, "flow", "uk", DISB(F1, "0", ""), "invalid_body", "'amount'");
    refused(PUBLIC, "flow", "uk",
            "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"disbursement\",\"date\":"
            "\"2025-06-01\",\"amount\":\"-0\",\"currency\":\"GBP\"}",
            "invalid_body", "other than zero");
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"category\":\"other\""), "category_mismatch",
            "category other contradicts its pledge " P_UK "'s, air_defence");
    refused(PUBLIC, "flow", "fr",
            "{\"flow\":\"" F1 "\",\"requirement\":\"air-defence\",\"stage\":\"delivery\","
            "\"date\":\"2025-06\",\"quantity\":\"5\",\"unit\":\"systems\",\"category\":\"other\"}",
            "category_mismatch", "requirement air-defence's, air_defence");
    assert_false(stored(F1));
    ok(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"category\":\"air_defence\""));
}

/* Dates: no later than the day after the entry was signed (2025-12-01); a confirmation not
 * before its flow. */
static void test_dates(void **state)
{
    (void)state;
    refused(PUBLIC, "flow", "uk", DELIVERY(F1, ",\"date\":\"2025-12-03\""), "future_date",
            "dated 2025-12-03, after 2025-12-02");
    refused(SEAL, "flow", "uk", DELIVERY(F1, ",\"date\":\"9999-12\""), "future_date", "9999-12");
    ok(PUBLIC, "flow", "uk",
       "{\"flow\":\"" F1 "\",\"pledge\":\"" P_UK "\",\"stage\":\"delivery\",\"date\":"
       "\"2025-12-02\",\"quantity\":\"5\",\"unit\":\"missiles\"}");
    refused(PUBLIC, "flow.confirm", "ua",
            "{\"flow\":\"" F1 "\",\"received\":\"5\",\"date\":\"2025-12-01\"}", "before_flow",
            "dated 2025-12-01, before flow " F1 " of 2025-12-02");
    refused(PUBLIC, "flow.confirm", "ua",
            "{\"flow\":\"" F1 "\",\"received\":\"5\",\"date\":\"2099-01-01\"}", "future_date",
            "2099-01-01");
    ok(PUBLIC, "flow.confirm", "ua",
       "{\"flow\":\"" F1 "\",\"received\":\"5\",\"date\":\"2025-12-02\"}");
    /* a month-only date passes once its month has begun; a dispute signed before the flow's day
     * is refused; a confirmation's date is judged against its own signed time */
    ok(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"date\":\"2025-12\""));
    refused(PUBLIC, "flow", "uk", DELIVERY(F3, ",\"date\":\"2026-01\""), "future_date", "2026-01");
    fx_signed = T_PLEDGE + 86400;
    refused(PUBLIC, "flow.dispute", "ua", "{\"flow\":\"" F1 "\",\"reason\":\"not here\"}",
            "before_flow", "before flow " F1 " of 2025-12-02");
    refused(PUBLIC, "flow.confirm", "ua",
            "{\"flow\":\"" F1 "\",\"received\":\"5\",\"date\":\"2025-12-02\"}", "future_date",
            "after 2025-03-04");
    fx_signed = 0;
    ok(PUBLIC, "flow.dispute", "ua", "{\"flow\":\"" F1 "\",\"reason\":\"not here\"}");
}

#define CONFIRM(id, received)                                                                      \
    "{\"flow\":\"" id "\",\"received\":\"" received "\",\"date\":\"2025-07-01\"}"

static void test_confirm_dispute(void **state)
{
    wl_error err;
    (void)state;
    /* the host only, as the authority answers for the kind */
    assert_int_equal(wl_authorize(fx.s, "ua", "sign", "flow.confirm", &err), WL_OK);
    assert_int_equal(wl_authorize(fx.s, "uk", "sign", "flow.confirm", &err), WL_ERR_FORBIDDEN);
    assert_int_equal(wl_authorize(fx.s, "co", "sign", "flow.dispute", &err), WL_ERR_FORBIDDEN);
    assert_int_equal(wl_authorize(fx.s, "ua", "sign", "flow", &err), WL_ERR_FORBIDDEN);
    assert_int_equal(wl_authorize(fx.s, "uk", "sign", "rate", &err), WL_ERR_FORBIDDEN);
    assert_int_equal(wl_authorize(fx.s, "co", "sign", "rate", &err), WL_OK);
    ok(PUBLIC, "flow", "uk", DELIVERY(F1, ""));
    ok(PUBLIC, "flow", "uk",
       "{\"flow\":\"" F2 "\",\"pledge\":\"" P_UK "\",\"stage\":\"commitment\",\"date\":"
       "\"2025-06-01\",\"amount\":\"5\",\"currency\":\"GBP\"}");
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F4, "1"), "unknown_flow", F4);
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F2, "1"), "not_confirmable", "commitment");
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "500.0001"), "more_than_reported", "500");
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "0"), "invalid_body", "received");
    refused(PUBLIC, "flow.confirm", "ua",
            "{\"flow\":\"" F1 "\",\"received\":\"1\",\"date\":\"2025-07-01\",\"why\":\"x\"}",
            "invalid_body", "why");
    ok(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "300"));
    ok(PUBLIC, "flow.dispute", "ua", "{\"flow\":\"" F1 "\",\"reason\":\"200 never arrived\"}");
    refused(PUBLIC, "flow.dispute", "ua", "{\"flow\":\"" F1 "\",\"reason\":\"\"}", "invalid_body",
            "reason");
    refused(PUBLIC, "flow.dispute", "ua", "{\"flow\":\"" F1 "\",\"reason\":\"   \"}",
            "invalid_body", "reason");
    /* a corrected flow is answered no more */
    ok(PUBLIC, "flow", "uk", DELIVERY(F3, ",\"quantity\":\"300\",\"supersedes\":\"" F1 "\""));
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "1"), "superseded", F3);
    ok(PUBLIC, "flow.confirm", "ua", CONFIRM(F3, "300"));
}

static void test_batch(void **state)
{
    (void)state;
    refused(PUBLIC, "flow.batch", "uk",
            "{\"import\":\"" F1 F1 "\",\"format\":\"iati-2.03\",\"part\":1,\"parts\":1,\"flows\":"
            "[" DELIVERY(F1, "") "," DELIVERY(F2, ",\"quantity\":\"-1\"") "]}",
            "invalid_body", "flows[1]: 'quantity'");
    /* row checks against the store in order: the second names the first's pledge wrongly */
    refused(PUBLIC, "flow.batch", "uk",
            "{\"import\":\"" F1 F1
            "\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[" DELIVERY(
                F1, "") "," DELIVERY(F2, ",\"date\":\"2024-12\"") "]}",
            "before_pledge", "flows[1]");
    assert_false(stored(F1)); /* nothing of a refused batch */
    refused(PUBLIC, "flow.batch", "uk",
            "{\"import\":\"x\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[]}",
            "invalid_body", "'import'");
    refused(PUBLIC, "flow.batch", "uk",
            "{\"import\":\"" F1 F1
            "\",\"format\":\"csv\",\"part\":2,\"parts\":1,\"flows\":[" DELIVERY(F1, "") "]}",
            "invalid_body", "'part'");
    ok(PUBLIC, "flow.batch", "uk",
       "{\"import\":\"" F1 F1 "\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[" DELIVERY(
           F1, "") "," DELIVERY(F2, ",\"supersedes\":\"" F1 "\"") "]}");
    {
        wl_flow_row r;
        assert_int_equal(wl_store_flow_get(fx.s, F2, &r), WL_OK);
        assert_int_equal(r.row, 1);
        assert_int_equal(wl_store_flow_get(fx.s, F1, &r), WL_OK);
        assert_string_equal(r.superseded_by, F2);
    }
}

static void test_rates(void **state)
{
    (void)state;
#define RATE(extra)                                                                                \
    "{\"date\":\"2025-03-03\",\"from\":\"GBP\",\"to\":\"EUR\",\"rate\":\"1.2095\",\"source\":"     \
    "\"ECB reference rate\"" extra "}"
    ok(PUBLIC, "rate", "co", RATE(""));
    refused(PUBLIC, "rate", "co", RATE(",\"rate\":\"1.3\""), "rate_exists", "GBP to EUR");
    refused(PUBLIC, "rate", "co", RATE(",\"to\":\"GBP\""), "invalid_body", "'to'");
    refused(PUBLIC, "rate", "co", RATE(",\"to\":\"XXX1\""), "invalid_body", "unknown currency");
    refused(PUBLIC, "rate", "co", RATE(",\"rate\":\"0\""), "invalid_body", "'rate'");
    refused(PUBLIC, "rate", "co", RATE(",\"date\":\"2025-03\""), "invalid_body", "'date'");
    {
        int64_t r = 0;
        char d[11];
        uint64_t idx = 0;
        assert_int_equal(wl_store_rate_get(fx.s, "GBP", "EUR", "2025-12-31", &r, d, &idx), WL_OK);
        assert_int_equal(r, 120950000);
        assert_string_equal(d, "2025-03-03");
        assert_int_equal(wl_store_rate_get(fx.s, "GBP", "EUR", "2025-03-02", &r, d, &idx),
                         WL_ERR_NOT_FOUND);
        assert_int_equal(wl_store_rate_get(fx.s, "EUR", "GBP", "2025-12-31", &r, d, &idx),
                         WL_ERR_NOT_FOUND); /* no inverse rates */
    }
    {
        /* rates convert into at most WL_RATE_TARGETS_MAX currencies (each has kept totals):
         * one more is refused, nothing stored; more rates into those still pass */
        static const char *const into[] = {"USD", "JPY", "CHF", "PLN", "SEK", "NOK", "DKK", "CZK",
                                           "HUF", "RON", "BGN", "CAD", "AUD", "NZD", "UAH"};
        char body[256];
        int64_t r = 0;
        char d[11];
        uint64_t idx = 0;
        _Static_assert(sizeof into / sizeof *into + 1 == WL_RATE_TARGETS_MAX, "EUR is the 16th");
        for (size_t i = 0; i < sizeof into / sizeof *into; i++) {
            snprintf(body, sizeof body, RATE(",\"to\":\"%s\""), into[i]);
            ok(PUBLIC, "rate", "co", body);
        }
        refused(PUBLIC, "rate", "co", RATE(",\"to\":\"ISK\""), "rate_currencies", "ISK");
        assert_int_equal(wl_store_rate_get(fx.s, "GBP", "ISK", "2025-12-31", &r, d, &idx),
                         WL_ERR_NOT_FOUND);
        ok(PUBLIC, "rate", "co", RATE(",\"date\":\"2025-03-04\",\"to\":\"UAH\""));
    }
}

static void test_sealed_flows(void **state)
{
    wl_flow_row r;
#define SEALED(id, extra)                                                                          \
    "{\"flow\":\"" id "\",\"pledge\":\"" P_UKS "\",\"stage\":\"delivery\",\"date\":\"2025-06\","   \
    "\"quantity\":\"500\",\"unit\":\"missiles\"" extra "}"
    (void)state;
    refused(SEAL, "flow", "fr", SEALED(F1, ""), "unknown_pledge", P_UKS);
    refused(SEAL, "flow", "ua", SEALED(F1, ""), "forbidden", "host");
    ok(SEAL, "flow", "uk", SEALED(F1, ",\"readers\":[\"nl\"]"));
    assert_int_equal(wl_store_flow_get(fx.s, F1, &r), WL_OK);
    assert_true(r.sealed);
    /* unknown to a public answer or correction; the host answers it sealed */
    refused(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "500"), "unknown_flow", F1);
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"supersedes\":\"" F1 "\""), "unknown_flow", F1);
    refused(SEAL, "flow.confirm", "uk", CONFIRM(F1, "500"), "forbidden", "host");
    /* a sealed flow corrects only a sealed one: a public row never names a sealed flow */
    ok(PUBLIC, "flow", "uk", DELIVERY(F4, ""));
    refused(SEAL, "flow", "uk", SEALED(F3, ",\"supersedes\":\"" F4 "\""), "unknown_flow",
            "not a sealed flow");
    assert_false(stored(F3));
    ok(SEAL, "flow.confirm", "ua", CONFIRM(F1, "500"));
    /* announced: not while its pledge is sealed, nor naming a sealed reader */
    refused(REVEAL, "flow", "uk", SEALED(F1, ""), "pledge_sealed", P_UKS);
    announce_pledge("uk", P_UKS);
    refused(REVEAL, "flow", "uk", SEALED(F1, ",\"readers\":[\"nl\"]"), "names_unannounced", "nl");
    ok(REVEAL, "flow", "uk", SEALED(F1, ",\"readers\":[\"fr\"]"));
    assert_int_equal(wl_store_flow_get(fx.s, F1, &r), WL_OK);
    assert_false(r.sealed);
    ok(PUBLIC, "flow.confirm", "ua", CONFIRM(F1, "500"));
    /* on a fresh store (fsck's replay) the announced flow is stored from its content */
    ok(REVEAL, "flow", "uk", SEALED(F2, ""));
    assert_int_equal(wl_store_flow_get(fx.s, F2, &r), WL_OK);
    assert_false(r.sealed);
}

/* ---- every allocation of the hooks failed in turn: an error, or the same answer ---- */

typedef struct {
    how h;
    const char *kind, *author, *body;
} step;

static wl_pending steps_p[16];
static char *steps_raw[16];

/* The hooks of every step in one savepoint, rolled back; *sum: what they stored. */
static wl_rc fault_session(step *st, size_t n, char *sum, size_t cap)
{
    wl_error err;
    wl_rc rc = WL_OK;
    assert_int_equal(wl_store_savepoint(fx.s), WL_OK);
    for (size_t i = 0; i < n && rc == WL_OK; i++) {
        const wl_kind *d = wl_kind_find(st[i].kind);
        rc = d->validate(&steps_p[i].e, &err);
        if (rc == WL_OK && st[i].h == PUBLIC)
            rc = d->apply(fx.s, &steps_p[i], fx.size + i, &err);
        if (rc == WL_OK && st[i].h == SEAL &&
            (rc = d->seal_check(fx.s, &steps_p[i].e, &err)) == WL_OK)
            rc = d->sealed_apply(fx.s, &steps_p[i].e, fx.size + i, &err);
        if (rc == WL_OK && st[i].h == REVEAL)
            rc = d->reveal(fx.s, &steps_p[i].e, 0, fx.size + i, &err);
    }
    snprintf(sum, cap, "%s", "");
    if (rc == WL_OK) {
        wl_flow_row r;
        wl_instrument_row in;
        assert_int_equal(wl_store_flow_get(fx.s, F2, &r), WL_OK);
        assert_int_equal(wl_store_instrument_get(fx.s, "belfast-missiles", &in), WL_OK);
        snprintf(sum, cap, "%s %lld %s %d %lld", r.superseded_by, (long long)r.qty, in.parent,
                 (int)r.sealed, (long long)in.amount);
    }
    wl_store_rollback_to(fx.s);
    return rc;
}

/*
 * A sealed flow's id is no pledge: a pledge amending (or a withdrawal naming) it is refused
 * as unknown, like any id that is not one's own pledge; one's own sealed pledge passes.
 */
static void test_flow_id_no_pledge(void **state)
{
    const wl_kind *d = wl_kind_find("pledge");
    wl_entry e;
    wl_error err;
    char *raw = NULL;
    (void)state;
    seal_as("flow", "uk", F4,
            "{\"flow\":\"" F4 "\",\"pledge\":\"" P_UKS "\",\"stage\":\"delivery\",\"date\":"
            "\"2025-06\",\"quantity\":\"5\",\"unit\":\"missiles\"}");
    refused(SEAL, "pledge", "uk",
            "{\"pledge\":\"" F3 "\",\"category\":\"air_defence\",\"quantity\":\"1\","
            "\"unit\":\"missiles\",\"amends\":\"" F4 "\"}",
            "unknown_pledge", F4);
    refused(SEAL, "pledge.withdraw", "uk", "{\"pledge\":\"" F4 "\"}", "unknown_pledge", F4);
    parse("pledge", "uk",
          "{\"pledge\":\"" F3 "\",\"category\":\"air_defence\",\"quantity\":\"1\","
          "\"unit\":\"missiles\",\"amends\":\"" P_UKS "\"}",
          true, &raw, &e);
    assert_int_equal(d->seal_check(fx.s, &e, &err), WL_OK);
    wl_entry_clear(&e);
    wl_free(raw);
}

/*
 * A pledge its author withdrew or amended under seal takes no new flow, public or sealed; a
 * correction of a flow already against it still may, and a flow sealed before the withdrawal
 * may still be announced. Run before the fix, each refusal here was accepted.
 */
static void test_retired_pledge(void **state)
{
#define ON_UKS(id, extra)                                                                          \
    "{\"flow\":\"" id "\",\"pledge\":\"" P_UKS "\",\"stage\":\"delivery\",\"date\":\"2025-06\","   \
    "\"quantity\":\"5\",\"unit\":\"missiles\"" extra "}"
    (void)state;
    ok(PUBLIC, "flow", "uk", DELIVERY(F1, ""));
    ok(SEAL, "flow", "uk", DELIVERY(F3, ""));
    /* another member cannot withdraw uk's pledge: nothing retired */
    refused(SEAL, "pledge.withdraw", "fr", "{\"pledge\":\"" P_UK "\"}", "unknown_pledge", P_UK);
    ok(PUBLIC, "flow", "uk", DELIVERY(F4, ",\"quantity\":\"1\""));
    ok(SEAL, "pledge.withdraw", "uk", "{\"pledge\":\"" P_UK "\"}");
    refused(PUBLIC, "flow", "uk", DELIVERY(F2, ""), "pledge_withdrawn", P_UK);
    refused(SEAL, "flow", "uk", DELIVERY(F2, ""), "pledge_withdrawn", "supersedes");
    assert_false(stored(F2));
    /* a correction of an earlier flow on it, and announcing a flow sealed before, still pass */
    ok(PUBLIC, "flow", "uk", DELIVERY(F2, ",\"quantity\":\"450\",\"supersedes\":\"" F1 "\""));
    ok(REVEAL, "flow", "uk", DELIVERY(F3, ""));
    /* amended: the answer names the pledge that replaced it */
    ok(SEAL, "flow", "uk", ON_UKS("55555555555555555555555555555555", ""));
    ok(SEAL, "pledge", "uk",
       "{\"pledge\":\"cccccccccccccccccccccccccccccccc\",\"category\":\"air_defence\","
       "\"quantity\":\"9\",\"unit\":\"missiles\",\"amends\":\"" P_UKS "\"}");
    refused(SEAL, "flow", "uk", ON_UKS("66666666666666666666666666666666", ""), "pledge_amended",
            "cccccccccccccccccccccccccccccccc");
    {
        wl_pledge_retired pr;
        assert_int_equal(wl_store_pledge_retired(fx.s, P_UKS, &pr), WL_OK);
        assert_string_equal(pr.successor, "cccccccccccccccccccccccccccccccc");
        assert_int_equal(wl_store_pledge_retired(fx.s, P_UK, &pr), WL_OK);
        assert_string_equal(pr.successor, "");
        assert_int_equal(wl_store_pledge_retired(fx.s, "cccccccccccccccccccccccccccccccc", &pr),
                         WL_ERR_NOT_FOUND);
    }
#undef ON_UKS
}

static void test_alloc_faults(void **state)
{
    step st[] = {
        {PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1600000000", "")},
        {PUBLIC, "instrument", "uk",
         INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"ukef-2025\"")},
        {PUBLIC, "flow", "uk", DISB(F1, "1000", "")},
        {PUBLIC, "flow.batch", "uk",
         "{\"import\":\"" F1 F1 "\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[" DELIVERY(
             F3, "") "," DELIVERY(F2, ",\"supersedes\":\"" F3 "\"") "]}"},
        {PUBLIC, "flow.confirm", "ua", CONFIRM(F2, "500")},
        {SEAL, "flow", "uk", SEALED(F4, ",\"readers\":[\"fr\"]")},
        {SEAL, "flow.dispute", "ua", "{\"flow\":\"" F4 "\",\"reason\":\"no\"}"},
        {PUBLIC, "rate", "co", RATE("")},
    };
    const size_t n = sizeof st / sizeof st[0];
    char want[300], got[300];
    unsigned long k;
    (void)state;
    json_set_alloc_funcs(wl_malloc, wl_free);
    for (size_t i = 0; i < n; i++)
        parse(st[i].kind, st[i].author, st[i].body, st[i].h != PUBLIC, &steps_raw[i],
              &steps_p[i].e);
    assert_int_equal(fault_session(st, n, want, sizeof want), WL_OK);
    for (k = 1;; k++) {
        wl_alloc_fail_at(k);
        wl_rc rc = fault_session(st, n, got, sizeof got);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (rc == WL_OK && strcmp(got, want) != 0)
            fail_msg("allocation %lu failed, yet the hooks said WL_OK: %s, not %s", k, got, want);
        if (!failed)
            break;
    }
    for (size_t i = 0; i < n; i++) {
        wl_entry_clear(&steps_p[i].e);
        wl_free(steps_raw[i]);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(k > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flow_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_on_pledge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supersedes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instruments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_and_category, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirm_dispute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_id_no_pledge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retired_pledge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
