/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log family of the store (store/store_log.h): entries with the
 * columns derived from their bytes (table entries), complete-subtree hashes
 * (hashes), full tiles (tiles), signed checkpoints (checkpoints) and which
 * sealed entries were announced, by which entry (announced). Reads by
 * query build their statement each time; the rest use the connection's cache.
 * docs/internals/store.md has the contract.
 */
#include "store/store_int.h"

enum {
    Q_SIZE,
    Q_APPEND,
    Q_ENTRY,
    Q_FIND_SEQ,
    Q_ENTRIES,
    Q_HASH_PUT,
    Q_HASH_GET,
    Q_HASH_RANGE,
    Q_TILE_PUT,
    Q_TILE_GET,
    Q_CP_PUT,
    Q_CP_LATEST,
    Q_CP_GET,
    Q_ANNOUNCED_PUT,
    Q_ANNOUNCED_GET,
    Q_CP_AFTER,
    Q_TILES_TOUCH,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_SIZE] = "SELECT coalesce(max(idx) + 1, 0) FROM entries",
    [Q_APPEND] = "INSERT INTO entries(idx, data, leaf, kind, author, seq, time) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_ENTRY] = "SELECT data, kind, author, seq, time, leaf FROM entries WHERE idx = ?1",
    [Q_FIND_SEQ] = "SELECT idx, data FROM entries WHERE author = ?1 AND seq = ?2",
    [Q_ENTRIES] = "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx",
    [Q_HASH_PUT] = "INSERT INTO hashes(level, idx, hash) VALUES(?1, ?2, ?3)",
    [Q_HASH_GET] = "SELECT hash FROM hashes WHERE level = ?1 AND idx = ?2",
    [Q_HASH_RANGE] = "SELECT idx, hash FROM hashes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 "
                     "ORDER BY idx",
    [Q_TILE_PUT] = "INSERT INTO tiles(id, data) VALUES(?1, ?2)",
    [Q_TILE_GET] = "SELECT data FROM tiles WHERE id = ?1",
    [Q_CP_PUT] = "INSERT INTO checkpoints(size, note, created) VALUES(?1, ?2, ?3) "
                 "ON CONFLICT(size) DO UPDATE SET note = ?2",
    [Q_CP_LATEST] = "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
    [Q_CP_GET] = "SELECT size, note FROM checkpoints WHERE size = ?1",
    [Q_ANNOUNCED_PUT] = "INSERT INTO announced(sealed, at) VALUES(?1, ?2)",
    [Q_ANNOUNCED_GET] = "SELECT at FROM announced WHERE sealed = ?1",
    [Q_CP_AFTER] = "SELECT size, note FROM checkpoints WHERE size > ?1 ORDER BY size LIMIT 1",
    [Q_TILES_TOUCH] = "SELECT id, data FROM tiles WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
};
const wl_sq_family wl_sq_log = {sql, Q_COUNT};

static wl_st *stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_LOG, q);
}

wl_rc wl_store_size(wl_store *s, uint64_t *size)
{
    wl_st *st;
    int r;
    wl_rc rc = WL_OK;
    if (s->tx.on && s->tx.size_known) {
        *size = s->tx.size; /* read once per write transaction, then kept by each append */
        return WL_OK;
    }
    st = stmt(s, Q_SIZE);
    r = wl_st_step(st);
    *size = 0;
    if (r == WL_DB_ROW)
        *size = (uint64_t)wl_st_col_int64(st, 0);
    else
        rc = map_rc(r == WL_DB_DONE ? WL_DB_CORRUPT : r);
    wl_st_reset(st);
    s->tx.size = *size;
    s->tx.size_known = rc == WL_OK && s->tx.on;
    return rc;
}

