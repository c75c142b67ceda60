/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Screening as an analyst asks for it (issue 12, point 5): a query's date of
 * birth and identifiers read from text ("1961-05", "passport:C3442198"), and
 * a CSV of names screened row by row against the index of the listed
 * designations, each row's candidates (or why the row was refused) with its
 * line, as JSON or as CSV, each row's written out as text as it is screened,
 * the whole at most WL_SCREEN_OUT_MAX bytes (counted as it grows, never
 * built and then measured). The CSV reader is the flows importers'
 * (lib/flows/csvimport.c). docs/internals/pressure.md, "Screening".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "willing/csv.h"
#include "willing/limits.h"
#include "willing/pressure.h"
#include "willing/reference.h"

wl_rc wl_pressure_dob_parse(const char *t, wl_name_date *d)
{
    size_t n = strlen(t);
    memset(d, 0, sizeof *d);
    if ((n != 4 && n != 7 && n != 10) || strspn(t, "0123456789") != 4 ||
        (n >= 7 && (t[4] != '-' || strspn(t + 5, "0123456789") != 2)) ||
        (n == 10 && (t[7] != '-' || strspn(t + 8, "0123456789") != 2)))
        return WL_ERR_INVALID;
    d->year = atoi(t);
    d->month = n >= 7 ? (unsigned)atoi(t + 5) : 0;
    d->day = n == 10 ? (unsigned)atoi(t + 8) : 0;
    if (d->year < 1 || d->month > 12 || d->day > 31 || (n >= 7 && d->month < 1) ||
        (n == 10 && d->day < 1)) {
        memset(d, 0, sizeof *d);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

wl_rc wl_pressure_id_parse(char *text, wl_name_id *id, wl_error *err)
{
    char *colon = strchr(text, ':');
    const char *value = colon ? colon + 1 : text;
    size_t tl = colon ? (size_t)(colon - text) : 0, vl = strlen(value);
    id->type = "", id->value = NULL;
    if ((colon && (tl == 0 || tl > 64)) || vl == 0 || vl > 128 ||
        wl_utf8_bad(text, strlen(text)) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "bad_id",
                            "an identifier is VALUE or TYPE:VALUE (a type of 1-64 bytes, a value "
                            "of 1-128, UTF-8)");
    if (colon) {
        *colon = '\0';
        id->type = text;
    }
    id->value = value;
    return WL_OK;
}

/* ---- a CSV of names ---- */

enum { COL_NAME, COL_DOB, COL_COUNTRY, COL_REF, COL_ID };

typedef struct {
    wl_names *names;
    const wl_pressure_index *pi;
    size_t limit;
    int as_csv;
    int col[WL_IMPORT_FIELDS_MAX]; /* each column's COL_* */
    size_t ncols, rows, refused;
    int header_seen;
    wl_names_candidate *cands; /* WL_SCREEN_LIMIT_MAX, reused by every row */
    wl_buf *out;               /* the answer so far, JSON or CSV, at most WL_SCREEN_OUT_MAX */
    wl_rc out_rc;              /* why put() stopped */
    uint64_t version;
} screening;

/* Room kept under WL_SCREEN_OUT_MAX for the JSON answer's last fields. */
#define JSON_TAIL 128u

static const char CSV_HEAD[] = "line,ref,name,error,message,rank,score,source,subject,type,entry,"
                               "candidate,match,dob,country,identifier,why,data_version\r\n";

static wl_rc header(screening *sc, const wl_csv_record *r, wl_error *err)
{
    static const char *const names[] = {"name", "dob", "country", "ref", "id"};
    int have_name = 0;
    for (size_t i = 0; i < r->n; i++) {
        const char *f = r->field[i];
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] && strcasecmp(f, names[k]) != 0)
            k++;
        if (k == sizeof names / sizeof names[0])
            return wl_error_set(err, WL_ERR_INVALID, "bad_csv",
                                "column %zu '%.64s' of the header is not one of name, dob, "
                                "country, ref, id",
                                i + 1, f);
        for (size_t j = 0; k != COL_ID && j < i; j++)
            if (sc->col[j] == (int)k)
                return wl_error_set(err, WL_ERR_INVALID, "bad_csv",
                                    "the header names '%s' twice (only id may repeat)", names[k]);
        sc->col[i] = (int)k;
        have_name |= k == COL_NAME;
    }
    if (!have_name)
        return wl_error_set(err, WL_ERR_INVALID, "bad_csv",
                            "the first row is the header and names a column 'name' (and "
                            "optionally dob, country, ref, id)");
    sc->ncols = r->n;
    sc->header_seen = 1;
    return WL_OK;
}

