/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal family of the store (store/store_deal.h): deals, their
 * versions, each version's parties and signatures, and the parties' notices
 * (tables deals, deal_versions, deal_parties, deal_notices). The times of
 * the entries named are read from the log's entries table in the same query.
 * The rules are lib/deal's (docs/internals/deal.md).
 */
#include "store/store_int.h"

enum {
    Q_DEAL_GET,
    Q_DEAL_PUT,
    Q_VER_PUT,
    Q_VER_GET,
    Q_VER_STATUS,
    Q_VER_SUPERSEDE,
    Q_PARTY_PUT,
    Q_PARTY_GET,
    Q_PARTY_SIGN,
    Q_UNSIGNED,
    Q_NOTICE_PUT,
    Q_DEALS,
    Q_VERSIONS,
    Q_PARTIES,
    Q_NOTICES,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

#define DEAL_COLS                                                                                  \
    "SELECT d.id, d.status, d.latest, d.in_force, d.since, d.suspended_by, d.title, e.time "       \
    "FROM deals d LEFT JOIN entries e ON e.idx = d.since "
#define VER_COLS                                                                                   \
    "SELECT v.version, v.idx, v.hash, v.status, v.in_force_idx, e.time, f.time, v.body "           \
    "FROM deal_versions v LEFT JOIN entries e ON e.idx = v.idx "                                   \
    "LEFT JOIN entries f ON f.idx = v.in_force_idx "

static const char *const sql[Q_COUNT] = {
    [Q_DEAL_GET] = DEAL_COLS "WHERE d.id = ?1",
    [Q_DEAL_PUT] = "INSERT INTO deals(id, status, latest, in_force, since, suspended_by, title) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
                   "status = excluded.status, latest = excluded.latest, in_force = "
                   "excluded.in_force, since = excluded.since, suspended_by = "
                   "excluded.suspended_by, title = excluded.title",
    [Q_VER_PUT] = "INSERT INTO deal_versions(deal, version, idx, hash, status, body) "
                  "VALUES(?1, ?2, ?3, ?4, 'proposed', ?5)",
    [Q_VER_GET] = VER_COLS "WHERE v.deal = ?1 AND v.version = ?2",
    [Q_VER_STATUS] = "UPDATE deal_versions SET status = ?3, in_force_idx = ?4 "
                     "WHERE deal = ?1 AND version = ?2",
    [Q_VER_SUPERSEDE] = "UPDATE deal_versions SET status = 'superseded' "
                        "WHERE deal = ?1 AND version < ?2 AND status = 'proposed'",
    [Q_PARTY_PUT] = "INSERT INTO deal_parties(deal, version, member, ord) VALUES(?1, ?2, ?3, "
                    "(SELECT count(*) FROM deal_parties WHERE deal = ?1 AND version = ?2))",
    [Q_PARTY_GET] = "SELECT signed_idx FROM deal_parties WHERE deal = ?1 AND version = ?2 "
                    "AND member = ?3",
    [Q_PARTY_SIGN] = "UPDATE deal_parties SET signed_idx = ?4 WHERE deal = ?1 AND version = ?2 "
                     "AND member = ?3",
    [Q_UNSIGNED] = "SELECT count(*) FROM deal_parties WHERE deal = ?1 AND version = ?2 "
                   "AND signed_idx IS NULL",
    [Q_NOTICE_PUT] = "INSERT INTO deal_notices(deal, idx, author, notice, text) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_DEALS] = DEAL_COLS "ORDER BY d.id",
    [Q_VERSIONS] = VER_COLS "WHERE v.deal = ?1 ORDER BY v.version",
    [Q_PARTIES] = "SELECT p.member, p.signed_idx, e.time FROM deal_parties p LEFT JOIN entries e "
                  "ON e.idx = p.signed_idx WHERE p.deal = ?1 AND p.version = ?2 ORDER BY p.ord",
    [Q_NOTICES] = "SELECT n.idx, e.time, n.author, n.notice, n.text FROM deal_notices n "
                  "LEFT JOIN entries e ON e.idx = n.idx WHERE n.deal = ?1 ORDER BY n.idx",
};
const wl_sq_family wl_sq_deal = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_DEAL, q);
}

static void bind_idx(wl_st *st, int i, uint64_t v)
{
    if (v != UINT64_MAX)
        wl_st_bind_int64(st, i, (int64_t)v);
}

