/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows module's kinds, each with every rule of it in one descriptor:
 * flow (public, or sealed and announced later), flow.batch (a member's
 * imported flows, all or nothing), flow.confirm and flow.dispute (the host
 * nation's answer to a delivery or disbursement, sealed when the flow is),
 * instrument and rate (public only). Third-party reference data
 * (reference.batch) is a module of its own (include/willing/reference.h).
 * Bodies in docs/FORMAT.md,
 * rules in docs/internals/flows.md.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/flows.h"

/* Sealed content carries a nonce where an entry has a seq. */
static bool is_sealed(const wl_entry *e)
{
    return e->nonce[0] != '\0';
}

/*
 * Sealed content: identity checked its signing key and that key's scope
 * (wl_identity_sealed_signer); here the author's role for the kind, asked of
 * the authority as for an entry (a `sign` key passes the scope rule).
 */
static wl_rc sealed_author_may(wl_store *s, const wl_entry *c, wl_error *err)
{
    return wl_authority_ask(s, c->author, "sign", c->kind, err);
}

wl_rc wl_flow_validate(const wl_entry *e, wl_error *err)
{
    wl_flow f;
    wl_rc rc = wl_flow_read(e->body_json, is_sealed(e), "flow", &f, err);
    return rc != WL_OK ? rc : wl_flow_date_not_future(f.date, e->time, "flow", err);
}

/* Reads a flow (or sealed flow) and applies it with its body as signed. */
static wl_rc flow_apply(wl_store *s, const wl_entry *e, bool sealed, bool revealing, uint64_t idx,
                        wl_error *err)
{
    wl_flow f;
    char *body;
    wl_rc rc = wl_flow_read(e->body_json, sealed, "flow", &f, err);
    if (rc != WL_OK)
        return rc;
    if (revealing)
        f.sealed = false; /* announced: the rules of a public flow */
    if ((body = wl_strndup(e->body, e->body_len)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "flow");
    rc = wl_flow_apply(s, e->author, &f, body, idx, -1, revealing, "flow", err);
    wl_free(body);
    return rc;
}

wl_rc wl_flow_apply_entry(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    return flow_apply(s, &p->e, false, false, index, err);
}

wl_rc wl_flow_seal_check(wl_store *s, const wl_entry *c, wl_error *err)
{
    wl_flow f;
    wl_rc rc;
    if ((rc = sealed_author_may(s, c, err)) != WL_OK ||
        (rc = wl_flow_read(c->body_json, true, "flow", &f, err)) != WL_OK)
        return rc;
    return wl_flow_check(s, c->author, &f, "flow", err);
}

/* The operator's private row of a sealed flow, ordered by the log's size when it came. */
wl_rc wl_flow_sealed_apply(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    return flow_apply(s, c, true, false, size, err);
}

/*
 * Announcing a sealed flow: the rules of a public flow (its pledge announced,
 * the flow it corrects public), its readers public members, so that nothing
 * sealed can be inferred from it; its row becomes public.
 */
wl_rc wl_flow_reveal(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                     wl_error *err)
{
    size_t i;
    json_t *r;
    wl_member m;
    (void)sealed_index;
    json_array_foreach(json_object_get(c->body_json, "readers"), i, r)
    {
        const char *id = json_string_value(r);
        if (id == NULL || wl_store_member_get(s, id, &m) != WL_OK || m.sealed)
            return wl_error_set(err, WL_ERR_FORBIDDEN, "names_unannounced",
                                "announce: the flow names '%s' as a reader, who is not a public "
                                "member: nothing sealed may be inferred from an announced flow",
                                id ? id : "?");
    }
    return flow_apply(s, c, true, true, index, err);
}

/* ---- flow.batch: a member's imported flows ---- */

wl_rc wl_flow_batch_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"import", "format", "part", "parts", "flows", NULL};
    const json_t *b = e->body_json, *rows = json_object_get(b, "flows"), *row;
    const char *imp = json_string_value(json_object_get(b, "import"));
    const char *fmt = json_string_value(json_object_get(b, "format"));
    json_int_t part = json_integer_value(json_object_get(b, "part"));
    json_int_t parts = json_integer_value(json_object_get(b, "parts"));
    char where[48];
    size_t i;
    wl_flow f;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, "flow.batch", err)) != WL_OK)
        return rc;
    if (imp == NULL || strlen(imp) != 64 || strspn(imp, "0123456789abcdef") != 64)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.batch: 'import' is the SHA-256 of the imported file: 64 "
                            "lower-case hex digits");
    if (fmt == NULL || (strcmp(fmt, "iati-2.03") != 0 && strcmp(fmt, "csv") != 0))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.batch: 'format' must be iati-2.03 or csv");
    if (!json_is_integer(json_object_get(b, "part")) ||
        !json_is_integer(json_object_get(b, "parts")) || part < 1 || parts < part)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.batch: 'part' and 'parts' are whole numbers, 1 <= part <= parts");
    if (!json_is_array(rows) || json_array_size(rows) == 0 ||
        json_array_size(rows) > WL_FLOW_BATCH_ROWS)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.batch: 'flows' is a list of 1-%u flows", WL_FLOW_BATCH_ROWS);
    json_array_foreach(rows, i, row)
    {
        snprintf(where, sizeof where, "flow.batch: flows[%zu]", i);
        if ((rc = wl_flow_read(row, false, where, &f, err)) != WL_OK ||
            (rc = wl_flow_date_not_future(f.date, e->time, where, err)) != WL_OK)
            return rc;
    }
    return WL_OK;
}

