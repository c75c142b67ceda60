/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV imports (issue 9, points 8 and 9): the reader both importers share
 * (libcsv underneath, fed one line at a time so each record knows the line it
 * starts on; every line checked to be UTF-8 first), the packing of an
 * import's rows into entry bodies of at most WL_IMPORT_BODY_MAX bytes, and
 * the generic importer that maps any CSV's columns to a member's flow rows.
 * The Kiel tracker's own format is in reference.c. docs/internals/flows.md,
 * "Reference data" and "Importing a CSV".
 */
#include <stdio.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include "willing/crypto.h"
#include "willing/flows.h"
#include "willing/reference.h"

/* ---- UTF-8 ---- */

/* The length of the UTF-8 sequence at p (at most n bytes), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min, cp;
    if (c < 0x80)
        return c == 0 ? 0 : 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t wl_utf8_bad(const void *bytes, size_t n)
{
    const unsigned char *p = bytes;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (k == 0)
            return i + 1;
        i += k;
    }
    return 0;
}

/* ---- records ---- */

typedef struct {
    wl_csv_record_fn fn;
    void *ctx;
    wl_error *err;
    wl_rc rc;
    size_t line; /* the line of the record being read */
    wl_buf text; /* the record's fields, each NUL-terminated */
    size_t off[WL_IMPORT_FIELDS_MAX];
    const char *field[WL_IMPORT_FIELDS_MAX];
    size_t n;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->rc != WL_OK)
        return;
    if (r->n == WL_IMPORT_FIELDS_MAX) {
        r->rc = wl_error_set(r->err, WL_ERR_TOO_LARGE, "too_large",
                             "more than %u columns in one row (WL_IMPORT_FIELDS_MAX)",
                             WL_IMPORT_FIELDS_MAX);
        return;
    }
    r->off[r->n++] = r->text.len;
    if (wl_buf_append(&r->text, s ? s : "", s ? len : 0, WL_IMPORT_RECORD_MAX) != WL_OK ||
        wl_buf_append(&r->text, "", 1, WL_IMPORT_RECORD_MAX) != WL_OK)
        r->rc = wl_error_set(r->err, WL_ERR_TOO_LARGE, "too_large",
                             "a row of more than %u bytes (WL_IMPORT_RECORD_MAX)",
                             WL_IMPORT_RECORD_MAX);
}

static void on_record(int c, void *data)
{
    reader *r = data;
    wl_csv_record rec;
    (void)c;
    if (r->rc == WL_OK) {
        for (size_t i = 0; i < r->n; i++)
            r->field[i] = r->text.buf + r->off[i];
        rec.line = r->line;
        rec.n = r->n;
        rec.field = r->field;
        r->rc = r->fn(r->ctx, &rec, r->err);
    }
    r->n = 0;
    r->text.len = 0;
}

static wl_rc encoding_check(const unsigned char *p, size_t len, bool utf8, size_t *line,
                            wl_error *err)
{
    if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
        *line = 1;
        return wl_error_set(err, WL_ERR_INVALID, "not_utf8",
                            "the file is UTF-16 (it starts with the byte order mark %02X %02X): "
                            "save it as UTF-8",
                            p[0], p[1]);
    }
    for (size_t ln = 1, at = 0; at < len; ln++) {
        const unsigned char *nl = memchr(p + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (p + at)) : len - at, bad;
        const unsigned char *nul = utf8 ? NULL : memchr(p + at, 0, n);
        if (nul) {
            *line = ln;
            return wl_error_set(err, WL_ERR_INVALID, "bad_csv", "a NUL byte at column %zu",
                                (size_t)(nul - (p + at)) + 1);
        }
        bad = utf8 ? wl_utf8_bad(p + at, n) : 0;
        if (bad) {
            *line = ln;
            return wl_error_set(err, WL_ERR_INVALID, "not_utf8",
                                "not UTF-8 (byte 0x%02X at column %zu): save the file as UTF-8",
                                p[at + bad - 1], bad);
        }
        at += n + 1;
    }
    return WL_OK;
}

