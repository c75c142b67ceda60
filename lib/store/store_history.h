/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's history family (lib/store/store_history.c): UCDP's events
 * (table history), one per event of a history.batch entry, apart from
 * monitors' reports. Each row keeps the event as its entry gives it (compact
 * JSON) and the columns the views select and count by; the store knows no
 * meaning. Included by store/store.h; docs/internals/store.md.
 */
#ifndef WILLING_STORE_HISTORY_H
#define WILLING_STORE_HISTORY_H

#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* One event: the entry (idx), its place in it (row); texts borrowed. */
typedef struct {
    uint64_t idx, row, line, part, parts, id;
    int year, type;
    const char *source, *release, *file, *date_start, *date_end;
    double lat, lon;
    uint64_t best, high, low;
    const char *event; /* the event's JSON as its entry holds it */
} wl_store_history;

wl_rc wl_store_history_put(wl_store *s, const wl_store_history *h) WL_MUST;
/*
 * The file and first entry stored for a source's release: WL_ERR_NOT_FOUND
 * when none. With part not 0, the entry holding that part instead.
 */
wl_rc wl_store_history_release(wl_store *s, const char *source, const char *release, uint64_t part,
                               char file[65], uint64_t *idx) WL_MUST;
/* The release imported last (highest entry) into release (cap bytes); WL_ERR_NOT_FOUND: none. */
wl_rc wl_store_history_latest(wl_store *s, const char *source, char *release, size_t cap) WL_MUST;
/* The entry holding event id of a release in *idx; WL_ERR_NOT_FOUND when none. */
wl_rc wl_store_history_has(wl_store *s, const char *source, const char *release, uint64_t id,
                           uint64_t *idx) WL_MUST;

/* One count: a year and type's events and sums of best, high, low (year 0: a part's row). */
typedef struct {
    int year, type;
    uint64_t events, best, high, low;
} wl_store_history_count;
typedef wl_rc (*wl_store_history_count_fn)(void *ctx, const wl_store_history_count *c);
/* A release's counts by year and type, in that order. */
wl_rc wl_store_history_counts(wl_store *s, const char *source, const char *release,
                              wl_store_history_count_fn fn, void *ctx) WL_MUST;
/* Each part of a release: its number, parts, entry and file, by part. */
typedef wl_rc (*wl_store_history_part_fn)(void *ctx, uint64_t part, uint64_t parts, uint64_t idx,
                                          const char *file);
wl_rc wl_store_history_parts(wl_store *s, const char *source, const char *release,
                             wl_store_history_part_fn fn, void *ctx) WL_MUST;

/* Which events: days overlapping [from, to] ("" open), a box (box 0: any), a type (0: any). */
typedef struct {
    const char *source, *release, *from, *to;
    int box, type;
    double west, south, east, north;
    uint64_t offset, limit;
} wl_store_history_query;
typedef wl_rc (*wl_store_history_fn)(void *ctx, uint64_t idx, const char *event);
/* A page of events by date_start, then id. */
wl_rc wl_store_history_events(wl_store *s, const wl_store_history_query *q, wl_store_history_fn fn,
                              void *ctx) WL_MUST;

#endif
