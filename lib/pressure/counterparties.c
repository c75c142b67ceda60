/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows module's counterparties screened in one step (issue 12, point
 * 5): every contract in an instrument's subtree (a facility's contracts,
 * however deep), its counterparty (the contractor an instrument of level
 * contract names) screened against the index of the listed designations.
 * The instruments come from the flows tree as the public sees it
 * (lib/flows/views.c): instruments are never sealed, and nothing of the
 * flows drawn on them (which are the viewer's) is in the answer.
 * docs/internals/pressure.md, "Screening".
 */
#include <string.h>

#include <jansson.h>

#include "willing/flows_views.h"
#include "willing/limits.h"
#include "willing/pressure.h"

typedef struct {
    wl_names *n;
    const wl_pressure_index *pi;
    size_t limit;
    wl_names_candidate *cands;
    json_t *contracts;
    wl_error *err;
} walk;

/* The counterparty's screening: its candidates, or why it could not be screened. */
static wl_rc screen_one(walk *w, const json_t *cp, json_t *o)
{
    wl_name_id ids[WL_NAME_IDS_MAX];
    const json_t *idl = json_object_get(cp, "ids"), *id;
    wl_names_query q = {.name = json_string_value(json_object_get(cp, "name")),
                        .country = json_string_value(json_object_get(cp, "country")),
                        .limit = w->limit,
                        .ids = ids};
    wl_error bad = {0};
    size_t i, count = 0;
    json_t *arr;
    wl_rc rc;
    json_array_foreach(idl, i, id)
    {
        if (q.n_ids < WL_NAME_IDS_MAX) {
            ids[q.n_ids].type = json_string_value(json_object_get(id, "type"));
            ids[q.n_ids++].value = json_string_value(json_object_get(id, "value"));
        }
    }
    rc = wl_names_screen(w->n, wl_pressure_index_names(w->pi), &q, w->cands, WL_SCREEN_LIMIT_MAX,
                         &count, &bad);
    if (rc == WL_ERR_NOMEM)
        return wl_error_set(w->err, rc, "internal", "pressure: out of memory");
    if (rc != WL_OK) { /* the kind checked it as the engine does: not expected */
        json_object_set_new(o, "error", json_string(bad.code ? bad.code : "invalid"));
        json_object_set_new(o, "message", json_string(bad.msg));
        return WL_OK;
    }
    arr = wl_pressure_candidates_json(w->pi, w->cands, count);
    if (arr == NULL || json_object_set_new(o, "candidates", arr) != 0)
        return wl_error_set(w->err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    return WL_OK;
}

static wl_rc visit(walk *w, const json_t *node, int depth)
{
    const char *level = json_string_value(json_object_get(node, "level"));
    const json_t *kids = json_object_get(node, "children"), *k;
    size_t i;
    wl_rc rc = WL_OK;
    if (level && strcmp(level, "contract") == 0) {
        const json_t *cp = json_object_get(node, "counterparty");
        json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O*}", "instrument",
                              json_object_get(node, "instrument"), "index",
                              json_object_get(node, "index"), "name", json_object_get(node, "name"),
                              "provider", json_object_get(node, "provider"), "parent",
                              json_object_get(node, "parent"), "counterparty", cp);
        if (o == NULL)
            return wl_error_set(w->err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
        if (cp == NULL)
            json_object_set_new(o, "counterparty", json_null());
        else
            rc = screen_one(w, cp, o);
        if (json_array_append_new(w->contracts, o) != 0 && rc == WL_OK)
            rc = wl_error_set(w->err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    }
    json_array_foreach(kids, i, k)
    {
        if (rc == WL_OK && depth < (int)WL_INSTRUMENT_DEPTH_MAX + 1)
            rc = visit(w, k, depth + 1);
    }
    return rc;
}

wl_rc wl_pressure_counterparties(wl_store *s, wl_names *n, const wl_pressure_index *pi,
                                 const char *instrument, size_t limit, json_t **out, wl_error *err)
{
    const wl_flows_viewer pub = {0};
    walk w = {n, pi, limit, NULL, NULL, err};
    json_t *tree = NULL, *node;
    wl_rc rc;
    *out = NULL;
    rc = wl_flows_instruments(s, &pub, instrument, &tree);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "unknown_instrument", "no instrument %s", instrument);
    if (rc != WL_OK)
        return wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "internal" : "storage",
                            "pressure: cannot read the instruments");
    node = json_object_get(tree, "instrument");
    w.cands = wl_calloc(WL_SCREEN_LIMIT_MAX, sizeof *w.cands);
    w.contracts = json_array();
    if (w.cands == NULL || w.contracts == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    if (rc == WL_OK)
        rc = visit(&w, node, 0);
    if (rc == WL_OK &&
        (*out = json_pack("{s:I, s:I, s:I, s:O, s:O, s:O}", "data_version",
                          (json_int_t)wl_pressure_index_version(pi), "subjects_screened",
                          (json_int_t)wl_pressure_index_subjects(pi), "name_keys",
                          (json_int_t)wl_names_index_keys(wl_pressure_index_names(pi)),
                          "instrument", json_object_get(node, "instrument"), "level",
                          json_object_get(node, "level"), "contracts", w.contracts)) == NULL)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    json_decref(w.contracts);
    json_decref(tree);
    wl_free(w.cands);
    return rc;
}
