/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_store_copy (store/store.h), for `willing migrate`: every table of the
 * schema copied row by row from one store to another, whatever their engines
 * (db.h), then checked. The tables are listed once, below, with the key each
 * is read in order of: its INTEGER PRIMARY KEY, the primary key of a table
 * WITHOUT ROWID, or the rowid of the others (SQLite's insertion order, which
 * some readers rely on: ORDER BY rowid; db_pg.c keeps it in a column of that
 * name), so the copy inserts every table in its source's order and the target
 * numbers its own rowids in the same order. test_copy.c checks this list
 * against the schema, so a new table cannot be forgotten.
 *
 * A table is read in pages (WHERE key > the last key read ORDER BY key
 * LIMIT n: an engine that reads a whole answer at once, db_pg.c, never holds
 * more than a page), the page's rows written in one transaction of the
 * target, by a multi-row INSERT prepared once per table, every column bound
 * as the type the source gave (integer, real, text, bytes, NULL). The source
 * is read in one read transaction: the copy is of one moment. meta comes
 * last, so a copy cut short has no origin and opens as no log.
 * docs/internals/store.md, "Copying a ledger".
 */
#include <stdlib.h>

#include "store/store_int.h"
#include "willing/merkle.h"
#include "willing/note.h"

/* The schema's tables, each with the key it is read in order of. */
static const struct {
    const char *name, *key;
} tables[] = {
    {"entries", "idx"},
    {"hashes", "level, idx"},
    {"tiles", "id"},
    {"checkpoints", "size"},
    {"announced", "sealed"},
    {"members", "rowid"},
    {"keys", "rowid"},
    {"sealed", "rowid"},
    {"sessions", "rowid"},
    {"nonces", "rowid"},
    {"requirements", "rowid"},
    {"facts", "rowid"},
    {"pledges_announced", "rowid"},
    {"pledges_retired", "rowid"},
    {"flows", "rowid"},
    {"flow_answers", "rowid"},
    {"instruments", "rowid"},
    {"instrument_drawn", "instrument"},
    {"rates", "rowid"},
    {"deals", "rowid"},
    {"deal_versions", "rowid"},
    {"deal_parties", "rowid"},
    {"deal_notices", "rowid"},
    {"witness", "rowid"},
    {"refs", "idx, row"},
    {"zones", "idx"},
    {"blobs", "rowid"},
    {"blob_uploaders", "hash, member"},
    {"blob_refs", "hash, member, idx"},
    {"blob_public", "hash"},
    {"reports", "idx"},
    {"report_logged", "idx"},
    {"report_overrides", "idx"},
    {"history", "idx, row"},
    {"designations", "source, subject"},
    {"pressure_decisions", "a_list, a_subject, b_list, b_subject"},
    {"pressure_snapshots", "idx"},
    /* the flows views' tables (store_flows_totals.c) */
    {"flow_live", "rowid"},
    {"flow_sums", "g, author, key, sealed, stage, money, measure"},
    {"flow_isums", "instrument, author, sealed, stage, measure"},
    {"flow_first", "pledge"},
    {"flow_rfirst", "reader, pledge"},
    {"flow_ctargets", "cto"},
    {"flow_csums", "g, author, key, sealed, stage, cto"},
    {"flow_days", "author, sealed, currency, day"},
    /* last: a copy cut short has no origin */
    {"meta", "rowid"},
};
#define NTABLES (sizeof tables / sizeof tables[0])

#define KEYS_MAX 8
#define PAGE_ROWS 4096         /* rows of one page, one transaction of the target */
#define PAGE_BYTES (16u << 20) /* about the bytes of one page, whatever its rows */
#define INSERT_PARAMS 999      /* parameters of one multi-row INSERT, at most */
#define INSERT_ROWS 64         /* rows of one multi-row INSERT, at most */

const char *wl_store_copy_table(size_t i, const char **key)
{
    if (i >= NTABLES)
        return NULL;
    if (key)
        *key = tables[i].key;
    return tables[i].name;
}