wl_rc wl_store_append(wl_store *s, const wl_stored_entry *e)
{
    wl_st *st = stmt(s, Q_APPEND);
    wl_rc rc;
    int next = s->tx.size_known && e->index == s->tx.size; /* the size kept: one more */
    wl_sq_seq *q = s->tx.on ? wl_sq_seq_slot(s, e->author, e->seq, 0) : NULL;
    if (q)
        q->present = 1; /* from now on asked of the engine */
    wl_st_bind_int64(st, 1, (int64_t)e->index);
    wl_st_bind_blob(st, 2, e->data, (int)e->len);
    wl_st_bind_blob(st, 3, e->leaf, 32);
    wl_st_bind_text(st, 4, e->kind, -1);
    wl_st_bind_text(st, 5, e->author, -1);
    wl_st_bind_int64(st, 6, (int64_t)e->seq);
    wl_st_bind_int64(st, 7, e->time);
    rc = step_later(st);
    s->tx.size_known = next && rc == WL_OK;
    s->tx.size += (uint64_t)s->tx.size_known;
    return rc;
}

/* One entry's row; each output optional (data: caller frees). */
static wl_rc entry_read(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                        char *author, uint64_t *seq, int64_t *time, uint8_t *leaf)
{
    wl_st *st = stmt(s, Q_ENTRY);
    int r;
    wl_rc rc = WL_OK;
    if (data) {
        *data = NULL;
        *len = 0;
    }
    if (kind)
        kind[0] = '\0';
    if (author)
        author[0] = '\0';
    if (seq)
        *seq = 0;
    if (time)
        *time = 0;
    if (leaf)
        memset(leaf, 0, 32); /* differs from any real leaf hash */
    if (index > INT64_MAX)
        return WL_ERR_NOT_FOUND;
    wl_st_bind_int64(st, 1, (int64_t)index);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        if (data && (*data = col_dup(st, 0, len)) == NULL)
            rc = WL_ERR_NOMEM;
        if (kind)
            col_str(st, 1, kind, 33);
        if (author)
            col_str(st, 2, author, 65);
        if (seq)
            *seq = (uint64_t)wl_st_col_int64(st, 3);
        if (time)
            *time = wl_st_col_int64(st, 4);
        if (leaf && wl_st_col_bytes(st, 5) == 32)
            memcpy(leaf, wl_st_col_blob(st, 5), 32);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_entry(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                     char *author, uint64_t *seq, int64_t *time)
{
    return entry_read(s, index, data, len, kind, author, seq, time, NULL);
}

wl_rc wl_store_entry_derived(wl_store *s, uint64_t index, uint8_t leaf[32], char kind[33],
                             char author[65], uint64_t *seq, int64_t *time)
{
    return entry_read(s, index, NULL, NULL, kind, author, seq, time, leaf);
}

#define SEQS_PER_READ 32 /* SQLite: pairs of one look-up statement, 64 parameters */

/* SQLite: marks present the pairs of authors/seqs[0..n) that the log holds. */
static wl_rc seqs_read(wl_store *s, const char *const *authors, const uint64_t *seqs, size_t n)
{
    char text[64 + SEQS_PER_READ * 48];
    size_t off;
    wl_st *st = NULL;
    int r;
    off = (size_t)snprintf(text, sizeof text, "SELECT author, seq FROM entries WHERE");
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%s(author = ?%zu AND seq = ?%zu)",
                                i ? " OR " : " ", 2 * i + 1, 2 * i + 2);
    if (wl_st_prepare(s->db, text, 0, &st) != WL_DB_OK)
        return WL_ERR_IO;
    for (size_t i = 0; i < n; i++) {
        wl_st_bind_text(st, (int)(2 * i + 1), authors[i], -1);
        wl_st_bind_int64(st, (int)(2 * i + 2), (int64_t)seqs[i]);
    }
    while ((r = wl_st_step(st)) == WL_DB_ROW)
        wl_sq_seq_mark(s, st);
    wl_st_finalize(st);
    return map_rc(r);
}

