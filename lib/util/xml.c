/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XML read safely (include/willing/xml.h): the DOCTYPE of a document found in its
 * prolog before any parse, and named (an external entity, entity declarations, a
 * DOCTYPE alone); the options libxml2 parses with. docs/internals/flows.md ("IATI")
 * and docs/internals/pressure.md ("The official lists' XML").
 */
#include <libxml/parser.h>
#include <string.h>

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

wl_rc wl_xml_refuse_doctype(const char *xml, size_t len, const char *what, wl_error *err)
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

int wl_xml_not_utf8(const char *xml, size_t len)
{
    return len >= 2 && (memchr(xml, '\0', len < 4 ? len : 4) || memcmp(xml, "\xFE\xFF", 2) == 0 ||
                        memcmp(xml, "\xFF\xFE", 2) == 0);
}

int wl_xml_parse_options(void)
{
    return XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
}
