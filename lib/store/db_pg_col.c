/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL engine's values in and out: a statement's bindings
 * (lib/store/db.h's wl_st_bind_*: integers and doubles as text, text sent
 * NUL-terminated, blobs in binary) and its columns (wl_st_col_*): the
 * current row of a statement's answer, read whole in text format at its
 * first step (db_pg.c), in SQLite's types and conversions. BYTEA's hex text
 * is decoded into a buffer the statement owns until its next step.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_pg_int.h"

/* Room for parameter slots 1..n; 0 or -1 (no memory). */
int wl_pg_slots(wl_st *st, int n)
{
    int old = st->nslots;
    if (n <= old)
        return 0;
    {
        pg_param *p = realloc(st->params, (size_t)n * sizeof *p);
        Oid *t = p ? realloc(st->types, (size_t)n * sizeof *t) : NULL;
        Oid *pt = t ? realloc(st->prepared, (size_t)n * sizeof *pt) : NULL;
        const char **v = pt ? realloc(st->values, (size_t)n * sizeof *v) : NULL;
        int *l = v ? realloc(st->lengths, (size_t)n * sizeof *l) : NULL;
        int *f = l ? realloc(st->formats, (size_t)n * sizeof *f) : NULL;
        if (p)
            st->params = p;
        if (t)
            st->types = t;
        if (pt)
            st->prepared = pt;
        if (v)
            st->values = v;
        if (l)
            st->lengths = l;
        if (f == NULL)
            return -1;
        st->formats = f;
    }
    memset(st->params + old, 0, (size_t)(n - old) * sizeof *st->params);
    memset(st->prepared + old, 0, (size_t)(n - old) * sizeof *st->prepared);
    st->nslots = n;
    return 0;
}

void wl_pg_clear(wl_st *st)
{
    for (int i = 0; i < st->nslots; i++) {
        free(st->params[i].own);
        st->params[i].own = NULL;
        st->params[i].type = P_NULL;
    }
}

/* Slot i (from 1) made ready for a new value; NULL when i is out of range or no memory. */
static pg_param *slot(wl_st *st, int i)
{
    pg_param *p;
    if (i < 1 || wl_pg_slots(st, i) != 0)
        return NULL;
    p = &st->params[i - 1];
    free(p->own);
    p->own = NULL;
    p->type = P_NULL;
    return p;
}

void wl_pg_bind_int64(wl_st *st, int i, int64_t v)
{
    pg_param *p = slot(st, i);
    if (p == NULL)
        return;
    snprintf(p->num, sizeof p->num, "%" PRId64, v);
    p->type = P_INT;
}

void wl_pg_bind_double(wl_st *st, int i, double v)
{
    pg_param *p = slot(st, i);
    if (p == NULL)
        return;
    snprintf(p->num, sizeof p->num, "%.17g", v);
    p->type = P_DOUBLE;
}

/* Text is sent NUL-terminated: a length given is copied into a terminated buffer. */
static void bind_bytes(wl_st *st, int i, const void *v, int len, int type, int copy)
{
    pg_param *p = slot(st, i);
    int given = len >= 0;
    if (p == NULL || v == NULL)
        return; /* NULL: SQLite binds a NULL too */
    if (len < 0)
        len = type == P_TEXT ? (int)strlen(v) : 0;
    if (copy || (type == P_TEXT && given)) {
        if ((p->own = malloc((size_t)len + 1)) == NULL)
            return;
        memcpy(p->own, v, (size_t)len);
        p->own[len] = '\0';
        v = p->own;
    }
    p->p = v;
    p->len = len;
    p->type = type;
}

void wl_pg_bind_text(wl_st *st, int i, const char *p, int len, int copy)
{
    bind_bytes(st, i, p, len, P_TEXT, copy);
}

void wl_pg_bind_blob(wl_st *st, int i, const void *p, int len, int copy)
{
    bind_bytes(st, i, p, len, P_BLOB, copy);
}

void wl_pg_bind_null(wl_st *st, int i)
{
    (void)slot(st, i);
}

