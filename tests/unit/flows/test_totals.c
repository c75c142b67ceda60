/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The views' totals stay exact: SQLite's + turns a sum past 64 bits into a
 * float, so the store refuses the write that would make one (the totals kept
 * in C, lib/store/sqlite_flows_totals.c) and nothing of it is stored; the
 * flows rules answer that as 409 total_too_large. Nine flows of the largest
 * amount a flow may hold (99999999999999.9999) sum exactly, a tenth is
 * refused, a reversal then makes room again, and the summary reads the exact
 * decimal sum, never a rounded one. The totals held in memory until a savepoint,
 * release or commit (lib/store/sqlite_flows_totals.c) follow the transaction: a
 * savepoint rolled back takes its flows out of them, one released keeps them,
 * a correction and an answer count as before. A member's share as a reader
 * of others' sealed flows (its reader cells) is what a recount of the flows
 * gives, through corrections, announcements, answers and rolled-back
 * savepoints; and storing the same flows again in a fresh store (as fsck's
 * replay does) gives the same totals, row for row. On a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "../fixture.h"
#include "store/store.h"
#include "willing/flows.h"
#include "willing/flows_views.h"
#include "willing/module.h"

#define BIG INT64_C(999999999999999999) /* 99999999999999.9999, scaled by 10^4 */

typedef struct {
    char dir[32], path[64];
    wl_store *s;
    uint64_t size;
} fixture;

/* Stores flow n of pl (EUR disbursement of amount), in the caller's transaction. */
static wl_rc put_in(fixture *f, int n, int64_t amount)
{
    wl_flow_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "f%031d", n);
    r.idx = ++f->size;
    r.row = -1;
    snprintf(r.author, sizeof r.author, "pl");
    snprintf(r.category, sizeof r.category, "finance");
    snprintf(r.stage, sizeof r.stage, "disbursement");
    snprintf(r.date, sizeof r.date, "2025-07-01");
    r.has_amount = true;
    r.amount = amount;
    snprintf(r.currency, sizeof r.currency, "EUR");
    r.body = "{}";
    return wl_store_flow_put(f->s, &r);
}

/* The same in a transaction of its own. */
static wl_rc put(fixture *f, int n, int64_t amount)
{
    wl_rc rc;
    assert_int_equal(wl_store_begin(f->s), WL_OK);
    rc = put_in(f, n, amount);
    assert_int_equal(wl_store_commit(f->s), WL_OK);
    return rc;
}

/* Figure what of pl in EUR, as the coordinator's summary by member says it. */
static void figure_is(fixture *f, const char *what, const char *want)
{
    static const wl_flows_viewer all = {1, ""};
    wl_flows_pledges pl;
    json_t *o = NULL, *row, *fig;
    wl_flows_pledges_init(&pl);
    assert_int_equal(wl_flows_pledges_update(f->s, &pl), WL_OK);
    assert_int_equal(wl_flows_summary(f->s, &all, &pl, WL_FLOWS_SUMMARY_MEMBER, NULL, &o), WL_OK);
    row = json_array_get(json_object_get(o, "rows"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "key")), "pl");
    fig = json_array_get(json_object_get(row, "figures"), 0);
    assert_string_equal(json_string_value(json_object_get(fig, "currency")), "EUR");
    assert_string_equal(json_string_value(json_object_get(fig, what)), want);
    json_decref(o);
    wl_flows_pledges_free(&pl);
}

static void disbursed_is(fixture *f, const char *want)
{
    figure_is(f, "disbursed", want);
}

static void test_totals_stay_exact(void **state)
{
    fixture f;
    wl_flow_row r;
    wl_error err = {0};
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_store_open(f.dir, f.path, "wl-totals-", &f.s), WL_OK);
    for (int i = 1; i <= 9; i++)
        assert_int_equal(put(&f, i, BIG), WL_OK);
    disbursed_is(&f, "899999999999999.9991");
    /* a tenth would take every total of pl past 64 bits: refused, not stored */
    assert_int_equal(put(&f, 10, BIG), WL_ERR_TOO_LARGE);
    assert_int_equal(wl_store_flow_get(f.s, "f0000000000000000000000000000010", &r),
                     WL_ERR_NOT_FOUND);
    disbursed_is(&f, "899999999999999.9991");
    assert_int_equal(wl_flows_storage(f.s, WL_ERR_TOO_LARGE, &err), WL_ERR_CONFLICT);
    assert_string_equal(err.code, "total_too_large");
    /* a reversal makes room: the same flow under another id is stored, every digit kept */
    assert_int_equal(put(&f, 11, -BIG), WL_OK);
    assert_int_equal(put(&f, 12, BIG), WL_OK);
    disbursed_is(&f, "899999999999999.9991");
    assert_int_equal(put(&f, 13, -1), WL_OK);
    disbursed_is(&f, "899999999999999.999");
    wl_store_close(f.s);
    assert_int_equal(wl_test_rmdir(f.dir), 0);
}

