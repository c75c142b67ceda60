/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Third-party reference data (issue 9, point 8): exact decimals that keep
 * every digit a source gives, the Kiel Ukraine Support Tracker's bilateral
 * activities CSV (release 28, Norwegian column names) read into rows, those
 * rows packed into reference.batch bodies, and the kind's rules: its body
 * (validate) and its rows stored apart from members' flows (apply). Views
 * are in reference_views.c. docs/internals/flows.md, "Reference data";
 * docs/FORMAT.md, "reference.batch".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"
#include "willing/flows.h"
#include "willing/reference.h"

/* ---- exact decimals ---- */

wl_rc wl_ref_dec_parse(const char *s, wl_ref_dec *out)
{
    wl_ref_dec v = 0;
    size_t ints = 0, decs = 0;
    int neg = 0;
    const char *p = s;
    *out = 0;
    if (p == NULL)
        return WL_ERR_INVALID;
    if (*p == '-')
        neg = 1, p++;
    for (; *p >= '0' && *p <= '9'; p++, ints++)
        v = v * 10 + (*p - '0');
    if (ints == 0 || ints > WL_REF_INT_DIGITS || (ints > 1 && s[neg] == '0'))
        return WL_ERR_INVALID;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, decs++) {
            if (decs == WL_REF_DECIMALS)
                return WL_ERR_INVALID;
            v = v * 10 + (*p - '0');
        }
        if (decs == 0)
            return WL_ERR_INVALID;
    }
    if (*p != '\0')
        return WL_ERR_INVALID;
    for (; decs < WL_REF_DECIMALS; decs++)
        v *= 10;
    *out = neg ? -v : v;
    return WL_OK;
}

wl_rc wl_ref_dec_add(wl_ref_dec *acc, wl_ref_dec v)
{
    wl_ref_dec r;
    if (__builtin_add_overflow(*acc, v, &r))
        return WL_ERR_TOO_LARGE;
    *acc = r;
    return WL_OK;
}

void wl_ref_dec_format(wl_ref_dec v, char out[WL_REF_DEC_TEXT])
{
    char tmp[WL_REF_DEC_TEXT];
    size_t n = 0, o = 0, frac;
    /* digits from the last; a negative value counted down so the minimum stays in range */
    int neg = v < 0;
    do {
        int d = (int)(v % 10);
        tmp[n++] = (char)('0' + (d < 0 ? -d : d));
        v /= 10;
    } while (v != 0);
    while (n <= WL_REF_DECIMALS)
        tmp[n++] = '0';
    for (frac = 0; frac < WL_REF_DECIMALS && tmp[frac] == '0'; frac++)
        ; /* trailing zeroes of the fraction */
    if (neg)
        out[o++] = '-';
    for (size_t i = n; i > WL_REF_DECIMALS; i--)
        out[o++] = tmp[i - 1];
    if (frac < WL_REF_DECIMALS) {
        out[o++] = '.';
        for (size_t i = WL_REF_DECIMALS; i > frac; i--)
            out[o++] = tmp[i - 1];
    }
    out[o] = '\0';
    if (neg && strcmp(out, "-0") == 0)
        memcpy(out, "0", 2);
}

/* ---- a row's rules, shared by the CSV reader and the kind ---- */

static const char *const types[] = {"military", "financial", "humanitarian", NULL};
static const char *const stages[] = {"allocation", "commitment", NULL};

