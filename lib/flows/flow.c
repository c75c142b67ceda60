/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flows: a flow's body and its rules (public entry, or sealed content
 * announced later), the imports of a member's own flows (flow.batch: every
 * row a flow, checked in order, one bad row refusing the entry), and the host
 * nation's confirmations and disputes (flow.confirm, flow.dispute). A
 * correction is a new flow that supersedes an earlier one; nothing is edited.
 * docs/internals/flows.md has the rules, docs/FORMAT.md the bodies.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/flows.h"

#define HEX32 "must be 32 lower-case hex digits"
#define IDENT "must be an id: 1-64 of a-z 0-9 . _ -"

/* A refusal that names the one field at fault and what is wrong with it. */
static wl_rc bad(wl_error *err, const char *where, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: '%s' %s", where, field, what);
}

static bool hex_of(const char *s, size_t n)
{
    return s && strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

static bool ident(const char *s)
{
    return s && wl_valid_member_id(s, strlen(s));
}

bool wl_flow_stage(const char *s)
{
    static const char *const stages[] = {"commitment", "allocation", "delivery", "disbursement"};
    for (size_t i = 0; s && i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp(s, stages[i]) == 0)
            return true;
    return false;
}

/* An optional string field of 1..max bytes: *out NULL when absent; 0 when present and wrong. */
static bool opt_str(const json_t *b, const char *name, size_t max, const char **out)
{
    const json_t *v = json_object_get(b, name);
    *out = NULL;
    if (v == NULL)
        return true;
    *out = wl_body_str(b, name, max);
    return *out != NULL;
}

static wl_rc read_iati(const json_t *v, const char *where, wl_error *err)
{
    static const char *const fields[] = {"type", "provider", "receiver", "value_date", NULL};
    const char *t = json_string_value(json_object_get(v, "type")), *s;
    bool month = false;
    wl_rc rc;
    if (!json_is_object(v))
        return bad(err, where, "iati", "must be an object {type, provider, receiver, value_date}");
    if ((rc = wl_body_fields(v, fields, where, err)) != WL_OK)
        return rc;
    if (t == NULL || t[0] < '1' || t[0] > '9' ||
        (t[1] && (t[0] != '1' || t[1] < '0' || t[1] > '3' || t[2])))
        return bad(err, where, "iati.type", "must be an IATI transaction type, \"1\" to \"13\"");
    if (!opt_str(v, "provider", WL_FLOW_NAME_BYTES, &s) ||
        !opt_str(v, "receiver", WL_FLOW_NAME_BYTES, &s))
        return bad(err, where, "iati.provider", "and 'iati.receiver' are strings of 1-200 bytes");
    s = json_string_value(json_object_get(v, "value_date"));
    if (json_object_get(v, "value_date") && (wl_flow_date_parse(s, &month) != WL_OK || month))
        return bad(err, where, "iati.value_date", "must be a day, YYYY-MM-DD");
    return WL_OK;
}

wl_rc wl_flow_read(const json_t *b, bool sealed, const char *where, wl_flow *f, wl_error *err)
{
    static const char *const fields[] = {
        "flow",   "pledge",   "requirement", "instrument", "activity", "stage",
        "date",   "quantity", "unit",        "amount",     "currency", "category",
        "source", "text",     "supersedes",  "readers",    "iati",     NULL};
    const json_t *v;
    wl_rc rc;
    memset(f, 0, sizeof *f);
    if (!json_is_object(b))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: a flow is a JSON object",
                            where);
    if ((rc = wl_body_fields(b, fields, where, err)) != WL_OK)
        goto out;
    f->sealed = sealed;
    f->id = json_string_value(json_object_get(b, "flow"));
    rc = WL_ERR_INVALID;
    if (!hex_of(f->id, 32)) {
        bad(err, where, "flow", "is its id: " HEX32 ", drawn at random");
        goto out;
    }
    f->stage = json_string_value(json_object_get(b, "stage"));
    if (!wl_flow_stage(f->stage)) {
        bad(err, where, "stage", "must be " WL_FLOW_STAGES);
        goto out;
    }
    f->date = json_string_value(json_object_get(b, "date"));
    if (wl_flow_date_parse(f->date, &f->month_only) != WL_OK) {
        bad(err, where, "date", "must be a day, YYYY-MM-DD, or for in-kind flows a month, YYYY-MM");
        goto out;
    }
    f->pledge = json_string_value(json_object_get(b, "pledge"));
    if (json_object_get(b, "pledge") && !hex_of(f->pledge, 32)) {
        bad(err, where, "pledge", "names a pledge by its id: " HEX32);
        goto out;
    }
    f->requirement = json_string_value(json_object_get(b, "requirement"));
    if (json_object_get(b, "requirement") && !ident(f->requirement)) {
        bad(err, where, "requirement", IDENT);
        goto out;
    }
    if (f->pledge && f->requirement) {
        bad(err, where, "requirement", "and 'pledge' exclude each other: a flow is against one");
        goto out;
    }
    f->instrument = json_string_value(json_object_get(b, "instrument"));
    if (json_object_get(b, "instrument") && !ident(f->instrument)) {
        bad(err, where, "instrument", IDENT);
        goto out;
    }
    if (!opt_str(b, "activity", WL_FLOW_NAME_BYTES, &f->activity)) {
        bad(err, where, "activity", "is an external id (an IATI identifier): 1-200 bytes");
        goto out;
    }
    if (!f->pledge && !f->requirement && !f->activity && !f->instrument) {
        bad(err, where, "pledge",
            "is missing: a flow is against a pledge, a requirement, an activity or an instrument");
        goto out;
    }
    f->has_qty = json_object_get(b, "quantity") || json_object_get(b, "unit");
    f->has_amount = json_object_get(b, "amount") || json_object_get(b, "currency");
    if (f->has_qty == f->has_amount) {
        bad(err, where, f->has_qty ? "amount" : "quantity",
            f->has_qty ? "and 'quantity' exclude each other: in kind (quantity and unit) or money "
                         "(amount and currency)"
                       : "is missing: in kind (quantity and unit) or money (amount and currency)");
        goto out;
    }
    if (f->has_qty) {
        const char *q = json_string_value(json_object_get(b, "quantity"));
        f->unit = json_string_value(json_object_get(b, "unit"));
        if (wl_money_parse(q, false, &f->qty) != WL_OK || f->qty == 0) {
            bad(err, where, "quantity",
                "must be a positive exact decimal string, " WL_FLOW_DIGITS " (\"500\")");
            goto out;
        }
        if (!ident(f->unit)) {
            bad(err, where, "unit", "must be a lower-case word such as missiles or vehicles");
            goto out;
        }
    } else {
        const char *a = json_string_value(json_object_get(b, "amount"));
        f->currency = json_string_value(json_object_get(b, "currency"));
        if (wl_money_parse(a, true, &f->amount) != WL_OK || f->amount == 0) {
            bad(err, where, "amount",
                "must be an exact decimal string other than zero, " WL_FLOW_DIGITS
                " (\"1160000000.00\", \"-78791\")");
            goto out;
        }
        if ((rc = wl_flow_currency_ok(f->currency, where, "currency", err)) != WL_OK)
            goto out;
        rc = WL_ERR_INVALID;
    }
    if (strcmp(f->stage, "delivery") == 0 && !f->has_qty) {
        bad(err, where, "quantity", "is what a delivery gives (with its unit): money is disbursed");
        goto out;
    }
    if (strcmp(f->stage, "disbursement") == 0 && !f->has_amount) {
        bad(err, where, "amount",
            "is what a disbursement gives (with its currency): goods are "
            "delivered");
        goto out;
    }
    if (f->month_only && !f->has_qty) {
        bad(err, where, "date",
            "must be a day (YYYY-MM-DD) for money: only in-kind flows may give "
            "a month");
        goto out;
    }
    f->category = json_string_value(json_object_get(b, "category"));
    if (json_object_get(b, "category") && !wl_pledge_category(f->category)) {
        bad(err, where, "category", "must be one of " WL_PLEDGE_CATEGORIES);
        goto out;
    }
    f->source = json_string_value(json_object_get(b, "source"));
    if (json_object_get(b, "source") && !hex_of(f->source, 64)) {
        bad(err, where, "source",
            "is the SHA-256 of the source document: 64 lower-case hex digits");
        goto out;
    }
    if (!opt_str(b, "text", WL_FLOW_TEXT_BYTES, &f->text)) {
        bad(err, where, "text", "is a string of 1-2000 bytes");
        goto out;
    }
    f->supersedes = json_string_value(json_object_get(b, "supersedes"));
    if (json_object_get(b, "supersedes") &&
        (!hex_of(f->supersedes, 32) || strcmp(f->supersedes, f->id) == 0)) {
        bad(err, where, "supersedes", "names the earlier flow it corrects by its id: " HEX32);
        goto out;
    }
    if ((v = json_object_get(b, "readers")) != NULL) {
        size_t i;
        const json_t *r;
        if (!sealed) {
            bad(err, where, "readers", "are for sealed flows only: a public flow is read by all");
            goto out;
        }
        if (!json_is_array(v) || json_array_size(v) > WL_FLOW_READERS_MAX) {
            bad(err, where, "readers", "is a list of at most 32 member ids");
            goto out;
        }
        json_array_foreach(v, i, r) if (!ident(json_string_value(r)))
        {
            bad(err, where, "readers", "holds member ids");
            goto out;
        }
        f->readers = v;
    }
    if ((v = json_object_get(b, "iati")) != NULL && (rc = read_iati(v, where, err)) != WL_OK)
        goto out;
    rc = WL_OK;
out:
    if (rc != WL_OK)
        memset(f, 0, sizeof *f);
    return rc;
}

