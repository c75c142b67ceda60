/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The official sanctions lists published as XML read into the bodies of
 * pressure.designation (include/willing/pressure.h): the UN Security Council's
 * consolidated list (list id "un-sc"), the EU's Financial Sanctions Files XML 1.1
 * ("eu-fsf") and the UK's FCDO Sanctions List ("uk-fcdo"). Pure: bytes in, bodies
 * out, nothing read from anywhere else; libxml2's reader streams the file one
 * record at a time with network access and entities off (include/willing/xml.h).
 * Each format's quirks and how they are read: docs/internals/pressure.md, "The
 * official lists' XML".
 */
#ifndef WILLING_SANCTIONS_H
#define WILLING_SANCTIONS_H

#include <jansson.h>

#include "willing/wl.h"

typedef enum { WL_SANCTIONS_UN, WL_SANCTIONS_EU, WL_SANCTIONS_UK } wl_sanctions_format;

/* A record refused: which (its element and id as the list gives it), where, why. */
typedef struct {
    char record[96]; /* "INDIVIDUAL QDi.276", "sanctionEntity logicalId 999999", "Designation 5" */
    long line;       /* the record's line (libxml2's); 0 when unknown */
    char why[200];
} wl_sanctions_reject;

typedef struct {
    json_t *bodies; /* pressure.designation bodies of the records read, in file order */
    long *lines;    /* lines[i]: the line of bodies[i]'s record */
    size_t records; /* records read, the refused ones included */
    size_t n_person, n_entity, n_vessel, n_aircraft; /* bodies by type */
    wl_sanctions_reject *rejects; /* the first WL_SANCTIONS_REJECTS_MAX refused, in file order */
    size_t n_rejects;             /* all of them */
    const char *list;             /* "un-sc", "eu-fsf", "uk-fcdo" (static) */
    char sha256[65];              /* of the file, lower-case hex: each body's source.file */
    char generated[11];           /* the file's own date, YYYY-MM-DD */
} wl_sanctions_list;

/*
 * Reads a list file of len bytes in format f. All or nothing is the caller's: WL_OK
 * when every record gave a body that passes wl_pressure_designation_check;
 * WL_ERR_INVALID sanctions_rejected when any record was refused, every refusal in
 * out->rejects and the good bodies still in out->bodies; WL_ERR_TOO_LARGE
 * file_too_large over WL_SANCTIONS_FILE_MAX, before any byte is parsed;
 * WL_ERR_INVALID xml_doctype for a DOCTYPE (an external entity, an entity expansion),
 * refused unread; invalid_xml (not well-formed: line and why), not_this_list (another
 * root element). Free out with wl_sanctions_free on failure too (a no-op when zeroed).
 */
wl_rc wl_sanctions_read(wl_sanctions_format f, const char *xml, size_t len, wl_sanctions_list *out,
                        wl_error *err) WL_MUST;
void wl_sanctions_free(wl_sanctions_list *l);

/* "un", "eu", "uk" (or the list ids) to a format: 0, else -1. */
int wl_sanctions_format_parse(const char *name, wl_sanctions_format *out);
/* "un-sc", "eu-fsf", "uk-fcdo". */
const char *wl_sanctions_list_id(wl_sanctions_format f);

#endif
