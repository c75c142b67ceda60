/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The converted totals of the flows views (store_flows_totals.h): each live
 * money flow converted into every currency the coordinator's rates convert
 * into (flow_ctargets), with the rate of its day, summed in the ways of
 * flow_sums by stage in flow_csums (128 bits, exact, scale 10^12), or counted
 * there as not convertible; and the live money flows per currency and day
 * (flow_days), from which a converted summary names the rates it used and the
 * flows it could not convert, in days x currencies rows. A rate stored moves
 * the flows of its days (from it to the next rate of its pair) from the rate
 * before (or none) to it; the first rate into a currency converts every live
 * money flow into it once. docs/internals/flows.md ("Views").
 */
#include "store/store_flows_totals.h"

typedef wl_sq_cell cell;
typedef wl_sq_live live;

/*
 * Adds sign x live money flow l converted into currency to (with rate, scaled
 * 10^8; rate < 0: none, then counted as not convertible) to its cells of
 * flow_csums: the ways of flow_sums, and each reader's.
 */
static wl_rc conv_target(wl_store *s, const live *l, const char *to, int sign, int64_t rate)
{
    const char *keys[WAYS + READ_WAYS][2] = {{"", l->author},
                                             {"", l->category},
                                             {"", l->month},
                                             {l->author, l->category},
                                             {l->author, l->month}};
    const char *rkeys[READ_WAYS] = {l->author, l->category, l->month};
    wl_rc rc = wl_sq_tot_room(s, WAYS + READ_WAYS * l->nreaders);
    for (size_t k = 0; rc == WL_OK && k < WAYS + READ_WAYS * l->nreaders; k++) {
        int g = k < WAYS ? (int)k : WAYS + (int)((k - WAYS) % READ_WAYS);
        const char *author = k < WAYS ? keys[k][0] : l->readers[(k - WAYS) / READ_WAYS];
        const char *key = k < WAYS ? keys[k][1] : rkeys[g - WAYS];
        cell *c = wl_sq_tot_find(s, CSUMS + g, author, key, l->sealed, l->stage, 0, to, &rc);
        if (c == NULL)
            break;
        c->v[0] += sign;
        if (rate < 0) {
            c->v[1] += sign;
            for (int i = 0; i < 4; i++)
                c->v[2 + i] += l->ans[i] != 0 ? sign : 0;
        } else {
            c->w[0] += (wl_i128)sign * l->fig * rate;
            for (int i = 0; i < 4; i++)
                c->w[1 + i] += (wl_i128)sign * l->ans[i] * rate;
        }
        c->present = c->dirty = true;
    }
    return rc;
}

/* The day a rate is looked up for: a month-only date counts as the month's last day. */
static void rate_day(const char *date, char day[11])
{
    snprintf(day, 11, "%.7s%s", date, strlen(date) == 7 ? "-31" : date + 7);
}

