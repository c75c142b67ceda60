/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the store's files share, and nothing above lib/store sees: the
 * connection (struct wl_store), its cache of prepared statements, one table of
 * statements per family (each family's file holds its own SQL), and the small
 * helpers that step, read columns and turn the engine's codes (db.h) into wl_rc. store.c
 * opens the connection and prepares every family's statements;
 * store_<family>.c implements store_<family>.h. docs/internals/store.md says
 * which family owns which table.
 */
#ifndef WILLING_STORE_INT_H
#define WILLING_STORE_INT_H

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"

/* The families, each with its statements (store.c: meta; the rest: store_<family>.c). */
enum {
    WL_SQ_META,
    WL_SQ_LOG,
    WL_SQ_IDENTITY,
    WL_SQ_SEALED,
    WL_SQ_SESSION,
    WL_SQ_COALITION,
    WL_SQ_WITNESS,
    WL_SQ_FLOWS_REF,
    WL_SQ_FLOWS,
    WL_SQ_ZONES,
    WL_SQ_BLOBS,
    WL_SQ_DEAL,
    WL_SQ_FLOWS_TOTALS,
    WL_SQ_MONITOR,
    WL_SQ_HISTORY,
    WL_SQ_PRESSURE,
    WL_SQ_FAMILIES
};
/* Statements one family may cache (each family's file checks its count against it). */
#define WL_SQ_MAX 24

/* A family's statement texts, indexed by the family's own enum, prepared at open. */
typedef struct {
    const char *const *sql;
    int n;
} wl_sq_family;
/* The flows views' tables and indexes (store_flows_totals.c), after the schema. */
extern const char wl_sq_flows_views_schema[];
extern const wl_sq_family wl_sq_log, wl_sq_identity, wl_sq_sealed, wl_sq_session, wl_sq_coalition,
    wl_sq_witness, wl_sq_flows_ref, wl_sq_flows, wl_sq_zones, wl_sq_blobs, wl_sq_deal,
    wl_sq_flows_totals, wl_sq_monitor;
extern const wl_sq_family wl_sq_history, wl_sq_pressure;

/*
 * What a write transaction (wl_store_begin to its commit or rollback) keeps of what it read
 * and wrote, so that the sequencer's round asks the engine once, not for every entry: the
 * log's size (store_log.c), the tree's right edge (the last hash put at each level), and the
 * keys and members read (store_identity.c; dropped at every write of keys or members). One
 * writer holds the database meanwhile, so nothing else changes them; all of it is dropped at
 * every rollback, every rollback to a savepoint and every commit that fails (store.c). A
 * connection that holds the writer's lock (wl_store_writer_lock) keeps it from one commit
 * to its next transaction (kept): no other writer can have changed it in between. Were one
 * to write anyway (a command run on the database by hand), its entries would move the size,
 * and the next append at the size kept would fail on the index taken: the round rolls back,
 * which drops all of it.
 */
#define WL_TX_SLOTS 8
/* One (member, key ID)'s keys as read (store_identity.c). */
typedef struct {
    char member[65];
    uint32_t key_id;
    size_t n;
    wl_member_key k[WL_MAX_KEYS_PER_MEMBER];
} wl_sq_keys;

typedef struct {
    int on;   /* inside a transaction begun by wl_store_begin */
    int kept; /* between transactions: what the last commit left is still true */
    int size_known;
    uint64_t size;
    uint64_t edge_set[2]; /* [p] bit l: edge_idx[2l+p], edge[2l+p] hold level l's last hash put
                             at an index of parity p */
    uint64_t edge_idx[128];
    uint8_t edge[128][32];
    unsigned nkeys, nmembers; /* slots filled, each used round-robin once all are */
    wl_sq_keys keys[WL_TX_SLOTS];
    wl_member members[WL_TX_SLOTS];
} wl_sq_tx;

/*
 * The (author, seq) pairs a write transaction looked up at once (wl_store_find_seq_many,
 * store_log.c): a table of size cap (a power of two, open addressing), each pair absent
 * from the log when looked up, present once appended since. Kept to the transaction's end
 * (a rollback to a savepoint leaves it: a pair only ever turns present, and a present one
 * is asked of the engine).
 */
typedef struct {
    char author[65];
    uint64_t seq;
    int used, present;
} wl_sq_seq;

struct wl_store {
    wl_db *db;
    wl_sq_seq *seqs;
    size_t nseqs, seqs_cap;
    wl_st *seqs_pg; /* PostgreSQL: the pairs' look-up by arrays, prepared at first use */
    /* PostgreSQL, in a write transaction: hashes put and not yet sent (store_log.c), sent as
       one statement at the next read of hashes, savepoint, release or commit */
    struct {
        size_t n, cap;
        int64_t *idx;
        int *level;
        uint8_t *hash;
        wl_st *st; /* the one INSERT of them all, prepared at first use */
    } hp;
    wl_st *q[WL_SQ_FAMILIES][WL_SQ_MAX]; /* prepared once per connection */
    /* the flows views' sums not written yet (store_flows_totals.c); NULL until a flow is put */
    struct wl_sq_totals *tot;
    wl_sq_tx tx;
    /* keys read outside a transaction, kept while the caller's generation stays the same
       (wl_store_keep_keys, store_identity.c); NULL: none kept */
    struct wl_sq_kept *kept;
    int writer; /* the connection holds the writer's lock (wl_store_writer_lock) */
};

/* Drops what the transaction's cache holds (on: whether it keeps any from now on). */
static inline void wl_sq_tx_drop(wl_store *s, int on)
{
    s->tx.on = on;
    s->tx.kept = 0;
    s->tx.size_known = 0;
    s->tx.edge_set[0] = s->tx.edge_set[1] = 0;
    s->tx.nkeys = s->tx.nmembers = 0;
}

/* The pairs looked up at once: forgotten at a transaction's end. */
static inline void wl_sq_seqs_drop(wl_store *s)
{
    wl_free(s->seqs);
    s->seqs = NULL;
    s->nseqs = s->seqs_cap = 0;
}
/*
 * The flows views' totals, kept in C (store_flows_totals.c). The sums are held in
 * memory and written by flush: store.c flushes before a savepoint, a release and a
 * commit, and drops them at a rollback; the views' readers flush before reading.
 * check_put answers WL_ERR_TOO_LARGE, writing nothing, when a flow would take a total
 * past 64 bits; put adds a stored flow; flow_changed takes a flow out and puts it back
 * after its row changed (superseded, announced); answer counts an answer stored.
 * begin and end bracket the writes that change a stored flow in a savepoint of their
 * own (end with the write's rc: on failure, nothing of it stays).
 */
/* The slot of (author, seq) in the pairs looked up at once, or NULL (add: a free one). */
wl_sq_seq *wl_sq_seq_slot(wl_store *s, const char *author, uint64_t seq, int add);
/* Marks present the pair of the row (author, seq) st is on, if it was looked up. */
void wl_sq_seq_mark(wl_store *s, wl_st *st);
/* PostgreSQL (store_log_bulk.c): marks present those of the n pairs the log holds. */
wl_rc wl_sq_seqs_read_pg(wl_store *s, const char *const *authors, const uint64_t *seqs,
                         size_t n) WL_MUST;
/* PostgreSQL in a write transaction: h held, to be sent with the others (store_log_bulk.c). */
wl_rc wl_sq_hash_hold(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32]) WL_MUST;
/* The hashes held: sent in one statement, or dropped (store_log_bulk.c). */
wl_rc wl_sq_hashes_flush(wl_store *s) WL_MUST;
void wl_sq_hashes_drop(wl_store *s);
wl_rc wl_sq_totals_flush(wl_store *s) WL_MUST;
void wl_sq_totals_drop(wl_store *s);
void wl_sq_totals_free(wl_store *s);
wl_rc wl_sq_totals_begin(wl_store *s) WL_MUST;
wl_rc wl_sq_totals_end(wl_store *s, wl_rc rc) WL_MUST;
wl_rc wl_sq_totals_check_put(wl_store *s, const wl_flow_row *r) WL_MUST;
wl_rc wl_sq_totals_put(wl_store *s, const wl_flow_row *r) WL_MUST;
wl_rc wl_sq_totals_flow_changed(wl_store *s, const char *flow) WL_MUST;
wl_rc wl_sq_totals_answer(wl_store *s, const wl_flow_answer_row *a) WL_MUST;
/* A rate stored (its row written): the converted totals of the flows of its days move to it. */
wl_rc wl_sq_totals_rate(wl_store *s, const char *from, const char *to, const char *date,
                        int64_t rate) WL_MUST;

