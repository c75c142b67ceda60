/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IATI 2.03 import: an iati-activities document read into flow bodies, one per
 * <transaction>, each bad transaction reported with its line and why. The file is
 * refused whole, unread, when it is too large, not UTF-8 or US-ASCII, or declares a DOCTYPE
 * (external entities, entity bombs), and after the parse when a DOCTYPE or an entity
 * reference is found whatever the bytes said (include/willing/xml.h); it is parsed with libxml2
 * with network access off, no entity substitution and no DTD loading, validated against the 2.03
 * schema during the same parse (so a failure names its line and column). The mapping is in
 * docs/internals/flows.md, section "IATI". Nothing here prints: libxml2's messages are
 * collected as problems.
 */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <string.h>

#include "willing/crypto.h"
#include "willing/flows.h"
#include "willing/iati.h"
#include "willing/xml.h"

struct wl_iati_schema {
    xmlSchemaPtr xsd;
};

/* IATI transaction types 1..13 (TransactionType codelist) and the stage each counts as. */
static const char *const type_stage[14] = {
    NULL,           "disbursement", /* 1 incoming funds */
    "commitment",                   /* 2 outgoing commitment */
    "disbursement",                 /* 3 disbursement */
    "disbursement",                 /* 4 expenditure */
    "disbursement",                 /* 5 interest payment */
    "disbursement",                 /* 6 loan repayment */
    "disbursement",                 /* 7 reimbursement */
    "disbursement",                 /* 8 purchase of equity */
    "disbursement",                 /* 9 sale of equity */
    "commitment",                   /* 10 credit guarantee */
    "commitment",                   /* 11 incoming commitment */
    "commitment",                   /* 12 outgoing pledge */
    "commitment",                   /* 13 incoming pledge */
};

const char *wl_iati_type_stage(const char *code)
{
    int n = 0;
    if (code == NULL || code[0] < '1' || code[0] > '9')
        return NULL;
    for (const char *p = code; *p; p++) {
        if (*p < '0' || *p > '9' || p - code > 1)
            return NULL;
        n = n * 10 + (*p - '0');
    }
    return n >= 1 && n <= 13 ? type_stage[n] : NULL;
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

wl_rc wl_iati_decimal_parse(const char *s, int64_t *out)
{
    int neg = 0, ndig = 0, nfrac = 0, any = 0;
    int64_t v = 0;
    const char *frac_end;
    *out = 0;
    while (is_xml_space(*s))
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++) {
        any = 1;
        if (ndig > 0 || *s != '0')
            ndig++;
        if (ndig > 14)
            return WL_ERR_INVALID;
        v = v * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        frac_end = s;
        for (const char *p = s; *p >= '0' && *p <= '9'; p++)
            if (*p != '0')
                frac_end = p + 1;
        for (; *s >= '0' && *s <= '9'; s++) {
            any = 1;
            if (s < frac_end) {
                if (++nfrac > 4)
                    return WL_ERR_INVALID;
                v = v * 10 + (*s - '0');
            }
        }
    }
    while (is_xml_space(*s))
        s++;
    if (!any || *s != '\0')
        return WL_ERR_INVALID;
    for (; nfrac < 4; nfrac++)
        v *= 10;
    *out = neg ? -v : v;
    return WL_OK;
}

/* ---- problems: libxml2's messages and ours, collected, never printed ---- */

static void add_problem(wl_iati_import *imp, long line, int col, const char *why)
{
    imp->bad_total++;
    if (imp->nbad >= WL_IATI_PROBLEMS_MAX || imp->bad == NULL)
        return;
    wl_iati_problem *p = &imp->bad[imp->nbad++];
    p->line = line;
    p->col = col;
    snprintf(p->why, sizeof p->why, "%s", why);
    size_t n = strlen(p->why);
    while (n > 0 && is_xml_space(p->why[n - 1]))
        p->why[--n] = '\0';
}

/* where libxml2's messages go: the import, and the parser whose position a schema
   error during the parse takes (libxml2 gives none to a schema plugged into a parse) */
typedef struct {
    wl_iati_import *imp;
    xmlParserCtxtPtr pc;
} collector;

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    collector *c = ctx;
    long line;
    int col;
    if (e == NULL || e->level == XML_ERR_WARNING)
        return;
    line = e->line;
    col = e->int2;
    if (line == 0 && c->pc && c->pc->input) {
        line = c->pc->input->line;
        col = c->pc->input->col;
    }
    add_problem(c->imp, line, col, e->message ? e->message : "XML error");
}

/* ---- the schema ---- */

