/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sealed family of the store (store/store_sealed.h): sealed content
 * with its salt, readers, batch and, once published, its envelope's index
 * (table sealed, with its partial indexes on pledge and subject). Never served
 * publicly: the daemon decides who may read a record.
 */
#include "store/store_int.h"

enum {
    Q_SEALED_PUT,
    Q_SEALED_GET,
    Q_SEALED_DUE,
    Q_SEALED_DONE,
    Q_SEALED_OWNER,
    Q_SEALED_ABOUT,
    Q_SEALED_MINE,
    Q_SEALED_EACH,
    Q_SEALED_ALL,
    Q_SEALED_BY_ID,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_SEALED_PUT] = "INSERT INTO sealed(commitment, author, salt, content, readers, batch, "
                     "received, pledge, subject) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_SEALED_GET] = "SELECT author, salt, content, readers, batch, received, envelope, pledge, "
                     "subject FROM sealed WHERE commitment = ?1",
    [Q_SEALED_DUE] = "SELECT commitment FROM sealed WHERE envelope IS NULL AND batch <= ?1 "
                     "ORDER BY commitment",
    [Q_SEALED_DONE] = "UPDATE sealed SET envelope = ?2 WHERE commitment = ?1",
    /* the column holds every kind's sealed id (a flow's too): pledge_author checks the kind */
    [Q_SEALED_OWNER] = "SELECT author, content FROM sealed WHERE pledge = ?1",
    [Q_SEALED_ABOUT] = "SELECT commitment FROM sealed WHERE subject = ?1 ORDER BY rowid",
    [Q_SEALED_MINE] = "SELECT commitment FROM sealed WHERE (author = ?1 OR subject = ?1) AND "
                      "(rowid > (SELECT rowid FROM sealed WHERE commitment = ?2) OR ?2 IS NULL) "
                      "ORDER BY rowid",
    [Q_SEALED_EACH] = "SELECT rowid, author, content, received FROM sealed WHERE rowid > ?1 AND "
                      "(pledge IS NOT NULL OR subject IS NULL) ORDER BY rowid",
    [Q_SEALED_ALL] = "SELECT commitment FROM sealed ORDER BY rowid",
    [Q_SEALED_BY_ID] = "SELECT commitment FROM sealed WHERE pledge = ?1",
};
const wl_sq_family wl_sq_sealed = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_SEALED, q);
}

wl_rc wl_store_sealed_put(wl_store *s, const wl_sealed_rec *r)
{
    wl_st *st = stmt(s, Q_SEALED_PUT);
    wl_st_bind_blob(st, 1, r->commitment, 32);
    wl_st_bind_text(st, 2, r->author, -1);
    wl_st_bind_blob(st, 3, r->salt, 32);
    wl_st_bind_blob(st, 4, r->content, (int)r->content_len);
    wl_st_bind_text(st, 5, r->readers, -1);
    wl_st_bind_int64(st, 6, r->batch);
    wl_st_bind_int64(st, 7, r->received);
    if (r->pledge[0])
        wl_st_bind_text(st, 8, r->pledge, -1);
    if (r->subject[0])
        wl_st_bind_text(st, 9, r->subject, -1);
    return step_done(st);
}

wl_rc wl_store_sealed_get(wl_store *s, const uint8_t commitment[32], wl_sealed_rec *r)
{
    wl_st *st = stmt(s, Q_SEALED_GET);
    int rc;
    wl_rc ret = WL_OK;
    memset(r, 0, sizeof *r);
    wl_st_bind_blob(st, 1, commitment, 32);
    rc = wl_st_step(st);
    if (rc == WL_DB_ROW && wl_st_col_bytes(st, 1) == 32) {
        memcpy(r->commitment, commitment, 32);
        col_str(st, 0, r->author, sizeof r->author);
        memcpy(r->salt, wl_st_col_blob(st, 1), 32);
        r->content = col_dup(st, 2, &r->content_len);
        r->readers = col_dup(st, 3, NULL);
        r->batch = wl_st_col_int64(st, 4);
        r->received = wl_st_col_int64(st, 5);
        r->envelope = col_index(st, 6);
        col_str(st, 7, r->pledge, sizeof r->pledge);
        col_str(st, 8, r->subject, sizeof r->subject);
        if (r->content == NULL || r->readers == NULL)
            ret = WL_ERR_NOMEM;
    } else {
        ret = rc == WL_DB_DONE ? WL_ERR_NOT_FOUND : WL_ERR_CORRUPT;
    }
    wl_st_reset(st);
    if (ret != WL_OK) {
        wl_store_sealed_free(r);
        memset(r, 0, sizeof *r); /* no half-read record */
    }
    return ret;
}

void wl_store_sealed_free(wl_sealed_rec *r)
{
    wl_free(r->content);
    wl_free(r->readers);
    r->content = NULL;
    r->readers = NULL;
}

/* Reads a statement's rows of one 32-byte commitment each, up to max; *n is 0 on an error. */
static wl_rc read_commitments(wl_st *st, uint8_t (*out)[32], size_t max, size_t *n)
{
    int r;
    wl_rc rc;
    *n = 0;
    while ((r = wl_st_step(st)) == WL_DB_ROW && *n < max)
        if (wl_st_col_bytes(st, 0) == 32)
            memcpy(out[(*n)++], wl_st_col_blob(st, 0), 32);
    wl_st_reset(st);
    rc = r == WL_DB_DONE || r == WL_DB_ROW ? WL_OK : map_rc(r);
    if (rc != WL_OK && *n) {
        memset(out, 0, *n * sizeof *out);
        *n = 0;
    }
    return rc;
}