/* The reader; utf8: the whole file must be UTF-8 (else only UTF-16 and NUL are refused). */
static wl_rc csv_read(const char *buf, size_t len, bool utf8, wl_csv_record_fn fn, void *ctx,
                      size_t *line, wl_error *err)
{
    const unsigned char *p = (const unsigned char *)buf;
    struct csv_parser cp;
    reader r;
    size_t ln = 0, at = 0;
    wl_rc rc;

    *line = 0;
    if (len > WL_IMPORT_FILE_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                            "the file passes %u bytes (WL_IMPORT_FILE_MAX)", WL_IMPORT_FILE_MAX);
    if ((rc = encoding_check(p, len, utf8, line, err)) != WL_OK)
        return rc;
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        at = 3; /* a UTF-8 byte order mark */
    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ctx = ctx;
    r.err = err;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "cannot start reading the CSV");
    csv_set_realloc_func(&cp, wl_realloc);
    csv_set_free_func(&cp, wl_free);
    while (at < len && r.rc == WL_OK) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) + 1 : len - at;
        ln++;
        if (cp.pstate == 0) /* libcsv's ROW_NOT_BEGUN: a record starts on this line */
            r.line = ln;
        if (csv_parse(&cp, buf + at, n, on_field, on_record, &r) != n && r.rc == WL_OK)
            r.rc = csv_error(&cp) == CSV_ENOMEM
                       ? wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory")
                       : wl_error_set(err, WL_ERR_INVALID, "bad_csv",
                                      "a quote out of place: a quoted field must end with a "
                                      "quote before the next comma or line");
        at += n;
    }
    if (r.rc == WL_OK && csv_fini(&cp, on_field, on_record, &r) != 0 && r.rc == WL_OK)
        r.rc = wl_error_set(err, WL_ERR_INVALID, "bad_csv", "the file ends inside a quoted field");
    if (r.rc != WL_OK)
        *line = r.line ? r.line : ln;
    csv_free(&cp);
    wl_buf_free(&r.text);
    return r.rc;
}

wl_rc wl_csv_read(const char *buf, size_t len, wl_csv_record_fn fn, void *ctx, size_t *line,
                  wl_error *err)
{
    return csv_read(buf, len, true, fn, ctx, line, err);
}

wl_rc wl_csv_read_any(const char *buf, size_t len, wl_csv_record_fn fn, void *ctx, size_t *line,
                      wl_error *err)
{
    return csv_read(buf, len, false, fn, ctx, line, err);
}

wl_rc wl_import_parts(const json_t *head, const char *key, const json_t *items, size_t max_rows,
                      unsigned max_parts, json_t **out, wl_error *err)
{
    wl_rc rc = wl_import_pack(head, key, items, max_rows, out, err);
    if (rc == WL_OK && json_array_size(*out) > max_parts) {
        json_decref(*out);
        *out = NULL;
        rc = wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                          "more than %u entries in one import (one batch request)", max_parts);
    }
    return rc;
}

wl_rc wl_import_body_check(const json_t *b, const char *kind, const char *key, unsigned max_rows,
                           unsigned max_parts, wl_error *err)
{
    const char *file = json_string_value(json_object_get(b, "file"));
    const json_t *part = json_object_get(b, "part"), *parts = json_object_get(b, "parts"),
                 *rows = json_object_get(b, key);
    if (file == NULL || strlen(file) != 64 || strspn(file, "0123456789abcdef") != 64)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: 'file' must be the SHA-256 of the source file "
                            "(64 lower-case hex digits)",
                            kind);
    if (!json_is_integer(part) || !json_is_integer(parts) || json_integer_value(part) < 1 ||
        json_integer_value(parts) > max_parts ||
        json_integer_value(part) > json_integer_value(parts))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: 'part' and 'parts' must be whole numbers, "
                            "1 <= part <= parts <= %u",
                            kind, max_parts);
    if (!json_is_array(rows) || json_array_size(rows) < 1 || json_array_size(rows) > max_rows)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: '%s' must hold 1 to %u %s",
                            kind, key, max_rows, key);
    return WL_OK;
}

wl_rc wl_import_bad_add(wl_import_bad **bad, size_t *n, size_t *cap, size_t line, const char *why,
                        const char *what, wl_error *err)
{
    wl_import_bad *b;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        if ((b = wl_realloc(*bad, c * sizeof *b)) == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        *bad = b;
        *cap = c;
    }
    b = &(*bad)[(*n)++];
    b->line = line;
    if (what)
        snprintf(b->why, sizeof b->why, "%s '%.60s'", why, what);
    else
        snprintf(b->why, sizeof b->why, "%s", why);
    return WL_OK;
}

/* ---- packing rows into entry bodies ---- */