/* One CSV line of the answer: the row's cells, then the candidate's (c NULL: none). */
static wl_rc csv_line(screening *sc, size_t line, const char *ref, const char *name,
                      const wl_error *bad, size_t rank, const wl_names_candidate *c)
{
    char num[32], score[16], entry[24], ver[24], nth[24], idt[400] = "";
    const char *src = NULL, *sub = NULL, *type = NULL;
    uint64_t e = 0;
    wl_rc rc;
    snprintf(num, sizeof num, "%zu", line);
    snprintf(ver, sizeof ver, "%llu", (unsigned long long)sc->version);
    if (c) {
        wl_pressure_index_ref(sc->pi, c->subject, &src, &sub, &type, &e);
        snprintf(score, sizeof score, "%.2f", c->score);
        snprintf(entry, sizeof entry, "%llu", (unsigned long long)e);
        snprintf(nth, sizeof nth, "%zu", rank);
        if (c->id_value)
            snprintf(idt, sizeof idt, "%s%s%s", c->id_type ? c->id_type : "",
                     c->id_type && c->id_type[0] ? ":" : "", c->id_value);
    }
    const char *cells[] = {num,
                           ref,
                           name,
                           bad ? bad->code : NULL,
                           bad ? bad->msg : NULL,
                           c ? nth : NULL,
                           c ? score : NULL,
                           src,
                           sub,
                           type,
                           c ? entry : NULL,
                           c ? c->name : NULL,
                           c ? wl_pressure_match_text(c->how) : NULL,
                           c ? wl_pressure_agree_text(c->dob, 0) : NULL,
                           c ? wl_pressure_agree_text(c->country, 1) : NULL,
                           c && c->id_value ? idt : NULL,
                           c ? c->why : NULL,
                           ver};
    size_t n = sizeof cells / sizeof cells[0];
    for (size_t i = 0; i < n; i++)
        if ((rc = wl_csv_cell(sc->out, cells[i], i + 1 == n ? WL_CSV_LAST : 0,
                              WL_SCREEN_OUT_MAX)) != WL_OK)
            return rc;
    return WL_OK;
}

/* jansson's text of a row into the answer, counted as it comes: -1 past the ceiling. */
static int put(const char *buf, size_t size, void *ctx)
{
    screening *sc = ctx;
    sc->out_rc = wl_buf_append(sc->out, buf, size, WL_SCREEN_OUT_MAX - JSON_TAIL);
    return sc->out_rc == WL_OK ? 0 : -1;
}

/*
 * The row's answer: its candidates, or bad (its refusal). As JSON, the row's
 * object (at most WL_SCREEN_LIMIT_MAX candidates) is written out and freed at
 * once, so the memory held is the answer's text and one row, and the text
 * stops at the ceiling as it grows (WL_ERR_TOO_LARGE) rather than after.
 */