/*
 * Every row a flow, applied in order (a row may correct an earlier one); one bad row refuses.
 * Each row's body is json_dumps(row, JSON_COMPACT): taken from the entry's text when the body
 * is in that form already (wl_body_compact_rows), else dumped (a fifth of the sequencer's work).
 */
wl_rc wl_flow_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *rows = json_object_get(p->e.body_json, "flows"), *row;
    const char *starts[WL_FLOW_BATCH_ROWS];
    size_t lens[WL_FLOW_BATCH_ROWS], i;
    char where[48];
    bool spans = json_array_size(rows) == wl_body_compact_rows(p->e.body, p->e.body_len, "flows",
                                                               WL_FLOW_BATCH_ROWS, starts, lens);
    wl_rc rc = WL_OK;
    json_array_foreach(rows, i, row)
    {
        wl_flow f;
        char *body;
        snprintf(where, sizeof where, "flow.batch: flows[%zu]", i);
        if ((rc = wl_flow_read(row, false, where, &f, err)) != WL_OK)
            return rc;
        body = spans ? wl_strndup(starts[i], lens[i]) : json_dumps(row, JSON_COMPACT);
        if (body == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "%s", where);
        rc = wl_flow_apply(s, p->e.author, &f, body, index, (int64_t)i, false, where, err);
        if (spans)
            wl_free(body);
        else
            free(body); /* jansson's */
        if (rc != WL_OK)
            return rc;
    }
    return rc;
}

/* ---- flow.confirm and flow.dispute: the host nation's answer ---- */

static bool is_confirm(const wl_entry *e)
{
    return strcmp(e->kind, "flow.confirm") == 0;
}