wl_rc wl_store_find_seq_many(wl_store *s, const char *const *authors, const uint64_t *seqs,
                             size_t n)
{
    size_t cap = 16;
    wl_rc rc = WL_OK;
    wl_sq_seqs_drop(s);
    if (!s->tx.on || n == 0)
        return WL_OK;
    while (cap < 2 * n)
        cap *= 2;
    if ((s->seqs = wl_calloc(cap, sizeof *s->seqs)) == NULL)
        return WL_ERR_NOMEM;
    s->seqs_cap = cap;
    for (size_t i = 0; i < n; i++) {
        wl_sq_seq *q = wl_sq_seq_slot(s, authors[i], seqs[i], 1);
        if (q && !q->used) {
            q->used = 1;
            q->seq = seqs[i];
            memcpy(q->author, authors[i], strlen(authors[i]) + 1);
            s->nseqs++;
        }
    }
    if (wl_db_engine(s->db) == WL_DB_POSTGRES)
        rc = wl_sq_seqs_read_pg(s, authors, seqs, n);
    for (size_t i = 0; wl_db_engine(s->db) != WL_DB_POSTGRES && rc == WL_OK && i < n;
         i += SEQS_PER_READ)
        rc = seqs_read(s, authors + i, seqs + i, n - i < SEQS_PER_READ ? n - i : SEQS_PER_READ);
    if (rc != WL_OK)
        wl_sq_seqs_drop(s);
    return rc;
}

