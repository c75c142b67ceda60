/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The official lists' XML read one record at a time (include/willing/sanctions.h):
 * the file refused unread when too large or declaring a DOCTYPE, then libxml2's
 * xmlReader streams it with network access and entities off, each record's element
 * expanded alone and handed to its format (sanctions_un.c, _eu.c, _uk.c), then
 * freed, so a file's memory is its bytes and one record's tree. The body of each
 * record is built here, checked by the kind's own rules, kept or refused.
 * docs/internals/pressure.md, "The official lists' XML".
 */
#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sanctions_int.h"
#include "willing/crypto.h"
#include "willing/names.h"
#include "willing/pressure.h"
#include "willing/xml.h"

/* ---- nodes ---- */

int sx_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const xmlNode *sx_child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (sx_is(c, name))
            return c;
    return NULL;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s trimmed, white space runs made one space, kept in d; xmlFrees s. */
static const char *keep(sx_body *d, xmlChar *s)
{
    size_t n = 0;
    char *o;
    if (s == NULL)
        return "";
    o = (char *)s;
    for (const unsigned char *p = s; *p; p++) {
        if (is_space(*p)) {
            if (n > 0 && o[n - 1] != ' ')
                o[n++] = ' ';
        } else {
            o[n++] = (char)*p;
        }
    }
    while (n > 0 && o[n - 1] == ' ')
        n--;
    o[n] = '\0';
    if (n == 0) {
        xmlFree(s);
        return "";
    }
    if (d->n_strs == d->cap_strs) {
        size_t cap = d->cap_strs ? 2 * d->cap_strs : 32;
        char **p = wl_realloc(d->strs, cap * sizeof *p);
        if (p == NULL) {
            xmlFree(s);
            d->nomem = 1;
            return "";
        }
        d->strs = p, d->cap_strs = cap;
    }
    d->strs[d->n_strs++] = o;
    return o;
}

const char *sx_text(sx_body *d, const xmlNode *n)
{
    return n ? keep(d, xmlNodeGetContent(n)) : "";
}

const char *sx_child_text(sx_body *d, const xmlNode *n, const char *name)
{
    return sx_text(d, sx_child(n, name));
}

const char *sx_attr(sx_body *d, const xmlNode *n, const char *name)
{
    return n ? keep(d, xmlGetNoNsProp(n, (const xmlChar *)name)) : "";
}

/* ---- the body ---- */

void sx_refuse(sx_body *d, const char *fmt, ...)
{
    va_list ap;
    if (d->why[0])
        return;
    va_start(ap, fmt);
    vsnprintf(d->why, sizeof d->why, fmt, ap);
    va_end(ap);
}

static void set(sx_body *d, json_t *o, const char *k, json_t *v)
{
    if (v == NULL || json_object_set_new(o, k, v) != 0)
        d->nomem = 1;
}

static void append(sx_body *d, json_t *a, json_t *v)
{
    if (v == NULL || json_array_append_new(a, v) != 0)
        d->nomem = 1;
}

void sx_begin(sx_body *d, const char *type)
{
    memset(d, 0, sizeof *d);
    d->b = json_object();
    d->names = json_array(), d->ids = json_array(), d->dob = json_array();
    d->pob = json_array(), d->countries = json_array(), d->programmes = json_array();
    if (!d->b || !d->names || !d->ids || !d->dob || !d->pob || !d->countries || !d->programmes)
        d->nomem = 1;
    else if (type)
        set(d, d->b, "type", json_string(type));
}

void sx_subject(sx_body *d, const char *id)
{
    char s[65];
    size_t n = strlen(id);
    if (n == 0) {
        sx_refuse(d, "no id");
        return;
    }
    if (n >= sizeof s) {
        sx_refuse(d, "id '%.64s...' is longer than 64 bytes", id);
        return;
    }
    for (size_t i = 0; i <= n; i++) {
        char c = id[i];
        s[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        if (c && !(s[i] >= 'a' && s[i] <= 'z') && !(c >= '0' && c <= '9') && c != '.' && c != '_' &&
            c != '-') {
            sx_refuse(d, "id '%s' holds a character other than letters, digits, . _ -", id);
            return;
        }
    }
    set(d, d->b, "subject", json_string(s));
}

/* ISO 15924 of a name: by its first letter not Latin (Cyrl, Arab, Grek, Hani...), Latn
   when every letter is Latin, else Zyyy. */
static const char *script(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        uint32_t c = *p;
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len == 2 && p[1])
            c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
        else if (len == 3 && p[1] && p[2])
            c = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        else if (len == 4)
            return "Zyyy";
        if (c >= 0x0370 && c < 0x0400)
            return "Grek";
        if (c >= 0x0400 && c < 0x0530)
            return "Cyrl";
        if ((c >= 0x0600 && c < 0x0700) || (c >= 0x0750 && c < 0x0780) ||
            (c >= 0xFB50 && c < 0xFE00) || (c >= 0xFE70 && c < 0xFF00))
            return "Arab";
        if (c >= 0x1100 && c < 0x1200)
            return "Hang";
        if (c >= 0xAC00 && c < 0xD7B0)
            return "Hang";
        if (c >= 0x4E00 && c < 0xA000)
            return "Hani";
        if (c >= 0x0250 && c < 0x1E00 && c != 0x02BC && !(c >= 0x2B0 && c < 0x370))
            return "Zyyy";
        for (int i = 0; i < len && *p; i++)
            p++;
    }
    return "Latn";
}

