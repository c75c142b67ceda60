/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's monitor family (lib/store/store_monitor.c): table reports, one
 * row per monitor.report entry (when, where, what, the body as signed), for
 * the views by day and type; report_logged, the time the log sequenced each
 * (not determined by the log, so fsck does not compare it); report_overrides,
 * one row per monitor.merge or monitor.split entry. The store knows
 * no meaning: the rules are lib/monitor's. Included by store/store.h;
 * docs/internals/monitor.md ("Tables").
 */
#ifndef WILLING_STORE_MONITOR_H
#define WILLING_STORE_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* One report: the entry (idx) that is it. */
typedef struct {
    uint64_t idx, precision_s, radius_m, count;
    int64_t observed, signed_at, logged;
    bool has_point; /* lon, lat, radius_m; else oblast (and settlement, "" when none) */
    double lon, lat;
    char author[65];
    char day[11]; /* the observed time's UTC day, YYYY-MM-DD */
    char type[40];
    char oblast[40];
    const char *settlement; /* "" when none */
    const char *body;       /* the report's JSON as signed */
} wl_store_report;

/* Stores a report and its logged time (r->settlement and r->body are copied). */
wl_rc wl_store_report_put(wl_store *s, const wl_store_report *r) WL_MUST;
/* Called per report; settlement and body live until fn returns. Not WL_OK stops the walk. */
typedef wl_rc (*wl_store_report_fn)(void *ctx, const wl_store_report *r);
/*
 * The reports of index > after, observed on day (NULL: any) of type (NULL:
 * any), by index, at most limit; *more: whether another one follows.
 */
wl_rc wl_store_reports(wl_store *s, const char *day, const char *type, uint64_t after,
                       unsigned limit, wl_store_report_fn fn, void *ctx, bool *more) WL_MUST;
/* The reports of author (a member id) of index > after, by index, at most limit; *more as above. */
wl_rc wl_store_reports_by(wl_store *s, const char *author, uint64_t after, unsigned limit,
                          wl_store_report_fn fn, void *ctx, bool *more) WL_MUST;
/* Each report observed on a UTC day from from_day to to_day (YYYY-MM-DD, both included), of
 * type (NULL: any): its observed time and type (live until fn returns), in no order. */
typedef wl_rc (*wl_store_report_time_fn)(void *ctx, int64_t observed, const char *type);
wl_rc wl_store_report_times(wl_store *s, const char *from_day, const char *to_day, const char *type,
                            wl_store_report_time_fn fn, void *ctx) WL_MUST;
/* The report at idx, given to fn (WL_ERR_NOT_FOUND: that entry is no report). */
wl_rc wl_store_report_get(wl_store *s, uint64_t idx, wl_store_report_fn fn, void *ctx) WL_MUST;
/*
 * The reports with coordinates of index > after, by index, at most limit, for
 * the incidents' engine: idx, observed, precision_s, type, lon, lat, radius_m
 * only (body and settlement ""). *last: the last index given (after if none).
 */
wl_rc wl_store_report_points(wl_store *s, uint64_t after, unsigned limit, wl_store_report_fn fn,
                             void *ctx, uint64_t *last) WL_MUST;

/* A split or merge of incidents: the entry (idx) that is it. */
typedef struct {
    uint64_t idx;
    const char *op;      /* "merge" or "split" */
    const char *author;  /* a member id */
    const char *reports; /* the indexes it names, a JSON array as the body gives it */
    const char *reason;
} wl_store_override;
/* Stores one (the strings are copied). */
wl_rc wl_store_override_put(wl_store *s, const wl_store_override *o) WL_MUST;
/* Every override by index; its strings live until fn returns. Not WL_OK stops the walk. */
typedef wl_rc (*wl_store_override_fn)(void *ctx, const wl_store_override *o);
wl_rc wl_store_overrides(wl_store *s, wl_store_override_fn fn, void *ctx) WL_MUST;
/* How many are stored. */
wl_rc wl_store_override_count(wl_store *s, uint64_t *n) WL_MUST;

#endif
