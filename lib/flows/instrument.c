/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Instruments and rates. An instrument is a facility (UK Export Finance's
 * GBP 1.6bn) or a contract it pays for (the Belfast missile contract); parent
 * links make every amount count once: a contract's amount counts within its
 * facility's, and the children of a facility may not sum beyond it. Rates
 * are the coordinator's dated exchange rates, one per day and pair, never
 * edited. docs/internals/flows.md, "Instruments" and "Rates".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/flows.h"
#include "willing/identity.h" /* wl_member_privileged */
#include "willing/names.h"    /* wl_names_check: a counterparty's name as screening takes it */

#define IDENT "must be an id: 1-64 of a-z 0-9 . _ -"

static wl_rc bad(wl_error *err, const char *where, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: '%s' %s", where, field, what);
}

static bool ident(const char *s)
{
    return s && wl_valid_member_id(s, strlen(s));
}

bool wl_instrument_type(const char *s)
{
    static const char *const types[] = {"grant",         "loan",    "guarantee",
                                        "export_credit", "in_kind", "procurement_on_behalf"};
    for (size_t i = 0; s && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(s, types[i]) == 0)
            return true;
    return false;
}

void wl_instrument_chain(wl_store *s, const char *id, char *out, size_t cap)
{
    char ids[WL_INSTRUMENT_DEPTH_MAX + 1][65];
    size_t n = 0, o = 0;
    wl_instrument_row r;
    snprintf(ids[n++], sizeof ids[0], "%s", id);
    while (n <= WL_INSTRUMENT_DEPTH_MAX && wl_store_instrument_get(s, ids[n - 1], &r) == WL_OK &&
           r.parent[0])
        snprintf(ids[n++], sizeof ids[0], "%s", r.parent);
    out[0] = '\0';
    for (size_t i = n; i > 0 && o < cap; i--) {
        int w = snprintf(out + o, cap - o, "%s%s", i == n ? "" : " > ", ids[i - 1]);
        if (w < 0 || (size_t)w >= cap - o) {
            if (cap > 4)
                memcpy(out + cap - 4, "...", 4);
            return;
        }
        o += (size_t)w;
    }
}

static wl_rc read_money(const json_t *b, const char *name, bool required, int64_t *v,
                        const char *where, wl_error *err)
{
    const char *s = json_string_value(json_object_get(b, name));
    *v = 0;
    if (!required && json_object_get(b, name) == NULL)
        return WL_OK;
    if (wl_money_parse(s, false, v) != WL_OK)
        return bad(err, where, name,
                   "must be a non-negative exact decimal string, " WL_FLOW_DIGITS
                   " (\"1600000000\")");
    return WL_OK;
}

/*
 * A contract's counterparty (the contractor paid): {"name", "country"?, "ids"?: [{"type",
 * "value"}]}, its name checked as screening checks one (name_too_long, name_invalid).
 */
static wl_rc counterparty(const json_t *b, wl_error *err)
{
    static const char *const fields[] = {"name", "country", "ids", NULL};
    static const char *const idf[] = {"type", "value", NULL};
    const json_t *cp = json_object_get(b, "counterparty"), *ids, *id;
    const char *name, *lvl = json_string_value(json_object_get(b, "level"));
    size_t i;
    wl_rc rc;
    if (cp == NULL)
        return WL_OK;
    if (lvl == NULL || strcmp(lvl, "contract") != 0)
        return bad(err, "instrument", "counterparty", "belongs to a contract, not a facility");
    if (!json_is_object(cp) ||
        (rc = wl_body_fields(cp, fields, "instrument: counterparty", err)) != WL_OK)
        return json_is_object(cp)
                   ? rc
                   : bad(err, "instrument", "counterparty", "is {\"name\", \"country\", \"ids\"}");
    name = json_string_value(json_object_get(cp, "name"));
    if (name == NULL)
        return bad(err, "instrument", "counterparty.name", "is the contractor's name");
    if ((rc = wl_names_check(name, strlen(name), NULL, err)) != WL_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return wl_error_set(err, rc, err->code, "instrument: 'counterparty.name': %s", why);
    }
    if (json_object_get(cp, "country") && wl_body_str(cp, "country", WL_FLOW_NAME_BYTES) == NULL)
        return bad(err, "instrument", "counterparty.country", "is a string of 1-200 bytes");
    ids = json_object_get(cp, "ids");
    if (ids && (!json_is_array(ids) || json_array_size(ids) > WL_NAME_IDS_MAX))
        return bad(err, "instrument", "counterparty.ids", "is a list of at most 16 identifiers");
    json_array_foreach(ids, i, id)
    {
        if (!json_is_object(id) ||
            wl_body_fields(id, idf, "instrument: counterparty.ids", err) != WL_OK ||
            wl_body_str(id, "type", 64) == NULL || wl_body_str(id, "value", 128) == NULL)
            return bad(err, "instrument", "counterparty.ids",
                       "holds {\"type\": 1-64 bytes, \"value\": 1-128 bytes}");
    }
    return WL_OK;
}

