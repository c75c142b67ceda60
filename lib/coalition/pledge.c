/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The body of a pledge (sealed content of kind "pledge"): what, how much,
 * coarse place and time only, caveats, conditions, who may read it; and the
 * rules of sealed pledges and withdrawals when submitted (their kinds'
 * validate and seal_check): only a pledge's author amends or withdraws it.
 * docs/FORMAT.md, "Pledges"; docs/internals/coalition.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/entry.h"
#include "willing/ledger.h"

#define WHY(...) snprintf(why, whylen, __VA_ARGS__)

/* A country or region by name: letters, spaces, hyphens, commas, full stops; no digits. */
static int coarse_place(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c) || c == '/' || c == ':' || c == '#')
            return 0;
    }
    return 1;
}

/* A quarter: YYYY-Qn */
static int quarter(const char *s)
{
    return strlen(s) == 7 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           s[5] == 'Q' && s[6] >= '1' && s[6] <= '4';
}

wl_rc wl_pledge_check(const json_t *b, char *why, size_t whylen)
{
    static const char *const fields[] = {"pledge",    "category", "quantity", "unit",
                                         "place",     "period",   "caveats",  "text",
                                         "condition", "readers",  "amends",   NULL};
    const char *k, *s;
    json_t *v;
    int64_t q;

    if (!json_is_object(b)) {
        WHY("a pledge is a JSON object");
        return WL_ERR_INVALID;
    }
    json_object_foreach((json_t *)b, k, v)
    {
        int ok = 0;
        for (const char *const *f = fields; *f; f++)
            ok |= strcmp(k, *f) == 0;
        if (!ok) {
            WHY("pledge: unknown field '%s'", k);
            return WL_ERR_INVALID;
        }
    }
    s = json_string_value(json_object_get(b, "pledge"));
    if (s == NULL || strlen(s) != 32 || strspn(s, "0123456789abcdef") != 32) {
        WHY("pledge: 'pledge' is its identifier, 32 random lower-case hex digits");
        return WL_ERR_INVALID;
    }
    s = json_string_value(json_object_get(b, "category"));
    if (s == NULL || !wl_pledge_category(s)) {
        WHY("pledge: 'category' must be one of %s", WL_PLEDGE_CATEGORIES);
        return WL_ERR_INVALID;
    }
    s = json_string_value(json_object_get(b, "quantity"));
    if (s == NULL || wl_qty_parse(s, strlen(s), &q) != WL_OK) {
        WHY("pledge: 'quantity' must be an exact decimal string, e.g. \"2000\" or "
            "\"1600000000.00\"");
        return WL_ERR_INVALID;
    }
    s = json_string_value(json_object_get(b, "unit"));
    if (s == NULL || !wl_valid_member_id(s, strlen(s)) || strlen(s) > 16) {
        WHY("pledge: 'unit' must be a lower-case word such as troops, aircraft, systems, "
            "missiles, ships or a currency (gbp, eur)");
        return WL_ERR_INVALID;
    }
    if ((v = json_object_get(b, "place")) &&
        (!json_is_string(v) || !coarse_place(json_string_value(v)))) {
        WHY("pledge: 'place' is a country or region by name: no coordinates, no unit "
            "identifiers, no digits");
        return WL_ERR_INVALID;
    }
    if ((v = json_object_get(b, "period")) &&
        (!json_is_string(v) || !quarter(json_string_value(v)))) {
        WHY("pledge: 'period' is a quarter such as 2026-Q1: times stay coarse");
        return WL_ERR_INVALID;
    }
    if ((v = json_object_get(b, "caveats"))) {
        size_t i;
        json_t *c;
        if (!json_is_array(v) || json_array_size(v) > WL_PLEDGE_CAVEATS_MAX) {
            WHY("pledge: 'caveats' is a list of at most %u strings", WL_PLEDGE_CAVEATS_MAX);
            return WL_ERR_INVALID;
        }
        json_array_foreach(v, i, c) if (!json_is_string(c) ||
                                        strlen(json_string_value(c)) > WL_PLEDGE_CAVEAT_BYTES)
        {
            WHY("pledge: each caveat is a string of at most %u bytes", WL_PLEDGE_CAVEAT_BYTES);
            return WL_ERR_INVALID;
        }
    }
    if ((v = json_object_get(b, "text")) &&
        (!json_is_string(v) || strlen(json_string_value(v)) > WL_PLEDGE_TEXT_BYTES)) {
        WHY("pledge: 'text' is a string of at most %u bytes", WL_PLEDGE_TEXT_BYTES);
        return WL_ERR_INVALID;
    }
    if ((v = json_object_get(b, "condition"))) {
        wl_cond *c = NULL;
        char cw[300];
        wl_rc rc = wl_cond_from_json(v, &c, cw, sizeof cw);
        wl_cond_free(c);
        if (rc != WL_OK) {
            WHY("pledge: condition: %s", cw);
            return WL_ERR_INVALID;
        }
    }
    if ((v = json_object_get(b, "readers"))) {
        size_t i;
        json_t *r;
        if (!json_is_array(v) || json_array_size(v) > 32) {
            WHY("pledge: 'readers' is a list of at most 32 member ids");
            return WL_ERR_INVALID;
        }
        json_array_foreach(
            v, i, r) if (!json_is_string(r) ||
                         !wl_valid_member_id(json_string_value(r), strlen(json_string_value(r))))
        {
            WHY("pledge: 'readers' holds member ids");
            return WL_ERR_INVALID;
        }
    }
    if ((v = json_object_get(b, "amends"))) {
        s = json_string_value(v);
        if (s == NULL || strlen(s) != 32 || strspn(s, "0123456789abcdef") != 32) {
            WHY("pledge: 'amends' names the pledge it replaces by its identifier");
            return WL_ERR_INVALID;
        }
    }
    return WL_OK;
}

