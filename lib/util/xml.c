/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XML read safely (include/willing/xml.h). Before any parse: the encoding (UTF-8 or
 * US-ASCII only: a document libxml2 would decode itself, such as EBCDIC or UTF-16, hides
 * its prolog from a scan of its bytes) and the DOCTYPE of the prolog, named (an external
 * entity, entity declarations, a DOCTYPE alone). While reading, whatever the bytes said:
 * a DOCTYPE node or an entity reference is refused. The options libxml2 parses with.
 * docs/internals/flows.md ("IATI") and docs/internals/pressure.md ("The official lists' XML").
 */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <strings.h>

#include "willing/xml.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The offset of a DOCTYPE the prolog declares, or len when none. */
static size_t doctype_at(const char *x, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(x, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        if (is_space(x[i])) {
            i++;
            continue;
        }
        if (len - i >= 2 && memcmp(x + i, "<?", 2) == 0) {
            const char *e = memmem(x + i, len - i, "?>", 2);
            if (e == NULL)
                return len;
            i = (size_t)(e - x) + 2;
        } else if (len - i >= 4 && memcmp(x + i, "<!--", 4) == 0) {
            const char *e = memmem(x + i, len - i, "-->", 3);
            if (e == NULL)
                return len;
            i = (size_t)(e - x) + 3;
        } else {
            return len - i >= 2 && memcmp(x + i, "<!", 2) == 0 ? i : len;
        }
    }
    return len;
}

/* 1 if an <!ENTITY declaration in x[from..to) names SYSTEM or PUBLIC. */
static int external_entity(const char *x, size_t from, size_t to)
{
    for (size_t i = from; i + 8 <= to; i++) {
        if (memcmp(x + i, "<!ENTITY", 8) != 0)
            continue;
        const char *e = memchr(x + i, '>', to - i);
        size_t end = e ? (size_t)(e - x) : to;
        if (memmem(x + i, end - i, "SYSTEM", 6) || memmem(x + i, end - i, "PUBLIC", 6))
            return 1;
    }
    return 0;
}

static wl_rc refuse_doctype(const char *xml, size_t len, const char *what, wl_error *err)
{
    size_t at = doctype_at(xml, len), end;
    const char *close;
    if (at == len)
        return WL_OK;
    /* the internal subset ends at "]>"; a DOCTYPE without one at its first ">" */
    close = memmem(xml + at, len - at, "]>", 2);
    end = close ? (size_t)(close - xml) : len;
    if (external_entity(xml, at, end) ||
        (memmem(xml + at, end - at, "SYSTEM", 6) && !memmem(xml + at, end - at, "<!ENTITY", 8)))
        return wl_error_set(err, WL_ERR_INVALID, "xml_doctype",
                            "%s declares a DOCTYPE: refused unread (an external entity: SYSTEM "
                            "or PUBLIC would read a file or the network)",
                            what);
    if (memmem(xml + at, end - at, "<!ENTITY", 8))
        return wl_error_set(err, WL_ERR_INVALID, "xml_doctype",
                            "%s declares a DOCTYPE: refused unread (entity declarations: an "
                            "entity expansion such as billion laughs grows without bound)",
                            what);
    return wl_error_set(err, WL_ERR_INVALID, "xml_doctype",
                        "%s declares a DOCTYPE: refused unread (none is expected; its entities "
                        "could read files or the network, or expand without bound)",
                        what);
}

static wl_rc bad_encoding(wl_error *err, const char *what, const char *why)
{
    return wl_error_set(err, WL_ERR_INVALID, "xml_encoding",
                        "%s is %s: refused unread (only UTF-8 or US-ASCII is read; libxml2 would "
                        "decode another encoding itself, out of sight of the DOCTYPE check)",
                        what, why);
}

/*
 * The XML declaration x[0..len) starts with "<?xml" and a space: its encoding, when it
 * names one, must be UTF-8 or US-ASCII.
 */
