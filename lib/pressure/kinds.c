/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module (include/willing/pressure.h): its kinds
 * pressure.designation, pressure.snapshot and pressure.decision (decision.c). A member designates
 * with its own key for its own list (source.list its member id); the operator imports a non-member
 * authority's list (any other source.list) as reference data attributed to it. validate is the
 * body's every rule (designation.c); apply checks whose list it is against the register and stores
 * the latest body of each (source, subject). docs/internals/pressure.md, "The kinds".
 */
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/entry.h"
#include "willing/module.h"
#include "willing/pressure.h"

static wl_rc designation_validate(const wl_entry *e, wl_error *err)
{
    return wl_pressure_designation_check(e->body_json, err);
}

static wl_rc decision_validate(const wl_entry *e, wl_error *err)
{
    return wl_pressure_decision_check(e->body_json, err);
}

static wl_rc snapshot_validate(const wl_entry *e, wl_error *err)
{
    return wl_pressure_snapshot_check(e->body_json, err);
}

/* The body, one line of JSON inside the entry's bytes, as a string (wl_free it); NULL: no memory */
static char *body_text(const wl_entry *e)
{
    char *body = wl_malloc(e->body_len + 1);
    if (body) {
        memcpy(body, e->body, e->body_len);
        body[e->body_len] = '\0';
    }
    return body;
}

/* Whose list: the author's own (its member id), or the operator's reference data of a list that
 * is no member's. */
static wl_rc list_owner(wl_store *s, const wl_entry *e, const char *list, wl_error *err)
{
    wl_member m;
    if (strcmp(list, e->author) == 0)
        return WL_OK;
    if (wl_store_member_get(s, list, &m) == WL_OK)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "pressure.designation: the list '%s' is the member %s's: only its "
                            "own keys designate for it",
                            list, list);
    if (wl_store_member_get(s, e->author, &m) != WL_OK || strcmp(m.role, "operator") != 0)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "forbidden",
                            "pressure.designation: a member designates for its own list "
                            "('%s') only; the list '%s' of another authority is imported by "
                            "the operator",
                            e->author, list);
    return WL_OK;
}

static wl_rc designation_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *src = json_object_get(b, "source");
    wl_store_designation d = {
        .source = json_string_value(json_object_get(src, "list")),
        .subject = json_string_value(json_object_get(b, "subject")),
        .author = p->e.author,
        .type = json_string_value(json_object_get(b, "type")),
        .listed = json_string_value(json_object_get(b, "listed")),
        .delisted = json_string_value(json_object_get(b, "delisted")),
        .idx = index,
    };
    char *body;
    wl_rc rc;
    if ((rc = list_owner(s, &p->e, d.source, err)) != WL_OK)
        return rc;
    if ((body = body_text(&p->e)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure.designation: out of memory");
    d.body = body;
    if ((rc = wl_store_designation_put(s, &d)) != WL_OK)
        wl_error_set(err, rc, "storage", "pressure.designation: cannot store the designation");
    wl_free(body);
    return rc;
}

static wl_rc snapshot_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json;
    wl_store_snapshot r = {
        .idx = index,
        .author = p->e.author,
        .list = json_string_value(json_object_get(b, "list")),
        .file = json_string_value(json_object_get(b, "file")),
        .date = json_string_value(json_object_get(b, "date")),
    };
    char *body = body_text(&p->e);
    wl_rc rc;
    if (body == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure.snapshot: out of memory");
    r.body = body;
    if ((rc = wl_store_snapshot_put(s, &r)) != WL_OK)
        wl_error_set(err, rc, "storage", "pressure.snapshot: cannot store the snapshot");
    wl_free(body);
    return rc;
}

static const wl_kind pressure_kinds[] = {
    {.name = "pressure.designation",
     .scopes = WL_SCOPES_WRITE,
     .roles = 0, /* any active member, for its own list; the operator for another's (apply) */
     .validate = designation_validate,
     .apply = designation_apply},
    {.name = "pressure.snapshot",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_OPERATOR,
     .validate = snapshot_validate,
     .apply = snapshot_apply},
    /* decision.c: the coalition's analyst (the coordinator) or the operator, never a member:
     * it changes how every member's list aligns (docs/internals/pressure.md) */
    {.name = "pressure.decision",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_OPERATOR | WL_ROLE_COORDINATOR,
     .validate = decision_validate,
     .apply = wl_pressure_decision_apply},
};

const wl_module wl_pressure_module = {
    .name = "pressure",
    .kinds = pressure_kinds,
    .nkinds = sizeof pressure_kinds / sizeof pressure_kinds[0],
};
