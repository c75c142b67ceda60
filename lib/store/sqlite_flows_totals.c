/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The totals the flows views read (sqlite_flows_views.c), kept by triggers on
 * flows and flow_answers as they are stored, so that a summary over a million
 * flows reads a few thousand rows:
 *   flow_live   one row per live flow (the latest of its correction chain):
 *               the columns the views group by, its figure, and what its
 *               latest answer and its latest public answer say;
 *   flow_sums   flow_live summed five ways (column g): 0 by author, 1 by
 *               category, 2 by month (author ''); 3 by author and category,
 *               4 by author and month (a member's own share of 1 and 2); each
 *               by sealed, stage and measure (a unit, or a currency for money);
 *   flow_isums  flow_live summed by instrument, author, sealed, stage, measure;
 *   flow_first  per pledge, the first live delivery or disbursement's date,
 *               public and all.
 * The triggers count; they decide nothing: a flow's rules are lib/flows'.
 * An answer counts in the order stored: a later one replaces an earlier one.
 * SQLite's + turns a sum past 64 bits into a float: the guard triggers refuse that
 * write (the store answers WL_ERR_TOO_LARGE), so every total stays exact.
 * sqlite.c runs this after the schema. docs/internals/flows.md ("Views").
 */
#include "store/sqlite_int.h"

/* One upsert of flow_sums for the live row R ("NEW"), way G, author A, key K. */
#define SUMS_ADD(G, A, K)                                                                          \
    " INSERT INTO flow_sums VALUES(" G ", " A ", " K ", NEW.sealed, NEW.stage, NEW.money,"         \
    " NEW.measure, NEW.fig, NEW.conf_all, NEW.disp_all, NEW.conf_pub, NEW.disp_pub, 1)"            \
    " ON CONFLICT(g, author, key, sealed, stage, money, measure) DO UPDATE SET"                    \
    " reported = reported + excluded.reported, conf_all = conf_all + excluded.conf_all,"           \
    " disp_all = disp_all + excluded.disp_all, conf_pub = conf_pub + excluded.conf_pub,"           \
    " disp_pub = disp_pub + excluded.disp_pub, n = n + 1;"
/* The same row's share taken out (OLD), or its answers' change (OLD to NEW: R "NEW"). */
#define SUMS_SUB(G, A, K)                                                                          \
    " UPDATE flow_sums SET reported = reported - OLD.fig, conf_all = conf_all - OLD.conf_all,"     \
    " disp_all = disp_all - OLD.disp_all, conf_pub = conf_pub - OLD.conf_pub,"                     \
    " disp_pub = disp_pub - OLD.disp_pub, n = n - 1 WHERE g = " G " AND author = " A               \
    " AND key = " K " AND sealed = OLD.sealed AND stage = OLD.stage AND money = OLD.money"         \
    " AND measure = OLD.measure;"
#define SUMS_ANSWER(G, A, K)                                                                       \
    " UPDATE flow_sums SET conf_all = conf_all - OLD.conf_all + NEW.conf_all,"                     \
    " disp_all = disp_all - OLD.disp_all + NEW.disp_all,"                                          \
    " conf_pub = conf_pub - OLD.conf_pub + NEW.conf_pub,"                                          \
    " disp_pub = disp_pub - OLD.disp_pub + NEW.disp_pub WHERE g = " G " AND author = " A           \
    " AND key = " K " AND sealed = OLD.sealed AND stage = OLD.stage AND money = OLD.money"         \
    " AND measure = OLD.measure;"
#define EACH_WAY(M, R)                                                                             \
    M("0", "''", R ".author")                                                                      \
    M("1", "''", R ".category")                                                                    \
    M("2", "''", R ".month")                                                                       \
    M("3", R ".author", R ".category") M("4", R ".author", R ".month")
#define DELIVERED "('delivery', 'disbursement')"
#define LIVE_COLS                                                                                  \
    "flow, author, sealed, readers, category, month, date, stage, money, measure, pledge, "        \
    "instrument, fig"
#define LIVE_VALS                                                                                  \
    "NEW.id, NEW.author, NEW.sealed, NEW.readers, coalesce(NEW.category, ''),"                     \
    " substr(NEW.date, 1, 7), NEW.date, NEW.stage, NEW.amount IS NOT NULL,"                        \
    " coalesce(NEW.currency, NEW.unit, ''), NEW.pledge, NEW.instrument,"                           \
    " coalesce(NEW.amount, NEW.qty, 0)"
/* What the latest answer of flow NEW.id (of the public ones: P "AND a.sealed = 0") says. */
#define LATEST(P, KIND, WHAT)                                                                      \
    "coalesce((SELECT CASE WHEN a.kind = '" KIND "' THEN " WHAT " ELSE 0 END"                      \
    " FROM flow_answers a WHERE a.flow = NEW.id " P " ORDER BY a.rowid DESC LIMIT 1), 0)"
#define FIGURE "coalesce(NEW.amount, NEW.qty, 0)"
#define RECEIVED "coalesce(a.received, 0)"
#define PUBLIC "AND a.sealed = 0"
#define CONF_ALL LATEST("", "confirm", RECEIVED)
#define DISP_ALL LATEST("", "dispute", FIGURE)
#define CONF_PUB LATEST(PUBLIC, "confirm", RECEIVED)
#define DISP_PUB LATEST(PUBLIC, "dispute", FIGURE)
#define ANSWERS CONF_ALL ", " DISP_ALL ", " CONF_PUB ", " DISP_PUB
#define SUMS_ADD_EACH EACH_WAY(SUMS_ADD, "NEW")
#define SUMS_SUB_EACH EACH_WAY(SUMS_SUB, "OLD")
#define SUMS_ANSWER_EACH EACH_WAY(SUMS_ANSWER, "OLD")

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
    /* sealed flows naming readers: every column a member's view reads of them, in the index */
    "CREATE INDEX IF NOT EXISTS flow_live_readers ON flow_live(author, sealed, readers, category,"
    " month, stage, measure, money, fig, conf_all, disp_all, pledge, date, instrument)"
    " WHERE readers IS NOT NULL;"
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
    /* flows -> flow_live: a flow stored live; superseded, announced or its readers changed */
    "CREATE TRIGGER IF NOT EXISTS flows_v_add AFTER INSERT ON flows"
    " WHEN NEW.superseded_by IS NULL BEGIN"
    " INSERT INTO flow_live(" LIVE_COLS ") VALUES(" LIVE_VALS ");"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS flows_v_change AFTER UPDATE OF superseded_by, sealed, readers"
    " ON flows BEGIN"
    " DELETE FROM flow_live WHERE flow = OLD.id;"
    " INSERT INTO flow_live(" LIVE_COLS ", conf_all, disp_all, conf_pub, disp_pub)"
    " SELECT " LIVE_VALS ", " ANSWERS " WHERE NEW.superseded_by IS NULL;"
    " END;"
    /* flow_answers -> flow_live: the answer stored last counts */
    "CREATE TRIGGER IF NOT EXISTS flow_answers_v AFTER INSERT ON flow_answers BEGIN"
    " UPDATE flow_live SET"
    " conf_all = CASE WHEN NEW.kind = 'confirm' THEN coalesce(NEW.received, 0) ELSE 0 END,"
    " disp_all = CASE WHEN NEW.kind = 'dispute' THEN fig ELSE 0 END,"
    " conf_pub = CASE WHEN NEW.sealed <> 0 THEN conf_pub"
    " WHEN NEW.kind = 'confirm' THEN coalesce(NEW.received, 0) ELSE 0 END,"
    " disp_pub = CASE WHEN NEW.sealed <> 0 THEN disp_pub"
    " WHEN NEW.kind = 'dispute' THEN fig ELSE 0 END"
    " WHERE flow = NEW.flow;"
    " END;"
    /* flow_live -> the totals */
    "CREATE TRIGGER IF NOT EXISTS flow_live_ins AFTER INSERT ON flow_live BEGIN" SUMS_ADD_EACH
    " INSERT INTO flow_isums SELECT NEW.instrument, NEW.author, NEW.sealed, NEW.stage,"
    " NEW.measure, NEW.fig, 1 WHERE NEW.instrument IS NOT NULL"
    " ON CONFLICT(instrument, author, sealed, stage, measure) DO UPDATE"
    " SET total = total + excluded.total, n = n + 1;"
    " INSERT INTO flow_first SELECT NEW.pledge, CASE WHEN NEW.sealed = 0 THEN NEW.date END,"
    " NEW.date WHERE NEW.pledge IS NOT NULL AND NEW.stage IN " DELIVERED
    " ON CONFLICT(pledge) DO UPDATE SET"
    " first_all = coalesce(min(first_all, excluded.first_all), first_all, excluded.first_all),"
    " first_pub = coalesce(min(first_pub, excluded.first_pub), first_pub, excluded.first_pub);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS flow_live_del AFTER DELETE ON flow_live BEGIN" SUMS_SUB_EACH
    " UPDATE flow_isums SET total = total - OLD.fig, n = n - 1 WHERE instrument = OLD.instrument"
    " AND author = OLD.author AND sealed = OLD.sealed AND stage = OLD.stage"
    " AND measure = OLD.measure;"
    " UPDATE flow_first SET"
    " first_all = (SELECT min(date) FROM flow_live WHERE pledge = OLD.pledge"
    " AND stage IN " DELIVERED "),"
    " first_pub = (SELECT min(date) FROM flow_live WHERE pledge = OLD.pledge AND sealed = 0"
    " AND stage IN " DELIVERED ")"
    " WHERE pledge = OLD.pledge AND OLD.stage IN " DELIVERED ";"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS flow_live_upd AFTER UPDATE OF conf_all, disp_all, conf_pub,"
    " disp_pub ON flow_live BEGIN" SUMS_ANSWER_EACH " END;"
    /* a sum past 64 bits would become a float: refuse the write that makes it */
    "CREATE TRIGGER IF NOT EXISTS flow_sums_exact BEFORE UPDATE ON flow_sums"
    " WHEN typeof(NEW.reported) <> 'integer' OR typeof(NEW.conf_all) <> 'integer'"
    " OR typeof(NEW.disp_all) <> 'integer' OR typeof(NEW.conf_pub) <> 'integer'"
    " OR typeof(NEW.disp_pub) <> 'integer'"
    " BEGIN SELECT RAISE(ABORT, 'a total of the flows would pass 64 bits'); END;"
    "CREATE TRIGGER IF NOT EXISTS flow_isums_exact BEFORE UPDATE ON flow_isums"
    " WHEN typeof(NEW.total) <> 'integer'"
    " BEGIN SELECT RAISE(ABORT, 'a total of the flows would pass 64 bits'); END;";
