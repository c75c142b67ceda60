/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal module (lib/deal): the agreement the coalition exists to defend,
 * as signed, versioned entries. A coordinator proposes a version (deal.propose:
 * title, the hashes of its text and annexes, the zone versions it includes,
 * the required parties, the host nation always among them); each party signs
 * that exact version, by the SHA-256 of the proposal's body as signed
 * (deal.sign); the version is in force once every party has signed, and the
 * deal's own entries then record the fact `deal-in-force:<id>` that pledge
 * conditions can wait for; a party's notice (deal.notice) suspends, resumes or
 * terminates it. No network, no threads, no printing. docs/internals/deal.md
 * has the design, docs/FORMAT.md the bodies.
 */
#ifndef WILLING_DEAL_H
#define WILLING_DEAL_H

#include <stdbool.h>

#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* The fact a deal's entries record while a version of it is in force: "deal-in-force:<id>". */
#define WL_DEAL_FACT_PREFIX "deal-in-force:"

/* The module's kinds (lib/deal/kinds.c): deal.propose, deal.sign, deal.notice. */
extern const wl_module wl_deal_module;

/* Bodies, without the store (lib/deal/kinds.c): WL_ERR_INVALID naming the field. */
wl_rc wl_deal_propose_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_deal_sign_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_deal_notice_validate(const wl_entry *e, wl_error *err) WL_MUST;

/* Their rules against the store and their rows (lib/deal/deal.c), at sequencing. */
wl_rc wl_deal_propose_apply(wl_store *s, const wl_pending *p, uint64_t index,
                            wl_error *err) WL_MUST;
wl_rc wl_deal_sign_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;
wl_rc wl_deal_notice_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;

/*
 * The views (lib/deal/views.c), public (deal entries are public):
 * wl_deal_list: {"deals": [{"deal", "title", "status", "latest", "in_force_since"}]};
 * wl_deal_show: one deal with every version, each party's signature, notices
 * and in_force_since {index, time, cosigned}; WL_ERR_NOT_FOUND for none.
 * The caller decrefs *out; *out is NULL on any error.
 */
wl_rc wl_deal_list(wl_store *s, json_t **out) WL_MUST;
wl_rc wl_deal_show(wl_store *s, const char *id, json_t **out) WL_MUST;

/*
 * Why a deal's fact does not hold, for the clearing's reasons: "the deal ID is
 * not in force (proposed)" (suspended, terminated; "no deal ID has been
 * proposed"), or when it does, "the deal ID is in force since entry N". fact
 * is a full fact name (deal-in-force:ID); false when it is not one.
 */
bool wl_deal_fact_why(wl_store *s, const char *fact, char *out, size_t cap);

#endif