static inline wl_rc map_rc(int rc)
{
    switch (rc) {
    case WL_DB_OK:
    case WL_DB_DONE:
    case WL_DB_ROW:
        return WL_OK;
    case WL_DB_NOMEM:
        return WL_ERR_NOMEM;
    case WL_DB_CONSTRAINT:
        return WL_ERR_CONFLICT;
    case WL_DB_CORRUPT:
        return WL_ERR_CORRUPT;
    case WL_DB_TOOBIG:
        return WL_ERR_TOO_LARGE;
    default:
        return WL_ERR_IO;
    }
}

/* The answer of a step that wanted one row and got none (DONE) or an error. */
static inline wl_rc no_row(int r)
{
    return r == WL_DB_DONE ? WL_ERR_NOT_FOUND : map_rc(r);
}

/* A family's cached statement q, reset and with no bindings. */
static inline wl_st *family_stmt(wl_store *s, int family, int q)
{
    wl_st *st = s->q[family][q];
    wl_st_reset(st);
    wl_st_clear(st);
    return st;
}

/* Steps a statement that returns no rows, and resets it. */
static inline wl_rc step_done(wl_st *st)
{
    int r = wl_st_step(st);
    wl_rc rc = map_rc(r == WL_DB_ROW ? WL_DB_MISUSE : r);
    wl_st_reset(st);
    return rc;
}