wl_rc wl_iati_schema_load(const char *xsd_path, wl_iati_schema **out, wl_error *err)
{
    wl_iati_import none = {0};
    collector sink = {&none, NULL};
    xmlSchemaParserCtxtPtr pc = NULL;
    wl_iati_schema *s = NULL;
    wl_rc rc = WL_OK;
    *out = NULL;
    s = wl_calloc(1, sizeof *s);
    pc = s ? xmlSchemaNewParserCtxt(xsd_path) : NULL;
    if (pc == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        goto out;
    }
    xmlSchemaSetParserStructuredErrors(pc, on_xml_error, &sink);
    xmlSetStructuredErrorFunc(&sink, on_xml_error);
    s->xsd = xmlSchemaParse(pc);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (s->xsd == NULL) {
        rc =
            wl_error_set(err, WL_ERR_IO, "iati_schema", "cannot load the IATI schema %s", xsd_path);
        goto out;
    }
    *out = s;
    s = NULL;
out:
    if (pc)
        xmlSchemaFreeParserCtxt(pc);
    wl_iati_schema_free(s);
    return rc;
}

void wl_iati_schema_free(wl_iati_schema *s)
{
    if (s == NULL)
        return;
    if (s->xsd)
        xmlSchemaFree(s->xsd);
    wl_free(s);
}

/* ---- reading the tree ---- */