/* What one table's copy holds: its statements and the last key read. */
typedef struct {
    wl_store *from, *to;
    size_t t;                  /* the table, in tables[] */
    wl_buf cols;               /* its columns, "a, b, c" */
    int ncols, nkeys, per;     /* per: rows of the multi-row INSERT */
    wl_st *first, *next;       /* a page: the first, those after the last key */
    wl_st *ins_many, *ins_one; /* INSERT of per rows, of one */
    struct {
        int type;
        int64_t i;
        double d;
        wl_buf b;
    } key[KEYS_MAX];
    char *why;
    size_t cap;
} table_copy;

static void say(char *why, size_t cap, const char *fmt, const char *a, const char *b)
{
    if (why && cap && !why[0])
        snprintf(why, cap, fmt, a, b);
}

static int add_col(void *ctx, const char *name)
{
    table_copy *c = ctx;
    wl_rc rc = c->ncols ? wl_buf_append(&c->cols, ", ", 2, SIZE_MAX / 2) : WL_OK;
    if (rc == WL_OK)
        rc = wl_buf_append(&c->cols, name, strlen(name), SIZE_MAX / 2);
    c->ncols++;
    return rc == WL_OK ? WL_DB_OK : WL_DB_NOMEM;
}

/* A table's columns as "a, b, c" into *out (wl_buf, NUL-terminated), and their count. */
static wl_rc columns_of(wl_store *s, const char *table, table_copy *c)
{
    int r;
    c->ncols = 0;
    c->cols.len = 0;
    r = wl_db_columns(s->db, table, add_col, c);
    if (r == WL_DB_OK && wl_buf_append(&c->cols, "", 1, SIZE_MAX / 2) != WL_OK)
        r = WL_DB_NOMEM;
    if (r == WL_DB_OK)
        c->cols.len--; /* the NUL stays after the text */
    return r == WL_DB_OK ? WL_OK : r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
}

/* Prepares text (a statement of n bytes at most) on db: WL_OK or the engine's code mapped. */
static wl_rc prep(wl_db *db, wl_buf *text, wl_st **out)
{
    int r;
    if (wl_buf_append(text, "", 1, SIZE_MAX / 2) != WL_OK)
        return WL_ERR_NOMEM;
    r = wl_st_prepare(db, text->buf, 0, out);
    text->len = 0;
    return r == WL_DB_OK ? WL_OK : r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
}

static wl_rc put(wl_buf *b, const char *s)
{
    return wl_buf_append(b, s, strlen(s), SIZE_MAX / 2);
}

/* "INSERT INTO t(cols) VALUES(?1, ...), (...)" of rows rows. */
static wl_rc insert_text(const table_copy *c, int rows, wl_buf *q)
{
    char num[16];
    wl_rc rc = put(q, "INSERT INTO ");
    if (rc == WL_OK)
        rc = put(q, tables[c->t].name);
    if (rc == WL_OK)
        rc = put(q, "(");
    if (rc == WL_OK)
        rc = wl_buf_append(q, c->cols.buf, c->cols.len, SIZE_MAX / 2);
    if (rc == WL_OK)
        rc = put(q, ") VALUES");
    for (int r = 0, p = 1; r < rows && rc == WL_OK; r++) {
        rc = put(q, r ? ", (" : "(");
        for (int k = 0; k < c->ncols && rc == WL_OK; k++, p++) {
            snprintf(num, sizeof num, "%s?%d", k ? ", " : "", p);
            rc = put(q, num);
        }
        if (rc == WL_OK)
            rc = put(q, ")");
    }
    return rc;
}

