/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal module's kinds, each with every rule of it in one descriptor:
 * deal.propose (a coordinator's version of the agreement), deal.sign (a
 * required party's signature on that exact version), deal.notice (a party
 * suspends, resumes or terminates the deal in force). Public entries only.
 * Here the bodies' syntax, which needs no store; their rules against the
 * store are deal.c's. Bodies in docs/FORMAT.md, rules in
 * docs/internals/deal.md.
 */
#include <string.h>

#include <jansson.h>

#include "willing/deal.h"
#include "willing/entry.h"
#include "willing/limits.h"

static wl_rc bad(wl_error *err, const char *kind, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: '%s' %s", kind, field, what);
}

static bool ident(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && wl_valid_member_id(s, strlen(s));
}

static bool hex64(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* A version number: a whole number from 1. */
static bool version_ok(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 1;
}

#define IDENT "must be an id: 1-64 of a-z 0-9 . _ -"
#define HEX "must be a SHA-256: 64 lower-case hex digits"

static wl_rc annexes_ok(const json_t *a, wl_error *err)
{
    static const char *const fields[] = {"name", "hash", NULL};
    const json_t *x;
    size_t i;
    wl_rc rc;
    if (!json_is_array(a) || json_array_size(a) > WL_DEAL_ANNEXES_MAX)
        return bad(err, "deal.propose", "annexes", "must be a list of at most 64 annexes");
    json_array_foreach(a, i, x)
    {
        if (!json_is_object(x) ||
            (rc = wl_body_fields(x, fields, "deal.propose annexes", err)) != WL_OK)
            return json_is_object(x)
                       ? rc
                       : bad(err, "deal.propose", "annexes", "holds objects {\"name\", \"hash\"}");
        if (wl_body_str(x, "name", WL_DEAL_ANNEX_NAME) == NULL)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "deal.propose: annexes[%zu].name must be 1-%u bytes", i,
                                WL_DEAL_ANNEX_NAME);
        if (!hex64(json_object_get(x, "hash")))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "deal.propose: annexes[%zu].hash " HEX, i);
    }
    return WL_OK;
}

static wl_rc parties_ok(const json_t *a, wl_error *err)
{
    const json_t *x;
    size_t i;
    if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > WL_DEAL_PARTIES_MAX)
        return bad(err, "deal.propose", "parties", "must be a list of 1-64 member ids");
    json_array_foreach(a, i, x)
    {
        if (!ident(x))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "deal.propose: parties[%zu] " IDENT, i);
        for (size_t j = 0; j < i; j++)
            if (json_equal(x, json_array_get(a, j)))
                return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                    "deal.propose: parties[%zu] repeats '%s'", i,
                                    json_string_value(x));
    }
    return WL_OK;
}

wl_rc wl_deal_propose_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"deal",  "version", "title",  "text", "annexes",
                                         "zones", "parties", "public", NULL};
    const json_t *b = e->body_json, *zones = json_object_get(b, "zones"), *z;
    const json_t *an = json_object_get(b, "annexes"), *pub = json_object_get(b, "public");
    size_t i;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "deal.propose", err)) != WL_OK)
        return rc;
    if (!ident(json_object_get(b, "deal")))
        return bad(err, "deal.propose", "deal", IDENT);
    if (!version_ok(json_object_get(b, "version")))
        return bad(err, "deal.propose", "version",
                   "must be a whole number: 1 for a new deal, else the latest version + 1");
    if (wl_body_str(b, "title", WL_DEAL_TITLE_BYTES) == NULL)
        return bad(err, "deal.propose", "title", "must be 1-256 bytes");
    if (!hex64(json_object_get(b, "text")))
        return bad(err, "deal.propose", "text", HEX " (of the deal's text)");
    if (an && (rc = annexes_ok(an, err)) != WL_OK)
        return rc;
    if (zones && (!json_is_array(zones) || json_array_size(zones) > WL_DEAL_ZONES_MAX))
        return bad(err, "deal.propose", "zones",
                   "must be a list of at most 1000 entry indexes of zone versions");
    json_array_foreach(zones, i, z)
    {
        if (!json_is_integer(z) || json_integer_value(z) < 0)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "deal.propose: zones[%zu] must be an entry index", i);
    }
    if (pub && !json_is_boolean(pub))
        return bad(err, "deal.propose", "public", "must be true or false");
    return parties_ok(json_object_get(b, "parties"), err);
}

wl_rc wl_deal_sign_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"deal", "version", "hash", NULL};
    const json_t *b = e->body_json;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "deal.sign", err)) != WL_OK)
        return rc;
    if (!ident(json_object_get(b, "deal")))
        return bad(err, "deal.sign", "deal", IDENT);
    if (!version_ok(json_object_get(b, "version")))
        return bad(err, "deal.sign", "version", "must be a whole number from 1");
    if (!hex64(json_object_get(b, "hash")))
        return bad(err, "deal.sign", "hash", HEX " (the version's hash: GET /api/v1/deals/<id>)");
    return WL_OK;
}

wl_rc wl_deal_notice_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"deal", "notice", "text", NULL};
    const json_t *b = e->body_json;
    const char *n = json_string_value(json_object_get(b, "notice"));
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "deal.notice", err)) != WL_OK)
        return rc;
    if (!ident(json_object_get(b, "deal")))
        return bad(err, "deal.notice", "deal", IDENT);
    if (n == NULL ||
        (strcmp(n, "suspend") != 0 && strcmp(n, "resume") != 0 && strcmp(n, "terminate") != 0))
        return bad(err, "deal.notice", "notice", "must be suspend, resume or terminate");
    if (wl_body_str(b, "text", WL_DEAL_NOTICE_BYTES) == NULL)
        return bad(err, "deal.notice", "text", "says why, in 1-2000 bytes");
    return WL_OK;
}

static const wl_kind deal_kinds[] = {
    {.name = "deal.propose",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR,
     .changes_register = true,
     .validate = wl_deal_propose_validate,
     .apply = wl_deal_propose_apply},
    {.name = "deal.sign",
     .scopes = WL_SCOPES_WRITE,
     .roles = 0,
     .changes_register = true,
     .validate = wl_deal_sign_validate,
     .apply = wl_deal_sign_apply},
    {.name = "deal.notice",
     .scopes = WL_SCOPES_WRITE,
     .roles = 0,
     .changes_register = true,
     .validate = wl_deal_notice_validate,
     .apply = wl_deal_notice_apply},
};

const wl_module wl_deal_module = {
    .name = "deal",
    .kinds = deal_kinds,
    .nkinds = sizeof deal_kinds / sizeof deal_kinds[0],
};
