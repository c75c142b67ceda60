/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows views' readers in the store (store/store_flows_views.h).
 * They read the flows and the totals that store_flows_totals.c keeps as
 * flows and answers are stored:
 *   flow_live   one row per live flow (the latest of its correction chain)
 *               with its key columns, its figure, and what its latest answer
 *               and latest public answer say (confirmed, disputed);
 *   flow_sums   flow_live summed by author, sealed, category, month, stage
 *               and measure, and each reader's share of the sealed flows
 *               naming it: a summary reads these, not the flows;
 *   flow_isums  flow_live summed by instrument, author, sealed, stage, measure;
 *   flow_first  per pledge, the first live delivery or disbursement's date,
 *               public and all; flow_rfirst, per reader;
 *   flow_csums  the money flows converted into each currency rates convert
 *               into, and flow_days, the money flows per currency and day.
 * docs/internals/flows.md ("Views") and docs/internals/store.md.
 */
#include "store/store_int.h"
#include "willing/limits.h"

#define DELIVERED "('delivery', 'disbursement')"

/* Who sees a flow (table alias F): "1", the public's or a member's (?1) rule. */
static const char *vis(const wl_flows_who *w, int live)
{
    if (w->all)
        return "1 = 1"; /* not "1": PostgreSQL wants a boolean */
    if (w->member == NULL)
        return live ? "l.sealed = 0" : "f.sealed = 0";
    return live ? "(l.sealed = 0 OR l.author = ?1 OR (l.readers IS NOT NULL AND "
                  "instr(l.readers, '\"' || ?1 || '\"') > 0))"
                : "(f.sealed = 0 OR f.author = ?1 OR (f.readers IS NOT NULL AND "
                  "instr(f.readers, '\"' || ?1 || '\"') > 0))";
}

/* Prepares sql (one statement) and binds ?1 to the viewer's member (or NULL). */
static wl_rc prep(wl_store *s, const wl_flows_who *w, const char *sql, wl_st **st)
{
    wl_rc frc = wl_sq_totals_flush(s); /* sums held in memory, on the writer's connection */
    if (frc != WL_OK) {
        *st = NULL;
        return frc;
    }
    if (wl_st_prepare(s->db, sql, 0, st) != WL_DB_OK) {
        wl_rc rc = map_rc(wl_db_errcode(s->db));
        wl_st_finalize(*st);
        *st = NULL;
        return rc == WL_OK ? WL_ERR_IO : rc;
    }
    if (w && w->member && !w->all && wl_st_param_count(*st) >= 1)
        wl_st_bind_text_copy(*st, 1, w->member, -1);
    return WL_OK;
}

static const char *txt(wl_st *st, int c)
{
    return (const char *)wl_st_col_text(st, c);
}

/* Steps st to its end, calling row(st, fn, ctx) per row; finalizes it. */
typedef void (*any_fn)(void); /* a caller's callback, cast back by its row function */
typedef wl_rc (*row_fn)(wl_st *st, any_fn fn, void *ctx);
static wl_rc each(wl_st *st, row_fn row, any_fn fn, void *ctx)
{
    int r;
    wl_rc rc = WL_OK;
    while ((r = wl_st_step(st)) == WL_DB_ROW && (rc = row(st, fn, ctx)) == WL_OK)
        ;
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_finalize(st);
    return rc;
}

#define FLOW_COLS                                                                                  \
    "f.rowid, f.idx, f.id, f.author, f.pledge, f.requirement, f.instrument, f.activity, "          \
    "f.category, f.stage, f.date, f.unit, f.currency, f.superseded_by, f.readers, f.body, "        \
    "f.qty, f.amount, f.sealed"

static wl_rc flow_row(wl_st *st, any_fn fn, void *ctx)
{
    wl_flowv_row f = {
        .row = wl_st_col_int64(st, 0),
        .idx = (uint64_t)wl_st_col_int64(st, 1),
        .id = txt(st, 2),
        .author = txt(st, 3),
        .pledge = txt(st, 4),
        .requirement = txt(st, 5),
        .instrument = txt(st, 6),
        .activity = txt(st, 7),
        .category = txt(st, 8),
        .stage = txt(st, 9),
        .date = txt(st, 10),
        .unit = txt(st, 11),
        .currency = txt(st, 12),
        .superseded_by = txt(st, 13),
        .readers = txt(st, 14),
        .body = txt(st, 15),
        .has_qty = wl_st_col_type(st, 16) != WL_DB_NULL,
        .qty = wl_st_col_int64(st, 16),
        .has_amount = wl_st_col_type(st, 17) != WL_DB_NULL,
        .amount = wl_st_col_int64(st, 17),
        .sealed = wl_st_col_int(st, 18),
    };
    return ((wl_flowv_fn)fn)(ctx, &f);
}