void wl_flow_latest_day(int64_t signed_time, char out[11])
{
    const int64_t last = 253402214400; /* 9999-12-31T00:00:00Z: a date's year has four digits */
    wl_flow_day(signed_time > last - 86400 ? last : signed_time + 86400, out, 11);
}

wl_rc wl_flow_date_not_future(const char *date, int64_t signed_time, const char *where,
                              wl_error *err)
{
    char limit[11];
    wl_flow_latest_day(signed_time, limit);
    if (!wl_flow_date_before(limit, date))
        return WL_OK;
    return wl_error_set(err, WL_ERR_INVALID, "future_date",
                        "%s: dated %s, after %s (the day after it was signed): report what has "
                        "happened",
                        where, date, limit);
}

/* What a flow's pledge is: its author's, announced (or sealed, for a sealed flow), and its day. */
static wl_rc pledge_of(wl_store *s, const char *author, const wl_flow *f, const char *where,
                       char category[33], wl_error *err)
{
    wl_pledge_public pp;
    wl_sealed_rec rec;
    wl_entry e;
    char day[11];
    int64_t t = 0;
    wl_rc rc = wl_store_pledge_public(s, f->pledge, &pp);
    if (rc == WL_OK && strcmp(pp.author, author) == 0) {
        t = pp.time;
        snprintf(category, 33, "%s", pp.category);
    } else if (rc == WL_ERR_NOT_FOUND) {
        if ((rc = wl_store_sealed_by_id(s, f->pledge, &rec)) != WL_OK && rc != WL_ERR_NOT_FOUND)
            return wl_flows_storage(s, rc, err);
        memset(&e, 0, sizeof e);
        if (rc == WL_OK && (wl_sealed_parse(rec.content, rec.content_len, &e, NULL, 0) != WL_OK ||
                            strcmp(e.kind, "pledge") != 0 || strcmp(e.author, author) != 0))
            rc = WL_ERR_NOT_FOUND;
        if (rc == WL_OK) {
            t = e.time;
            snprintf(category, 33, "%s",
                     json_string_value(json_object_get(e.body_json, "category")));
        }
        wl_entry_clear(&e);
        wl_store_sealed_free(&rec);
        if (rc == WL_OK && !f->sealed)
            return wl_error_set(err, WL_ERR_CONFLICT, "pledge_sealed",
                                "%s: pledge %s is sealed and not announced: seal the flow (willing "
                                "flow add --sealed) or announce the pledge first",
                                where, f->pledge);
    } else if (rc == WL_OK) {
        rc = WL_ERR_NOT_FOUND; /* another member's: the same answer as none */
    }
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_pledge",
                            "%s: no pledge %s of yours: a flow is reported by its pledge's author",
                            where, f->pledge);
    if (rc != WL_OK)
        return wl_flows_storage(s, rc, err);
    wl_flow_day(t, day, sizeof day);
    if (wl_flow_date_before(f->date, day))
        return wl_error_set(err, WL_ERR_CONFLICT, "before_pledge",
                            "%s: the flow is dated %s, before its pledge %s of %s", where, f->date,
                            f->pledge, day);
    return WL_OK;
}