wl_rc wl_store_find_seq(wl_store *s, const char *author, uint64_t seq, uint64_t *index, char **data,
                        size_t *len)
{
    wl_st *st;
    int r;
    wl_rc rc = WL_OK;
    wl_sq_seq *q = s->tx.on ? wl_sq_seq_slot(s, author, seq, 0) : NULL;
    *index = 0;
    *data = NULL;
    *len = 0;
    if (q && !q->present)
        return WL_ERR_NOT_FOUND; /* looked up at the round's start, not appended since */
    st = stmt(s, Q_FIND_SEQ);
    wl_st_bind_text(st, 1, author, -1);
    wl_st_bind_int64(st, 2, (int64_t)seq);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        *index = (uint64_t)wl_st_col_int64(st, 0);
        *data = col_dup(st, 1, len);
        if (*data == NULL)
            rc = WL_ERR_NOMEM;
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_entries(wl_store *s, uint64_t from, uint64_t to, wl_entry_fn fn, void *ctx)
{
    /* a private statement: fn may call back into the store */
    wl_st *st = NULL;
    uint64_t want = from;
    wl_rc rc = WL_OK;
    int r;
    if (wl_st_prepare(s->db, sql[Q_ENTRIES], 0, &st) != WL_DB_OK)
        return WL_ERR_IO;
    wl_st_bind_int64(st, 1, (int64_t)from);
    wl_st_bind_int64(st, 2, (int64_t)to);
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        uint64_t idx = (uint64_t)wl_st_col_int64(st, 0);
        if (idx != want) {
            rc = WL_ERR_CORRUPT; /* a hole in the log */
            break;
        }
        want++;
        rc = fn(ctx, idx, wl_st_col_blob(st, 1), (size_t)wl_st_col_bytes(st, 1));
        if (rc != WL_OK)
            break;
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    if (rc == WL_OK && want != to)
        rc = WL_ERR_NOT_FOUND;
    wl_st_finalize(st);
    return rc;
}

wl_entry_query wl_entry_query_all(void)
{
    wl_entry_query q;
    memset(&q, 0, sizeof q);
    q.to = UINT64_MAX;
    q.until = INT64_MAX;
    q.limit = 1000;
    return q;
}

wl_rc wl_store_entries_query(wl_store *s, const wl_entry_query *q, wl_entry_fn fn, void *ctx)
{
    char text[512];
    size_t nk = 0, off;
    wl_st *st = NULL;
    int rc, arg = 5;
    wl_rc ret = WL_OK;
    off = (size_t)snprintf(text, sizeof text,
                           "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 AND "
                           "time >= ?3 AND time < ?4");
    while (nk < 4 && q->kinds[nk])
        nk++;
    for (size_t i = 0; i < nk; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%s?%d", i ? ", " : " AND kind IN (",
                                arg + (int)i);
    if (nk)
        off += (size_t)snprintf(text + off, sizeof text - off, ")");
    if (q->author)
        off += (size_t)snprintf(text + off, sizeof text - off, " AND author = ?%d", arg + (int)nk);
    off += (size_t)snprintf(text + off, sizeof text - off, " ORDER BY idx %s",
                            q->newest_first ? "DESC" : "ASC");
    if (q->limit) /* 0: no limit */
        snprintf(text + off, sizeof text - off, " LIMIT %zu", q->limit);
    if (wl_st_prepare(s->db, text, 0, &st) != WL_DB_OK)
        return WL_ERR_IO;
    wl_st_bind_int64(st, 1, (int64_t)(q->from > INT64_MAX ? INT64_MAX : q->from));
    wl_st_bind_int64(st, 2, (int64_t)(q->to > INT64_MAX ? INT64_MAX : q->to));
    wl_st_bind_int64(st, 3, q->since);
    wl_st_bind_int64(st, 4, q->until);
    for (size_t i = 0; i < nk; i++)
        wl_st_bind_text(st, arg + (int)i, q->kinds[i], -1);
    if (q->author)
        wl_st_bind_text(st, arg + (int)nk, q->author, -1);
    while ((rc = wl_st_step(st)) == WL_DB_ROW) {
        ret = fn(ctx, (uint64_t)wl_st_col_int64(st, 0), wl_st_col_blob(st, 1),
                 (size_t)wl_st_col_bytes(st, 1));
        if (ret != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != WL_DB_DONE)
        ret = map_rc(rc);
    wl_st_finalize(st);
    return ret;
}

wl_rc wl_store_entries_of_kind(wl_store *s, const char *kind, uint64_t from, wl_entry_fn fn,
                               void *ctx)
{
    wl_entry_query q = wl_entry_query_all();
    q.kinds[0] = kind;
    q.from = from;
    q.limit = 0;
    return wl_store_entries_query(s, &q, fn, ctx);
}

/*
 * Level's hash idx as the right edge kept: the last put (or read) at that level of each
 * parity, so that a right child's put leaves its left sibling there.
 */
static void edge_keep(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32])
{
    unsigned e = level * 2 + (unsigned)(idx & 1);
    if (!s->tx.on || level >= 64)
        return;
    s->tx.edge_set[idx & 1] |= 1ull << level;
    s->tx.edge_idx[e] = idx;
    memcpy(s->tx.edge[e], h, 32);
}

wl_rc wl_store_hash_put(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32])
{
    wl_st *st;
    wl_rc rc;
    if (s->tx.on && wl_db_engine(s->db) == WL_DB_POSTGRES) {
        if ((rc = wl_sq_hash_hold(s, level, idx, h)) == WL_OK)
            edge_keep(s, level, idx, h);
        else if (level < 64)
            s->tx.edge_set[idx & 1] &= ~(1ull << level);
        return rc;
    }
    st = stmt(s, Q_HASH_PUT);
    wl_st_bind_int(st, 1, (int)level);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    wl_st_bind_blob(st, 3, h, 32);
    if ((rc = step_later(st)) == WL_OK)
        edge_keep(s, level, idx, h);
    else if (level < 64)
        s->tx.edge_set[idx & 1] &= ~(1ull << level);
    return rc;
}

wl_rc wl_store_hash_get(wl_store *s, unsigned level, uint64_t idx, uint8_t h[32])
{
    wl_st *st;
    int r;
    wl_rc rc = WL_OK;
    if (s->tx.on && level < 64 && (s->tx.edge_set[idx & 1] >> level & 1) &&
        s->tx.edge_idx[level * 2 + (idx & 1)] == idx) {
        memcpy(h, s->tx.edge[level * 2 + (idx & 1)], 32); /* a left sibling, put just before */
        return WL_OK;
    }
    if ((rc = wl_sq_hashes_flush(s)) != WL_OK)
        return rc;
    st = stmt(s, Q_HASH_GET);
    memset(h, 0, 32);
    wl_st_bind_int(st, 1, (int)level);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        if (wl_st_col_bytes(st, 0) != 32)
            rc = WL_ERR_CORRUPT;
        else
            memcpy(h, wl_st_col_blob(st, 0), 32);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    if (rc == WL_OK)
        edge_keep(s, level, idx, h);
    return rc;
}

wl_rc wl_store_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32])
{
    return wl_store_hash_get(ctx, level, idx, out);
}