/* "SELECT key, cols FROM t [WHERE (key) > (?1, ...)] ORDER BY key LIMIT ?N". */
static wl_rc select_text(const table_copy *c, int after, wl_buf *q)
{
    char num[24];
    const char *key = tables[c->t].key;
    wl_rc rc = put(q, "SELECT ");
    if (rc == WL_OK)
        rc = put(q, key);
    if (rc == WL_OK)
        rc = put(q, ", ");
    if (rc == WL_OK)
        rc = wl_buf_append(q, c->cols.buf, c->cols.len, SIZE_MAX / 2);
    if (rc == WL_OK)
        rc = put(q, " FROM ");
    if (rc == WL_OK)
        rc = put(q, tables[c->t].name);
    if (rc == WL_OK && after) {
        rc = put(q, " WHERE (");
        if (rc == WL_OK)
            rc = put(q, key);
        if (rc == WL_OK)
            rc = put(q, ") > (");
        for (int k = 0; k < c->nkeys && rc == WL_OK; k++) {
            snprintf(num, sizeof num, "%s?%d", k ? ", " : "", k + 1);
            rc = put(q, num);
        }
        if (rc == WL_OK)
            rc = put(q, ")");
    }
    if (rc == WL_OK)
        rc = put(q, " ORDER BY ");
    if (rc == WL_OK)
        rc = put(q, key);
    if (rc == WL_OK) {
        snprintf(num, sizeof num, " LIMIT ?%d", after ? c->nkeys + 1 : 1);
        rc = put(q, num);
    }
    return rc;
}

/* The table's columns on both ends (the same), and its four statements. */
static wl_rc table_open(table_copy *c)
{
    wl_buf q = {0}, other = {0};
    int n;
    wl_rc rc;
    const char *name = tables[c->t].name;
    c->nkeys = 1;
    for (const char *p = tables[c->t].key; *p; p++)
        c->nkeys += *p == ',';
    if ((rc = columns_of(c->to, name, c)) != WL_OK) {
        say(c->why, c->cap, "the target has no table %s%s", name, "");
        return rc;
    }
    other = c->cols;
    n = c->ncols;
    memset(&c->cols, 0, sizeof c->cols);
    if ((rc = columns_of(c->from, name, c)) != WL_OK) {
        say(c->why, c->cap, "the source has no table %s%s", name, "");
    } else if (n != c->ncols || strcmp(other.buf, c->cols.buf) != 0) {
        say(c->why, c->cap, "the table %s has other columns in the target (%s)", name, other.buf);
        rc = WL_ERR_CORRUPT;
    }
    wl_buf_free(&other);
    if (rc != WL_OK)
        return rc;
    c->per = INSERT_PARAMS / c->ncols;
    if (c->per > INSERT_ROWS)
        c->per = INSERT_ROWS;
    if ((rc = select_text(c, 0, &q)) == WL_OK)
        rc = prep(c->from->db, &q, &c->first);
    if (rc == WL_OK && (rc = select_text(c, 1, &q)) == WL_OK)
        rc = prep(c->from->db, &q, &c->next);
    if (rc == WL_OK && (rc = insert_text(c, c->per, &q)) == WL_OK)
        rc = prep(c->to->db, &q, &c->ins_many);
    if (rc == WL_OK && (rc = insert_text(c, 1, &q)) == WL_OK)
        rc = prep(c->to->db, &q, &c->ins_one);
    wl_buf_free(&q);
    return rc;
}

static void table_close(table_copy *c)
{
    wl_st_finalize(c->first);
    wl_st_finalize(c->next);
    wl_st_finalize(c->ins_many);
    wl_st_finalize(c->ins_one);
    c->first = c->next = c->ins_many = c->ins_one = NULL;
    wl_buf_free(&c->cols);
    for (int k = 0; k < KEYS_MAX; k++)
        wl_buf_free(&c->key[k].b);
}

/* Column c of src's row bound as parameter i of dst, as its type; copied when copy. */
static void bind_col(wl_st *dst, int i, wl_st *src, int c, int copy)
{
    switch (wl_st_col_type(src, c)) {
    case WL_DB_INTEGER:
        wl_st_bind_int64(dst, i, wl_st_col_int64(src, c));
        break;
    case WL_DB_FLOAT:
        wl_st_bind_double(dst, i, wl_st_col_double(src, c));
        break;
    case WL_DB_TEXT: {
        const char *t = wl_st_col_text(src, c);
        int n = wl_st_col_bytes(src, c);
        (copy ? wl_st_bind_text_copy : wl_st_bind_text)(dst, i, t ? t : "", n);
        break;
    }
    case WL_DB_BLOB: {
        const void *b = wl_st_col_blob(src, c);
        int n = wl_st_col_bytes(src, c);
        /* an empty one is bytes, not NULL: never a NULL pointer */
        (copy ? wl_st_bind_blob_copy : wl_st_bind_blob)(dst, i, b && n ? b : "", n);
        break;
    }
    default:
        wl_st_bind_null(dst, i);
    }
}

