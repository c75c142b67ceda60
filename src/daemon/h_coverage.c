/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/coverage[?view=coordinator|member][&format=csv]: per requirement,
 * what is binding, what is pledged but not binding, and the gap; and every
 * pledge in the view with why it does or does not bind.
 *   public (no signature): announced pledges only, so nothing sealed can be
 *     inferred from the result;
 *   coordinator (signed, role coordinator or operator): sealed pledges too;
 *   member (signed): the member's own sealed pledges plus the public ones.
 */
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "willing/coalition.h"

typedef struct {
    wl_pledges *ps;
    const char *only; /* for sealed contents: only this author's, or NULL for all */
} collect;

static wl_rc add_announced(void *ctx, uint64_t index, const char *data, size_t len)
{
    collect *c = ctx;
    wl_entry e;
    const char *b64;
    size_t n = 0;
    char *raw;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    b64 = json_string_value(json_object_get(e.body_json, "content"));
    raw = b64 ? malloc(strlen(b64)) : NULL;
    if (raw && wl_b64_decode(b64, strlen(b64), (uint8_t *)raw, strlen(b64), &n) == WL_OK)
        (void)!wl_pledges_add(c->ps, raw, n, index);
    free(raw);
    wl_entry_clear(&e);
    return WL_OK;
}

static void add_sealed(wl_store *s, wl_pledges *ps, const char *only)
{
    size_t n = 0;
    uint8_t(*all)[32] = malloc(100000 * 32);
    if (all == NULL || wl_store_sealed_all(s, all, 100000, &n) != WL_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        wl_sealed_rec r;
        if (wl_store_sealed_get(s, all[i], &r) != WL_OK)
            continue;
        if (only == NULL || strcmp(r.author, only) == 0)
            (void)!wl_pledges_add(ps, r.content, r.content_len, (uint64_t)r.received);
        wl_store_sealed_free(&r);
    }
    free(all);
}

typedef struct {
    json_t *reqs;
    const wl_pledge_in *in;
    size_t n;
    const wl_clearing *clr;
    wl_buf csv;
} req_ctx;

static wl_rc one_requirement(void *ctx, const char *id, const char *body, uint64_t set_idx,
                             uint64_t endorsed_idx)
{
    req_ctx *r = ctx;
    json_t *b = json_loads(body, 0, NULL);
    const char *cat = json_string_value(json_object_get(b, "category"));
    const char *unit = json_string_value(json_object_get(b, "unit"));
    const char *q = json_string_value(json_object_get(b, "quantity"));
    const char *by = json_string_value(json_object_get(b, "needed_by"));
    int64_t need = 0;
    wl_cover cv;
    char sb[32], sp[32], sg[32], sn[32], line[512];
    if (cat == NULL || unit == NULL || q == NULL || wl_qty_parse(q, strlen(q), &need) != WL_OK) {
        json_decref(b);
        return WL_OK;
    }
    wl_coverage(cat, unit, need, r->in, r->n, r->clr, &cv);
    wl_qty_format(cv.binding, sb, sizeof sb);
    wl_qty_format(cv.pledged, sp, sizeof sp);
    wl_qty_format(cv.gap, sg, sizeof sg);
    wl_qty_format(need, sn, sizeof sn);
    json_array_append_new(
        r->reqs, json_pack("{s:s, s:s, s:s, s:s, s:O, s:s?, s:b, s:I, s:s, s:s, s:s}",
                           "requirement", id, "category", cat, "unit", unit, "quantity", sn,
                           "priority", json_object_get(b, "priority"), "needed_by", by, "endorsed",
                           endorsed_idx != UINT64_MAX, "set", (json_int_t)set_idx, "binding", sb,
                           "pledged_not_binding", sp, "gap", sg));
    snprintf(line, sizeof line, "%s,%s,%s,%s,%lld,%s,%s,%s,%s,%s\r\n", id, cat, unit, sn,
             (long long)json_integer_value(json_object_get(b, "priority")), by ? by : "",
             endorsed_idx != UINT64_MAX ? "yes" : "no", sb, sp, sg);
    (void)!wl_buf_append(&r->csv, line, strlen(line), 16u << 20);
    json_decref(b);
    return WL_OK;
}

