/* SPDX-License-Identifier: Apache-2.0 */
/*
 * History (issue 11, point 5): UCDP's Georeferenced Event Dataset read from
 * its CSV into events (its two date formats, both month first; text that is
 * not UTF-8 read as Windows-1252 and transcoded, the event marked so), those
 * events packed into history.batch bodies, and an event's rules, which the
 * kind (history_kind.c) checks again. Views are in history_views.c. docs/internals/monitor.md,
 * "History"; docs/FORMAT.md, "history.batch".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"
#include "willing/history.h"
#include "willing/limits.h"

/* ---- text: UTF-8, or Windows-1252 transcoded ---- */

/* Windows-1252's 0x80-0x9F (0: a byte it leaves undefined); 0xA0-0xFF are Latin-1's. */
static const uint16_t cp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/*
 * Copies field s into out (cap bytes, NUL included) as UTF-8: as it is when it
 * is UTF-8, else read as Windows-1252 (*transcoded set). 0 when it does not
 * fit, holds a byte Windows-1252 leaves undefined, or a control character
 * other than a line break or a tab.
 */
static int take_text(const char *s, char *out, size_t cap, bool *transcoded)
{
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            return 0;
    if (wl_utf8_bad(s, n) == 0) {
        if (n >= cap)
            return 0;
        memcpy(out, s, n + 1);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xa0 && (c = cp1252[c - 0x80]) == 0)
            return 0;
        if (o + 4 >= cap)
            return 0;
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
        } else {
            out[o++] = (char)(0xe0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    out[o] = '\0';
    *transcoded = true;
    return 1;
}

/* A UTF-8 text of the body: at most max bytes, no control character but \n \r \t. */
static int valid_text(const char *s, size_t max, bool empty_ok)
{
    size_t n = strlen(s);
    if ((n == 0 && !empty_ok) || n > max || wl_utf8_bad(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            return 0;
    return 1;
}

/* ---- numbers and days ---- */

/* Digits only, at most 18 of them: the value in *v. */
static int whole(const char *s, uint64_t *v)
{
    size_t n = strlen(s);
    *v = 0;
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        *v = *v * 10 + (uint64_t)(s[i] - '0');
    return 1;
}

/* A decimal degree as written (-?D+(.D+)?) within [-lim, lim]. */
static int degree(const char *s, double lim)
{
    const char *p = s + (*s == '-');
    size_t ints = strspn(p, "0123456789"), decs = 0;
    if (ints == 0 || ints > 3 || strlen(s) > WL_HISTORY_COORD_BYTES)
        return 0;
    if (p[ints] == '.' && (decs = strspn(p + ints + 1, "0123456789")) == 0)
        return 0;
    if (p[ints + (decs ? decs + 1 : 0)] != '\0')
        return 0;
    double v = strtod(s, NULL);
    return v >= -lim && v <= lim;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int real_day(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] + (m == 2 && leap(y));
}

/* YYYY-MM-DD, a day of the calendar. */
static int iso_day(const char *s)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        strspn(s, "0123456789-") != 10)
        return 0;
    return real_day(y, m, d);
}

/*
 * One of UCDP's dates into out (YYYY-MM-DD): "1/22/2014 12:00:00 AM" or
 * "05/02/2014 00:00" (both month first: the day-first reading of the second
 * would end 135 of the staged file's events before they start), or
 * "2014-05-02". The time of day, always midnight in the file, must be one.
 */
static int ucdp_day(const char *s, char out[11])
{
    int a, b, y, hh, mm, ss, n = 0;
    char ampm[3] = "";
    if (strlen(s) == 10 && iso_day(s)) {
        memcpy(out, s, 11);
        return 1;
    }
    if (strspn(s, "0123456789/: APM") != strlen(s))
        return 0;
    if (sscanf(s, "%2d/%2d/%4d %2d:%2d:%2d %2[AP]M%n", &a, &b, &y, &hh, &mm, &ss, ampm, &n) == 7 &&
        (size_t)n == strlen(s)) {
        if (hh < 1 || hh > 12 || mm > 59 || ss > 59)
            return 0;
    } else if (sscanf(s, "%2d/%2d/%4d %2d:%2d%n", &a, &b, &y, &hh, &mm, &n) == 5 &&
               (size_t)n == strlen(s)) {
        if (hh > 23 || mm > 59)
            return 0;
    } else {
        return 0;
    }
    if (!real_day(y, a, b))
        return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, a, b);
    return 1;
}

