/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Third-party reference data and CSV imports (issue 9, points 8 and 9),
 * part of the flows module. Reference data is what a public tracker says
 * members gave (the Kiel Institute's Ukraine Support Tracker, release 28):
 * coordinator or operator entries of kind `reference.batch`, attributed to
 * the tracker (source, release, SHA-256 of the file), stored in their own
 * table and never counted as a member's own report. The CSV reader under both
 * importers checks the file is UTF-8 and gives each record with the line it
 * starts on, so a refusal names FILE:LINE. The generic importer maps columns
 * of any CSV to a member's flow rows. Amounts of reference data keep every
 * digit the source gives (up to 18 decimals), summed exactly in 128-bit
 * integers; nothing is binary floating point.
 * docs/internals/flows.md ("Reference data"), docs/FORMAT.md (reference.batch).
 */
#ifndef WILLING_REFERENCE_H
#define WILLING_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* ---- the CSV reader (lib/flows/csvimport.c) ---- */

/* One record of a CSV file: its fields (NUL-terminated) and the line it starts on (1-based). */
typedef struct {
    size_t line;
    size_t n;
    const char *const *field;
} wl_csv_record;
/* Called per record, header included, in order; anything but WL_OK stops the read. */
typedef wl_rc (*wl_csv_record_fn)(void *ctx, const wl_csv_record *r, wl_error *err);
/*
 * Reads the CSV (RFC 4180: quoted fields, CRLF or LF) in buf. The whole file
 * must be UTF-8: a UTF-16 or UTF-32 byte order mark, a byte that is not UTF-8
 * or a NUL is refused (WL_ERR_INVALID, code "not_utf8", *line the first bad
 * line); a UTF-8 byte order mark is skipped. Above WL_IMPORT_FILE_MAX bytes,
 * a record above WL_IMPORT_RECORD_MAX bytes or WL_IMPORT_FIELDS_MAX fields:
 * WL_ERR_TOO_LARGE. A quote out of place: WL_ERR_INVALID ("bad_csv"). *line
 * is the line of the problem (0 when none). fn's refusal is returned as is.
 */
wl_rc wl_csv_read(const char *buf, size_t len, wl_csv_record_fn fn, void *ctx, size_t *line,
                  wl_error *err) WL_MUST;
/*
 * The same for a file whose text is not all UTF-8 (UCDP's): only a UTF-16 or
 * UTF-32 byte order mark and a NUL byte are refused; each field comes as the
 * file's bytes, for the caller to check (wl_utf8_bad).
 */
wl_rc wl_csv_read_any(const char *buf, size_t len, wl_csv_record_fn fn, void *ctx, size_t *line,
                      wl_error *err) WL_MUST;
/* 0 when the n bytes at p are UTF-8 without NUL, else the 1-based offset of the first bad byte. */
size_t wl_utf8_bad(const void *p, size_t n);

/*
 * Packs items (an array of objects, each one row) into entry bodies: each a
 * copy of head's fields, then "part" (1..parts), "parts" and key: [rows],
 * at most max_rows rows and WL_IMPORT_BODY_MAX bytes as compact JSON. *out a
 * new array of bodies (the caller decrefs). A row that alone passes the
 * ceiling, or more than WL_BATCH_MAX bodies: WL_ERR_TOO_LARGE naming it.
 */
wl_rc wl_import_pack(const json_t *head, const char *key, const json_t *items, size_t max_rows,
                     json_t **out, wl_error *err) WL_MUST;

/* wl_import_pack, then more than max_parts bodies is WL_ERR_TOO_LARGE (*out NULL). */
wl_rc wl_import_parts(const json_t *head, const char *key, const json_t *items, size_t max_rows,
                      unsigned max_parts, json_t **out, wl_error *err) WL_MUST;
/*
 * The parts of an import entry's body both import kinds share: "file" the
 * SHA-256 of the source file (64 lower-case hex digits), "part" and "parts"
 * (1 <= part <= parts <= max_parts) and key an array of 1 to max_rows
 * items. WL_ERR_INVALID "invalid_body" naming the field after kind.
 */
wl_rc wl_import_body_check(const json_t *b, const char *kind, const char *key, unsigned max_rows,
                           unsigned max_parts, wl_error *err) WL_MUST;

/* A row an import refused: its line and why. */
typedef struct {
    size_t line;
    char why[256];
} wl_import_bad;
/*
 * Adds a bad row to the list *bad (n rows, room for cap; grown here): why,
 * then the value at fault in quotes when what is not NULL (its first 60
 * bytes). WL_ERR_NOMEM (err set) when the list cannot grow.
 */
wl_rc wl_import_bad_add(wl_import_bad **bad, size_t *n, size_t *cap, size_t line, const char *why,
                        const char *what, wl_error *err) WL_MUST;

/* ---- exact decimals of reference data (lib/flows/reference.c) ---- */

__extension__ typedef __int128 wl_ref_dec; /* scaled by 10^WL_REF_DECIMALS */
#define WL_REF_DEC_TEXT 48                 /* bytes of a formatted wl_ref_dec, NUL included */
/* s as an exact decimal ("-12", "23417159.978473667"); WL_ERR_INVALID when it is not one. */
wl_rc wl_ref_dec_parse(const char *s, wl_ref_dec *out) WL_MUST;
/* *acc += v; WL_ERR_TOO_LARGE (acc unchanged) when the sum leaves the type. */
wl_rc wl_ref_dec_add(wl_ref_dec *acc, wl_ref_dec v) WL_MUST;
/* v as the shortest exact decimal text ("-12.5", "0") into out. */
void wl_ref_dec_format(wl_ref_dec v, char out[WL_REF_DEC_TEXT]);

/* ---- the Kiel tracker's bilateral activities CSV (lib/flows/reference.c) ---- */

/* One row of reference data, as a reference.batch body holds it. */
typedef struct {
    size_t line;
    char donor[WL_REF_TEXT_BYTES + 1];
    char date[11];  /* YYYY-MM-DD, or "" when the source gives none */
    char type[16];  /* military, financial, humanitarian */
    char stage[16]; /* allocation, commitment */
    char amount[WL_REF_INT_DIGITS + WL_REF_DECIMALS + 3];
    char currency[4];
} wl_ref_row;

/* What an import read: good rows and bad ones. Release with wl_ref_import_free. */
typedef struct {
    wl_ref_row *rows;
    size_t n, cap;
    wl_import_bad *bad;
    size_t nbad, badcap;
} wl_ref_import;
void wl_ref_import_free(wl_ref_import *im);

#define WL_KIEL_SOURCE "kiel-ust"
/*
 * Reads the tracker's bilateral activities CSV (columns giver, dato,
 * kategori, maal, verdi_eur by name, in any order; others ignored) into *out
 * (zeroed first): every row checked, good rows in out->rows, each bad one in
 * out->bad with its line and why. A file that cannot be read as a whole (not
 * UTF-8, a column missing, too large) is an error with *line its line.
 */
wl_rc wl_ref_kiel_read(const char *buf, size_t len, wl_ref_import *out, size_t *line,
                       wl_error *err) WL_MUST;
/*
 * The reference.batch bodies of rows: *out a new array of objects, each at
 * most WL_IMPORT_BODY_MAX bytes as compact JSON and WL_REF_BATCH_ROWS rows,
 * numbered part 1..parts (the caller decrefs). file is the file's SHA-256 in
 * hex. More than WL_REF_PARTS_MAX parts: WL_ERR_TOO_LARGE.
 */
wl_rc wl_ref_batches(const wl_ref_row *rows, size_t n, const char *source, const char *release,
                     const char *file, json_t **out, wl_error *err) WL_MUST;

/* The reference.batch kind's rules: its body alone, then its rows stored. */
wl_rc wl_reference_batch_validate(const wl_entry *e, wl_error *err);
wl_rc wl_reference_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err);
/* The module of reference data: the kind reference.batch (coordinator or operator). */
extern const wl_module wl_reference_module;

