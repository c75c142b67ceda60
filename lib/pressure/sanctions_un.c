/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UN Security Council's consolidated list (list id "un-sc"): each INDIVIDUAL and
 * ENTITY as a designation body. Names over FIRST_NAME..FOURTH_NAME, the name in its
 * original script, aliases of quality Good/Low (individuals) or a.k.a./f.k.a.
 * (entities), several in one ALIAS_NAME separated by ';'; dates of birth as DATE, YEAR
 * or FROM_YEAR..TO_YEAR with TYPE_OF_DATE; IMO numbers in COMMENTS1's text; empty
 * placeholders and trailing spaces everywhere. docs/internals/pressure.md, "UN".
 */
#include <stdio.h>
#include <string.h>

#include "sanctions_int.h"

/* "IMO number: 5342883", "IMO 5434358", "IMO: 8910378": the 7 digits after each IMO */
static void imo_numbers(sx_body *d, const char *text)
{
    for (const char *p = strstr(text, "IMO"); p; p = strstr(p + 3, "IMO")) {
        const char *q = p + 3;
        char v[8];
        if (p > text && ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z')))
            continue; /* DIMOV */
        while (*q == ' ' || *q == ':' || *q == '.' || *q == '#' || *q == ')')
            q++;
        if (strncmp(q, "number", 6) == 0 || strncmp(q, "Number", 6) == 0)
            q += 6;
        else if (strncmp(q, "No", 2) == 0)
            q += 2;
        while (*q == ' ' || *q == ':' || *q == '.')
            q++;
        if (strspn(q, "0123456789") != 7)
            continue;
        memcpy(v, q, 7), v[7] = '\0';
        sx_id(d, "IMO", v, NULL);
    }
}

static void date_of_birth(sx_body *d, const xmlNode *n)
{
    const char *type = sx_child_text(d, n, "TYPE_OF_DATE");
    const char *date = sx_child_text(d, n, "DATE"), *year = sx_child_text(d, n, "YEAR");
    const char *from = sx_child_text(d, n, "FROM_YEAR"), *to = sx_child_text(d, n, "TO_YEAR");
    int circa = strcmp(type, "APPROXIMATELY") == 0;
    char ymd[11];
    if (date[0]) {
        if (sx_ymd(date, ymd) != 0) {
            sx_refuse(d, "DATE_OF_BIRTH: DATE '%.20s' is not YYYY-MM-DD", date);
            return;
        }
        sx_dob_ymd(d, ymd, circa);
    } else if (year[0]) {
        sx_dob(d, sx_int(year), 0, 0, circa);
    } else if (from[0] || to[0]) { /* BETWEEN: each end, circa */
        if (from[0])
            sx_dob(d, sx_int(from), 0, 0, 1);
        if (to[0])
            sx_dob(d, sx_int(to), 0, 0, 1);
    }
}

static void place(sx_body *d, const xmlNode *n, json_t *arr)
{
    const char *parts[] = {sx_child_text(d, n, "STREET"), sx_child_text(d, n, "CITY"),
                           sx_child_text(d, n, "STATE_PROVINCE"), sx_child_text(d, n, "COUNTRY")};
    char buf[WL_PRESSURE_TEXT_BYTES + 1];
    sx_join(d, parts, 4, ", ", buf, sizeof buf);
    sx_add(d, arr, buf);
}

static void alias(sx_body *d, const xmlNode *n)
{
    const char *q = sx_child_text(d, n, "QUALITY"), *names = sx_child_text(d, n, "ALIAS_NAME");
    if (strcmp(q, "Good") == 0)
        sx_name_each(d, names, ';', "aka", "strong");
    else if (strcmp(q, "Low") == 0)
        sx_name_each(d, names, ';', "aka", "weak");
    else if (strcmp(q, "f.k.a.") == 0)
        sx_name_each(d, names, ';', "fka", NULL);
    else if (q[0] == '\0' || strcmp(q, "a.k.a.") == 0)
        sx_name_each(d, names, ';', "aka", NULL);
    else
        sx_refuse(d, "alias QUALITY '%.40s' is none of Good, Low, a.k.a., f.k.a.", q);
}

static void document(sx_body *d, const xmlNode *n)
{
    const char *type = sx_child_text(d, n, "TYPE_OF_DOCUMENT");
    const char *country = sx_child_text(d, n, "ISSUING_COUNTRY");
    if (country[0] == '\0')
        country = sx_child_text(d, n, "COUNTRY_OF_ISSUE");
    sx_id(d, type[0] ? type : "document", sx_child_text(d, n, "NUMBER"), country);
}

static wl_rc record(wl_sanctions_list *l, const xmlNode *n, long line, wl_error *err)
{
    int person = sx_is(n, "INDIVIDUAL");
    const char *pre = person ? "INDIVIDUAL" : "ENTITY";
    char label[96], name[WL_NAME_MAX_BYTES + 1], amended[11] = "", ymd[11];
    sx_body d;
    const char *ref;
    sx_begin(&d, person ? "person" : "entity");
    ref = sx_child_text(&d, n, "REFERENCE_NUMBER");
    snprintf(label, sizeof label, "%s %s", pre, ref[0] ? ref : "(no REFERENCE_NUMBER)");
    sx_subject(&d, ref);
    sx_id(&d, "UN reference", ref, NULL);
    const char *parts[] = {sx_child_text(&d, n, "FIRST_NAME"), sx_child_text(&d, n, "SECOND_NAME"),
                           sx_child_text(&d, n, "THIRD_NAME"), sx_child_text(&d, n, "FOURTH_NAME")};
    sx_join(&d, parts, 4, " ", name, sizeof name);
    sx_name(&d, name, NULL, NULL);
    sx_name_each(&d, sx_child_text(&d, n, "NAME_ORIGINAL_SCRIPT"), ';', "aka", NULL);
    sx_add(&d, d.programmes, sx_child_text(&d, n, "UN_LIST_TYPE"));
    sx_date(&d, "listed", sx_child_text(&d, n, "LISTED_ON"));
    imo_numbers(&d, sx_child_text(&d, n, "COMMENTS1"));
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (sx_is(c, "INDIVIDUAL_ALIAS") || sx_is(c, "ENTITY_ALIAS")) {
            alias(&d, c);
        } else if (sx_is(c, "NATIONALITY")) {
            for (const xmlNode *v = c->children; v; v = v->next)
                if (sx_is(v, "VALUE"))
                    sx_add(&d, d.countries, sx_text(&d, v));
        } else if (sx_is(c, "INDIVIDUAL_ADDRESS") || sx_is(c, "ENTITY_ADDRESS")) {
            sx_add(&d, d.countries, sx_child_text(&d, c, "COUNTRY"));
        } else if (sx_is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
            date_of_birth(&d, c);
        } else if (sx_is(c, "INDIVIDUAL_PLACE_OF_BIRTH")) {
            place(&d, c, d.pob);
        } else if (sx_is(c, "INDIVIDUAL_DOCUMENT")) {
            document(&d, c);
        } else if (sx_is(c, "LAST_DAY_UPDATED")) { /* several VALUEs: the latest */
            for (const xmlNode *v = c->children; v; v = v->next)
                if (sx_is(v, "VALUE") && sx_ymd(sx_text(&d, v), ymd) == 0 &&
                    strcmp(ymd, amended) > 0)
                    memcpy(amended, ymd, sizeof ymd);
        }
    }
    sx_date(&d, "amended", amended);
    return sx_finish(l, &d, label, line, err);
}

static const char *const records[] = {"INDIVIDUAL", "ENTITY", NULL};

const sx_format wl_sx_un = {"the UN list", "CONSOLIDATED_LIST", "dateGenerated", records, record};