/*
 * A pledge its author withdrew or amended takes no new flows: a correction of
 * a flow already against it (supersedes, the same pledge) still may. Only the
 * author hears this answer (a flow is its pledge's author's), so a withdrawal
 * under seal stays sealed. Announcing a flow sealed before is not a new flow.
 */
static wl_rc retired_of(wl_store *s, const wl_flow *f, const wl_flow_row *old, const char *where,
                        wl_error *err)
{
    wl_pledge_retired pr;
    wl_rc rc = wl_store_pledge_retired(s, f->pledge, &pr);
    if (rc == WL_ERR_NOT_FOUND || (f->supersedes && strcmp(old->pledge, f->pledge) == 0))
        return WL_OK;
    if (rc != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (pr.successor[0])
        return wl_error_set(err, WL_ERR_CONFLICT, "pledge_amended",
                            "%s: pledge %s was amended by pledge %s (log size %llu): report the "
                            "flow against %s",
                            where, f->pledge, pr.successor, (unsigned long long)pr.at,
                            pr.successor);
    return wl_error_set(err, WL_ERR_CONFLICT, "pledge_withdrawn",
                        "%s: pledge %s was withdrawn (log size %llu): it takes no new flows; "
                        "correct an earlier flow against it with 'supersedes'",
                        where, f->pledge, (unsigned long long)pr.at);
}

/* The category of a requirement, from its body. */
typedef struct {
    const char *id;
    char *category; /* 33 bytes */
    bool found;
} req_find;

static wl_rc req_one(void *ctx, const char *id, const char *body, uint64_t set_idx,
                     uint64_t endorsed_idx)
{
    req_find *r = ctx;
    json_t *b;
    (void)set_idx, (void)endorsed_idx;
    if (strcmp(id, r->id) != 0)
        return WL_OK;
    b = json_loads(body, 0, NULL);
    snprintf(r->category, 33, "%s", b ? json_string_value(json_object_get(b, "category")) : "");
    json_decref(b);
    r->found = true;
    return WL_OK;
}

/* The flow f supersedes, checked: the author's, not superseded (but by f itself, when announced).
 */
static wl_rc superseded_of(wl_store *s, const char *author, const wl_flow *f, bool revealing,
                           const char *where, wl_flow_row *old, wl_error *err)
{
    wl_rc rc = wl_store_flow_get(s, f->supersedes, old);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_flows_storage(s, rc, err);
    /* public corrects public, sealed corrects sealed: a public row never names a sealed one */
    if (rc == WL_ERR_NOT_FOUND || strcmp(old->author, author) != 0 || f->sealed != old->sealed)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_flow",
                            "%s: 'supersedes' names %s, which is not a %s flow of yours", where,
                            f->supersedes, f->sealed ? "sealed" : "public");
    if (old->superseded_by[0] && !(revealing && strcmp(old->superseded_by, f->id) == 0))
        return wl_error_set(err, WL_ERR_CONFLICT, "superseded",
                            "%s: flow %s was superseded already, by flow %s: correct that one",
                            where, f->supersedes, old->superseded_by);
    return WL_OK;
}