/* The key columns of src's row kept, for the next page's WHERE. */
static wl_rc keep_key(table_copy *c, wl_st *src)
{
    for (int k = 0; k < c->nkeys; k++) {
        int type = wl_st_col_type(src, k);
        c->key[k].type = type;
        c->key[k].b.len = 0;
        if (type == WL_DB_INTEGER) {
            c->key[k].i = wl_st_col_int64(src, k);
        } else if (type == WL_DB_FLOAT) {
            c->key[k].d = wl_st_col_double(src, k);
        } else if (type == WL_DB_TEXT || type == WL_DB_BLOB) {
            const void *p =
                type == WL_DB_TEXT ? (const void *)wl_st_col_text(src, k) : wl_st_col_blob(src, k);
            size_t n = (size_t)wl_st_col_bytes(src, k);
            /* one byte more, so that an empty one still has a buffer */
            if ((n && wl_buf_append(&c->key[k].b, p, n, SIZE_MAX / 2) != WL_OK) ||
                wl_buf_append(&c->key[k].b, "", 1, SIZE_MAX / 2) != WL_OK)
                return WL_ERR_NOMEM;
            c->key[k].b.len--;
        }
    }
    return WL_OK;
}

static void bind_key(table_copy *c, wl_st *st)
{
    for (int k = 0; k < c->nkeys; k++) {
        int type = c->key[k].type;
        const char *p = c->key[k].b.buf;
        int n = (int)c->key[k].b.len;
        if (type == WL_DB_INTEGER)
            wl_st_bind_int64(st, k + 1, c->key[k].i);
        else if (type == WL_DB_FLOAT)
            wl_st_bind_double(st, k + 1, c->key[k].d);
        else if (type == WL_DB_TEXT)
            wl_st_bind_text_copy(st, k + 1, p, n);
        else if (type == WL_DB_BLOB)
            wl_st_bind_blob_copy(st, k + 1, p, n);
        else
            wl_st_bind_null(st, k + 1);
    }
}

/* Steps an INSERT and resets it. */
static wl_rc insert(wl_st *ins)
{
    wl_rc rc = step_done(ins);
    wl_st_clear(ins);
    return rc;
}

/*
 * One page: the next want rows (after the last key read; the first page: from
 * the start) written in one transaction of the target: whole groups by the
 * multi-row INSERT (their bindings copied), the rest one by one. The source is
 * one snapshot, so want (from its count) is what the page gives; *bytes: the
 * most bytes of one row.
 */
