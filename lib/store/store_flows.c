/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows family of the store (store/store_flows.h): flows with
 * their correction chains (table flows), confirmations and disputes
 * (flow_answers), instruments (instruments) with the sum of the latest
 * disbursements on each (instrument_drawn, kept by lib/flows' rules, so a
 * flow's overdraw check reads one row) and rates (rates). Sums of
 * amounts are taken in C in 128 bits, never in SQLite's 64-bit SUM, which
 * would fail on overflow. The views' readers are in store_flows_views.c, not the marked
 * section at the end.
 */
#include "store/store_int.h"

enum {
    Q_FLOW_PUT,
    Q_FLOW_PUBLISH,
    Q_FLOW_GET,
    Q_FLOW_SUPERSEDE,
    Q_DRAWN_GET,
    Q_DRAWN_SET,
    Q_ANSWER_PUT,
    Q_INSTR_PUT,
    Q_INSTR_GET,
    Q_INSTR_CHILDREN,
    Q_RATE_PUT,
    Q_RATE_GET,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_FLOW_PUT] = "INSERT INTO flows(id, idx, row, author, pledge, requirement, instrument, "
                   "activity, category, stage, date, qty, unit, amount, currency, sealed, readers, "
                   "body) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                   "?16, ?17, ?18)",
    [Q_FLOW_PUBLISH] = "UPDATE flows SET sealed = 0, idx = ?2 WHERE id = ?1",
    [Q_FLOW_GET] = "SELECT idx, row, author, pledge, requirement, instrument, activity, category, "
                   "stage, date, qty, unit, amount, currency, sealed, superseded_by FROM flows "
                   "WHERE id = ?1",
    [Q_FLOW_SUPERSEDE] = "UPDATE flows SET superseded_by = ?2 WHERE id = ?1",
    [Q_DRAWN_GET] = "SELECT drawn FROM instrument_drawn WHERE instrument = ?1",
    /* upserts, not INSERT OR REPLACE: PostgreSQL has only these */
    [Q_DRAWN_SET] = "INSERT INTO instrument_drawn(instrument, drawn) VALUES(?1, ?2) "
                    "ON CONFLICT(instrument) DO UPDATE SET drawn = excluded.drawn",
    [Q_ANSWER_PUT] = "INSERT INTO flow_answers(flow, idx, kind, received, date, reason, sealed) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(flow, idx) DO UPDATE SET "
                     "kind = excluded.kind, received = excluded.received, date = excluded.date, "
                     "reason = excluded.reason, sealed = excluded.sealed",
    [Q_INSTR_PUT] = "INSERT INTO instruments(id, idx, parent, level, type, provider, amount, "
                    "currency, body) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                    "ON CONFLICT(id) DO UPDATE SET idx = excluded.idx, parent = excluded.parent, "
                    "level = excluded.level, type = excluded.type, provider = excluded.provider, "
                    "amount = excluded.amount, currency = excluded.currency, body = excluded.body",
    [Q_INSTR_GET] = "SELECT idx, parent, level, type, provider, amount, currency FROM instruments "
                    "WHERE id = ?1",
    [Q_INSTR_CHILDREN] = "SELECT amount FROM instruments WHERE parent = ?1 AND id IS NOT ?2",
    [Q_RATE_PUT] = "INSERT INTO rates(date, cfrom, cto, rate, idx) VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_RATE_GET] = "SELECT rate, date, idx FROM rates WHERE cfrom = ?1 AND cto = ?2 AND date <= ?3 "
                   "ORDER BY date DESC LIMIT 1",
};
const wl_sq_family wl_sq_flows = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_FLOWS, q);
}

/* Binds text, or NULL for "" and NULL. */
static void bind_opt(wl_st *st, int i, const char *v)
{
    if (v && v[0])
        wl_st_bind_text(st, i, v, -1);
}

/* The one row of statement q for id (store_int.h's row_for_key). */
static wl_rc get_one(wl_store *s, int q, const char *id, void *out, size_t size,
                     void (*map)(wl_st *st, void *out))
{
    return row_for_key(stmt(s, q), id, out, size, map);
}

/* A row of Q_FLOW_GET as a wl_flow_row (all but its id). */
static void flow_of(wl_st *st, void *out)
{
    wl_flow_row *r = out;
    r->idx = (uint64_t)wl_st_col_int64(st, 0);
    r->row = wl_st_col_int64(st, 1);
    col_str(st, 2, r->author, sizeof r->author);
    col_str(st, 3, r->pledge, sizeof r->pledge);
    col_str(st, 4, r->requirement, sizeof r->requirement);
    col_str(st, 5, r->instrument, sizeof r->instrument);
    col_str(st, 6, r->activity, sizeof r->activity);
    col_str(st, 7, r->category, sizeof r->category);
    col_str(st, 8, r->stage, sizeof r->stage);
    col_str(st, 9, r->date, sizeof r->date);
    r->has_qty = wl_st_col_type(st, 10) != WL_DB_NULL;
    r->qty = wl_st_col_int64(st, 10);
    col_str(st, 11, r->unit, sizeof r->unit);
    r->has_amount = wl_st_col_type(st, 12) != WL_DB_NULL;
    r->amount = wl_st_col_int64(st, 12);
    col_str(st, 13, r->currency, sizeof r->currency);
    r->sealed = wl_st_col_int(st, 14) != 0;
    col_str(st, 15, r->superseded_by, sizeof r->superseded_by);
}