static void read_deal(wl_st *st, wl_deal_row *d)
{
    memset(d, 0, sizeof *d);
    col_str(st, 0, d->id, sizeof d->id);
    col_str(st, 1, d->status, sizeof d->status);
    d->latest = (uint64_t)wl_st_col_int64(st, 2);
    d->in_force = (uint64_t)wl_st_col_int64(st, 3);
    d->since = col_index(st, 4);
    col_str(st, 5, d->suspended_by, sizeof d->suspended_by);
    col_str(st, 6, d->title, sizeof d->title);
    d->since_time = wl_st_col_int64(st, 7);
}

static void read_version(wl_st *st, wl_deal_version *v)
{
    const void *h = wl_st_col_blob(st, 2);
    memset(v, 0, sizeof *v);
    v->version = (uint64_t)wl_st_col_int64(st, 0);
    v->idx = (uint64_t)wl_st_col_int64(st, 1);
    if (h && wl_st_col_bytes(st, 2) == 32)
        memcpy(v->hash, h, 32);
    col_str(st, 3, v->status, sizeof v->status);
    v->in_force_idx = col_index(st, 4);
    v->time = wl_st_col_int64(st, 5);
    v->in_force_time = wl_st_col_int64(st, 6);
    v->body = (const char *)wl_st_col_text(st, 7);
}

wl_rc wl_store_deal_get(wl_store *s, const char *id, wl_deal_row *out)
{
    wl_st *st = stmt(s, Q_DEAL_GET);
    int r;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    wl_st_bind_text(st, 1, id, -1);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        read_deal(st, out);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_deal_put(wl_store *s, const wl_deal_row *d)
{
    wl_st *st = stmt(s, Q_DEAL_PUT);
    wl_st_bind_text(st, 1, d->id, -1);
    wl_st_bind_text(st, 2, d->status, -1);
    wl_st_bind_int64(st, 3, (int64_t)d->latest);
    wl_st_bind_int64(st, 4, (int64_t)d->in_force);
    bind_idx(st, 5, d->since);
    wl_st_bind_text(st, 6, d->suspended_by, -1);
    wl_st_bind_text(st, 7, d->title, -1);
    return step_done(st);
}

wl_rc wl_store_deal_version_put(wl_store *s, const char *deal, uint64_t version, uint64_t idx,
                                const uint8_t hash[32], const char *body)
{
    wl_st *st = stmt(s, Q_VER_PUT);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)version);
    wl_st_bind_int64(st, 3, (int64_t)idx);
    wl_st_bind_blob(st, 4, hash, 32);
    wl_st_bind_text(st, 5, body, -1);
    return step_done(st);
}

wl_rc wl_store_deal_version_get(wl_store *s, const char *deal, uint64_t version,
                                wl_deal_version *out)
{
    wl_st *st = stmt(s, Q_VER_GET);
    int r;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)version);
    if ((r = wl_st_step(st)) == WL_DB_ROW) {
        read_version(st, out);
        out->body = NULL; /* not valid past the reset */
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_deal_version_status(wl_store *s, const char *deal, uint64_t version,
                                   const char *status, uint64_t in_force_idx)
{
    wl_st *st = stmt(s, Q_VER_STATUS);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)version);
    wl_st_bind_text(st, 3, status, -1);
    bind_idx(st, 4, in_force_idx);
    return step_done(st);
}

wl_rc wl_store_deal_supersede_proposed(wl_store *s, const char *deal, uint64_t below)
{
    wl_st *st = stmt(s, Q_VER_SUPERSEDE);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)below);
    return step_done(st);
}

/* Binds deal, version and member, the first three parameters of the party statements. */
static wl_st *party_stmt(wl_store *s, int q, const char *deal, uint64_t version, const char *member)
{
    wl_st *st = stmt(s, q);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)version);
    if (member)
        wl_st_bind_text(st, 3, member, -1);
    return st;
}

wl_rc wl_store_deal_party_put(wl_store *s, const char *deal, uint64_t version, const char *member)
{
    return step_done(party_stmt(s, Q_PARTY_PUT, deal, version, member));
}