static wl_rc page(table_copy *c, int after, int want, size_t *bytes)
{
    wl_st *sel = after ? c->next : c->first;
    int r = WL_DB_DONE, held = 0, n = 0, grouped = want / c->per * c->per;
    wl_rc rc;
    *bytes = 0;
    wl_st_reset(sel);
    wl_st_clear(sel);
    if (after)
        bind_key(c, sel);
    wl_st_bind_int(sel, after ? c->nkeys + 1 : 1, want);
    if ((rc = map_rc(wl_db_begin(c->to->db))) != WL_OK)
        return rc;
    /* meta's own row of a new store (its schema) makes way for the source's */
    if (!after && strcmp(tables[c->t].name, "meta") == 0)
        rc = map_rc(wl_db_exec(c->to->db, "DELETE FROM meta"));
    while (rc == WL_OK && (r = wl_st_step(sel)) == WL_DB_ROW) {
        size_t row = 0;
        int one = n >= grouped;
        wl_st *ins = one ? c->ins_one : c->ins_many;
        for (int k = 0; k < c->ncols; k++) {
            int col = c->nkeys + k;
            row += (size_t)wl_st_col_bytes(sel, col) + 8;
            bind_col(ins, (one ? 0 : held * c->ncols) + k + 1, sel, col, !one);
        }
        if (row > *bytes)
            *bytes = row;
        if (one || ++held == c->per) {
            rc = insert(ins);
            held = 0;
        }
        if (rc == WL_OK)
            rc = keep_key(c, sel);
        n++;
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    if (rc == WL_OK && n != want) {
        say(c->why, c->cap, "the table %s changed while it was copied%s", tables[c->t].name, "");
        rc = WL_ERR_CONFLICT;
    }
    wl_st_reset(sel);
    wl_st_clear(c->ins_many);
    if (rc == WL_OK)
        rc = map_rc(wl_db_commit(c->to->db));
    if (rc != WL_OK && !wl_db_autocommit(c->to->db))
        (void)wl_db_rollback(c->to->db);
    return rc;
}

/* The one integer a statement of one row answers (0 when it gives no row). */
static wl_rc one_int(wl_db *db, const char *sql, int64_t *v)
{
    wl_st *st = NULL;
    int r = wl_st_prepare(db, sql, 0, &st);
    *v = 0;
    if (r != WL_DB_OK)
        return r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        *v = wl_st_col_int64(st, 0);
    wl_st_finalize(st);
    return r == WL_DB_ROW || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

/* Table i's rows in s (or, with any, 1 if it has one: meta's schema row aside). */
static wl_rc rows_of(wl_store *s, size_t i, int any, int64_t *n)
{
    char sql[160];
    int meta = strcmp(tables[i].name, "meta") == 0;
    if (any)
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s%s LIMIT 1", tables[i].name,
                 meta ? " WHERE k <> 'schema'" : "");
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i].name);
    return one_int(s->db, sql, n);
}

static wl_rc add_line(void *ctx, const char *row)
{
    wl_buf *b = ctx;
    return wl_buf_append(b, row, strlen(row) + 1, SIZE_MAX / 2);
}

/* Table i as fsck sees it (wl_store_rows) the same on both ends; tables it does not know pass. */
static wl_rc same_rows(wl_store *from, wl_store *to, const char *table, char *why, size_t cap)
{
    wl_buf a = {0}, b = {0};
    wl_rc rc = wl_store_rows(from, table, 0, add_line, &a);
    if (rc == WL_ERR_INVALID)
        return WL_OK;
    if (rc == WL_OK)
        rc = wl_store_rows(to, table, 0, add_line, &b);
    if (rc == WL_OK && (a.len != b.len || (a.len && memcmp(a.buf, b.buf, a.len) != 0))) {
        say(why, cap, "the copy's %s table is not the source's%s", table, "");
        rc = WL_ERR_CORRUPT;
    }
    wl_buf_free(&a);
    wl_buf_free(&b);
    return rc;
}

