/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition's public entry kinds: requirement.set (the coordinator sets
 * what the operation needs), requirement.endorse (the host nation endorses
 * it with its own signature), fact.record and fact.retract (the named facts
 * conditions may wait for). Bodies in docs/FORMAT.md.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/deal.h" /* WL_DEAL_FACT_PREFIX */
#include "willing/ledger.h"
#include "willing/module.h"

static wl_rc author_role(wl_store *s, const wl_entry *e, const char *const *roles, const char *kind,
                         wl_error *err)
{
    wl_member m;
    if (wl_store_member_get(s, e->author, &m) != WL_OK)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden", "%s: '%s' is not a member", kind,
                            e->author);
    for (const char *const *r = roles; *r; r++)
        if (strcmp(m.role, *r) == 0)
            return WL_OK;
    return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                        "%s: a member with role %s may not "
                        "do this",
                        kind, m.role);
}

static int ident(const char *s)
{
    return s && wl_valid_member_id(s, strlen(s));
}

#define IDENT "must be an id: 1-64 of a-z 0-9 . _ -"

/* A refusal that names the one field at fault and what is wrong with it. */
static wl_rc bad_field(wl_error *err, const char *kind, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: '%s' %s", kind, field, what);
}

static int quarter(const char *s)
{
    return s && strlen(s) == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' &&
           strspn(s, "0123456789") == 4;
}

static wl_rc only(json_t *b, const char *const *fields, const char *kind, wl_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v)
    {
        int ok = 0;
        for (const char *const *f = fields; *f; f++)
            ok |= strcmp(*f, k) == 0;
        if (!ok)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: unknown field '%s'", kind,
                                k);
    }
    return WL_OK;
}

static wl_rc apply_requirement_set(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const roles[] = {"coordinator", "operator", NULL};
    static const char *const fields[] = {"requirement", "category",  "quantity", "unit",
                                         "priority",    "needed_by", "text",     NULL};
    json_t *b = p->e.body_json, *pr = json_object_get(b, "priority");
    const char *id = json_string_value(json_object_get(b, "requirement"));
    const char *cat = json_string_value(json_object_get(b, "category"));
    const char *q = json_string_value(json_object_get(b, "quantity"));
    const char *unit = json_string_value(json_object_get(b, "unit"));
    const char *by = json_string_value(json_object_get(b, "needed_by"));
    int64_t qty;
    wl_rc rc;
    if ((rc = author_role(s, &p->e, roles, "requirement.set", err)) != WL_OK ||
        (rc = only(b, fields, "requirement.set", err)) != WL_OK)
        return rc;
    if (!ident(id))
        return bad_field(err, "requirement.set", "requirement", IDENT);
    if (cat == NULL || !wl_pledge_category(cat))
        return bad_field(err, "requirement.set", "category",
                         "must be a pledge category: ground_forces, air_policing, air_defence, "
                         "maritime, logistics, intelligence, training, finance or other");
    if (q == NULL || wl_qty_parse(q, strlen(q), &qty) != WL_OK)
        return bad_field(err, "requirement.set", "quantity",
                         "must be an exact decimal string, e.g. \"10000\"");
    if (!ident(unit))
        return bad_field(err, "requirement.set", "unit",
                         "must be a lower-case word such as troops or aircraft");
    if (!json_is_integer(pr) || json_integer_value(pr) < 1 || json_integer_value(pr) > 5)
        return bad_field(err, "requirement.set", "priority", "must be a whole number from 1 to 5");
    if (json_object_get(b, "needed_by") && !quarter(by))
        return bad_field(err, "requirement.set", "needed_by", "must be a quarter such as 2026-Q2");
    {
        /* the body as signed: one line of JSON inside the entry, not NUL-terminated there */
        char *body = wl_strndup(p->e.body, p->e.body_len);
        if (body == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "requirement.set");
        rc = wl_store_requirement_put(s, id, body, index);
        wl_free(body);
    }
    return rc == WL_OK ? WL_OK : wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}

