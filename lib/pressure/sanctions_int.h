/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the readers of the official lists' XML share (private to lib/pressure):
 * the streaming reader (sanctions_xml.c) that hands each record's element to its
 * format's function, the helpers over libxml2's nodes, and a designation body
 * built field by field, then checked and kept or refused. The formats:
 * sanctions_un.c, sanctions_eu.c, sanctions_uk.c. docs/internals/pressure.md,
 * "The official lists' XML".
 */
#ifndef WL_PRESSURE_SANCTIONS_INT_H
#define WL_PRESSURE_SANCTIONS_INT_H

#include <libxml/tree.h>

#include "willing/sanctions.h"

/* A body under construction: the strings it took from the file are owned by it until
   sx_finish. */
typedef struct {
    json_t *b, *names, *ids, *dob, *pob, *countries, *programmes;
    char **strs;
    size_t n_strs, cap_strs;
    int nomem;
    int has_primary;
    char why[200]; /* the first refusal found while building ("" none) */
} sx_body;

typedef struct sx_format sx_format;
struct sx_format {
    const char *what;           /* "the UN list" */
    const char *root;           /* the root element's local name */
    const char *date_attr;      /* the root's attribute of the file's date, or NULL */
    const char *const *records; /* elements handed whole to record(), NULL-terminated */
    /* one record: the element n of line `line`; WL_OK (kept or refused through sx_finish /
       sx_refuse), another rc only to stop the whole read (out of memory) */
    wl_rc (*record)(wl_sanctions_list *l, const xmlNode *n, long line, wl_error *err);
};

extern const sx_format wl_sx_un, wl_sx_eu, wl_sx_uk;

/* ---- nodes ---- */
int sx_is(const xmlNode *n, const char *name); /* an element of that local name */
const xmlNode *sx_child(const xmlNode *n, const char *name);
/* A node's text or an attribute, trimmed and with runs of white space made one space,
   owned by d; "" when absent or empty (never NULL). */
const char *sx_text(sx_body *d, const xmlNode *n);
const char *sx_child_text(sx_body *d, const xmlNode *n, const char *name);
const char *sx_attr(sx_body *d, const xmlNode *n, const char *name);

/* ---- the body ---- */
void sx_begin(sx_body *d, const char *type);
/* The list's own id as subject: lower-cased; a refusal when it has other characters. */
void sx_subject(sx_body *d, const char *id);
/* A name: the primary (alias NULL; a second primary is an alias "aka") or an alias ("aka",
   "fka"), quality "strong", "weak" or NULL; an empty name is skipped, a name given before is
   kept once (the first). */
void sx_name(sx_body *d, const char *name, const char *alias, const char *quality);
/* The non-empty vals[0..k) joined by sep into buf (cap bytes); a refusal and "" when they
   do not fit. */
void sx_join(sx_body *d, const char *const *vals, size_t k, const char *sep, char *buf, size_t cap);
/* The names of a list separated by sep ("A; B"), each given to sx_name. */
void sx_name_each(sx_body *d, const char *names, char sep, const char *alias, const char *quality);
void sx_id(sx_body *d, const char *type, const char *value, const char *country);
/* A date of birth: year only (month 0), to the month (day 0) or the day; kept once. */
void sx_dob(sx_body *d, int year, int month, int day, int circa);
void sx_dob_ymd(sx_body *d, const char *ymd, int circa); /* "YYYY-MM-DD" (sx_ymd's) */
void sx_add(sx_body *d, json_t *arr, const char *text);  /* pob, countries, programmes; once */
void sx_add_each(sx_body *d, json_t *arr, const char *text, char sep); /* "A|B": A, B */
void sx_date(sx_body *d, const char *field, const char *ymd); /* listed, amended; "" skipped */
/* The body's first refusal (printf-like); later ones are dropped. */
void sx_refuse(sx_body *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees what d holds, the body unused. */
void sx_drop(sx_body *d);
/*
 * Ends the record called `record` (line): the body completed (source, listed from the
 * file's date when the record has none), checked, and appended to l->bodies, or the
 * record refused with its why. Frees d's strings. WL_ERR_NOMEM only.
 */
wl_rc sx_finish(wl_sanctions_list *l, sx_body *d, const char *record, long line, wl_error *err);

/* "2026-02-27..." or "14/08/2026" to YYYY-MM-DD in out (11 bytes): 0, else -1. */
int sx_ymd(const char *s, char out[11]);
/* A whole number of 1-4 digits, else -1. */
int sx_int(const char *s);

#endif