static int is_null(wl_st *st, int c)
{
    return st->res == NULL || st->row < 0 || st->row >= st->ntuples || c < 0 || c >= st->ncols ||
           PQgetisnull(st->res, st->row, c);
}

int wl_pg_col_count(wl_st *st)
{
    return st->res ? st->ncols : 0;
}

int wl_pg_col_type(wl_st *st, int c)
{
    const char *v;
    if (is_null(st, c))
        return WL_DB_NULL;
    switch (PQftype(st->res, c)) {
    case INT2OID:
    case INT4OID:
    case INT8OID:
    case BOOLOID:
        return WL_DB_INTEGER;
    case FLOAT4OID:
    case FLOAT8OID:
        return WL_DB_FLOAT;
    case NUMERICOID: /* sum()'s type: an integer unless it has a fraction */
        v = PQgetvalue(st->res, st->row, c);
        return strpbrk(v, ".eEN") ? WL_DB_FLOAT : WL_DB_INTEGER;
    case BYTEAOID:
        return WL_DB_BLOB;
    default:
        return WL_DB_TEXT;
    }
}

int64_t wl_pg_col_int64(wl_st *st, int c)
{
    const char *v;
    if (is_null(st, c))
        return 0;
    v = PQgetvalue(st->res, st->row, c);
    if (PQftype(st->res, c) == BOOLOID)
        return v[0] == 't';
    if (strpbrk(v, ".eEIN")) { /* a float, or a numeric with a fraction: SQLite truncates */
        double d = strtod(v, NULL);
        return d >= 9223372036854775807.0    ? INT64_MAX
               : d <= -9223372036854775808.0 ? INT64_MIN
                                             : (int64_t)d;
    }
    return strtoll(v, NULL, 10);
}

double wl_pg_col_double(wl_st *st, int c)
{
    const char *v;
    if (is_null(st, c))
        return 0;
    v = PQgetvalue(st->res, st->row, c);
    if (PQftype(st->res, c) == BOOLOID)
        return v[0] == 't';
    return strtod(v, NULL);
}

static int hexval(char h)
{
    return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h - 'A' + 10;
}

/* Column c's BYTEA decoded (NUL after it), kept until the next step; NULL when no memory. */
static const unsigned char *bytea(wl_st *st, int c)
{
    if (st->cells[c] == NULL) {
        const char *v = PQgetvalue(st->res, st->row, c);
        size_t n = (size_t)PQgetlength(st->res, st->row, c), len = 0;
        unsigned char *out;
        if (n >= 2 && v[0] == '\\' && v[1] == 'x') { /* bytea_output = 'hex' */
            if ((out = malloc((n - 2) / 2 + 1)) == NULL)
                return NULL;
            for (size_t i = 2; i + 1 < n; i += 2)
                out[len++] = (unsigned char)(hexval(v[i]) << 4 | hexval(v[i + 1]));
        } else { /* the escape format of an old setting */
            unsigned char *u = PQunescapeBytea((const unsigned char *)v, &len);
            if (u == NULL || (out = malloc(len + 1)) == NULL) {
                PQfreemem(u);
                return NULL;
            }
            memcpy(out, u, len);
            PQfreemem(u);
        }
        out[len] = '\0';
        st->cells[c] = out;
        st->cell_len[c] = (int)len;
    }
    return st->cells[c];
}

const char *wl_pg_col_text(wl_st *st, int c)
{
    if (is_null(st, c))
        return NULL;
    if (PQftype(st->res, c) == BYTEAOID)
        return (const char *)bytea(st, c);
    return PQgetvalue(st->res, st->row, c);
}

const void *wl_pg_col_blob(wl_st *st, int c)
{
    if (is_null(st, c) || wl_pg_col_bytes(st, c) == 0)
        return NULL;
    if (PQftype(st->res, c) == BYTEAOID)
        return bytea(st, c);
    return PQgetvalue(st->res, st->row, c);
}

int wl_pg_col_bytes(wl_st *st, int c)
{
    if (is_null(st, c))
        return 0;
    if (PQftype(st->res, c) == BYTEAOID)
        return bytea(st, c) ? st->cell_len[c] : 0;
    return PQgetlength(st->res, st->row, c);
}
