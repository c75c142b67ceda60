/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log family's statements over many rows at once, on PostgreSQL (store_log.c
 * calls them; SQLite runs a statement a row, in-process and cheap): the round's
 * (author, seq) pairs looked up by one statement, with their table, and the
 * hashes a write transaction puts, held and sent as one. Each statement is
 * prepared once per connection: a text of its own per call would be parsed and
 * planned every time, and a statement a row cost the writer's backend more than
 * the row itself. docs/internals/store.md, "A round in few round trips", has
 * the design.
 */
#include "store/store_int.h"

wl_sq_seq *wl_sq_seq_slot(wl_store *s, const char *author, uint64_t seq, int add)
{
    uint64_t h = 1469598103934665603ull ^ seq;
    if (s->seqs_cap == 0 || strlen(author) > 64)
        return NULL;
    for (const char *p = author; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (size_t i = (size_t)h & (s->seqs_cap - 1);; i = (i + 1) & (s->seqs_cap - 1)) {
        wl_sq_seq *q = &s->seqs[i];
        if (!q->used)
            return add ? q : NULL;
        if (q->seq == seq && strcmp(q->author, author) == 0)
            return q;
    }
}

void wl_sq_seq_mark(wl_store *s, wl_st *st)
{
    const char *a = wl_st_col_text(st, 0);
    wl_sq_seq *q = wl_sq_seq_slot(s, a ? a : "", (uint64_t)wl_st_col_int64(st, 1), 0);
    if (q)
        q->present = 1;
}

/*
 * PostgreSQL's text form of an array of n integers, bound as one parameter:
 * from i32 if it is given, else from i64 ("{1,2,3}"). NULL when out of memory;
 * the caller frees it (wl_free).
 */
static char *int_array(const int *i32, const int64_t *i64, size_t n)
{
    size_t cap = n * 21 + 3, o = 0;
    char *p = wl_malloc(cap);
    if (p == NULL)
        return NULL;
    p[o++] = '{';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(p + o, cap - o, "%s%lld", i ? "," : "",
                              i32 ? (long long)i32[i] : (long long)i64[i]);
    memcpy(p + o, "}", 2);
    return p;
}

/* The same of n texts, each quoted with any quote or backslash escaped ({"a","b\"c"}). */
static char *text_array(const char *const *v, size_t n)
{
    size_t cap = 3, o = 0;
    char *p;
    for (size_t i = 0; i < n; i++)
        cap += 2 * strlen(v[i]) + 3; /* each quoted, and every byte escaped at worst */
    if ((p = wl_malloc(cap)) == NULL)
        return NULL;
    p[o++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (i)
            p[o++] = ',';
        p[o++] = '"';
        for (const char *c = v[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                p[o++] = '\\';
            p[o++] = *c;
        }
        p[o++] = '"';
    }
    memcpy(p + o, "}", 2);
    return p;
}

/*
 * The round's pairs looked up all at once, by one statement prepared once
 * (two arrays, an index probe per pair; a text of its own per round would be
 * parsed and planned each time, the writer's largest cost per round).
 */
wl_rc wl_sq_seqs_read_pg(wl_store *s, const char *const *authors, const uint64_t *seqs, size_t n)
{
    char *a, *q;
    int r;
    wl_rc rc;
    if (s->seqs_pg == NULL &&
        wl_st_prepare(s->db,
                      "SELECT u.a, u.s FROM unnest(?1::text[], ?2::bigint[]) AS u(a, s) "
                      "CROSS JOIN LATERAL (SELECT 1 FROM entries WHERE author = u.a AND "
                      "seq = u.s LIMIT 1) AS hit",
                      1, &s->seqs_pg) != WL_DB_OK)
        return WL_ERR_IO;
    a = text_array(authors, n);
    q = int_array(NULL, (const int64_t *)seqs, n); /* as bound: the same bits, signed */
    if (a == NULL || q == NULL) {
        wl_free(a);
        wl_free(q);
        return WL_ERR_NOMEM;
    }
    wl_st_reset(s->seqs_pg);
    wl_st_bind_text(s->seqs_pg, 1, a, -1);
    wl_st_bind_text(s->seqs_pg, 2, q, -1);
    while ((r = wl_st_step(s->seqs_pg)) == WL_DB_ROW)
        wl_sq_seq_mark(s, s->seqs_pg);
    rc = map_rc(r);
    wl_st_reset(s->seqs_pg);
    wl_st_clear(s->seqs_pg);
    wl_free(a);
    wl_free(q);
    return rc;
}

#define HASHES_HELD_MAX 2048 /* hashes held before they are sent anyway */

void wl_sq_hashes_drop(wl_store *s)
{
    s->hp.n = 0;
}

/*
 * PostgreSQL: the hashes held, sent in one statement (a statement a hash cost the writer's
 * backend more than the row itself): their levels and indexes as two arrays, their bytes
 * as one blob, 32 a row. Sent in the pipeline like any write (wl_st_step_later): a failure
 * is the answer of the next statement that syncs. The SELECT is in parentheses so that
 * the translation does not guard it with a savepoint of its own (db_pg.h), which would
 * make it wait for its answer: a failure ends the transaction, as the entries' own do.
 */
wl_rc wl_sq_hashes_flush(wl_store *s)
{
    char *lv, *ix;
    size_t n = s->hp.n;
    wl_rc rc;
    if (n == 0)
        return WL_OK;
    s->hp.n = 0;
    if (s->hp.st == NULL &&
        wl_st_prepare(s->db,
                      "INSERT INTO hashes(level, idx, hash) (SELECT u.l, u.i, "
                      "substring(?3::bytea FROM (32 * u.n - 31)::int FOR 32) FROM "
                      "unnest(?1::int[], ?2::bigint[]) WITH ORDINALITY AS u(l, i, n))",
                      1, &s->hp.st) != WL_DB_OK)
        return WL_ERR_IO;
    lv = int_array(s->hp.level, NULL, n);
    ix = int_array(NULL, s->hp.idx, n);
    if (lv == NULL || ix == NULL) {
        wl_free(lv);
        wl_free(ix);
        return WL_ERR_NOMEM;
    }
    wl_st_reset(s->hp.st);
    wl_st_clear(s->hp.st);
    wl_st_bind_text(s->hp.st, 1, lv, -1);
    wl_st_bind_text(s->hp.st, 2, ix, -1);
    wl_st_bind_blob(s->hp.st, 3, s->hp.hash, (int)(n * 32));
    rc = step_later(s->hp.st);
    wl_st_clear(s->hp.st); /* the bindings point at lv and ix */
    wl_free(lv);
    wl_free(ix);
    return rc;
}

/* PostgreSQL in a write transaction: h held to be sent with the others. */
wl_rc wl_sq_hash_hold(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32])
{
    if (s->hp.n == s->hp.cap) {
        size_t cap = s->hp.cap ? s->hp.cap * 2 : 64;
        int64_t *ni = wl_realloc(s->hp.idx, cap * sizeof *ni);
        int *nl = ni ? wl_realloc(s->hp.level, cap * sizeof *nl) : NULL;
        uint8_t *nh = nl ? wl_realloc(s->hp.hash, cap * 32) : NULL;
        if (ni)
            s->hp.idx = ni;
        if (nl)
            s->hp.level = nl;
        if (nh == NULL)
            return WL_ERR_NOMEM;
        s->hp.hash = nh;
        s->hp.cap = cap;
    }
    s->hp.level[s->hp.n] = (int)level;
    s->hp.idx[s->hp.n] = (int64_t)idx;
    memcpy(s->hp.hash + 32 * s->hp.n, h, 32);
    s->hp.n++;
    return s->hp.n < HASHES_HELD_MAX ? WL_OK : wl_sq_hashes_flush(s);
}