static size_t compact_len(const json_t *j)
{
    return json_dumpb(j, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static json_t *body_start(const json_t *head, const char *key, json_t **rows)
{
    json_t *b = json_deep_copy(head);
    *rows = json_array();
    if (b == NULL || *rows == NULL || json_object_set_new(b, "part", json_integer(0)) != 0 ||
        json_object_set_new(b, "parts", json_integer(0)) != 0 ||
        json_object_set(b, key, *rows) != 0) {
        json_decref(b);
        json_decref(*rows);
        *rows = NULL;
        return NULL;
    }
    json_decref(*rows); /* b holds it */
    return b;
}

wl_rc wl_import_pack(const json_t *head, const char *key, const json_t *items, size_t max_rows,
                     json_t **out, wl_error *err)
{
    /* the part numbers are written last: leave room for the largest ("1000", "1000") */
    const size_t slack = 8, n = json_array_size(items);
    json_t *all = json_array(), *body = NULL, *rows = NULL;
    size_t used = 0, base = 0;
    wl_rc rc = WL_OK;

    *out = NULL;
    if (all == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    for (size_t i = 0; i < n && rc == WL_OK; i++) {
        json_t *it = json_array_get(items, i);
        size_t len = compact_len(it) + 1; /* and its comma */
        if (body && (json_array_size(rows) == max_rows || used + len > WL_IMPORT_BODY_MAX)) {
            body = NULL; /* full: the next row starts another */
        }
        if (body == NULL) {
            if (json_array_size(all) == WL_BATCH_MAX) {
                rc = wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                                  "more than %u entries (WL_BATCH_MAX): import fewer rows at once",
                                  WL_BATCH_MAX);
                break;
            }
            if ((body = body_start(head, key, &rows)) == NULL ||
                json_array_append_new(all, body) != 0) {
                rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
                break;
            }
            used = base = compact_len(body) + slack;
        }
        if (base + len > WL_IMPORT_BODY_MAX)
            rc = wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                              "row %zu alone passes %u bytes of an entry's body", i + 1,
                              WL_IMPORT_BODY_MAX);
        else if (json_array_append(rows, it) != 0)
            rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        used += len;
    }
    for (size_t i = 0; rc == WL_OK && i < json_array_size(all); i++) {
        json_t *b = json_array_get(all, i);
        if (json_object_set_new(b, "part", json_integer((json_int_t)i + 1)) != 0 ||
            json_object_set_new(b, "parts", json_integer((json_int_t)json_array_size(all))) != 0)
            rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    }
    if (rc != WL_OK) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return WL_OK;
}

/* ---- the generic importer: any CSV's columns mapped to flow rows ---- */

static const char *const flow_fields[] = {
    "flow",     "pledge",   "requirement", "instrument", "activity", "stage", "date", "amount",
    "currency", "quantity", "unit",        "category",   "source",   "text",  NULL};

wl_rc wl_csv_map_parse(const char *spec, wl_csv_map *m, wl_error *err)
{
    const char *p = spec;
    memset(m, 0, sizeof *m);
    if (spec == NULL || *spec == '\0')
        return wl_error_set(err, WL_ERR_INVALID, "bad_map",
                            "--map names at least one field: field=Column,...");
    while (*p) {
        size_t n = strcspn(p, ","), eq = strcspn(p, "=");
        const char *col = p + eq + 1;
        size_t clen = n > eq ? n - eq - 1 : 0;
        int known = 0;
        if (m->n == WL_CSV_MAP_MAX)
            return wl_error_set(err, WL_ERR_INVALID, "bad_map", "more than %d fields",
                                WL_CSV_MAP_MAX);
        if (eq >= n || eq == 0 || eq >= sizeof m->m[0].field || clen == 0 ||
            clen >= sizeof m->m[0].column)
            return wl_error_set(err, WL_ERR_INVALID, "bad_map",
                                "'%.*s': each mapping is field=Column or field='value'",
                                (int)(n > 80 ? 80 : n), p);
        memcpy(m->m[m->n].field, p, eq);
        m->m[m->n].field[eq] = '\0';
        for (const char *const *f = flow_fields; *f && !known; f++)
            known = strcmp(*f, m->m[m->n].field) == 0;
        if (!known)
            return wl_error_set(err, WL_ERR_INVALID, "bad_map",
                                "'%s' is not a flow field: flow, pledge, requirement, "
                                "instrument, activity, stage, date, amount, currency, quantity, "
                                "unit, category, source, text",
                                m->m[m->n].field);
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(m->m[i].field, m->m[m->n].field) == 0)
                return wl_error_set(err, WL_ERR_INVALID, "bad_map", "'%s' mapped twice",
                                    m->m[i].field);
        if (clen >= 2 && col[0] == '\'' && col[clen - 1] == '\'') {
            m->m[m->n].constant = true; /* field='value': the same for every row */
            col++;
            clen -= 2;
        }
        memcpy(m->m[m->n].column, col, clen);
        m->m[m->n].column[clen] = '\0';
        m->n++;
        p += n + (p[n] == ',');
    }
    return WL_OK;
}

