/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's flows family: flows with their correction chains (table
 * flows), the host nation's confirmations and disputes (flow_answers), the
 * instruments that pay for them (instruments) and the coordinator's dated
 * exchange rates (rates). Third-party reference rows (refs) are kiel's:
 * store_flows_ref.h. The rules are lib/flows'; the store knows no meaning.
 * Included by store/store.h; lib/store/store_flows.c implements it.
 */
#ifndef WILLING_STORE_FLOWS_H
#define WILLING_STORE_FLOWS_H

#include <stdbool.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* Sums of exact decimals: 128 bits (GCC and Clang; __extension__ keeps -Wpedantic quiet). */
__extension__ typedef __int128 wl_i128;

/*
 * A flow's row. Strings are "" when absent. idx is its entry's index, or the
 * log's size when it was sealed (until it is announced); row its place in a
 * flow.batch entry, -1 for a single flow. readers and body are read by the
 * put only (wl_store_flow_get leaves them NULL).
 */
typedef struct {
    char id[33];
    uint64_t idx;
    int64_t row;
    char author[65], pledge[33], requirement[65], instrument[65], activity[201], category[33];
    char stage[16], date[11], unit[65], currency[4];
    bool has_qty, has_amount, sealed;
    int64_t qty, amount; /* scaled by 10^4 */
    char superseded_by[33];
    const char *readers; /* JSON array, sealed flows only, or NULL */
    const char *body;    /* the flow's JSON as signed */
} wl_flow_row;

/*
 * The writes of flows and answers below keep the views' totals (store_flows_totals.c): one that
 * would take a total past 64 bits is WL_ERR_TOO_LARGE, nothing stored.
 * WL_ERR_CONFLICT when a flow of that id exists.
 */
wl_rc wl_store_flow_put(wl_store *s, const wl_flow_row *r) WL_MUST;
/* A sealed flow made public at entry idx; WL_ERR_NOT_FOUND when the store has no row of it. */
wl_rc wl_store_flow_publish(wl_store *s, const char *id, uint64_t idx) WL_MUST;
/* WL_ERR_NOT_FOUND when none; *r zeroed on any error. */
wl_rc wl_store_flow_get(wl_store *s, const char *id, wl_flow_row *r) WL_MUST;
/* Marks flow old as superseded by flow by (NULL: as not superseded). */
wl_rc wl_store_flow_supersede(wl_store *s, const char *old, const char *by) WL_MUST;
/*
 * The sum of the latest disbursements (not superseded, sealed or public) on an
 * instrument in its currency, scaled by 10^4, as the flows rules keep it
 * (table instrument_drawn; 0 when none): read in one row, never summed.
 */
wl_rc wl_store_instrument_drawn(wl_store *s, const char *instrument, int64_t *drawn) WL_MUST;
/* Sets that sum (the flows rules check it first: 0 <= drawn <= the amount). */
wl_rc wl_store_instrument_drawn_set(wl_store *s, const char *instrument, int64_t drawn) WL_MUST;

/* A confirmation ("confirm", received and date) or dispute ("dispute", reason) of a flow. */
typedef struct {
    char flow[33];
    uint64_t idx; /* its entry's index, or the log's size when sealed */
    char kind[8];
    bool has_received;
    int64_t received;
    char date[11];
    const char *reason; /* put only */
    bool sealed;
} wl_flow_answer_row;
/* A later answer at the same idx (two sealed in one round) replaces the earlier. */
wl_rc wl_store_flow_answer_put(wl_store *s, const wl_flow_answer_row *a) WL_MUST;

/* An instrument's row: the latest instrument entry of its id. */
typedef struct {
    char id[65];
    uint64_t idx;
    char parent[65], level[16], type[32], provider[65], currency[4];
    int64_t amount;   /* scaled by 10^4 */
    const char *body; /* put only */
} wl_instrument_row;
/* Sets (or amends: every column replaced) the instrument r->id. */
wl_rc wl_store_instrument_put(wl_store *s, const wl_instrument_row *r) WL_MUST;
wl_rc wl_store_instrument_get(wl_store *s, const char *id, wl_instrument_row *r) WL_MUST;
/* The children of parent other than `except` (NULL: all): how many, and their amounts' sum. */
wl_rc wl_store_instrument_children(wl_store *s, const char *parent, const char *except, uint64_t *n,
                                   wl_i128 *sum) WL_MUST;

/*
 * Rates (scaled by 10^8): one per (date, from, to); WL_ERR_CONFLICT for a second;
 * WL_ERR_FORBIDDEN for one into a currency beyond the WL_RATE_TARGETS_MAX the rates
 * convert into already (each has its kept totals), nothing stored.
 */
wl_rc wl_store_rate_put(wl_store *s, const char *date, const char *from, const char *to,
                        int64_t rate, uint64_t idx) WL_MUST;
/* The rate from -> to with the latest date <= date; WL_ERR_NOT_FOUND when none. */
wl_rc wl_store_rate_get(wl_store *s, const char *from, const char *to, const char *date,
                        int64_t *rate, char rdate[11], uint64_t *idx) WL_MUST;

/* The views' readers: store_flows_views.h, store_flows_views.c (their own files). */

#endif