/*
 * An instrument a flow is on: known, and a leaf. Only its provider or a coordinator/operator may
 * name it: to anyone else it is unknown, the same answer as no such instrument.
 */
static wl_rc instrument_of(wl_store *s, const char *author, const wl_flow *f, const char *where,
                           wl_error *err)
{
    wl_instrument_row in;
    char chain[256], why[256];
    uint64_t kids = 0;
    wl_i128 sum = 0;
    wl_rc rc;
    snprintf(why, sizeof why,
             "%s: no instrument '%s' of yours: a flow is drawn on an instrument by its provider or "
             "a coordinator",
             where, f->instrument);
    if ((rc = wl_instrument_usable(s, author, f->instrument, why, &in, err)) != WL_OK)
        return rc;
    if ((rc = wl_store_instrument_children(s, f->instrument, NULL, &kids, &sum)) != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (kids == 0)
        return WL_OK;
    wl_instrument_chain(s, f->instrument, chain, sizeof chain);
    return wl_error_set(err, WL_ERR_CONFLICT, "not_a_leaf",
                        "%s: %s has %llu instruments under it: report the flow on the one that "
                        "pays for it, so that money counts once",
                        where, chain, (unsigned long long)kids);
}

/*
 * What a flow does to the disbursements on the instruments it touches: its own amount added on
 * its instrument, the amount of the flow it corrects taken off that one's (the same or another).
 * Each instrument's sum is kept in the store (instrument_drawn), read once here, so the check
 * costs the same on the millionth flow as on the first.
 */
typedef struct {
    struct {
        char id[65], currency[4];
        int64_t drawn, amount; /* the new sum; the instrument's amount */
    } in[2];
    size_t n;
} draws;

static bool disbursed(const char *stage, bool has_amount)
{
    return has_amount && strcmp(stage, "disbursement") == 0;
}

static wl_rc draw(wl_store *s, draws *d, const char *id, const char *currency, int64_t delta,
                  const char *where, wl_error *err)
{
    wl_instrument_row in;
    size_t i;
    wl_i128 sum;
    char chain[256];
    wl_rc rc = wl_store_instrument_get(s, id, &in);
    if (rc == WL_ERR_NOT_FOUND || (rc == WL_OK && strcmp(currency, in.currency) != 0))
        return WL_OK; /* in another currency, it is not drawn on it */
    if (rc != WL_OK)
        return wl_flows_storage(s, rc, err);
    for (i = 0; i < d->n && strcmp(d->in[i].id, id) != 0; i++)
        ;
    if (i == d->n) {
        snprintf(d->in[i].id, sizeof d->in[i].id, "%s", id);
        snprintf(d->in[i].currency, sizeof d->in[i].currency, "%s", in.currency);
        d->in[i].amount = in.amount;
        if ((rc = wl_store_instrument_drawn(s, id, &d->in[i].drawn)) != WL_OK)
            return wl_flows_storage(s, rc, err);
        d->n++;
    }
    sum = (wl_i128)d->in[i].drawn + delta;
    if (sum > INT64_MAX || sum < INT64_MIN) {
        wl_instrument_chain(s, id, chain, sizeof chain);
        return wl_error_set(err, WL_ERR_CONFLICT, "too_large",
                            "%s: the disbursements on %s would pass what their 64-bit total "
                            "holds",
                            where, chain);
    }
    d->in[i].drawn = (int64_t)sum;
    return WL_OK;
}

/* Every touched instrument's new sum within 0 and its amount; f's figures only are named. */
static wl_rc draws_check(wl_store *s, const draws *d, const wl_flow *f, const char *where,
                         wl_error *err)
{
    char chain[256], a[48], c[48];
    for (size_t i = 0; i < d->n; i++) {
        if (d->in[i].drawn >= 0 && d->in[i].drawn <= d->in[i].amount)
            continue;
        wl_instrument_chain(s, d->in[i].id, chain, sizeof chain);
        wl_money_format(f->has_amount ? f->amount : 0, a, sizeof a);
        wl_money_format(d->in[i].amount, c, sizeof c);
        if (d->in[i].drawn < 0)
            return wl_error_set(err, WL_ERR_CONFLICT, "below_zero",
                                "%s: %s %s on %s would take its disbursements below zero: a "
                                "reversal undoes no more than was disbursed",
                                where, f->currency ? f->currency : d->in[i].currency, a, chain);
        return wl_error_set(err, WL_ERR_CONFLICT, "overdrawn",
                            "%s: %s %s more on %s would overdraw it: its disbursements may not "
                            "come to more than its %s %s",
                            where, f->currency ? f->currency : d->in[i].currency, a, chain,
                            d->in[i].currency, c);
    }
    return WL_OK;
}

/* The draws of f (correcting old, when it does), checked unless only counted (counting). */
static wl_rc draws_of(wl_store *s, const wl_flow *f, const wl_flow_row *old, bool counting,
                      const char *where, draws *d, wl_error *err)
{
    wl_rc rc = WL_OK;
    memset(d, 0, sizeof *d);
    if (f->instrument && disbursed(f->stage, f->has_amount))
        rc = draw(s, d, f->instrument, f->currency, f->amount, where, err);
    if (rc == WL_OK && f->supersedes && old->instrument[0] &&
        disbursed(old->stage, old->has_amount))
        rc = draw(s, d, old->instrument, old->currency, -old->amount, where, err);
    if (rc == WL_OK && !counting)
        rc = draws_check(s, d, f, where, err);
    return rc;
}

static wl_rc draws_put(wl_store *s, const draws *d)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; i < d->n && rc == WL_OK; i++)
        rc = wl_store_instrument_drawn_set(s, d->in[i].id, d->in[i].drawn);
    return rc;
}

