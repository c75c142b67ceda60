/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XML read safely (include/willing/xml.h), each guard alone: the check of the bytes
 * before a parse (encodings other than UTF-8 or US-ASCII, a DOCTYPE), and the checks
 * while reading that hold whatever the bytes said: a reader meeting a DOCTYPE or an
 * entity reference, a tree holding an entity reference in an element or an attribute.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "../fixture.h"
#include "willing/xml.h"

/* What wl_xml_reader_check says of the nodes of xml, read as the readers read: the code of
   the first refusal ("" when none) and how many nodes it refused. */
static size_t reader_refusals(const char *xml, size_t len, const char **first)
{
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL, wl_xml_parse_options());
    size_t refused = 0;
    *first = "";
    assert_non_null(r);
    while (xmlTextReaderRead(r) == 1) {
        wl_error err;
        if (wl_xml_reader_check(r, "the test", &err) != WL_OK) {
            if (refused++ == 0)
                *first = strcmp(err.code, "xml_doctype") == 0 ? "xml_doctype" : "xml_entity";
            assert_non_null(strstr(err.msg, "the test"));
        }
    }
    xmlFreeTextReader(r);
    return refused;
}

/* EBCDIC hides its DOCTYPE from a look at the bytes: refused as an encoding before a parse,
   and, were it parsed, by the reader at the DOCTYPE node. */
static void ebcdic_doctype(void **state)
{
    static const char doc[] = "<?xml version=\"1.0\" encoding=\"IBM037\"?>\n"
                              "<!DOCTYPE r [<!ENTITY x \"text\">]>\n<r><a>&x;</a></r>";
    const char *first;
    wl_error err;
    size_t n;
    char *eb = wl_test_encoded(doc, "IBM037", &n);
    (void)state;
    assert_non_null(eb);
    assert_int_equal(wl_xml_refuse_unread(eb, n, "the test", &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_encoding");
    assert_true(reader_refusals(eb, n, &first) >= 2); /* the DOCTYPE, the reference */
    assert_string_equal(first, "xml_doctype");
    free(eb);
    /* the same in UTF-8: refused unread as a DOCTYPE, and by the reader */
    assert_int_equal(wl_xml_refuse_unread(doc, sizeof doc - 1, "the test", &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_encoding"); /* it still declares IBM037 */
    assert_int_equal(wl_xml_refuse_unread(strchr(doc, '\n') + 1, strlen(strchr(doc, '\n') + 1),
                                          "the test", &err),
                     WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_doctype");
    assert_true(reader_refusals(strchr(doc, '\n') + 1, strlen(strchr(doc, '\n') + 1), &first) >= 2);
    assert_string_equal(first, "xml_doctype");
    /* a document without either: nothing refused */
    assert_int_equal(reader_refusals("<r a=\"1\"><b>x &amp; y</b></r>", 29, &first), 0);
}

/* A tree with an entity reference in an element or an attribute is refused; one without,
   or none at all, is not. */
static void tree_entities(void **state)
{
    static const char *const docs[] = {"<!DOCTYPE r [<!ENTITY x \"y\">]><r><b>&x;</b></r>",
                                       "<!DOCTYPE r [<!ENTITY x \"y\">]><r><b a=\"&x;\"/></r>",
                                       "<r><b a=\"&amp;&#65;\">&lt;&#x42;</b></r>"};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        xmlDocPtr d = xmlReadMemory(docs[i], (int)strlen(docs[i]), NULL, NULL,
                                    wl_xml_parse_options() | XML_PARSE_NOERROR);
        wl_error err;
        assert_non_null(d);
        if (i < 2) {
            assert_int_equal(wl_xml_tree_check(xmlDocGetRootElement(d), "the test", &err),
                             WL_ERR_INVALID);
            assert_string_equal(err.code, "xml_entity");
            assert_non_null(strstr(err.msg, "the test refers to an entity (line 1)"));
        } else {
            assert_int_equal(wl_xml_tree_check(xmlDocGetRootElement(d), "the test", &err), WL_OK);
        }
        xmlFreeDoc(d);
    }
    assert_int_equal(wl_xml_tree_check(NULL, "the test", NULL), WL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(ebcdic_doctype),
                                       cmocka_unit_test(tree_entities)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
