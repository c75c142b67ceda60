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
wl_rc wl_pressure_snapshot_check(const json_t *body, wl_error *err) WL_MUST;

typedef struct wl_store wl_store;

/*
 * The stored designations by (source, subject), of one source (NULL: all),
 * after the cursor `after` (NULL: from the first; else a page's "next",
 * SOURCE:SUBJECT), at most limit: {"subjects": [...], "next"} ("next" only
 * when more follow). bad_query for a cursor of another shape.
 */
wl_rc wl_pressure_subjects(wl_store *s, const char *source, const char *after, uint64_t limit,
                           json_t **out, wl_error *err) WL_MUST;

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

#endif
