/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IATI 2.03 (include/willing/iati.h): the real ministries' files and the official
 * example read into flows, their sums checked against sums taken independently with
 * XPath; exports validated against the official schema with xmlSchemaValidateDoc;
 * import -> export -> import keeping every amount; bad transactions, schema failures
 * with line and column, external entities and entity bombs refused.
 * Fixtures: tests/fixtures/iati (README.md there says where each comes from).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "../fixture.h"
#include "willing/flows.h"
#include "willing/iati.h"

#define FIX WL_SOURCE_DIR "/tests/fixtures/iati/"

static wl_iati_schema *schema;

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf = malloc(WL_IATI_MAX_BYTES);
    snprintf(path, sizeof path, FIX "%s", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_non_null(buf);
    *len = fread(buf, 1, WL_IATI_MAX_BYTES - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* ---- the Currency codelist, read here with libxml2: what fcore's table is written from ---- */

static struct {
    char code[4], since[11];
    int withdrawn;
} currencies[256];
static size_t ncurrencies;

static void load_currencies(void)
{
    char path[512];
    snprintf(path, sizeof path, FIX "Currency.xml");
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)"//codelist-item", x);
    for (int i = 0; i < r->nodesetval->nodeNr && ncurrencies < 256; i++) {
        xmlNodePtr item = r->nodesetval->nodeTab[i];
        xmlChar *st = xmlGetProp(item, (const xmlChar *)"status");
        xmlChar *wd = xmlGetProp(item, (const xmlChar *)"withdrawal-date");
        for (xmlNodePtr c = item->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "code") == 0) {
                xmlChar *code = xmlNodeGetContent(c);
                snprintf(currencies[ncurrencies].code, 4, "%s", (const char *)code);
                xmlFree(code);
            }
        currencies[ncurrencies].withdrawn = st && strcmp((const char *)st, "withdrawn") == 0;
        snprintf(currencies[ncurrencies].since, 11, "%s", wd ? (const char *)wd : "");
        ncurrencies++;
        xmlFree(st);
        xmlFree(wd);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
    xmlFreeDoc(doc);
    assert_true(ncurrencies > 170);
}

static int setup(void **state)
{
    wl_error err = {0};
    (void)state;
    load_currencies();
    assert_int_equal(wl_iati_schema_load(FIX "iati-activities-schema.xsd", &schema, &err), WL_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wl_iati_schema_free(schema);
    return 0;
}

/* ---- helpers ---- */

static const char *fstr(const json_t *f, const char *k)
{
    return json_string_value(json_object_get(f, k));
}

static const char *istr(const json_t *f, const char *k)
{
    return json_string_value(json_object_get(json_object_get(f, "iati"), k));
}

static int64_t amount(const json_t *f)
{
    int64_t v = 0;
    assert_int_equal(wl_iati_decimal_parse(fstr(f, "amount"), &v), WL_OK);
    return v;
}

/* The sum of the flows in currency cur (and of type type, when not NULL), scaled 10^4. */
static int64_t flow_sum(const json_t *flows, const char *cur, const char *type)
{
    int64_t s = 0;
    size_t i;
    json_t *f;
    json_array_foreach(flows, i, f)
    {
        if (strcmp(fstr(f, "currency"), cur) == 0 &&
            (type == NULL || strcmp(istr(f, "type"), type) == 0))
            s += amount(f);
    }
    return s;
}

static double xpath_num(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, x);
    assert_non_null(r);
    double v = xmlXPathCastToNumber(r);
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(x);
    return v;
}

/* The file's own sum in cur (and type), taken by XPath: explicit currencies plus inherited. */
static double file_sum(xmlDocPtr doc, const char *cur, const char *type)
{
    char e1[256], e2[256], t[64] = "";
    if (type)
        snprintf(t, sizeof t, "[transaction-type/@code='%s']", type);
    snprintf(e1, sizeof e1, "sum(//transaction%s/value[normalize-space(@currency)='%s'])", t, cur);
    snprintf(e2, sizeof e2,
             "sum(//iati-activity[@default-currency='%s']/transaction%s/value[not(@currency)])",
             cur, t);
    return xpath_num(doc, e1) + xpath_num(doc, e2);
}

