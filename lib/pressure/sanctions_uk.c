/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UK's FCDO Sanctions List (list id "uk-fcdo"): each Designation as a
 * designation body. Dates DD/MM/YYYY with dd and mm placeholders (dd/mm/1968,
 * dd/09/1958) or a bare year; the same date twice; values with leading and trailing
 * spaces; NameType's casing varying (Primary name, Primary Name); Name1..Name5 the
 * given names and Name6 the surname or an entity's whole name; IMO numbers with their
 * prefix (IMO9562233); RegimeName and SanctionsImposed separated by '|'; UniqueID,
 * OFSIGroupID and UNReferenceNumber that may be missing. docs/internals/pressure.md,
 * "UK".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sanctions_int.h"

/* "12/11/1967", "dd/09/1958", "dd/mm/1968", "1985" */
static void dob(sx_body *d, const char *s)
{
    int y, m = 0, day = 0;
    char two[3] = {0, 0, 0};
    if (strlen(s) == 4) {
        y = sx_int(s);
    } else if (strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
        y = sx_int(s + 6);
        if (strncasecmp(s + 3, "mm", 2) != 0) {
            memcpy(two, s + 3, 2), m = sx_int(two);
            if (strncasecmp(s, "dd", 2) != 0)
                memcpy(two, s, 2), day = sx_int(two);
        } else if (strncasecmp(s, "dd", 2) != 0) {
            y = -1; /* a day without its month */
        }
    } else {
        y = -1;
    }
    if (y < 0 || m < 0 || day < 0)
        sx_refuse(d, "DOB '%.20s' is not DD/MM/YYYY (dd, mm placeholders) or YYYY", s);
    else
        sx_dob(d, y, m, day, 0);
}

static void name(sx_body *d, const xmlNode *n)
{
    const char *type = sx_child_text(d, n, "NameType");
    const char *strength = sx_child_text(d, n, "AliasStrength");
    const char *quality = NULL;
    const char *parts[] = {sx_child_text(d, n, "Name1"), sx_child_text(d, n, "Name2"),
                           sx_child_text(d, n, "Name3"), sx_child_text(d, n, "Name4"),
                           sx_child_text(d, n, "Name5"), sx_child_text(d, n, "Name6")};
    char buf[WL_NAME_MAX_BYTES + 1];
    sx_join(d, parts, 6, " ", buf, sizeof buf);
    if (strncasecmp(strength, "Good quality", 12) == 0)
        quality = "strong";
    else if (strncasecmp(strength, "Low quality", 11) == 0)
        quality = "weak";
    if (strcasecmp(type, "Primary Name") == 0)
        sx_name(d, buf, NULL, NULL);
    else if (strcasecmp(type, "Alias") == 0 || strcasecmp(type, "Primary Name Variation") == 0)
        sx_name(d, buf, "aka", quality);
    else
        sx_refuse(d, "NameType '%.40s' is none of Primary Name, Primary Name Variation, Alias",
                  type);
}

static void place(sx_body *d, const xmlNode *n)
{
    const char *town = sx_child_text(d, n, "TownOfBirth");
    const char *country = sx_child_text(d, n, "CountryOfBirth");
    char buf[512];
    if ((size_t)snprintf(buf, sizeof buf, "%s%s%s", town, town[0] && country[0] ? ", " : "",
                         country) < sizeof buf)
        sx_add(d, d->pob, buf);
}

/* "IMO9562233", "IMO 9562233": the number */
static void imo(sx_body *d, const char *s)
{
    if (strncasecmp(s, "IMO", 3) == 0)
        s += 3;
    while (*s == ' ' || *s == ':')
        s++;
    sx_id(d, "IMO", s, NULL);
}

/* Every element under a Designation's details, at any depth. */
static void details(sx_body *d, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (sx_is(c, "Name"))
            name(d, c);
        else if (sx_is(c, "NameNonLatinScript"))
            sx_name(d, sx_text(d, c), "aka", NULL);
        else if (sx_is(c, "DOB"))
            dob(d, sx_text(d, c));
        else if (sx_is(c, "PassportNumber"))
            sx_id(d, "Passport", sx_text(d, c), NULL);
        else if (sx_is(c, "NationalIdentifierNumber"))
            sx_id(d, "National ID", sx_text(d, c), NULL);
        else if (sx_is(c, "IMONumber"))
            imo(d, sx_text(d, c));
        else if (sx_is(c, "Nationality") || sx_is(c, "AddressCountry") ||
                 sx_is(c, "CurrentBelievedFlagOfShip"))
            sx_add(d, d->countries, sx_text(d, c));
        else if (sx_is(c, "Location"))
            place(d, c);
        else if (sx_is(c, "RegimeName"))
            sx_add_each(d, d->programmes, sx_text(d, c), '|');
        else if (!sx_is(c, "OtherInformation") && !sx_is(c, "UKStatementofReasons"))
            details(d, c);
    }
}

static wl_rc record(wl_sanctions_list *l, const xmlNode *n, long line, wl_error *err)
{
    sx_body d;
    char label[96];
    const char *id, *type;
    if (sx_is(n, "DateGenerated")) { /* the file's date, before the designations */
        char ymd[11];
        sx_begin(&d, NULL);
        if (sx_ymd(sx_text(&d, n), ymd) == 0)
            memcpy(l->generated, ymd, sizeof ymd);
        sx_drop(&d);
        return WL_OK;
    }
    sx_begin(&d, NULL);
    id = sx_child_text(&d, n, "UniqueID");
    if (id[0])
        snprintf(label, sizeof label, "Designation %s", id);
    else
        snprintf(label, sizeof label, "Designation %zu (no UniqueID)", l->records + 1);
    sx_subject(&d, id);
    type = sx_child_text(&d, n, "IndividualEntityShip");
    if (strcmp(type, "Individual") == 0)
        json_object_set_new(d.b, "type", json_string("person"));
    else if (strcmp(type, "Entity") == 0)
        json_object_set_new(d.b, "type", json_string("entity"));
    else if (strcmp(type, "Ship") == 0)
        json_object_set_new(d.b, "type", json_string("vessel"));
    else
        sx_refuse(&d, "IndividualEntityShip '%.40s' is none of Individual, Entity, Ship", type);
    sx_date(&d, "listed", sx_child_text(&d, n, "DateDesignated"));
    sx_date(&d, "amended", sx_child_text(&d, n, "LastUpdated"));
    sx_id(&d, "OFSI group", sx_child_text(&d, n, "OFSIGroupID"), NULL);
    sx_id(&d, "UN reference", sx_child_text(&d, n, "UNReferenceNumber"), NULL);
    details(&d, n);
    return sx_finish(l, &d, label, line, err);
}

static const char *const records[] = {"DateGenerated", "Designation", NULL};

const sx_format wl_sx_uk = {"the UK list", "Designations", "dateGenerated", records, record};