/* ---- an event's rules, shared by the reader and the kind ---- */

const char *wl_history_event_why(const wl_history_event *e)
{
    if (e->id == 0)
        return "id: UCDP's id, a whole number from 1";
    if (e->year < 1989 || e->year > 2200)
        return "year: a year from 1989";
    if (e->type < 1 || e->type > 3)
        return "type_of_violence: 1 (state-based), 2 (non-state) or 3 (one-sided)";
    if (e->where_prec < 1 || e->where_prec > 7)
        return "where_prec: 1 to 7";
    if (e->date_prec < 1 || e->date_prec > 5)
        return "date_prec: 1 to 5";
    if (!iso_day(e->date_start) || !iso_day(e->date_end))
        return "date_start, date_end: days";
    if (strcmp(e->date_end, e->date_start) < 0)
        return "date_end: before date_start";
    if (atoi(e->date_start) != e->year)
        return "year: not the year of date_start";
    if (!degree(e->latitude, 90) || !degree(e->longitude, 180))
        return "latitude, longitude: decimal degrees within range";
    if (!valid_text(e->conflict_name, WL_HISTORY_NAME_BYTES, false) ||
        !valid_text(e->dyad_name, WL_HISTORY_NAME_BYTES, false) ||
        !valid_text(e->side_a, WL_HISTORY_NAME_BYTES, false) ||
        !valid_text(e->side_b, WL_HISTORY_NAME_BYTES, false))
        return "conflict_name, dyad_name, side_a, side_b: 1-200 bytes of text";
    if (!valid_text(e->adm_1, WL_HISTORY_NAME_BYTES, true) ||
        !valid_text(e->adm_2, WL_HISTORY_NAME_BYTES, true) ||
        !valid_text(e->where_description, WL_HISTORY_PLACE_BYTES, true))
        return "adm_1, adm_2, where_description: text";
    return NULL;
}

/* ---- the CSV ---- */

void wl_history_import_free(wl_history_import *im)
{
    if (im == NULL)
        return;
    wl_free(im->ev);
    wl_free(im->bad);
    memset(im, 0, sizeof *im);
}

enum {
    C_ID,
    C_YEAR,
    C_TYPE,
    C_CONFLICT,
    C_DYAD,
    C_SIDE_A,
    C_SIDE_B,
    C_WHERE_PREC,
    C_WHERE,
    C_ADM_1,
    C_ADM_2,
    C_LAT,
    C_LON,
    C_DATE_PREC,
    C_START,
    C_END,
    C_DA,
    C_DB,
    C_DCIV,
    C_DUNK,
    C_BEST,
    C_HIGH,
    C_LOW,
    C_COLS
};
static const char *const cols[C_COLS] = {"id",
                                         "year",
                                         "type_of_violence",
                                         "conflict_name",
                                         "dyad_name",
                                         "side_a",
                                         "side_b",
                                         "where_prec",
                                         "where_description",
                                         "adm_1",
                                         "adm_2",
                                         "latitude",
                                         "longitude",
                                         "date_prec",
                                         "date_start",
                                         "date_end",
                                         "deaths_a",
                                         "deaths_b",
                                         "deaths_civilians",
                                         "deaths_unknown",
                                         "best",
                                         "high",
                                         "low"};

typedef struct {
    wl_history_import *im;
    size_t col[C_COLS];
    int header;
} read_ctx;

static wl_rc header(read_ctx *k, const wl_csv_record *r, wl_error *err)
{
    for (int c = 0; c < C_COLS; c++) {
        k->col[c] = SIZE_MAX;
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(r->field[i], cols[c]) == 0)
                k->col[c] = i;
        if (k->col[c] == SIZE_MAX)
            return wl_error_set(err, WL_ERR_INVALID, "bad_columns",
                                "no column '%s': UCDP's GED CSV has id, year, type_of_violence, "
                                "where_prec, latitude, longitude, date_prec, date_start, "
                                "date_end, the deaths and best, high and low",
                                cols[c]);
    }
    k->header = 1;
    return WL_OK;
}

