/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the three files of the flows views' totals share (private to
 * lib/store): store_flows_totals.c keeps the totals, store_flows_conv.c the
 * converted totals (flow_csums, flow_days) and what a rate stored moves,
 * store_flows_cells.c the cells held in memory that both add to. Their statements, the kinds of
 * cell, a live flow as the totals see it. docs/internals/flows.md ("Views").
 */
#ifndef WILLING_STORE_FLOWS_TOTALS_H
#define WILLING_STORE_FLOWS_TOTALS_H

#include "store/store_int.h"

enum {
    T_SUMS_GET,
    T_SUMS_PUT,
    T_ISUMS_GET,
    T_ISUMS_PUT,
    T_LIVE_PUT,
    T_LIVE_GET,
    T_LIVE_DEL,
    T_LIVE_ANSWERS,
    T_LIVE_FROM_FLOW,
    T_FIRST_ADD,
    T_FIRST_REDO,
    T_RFIRST_ADD,
    T_RFIRST_DEL,
    T_RFIRST_REDO,
    T_CSUMS_GET,
    T_CSUMS_PUT,
    T_DAYS_GET,
    T_DAYS_PUT,
    T_TARGETS,
    T_RATE_AT,
    T_COUNT
};
_Static_assert(T_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

/* The cells held in memory: one per row of flow_sums, flow_isums, flow_csums, flow_days touched. */

#define WAYS 5                   /* flow_sums' g: 0-4 */
#define READ_WAYS 3              /* flow_sums' g 5-7: a reader's share */
#define ISUMS (WAYS + READ_WAYS) /* a cell of flow_isums (its key is the instrument) */
#define READER_SEALED 2          /* flow_isums' sealed of a reader's share */
#define CSUMS 10                 /* 10 + way (0-7): a cell of flow_csums */
#define DAYS 20                  /* a cell of flow_days (key: the day, measure: the currency) */
#define CONV 5                   /* flow_csums' converted sums: rep, ca, da, cp, dp */
#define TARGETS_MAX WL_RATE_TARGETS_MAX /* currencies converted into, kept */
#define CELLS 4096                      /* slots; written out when half are used */
#define FIGS 6 /* reported, conf_all, disp_all, conf_pub, disp_pub, n (isums: total .. n) */

typedef struct {
    bool used, present, dirty; /* present: the row exists, or will once written */
    int g, sealed, money;
    char author[65], key[65], stage[16], measure[65];
    int64_t v[FIGS]; /* flow_csums: n, nrep, nca, nda, ncp, ndp; flow_days: n in v[0] */
    wl_i128 w[CONV]; /* flow_csums only */
} wl_sq_cell;

struct wl_sq_totals {
    size_t used;
    wl_sq_cell c[CELLS];
    /*
     * The currencies converted into (flow_ctargets), read once while the file's data
     * version stays dv (SQLite's, changed by every commit) and until a rate names a new
     * one or a rollback: a money flow's conversion otherwise read the table per flow.
     */
    bool targets_read;
    unsigned dv;
    size_t ntargets;
    char targets[TARGETS_MAX][4];
};

/* A live flow as the totals see it: its keys and figures. */
typedef struct {
    char author[65], category[33], month[8], date[11], stage[16], measure[65];
    char pledge[33], instrument[65];
    int sealed, money;
    int64_t fig, ans[4]; /* conf_all, disp_all, conf_pub, disp_pub */
    size_t nreaders;     /* of a sealed flow: the readers it names, its author left out */
    char readers[WL_FLOW_READERS_MAX][65];
} wl_sq_live;

/* A statement of the family, reset. */
wl_st *wl_sq_tot_stmt(wl_store *s, int q);
/* The cell of a key (g: a way, ISUMS, CSUMS + way or DAYS), read the first time; NULL: *rc. */
wl_sq_cell *wl_sq_tot_find(wl_store *s, int g, const char *author, const char *key, int sealed,
                           const char *stage, int money, const char *measure, wl_rc *rc);
/* Room for k more cells, writing out what is held when half are used. */
wl_rc wl_sq_tot_room(wl_store *s, size_t k) WL_MUST;
/* The readers a sealed flow names (JSON), each once, its author left out. */
void wl_sq_tot_readers_of(const char *json, wl_sq_live *l);
/* The live row of a flow; WL_ERR_NOT_FOUND when it is not live. */
wl_rc wl_sq_tot_live_get(wl_store *s, const char *flow, wl_sq_live *l) WL_MUST;
/* Adds sign x live flow l to flow_days and, converted into each target, to flow_csums. */
wl_rc wl_sq_tot_conv(wl_store *s, const wl_sq_live *l, int sign) WL_MUST;
#endif