static wl_rc apply_requirement_endorse(wl_store *s, const wl_pending *p, uint64_t index,
                                       wl_error *err)
{
    static const char *const roles[] = {"host", NULL};
    static const char *const fields[] = {"requirement", "set", NULL};
    json_t *b = p->e.body_json, *set = json_object_get(b, "set");
    const char *id = json_string_value(json_object_get(b, "requirement"));
    uint64_t set_idx = 0, endorsed = 0;
    wl_rc rc;
    if ((rc = author_role(s, &p->e, roles, "requirement.endorse", err)) != WL_OK ||
        (rc = only(b, fields, "requirement.endorse", err)) != WL_OK)
        return rc;
    if (!ident(id))
        return bad_field(err, "requirement.endorse", "requirement", IDENT);
    if (!json_is_integer(set) || json_integer_value(set) < 0)
        return bad_field(err, "requirement.endorse", "set",
                         "must be the index of the requirement.set entry endorsed");
    if (wl_store_requirement_get(s, id, &set_idx, &endorsed) != WL_OK)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_requirement",
                            "requirement.endorse: no requirement '%s'", id);
    if ((uint64_t)json_integer_value(set) != set_idx)
        return wl_error_set(err, WL_ERR_CONFLICT, "stale_requirement",
                            "requirement.endorse: '%s' was last set at entry %llu, not %lld", id,
                            (unsigned long long)set_idx, (long long)json_integer_value(set));
    rc = wl_store_requirement_endorse(s, id, index);
    return rc == WL_OK ? WL_OK : wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}

static wl_rc apply_fact(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err,
                        int recorded)
{
    static const char *const roles[] = {"coordinator", "operator", NULL};
    static const char *const fields[] = {"fact", "text", NULL};
    const char *name = json_string_value(json_object_get(p->e.body_json, "fact"));
    wl_rc rc;
    if ((rc = author_role(s, &p->e, roles, p->e.kind, err)) != WL_OK ||
        (rc = only(p->e.body_json, fields, p->e.kind, err)) != WL_OK)
        return rc;
    if (name && strncmp(name, WL_DEAL_FACT_PREFIX, sizeof WL_DEAL_FACT_PREFIX - 1) == 0)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "reserved_fact",
                            "%s: '%s' is recorded by the deal's own entries (deal.sign, "
                            "deal.notice), not by hand",
                            p->e.kind, name);
    if (!ident(name))
        return bad_field(err, p->e.kind, "fact", IDENT);
    rc = wl_store_fact_set(s, name, recorded, index);
    return rc == WL_OK ? WL_OK : wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}

static wl_rc apply_fact_record(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    return apply_fact(s, p, index, err, 1);
}

static wl_rc apply_fact_retract(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    return apply_fact(s, p, index, err, 0);
}

/* A clearing run by the coordinator: commitments to its inputs and its result only. */
static wl_rc apply_clearing(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    static const char *const roles[] = {"coordinator", "operator", NULL};
    static const char *const fields[] = {"inputs", "result", NULL};
    json_t *b = p->e.body_json;
    const char *fields_v[2] = {json_string_value(json_object_get(b, "inputs")),
                               json_string_value(json_object_get(b, "result"))};
    uint8_t h[32];
    size_t n = 0;
    wl_rc rc;
    (void)index;
    if ((rc = author_role(s, &p->e, roles, "clearing", err)) != WL_OK ||
        (rc = only(b, fields, "clearing", err)) != WL_OK)
        return rc;
    for (int i = 0; i < 2; i++)
        if (fields_v[i] == NULL ||
            wl_b64_decode(fields_v[i], strlen(fields_v[i]), h, 32, &n) != WL_OK || n != 32)
            return bad_field(err, "clearing", fields[i], "must be a base64 SHA-256 value");
    return WL_OK;
}

static int public_member(wl_store *s, const char *id)
{
    wl_member m;
    return wl_store_member_get(s, id, &m) == WL_OK && !m.sealed;
}

/* The first member a condition requires that is not public, or NULL. */
static const char *unannounced_in(wl_store *s, const wl_cond *c)
{
    if (c == NULL)
        return NULL;
    if (c->op == WL_COND_REQUIRES && !public_member(s, c->name))
        return c->name;
    for (size_t i = 0; i < c->nkids; i++) {
        const char *n = unannounced_in(s, c->kids[i]);
        if (n)
            return n;
    }
    return NULL;
}

/*
 * Announcing a pledge: its body must be a valid pledge, and everything it
 * names (members its conditions require, its readers) must be public, so
 * that nothing sealed can be inferred from what is announced. It is then
 * recorded as announced (its author, day and category), for the flows that
 * name it.
 */
