/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An OFAC entry (include/willing/ofac.h) as the body of a
 * pressure.designation attributed to OFAC's list: wl_ofac_body. The body is
 * checked by the kind's own rules (lib/pressure/designation.c) before it is
 * given. docs/internals/pressure.md, "OFAC".
 */
#include <stdio.h>
#include <string.h>

#include "willing/ofac.h"
#include "willing/pressure.h"
#include "willing/reference.h"

/* ISO 15924 of a name: Cyrl when it holds Cyrillic, Latn when ASCII, Zyyy otherwise. */
static const char *script(const char *name)
{
    int cyr = 0, ascii = 1;
    wl_error err;
    if (wl_names_check(name, strlen(name), &cyr, &err) == WL_OK && cyr)
        return "Cyrl";
    for (const char *p = name; *p && ascii; p++)
        ascii = (unsigned char)*p < 0x80;
    return ascii ? "Latn" : "Zyyy";
}

static json_t *strings(char *const *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(s[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* A text of the body that is not UTF-8 (wl_ofac_read refuses its record with the file's line;
 * this names it for an entry made otherwise): invalid_body naming it, else WL_OK. */
static wl_rc utf8(const char *what, size_t i, const char *t, wl_error *err)
{
    size_t at = t ? wl_utf8_bad(t, strlen(t)) : 0;
    if (at == 0)
        return WL_OK;
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                        "%s %zu is not UTF-8: the byte %02x at its byte %zu", what, i + 1,
                        (unsigned char)t[at - 1], at);
}

static wl_rc texts_utf8(const wl_ofac_entry *e, wl_error *err)
{
    wl_rc rc = utf8("name", 0, e->name, err);
    for (size_t i = 0; rc == WL_OK && i < e->n_aliases; i++)
        rc = utf8("alias", i, e->aliases[i].name, err);
    for (size_t i = 0; rc == WL_OK && i < e->n_ids; i++)
        rc = utf8("identifier", i, e->ids[i].value, err);
    for (size_t i = 0; rc == WL_OK && i < e->n_countries; i++)
        rc = utf8("country", i, e->countries[i], err);
    for (size_t i = 0; rc == WL_OK && i < e->n_programs; i++)
        rc = utf8("programme", i, e->programs[i], err);
    return rc == WL_OK ? utf8("place of birth", 0, e->pob, err) : rc;
}

wl_rc wl_ofac_body(const wl_ofac_entry *e, const char *file_sha256, const char *listed,
                   json_t **out, wl_error *err)
{
    json_t *b = json_object(), *names = json_array(), *ids = json_array(), *dob = json_array();
    char subject[24], date[11];
    int bad = !b || !names || !ids || !dob;
    wl_rc rc;
    *out = NULL;
    if ((rc = texts_utf8(e, err)) != WL_OK) {
        json_decref(b), json_decref(names), json_decref(ids), json_decref(dob);
        return rc;
    }
    snprintf(subject, sizeof subject, "%llu", (unsigned long long)e->ent_num);
    bad |= json_array_append_new(
               names, json_pack("{s:s, s:s}", "name", e->name, "script", script(e->name))) != 0;
    for (size_t i = 0; i < e->n_aliases && !bad; i++) {
        json_t *a = json_pack("{s:s, s:s, s:s}", "name", e->aliases[i].name, "script",
                              script(e->aliases[i].name), "alias", e->aliases[i].kind);
        if (a && e->aliases[i].weak)
            json_object_set_new(a, "quality", json_string("weak"));
        bad |= json_array_append_new(names, a) != 0;
    }
    for (size_t i = 0; i < e->n_ids && !bad; i++)
        bad |= json_array_append_new(ids, json_pack("{s:s, s:s}", "type", e->ids[i].type, "value",
                                                    e->ids[i].value)) != 0;
    for (size_t i = 0; i < e->n_dobs && !bad; i++) {
        const wl_name_date *d = &e->dobs[i];
        if (d->day)
            snprintf(date, sizeof date, "%04d-%02u-%02u", d->year, d->month, d->day);
        else if (d->month)
            snprintf(date, sizeof date, "%04d-%02u", d->year, d->month);
        else
            snprintf(date, sizeof date, "%04d", d->year);
        json_t *o = json_pack("{s:s}", "date", date);
        if (o && d->circa)
            json_object_set_new(o, "circa", json_true());
        bad |= json_array_append_new(dob, o) != 0;
    }
    if (!bad) {
        bad |= json_object_set_new(b, "subject", json_string(subject)) != 0;
        bad |= json_object_set_new(b, "type", json_string(e->type)) != 0;
        bad |= json_object_set(b, "names", names) != 0;
        if (e->n_ids)
            bad |= json_object_set(b, "ids", ids) != 0;
        if (e->n_dobs)
            bad |= json_object_set(b, "dob", dob) != 0;
        if (e->pob)
            bad |= json_object_set_new(b, "pob", strings(&e->pob, 1)) != 0;
        if (e->n_countries)
            bad |= json_object_set_new(b, "countries", strings(e->countries, e->n_countries)) != 0;
        if (e->n_programs)
            bad |= json_object_set_new(b, "programmes", strings(e->programs, e->n_programs)) != 0;
        bad |= json_object_set_new(b, "listed", json_string(listed)) != 0;
        bad |=
            json_object_set_new(
                b, "source", json_pack("{s:s, s:s}", "list", "ofac-sdn", "file", file_sha256)) != 0;
    }
    json_decref(names), json_decref(ids), json_decref(dob);
    if (bad) {
        json_decref(b);
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    }
    if ((rc = wl_pressure_designation_check(b, err)) != WL_OK) {
        json_decref(b);
        return rc;
    }
    *out = b;
    return WL_OK;
}