/* One row into *e, naming its column; NULL when good. */
static const char *row_why(const wl_csv_record *r, const size_t *col, wl_history_event *e,
                           const char **what)
{
    struct {
        int c;
        char *out;
        size_t cap;
    } texts[] = {{C_CONFLICT, e->conflict_name, sizeof e->conflict_name},
                 {C_DYAD, e->dyad_name, sizeof e->dyad_name},
                 {C_SIDE_A, e->side_a, sizeof e->side_a},
                 {C_SIDE_B, e->side_b, sizeof e->side_b},
                 {C_WHERE, e->where_description, sizeof e->where_description},
                 {C_ADM_1, e->adm_1, sizeof e->adm_1},
                 {C_ADM_2, e->adm_2, sizeof e->adm_2},
                 {C_LAT, e->latitude, sizeof e->latitude},
                 {C_LON, e->longitude, sizeof e->longitude}};
    struct {
        int c;
        uint64_t *v;
    } nums[] = {{C_DA, &e->deaths_a},
                {C_DB, &e->deaths_b},
                {C_DCIV, &e->deaths_civilians},
                {C_DUNK, &e->deaths_unknown},
                {C_BEST, &e->best},
                {C_HIGH, &e->high},
                {C_LOW, &e->low}};
    int *ints[] = {&e->year, &e->type, &e->where_prec, &e->date_prec};
    const int intcols[] = {C_YEAR, C_TYPE, C_WHERE_PREC, C_DATE_PREC};
    uint64_t v;
    for (int c = 0; c < C_COLS; c++)
        if (col[c] >= r->n)
            return "fewer columns than the header";
    *what = r->field[col[C_ID]];
    if (!whole(*what, &e->id) || e->id == 0)
        return "id: UCDP's id, a whole number from 1";
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        *what = NULL; /* the value may not be UTF-8: not quoted back */
        if (!take_text(r->field[col[texts[i].c]], texts[i].out, texts[i].cap, &e->transcoded))
            return texts[i].c == C_WHERE ? "where_description: too long, or a byte that is "
                                           "neither UTF-8 nor Windows-1252"
                                         : "a name: too long, or a byte that is neither UTF-8 "
                                           "nor Windows-1252";
    }
    for (size_t i = 0; i < 4; i++) {
        *what = r->field[col[intcols[i]]];
        if (!whole(*what, &v) || v > 9999)
            return intcols[i] == C_YEAR   ? "year: a whole number"
                   : intcols[i] == C_TYPE ? "type_of_violence: 1, 2 or 3"
                                          : "where_prec, date_prec: a whole number";
        *ints[i] = (int)v;
    }
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        *what = r->field[col[nums[i].c]];
        if (!whole(*what, nums[i].v) || *nums[i].v > WL_HISTORY_DEATHS_MAX)
            return "deaths_a, deaths_b, deaths_civilians, deaths_unknown, best, high, low: "
                   "whole numbers up to 10000000";
    }
    *what = r->field[col[C_START]];
    if (!ucdp_day(*what, e->date_start))
        return "date_start: not a day (M/D/YYYY h:mm:ss AM, MM/DD/YYYY HH:MM or YYYY-MM-DD)";
    *what = r->field[col[C_END]];
    if (!ucdp_day(*what, e->date_end))
        return "date_end: not a day (M/D/YYYY h:mm:ss AM, MM/DD/YYYY HH:MM or YYYY-MM-DD)";
    *what = NULL;
    return wl_history_event_why(e);
}

static wl_rc grow(void **p, size_t *cap, size_t n, size_t size)
{
    void *q;
    size_t c;
    if (n < *cap)
        return WL_OK;
    c = *cap ? *cap * 2 : 256;
    if ((q = wl_realloc(*p, c * size)) == NULL)
        return WL_ERR_NOMEM;
    *p = q;
    *cap = c;
    return WL_OK;
}