/* The held totals follow savepoints, as the sequencer runs each job in one. */
static void test_totals_follow_savepoints(void **state)
{
    fixture f;
    wl_flow_answer_row a;
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    memset(&f, 0, sizeof f);
    assert_int_equal(wl_test_tmpdir(f.dir, "wl-totals-"), 0);
    snprintf(f.path, sizeof f.path, "%s/log.db", f.dir);
    assert_int_equal(wl_store_open(wl_test_db(f.path), 1, &f.s), WL_OK);
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 1, 50000), WL_OK);
    assert_int_equal(wl_store_release(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 2, 70000), WL_OK);
    assert_int_equal(put_in(&f, 3, 90000), WL_OK);
    wl_store_rollback_to(f.s); /* a job refused: its flows count nowhere */
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(put_in(&f, 4, 20000), WL_OK);
    assert_int_equal(wl_store_release(f.s), WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    disbursed_is(&f, "7");
    /* a correction replaces the figure it corrects; a dispute of it is counted */
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(put_in(&f, 5, 30000), WL_OK);
    assert_int_equal(wl_store_flow_supersede(f.s, "f0000000000000000000000000000004",
                                             "f0000000000000000000000000000005"),
                     WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    disbursed_is(&f, "8");
    memset(&a, 0, sizeof a);
    snprintf(a.flow, sizeof a.flow, "f%031d", 5);
    a.idx = ++f.size;
    snprintf(a.kind, sizeof a.kind, "confirm");
    a.has_received = true;
    a.received = 10000;
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_savepoint(f.s), WL_OK);
    assert_int_equal(wl_store_flow_answer_put(f.s, &a), WL_OK);
    wl_store_rollback_to(f.s);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    figure_is(&f, "confirmed", "0");
    assert_int_equal(wl_store_begin(f.s), WL_OK);
    assert_int_equal(wl_store_flow_answer_put(f.s, &a), WL_OK);
    assert_int_equal(wl_store_commit(f.s), WL_OK);
    figure_is(&f, "confirmed", "1");
    disbursed_is(&f, "8");
    wl_store_close(f.s);
    assert_int_equal(wl_test_rmdir(f.dir), 0);
}

/* ---- many flows, at random: the totals against a recount and a replay ---- */

#define OPS 600
static const char *const members[] = {"ma", "mb", "mc", "md"};
static const char *const cur[] = {"GBP", "EUR", "USD"};

typedef struct {
    int kind; /* 0 a flow, 1 a correction of flow `of`, 2 an answer to `of`, 3 announce `of`,
                 4 a rate */
    int of, rolled_back;
    wl_flow_row r;
    char readers[64];
    wl_flow_answer_row a;
    char rate_date[11], from[4], to[4];
    int64_t rate;
} op;

static uint64_t seed = 0x2545F4914F6CDD1Du;
static unsigned rnd(unsigned n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}