/* A row of Q_INSTR_GET as a wl_instrument_row (all but its id). */
static void instrument_of(wl_st *st, void *out)
{
    wl_instrument_row *r = out;
    r->idx = (uint64_t)wl_st_col_int64(st, 0);
    col_str(st, 1, r->parent, sizeof r->parent);
    col_str(st, 2, r->level, sizeof r->level);
    col_str(st, 3, r->type, sizeof r->type);
    col_str(st, 4, r->provider, sizeof r->provider);
    r->amount = wl_st_col_int64(st, 5);
    col_str(st, 6, r->currency, sizeof r->currency);
}

/* A write to flows or flow_answers, done (the views' totals check their sums in C). */
static wl_rc write_done(wl_store *s, wl_st *st)
{
    (void)s;
    return step_done(st);
}

wl_rc wl_store_flow_put(wl_store *s, const wl_flow_row *r)
{
    wl_st *st = stmt(s, Q_FLOW_PUT);
    wl_rc rc;
    wl_st_bind_text(st, 1, r->id, -1);
    wl_st_bind_int64(st, 2, (int64_t)r->idx);
    wl_st_bind_int64(st, 3, r->row);
    wl_st_bind_text(st, 4, r->author, -1);
    bind_opt(st, 5, r->pledge);
    bind_opt(st, 6, r->requirement);
    bind_opt(st, 7, r->instrument);
    bind_opt(st, 8, r->activity);
    bind_opt(st, 9, r->category);
    wl_st_bind_text(st, 10, r->stage, -1);
    wl_st_bind_text(st, 11, r->date, -1);
    if (r->has_qty)
        wl_st_bind_int64(st, 12, r->qty);
    bind_opt(st, 13, r->unit);
    if (r->has_amount)
        wl_st_bind_int64(st, 14, r->amount);
    bind_opt(st, 15, r->currency);
    wl_st_bind_int(st, 16, r->sealed ? 1 : 0);
    bind_opt(st, 17, r->readers);
    wl_st_bind_text(st, 18, r->body ? r->body : "{}", -1);
    if ((rc = wl_sq_totals_check_put(s, r)) != WL_OK) /* nothing written: a total too large */
        return rc;
    if ((rc = write_done(s, st)) != WL_OK)
        return rc;
    return wl_sq_totals_put(s, r);
}