static int named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns == NULL && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* Copies s trimmed of XML white space into out (cap bytes), cut at a character. */
static void trimmed(const char *s, char *out, size_t cap)
{
    size_t n;
    out[0] = '\0';
    if (s == NULL)
        return;
    while (is_xml_space(*s))
        s++;
    n = strlen(s);
    while (n > 0 && is_xml_space(s[n - 1]))
        n--;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

static void attr(const xmlNode *n, const char *name, char *out, size_t cap)
{
    xmlChar *v = n ? xmlGetNoNsProp(n, (const xmlChar *)name) : NULL;
    trimmed((const char *)v, out, cap);
    xmlFree(v);
}

static void text(const xmlNode *n, char *out, size_t cap)
{
    xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
    trimmed((const char *)v, out, cap);
    xmlFree(v);
}

/* An organisation as one line: its ref, else its first narrative. */
static void org(const xmlNode *n, char *out, size_t cap)
{
    attr(n, "ref", out, cap);
    if (out[0] == '\0')
        text(child(n, "narrative"), out, cap);
}

typedef struct {
    char id[201], currency[8], provider[WL_IATI_ORG_BYTES + 1], receiver[WL_IATI_ORG_BYTES + 1];
    size_t id_len;
} activity;

static void read_activity(const xmlNode *a, activity *act)
{
    char raw[512];
    memset(act, 0, sizeof *act);
    attr(a, "default-currency", act->currency, sizeof act->currency);
    text(child(a, "iati-identifier"), raw, sizeof raw);
    act->id_len = strlen(raw);
    trimmed(raw, act->id, sizeof act->id);
    /* participating orgs give a transaction its provider and receiver when it names none */
    char extending[WL_IATI_ORG_BYTES + 1] = "";
    for (const xmlNode *c = a->children; c; c = c->next) {
        char role[4];
        if (!named(c, "participating-org"))
            continue;
        attr(c, "role", role, sizeof role);
        if (strcmp(role, "1") == 0 && act->provider[0] == '\0')
            org(c, act->provider, sizeof act->provider);
        else if (strcmp(role, "3") == 0 && extending[0] == '\0')
            org(c, extending, sizeof extending);
        else if (strcmp(role, "4") == 0 && act->receiver[0] == '\0')
            org(c, act->receiver, sizeof act->receiver);
    }
    if (act->provider[0] == '\0')
        memcpy(act->provider, extending, sizeof extending);
}

static int is_date(const char *d)
{
    static const char shape[] = "dddd-dd-dd";
    for (int i = 0; i < 10; i++)
        if (shape[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
            return 0;
    /* xsd:date may carry a time zone after the day: it is not kept */
    return d[10] == '\0' || d[10] == 'Z' || d[10] == '+' || d[10] == '-';
}

/* One <transaction> as a flow body, or NULL with why filled. */
static json_t *read_transaction(const xmlNode *t, const activity *act, const wl_iati_options *opt,
                                const char *file_hex, size_t ordinal, char *why, size_t cap)
{
    char type[8], date[32], vdate[32], value[64], cur[8], prov[WL_IATI_ORG_BYTES + 1],
        recv[WL_IATI_ORG_BYTES + 1], desc[WL_IATI_TEXT_BYTES + 1], amount[48];
    const xmlNode *v = child(t, "value");
    const char *stage;
    int64_t scaled;
    attr(child(t, "transaction-type"), "code", type, sizeof type);
    attr(child(t, "transaction-date"), "iso-date", date, sizeof date);
    attr(v, "value-date", vdate, sizeof vdate);
    attr(v, "currency", cur, sizeof cur);
    text(v, value, sizeof value);
    if (cur[0] == '\0')
        memcpy(cur, act->currency, sizeof cur);
    if (act->id[0] == '\0' || act->id_len > 200) {
        snprintf(why, cap, "the activity's iati-identifier is %s",
                 act->id[0] ? "longer than 200 bytes" : "missing or empty");
        return NULL;
    }
    if ((stage = wl_iati_type_stage(type)) == NULL) {
        snprintf(why, cap, "transaction-type '%s' is not an IATI 2.03 code 1-13", type);
        return NULL;
    }
    if (!is_date(date)) {
        snprintf(why, cap, "transaction-date '%s' is not a date YYYY-MM-DD", date);
        return NULL;
    }
    date[10] = '\0';
    if (vdate[0] && !is_date(vdate)) {
        snprintf(why, cap, "value-date '%s' is not a date YYYY-MM-DD", vdate);
        return NULL;
    }
    vdate[10] = '\0';
    if (v == NULL || wl_iati_decimal_parse(value, &scaled) != WL_OK) {
        snprintf(why, cap,
                 "value '%s' is not an exact decimal of at most 14 digits before "
                 "the point and 4 after",
                 value);
        return NULL;
    }
    if (cur[0] == '\0') {
        snprintf(why, cap,
                 "no currency: neither value/@currency nor the activity's "
                 "default-currency");
        return NULL;
    }
    const wl_currency *c = wl_currency_find(cur);
    if (c == NULL) {
        snprintf(why, cap, "unknown currency '%s'", cur);
        return NULL;
    }
    if (c->withdrawn) {
        snprintf(why, cap, "currency '%s' was withdrawn on %s", cur, c->withdrawn);
        return NULL;
    }
    org(child(t, "provider-org"), prov, sizeof prov);
    org(child(t, "receiver-org"), recv, sizeof recv);
    text(child(child(t, "description"), "narrative"), desc, sizeof desc);
    wl_money_format(scaled, amount, sizeof amount);

    /* the flow's id: the file's hash and the transaction's place in it */
    char seed[96], hex[65];
    uint8_t h[32];
    snprintf(seed, sizeof seed, "iati:%s:%zu", file_hex, ordinal);
    wl_sha256(seed, strlen(seed), h);
    wl_hex_encode(h, 16, hex);

    json_t *iati = json_pack("{s:s}", "type", type);
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "flow", hex, "activity", act->id,
                          "stage", stage, "date", date, "amount", amount, "currency", cur);
    /* f holds a reference to iati from here: one release of each on every path */
    if (iati == NULL || f == NULL || json_object_set(f, "iati", iati) != 0)
        goto nomem;
    const char *pv = prov[0] ? prov : act->provider, *rv = recv[0] ? recv : act->receiver;
    if ((pv[0] && json_object_set_new(iati, "provider", json_string(pv))) ||
        (rv[0] && json_object_set_new(iati, "receiver", json_string(rv))) ||
        (vdate[0] && json_object_set_new(iati, "value_date", json_string(vdate))) ||
        (opt->pledge && json_object_set_new(f, "pledge", json_string(opt->pledge))) ||
        (opt->requirement &&
         json_object_set_new(f, "requirement", json_string(opt->requirement))) ||
        (opt->category && json_object_set_new(f, "category", json_string(opt->category))) ||
        (desc[0] && json_object_set_new(f, "text", json_string(desc))))
        goto nomem;
    json_decref(iati);
    /* the flows' own rules, as the server will apply them to the batch's rows */
    wl_flow fl;
    wl_error ferr = {0};
    if (wl_flow_read(f, false, "flow", &fl, &ferr) != WL_OK) {
        snprintf(why, cap, "%s", ferr.rc == WL_ERR_NOMEM ? "out of memory" : ferr.msg);
        json_decref(f);
        return NULL;
    }
    return f;
nomem:
    json_decref(iati);
    json_decref(f);
    snprintf(why, cap, "out of memory");
    return NULL;
}

static wl_rc read_doc(const xmlDoc *doc, const wl_iati_options *opt, wl_iati_import *imp,
                      wl_error *err)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL || !named(root, "iati-activities"))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_iati",
                            "not an IATI activities file: the root element is not "
                            "<iati-activities>");
    for (const xmlNode *a = root->children; a; a = a->next) {
        activity act;
        if (!named(a, "iati-activity"))
            continue;
        imp->activities++;
        read_activity(a, &act);
        for (const xmlNode *t = a->children; t; t = t->next) {
            char why[240];
            if (!named(t, "transaction"))
                continue;
            long line = xmlGetLineNo(t);
            json_t *f =
                read_transaction(t, &act, opt, imp->sha256, imp->transactions++, why, sizeof why);
            if (f == NULL && strcmp(why, "out of memory") == 0)
                return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            if (f == NULL) {
                add_problem(imp, line, 0, why);
                continue;
            }
            size_t i = json_array_size(imp->flows);
            /* lines[] doubles at 16, 32, 64...: capacity is the next power of two */
            long *lines = imp->lines;
            if (i == 0 || (i >= 16 && (i & (i - 1)) == 0))
                lines = wl_realloc(imp->lines, (i ? 2 * i : 16) * sizeof *lines);
            if (lines == NULL || json_array_append_new(imp->flows, f) != 0) {
                if (lines)
                    imp->lines = lines;
                else
                    json_decref(f);
                return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            }
            imp->lines = lines;
            lines[i] = line;
        }
    }
    return WL_OK;
}

