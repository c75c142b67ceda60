/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IATI view (GET /api/v1/flows/iati?member=M, willing flows export-iati): the live
 * flows of one member that a viewer may see (the store's reader decides: the public sees
 * public and announced flows only), written as one iati-activities 2.03 document by the
 * pieces of iati_write.h, streamed: opening reads every flow's row a page at a time and
 * keeps 16 bytes per flow (its row and its activity, not its body), then each piece is a
 * page of at most WL_FLOWS_ROWS_MAX flows read again by row. A document is never whole
 * in memory, and no call holds the store between pieces. The document is the flows as
 * they were when it opened (one read snapshot): a flow corrected later is written as it
 * was, its correction not at all. docs/internals/flows.md,
 * sections "Views" and "IATI".
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iati_write.h"
#include "store/store.h"
#include "willing/iati.h"

#define PAGE 1000u

typedef struct {
    int64_t row;    /* the flow's paging cursor */
    uint32_t group; /* its activity, numbered in the order first seen */
} rec;

enum { HEAD, GROUP, TRANSACTIONS, DONE };

struct wl_iati_stream {
    char member[65], viewer[65], generated[40];
    wl_flows_who who;
    rec *recs;
    size_t n, cap, pos, end, skipped, live;
    uint32_t groups;
    int phase;
    wl_buf piece;
    wl_iati_group g;
    char id[256];
    json_t *body[WL_FLOWS_ROWS_MAX]; /* the page read: bodies of recs[pos...] */
};

static void unload(wl_iati_stream *st);

/* ---- opening: every live flow's row and activity ---- */

typedef struct {
    wl_iati_stream *st;
    json_t *index; /* group key -> its number */
    int64_t last;
    size_t rows;
    wl_rc rc;
} collect;

static wl_rc on_row(void *ctx, const wl_flowv_row *f)
{
    collect *c = ctx;
    wl_iati_stream *st = c->st;
    const char *of[5] = {f->activity, f->pledge, f->requirement, f->instrument, f->id};
    char key[260], id[256];
    json_t *gi;
    c->last = f->row;
    c->rows++;
    if (f->superseded_by && f->superseded_by[0])
        return WL_OK; /* only the latest of a correction chain counts */
    if (++st->live > WL_IATI_EXPORT_FLOWS_MAX)
        return c->rc = WL_ERR_TOO_LARGE;
    if (!f->has_amount || f->currency == NULL || f->currency[0] == '\0') {
        st->skipped++; /* in kind: IATI values are money */
        return WL_OK;
    }
    if (!wl_iati_full_date(f->date) ||
        wl_iati_group_key(of, st->member, key, sizeof key, id, sizeof id))
        return c->rc = WL_ERR_CORRUPT;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 1024;
        rec *r = wl_realloc(st->recs, cap * sizeof *r);
        if (r == NULL)
            return c->rc = WL_ERR_NOMEM;
        st->recs = r;
        st->cap = cap;
    }
    if ((gi = json_object_get(c->index, key)) == NULL) {
        gi = json_integer((json_int_t)st->groups++);
        if (json_object_set_new(c->index, key, gi) != 0)
            return c->rc = WL_ERR_NOMEM;
    }
    st->recs[st->n++] = (rec){f->row, (uint32_t)json_integer_value(gi)};
    return WL_OK;
}

/* Document order: activities as first seen, each one's flows in the order stored. */
static int by_group(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

void wl_flows_iati_close(wl_iati_stream *st)
{
    if (st == NULL)
        return;
    unload(st);
    wl_free(st->recs);
    wl_buf_free(&st->piece);
    wl_free(st);
}

wl_rc wl_flows_iati_open(wl_store *s, const wl_flows_viewer *v, const char *member,
                         const char *generated, wl_iati_stream **out, wl_error *err)
{
    wl_iati_stream *st = wl_calloc(1, sizeof *st);
    collect c = {st, json_object(), -1, 0, WL_OK};
    wl_rc rc = WL_OK;
    int reading = 0;
    *out = NULL;
    if (st == NULL || c.index == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        goto out;
    }
    snprintf(st->member, sizeof st->member, "%s", member);
    snprintf(st->viewer, sizeof st->viewer, "%s", v->member);
    snprintf(st->generated, sizeof st->generated, "%s", generated ? generated : "");
    st->who = (wl_flows_who){v->all, st->viewer[0] ? st->viewer : NULL};
    /* one snapshot for every page: a correction landing meanwhile is in it or not, whole */
    if ((rc = wl_store_begin_read(s)) != WL_OK) {
        rc = wl_error_set(err, rc, "store", "cannot read the flows of %s", member);
        goto out;
    }
    reading = 1;
    for (;;) {
        wl_flows_filter f = {.member = member, .after = c.last, .limit = PAGE};
        size_t before = c.rows;
        rc = wl_store_flows_list(s, &st->who, &f, on_row, &c);
        if (c.rc == WL_ERR_TOO_LARGE) {
            rc = wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                              "%s has more than %u flows: more than one IATI document holds",
                              member, WL_IATI_EXPORT_FLOWS_MAX);
            goto out;
        }
        if (rc == WL_OK && c.rc != WL_OK)
            rc = c.rc;
        if (rc != WL_OK) {
            rc = wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "nomem" : "store",
                              "cannot read the flows of %s", member);
            goto out;
        }
        if (c.rows - before < PAGE)
            break;
    }
    reading = 0;
    if ((rc = wl_store_commit(s)) != WL_OK) {
        rc = wl_error_set(err, rc, "store", "cannot read the flows of %s", member);
        goto out;
    }
    if (st->n == 0) {
        rc = wl_error_set(err, WL_ERR_NOT_FOUND, "no_flows",
                          "%s has no flow with an amount to export (%zu in kind)", member,
                          st->skipped);
        goto out;
    }
    qsort(st->recs, st->n, sizeof *st->recs, by_group);
    st->phase = HEAD;
