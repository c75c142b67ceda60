/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's SQL, written once in SQLite's dialect, translated to
 * PostgreSQL's when db_pg.c prepares or runs it (the rules: db_pg.h,
 * wl_pg_translate). The text is cut into tokens first, so string literals,
 * quoted identifiers and comments are never rewritten; then each statement
 * (between top-level ';') is translated on its own.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db_pg.h"

enum { T_WS, T_COMMENT, T_STR, T_QID, T_PARAM, T_WORD, T_NUM, T_PUNCT };

typedef struct {
    int type;
    const char *p;
    size_t n;
} tok;

typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} obuf;

static void put(obuf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        char *np;
        while (cap < o->n + n + 1)
            cap *= 2;
        if ((np = realloc(o->p, cap)) == NULL) {
            o->oom = 1;
            return;
        }
        o->p = np;
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

static void puts_(obuf *o, const char *s)
{
    put(o, s, strlen(s));
}

/* The end of a quoted run starting at s (quote q, closed by c; doubled c inside escapes it). */
static const char *quoted_end(const char *s, char c)
{
    const char *p = s + 1;
    while (*p) {
        if (*p == c) {
            if (p[1] == c && c != ']') {
                p += 2;
                continue;
            }
            return p + 1;
        }
        p++;
    }
    return p; /* unterminated: to the end, the server will say so */
}

/* The next token of s, into *t; the end of the token. */
static const char *next_token(const char *s, tok *t)
{
    const char *p = s;
    t->p = s;
    if (isspace((unsigned char)*p)) {
        while (isspace((unsigned char)*p))
            p++;
        t->type = T_WS;
    } else if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        t->type = T_COMMENT;
    } else if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        p = e ? e + 2 : p + strlen(p);
        t->type = T_COMMENT;
    } else if (*p == '\'') {
        p = quoted_end(p, '\'');
        t->type = T_STR;
    } else if ((*p == 'x' || *p == 'X') && p[1] == '\'') {
        p = quoted_end(p + 1, '\'');
        t->type = T_STR;
    } else if (*p == '"' || *p == '`' || *p == '[') {
        p = quoted_end(p, *p == '[' ? ']' : *p);
        t->type = T_QID;
    } else if (*p == '?') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
        t->type = T_PARAM;
    } else if (isalpha((unsigned char)*p) || *p == '_') {
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
            p++;
        t->type = T_WORD;
    } else if (isdigit((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '.')
            p++;
        t->type = T_NUM;
    } else {
        p++;
        t->type = T_PUNCT;
    }
    t->n = (size_t)(p - s);
    return p;
}

