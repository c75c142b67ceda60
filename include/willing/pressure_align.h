/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alignment (issue 12, points 3 and 4): the designations of every list not
 * delisted grouped into subjects (the analyst's decisions first, then
 * identifiers, then names by the names engine), and for each subject which lists
 * designate it and since when; per pair of member lists, "designated by X,
 * not by Y" and who followed whom after how many days. Built from a store
 * read (lib/pressure/align.c), then read-only: its views (align_views.c)
 * may be asked from many threads. docs/internals/pressure.md, "Alignment".
 */
#ifndef WILLING_PRESSURE_ALIGN_H
#define WILLING_PRESSURE_ALIGN_H

#include <jansson.h>

#include "willing/names.h"
#include "willing/wl.h"

typedef struct wl_store wl_store;
typedef struct wl_pressure_align wl_pressure_align;

/* The alignment of the store as read now (inside the caller's read), of data version `version`
 * (the log's size). n: a names context of the caller's thread. Free with wl_pressure_align_free
 * (NULL a no-op). */
wl_rc wl_pressure_align_build(wl_store *s, wl_names *n, uint64_t version, wl_pressure_align **out,
                              wl_error *err) WL_MUST;
void wl_pressure_align_free(wl_pressure_align *a);
uint64_t wl_pressure_align_version(const wl_pressure_align *a);

/* The matrix: {"data_version", "rule", "subjects", "members": [...], "references": [...],
 * "pairs": [...]} (docs/FORMAT.md, "Pressure"). */
wl_rc wl_pressure_align_json(const wl_pressure_align *a, json_t **out, wl_error *err) WL_MUST;
/* The pairs as CSV, appended to out. */
wl_rc wl_pressure_align_csv(const wl_pressure_align *a, wl_buf *out, wl_error *err) WL_MUST;

/*
 * The subjects designated by list `by` (NULL: any) and not by list `not_by`
 * (NULL: no condition), after the cursor `after` (a page's "next", LIST:SUBJECT;
 * NULL from the first), at most limit: as JSON into *json, or, when csv is
 * not NULL, as CSV appended to it (every one; after and limit ignored).
 * WL_ERR_INVALID bad_query for a list that designates nothing, by == not_by,
 * or a cursor of another shape.
 */
wl_rc wl_pressure_align_subjects(const wl_pressure_align *a, const char *by, const char *not_by,
                                 const char *after, size_t limit, json_t **json, wl_buf *csv,
                                 wl_error *err) WL_MUST;

#endif
