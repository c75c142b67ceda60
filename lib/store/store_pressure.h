/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's pressure family (lib/store/sqlite_pressure.c): table
 * designations, a list's subject by (source, subject) with its latest
 * pressure.designation body, and table pressure_snapshots, an import's
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

typedef struct {
    uint64_t idx;
    const char *author, *list, *file, *date, *body;
} wl_store_snapshot;
wl_rc wl_store_snapshot_put(wl_store *s, const wl_store_snapshot *p) WL_MUST;

#endif
