/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The history family of the store (store/store_history.h): table
 * history, UCDP's events from history.batch entries, apart from monitors'
 * reports.
 */
#include "store/store_int.h"

enum { Q_PUT, Q_RELEASE, Q_PART, Q_LATEST, Q_HAS, Q_COUNTS, Q_PARTS, Q_EVENTS, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT INTO history(idx, row, line, part, parts, source, release, file, id, year,"
              " type, date_start, date_end, lat, lon, best, high, low, event)"
              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
              " ?18, ?19)",
    [Q_RELEASE] = "SELECT file, idx FROM history WHERE source = ?1 AND release = ?2 "
                  "ORDER BY idx LIMIT 1",
    [Q_PART] = "SELECT file, idx FROM history WHERE source = ?1 AND release = ?2 AND part = ?3 "
               "LIMIT 1",
    [Q_LATEST] = "SELECT release FROM history WHERE source = ?1 ORDER BY idx DESC LIMIT 1",
    [Q_HAS] = "SELECT idx FROM history WHERE source = ?1 AND release = ?2 AND id = ?3",
    [Q_COUNTS] = "SELECT year, type, count(*), sum(best), sum(high), sum(low) FROM history "
                 "WHERE source = ?1 AND release = ?2 GROUP BY year, type ORDER BY year, type",
    [Q_PARTS] = "SELECT part, max(parts), min(idx), min(file) FROM history "
                "WHERE source = ?1 AND release = ?2 GROUP BY part ORDER BY part",
    [Q_EVENTS] = "SELECT idx, event FROM history WHERE source = ?1 AND release = ?2"
                 " AND (date_end >= ?3 OR ?3 IS NULL) AND (date_start <= ?4 OR ?4 IS NULL)"
                 " AND (?5 = 0 OR (lat BETWEEN ?6 AND ?7 AND lon BETWEEN ?8 AND ?9))"
                 " AND (?10 = 0 OR type = ?10)"
                 " ORDER BY date_start, id LIMIT ?11 OFFSET ?12",
};
const wl_sq_family wl_sq_history = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_HISTORY, q);
}

static void bind_u64(wl_st *st, int i, uint64_t v)
{
    wl_st_bind_int64(st, i, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

wl_rc wl_store_history_put(wl_store *s, const wl_store_history *h)
{
    wl_st *st = stmt(s, Q_PUT);
    const uint64_t nums[] = {h->idx, h->row, h->line, h->part, h->parts};
    const char *texts[] = {h->source, h->release, h->file};
    for (int i = 0; i < 5; i++)
        bind_u64(st, i + 1, nums[i]);
    for (int i = 0; i < 3; i++)
        wl_st_bind_text(st, i + 6, texts[i], -1);
    bind_u64(st, 9, h->id);
    wl_st_bind_int(st, 10, h->year);
    wl_st_bind_int(st, 11, h->type);
    wl_st_bind_text(st, 12, h->date_start, -1);
    wl_st_bind_text(st, 13, h->date_end, -1);
    wl_st_bind_double(st, 14, h->lat);
    wl_st_bind_double(st, 15, h->lon);
    bind_u64(st, 16, h->best);
    bind_u64(st, 17, h->high);
    bind_u64(st, 18, h->low);
    wl_st_bind_text(st, 19, h->event, -1);
    return step_done(st);
}

wl_rc wl_store_history_release(wl_store *s, const char *source, const char *release, uint64_t part,
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
        bind_u64(st, 3, part);
    if ((r = wl_st_step(st)) == WL_DB_ROW) {
        col_str(st, 0, file, 65);
        *idx = (uint64_t)wl_st_col_int64(st, 1);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_history_latest(wl_store *s, const char *source, char *release, size_t cap)
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

wl_rc wl_store_history_has(wl_store *s, const char *source, const char *release, uint64_t id,
                           uint64_t *idx)
{
    wl_st *st = stmt(s, Q_HAS);
    wl_rc rc = WL_OK;
    int r;
    *idx = 0;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, release, -1);
    bind_u64(st, 3, id);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        *idx = (uint64_t)wl_st_col_int64(st, 0);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

/* Steps st to its end, after its binds; fn's refusal stops it. */
#define WALK(st, call)                                                                             \
    do {                                                                                           \
        while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW)                                   \
            rc = (call);                                                                           \
        if (rc == WL_OK && q != WL_DB_DONE)                                                        \
            rc = map_rc(q);                                                                        \
        wl_st_reset(st);                                                                           \
    } while (0)

static wl_rc count_row(wl_st *st, wl_store_history_count_fn fn, void *ctx)
{
    wl_store_history_count c;
    c.year = wl_st_col_int(st, 0);
    c.type = wl_st_col_int(st, 1);
    c.events = (uint64_t)wl_st_col_int64(st, 2);
    c.best = (uint64_t)wl_st_col_int64(st, 3);
    c.high = (uint64_t)wl_st_col_int64(st, 4);
    c.low = (uint64_t)wl_st_col_int64(st, 5);
    return fn(ctx, &c);
}

wl_rc wl_store_history_counts(wl_store *s, const char *source, const char *release,
                              wl_store_history_count_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_COUNTS);
    wl_rc rc = WL_OK;
    int q;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, release, -1);
    WALK(st, count_row(st, fn, ctx));
    return rc;
}

wl_rc wl_store_history_parts(wl_store *s, const char *source, const char *release,
                             wl_store_history_part_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_PARTS);
    wl_rc rc = WL_OK;
    int q;
    wl_st_bind_text(st, 1, source, -1);
    wl_st_bind_text(st, 2, release, -1);
    WALK(st, fn(ctx, (uint64_t)wl_st_col_int64(st, 0), (uint64_t)wl_st_col_int64(st, 1),
                (uint64_t)wl_st_col_int64(st, 2), (const char *)wl_st_col_text(st, 3)));
    return rc;
}

wl_rc wl_store_history_events(wl_store *s, const wl_store_history_query *x, wl_store_history_fn fn,
                              void *ctx)
{
    wl_st *st = stmt(s, Q_EVENTS);
    const double box[] = {x->south, x->north, x->west, x->east};
    wl_rc rc = WL_OK;
    int q;
    wl_st_bind_text(st, 1, x->source, -1);
    wl_st_bind_text(st, 2, x->release, -1);
    if (x->from && x->from[0])
        wl_st_bind_text(st, 3, x->from, -1);
    if (x->to && x->to[0])
        wl_st_bind_text(st, 4, x->to, -1);
    wl_st_bind_int(st, 5, x->box);
    for (int i = 0; i < 4; i++)
        wl_st_bind_double(st, 6 + i, box[i]);
    wl_st_bind_int(st, 10, x->type);
    wl_st_bind_int64(st, 11, x->limit > INT64_MAX ? INT64_MAX : (int64_t)x->limit); /* not -1 */
    bind_u64(st, 12, x->offset);
    WALK(st, fn(ctx, (uint64_t)wl_st_col_int64(st, 0), (const char *)wl_st_col_text(st, 1)));
    return rc;
}