void sx_name(sx_body *d, const char *name, const char *alias, const char *quality)
{
    size_t n;
    json_t *o;
    if (name[0] == '\0' || d->nomem)
        return;
    n = json_array_size(d->names);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(d->names, i);
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
            return; /* the primary or an alias once more */
    }
    if (alias == NULL && d->has_primary) /* a second primary name: an alias of the first */
        alias = "aka";
    o = json_pack("{s:s, s:s}", "name", name, "script", script(name));
    if (o && alias)
        set(d, o, "alias", json_string(alias));
    if (o && quality)
        set(d, o, "quality", json_string(quality));
    if (alias == NULL)
        d->has_primary = 1;
    append(d, d->names, o);
}

void sx_id(sx_body *d, const char *type, const char *value, const char *country)
{
    json_t *o;
    if (value[0] == '\0' || d->nomem)
        return;
    for (size_t i = 0; i < json_array_size(d->ids); i++) {
        const json_t *e = json_array_get(d->ids, i);
        if (strcmp(json_string_value(json_object_get(e, "type")), type) == 0 &&
            strcmp(json_string_value(json_object_get(e, "value")), value) == 0)
            return;
    }
    o = json_pack("{s:s, s:s}", "type", type, "value", value);
    if (o && country && country[0])
        set(d, o, "country", json_string(country));
    append(d, d->ids, o);
}

void sx_dob(sx_body *d, int year, int month, int day, int circa)
{
    char date[11];
    json_t *o;
    if (year < 1000 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31 ||
        (day && !month)) {
        sx_refuse(d, "a date of birth %d-%d-%d out of range", year, month, day);
        return;
    }
    if (day)
        snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    else if (month)
        snprintf(date, sizeof date, "%04d-%02d", year, month);
    else
        snprintf(date, sizeof date, "%04d", year);
    for (size_t i = 0; i < json_array_size(d->dob); i++) {
        const json_t *e = json_array_get(d->dob, i);
        if (strcmp(json_string_value(json_object_get(e, "date")), date) == 0 &&
            json_is_true(json_object_get(e, "circa")) == (circa != 0))
            return; /* the same date twice */
    }
    o = json_pack("{s:s}", "date", date);
    if (o && circa)
        set(d, o, "circa", json_true());
    append(d, d->dob, o);
}

void sx_dob_ymd(sx_body *d, const char *ymd, int circa)
{
    int v[3] = {0, 0, 0};
    for (int i = 0, k = 0; i < 10; i++) {
        if (ymd[i] == '-')
            k++;
        else
            v[k] = v[k] * 10 + (ymd[i] - '0');
    }
    sx_dob(d, v[0], v[1], v[2], circa);
}

void sx_add(sx_body *d, json_t *arr, const char *text)
{
    if (text[0] == '\0' || d->nomem)
        return;
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (strcmp(json_string_value(json_array_get(arr, i)), text) == 0)
            return;
    append(d, arr, json_string(text));
}

void sx_date(sx_body *d, const char *field, const char *ymd)
{
    char out[11];
    if (ymd[0] == '\0')
        return;
    if (sx_ymd(ymd, out) != 0) {
        sx_refuse(d, "%s: '%.40s' is not a date", field, ymd);
        return;
    }
    set(d, d->b, field, json_string(out));
}

int sx_int(const char *s)
{
    int v = 0;
    size_t n = strlen(s);
    if (n == 0 || n > 4 || strspn(s, "0123456789") != n)
        return -1;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    return v;
}

int sx_ymd(const char *s, char out[11])
{
    int y, m, d;
    char buf[5];
    if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-') { /* 2026-02-27, ...T00:00Z, ...-04:00 */
        memcpy(buf, s, 4), buf[4] = '\0', y = sx_int(buf);
        memcpy(buf, s + 5, 2), buf[2] = '\0', m = sx_int(buf);
        memcpy(buf, s + 8, 2), buf[2] = '\0', d = sx_int(buf);
        if (s[10] != '\0' && !strchr("TZ+-", s[10])) /* a time, or an xs:date's zone */
            return -1;
    } else if (strlen(s) == 10 && s[2] == '/' && s[5] == '/') { /* 14/08/2026 */
        memcpy(buf, s, 2), buf[2] = '\0', d = sx_int(buf);
        memcpy(buf, s + 3, 2), buf[2] = '\0', m = sx_int(buf);
        y = sx_int(s + 6);
    } else {
        return -1;
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    {
        int64_t yy;
        unsigned mm, dd;
        wl_civil_from_days(wl_days_from_civil(y, (unsigned)m, (unsigned)d), &yy, &mm, &dd);
        return yy == y && mm == (unsigned)m && dd == (unsigned)d ? 0 : -1; /* no 31 April */
    }
}

