/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows views (lib/flows/views.c, views_summary.c): from a store read to
 * what a viewer may see of the flows, as JSON or CSV. The list of flows and
 * one flow's correction chain with its answers; the summary by member,
 * category or month (pledged, committed, allocated, delivered, disbursed,
 * confirmed and disputed side by side, the pledge-to-delivery lag, totals
 * converted with the coordinator's rates); the instrument tree with what is
 * drawn and left; the rates. No network, no threads, no caching: the daemon
 * keeps the pledge set between requests (src/daemon/flows.c).
 * docs/internals/flows.md ("Views") has the design, docs/FORMAT.md the shapes.
 */
#ifndef WILLING_FLOWS_VIEWS_H
#define WILLING_FLOWS_VIEWS_H

#include "willing/coalition.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/*
 * Who looks: all (coordinator, operator, host nation): every flow and answer;
 * else a member (member not ""): its own flows sealed or not, sealed flows
 * naming it as a reader, and public ones; else the public: public and
 * announced flows only, so nothing sealed can be inferred.
 */
typedef struct {
    int all;
    char member[65];
} wl_flows_viewer;
const char *wl_flows_viewer_name(const wl_flows_viewer *v); /* "all", "member", "public" */

/* Exact sums and converted amounts (GCC's and Clang's 128-bit integers). */
__extension__ typedef __int128 wl_flows_i128;
__extension__ typedef unsigned __int128 wl_flows_u128;
/* Writes an exact decimal of v scaled by 10^scale, trailing zeroes trimmed (cap >= 48). */
void wl_flows_dec_format(wl_flows_i128 v, int scale, char *out, size_t cap);

/*
 * GET /api/v1/flows: filters (NULL: any) and a page: flows stored after the
 * cursor `after` (what a page's next gives), skipping offset, at most limit.
 */
typedef struct {
    const char *member, *pledge, *instrument, *stage;
    int64_t after;
    size_t offset, limit;
} wl_flows_query;
/*
 * {"flows": [...]} (docs/FORMAT.md), or the same as CSV with its header when
 * csv. *next: the cursor of the next page, or -1 when this is the last.
 * The CSV of limit 0 holds every flow after the cursor, up to WL_CSV_MAX_BYTES
 * (WL_ERR_TOO_LARGE past it).
 * *out: caller decrefs; NULL on failure. *csv_out: caller frees (wl_buf_free).
 */
wl_rc wl_flows_list(wl_store *s, const wl_flows_viewer *v, const wl_flows_query *q, json_t **out,
                    int64_t *next) WL_MUST;
wl_rc wl_flows_list_csv(wl_store *s, const wl_flows_viewer *v, const wl_flows_query *q, wl_buf *out,
                        int64_t *next) WL_MUST;
/* One flow with its whole correction chain and every answer it may see; NOT_FOUND. */
wl_rc wl_flows_show(wl_store *s, const wl_flows_viewer *v, const char *id, json_t **out) WL_MUST;

/*
 * The pledges the summary counts as pledged: the announced ones and every
 * sealed one (wl_coalition_base each), grown incrementally by update; the
 * viewer then picks (public: announced; member: its own sealed ones and
 * others' announced ones; all: every one).
 */
typedef struct {
    wl_coalition_base pub, all;
} wl_flows_pledges;
void wl_flows_pledges_init(wl_flows_pledges *p);
void wl_flows_pledges_free(wl_flows_pledges *p); /* leaves it initialised */
wl_rc wl_flows_pledges_update(wl_store *s, wl_flows_pledges *p) WL_MUST;

enum { WL_FLOWS_SUMMARY_MEMBER, WL_FLOWS_SUMMARY_CATEGORY, WL_FLOWS_SUMMARY_MONTH };
/* Parses "member", "category" or "month"; -1 for anything else. */
int wl_flows_summary_by(const char *s);
/*
 * GET /api/v1/flows/summary: {"by", "view", "rows": [{"key", "figures",
 * "lag_days"}], "converted": {...} (with currency: an ISO 4217 code, else
 * absent)}. *out: caller decrefs.
 */
wl_rc wl_flows_summary(wl_store *s, const wl_flows_viewer *v, const wl_flows_pledges *p, int by,
                       const char *currency, json_t **out) WL_MUST;
/* The summary's rows as CSV, one line per key and measure, with its header. */
wl_rc wl_flows_summary_csv(const json_t *summary, wl_buf *out) WL_MUST;

/*
 * GET /api/v1/flows/instruments[/<id>]: {"instruments": [trees]}, or one tree
 * (id not NULL; NOT_FOUND when none): {"instrument", "name", "type", "level",
 * "provider", "amount", "currency", "possible_more", "drawn", "left", "flows",
 * "children"}. *out: caller decrefs.
 */
wl_rc wl_flows_instruments(wl_store *s, const wl_flows_viewer *v, const char *id,
                           json_t **out) WL_MUST;
/* GET /api/v1/flows/rates: {"rates": [{"date", "from", "to", "rate", "source", "index"}]}. */
wl_rc wl_flows_rates(wl_store *s, json_t **out) WL_MUST;

#endif
