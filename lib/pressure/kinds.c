/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module (include/willing/pressure.h): its kinds
 * pressure.designation, pressure.batch (the designations of one import, up to
 * WL_PRESSURE_BATCH_ROWS in an entry, each checked and applied as a
 * designation, all or nothing), pressure.snapshot (refused when its file was
 * imported before, when its base is not the list's latest snapshot or its
 * date not after that one's: snapshot_against) and pressure.decision
 * (decision.c). A member designates with its own key for its own list
 * (source.list its member id); the operator imports a non-member authority's
 * list (any other source.list) as reference data attributed to it. validate
 * is the body's every rule (designation.c); apply checks whose list it is
 * against the register and stores the latest body of each (source, subject).
 * docs/internals/pressure.md, "The kinds".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/entry.h"
#include "willing/module.h"
#include "willing/pressure.h"
#include "willing/reference.h"

static wl_rc designation_validate(const wl_entry *e, wl_error *err)
{
    return wl_pressure_designation_check_at(e->body_json, e->time, err);
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

/* Stores designation b (its text `body`) of the entry at index by author. */
static wl_rc designation_put(wl_store *s, const json_t *b, const char *body, const char *author,
                             uint64_t index, wl_error *err)
{
    const json_t *src = json_object_get(b, "source");
    wl_store_designation d = {
        .source = json_string_value(json_object_get(src, "list")),
        .subject = json_string_value(json_object_get(b, "subject")),
        .author = author,
        .type = json_string_value(json_object_get(b, "type")),
        .listed = json_string_value(json_object_get(b, "listed")),
        .delisted = json_string_value(json_object_get(b, "delisted")),
        .idx = index,
        .body = body,
    };
    wl_rc rc = wl_store_designation_put(s, &d);
    if (rc != WL_OK)
        wl_error_set(err, rc, "storage", "pressure: cannot store the designation of %s", d.subject);
    return rc;
}

static wl_rc designation_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json;
    const char *list = json_string_value(json_object_get(json_object_get(b, "source"), "list"));
    char *body;
    wl_rc rc;
    if ((rc = list_owner(s, &p->e, list, err)) != WL_OK)
        return rc;
    if ((body = body_text(&p->e)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure.designation: out of memory");
    rc = designation_put(s, b, body, p->e.author, index, err);
    wl_free(body);
    return rc;
}

/* ---- pressure.batch: many designations of one list's import, all or nothing ---- */

#define BATCH "pressure.batch"

static wl_rc batch_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"list", "file", "part", "parts", "designations", NULL};
    const json_t *b = e->body_json, *ds = json_object_get(b, "designations"), *d;
    const char *list = json_string_value(json_object_get(b, "list"));
    const char *file = json_string_value(json_object_get(b, "file"));
    size_t i;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, BATCH, err)) != WL_OK ||
        (rc = wl_import_body_check(b, BATCH, "designations", WL_PRESSURE_BATCH_ROWS,
                                   WL_PRESSURE_PARTS_MAX, err)) != WL_OK)
        return rc;
    if (list == NULL || *list == '\0' || strlen(list) > 64)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            BATCH ": 'list' is the list's id, 1-64 bytes");
    json_array_foreach(ds, i, d)
    {
        const json_t *src = json_object_get(d, "source");
        const char *l = json_string_value(json_object_get(src, "list"));
        const char *f = json_string_value(json_object_get(src, "file"));
        if ((rc = wl_pressure_designation_check_at(d, e->time, err)) != WL_OK) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return wl_error_set(err, rc, err->code, BATCH ": designations[%zu]: %s", i, msg);
        }
        if (strcmp(l, list) != 0 || strcmp(f, file) != 0)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                BATCH ": designations[%zu]: 'source' must be the batch's list "
                                      "and file",
                                i);
    }
    return WL_OK;
}

static wl_rc batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *ds = json_object_get(b, "designations"), *d;
    const char *list = json_string_value(json_object_get(b, "list"));
    size_t i;
    wl_rc rc;
    if ((rc = list_owner(s, &p->e, list, err)) != WL_OK)
        return rc;
    json_array_foreach(ds, i, d)
    {
        char *body = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (body == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "internal", BATCH ": out of memory");
        rc = designation_put(s, d, body, p->e.author, index, err);
        free(body);
        if (rc != WL_OK)
            return rc;
    }
    return WL_OK;
}

/*
 * The import's snapshot against the list's snapshots (docs/internals/pressure.md, "The
 * kinds"): its file imported before (already_imported), compared against another than the
 * list's latest snapshot (stale_base: another import came first), or a file dated on or
 * before the latest's (older_file): 409, and the request with it, batches and all.
 */
static wl_rc snapshot_against(wl_store *s, const json_t *b, const char *list, const char *file,
                              const char *date, wl_error *err)
{
    const json_t *base = json_object_get(b, "base");
    uint64_t at = 0;
    char latest[65], on[11], was[24] = "null";
    wl_rc rc = wl_store_snapshot_of_file(s, list, file, &at, on);
    if (rc == WL_OK)
        return wl_error_set(err, WL_ERR_CONFLICT, "already_imported",
                            "pressure.snapshot: the file %.16s... of the list %s is already "
                            "imported: its snapshot is entry %llu (the file's date %s)",
                            file, list, (unsigned long long)at, on);
    if (rc == WL_ERR_NOT_FOUND)
        rc = wl_store_snapshot_latest(s, list, &at, latest, on);
    if (rc == WL_ERR_NOT_FOUND)
        return json_is_null(base) ? WL_OK
                                  : wl_error_set(err, WL_ERR_CONFLICT, "stale_base",
                                                 "pressure.snapshot: 'base' is entry %lld but "
                                                 "the list %s has no snapshot",
                                                 (long long)json_integer_value(base), list);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "pressure.snapshot: cannot read the snapshots");
    if (json_is_integer(base))
        snprintf(was, sizeof was, "entry %lld", (long long)json_integer_value(base));
    if (!json_is_integer(base) || (uint64_t)json_integer_value(base) != at)
        return wl_error_set(err, WL_ERR_CONFLICT, "stale_base",
                            "pressure.snapshot: the import was compared against the snapshot "
                            "%s of the list %s, whose latest snapshot is now entry %llu (the "
                            "file's date %s): another import came first; run the import again",
                            was, list, (unsigned long long)at, on);
    if (strcmp(date, on) <= 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "older_file",
                            "pressure.snapshot: the file's date %s is not after %s, the date of "
                            "the list %s's latest snapshot (entry %llu): an older file is not "
                            "imported after a newer one",
                            date, on, list, (unsigned long long)at);
    return WL_OK;
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
    char *body;
    wl_rc rc = snapshot_against(s, b, r.list, r.file, r.date, err);
    if (rc != WL_OK)
        return rc;
    if ((body = body_text(&p->e)) == NULL)
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
    {.name = BATCH,
     .scopes = WL_SCOPES_WRITE,
     .roles = 0, /* as pressure.designation: whose list is checked at apply */
     .validate = batch_validate,
     .apply = batch_apply},
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
