/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The witness family of the store (store/store_witness.h): for
 * `willing witness`, the latest checkpoint it cosigned per origin (table
 * witness).
 */
#include "store/store_int.h"

enum { Q_WIT_GET, Q_WIT_SET, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_WIT_GET] = "SELECT size, root FROM witness WHERE origin = ?1",
    [Q_WIT_SET] = "INSERT INTO witness(origin, size, root, note) VALUES(?1, ?2, ?3, ?4) "
                  "ON CONFLICT(origin) DO UPDATE SET size = ?2, root = ?3, note = ?4",
};
const wl_sq_family wl_sq_witness = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_WITNESS, q);
}

wl_rc wl_store_witness_get(wl_store *s, const char *origin, uint64_t *size, uint8_t root[32])
{
    wl_st *st = stmt(s, Q_WIT_GET);
    int r;
    wl_rc rc = WL_OK;
    *size = 0;
    memset(root, 0, 32);
    wl_st_bind_text(st, 1, origin, -1);
    r = wl_st_step(st);
    if (r == WL_DB_ROW && wl_st_col_bytes(st, 1) == 32) {
        *size = (uint64_t)wl_st_col_int64(st, 0);
        memcpy(root, wl_st_col_blob(st, 1), 32);
    } else {
        rc = r == WL_DB_DONE ? WL_ERR_NOT_FOUND : WL_ERR_CORRUPT;
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_witness_set(wl_store *s, const char *origin, uint64_t size, const uint8_t root[32],
                           const char *note, size_t len)
{
    wl_st *st = stmt(s, Q_WIT_SET);
    wl_st_bind_text(st, 1, origin, -1);
    wl_st_bind_int64(st, 2, (int64_t)size);
    wl_st_bind_blob(st, 3, root, 32);
    wl_st_bind_blob(st, 4, note, (int)len);
    return step_done(st);
}
