/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to lib/monitor/correlate*.c: the engine's state. Reports live in
 * slots; a slot's place in the canonical order (coarsest level first, then
 * by id) is its index after a rebuild. The space-time grid has one level per
 * precision class (cells sized by the level's largest radius and time
 * precision, WL_CORR_D_M and WL_CORR_T_S), keyed in one open-addressing
 * table; reports vaguer than the coarsest level are one list. Joins are
 * kept in a union-find and, for the explanation, as the edges of the
 * canonical spanning forest. docs/internals/monitor.md ("Incidents").
 */
#ifndef WILLING_CORRELATE_INT_H
#define WILLING_CORRELATE_INT_H

#include <math.h>

#include "willing/correlate.h"

#define CORR_LEVELS 4 /* grids; level CORR_LEVELS is the coarse list */
#define CORR_NONE UINT32_MAX

typedef struct {
    uint64_t id, minid; /* minid: at a union-find root, its incident's smallest id */
    int64_t t;
    double phi, lam, cphi; /* radians; cos(phi) */
    uint32_t pt, radius, next, parent, size, cls;
    uint32_t mark, best; /* a root: the report joining now, its smallest passing slot */
    uint8_t type, level;
} corr_slot;

typedef struct {
    uint32_t a, b, how;
    uint64_t ov;
    double dist;
    int64_t gap;
} corr_edge;

typedef struct {
    uint64_t *keys; /* 0: empty */
    uint32_t *vals;
    size_t cap, n;
} corr_table;

/* A coarse level frozen while the finer ones are joined (a rebuild): its reports by
 * cell and time, so that a query reads only those within its time window, in a row. */
typedef struct {
    uint64_t key;
    int64_t t;
    uint32_t slot, pt, cls; /* what the window and the class need, beside the key: */
    uint32_t type;          /* the slot is read only for a candidate */
} corr_fentry;

/* A laid out level's report, in two arrays side by side: what the window and the class need
 * (read for every report of a cell), and what the distance needs (for those that pass). */
typedef struct {
    int64_t t;
    uint32_t slot, pt, cls, type;
} corr_hot;

typedef struct {
    double phi, lam, cphi;
    uint32_t radius;
} corr_cold;

typedef struct {
    corr_fentry *e; /* by row and column, then t */
    size_t n;
    corr_table idx; /* a cell's key (with its time bucket) -> its first entry */
} corr_frozen;

/* A level laid out by a rebuild before its first report is joined: its reports by cell (row,
 * column, time bucket), then by slot, and each cell of the level's box by its place in the box
 * (row, then column, then bucket: a column's buckets side by side, so a query's window is one
 * run of start). A query reads in each cell the reports before it in the canonical order (its
 * own level's: a prefix, those its chain would hold; a coarser level's: all), in a row: an
 * array read a cell instead of a hash lookup and a chain. */
typedef struct {
    double dlat, dlon;        /* a cell's side, degrees */
    int64_t nrows, ncols, ct; /* rows and columns of the globe; a time bucket, s */
} corr_geom;

typedef struct {
    corr_hot *h;     /* by cell, then slot */
    corr_cold *k;    /* h's reports' points */
    uint32_t *start; /* a cell's first entry; start[cells] = n (the coarse list: none) */
    size_t n;
    uint32_t first;     /* the slot of the level's first report (its run is first.. on) */
    corr_geom g;        /* the grid's cells of its level, finer (LAY_SUB in correlate_grid.c) */
    int64_t r0, c0, b0; /* the box: its first row, column and time bucket */
    int64_t nr, nc, nb; /* and how many of each */
} corr_laid;

/* The reports a query found that v joins (their slots), in the order found. */
typedef struct {
    uint32_t *v;
    size_t n, cap;
} corr_cands;

typedef struct {
    uint64_t index;
    wl_corr_op op;
    uint64_t *reports; /* a split's sorted */
    size_t n;
} corr_override;

typedef struct {
    uint64_t id;
    uint32_t cls;
} corr_named;

