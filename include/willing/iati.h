/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IATI 2.03: a member's flows as an iati-activities document, and such a document
 * read back into flow bodies (the bodies of docs/FORMAT.md's `flow`, as a flow.batch
 * carries them). The conversion is pure, over libxml2: no network, no store, nothing
 * printed; one view (wl_flows_iati) reads a member's flows from the store for it.
 * The mapping tables (transaction types 1-13 and stages, participating-org roles 1-4,
 * the flow's "iati" object) are in docs/internals/flows.md, section "IATI".
 *
 * XML is parsed with network access off, no entity substitution and no DTD loading;
 * a document that declares a DOCTYPE (the only way to an external entity or an
 * entity-expansion bomb) is refused before it is parsed, and so is one above
 * WL_IATI_MAX_BYTES.
 */
#ifndef WILLING_IATI_H
#define WILLING_IATI_H

#include <jansson.h>

#include "willing/flows_views.h" /* wl_flows_viewer */
#include "willing/wl.h"

/* One bad transaction, or one place where the file fails the schema. */
typedef struct {
    long line; /* 1-based; 0 when the file as a whole */
    int col;   /* 1-based where libxml2 knows it (schema and syntax errors), else 0 */
    char why[240];
} wl_iati_problem;

typedef struct {
    /* given to every flow read; at most one of pledge and requirement */
    const char *pledge, *requirement, *category;
    /* the 2.03 schema (wl_iati_schema_load), or NULL to skip schema validation */
    const struct wl_iati_schema *schema;
} wl_iati_options;

typedef struct {
    json_t *flows;        /* array of flow bodies, the good transactions in file order */
    long *lines;          /* lines[i]: the line of flows[i]'s <transaction> */
    wl_iati_problem *bad; /* the bad transactions (or schema failures), in file order */
    size_t nbad;          /* entries in bad (at most WL_IATI_PROBLEMS_MAX) */
    size_t bad_total;     /* bad transactions counted, beyond the ceiling too */
    size_t transactions;  /* <transaction> elements read */
    size_t activities;    /* <iati-activity> elements read */
    char sha256[65];      /* SHA-256 of the file, lower-case hex */
} wl_iati_import;

/*
 * Reads an iati-activities document of len bytes. Every flow read is checked with the
 * flows' own rules (wl_flow_read: the currency known and not withdrawn, the digits, the
 * fields). WL_OK: *out holds the good flows and
 * every bad transaction with its line and why (the caller decides: all or nothing, or
 * --skip-bad). An error refuses the whole file, err naming why (and, for XML and schema
 * failures, the line and column; out->bad then lists each place): too large
 * (WL_ERR_TOO_LARGE), a DOCTYPE or entity declaration, not well-formed, not the 2.03
 * schema, not an iati-activities document (WL_ERR_INVALID). Flow ids are taken from the
 * file's SHA-256 and the transaction's position, so the same file gives the same ids.
 * Release *out with wl_iati_import_free, on failure too.
 */
wl_rc wl_iati_import_read(const char *xml, size_t len, const wl_iati_options *opt,
                          wl_iati_import *out, wl_error *err) WL_MUST;
void wl_iati_import_free(wl_iati_import *imp);

/*
 * The IATI 2.03 schema, loaded from iati-activities-schema.xsd with iati-common.xsd
 * and xml.xsd beside it. wl_iati_schema_free(NULL) is a no-op.
 */
typedef struct wl_iati_schema wl_iati_schema;
wl_rc wl_iati_schema_load(const char *xsd_path, wl_iati_schema **out, wl_error *err) WL_MUST;
void wl_iati_schema_free(wl_iati_schema *s);

/*
 * A member's flows as one iati-activities 2.03 document, appended to out (at most
 * WL_IATI_EXPORT_MAX_BYTES). flows: an array of flow bodies (docs/FORMAT.md), the latest
 * of each correction chain; flows with an amount become transactions, grouped into one
 * activity per "activity" (else per pledge, requirement or instrument, else per flow);
 * flows in kind (a quantity, no amount) have no IATI value and are counted in *skipped.
 * generated: the document's generated-datetime ("2026-11-30T19:40:00Z"), or NULL.
 * WL_ERR_NOT_FOUND when no flow has an amount (an iati-activities document must hold an
 * activity); WL_ERR_INVALID when a flow is not a flow body.
 */
wl_rc wl_iati_export(const char *member, json_t *flows, const char *generated, wl_buf *out,
                     size_t *skipped, wl_error *err) WL_MUST;

/*
 * The IATI view (lib/flows/iati_view.c; GET /api/v1/flows/iati?member=M), streamed: the
 * live flows of member that viewer may see (the public: public and announced flows only),
 * at most WL_IATI_EXPORT_FLOWS_MAX, as the document wl_iati_export would write from them.
 * wl_flows_iati_open reads each flow's row (not its body: 16 bytes a flow are kept) and
 * answers WL_ERR_NOT_FOUND (no flow with an amount to show) or WL_ERR_TOO_LARGE before a
 * byte is written; each wl_flows_iati_next gives the next piece in *piece (valid until the
 * next call or close; at most WL_FLOWS_ROWS_MAX transactions), *len 0 at the end. The
 * store s is only used during a call, so pieces may be asked for from any thread's store.
 * wl_flows_iati is the whole document appended to out (at most WL_IATI_EXPORT_MAX_BYTES).
 */
typedef struct wl_iati_stream wl_iati_stream;
wl_rc wl_flows_iati_open(wl_store *s, const wl_flows_viewer *v, const char *member,
                         const char *generated, wl_iati_stream **out, wl_error *err) WL_MUST;
wl_rc wl_flows_iati_next(wl_iati_stream *st, wl_store *s, const char **piece, size_t *len,
                         wl_error *err) WL_MUST;
void wl_flows_iati_close(wl_iati_stream *st);
wl_rc wl_flows_iati(wl_store *s, const wl_flows_viewer *v, const char *member,
                    const char *generated, wl_buf *out, size_t *skipped, wl_error *err) WL_MUST;

/* The stage of an IATI transaction type "1".."13", or NULL for any other code. */
const char *wl_iati_type_stage(const char *code);

/*
 * An exact decimal as IATI writes it ("-78791", " 166819.43 ") as int64 scaled by 10^4,
 * the flows' scale: at most 14 digits before the point and 4 after (trailing zeroes
 * after the point not counted); white space around it is allowed. WL_ERR_INVALID else.
 */
wl_rc wl_iati_decimal_parse(const char *s, int64_t *out) WL_MUST;

#endif
