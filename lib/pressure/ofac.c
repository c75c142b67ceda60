/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OFAC's SDN list in its legacy CSV files (include/willing/ofac.h): a CSV
 * reader for their conventions (no header, `-0- ` null, CRLF, quotes doubled
 * inside quotes, a trailing 0x1A), the four files joined on ent_num, and the
 * facts OFAC keeps in free-text remarks (dates of birth with their
 * precision, places, nationalities, identifiers, a.k.a.s) read out of them.
 * Every refused record is kept with its file, line and why. The design:
 * docs/internals/pressure.md, "OFAC".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "willing/ofac.h"
#include "willing/reference.h"

#define FIELDS_MAX 16

typedef struct {
    const char *b;
    size_t len, pos, line;
    wl_buf sc; /* the record's fields, NUL-separated */
    size_t off[FIELDS_MAX];
    const char *f[FIELDS_MAX]; /* NULL: OFAC's -0- */
    int nf;
    size_t start_line;
} reader;

/* The next record: its field count; 0 at the end; -1 a quote never closed, -2 too many fields, -3
 * text after a closing quote, -4 out of memory. */
static int record(reader *r)
{
    const char *b = r->b;
    size_t p = r->pos;
    r->sc.len = 0;
    r->nf = 0;
    while (p < r->len && (b[p] == '\r' || b[p] == '\n')) /* blank lines */
        r->line += b[p++] == '\n';
    r->start_line = r->line;
    if (p >= r->len || b[p] == 0x1A)
        return 0;
    for (;;) {
        size_t start = r->sc.len;
        if (r->nf == FIELDS_MAX)
            return -2;
        if (b[p] == '"') {
            for (p++;;) {
                if (p >= r->len)
                    return -1;
                if (b[p] == '"') {
                    if (p + 1 < r->len && b[p + 1] == '"') {
                        if (wl_buf_append(&r->sc, "\"", 1, SIZE_MAX) != WL_OK)
                            return -4;
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                r->line += b[p] == '\n';
                if (wl_buf_append(&r->sc, b + p, 1, SIZE_MAX) != WL_OK)
                    return -4;
                p++;
            }
            while (p < r->len && b[p] == ' ')
                p++;
            if (p < r->len && b[p] != ',' && b[p] != '\r' && b[p] != '\n' && b[p] != 0x1A)
                return -3;
        } else {
            size_t q = p;
            while (q < r->len && b[q] != ',' && b[q] != '\r' && b[q] != '\n' && b[q] != 0x1A)
                q++;
            if (wl_buf_append(&r->sc, b + p, q - p, SIZE_MAX) != WL_OK)
                return -4;
            p = q;
        }
        while (r->sc.len > start && r->sc.buf[r->sc.len - 1] == ' ')
            r->sc.len--;
        if (wl_buf_append(&r->sc, "", 1, SIZE_MAX) != WL_OK)
            return -4;
        r->off[r->nf++] = start;
        if (p < r->len && b[p] == ',') {
            p++;
            continue;
        }
        break;
    }
    if (p < r->len && b[p] == '\r')
        p++;
    if (p < r->len && b[p] == '\n')
        p++, r->line++;
    r->pos = p;
    for (int i = 0; i < r->nf; i++) {
        const char *s = r->sc.buf + r->off[i];
        r->f[i] = strcmp(s, "-0-") == 0 || *s == '\0' ? NULL : s;
    }
    return r->nf;
}

static void reject(wl_ofac_list *l, const char *file, size_t line, const char *fmt, const char *a)
{
    if (l->n_rejects < WL_OFAC_REJECTS_MAX) {
        wl_ofac_reject *j = &l->rejects[l->n_rejects];
        snprintf(j->file, sizeof j->file, "%s", file);
        j->line = line;
        snprintf(j->why, sizeof j->why, fmt, a ? a : "");
    }
    l->n_rejects++;
}

/*
 * A field of the record read that is not UTF-8 or holds a NUL byte (which would cut it short):
 * the record refused naming the field and the bytes; 1 when refused, else 0.
 */
static int bad_bytes(wl_ofac_list *l, const reader *r, const char *file)
{
    static const char *const sdn_cols[12] = {"ent_num", "SDN_Name",  "SDN_Type",   "Program",
                                             "Title",   "Call_Sign", "Vess_type",  "Tonnage",
                                             "GRT",     "Vess_flag", "Vess_owner", "Remarks"};
    for (int i = 0; i < r->nf; i++) {
        const char *f = r->sc.buf + r->off[i];
        size_t len = (i + 1 < r->nf ? r->off[i + 1] : r->sc.len) - r->off[i] - 1;
        size_t at = wl_utf8_bad(f, len);
        char why[160], hex[16] = "", col[24] = "";
        if (at == 0)
            continue;
        if (strcmp(file, "sdn.csv") == 0 && r->nf == 12)
            snprintf(col, sizeof col, " (%s)", sdn_cols[i]);
        if (f[at - 1] == '\0') {
            snprintf(why, sizeof why, "a NUL byte in field %d%s, at its byte %zu", i + 1, col, at);
        } else {
            for (size_t k = at - 1; k < len && k < at + 3; k++)
                snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s%02x",
                         k > at - 1 ? " " : "", (unsigned char)f[k]);
            snprintf(why, sizeof why, "field %d%s is not UTF-8: the bytes %s at its byte %zu",
                     i + 1, col, hex, at);
        }
        reject(l, file, r->start_line, "%s", why);
        return 1;
    }
    return 0;
}

static const char *read_why(int rc)
{
    return rc == -1   ? "a quote opened here is never closed%s"
           : rc == -2 ? "more than 16 fields%s"
           : rc == -3 ? "text after a closing quote%s"
                      : "out of memory%s";
}

/* Appends one element of size elem to *p (count *n); -1 when out of memory. */
static int push(void *pp, size_t *n, size_t elem, const void *v)
{
    void **p = pp;
    if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4...: grow to the next power of two */
        void *q = wl_realloc(*p, (*n ? *n * 2 : 1) * elem);
        if (!q)
            return -1;
        *p = q;
    }
    memcpy((char *)*p + *n * elem, v, elem);
    (*n)++;
    return 0;
}

