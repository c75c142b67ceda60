/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference-data family of the store (store/store_flows_ref.h):
 * table refs, the rows of reference.batch entries (third-party data such as
 * the Kiel tracker's), apart from members' flows.
 */
#include "store/store_int.h"

enum { Q_PUT, Q_RELEASE, Q_PART, Q_LATEST, Q_ALL, Q_DONOR, Q_BY_DONOR, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

#define COLS                                                                                       \
    "idx, row, line, part, parts, source, release, file, donor, date, type, stage, amount, "       \
    "currency"

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT INTO refs(" COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
              "?12, ?13, ?14)",
    [Q_RELEASE] = "SELECT file, idx FROM refs WHERE source = ?1 AND release = ?2 "
                  "ORDER BY idx LIMIT 1",
    [Q_PART] = "SELECT file, idx FROM refs WHERE source = ?1 AND release = ?2 AND part = ?3 "
               "LIMIT 1",
    [Q_LATEST] = "SELECT release FROM refs WHERE source = ?1 ORDER BY idx DESC LIMIT 1",
    [Q_ALL] = "SELECT " COLS " FROM refs WHERE source = ?1 AND release = ?2 "
              "ORDER BY idx, row LIMIT ?3 OFFSET ?4",
    [Q_DONOR] = "SELECT " COLS " FROM refs WHERE source = ?1 AND release = ?2 AND donor = ?5 "
                "ORDER BY idx, row LIMIT ?3 OFFSET ?4",
    [Q_BY_DONOR] = "SELECT " COLS " FROM refs WHERE source = ?1 AND release = ?2 "
                   "ORDER BY donor, idx, row LIMIT ?3 OFFSET ?4",
};
const wl_sq_family wl_sq_flows_ref = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_FLOWS_REF, q);
}

wl_rc wl_store_ref_put(wl_store *s, const wl_store_ref *r)
{
    wl_st *st = stmt(s, Q_PUT);
    const uint64_t nums[] = {r->idx, r->row, r->line, r->part, r->parts};
    const char *texts[] = {r->source, r->release, r->file,   r->donor,   r->date,
                           r->type,   r->stage,   r->amount, r->currency};
    for (int i = 0; i < 5; i++)
        wl_st_bind_int64(st, i + 1, (int64_t)nums[i]);
    for (int i = 0; i < 9; i++) /* an empty date: NULL (the source gives none) */
        if (texts[i][0])
            wl_st_bind_text(st, i + 6, texts[i], -1);
    return step_done(st);
}

wl_rc wl_store_ref_release(wl_store *s, const char *source, const char *release, uint64_t part,
                           char file[65], uint64_t *idx)
{
    wl_st *st = stmt(s, part ? Q_PART : Q_RELEASE);
    wl_rc rc = WL_OK;
    int r;
    file[0] = '\0';
    *idx = 0;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, release, -1);
    if (part)
        wl_st_bind_int64(st, 3, (int64_t)part);
    if ((r = wl_st_step(st)) == WL_DB_ROW) {
        col_str(st, 0, file, 65);
        *idx = (uint64_t)wl_st_col_int64(st, 1);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_ref_latest(wl_store *s, const char *source, char *release, size_t cap)
{
    wl_st *st = stmt(s, Q_LATEST);
    wl_rc rc = WL_OK;
    int r;
    release[0] = '\0';
    wl_st_bind_text(st, 1, source, -1);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        col_str(st, 0, release, cap);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

static void read_row(wl_st *st, wl_store_ref *r)
{
    uint64_t *nums[] = {&r->idx, &r->row, &r->line, &r->part, &r->parts};
    struct {
        char *p;
        size_t cap;
    } texts[] = {{r->source, sizeof r->source},    {r->release, sizeof r->release},
                 {r->file, sizeof r->file},        {r->donor, sizeof r->donor},
                 {r->date, sizeof r->date},        {r->type, sizeof r->type},
                 {r->stage, sizeof r->stage},      {r->amount, sizeof r->amount},
                 {r->currency, sizeof r->currency}};
    for (int i = 0; i < 5; i++)
        *nums[i] = (uint64_t)wl_st_col_int64(st, i);
    for (int i = 0; i < 9; i++)
        col_str(st, i + 5, texts[i].p, texts[i].cap);
}

wl_rc wl_store_refs(wl_store *s, const char *source, const char *release, const char *donor,
                    bool by_donor, uint64_t offset, uint64_t limit, wl_store_ref_fn fn, void *ctx)
{
    wl_st *st = stmt(s, donor ? Q_DONOR : by_donor ? Q_BY_DONOR : Q_ALL);
    wl_store_ref r;
    wl_rc rc = WL_OK;
    int q;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, release, -1);
    wl_st_bind_int64(st, 3,
                     limit > INT64_MAX ? INT64_MAX : (int64_t)limit); /* not -1: PostgreSQL */
    wl_st_bind_int64(st, 4, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    if (donor)
        wl_st_bind_text(st, 5, donor, -1);
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        read_row(st, &r);
        rc = fn(ctx, &r);
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}
