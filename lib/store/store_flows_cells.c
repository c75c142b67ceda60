/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cells of the flows views' totals held in memory (store_flows_totals.h):
 * one per row of flow_sums, flow_isums, flow_csums or flow_days a write
 * touches, read from the store the first time, added to in memory and
 * written once: at every savepoint, release and commit (store.c), before a
 * view reads, and when half the slots are used; a rollback drops them. Also
 * a live flow's row as the totals read it back. store_flows_totals.c and
 * store_flows_conv.c add to the cells. docs/internals/flows.md ("Views").
 */
#include "store/store_flows_totals.h"

typedef wl_sq_cell cell;
typedef wl_sq_live live;

wl_st *wl_sq_tot_stmt(wl_store *s, int q)
{
    return family_stmt(s, WL_SQ_FLOWS_TOTALS, q);
}

static uint64_t mix(uint64_t h, const char *str)
{
    for (; *str; str++)
        h = (h ^ (unsigned char)*str) * 1099511628211u;
    return (h ^ 0x1f) * 1099511628211u;
}

static bool same(const cell *c, int g, const char *author, const char *key, int sealed,
                 const char *stage, int money, const char *measure)
{
    return c->g == g && c->sealed == sealed && c->money == money && strcmp(c->key, key) == 0 &&
           strcmp(c->author, author) == 0 && strcmp(c->stage, stage) == 0 &&
           strcmp(c->measure, measure) == 0;
}

/*
 * Binds a cell's key to the first parameters of statement q (T_*SUMS_GET or
 * _PUT): flow_isums' five (instrument, author, sealed, stage, measure) or
 * flow_sums' seven (g, author, key, sealed, stage, money, measure). Returns
 * the statement; the next parameter is *next.
 */
static wl_st *bind_cell_key(wl_store *s, const cell *c, int q, int *next)
{
    wl_st *st = wl_sq_tot_stmt(s, q);
    int i = 1;
    if (c->g == DAYS || c->g >= CSUMS) {
        if (c->g != DAYS)
            wl_st_bind_int(st, i++, c->g - CSUMS);
        wl_st_bind_text(st, i++, c->author, -1);
        if (c->g != DAYS)
            wl_st_bind_text(st, i++, c->key, -1);
        wl_st_bind_int(st, i++, c->sealed);
        wl_st_bind_text(st, i++, c->g == DAYS ? c->measure : c->stage, -1);
        wl_st_bind_text(st, i++, c->g == DAYS ? c->key : c->measure, -1);
        *next = i;
        return st;
    }
    if (c->g == ISUMS) {
        wl_st_bind_text(st, i++, c->key, -1);
        wl_st_bind_text(st, i++, c->author, -1);
    } else {
        wl_st_bind_int(st, i++, c->g);
        wl_st_bind_text(st, i++, c->author, -1);
        wl_st_bind_text(st, i++, c->key, -1);
    }
    wl_st_bind_int(st, i++, c->sealed);
    wl_st_bind_text(st, i++, c->stage, -1);
    if (c->g != ISUMS)
        wl_st_bind_int(st, i++, c->money);
    wl_st_bind_text(st, i++, c->measure, -1);
    *next = i;
    return st;
}

/* The statement of a cell's table: get (put: get + 1). */
static int table_q(const cell *c)
{
    return c->g == DAYS    ? T_DAYS_GET
           : c->g >= CSUMS ? T_CSUMS_GET
           : c->g == ISUMS ? T_ISUMS_GET
                           : T_SUMS_GET;
}

__extension__ typedef unsigned __int128 u128;

/* flow_csums' sums: 16 bytes, little-endian two's complement. */
static wl_i128 col_i128(wl_st *st, int col)
{
    unsigned char b[16] = {0};
    wl_i128 v = 0;
    if (wl_st_col_bytes(st, col) == 16)
        memcpy(b, wl_st_col_blob(st, col), 16);
    for (int i = 15; i >= 0; i--)
        v = (wl_i128)(((u128)v << 8) | b[i]);
    return v;
}

static void bind_i128(wl_st *st, int i, wl_i128 v)
{
    unsigned char b[16];
    u128 u = (u128)v;
    for (int k = 0; k < 16; k++, u >>= 8)
        b[k] = (unsigned char)(u & 0xff);
    wl_st_bind_blob_copy(st, i, b, 16);
}

/* Reads the stored row of a new cell (none: all zero, not present). */
static wl_rc load(wl_store *s, cell *c)
{
    int next;
    wl_st *st = bind_cell_key(s, c, table_q(c), &next);
    int r = wl_st_step(st);
    memset(c->v, 0, sizeof c->v);
    memset(c->w, 0, sizeof c->w);
    c->present = r == WL_DB_ROW;
    if (r == WL_DB_ROW) {
        if (c->g == DAYS) {
            c->v[0] = wl_st_col_int64(st, 0);
        } else if (c->g >= CSUMS) {
            for (int i = 0; i < FIGS; i++)
                c->v[i] = wl_st_col_int64(st, i);
            for (int i = 0; i < CONV; i++)
                c->w[i] = col_i128(st, FIGS + i);
        } else if (c->g == ISUMS) {
            c->v[0] = wl_st_col_int64(st, 0);
            c->v[5] = wl_st_col_int64(st, 1);
        } else {
            for (int i = 0; i < FIGS; i++)
                c->v[i] = wl_st_col_int64(st, i);
        }
    }
    wl_st_reset(st);
    return r == WL_DB_ROW || r == WL_DB_DONE ? WL_OK : map_rc(r);
}