static int push_str(char ***p, size_t *n, const char *s, size_t len)
{
    char *c = wl_strndup(s, len);
    if (!c || push(p, n, sizeof c, &c) != 0) {
        wl_free(c);
        return -1;
    }
    return 0;
}

/* A country unless the entry has it already (nationality and an address's country often agree). */
static int push_country(wl_ofac_entry *e, const char *c)
{
    for (size_t i = 0; i < e->n_countries; i++)
        if (strcasecmp(e->countries[i], c) == 0)
            return 0;
    return push_str(&e->countries, &e->n_countries, c, strlen(c));
}

static char *dup(const char *s)
{
    return s ? wl_strndup(s, strlen(s)) : NULL;
}

/* *dst a copy of s (none when s is NULL: OFAC's -0-); -1 when out of memory. */
static int dupf(char **dst, const char *s)
{
    *dst = dup(s);
    return s && !*dst ? -1 : 0;
}

/* "14 Apr 1965", "Apr 1965", "1965", "circa 1958", "1958 to 1960" into d; -1 if none of them. */
static int parse_dob(const char *s, wl_name_date *d)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    unsigned day = 0, month = 0;
    int year = 0, n = 0;
    char mon[4] = "";
    memset(d, 0, sizeof *d);
    if (strncmp(s, "circa ", 6) == 0)
        d->circa = 1, s += 6;
    if (sscanf(s, "%u %3s %d%n", &day, mon, &year, &n) == 3 && day >= 1 && day <= 31)
        ;
    else if (day = 0, sscanf(s, "%3s %d%n", mon, &year, &n) == 2 && mon[0] >= 'A' && mon[0] <= 'Z')
        ;
    else if (mon[0] = '\0', sscanf(s, "%d%n", &year, &n) == 1)
        d->circa |= strstr(s, " to ") != NULL;
    else
        return -1;
    if (mon[0]) {
        const char *m = strstr(months, mon);
        if (!m || (m - months) % 3)
            return -1;
        month = (unsigned)((m - months) / 3 + 1);
    }
    if (year < 1000 || year > 9999)
        return -1;
    d->year = year, d->month = month, d->day = month ? day : 0;
    return 0;
}

