/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The session family of the store (store/store_session.h): console
 * sessions (table sessions, keyed by the SHA-256 of the cookie's value) and
 * the nonces of signed requests (nonces), each forgotten once expired.
 */
#include "store/store_int.h"

enum { Q_SESSION_PUT, Q_SESSION_GET, Q_SESSION_DEL, Q_NONCE_PUT, Q_NONCE_PURGE, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_SESSION_PUT] = "INSERT INTO sessions(token, member, key_id, csrf, expires) "
                      "VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_SESSION_GET] = "SELECT member, key_id, csrf, expires FROM sessions WHERE token = ?1",
    [Q_SESSION_DEL] = "DELETE FROM sessions WHERE token = ?1 OR expires < ?2",
    [Q_NONCE_PUT] = "INSERT INTO nonces(nonce, expires) VALUES(?1, ?2)",
    [Q_NONCE_PURGE] = "DELETE FROM nonces WHERE expires < ?1",
};
const wl_sq_family wl_sq_session = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_SESSION, q);
}

wl_rc wl_store_session_put(wl_store *s, const uint8_t token[32], const char *member,
                           uint32_t key_id, const char *csrf, int64_t expires)
{
    wl_st *st = stmt(s, Q_SESSION_PUT);
    wl_st_bind_blob(st, 1, token, 32);
    wl_st_bind_text(st, 2, member, -1);
    wl_st_bind_int64(st, 3, key_id);
    wl_st_bind_text(st, 4, csrf, -1);
    wl_st_bind_int64(st, 5, expires);
    return step_done(st);
}

wl_rc wl_store_session_get(wl_store *s, const uint8_t token[32], char member[65], uint32_t *key_id,
                           char csrf[65], int64_t *expires)
{
    wl_st *st = stmt(s, Q_SESSION_GET);
    int r;
    wl_rc rc = WL_OK;
    member[0] = '\0';
    *key_id = 0;
    csrf[0] = '\0';
    *expires = 0;
    wl_st_bind_blob(st, 1, token, 32);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        col_str(st, 0, member, 65);
        *key_id = (uint32_t)wl_st_col_int64(st, 1);
        col_str(st, 2, csrf, 65);
        *expires = wl_st_col_int64(st, 3);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_session_delete(wl_store *s, const uint8_t token[32], int64_t now)
{
    wl_st *st = stmt(s, Q_SESSION_DEL);
    wl_st_bind_blob(st, 1, token, 32);
    wl_st_bind_int64(st, 2, now);
    return step_done(st);
}

wl_rc wl_store_nonce_use(wl_store *s, const char *nonce, int64_t expires, int64_t now)
{
    wl_st *st = stmt(s, Q_NONCE_PURGE);
    wl_rc rc;
    wl_st_bind_int64(st, 1, now);
    if ((rc = step_done(st)) != WL_OK)
        return rc;
    st = stmt(s, Q_NONCE_PUT);
    wl_st_bind_text(st, 1, nonce, -1);
    wl_st_bind_int64(st, 2, expires);
    return step_done(st); /* WL_ERR_CONFLICT: seen before */
}