/* The copy against its source: rows, size, the latest checkpoint, the roots, fsck's tables. */
static wl_rc check(wl_store *from, wl_store *to, const int64_t *counts, char *why, size_t cap)
{
    uint64_t n1 = 0, n2 = 0, cs1 = 0, cs2 = 0;
    char *c1 = NULL, *c2 = NULL;
    size_t l1 = 0, l2 = 0;
    uint8_t r1[32], r2[32];
    wl_rc rc = WL_OK, e1, e2;
    for (size_t i = 0; i < NTABLES && rc == WL_OK; i++) {
        int64_t n;
        if ((rc = rows_of(to, i, 0, &n)) == WL_OK && n != counts[i]) {
            say(why, cap, "the copy's %s table has another number of rows%s", tables[i].name, "");
            rc = WL_ERR_CORRUPT;
        }
    }
    if (rc == WL_OK && (rc = wl_store_size(from, &n1)) == WL_OK &&
        (rc = wl_store_size(to, &n2)) == WL_OK && n1 != n2) {
        say(why, cap, "the copy's size is not the source's%s%s", "", "");
        rc = WL_ERR_CORRUPT;
    }
    if (rc == WL_OK) {
        e1 = wl_store_checkpoint_latest(from, &cs1, &c1, &l1);
        e2 = wl_store_checkpoint_latest(to, &cs2, &c2, &l2);
        if (e1 != WL_OK && e1 != WL_ERR_NOT_FOUND)
            rc = e1;
        else if (e2 != WL_OK && e2 != WL_ERR_NOT_FOUND)
            rc = e2;
        else if (e1 != e2 || cs1 != cs2 || l1 != l2 || (l1 && memcmp(c1, c2, l1) != 0)) {
            say(why, cap, "the copy's latest checkpoint is not the source's%s%s", "", "");
            rc = WL_ERR_CORRUPT;
        }
    }
    /* the root of the whole log from each end's own hashes */
    if (rc == WL_OK && n1 > 0 &&
        ((rc = wl_merkle_root(wl_store_hash_reader, from, n1, r1)) != WL_OK ||
         (rc = wl_merkle_root(wl_store_hash_reader, to, n1, r2)) != WL_OK ||
         memcmp(r1, r2, 32) != 0)) {
        say(why, cap, "the copy's hashes do not give the source's root%s%s", "", "");
        rc = rc == WL_OK ? WL_ERR_CORRUPT : rc;
    }
    /* the latest checkpoint's root, from the copy's hashes */
    if (rc == WL_OK && c2 != NULL) {
        wl_note note;
        wl_checkpoint cp;
        if (wl_note_parse(c2, l2, &note) != WL_OK ||
            wl_checkpoint_parse(note.text, note.text_len, &cp) != WL_OK || cp.size != cs2 ||
            wl_merkle_root(wl_store_hash_reader, to, cp.size, r2) != WL_OK ||
            memcmp(r2, cp.root, 32) != 0) {
            say(why, cap, "the copy's hashes do not give its latest checkpoint's root%s%s", "", "");
            rc = WL_ERR_CORRUPT;
        }
    }
    if (rc == WL_OK)
        rc = same_rows(from, to, "schema", why, cap);
    for (size_t i = 0; i < NTABLES && rc == WL_OK; i++)
        rc = same_rows(from, to, tables[i].name, why, cap);
    wl_free(c1);
    wl_free(c2);
    return rc;
}

/* What went wrong, in the words of the engine that failed (or of rc). */
static const char *engine_words(const table_copy *c, wl_rc rc)
{
    if (wl_db_errcode(c->to->db) != WL_DB_OK)
        return wl_store_errmsg(c->to);
    if (wl_db_errcode(c->from->db) != WL_DB_OK)
        return wl_store_errmsg(c->from);
    return wl_rc_name(rc);
}

/* Every row of table i, page by page; *done counts them for fn. */
static wl_rc copy_table(table_copy *c, int64_t count, uint64_t *done, uint64_t total,
                        wl_copy_progress fn, void *ctx)
{
    int64_t left = count;
    int lim = 64; /* then as many as PAGE_BYTES holds of the largest row seen */
    size_t most = 0;
    wl_rc rc = table_open(c);
    for (int after = 0; rc == WL_OK && left > 0; after = 1) {
        int want = left < lim ? (int)left : lim;
        size_t bytes;
        if ((rc = page(c, after, want, &bytes)) != WL_OK)
            break;
        left -= want;
        *done += (uint64_t)want;
        if (bytes > most)
            most = bytes;
        lim = (int)(PAGE_BYTES / (most + 1));
        lim = lim < 1 ? 1 : lim > PAGE_ROWS ? PAGE_ROWS : lim;
        if (fn)
            rc = fn(ctx, tables[c->t].name, *done, total);
    }
    table_close(c);
    return rc;
}