out:
    if (reading)
        wl_store_rollback(s); /* a read: nothing to undo, the snapshot let go */
    json_decref(c.index);
    if (rc == WL_OK)
        *out = st;
    else
        wl_flows_iati_close(st);
    return rc;
}

/* ---- the pieces ---- */

/* A page of recs[from, to) (at most WL_FLOWS_ROWS_MAX), their bodies parsed into st->body. */
typedef struct {
    wl_iati_stream *st;
    size_t from, to, seen;
    wl_rc rc;
} page_ctx;

static wl_rc on_flow(void *ctx, const wl_flowv_row *f)
{
    page_ctx *p = ctx;
    size_t i = p->from;
    /* rows come in the order stored; within the page, recs are by activity, then row */
    while (i < p->to && p->st->recs[i].row != f->row)
        i++;
    if (i == p->to || p->st->body[i - p->from] != NULL)
        return p->rc = WL_ERR_CORRUPT;
    p->st->body[i - p->from] = json_loads(f->body ? f->body : "", JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(p->st->body[i - p->from]))
        return p->rc = WL_ERR_CORRUPT;
    p->seen++;
    return WL_OK;
}

static void unload(wl_iati_stream *st)
{
    for (size_t i = 0; i < WL_FLOWS_ROWS_MAX; i++) {
        json_decref(st->body[i]);
        st->body[i] = NULL;
    }
}

static wl_rc load(wl_iati_stream *st, wl_store *s, size_t from, size_t to)
{
    page_ctx p = {st, from, to, 0, WL_OK};
    int64_t rows[WL_FLOWS_ROWS_MAX];
    wl_rc rc;
    unload(st);
    for (size_t i = from; i < to; i++)
        rows[i - from] = st->recs[i].row;
    rc = wl_store_flows_rows(s, &st->who, rows, to - from, on_flow, &p);
    if (rc == WL_OK && p.rc != WL_OK)
        rc = p.rc;
    if (rc == WL_OK && p.seen != to - from)
        rc = WL_ERR_CORRUPT; /* a flow seen when the stream opened is gone */
    if (rc != WL_OK)
        unload(st);
    return rc;
}

/* The end of the activity that starts at recs[i]. */
static size_t group_end(const wl_iati_stream *st, size_t i)
{
    size_t e = i;
    while (e < st->n && st->recs[e].group == st->recs[i].group)
        e++;
    return e;
}

/* Its IATI identifier, from a flow body of it. */
static void group_id(wl_iati_stream *st, const json_t *b)
{
    const char *of[5];
    static const char *const keys[5] = {"activity", "pledge", "requirement", "instrument", "flow"};
    char key[260];
    for (int k = 0; k < 5; k++)
        of[k] = json_string_value(json_object_get(b, keys[k]));
    (void)wl_iati_group_key(of, st->member, key, sizeof key, st->id, sizeof st->id);
}

