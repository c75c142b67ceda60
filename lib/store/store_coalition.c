/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition family of the store (store/store_coalition.h): the
 * latest requirement.set of each id with its endorsement (table requirements)
 * the facts the coordinator records or retracts (facts) and the announced
 * pledges (pledges_announced), and the pledges their authors withdrew or
 * amended under seal (pledges_retired, the operator's own: never in the log).
 * Pledges are sealed content (store_sealed.c).
 */
#include "store/store_int.h"

enum {
    Q_REQ_PUT,
    Q_REQ_GET,
    Q_REQ_ENDORSE,
    Q_REQ_ALL,
    Q_FACT_SET,
    Q_FACT_ALL,
    Q_PLEDGE_ANNOUNCED,
    Q_PLEDGE_PUBLIC,
    Q_PLEDGE_RETIRE,
    Q_PLEDGE_RETIRED,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_REQ_PUT] =
        "INSERT INTO requirements(id, body, set_idx, endorsed_idx) VALUES(?1, ?2, ?3, NULL) "
        "ON CONFLICT(id) DO UPDATE SET body = ?2, set_idx = ?3, endorsed_idx = NULL",
    [Q_REQ_GET] = "SELECT body, set_idx, endorsed_idx FROM requirements WHERE id = ?1",
    [Q_REQ_ENDORSE] = "UPDATE requirements SET endorsed_idx = ?2 WHERE id = ?1",
    [Q_REQ_ALL] = "SELECT id, body, set_idx, endorsed_idx FROM requirements ORDER BY id",
    [Q_FACT_SET] = "INSERT INTO facts(name, recorded, idx) VALUES(?1, ?2, ?3) "
                   "ON CONFLICT(name) DO UPDATE SET recorded = ?2, idx = ?3",
    [Q_FACT_ALL] = "SELECT name FROM facts WHERE recorded = 1 ORDER BY name",
    [Q_PLEDGE_ANNOUNCED] =
        "INSERT OR IGNORE INTO pledges_announced(pledge, author, time, category, "
        "idx) VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_PLEDGE_PUBLIC] =
        "SELECT author, time, category, idx FROM pledges_announced WHERE pledge = ?1",
    /* the first withdrawal or amendment retires a pledge; a later one changes nothing */
    [Q_PLEDGE_RETIRE] =
        "INSERT OR IGNORE INTO pledges_retired(pledge, at, successor) VALUES(?1, ?2, ?3)",
    [Q_PLEDGE_RETIRED] = "SELECT at, successor FROM pledges_retired WHERE pledge = ?1",
};
const wl_sq_family wl_sq_coalition = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_COALITION, q);
}

wl_rc wl_store_requirement_put(wl_store *s, const char *id, const char *body, uint64_t set_idx)
{
    wl_st *st = stmt(s, Q_REQ_PUT);
    wl_st_bind_text(st, 1, id, -1);
    wl_st_bind_text(st, 2, body, -1);
    wl_st_bind_int64(st, 3, (int64_t)set_idx);
    return step_done(st);
}

wl_rc wl_store_requirement_get(wl_store *s, const char *id, uint64_t *set_idx,
                               uint64_t *endorsed_idx)
{
    wl_st *st = stmt(s, Q_REQ_GET);
    int rc;
    wl_rc ret = WL_OK;
    *set_idx = 0;
    *endorsed_idx = 0;
    wl_st_bind_text(st, 1, id, -1);
    rc = wl_st_step(st);
    if (rc == WL_DB_ROW) {
        *set_idx = (uint64_t)wl_st_col_int64(st, 1);
        *endorsed_idx = col_index(st, 2);
    } else {
        ret = no_row(rc);
    }
    wl_st_reset(st);
    return ret;
}

wl_rc wl_store_requirement_endorse(wl_store *s, const char *id, uint64_t idx)
{
    wl_st *st = stmt(s, Q_REQ_ENDORSE);
    wl_st_bind_text(st, 1, id, -1);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    return step_done(st);
}