/* A flow of member m at random: sealed or not, naming readers (its author too, at times). */
static void random_flow(op *o, int n)
{
    static const char *const stages[] = {"commitment", "allocation", "delivery", "disbursement"};
    static const char *const cats[] = {"air_defence", "finance"};
    wl_flow_row *r = &o->r;
    int stage = (int)rnd(4), m = (int)rnd(4);
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%032x", n + 1);
    r->row = -1;
    snprintf(r->author, sizeof r->author, "%s", members[m]);
    snprintf(r->pledge, sizeof r->pledge, "p%031u", rnd(6));
    snprintf(r->category, sizeof r->category, "%s", cats[rnd(2)]);
    snprintf(r->stage, sizeof r->stage, "%s", stages[stage]);
    snprintf(r->date, sizeof r->date, "2025-0%u-1%u", 1 + rnd(3), rnd(10));
    if (stage == 3 || (stage < 2 && rnd(2))) {
        r->has_amount = true;
        r->amount = ((int64_t)rnd(2000) - 200) * 10000;
        snprintf(r->currency, sizeof r->currency, "%s", cur[rnd(3)]);
        if (stage == 3 && rnd(3) == 0)
            snprintf(r->instrument, sizeof r->instrument, "contract-%u", rnd(2));
    } else {
        r->has_qty = true;
        r->qty = (int64_t)(1 + rnd(500)) * 10000;
        snprintf(r->unit, sizeof r->unit, "missiles");
    }
    r->sealed = rnd(2);
    if (r->sealed && rnd(2)) {
        int a = (int)rnd(4), b = (int)rnd(4);
        if (a == b)
            snprintf(o->readers, sizeof o->readers, "[\"%s\"]", members[a]);
        else
            snprintf(o->readers, sizeof o->readers, "[\"%s\",\"%s\"]", members[a], members[b]);
    }
    r->body = "{}";
}

static void make_ops(op *ops)
{
    for (int i = 0; i < OPS; i++) {
        op *o = &ops[i];
        int of = i > 0 ? (int)rnd((unsigned)i) : 0;
        memset(o, 0, sizeof *o);
        o->kind = i == 0 ? 4 : i < 20 ? 0 : (int)rnd(7) < 3 ? 0 : (int)rnd(4) + 1;
        o->of = of;
        o->rolled_back = i > 0 && rnd(10) == 0;
        if (o->kind == 4) { /* a rate into EUR (the first: GBP's), or at times into GBP */
            int f = i == 0 ? 0 : (int)rnd(3);
            snprintf(o->from, sizeof o->from, "%s", cur[f]);
            snprintf(o->to, sizeof o->to, "%s", f != 1 && (i == 0 || rnd(4)) ? "EUR" : "GBP");
            snprintf(o->rate_date, sizeof o->rate_date, "2025-0%u-%02u", 1 + rnd(3), 1 + rnd(28));
            o->rate = (int64_t)(50 + rnd(150)) * 1000000;
        }
        if (o->kind == 0 || o->kind == 1)
            random_flow(o, i);
        if (o->kind == 2) {
            snprintf(o->a.flow, sizeof o->a.flow, "%032x", of + 1);
            o->a.idx = (uint64_t)i + 1000;
            snprintf(o->a.kind, sizeof o->a.kind, "%s", rnd(3) ? "confirm" : "dispute");
            o->a.has_received = o->a.kind[0] == 'c';
            o->a.received = (int64_t)(1 + rnd(100)) * 10000;
            snprintf(o->a.date, sizeof o->a.date, "2025-04-01");
            o->a.sealed = rnd(2);
        }
    }
}

/* Applies op i (flows that are not there, or not live, are left alone). */
static void apply(wl_store *s, op *ops, int i)
{
    op *o = &ops[i];
    wl_flow_row prev;
    char of[33];
    snprintf(of, sizeof of, "%032x", o->of + 1);
    if (o->kind == 0 || o->kind == 1) {
        o->r.idx = (uint64_t)i + 1000;
        o->r.readers = o->readers[0] ? o->readers : NULL;
        if (o->kind == 1 && wl_store_flow_get(s, of, &prev) == WL_OK && !prev.superseded_by[0])
            snprintf(o->r.author, sizeof o->r.author, "%s", prev.author);
        assert_int_equal(wl_store_flow_put(s, &o->r), WL_OK);
        if (o->kind == 1 && wl_store_flow_get(s, of, &prev) == WL_OK && !prev.superseded_by[0])
            assert_int_equal(wl_store_flow_supersede(s, of, o->r.id), WL_OK);
    } else if (o->kind == 2) {
        if (wl_store_flow_get(s, of, &prev) == WL_OK)
            assert_int_equal(wl_store_flow_answer_put(s, &o->a), WL_OK);
    } else if (o->kind == 4) {
        if (strcmp(o->from, o->to) != 0) {
            wl_rc rc = wl_store_rate_put(s, o->rate_date, o->from, o->to, o->rate, (uint64_t)i);
            assert_true(rc == WL_OK || rc == WL_ERR_CONFLICT); /* one rate per day and pair */
        }
    } else if (wl_store_flow_get(s, of, &prev) == WL_OK && prev.sealed) {
        assert_int_equal(wl_store_flow_publish(s, of, (uint64_t)i + 1000), WL_OK);
    }
}