static const struct {
    const char *label, *type;
} id_labels[] = {
    {"Vessel Registration Identification IMO ", "IMO"},
    {"IMO ", "IMO"},
    {"Passport ", "passport"},
    {"National ID No. ", "national id"},
    {"Tax ID No. ", "tax id"},
    {"Registration Number ", "registration"},
    {"Registration ID ", "registration"},
    {"Identification Number ", "identification"},
    {"Cedula No. ", "cedula"},
    {"SWIFT/BIC ", "SWIFT/BIC"},
    {"D-U-N-S Number ", "D-U-N-S"},
    {"Aircraft Manufacturer's Serial Number (MSN) ", "aircraft MSN"},
};

/* The facts of an entry's remarks: "; "-separated, "alt. " before a second of a kind. */
static int remarks_facts(wl_ofac_entry *e)
{
    const char *s = e->remarks;
    while (s && *s) {
        const char *end = strstr(s, "; ");
        size_t len = end ? (size_t)(end - s) : strlen(s);
        char f[512];
        if (len >= sizeof f)
            len = sizeof f - 1;
        memcpy(f, s, len);
        f[len] = '\0';
        while (len && (f[len - 1] == '.' || f[len - 1] == ' '))
            f[--len] = '\0';
        const char *x = strncmp(f, "alt. ", 5) == 0 ? f + 5 : f;
        wl_name_date d;
        if (strncmp(x, "DOB ", 4) == 0) {
            if (parse_dob(x + 4, &d) == 0 && push(&e->dobs, &e->n_dobs, sizeof d, &d) != 0)
                return -1;
        } else if (strncmp(x, "POB ", 4) == 0) {
            if (!e->pob && !(e->pob = dup(x + 4)))
                return -1;
        } else if (strncmp(x, "nationality ", 12) == 0 || strncmp(x, "citizen ", 8) == 0) {
            const char *c = x + (x[0] == 'n' ? 12 : 8);
            if (push_country(e, c) != 0)
                return -1;
        } else if ((x[0] == 'a' || x[0] == 'f' || x[0] == 'n') &&
                   strncmp(x + 1, ".k.a. '", 7) == 0) {
            const char *q = x + 8, *close = strrchr(q, '\'');
            wl_ofac_alias a = {0};
            if (close && close > q) {
                a.name = wl_strndup(q, (size_t)(close - q));
                a.kind[0] = x[0], a.kind[1] = 'k', a.kind[2] = 'a';
                a.weak = 0;
                if (!a.name || push(&e->aliases, &e->n_aliases, sizeof a, &a) != 0) {
                    wl_free(a.name);
                    return -1;
                }
            }
        } else {
            for (size_t i = 0; i < sizeof id_labels / sizeof id_labels[0]; i++) {
                size_t l = strlen(id_labels[i].label);
                if (strncmp(x, id_labels[i].label, l) != 0)
                    continue;
                const char *v = x + l, *paren = strstr(v, " (");
                wl_name_id id = {id_labels[i].type,
                                 wl_strndup(v, paren ? (size_t)(paren - v) : strlen(v))};
                if (!id.value || push(&e->ids, &e->n_ids, sizeof id, &id) != 0) {
                    wl_free((char *)id.value);
                    return -1;
                }
                break;
            }
        }
        s = end ? end + 2 : NULL;
    }
    return 0;
}

typedef struct {
    uint64_t ent;
    size_t i;
} byent;

static int by_ent(const void *a, const void *b)
{
    uint64_t x = ((const byent *)a)->ent, y = ((const byent *)b)->ent;
    return x < y ? -1 : x > y;
}

/* by_ent, then file order: of an ent_num twice, the first first */
static int by_ent_line(const void *a, const void *b)
{
    size_t x = ((const byent *)a)->i, y = ((const byent *)b)->i;
    int c = by_ent(a, b);
    return c ? c : x < y ? -1 : x > y;
}

static wl_ofac_entry *find(const wl_ofac_list *l, const byent *ix, uint64_t ent)
{
    byent key = {ent, 0};
    const byent *h = l->n ? bsearch(&key, ix, l->n, sizeof *ix, by_ent) : NULL;
    return h ? &l->entries[h->i] : NULL;
}

/* ent_num of a field: a whole number from 1; 0 if not. */
static uint64_t ent_num(const char *s)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return 0;
    unsigned long long v = strtoull(s, &end, 10);
    return *end ? 0 : (uint64_t)v;
}

