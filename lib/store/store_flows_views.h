/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's readers for the flows views (lib/flows/views*.c): flows and
 * their answers as a viewer may see them, a page at a time; the totals the
 * views sum (tables flow_live, flow_sums, flow_isums, flow_first,
 * flow_rfirst, and the converted flow_csums and flow_days, kept in C as flows,
 * answers and rates are stored, so a summary over a million flows reads a few
 * thousand rows); instruments and rates. The flows tables, their
 * writers and the rate a conversion uses (wl_store_rate_get) are store_flows.h's. Included by
 * store/store.h; lib/store/store_flows_views.c implements it. docs/internals/flows.md
 * ("Views") and docs/internals/store.md.
 */
#ifndef WILLING_STORE_FLOWS_VIEWS_H
#define WILLING_STORE_FLOWS_VIEWS_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

/*
 * Who reads: all (coordinator, operator, host): every flow and answer; else
 * member (not NULL): its own flows sealed or not, sealed flows naming it as a
 * reader, and public ones; else the public: public flows and public answers.
 */
typedef struct {
    int all;
    const char *member;
} wl_flows_who;

/* One flow as stored; strings valid during the callback ("" or NULL when absent). */
typedef struct {
    int64_t row; /* the paging cursor: the order flows were stored in */
    uint64_t idx;
    const char *id, *author, *pledge, *requirement, *instrument, *activity, *category, *stage,
        *date, *unit, *currency, *superseded_by, *readers, *body;
    int has_qty, has_amount, sealed;
    int64_t qty, amount; /* scaled by 10^4 */
} wl_flowv_row;
typedef wl_rc (*wl_flowv_fn)(void *ctx, const wl_flowv_row *f);

/* Filters of a list (NULL: any) and its page: rows after `after`, skipping offset, at most limit.
 */
typedef struct {
    const char *member, *pledge, *instrument, *stage;
    int64_t after;
    size_t offset, limit;
} wl_flows_filter;
wl_rc wl_store_flows_list(wl_store *s, const wl_flows_who *who, const wl_flows_filter *f,
                          wl_flowv_fn fn, void *ctx) WL_MUST;
/*
 * One flow the viewer may see: the flow id (by 0) or the one id superseded
 * (by 1); WL_ERR_NOT_FOUND for one it may not see, as for none.
 */
wl_rc wl_store_flow_row(wl_store *s, const wl_flows_who *who, const char *id, int by,
                        wl_flowv_fn fn, void *ctx) WL_MUST;

/*
 * The flows of rows (their paging cursors, at most WL_FLOWS_ROWS_MAX) that the viewer may
 * see, in the order stored; one it may not see, or that is not there, is left out.
 */
#define WL_FLOWS_ROWS_MAX 256u
wl_rc wl_store_flows_rows(wl_store *s, const wl_flows_who *who, const int64_t *rows, size_t n,
                          wl_flowv_fn fn, void *ctx) WL_MUST;

/* A confirmation or dispute; strings valid during the callback. */
typedef struct {
    int64_t row;
    uint64_t idx;
    const char *kind, *date, *reason; /* kind "flow.confirm" or "flow.dispute" as stored */
    int has_received, sealed;
    int64_t received;
} wl_flowv_answer;
typedef wl_rc (*wl_flowv_answer_fn)(void *ctx, const wl_flowv_answer *a);
/*
 * The answers of flow in the order stored (latest: only the last; else the
 * last WL_FLOWS_ANSWERS_MAX), sealed ones only when see_sealed (the viewer
 * may see the flow's sealed side).
 */
wl_rc wl_store_flow_answers(wl_store *s, const char *flow, int see_sealed, int latest,
                            wl_flowv_answer_fn fn, void *ctx) WL_MUST;

/*
 * Totals of the live flows (the latest of each correction chain) by key
 * (WL_FLOWS_BY_*), stage and measure (a unit, or a currency when money):
 * reported, confirmed (the latest answer's received), disputed (the figure of
 * flows whose latest answer disputes). Rows may repeat a key (merge them).
 */