/*
 * Runs a write of no rows whose failure may be told by the next statement that needs an
 * answer, a release or the commit (wl_st_step_later: PostgreSQL's pipeline).
 */
static inline wl_rc step_later(wl_st *st)
{
    return map_rc(wl_st_step_later(st));
}

/* Steps a statement of one row of two integers (an aggregate's), into *a and *b; resets it. */
static inline wl_rc step_two(wl_st *st, uint64_t *a, uint64_t *b)
{
    int r = wl_st_step(st);
    wl_rc rc = r == WL_DB_ROW ? WL_OK : map_rc(r == WL_DB_DONE ? WL_DB_CORRUPT : r);
    *a = r == WL_DB_ROW ? (uint64_t)wl_st_col_int64(st, 0) : 0;
    *b = r == WL_DB_ROW ? (uint64_t)wl_st_col_int64(st, 1) : 0;
    wl_st_reset(st);
    return rc;
}

/*
 * The one row of statement st for key (its ?1), put into *out (size bytes) by
 * map; *out is zeroed first, and stays so when there is no row
 * (WL_ERR_NOT_FOUND) or an error. st is reset after.
 */
static inline wl_rc row_for_key(wl_st *st, const char *key, void *out, size_t size,
                                void (*map)(wl_st *st, void *out))
{
    int r;
    wl_rc rc = WL_OK;
    memset(out, 0, size);
    wl_st_bind_text(st, 1, key, -1);
    if ((r = wl_st_step(st)) == WL_DB_ROW)
        map(st, out);
    else
        rc = no_row(r);
    wl_st_reset(st);
    return rc;
}

/* Column c's bytes, NUL-terminated; caller frees (wl_free); NULL when out of memory. */
static inline char *col_dup(wl_st *st, int c, size_t *len)
{
    const void *p = wl_st_col_blob(st, c);
    size_t n = (size_t)wl_st_col_bytes(st, c);
    char *d = wl_malloc(n + 1);
    if (d == NULL)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    if (len)
        *len = n;
    return d;
}

/* Column c's text into out (cap bytes), cut to fit; "" for NULL. */
static inline void col_str(wl_st *st, int c, char *out, size_t cap)
{
    const char *p = wl_st_col_text(st, c);
    snprintf(out, cap, "%s", p ? (const char *)p : "");
}

/* A log index column that may be NULL (not yet): UINT64_MAX for NULL. */
static inline uint64_t col_index(wl_st *st, int c)
{
    return wl_st_col_type(st, c) == WL_DB_NULL ? UINT64_MAX : (uint64_t)wl_st_col_int64(st, c);
}

#endif