wl_rc wl_store_copy_why(wl_store *from, wl_store *to, wl_copy_progress fn, void *ctx, char *why,
                        size_t cap)
{
    int64_t counts[NTABLES];
    uint64_t total = 0, done = 0;
    table_copy c;
    wl_rc rc;
    if (why && cap)
        why[0] = '\0';
    for (size_t i = 0; i < NTABLES; i++) {
        int64_t any = 0;
        if ((rc = rows_of(to, i, 1, &any)) != WL_OK) {
            say(why, cap, "the target cannot be read (%s): %s", tables[i].name,
                wl_store_errmsg(to));
            return rc;
        }
        if (any) {
            say(why, cap, "the target is not empty: its %s table has rows%s", tables[i].name, "");
            return WL_ERR_CONFLICT;
        }
    }
    if ((rc = map_rc(wl_db_begin_read(from->db))) != WL_OK)
        return rc;
    for (size_t i = 0; i < NTABLES && rc == WL_OK; i++)
        if ((rc = rows_of(from, i, 0, &counts[i])) == WL_OK)
            total += (uint64_t)counts[i];
    if (rc != WL_OK)
        say(why, cap, "the source cannot be read: %s%s", wl_store_errmsg(from), "");
    memset(&c, 0, sizeof c);
    c.from = from;
    c.to = to;
    c.why = why;
    c.cap = cap;
    if (rc == WL_OK && fn)
        rc = fn(ctx, tables[0].name, 0, total);
    for (size_t i = 0; i < NTABLES && rc == WL_OK; i++) {
        c.t = i;
        if ((rc = copy_table(&c, counts[i], &done, total, fn, ctx)) != WL_OK)
            say(why, cap, "copying the %s table: %s", tables[i].name, engine_words(&c, rc));
    }
    if (rc == WL_OK)
        rc = check(from, to, counts, why, cap);
    if (!wl_db_autocommit(from->db))
        (void)wl_db_rollback(from->db); /* a read transaction: nothing to keep */
    return rc;
}

wl_rc wl_store_copy(wl_store *from, wl_store *to, wl_copy_progress fn, void *ctx)
{
    return wl_store_copy_why(from, to, fn, ctx, NULL, 0);
}

static int no_col(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return WL_DB_OK;
}

wl_rc wl_store_has_tables(const char *target, int *found, char *why, size_t cap)
{
    wl_db *db = NULL;
    int r = wl_db_open(target, 0, &db, why, cap);
    *found = 0;
    if (r != WL_DB_OK)
        return r == WL_DB_MISUSE ? WL_ERR_INVALID : map_rc(r);
    for (size_t i = 0; i < NTABLES && r == WL_DB_OK && !*found; i++) {
        r = wl_db_columns(db, tables[i].name, no_col, NULL);
        if (r == WL_DB_OK)
            *found = 1;
        else if (r == WL_DB_ERROR)
            r = WL_DB_OK; /* no such table */
    }
    if (r != WL_DB_OK)
        say(why, cap, "%s%s", wl_db_errmsg(db), "");
    if (r == WL_DB_OK && *found) {
        int64_t origins = 0; /* meta is copied last: without an origin, the copy did not end */
        if (one_int(db, "SELECT count(*) FROM meta WHERE k = 'origin'", &origins) == WL_OK &&
            origins == 0)
            *found = 2;
    }
    wl_db_close(db);
    return map_rc(r);
}

wl_rc wl_store_drop_tables(const char *target, char *why, size_t cap)
{
    wl_db *db = NULL;
    char sql[100];
    int r = wl_db_open(target, 0, &db, why, cap);
    if (r != WL_DB_OK)
        return r == WL_DB_MISUSE ? WL_ERR_INVALID : map_rc(r);
    r = wl_db_begin(db);
    /* from the last: a table that names another (keys: members) goes before it */
    for (size_t i = NTABLES; i-- > 0 && r == WL_DB_OK;) {
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", tables[i].name);
        r = wl_db_exec(db, sql);
    }
    if (r == WL_DB_OK)
        r = wl_db_commit(db);
    if (r != WL_DB_OK) {
        say(why, cap, "%s%s", wl_db_errmsg(db), "");
        if (!wl_db_autocommit(db))
            (void)wl_db_rollback(db);
    }
    wl_db_close(db);
    return map_rc(r);
}