static void reject(wl_sanctions_list *l, const char *record, long line, const char *why)
{
    if (l->n_rejects < WL_SANCTIONS_REJECTS_MAX && l->rejects) {
        wl_sanctions_reject *r = &l->rejects[l->n_rejects];
        snprintf(r->record, sizeof r->record, "%s", record);
        r->line = line;
        snprintf(r->why, sizeof r->why, "%s", why);
    }
    l->n_rejects++;
}

void sx_drop(sx_body *d)
{
    json_decref(d->b), json_decref(d->names), json_decref(d->ids), json_decref(d->dob);
    json_decref(d->pob), json_decref(d->countries), json_decref(d->programmes);
    for (size_t i = 0; i < d->n_strs; i++)
        xmlFree(d->strs[i]);
    wl_free(d->strs);
    memset(d, 0, sizeof *d);
}

wl_rc sx_finish(wl_sanctions_list *l, sx_body *d, const char *record, long line, wl_error *err)
{
    wl_error ce;
    const char *type;
    size_t n;
    l->records++;
    if (!d->nomem && !d->why[0]) {
        if (!d->has_primary)
            sx_refuse(d, "no name");
        else if (json_object_get(d->b, "listed") == NULL && l->generated[0] == '\0')
            sx_refuse(d, "no date listed, and the file gives no date of its own");
    }
    if (!d->nomem && !d->why[0]) {
        set(d, d->b, "names", json_incref(d->names));
        if (json_array_size(d->ids))
            set(d, d->b, "ids", json_incref(d->ids));
        if (json_array_size(d->dob))
            set(d, d->b, "dob", json_incref(d->dob));
        if (json_array_size(d->pob))
            set(d, d->b, "pob", json_incref(d->pob));
        if (json_array_size(d->countries))
            set(d, d->b, "countries", json_incref(d->countries));
        if (json_array_size(d->programmes))
            set(d, d->b, "programmes", json_incref(d->programmes));
        if (json_object_get(d->b, "listed") == NULL)
            set(d, d->b, "listed", json_string(l->generated));
        set(d, d->b, "source", json_pack("{s:s, s:s}", "list", l->list, "file", l->sha256));
    }
    if (!d->nomem && !d->why[0]) {
        wl_rc rc = wl_pressure_designation_check(d->b, &ce);
        if (rc == WL_ERR_NOMEM)
            d->nomem = 1;
        else if (rc != WL_OK)
            sx_refuse(d, "%s", ce.msg);
    }
    if (d->nomem) {
        sx_drop(d);
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    }
    if (d->why[0]) {
        reject(l, record, line, d->why);
        sx_drop(d);
        return WL_OK;
    }
    n = json_array_size(l->bodies);
    if ((n & (n - 1)) == 0) { /* lines grows as bodies does: at each power of two */
        long *p = wl_realloc(l->lines, (n ? 2 * n : 1) * sizeof *p);
        if (p == NULL) {
            sx_drop(d);
            return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        }
        l->lines = p;
    }
    if (json_array_append(l->bodies, d->b) != 0) {
        sx_drop(d);
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    }
    l->lines[n] = line;
    type = json_string_value(json_object_get(d->b, "type"));
    if (strcmp(type, "person") == 0)
        l->n_person++;
    else if (strcmp(type, "entity") == 0)
        l->n_entity++;
    else if (strcmp(type, "vessel") == 0)
        l->n_vessel++;
    else
        l->n_aircraft++;
    sx_drop(d);
    return WL_OK;
}

/* text cut at each sep, each part trimmed, given to name (names) or to arr (texts) */
static void each(sx_body *d, const char *text, char sep, json_t *arr, const char *alias,
                 const char *quality)
{
    const char *p = text;
    while (*p && !d->nomem) {
        const char *e = strchr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *s = p;
        char *part;
        p = e ? e + 1 : p + n;
        while (n > 0 && *s == ' ')
            s++, n--;
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n == 0)
            continue;
        if ((part = wl_strndup(s, n)) == NULL) {
            d->nomem = 1;
            return;
        }
        if (arr)
            sx_add(d, arr, part);
        else
            sx_name(d, part, alias, quality);
        wl_free(part);
    }
}

void sx_join(sx_body *d, const char *const *vals, size_t k, const char *sep, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        if (vals[i][0] == '\0')
            continue;
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? sep : "", vals[i]);
        if (len >= cap) {
            sx_refuse(d, "'%.40s...' is longer than %zu bytes", buf, cap - 1);
            buf[0] = '\0';
            return;
        }
    }
}

void sx_name_each(sx_body *d, const char *names, char sep, const char *alias, const char *quality)
{
    each(d, names, sep, NULL, alias, quality);
}

void sx_add_each(sx_body *d, json_t *arr, const char *text, char sep)
{
    each(d, text, sep, arr, NULL, NULL);
}
