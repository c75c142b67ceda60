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

wl_rc wl_ofac_body(const wl_ofac_entry *e, const char *file_sha256, const char *listed,
                   json_t **out, wl_error *err)
{
    json_t *b = json_object(), *names = json_array(), *ids = json_array(), *dob = json_array();
    char subject[24], date[11];
    int bad = !b || !names || !ids || !dob;
    wl_rc rc;
    *out = NULL;
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