enum MHD_Result wl_h_coverage(struct MHD_Connection *c, const char *method, wl_req *r)
{
    const char *view = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "view");
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    wl_store *s = wl_thread_store();
    wl_pledges ps;
    collect col;
    const wl_pledge_in *in = NULL;
    const wl_pledge_item **items = NULL;
    size_t n = 0, nf = 0;
    char **facts = NULL;
    wl_clearing clr;
    req_ctx rc;
    json_t *out, *pl, *fa;
    enum MHD_Result ret;
    wl_auth a;
    const char *vname = "public";
    static const char header[] = "requirement,category,unit,quantity,priority,needed_by,"
                                 "endorsed,binding,pledged_not_binding,gap\r\n";

    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    wl_pledges_init(&ps);
    memset(&clr, 0, sizeof clr);
    memset(&rc, 0, sizeof rc);
    if (view && strcmp(view, "public") != 0) {
        wl_member m;
        if (wl_authenticate(c, method, r, &a) != 0)
            return wl_respond_error(c, a.status, a.code, "%s", a.msg);
        if (wl_store_member_get(s, a.member, &m) != WL_OK)
            return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "not a member");
        if (strcmp(view, "coordinator") == 0) {
            if (strcmp(m.role, "coordinator") != 0 && strcmp(m.role, "operator") != 0)
                return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden",
                                        "the coordinator's view is for members with role "
                                        "coordinator or operator");
            add_sealed(s, &ps, NULL);
            vname = "coordinator";
        } else if (strcmp(view, "member") == 0) {
            add_sealed(s, &ps, a.member);
            vname = "member";
        } else {
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "view is public, member or coordinator");
        }
    }
    col.ps = &ps;
    col.only = NULL;
    if (wl_store_entries_of_kind(s, "announce", add_announced, &col) != WL_OK ||
        wl_store_facts(s, &facts, &nf) != WL_OK ||
        wl_pledges_inputs(&ps, &in, &items, &n) != WL_OK ||
        wl_clear(in, n, (const char *const *)facts, nf, &clr) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage",
                               "cannot compute the coverage");
        goto out;
    }
    rc.reqs = json_array();
    rc.in = in;
    rc.n = n;
    rc.clr = &clr;
    (void)!wl_buf_append(&rc.csv, header, sizeof header - 1, 16u << 20);
    if (wl_store_requirements(s, one_requirement, &rc) != WL_OK) {
        json_decref(rc.reqs);
        ret = wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage",
                               "cannot read the requirements");
        goto out;
    }
    if (format && strcmp(format, "csv") == 0) {
        json_decref(rc.reqs);
        ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", rc.csv.buf, rc.csv.len,
                               "no-store");
        goto out;
    }
    pl = json_array();
    for (size_t i = 0; i < n; i++) {
        char q[32];
        wl_qty_format(in[i].qty, q, sizeof q);
        json_array_append_new(pl, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?}", "pledge",
                                            in[i].id, "member", in[i].member, "category",
                                            in[i].category, "quantity", q, "unit", in[i].unit,
                                            "binding", clr.binding[i], "reason", clr.reason[i]));
    }
    fa = json_array();
    for (size_t i = 0; i < nf; i++)
        json_array_append_new(fa, json_string(facts[i]));
    out = json_pack("{s:s, s:o, s:o, s:o}", "view", vname, "facts", fa, "requirements", rc.reqs,
                    "pledges", pl);
    {
        char *notice = NULL;
        if (wl_store_meta_get(s, "notice", &notice) == WL_OK)
            json_object_set_new(out, "notice", json_string(notice));
        wl_free(notice);
    }
    ret = wl_respond_json(c, MHD_HTTP_OK, out);
out:
    (void)items;
    for (size_t i = 0; i < nf; i++)
        wl_free(facts[i]);
    wl_free(facts);
    wl_buf_free(&rc.csv);
    wl_clearing_free(&clr);
    wl_pledges_free(&ps);
    return ret;
}

/*
 * GET /api/v1/clearing/inputs (signed, coordinator or operator): the inputs of
 * a clearing over every pledge, in the form `willing clear --input` reads, so
 * the coordinator can record a clearing that anyone given them can re-run.
 */
enum MHD_Result wl_h_clearing_inputs(struct MHD_Connection *c, const char *method, wl_req *r)
{
    wl_store *s = wl_thread_store();
    wl_pledges ps;
    collect col;
    const wl_pledge_in *in = NULL;
    const wl_pledge_item **items = NULL;
    size_t n = 0, nf = 0;
    char **facts = NULL;
    json_t *pl, *fa;
    wl_auth a;
    wl_member m;
    enum MHD_Result ret;

    if (wl_authenticate(c, method, r, &a) != 0)
        return wl_respond_error(c, a.status, a.code, "%s", a.msg);
    if (s == NULL || wl_store_member_get(s, a.member, &m) != WL_OK ||
        (strcmp(m.role, "coordinator") != 0 && strcmp(m.role, "operator") != 0))
        return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden",
                                "the clearing's inputs are for members with role coordinator or "
                                "operator");
    wl_pledges_init(&ps);
    add_sealed(s, &ps, NULL);
    col.ps = &ps;
    col.only = NULL;
    if (wl_store_entries_of_kind(s, "announce", add_announced, &col) != WL_OK ||
        wl_store_facts(s, &facts, &nf) != WL_OK ||
        wl_pledges_inputs(&ps, &in, &items, &n) != WL_OK) {
        wl_pledges_free(&ps);
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage", "cannot read");
    }
    pl = json_array();
    for (size_t i = 0; i < n; i++) {
        char q[32];
        json_t *p;
        wl_qty_format(in[i].qty, q, sizeof q);
        p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", in[i].id, "member", in[i].member,
                      "category", in[i].category, "unit", in[i].unit, "quantity", q);
        if (in[i].cond)
            json_object_set_new(p, "condition", wl_cond_to_json(in[i].cond));
        json_array_append_new(pl, p);
    }
    fa = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_array_append_new(fa, json_string(facts[i]));
        wl_free(facts[i]);
    }
    wl_free(facts);
    (void)items;
    ret = wl_respond_json(c, MHD_HTTP_OK, json_pack("{s:o, s:o}", "facts", fa, "pledges", pl));
    wl_pledges_free(&ps);
    return ret;
}