wl_rc wl_store_flows_list(wl_store *s, const wl_flows_who *who, const wl_flows_filter *f,
                          wl_flowv_fn fn, void *ctx)
{
    char sql[1024];
    wl_st *st = NULL;
    wl_rc rc;
    if (wl_fmt(sql, sizeof sql,
               "SELECT " FLOW_COLS " FROM flows f%s WHERE %s%s%s%s%s AND f.rowid > ?6 "
               "ORDER BY f.rowid LIMIT ?7 OFFSET ?8",
               /* the most selective filter's index: a pledge's or an instrument's flows are
                * few, a member's many; without one, the flows in the order stored */
               f->pledge       ? " INDEXED BY flows_by_pledge"
               : f->instrument ? " INDEXED BY flows_by_instrument"
               : f->member     ? " INDEXED BY flows_v_row_author"
                               : "",
               vis(who, 0), f->member ? " AND f.author = ?2" : "",
               f->pledge ? " AND f.pledge = ?3" : "", f->instrument ? " AND f.instrument = ?4" : "",
               f->stage ? " AND f.stage = ?5" : "") != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    if (f->member)
        wl_st_bind_text_copy(st, 2, f->member, -1);
    if (f->pledge)
        wl_st_bind_text_copy(st, 3, f->pledge, -1);
    if (f->instrument)
        wl_st_bind_text_copy(st, 4, f->instrument, -1);
    if (f->stage)
        wl_st_bind_text_copy(st, 5, f->stage, -1);
    wl_st_bind_int64(st, 6, f->after);
    wl_st_bind_int64(st, 7, (int64_t)f->limit);
    wl_st_bind_int64(st, 8, (int64_t)f->offset);
    return each(st, flow_row, (any_fn)fn, ctx);
}

typedef struct {
    wl_flowv_fn fn;
    void *ctx;
    int seen;
} one_ctx;

static wl_rc one_row(void *ctx, const wl_flowv_row *f)
{
    one_ctx *o = ctx;
    o->seen = 1;
    return o->fn(o->ctx, f);
}

wl_rc wl_store_flow_row(wl_store *s, const wl_flows_who *who, const char *id, int by,
                        wl_flowv_fn fn, void *ctx)
{
    char sql[512];
    wl_st *st = NULL;
    one_ctx o = {fn, ctx, 0};
    wl_rc rc;
    if (wl_fmt(sql, sizeof sql, "SELECT " FLOW_COLS " FROM flows f WHERE f.%s = ?2 AND %s",
               by ? "superseded_by" : "id", vis(who, 0)) != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    wl_st_bind_text_copy(st, 2, id, -1);
    rc = each(st, flow_row, (any_fn)one_row, &o);
    return rc == WL_OK && !o.seen ? WL_ERR_NOT_FOUND : rc;
}

wl_rc wl_store_flows_rows(wl_store *s, const wl_flows_who *who, const int64_t *rows, size_t n,
                          wl_flowv_fn fn, void *ctx)
{
    char sql[512 + WL_FLOWS_ROWS_MAX * 8];
    size_t len;
    wl_st *st = NULL;
    wl_rc rc;
    if (n == 0)
        return WL_OK;
    if (n > WL_FLOWS_ROWS_MAX)
        return WL_ERR_TOO_LARGE;
    if (wl_fmt(sql, sizeof sql, "SELECT " FLOW_COLS " FROM flows f WHERE %s AND f.rowid IN (",
               vis(who, 0)) != WL_OK)
        return WL_ERR_TOO_LARGE;
    len = strlen(sql);
    for (size_t i = 0; i < n; i++) /* ?2 on: ?1 is the viewer */
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?%zu", i ? "," : "", i + 2);
    if (wl_fmt(sql + len, sizeof sql - len, ") ORDER BY f.rowid") != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        wl_st_bind_int64(st, (int)i + 2, rows[i]);
    return each(st, flow_row, (any_fn)fn, ctx);
}

static wl_rc answer_row(wl_st *st, any_fn fn, void *ctx)
{
    wl_flowv_answer a = {
        .row = wl_st_col_int64(st, 0),
        .idx = (uint64_t)wl_st_col_int64(st, 1),
        .kind = txt(st, 2),
        .has_received = wl_st_col_type(st, 3) != WL_DB_NULL,
        .received = wl_st_col_int64(st, 3),
        .date = txt(st, 4),
        .reason = txt(st, 5),
        .sealed = wl_st_col_int(st, 6),
    };
    return ((wl_flowv_answer_fn)fn)(ctx, &a);
}

wl_rc wl_store_flow_answers(wl_store *s, const char *flow, int see_sealed, int latest,
                            wl_flowv_answer_fn fn, void *ctx)
{
    char sql[512];
    wl_st *st = NULL;
    wl_rc rc;
    if (wl_fmt(sql, sizeof sql,
               "SELECT * FROM (SELECT rowid, idx, kind, received, date, reason, sealed FROM "
               "flow_answers WHERE flow = ?1%s ORDER BY rowid DESC LIMIT %u) AS a ORDER BY rowid",
               see_sealed ? "" : " AND sealed = 0", latest ? 1u : WL_FLOWS_ANSWERS_MAX) != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, NULL, sql, &st)) != WL_OK)
        return rc;
    wl_st_bind_text_copy(st, 1, flow, -1);
    return each(st, answer_row, (any_fn)fn, ctx);
}

/* A member's share of others' sealed flows that name it as a reader (%d: its g, 5-7). */
#define READERS                                                                                    \
    " UNION ALL SELECT key, stage, measure, money, reported, conf_all, disp_all, n FROM "          \
    "flow_sums WHERE g = %d AND author = ?1 AND n > 0"

/*
 * A total SQLite could not keep in 64 bits (its + turns to a float on
 * overflow): refused, never shown rounded.
 */
static int inexact(wl_st *st, int from, int to)
{
    for (int c = from; c <= to; c++)
        if (wl_st_col_type(st, c) == WL_DB_FLOAT)
            return 1;
    return 0;
}

static wl_rc sum_row(wl_st *st, any_fn fn, void *ctx)
{
    if (inexact(st, 4, 6))
        return WL_ERR_TOO_LARGE;
    wl_flow_sum_row r = {
        .key = txt(st, 0),
        .stage = txt(st, 1),
        .measure = txt(st, 2),
        .money = wl_st_col_int(st, 3),
        .reported = wl_st_col_int64(st, 4),
        .confirmed = wl_st_col_int64(st, 5),
        .disputed = wl_st_col_int64(st, 6),
        .n = wl_st_col_int64(st, 7),
    };
    return ((wl_flow_sum_fn)fn)(ctx, &r);
}

wl_rc wl_store_flows_sums(wl_store *s, const wl_flows_who *who, int by, wl_flow_sum_fn fn,
                          void *ctx)
{
    char sql[1536];
    int g = (unsigned)by < 3 ? by : 0;
    wl_st *st = NULL;
    wl_rc rc;
    if (who->all)
        rc = wl_fmt(sql, sizeof sql,
                    "SELECT key, stage, measure, money, sum(reported), sum(conf_all), "
                    "sum(disp_all), sum(n) FROM flow_sums WHERE g = %d AND author = '' "
                    "GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0",
                    g);
    else if (who->member == NULL)
        rc = wl_fmt(sql, sizeof sql,
                    "SELECT key, stage, measure, money, sum(reported), sum(conf_pub), "
                    "sum(disp_pub), sum(n) FROM flow_sums WHERE g = %d AND author = '' AND "
                    "sealed = 0 GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0",
                    g);
    else if (g == 0) /* by member: its own row whole, the others' public */
        rc =
            wl_fmt(sql, sizeof sql,
                   "SELECT key, stage, measure, money, sum(reported), "
                   "sum(CASE WHEN key = ?1 THEN conf_all ELSE conf_pub END), "
                   "sum(CASE WHEN key = ?1 THEN disp_all ELSE disp_pub END), sum(n) FROM flow_sums "
                   "WHERE g = 0 AND author = '' AND (sealed = 0 OR key = ?1) "
                   "GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0" READERS,
                   5);
    else /* the public's, less the member's own public share, plus its own whole share */
        rc = wl_fmt(sql, sizeof sql,
                    "SELECT key, stage, measure, money, reported, conf_pub, disp_pub, n "
                    "FROM flow_sums WHERE g = %d AND author = '' AND sealed = 0 AND n > 0 "
                    "UNION ALL SELECT key, stage, measure, money, -reported, -conf_pub, "
                    "-disp_pub, -n FROM flow_sums WHERE g = %d AND author = ?1 AND sealed = 0 "
                    "AND n > 0 UNION ALL SELECT key, stage, measure, money, reported, conf_all, "
                    "disp_all, n FROM flow_sums WHERE g = %d AND author = ?1 AND n > 0" READERS,
                    g, g + 2, g + 2, g + 5);
    if (rc != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    return each(st, sum_row, (any_fn)fn, ctx);
}

static wl_i128 col_i128(wl_st *st, int col)
{
    const unsigned char *b = wl_st_col_blob(st, col);
    __extension__ unsigned __int128 u = 0;
    if (wl_st_col_bytes(st, col) != 16 || b == NULL)
        return 0;
    for (int i = 15; i >= 0; i--)
        u = (u << 8) | b[i];
    return (wl_i128)u;
}

static wl_rc csum_row(wl_st *st, any_fn fn, void *ctx)
{
    int sign = wl_st_col_int(st, 2);
    wl_flow_csum_row r = {
        .key = txt(st, 0),
        .stage = txt(st, 1),
        .reported = col_i128(st, 3) * sign,
        .confirmed = col_i128(st, 4) * sign,
        .disputed = col_i128(st, 5) * sign,
        .n = wl_st_col_int64(st, 6) * sign,
        .nc = wl_st_col_int64(st, 7) * sign,
        .nc_confirmed = wl_st_col_int64(st, 8) * sign,
        .nc_disputed = wl_st_col_int64(st, 9) * sign,
    };
    return ((wl_flow_csum_fn)fn)(ctx, &r);
}

/* flow_csums' columns for a sign (%d) and a viewer's answers: all (a) or public (p). */
#define CSUM(SIGN, ANS)                                                                            \
    "SELECT key, stage, " SIGN ", rep, c" ANS ", d" ANS ", n, nrep, nc" ANS ", nd" ANS             \
    " FROM flow_csums WHERE cto = ?2 AND n <> 0 AND "

wl_rc wl_store_flows_csums(wl_store *s, const wl_flows_who *who, int by, const char *to,
                           wl_flow_csum_fn fn, void *ctx)
{
    char sql[1536];
    int g = (unsigned)by < 3 ? by : 0;
    wl_st *st = NULL;
    wl_rc rc = prep(s, who, "SELECT 1 FROM flow_ctargets WHERE cto = ?2", &st);
    int known;
    if (rc != WL_OK)
        return rc;
    wl_st_bind_text_copy(st, 2, to, -1);
    known = wl_st_step(st) == WL_DB_ROW;
    wl_st_finalize(st);
    if (!known)
        return WL_ERR_NOT_FOUND;
    if (who->all)
        rc = wl_fmt(sql, sizeof sql, CSUM("1", "a") "g = %d AND author = ''", g);
    else if (who->member == NULL)
        rc = wl_fmt(sql, sizeof sql, CSUM("1", "p") "g = %d AND author = '' AND sealed = 0", g);
    else if (g == 0) /* by member: its own row whole, the others' public, its reader cells */
        rc = wl_fmt(sql, sizeof sql,
                    CSUM("1", "a") "g = 0 AND author = '' AND key = ?1 UNION ALL " CSUM(
                        "1", "p") "g = 0 AND author = '' AND key <> ?1 AND sealed = 0 UNION "
                                  "ALL " CSUM("1", "a") "g = 5 AND author = ?1");
    else /* the public's, less the member's own public share, plus its own whole share */
        rc = wl_fmt(
            sql, sizeof sql,
            CSUM("1", "p") "g = %d AND author = '' AND sealed = 0 UNION ALL " CSUM(
                "-1",
                "p") "g = %d AND author = ?1 AND sealed = 0 UNION ALL " CSUM("1",
                                                                             "a") "g = %d AND "
                                                                                  "author = ?1 "
                                                                                  "UNION "
                                                                                  "ALL " CSUM(
                                                                                      "1",
                                                                                      "a") "g = %d "
                                                                                           "AND "
                                                                                           "author "
                                                                                           "= ?1",
            g, g + 2, g + 2, g + 5);
    if (rc != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    wl_st_bind_text_copy(st, 2, to, -1);
    return each(st, csum_row, (any_fn)fn, ctx);
}

static wl_rc day_row(wl_st *st, any_fn fn, void *ctx)
{
    return ((wl_flow_day_fn)fn)(ctx, txt(st, 0), txt(st, 1), wl_st_col_int64(st, 2));
}

/*
 * flow_days summed by currency and day without a sort: one run of rows per (author, sealed),
 * each in its key's order (currency, day), merged. The runs: author '' with sealed 0 only
 * (public) or every sealed value (all), and for a member also its own rows of sealed > 0;
 * the sealed values are found by seeking the key. *more: more runs than DAYS_RUNS, nothing
 * given to fn (the caller then groups in SQL).
 */
#define DAYS_RUNS 6
static wl_rc days_merged(wl_store *s, const wl_flows_who *who, const char *to, wl_flow_day_fn fn,
                         void *ctx, int *more)
{
    wl_st *seek = NULL, *st[DAYS_RUNS] = {NULL};
    int live[DAYS_RUNS] = {0}, r;
    size_t nr = 0;
    wl_rc rc = prep(s, NULL,
                    "SELECT sealed FROM flow_days WHERE author = ?1 AND sealed >= ?2 "
                    "ORDER BY sealed LIMIT 1",
                    &seek);
    for (int part = 0; rc == WL_OK && part < 2; part++) {
        const char *author = part == 0 ? "" : who->member;
        int64_t from = part == 0 && who->all ? INT64_MIN : part;
        if (part == 1 && (who->all || who->member == NULL))
            break;
        for (;;) { /* each sealed value of author from `from` on (the public's: 0 alone) */
            int64_t sealed;
            wl_st_reset(seek);
            wl_st_bind_text(seek, 1, author, -1);
            wl_st_bind_int64(seek, 2, from);
            if ((r = wl_st_step(seek)) != WL_DB_ROW) {
                rc = r == WL_DB_DONE ? WL_OK : map_rc(r);
                break;
            }
            sealed = wl_st_col_int64(seek, 0);
            if (part == 0 && !who->all && sealed != 0)
                break;
            if (nr == DAYS_RUNS) {
                *more = 1;
                break;
            }
            if ((rc = prep(s, NULL,
                           "SELECT currency, day, n FROM flow_days WHERE author = ?1 AND "
                           "sealed = ?3 AND currency <> ?2 ORDER BY currency, day",
                           &st[nr])) != WL_OK)
                break;
            wl_st_bind_text(st[nr], 1, author, -1);
            wl_st_bind_text(st[nr], 2, to, -1);
            wl_st_bind_int64(st[nr++], 3, sealed);
            if (sealed == INT64_MAX || (part == 0 && !who->all))
                break;
            from = sealed + 1;
        }
    }
    for (size_t i = 0; rc == WL_OK && !*more && i < nr; i++)
        if ((r = wl_st_step(st[i])) == WL_DB_ROW)
            live[i] = 1;
        else if (r != WL_DB_DONE)
            rc = map_rc(r);
    while (rc == WL_OK && !*more) {
        char cur[16], day[16];
        const char *mc = NULL, *md = NULL;
        int64_t n = 0;
        for (size_t i = 0; i < nr; i++) { /* the smallest (currency, day) of the runs */
            const char *c, *d;
            int k;
            if (!live[i])
                continue;
            c = txt(st[i], 0);
            d = txt(st[i], 1);
            k = mc ? strcmp(c, mc) : -1;
            if (k < 0 || (k == 0 && strcmp(d, md) < 0)) {
                mc = c;
                md = d;
            }
        }
        if (mc == NULL)
            break;
        if (wl_fmt(cur, sizeof cur, "%s", mc) != WL_OK ||
            wl_fmt(day, sizeof day, "%s", md) != WL_OK) {
            rc = WL_ERR_CORRUPT;
            break;
        }
        for (size_t i = 0; rc == WL_OK && i < nr; i++) { /* summed over the runs, as GROUP BY */
            if (!live[i] || strcmp(txt(st[i], 0), cur) != 0 || strcmp(txt(st[i], 1), day) != 0)
                continue;
            n += wl_st_col_int64(st[i], 2);
            if ((r = wl_st_step(st[i])) != WL_DB_ROW) {
                live[i] = 0;
                rc = r == WL_DB_DONE ? WL_OK : map_rc(r);
            }
        }
        if (rc == WL_OK && n > 0)
            rc = fn(ctx, cur, day, n);
    }
    wl_st_finalize(seek);
    for (size_t i = 0; i < nr; i++)
        wl_st_finalize(st[i]);
    return rc;
}

wl_rc wl_store_flows_days(wl_store *s, const wl_flows_who *who, const char *to, wl_flow_day_fn fn,
                          void *ctx)
{
    wl_st *st = NULL;
    int more = 0;
    wl_rc rc = days_merged(s, who, to, fn, ctx, &more);
    if (rc != WL_OK || !more)
        return rc;
    rc = prep(
        s, who,
        who->all ? "SELECT currency, day, sum(n) FROM flow_days WHERE author = '' AND currency <> "
                   "?2 GROUP BY 1, 2 HAVING sum(n) > 0"
        : who->member == NULL
            ? "SELECT currency, day, n FROM flow_days WHERE author = '' AND sealed = 0 AND "
              "currency <> ?2 AND n > 0 ORDER BY 1, 2"
            : "SELECT currency, day, sum(n) FROM (SELECT currency, day, n FROM flow_days WHERE "
              "author = '' AND sealed = 0 AND currency <> ?2 UNION ALL SELECT currency, day, n "
              "FROM flow_days WHERE author = ?1 AND sealed > 0 AND currency <> ?2) AS d GROUP BY "
              "1, 2 "
              "HAVING sum(n) > 0",
        &st);
    if (rc != WL_OK)
        return rc;
    wl_st_bind_text_copy(st, 2, to, -1);
    return each(st, day_row, (any_fn)fn, ctx);
}

wl_rc wl_store_flows_on(wl_store *s, const wl_flows_who *who, const char *const *pairs,
                        size_t npairs, size_t max, wl_flow_id_fn fn, void *ctx)
{
    char sql[512];
    wl_st *st = NULL;
    size_t got = 0;
    wl_rc rc;
    int r = WL_DB_DONE;
    if (wl_fmt(sql, sizeof sql,
               "SELECT l.flow FROM flow_live l INDEXED BY flow_live_money WHERE l.money = 1 AND "
               "l.measure = ?2 AND l.date = ?3 AND %s ORDER BY l.flow LIMIT ?4",
               vis(who, 1)) != WL_OK)
        return WL_ERR_TOO_LARGE;
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    for (size_t p = 0; p < npairs && got < max && rc == WL_OK; p++) {
        wl_st_bind_text_copy(st, 2, pairs[2 * p], -1);
        wl_st_bind_text_copy(st, 3, pairs[2 * p + 1], -1);
        wl_st_bind_int64(st, 4, (int64_t)(max - got));
        while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
            got++;
            rc = fn(ctx, txt(st, 0), pairs[2 * p], pairs[2 * p + 1]);
        }
        if (rc == WL_OK && r != WL_DB_DONE)
            rc = map_rc(r);
        wl_st_reset(st);
    }
    wl_st_finalize(st);
    return rc;
}

static wl_rc first_row(wl_st *st, any_fn fn, void *ctx)
{
    return ((wl_flow_first_fn)fn)(ctx, txt(st, 0), txt(st, 1), txt(st, 2));
}

wl_rc wl_store_flows_firsts(wl_store *s, wl_flow_first_fn fn, void *ctx)
{
    wl_st *st = NULL;
    wl_rc rc = prep(s, NULL,
                    "SELECT pledge, first_pub, first_all FROM flow_first "
                    "WHERE first_all IS NOT NULL ORDER BY pledge",
                    &st);
    return rc != WL_OK ? rc : each(st, first_row, (any_fn)fn, ctx);
}

wl_rc wl_store_flows_firsts_read(wl_store *s, const char *member, wl_flow_first_fn fn, void *ctx)
{
    wl_flows_who w = {0, member};
    wl_st *st = NULL;
    wl_rc rc = prep(s, &w, "SELECT pledge, NULL, first FROM flow_rfirst WHERE reader = ?1", &st);
    return rc != WL_OK ? rc : each(st, first_row, (any_fn)fn, ctx);
}

static wl_rc isum_row(wl_st *st, any_fn fn, void *ctx)
{
    if (inexact(st, 3, 3))
        return WL_ERR_TOO_LARGE;
    return ((wl_flow_isum_fn)fn)(ctx, txt(st, 0), txt(st, 1), txt(st, 2), wl_st_col_int64(st, 3),
                                 wl_st_col_int64(st, 4));
}

wl_rc wl_store_flows_isums(wl_store *s, const wl_flows_who *who, wl_flow_isum_fn fn, void *ctx)
{
    const char *sql;
    wl_st *st = NULL;
    wl_rc rc;
    if (who->all)
        sql = "SELECT instrument, stage, measure, sum(total), sum(n) FROM flow_isums "
              "WHERE sealed < 2 GROUP BY 1, 2, 3 HAVING sum(n) > 0";
    else if (who->member == NULL)
        sql = "SELECT instrument, stage, measure, sum(total), sum(n) FROM flow_isums "
              "WHERE sealed = 0 GROUP BY 1, 2, 3 HAVING sum(n) > 0";
    else /* the public's, its own (sealed 1) and its share as a reader (sealed 2) */
        sql = "SELECT instrument, stage, measure, sum(total), sum(n) FROM flow_isums "
              "WHERE sealed = 0 OR author = ?1 GROUP BY 1, 2, 3 HAVING sum(n) > 0";
    if ((rc = prep(s, who, sql, &st)) != WL_OK)
        return rc;
    return each(st, isum_row, (any_fn)fn, ctx);
}

static wl_rc instrument_row(wl_st *st, any_fn fn, void *ctx)
{
    wl_flowv_instrument r = {
        .idx = (uint64_t)wl_st_col_int64(st, 0),
        .id = txt(st, 1),
        .parent = txt(st, 2),
        .level = txt(st, 3),
        .type = txt(st, 4),
        .provider = txt(st, 5),
        .currency = txt(st, 6),
        .body = txt(st, 7),
        .amount = wl_st_col_int64(st, 8),
    };
    return ((wl_flowv_instrument_fn)fn)(ctx, &r);
}

wl_rc wl_store_instruments_each(wl_store *s, wl_flowv_instrument_fn fn, void *ctx)
{
    wl_st *st = NULL;
    wl_rc rc = prep(s, NULL,
                    "SELECT idx, id, parent, level, type, provider, currency, body, amount "
                    "FROM instruments ORDER BY id",
                    &st);
    return rc != WL_OK ? rc : each(st, instrument_row, (any_fn)fn, ctx);
}

static wl_rc rate_row(wl_st *st, any_fn fn, void *ctx)
{
    return ((wl_rate_fn)fn)(ctx, txt(st, 0), txt(st, 1), txt(st, 2), wl_st_col_int64(st, 3),
                            (uint64_t)wl_st_col_int64(st, 4));
}

wl_rc wl_store_rates_each(wl_store *s, const char *to, size_t max, wl_rate_fn fn, void *ctx)
{
    wl_st *st = NULL;
    wl_rc rc = prep(s, NULL,
                    "SELECT date, cfrom, cto, rate, idx FROM rates WHERE cto = ?2 OR ?2 IS NULL "
                    "ORDER BY cfrom, cto, date LIMIT ?1",
                    &st);
    if (rc != WL_OK)
        return rc;
    wl_st_bind_int64(st, 1, (int64_t)max);
    if (to)
        wl_st_bind_text_copy(st, 2, to, -1);
    return each(st, rate_row, (any_fn)fn, ctx);
}
