/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure family of the store (store/store_pressure.h): tables
 * designations, pressure_decisions and pressure_snapshots.
 */
#include "store/store_int.h"

enum { Q_PUT, Q_LIST, Q_SNAP, Q_LATEST, Q_EXISTS, Q_DEC_PUT, Q_DEC_LIST, Q_LAST, Q_SNAPS, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT INTO designations(source, subject, idx, first, author, type, listed,"
              " delisted, body) VALUES(?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8)"
              " ON CONFLICT(source, subject) DO UPDATE SET idx = excluded.idx,"
              " author = excluded.author, type = excluded.type, listed = excluded.listed,"
              " delisted = excluded.delisted, body = excluded.body",
    [Q_LIST] = "SELECT source, subject, idx, first, author, type, listed, delisted, body"
               " FROM designations WHERE (source = ?1 OR ?1 IS NULL)"
               " AND (source > ?2 OR (source = ?2 AND subject > ?3))"
               " ORDER BY source, subject LIMIT ?4",
    [Q_SNAP] = "INSERT INTO pressure_snapshots(idx, author, list, file, date, body)"
               " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_LATEST] = "SELECT idx, file, date FROM pressure_snapshots WHERE list = ?1"
                 " AND (file = ?2 OR ?2 IS NULL) ORDER BY idx DESC LIMIT 1",
    [Q_EXISTS] = "SELECT 1 FROM designations WHERE source = ?1 AND subject = ?2",
    [Q_DEC_PUT] = "INSERT INTO pressure_decisions(a_list, a_subject, b_list, b_subject, idx,"
                  " author, same, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                  " ON CONFLICT(a_list, a_subject, b_list, b_subject) DO UPDATE SET"
                  " idx = excluded.idx, author = excluded.author, same = excluded.same,"
                  " reason = excluded.reason",
    [Q_DEC_LIST] = "SELECT a_list, a_subject, b_list, b_subject, idx, author, same, reason"
                   " FROM pressure_decisions ORDER BY a_list, a_subject, b_list, b_subject",
    /* two seeks on the idx indexes (the schema's designations_by_idx, decisions_by_idx) */
    [Q_LAST] = "SELECT (SELECT coalesce(max(idx), 0) FROM designations),"
               " (SELECT coalesce(max(idx), 0) FROM pressure_decisions)",
    [Q_SNAPS] = "SELECT idx, author, list, file, date, body FROM pressure_snapshots"
                " WHERE (list = ?1 OR ?1 IS NULL) ORDER BY list, idx",
};
const wl_sq_family wl_sq_pressure = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_PRESSURE, q);
}

wl_rc wl_store_designation_put(wl_store *s, const wl_store_designation *d)
{
    wl_st *st = stmt(s, Q_PUT);
    const char *texts[] = {d->author, d->type, d->listed, d->delisted, d->body};
    wl_st_bind_text(st, 1, d->source, -1);
    wl_st_bind_text(st, 2, d->subject, -1);
    wl_st_bind_int64(st, 3, (int64_t)d->idx);
    for (int i = 0; i < 5; i++)
        if (texts[i])
            wl_st_bind_text(st, i + 4, texts[i], -1);
        else
            wl_st_bind_null(st, i + 4);
    return step_done(st);
}