wl_rc wl_instrument_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {
        "instrument", "name",          "type", "level",  "provider", "amount",       "currency",
        "parent",     "possible_more", "date", "source", "text",     "counterparty", NULL};
    const json_t *b = e->body_json;
    const char *id = json_string_value(json_object_get(b, "instrument")), *v;
    int64_t m;
    bool month = false;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "instrument", err)) != WL_OK)
        return rc;
    if (!ident(id))
        return bad(err, "instrument", "instrument", IDENT);
    if (wl_body_str(b, "name", WL_FLOW_NAME_BYTES) == NULL)
        return bad(err, "instrument", "name", "is a string of 1-200 bytes");
    if (!wl_instrument_type(json_string_value(json_object_get(b, "type"))))
        return bad(err, "instrument", "type", "must be " WL_INSTRUMENT_TYPES);
    v = json_string_value(json_object_get(b, "level"));
    if (v == NULL || (strcmp(v, "facility") != 0 && strcmp(v, "contract") != 0))
        return bad(err, "instrument", "level",
                   "must be facility (it funds others) or contract (flows are drawn on it)");
    if (!ident(json_string_value(json_object_get(b, "provider"))))
        return bad(err, "instrument", "provider", "must be the member id of its provider");
    if ((rc = read_money(b, "amount", true, &m, "instrument", err)) != WL_OK ||
        (rc = read_money(b, "possible_more", false, &m, "instrument", err)) != WL_OK)
        return rc;
    if ((rc = wl_flow_currency_ok(json_string_value(json_object_get(b, "currency")), "instrument",
                                  "currency", err)) != WL_OK)
        return rc;
    v = json_string_value(json_object_get(b, "parent"));
    if (json_object_get(b, "parent") && (!ident(v) || strcmp(v, id) == 0))
        return bad(err, "instrument", "parent", "names the facility that funds it, by its id");
    if (json_object_get(b, "date") &&
        (wl_flow_date_parse(json_string_value(json_object_get(b, "date")), &month) != WL_OK ||
         month))
        return bad(err, "instrument", "date", "must be a day, YYYY-MM-DD");
    v = json_string_value(json_object_get(b, "source"));
    if (json_object_get(b, "source") &&
        (v == NULL || strlen(v) != 64 || strspn(v, "0123456789abcdef") != 64))
        return bad(err, "instrument", "source",
                   "is the SHA-256 of the source document: 64 lower-case hex digits");
    if (json_object_get(b, "text") && wl_body_str(b, "text", WL_FLOW_TEXT_BYTES) == NULL)
        return bad(err, "instrument", "text", "is a string of 1-2000 bytes");
    return counterparty(b, err);
}

/* The author: the provider itself, or a coordinator or operator; the provider a public member. */
static wl_rc instrument_author(wl_store *s, const char *author, const char *provider, wl_error *err)
{
    wl_member m;
    wl_rc rc = wl_store_member_get(s, provider, &m);
    if (rc == WL_ERR_NOT_FOUND || (rc == WL_OK && m.sealed))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                            "instrument: 'provider' %s is not a public member", provider);
    if (rc != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (strcmp(author, provider) == 0)
        return WL_OK;
    rc = wl_store_member_get(s, author, &m);
    if (rc == WL_OK && wl_member_privileged(&m))
        return WL_OK;
    return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                        "instrument: only its provider '%s' or a coordinator sets it", provider);
}