static int read_sdn(wl_ofac_list *l, reader *r)
{
    int n;
    while ((n = record(r)) > 0) {
        wl_ofac_entry e = {.line = r->start_line};
        const char *type = r->f[2];
        if (bad_bytes(l, r, "sdn.csv"))
            continue;
        if (n != 12) {
            char c[16];
            snprintf(c, sizeof c, "%d", n);
            reject(l, "sdn.csv", r->start_line, "12 fields expected, %s found", c);
            continue;
        }
        if ((e.ent_num = ent_num(r->f[0])) == 0 || !r->f[1]) {
            reject(l, "sdn.csv", r->start_line, "%s",
                   "ent_num (a whole number) and SDN_Name needed");
            continue;
        }
        e.type = !type                             ? "entity"
                 : strcmp(type, "individual") == 0 ? "person"
                 : strcmp(type, "vessel") == 0     ? "vessel"
                 : strcmp(type, "aircraft") == 0   ? "aircraft"
                                                   : NULL;
        if (!e.type) {
            reject(l, "sdn.csv", r->start_line,
                   "SDN_Type \"%s\" is none of individual, vessel, aircraft or -0-", type);
            continue;
        }
        if (push(&l->entries, &l->n, sizeof e, &e) != 0)
            return -1;
        wl_ofac_entry *d = &l->entries[l->n - 1];
        int bad = dupf(&d->name, r->f[1]) || dupf(&d->title, r->f[4]) ||
                  dupf(&d->call_sign, r->f[5]) || dupf(&d->vessel_type, r->f[6]) ||
                  dupf(&d->tonnage, r->f[7]) || dupf(&d->grt, r->f[8]) ||
                  dupf(&d->vessel_flag, r->f[9]) || dupf(&d->vessel_owner, r->f[10]) ||
                  dupf(&d->remarks, r->f[11]);
        for (const char *p = r->f[3]; p && !bad;) { /* SDGT] [SYRIA] [NPWMD */
            const char *q = strstr(p, "] [");
            bad = push_str(&d->programs, &d->n_programs, p, q ? (size_t)(q - p) : strlen(p)) != 0;
            p = q ? q + 3 : NULL;
        }
        if (bad)
            return -1;
    }
    if (n < 0 && n != -4)
        reject(l, "sdn.csv", r->start_line, read_why(n), NULL);
    return n == -4 ? -1 : 0;
}

/* add.csv, alt.csv, sdn_comments.csv: each record joined to its entry. */
static int read_more(wl_ofac_list *l, const byent *ix, reader *r, const char *file, int want)
{
    int n;
    while ((n = record(r)) > 0) {
        wl_ofac_entry *e = n == want ? find(l, ix, ent_num(r->f[0])) : NULL;
        if (bad_bytes(l, r, file))
            continue;
        if (n != want) {
            reject(l, file, r->start_line, "%s",
                   want == 2   ? "2 fields expected"
                   : want == 5 ? "5 fields expected"
                               : "6 fields expected");
            continue;
        }
        if (!e) {
            reject(l, file, r->start_line, "ent_num %s is no entry of sdn.csv", r->f[0]);
            continue;
        }
        if (want == 6) { /* ent_num, add_num, address, city, country, remarks */
            l->n_addresses++;
            if (r->f[4] && push_country(e, r->f[4]) != 0)
                return -1;
        } else if (want == 5) { /* ent_num, alt_num, type, name, remarks */
            wl_ofac_alias a = {0};
            const char *k = r->f[2] ? r->f[2] : "aka";
            if (!r->f[3] || (strcmp(k, "aka") && strcmp(k, "fka") && strcmp(k, "nka"))) {
                reject(l, file, r->start_line, "%s",
                       "an alias needs a name and a type aka, fka or nka");
                continue;
            }
            memcpy(a.kind, k, 3);
            a.weak = r->f[4] && strstr(r->f[4], "weak") != NULL;
            if (!(a.name = dup(r->f[3])) || push(&e->aliases, &e->n_aliases, sizeof a, &a) != 0) {
                wl_free(a.name);
                return -1;
            }
            l->n_aliases++;
        } else if (r->f[1]) { /* the remarks continued, cut mid-word: joined as they are */
            size_t a = e->remarks ? strlen(e->remarks) : 0, b = strlen(r->f[1]);
            char *m = wl_realloc(e->remarks, a + b + 1);
            if (!m)
                return -1;
            memcpy(m + a, r->f[1], b + 1);
            e->remarks = m;
            l->n_comments++;
        }
    }
    if (n < 0 && n != -4)
        reject(l, file, r->start_line, read_why(n), NULL);
    return n == -4 ? -1 : 0;
}

