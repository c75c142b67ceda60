/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IATI 2.03 export: a member's flows as one iati-activities document. Each flow with an
 * amount is a <transaction>; transactions are grouped into one <iati-activity> per
 * external activity id (else per pledge, requirement or instrument, else per flow); the
 * member is the reporting-org. The mapping (stages to transaction types, the flow's
 * "iati" object, participating-org roles) is in docs/internals/flows.md, section "IATI";
 * tests/unit/flows/test_iati.c validates the output against the official schema.
 */
#include <string.h>

#include "iati_write.h"
#include "willing/flows.h"
#include "willing/iati.h"

static void put(wl_iati_out *o, const char *s, size_t n)
{
    if (o->rc == WL_OK)
        o->rc = wl_buf_append(o->b, s, n, WL_IATI_EXPORT_MAX_BYTES);
}

static void puts_(wl_iati_out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* s as XML character data or an attribute value; characters XML 1.0 forbids are dropped. */
static void esc(wl_iati_out *o, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *r = NULL;
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            r = "&amp;";
        else if (c == '<')
            r = "&lt;";
        else if (c == '>')
            r = "&gt;";
        else if (c == '"')
            r = "&quot;";
        else if (c == '\n')
            r = "&#10;";
        else if (c < 0x20 && c != '\t')
            r = "";
        if (r == NULL)
            continue;
        put(o, run, (size_t)(s - run));
        puts_(o, r);
        run = s + 1;
    }
    put(o, run, (size_t)(s - run));
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The transaction type of a flow: its own IATI type, else the one its stage maps to. */
static const char *flow_type(const json_t *f)
{
    const char *t = str(json_object_get(f, "iati"), "type");
    const char *st = str(f, "stage");
    if (t && wl_iati_type_stage(t))
        return t;
    if (st && (strcmp(st, "commitment") == 0 || strcmp(st, "allocation") == 0))
        return "2";
    return "3";
}

int wl_iati_full_date(const char *d)
{
    return d && strlen(d) == 10 && d[4] == '-' && d[7] == '-';
}

static void org_line(wl_iati_out *o, const char *role, const char *ref, const char *name)
{
    puts_(o, "  <participating-org role=\"");
    puts_(o, role);
    puts_(o, "\"");
    if (ref) {
        puts_(o, " ref=\"");
        esc(o, ref);
        puts_(o, "\" type=\"10\"");
    }
    puts_(o, "><narrative>");
    esc(o, name);
    puts_(o, "</narrative></participating-org>\n");
}

void wl_iati_group_add(wl_iati_group *g, const json_t *f, const char *member)
{
    const json_t *iati = json_object_get(f, "iati");
    const char *d = str(f, "date");
    static const char *const field[2] = {"provider", "receiver"};
    if (d && (g->start[0] == '\0' || strcmp(d, g->start) < 0))
        snprintf(g->start, sizeof g->start, "%s", d);
    for (int r = 0; r < 2; r++) {
        const char *v = str(iati, field[r]);
        size_t k = 0;
        /* the reporting member is a provider already: named once, with its ref */
        if (v == NULL || (r == 0 && strcmp(v, member) == 0))
            continue;
        while (k < g->n[r] && strcmp(g->orgs[r][k], v) != 0)
            k++;
        if (k < g->n[r] || g->n[r] == WL_IATI_GROUP_ORGS)
            continue;
        snprintf(g->orgs[r][g->n[r]++], sizeof g->orgs[r][0], "%s", v);
    }
}

void wl_iati_doc_head(wl_iati_out *o, const char *generated, size_t skipped)
{
    puts_(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\"");
    if (generated) {
        puts_(o, " generated-datetime=\"");
        esc(o, generated);
        puts_(o, "\"");
    }
    puts_(o, ">\n");
    if (skipped) {
        char note[128];
        snprintf(note, sizeof note,
                 " <!-- %zu flows in kind (a quantity, no amount) left out: IATI values are "
                 "money -->\n",
                 skipped);
        puts_(o, note);
    }
}

void wl_iati_doc_tail(wl_iati_out *o)
{
    puts_(o, "</iati-activities>\n");
}

void wl_iati_activity_head(wl_iati_out *o, const char *member, const char *id,
                           const wl_iati_group *g)
{
    puts_(o, " <iati-activity>\n  <iati-identifier>");
    esc(o, id);
    puts_(o, "</iati-identifier>\n  <reporting-org ref=\"");
    esc(o, member);
    puts_(o, "\" type=\"10\"><narrative>");
    esc(o, member);
    puts_(o, "</narrative></reporting-org>\n  <title><narrative>");
    esc(o, id);
    puts_(o, "</narrative></title>\n  <description type=\"1\"><narrative>Flows reported by ");
    esc(o, member);
    puts_(o, " to the willing register</narrative></description>\n");
    for (size_t k = 0; k < g->n[0]; k++)
        org_line(o, "1", NULL, g->orgs[0][k]);
    if (g->n[0] == 0)
        org_line(o, "1", member, member);
    org_line(o, "2", member, member);
    org_line(o, "3", member, member);
    for (size_t k = 0; k < g->n[1]; k++)
        org_line(o, "4", NULL, g->orgs[1][k]);
    puts_(o, "  <activity-status code=\"2\"/>\n  <activity-date type=\"2\" iso-date=\"");
    esc(o, g->start);
    puts_(o, "\"/>\n");
}

void wl_iati_activity_tail(wl_iati_out *o)
{
    puts_(o, " </iati-activity>\n");
}

wl_rc wl_iati_transaction(wl_iati_out *o, const json_t *f)
{
    const json_t *iati = json_object_get(f, "iati");
    const char *vd = str(iati, "value_date"), *text = str(f, "text");
    const char *prov = str(iati, "provider"), *recv = str(iati, "receiver");
    const char *amount = str(f, "amount");
    char money[48];
    int64_t v;
    if (amount == NULL || wl_iati_decimal_parse(amount, &v) != WL_OK ||
        !wl_iati_full_date(str(f, "date")) || str(f, "currency") == NULL)
        return WL_ERR_INVALID;
    wl_money_format(v, money, sizeof money);
    puts_(o, "  <transaction>\n   <transaction-type code=\"");
    puts_(o, flow_type(f));
    puts_(o, "\"/>\n   <transaction-date iso-date=\"");
    esc(o, str(f, "date"));
    puts_(o, "\"/>\n   <value currency=\"");
    esc(o, str(f, "currency"));
    puts_(o, "\" value-date=\"");
    esc(o, wl_iati_full_date(vd) ? vd : str(f, "date"));
    puts_(o, "\">");
    puts_(o, money);
    puts_(o, "</value>\n");
    if (text && text[0]) {
        puts_(o, "   <description><narrative>");
        esc(o, text);
        puts_(o, "</narrative></description>\n");
    }
    if (prov && prov[0]) {
        puts_(o, "   <provider-org><narrative>");
        esc(o, prov);
        puts_(o, "</narrative></provider-org>\n");
    }
    if (recv && recv[0]) {
        puts_(o, "   <receiver-org><narrative>");
        esc(o, recv);
        puts_(o, "</narrative></receiver-org>\n");
    }
    puts_(o, "  </transaction>\n");
    return WL_OK;
}

int wl_iati_group_key(const char *const of[5], const char *member, char *key, size_t kcap, char *id,
                      size_t icap)
{
    static const char *const by[] = {"pledge", "requirement", "instrument", "flow"};
    const char *a = of[0];
    if (a && a[0]) {
        snprintf(id, icap, "%s", a);
        return wl_fmt(key, kcap, "a:%s", a) != WL_OK;
    }
    for (size_t i = 0; i < sizeof by / sizeof *by; i++)
        if ((a = of[i + 1]) != NULL && a[0]) {
            if (wl_fmt(id, icap, "%s-%s-%s", member, by[i], a) != WL_OK)
                return 1;
            return wl_fmt(key, kcap, "%c:%s", by[i][0], a) != WL_OK;
        }
    return 1;
}

/* The group key and the IATI identifier of a flow body's activity. */
static int flow_group(const json_t *f, const char *member, char *key, size_t kcap, char *id,
                      size_t icap)
{
    const char *of[5] = {str(f, "activity"), str(f, "pledge"), str(f, "requirement"),
                         str(f, "instrument"), str(f, "flow")};
    return wl_iati_group_key(of, member, key, kcap, id, icap);
}

/* one activity of wl_iati_export: its flows, chained through next[] */
typedef struct {
    size_t first, last;
} chain;

wl_rc wl_iati_export(const char *member, json_t *flows, const char *generated, wl_buf *out,
                     size_t *skipped, wl_error *err)
{
    size_t n = json_array_size(flows), ngroups = 0;
    size_t *next = NULL;
    chain *groups = NULL;
    json_t *index = json_object();
    wl_iati_out o = {out, WL_OK};
    wl_iati_group *g = NULL;
    wl_rc rc = WL_OK;
    *skipped = 0;
    if (!json_is_array(flows))
        return wl_error_set(err, WL_ERR_INVALID, "invalid", "flows: not an array");
    next = wl_calloc(n ? n : 1, sizeof *next);
    groups = wl_calloc(n ? n : 1, sizeof *groups);
    g = wl_calloc(1, sizeof *g);
    if (index == NULL || next == NULL || groups == NULL || g == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(flows, i);
        char key[260], id[256];
        const char *amount = str(f, "amount"), *cur = str(f, "currency");
        int64_t v;
        next[i] = (size_t)-1;
        if (amount == NULL || cur == NULL) {
            (*skipped)++;
            continue;
        }
        if (wl_iati_decimal_parse(amount, &v) != WL_OK || !wl_iati_full_date(str(f, "date")) ||
            flow_group(f, member, key, sizeof key, id, sizeof id)) {
            rc = wl_error_set(err, WL_ERR_INVALID, "invalid",
                              "flows[%zu]: not a flow with an amount, a currency and a day", i);
            goto out;
        }
        json_t *gi = json_object_get(index, key);
        if (gi) {
            chain *c = &groups[json_integer_value(gi)];
            next[c->last] = i;
            c->last = i;
            continue;
        }
        if (json_object_set_new(index, key, json_integer((json_int_t)ngroups))) {
            rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            goto out;
        }
        groups[ngroups].first = groups[ngroups].last = i;
        ngroups++;
    }
    if (ngroups == 0) {
        rc =
            wl_error_set(err, WL_ERR_NOT_FOUND, "no_flows",
                         "%s has no flow with an amount to export (%zu in kind)", member, *skipped);
        goto out;
    }
    wl_iati_doc_head(&o, generated, *skipped);
    for (size_t k = 0; k < ngroups && o.rc == WL_OK; k++) {
        char key[260], id[256];
        memset(g, 0, sizeof *g);
        for (size_t i = groups[k].first; i != (size_t)-1; i = next[i])
            wl_iati_group_add(g, json_array_get(flows, i), member);
        (void)flow_group(json_array_get(flows, groups[k].first), member, key, sizeof key, id,
                         sizeof id);
        wl_iati_activity_head(&o, member, id, g);
        for (size_t i = groups[k].first; i != (size_t)-1; i = next[i])
            (void)wl_iati_transaction(&o, json_array_get(flows, i)); /* checked above */
        wl_iati_activity_tail(&o);
    }
    wl_iati_doc_tail(&o);
    if (o.rc != WL_OK)
        rc = wl_error_set(err, o.rc, "too_large", "the IATI document is larger than %u MiB",
                          WL_IATI_EXPORT_MAX_BYTES >> 20);
out:
    json_decref(index);
    wl_free(next);
    wl_free(groups);
    wl_free(g);
    return rc;
}