static int one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, a day of the calendar. */
static int valid_day(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
        return 0;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

static int valid_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* Checks a row's values; NULL when good, else why (a static text). */
static const char *row_why(const wl_ref_row *r)
{
    wl_ref_dec v;
    if (!valid_text(r->donor, WL_REF_TEXT_BYTES))
        return "donor: 1-200 bytes of text, no control characters";
    if (r->date[0] && !valid_day(r->date))
        return "date: not a day YYYY-MM-DD";
    if (!one_of(r->type, types))
        return "type: military, financial or humanitarian";
    if (!one_of(r->stage, stages))
        return "stage: allocation or commitment";
    if (wl_ref_dec_parse(r->amount, &v) != WL_OK)
        return "amount: an exact decimal, at most 20 digits before the point and 18 after";
    /* a withdrawn code is kept: reference data is history, as its source wrote it */
    if (wl_currency_find(r->currency) == NULL)
        return "currency: an ISO 4217 code (three capital letters)";
    return NULL;
}

/* ---- the Kiel tracker's CSV ---- */

void wl_ref_import_free(wl_ref_import *im)
{
    if (im == NULL)
        return;
    wl_free(im->rows);
    wl_free(im->bad);
    memset(im, 0, sizeof *im);
}

enum { K_GIVER, K_DATO, K_KATEGORI, K_MAAL, K_VERDI, K_COLS };
static const char *const kiel_cols[K_COLS] = {"giver", "dato", "kategori", "maal", "verdi_eur"};

typedef struct {
    wl_ref_import *im;
    size_t col[K_COLS];
    int header;
} kiel_ctx;

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

/* "Military" -> "military": the tracker's words, lower-cased; 0 when it does not fit. */
static int lower_word(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        return 0;
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return 1;
}

static wl_rc kiel_header(kiel_ctx *k, const wl_csv_record *r, wl_error *err)
{
    for (int c = 0; c < K_COLS; c++) {
        k->col[c] = SIZE_MAX;
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(r->field[i], kiel_cols[c]) == 0)
                k->col[c] = i;
        if (k->col[c] == SIZE_MAX)
            return wl_error_set(err, WL_ERR_INVALID, "bad_columns",
                                "no column '%s': the tracker's bilateral activities CSV has giver, "
                                "dato, kategori, maal and verdi_eur",
                                kiel_cols[c]);
    }
    k->header = 1;
    return WL_OK;
}

/* Copies field f into out (cap bytes); 0 when it does not fit. */
static int take(const char *f, char *out, size_t cap)
{
    size_t n = strlen(f);
    if (n >= cap)
        return 0;
    memcpy(out, f, n + 1);
    return 1;
}

/* Checks one of the tracker's rows, naming its column; NULL when good. */
static const char *kiel_why(const wl_csv_record *r, const size_t *col, wl_ref_row *row,
                            const char **what)
{
    wl_ref_dec v;
    for (int c = 0; c < K_COLS; c++)
        if (col[c] >= r->n)
            return "fewer columns than the header";
    *what = r->field[col[K_GIVER]];
    if (!take(*what, row->donor, sizeof row->donor) || !valid_text(row->donor, WL_REF_TEXT_BYTES))
        return "giver: a donor's name, 1-200 bytes of text";
    *what = r->field[col[K_DATO]];
    if (!take(*what, row->date, sizeof row->date) || (row->date[0] && !valid_day(row->date)))
        return "dato: not a day YYYY-MM-DD";
    *what = r->field[col[K_KATEGORI]];
    if (!lower_word(*what, row->type, sizeof row->type) || !one_of(row->type, types))
        return "kategori: Military, Financial or Humanitarian";
    *what = r->field[col[K_MAAL]];
    if (!lower_word(*what, row->stage, sizeof row->stage) || !one_of(row->stage, stages))
        return "maal: Allocation or Commitment";
    *what = r->field[col[K_VERDI]];
    if (!take(*what, row->amount, sizeof row->amount) || wl_ref_dec_parse(row->amount, &v) != WL_OK)
        return "verdi_eur: an exact decimal, at most 20 digits before the point and 18 after";
    memcpy(row->currency, "EUR", 4); /* verdi_eur: the tracker's values are in euros */
    *what = NULL;
    return NULL;
}

static wl_rc kiel_record(void *ctx, const wl_csv_record *r, wl_error *err)
{
    kiel_ctx *k = ctx;
    wl_ref_import *im = k->im;
    wl_ref_row row;
    const char *why, *what = NULL;
    if (!k->header)
        return kiel_header(k, r, err);
    memset(&row, 0, sizeof row);
    row.line = r->line;
    if ((why = kiel_why(r, k->col, &row, &what)) != NULL)
        return wl_import_bad_add(&im->bad, &im->nbad, &im->badcap, r->line, why, what, err);
    if (grow((void **)&im->rows, &im->cap, im->n, sizeof *im->rows) != WL_OK)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    im->rows[im->n++] = row;
    return WL_OK;
}