static void sums_match(const char *file, const wl_iati_import *imp, const char *cur)
{
    char path[512];
    snprintf(path, sizeof path, FIX "%s", file);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal((size_t)xpath_num(doc, "count(//transaction)"), imp->transactions);
    for (int t = 0; t <= 13; t++) {
        char ts[4];
        snprintf(ts, sizeof ts, "%d", t);
        double want = file_sum(doc, cur, t ? ts : NULL);
        double got = (double)flow_sum(imp->flows, cur, t ? ts : NULL) / 10000.0;
        if (want > 1e3 || want < -1e3)
            assert_true(got / want > 1 - 1e-12 && got / want < 1 + 1e-12);
        else
            assert_true(got - want < 1e-6 && want - got < 1e-6);
    }
    xmlFreeDoc(doc);
}

static void import_file(const char *name, wl_iati_import *imp)
{
    wl_iati_options opt = {.category = "finance", .schema = schema};
    wl_error err = {0};
    size_t len;
    char *x = slurp(name, &len);
    assert_int_equal(wl_iati_import_read(x, len, &opt, imp, &err), WL_OK);
    assert_int_equal(imp->nbad, 0);
    free(x);
}

static void validate(const char *xml, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, FIX "iati-activities-schema.xsd");
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(s);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "export.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal(xmlSchemaValidateDoc(vc, doc), 0);
    xmlFreeDoc(doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(s);
    xmlSchemaFreeParserCtxt(pc);
}

/* ---- the cases ---- */

static void decimals_exact(void **state)
{
    static const struct {
        const char *in;
        int64_t want;
    } ok[] = {{"-78791", -787910000},
              {" 166819.43\n", 1668194300},
              {"1.23450", 12345},
              {"+5", 50000},
              {"0.0001", 1},
              {"99999999999999.9999", 999999999999999999},
              {"000012.5000000", 125000},
              {".5", 5000},
              {"7.", 70000}};
    static const char *const bad[] = {"",    ".",   "-",   "1.23456", "123456789012345",
                                      "1e5", "1,5", "1 2", "--1",     "0x10"};
    char out[48];
    int64_t v;
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(wl_iati_decimal_parse(ok[i].in, &v), WL_OK);
        assert_true(v == ok[i].want);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(wl_iati_decimal_parse(bad[i], &v), WL_ERR_INVALID);
    wl_money_format(-787910000, out, sizeof out); /* what flows and exports write */
    assert_string_equal(out, "-78791");
    wl_money_format(1668194300, out, sizeof out);
    assert_string_equal(out, "166819.43");
    wl_money_format(-1, out, sizeof out);
    assert_string_equal(out, "-0.0001");
}

static void types_and_stages(void **state)
{
    static const char *const want[] = {
        "disbursement", "commitment",   "disbursement", "disbursement", "disbursement",
        "disbursement", "disbursement", "disbursement", "disbursement", "commitment",
        "commitment",   "commitment",   "commitment"};
    char c[4];
    (void)state;
    for (int t = 1; t <= 13; t++) {
        snprintf(c, sizeof c, "%d", t);
        assert_string_equal(wl_iati_type_stage(c), want[t - 1]);
    }
    assert_null(wl_iati_type_stage("0"));
    assert_null(wl_iati_type_stage("14"));
    assert_null(wl_iati_type_stage("C")); /* IATI 1.x letters */
    assert_null(wl_iati_type_stage("02"));
    assert_null(wl_iati_type_stage(""));
}

