/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows module (lib/flows): what was committed, allocated, delivered and
 * disbursed against pledges and requirements, confirmed or disputed by the
 * host nation; the instruments (facilities and the contracts they pay for)
 * that make every amount count once; the dated exchange rates the
 * coordinator records. Exact decimals throughout (money.c), ISO 4217
 * currencies from the IATI codelist (currency.c), the kinds and their rules
 * (flow.c, instrument.c, kinds.c). No network, no threads, no printing.
 * docs/internals/flows.md has the design, docs/FORMAT.md the bodies.
 */
#ifndef WILLING_FLOWS_H
#define WILLING_FLOWS_H

#include <stdbool.h>

#include "willing/ledger.h"
#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/*
 * Amounts and quantities: exact decimals held as int64 scaled by 10^4 (the
 * scale of coalition's WL_QTY_SCALE): at most 14 digits before the point and
 * 4 after. Amounts may be negative (a reversal); quantities may not.
 */
#define WL_FLOW_SCALE 10000
#define WL_FLOW_SCALE_DIGITS 4
/* Rates: positive exact decimals with at most 8 places, scaled by 10^8. */
#define WL_RATE_SCALE 100000000
#define WL_RATE_SCALE_DIGITS 8
/* A converted amount (amount x rate) is exact at scale 10^12 in 128 bits. */
#define WL_CONVERTED_SCALE_DIGITS 12
/* What a refusal of an amount says. */
#define WL_FLOW_DIGITS "at most 14 digits before the point and 4 after"

/* wl_i128, the 128-bit sum of exact decimals, comes with store/store_flows.h. */

/*
 * Parses an exact decimal ("1160000000", "-78791", "166819.43") with at most
 * 4 places and at most 14 digits before the point; a leading '-' only when
 * negative_ok. No exponent, no '+', no spaces, no leading '.'. *out is 0 on
 * failure (WL_ERR_INVALID).
 */
wl_rc wl_money_parse(const char *s, bool negative_ok, int64_t *out) WL_MUST;
/* A rate: positive, at most 8 places, at most 10 digits before the point. */
wl_rc wl_rate_parse(const char *s, int64_t *out) WL_MUST;
/*
 * The shortest exact decimal of v at scale 10^digits ("1160000000", "-0.5",
 * "1.2095"): trailing zeroes trimmed. out holds at least 48 bytes (the widest
 * 128-bit value with its sign and point); a smaller cap gets "".
 */
void wl_decimal_format(wl_i128 v, unsigned digits, char *out, size_t cap);
/* Shorthands: an amount or quantity (scale 10^4), a rate (10^8). */
void wl_money_format(int64_t v, char *out, size_t cap);
void wl_rate_format(int64_t v, char *out, size_t cap);
/* amount (10^4) x rate (10^8), exact at scale 10^12. */
wl_i128 wl_money_convert(int64_t amount, int64_t rate);

/*
 * Dates of flows: "YYYY-MM-DD", or "YYYY-MM" (a month: in-kind flows only).
 * *month_only says which; 0 on success, WL_ERR_INVALID for anything else
 * (including a day the month does not have).
 */
wl_rc wl_flow_date_parse(const char *s, bool *month_only) WL_MUST;
/* A unix time as its UTC day, "YYYY-MM-DD" (out: at least 11 bytes). */
void wl_flow_day(int64_t t, char *out, size_t cap);
/*
 * Whether date a is before date b, a month-only date comparing by month with
 * the other (so "2025-03" is not before "2025-03-20").
 */
bool wl_flow_date_before(const char *a, const char *b);
/*
 * The latest day an entry signed at signed_time (its line 6, unix seconds) may report: the
 * day after it was signed (UTC), a day's tolerance for time zones and late signing.
 */
void wl_flow_latest_day(int64_t signed_time, char out[11]);
/*
 * A date (of a flow or confirmation) no later than wl_flow_latest_day of its entry's signed
 * time (not the clock: a replay or fsck decides the same); a month-only date passes once its
 * month has begun. 400 future_date naming both otherwise.
 */
wl_rc wl_flow_date_not_future(const char *date, int64_t signed_time, const char *where,
                              wl_error *err) WL_MUST;

/* ISO 4217 currencies, from the IATI Currency codelist (tests/fixtures/iati/Currency.xml). */
typedef struct {
    const char *code;      /* "GBP" */
    const char *withdrawn; /* its withdrawal date, or NULL while in use */
    const char *name;      /* "Pound Sterling" */
} wl_currency;
/* The currency of that code (upper case, exactly 3 letters), or NULL. */
const wl_currency *wl_currency_find(const char *code);
/* The i-th currency in code order; NULL past the last. */
const wl_currency *wl_currency_at(size_t i);

/*
 * WL_OK for a currency a new flow, instrument or rate may name: known and not
 * withdrawn; else invalid_body naming where, the field, the code (and its
 * withdrawal date).
 */
wl_rc wl_flow_currency_ok(const char *code, const char *where, const char *field,
                          wl_error *err) WL_MUST;

/* The stages of a flow, instrument types and levels: the one list of each. */
#define WL_FLOW_STAGES "commitment, allocation, delivery or disbursement"
#define WL_INSTRUMENT_TYPES                                                                        \
    "grant, loan, guarantee, export_credit, in_kind or procurement_on_behalf"
bool wl_flow_stage(const char *s);
bool wl_instrument_type(const char *s);

/*
 * A flow's body, read (wl_flow_read): pointers into the JSON body it was read
 * from, valid while that lives; absent fields NULL, has_qty / has_amount say
 * which pair is given.
 */
typedef struct {
    const char *id, *pledge, *requirement, *instrument, *activity, *category, *stage, *date, *unit,
        *currency, *source, *text, *supersedes;
    bool has_qty, has_amount, month_only, sealed;
    int64_t qty, amount;
    const json_t *readers; /* sealed only */
} wl_flow;

/*
 * Reads and checks a flow's body alone (no store): every field's syntax and
 * the rules between fields (delivery takes a quantity, disbursement an
 * amount, a month-only date only with a quantity, a currency known and not
 * withdrawn, readers only when sealed). `where` starts every message
 * ("flow", "flow.batch: flows[17]"). *f is zeroed on failure.
 */
wl_rc wl_flow_read(const json_t *body, bool sealed, const char *where, wl_flow *f,
                   wl_error *err) WL_MUST;
/*
 * The rules of a flow against the store, then its row stored: its pledge (its
 * author's, announced unless the flow is sealed, not dated after the flow),
 * requirement, instrument (a leaf, not overdrawn) and the flow it supersedes.
 * idx: the entry's index (public) or the log's size when sealed; row: its
 * place in a flow.batch, -1 for a single flow; body: the flow's JSON as
 * signed (one line). For a sealed flow being announced (reveal) set
 * revealing: its row becomes public.
 */
wl_rc wl_flow_apply(wl_store *s, const char *author, const wl_flow *f, const char *body,
                    uint64_t idx, int64_t row, bool revealing, const char *where,
                    wl_error *err) WL_MUST;

/* The same rules without storing anything (a sealed flow when submitted). */
wl_rc wl_flow_check(wl_store *s, const char *author, const wl_flow *f, const char *where,
                    wl_error *err) WL_MUST;

/*
 * The flows module's kinds (kinds.c): flow, flow.confirm, flow.dispute,
 * flow.batch, instrument, rate (and reference.batch, kiel's). See
 * willing/module.h; bodies in docs/FORMAT.md.
 */
extern const struct wl_module wl_flows_module;

/* The hooks of the kinds, one file per family of kinds (flow.c, instrument.c). */
wl_rc wl_flow_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_flow_apply_entry(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;
wl_rc wl_flow_seal_check(wl_store *s, const wl_entry *c, wl_error *err) WL_MUST;
wl_rc wl_flow_sealed_apply(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err) WL_MUST;
wl_rc wl_flow_reveal(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                     wl_error *err) WL_MUST;
wl_rc wl_flow_answer_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_flow_answer_apply_entry(wl_store *s, const wl_pending *p, uint64_t index,
                                 wl_error *err) WL_MUST;
wl_rc wl_flow_answer_seal_check(wl_store *s, const wl_entry *c, wl_error *err) WL_MUST;
wl_rc wl_flow_answer_sealed_apply(wl_store *s, const wl_entry *c, uint64_t size,
                                  wl_error *err) WL_MUST;
wl_rc wl_flow_answer_reveal(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                            wl_error *err) WL_MUST;
wl_rc wl_flow_batch_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_flow_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;
wl_rc wl_instrument_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_instrument_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;
wl_rc wl_rate_validate(const wl_entry *e, wl_error *err) WL_MUST;
wl_rc wl_rate_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err) WL_MUST;

/*
 * A store error as the flows rules answer it: a write that would take a total
 * of the views past 64 bits (the store's WL_ERR_TOO_LARGE) is 409
 * total_too_large, nothing stored; anything else the storage's own error.
 */
wl_rc wl_flows_storage(wl_store *s, wl_rc rc, wl_error *err) WL_MUST;

/*
 * The chain of an instrument from its top facility down, "ukef-2025 >
 * belfast-missiles", into out (cut with "..." when it does not fit).
 */
void wl_instrument_chain(wl_store *s, const char *id, char *out, size_t cap);

/*
 * The instrument id, into *in, if author may draw on it or hang an instrument under it: its
 * provider, or a coordinator or operator. Otherwise, or if there is none, 404
 * unknown_instrument with the message `refusal` (anyone else is told it is unknown: nothing
 * revealed); a storage error as wl_flows_storage answers it.
 */
wl_rc wl_instrument_usable(wl_store *s, const char *author, const char *id, const char *refusal,
                           wl_instrument_row *in, wl_error *err) WL_MUST;

#endif