wl_rc wl_flow_answer_validate(const wl_entry *e, wl_error *err)
{
    static const char *const confirm[] = {"flow", "received", "date", "text", NULL};
    static const char *const dispute[] = {"flow", "reason", NULL};
    const json_t *b = e->body_json;
    const char *id = json_string_value(json_object_get(b, "flow"));
    int64_t v;
    bool month = false;
    wl_rc rc;
    if ((rc = wl_body_fields(b, is_confirm(e) ? confirm : dispute, e->kind, err)) != WL_OK)
        return rc;
    if (id == NULL || strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: 'flow' names the flow answered, by its id: 32 lower-case hex "
                            "digits",
                            e->kind);
    if (!is_confirm(e)) {
        if (wl_body_blank(wl_body_str(b, "reason", WL_FLOW_TEXT_BYTES)))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "flow.dispute: 'reason' says why, in 1-2000 bytes");
        return WL_OK;
    }
    if (wl_money_parse(json_string_value(json_object_get(b, "received")), false, &v) != WL_OK ||
        v == 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.confirm: 'received' must be a positive exact decimal string in "
                            "the flow's unit or currency, " WL_FLOW_DIGITS);
    if (wl_flow_date_parse(json_string_value(json_object_get(b, "date")), &month) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.confirm: 'date' is when it was received: YYYY-MM-DD (or YYYY-MM "
                            "for goods)");
    if ((rc = wl_flow_date_not_future(json_string_value(json_object_get(b, "date")), e->time,
                                      "flow.confirm", err)) != WL_OK)
        return rc;
    if (json_object_get(b, "text") && wl_body_str(b, "text", WL_FLOW_TEXT_BYTES) == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.confirm: 'text' is a string of 1-2000 bytes");
    return WL_OK;
}

/*
 * The rules of an answer against the store, and its row: the flow known (a
 * sealed, unannounced one is unknown to a public answer), a delivery or
 * disbursement, not superseded; what was received not more than reported.
 */
static wl_rc answer_check(wl_store *s, const wl_entry *c, bool sealed, wl_flow_answer_row *a,
                          wl_error *err)
{
    const json_t *b = c->body_json;
    const char *id = json_string_value(json_object_get(b, "flow"));
    const char *date = json_string_value(json_object_get(b, "date"));
    wl_flow_row f;
    bool month = false;
    char x[48], y[48];
    wl_rc rc = wl_store_flow_get(s, id, &f);
    memset(a, 0, sizeof *a);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_flows_storage(s, rc, err);
    if (rc == WL_ERR_NOT_FOUND || (!sealed && f.sealed))
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_flow", "%s: no flow %s%s", c->kind, id,
                            sealed ? "" : " in public (answer a sealed flow sealed: --sealed)");
    if (strcmp(f.stage, "delivery") != 0 && strcmp(f.stage, "disbursement") != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "not_confirmable",
                            "%s: flow %s is a %s: only a delivery or a disbursement is received",
                            c->kind, id, f.stage);
    if (f.superseded_by[0])
        return wl_error_set(err, WL_ERR_CONFLICT, "superseded",
                            "%s: flow %s was corrected by flow %s: answer that one", c->kind, id,
                            f.superseded_by);
    snprintf(a->flow, sizeof a->flow, "%s", id);
    a->sealed = sealed;
    if (!is_confirm(c)) {
        char signed_day[11];
        wl_flow_latest_day(c->time, signed_day);
        if (wl_flow_date_before(signed_day, f.date))
            return wl_error_set(err, WL_ERR_CONFLICT, "before_flow",
                                "flow.dispute: signed before flow %s of %s: a dispute follows "
                                "what it disputes",
                                id, f.date);
        snprintf(a->kind, sizeof a->kind, "dispute");
        a->reason = json_string_value(json_object_get(b, "reason"));
        return WL_OK;
    }
    snprintf(a->kind, sizeof a->kind, "confirm");
    snprintf(a->date, sizeof a->date, "%s", date);
    a->has_received = true;
    if (wl_money_parse(json_string_value(json_object_get(b, "received")), false, &a->received) !=
        WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: 'received'", c->kind);
    if ((wl_flow_date_parse(date, &month) == WL_OK && month && !f.has_qty))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "flow.confirm: 'date' must be a day (YYYY-MM-DD) for money");
    if (wl_flow_date_before(date, f.date))
        return wl_error_set(err, WL_ERR_CONFLICT, "before_flow",
                            "flow.confirm: dated %s, before flow %s of %s: a confirmation "
                            "follows what it confirms",
                            date, id, f.date);
    if (a->received > (f.has_qty ? f.qty : f.amount)) {
        wl_money_format(a->received, x, sizeof x);
        wl_money_format(f.has_qty ? f.qty : f.amount, y, sizeof y);
        return wl_error_set(err, WL_ERR_CONFLICT, "more_than_reported",
                            "flow.confirm: received %s %s is more than the %s %s reported in flow "
                            "%s: dispute it, or have its author correct it",
                            x, f.has_qty ? f.unit : f.currency, y, f.has_qty ? f.unit : f.currency,
                            id);
    }
    return WL_OK;
}

