/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's pressure family (lib/store/store_pressure.c): table
 * designations, a list's subject by (source, subject) with its latest
 * pressure.designation body; table pressure_decisions, the latest analyst's
 * pressure.decision on a pair of them; table pressure_snapshots, an import's
 * pressure.snapshot. The store knows no meaning. Included by store/store.h;
 * docs/internals/store.md.
 */
#ifndef WILLING_STORE_PRESSURE_H
#define WILLING_STORE_PRESSURE_H

#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* A designation: texts borrowed. first is the entry that first designated it (kept on update). */
typedef struct {
    const char *source, *subject, *author, *type, *listed, *delisted; /* delisted: NULL if not */
    uint64_t idx, first;
    const char *body; /* the latest body, compact JSON as its entry holds it */
} wl_store_designation;

/* Stores d, replacing the same (source, subject)'s earlier row but for its first entry. */
wl_rc wl_store_designation_put(wl_store *s, const wl_store_designation *d) WL_MUST;
typedef wl_rc (*wl_store_designation_fn)(void *ctx, const wl_store_designation *d);
/*
 * Designations by (source, subject) after (after_source, after_subject) ("" ""
 * from the first), of one source (NULL: every one), at most limit.
 */
wl_rc wl_store_designations(wl_store *s, const char *source, const char *after_source,
                            const char *after_subject, uint64_t limit, wl_store_designation_fn fn,
                            void *ctx) WL_MUST;

/* *found set when (source, subject) has a stored designation (delisted or not). */
wl_rc wl_store_designation_exists(wl_store *s, const char *source, const char *subject,
                                  int *found) WL_MUST;

/* An analyst's decision on a pair of designations, a before b in (list, subject) order. */
typedef struct {
    const char *a_list, *a_subject, *b_list, *b_subject, *author, *reason;
    int same;
    uint64_t idx;
} wl_store_decision;
/* Stores d, replacing an earlier decision on the same pair. */
wl_rc wl_store_decision_put(wl_store *s, const wl_store_decision *d) WL_MUST;
typedef wl_rc (*wl_store_decision_fn)(void *ctx, const wl_store_decision *d);
/* Every decision, by pair. */
wl_rc wl_store_decisions(wl_store *s, wl_store_decision_fn fn, void *ctx) WL_MUST;
/*
 * The largest entry index among the rows of designations (*designation) and of
 * pressure_decisions (*decision), 0 where none: every put stores its entry's
 * index, larger than any before, so either number moves exactly when its table
 * is written. Two index seeks.
 */
wl_rc wl_store_pressure_last(wl_store *s, uint64_t *designation, uint64_t *decision) WL_MUST;

typedef struct {
    uint64_t idx;
    const char *author, *list, *file, *date, *body;
} wl_store_snapshot;
wl_rc wl_store_snapshot_put(wl_store *s, const wl_store_snapshot *p) WL_MUST;
/* The latest snapshot of list: its entry, file hash and date; WL_ERR_NOT_FOUND if none. */
wl_rc wl_store_snapshot_latest(wl_store *s, const char *list, uint64_t *idx, char file[65],
                               char date[11]) WL_MUST;
/* The latest snapshot of list whose file hash is file: its entry and date; WL_ERR_NOT_FOUND if
 * none (a scan of the list's snapshots, one an import). */
wl_rc wl_store_snapshot_of_file(wl_store *s, const char *list, const char *file, uint64_t *idx,
                                char date[11]) WL_MUST;
typedef wl_rc (*wl_store_snapshot_fn)(void *ctx, const wl_store_snapshot *p);
/* Every snapshot of list (NULL: of every list), by (list, entry); texts borrowed for the call. */
wl_rc wl_store_snapshots(wl_store *s, const char *list, wl_store_snapshot_fn fn, void *ctx) WL_MUST;

#endif
