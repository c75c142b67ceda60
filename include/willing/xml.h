/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XML read safely, the one setup every reader of XML shares (IATI, the sanctions
 * lists). Before a byte is parsed, a document is refused unread when it is in
 * another encoding than UTF-8 or US-ASCII (libxml2 would decode EBCDIC, UTF-16 or a
 * declared encoding itself, hiding the prolog from a check of its bytes) or declares
 * a DOCTYPE (the only way to an external entity, file:// or http://, or to an
 * entity-expansion bomb such as billion laughs), the refusal naming which. libxml2 is
 * then given wl_xml_parse_options(): network access off, no entity substitution, no
 * DTD loaded; and whatever the bytes said, a reader refuses a DOCTYPE node and an
 * entity reference when it meets one (wl_xml_reader_check, wl_xml_tree_check).
 * Pure: bytes in, nothing read from anywhere else (lib/util/xml.c).
 */
#ifndef WILLING_XML_H
#define WILLING_XML_H

#include "willing/wl.h"

struct _xmlTextReader; /* libxml2's xmlTextReader */
struct _xmlNode;       /* libxml2's xmlNode */

/*
 * WL_OK when the document may be parsed; else WL_ERR_INVALID, nothing read, `what`
 * naming the document in the message ("the UN list"):
 * - code xml_encoding: UTF-16 or UTF-32 (a byte-order mark, or a NUL in the first four
 *   bytes), a first byte (after a UTF-8 byte-order mark) other than '<' or white space
 *   (EBCDIC), or an XML declaration naming an encoding other than UTF-8 or US-ASCII (in
 *   any case), or not closed;
 * - code xml_doctype: the prolog (before the root element) declares a DOCTYPE, the
 *   message naming what: an external entity (SYSTEM or PUBLIC: a file or the network
 *   would be read), entity declarations (an expansion without bound, such as billion
 *   laughs), or a DOCTYPE alone.
 */
wl_rc wl_xml_refuse_unread(const char *xml, size_t len, const char *what, wl_error *err) WL_MUST;

/* The reader's current node: WL_ERR_INVALID (xml_doctype) when it is a DOCTYPE,
   (xml_entity) an entity or an entity reference, naming its line; else WL_OK. */
wl_rc wl_xml_reader_check(struct _xmlTextReader *r, const char *what, wl_error *err) WL_MUST;

/* Node n, its attributes and everything under it: WL_ERR_INVALID (xml_entity) at the
   first entity reference, entity or DTD node, naming its line; else (n NULL too) WL_OK. */
wl_rc wl_xml_tree_check(const struct _xmlNode *n, const char *what, wl_error *err) WL_MUST;

/* The options every parse uses: XML_PARSE_NONET | BIG_LINES | NOCDATA | COMPACT, and
   no NOENT, DTDLOAD, DTDATTR, DTDVALID or XINCLUDE. */
int wl_xml_parse_options(void);

#endif