/* The category a pledge or requirement gives (cat): a flow's own may not contradict it. */
static wl_rc category_of(const wl_flow *f, const char *what, const char *id, const char *cat,
                         const char *where, wl_flow_row *r, wl_error *err)
{
    if (f->category && cat[0] && strcmp(f->category, cat) != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "category_mismatch",
                            "%s: the flow's category %s contradicts its %s %s's, %s: leave it out "
                            "or give the same",
                            where, f->category, what, id, cat);
    if (!f->category)
        wl_copy_str(r->category, sizeof r->category, cat, SIZE_MAX);
    return WL_OK;
}

/*
 * Every rule of a flow against the store; on success *r holds its row (its
 * strings pointing nowhere: the caller sets body and readers).
 */
static wl_rc flow_check(wl_store *s, const char *author, const wl_flow *f, bool revealing,
                        const char *where, wl_flow_row *r, wl_flow_row *old, draws *d,
                        wl_error *err)
{
    wl_rc rc;
    memset(r, 0, sizeof *r);
    memset(old, 0, sizeof *old);
    if (f->category)
        wl_copy_str(r->category, sizeof r->category, f->category, SIZE_MAX);
    if (f->pledge) {
        char cat[33] = "";
        if ((rc = pledge_of(s, author, f, where, cat, err)) != WL_OK ||
            (rc = category_of(f, "pledge", f->pledge, cat, where, r, err)) != WL_OK)
            return rc;
    }
    if (f->requirement) {
        char cat[33] = "";
        req_find rf = {f->requirement, cat, false};
        if ((rc = wl_store_requirements(s, req_one, &rf)) != WL_OK)
            return wl_flows_storage(s, rc, err);
        if (!rf.found)
            return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_requirement",
                                "%s: no requirement '%s'", where, f->requirement);
        if ((rc = category_of(f, "requirement", f->requirement, cat, where, r, err)) != WL_OK)
            return rc;
    }
    if (r->category[0] == '\0')
        return bad(
            err, where, "category",
            "is needed when no pledge or requirement gives it: one of " WL_PLEDGE_CATEGORIES);
    if (f->supersedes && (rc = superseded_of(s, author, f, revealing, where, old, err)) != WL_OK)
        return rc;
    if (f->pledge && !revealing && (rc = retired_of(s, f, old, where, err)) != WL_OK)
        return rc;
    if (f->instrument && !revealing && (rc = instrument_of(s, author, f, where, err)) != WL_OK)
        return rc;
    /* announced, it was counted when sealed; on a fresh store (a replay) only counted */
    if ((rc = draws_of(s, f, old, revealing, where, d, err)) != WL_OK)
        return rc;
    wl_copy_str(r->id, sizeof r->id, f->id, SIZE_MAX);
    wl_copy_str(r->author, sizeof r->author, author, SIZE_MAX);