static wl_rc answer_put(wl_store *s, const wl_entry *c, bool sealed, uint64_t idx, wl_error *err)
{
    wl_flow_answer_row a;
    wl_rc rc = answer_check(s, c, sealed, &a, err);
    if (rc != WL_OK)
        return rc;
    a.idx = idx;
    rc = wl_store_flow_answer_put(s, &a);
    return rc == WL_OK ? WL_OK : wl_flows_storage(s, rc, err);
}

wl_rc wl_flow_answer_apply_entry(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    return answer_put(s, &p->e, false, index, err);
}

wl_rc wl_flow_answer_seal_check(wl_store *s, const wl_entry *c, wl_error *err)
{
    wl_flow_answer_row a;
    wl_rc rc = sealed_author_may(s, c, err);
    return rc != WL_OK ? rc : answer_check(s, c, true, &a, err);
}

wl_rc wl_flow_answer_sealed_apply(wl_store *s, const wl_entry *c, uint64_t size, wl_error *err)
{
    return answer_put(s, c, true, size, err);
}

/* Announcing an answer: the flow must be public by then (announced first, or with it). */
wl_rc wl_flow_answer_reveal(wl_store *s, const wl_entry *c, uint64_t sealed_index, uint64_t index,
                            wl_error *err)
{
    (void)sealed_index;
    return answer_put(s, c, false, index, err);
}

#define WRITERS (WL_ROLE_MEMBER | WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR)
/* The host's answers: one descriptor each, the same rules. */
#define ANSWER_KIND(kind)                                                                          \
    {                                                                                              \
        .name = kind, .scopes = WL_SCOPES_WRITE, .roles = WL_ROLE_HOST, .seal = WL_SEAL_MAY,       \
        .changes_register = true, .validate = wl_flow_answer_validate,                             \
        .apply = wl_flow_answer_apply_entry, .seal_check = wl_flow_answer_seal_check,              \
        .sealed_apply = wl_flow_answer_sealed_apply, .reveal = wl_flow_answer_reveal               \
    }

static const wl_kind flows_kinds[] = {
    {.name = "flow",
     .scopes = WL_SCOPES_WRITE,
     .roles = WRITERS,
     .seal = WL_SEAL_MAY,
     .changes_register = true,
     .validate = wl_flow_validate,
     .apply = wl_flow_apply_entry,
     .seal_check = wl_flow_seal_check,
     .sealed_apply = wl_flow_sealed_apply,
     .reveal = wl_flow_reveal,
     .sealed_id = "flow"},
    {.name = "flow.batch",
     .scopes = WL_SCOPES_WRITE,
     .roles = WRITERS,
     .changes_register = true,
     .validate = wl_flow_batch_validate,
     .apply = wl_flow_batch_apply},
    ANSWER_KIND("flow.confirm"),
    ANSWER_KIND("flow.dispute"),
    {.name = "instrument",
     .scopes = WL_SCOPES_WRITE,
     .roles = WRITERS,
     .changes_register = true,
     .validate = wl_instrument_validate,
     .apply = wl_instrument_apply},
    {.name = "rate",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR,
     .changes_register = true,
     .validate = wl_rate_validate,
     .apply = wl_rate_apply},
};

const wl_module wl_flows_module = {
    .name = "flows",
    .kinds = flows_kinds,
    .nkinds = sizeof flows_kinds / sizeof flows_kinds[0],
};