/* The rate from -> to in effect on date (10^8), or -1 when there is none. */
static wl_rc rate_on(wl_store *s, const char *from, const char *to, const char *date, int64_t *rate)
{
    char day[11];
    wl_st *st = wl_sq_tot_stmt(s, T_RATE_AT);
    int r;
    rate_day(date, day);
    wl_st_bind_text(st, 1, from, -1);
    wl_st_bind_text(st, 2, to, -1);
    wl_st_bind_text(st, 3, day, -1);
    r = wl_st_step(st);
    *rate = r == WL_DB_ROW ? wl_st_col_int64(st, 0) : -1;
    wl_st_reset(st);
    return r == WL_DB_ROW || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

/*
 * The currencies rates convert into (flow_ctargets) in s->tot: read once in a
 * transaction and kept across them while SQLite's data version of the file
 * stays (another connection's commit changes it); this connection's own new
 * target and a rollback forget them (wl_sq_totals_rate, wl_sq_totals_drop).
 * Outside a transaction they are read each time. s->tot exists.
 */
static wl_rc targets_read(wl_store *s)
{
    struct wl_sq_totals *t = s->tot;
    unsigned dv = 0;
    bool keep = !wl_db_autocommit(s->db) && wl_db_data_version(s->db, &dv) == WL_DB_OK;
    wl_st *st;
    int r;
    if (keep && t->targets_read && t->dv == dv)
        return WL_OK;
    t->targets_read = false;
    t->ntargets = 0;
    st = wl_sq_tot_stmt(s, T_TARGETS);
    while ((r = wl_st_step(st)) == WL_DB_ROW && t->ntargets < TARGETS_MAX)
        col_str(st, 0, t->targets[t->ntargets++], sizeof t->targets[0]);
    wl_st_reset(st);
    if (r == WL_DB_ROW) /* wl_sq_totals_rate keeps them to TARGETS_MAX: never skip one */
        return WL_ERR_INTERNAL;
    if (r != WL_DB_DONE)
        return map_rc(r);
    t->targets_read = keep;
    t->dv = dv;
    return WL_OK;
}

/* Adds sign x live flow l to flow_days and, converted into each target, to flow_csums. */
wl_rc wl_sq_tot_conv(wl_store *s, const live *l, int sign)
{
    const struct wl_sq_totals *t;
    wl_rc rc;
    if (!l->money)
        return WL_OK;
    if ((rc = wl_sq_tot_room(s, 2 + l->nreaders)) != WL_OK)
        return rc;
    for (size_t k = 0; k < 2 + l->nreaders; k++) {
        cell *c;
        if (k == 1 && !l->sealed)
            continue;
        c = wl_sq_tot_find(s, DAYS,
                           k == 0   ? ""
                           : k == 1 ? l->author
                                    : l->readers[k - 2],
                           l->date,
                           k == 0   ? l->sealed
                           : k == 1 ? 1
                                    : READER_SEALED,
                           "", 0, l->measure, &rc);
        if (c == NULL)
            return rc;
        c->v[0] += sign;
        c->present = c->dirty = true;
    }
    if ((rc = targets_read(s)) != WL_OK)
        return rc;
    t = s->tot;
    for (size_t k = 0; k < t->ntargets && rc == WL_OK; k++) {
        int64_t rate;
        if (strcmp(t->targets[k], l->measure) == 0)
            continue; /* already in that currency: the summary takes it as it is */
        if ((rc = rate_on(s, l->measure, t->targets[k], l->date, &rate)) == WL_OK)
            rc = conv_target(s, l, t->targets[k], sign, rate);
    }
    return rc;
}

/*
 * Steps an ad hoc statement over flow ids (and finalizes it): each live money
 * flow's figures converted into to move from rate before to rate (moving), or
 * are added with the rate of their day (not moving: to is new to the rates).
 */
static wl_rc each_flow(wl_store *s, wl_st *st, const char *to, int moving, int64_t before,
                       int64_t rate)
{
    wl_rc rc = WL_OK;
    int r = WL_DB_DONE;
    while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
        live l;
        char id[33];
        int64_t now = rate;
        col_str(st, 0, id, sizeof id);
        if ((rc = wl_sq_tot_live_get(s, id, &l)) != WL_OK || !l.money ||
            strcmp(l.measure, to) == 0) {
            rc = rc == WL_ERR_NOT_FOUND ? WL_OK : rc;
            continue;
        }
        if (moving)
            rc = conv_target(s, &l, to, -1, before);
        else
            rc = rate_on(s, l.measure, to, l.date, &now);
        if (rc == WL_OK)
            rc = conv_target(s, &l, to, 1, now);
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_finalize(st);
    return rc;
}

/* One value (or none: *v = dflt) of an ad hoc query with text parameters. */
static wl_rc ask(wl_store *s, const char *text, const char *const *args, int n, int64_t dflt,
                 int64_t *v, wl_st **keep)
{
    wl_st *st = NULL;
    int r;
    *v = dflt;
    if (wl_st_prepare(s->db, text, 0, &st) != WL_DB_OK) {
        wl_st_finalize(st);
        return WL_ERR_IO;
    }
    for (int i = 0; i < n; i++)
        wl_st_bind_text_copy(st, i + 1, args[i], -1);
    if (keep) {
        *keep = st;
        return WL_OK;
    }
    r = wl_st_step(st);
    if (r == WL_DB_ROW && wl_st_col_type(st, 0) != WL_DB_NULL)
        *v = wl_st_col_int64(st, 0);
    wl_st_finalize(st);
    return r == WL_DB_ROW || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

wl_rc wl_sq_totals_rate(wl_store *s, const char *from, const char *to, const char *date,
                        int64_t rate)
{
    const char *args[3] = {from, to, date};
    wl_st *st;
    int64_t known, before;
    wl_rc rc = ask(s, "SELECT 1 FROM flow_ctargets WHERE cto = ?1", args + 1, 1, 0, &known, NULL);
    if (rc != WL_OK)
        return rc;
    if (!known) { /* a currency new to the rates: every live money flow converted into it */
        int64_t n = 0;
        if ((rc = ask(s, "SELECT count(*) FROM flow_ctargets", NULL, 0, 0, &n, NULL)) != WL_OK)
            return rc;
        if (n >= TARGETS_MAX)
            return WL_ERR_FORBIDDEN; /* the rate's rule names it: rate_currencies */
        if (s->tot)
            s->tot->targets_read = false; /* read again, with to */
        if ((rc = ask(s, "INSERT INTO flow_ctargets VALUES(?1)", args + 1, 1, 0, &known, NULL)) !=
                WL_OK ||
            (rc = ask(s, "SELECT flow FROM flow_live WHERE money = 1 AND measure <> ?1", args + 1,
                      1, 0, &known, &st)) != WL_OK)
            return rc;
        return each_flow(s, st, to, 0, -1, -1);
    }
    /* the flows of from on the rate's days: from the rate before (or none) to this one */
    if ((rc = ask(s,
                  "SELECT rate FROM rates WHERE cfrom = ?1 AND cto = ?2 AND date < ?3 "
                  "ORDER BY date DESC LIMIT 1",
                  args, 3, -1, &before, NULL)) != WL_OK ||
        (rc = ask(s,
                  "SELECT f.id FROM flows f WHERE f.currency = ?1 AND f.date >= ?3 AND "
                  "f.superseded_by IS NULL AND f.date < coalesce((SELECT min(date) FROM rates "
                  "WHERE cfrom = ?1 AND cto = ?2 AND date > ?3), '9999')",
                  args, 3, 0, &known, &st)) != WL_OK)
        return rc;
    return each_flow(s, st, to, 1, before, rate);
}