/* Whole activities of at most WL_FLOWS_ROWS_MAX flows together, read at once, written whole. */
static wl_rc small_groups(wl_iati_stream *st, wl_store *s, wl_iati_out *o)
{
    size_t end = group_end(st, st->pos), e;
    wl_rc rc;
    while (end < st->n && (e = group_end(st, end)) - st->pos <= WL_FLOWS_ROWS_MAX)
        end = e;
    if ((rc = load(st, s, st->pos, end)) != WL_OK)
        return rc;
    for (size_t g = st->pos; g < end; g = e) {
        e = group_end(st, g);
        memset(&st->g, 0, sizeof st->g);
        for (size_t i = g; i < e; i++)
            wl_iati_group_add(&st->g, st->body[i - st->pos], st->member);
        group_id(st, st->body[g - st->pos]);
        wl_iati_activity_head(o, st->member, st->id, &st->g);
        for (size_t i = g; i < e && rc == WL_OK; i++)
            rc = wl_iati_transaction(o, st->body[i - st->pos]) == WL_OK ? WL_OK : WL_ERR_CORRUPT;
        wl_iati_activity_tail(o);
    }
    unload(st);
    st->pos = end;
    return rc;
}

/* A larger activity's head: its flows read a page at a time, gathered. */
static wl_rc big_group_head(wl_iati_stream *st, wl_store *s, wl_iati_out *o)
{
    wl_rc rc = WL_OK;
    st->end = group_end(st, st->pos);
    memset(&st->g, 0, sizeof st->g);
    for (size_t from = st->pos; from < st->end && rc == WL_OK; from += WL_FLOWS_ROWS_MAX) {
        size_t to = st->end - from < WL_FLOWS_ROWS_MAX ? st->end : from + WL_FLOWS_ROWS_MAX;
        if ((rc = load(st, s, from, to)) != WL_OK)
            break;
        if (from == st->pos)
            group_id(st, st->body[0]);
        for (size_t i = from; i < to; i++)
            wl_iati_group_add(&st->g, st->body[i - from], st->member);
    }
    unload(st);
    if (rc == WL_OK)
        wl_iati_activity_head(o, st->member, st->id, &st->g);
    return rc;
}

/* A page of a larger activity's transactions, and its tail after the last. */
static wl_rc big_group_page(wl_iati_stream *st, wl_store *s, wl_iati_out *o)
{
    size_t to = st->end - st->pos < WL_FLOWS_ROWS_MAX ? st->end : st->pos + WL_FLOWS_ROWS_MAX;
    wl_rc rc = load(st, s, st->pos, to);
    for (size_t i = st->pos; i < to && rc == WL_OK; i++)
        rc = wl_iati_transaction(o, st->body[i - st->pos]) == WL_OK ? WL_OK : WL_ERR_CORRUPT;
    unload(st);
    st->pos = to;
    if (rc == WL_OK && st->pos == st->end) {
        wl_iati_activity_tail(o);
        st->phase = GROUP;
    }
    return rc;
}

wl_rc wl_flows_iati_next(wl_iati_stream *st, wl_store *s, const char **piece, size_t *len,
                         wl_error *err)
{
    wl_iati_out o = {&st->piece, WL_OK};
    wl_rc rc = WL_OK;
    st->piece.len = 0;
    if (st->phase == HEAD) {
        wl_iati_doc_head(&o, st->generated[0] ? st->generated : NULL, st->skipped);
        st->phase = GROUP;
    } else if (st->phase == GROUP && st->pos == st->n) {
        wl_iati_doc_tail(&o);
        st->phase = DONE;
    } else if (st->phase == GROUP && group_end(st, st->pos) - st->pos <= WL_FLOWS_ROWS_MAX) {
        rc = small_groups(st, s, &o);
    } else if (st->phase == GROUP) {
        if ((rc = big_group_head(st, s, &o)) == WL_OK)
            st->phase = TRANSACTIONS;
    } else if (st->phase == TRANSACTIONS) {
        rc = big_group_page(st, s, &o);
    }
    if (rc == WL_OK && o.rc != WL_OK)
        rc = o.rc;
    if (rc != WL_OK) {
        st->phase = DONE;
        st->piece.len = 0;
        return wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "nomem" : "store",
                            "cannot write the IATI document of %s", st->member);
    }
    *piece = st->piece.len ? st->piece.buf : "";
    *len = st->piece.len;
    return WL_OK;
}

wl_rc wl_flows_iati(wl_store *s, const wl_flows_viewer *v, const char *member,
                    const char *generated, wl_buf *out, size_t *skipped, wl_error *err)
{
    wl_iati_stream *st = NULL;
    const char *piece;
    size_t len;
    wl_rc rc = wl_flows_iati_open(s, v, member, generated, &st, err);
    *skipped = st ? st->skipped : 0;
    while (rc == WL_OK && (rc = wl_flows_iati_next(st, s, &piece, &len, err)) == WL_OK && len)
        if ((rc = wl_buf_append(out, piece, len, WL_IATI_EXPORT_MAX_BYTES)) != WL_OK)
            rc = wl_error_set(err, rc, "too_large", "the IATI document is larger than %u MiB",
                              WL_IATI_EXPORT_MAX_BYTES >> 20);
    wl_flows_iati_close(st);
    return rc;
}