static wl_rc reveal_pledge(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                           wl_error *err)
{
    char why[200];
    wl_cond *cond = NULL;
    json_t *cj = json_object_get(c->body_json, "condition"), *r;
    const char *bad = NULL;
    size_t i;
    wl_rc rc;
    (void)sealed_index;
    /* the body was checked by the kind's validate (wl_pledge_validate) before this hook */
    if (cj && wl_cond_from_json(cj, &cond, why, sizeof why) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_pledge", "announce: %s", why);
    bad = unannounced_in(s, cond);
    json_array_foreach(json_object_get(c->body_json, "readers"), i,
                       r) if (bad == NULL &&
                              (!json_is_string(r) || !public_member(s, json_string_value(r)))) bad =
        json_is_string(r) ? json_string_value(r) : "?";
    rc = bad == NULL ? WL_OK
                     : wl_error_set(err, WL_ERR_FORBIDDEN, "names_unannounced",
                                    "announce: the pledge names '%s', which is not a public "
                                    "member: an announced pledge may name only announced "
                                    "members, so nothing sealed can be inferred from it",
                                    bad);
    wl_cond_free(cond);
    if (rc == WL_OK) { /* flows find it here, by id, with its day (lib/flows) */
        wl_pledge_public pp;
        memset(&pp, 0, sizeof pp);
        snprintf(pp.author, sizeof pp.author, "%s", c->author);
        snprintf(pp.category, sizeof pp.category, "%s",
                 json_string_value(json_object_get(c->body_json, "category")));
        pp.time = c->time;
        pp.idx = index;
        rc = wl_store_pledge_announced(
            s, json_string_value(json_object_get(c->body_json, "pledge")), &pp);
        if (rc != WL_OK)
            rc = wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
    }
    return rc;
}

/*
 * A pledge withdrawn, or amended by a new one, is retired when the sealed
 * content is stored (the operator's own record: flows against it are refused
 * from then on, lib/flows/flow.c). Its seal_check made it the author's.
 */
static wl_rc retire(wl_store *s, const char *pledge, uint64_t size, const char *successor,
                    wl_error *err)
{
    wl_rc rc = wl_store_pledge_retire(s, pledge, size, successor);
    return rc == WL_OK ? WL_OK : wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}

static wl_rc sealed_pledge(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    const char *amends = json_string_value(json_object_get(c->body_json, "amends"));
    return amends ? retire(s, amends, size,
                           json_string_value(json_object_get(c->body_json, "pledge")), err)
                  : WL_OK;
}

static wl_rc sealed_withdraw(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    return retire(s, json_string_value(json_object_get(c->body_json, "pledge")), size, NULL, err);
}

/* Announcing a withdrawal: its body was checked by the kind's validate, nothing else to check. */
static wl_rc reveal_withdraw(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                             wl_error *err)
{
    (void)s, (void)c, (void)sealed_index, (void)index, (void)err;
    return WL_OK;
}

/* Roles are still checked in each apply hook (author_role); a requirement is any key's but login's.
 */
static const wl_kind coalition_kinds[] = {
    {.name = "requirement.set",
     .scopes = WL_SCOPES_WRITE,
     .changes_register = true,
     .apply = apply_requirement_set},
    {.name = "requirement.endorse",
     .scopes = WL_SCOPES_WRITE,
     .changes_register = true,
     .apply = apply_requirement_endorse},
    {.name = "fact.record",
     .scopes = WL_SCOPES_WRITE,
     .changes_register = true,
     .apply = apply_fact_record},
    {.name = "fact.retract",
     .scopes = WL_SCOPES_WRITE,
     .changes_register = true,
     .apply = apply_fact_retract},
    {.name = "clearing",
     .scopes = WL_SCOPES_WRITE,
     .changes_register = true,
     .apply = apply_clearing},
    /* sealed content only: never an entry */
    {.name = "pledge",
     .scopes = WL_SCOPES_WRITE,
     .seal = WL_SEAL_ONLY,
     .changes_register = true,
     .validate = wl_pledge_validate,
     .seal_check = wl_pledge_seal_check,
     .sealed_apply = sealed_pledge,
     .reveal = reveal_pledge,
     .sealed_id = "pledge"},
    {.name = "pledge.withdraw",
     .scopes = WL_SCOPES_WRITE,
     .seal = WL_SEAL_ONLY,
     .changes_register = true,
     .validate = wl_pledge_withdraw_validate,
     .seal_check = wl_pledge_withdraw_seal_check,
     .sealed_apply = sealed_withdraw,
     .reveal = reveal_withdraw},
};

const wl_module wl_coalition_module = {
    .name = "coalition",
    .kinds = coalition_kinds,
    .nkinds = sizeof coalition_kinds / sizeof coalition_kinds[0],
};