void wl_flow_import_free(wl_flow_import *im)
{
    if (im == NULL)
        return;
    json_decref(im->flows);
    wl_free(im->lines);
    wl_free(im->bad);
    memset(im, 0, sizeof *im);
}

typedef struct {
    const wl_csv_map *m;
    const char *file;
    wl_flow_import *im;
    size_t col[WL_CSV_MAP_MAX], ncap;
    bool header;
} flows_ctx;

static wl_rc flows_header(flows_ctx *k, const wl_csv_record *r, wl_error *err)
{
    for (size_t i = 0; i < k->m->n; i++) {
        k->col[i] = SIZE_MAX;
        for (size_t c = 0; !k->m->m[i].constant && c < r->n; c++)
            if (strcmp(r->field[c], k->m->m[i].column) == 0)
                k->col[i] = c;
        if (!k->m->m[i].constant && k->col[i] == SIZE_MAX)
            return wl_error_set(err, WL_ERR_INVALID, "bad_columns",
                                "no column '%s' (mapped to %s) in the header", k->m->m[i].column,
                                k->m->m[i].field);
    }
    k->header = true;
    return WL_OK;
}

/* The id of the flow on line of the file: SHA-256("willing.csv-flow/v1", file, line), 32 hex. */
static void derived_id(const char *file, size_t line, char out[33])
{
    char ln[24], hex[65];
    uint8_t sum[32];
    const void *parts[] = {"willing.csv-flow/v1", file, ln};
    size_t lens[3];
    snprintf(ln, sizeof ln, "%zu", line);
    lens[0] = 19;
    lens[1] = strlen(file);
    lens[2] = strlen(ln);
    wl_sha256_parts(parts, lens, 3, sum);
    wl_hex_encode(sum, 16, hex);
    memcpy(out, hex, 32);
    out[32] = '\0';
}

static wl_rc flows_record(void *ctx, const wl_csv_record *r, wl_error *err)
{
    flows_ctx *k = ctx;
    wl_flow_import *im = k->im;
    json_t *body;
    wl_flow f;
    wl_error why;
    char id[33];
    if (!k->header)
        return flows_header(k, r, err);
    if ((body = json_object()) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    for (size_t i = 0; i < k->m->n; i++) {
        const char *v = k->m->m[i].constant ? k->m->m[i].column
                        : k->col[i] < r->n  ? r->field[k->col[i]]
                                            : "";
        if (*v && json_object_set_new(body, k->m->m[i].field, json_string(v)) != 0) {
            json_decref(body);
            return wl_import_bad_add(&im->bad, &im->nbad, &im->badcap, r->line, "not UTF-8 text",
                                     NULL, err);
        }
    }
    if (json_object_get(body, "flow") == NULL) {
        derived_id(k->file, r->line, id);
        json_object_set_new(body, "flow", json_string(id));
    }
    /* the flows library's rules for a flow's body, as the server checks each row */
    if (wl_flow_read(body, false, "flow", &f, &why) != WL_OK) {
        json_decref(body);
        return wl_import_bad_add(&im->bad, &im->nbad, &im->badcap, r->line, why.msg, NULL, err);
    }
    if (json_array_size(im->flows) == k->ncap) {
        size_t c = k->ncap ? k->ncap * 2 : 256;
        size_t *q = wl_realloc(im->lines, c * sizeof *q);
        if (q == NULL) {
            json_decref(body);
            return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        }
        im->lines = q;
        k->ncap = c;
    }
    im->lines[json_array_size(im->flows)] = r->line;
    if (json_array_append_new(im->flows, body) != 0)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    return WL_OK;
}

wl_rc wl_csv_flows_read(const char *buf, size_t len, const wl_csv_map *m, const char *file,
                        wl_flow_import *out, size_t *line, wl_error *err)
{
    flows_ctx k;
    wl_rc rc;
    memset(out, 0, sizeof *out);
    memset(&k, 0, sizeof k);
    k.m = m;
    k.file = file;
    k.im = out;
    if ((out->flows = json_array()) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    rc = wl_csv_read(buf, len, flows_record, &k, line, err);
    if (rc == WL_OK && !k.header) {
        *line = 1;
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_columns", "the file is empty: no header row");
    }
    if (rc != WL_OK)
        wl_flow_import_free(out);
    return rc;
}