#define COPY(field, v) wl_copy_str(r->field, sizeof r->field, (v), SIZE_MAX)
    COPY(pledge, f->pledge);
    COPY(requirement, f->requirement);
    COPY(instrument, f->instrument);
    COPY(activity, f->activity);
    COPY(stage, f->stage);
    COPY(date, f->date);
    COPY(unit, f->unit);
    COPY(currency, f->currency);
#undef COPY
    r->has_qty = f->has_qty;
    r->qty = f->qty;
    r->has_amount = f->has_amount;
    r->amount = f->amount;
    r->sealed = f->sealed;
    r->row = -1;
    return WL_OK;
}

wl_rc wl_flow_apply(wl_store *s, const char *author, const wl_flow *f, const char *body,
                    uint64_t idx, int64_t row, bool revealing, const char *where, wl_error *err)
{
    wl_flow_row r, old;
    draws d;
    char *readers = NULL;
    wl_rc rc = flow_check(s, author, f, revealing, where, &r, &old, &d, err);
    if (rc != WL_OK)
        return rc;
    r.idx = idx;
    r.row = row;
    r.body = body;
    if (revealing) {
        wl_flow_row me, by;
        rc = wl_store_flow_get(s, f->id, &me);
        if (rc == WL_OK && (rc = wl_store_flow_publish(s, f->id, idx)) == WL_OK &&
            me.superseded_by[0] && wl_store_flow_get(s, me.superseded_by, &by) == WL_OK &&
            by.sealed) /* its correction is still sealed: public, it is not corrected yet */
            rc = wl_store_flow_supersede(s, f->id, NULL);
        if (rc != WL_ERR_NOT_FOUND)
            goto stored; /* the operator held it sealed: now public */
    }
    if (f->readers && (readers = json_dumps(f->readers, JSON_COMPACT)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "%s", where);
    r.readers = readers;
    rc = wl_store_flow_put(s, &r);
    free(readers); /* jansson's */
    if (rc == WL_ERR_CONFLICT)
        return wl_error_set(err, WL_ERR_CONFLICT, "flow_exists",
                            "%s: a flow with id %s exists: a new flow takes a new id (a correction "
                            "names the old one in 'supersedes')",
                            where, f->id);
    if (rc == WL_OK)
        rc = draws_put(s, &d);
stored:
    if (rc == WL_OK && f->supersedes && strcmp(old.superseded_by, f->id) != 0)
        rc = wl_store_flow_supersede(s, f->supersedes, f->id);
    return rc == WL_OK ? WL_OK : wl_flows_storage(s, rc, err);
}

wl_rc wl_flow_check(wl_store *s, const char *author, const wl_flow *f, const char *where,
                    wl_error *err)
{
    wl_flow_row r, old;
    draws d;
    return flow_check(s, author, f, false, where, &r, &old, &d, err);
}