wl_rc wl_store_hash_range(wl_store *s, unsigned level, uint64_t idx, size_t count, uint8_t *out)
{
    wl_st *st;
    size_t got = 0;
    int r;
    wl_rc rc = wl_sq_hashes_flush(s);
    if (count)
        memset(out, 0, 32 * count);
    if (rc != WL_OK)
        return rc;
    st = stmt(s, Q_HASH_RANGE);
    wl_st_bind_int(st, 1, (int)level);
    wl_st_bind_int64(st, 2, (int64_t)idx);
    wl_st_bind_int64(st, 3, (int64_t)(idx + count));
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        if ((uint64_t)wl_st_col_int64(st, 0) != idx + got || wl_st_col_bytes(st, 1) != 32) {
            rc = WL_ERR_CORRUPT;
            break;
        }
        memcpy(out + 32 * got, wl_st_col_blob(st, 1), 32);
        got++;
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    if (rc == WL_OK && got != count)
        rc = WL_ERR_NOT_FOUND;
    wl_st_reset(st);
    if (rc != WL_OK && got)
        memset(out, 0, 32 * got); /* no partial range */
    return rc;
}

/* full tiles: id = tile level << 56 | index */
static int64_t tile_id(unsigned tlevel, uint64_t idx)
{
    return (int64_t)((uint64_t)tlevel << 56 | idx);
}

wl_rc wl_store_tile_put(wl_store *s, unsigned tlevel, uint64_t idx,
                        const uint8_t data[WL_TILE_BLOB_BYTES])
{
    wl_st *st = stmt(s, Q_TILE_PUT);
    if (tlevel > 63 || idx >= (1ull << 56))
        return WL_ERR_INVALID;
    wl_st_bind_int64(st, 1, tile_id(tlevel, idx));
    wl_st_bind_blob(st, 2, data, WL_TILE_BLOB_BYTES);
    return step_later(st);
}

