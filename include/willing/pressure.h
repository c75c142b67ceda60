/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module's bodies (issue 12): pressure.designation (a subject a
 * list designates: its type, names and aliases with script and quality,
 * identifiers, dates and places of birth with precision, programmes, dates
 * listed, amended and delisted, the source list and the SHA-256 of its file)
 * and pressure.snapshot (an import's file hash, date and counts). The checks
 * of their bodies, pure (designation.c); the kinds and the module
 * (kinds.c); the views over the stored designations (views.c).
 * docs/internals/pressure.md, "Designations" and "The kinds".
 */
#ifndef WILLING_PRESSURE_H
#define WILLING_PRESSURE_H

#include <jansson.h>

#include "willing/module.h"
#include "willing/names.h"
#include "willing/wl.h"

extern const wl_module wl_pressure_module;

/* WL_OK, or WL_ERR_INVALID / WL_ERR_TOO_LARGE with err naming the field (invalid_body, or
 * name_too_long / name_invalid for a name). */
wl_rc wl_pressure_designation_check(const json_t *body, wl_error *err) WL_MUST;
/* The same, and no date (listed, amended, delisted) later than the latest date anywhere on
 * Earth (UTC+14) at time, the entry's own, plus WL_ENTRY_SKEW_S. */
wl_rc wl_pressure_designation_check_at(const json_t *body, int64_t time, wl_error *err) WL_MUST;
wl_rc wl_pressure_snapshot_check(const json_t *body, wl_error *err) WL_MUST;

/*
 * An import of a list's file as the differences from what the log holds
 * (import.c; docs/internals/pressure.md, "Importing a list"). incoming: the
 * designation bodies a reader gave for the file (each of `list`, a subject
 * once); stored: the list's stored bodies (GET /api/v1/pressure/subjects).
 * writes: the bodies to write, the incoming in their order (added: a subject
 * new or listed again; amended: a body that changed, other than its file and
 * dates, listed kept from the stored one and amended the list's own date or
 * else `date`), then the stored ones the file lacks, delisted on `date`;
 * every one with source.file `file` (an added body already of that file is the
 * incoming one itself, shared). snapshot: the pressure.snapshot body, its
 * "base" the entry of the list's latest snapshot the stored bodies were read
 * at (base, from the same read as their first page), null when base < 0 (the
 * list has none): the server refuses it, stale_base, once that is no longer
 * the list's latest.
 * Each body passes the kind's check. The caller frees with
 * wl_pressure_plan_free (zeroed on failure; a no-op on a zeroed plan).
 */
typedef struct {
    json_t *writes, *snapshot;
    size_t subjects, added, amended, delisted;
} wl_pressure_plan;
wl_rc wl_pressure_diff(const char *list, const char *file, const char *date, int64_t base,
                       const json_t *incoming, const json_t *stored, wl_pressure_plan *out,
                       wl_error *err) WL_MUST;
void wl_pressure_plan_free(wl_pressure_plan *p);

typedef struct wl_store wl_store;

/*
 * pressure.decision (decision.c): the body's check (invalid_body: a side not
 * {list, subject}, a == b, no boolean 'same', no reason of 1-2000 bytes) and
 * its apply (404 unknown_designation when either designation is not stored;
 * else the pair stored in canonical order, replacing an earlier decision).
 */
wl_rc wl_pressure_decision_check(const json_t *body, wl_error *err) WL_MUST;
wl_rc wl_pressure_decision_apply(wl_store *s, const wl_pending *p, uint64_t index,
                                 wl_error *err) WL_MUST;

/*
 * The stored designations by (source, subject), of one source (NULL: all),
 * after the cursor `after` (NULL: from the first; else a page's "next",
 * SOURCE:SUBJECT), at most limit: {"data_version" (the log's size in the
 * caller's read), "subjects": [...], "next"} ("next" only when more follow),
 * and with a source its latest "snapshot" ({"entry", "file", "date"}, null
 * when none) read with the page (an import's base). bad_query for a cursor
 * of another shape.
 */
wl_rc wl_pressure_subjects(wl_store *s, const char *source, const char *after, uint64_t limit,
                           json_t **out, wl_error *err) WL_MUST;

/*
 * The import snapshots (snapshots.c), every pressure.snapshot of list (NULL:
 * of every list) by (list, entry): with json, {"data_version": version, "list"
 * (when given), "snapshots": [{"list", "date", "file", "counts": {"subjects",
 * "added", "amended", "delisted"}, "entry", "base" (the snapshot it was
 * compared against, null for the list's first), "author"}]} (the caller decrefs);
 * else appended to csv as a header row and a row each (the caller frees;
 * too_large over WL_PRESSURE_CSV_MAX). version: the log's size of the read.
 */
wl_rc wl_pressure_snapshots(wl_store *s, const char *list, uint64_t version, json_t **json,
                            wl_buf *csv, wl_error *err) WL_MUST;

/* The listed (not delisted) designations in a names index, of data version `version`. */
typedef struct wl_pressure_index wl_pressure_index;
wl_rc wl_pressure_index_build(wl_store *s, wl_names *n, uint64_t version, wl_pressure_index **out,
                              wl_error *err) WL_MUST;
void wl_pressure_index_free(wl_pressure_index *pi);
uint64_t wl_pressure_index_version(const wl_pressure_index *pi);
/*
 * Screens q against pi: {"data_version", "subjects_screened", "candidates": [{source,
 * subject, type, entry, score, name_score, name, key, schemes, match, alias, weak, dob,
 * country, why, identifier?}]}; errors as wl_names_screen's.
 */
wl_rc wl_pressure_screen(wl_names *n, const wl_pressure_index *pi, const wl_names_query *q,
                         json_t **out, wl_error *err) WL_MUST;
/* The number of subjects in pi; the candidates of a screening as JSON (an array, NULL when out of
 * memory), each as wl_pressure_screen gives it: "score" and "name_score" to the hundredth, to be
 * written with WL_SCREEN_JSON_FLAGS so that 0.72 prints as 0.72. */
size_t wl_pressure_index_subjects(const wl_pressure_index *pi);
const wl_names_index *wl_pressure_index_names(const wl_pressure_index *pi);
json_t *wl_pressure_candidates_json(const wl_pressure_index *pi, const wl_names_candidate *c,
                                    size_t count);
#define WL_SCREEN_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))
/* How a candidate's name agreed ("none", "partial", "loose", "exact"); how its date of birth
 * (country 0: "unknown", "disagree", "year", "month", "day") or its country (country 1:
 * "unknown", "disagree", "same") compared. */
const char *wl_pressure_match_text(wl_name_match m);
const char *wl_pressure_agree_text(wl_name_agree a, int country);
/* The designation behind candidate subject id of pi: its list, subject, type and entry. */
void wl_pressure_index_ref(const wl_pressure_index *pi, uint64_t id, const char **source,
                           const char **subject, const char **type, uint64_t *entry);

/*
 * A screening's query as an analyst writes it (lib/pressure/screen.c,
 * docs/internals/pressure.md "Screening"). wl_pressure_dob_parse: "YYYY",
 * "YYYY-MM" or "YYYY-MM-DD" into d, WL_ERR_INVALID otherwise.
 * wl_pressure_id_parse: an identifier "VALUE" or "TYPE:VALUE" (the first colon
 * splits; the type 1-64 bytes, the value 1-128) into id, written in place in
 * text (its colon made NUL); WL_ERR_INVALID, err naming it, otherwise. Only the
 * value is compared (letters and digits, case ignored); the type is shown.
 */
wl_rc wl_pressure_dob_parse(const char *text, wl_name_date *d) WL_MUST;
wl_rc wl_pressure_id_parse(char *text, wl_name_id *id, wl_error *err) WL_MUST;

/*
 * Screens every row of a CSV of names (UTF-8, RFC 4180, a header row naming
 * its columns: name, and optional dob, country, ref and any number of id) against pi,
 * at most limit candidates each, the answer's text appended to out (empty on entry;
 * the caller frees it with wl_buf_free; freed on failure). as_csv 0: JSON
 * {"data_version", "subjects_screened", "name_keys", "results": [{"line", "ref"?,
 * "name", "candidates"} or {"line", "ref"?, "name", "error", "message"}], "rows",
 * "refused"}; as_csv 1: the same as CSV (one line per candidate, one for a row with
 * none or refused). Each row is written out as it is screened, so the memory held is
 * the answer's text and one row's; the text is at most WL_SCREEN_OUT_MAX bytes, and the
 * row that would pass it refuses the call (answer_too_large, WL_ERR_TOO_LARGE). A row's
 * own fault refuses that row alone; the file's (not CSV, a quote out of place, no name
 * column, a column of another name, more than WL_SCREEN_ROWS_MAX rows) refuses the
 * call: WL_ERR_INVALID or WL_ERR_TOO_LARGE, *line the line (0 when none), err naming it.
 */
wl_rc wl_pressure_screen_csv(wl_names *n, const wl_pressure_index *pi, const char *text, size_t len,
                             size_t limit, int as_csv, wl_buf *out, size_t *line,
                             wl_error *err) WL_MUST;

/*
 * The counterparties of every contract in instrument's subtree (a facility's contracts,
 * however deep; the contract itself when it is one), each screened against pi, at most
 * limit candidates: {"data_version", "subjects_screened", "name_keys", "instrument",
 * "level", "contracts": [{"instrument", "index", "name", "provider", "parent",
 * "counterparty" (null: none named), "candidates"}]} (lib/pressure/counterparties.c, over
 * the flows tree as the public sees it). unknown_instrument (WL_ERR_NOT_FOUND).
 */
wl_rc wl_pressure_counterparties(wl_store *s, wl_names *n, const wl_pressure_index *pi,
                                 const char *instrument, size_t limit, json_t **out,
                                 wl_error *err) WL_MUST;

#endif
