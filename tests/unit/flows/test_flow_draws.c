/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Drawing on instruments, on a real SQLite store (kinds_fixture.h): who may
 * draw on an instrument or hang one under it (its provider or a coordinator;
 * to anyone else it is unknown), sealed and public disbursements counted
 * together against the amount, and refusals that never name a sum holding
 * someone's sealed flows.
 */
#include "kinds_fixture.h"

/* Expects a refusal with code whose message does not hold `hidden` (a sum the author may not see).
 */
static void refused_hiding(how h, const char *kind, const char *author, const char *body,
                           const char *code, const char *hidden)
{
    wl_error err;
    assert_int_not_equal(run(h, kind, author, body, &err), WL_OK);
    if (strcmp(err.code, code) != 0 || strstr(err.msg, hidden) != NULL)
        fail_msg("%s: want %s not naming '%s', got %s: %s", body, code, hidden, err.code, err.msg);
}

#define FR_DISB(id, amount)                                                                        \
    "{\"flow\":\"" id "\",\"requirement\":\"air-defence\",\"instrument\":\"belfast-missiles\","    \
    "\"stage\":\"disbursement\",\"date\":\"2025-06-01\",\"amount\":\"" amount                      \
    "\",\"currency\":\"GBP\"}"
#define FR_CONTRACT(provider)                                                                      \
    "{\"instrument\":\"fr-c\",\"name\":\"fr-c\",\"type\":\"loan\",\"level\":\"contract\","         \
    "\"provider\":\"" provider                                                                     \
    "\",\"amount\":\"1\",\"currency\":\"GBP\",\"parent\":\"ukef-2025\"}"

/* Only an instrument's provider or a coordinator draws on it or hangs a contract under it. */
static void test_instrument_access(void **state)
{
    wl_instrument_row r;
    (void)state;
    ok(PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1600000000", ""));
    ok(PUBLIC, "instrument", "uk",
       INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"ukef-2025\""));
    /* to fr, uk's instruments are unknown: the same answer as none */
    refused(PUBLIC, "flow", "fr", FR_DISB(F1, "1160000000"), "unknown_instrument",
            "no instrument 'belfast-missiles' of yours");
    refused(SEAL, "flow", "fr", FR_DISB(F1, "5"), "unknown_instrument", "belfast-missiles");
    assert_false(stored(F1));
    refused(PUBLIC, "instrument", "fr", FR_CONTRACT("fr"), "unknown_instrument", "ukef-2025");
    assert_int_equal(wl_store_instrument_get(fx.s, "fr-c", &r), WL_ERR_NOT_FOUND);
    /* the provider's own flow still fits whole */
    ok(PUBLIC, "flow", "uk", DISB(F2, "1160000000", ""));
    /* a coordinator may do both */
    ok(PUBLIC, "instrument", "co", FR_CONTRACT("fr"));
    refused(PUBLIC, "flow", "co", FR_DISB(F3, "1"), "overdrawn", "belfast-missiles");
}

/* Sealed and public disbursements count together; a refusal never names the sealed sum. */
static void test_overdrawn_sealed(void **state)
{
    (void)state;
    ok(PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1600000000", ""));
    ok(PUBLIC, "instrument", "uk",
       INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"ukef-2025\""));
    ok(SEAL, "flow", "uk", DISB(F1, "800000000", ""));
    refused(PUBLIC, "flow", "uk", DISB(F2, "800000000", ""), "overdrawn",
            "GBP 800000000 more on ukef-2025 > belfast-missiles would overdraw it");
    refused_hiding(PUBLIC, "flow", "uk", DISB(F2, "800000000", ""), "overdrawn", "1600000000");
    refused(SEAL, "flow", "uk", DISB(F2, "800000000", ""), "overdrawn", "belfast-missiles");
    assert_false(stored(F2));
    ok(PUBLIC, "flow", "uk", DISB(F2, "360000000", ""));
    /* an amendment below the disbursements: refused, their sum not named */
    refused(PUBLIC, "instrument", "co",
            INSTR("belfast-missiles", "contract", "1000000000", ",\"parent\":\"ukef-2025\""),
            "overdrawn", "disbursements on it");
    refused_hiding(PUBLIC, "instrument", "co",
                   INSTR("belfast-missiles", "contract", "1000000000", ",\"parent\":\"ukef-2025\""),
                   "overdrawn", "1160000000");
}

#define F5 "55555555555555555555555555555555"

static int64_t drawn(const char *instrument)
{
    int64_t v = -1;
    assert_int_equal(wl_store_instrument_drawn(fx.s, instrument, &v), WL_OK);
    return v;
}

/* Reversals never take a contract's disbursements below zero, so "left" never exceeds it. */
static void test_reversals(void **state)
{
    (void)state;
    ok(PUBLIC, "instrument", "uk", INSTR("ukef-2025", "facility", "1600000000", ""));
    ok(PUBLIC, "instrument", "uk",
       INSTR("belfast-missiles", "contract", "1160000000", ",\"parent\":\"ukef-2025\""));
    ok(PUBLIC, "instrument", "uk", INSTR("other", "contract", "100", ",\"parent\":\"ukef-2025\""));
    ok(PUBLIC, "flow", "uk", DISB(F1, "1160000000", ""));
    refused(PUBLIC, "flow", "uk", DISB(F2, "-1160000000.0001", ""), "below_zero",
            "GBP -1160000000.0001 on ukef-2025 > belfast-missiles would take its disbursements "
            "below zero");
    refused(SEAL, "flow", "uk", DISB(F2, "-1160000000.0001", ""), "below_zero", "below zero");
    ok(PUBLIC, "flow", "uk", DISB(F2, "-1160000000", ""));
    assert_int_equal(drawn("belfast-missiles"), 0);
    refused(PUBLIC, "flow", "uk", DISB(F3, "-1", ""), "below_zero", "belfast-missiles");
    ok(PUBLIC, "flow", "uk", DISB(F3, "1160000000", ""));
    refused(PUBLIC, "flow", "uk", DISB(F4, "1", ""), "overdrawn", "belfast-missiles");
    assert_int_equal(drawn("belfast-missiles"), 11600000000000LL);
    /* a correction moved to another contract leaves the first */
    ok(PUBLIC, "flow", "uk", DISB(F4, "5", ",\"instrument\":\"other\",\"supersedes\":\"" F3 "\""));
    assert_int_equal(drawn("belfast-missiles"), 0);
    assert_int_equal(drawn("other"), 50000);
    /* correcting the first disbursement down would leave the reversal beyond it */
    refused(PUBLIC, "flow", "uk", DISB(F5, "1", ",\"supersedes\":\"" F1 "\""), "below_zero",
            "belfast-missiles");
    assert_int_equal(drawn("belfast-missiles"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_instrument_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overdrawn_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reversals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