wl_rc wl_store_tile_get(wl_store *s, unsigned tlevel, uint64_t idx,
                        uint8_t data[WL_TILE_BLOB_BYTES])
{
    wl_st *st = stmt(s, Q_TILE_GET);
    int r;
    wl_rc rc = WL_OK;
    memset(data, 0, WL_TILE_BLOB_BYTES);
    if (tlevel > 63 || idx >= (1ull << 56))
        return WL_ERR_NOT_FOUND;
    wl_st_bind_int64(st, 1, tile_id(tlevel, idx));
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        if (wl_st_col_bytes(st, 0) != (int)WL_TILE_BLOB_BYTES)
            rc = WL_ERR_CORRUPT;
        else
            memcpy(data, wl_st_col_blob(st, 0), WL_TILE_BLOB_BYTES);
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_tile_read(wl_store *s, unsigned tlevel, uint64_t idx, size_t offset, size_t len,
                         uint8_t *out)
{
    size_t total = 0;
    int r;
    wl_rc ret;
    if (len)
        memset(out, 0, len);
    if (tlevel > 63 || idx >= (1ull << 56) || offset + len > WL_TILE_BLOB_BYTES)
        return WL_ERR_NOT_FOUND;
    /* only the slice is read (SQLite: incremental blob I/O on a handle kept in a transaction) */
    r = wl_db_cell_read(s->db, "tiles", "data", "id", tile_id(tlevel, idx), offset, len, out,
                        &total);
    if (r == WL_DB_DONE)
        ret = WL_ERR_NOT_FOUND; /* no such row: the tile is not full yet */
    else if (r == WL_DB_OK || r == WL_DB_MISUSE)
        ret = total != WL_TILE_BLOB_BYTES ? WL_ERR_CORRUPT
              : r == WL_DB_OK             ? WL_OK
                                          : WL_ERR_INTERNAL;
    else
        ret = map_rc(r);
    if (ret != WL_OK && len)
        memset(out, 0, len);
    return ret;
}

wl_rc wl_store_tiles_touch(wl_store *s, uint64_t *below, size_t max, size_t *n, uint64_t *bytes)
{
    wl_st *st = stmt(s, Q_TILES_TOUCH);
    int r;
    *n = 0;
    wl_st_bind_int64(st, 1, *below > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)*below);
    wl_st_bind_int64(st, 2, (int64_t)max);
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        *below = (uint64_t)wl_st_col_int64(st, 0);
        *bytes += (uint64_t)wl_st_col_bytes(st, 1); /* the blob read in full */
        (*n)++;
    }
    wl_st_reset(st);
    return r == WL_DB_DONE ? WL_OK : map_rc(r);
}

wl_rc wl_store_checkpoint_put(wl_store *s, uint64_t size, const char *note, size_t len,
                              int64_t created)
{
    wl_st *st = stmt(s, Q_CP_PUT);
    wl_st_bind_int64(st, 1, (int64_t)size);
    wl_st_bind_blob(st, 2, note, (int)len);
    wl_st_bind_int64(st, 3, created);
    return step_done(st);
}

static wl_rc cp_read(wl_st *st, uint64_t *size, char **note, size_t *len)
{
    int r = wl_st_step(st);
    wl_rc rc = WL_OK;
    *note = NULL;
    *len = 0;
    if (r == WL_DB_ROW) {
        if (size)
            *size = (uint64_t)wl_st_col_int64(st, 0);
        *note = col_dup(st, 1, len);
        if (*note == NULL)
            rc = WL_ERR_NOMEM;
    } else {
        rc = no_row(r);
    }
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_checkpoint_latest(wl_store *s, uint64_t *size, char **note, size_t *len)
{
    *size = 0;
    return cp_read(stmt(s, Q_CP_LATEST), size, note, len);
}

wl_rc wl_store_checkpoint_get(wl_store *s, uint64_t size, char **note, size_t *len)
{
    wl_st *st = stmt(s, Q_CP_GET);
    wl_st_bind_int64(st, 1, (int64_t)size);
    return cp_read(st, NULL, note, len);
}

wl_rc wl_store_announced_put(wl_store *s, uint64_t sealed, uint64_t at)
{
    wl_st *st = stmt(s, Q_ANNOUNCED_PUT);
    wl_st_bind_int64(st, 1, (int64_t)sealed);
    wl_st_bind_int64(st, 2, (int64_t)at);
    return step_done(st);
}

wl_rc wl_store_announced_get(wl_store *s, uint64_t sealed, uint64_t *at)
{
    wl_st *st = stmt(s, Q_ANNOUNCED_GET);
    int r;
    wl_rc rc = WL_OK;
    *at = UINT64_MAX;
    wl_st_bind_int64(st, 1, (int64_t)sealed);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        *at = (uint64_t)wl_st_col_int64(st, 0);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

wl_rc wl_store_checkpoint_after(wl_store *s, uint64_t after, uint64_t *size, char **note,
                                size_t *len)
{
    wl_st *st = stmt(s, Q_CP_AFTER);
    *size = 0;
    wl_st_bind_int64(st, 1, (int64_t)after);
    return cp_read(st, size, note, len);
}