static wl_rc declared_encoding(const char *x, size_t len, const char *what, wl_error *err)
{
    const char *end = memmem(x, len, "?>", 2), *p;
    char name[41], why[80];
    size_t n;
    if (end == NULL)
        return bad_encoding(err, what, "without the end of its XML declaration (\"?>\")");
    for (p = x + 5; p + 8 <= end; p++)
        if (memcmp(p, "encoding", 8) == 0 && is_space(p[-1]))
            break;
    if (p + 8 > end)
        return WL_OK; /* no encoding declared: UTF-8 */
    for (p += 8; p < end && is_space(*p); p++)
        ;
    if (p < end && *p == '=')
        for (p++; p < end && is_space(*p); p++)
            ;
    if (p >= end || (*p != '"' && *p != '\''))
        return bad_encoding(err, what, "of an encoding its XML declaration does not name clearly");
    for (n = 0; p + 1 + n < end && p[1 + n] != *p;)
        n++;
    if (p + 1 + n >= end || n == 0 || n >= sizeof name)
        return bad_encoding(err, what, "of an encoding its XML declaration does not name clearly");
    for (size_t i = 0; i < n; i++) /* printable ASCII in the message, or '?' */
        name[i] = p[1 + i] > 0x20 && p[1 + i] < 0x7f ? p[1 + i] : '?';
    name[n] = '\0';
    if (strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "US-ASCII") == 0)
        return WL_OK;
    snprintf(why, sizeof why, "declared encoding=\"%s\"", name);
    return bad_encoding(err, what, why);
}

static wl_rc refuse_encoding(const char *x, size_t len, const char *what, wl_error *err)
{
    size_t i = len >= 3 && memcmp(x, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (len >= 2 && (memchr(x, '\0', len < 4 ? len : 4) || memcmp(x, "\xFE\xFF", 2) == 0 ||
                     memcmp(x, "\xFF\xFE", 2) == 0))
        return bad_encoding(err, what, "UTF-16 or UTF-32 (a byte-order mark or a NUL byte)");
    if (i < len && x[i] != '<' && !is_space(x[i]))
        return bad_encoding(err, what,
                            "not UTF-8 or US-ASCII: it does not start with '<' (EBCDIC?)");
    if (len - i >= 6 && memcmp(x + i, "<?xml", 5) == 0 && is_space(x[i + 5]))
        return declared_encoding(x + i, len - i, what, err);
    return WL_OK;
}

wl_rc wl_xml_refuse_unread(const char *xml, size_t len, const char *what, wl_error *err)
{
    wl_rc rc = refuse_encoding(xml, len, what, err);
    return rc == WL_OK ? refuse_doctype(xml, len, what, err) : rc;
}

wl_rc wl_xml_reader_check(struct _xmlTextReader *r, const char *what, wl_error *err)
{
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE)
        return wl_error_set(err, WL_ERR_INVALID, "xml_doctype",
                            "%s declares a DOCTYPE (line %d): refused, none is expected", what,
                            xmlTextReaderGetParserLineNumber(r));
    if (t == XML_READER_TYPE_ENTITY_REFERENCE || t == XML_READER_TYPE_ENTITY)
        return wl_error_set(err, WL_ERR_INVALID, "xml_entity",
                            "%s refers to an entity (line %d): refused, none is expected", what,
                            xmlTextReaderGetParserLineNumber(r));
    return WL_OK;
}

static wl_rc node_check(const xmlNode *n, const char *what, wl_error *err);

/* n and the nodes after it, with theirs */
static wl_rc nodes_check(const xmlNode *n, const char *what, wl_error *err)
{
    wl_rc rc = WL_OK;
    for (; n && rc == WL_OK; n = n->next)
        rc = node_check(n, what, err);
    return rc;
}

/* n's line, or the nearest of its ancestors' (an attribute's text has none) */
static long line_of(const xmlNode *n)
{
    long line = -1;
    for (; n && (line = xmlGetLineNo(n)) <= 0; n = n->parent)
        ;
    return line;
}

static wl_rc node_check(const xmlNode *n, const char *what, wl_error *err)
{
    wl_rc rc = WL_OK;
    if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE ||
        n->type == XML_ENTITY_DECL || n->type == XML_DTD_NODE)
        return wl_error_set(err, WL_ERR_INVALID, "xml_entity",
                            "%s refers to an entity (line %ld): refused, none is expected", what,
                            line_of(n));
    if (n->type == XML_ELEMENT_NODE) /* an attribute's value may hold a reference too */
        for (const xmlAttr *a = n->properties; a && rc == WL_OK; a = a->next)
            rc = nodes_check(a->children, what, err);
    return rc == WL_OK ? nodes_check(n->children, what, err) : rc;
}

wl_rc wl_xml_tree_check(const struct _xmlNode *n, const char *what, wl_error *err)
{
    return n ? node_check(n, what, err) : WL_OK;
}

int wl_xml_parse_options(void)
{
    return XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
}