wl_rc wl_ref_kiel_read(const char *buf, size_t len, wl_ref_import *out, size_t *line, wl_error *err)
{
    kiel_ctx k;
    wl_rc rc;
    memset(out, 0, sizeof *out);
    memset(&k, 0, sizeof k);
    k.im = out;
    rc = wl_csv_read(buf, len, kiel_record, &k, line, err);
    if (rc == WL_OK && !k.header) {
        *line = 1;
        rc = wl_error_set(err, WL_ERR_INVALID, "bad_columns", "the file is empty: no header row");
    }
    if (rc != WL_OK)
        wl_ref_import_free(out);
    return rc;
}

/* ---- reference.batch bodies ---- */

static json_t *row_json(const wl_ref_row *r)
{
    json_t *o = json_pack("{s:I, s:s}", "line", (json_int_t)r->line, "donor", r->donor);
    int bad = o == NULL;
    /* json_object_set_new takes its value even when it fails */
    if (!bad && r->date[0])
        bad |= json_object_set_new(o, "date", json_string(r->date));
    if (!bad) {
        bad |= json_object_set_new(o, "type", json_string(r->type));
        bad |= json_object_set_new(o, "stage", json_string(r->stage));
        bad |= json_object_set_new(o, "amount", json_string(r->amount));
        bad |= json_object_set_new(o, "currency", json_string(r->currency));
    }
    if (!bad)
        return o;
    json_decref(o);
    return NULL;
}

wl_rc wl_ref_batches(const wl_ref_row *rows, size_t n, const char *source, const char *release,
                     const char *file, json_t **out, wl_error *err)
{
    json_t *head = json_pack("{s:s, s:s, s:s}", "source", source, "release", release, "file", file),
           *items = json_array();
    wl_rc rc = WL_OK;
    *out = NULL;
    for (size_t i = 0; head && items && i < n && rc == WL_OK; i++)
        if (json_array_append_new(items, row_json(&rows[i])) != 0)
            rc = WL_ERR_NOMEM;
    if (head == NULL || items == NULL || rc != WL_OK)
        rc = wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
    else
        rc = wl_import_parts(head, "rows", items, WL_REF_BATCH_ROWS, WL_REF_PARTS_MAX, out, err);
    json_decref(head);
    json_decref(items);
    return rc;
}

/* ---- the kind: reference.batch ---- */

#define KIND "reference.batch"

/* The row at i of a body as a wl_ref_row; NULL when good, else why (static text). */
static const char *body_row(const json_t *o, wl_ref_row *r)
{
    static const char *const fields[] = {"line",   "donor",    "date", "type", "stage",
                                         "amount", "currency", "text", NULL};
    const char *k, *t;
    json_t *v;
    struct {
        const char *name;
        char *out;
        size_t cap;
        int required;
    } strs[] = {{"donor", r->donor, sizeof r->donor, 1},    {"date", r->date, sizeof r->date, 0},
                {"type", r->type, sizeof r->type, 1},       {"stage", r->stage, sizeof r->stage, 1},
                {"amount", r->amount, sizeof r->amount, 1}, {"currency", r->currency, 4, 1}};
    memset(r, 0, sizeof *r);
    if (!json_is_object(o))
        return "not an object";
    json_object_foreach((json_t *)o, k, v)
    {
        int ok = 0;
        for (const char *const *f = fields; *f && !ok; f++)
            ok = strcmp(*f, k) == 0;
        if (!ok)
            return "an unknown field";
    }
    v = json_object_get(o, "line");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return "line: the row's line in the source file, a whole number from 1";
    r->line = (size_t)json_integer_value(v);
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        v = json_object_get(o, strs[i].name);
        if (v == NULL && !strs[i].required)
            continue;
        if ((t = json_string_value(v)) == NULL || strlen(t) >= strs[i].cap || (!*t && v))
            return strs[i].name[0] == 'd' && strs[i].name[1] == 'a' ? "date: not a day YYYY-MM-DD"
                                                                    : "a field missing or too "
                                                                      "long";
        memcpy(strs[i].out, t, strlen(t) + 1);
    }
    v = json_object_get(o, "text");
    if (v && (!json_is_string(v) || !valid_text(json_string_value(v), WL_REF_TEXT_BYTES)))
        return "text: 1-200 bytes of text";
    return row_why(r);
}