wl_rc wl_store_designations(wl_store *s, const char *source, const char *after_source,
                            const char *after_subject, uint64_t limit, wl_store_designation_fn fn,
                            void *ctx)
{
    wl_st *st = stmt(s, Q_LIST);
    wl_rc rc = WL_OK;
    int r;
    if (source)
        wl_st_bind_text(st, 1, source, -1);
    else
        wl_st_bind_null(st, 1);
    wl_st_bind_text(st, 2, after_source, -1);
    wl_st_bind_text(st, 3, after_subject, -1);
    wl_st_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
        wl_store_designation d = {
            .source = (const char *)wl_st_col_text(st, 0),
            .subject = (const char *)wl_st_col_text(st, 1),
            .idx = (uint64_t)wl_st_col_int64(st, 2),
            .first = (uint64_t)wl_st_col_int64(st, 3),
            .author = (const char *)wl_st_col_text(st, 4),
            .type = (const char *)wl_st_col_text(st, 5),
            .listed = (const char *)wl_st_col_text(st, 6),
            .delisted = (const char *)wl_st_col_text(st, 7),
            .body = (const char *)wl_st_col_text(st, 8),
        };
        rc = fn(ctx, &d);
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_snapshot_put(wl_store *s, const wl_store_snapshot *p)
{
    wl_st *st = stmt(s, Q_SNAP);
    const char *texts[] = {p->author, p->list, p->file, p->date, p->body};
    wl_st_bind_int64(st, 1, (int64_t)p->idx);
    for (int i = 0; i < 5; i++)
        wl_st_bind_text(st, i + 2, texts[i], -1);
    return step_done(st);
}

wl_rc wl_store_designation_exists(wl_store *s, const char *source, const char *subject, int *found)
{
    wl_st *st = stmt(s, Q_EXISTS);
    int r;
    *found = 0;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, subject, -1);
    r = wl_st_step(st);
    wl_st_reset(st);
    if (r == WL_DB_ROW)
        *found = 1;
    return r == WL_DB_ROW || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

wl_rc wl_store_decision_put(wl_store *s, const wl_store_decision *d)
{
    wl_st *st = stmt(s, Q_DEC_PUT);
    const char *texts[] = {d->a_list, d->a_subject, d->b_list, d->b_subject};
    for (int i = 0; i < 4; i++)
        wl_st_bind_text(st, i + 1, texts[i], -1);
    wl_st_bind_int64(st, 5, (int64_t)d->idx);
    wl_st_bind_text(st, 6, d->author, -1);
    wl_st_bind_int(st, 7, d->same ? 1 : 0);
    wl_st_bind_text(st, 8, d->reason, -1);
    return step_done(st);
}

wl_rc wl_store_decisions(wl_store *s, wl_store_decision_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_DEC_LIST);
    wl_rc rc = WL_OK;
    int r;
    while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
        wl_store_decision d = {
            .a_list = (const char *)wl_st_col_text(st, 0),
            .a_subject = (const char *)wl_st_col_text(st, 1),
            .b_list = (const char *)wl_st_col_text(st, 2),
            .b_subject = (const char *)wl_st_col_text(st, 3),
            .idx = (uint64_t)wl_st_col_int64(st, 4),
            .author = (const char *)wl_st_col_text(st, 5),
            .same = wl_st_col_int(st, 6),
            .reason = (const char *)wl_st_col_text(st, 7),
        };
        rc = fn(ctx, &d);
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_reset(st);
    return rc;
}

/* The latest snapshot of list, of the file `of` unless NULL. */
static wl_rc snapshot_row(wl_store *s, const char *list, const char *of, uint64_t *idx,
                          char file[65], char date[11])
{
    wl_st *st = stmt(s, Q_LATEST);
    wl_rc rc = WL_ERR_NOT_FOUND;
    int r;
    wl_st_bind_text(st, 1, list, -1);
    if (of)
        wl_st_bind_text(st, 2, of, -1);
    else
        wl_st_bind_null(st, 2);
    if ((r = wl_st_step(st)) == WL_DB_ROW) {
        *idx = (uint64_t)wl_st_col_int64(st, 0);
        if (file)
            snprintf(file, 65, "%s", (const char *)wl_st_col_text(st, 1));
        snprintf(date, 11, "%s", (const char *)wl_st_col_text(st, 2));
        rc = WL_OK;
    } else if (r != WL_DB_DONE) {
        rc = map_rc(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_snapshot_latest(wl_store *s, const char *list, uint64_t *idx, char file[65],
                               char date[11])
{
    return snapshot_row(s, list, NULL, idx, file, date);
}

wl_rc wl_store_snapshot_of_file(wl_store *s, const char *list, const char *file, uint64_t *idx,
                                char date[11])
{
    return snapshot_row(s, list, file, idx, NULL, date);
}

wl_rc wl_store_snapshots(wl_store *s, const char *list, wl_store_snapshot_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_SNAPS);
    wl_rc rc = WL_OK;
    int r;
    if (list)
        wl_st_bind_text(st, 1, list, -1);
    else
        wl_st_bind_null(st, 1);
    while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
        wl_store_snapshot p = {
            .idx = (uint64_t)wl_st_col_int64(st, 0),
            .author = (const char *)wl_st_col_text(st, 1),
            .list = (const char *)wl_st_col_text(st, 2),
            .file = (const char *)wl_st_col_text(st, 3),
            .date = (const char *)wl_st_col_text(st, 4),
            .body = (const char *)wl_st_col_text(st, 5),
        };
        rc = fn(ctx, &p);
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_pressure_last(wl_store *s, uint64_t *designation, uint64_t *decision)
{
    return step_two(stmt(s, Q_LAST), designation, decision);
}
