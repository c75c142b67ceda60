/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_store_rows (store/store.h), for fsck: a table's rows as lines of text
 * made here in C, not by the engine, so that the same rows give the same
 * lines on SQLite and on PostgreSQL (a ledger on one is checked against a
 * replay on the other): each column quoted as SQLite's quote() would (NULL,
 * integers, reals to 17 digits, 'text' with quotes doubled, X'HEX' for bytes),
 * joined by '|', the lines in byte order.
 */
#include <stdlib.h>

#include "store/store_int.h"

/* The tables fsck compares; "schema" lists each one's columns. */
static const char *const tables[] = {"members",
                                     "keys",
                                     "requirements",
                                     "facts",
                                     "pledges_announced",
                                     "pledges_retired",
                                     "flows",
                                     "flow_answers",
                                     "instruments",
                                     "rates",
                                     "refs",
                                     "zones",
                                     "blob_refs",
                                     "blob_public",
                                     "announced",
                                     "deals",
                                     "deal_versions",
                                     "deal_parties",
                                     "deal_notices",
                                     "reports",
                                     "report_overrides",
                                     "history",
                                     "designations",
                                     "pressure_snapshots",
                                     "pressure_decisions",
                                     NULL};

typedef struct {
    wl_buf text; /* the lines, each NUL-terminated */
    size_t *at;  /* where each line starts in text */
    size_t n, cap;
} lines;

static wl_rc line_end(lines *l, size_t start)
{
    if (wl_buf_append(&l->text, "", 1, SIZE_MAX / 2) != WL_OK)
        return WL_ERR_NOMEM;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        size_t *at = wl_realloc(l->at, cap * sizeof *at);
        if (at == NULL)
            return WL_ERR_NOMEM;
        l->at = at;
        l->cap = cap;
    }
    l->at[l->n++] = start;
    return WL_OK;
}

static wl_rc put(lines *l, const char *p, size_t n)
{
    return wl_buf_append(&l->text, p, n, SIZE_MAX / 2);
}

/* Column c of the current row, quoted. */
static wl_rc quote(lines *l, wl_st *st, int c)
{
    static const char hex[] = "0123456789ABCDEF";
    char num[40];
    wl_rc rc = WL_OK;
    switch (wl_st_col_type(st, c)) {
    case WL_DB_NULL:
        return put(l, "NULL", 4);
    case WL_DB_INTEGER:
        return put(l, num,
                   (size_t)snprintf(num, sizeof num, "%lld", (long long)wl_st_col_int64(st, c)));
    case WL_DB_FLOAT:
        return put(l, num, (size_t)snprintf(num, sizeof num, "%.17g", wl_st_col_double(st, c)));
    case WL_DB_BLOB: {
        const unsigned char *b = wl_st_col_blob(st, c);
        int n = wl_st_col_bytes(st, c);
        rc = put(l, "X'", 2);
        for (int i = 0; i < n && rc == WL_OK; i++) {
            char h[2] = {hex[b[i] >> 4], hex[b[i] & 15]};
            rc = put(l, h, 2);
        }
        return rc == WL_OK ? put(l, "'", 1) : rc;
    }
    default: {
        const char *t = wl_st_col_text(st, c), *q;
        rc = put(l, "'", 1);
        while (rc == WL_OK && t && (q = strchr(t, '\'')) != NULL) {
            rc = put(l, t, (size_t)(q - t + 1));
            if (rc == WL_OK)
                rc = put(l, "'", 1);
            t = q + 1;
        }
        if (rc == WL_OK && t)
            rc = put(l, t, strlen(t));
        return rc == WL_OK ? put(l, "'", 1) : rc;
    }
    }
}

static int count_column(void *ctx, const char *name)
{
    (void)name;
    ++*(int *)ctx;
    return WL_DB_OK;
}

static wl_rc table_lines(wl_store *s, const char *table, int public_only, lines *l)
{
    char text[200];
    wl_st *st = NULL;
    wl_rc rc = WL_OK;
    int r, ncols = 0;
    /* the table's own columns: PostgreSQL's stand-in for SQLite's rowid comes after them */
    if ((r = wl_db_columns(s->db, table, count_column, &ncols)) != WL_DB_OK)
        return r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
    snprintf(text, sizeof text, "SELECT * FROM %s%s", table,
             public_only ? " WHERE sealed = 0" : "");
    if ((r = wl_st_prepare(s->db, text, 0, &st)) != WL_DB_OK)
        return r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
    while (rc == WL_OK && (r = wl_st_step(st)) == WL_DB_ROW) {
        size_t start = l->text.len;
        for (int c = 0; c < wl_st_col_count(st) && c < ncols && rc == WL_OK; c++)
            if ((rc = c ? put(l, "|", 1) : WL_OK) == WL_OK)
                rc = quote(l, st, c);
        if (rc == WL_OK)
            rc = line_end(l, start);
    }
    if (rc == WL_OK && r != WL_DB_DONE)
        rc = map_rc(r);
    wl_st_finalize(st);
    return rc;
}

static int column(void *ctx, const char *name)
{
    lines *l = ctx;
    return put(l, ",", 1) == WL_OK && put(l, name, strlen(name)) == WL_OK ? WL_DB_OK : WL_DB_NOMEM;
}

/* Every table's name and columns: the shape fsck expects, whatever the engine. */
static wl_rc schema_lines(wl_store *s, lines *l)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; tables[i] && rc == WL_OK; i++) {
        size_t start = l->text.len;
        int r;
        if ((rc = put(l, tables[i], strlen(tables[i]))) != WL_OK)
            break;
        if ((r = wl_db_columns(s->db, tables[i], column, l)) != WL_DB_OK)
            rc = r == WL_DB_ERROR ? WL_ERR_CORRUPT : map_rc(r);
        else
            rc = line_end(l, start);
    }
    return rc;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

wl_rc wl_store_rows(wl_store *s, const char *table, int public_only, wl_row_fn fn, void *ctx)
{
    lines l;
    const char **sorted = NULL;
    wl_rc rc;
    int known = strcmp(table, "schema") == 0;
    for (size_t i = 0; tables[i]; i++)
        known |= strcmp(table, tables[i]) == 0;
    if (!known)
        return WL_ERR_INVALID;
    memset(&l, 0, sizeof l);
    rc =
        strcmp(table, "schema") == 0 ? schema_lines(s, &l) : table_lines(s, table, public_only, &l);
    if (rc == WL_OK && l.n && (sorted = wl_malloc(l.n * sizeof *sorted)) == NULL)
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK && l.n) {
        for (size_t i = 0; i < l.n; i++)
            sorted[i] = l.text.buf + l.at[i]; /* the text moves no more */
        qsort(sorted, l.n, sizeof *sorted, by_text);
    }
    for (size_t i = 0; rc == WL_OK && i < l.n; i++)
        rc = fn(ctx, sorted[i]);
    wl_free(sorted);
    wl_buf_free(&l.text);
    wl_free(l.at);
    return rc;
}
