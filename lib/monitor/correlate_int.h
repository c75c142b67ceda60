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

#include "willing/correlate.h"

#define CORR_LEVELS 4 /* grids; level CORR_LEVELS is the coarse list */
#define CORR_NONE UINT32_MAX

typedef struct {
    uint64_t id, minid; /* minid: at a union-find root, its incident's smallest id */
    int64_t t;
    double phi, lam, cphi; /* radians; cos(phi) */
    uint32_t pt, radius, next, parent, size, cls;
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
    uint32_t *cand;
    size_t ncand, ccap;
    corr_override *ov;
    size_t nov;
    corr_named *named; /* reports some split names, by id: their class of splits */
    size_t nnamed;
    uint64_t *merged; /* reports some merge names, sorted */
    size_t nmerged;
    int stale;  /* the edges are not the canonical forest's: rebuild before showing */
    int broken; /* a rebuild failed midway: rebuild before anything */
};

uint32_t wl_corr_find(wl_corr *c, uint32_t x);
wl_rc wl_corr_rebuild(wl_corr *c, wl_error *err);
uint32_t *wl_corr_slot_of(const wl_corr *c, uint64_t id); /* NULL: not held */

#endif
