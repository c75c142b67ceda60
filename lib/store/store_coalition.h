/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's coalition family: requirements with their endorsement, and the
 * facts the coordinator records (tables requirements, facts). Pledges are
 * sealed content (store_sealed.h); the coverage views are built from these and
 * cached by the daemon, not stored. Included by store/store.h;
 * lib/store/store_coalition.c implements it.
 */
#ifndef WILLING_STORE_COALITION_H
#define WILLING_STORE_COALITION_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* Requirements (the body is its JSON) and their endorsement by the host nation. */
wl_rc wl_store_requirement_put(wl_store *s, const char *id, const char *body,
                               uint64_t set_idx) WL_MUST; /* clears an endorsement */
wl_rc wl_store_requirement_get(wl_store *s, const char *id, uint64_t *set_idx,
                               uint64_t *endorsed_idx) WL_MUST;
wl_rc wl_store_requirement_endorse(wl_store *s, const char *id, uint64_t idx) WL_MUST;
typedef wl_rc (*wl_requirement_fn)(void *ctx, const char *id, const char *body, uint64_t set_idx,
                                   uint64_t endorsed_idx);
wl_rc wl_store_requirements(wl_store *s, wl_requirement_fn fn, void *ctx) WL_MUST;

/*
 * Facts the coordinator records or retracts; *names: the recorded ones (free
 * each, then it). On any error *names is NULL and *n 0.
 */
wl_rc wl_store_fact_set(wl_store *s, const char *name, int recorded, uint64_t idx) WL_MUST;
wl_rc wl_store_facts(wl_store *s, char ***names, size_t *n) WL_MUST;

/*
 * Announced pledges (table pledges_announced): each with its author, its
 * content's time (its day), its category and its announce entry's index, so
 * that flows naming a public pledge find it from the log alone (fsck's replay
 * too). WL_ERR_NOT_FOUND for a pledge not announced; *out zeroed on error.
 */
typedef struct {
    char author[65], category[33];
    int64_t time;
    uint64_t idx;
} wl_pledge_public;
wl_rc wl_store_pledge_announced(wl_store *s, const char *pledge, const wl_pledge_public *p) WL_MUST;
wl_rc wl_store_pledge_public(wl_store *s, const char *pledge, wl_pledge_public *out) WL_MUST;

/*
 * Pledges retired under seal (table pledges_retired, the operator's): withdrawn
 * by their author (successor NULL / "") or amended by another of the author's
 * pledges (its id), at the log size when that sealed content was stored. Only
 * the first retirement of a pledge is kept. wl_store_pledge_retired answers
 * WL_ERR_NOT_FOUND for a pledge never retired; *out zeroed on error.
 */
typedef struct {
    uint64_t at;
    char successor[33];
} wl_pledge_retired;
wl_rc wl_store_pledge_retire(wl_store *s, const char *pledge, uint64_t at,
                             const char *successor) WL_MUST;
wl_rc wl_store_pledge_retired(wl_store *s, const char *pledge, wl_pledge_retired *out) WL_MUST;

#endif