static void netherlands_inherits_currency_and_keeps_corrections(void **state)
{
    wl_iati_import imp;
    int negative = 0;
    size_t i;
    json_t *f;
    (void)state;
    import_file("activities-nl-mfa-2018.xml", &imp);
    assert_int_equal(imp.activities, 13);
    assert_int_equal(imp.transactions, 72);
    assert_int_equal(json_array_size(imp.flows), 72);
    json_array_foreach(imp.flows, i, f)
    {
        assert_string_equal(fstr(f, "currency"), "EUR"); /* no @currency: default-currency */
        assert_string_equal(fstr(f, "category"), "finance");
        assert_non_null(istr(f, "provider")); /* every NL transaction names its orgs */
        assert_non_null(istr(f, "receiver"));
        if (strcmp(fstr(f, "amount"), "-78791") == 0)
            negative++;
    }
    assert_true(negative >= 1);
    assert_int_equal(flow_sum(imp.flows, "USD", NULL), 0);
    sums_match("activities-nl-mfa-2018.xml", &imp, "EUR");
    wl_iati_import_free(&imp);
}

static void finland_spaces_line_breaks_value_dates(void **state)
{
    wl_iati_import imp;
    const json_t *f;
    (void)state;
    import_file("activities-fi-mfa-2021.xml", &imp);
    assert_int_equal(imp.activities, 6);
    assert_int_equal(json_array_size(imp.flows), 9);
    f = json_array_get(imp.flows, 0);
    assert_string_equal(fstr(f, "activity"), "FI-3-2020- 2020000056"); /* the space kept */
    assert_string_equal(fstr(f, "date"), "2020-06-24");
    assert_string_equal(istr(f, "value_date"), "2020-01-01");
    assert_string_equal(fstr(f, "stage"), "commitment");
    assert_string_equal(istr(f, "provider"), "FI-3"); /* no provider-org: participating role 1 */
    assert_int_equal(imp.lines[0], 73);
    int decimals = 0;
    size_t i;
    json_array_foreach(imp.flows, i, f)
    {
        decimals += strcmp(fstr(f, "amount"), "166819.43") == 0;
    }
    assert_int_equal(decimals, 1);
    sums_match("activities-fi-mfa-2021.xml", &imp, "EUR");
    wl_iati_import_free(&imp);
}

static void example_transaction_currency_beats_default(void **state)
{
    wl_iati_import imp;
    const json_t *f;
    (void)state;
    import_file("activity-standard-example-annotated.xml", &imp);
    assert_int_equal(json_array_size(imp.flows), 1);
    f = json_array_get(imp.flows, 0);
    assert_string_equal(fstr(f, "currency"), "EUR"); /* the activity's default is USD */
    assert_string_equal(fstr(f, "amount"), "1000");
    assert_string_equal(istr(f, "type"), "1");
    assert_string_equal(istr(f, "provider"), "BB-BBB-123456789");
    assert_string_equal(istr(f, "receiver"), "AA-AAA-123456789");
    assert_string_equal(fstr(f, "text"), "Transaction description text");
    sums_match("activity-standard-example-annotated.xml", &imp, "EUR");
    sums_match("activity-standard-example-annotated.xml", &imp, "USD");
    wl_iati_import_free(&imp);
}

/* import -> export -> import keeps every amount, currency, date, type and value date */
static void round_trip(const char *name)
{
    wl_iati_import a, b;
    wl_iati_options opt = {.category = "finance", .schema = schema};
    wl_buf x = {0};
    wl_error err = {0};
    size_t skipped;
    import_file(name, &a);
    assert_int_equal(wl_iati_export("nl-mfa", a.flows, "2026-11-30T19:40:00Z", &x, &skipped, &err),
                     WL_OK);
    assert_int_equal(skipped, 0);
    validate(x.buf, x.len);
    assert_int_equal(wl_iati_import_read(x.buf, x.len, &opt, &b, &err), WL_OK);
    assert_int_equal(b.nbad, 0);
    assert_int_equal(json_array_size(b.flows), json_array_size(a.flows));
    for (size_t i = 0; i < json_array_size(a.flows); i++) {
        const json_t *fa = json_array_get(a.flows, i), *fb = json_array_get(b.flows, i);
        static const char *const k[] = {"amount", "currency", "date", "activity", "stage"};
        for (size_t j = 0; j < sizeof k / sizeof *k; j++)
            assert_string_equal(fstr(fa, k[j]), fstr(fb, k[j]));
        assert_string_equal(istr(fa, "type"), istr(fb, "type"));
        assert_string_equal(istr(fa, "value_date"), istr(fb, "value_date"));
        if (istr(fa, "receiver"))
            assert_string_equal(istr(fa, "receiver"), istr(fb, "receiver"));
    }
    wl_iati_import_free(&a);
    wl_iati_import_free(&b);
    wl_buf_free(&x);
}