wl_rc wl_instrument_usable(wl_store *s, const char *author, const char *id, const char *refusal,
                           wl_instrument_row *in, wl_error *err)
{
    wl_member m;
    wl_rc rc = wl_store_instrument_get(s, id, in);
    if (rc == WL_OK && strcmp(author, in->provider) != 0 &&
        !(wl_store_member_get(s, author, &m) == WL_OK && wl_member_privileged(&m)))
        rc = WL_ERR_NOT_FOUND; /* another provider's: the same answer as none */
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_instrument", "%s", refusal);
    return rc == WL_OK ? WL_OK : wl_flows_storage(s, rc, err);
}

/* An amendment keeps what the instrument is: type, level, provider, currency, parent. */
static wl_rc fixed(const wl_instrument_row *old, const wl_instrument_row *r, wl_error *err)
{
    const char *f = strcmp(old->type, r->type)           ? "type"
                    : strcmp(old->level, r->level)       ? "level"
                    : strcmp(old->provider, r->provider) ? "provider"
                    : strcmp(old->currency, r->currency) ? "currency"
                    : strcmp(old->parent, r->parent)     ? "parent"
                                                         : NULL;
    if (f == NULL)
        return WL_OK;
    return wl_error_set(err, WL_ERR_CONFLICT, "instrument_fixed",
                        "instrument: '%s' of %s may not change (set at entry %llu): an amendment "
                        "changes its name, amounts, date, source and text only",
                        f, r->id, (unsigned long long)old->idx);
}

static wl_rc overdrawn(const char *chain, const char *cur, wl_i128 sum, int64_t amount,
                       const char *what, wl_error *err)
{
    char a[48], b[48];
    wl_decimal_format(sum, WL_FLOW_SCALE_DIGITS, a, sizeof a);
    wl_money_format(amount, b, sizeof b);
    return wl_error_set(err, WL_ERR_CONFLICT, "overdrawn",
                        "instrument: %s: %s come to %s %s, beyond its %s %s", chain, what, cur, a,
                        cur, b);
}