enum { WL_FLOWS_BY_MEMBER, WL_FLOWS_BY_CATEGORY, WL_FLOWS_BY_MONTH };
typedef struct {
    const char *key, *stage, *measure;
    int money;
    int64_t reported, confirmed, disputed, n; /* n: how many flows */
} wl_flow_sum_row;
typedef wl_rc (*wl_flow_sum_fn)(void *ctx, const wl_flow_sum_row *r);
wl_rc wl_store_flows_sums(wl_store *s, const wl_flows_who *who, int by, wl_flow_sum_fn fn,
                          void *ctx) WL_MUST;

/*
 * The live money flows not in currency `to` converted into it with the rate
 * of their day (the coordinator's rates; flow_csums), by key and stage: the
 * converted sums (scaled 10^12), how many flows (n), how many no rate
 * converts (nc), and of those how many have a confirmed or disputed part.
 * Rows may repeat a key and stage (add them up: some are negative).
 * WL_ERR_NOT_FOUND when no rate converts into `to` at all.
 */
typedef struct {
    const char *key, *stage;
    wl_i128 reported, confirmed, disputed;
    int64_t n, nc, nc_confirmed, nc_disputed;
} wl_flow_csum_row;
typedef wl_rc (*wl_flow_csum_fn)(void *ctx, const wl_flow_csum_row *r);
wl_rc wl_store_flows_csums(wl_store *s, const wl_flows_who *who, int by, const char *to,
                           wl_flow_csum_fn fn, void *ctx) WL_MUST;
/* The live money flows the viewer sees, not in `to`, per currency and day, in that order. */
typedef wl_rc (*wl_flow_day_fn)(void *ctx, const char *currency, const char *day, int64_t n);
wl_rc wl_store_flows_days(wl_store *s, const wl_flows_who *who, const char *to, wl_flow_day_fn fn,
                          void *ctx) WL_MUST;
/*
 * The live money flows the viewer sees of each (currency, date) pair (pairs:
 * npairs of them, currency and date in turn), by id, at most max in all.
 */
typedef wl_rc (*wl_flow_id_fn)(void *ctx, const char *id, const char *currency, const char *date);
wl_rc wl_store_flows_on(wl_store *s, const wl_flows_who *who, const char *const *pairs,
                        size_t npairs, size_t max, wl_flow_id_fn fn, void *ctx) WL_MUST;

/* Per pledge, the date of its first live delivery or disbursement (public, all); NULL: none. */
typedef wl_rc (*wl_flow_first_fn)(void *ctx, const char *pledge, const char *first_pub,
                                  const char *first_all);
wl_rc wl_store_flows_firsts(wl_store *s, wl_flow_first_fn fn, void *ctx) WL_MUST;
/*
 * For a member: the first live delivery or disbursement of each pledge among
 * the sealed flows of others that name it as a reader.
 */
wl_rc wl_store_flows_firsts_read(wl_store *s, const char *member, wl_flow_first_fn fn,
                                 void *ctx) WL_MUST;

/* Per instrument, stage and measure, the live flows' total and count the viewer sees. */
typedef wl_rc (*wl_flow_isum_fn)(void *ctx, const char *instrument, const char *stage,
                                 const char *measure, int64_t total, int64_t n);
wl_rc wl_store_flows_isums(wl_store *s, const wl_flows_who *who, wl_flow_isum_fn fn,
                           void *ctx) WL_MUST;

/* Instruments by id (the latest version of each). */
typedef struct {
    uint64_t idx;
    const char *id, *parent, *level, *type, *provider, *currency, *body;
    int64_t amount;
} wl_flowv_instrument;
typedef wl_rc (*wl_flowv_instrument_fn)(void *ctx, const wl_flowv_instrument *r);
wl_rc wl_store_instruments_each(wl_store *s, wl_flowv_instrument_fn fn, void *ctx) WL_MUST;

/* Rates (scaled by 10^8) into to (NULL: any) by from, to and date; at most max rows. */
typedef wl_rc (*wl_rate_fn)(void *ctx, const char *date, const char *from, const char *to,
                            int64_t rate, uint64_t idx);
wl_rc wl_store_rates_each(wl_store *s, const char *to, size_t max, wl_rate_fn fn,
                          void *ctx) WL_MUST;
#endif