static void round_trips_keep_every_amount(void **state)
{
    (void)state;
    round_trip("activities-nl-mfa-2018.xml");
    round_trip("activities-fi-mfa-2021.xml");
    round_trip("activity-standard-example-annotated.xml");
}

static json_t *money(const char *id, const char *stage, const char *type, const char *amount)
{
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "flow", id, "pledge",
                          "0123456789abcdef0123456789abcdef", "stage", stage, "date", "2025-03-02",
                          "amount", amount, "currency", "GBP");
    if (type)
        json_object_set_new(f, "iati",
                            json_pack("{s:s, s:s, s:s}", "type", type, "provider",
                                      "UK Export Finance", "receiver", "Ukraine"));
    return f;
}

static double count(xmlDocPtr doc, const char *fmt, const char *arg)
{
    char e[256];
    snprintf(e, sizeof e, fmt, arg);
    return xpath_num(doc, e);
}

static void export_validates_with_every_type_and_role(void **state)
{
    json_t *flows = json_array();
    wl_buf x = {0};
    wl_error err = {0};
    size_t skipped;
    char id[33], t[4];
    (void)state;
    for (int i = 1; i <= 13; i++) {
        snprintf(id, sizeof id, "%032d", i);
        snprintf(t, sizeof t, "%d", i);
        json_array_append_new(flows, money(id, wl_iati_type_stage(t), t, "-1160000000.25"));
    }
    json_array_append_new(flows,
                          money("c0000000000000000000000000000001", "commitment", NULL, "5"));
    json_array_append_new(flows,
                          money("c0000000000000000000000000000002", "allocation", NULL, "6"));
    json_array_append_new(flows,
                          money("c0000000000000000000000000000003", "disbursement", NULL, "7"));
    json_t *f = money("c0000000000000000000000000000004", "disbursement", NULL, "8");
    json_object_del(f, "pledge");
    json_object_set_new(f, "activity", json_string("GB-GOV-3 <&>"));
    json_object_set_new(f, "text", json_string("a <b> & \"c\"\x01"));
    json_array_append_new(flows, f);
    json_array_append_new(flows,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "flow",
                                    "d0000000000000000000000000000001", "pledge",
                                    "0123456789abcdef0123456789abcdef", "stage", "delivery", "date",
                                    "2025-06", "quantity", "500", "unit", "missiles"));
    assert_int_equal(wl_iati_export("uk", flows, "2026-11-30T19:40:00Z", &x, &skipped, &err),
                     WL_OK);
    assert_int_equal(skipped, 1); /* in kind: no IATI value */
    assert_non_null(strstr(x.buf, "<!-- 1 flows in kind (a quantity, no amount) left out"));
    validate(x.buf, x.len);
    xmlDocPtr doc = xmlReadMemory(x.buf, (int)x.len, "x.xml", NULL, XML_PARSE_NONET);
    assert_int_equal(xpath_num(doc, "count(//iati-activity)"), 2);
    assert_int_equal(xpath_num(doc, "count(//reporting-org[@ref='uk'])"), 2);
    assert_int_equal(xpath_num(doc, "count(//transaction)"), 17);
    for (int i = 1; i <= 13; i++) {
        snprintf(t, sizeof t, "%d", i);
        assert_true(count(doc, "count(//transaction-type[@code='%s'])", t) >= 1);
    }
    assert_int_equal(count(doc, "count(//transaction-type[@code='%s'])", "2"), 3); /* 2, 5, 6 */
    assert_int_equal(count(doc, "count(//transaction-type[@code='%s'])", "3"), 3); /* 3, 7, 8 */
    assert_int_equal(count(doc, "count(//participating-org[@role='%s'])", "1"), 2);
    assert_int_equal(
        xpath_num(doc, "count(//participating-org[@role='1']/narrative[.='UK Export Finance'])"),
        1);
    assert_int_equal(count(doc, "count(//participating-org[@role='%s' and @ref='uk'])", "2"), 2);
    assert_int_equal(count(doc, "count(//participating-org[@role='%s' and @ref='uk'])", "3"), 2);
    assert_int_equal(xpath_num(doc, "count(//participating-org[@role='4']/narrative[.='Ukraine'])"),
                     1);
    assert_int_equal(
        xpath_num(doc, "count(//iati-identifier[.='uk-pledge-0123456789abcdef0123456789abcdef'])"),
        1);
    assert_int_equal(xpath_num(doc, "count(//iati-identifier[.='GB-GOV-3 <&>'])"), 1);
    assert_int_equal(
        xpath_num(doc, "count(//transaction/description/narrative[.='a <b> & \"c\"'])"), 1);
    assert_true(xpath_num(doc, "sum(//value) * 4") == (-1160000000.25 * 13 + 26) * 4);
    xmlFreeDoc(doc);
    wl_buf_free(&x);
    /* nothing with an amount: no document (iati-activities must hold an activity) */
    json_array_clear(flows);
    json_array_append_new(flows,
                          json_pack("{s:s, s:s, s:s, s:s, s:s}", "flow", "d1", "stage", "delivery",
                                    "date", "2025-06", "quantity", "5", "unit", "missiles"));
    assert_int_equal(wl_iati_export("uk", flows, NULL, &x, &skipped, &err), WL_ERR_NOT_FOUND);
    wl_buf_free(&x);
    json_decref(flows);
}