wl_rc wl_reference_batch_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"source", "release", "file", "part",
                                         "parts",  "rows",    NULL};
    const json_t *b = e->body_json, *rows = json_object_get(b, "rows");
    const char *source = json_string_value(json_object_get(b, "source"));
    const char *release = json_string_value(json_object_get(b, "release"));
    wl_ref_row r;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, KIND, err)) != WL_OK)
        return rc;
    if (source == NULL || !wl_valid_member_id(source, strlen(source)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": 'source' must be an id: 1-64 of a-z 0-9 . _ -");
    if (release == NULL || !valid_text(release, WL_REF_TEXT_BYTES))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": 'release' must be 1-200 bytes of text");
    if ((rc = wl_import_body_check(b, KIND, "rows", WL_REF_BATCH_ROWS, WL_REF_PARTS_MAX, err)) !=
        WL_OK)
        return rc;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *why = body_row(json_array_get(rows, i), &r);
        if (why)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                KIND ": rows[%zu] (line %zu): %s", i, r.line, why);
    }
    return WL_OK;
}

wl_rc wl_reference_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *rows = json_object_get(b, "rows");
    const char *source = json_string_value(json_object_get(b, "source"));
    const char *release = json_string_value(json_object_get(b, "release"));
    const char *file = json_string_value(json_object_get(b, "file"));
    uint64_t part = (uint64_t)json_integer_value(json_object_get(b, "part"));
    char had[65];
    uint64_t at;
    wl_store_ref sr;
    wl_ref_row r;
    wl_rc rc;

    /* the body passed validate at precheck: the same rules hold here */
    rc = wl_store_ref_release(s, source, release, 0, had, &at);
    if (rc == WL_OK && strcmp(had, file) != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "reference_exists",
                            KIND ": release %s of %s is already imported from another file "
                                 "(SHA-256 %.16s..., entry %llu): a release is imported once",
                            release, source, had, (unsigned long long)at);
    if (rc == WL_OK)
        rc = wl_store_ref_release(s, source, release, part, had, &at);
    if (rc == WL_OK)
        return wl_error_set(err, WL_ERR_CONFLICT, "reference_exists",
                            KIND ": part %llu of release %s of %s is already imported (entry %llu)",
                            (unsigned long long)part, release, source, (unsigned long long)at);
    if (rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", KIND ": cannot read the reference data");
    memset(&sr, 0, sizeof sr);
    sr.idx = index;
    sr.part = part;
    sr.parts = (uint64_t)json_integer_value(json_object_get(b, "parts"));
    snprintf(sr.source, sizeof sr.source, "%s", source);
    snprintf(sr.release, sizeof sr.release, "%s", release);
    snprintf(sr.file, sizeof sr.file, "%s", file);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        if (body_row(json_array_get(rows, i), &r) != NULL)
            return wl_error_set(err, WL_ERR_INTERNAL, "internal", KIND ": a row changed");
        sr.row = i;
        sr.line = r.line;
        memcpy(sr.donor, r.donor, sizeof sr.donor);
        memcpy(sr.date, r.date, sizeof sr.date);
        memcpy(sr.type, r.type, sizeof sr.type);
        memcpy(sr.stage, r.stage, sizeof sr.stage);
        memcpy(sr.amount, r.amount, sizeof sr.amount);
        memcpy(sr.currency, r.currency, sizeof sr.currency);
        if ((rc = wl_store_ref_put(s, &sr)) != WL_OK)
            return wl_error_set(err, rc, "storage", KIND ": cannot store row %zu", i);
    }
    return WL_OK;
}

/*
 * reference.batch is a module of its own (lib/modules.c lists it): third-party data is
 * no member's flow, and nothing of the flows module's kinds reads or writes its table.
 */
static const wl_kind reference_kinds[] = {
    {.name = KIND,
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR,
     .validate = wl_reference_batch_validate,
     .apply = wl_reference_batch_apply},
};

const wl_module wl_reference_module = {
    .name = "reference",
    .kinds = reference_kinds,
    .nkinds = sizeof reference_kinds / sizeof reference_kinds[0],
};