wl_rc wl_ofac_read(const char *sdn, size_t sdn_len, const char *add, size_t add_len,
                   const char *alt, size_t alt_len, const char *comments, size_t comments_len,
                   wl_ofac_list *out, wl_error *err)
{
    const struct {
        const char *name, *b;
        size_t len;
        int want;
    } files[] = {{"sdn_comments.csv", comments, comments_len, 2},
                 {"alt.csv", alt, alt_len, 5},
                 {"add.csv", add, add_len, 6}};
    reader r = {0};
    byent *ix = NULL;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    if (sdn_len > WL_OFAC_FILE_MAX || add_len > WL_OFAC_FILE_MAX || alt_len > WL_OFAC_FILE_MAX ||
        comments_len > WL_OFAC_FILE_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "file_too_large",
                            "an OFAC file is at most %u bytes", WL_OFAC_FILE_MAX);
    if (!(out->rejects = wl_calloc(WL_OFAC_REJECTS_MAX, sizeof *out->rejects)))
        goto nomem;
    r = (reader){.b = sdn, .len = sdn_len, .line = 1};
    if (read_sdn(out, &r) != 0 || (out->n && !(ix = wl_malloc(out->n * sizeof *ix))))
        goto nomem;
    for (size_t i = 0; i < out->n; i++)
        ix[i] = (byent){out->entries[i].ent_num, i};
    if (out->n) /* qsort and bsearch (find) take no NULL, even of 0 elements */
        qsort(ix, out->n, sizeof *ix, by_ent_line);
    for (size_t i = 1; i < out->n; i++)
        if (ix[i].ent == ix[i - 1].ent) {
            char c[64];
            snprintf(c, sizeof c, "%llu twice, first at line %zu", (unsigned long long)ix[i].ent,
                     out->entries[ix[i - 1].i].line);
            reject(out, "sdn.csv", out->entries[ix[i].i].line, "ent_num %s", c);
        }
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        if (!files[k].b)
            continue;
        wl_buf_free(&r.sc);
        r = (reader){.b = files[k].b, .len = files[k].len, .line = 1};
        if (read_more(out, ix, &r, files[k].name, files[k].want) != 0)
            goto nomem;
    }
    for (size_t i = 0; i < out->n; i++)
        if (remarks_facts(&out->entries[i]) != 0)
            goto nomem;
    if (out->n_rejects)
        rc = wl_error_set(err, WL_ERR_INVALID, "ofac_rejected",
                          "%zu records refused, nothing imported; the first: %s line %zu: %s",
                          out->n_rejects, out->rejects[0].file, out->rejects[0].line,
                          out->rejects[0].why);
    goto out;
nomem:
    rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    wl_ofac_free(out);
out:
    wl_buf_free(&r.sc);
    wl_free(ix);
    return rc;
}

void wl_ofac_free(wl_ofac_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        wl_ofac_entry *e = &l->entries[i];
        char *strs[] = {e->name, e->title,       e->call_sign,    e->vessel_type, e->tonnage,
                        e->grt,  e->vessel_flag, e->vessel_owner, e->remarks,     e->pob};
        for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
            wl_free(strs[k]);
        for (size_t k = 0; k < e->n_programs; k++)
            wl_free(e->programs[k]);
        for (size_t k = 0; k < e->n_aliases; k++)
            wl_free(e->aliases[k].name);
        for (size_t k = 0; k < e->n_countries; k++)
            wl_free(e->countries[k]);
        for (size_t k = 0; k < e->n_ids; k++)
            wl_free((char *)e->ids[k].value);
        wl_free(e->programs);
        wl_free(e->aliases);
        wl_free(e->countries);
        wl_free(e->ids);
        wl_free(e->dobs);
    }
    wl_free(l->entries);
    wl_free(l->rejects);
    memset(l, 0, sizeof *l);
}
