/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The blobs family of the store (store/store_blobs.h): documents by the
 * SHA-256 of their bytes (table blobs), every member that uploaded them
 * (blob_uploaders), the members entries name as their readers (blob_refs) and
 * the entries that make them public (blob_public). A
 * grant may come before its blob, so neither grant table refers to blobs.
 * docs/internals/store.md, docs/internals/deal.md ("Blobs").
 */
#include "store/store_int.h"

enum { Q_PUT, Q_UPLOADER, Q_META, Q_READ, Q_ROWID, Q_MAY, Q_REF, Q_PUBLISH, Q_SLICE, Q_COUNT };
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_PUT] = "INSERT OR IGNORE INTO blobs(hash, size, media, public, uploader, added, bytes) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* every member that uploaded the bytes holds them: blobs.uploader is only the first */
    [Q_UPLOADER] = "INSERT OR IGNORE INTO blob_uploaders(hash, member) VALUES(?1, ?2)",
    /* the bytes are the last column: reading the others never reads their pages */
    [Q_META] = "SELECT size, media, public <> 0 OR EXISTS(SELECT 1 FROM blob_public p WHERE "
               "p.hash = ?1), uploader, added FROM blobs WHERE hash = ?1",
    [Q_READ] = "SELECT bytes FROM blobs WHERE hash = ?1",
    /* SQLite: the rowid, for incremental blob I/O; PostgreSQL has no rowid, and reads Q_SLICE */
    [Q_ROWID] = "SELECT rowid, size FROM blobs WHERE hash = ?1",
    /* PostgreSQL's substr takes integers, not the bigints bound */
    [Q_SLICE] = "SELECT size, substr(bytes, CAST(?2 AS INTEGER), CAST(?3 AS INTEGER)) FROM blobs "
                "WHERE hash = ?1",
    [Q_MAY] =
        "SELECT public <> 0 OR uploader = ?2 OR EXISTS(SELECT 1 FROM blob_public p WHERE p.hash "
        "= ?1) OR EXISTS(SELECT 1 FROM blob_refs r WHERE r.hash = ?1 AND r.member = ?2) "
        "OR EXISTS(SELECT 1 FROM blob_uploaders u WHERE u.hash = ?1 AND u.member = ?2) "
        "FROM blobs WHERE hash = ?1",
    [Q_REF] = "INSERT OR IGNORE INTO blob_refs(hash, member, idx) VALUES(?1, ?2, ?3)",
    [Q_PUBLISH] = "INSERT OR IGNORE INTO blob_public(hash, idx) VALUES(?1, ?2)",
};
const wl_sq_family wl_sq_blobs = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_BLOBS, q);
}

static wl_rc storage(wl_store *s, wl_rc rc, wl_error *err, const char *what)
{
    return wl_error_set(err, rc, "storage", "%s: %s", what, wl_db_errmsg(s->db));
}

wl_rc wl_store_blob_put(wl_store *s, const uint8_t hash[32], const void *bytes, size_t n,
                        const char *media, bool public_, const char *uploader, int64_t added,
                        bool *created, wl_error *err)
{
    wl_st *st;
    wl_rc rc;
    *created = false;
    if (strlen(media) > WL_BLOB_MEDIA_MAX || strlen(uploader) > WL_MEMBER_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "bad_media",
                            "a blob's media type is at most %u bytes", WL_BLOB_MEDIA_MAX);
    if (n > (size_t)INT32_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large", "a blob of %zu bytes", n);
    st = stmt(s, Q_PUT);
    wl_st_bind_blob(st, 1, hash, 32);
    wl_st_bind_int64(st, 2, (int64_t)n);
    wl_st_bind_text(st, 3, media, -1);
    wl_st_bind_int(st, 4, public_ ? 1 : 0);
    wl_st_bind_text(st, 5, uploader, -1);
    wl_st_bind_int64(st, 6, (int64_t)added);
    /* zero bytes are an empty blob, never NULL */
    wl_st_bind_blob(st, 7, n ? bytes : "", (int)n);
    if ((rc = step_done(st)) != WL_OK)
        return storage(s, rc, err, "storing a blob");
    *created = wl_db_changes(s->db) == 1;
    st = stmt(s, Q_UPLOADER);
    wl_st_bind_blob(st, 1, hash, 32);
    wl_st_bind_text(st, 2, uploader, -1);
    if ((rc = step_done(st)) != WL_OK)
        return storage(s, rc, err, "recording a blob's uploader");
    return WL_OK;
}

wl_rc wl_store_blob_meta(wl_store *s, const uint8_t hash[32], wl_blob_meta *out, wl_error *err)
{
    wl_st *st = stmt(s, Q_META);
    wl_rc rc = WL_OK;
    int r;
    memset(out, 0, sizeof *out);
    wl_st_bind_blob(st, 1, hash, 32);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        out->exists = true;
        out->size = (uint64_t)wl_st_col_int64(st, 0);
        col_str(st, 1, out->media, sizeof out->media);
        out->public_ = wl_st_col_int(st, 2) != 0;
        col_str(st, 3, out->uploader, sizeof out->uploader);
        out->added = wl_st_col_int64(st, 4);
    } else if (r != WL_DB_DONE) {
        rc = storage(s, map_rc(r), err, "reading a blob's metadata");
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_blob_read(wl_store *s, const uint8_t hash[32], void **bytes, size_t *n,
                         wl_error *err)
{
    wl_st *st = stmt(s, Q_READ);
    wl_rc rc = WL_OK;
    int r;
    *bytes = NULL;
    *n = 0;
    wl_st_bind_blob(st, 1, hash, 32);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        size_t len = 0;
        char *d = col_dup(st, 0, &len);
        if (d == NULL) {
            rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "reading a blob");
        } else {
            *bytes = d;
            *n = len;
        }
    } else if (r == WL_DB_DONE) {
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_blob", "no such blob");
    } else {
        rc = storage(s, map_rc(r), err, "reading a blob");
    }
    wl_st_reset(st);
    return rc;
}

