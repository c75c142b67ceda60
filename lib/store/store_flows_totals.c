/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The totals the flows views read (store_flows_views.c), kept in C as flows
 * and answers are stored (store_flows.c calls in here), so that a summary
 * over a million flows reads a few thousand rows:
 *   flow_live   one row per live flow (the latest of its correction chain):
 *               the columns the views group by, its figure, and what its
 *               latest answer and its latest public answer say;
 *   flow_sums   flow_live summed eight ways (column g): 0 by author, 1 by
 *               category, 2 by month (author ''); 3 by author and category,
 *               4 by author and month (a member's own share of 1 and 2); 5, 6
 *               and 7 a reader's share (author: the reader named) of others'
 *               sealed flows naming it, by author, category and month; each
 *               by sealed, stage and measure (a unit, or a currency for money);
 *   flow_isums  flow_live summed by instrument, author, sealed, stage, measure
 *               (sealed 2: a reader's share, author the reader named);
 *   flow_first  per pledge, the first live delivery or disbursement's date,
 *               public and all;
 *   flow_rfirst the same per reader and pledge, of others' sealed flows
 *               naming the reader;
 *   flow_ctargets, flow_csums, flow_days: the converted totals
 *               (store_flows_conv.c).
 * So a member's summary reads its own cells and its reader cells, never the
 * flows: nothing of it is in the public's cells (author '', sealed 0).
 * The totals count; they decide nothing: a flow's rules are lib/flows'.
 * An answer counts in the order stored: a later one replaces an earlier one.
 *
 * Why in C and not in triggers (docs/internals/flows.md says why): here the
 * flows and flow_live rows are plain single-row writes, and the sums a flow changes are
 * added up in memory (struct wl_sq_totals, a few cells per key) and written
 * once per key: at every savepoint, release and commit (store.c), before a
 * view reads them, and at once outside a transaction. A rollback drops what
 * is held, as SQLite drops what was written since the savepoint. Every sum is
 * taken in 128 bits: a write that would take a total past 64 bits is refused
 * (WL_ERR_TOO_LARGE) before anything is written. docs/internals/flows.md
 * ("Views"), docs/internals/store.md.
 */
#include "store/store_flows_totals.h"

typedef wl_sq_cell cell;
typedef wl_sq_live live;

const char wl_sq_flows_views_schema[] =
    /* the list's filters and pages, one flow's chain */
    "CREATE INDEX IF NOT EXISTS flows_v_row_author ON flows(author);"
    "CREATE INDEX IF NOT EXISTS flows_v_superseded ON flows(superseded_by)"
    " WHERE superseded_by IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS flow_answers_v ON flow_answers(flow);"
    "CREATE TABLE IF NOT EXISTS flow_live(flow TEXT PRIMARY KEY, author TEXT NOT NULL,"
    " sealed INTEGER NOT NULL, readers TEXT, category TEXT NOT NULL, month TEXT NOT NULL,"
    " date TEXT NOT NULL, stage TEXT NOT NULL, money INTEGER NOT NULL, measure TEXT NOT NULL,"
    " pledge TEXT, instrument TEXT, fig INTEGER NOT NULL, conf_all INTEGER NOT NULL DEFAULT 0,"
    " disp_all INTEGER NOT NULL DEFAULT 0, conf_pub INTEGER NOT NULL DEFAULT 0,"
    " disp_pub INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS flow_live_first ON flow_live(pledge, date)"
    " WHERE pledge IS NOT NULL;"
    /* a converted summary names the flows of a currency and day no rate converts */
    "CREATE INDEX IF NOT EXISTS flow_live_money ON flow_live(measure, date, sealed, author, flow)"
    " WHERE money = 1;"
    "CREATE TABLE IF NOT EXISTS flow_sums(g INTEGER NOT NULL, author TEXT NOT NULL,"
    " key TEXT NOT NULL, sealed INTEGER NOT NULL, stage TEXT NOT NULL, money INTEGER NOT NULL,"
    " measure TEXT NOT NULL, reported INTEGER NOT NULL, conf_all INTEGER NOT NULL,"
    " disp_all INTEGER NOT NULL, conf_pub INTEGER NOT NULL, disp_pub INTEGER NOT NULL,"
    " n INTEGER NOT NULL,"
    " PRIMARY KEY(g, author, key, sealed, stage, money, measure)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_isums(instrument TEXT NOT NULL, author TEXT NOT NULL,"
    " sealed INTEGER NOT NULL, stage TEXT NOT NULL, measure TEXT NOT NULL,"
    " total INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(instrument, author, sealed, stage, measure)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_first(pledge TEXT PRIMARY KEY, first_pub TEXT,"
    " first_all TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_rfirst(reader TEXT NOT NULL, pledge TEXT NOT NULL,"
    " first TEXT NOT NULL, PRIMARY KEY(reader, pledge)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_ctargets(cto TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_csums(g INTEGER NOT NULL, author TEXT NOT NULL,"
    " key TEXT NOT NULL, sealed INTEGER NOT NULL, stage TEXT NOT NULL, cto TEXT NOT NULL,"
    " rep BLOB, ca BLOB, da BLOB, cp BLOB, dp BLOB, n INTEGER NOT NULL, nrep INTEGER NOT NULL,"
    " nca INTEGER NOT NULL, nda INTEGER NOT NULL, ncp INTEGER NOT NULL, ndp INTEGER NOT NULL,"
    " PRIMARY KEY(g, author, key, sealed, stage, cto)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS flow_days(author TEXT NOT NULL, sealed INTEGER NOT NULL,"
    " currency TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(author, sealed, currency, day)) WITHOUT ROWID;";

#define DELIVERED "('delivery', 'disbursement')"
#define SUMS_KEY "g = ?1 AND author = ?2 AND key = ?3 AND sealed = ?4 AND stage = ?5 AND money = ?6"
#define ISUMS_KEY "instrument = ?1 AND author = ?2 AND sealed = ?3 AND stage = ?4"
/* What the latest answer of flow f (of the public ones: P "AND a.sealed = 0") says. */
#define LATEST(P, KIND, WHAT)                                                                      \
    "coalesce((SELECT CASE WHEN a.kind = '" KIND "' THEN " WHAT " ELSE 0 END"                      \
    " FROM flow_answers a WHERE a.flow = f.id " P " ORDER BY a.rowid DESC LIMIT 1), 0)"
#define FIGURE "coalesce(f.amount, f.qty, 0)"
#define RECEIVED "coalesce(a.received, 0)"

static const char *const sql[T_COUNT] = {
    [T_SUMS_GET] = "SELECT reported, conf_all, disp_all, conf_pub, disp_pub, n FROM flow_sums "
                   "WHERE " SUMS_KEY " AND measure = ?7",
    [T_SUMS_PUT] =
        "INSERT INTO flow_sums VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
        "?13) ON CONFLICT(g, author, key, sealed, stage, money, measure) DO UPDATE SET "
        "reported = excluded.reported, conf_all = excluded.conf_all, disp_all = "
        "excluded.disp_all, conf_pub = excluded.conf_pub, disp_pub = excluded.disp_pub, "
        "n = excluded.n",
    [T_ISUMS_GET] = "SELECT total, n FROM flow_isums WHERE " ISUMS_KEY " AND measure = ?5",
    [T_ISUMS_PUT] = "INSERT INTO flow_isums VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT("
                    "instrument, author, sealed, stage, measure) DO UPDATE SET total = "
                    "excluded.total, n = excluded.n",
    [T_LIVE_PUT] = "INSERT INTO flow_live(flow, author, sealed, readers, category, month, date, "
                   "stage, money, measure, pledge, instrument, fig) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                   "?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [T_LIVE_GET] =
        "SELECT author, sealed, category, month, date, stage, money, measure, pledge, "
        "instrument, fig, conf_all, disp_all, conf_pub, disp_pub, readers FROM flow_live "
        "WHERE flow = ?1",
    [T_LIVE_DEL] = "DELETE FROM flow_live WHERE flow = ?1",
    [T_LIVE_ANSWERS] = "UPDATE flow_live SET conf_all = ?2, disp_all = ?3, conf_pub = ?4, "
                       "disp_pub = ?5 WHERE flow = ?1",
    [T_LIVE_FROM_FLOW] =
        "INSERT INTO flow_live(flow, author, sealed, readers, category, month, date, stage, "
        "money, measure, pledge, instrument, fig, conf_all, disp_all, conf_pub, disp_pub) "
        "SELECT f.id, f.author, f.sealed, f.readers, coalesce(f.category, ''), "
        "substr(f.date, 1, 7), f.date, f.stage, CASE WHEN f.amount IS NOT NULL THEN 1 ELSE 0 END, "
        "coalesce(f.currency, f.unit, ''), f.pledge, f.instrument, " FIGURE
        ", " LATEST("", "confirm", RECEIVED) ", " LATEST("", "dispute", FIGURE) ", " LATEST(
            "AND a.sealed = 0", "confirm",
            RECEIVED) ", " LATEST("AND a.sealed = 0", "dispute",
                                  FIGURE) " FROM flows f WHERE f.id = ?1 AND f.superseded_by IS "
                                          "NULL",
    /* the stored row's columns named with their table: PostgreSQL's upsert wants it */
    [T_FIRST_ADD] = "INSERT INTO flow_first VALUES(?1, CASE WHEN ?2 = 0 THEN ?3 END, ?3) "
                    "ON CONFLICT(pledge) DO UPDATE SET first_all = coalesce(min(flow_first."
                    "first_all, excluded.first_all), flow_first.first_all, excluded.first_all), "
                    "first_pub = coalesce(min(flow_first.first_pub, excluded.first_pub), "
                    "flow_first.first_pub, excluded.first_pub)",
    [T_FIRST_REDO] = "UPDATE flow_first SET first_all = (SELECT min(date) FROM flow_live WHERE "
                     "pledge = ?1 AND stage IN " DELIVERED "), first_pub = (SELECT min(date) FROM "
                     "flow_live WHERE pledge = ?1 AND sealed = 0 AND stage IN " DELIVERED ") "
                     "WHERE pledge = ?1",
    [T_RFIRST_ADD] = "INSERT INTO flow_rfirst VALUES(?1, ?2, ?3) ON CONFLICT(reader, pledge) "
                     "DO UPDATE SET first = min(flow_rfirst.first, excluded.first)",
    [T_RFIRST_DEL] = "DELETE FROM flow_rfirst WHERE reader = ?1 AND pledge = ?2",
    [T_RFIRST_REDO] = "INSERT INTO flow_rfirst SELECT ?1, ?2, d FROM (SELECT min(date) AS d FROM "
                      "flow_live WHERE pledge = ?2 AND sealed = 1 AND author <> ?1 AND readers IS "
                      "NOT NULL AND instr(readers, '\"' || ?1 || '\"') > 0 AND stage IN " DELIVERED
                      ") AS m WHERE d IS NOT NULL",
    [T_CSUMS_GET] =
        "SELECT n, nrep, nca, nda, ncp, ndp, rep, ca, da, cp, dp FROM flow_csums WHERE "
        "g = ?1 AND author = ?2 AND key = ?3 AND sealed = ?4 AND stage = ?5 AND cto = ?6",
    [T_CSUMS_PUT] =
        "INSERT INTO flow_csums(g, author, key, sealed, stage, cto, n, nrep, nca, nda, "
        "ncp, ndp, rep, ca, da, cp, dp) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15, ?16, ?17) ON CONFLICT(g, author, key, sealed, stage, "
        "cto) DO UPDATE SET n = excluded.n, nrep = excluded.nrep, nca = excluded.nca, "
        "nda = excluded.nda, ncp = excluded.ncp, ndp = excluded.ndp, rep = excluded.rep, "
        "ca = excluded.ca, da = excluded.da, cp = excluded.cp, dp = excluded.dp",
    [T_DAYS_GET] = "SELECT n FROM flow_days WHERE author = ?1 AND sealed = ?2 AND currency = ?3 "
                   "AND day = ?4",
    [T_DAYS_PUT] = "INSERT INTO flow_days VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(author, sealed, "
                   "currency, day) DO UPDATE SET n = excluded.n",
    [T_TARGETS] = "SELECT cto FROM flow_ctargets ORDER BY cto", /* at most TARGETS_MAX */
    [T_RATE_AT] = "SELECT rate FROM rates WHERE cfrom = ?1 AND cto = ?2 AND date <= ?3 "
                  "ORDER BY date DESC LIMIT 1",
};
const wl_sq_family wl_sq_flows_totals = {sql, T_COUNT};

/*
 * Adds d (FIGS figures, scaled: n counts) to the cells of live flow l: its five
 * ways of flow_sums, and its instrument's cell of flow_isums when isums (only
 * d[0] and d[5] count there); and the same for each reader it names. add: the flow's row is new to
 * the totals (a cell not stored yet is made); otherwise a cell not stored is left alone, as an
 * UPDATE of no row would. Nothing changes when a total would pass 64 bits
 * (WL_ERR_TOO_LARGE). dry: only the check.
 */
static wl_rc change(wl_store *s, const live *l, const int64_t d[FIGS], bool isums, bool add,
                    bool dry)
{
    cell *cs[WAYS + 1 + (READ_WAYS + 1) * WL_FLOW_READERS_MAX];
    size_t n = 0, need = WAYS + 1 + (READ_WAYS + 1) * l->nreaders;
    wl_rc rc = WL_OK;
    const char *keys[WAYS][2] = {{"", l->author},
                                 {"", l->category},
                                 {"", l->month},
                                 {l->author, l->category},
                                 {l->author, l->month}};
    const char *rkeys[READ_WAYS] = {l->author, l->category, l->month};
    if (s->tot && s->tot->used + need > CELLS / 2 && (rc = wl_sq_totals_flush(s)) != WL_OK)
        return rc;
    for (int g = 0; g < WAYS; g++)
        if ((cs[n++] = wl_sq_tot_find(s, g, keys[g][0], keys[g][1], l->sealed, l->stage, l->money,
                                      l->measure, &rc)) == NULL)
            return rc;
    if (isums && l->instrument[0] &&
        (cs[n++] = wl_sq_tot_find(s, ISUMS, l->author, l->instrument, l->sealed, l->stage, 0,
                                  l->measure, &rc)) == NULL)
        return rc;
    for (size_t r = 0; r < l->nreaders; r++) {
        for (int g = 0; g < READ_WAYS; g++)
            if ((cs[n++] = wl_sq_tot_find(s, WAYS + g, l->readers[r], rkeys[g], l->sealed, l->stage,
                                          l->money, l->measure, &rc)) == NULL)
                return rc;
        if (isums && l->instrument[0] &&
            (cs[n++] = wl_sq_tot_find(s, ISUMS, l->readers[r], l->instrument, READER_SEALED,
                                      l->stage, 0, l->measure, &rc)) == NULL)
            return rc;
    }
    for (size_t k = 0; k < n; k++) {
        if (!cs[k]->present && !add)
            continue;
        for (int i = 0; i < FIGS; i++) {
            wl_i128 v = (wl_i128)cs[k]->v[i] + d[i];
            if (cs[k]->g == ISUMS && i != 0 && i != FIGS - 1)
                continue; /* flow_isums keeps the figure and the count only */
            if (cs[k]->present && (v > INT64_MAX || v < INT64_MIN))
                return WL_ERR_TOO_LARGE;
        }
    }
    for (size_t k = 0; k < n && !dry; k++) {
        if (!cs[k]->present && !add)
            continue;
        for (int i = 0; i < FIGS; i++)
            if (cs[k]->g != ISUMS || i == 0 || i == FIGS - 1)
                cs[k]->v[i] += d[i];
        cs[k]->present = true;
        cs[k]->dirty = true;
    }
    return WL_OK;
}

/* Outside a transaction every write is its own: what is held is written at once. */
static wl_rc settle(wl_store *s, wl_rc rc)
{
    if (rc == WL_OK && wl_db_autocommit(s->db))
        return wl_sq_totals_flush(s);
    if (rc != WL_OK && wl_db_autocommit(s->db))
        wl_sq_totals_drop(s);
    return rc;
}

static bool delivered(const char *stage)
{
    return strcmp(stage, "delivery") == 0 || strcmp(stage, "disbursement") == 0;
}

static wl_rc first_add(wl_store *s, const live *l)
{
    wl_st *st;
    wl_rc rc;
    if (l->pledge[0] == '\0' || !delivered(l->stage))
        return WL_OK;
    st = wl_sq_tot_stmt(s, T_FIRST_ADD);
    wl_st_bind_text(st, 1, l->pledge, -1);
    wl_st_bind_int(st, 2, l->sealed);
    wl_st_bind_text(st, 3, l->date, -1);
    rc = step_done(st);
    for (size_t r = 0; r < l->nreaders && rc == WL_OK; r++) {
        st = wl_sq_tot_stmt(s, T_RFIRST_ADD);
        wl_st_bind_text(st, 1, l->readers[r], -1);
        wl_st_bind_text(st, 2, l->pledge, -1);
        wl_st_bind_text(st, 3, l->date, -1);
        rc = step_done(st);
    }
    return rc;
}

/* After live flow l went: its pledge's first dates again, from the live flows left. */
static wl_rc first_redo(wl_store *s, const live *l)
{
    wl_st *st = wl_sq_tot_stmt(s, T_FIRST_REDO);
    wl_rc rc;
    wl_st_bind_text(st, 1, l->pledge, -1);
    rc = step_done(st);
    for (size_t r = 0; r < l->nreaders && rc == WL_OK; r++) {
        for (int q = T_RFIRST_DEL; q <= T_RFIRST_REDO && rc == WL_OK; q++) {
            st = wl_sq_tot_stmt(s, q);
            wl_st_bind_text(st, 1, l->readers[r], -1);
            wl_st_bind_text(st, 2, l->pledge, -1);
            rc = step_done(st);
        }
    }
    return rc;
}

static void bind_text_or_null(wl_st *st, int i, const char *v)
{
    if (v && v[0])
        wl_st_bind_text(st, i, v, -1);
}

/* A flow's row as the totals see it. */
static void live_of_row(const wl_flow_row *r, live *l)
{
    memset(l, 0, sizeof *l);
    /* wl_copy_str, not snprintf: a sixth of an import's sequencing was these copies' format */
    wl_copy_str(l->author, sizeof l->author, r->author, SIZE_MAX);
    wl_copy_str(l->category, sizeof l->category, r->category, SIZE_MAX);
    wl_copy_str(l->month, sizeof l->month, r->date, 7);
    wl_copy_str(l->date, sizeof l->date, r->date, SIZE_MAX);
    wl_copy_str(l->stage, sizeof l->stage, r->stage, SIZE_MAX);
    wl_copy_str(l->measure, sizeof l->measure, r->currency[0] ? r->currency : r->unit, SIZE_MAX);
    wl_copy_str(l->pledge, sizeof l->pledge, r->pledge, SIZE_MAX);
    wl_copy_str(l->instrument, sizeof l->instrument, r->instrument, SIZE_MAX);
    l->sealed = r->sealed ? 1 : 0;
    l->money = r->has_amount ? 1 : 0;
    l->fig = r->has_amount ? r->amount : r->has_qty ? r->qty : 0;
    wl_sq_tot_readers_of(r->readers, l);
}

wl_rc wl_sq_totals_check_put(wl_store *s, const wl_flow_row *r)
{
    live l;
    live_of_row(r, &l);
    {
        const int64_t d[FIGS] = {l.fig, 0, 0, 0, 0, 1};
        return settle(s, change(s, &l, d, true, true, true));
    }
}

wl_rc wl_sq_totals_put(wl_store *s, const wl_flow_row *r)
{
    live l;
    wl_st *st = wl_sq_tot_stmt(s, T_LIVE_PUT);
    wl_rc rc;
    live_of_row(r, &l);
    wl_st_bind_text(st, 1, r->id, -1);
    wl_st_bind_text(st, 2, r->author, -1);
    wl_st_bind_int(st, 3, l.sealed);
    bind_text_or_null(st, 4, r->readers);
    wl_st_bind_text(st, 5, l.category, -1);
    wl_st_bind_text(st, 6, l.month, -1);
    wl_st_bind_text(st, 7, l.date, -1);
    wl_st_bind_text(st, 8, l.stage, -1);
    wl_st_bind_int(st, 9, l.money);
    wl_st_bind_text(st, 10, l.measure, -1);
    bind_text_or_null(st, 11, l.pledge);
    bind_text_or_null(st, 12, l.instrument);
    wl_st_bind_int64(st, 13, l.fig);
    if ((rc = step_done(st)) == WL_OK) {
        const int64_t d[FIGS] = {l.fig, 0, 0, 0, 0, 1};
        rc = change(s, &l, d, true, true, false);
    }
    if (rc == WL_OK)
        rc = wl_sq_tot_conv(s, &l, 1);
    if (rc == WL_OK)
        rc = first_add(s, &l);
    return settle(s, rc);
}

/* Takes a flow out of the totals (it was superseded, announced, or its readers changed). */
static wl_rc live_remove(wl_store *s, const char *flow)
{
    live l;
    wl_st *st;
    wl_rc rc = wl_sq_tot_live_get(s, flow, &l);
    if (rc == WL_ERR_NOT_FOUND)
        return WL_OK;
    if (rc == WL_OK) {
        const int64_t d[FIGS] = {-l.fig, -l.ans[0], -l.ans[1], -l.ans[2], -l.ans[3], -1};
        rc = change(s, &l, d, true, false, false);
    }
    if (rc == WL_OK)
        rc = wl_sq_tot_conv(s, &l, -1);
    if (rc != WL_OK)
        return rc;
    st = wl_sq_tot_stmt(s, T_LIVE_DEL);
    wl_st_bind_text(st, 1, flow, -1);
    if ((rc = step_done(st)) == WL_OK && l.pledge[0] && delivered(l.stage))
        rc = first_redo(s, &l);
    return rc;
}

/* Puts a flow back into the totals from its stored row and answers, if it is live. */
static wl_rc live_restore(wl_store *s, const char *flow)
{
    live l;
    wl_st *st = wl_sq_tot_stmt(s, T_LIVE_FROM_FLOW);
    wl_rc rc;
    wl_st_bind_text(st, 1, flow, -1);
    if ((rc = step_done(st)) != WL_OK || wl_db_changes(s->db) == 0)
        return rc;
    if ((rc = wl_sq_tot_live_get(s, flow, &l)) == WL_OK) {
        const int64_t d[FIGS] = {l.fig, l.ans[0], l.ans[1], l.ans[2], l.ans[3], 1};
        rc = change(s, &l, d, true, true, false);
    }
    if (rc == WL_OK)
        rc = wl_sq_tot_conv(s, &l, 1);
    return rc == WL_OK ? first_add(s, &l) : rc;
}

wl_rc wl_sq_totals_begin(wl_store *s)
{
    wl_rc rc = wl_sq_totals_flush(s);
    return rc == WL_OK ? map_rc(wl_db_exec(s->db, "SAVEPOINT wl_tot")) : rc;
}

wl_rc wl_sq_totals_end(wl_store *s, wl_rc rc)
{
    if (rc == WL_OK && (rc = wl_sq_totals_flush(s)) == WL_OK)
        rc = map_rc(wl_db_exec(s->db, "RELEASE wl_tot"));
    if (rc != WL_OK) {
        wl_sq_totals_drop(s);
        if (!wl_db_autocommit(s->db)) /* gone already: keep the error that ended it */
            (void)wl_db_exec(s->db, "ROLLBACK TO wl_tot; RELEASE wl_tot");
    }
    return rc;
}

wl_rc wl_sq_totals_flow_changed(wl_store *s, const char *flow)
{
    wl_rc rc = live_remove(s, flow);
    return rc == WL_OK ? live_restore(s, flow) : rc;
}

wl_rc wl_sq_totals_answer(wl_store *s, const wl_flow_answer_row *a)
{
    live l;
    wl_rc rc = wl_sq_tot_live_get(s, a->flow, &l);
    int64_t now[4];
    wl_st *st;
    bool confirm = strcmp(a->kind, "confirm") == 0, dispute = strcmp(a->kind, "dispute") == 0;
    if (rc == WL_ERR_NOT_FOUND)
        return WL_OK; /* not live: superseded, its answers count with its correction's */
    if (rc != WL_OK)
        return rc;
    now[0] = confirm && a->has_received ? a->received : 0;
    now[1] = dispute ? l.fig : 0;
    now[2] = a->sealed ? l.ans[2] : now[0];
    now[3] = a->sealed ? l.ans[3] : now[1];
    {
        const int64_t d[FIGS] = {
            0, now[0] - l.ans[0], now[1] - l.ans[1], now[2] - l.ans[2], now[3] - l.ans[3], 0};
        if ((rc = change(s, &l, d, false, false, false)) != WL_OK)
            return rc;
    }
    if ((rc = wl_sq_tot_conv(s, &l, -1)) !=
        WL_OK) /* the converted figures: out with the old answer */
        return rc;
    memcpy(l.ans, now, sizeof l.ans);
    if ((rc = wl_sq_tot_conv(s, &l, 1)) != WL_OK)
        return rc;
    st = wl_sq_tot_stmt(s, T_LIVE_ANSWERS);
    wl_st_bind_text(st, 1, a->flow, -1);
    for (int i = 0; i < 4; i++)
        wl_st_bind_int64(st, 2 + i, now[i]);
    return step_done(st);
}
