/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones family of the store (store/store_zones.h): table zones,
 * one row per zone.set entry, the versions of the deal's zones and protected
 * sites. A zone's current version is its row of the highest index.
 */
#include <jansson.h>

#include "store/store_int.h"

enum { Q_PUT, Q_AT, Q_CURRENT, Q_ALL_CURRENT, Q_VERSIONS, Q_READER, Q_GEN, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

#define COLS "idx, version, id, type, side, measured_from, category, precision_km, geometry, text"

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT INTO zones(" COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_AT] = "SELECT id FROM zones WHERE idx = ?1",
    [Q_CURRENT] = "SELECT " COLS " FROM zones WHERE id = ?1 ORDER BY version DESC LIMIT 1",
    [Q_ALL_CURRENT] = "SELECT " COLS " FROM zones z WHERE version = "
                      "(SELECT max(version) FROM zones WHERE id = z.id) ORDER BY id",
    [Q_VERSIONS] = "SELECT " COLS " FROM zones WHERE id = ?1 ORDER BY version",
    /* the bodies of the deal versions the member is a party of (their zones: read in C,
     * SQLite's json_each and PostgreSQL's JSON functions differ) */
    [Q_READER] = "SELECT v.body FROM deal_parties p JOIN deal_versions v ON v.deal = p.deal AND "
                 "v.version = p.version WHERE p.member = ?1",
    [Q_GEN] = "SELECT coalesce(max(idx) + 1, 0) FROM zones",
};
const wl_sq_family wl_sq_zones = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_ZONES, q);
}

/* "" is stored as NULL: a field the zone's type does not have. */
static void bind_opt(wl_st *st, int i, const char *v)
{
    if (v && v[0])
        wl_st_bind_text(st, i, v, -1);
}

wl_rc wl_store_zone_put(wl_store *s, const wl_store_zone *z)
{
    wl_st *st = stmt(s, Q_PUT);
    wl_st_bind_int64(st, 1, (int64_t)z->idx);
    wl_st_bind_int64(st, 2, (int64_t)z->version);
    wl_st_bind_text(st, 3, z->id, -1);
    wl_st_bind_text(st, 4, z->type, -1);
    bind_opt(st, 5, z->side);
    bind_opt(st, 6, z->measured_from);
    bind_opt(st, 7, z->category);
    wl_st_bind_int64(st, 8, (int64_t)z->precision_km);
    wl_st_bind_text(st, 9, z->geometry, -1);
    wl_st_bind_text(st, 10, z->text ? z->text : "", -1);
    return step_done(st);
}

wl_rc wl_store_zone_at(wl_store *s, uint64_t index, char **zone, wl_error *err)
{
    wl_st *st = stmt(s, Q_AT);
    wl_rc rc = WL_OK;
    int r;
    *zone = NULL;
    if (index > INT64_MAX)
        return WL_OK;
    wl_st_bind_int64(st, 1, (int64_t)index);
    if ((r = wl_st_step(st)) == WL_DB_ROW) {
        if ((*zone = col_dup(st, 0, NULL)) == NULL)
            rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory reading a zone");
    } else if (r != WL_DB_DONE) {
        rc = wl_error_set(err, map_rc(r), "storage", "reading the zone of an entry: %s",
                          wl_db_errstr(r));
    }
    wl_st_reset(st);
    return rc;
}

static wl_rc walk(wl_st *st, wl_store_zone_fn fn, void *ctx, int *n)
{
    wl_store_zone z;
    wl_rc rc = WL_OK;
    int q;
    while (rc == WL_OK && (q = wl_st_step(st)) == WL_DB_ROW) {
        memset(&z, 0, sizeof z);
        z.idx = (uint64_t)wl_st_col_int64(st, 0);
        z.version = (uint64_t)wl_st_col_int64(st, 1);
        col_str(st, 2, z.id, sizeof z.id);
        col_str(st, 3, z.type, sizeof z.type);
        col_str(st, 4, z.side, sizeof z.side);
        col_str(st, 5, z.measured_from, sizeof z.measured_from);
        col_str(st, 6, z.category, sizeof z.category);
        z.precision_km = (uint64_t)wl_st_col_int64(st, 7);
        z.geometry = (const char *)wl_st_col_text(st, 8);
        z.text = (const char *)wl_st_col_text(st, 9);
        if (z.geometry == NULL || z.text == NULL) {
            rc = WL_ERR_NOMEM;
            break;
        }
        (*n)++;
        rc = fn(ctx, &z);
    }
    if (rc == WL_OK && q != WL_DB_DONE)
        rc = map_rc(q);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_zones_current(wl_store *s, const char *id, wl_store_zone_fn fn, void *ctx)
{
    wl_st *st = stmt(s, id ? Q_CURRENT : Q_ALL_CURRENT);
    wl_rc rc;
    int n = 0;
    if (id)
        wl_st_bind_text(st, 1, id, -1);
    rc = walk(st, fn, ctx, &n);
    return rc == WL_OK && id && n == 0 ? WL_ERR_NOT_FOUND : rc;
}

wl_rc wl_store_zone_versions(wl_store *s, const char *id, wl_store_zone_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_VERSIONS);
    int n = 0;
    wl_st_bind_text(st, 1, id, -1);
    return walk(st, fn, ctx, &n);
}

/* 1 if the deal version's body (JSON) lists idx in its "zones"; -1 if it is not JSON. */
static int body_names_zone(const char *body, size_t len, uint64_t idx)
{
    json_t *root = json_loadb(body, len, 0, NULL), *zones, *z;
    size_t i;
    int found = 0;
    if (root == NULL)
        return -1;
    zones = json_object_get(root, "zones");
    json_array_foreach(zones, i, z)
    {
        if (json_is_integer(z) && json_integer_value(z) >= 0 &&
            (uint64_t)json_integer_value(z) == idx)
            found = 1;
    }
    json_decref(root);
    return found;
}

wl_rc wl_store_zone_deal_party(wl_store *s, const char *member, uint64_t idx, bool *yes)
{
    wl_st *st = stmt(s, Q_READER);
    int r, found = 0;
    *yes = false;
    if (idx > INT64_MAX)
        return WL_OK;
    wl_st_bind_text(st, 1, member, -1);
    while (!found && (r = wl_st_step(st)) == WL_DB_ROW)
        found = body_names_zone(wl_st_col_blob(st, 0), (size_t)wl_st_col_bytes(st, 0), idx);
    wl_st_reset(st);
    if (found < 0)
        return WL_ERR_CORRUPT; /* a stored body that is not JSON */
    *yes = found == 1;
    return found || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

wl_rc wl_store_zones_generation(wl_store *s, uint64_t *gen)
{
    wl_st *st = stmt(s, Q_GEN);
    int r = wl_st_step(st);
    *gen = r == WL_DB_ROW ? (uint64_t)wl_st_col_int64(st, 0) : 0;
    wl_st_reset(st);
    return r == WL_DB_ROW ? WL_OK : map_rc(r);
}
