/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What lib/pressure/align.c (the subjects grouped across lists, the matrix),
 * align_join.c (the joins by identifier and name) and align_views.c (their
 * JSON and CSV) share: the alignment of one data version, read-only once
 * built, and its builder. docs/internals/pressure.md, "Alignment".
 */
#ifndef WILLING_PRESSURE_ALIGN_INT_H
#define WILLING_PRESSURE_ALIGN_INT_H

#include <stdint.h>

#include "willing/names.h"
#include "willing/pressure_align.h"

/* What joined two designations into one subject. */
enum { WL_JOIN_DECISION, WL_JOIN_IDENTIFIER, WL_JOIN_NAME };

typedef struct {
    uint32_t list; /* lists[] */
    char subject[65], type[12], listed[11];
    int64_t days; /* listed, days since 1970-01-01 */
    char *name;   /* the primary name as written */
    uint32_t group;
} al_desig;

typedef struct {
    char name[65];
    int member;               /* a member's own list; else another authority's (reference) */
    uint32_t subjects, first; /* subjects it designates; of them, those it designated first */
} al_list;

typedef struct {
    uint32_t a, b; /* designations */
    int by;        /* WL_JOIN_* */
    char detail[160];
} al_join;

/* One list's part in a subject: its earliest listing. */
typedef struct {
    uint32_t list, desig;
    int64_t days;
} al_part;

typedef struct {
    uint32_t d0, nd;    /* its designations: order[d0 .. d0 + nd) */
    uint32_t p0, np;    /* its lists: parts[p0 .. p0 + np), by list */
    uint32_t j0, nj;    /* what joined them: joins[j0 .. j0 + nj) */
    int64_t first_days; /* the earliest listing by a member; INT64_MAX when none */
} al_group;

/* A pair of member lists (x, y), x != y. */
typedef struct {
    uint32_t x_not_y, both, y_after_x, same_day;
    int64_t median; /* days; -1 when y never followed x */
} al_pair;

struct wl_pressure_align {
    uint64_t version;
    al_desig *d;
    uint32_t nd;
    al_list *lists;
    uint32_t nl;
    uint32_t *members; /* lists[] of the member lists, by name */
    uint32_t nm;
    uint32_t *order; /* designations by group */
    al_group *g;
    uint32_t ng;
    al_part *parts;
    al_join *joins; /* by group */
    uint32_t nj;
    uint32_t kept_apart; /* joins a decision "different" refused */
    uint64_t compared;   /* pairs of designations tried by identifier or name: the work */
    al_pair *pairs;      /* nm x nm, [x * nm + y] */
};

/* ---- building (align.c, align_join.c) ---- */

typedef struct {
    char *key; /* an identifier "family:VALUE", or a name's loose key */
    uint32_t d;
} al_keyed;

typedef struct {
    wl_pressure_align *a;
    wl_names *n;
    wl_error *err;
    wl_name_keys *keys;
    al_keyed *ids, *names;
    size_t nids, capids, nnames, capnames;
    wl_name_date **dobs; /* per designation, ndobs[i] of them */
    uint32_t *ndobs;
    uint32_t *parent;
    uint32_t (*diff)[2]; /* decisions "different": designations kept apart */
    uint32_t ndiff, capdiff;
    uint32_t capd, capl, capj;
} al_builder;

/* *p grown to hold n + 1 of size (doubling *cap): 0, or -1 out of memory. */
int wl_pressure_align_grow(void **p, uint32_t *cap, size_t n, size_t size);
/* The group of designation x (union-find over parent, paths halved). */
uint32_t wl_pressure_align_find(uint32_t *parent, uint32_t x);
/* Joins the groups of x and y (by WL_JOIN_*, detail why in words) unless one already, or a
   decision "different" keeps them apart (counted in kept_apart): 0, or -1 out of memory. */
int wl_pressure_align_join(al_builder *b, uint32_t x, uint32_t y, int by, const char *detail);
/* The joins by shared identifiers, then by names (align_join.c). */
wl_rc wl_pressure_align_join_keys(al_builder *b);

#endif
