/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XML read safely, the one setup every reader of XML shares (IATI, the sanctions
 * lists): a document is refused unread when it declares a DOCTYPE (the only way to
 * an external entity, file:// or http://, or to an entity-expansion bomb such as
 * billion laughs), the refusal naming which; libxml2 is then given
 * wl_xml_parse_options(): network access off, no entity substitution, no DTD loaded.
 * Pure: bytes in, nothing read from anywhere else (lib/util/xml.c).
 */
#ifndef WILLING_XML_H
#define WILLING_XML_H

#include "willing/wl.h"

/*
 * WL_OK when the prolog (before the root element) declares no DOCTYPE; else
 * WL_ERR_INVALID, code xml_doctype, the message naming what was declared: an
 * external entity (SYSTEM or PUBLIC: a file or the network would be read), entity
 * declarations (an expansion without bound, such as billion laughs), or a DOCTYPE
 * alone. `what` names the document in the message ("the UN list").
 */
wl_rc wl_xml_refuse_doctype(const char *xml, size_t len, const char *what, wl_error *err) WL_MUST;

/* 1 when the bytes start as UTF-16 or UTF-32 (a NUL or a UTF-16 byte-order mark). */
int wl_xml_not_utf8(const char *xml, size_t len);

/* The options every parse uses: XML_PARSE_NONET | BIG_LINES | NOCDATA | COMPACT, and
   no NOENT, DTDLOAD, DTDATTR, DTDVALID or XINCLUDE. */
int wl_xml_parse_options(void);

#endif