/* Every row of a query as text, one a line, into out (cap bytes). */
static void rows_of(sqlite3 *db, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st;
    size_t off = 0;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st) && off + 80 < cap; c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            off += (size_t)snprintf(out + off, cap - off, "%s|", t ? t : "NULL");
        }
        assert_true(off + 80 < cap);
        out[off++] = '\n';
        out[off] = '\0';
    }
    sqlite3_finalize(st);
}

static void same_rows(sqlite3 *a, const char *qa, sqlite3 *b, const char *qb)
{
    static char ra[1 << 20], rb[1 << 20];
    rows_of(a, qa, ra, sizeof ra);
    rows_of(b, qb, rb, sizeof rb);
    assert_true(ra[0] != '\0'); /* the ops reach every table */
    assert_string_equal(ra, rb);
}

/*
 * The converted totals into EUR by author and stage (flow_csums, both sealed
 * rows), against the live money flows each converted with the latest rate on
 * or before its day: the sum (fits 64 bits here) and how many have no rate.
 */
static void converted_recount(sqlite3 *db)
{
    static char kept[1 << 16], recount[1 << 16];
    sqlite3_stmt *st;
    size_t off = 0;
    char key[80] = "", k[80];
    int64_t sum = 0, nc = 0, n = 0;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT key || '|' || stage, rep, nrep, n FROM flow_csums "
                                        "WHERE g = 0 AND author = '' AND cto = 'EUR' "
                                        "ORDER BY key, stage",
                                        -1, &st, NULL),
                     SQLITE_OK);
    for (int r = sqlite3_step(st);; r = sqlite3_step(st)) {
        snprintf(k, sizeof k, "%s",
                 r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
        if (strcmp(k, key) != 0 && key[0] && n) {
            off += (size_t)snprintf(kept + off, sizeof kept - off, "%s|%lld|%lld|\n", key,
                                    (long long)sum, (long long)nc);
            sum = nc = n = 0;
        }
        if (r != SQLITE_ROW)
            break;
        snprintf(key, sizeof key, "%s", k);
        if (sqlite3_column_bytes(st, 1) == 16) {
            const unsigned char *b = sqlite3_column_blob(st, 1);
            uint64_t u = 0;
            for (int i = 7; i >= 0; i--)
                u = (u << 8) | b[i];
            sum += (int64_t)u; /* the low 64 bits: the sums here fit */
        }
        nc += sqlite3_column_int64(st, 2);
        n += sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    rows_of(db,
            "SELECT author, stage, sum(CASE WHEN rt IS NULL THEN 0 ELSE amount * rt END), "
            "sum(rt IS NULL) FROM (SELECT f.author, f.stage, f.amount, (SELECT rate FROM rates "
            "WHERE cfrom = f.currency AND cto = 'EUR' AND date <= f.date ORDER BY date DESC "
            "LIMIT 1) AS rt FROM flows f WHERE f.superseded_by IS NULL AND f.amount IS NOT NULL "
            "AND f.currency <> 'EUR') GROUP BY 1, 2 ORDER BY 1, 2",
            recount, sizeof recount);
    assert_true(recount[0] != '\0');
    assert_string_equal(kept, recount);
}

/* What a recount of the live flows gives a reader (FROM flows f, json_each r). */
#define LIVE_READ                                                                                  \
    " FROM flows f, json_each(f.readers) r WHERE f.superseded_by IS NULL AND f.sealed = 1 AND "    \
    "r.value <> f.author "

static void test_totals_recount_and_replay(void **state)
{
    static op ops[OPS];
    static const char *const tables[] = {
        "SELECT * FROM flow_live ORDER BY flow",
        "SELECT * FROM flow_sums ORDER BY g, author, key, sealed, stage, money, measure",
        "SELECT * FROM flow_isums ORDER BY instrument, author, sealed, stage, measure",
        "SELECT * FROM flow_first ORDER BY pledge",
        "SELECT * FROM flow_rfirst ORDER BY reader, pledge",
        "SELECT * FROM flow_ctargets ORDER BY cto",
        "SELECT g, author, key, sealed, stage, cto, n, nrep, nca, nda, ncp, ndp, hex(rep), "
        "hex(ca), "
        "hex(da), hex(cp), hex(dp) FROM flow_csums ORDER BY g, author, key, sealed, stage, cto",
        "SELECT * FROM flow_days ORDER BY author, sealed, currency, day"};
    char dir[32], path[2][64];
    wl_store *s;
    sqlite3 *db[2];
    (void)state;
    assert_int_equal(wl_modules_register(), WL_OK);
    make_ops(ops);
    assert_int_equal(wl_test_tmpdir(dir, "wl-totals-"), 0);
    /* the ledger: each op in a savepoint, one in ten rolled back, 50 to a transaction */
    snprintf(path[0], sizeof path[0], "%s/a.db", dir);
    assert_int_equal(wl_store_open(path[0], 1, &s), WL_OK);
    for (int i = 0; i < OPS; i++) {
        if (i % 50 == 0)
            assert_int_equal(wl_store_begin(s), WL_OK);
        assert_int_equal(wl_store_savepoint(s), WL_OK);
        apply(s, ops, i);
        if (ops[i].rolled_back)
            wl_store_rollback_to(s);
        else
            assert_int_equal(wl_store_release(s), WL_OK);
        if (i % 50 == 49)
            assert_int_equal(wl_store_commit(s), WL_OK);
    }
    wl_store_close(s);
    /* the replay: what stayed, each in a transaction of its own */
    snprintf(path[1], sizeof path[1], "%s/b.db", dir);
    assert_int_equal(wl_store_open(path[1], 1, &s), WL_OK);
    for (int i = 0; i < OPS; i++) {
        if (ops[i].rolled_back)
            continue;
        assert_int_equal(wl_store_begin(s), WL_OK);
        apply(s, ops, i);
        assert_int_equal(wl_store_commit(s), WL_OK);
    }
    wl_store_close(s);
    for (int i = 0; i < 2; i++)
        assert_int_equal(sqlite3_open_v2(path[i], &db[i], SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        same_rows(db[0], tables[t], db[1], tables[t]);
    /* a reader's cells: what the flows naming it sum to, by author, category and month */
    same_rows(db[0],
              "SELECT g, author, key, sealed, stage, money, measure, reported, n FROM flow_sums "
              "WHERE g >= 5 AND n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7",
              db[0],
              "SELECT * FROM (SELECT 5 + w.g AS g, r.value AS author, CASE w.g WHEN 0 THEN "
              "f.author WHEN 1 THEN f.category ELSE substr(f.date, 1, 7) END AS key, 1, f.stage, "
              "f.amount IS NOT NULL AS money, coalesce(f.currency, f.unit) AS measure, "
              "sum(coalesce(f.amount, f.qty)), count(*) FROM (SELECT 0 AS g UNION ALL SELECT 1 "
              "UNION ALL SELECT 2) w, flows f, json_each(f.readers) r WHERE f.superseded_by IS "
              "NULL AND f.sealed = 1 AND r.value <> f.author GROUP BY 1, 2, 3, 5, 6, 7) "
              "ORDER BY 1, 2, 3, 4, 5, 6, 7");
    same_rows(
        db[0],
        "SELECT instrument, author, stage, measure, total, n FROM flow_isums WHERE sealed = 2 "
        "AND n > 0 ORDER BY 1, 2, 3, 4",
        db[0],
        "SELECT f.instrument, r.value, f.stage, coalesce(f.currency, f.unit), "
        "sum(coalesce(f.amount, f.qty)), count(*)" LIVE_READ
        "AND f.instrument IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
    same_rows(db[0], "SELECT reader, pledge, first FROM flow_rfirst ORDER BY 1, 2", db[0],
              "SELECT r.value, f.pledge, min(f.date)" LIVE_READ
              "AND f.stage IN ('delivery', 'disbursement') GROUP BY 1, 2 ORDER BY 1, 2");
    converted_recount(db[0]);
    for (int i = 0; i < 2; i++)
        sqlite3_close(db[i]);
    assert_int_equal(wl_test_rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_stay_exact),
        cmocka_unit_test(test_totals_follow_savepoints),
        cmocka_unit_test(test_totals_recount_and_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