static int pledge_id(const char *s)
{
    return s && strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

wl_rc wl_pledge_validate(const wl_entry *c, wl_error *err)
{
    char why[300];
    if (wl_pledge_check(c->body_json, why, sizeof why) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_pledge", "%s", why);
    return WL_OK;
}

wl_rc wl_pledge_withdraw_validate(const wl_entry *c, wl_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(c->body_json, k, v)
    {
        if (strcmp(k, "pledge") != 0)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_pledge",
                                "pledge.withdraw: unknown field '%s'", k);
    }
    if (!pledge_id(json_string_value(json_object_get(c->body_json, "pledge"))))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_pledge",
                            "pledge.withdraw: {\"pledge\": the id of the pledge withdrawn}");
    return WL_OK;
}

/* Amending or withdrawing: only one's own pledge. */
static wl_rc own_pledge(wl_store *s, const wl_entry *c, const char *target, wl_error *err)
{
    char owner[65];
    wl_rc rc;
    if (target == NULL)
        return WL_OK;
    rc = wl_store_pledge_author(s, target, owner);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", "cannot read pledge %s: %s", target,
                            wl_store_errmsg(s));
    /* the same answer for another member's pledge: its ids reveal nothing either */
    if (rc == WL_ERR_NOT_FOUND || strcmp(owner, c->author) != 0)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_pledge",
                            "no pledge %s of yours to amend or withdraw", target);
    return WL_OK;
}

wl_rc wl_pledge_seal_check(wl_store *s, const wl_entry *c, wl_error *err)
{
    return own_pledge(s, c, json_string_value(json_object_get(c->body_json, "amends")), err);
}

wl_rc wl_pledge_withdraw_seal_check(wl_store *s, const wl_entry *c, wl_error *err)
{
    const char *target = json_string_value(json_object_get(c->body_json, "pledge"));
    if (!pledge_id(target))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_pledge",
                            "pledge.withdraw: {\"pledge\": the id of the pledge withdrawn}");
    return own_pledge(s, c, target, err);
}