/* ---- views of reference data (lib/flows/reference_views.c) ---- */

/*
 * Totals of one source's release (NULL: the latest imported) per donor,
 * currency, type and stage, exact: *out {"source", "attribution",
 * "third_party": true, "release", "file", "entries", "parts", "complete",
 * "by": "donor", "rows": [{"donor", "currency", "military": {"allocation",
 * "commitment"}, "financial": {...}, "humanitarian": {...}}]} (the caller
 * decrefs). WL_ERR_NOT_FOUND when the source has nothing.
 */
wl_rc wl_ref_totals(wl_store *s, const char *source, const char *release, json_t **out,
                    wl_error *err) WL_MUST;
/* The same totals as CSV (donor,currency,type,allocation,commitment) into b, at most max bytes. */
wl_rc wl_ref_totals_csv(const json_t *totals, wl_buf *b, size_t max) WL_MUST;
/*
 * A page of one source's rows (release NULL: the latest; donor NULL: all),
 * from offset, at most limit: *out {"source", "attribution", "third_party",
 * "release", "rows": [{"index", "row", "line", "donor", "date", "type",
 * "stage", "amount", "currency"}], "more": bool}.
 */
wl_rc wl_ref_rows(wl_store *s, const char *source, const char *release, const char *donor,
                  uint64_t offset, uint64_t limit, json_t **out, wl_error *err) WL_MUST;

/* ---- the generic CSV importer of members' flows (lib/flows/csvimport.c) ---- */

#define WL_CSV_MAP_MAX 24 /* fields one mapping names */
/* A mapping: flow field <- column name, or a constant value for every row. */
typedef struct {
    size_t n;
    struct {
        char field[16];
        char column[WL_REF_TEXT_BYTES + 1];
        bool constant;
    } m[WL_CSV_MAP_MAX];
} wl_csv_map;
/*
 * Parses "field=Column,field='constant',..." into *m (zeroed first). Fields:
 * flow, pledge, requirement, instrument, activity, stage, date, amount,
 * currency, quantity, unit, category, source, text. A field twice, an
 * unknown one or an empty column: WL_ERR_INVALID naming it.
 */
wl_rc wl_csv_map_parse(const char *spec, wl_csv_map *m, wl_error *err) WL_MUST;

/* What a flows import read: one flow body per good row (json array), bad rows listed. */
typedef struct {
    json_t *flows; /* array of flow bodies */
    size_t *lines; /* the line of each flow */
    wl_import_bad *bad;
    size_t nbad, badcap;
} wl_flow_import;
void wl_flow_import_free(wl_flow_import *im);
/*
 * Reads buf as CSV with a header row, mapping each record to a flow body by
 * m, and checks each with the flows library's rules for a flow's body; a
 * row without a "flow" column gets the id SHA-256(file hash, line) cut to 32
 * hex digits, so the same file imported twice is refused, not counted twice.
 * Errors of the file as a whole as wl_csv_read's, and a mapped column that
 * the header lacks.
 */
wl_rc wl_csv_flows_read(const char *buf, size_t len, const wl_csv_map *m, const char *file,
                        wl_flow_import *out, size_t *line, wl_error *err) WL_MUST;

#endif