static wl_rc read_text(const char *xml, const wl_iati_schema *xsd, wl_iati_import *imp,
                       wl_error *err)
{
    wl_iati_options opt = {.category = "finance", .schema = xsd};
    return wl_iati_import_read(xml, strlen(xml), &opt, imp, err);
}

#define HEAD "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n"
#define ACT(cur)                                                                                   \
    " <iati-activity default-currency=\"" cur "\">\n  <iati-identifier>X-1</iati-identifier>\n"
#define TX(type, value)                                                                            \
    "  <transaction><transaction-type code=\"" type "\"/>"                                         \
    "<transaction-date iso-date=\"2024-01-02\"/>" value "</transaction>\n"

static void bad_transactions_named_by_line(void **state)
{
    static const char doc[] = HEAD ACT("EUR")                    /* lines 1-4 */
        TX("3", "<value value-date=\"2024-01-01\">10.5</value>") /* 5 good */
        TX("C", "<value>1</value>")                              /* 6 */
        TX("3", "<value>1.23456</value>")                        /* 7 */
        TX("3", "<value currency=\"BYR\">1</value>")             /* 8 */
        TX("3", "<value currency=\"XXX\">1</value>")             /* 9 */
        TX("3", "<value currency=\"USD\">-2</value>")            /* 10 good */
        " </iati-activity>\n" ACT("")                            /* 11-13 */
        TX("2", "<value>4</value>")                              /* 14 */
        " </iati-activity>\n</iati-activities>\n";
    static const struct {
        long line;
        const char *why;
    } want[] = {{6, "transaction-type 'C' is not an IATI 2.03 code 1-13"},
                {7, "value '1.23456' is not an exact decimal of at most 14 digits before the "
                    "point and 4 after"},
                {8, "currency 'BYR' was withdrawn on 2018-08-08"},
                {9, "unknown currency 'XXX'"},
                {14, "no currency: neither value/@currency nor the activity's default-currency"}};
    wl_iati_import imp;
    wl_error err = {0};
    (void)state;
    assert_int_equal(read_text(doc, NULL, &imp, &err), WL_OK);
    assert_int_equal(imp.transactions, 7);
    assert_int_equal(json_array_size(imp.flows), 2);
    assert_int_equal(imp.lines[0], 5);
    assert_int_equal(imp.lines[1], 10);
    assert_string_equal(fstr(json_array_get(imp.flows, 1), "amount"), "-2");
    assert_int_equal(imp.nbad, 5);
    assert_int_equal(imp.bad_total, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(imp.bad[i].line, want[i].line);
        assert_string_equal(imp.bad[i].why, want[i].why);
    }
    wl_iati_import_free(&imp);
}