/*
 * A slice read by itself (SQLite: incremental blob I/O by the row's rowid,
 * only the pages that hold it; PostgreSQL: substring). A blob never changes
 * once stored, so slices read apart agree.
 */
/* PostgreSQL's slice: one statement, the bytes cut by the server. */
static wl_rc slice_pg(wl_store *s, const uint8_t hash[32], uint64_t offset, void *buf, size_t n,
                      wl_error *err)
{
    wl_st *st = stmt(s, Q_SLICE);
    wl_rc rc = WL_OK;
    int r;
    if (offset >= INT32_MAX || n > (size_t)INT32_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "bad_range", "a slice past the blob's end");
    wl_st_bind_blob(st, 1, hash, 32);
    wl_st_bind_int64(st, 2, (int64_t)offset + 1);
    wl_st_bind_int64(st, 3, (int64_t)n);
    r = wl_st_step(st);
    if (r == WL_DB_DONE)
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_blob", "no such blob");
    else if (r != WL_DB_ROW)
        rc = storage(s, map_rc(r), err, "reading a blob's slice");
    else if (offset > (uint64_t)wl_st_col_int64(st, 0) ||
             n > (uint64_t)wl_st_col_int64(st, 0) - offset)
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_range", "a slice past the blob's end");
    else if ((size_t)wl_st_col_bytes(st, 1) != n)
        rc = storage(s, WL_ERR_CORRUPT, err, "reading a blob's slice");
    else if (n)
        memcpy(buf, wl_st_col_blob(st, 1), n);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_blob_read_at(wl_store *s, const uint8_t hash[32], uint64_t offset, void *buf,
                            size_t n, wl_error *err)
{
    wl_st *st;
    int64_t rowid = 0;
    uint64_t size = 0;
    wl_rc rc = WL_OK;
    int r;
    if (wl_db_engine(s->db) == WL_DB_POSTGRES)
        return slice_pg(s, hash, offset, buf, n, err);
    st = stmt(s, Q_ROWID);
    wl_st_bind_blob(st, 1, hash, 32);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        rowid = wl_st_col_int64(st, 0);
        size = (uint64_t)wl_st_col_int64(st, 1);
    }
    wl_st_reset(st);
    if (r == WL_DB_DONE)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_blob", "no such blob");
    if (r != WL_DB_ROW)
        return storage(s, map_rc(r), err, "reading a blob");
    if (offset > size || n > size - offset || n > (size_t)INT32_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "bad_range", "a slice past the blob's end");
    if (n == 0)
        return WL_OK;
    r = wl_db_cell_read(s->db, "blobs", "bytes", "rowid", rowid, (size_t)offset, n, buf, NULL);
    if (r == WL_DB_DONE)
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_blob", "no such blob");
    else if (r != WL_DB_OK)
        rc = storage(s, map_rc(r), err, "reading a blob's slice");
    return rc;
}

wl_rc wl_store_blob_may_read(wl_store *s, const uint8_t hash[32], const char *member, bool *may,
                             wl_error *err)
{
    wl_st *st = stmt(s, Q_MAY);
    wl_rc rc = WL_OK;
    int r;
    *may = false;
    wl_st_bind_blob(st, 1, hash, 32);
    if (member) /* NULL binds NULL: no uploader or reader equals it */
        wl_st_bind_text(st, 2, member, -1);
    r = wl_st_step(st);
    if (r == WL_DB_ROW)
        *may = wl_st_col_int(st, 0) != 0;
    else if (r != WL_DB_DONE)
        rc = storage(s, map_rc(r), err, "reading a blob's readers");
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_blob_ref(wl_store *s, const uint8_t hash[32], const char *member, uint64_t index,
                        wl_error *err)
{
    wl_st *st = stmt(s, Q_REF);
    wl_rc rc;
    wl_st_bind_blob(st, 1, hash, 32);
    wl_st_bind_text(st, 2, member, -1);
    wl_st_bind_int64(st, 3, (int64_t)index);
    if ((rc = step_done(st)) != WL_OK)
        return storage(s, rc, err, "naming a blob's reader");
    return WL_OK;
}

wl_rc wl_store_blob_publish(wl_store *s, const uint8_t hash[32], uint64_t index, wl_error *err)
{
    wl_st *st = stmt(s, Q_PUBLISH);
    wl_rc rc;
    wl_st_bind_blob(st, 1, hash, 32);
    wl_st_bind_int64(st, 2, (int64_t)index);
    if ((rc = step_done(st)) != WL_OK)
        return storage(s, rc, err, "making a blob public");
    return WL_OK;
}