static int is_word(const tok *t, const char *w)
{
    return t->type == T_WORD && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

static int is_punct(const tok *t, char c)
{
    return t->type == T_PUNCT && t->p[0] == c;
}

/* The index of the first token at or after i (before b) that is not space or a comment. */
static size_t sig(const tok *t, size_t i, size_t b)
{
    while (i < b && (t[i].type == T_WS || t[i].type == T_COMMENT))
        i++;
    return i;
}

/* 1 if the parenthesis at t[i] holds a comma at its own level (a scalar min/max's two args). */
static int two_args(const tok *t, size_t i, size_t b)
{
    int depth = 0;
    for (; i < b; i++) {
        if (is_punct(&t[i], '('))
            depth++;
        else if (is_punct(&t[i], ')') && --depth == 0)
            return 0;
        else if (depth == 1 && is_punct(&t[i], ','))
            return 1;
    }
    return 0;
}

/* The state of one statement's translation. */
typedef struct {
    obuf *o;
    const tok *t;
    size_t a, b;
    int *nparams;
} st_ctx;

static void param(st_ctx *c, const tok *t)
{
    char num[16];
    int n;
    n = t->n > 1 ? atoi(t->p + 1) : *c->nparams + 1; /* a bare ?: SQLite's next number */
    if (n > *c->nparams)
        *c->nparams = n;
    snprintf(num, sizeof num, "$%d", n);
    puts_(c->o, num);
}

/* A column type of CREATE TABLE in PostgreSQL's words; NULL to keep it. */
static const char *col_type(const tok *t)
{
    if (is_word(t, "INTEGER") || is_word(t, "INT"))
        return "BIGINT";
    if (is_word(t, "BLOB"))
        return "BYTEA";
    if (is_word(t, "REAL"))
        return "DOUBLE PRECISION";
    if (is_word(t, "TEXT"))
        return "TEXT COLLATE \"C\"";
    return NULL;
}

/* The CREATE TABLE state: where in the column list we are. */
typedef struct {
    int on, depth, elem_start, want_type, col_int, int_pk, without_rowid;
} table_ctx;

static int constraint_word(const tok *t)
{
    return is_word(t, "PRIMARY") || is_word(t, "UNIQUE") || is_word(t, "CHECK") ||
           is_word(t, "FOREIGN") || is_word(t, "CONSTRAINT");
}

/* One token inside CREATE TABLE; 1 if it was written (or dropped) here. */
static int table_token(st_ctx *c, table_ctx *tc, size_t *i)
{
    const tok *t = &c->t[*i];
    if (is_punct(t, '(')) {
        if (++tc->depth == 1)
            tc->elem_start = 1;
        return 0;
    }
    if (is_punct(t, ')')) {
        if (--tc->depth == 0 && !tc->without_rowid && !tc->int_pk)
            puts_(c->o, ", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY");
        return 0;
    }
    if (tc->depth == 1 && is_punct(t, ',')) {
        tc->elem_start = 1;
        tc->want_type = tc->col_int = 0;
        return 0;
    }
    if (tc->depth == 0 && is_word(t, "WITHOUT")) {
        size_t j = sig(c->t, *i + 1, c->b);
        if (j < c->b && is_word(&c->t[j], "ROWID")) {
            *i = j;
            return 1;
        }
        return 0;
    }
    if (tc->depth != 1 || (t->type != T_WORD && t->type != T_QID))
        return 0;
    if (tc->elem_start) {
        tc->elem_start = 0;
        tc->want_type = !constraint_word(t);
        return 0;
    }
    if (tc->want_type) {
        const char *pg = col_type(t);
        tc->want_type = 0;
        tc->col_int = is_word(t, "INTEGER");
        if (pg)
            puts_(c->o, pg);
        return pg != NULL;
    }
    if (tc->col_int && is_word(t, "PRIMARY"))
        tc->int_pk = 1;
    return 0;
}

/* min/max with two arguments, instr, ifnull, IS [NOT] ?N; 1 if written here. */
static int word_token(st_ctx *c, size_t *i)
{
    const tok *t = &c->t[*i];
    size_t j = sig(c->t, *i + 1, c->b);
    int call = j < c->b && is_punct(&c->t[j], '(');
    if (call && (is_word(t, "min") || is_word(t, "max")) && two_args(c->t, j, c->b)) {
        puts_(c->o, is_word(t, "min") ? "least" : "greatest");
        return 1;
    }
    if (call && is_word(t, "instr")) {
        puts_(c->o, "strpos");
        return 1;
    }
    if (call && is_word(t, "ifnull")) {
        puts_(c->o, "coalesce");
        return 1;
    }
    if (is_word(t, "INDEXED") && j < c->b && is_word(&c->t[j], "BY")) { /* SQLite's hint */
        size_t k = sig(c->t, j + 1, c->b);
        *i = k < c->b ? k : j;
        return 1;
    }
    if (is_word(t, "NOT") && j < c->b && is_word(&c->t[j], "INDEXED")) {
        *i = j;
        return 1;
    }
    if (is_word(t, "IS") && j < c->b) {
        int neg = is_word(&c->t[j], "NOT");
        size_t k = neg ? sig(c->t, j + 1, c->b) : j;
        if (k < c->b && c->t[k].type == T_PARAM) {
            puts_(c->o, neg ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ");
            *i = k - 1;
            return 1;
        }
    }
    return 0;
}

/* 1 if the statement holds ON CONFLICT (outside parentheses' insides or not: anywhere). */
static int has_on_conflict(const tok *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (is_word(&t[i], "ON")) {
            size_t j = sig(t, i + 1, b);
            if (j < b && is_word(&t[j], "CONFLICT"))
                return 1;
        }
    return 0;
}

/* An INSERT without ON CONFLICT: how it is guarded (VALUES: their number in *rows). */
static int insert_guard(const tok *t, size_t a, size_t b, int *rows)
{
    int depth = 0, values = 0;
    *rows = 0;
    for (size_t i = a; i < b; i++) {
        if (is_punct(&t[i], '(')) {
            if (depth++ == 0 && values)
                ++*rows;
        } else if (is_punct(&t[i], ')')) {
            depth--;
        } else if (depth == 0 && is_word(&t[i], "VALUES")) {
            values = 1;
        } else if (depth == 0 && !values && is_word(&t[i], "SELECT")) {
            return WL_PG_GUARD_SAVEPOINT;
        }
    }
    return values ? WL_PG_GUARD_ROWS : 0;
}

/* BEGIN IMMEDIATE / DEFERRED / EXCLUSIVE; 1 if the statement was one. */
static int begin_stmt(st_ctx *c, size_t w0)
{
    size_t w1;
    if (!is_word(&c->t[w0], "BEGIN"))
        return 0;
    w1 = sig(c->t, w0 + 1, c->b);
    if (w1 >= c->b)
        return 0;
    if (is_word(&c->t[w1], "IMMEDIATE") || is_word(&c->t[w1], "EXCLUSIVE"))
        puts_(c->o, "BEGIN");
    else if (is_word(&c->t[w1], "DEFERRED"))
        puts_(c->o, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    else
        return 0;
    return 1;
}

static void statement(st_ctx *c, int guard, int *flags, int *rows)
{
    const tok *t = c->t;
    size_t w0 = sig(t, c->a, c->b), w1, w2;
    table_ctx tc = {0};
    int nothing = 0;
    size_t skip_from = 0, skip_to = 0;

    if (w0 >= c->b)
        return;
    for (size_t i = c->a; i < w0; i++)
        put(c->o, t[i].p, t[i].n);
    if (begin_stmt(c, w0))
        return;
    w1 = sig(t, w0 + 1, c->b);
    w2 = w1 < c->b ? sig(t, w1 + 1, c->b) : c->b;
    if (is_word(&t[w0], "CREATE") && w1 < c->b) {
        size_t k = is_word(&t[w1], "TEMP") || is_word(&t[w1], "TEMPORARY") ? w2 : w1;
        if (k < c->b && is_word(&t[k], "TABLE")) {
            tc.on = 1;
            for (size_t i = k; i < c->b; i++)
                if (is_word(&t[i], "WITHOUT") && sig(t, i + 1, c->b) < c->b &&
                    is_word(&t[sig(t, i + 1, c->b)], "ROWID"))
                    tc.without_rowid = 1;
        }
    } else if (is_word(&t[w0], "INSERT") && w2 < c->b && is_word(&t[w1], "OR") &&
               is_word(&t[w2], "IGNORE")) {
        nothing = 1; /* the OR IGNORE words are left out */
        skip_from = w1;
        skip_to = sig(t, w2 + 1, c->b);
    } else if (is_word(&t[w0], "INSERT") && guard && !has_on_conflict(t, c->a, c->b)) {
        int g = insert_guard(t, c->a, c->b, rows);
        *flags |= g;
        nothing = g == WL_PG_GUARD_ROWS;
    }
    for (size_t i = w0; i < c->b; i++) {
        if (i >= skip_from && i < skip_to)
            continue;
        if (t[i].type == T_PARAM) {
            param(c, &t[i]);
            continue;
        }
        if (tc.on && table_token(c, &tc, &i))
            continue;
        if (t[i].type == T_WORD && word_token(c, &i))
            continue;
        put(c->o, t[i].p, t[i].n);
    }
    if (nothing)
        puts_(c->o, " ON CONFLICT DO NOTHING");
}

int wl_pg_translate(const char *sql, int guard, char **out, int *nparams, int *flags, int *rows)
{
    size_t n = 0, cap = 64, a = 0;
    tok *t = malloc(cap * sizeof *t);
    obuf o = {0};
    st_ctx c;

    *out = NULL;
    *nparams = *flags = *rows = 0;
    if (t == NULL)
        return -1;
    for (const char *p = sql; *p;) {
        if (n == cap) {
            tok *nt = realloc(t, 2 * cap * sizeof *t);
            if (nt == NULL) {
                free(t);
                return -1;
            }
            t = nt;
            cap *= 2;
        }
        p = next_token(p, &t[n++]);
    }
    c = (st_ctx){&o, t, 0, 0, nparams};
    puts_(&o, "");
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !is_punct(&t[i], ';'))
            continue;
        c.a = a;
        c.b = i;
        statement(&c, guard, flags, rows);
        if (i < n)
            put(&o, ";", 1);
        a = i + 1;
    }
    free(t);
    if (o.oom) {
        free(o.p);
        return -1;
    }
    *out = o.p;
    return 0;
}

void wl_pg_savepoints(const char *sql, int *saves, int *releases)
{
    int start = 1;
    *saves = *releases = 0;
    for (const char *p = sql; *p;) {
        tok t;
        p = next_token(p, &t);
        if (t.type == T_WS || t.type == T_COMMENT)
            continue;
        if (start) {
            *saves += is_word(&t, "SAVEPOINT");
            *releases += is_word(&t, "RELEASE");
        }
        start = is_punct(&t, ';');
    }
}