wl_rc wl_store_requirements(wl_store *s, wl_requirement_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_REQ_ALL);
    int rc;
    wl_rc ret = WL_OK;
    while ((rc = wl_st_step(st)) == WL_DB_ROW) {
        ret = fn(ctx, (const char *)wl_st_col_text(st, 0), (const char *)wl_st_col_text(st, 1),
                 (uint64_t)wl_st_col_int64(st, 2), col_index(st, 3));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != WL_DB_DONE)
        ret = map_rc(rc);
    wl_st_reset(st);
    return ret;
}

wl_rc wl_store_fact_set(wl_store *s, const char *name, int recorded, uint64_t idx)
{
    wl_st *st = stmt(s, Q_FACT_SET);
    wl_st_bind_text(st, 1, name, -1);
    wl_st_bind_int(st, 2, recorded ? 1 : 0);
    wl_st_bind_int64(st, 3, (int64_t)idx);
    return step_done(st);
}

wl_rc wl_store_facts(wl_store *s, char ***names, size_t *n)
{
    wl_st *st = stmt(s, Q_FACT_ALL);
    char **v = NULL;
    size_t cap = 0, k = 0;
    int r;
    wl_rc rc = WL_OK;
    *names = NULL;
    *n = 0;
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        if (k == cap) {
            char **nv = wl_realloc(v, (cap ? cap * 2 : 8) * sizeof *nv);
            if (nv == NULL) {
                rc = WL_ERR_NOMEM;
                goto out;
            }
            v = nv;
            cap = cap ? cap * 2 : 8;
        }
        if ((v[k] = col_dup(st, 0, NULL)) == NULL) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
        k++;
    }
    if (r != WL_DB_DONE)
        rc = map_rc(r);
out:
    wl_st_reset(st);
    if (rc == WL_OK) {
        *names = v;
        *n = k;
    } else { /* nothing half-read: every name read so far is freed */
        for (size_t i = 0; i < k; i++)
            wl_free(v[i]);
        wl_free(v);
    }
    return rc;
}

wl_rc wl_store_pledge_announced(wl_store *s, const char *pledge, const wl_pledge_public *p)
{
    wl_st *st = stmt(s, Q_PLEDGE_ANNOUNCED);
    wl_st_bind_text(st, 1, pledge, -1);
    wl_st_bind_text(st, 2, p->author, -1);
    wl_st_bind_int64(st, 3, p->time);
    wl_st_bind_text(st, 4, p->category, -1);
    wl_st_bind_int64(st, 5, (int64_t)p->idx);
    return step_done(st);
}

static void public_of(wl_st *st, void *out)
{
    wl_pledge_public *p = out;
    col_str(st, 0, p->author, sizeof p->author);
    p->time = wl_st_col_int64(st, 1);
    col_str(st, 2, p->category, sizeof p->category);
    p->idx = (uint64_t)wl_st_col_int64(st, 3);
}

wl_rc wl_store_pledge_public(wl_store *s, const char *pledge, wl_pledge_public *out)
{
    return row_for_key(stmt(s, Q_PLEDGE_PUBLIC), pledge, out, sizeof *out, public_of);
}

wl_rc wl_store_pledge_retire(wl_store *s, const char *pledge, uint64_t at, const char *successor)
{
    wl_st *st = stmt(s, Q_PLEDGE_RETIRE);
    wl_st_bind_text(st, 1, pledge, -1);
    wl_st_bind_int64(st, 2, (int64_t)at);
    if (successor)
        wl_st_bind_text(st, 3, successor, -1);
    else
        wl_st_bind_null(st, 3);
    return step_done(st);
}

static void retired_of(wl_st *st, void *out)
{
    wl_pledge_retired *r = out;
    r->at = (uint64_t)wl_st_col_int64(st, 0);
    col_str(st, 1, r->successor, sizeof r->successor);
}

wl_rc wl_store_pledge_retired(wl_store *s, const char *pledge, wl_pledge_retired *out)
{
    return row_for_key(stmt(s, Q_PLEDGE_RETIRED), pledge, out, sizeof *out, retired_of);
}