wl_rc wl_store_flow_publish(wl_store *s, const char *id, uint64_t idx)
{
    wl_st *st;
    wl_rc rc = wl_sq_totals_begin(s);
    if (rc != WL_OK)
        return rc;
    st = stmt(s, Q_FLOW_PUBLISH);
    wl_st_bind_text(st, 1, id, -1);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    if ((rc = write_done(s, st)) == WL_OK && wl_db_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    if (rc == WL_OK)
        rc = wl_sq_totals_flow_changed(s, id);
    return wl_sq_totals_end(s, rc);
}

wl_rc wl_store_flow_get(wl_store *s, const char *id, wl_flow_row *r)
{
    wl_rc rc = get_one(s, Q_FLOW_GET, id, r, sizeof *r, flow_of);
    if (rc == WL_OK)
        snprintf(r->id, sizeof r->id, "%s", id);
    return rc;
}

wl_rc wl_store_flow_supersede(wl_store *s, const char *old, const char *by)
{
    wl_st *st;
    wl_rc rc = wl_sq_totals_begin(s);
    if (rc != WL_OK)
        return rc;
    st = stmt(s, Q_FLOW_SUPERSEDE);
    wl_st_bind_text(st, 1, old, -1);
    bind_opt(st, 2, by);
    if ((rc = write_done(s, st)) == WL_OK)
        rc = wl_sq_totals_flow_changed(s, old);
    return wl_sq_totals_end(s, rc);
}

/* The sum of column 0 over the rows of st, in 128 bits; n counts them. Resets st. */
static wl_rc sum_rows(wl_st *st, uint64_t *n, wl_i128 *sum)
{
    int rc;
    while ((rc = wl_st_step(st)) == WL_DB_ROW) {
        *sum += wl_st_col_int64(st, 0);
        if (n)
            (*n)++;
    }
    wl_st_reset(st);
    if (rc != WL_DB_DONE) {
        *sum = 0;
        if (n)
            *n = 0;
        return map_rc(rc);
    }
    return WL_OK;
}

wl_rc wl_store_instrument_drawn(wl_store *s, const char *instrument, int64_t *drawn)
{
    wl_st *st = stmt(s, Q_DRAWN_GET);
    int rc;
    *drawn = 0;
    wl_st_bind_text(st, 1, instrument, -1);
    rc = wl_st_step(st);
    if (rc == WL_DB_ROW)
        *drawn = wl_st_col_int64(st, 0);
    wl_st_reset(st);
    return rc == WL_DB_ROW || rc == WL_DB_DONE ? WL_OK : map_rc(rc);
}

wl_rc wl_store_instrument_drawn_set(wl_store *s, const char *instrument, int64_t drawn)
{
    wl_st *st = stmt(s, Q_DRAWN_SET);
    wl_st_bind_text(st, 1, instrument, -1);
    wl_st_bind_int64(st, 2, drawn);
    return step_done(st);
}

wl_rc wl_store_flow_answer_put(wl_store *s, const wl_flow_answer_row *a)
{
    wl_st *st;
    wl_rc rc = wl_sq_totals_begin(s);
    if (rc != WL_OK)
        return rc;
    st = stmt(s, Q_ANSWER_PUT);
    wl_st_bind_text(st, 1, a->flow, -1);
    wl_st_bind_int64(st, 2, (int64_t)a->idx);
    wl_st_bind_text(st, 3, a->kind, -1);
    if (a->has_received)
        wl_st_bind_int64(st, 4, a->received);
    bind_opt(st, 5, a->date);
    bind_opt(st, 6, a->reason);
    wl_st_bind_int(st, 7, a->sealed ? 1 : 0);
    if ((rc = write_done(s, st)) == WL_OK)
        rc = wl_sq_totals_answer(s, a);
    return wl_sq_totals_end(s, rc);
}

wl_rc wl_store_instrument_put(wl_store *s, const wl_instrument_row *r)
{
    wl_st *st = stmt(s, Q_INSTR_PUT);
    wl_st_bind_text(st, 1, r->id, -1);
    wl_st_bind_int64(st, 2, (int64_t)r->idx);
    bind_opt(st, 3, r->parent);
    wl_st_bind_text(st, 4, r->level, -1);
    wl_st_bind_text(st, 5, r->type, -1);
    wl_st_bind_text(st, 6, r->provider, -1);
    wl_st_bind_int64(st, 7, r->amount);
    wl_st_bind_text(st, 8, r->currency, -1);
    wl_st_bind_text(st, 9, r->body ? r->body : "{}", -1);
    return step_done(st);
}

wl_rc wl_store_instrument_get(wl_store *s, const char *id, wl_instrument_row *r)
{
    wl_rc rc = get_one(s, Q_INSTR_GET, id, r, sizeof *r, instrument_of);
    if (rc == WL_OK)
        snprintf(r->id, sizeof r->id, "%s", id);
    return rc;
}

wl_rc wl_store_instrument_children(wl_store *s, const char *parent, const char *except, uint64_t *n,
                                   wl_i128 *sum)
{
    wl_st *st = stmt(s, Q_INSTR_CHILDREN);
    *n = 0;
    *sum = 0;
    wl_st_bind_text(st, 1, parent, -1);
    bind_opt(st, 2, except);
    return sum_rows(st, n, sum);
}

wl_rc wl_store_rate_put(wl_store *s, const char *date, const char *from, const char *to,
                        int64_t rate, uint64_t idx)
{
    wl_st *st;
    wl_rc rc = wl_sq_totals_begin(s);
    if (rc != WL_OK)
        return rc;
    st = stmt(s, Q_RATE_PUT);
    wl_st_bind_text(st, 1, date, -1);
    wl_st_bind_text(st, 2, from, -1);
    wl_st_bind_text(st, 3, to, -1);
    wl_st_bind_int64(st, 4, rate);
    wl_st_bind_int64(st, 5, (int64_t)idx);
    if ((rc = step_done(st)) == WL_OK)
        rc = wl_sq_totals_rate(s, from, to, date, rate);
    return wl_sq_totals_end(s, rc);
}

wl_rc wl_store_rate_get(wl_store *s, const char *from, const char *to, const char *date,
                        int64_t *rate, char rdate[11], uint64_t *idx)
{
    wl_st *st = stmt(s, Q_RATE_GET);
    int rc;
    wl_rc ret = WL_OK;
    *rate = 0;
    rdate[0] = '\0';
    *idx = 0;
    wl_st_bind_text(st, 1, from, -1);
    wl_st_bind_text(st, 2, to, -1);
    wl_st_bind_text(st, 3, date, -1);
    rc = wl_st_step(st);
    if (rc == WL_DB_ROW) {
        *rate = wl_st_col_int64(st, 0);
        col_str(st, 1, rdate, 11);
        *idx = (uint64_t)wl_st_col_int64(st, 2);
    } else {
        ret = no_row(rc);
    }
    wl_st_reset(st);
    return ret;
}

/* The views' readers: store_flows_views.h, store_flows_views.c (their own files). */