/* The parent: a facility in the same currency, its children not summing beyond it. */
static wl_rc parent_rules(wl_store *s, const char *author, const wl_instrument_row *r,
                          wl_error *err)
{
    wl_instrument_row p;
    char chain[256], why[128];
    uint64_t n = 0;
    wl_i128 sum = 0;
    wl_rc rc;
    snprintf(why, sizeof why, "instrument: 'parent' %s is not an instrument", r->parent);
    if ((rc = wl_instrument_usable(s, author, r->parent, why, &p, err)) != WL_OK)
        return rc;
    wl_instrument_chain(s, r->parent, chain, sizeof chain);
    if (strcmp(p.level, "facility") != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "not_a_facility",
                            "instrument: 'parent' %s is a %s: only a facility funds others", chain,
                            p.level);
    if (strcmp(p.currency, r->currency) != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "currency_mismatch",
                            "instrument: %s is in %s, its parent %s in %s: one currency down a "
                            "chain",
                            r->id, r->currency, chain, p.currency);
    {
        size_t depth = 1; /* the parent's chain, then this one under it */
        for (const char *c = chain; (c = strchr(c, '>')) != NULL; c++)
            depth++;
        if (depth >= WL_INSTRUMENT_DEPTH_MAX)
            return wl_error_set(err, WL_ERR_CONFLICT, "too_deep",
                                "instrument: %s is %zu levels deep already (at most %u)", chain,
                                depth, WL_INSTRUMENT_DEPTH_MAX);
    }
    if ((rc = wl_store_instrument_children(s, r->parent, r->id, &n, &sum)) != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (sum + r->amount > p.amount) {
        char what[160];
        snprintf(what, sizeof what, "its instruments with %s", r->id);
        return overdrawn(chain, p.currency, sum + r->amount, p.amount, what, err);
    }
    return WL_OK;
}

wl_rc wl_instrument_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json;
    wl_instrument_row r, old;
    char chain[256], *body;
    uint64_t n = 0;
    wl_i128 sum = 0;
    int64_t drawn = 0;
    wl_rc rc;
    memset(&r, 0, sizeof r);
#define COPY(field, name)                                                                          \
    snprintf(r.field, sizeof r.field, "%s",                                                        \
             json_object_get(b, name) ? json_string_value(json_object_get(b, name)) : "")
    COPY(id, "instrument");
    COPY(parent, "parent");
    COPY(level, "level");
    COPY(type, "type");
    COPY(provider, "provider");
    COPY(currency, "currency");
#undef COPY
    if (wl_money_parse(json_string_value(json_object_get(b, "amount")), false, &r.amount) != WL_OK)
        return bad(err, "instrument", "amount", "must be an exact decimal string");
    r.idx = index;
    if ((rc = instrument_author(s, p->e.author, r.provider, err)) != WL_OK)
        return rc;
    rc = wl_store_instrument_get(s, r.id, &old);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_flows_storage(s, rc, err);
    if (rc == WL_OK && (rc = fixed(&old, &r, err)) != WL_OK)
        return rc;
    if (r.parent[0] && (rc = parent_rules(s, p->e.author, &r, err)) != WL_OK)
        return rc;
    /* an amendment may not take it below what is under it: its children, or its disbursements */
    wl_instrument_chain(s, r.id, chain, sizeof chain);
    if ((rc = wl_store_instrument_children(s, r.id, NULL, &n, &sum)) != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (sum > r.amount)
        return overdrawn(chain, r.currency, sum, r.amount, "the instruments under it", err);
    if ((rc = wl_store_instrument_drawn(s, r.id, &drawn)) != WL_OK)
        return wl_flows_storage(s, rc, err);
    if (drawn > r.amount) { /* sealed ones count: no sum named */
        char m[48];
        wl_money_format(r.amount, m, sizeof m);
        return wl_error_set(err, WL_ERR_CONFLICT, "overdrawn",
                            "instrument: %s: the disbursements on it come to more than %s %s",
                            chain, r.currency, m);
    }
    if ((body = wl_strndup(p->e.body, p->e.body_len)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "instrument");
    r.body = body;
    rc = wl_store_instrument_put(s, &r);
    wl_free(body);
    return rc == WL_OK ? WL_OK : wl_flows_storage(s, rc, err);
}

wl_rc wl_rate_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"date", "from", "to", "rate", "source", NULL};
    const json_t *b = e->body_json;
    const char *from = json_string_value(json_object_get(b, "from"));
    const char *to = json_string_value(json_object_get(b, "to"));
    int64_t r;
    bool month = false;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "rate", err)) != WL_OK)
        return rc;
    if (wl_flow_date_parse(json_string_value(json_object_get(b, "date")), &month) != WL_OK || month)
        return bad(err, "rate", "date", "must be a day, YYYY-MM-DD");
    if ((rc = wl_flow_currency_ok(from, "rate", "from", err)) != WL_OK ||
        (rc = wl_flow_currency_ok(to, "rate", "to", err)) != WL_OK)
        return rc;
    if (strcmp(from, to) == 0)
        return bad(err, "rate", "to", "must differ from 'from'");
    if (wl_rate_parse(json_string_value(json_object_get(b, "rate")), &r) != WL_OK)
        return bad(err, "rate", "rate",
                   "must be a positive exact decimal string with at most 10 digits before the "
                   "point and 8 after (\"1.2095\")");
    if (wl_body_str(b, "source", WL_FLOW_NAME_BYTES) == NULL)
        return bad(err, "rate", "source", "names where the rate comes from: 1-200 bytes");
    return WL_OK;
}

wl_rc wl_rate_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json;
    const char *date = json_string_value(json_object_get(b, "date"));
    const char *from = json_string_value(json_object_get(b, "from"));
    const char *to = json_string_value(json_object_get(b, "to"));
    int64_t r = 0;
    wl_rc rc = wl_rate_parse(json_string_value(json_object_get(b, "rate")), &r);
    if (rc != WL_OK)
        return bad(err, "rate", "rate", "must be a positive exact decimal string");
    rc = wl_store_rate_put(s, date, from, to, r, index);
    if (rc == WL_ERR_CONFLICT)
        return wl_error_set(err, WL_ERR_CONFLICT, "rate_exists",
                            "rate: %s to %s on %s is recorded already: rates are facts, not "
                            "edited",
                            from, to, date);
    if (rc == WL_ERR_FORBIDDEN)
        return wl_error_set(err, WL_ERR_CONFLICT, "rate_currencies",
                            "rate: the rates convert into %d currencies already; a rate into %s "
                            "would be one more: give rates into one of those",
                            WL_RATE_TARGETS_MAX, to);
    return rc == WL_OK ? WL_OK : wl_flows_storage(s, rc, err);
}