static wl_rc answer(screening *sc, size_t line, const char *ref, const char *name,
                    const wl_error *bad, size_t count)
{
    wl_rc rc = WL_OK;
    json_t *o;
    if (sc->as_csv) {
        if (bad || count == 0)
            return csv_line(sc, line, ref, name, bad, 0, NULL);
        for (size_t i = 0; i < count && rc == WL_OK; i++)
            rc = csv_line(sc, line, ref, name, NULL, i + 1, &sc->cands[i]);
        return rc;
    }
    o = json_pack("{s:I, s:s?, s:s?}", "line", (json_int_t)line, "ref", ref, "name", name);
    if (o && bad) {
        json_object_set_new(o, "error", json_string(bad->code));
        json_object_set_new(o, "message", json_string(bad->msg));
    } else if (o) {
        json_t *arr = wl_pressure_candidates_json(sc->pi, sc->cands, count);
        if (arr == NULL || json_object_set_new(o, "candidates", arr) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    if (o == NULL)
        return WL_ERR_NOMEM;
    sc->out_rc = WL_OK;
    if ((sc->rows > 1 && put(",", 1, sc) != 0) ||
        json_dump_callback(o, put, sc, WL_SCREEN_JSON_FLAGS) != 0)
        rc = sc->out_rc != WL_OK ? sc->out_rc : WL_ERR_NOMEM;
    json_decref(o);
    return rc;
}

static wl_rc row(void *ctx, const wl_csv_record *r, wl_error *err)
{
    screening *sc = ctx;
    char idbuf[WL_NAME_IDS_MAX][200];
    wl_name_id ids[WL_NAME_IDS_MAX];
    wl_names_query q = {.limit = sc->limit};
    const char *ref = NULL;
    wl_error bad = {0};
    size_t count = 0;
    wl_rc rc = WL_OK;

    if (!sc->header_seen)
        return header(sc, r, err);
    if (++sc->rows > WL_SCREEN_ROWS_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_many_rows",
                            "more than %u names in one screening (WL_SCREEN_ROWS_MAX): split the "
                            "file",
                            WL_SCREEN_ROWS_MAX);
    for (size_t i = 0; i < r->n && i < sc->ncols; i++) {
        const char *f = r->field[i];
        if (sc->col[i] == COL_NAME)
            q.name = f;
        else if (sc->col[i] == COL_REF)
            ref = *f ? f : NULL;
        else if (sc->col[i] == COL_COUNTRY && *f)
            q.country = f;
        else if (sc->col[i] == COL_DOB && *f && rc == WL_OK &&
                 wl_pressure_dob_parse(f, &q.dob) != WL_OK)
            rc = wl_error_set(&bad, WL_ERR_INVALID, "bad_dob",
                              "dob: YYYY, YYYY-MM or YYYY-MM-DD, not '%.32s'", f);
        else if (sc->col[i] == COL_ID && *f && rc == WL_OK) {
            if (q.n_ids == WL_NAME_IDS_MAX)
                rc = wl_error_set(&bad, WL_ERR_TOO_LARGE, "too_many_ids",
                                  "a screening takes at most %u identifiers", WL_NAME_IDS_MAX);
            else if (strlen(f) >= sizeof idbuf[0])
                rc = wl_error_set(&bad, WL_ERR_INVALID, "bad_id",
                                  "an identifier is at most 193 bytes (TYPE:VALUE)");
            else {
                memcpy(idbuf[q.n_ids], f, strlen(f) + 1);
                rc = wl_pressure_id_parse(idbuf[q.n_ids], &ids[q.n_ids], &bad);
                q.n_ids += rc == WL_OK;
            }
        }
    }
    q.ids = ids;
    if (rc == WL_OK && r->n != sc->ncols)
        rc = wl_error_set(&bad, WL_ERR_INVALID, "bad_row",
                          "the row has %zu field%s where the header has %zu column%s", r->n,
                          r->n == 1 ? "" : "s", sc->ncols, sc->ncols == 1 ? "" : "s");
    if (rc == WL_OK && q.country && strlen(q.country) > WL_PRESSURE_TEXT_BYTES)
        rc = wl_error_set(&bad, WL_ERR_TOO_LARGE, "bad_country", "country: at most %u bytes",
                          WL_PRESSURE_TEXT_BYTES);
    if (rc == WL_OK)
        rc = wl_names_screen(sc->names, wl_pressure_index_names(sc->pi), &q, sc->cands,
                             WL_SCREEN_LIMIT_MAX, &count, &bad);
    if (rc == WL_ERR_NOMEM)
        return wl_error_set(err, rc, "internal", "pressure: out of memory");
    if (rc != WL_OK)
        sc->refused++;
    /* a refused name is not echoed whole: a 10,000-character name is named by its length */
    if (rc != WL_OK && q.name && strlen(q.name) > WL_NAME_MAX_BYTES)
        q.name = NULL;
    rc = answer(sc, r->line, ref, q.name, rc == WL_OK ? NULL : &bad, count);
    if (rc == WL_ERR_TOO_LARGE)
        return wl_error_set(err, rc, "answer_too_large",
                            "the answer passes %u bytes (WL_SCREEN_OUT_MAX): split the file or "
                            "ask fewer candidates a name (limit)",
                            WL_SCREEN_OUT_MAX);
    return rc == WL_OK ? WL_OK : wl_error_set(err, rc, "internal", "pressure: out of memory");
}

/* The JSON answer's first fields and the opening of its results. */
static wl_rc json_head(screening *sc)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "{\"data_version\":%llu,\"subjects_screened\":%zu,\"name_keys\":%zu,"
                     "\"results\":[",
                     (unsigned long long)sc->version, wl_pressure_index_subjects(sc->pi),
                     wl_names_index_keys(wl_pressure_index_names(sc->pi)));
    return wl_buf_append(sc->out, head, (size_t)n, WL_SCREEN_OUT_MAX - JSON_TAIL);
}

/* The JSON answer's last fields, in the room JSON_TAIL kept for them. */
static wl_rc json_tail(screening *sc)
{
    char tail[JSON_TAIL];
    int n = snprintf(tail, sizeof tail, "],\"rows\":%zu,\"refused\":%zu}", sc->rows, sc->refused);
    return wl_buf_append(sc->out, tail, (size_t)n, WL_SCREEN_OUT_MAX);
}

wl_rc wl_pressure_screen_csv(wl_names *n, const wl_pressure_index *pi, const char *text, size_t len,
                             size_t limit, int as_csv, wl_buf *out, size_t *line, wl_error *err)
{
    screening *sc = wl_calloc(1, sizeof *sc);
    wl_rc rc;
    *line = 0;
    if (sc == NULL || (sc->cands = wl_calloc(WL_SCREEN_LIMIT_MAX, sizeof *sc->cands)) == NULL) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
        goto out;
    }
    sc->names = n, sc->pi = pi, sc->limit = limit, sc->as_csv = as_csv, sc->out = out;
    sc->version = wl_pressure_index_version(pi);
    rc = as_csv ? wl_buf_append(out, CSV_HEAD, sizeof CSV_HEAD - 1, WL_SCREEN_OUT_MAX)
                : json_head(sc);
    if (rc != WL_OK) {
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
        goto out;
    }
    if ((rc = wl_csv_read(text, len, row, sc, line, err)) != WL_OK)
        goto out;
    if (!sc->header_seen) {
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_csv",
                          "no header row: the first row names the columns (name, and optionally "
                          "dob, country, ref, id)");
        goto out;
    }
    if (!as_csv && json_tail(sc) != WL_OK)
        rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
out:
    if (rc != WL_OK)
        wl_buf_free(out);
    if (sc)
        wl_free(sc->cands);
    wl_free(sc);
    return rc;
}
