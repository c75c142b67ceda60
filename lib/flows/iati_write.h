/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IATI 2.03 writer's pieces, shared by the whole-document export
 * (iati_export.c, wl_iati_export) and the streamed view (iati_view.c,
 * wl_flows_iati_open/next): the document's head and tail, an activity's head
 * (from what its flows name: the earliest date, the providers and receivers)
 * and tail, one transaction. Each appends to o->b (at most
 * WL_IATI_EXPORT_MAX_BYTES in it) and leaves the first error in o->rc. Internal
 * to lib/flows.
 */
#ifndef WL_FLOWS_IATI_WRITE_H
#define WL_FLOWS_IATI_WRITE_H
#include <stddef.h>

#include <jansson.h>

#include "willing/limits.h"
#include "willing/wl.h"

typedef struct {
    wl_buf *b;
    wl_rc rc;
} wl_iati_out;

/* What an activity's head names, gathered from its flows: at most this many orgs per role. */
#define WL_IATI_GROUP_ORGS 16
typedef struct {
    char start[11];                                           /* the earliest date */
    char orgs[2][WL_IATI_GROUP_ORGS][WL_FLOW_NAME_BYTES + 1]; /* providers, receivers */
    size_t n[2];
} wl_iati_group;
/* Adds a flow body's date and named provider and receiver (the member not as a provider). */
void wl_iati_group_add(wl_iati_group *g, const json_t *flow, const char *member);

/*
 * The group key of an activity and its IATI identifier, from a flow's activity, pledge,
 * requirement, instrument and flow id (of[0..4], NULL or "" when absent): the activity
 * if any, else "<member>-pledge-<id>" and so on. Non-zero when none fits.
 */
int wl_iati_group_key(const char *const of[5], const char *member, char *key, size_t kcap, char *id,
                      size_t icap);
int wl_iati_full_date(const char *d); /* YYYY-MM-DD, by shape */

void wl_iati_doc_head(wl_iati_out *o, const char *generated, size_t skipped);
void wl_iati_activity_head(wl_iati_out *o, const char *member, const char *id,
                           const wl_iati_group *g);
/* One transaction; WL_ERR_INVALID (nothing written) for a body with no amount, currency or day. */
wl_rc wl_iati_transaction(wl_iati_out *o, const json_t *flow);
void wl_iati_activity_tail(wl_iati_out *o);
void wl_iati_doc_tail(wl_iati_out *o);
#endif