wl_rc wl_iati_import_read(const char *xml, size_t len, const wl_iati_options *opt,
                          wl_iati_import *out, wl_error *err)
{
    static const wl_iati_options none = {0};
    xmlParserCtxtPtr pc = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    xmlSchemaSAXPlugPtr plug = NULL;
    xmlDocPtr doc = NULL;
    collector coll = {out, NULL};
    uint8_t h[32];
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    opt = opt ? opt : &none;
    if (len > WL_IATI_MAX_BYTES)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                            "the IATI file is larger than %u MiB", WL_IATI_MAX_BYTES >> 20);
    if ((rc = wl_xml_refuse_unread(xml, len, "the file", err)) != WL_OK)
        return rc;
    wl_sha256(xml, len, h);
    wl_hex_encode(h, 32, out->sha256);
    out->bad = wl_calloc(WL_IATI_PROBLEMS_MAX, sizeof *out->bad);
    out->flows = json_array();
    pc = xmlCreateMemoryParserCtxt(xml, (int)len);
    if (out->bad == NULL || out->flows == NULL || pc == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        goto out;
    }
    /* no XML_PARSE_NOENT (no substitution), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE */
    xmlCtxtUseOptions(pc, wl_xml_parse_options());
    /* every message to the thread's structured handler (ours, until the parse is done):
       the parser's own handlers would print, or get the parser instead of ours */
    coll.pc = pc;
    pc->sax->serror = NULL;
    pc->sax->error = NULL;
    pc->sax->warning = NULL;
    xmlSetStructuredErrorFunc(&coll, on_xml_error);
    if (opt->schema) {
        vc = xmlSchemaNewValidCtxt(opt->schema->xsd);
        if (vc == NULL) {
            rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            goto out;
        }
        xmlSchemaSetValidStructuredErrors(vc, on_xml_error, &coll);
        plug = xmlSchemaSAXPlug(vc, &pc->sax, &pc->userData);
        if (plug == NULL) {
            rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
            goto out;
        }
    }
    xmlParseDocument(pc);
    if (plug) {
        xmlSchemaSAXUnplug(plug);
        plug = NULL;
    }
    doc = pc->myDoc;
    pc->myDoc = NULL;
    if (doc && doc->intSubset) { /* whatever the bytes said (wl_xml_refuse_unread) */
        rc = wl_error_set(err, WL_ERR_INVALID, "xml_doctype",
                          "the file declares a DOCTYPE: refused, none is expected");
        goto out;
    }
    if (!pc->wellFormed || out->nbad > 0) {
        const wl_iati_problem *p = out->nbad ? &out->bad[0] : NULL;
        rc = wl_error_set(err, WL_ERR_INVALID, pc->wellFormed ? "iati_schema" : "invalid_xml",
                          "%s at line %ld, column %d: %s",
                          pc->wellFormed ? "the file fails the IATI 2.03 schema"
                                         : "the file is not well-formed XML",
                          p ? p->line : 0L, p ? p->col : 0, p ? p->why : "refused");
        goto out;
    }
    if ((rc = wl_xml_tree_check(xmlDocGetRootElement(doc), "the file", err)) == WL_OK)
        rc = read_doc(doc, opt, out, err);
out:
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (plug)
        xmlSchemaSAXUnplug(plug);
    if (vc)
        xmlSchemaFreeValidCtxt(vc);
    if (doc) /* before its parser: its strings are in the parser's dictionary */
        xmlFreeDoc(doc);
    if (pc) {
        if (pc->myDoc)
            xmlFreeDoc(pc->myDoc);
        xmlFreeParserCtxt(pc);
    }
    return rc;
}

void wl_iati_import_free(wl_iati_import *imp)
{
    if (imp == NULL)
        return;
    json_decref(imp->flows);
    wl_free(imp->lines);
    wl_free(imp->bad);
    memset(imp, 0, sizeof *imp);
}