/* Steps st for one row and reads its first column as an index (NULL: UINT64_MAX) into *out. */
static wl_rc one_index(wl_st *st, uint64_t *out)
{
    int r = wl_st_step(st);
    wl_rc rc = WL_OK;
    if (r == WL_DB_ROW)
        *out = col_index(st, 0);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_deal_party_get(wl_store *s, const char *deal, uint64_t version, const char *member,
                              uint64_t *signed_idx)
{
    wl_rc rc = one_index(party_stmt(s, Q_PARTY_GET, deal, version, member), signed_idx);
    if (rc != WL_OK)
        *signed_idx = UINT64_MAX;
    return rc;
}

wl_rc wl_store_deal_party_sign(wl_store *s, const char *deal, uint64_t version, const char *member,
                               uint64_t idx)
{
    wl_st *st = party_stmt(s, Q_PARTY_SIGN, deal, version, member);
    wl_st_bind_int64(st, 4, (int64_t)idx);
    return step_done(st);
}

wl_rc wl_store_deal_unsigned(wl_store *s, const char *deal, uint64_t version, uint64_t *n)
{
    wl_rc rc = one_index(party_stmt(s, Q_UNSIGNED, deal, version, NULL), n);
    if (rc != WL_OK)
        *n = 0;
    return rc;
}

wl_rc wl_store_deal_notice_put(wl_store *s, const char *deal, uint64_t idx, const char *author,
                               const char *notice, const char *text)
{
    wl_st *st = stmt(s, Q_NOTICE_PUT);
    wl_st_bind_text(st, 1, deal, -1);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    wl_st_bind_text(st, 3, author, -1);
    wl_st_bind_text(st, 4, notice, -1);
    wl_st_bind_text(st, 5, text, -1);
    return step_done(st);
}

/* Steps st to its end, handing each row to each(st, ctx); the first error stops it. */
static wl_rc each_row(wl_st *st, wl_rc (*each)(wl_st *, void *), void *ctx)
{
    int r;
    wl_rc rc = WL_OK;
    while ((r = wl_st_step(st)) == WL_DB_ROW)
        if ((rc = each(st, ctx)) != WL_OK)
            break;
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_reset(st);
    return rc;
}

typedef struct {
    wl_deal_fn deal;
    wl_deal_version_fn version;
    wl_deal_party_fn party;
    wl_deal_notice_fn notice;
    void *ctx;
} cb;

static wl_rc deal_row(wl_st *st, void *c)
{
    cb *k = c;
    wl_deal_row d;
    read_deal(st, &d);
    return k->deal(k->ctx, &d);
}

wl_rc wl_store_deals(wl_store *s, wl_deal_fn fn, void *ctx)
{
    cb k = {.deal = fn, .ctx = ctx};
    return each_row(stmt(s, Q_DEALS), deal_row, &k);
}

static wl_rc version_row(wl_st *st, void *c)
{
    cb *k = c;
    wl_deal_version v;
    read_version(st, &v);
    return k->version(k->ctx, &v);
}

wl_rc wl_store_deal_versions(wl_store *s, const char *deal, wl_deal_version_fn fn, void *ctx)
{
    cb k = {.version = fn, .ctx = ctx};
    wl_st *st = stmt(s, Q_VERSIONS);
    wl_st_bind_text(st, 1, deal, -1);
    return each_row(st, version_row, &k);
}

static wl_rc party_row(wl_st *st, void *c)
{
    cb *k = c;
    return k->party(k->ctx, (const char *)wl_st_col_text(st, 0), col_index(st, 1),
                    wl_st_col_int64(st, 2));
}

wl_rc wl_store_deal_parties(wl_store *s, const char *deal, uint64_t version, wl_deal_party_fn fn,
                            void *ctx)
{
    cb k = {.party = fn, .ctx = ctx};
    return each_row(party_stmt(s, Q_PARTIES, deal, version, NULL), party_row, &k);
}

static wl_rc notice_row(wl_st *st, void *c)
{
    cb *k = c;
    return k->notice(k->ctx, (uint64_t)wl_st_col_int64(st, 0), wl_st_col_int64(st, 1),
                     (const char *)wl_st_col_text(st, 2), (const char *)wl_st_col_text(st, 3),
                     (const char *)wl_st_col_text(st, 4));
}

wl_rc wl_store_deal_notices(wl_store *s, const char *deal, wl_deal_notice_fn fn, void *ctx)
{
    cb k = {.notice = fn, .ctx = ctx};
    wl_st *st = stmt(s, Q_NOTICES);
    wl_st_bind_text(st, 1, deal, -1);
    return each_row(st, notice_row, &k);
}