wl_rc wl_store_sealed_due(wl_store *s, int64_t batch, uint8_t (*out)[32], size_t max, size_t *n)
{
    wl_st *st = stmt(s, Q_SEALED_DUE);
    wl_st_bind_int64(st, 1, batch);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_published(wl_store *s, const uint8_t commitment[32], uint64_t envelope)
{
    wl_st *st = stmt(s, Q_SEALED_DONE);
    wl_st_bind_blob(st, 1, commitment, 32);
    wl_st_bind_int64(st, 2, (int64_t)envelope);
    return step_done(st);
}

wl_rc wl_store_sealed_by_id(wl_store *s, const char *id, wl_sealed_rec *r)
{
    wl_st *st = stmt(s, Q_SEALED_BY_ID);
    uint8_t c[32];
    size_t n = 0;
    wl_rc rc;
    memset(r, 0, sizeof *r);
    wl_st_bind_text(st, 1, id, -1);
    if ((rc = read_commitments(st, &c, 1, &n)) != WL_OK)
        return rc;
    return n == 0 ? WL_ERR_NOT_FOUND : wl_store_sealed_get(s, c, r);
}

/*
 * 1 if sealed content (n bytes at p) is a pledge's: its third line is its kind (header,
 * origin, kind: neither of the first two holds a newline). A line missing is read as
 * SQLite's instr() did (0: from the start).
 */
static int content_is_pledge(const char *p, size_t n)
{
    for (int line = 0; line < 2; line++) {
        const char *nl = p ? memchr(p, '\n', n) : NULL;
        if (nl) {
            n -= (size_t)(nl + 1 - p);
            p = nl + 1;
        }
    }
    return n >= 7 && memcmp(p, "pledge\n", 7) == 0;
}

wl_rc wl_store_pledge_author(wl_store *s, const char *pledge, char author[65])
{
    wl_st *st = stmt(s, Q_SEALED_OWNER);
    int rc;
    wl_rc ret = WL_OK;
    author[0] = '\0';
    wl_st_bind_text(st, 1, pledge, -1);
    rc = wl_st_step(st);
    if (rc == WL_DB_ROW && content_is_pledge(wl_st_col_blob(st, 1), (size_t)wl_st_col_bytes(st, 1)))
        col_str(st, 0, author, 65);
    else
        ret = no_row(rc == WL_DB_ROW ? WL_DB_DONE : rc);
    wl_st_reset(st);
    return ret;
}

wl_rc wl_store_sealed_about(wl_store *s, const char *member, uint8_t (*out)[32], size_t max,
                            size_t *n)
{
    wl_st *st = stmt(s, Q_SEALED_ABOUT);
    wl_st_bind_text(st, 1, member, -1);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_mine(wl_store *s, const char *member, const uint8_t *after,
                           uint8_t (*out)[32], size_t max, size_t *n)
{
    wl_st *st = stmt(s, Q_SEALED_MINE);
    wl_st_bind_text(st, 1, member, -1);
    if (after)
        wl_st_bind_blob(st, 2, after, 32);
    else
        wl_st_bind_null(st, 2);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_each(wl_store *s, int64_t after, wl_sealed_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_SEALED_EACH);
    int rc;
    wl_rc ret = WL_OK;
    wl_st_bind_int64(st, 1, after);
    while ((rc = wl_st_step(st)) == WL_DB_ROW) {
        char author[65];
        col_str(st, 1, author, sizeof author);
        ret = fn(ctx, wl_st_col_int64(st, 0), author, wl_st_col_blob(st, 2),
                 (size_t)wl_st_col_bytes(st, 2), wl_st_col_int64(st, 3));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != WL_DB_DONE)
        ret = map_rc(rc);
    wl_st_reset(st);
    return ret;
}

wl_rc wl_store_sealed_all(wl_store *s, uint8_t (*out)[32], size_t max, size_t *n)
{
    wl_st *st = stmt(s, Q_SEALED_ALL);
    return read_commitments(st, out, max, n);
}

wl_rc wl_store_sealed_scan(wl_store *s, wl_sealed_rec_fn fn, void *ctx)
{
    /* a private statement: fn may call back into the store */
    wl_st *st = NULL;
    wl_rc rc = WL_OK;
    int r;
    if (wl_st_prepare(s->db, sql[Q_SEALED_ALL], 0, &st) != WL_DB_OK)
        return map_rc(wl_db_errcode(s->db));
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        wl_sealed_rec rec;
        uint8_t c[32] = {0};
        if (wl_st_col_bytes(st, 0) == 32)
            memcpy(c, wl_st_col_blob(st, 0), 32);
        rc = wl_store_sealed_get(s, c, &rec);
        if (rc == WL_OK) {
            rc = fn(ctx, &rec);
            wl_store_sealed_free(&rec);
        } else if (rc == WL_ERR_NOT_FOUND) {
            rc = WL_ERR_CORRUPT; /* a commitment that is not 32 bytes */
        }
        if (rc != WL_OK)
            break;
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_finalize(st);
    return rc;
}