static void schema_failure_names_line_and_column(void **state)
{
    /* an activity without title, description, participating-org...: the schema says so */
    static const char doc[] =
        HEAD ACT("EUR") "  <reporting-org ref=\"uk\" type=\"10\">"
                        "<narrative>uk</narrative></reporting-org>\n"
                        "  <transaction/>\n </iati-activity>\n</iati-activities>\n";
    wl_iati_import imp;
    wl_error err = {0};
    (void)state;
    assert_int_equal(read_text(doc, schema, &imp, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "iati_schema");
    assert_true(imp.nbad >= 1);
    assert_int_equal(imp.bad[0].line, 6);
    assert_true(imp.bad[0].col > 0);
    assert_non_null(strstr(err.msg, "at line 6, column "));
    assert_int_equal(json_array_size(imp.flows), 0);
    wl_iati_import_free(&imp);
    /* not well-formed: the parser's line and column */
    assert_int_equal(read_text(HEAD "<iati-activity>\n</iati-activities>\n", NULL, &imp, &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_xml");
    assert_int_equal(imp.bad[0].line, 4);
    assert_true(imp.bad[0].col > 0);
    wl_iati_import_free(&imp);
    /* well-formed, but not IATI */
    assert_int_equal(read_text("<rss/>", NULL, &imp, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_iati");
    wl_iati_import_free(&imp);
}

static void entities_refused_unread(void **state)
{
    static const char *const docs[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<iati-activities version=\"2.03\">&e;</iati-activities>",
        "<!-- a comment first -->\n<!DOCTYPE iati-activities SYSTEM \"http://127.0.0.1:9/x.dtd\">"
        "<iati-activities version=\"2.03\"/>",
        "\xEF\xBB\xBF<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        "<iati-activities version=\"2.03\">&lol3;</iati-activities>"};
    wl_iati_import imp;
    wl_error err = {0};
    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        assert_int_equal(read_text(docs[i], schema, &imp, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "xml_doctype");
        assert_non_null(strstr(err.msg, "DOCTYPE"));
        assert_null(imp.flows);
        wl_iati_import_free(&imp);
    }
    /* an entity reference without a declaration is not expanded either */
    assert_int_equal(read_text(HEAD "&e;</iati-activities>", NULL, &imp, &err), WL_ERR_INVALID);
    wl_iati_import_free(&imp);
    /* UTF-16 cannot hide a DOCTYPE from the check, nor EBCDIC or any declared encoding
       libxml2 would decode itself: refused unread */
    static const char u16[] = "\xFF\xFE<\0?\0x\0m\0l\0";
    wl_iati_options opt = {0};
    assert_int_equal(wl_iati_import_read(u16, sizeof u16 - 1, &opt, &imp, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_encoding");
    wl_iati_import_free(&imp);
    size_t n;
    char *eb = wl_test_encoded("<?xml version=\"1.0\" encoding=\"IBM037\"?>\n<!DOCTYPE x [<!ENTITY "
                               "e SYSTEM \"file:///etc/passwd\">]>\n<iati-activities/>",
                               "IBM037", &n);
    assert_int_equal(wl_iati_import_read(eb, n, &opt, &imp, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_encoding");
    wl_iati_import_free(&imp);
    free(eb);
    /* nesting deeper than libxml2's 256 (no XML_PARSE_HUGE): refused, with its place */
    char deep[4096] = HEAD;
    for (size_t i = 0, at = strlen(deep); i < 300; i++, at += 3)
        memcpy(deep + at, "<a>", 4);
    assert_int_equal(read_text(deep, NULL, &imp, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_xml");
    assert_non_null(strstr(err.msg, "Excessive depth"));
    assert_int_equal(imp.bad[0].line, 3);
    wl_iati_import_free(&imp);
    /* above the ceiling: refused before a byte is read */
    assert_int_equal(wl_iati_import_read(u16, (size_t)WL_IATI_MAX_BYTES + 1, &opt, &imp, &err),
                     WL_ERR_TOO_LARGE);
    wl_iati_import_free(&imp);
}

/* import then export of the Finnish file: the flows read, and the document written */
static wl_rc fault_session(const char *xml, size_t len, json_t **flows, char **doc)
{
    wl_iati_options opt = {.category = "finance", .schema = schema};
    wl_iati_import imp;
    wl_error err = {0};
    wl_buf x = {0};
    size_t skipped;
    wl_rc rc = wl_iati_import_read(xml, len, &opt, &imp, &err);
    *flows = NULL;
    *doc = NULL;
    if (rc == WL_OK)
        rc = wl_iati_export("fi", imp.flows, NULL, &x, &skipped, &err);
    if (rc == WL_OK) {
        *flows = json_incref(imp.flows);
        *doc = x.buf;
        x.buf = NULL;
    }
    wl_buf_free(&x);
    wl_iati_import_free(&imp);
    return rc;
}

/* every allocation of willing's and jansson's failed in turn: an error or the right answer */
static void allocation_faults(void **state)
{
    size_t len;
    char *xml = slurp("activities-fi-mfa-2021.xml", &len), *want = NULL, *got = NULL;
    json_t *want_flows = NULL, *got_flows = NULL;
    unsigned long n;
    (void)state;
    json_set_alloc_funcs(wl_malloc, wl_free);
    assert_int_equal(fault_session(xml, len, &want_flows, &want), WL_OK);
    for (n = 1;; n++) {
        wl_alloc_fail_at(n);
        wl_rc rc = fault_session(xml, len, &got_flows, &got);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (rc == WL_OK && (!json_equal(got_flows, want_flows) || strcmp(got, want) != 0))
            fail_msg("allocation %lu failed, yet the answer was WL_OK and not the same", n);
        if (rc != WL_OK)
            assert_int_equal(rc, WL_ERR_NOMEM);
        json_decref(got_flows);
        wl_free(got);
        if (!failed)
            break;
    }
    json_decref(want_flows);
    json_set_alloc_funcs(malloc, free);
    wl_free(want);
    free(xml);
    assert_true(n > 100);
}

/* every code of the Currency codelist (the fixture, read here): withdrawn ones reported
   with their withdrawal date, current ones taken */
static void every_codelist_currency(void **state)
{
    wl_iati_options opt = {.category = "finance"};
    wl_error err = {0};
    size_t withdrawn = 0;
    (void)state;
    for (size_t i = 0; i < ncurrencies; i++) {
        char doc[512], why[240];
        wl_iati_import imp;
        snprintf(doc, sizeof doc,
                 HEAD ACT("%s")
                     TX("3", "<value value-date=\"2024-01-01\">1</value>") " </iati-activity>\n</"
                                                                           "iati-activities>\n",
                 currencies[i].code);
        assert_int_equal(wl_iati_import_read(doc, strlen(doc), &opt, &imp, &err), WL_OK);
        if (currencies[i].withdrawn) {
            withdrawn++;
            snprintf(why, sizeof why, "currency '%s' was withdrawn on %s", currencies[i].code,
                     currencies[i].since);
            assert_int_equal(imp.nbad, 1);
            assert_string_equal(imp.bad[0].why, why);
        } else {
            assert_int_equal(imp.nbad, 0);
            assert_string_equal(fstr(json_array_get(imp.flows, 0), "currency"), currencies[i].code);
        }
        wl_iati_import_free(&imp);
    }
    assert_int_equal(withdrawn, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimals_exact),
        cmocka_unit_test(types_and_stages),
        cmocka_unit_test(netherlands_inherits_currency_and_keeps_corrections),
        cmocka_unit_test(finland_spaces_line_breaks_value_dates),
        cmocka_unit_test(example_transaction_currency_beats_default),
        cmocka_unit_test(round_trips_keep_every_amount),
        cmocka_unit_test(export_validates_with_every_type_and_role),
        cmocka_unit_test(bad_transactions_named_by_line),
        cmocka_unit_test(schema_failure_names_line_and_column),
        cmocka_unit_test(entities_refused_unread),
        cmocka_unit_test(every_codelist_currency),
        cmocka_unit_test(allocation_faults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
