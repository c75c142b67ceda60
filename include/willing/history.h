/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History (issue 11, point 5): the Uppsala Conflict Data Program's
 * Georeferenced Event Dataset (UCDP GED, CC BY 4.0) for Ukraine, imported as
 * historical events, attributed to UCDP and kept apart from monitors'
 * reports: coordinator entries of kind `history.batch` (source, release, the
 * file's SHA-256, the events with UCDP's own values: id, dates with their
 * date_prec, where_prec, coordinates as written, deaths best, high and low),
 * stored in their own table. The reader takes the file as UCDP publishes it:
 * quoted text with commas, quotes and line breaks, two date formats (both
 * month first), and text that is not UTF-8 in places (read as Windows-1252
 * and transcoded, the event marked so). The module `history` (lib/modules.c).
 * docs/internals/monitor.md ("History"), docs/FORMAT.md (history.batch).
 */
#ifndef WILLING_HISTORY_H
#define WILLING_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "willing/module.h"
#include "willing/reference.h"
#include "willing/wl.h"

typedef struct json_t json_t;

#define WL_UCDP_SOURCE "ucdp-ged"
#define WL_UCDP_RELEASE "24.1" /* GED 24.1 covers 1989-2023, as the staged file does */

/* One event as UCDP gives it (every text UTF-8, NUL-terminated). */
typedef struct {
    size_t line; /* the line of the file its record starts on */
    uint64_t id; /* UCDP's own id */
    int year, type, where_prec, date_prec;
    char date_start[11], date_end[11]; /* YYYY-MM-DD */
    char latitude[WL_HISTORY_COORD_BYTES + 1], longitude[WL_HISTORY_COORD_BYTES + 1];
    uint64_t deaths_a, deaths_b, deaths_civilians, deaths_unknown, best, high, low;
    char conflict_name[WL_HISTORY_NAME_BYTES + 1], dyad_name[WL_HISTORY_NAME_BYTES + 1];
    char side_a[WL_HISTORY_NAME_BYTES + 1], side_b[WL_HISTORY_NAME_BYTES + 1];
    char adm_1[WL_HISTORY_NAME_BYTES + 1], adm_2[WL_HISTORY_NAME_BYTES + 1]; /* "": none */
    char where_description[WL_HISTORY_PLACE_BYTES + 1];                      /* "": none */
    bool transcoded; /* a text of it was Windows-1252 in the file, now UTF-8 */
} wl_history_event;

/* What an import read: good events and skipped rows. Release with wl_history_import_free. */
typedef struct {
    wl_history_event *ev;
    size_t n, cap;
    wl_import_bad *bad;
    size_t nbad, badcap;
    size_t transcoded; /* events whose text was transcoded from Windows-1252 */
} wl_history_import;
void wl_history_import_free(wl_history_import *im);

/*
 * Reads UCDP GED's CSV (the columns id, year, type_of_violence, conflict_name,
 * dyad_name, side_a, side_b, where_prec, where_description, adm_1, adm_2,
 * latitude, longitude, date_prec, date_start, date_end, deaths_a, deaths_b,
 * deaths_civilians, deaths_unknown, best, high and low by name, in any order;
 * others ignored) into *out (zeroed first): every row checked, good ones in
 * out->ev, each skipped one in out->bad with its line and why. A file that
 * cannot be read as a whole is an error with *line its line: a column
 * missing (WL_ERR_INVALID "bad_columns", naming it), no header, a quote out
 * of place, UTF-16, a NUL, too large.
 */
wl_rc wl_history_ucdp_read(const char *buf, size_t len, wl_history_import *out, size_t *line,
                           wl_error *err) WL_MUST;

/*
 * The history.batch bodies of events: *out a new array of objects, each at
 * most WL_IMPORT_BODY_MAX bytes as compact JSON and WL_HISTORY_BATCH_ROWS
 * events, part 1..parts (the caller decrefs). file: the file's SHA-256 in
 * hex. More than WL_HISTORY_PARTS_MAX parts: WL_ERR_TOO_LARGE.
 */
wl_rc wl_history_batches(const wl_history_event *ev, size_t n, const char *release,
                         const char *file, json_t **out, wl_error *err) WL_MUST;

/*
 * UCDP's rules for an event (the reader's and the kind's): NULL when e holds
 * to them, else why (a static text naming the field).
 */
const char *wl_history_event_why(const wl_history_event *e);

/* The kind's rules (lib/monitor/history_kind.c): its body alone, then its events stored. */
wl_rc wl_history_batch_validate(const wl_entry *e, wl_error *err);
wl_rc wl_history_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err);
/* The module `history`: the kind history.batch (the coordinator only). */
extern const wl_module wl_history_module;

/* ---- views (lib/monitor/history_views.c) ---- */

/*
 * UCDP's yearly counts of a release (NULL: the latest imported): *out
 * {"source", "attribution", "third_party": true, "historical": true,
 * "release", "file", "entries", "parts", "complete", "types", "years":
 * [{"year", "events", "best", "high", "low", "by_type": [{"type_of_violence",
 * "events", "best", "high", "low"}]}], "total": {...}} (the caller decrefs).
 * WL_ERR_NOT_FOUND when nothing is imported.
 */
wl_rc wl_history_years(wl_store *s, const char *release, json_t **out, wl_error *err) WL_MUST;
/* The same counts computed from events in memory (willing history import-ucdp --dry-run). */
wl_rc wl_history_years_of(const wl_history_event *ev, size_t n, const char *release, json_t **out,
                          wl_error *err) WL_MUST;
/* The counts as CSV (year,type_of_violence,type,events,best,high,low) into b, at most max. */
wl_rc wl_history_years_csv(const json_t *years, wl_buf *b, size_t max) WL_MUST;

/* Which events a page holds: days overlapping [from, to], inside a box, of one type. */
typedef struct {
    const char *release;   /* NULL: the latest */
    const char *from, *to; /* YYYY-MM-DD; NULL: open */
    bool box;              /* west, south, east, north apply */
    double west, south, east, north;
    int type; /* 0: all */
    uint64_t offset, limit;
} wl_history_query;
/*
 * A page of events: *out {"source", "attribution", "third_party",
 * "historical", "release", "events": [{"index", ...the event as its entry
 * holds it}], "more": bool}, by date_start then id.
 */
wl_rc wl_history_events(wl_store *s, const wl_history_query *q, json_t **out,
                        wl_error *err) WL_MUST;
/* A page of events as CSV (id,date_start,...,low) into b, at most max bytes. */
wl_rc wl_history_events_csv(const json_t *page, wl_buf *b, size_t max) WL_MUST;

#endif