struct wl_corr {
    wl_corr_compat compat;
    corr_slot *s;
    size_t n, cap;
    corr_table cells, ids;
    size_t occupied[CORR_LEVELS], count[CORR_LEVELS + 1];
    uint32_t list_head;
    double dlat[CORR_LEVELS], dlon[CORR_LEVELS];
    int64_t ct[CORR_LEVELS];
    int32_t nrows[CORR_LEVELS], ncols[CORR_LEVELS];
    corr_edge *e;
    size_t ne, ecap;
    corr_cands cand; /* a query's candidates */
    uint32_t *croot; /* their roots */
    size_t rcap;
    unsigned threads; /* a rebuild's threads (wl_corr_set_threads); 0: one a core */
    corr_override *ov;
    size_t nov;
    corr_named *named; /* reports some split names, by id: their class of splits */
    size_t nnamed;
    uint64_t *merged; /* reports some merge names, sorted */
    size_t nmerged;
    corr_frozen fz[CORR_LEVELS]; /* during a rebuild only; e NULL: not frozen */
    corr_laid lay[CORR_LEVELS];  /* during a rebuild only; h NULL: frozen, or the chains */
    corr_laid list;              /* the coarse list so, by slot (no cells) */
    int stale;  /* the edges are not the canonical forest's: rebuild before showing */
    int broken; /* a rebuild failed midway: rebuild before anything */
};

/* The haversine of two points (phi, lam, cos phi): the one expression every distance uses. */
static inline double corr_hav(double phi1, double lam1, double cphi1, double phi2, double lam2,
                              double cphi2)
{
    double sp = sin((phi1 - phi2) / 2), sl = sin((lam1 - lam2) / 2);
    return sp * sp + cphi1 * cphi2 * sl * sl;
}

uint32_t wl_corr_find(wl_corr *c, uint32_t x);
wl_rc wl_corr_rebuild(wl_corr *c, wl_error *err);
/* lib/monitor/correlate_grid.c (the grid):
 * wl_corr_frozen_build: f's entries (e, n filled by the caller) indexed; on
 * failure f is emptied (the level is then read through its chains). */
void wl_corr_frozen_build(corr_frozen *f);
void wl_corr_frozen_free(corr_frozen *f);
/* The entries of level L's cell (row, col), time buckets b0 to b1, with t in [tlo, thi]:
 * *first and how many (in a row: the entries go by row and column, then by time). */
size_t wl_corr_frozen_range(const corr_frozen *f, int L, int64_t row, int64_t col, int64_t b0,
                            int64_t b1, int64_t tlo, int64_t thi, const corr_fentry **first);
void wl_corr_grid_init(wl_corr *c);
uint8_t wl_corr_level(uint32_t radius_m, uint32_t pt);
uint64_t corr_mix(uint64_t k);
uint32_t *wl_corr_table_get(const corr_table *t, uint64_t key);
wl_rc wl_corr_table_reserve(corr_table *t, size_t n); /* on failure unchanged */
void wl_corr_table_put(corr_table *t, uint64_t key, uint32_t val);
void wl_corr_table_clear(corr_table *t);
wl_rc wl_corr_reserve(void **p, size_t *cap, size_t need, size_t size);
/* Every held report v joins (v not yet in the grid): within both windows, its class and
 * splits, into c->cand (c->croot reserved as long). */
wl_rc wl_corr_gather(wl_corr *c, uint32_t v);
/* The same, appended to out; reads c only, so several threads may ask at once while no
 * report is put in the grid (a rebuild with every level laid out: correlate_par.c). */
wl_rc wl_corr_gather_into(const wl_corr *c, uint32_t v, corr_cands *out);
void wl_corr_grid_put(wl_corr *c, uint32_t v); /* the tables reserved before */
/* Level L, whose reports end at slot end, frozen (on no memory: read through its chains). */
void wl_corr_freeze(wl_corr *c, int L, uint32_t end);
/* The reports of first's level from slot first on (a rebuild's run of one level) laid out in
 * c->lay (on no memory, or a box too large for its reports: not; frozen when complete, then),
 * or the coarse list's in c->list. */
void wl_corr_lay_out(wl_corr *c, uint32_t first);
void wl_corr_laid_free(corr_laid *a);
/* lib/monitor/correlate_par.c: a rebuild's queries on threads, every level laid out. NULL:
 * not worth it (one thread, few reports) or no memory: the rebuild gathers each itself. */
typedef struct corr_pipe corr_pipe;
corr_pipe *wl_corr_pipe_start(const wl_corr *c, unsigned threads);
/* v's candidates, v from 0 on, each asked once in order (valid until the next block's). */
wl_rc wl_corr_pipe_next(corr_pipe *p, uint32_t v, const uint32_t **cand, size_t *n);
void wl_corr_pipe_end(corr_pipe *p); /* NULL: a no-op */
/* lib/monitor/correlate.c */
uint32_t *wl_corr_slot_of(const wl_corr *c, uint64_t id); /* NULL: not held */

#endif
