/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EU's Financial Sanctions Files, XML 1.1 (list id "eu-fsf"): each sanctionEntity
 * as a designation body. Nearly everything is in attributes, most of them empty
 * strings; one nameAlias per name and language (BG in Cyrillic), strong true/false;
 * birthdates whole or split into dayOfMonth, monthOfYear and year, with circa;
 * country 00 for UNKNOWN; "-" for a city unknown; designationDate on some entities
 * only. docs/internals/pressure.md, "EU".
 */
#include <stdio.h>
#include <string.h>

#include "sanctions_int.h"

/* "" for the EU's unknowns: country 00 / UNKNOWN, city "-" */
static const char *known(const char *s)
{
    return strcmp(s, "00") == 0 || strcmp(s, "UNKNOWN") == 0 || strcmp(s, "-") == 0 ? "" : s;
}

/* A nameAlias's name: wholeName, else firstName middleName lastName. */
static const char *alias_name(sx_body *d, const xmlNode *n, char *buf, size_t cap)
{
    const char *whole = sx_attr(d, n, "wholeName");
    const char *parts[] = {sx_attr(d, n, "firstName"), sx_attr(d, n, "middleName"),
                           sx_attr(d, n, "lastName")};
    if (whole[0])
        return whole;
    sx_join(d, parts, 3, " ", buf, cap);
    return buf;
}

/* The primary name: the first strong nameAlias given with its parts (firstName or
   lastName: the EU's structured form), else the first strong one, else the first. */
static const xmlNode *primary(sx_body *d, const xmlNode *e)
{
    const xmlNode *strong = NULL, *first = NULL;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (!sx_is(c, "nameAlias"))
            continue;
        int weak = strcmp(sx_attr(d, c, "strong"), "false") == 0;
        if (!weak && (sx_attr(d, c, "firstName")[0] || sx_attr(d, c, "lastName")[0]))
            return c;
        if (!weak && strong == NULL)
            strong = c;
        if (first == NULL)
            first = c;
    }
    return strong ? strong : first;
}

static void birthdate(sx_body *d, const xmlNode *n)
{
    const char *whole = sx_attr(d, n, "birthdate");
    int circa = strcmp(sx_attr(d, n, "circa"), "true") == 0;
    const char *parts[] = {known(sx_attr(d, n, "city")), sx_attr(d, n, "region"),
                           sx_attr(d, n, "place"), known(sx_attr(d, n, "countryDescription"))};
    char ymd[11], pob[WL_PRESSURE_TEXT_BYTES + 1];
    if (whole[0]) {
        if (sx_ymd(whole, ymd) != 0)
            sx_refuse(d, "birthdate '%.20s' is not YYYY-MM-DD", whole);
        else
            sx_dob_ymd(d, ymd, circa);
    } else if (sx_attr(d, n, "year")[0]) { /* split: a year, perhaps its month and day */
        const char *m = sx_attr(d, n, "monthOfYear"), *dd = sx_attr(d, n, "dayOfMonth");
        int y = sx_int(sx_attr(d, n, "year")), mo = m[0] ? sx_int(m) : 0,
            da = dd[0] && m[0] ? sx_int(dd) : 0;
        if (y < 0 || mo < 0 || da < 0)
            sx_refuse(d, "birthdate year, monthOfYear or dayOfMonth is not a number");
        else
            sx_dob(d, y, mo, da, circa);
    }
    sx_join(d, parts, 4, ", ", pob, sizeof pob);
    sx_add(d, d->pob, pob);
}

static void identification(sx_body *d, const xmlNode *n)
{
    const char *type = sx_attr(d, n, "identificationTypeDescription");
    const char *country = known(sx_attr(d, n, "countryIso2Code"));
    if (type[0] == '\0')
        type = sx_attr(d, n, "identificationTypeCode");
    if (type[0] == '\0')
        type = "identification";
    sx_id(d, type, sx_attr(d, n, "number"), country);
    sx_id(d, type, sx_attr(d, n, "latinNumber"), country);
}

static void country(sx_body *d, const xmlNode *n)
{
    sx_add(d, d->countries, known(sx_attr(d, n, "countryDescription")));
}

static wl_rc record(wl_sanctions_list *l, const xmlNode *e, long line, wl_error *err)
{
    sx_body d;
    char label[96], buf[WL_NAME_MAX_BYTES + 1];
    const char *id, *code;
    const xmlNode *p;
    sx_begin(&d, NULL);
    id = sx_attr(&d, e, "logicalId");
    snprintf(label, sizeof label, "sanctionEntity logicalId %s", id[0] ? id : "(none)");
    sx_subject(&d, id);
    code = sx_attr(&d, sx_child(e, "subjectType"), "code");
    if (strcmp(code, "person") == 0)
        json_object_set_new(d.b, "type", json_string("person"));
    else if (strcmp(code, "enterprise") == 0)
        json_object_set_new(d.b, "type", json_string("entity"));
    else
        sx_refuse(&d, "subjectType code '%.40s' is neither person nor enterprise", code);
    sx_id(&d, "EU reference", sx_attr(&d, e, "euReferenceNumber"), NULL);
    sx_id(&d, "UN reference", sx_attr(&d, e, "unitedNationId"), NULL);
    sx_date(&d, "listed", sx_attr(&d, e, "designationDate"));
    if ((p = primary(&d, e)) != NULL) {
        const char *q = sx_attr(&d, p, "strong");
        sx_name(&d, alias_name(&d, p, buf, sizeof buf), NULL,
                strcmp(q, "false") == 0 ? "weak" : NULL);
    }
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (sx_is(c, "nameAlias") && c != p) {
            const char *q = sx_attr(&d, c, "strong");
            sx_name(&d, alias_name(&d, c, buf, sizeof buf), "aka",
                    strcmp(q, "true") == 0    ? "strong"
                    : strcmp(q, "false") == 0 ? "weak"
                                              : NULL);
        } else if (sx_is(c, "regulation")) {
            sx_add(&d, d.programmes, sx_attr(&d, c, "programme"));
        } else if (sx_is(c, "birthdate")) {
            birthdate(&d, c);
        } else if (sx_is(c, "citizenship") || sx_is(c, "address")) {
            country(&d, c);
        } else if (sx_is(c, "identification")) {
            identification(&d, c);
        }
    }
    return sx_finish(l, &d, label, line, err);
}

static const char *const records[] = {"sanctionEntity", NULL};

const sx_format wl_sx_eu = {"the EU list", "export", "generationDate", records, record};
