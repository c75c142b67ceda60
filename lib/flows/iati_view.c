/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IATI view (GET /api/v1/flows/iati?member=M, willing flows export-iati): the live
 * flows of one member that a viewer may see (the store's reader decides: the public sees
 * public and announced flows only), read a page at a time, written as one iati-activities
 * 2.03 document by iati_export.c. docs/internals/flows.md, sections "Views" and "IATI".
 */
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/iati.h"

#define PAGE 1000u

typedef struct {
    json_t *bodies;
    int64_t last;
    size_t rows;
    wl_rc rc;
} collect;

static wl_rc on_row(void *ctx, const wl_flowv_row *f)
{
    collect *c = ctx;
    json_t *b;
    c->last = f->row;
    c->rows++;
    if (f->superseded_by && f->superseded_by[0])
        return WL_OK; /* only the latest of a correction chain counts */
    if (json_array_size(c->bodies) >= WL_IATI_EXPORT_FLOWS_MAX)
        return c->rc = WL_ERR_TOO_LARGE;
    b = json_loads(f->body ? f->body : "", JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(b)) {
        json_decref(b);
        return c->rc = WL_ERR_CORRUPT;
    }
    if (json_array_append_new(c->bodies, b) != 0)
        return c->rc = WL_ERR_NOMEM;
    return WL_OK;
}

wl_rc wl_flows_iati(wl_store *s, const wl_flows_viewer *v, const char *member,
                    const char *generated, wl_buf *out, size_t *skipped, wl_error *err)
{
    wl_flows_who who = {v->all, v->member[0] ? v->member : NULL};
    collect c = {json_array(), -1, 0, WL_OK};
    wl_rc rc;
    *skipped = 0;
    if (c.bodies == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    for (;;) {
        wl_flows_filter f = {.member = member, .after = c.last, .limit = PAGE};
        size_t before = c.rows;
        rc = wl_store_flows_list(s, &who, &f, on_row, &c);
        if (c.rc == WL_ERR_TOO_LARGE) {
            rc = wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                              "%s has more than %u flows: more than one IATI document holds",
                              member, WL_IATI_EXPORT_FLOWS_MAX);
            goto out;
        }
        if (rc == WL_OK && c.rc != WL_OK)
            rc = c.rc;
        if (rc != WL_OK) {
            rc = wl_error_set(err, rc, rc == WL_ERR_NOMEM ? "nomem" : "store",
                              "cannot read the flows of %s", member);
            goto out;
        }
        if (c.rows - before < PAGE)
            break;
    }
    rc = wl_iati_export(member, c.bodies, generated, out, skipped, err);
out:
    json_decref(c.bodies);
    return rc;
}