static wl_rc on_row(void *ctx, const wl_csv_record *r, wl_error *err)
{
    read_ctx *k = ctx;
    wl_history_import *im = k->im;
    wl_history_event *e;
    const char *why, *what = NULL;
    if (!k->header)
        return header(k, r, err);
    if (grow((void **)&im->ev, &im->cap, im->n, sizeof *im->ev) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    e = &im->ev[im->n];
    memset(e, 0, sizeof *e);
    e->line = r->line;
    if ((why = row_why(r, k->col, e, &what)) != NULL)
        return wl_import_bad_add(&im->bad, &im->nbad, &im->badcap, r->line, why, what, err);
    im->transcoded += e->transcoded;
    im->n++;
    return WL_OK;
}

static int by_id(const void *a, const void *b)
{
    const wl_history_event *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int by_line(const void *a, const void *b)
{
    const wl_history_event *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* UCDP's ids are unique: a second row with an id is skipped, naming the first. */
static wl_rc drop_repeated(wl_history_import *im, wl_error *err)
{
    size_t o = 0;
    char why[96];
    wl_rc rc = WL_OK;
    qsort(im->ev, im->n, sizeof *im->ev, by_id);
    for (size_t i = 0; i < im->n && rc == WL_OK; i++) {
        if (o && im->ev[o - 1].id == im->ev[i].id) {
            snprintf(why, sizeof why, "id: %llu again (line %zu has it)",
                     (unsigned long long)im->ev[i].id, im->ev[o - 1].line);
            im->transcoded -= im->ev[i].transcoded;
            rc =
                wl_import_bad_add(&im->bad, &im->nbad, &im->badcap, im->ev[i].line, why, NULL, err);
        } else {
            im->ev[o++] = im->ev[i];
        }
    }
    im->n = o;
    qsort(im->ev, im->n, sizeof *im->ev, by_line);
    return rc;
}

static int bad_by_line(const void *a, const void *b)
{
    const wl_import_bad *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

wl_rc wl_history_ucdp_read(const char *buf, size_t len, wl_history_import *out, size_t *line,
                           wl_error *err)
{
    read_ctx k;
    wl_rc rc;
    memset(out, 0, sizeof *out);
    memset(&k, 0, sizeof k);
    k.im = out;
    rc = wl_csv_read_any(buf, len, on_row, &k, line, err);
    if (rc == WL_OK && !k.header) {
        *line = 1;
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_columns", "the file is empty: no header row");
    }
    if (rc == WL_OK && (rc = drop_repeated(out, err)) == WL_OK && out->nbad)
        qsort(out->bad, out->nbad, sizeof *out->bad, bad_by_line);
    if (rc != WL_OK)
        wl_history_import_free(out);
    return rc;
}

/* ---- history.batch bodies ---- */

static json_t *event_json(const wl_history_event *e)
{
    json_t *o = json_pack(
        "{s:I, s:I, s:i, s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:I, s:I, s:I, "
        "s:I, s:I, s:I, s:I}",
        "line", (json_int_t)e->line, "id", (json_int_t)e->id, "year", e->year, "type_of_violence",
        e->type, "conflict_name", e->conflict_name, "dyad_name", e->dyad_name, "side_a", e->side_a,
        "side_b", e->side_b, "where_prec", e->where_prec, "latitude", e->latitude, "longitude",
        e->longitude, "date_prec", e->date_prec, "date_start", e->date_start, "date_end",
        e->date_end, "deaths_a", (json_int_t)e->deaths_a, "deaths_b", (json_int_t)e->deaths_b,
        "deaths_civilians", (json_int_t)e->deaths_civilians, "deaths_unknown",
        (json_int_t)e->deaths_unknown, "best", (json_int_t)e->best, "high", (json_int_t)e->high,
        "low", (json_int_t)e->low);
    int bad = o == NULL;
    /* json_object_set_new takes its value even when it fails */
    if (!bad && e->where_description[0])
        bad |= json_object_set_new(o, "where_description", json_string(e->where_description));
    if (!bad && e->adm_1[0])
        bad |= json_object_set_new(o, "adm_1", json_string(e->adm_1));
    if (!bad && e->adm_2[0])
        bad |= json_object_set_new(o, "adm_2", json_string(e->adm_2));
    if (!bad && e->transcoded)
        bad |= json_object_set_new(o, "transcoded", json_string("windows-1252"));
    if (!bad)
        return o;
    json_decref(o);
    return NULL;
}

wl_rc wl_history_batches(const wl_history_event *ev, size_t n, const char *release,
                         const char *file, json_t **out, wl_error *err)
{
    json_t *head = json_pack("{s:s, s:s, s:s}", "source", WL_UCDP_SOURCE, "release", release,
                             "file", file),
           *items = json_array();
    wl_rc rc = WL_OK;
    *out = NULL;
    for (size_t i = 0; head && items && i < n && rc == WL_OK; i++)
        if (json_array_append_new(items, event_json(&ev[i])) != 0)
            rc = WL_ERR_NOMEM;
    if (head == NULL || items == NULL || rc != WL_OK)
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    else
        rc = wl_import_parts(head, "events", items, WL_HISTORY_BATCH_ROWS, WL_HISTORY_PARTS_MAX,
                             out, err);
    json_decref(head);
    json_decref(items);
    return rc;
}