/* Writes one cell's row. */
static wl_rc store_cell(wl_store *s, const cell *c)
{
    int next;
    wl_st *st = bind_cell_key(s, c, table_q(c) + 1, &next);
    if (c->g == DAYS) {
        wl_st_bind_int64(st, next, c->v[0]);
        return step_done(st);
    }
    for (int i = 0; i < FIGS; i++)
        if (c->g != ISUMS || i == 0 || i == FIGS - 1) /* flow_isums: the figure and the count */
            wl_st_bind_int64(st, next++, c->v[i]);
    for (int i = 0; c->g >= CSUMS && i < CONV; i++)
        bind_i128(st, next++, c->w[i]);
    return step_done(st);
}

void wl_sq_totals_drop(wl_store *s)
{
    if (s->tot)
        s->tot->targets_read = false; /* a rate naming a new currency may have gone */
    if (s->tot && s->tot->used) {
        memset(s->tot->c, 0, sizeof s->tot->c);
        s->tot->used = 0;
    }
}

wl_rc wl_sq_totals_flush(wl_store *s)
{
    wl_rc rc = WL_OK;
    if (s->tot == NULL || s->tot->used == 0)
        return WL_OK;
    for (size_t i = 0; i < CELLS && rc == WL_OK; i++) {
        const cell *c = &s->tot->c[i];
        if (c->used && c->dirty && c->present)
            rc = store_cell(s, c);
    }
    /* written or failed: on failure the caller rolls back, which drops what SQLite holds too */
    memset(s->tot->c, 0, sizeof s->tot->c);
    s->tot->used = 0;
    return rc;
}

void wl_sq_totals_free(wl_store *s)
{
    wl_free(s->tot);
    s->tot = NULL;
}

/* Room for k more cells, writing out what is held when half are used. */
wl_rc wl_sq_tot_room(wl_store *s, size_t k)
{
    return s->tot && s->tot->used + k > CELLS / 2 ? wl_sq_totals_flush(s) : WL_OK;
}

/* The cell of a key, read from the store the first time; NULL with *rc on failure. */
cell *wl_sq_tot_find(wl_store *s, int g, const char *author, const char *key, int sealed,
                     const char *stage, int money, const char *measure, wl_rc *rc)
{
    uint64_t h = 1469598103934665603u;
    size_t i;
    cell *c;
    if (s->tot == NULL && (s->tot = wl_calloc(1, sizeof *s->tot)) == NULL) {
        *rc = WL_ERR_NOMEM;
        return NULL;
    }
    h = mix(mix(mix(mix(mix(h, author), key), stage), measure), g == ISUMS ? "i" : "s");
    h = (h ^ (uint64_t)(g * 4 + sealed * 2 + money)) * 1099511628211u;
    for (i = h % CELLS;; i = (i + 1) % CELLS) {
        c = &s->tot->c[i];
        if (!c->used)
            break;
        if (same(c, g, author, key, sealed, stage, money, measure))
            return c;
    }
    c->used = true;
    c->g = g;
    c->sealed = sealed;
    c->money = money;
    snprintf(c->author, sizeof c->author, "%s", author);
    snprintf(c->key, sizeof c->key, "%s", key);
    snprintf(c->stage, sizeof c->stage, "%s", stage);
    snprintf(c->measure, sizeof c->measure, "%s", measure);
    s->tot->used++;
    if ((*rc = load(s, c)) != WL_OK)
        return NULL;
    return c;
}

/*
 * The readers a sealed flow names (a JSON array of member ids, as the kinds
 * wrote it), each once, its author left out: its own flows count whole.
 */
void wl_sq_tot_readers_of(const char *json, live *l)
{
    const char *p = json;
    l->nreaders = 0;
    if (!l->sealed || p == NULL)
        return;
    while ((p = strchr(p, '"')) != NULL && l->nreaders < WL_FLOW_READERS_MAX) {
        const char *end = strchr(++p, '"');
        size_t len = end ? (size_t)(end - p) : 0;
        bool seen = len == 0 || len >= sizeof l->readers[0] ||
                    (strncmp(p, l->author, len) == 0 && l->author[len] == '\0');
        if (end == NULL)
            return;
        for (size_t r = 0; r < l->nreaders && !seen; r++)
            seen = strncmp(p, l->readers[r], len) == 0 && l->readers[r][len] == '\0';
        if (!seen)
            snprintf(l->readers[l->nreaders++], sizeof l->readers[0], "%.*s", (int)len, p);
        p = end + 1;
    }
}

/* The live row of a flow; WL_ERR_NOT_FOUND when it is not live. */
wl_rc wl_sq_tot_live_get(wl_store *s, const char *flow, live *l)
{
    wl_st *st = wl_sq_tot_stmt(s, T_LIVE_GET);
    int r;
    memset(l, 0, sizeof *l);
    wl_st_bind_text(st, 1, flow, -1);
    r = wl_st_step(st);
    if (r == WL_DB_ROW) {
        col_str(st, 0, l->author, sizeof l->author);
        l->sealed = wl_st_col_int(st, 1);
        col_str(st, 2, l->category, sizeof l->category);
        col_str(st, 3, l->month, sizeof l->month);
        col_str(st, 4, l->date, sizeof l->date);
        col_str(st, 5, l->stage, sizeof l->stage);
        l->money = wl_st_col_int(st, 6);
        col_str(st, 7, l->measure, sizeof l->measure);
        col_str(st, 8, l->pledge, sizeof l->pledge);
        col_str(st, 9, l->instrument, sizeof l->instrument);
        l->fig = wl_st_col_int64(st, 10);
        for (int i = 0; i < 4; i++)
            l->ans[i] = wl_st_col_int64(st, 11 + i);
        wl_sq_tot_readers_of((const char *)wl_st_col_text(st, 15), l);
    }
    wl_st_reset(st);
    return no_row(r);
}
