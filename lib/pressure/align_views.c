/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The alignment's views (include/willing/pressure_align.h): the matrix of
 * member lists as JSON or CSV, and the subjects designated by one list and not
 * by another, a page at a time or as CSV. Pure functions of a built alignment.
 * docs/FORMAT.md, "Pressure"; docs/internals/pressure.md, "Alignment".
 */
#include <stdio.h>
#include <string.h>

#include "pressure/align_int.h"
#include "willing/csv.h"
#include "willing/limits.h"

#define RULE                                                                                       \
    "designations not delisted, grouped into subjects: first the analyst's decisions (same "       \
    "joins; different keeps apart whatever else agrees, in every step), then an identifier in "    \
    "common (type by family, value by letters and digits), then every word of a name agreeing "    \
    "loosened with the same type and no date of birth disagreeing"

static wl_rc nomem(wl_error *err)
{
    return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
}

static json_t *list_json(const al_list *l)
{
    return l->member
               ? json_pack("{s:s, s:I, s:I}", "list", l->name, "subjects", (json_int_t)l->subjects,
                           "first", (json_int_t)l->first)
               : json_pack("{s:s, s:I}", "list", l->name, "subjects", (json_int_t)l->subjects);
}

wl_rc wl_pressure_align_json(const wl_pressure_align *a, json_t **out, wl_error *err)
{
    json_t *members = json_array(), *refs = json_array(), *pairs = json_array();
    uint32_t with_members = 0;
    int bad = members == NULL || refs == NULL || pairs == NULL;
    *out = NULL;
    for (uint32_t l = 0; !bad && l < a->nl; l++)
        bad = json_array_append_new(a->lists[l].member ? members : refs, list_json(&a->lists[l])) !=
              0;
    for (uint32_t x = 0; !bad && x < a->nm; x++)
        for (uint32_t y = 0; !bad && y < a->nm; y++) {
            const al_pair *p = &a->pairs[x * a->nm + y];
            if (x == y)
                continue;
            bad = json_array_append_new(
                      pairs,
                      json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:I}", "x",
                                a->lists[a->members[x]].name, "y", a->lists[a->members[y]].name,
                                "x_not_y", (json_int_t)p->x_not_y, "both", (json_int_t)p->both,
                                "y_after_x", (json_int_t)p->y_after_x, "y_after_x_median_days",
                                p->median < 0 ? json_null() : json_integer(p->median), "same_day",
                                (json_int_t)p->same_day)) != 0;
        }
    for (uint32_t g = 0; g < a->ng; g++)
        with_members += a->g[g].first_days != INT64_MAX;
    if (!bad)
        *out = json_pack("{s:I, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "data_version",
                         (json_int_t)a->version, "rule", RULE, "subjects", (json_int_t)a->ng,
                         "subjects_of_members", (json_int_t)with_members, "kept_apart",
                         (json_int_t)a->kept_apart, "members", members, "references", refs, "pairs",
                         pairs);
    else {
        json_decref(members);
        json_decref(refs);
        json_decref(pairs);
    }
    return *out ? WL_OK : nomem(err);
}

static wl_rc cells(wl_buf *b, const char *const *v, size_t n)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; rc == WL_OK && i < n; i++)
        rc = wl_csv_cell(b, v[i], i + 1 == n ? WL_CSV_LAST : 0, WL_PRESSURE_CSV_MAX);
    return rc;
}

wl_rc wl_pressure_align_csv(const wl_pressure_align *a, wl_buf *out, wl_error *err)
{
    static const char *const head[] = {"x",        "y",           "x_not_y",
                                       "both",     "y_after_x",   "y_after_x_median_days",
                                       "same_day", "data_version"};
    wl_rc rc = cells(out, head, 8);
    for (uint32_t x = 0; rc == WL_OK && x < a->nm; x++)
        for (uint32_t y = 0; rc == WL_OK && y < a->nm; y++) {
            const al_pair *p = &a->pairs[x * a->nm + y];
            char n[5][24], med[24] = "", ver[24];
            if (x == y)
                continue;
            snprintf(n[0], sizeof n[0], "%u", p->x_not_y);
            snprintf(n[1], sizeof n[1], "%u", p->both);
            snprintf(n[2], sizeof n[2], "%u", p->y_after_x);
            snprintf(n[3], sizeof n[3], "%u", p->same_day);
            if (p->median >= 0)
                snprintf(med, sizeof med, "%lld", (long long)p->median);
            snprintf(ver, sizeof ver, "%llu", (unsigned long long)a->version);
            const char *row[] = {a->lists[a->members[x]].name,
                                 a->lists[a->members[y]].name,
                                 n[0],
                                 n[1],
                                 n[2],
                                 med,
                                 n[3],
                                 ver};
            rc = cells(out, row, 8);
        }
    return rc == WL_OK ? WL_OK
                       : wl_error_set(err, rc, rc == WL_ERR_TOO_LARGE ? "too_large" : "internal",
                                      "pressure: the alignment's CSV cannot be written");
}

/* ---- the subjects ---- */

static uint32_t list_index(const wl_pressure_align *a, const char *name)
{
    for (uint32_t l = 0; l < a->nl; l++)
        if (strcmp(a->lists[l].name, name) == 0)
            return l;
    return UINT32_MAX;
}

static const al_part *part_of(const wl_pressure_align *a, const al_group *g, uint32_t list)
{
    for (uint32_t p = g->p0; p < g->p0 + g->np; p++)
        if (a->parts[p].list == list)
            return &a->parts[p];
    return NULL;
}

static const al_desig *key_of(const wl_pressure_align *a, const al_group *g)
{
    return &a->d[a->order[g->d0]]; /* the group's first designation by (list, subject) */
}

static json_t *group_json(const wl_pressure_align *a, const al_group *g)
{
    static const char *const by[] = {"decision", "identifier", "name"};
    const al_desig *k = key_of(a, g);
    json_t *ds = json_array(), *ms = json_array(), *rs = json_array(), *js = json_array();
    char key[140];
    int bad = ds == NULL || ms == NULL || rs == NULL || js == NULL;
    snprintf(key, sizeof key, "%s:%s", a->lists[k->list].name, k->subject);
    for (uint32_t i = 0; !bad && i < g->nd; i++) {
        const al_desig *d = &a->d[a->order[g->d0 + i]];
        bad = json_array_append_new(ds, json_pack("{s:s, s:s, s:s, s:s?, s:b}", "list",
                                                  a->lists[d->list].name, "subject", d->subject,
                                                  "listed", d->listed, "name", d->name, "member",
                                                  a->lists[d->list].member)) != 0;
    }
    for (uint32_t p = g->p0; !bad && p < g->p0 + g->np; p++) {
        const al_part *pt = &a->parts[p];
        const al_list *l = &a->lists[pt->list];
        bad = json_array_append_new(l->member ? ms : rs,
                                    l->member
                                        ? json_pack("{s:s, s:s, s:I, s:b}", "list", l->name,
                                                    "listed", a->d[pt->desig].listed, "delay_days",
                                                    (json_int_t)(pt->days - g->first_days), "first",
                                                    pt->days == g->first_days)
                                        : json_pack("{s:s, s:s}", "list", l->name, "listed",
                                                    a->d[pt->desig].listed)) != 0;
    }
    for (uint32_t j = g->j0; !bad && j < g->j0 + g->nj; j++) {
        const al_join *jn = &a->joins[j];
        char x[140], y[140];
        snprintf(x, sizeof x, "%s:%s", a->lists[a->d[jn->a].list].name, a->d[jn->a].subject);
        snprintf(y, sizeof y, "%s:%s", a->lists[a->d[jn->b].list].name, a->d[jn->b].subject);
        bad = json_array_append_new(js, json_pack("{s:s, s:s, s:s, s:s}", "a", x, "b", y, "by",
                                                  by[jn->by], "why", jn->detail)) != 0;
    }
    if (bad) {
        json_decref(ds);
        json_decref(ms);
        json_decref(rs);
        json_decref(js);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s?, s:o, s:o, s:o, s:o}", "subject", key, "type", k->type,
                     "name", k->name, "members", ms, "references", rs, "designations", ds, "joined",
                     js);
}

static wl_rc group_csv(const wl_pressure_align *a, const al_group *g, wl_buf *b)
{
    const al_desig *k = key_of(a, g);
    char key[140], ver[24];
    wl_buf lists = {0};
    wl_rc rc = WL_OK;
    snprintf(key, sizeof key, "%s:%s", a->lists[k->list].name, k->subject);
    snprintf(ver, sizeof ver, "%llu", (unsigned long long)a->version);
    for (uint32_t p = g->p0; rc == WL_OK && p < g->p0 + g->np; p++) {
        const al_part *pt = &a->parts[p];
        char one[100];
        snprintf(one, sizeof one, "%s%s %s", p > g->p0 ? "; " : "", a->lists[pt->list].name,
                 a->d[pt->desig].listed);
        rc = wl_buf_append(&lists, one, strlen(one), WL_PRESSURE_CSV_MAX);
    }
    if (rc == WL_OK) {
        const char *row[] = {key, k->type, k->name, lists.buf ? lists.buf : "", ver};
        rc = cells(b, row, 5);
    }
    wl_buf_free(&lists);
    return rc;
}

wl_rc wl_pressure_align_subjects(const wl_pressure_align *a, const char *by, const char *not_by,
                                 const char *after, size_t limit, json_t **json, wl_buf *csv,
                                 wl_error *err)
{
    static const char *const head[] = {"subject", "type", "name", "lists", "data_version"};
    uint32_t lb = by ? list_index(a, by) : UINT32_MAX, ln = not_by ? list_index(a, not_by) : 0;
    const char *colon = after ? strrchr(after, ':') : NULL;
    json_t *arr = NULL;
    uint32_t g = 0, total = 0;
    wl_rc rc = WL_OK;
    if (json)
        *json = NULL;
    if ((by && lb == UINT32_MAX) || (not_by && ln == UINT32_MAX) ||
        (by && not_by && strcmp(by, not_by) == 0) || (after && colon == NULL))
        return wl_error_set(err, WL_ERR_INVALID, "bad_query",
                            "by, not: two different lists that designate something; after: a "
                            "page's next (LIST:SUBJECT)");
    if (after && !csv) /* the groups come by their first designation, by (list, subject) */
        for (; g < a->ng; g++) {
            const al_desig *k = key_of(a, &a->g[g]);
            int c = strncmp(a->lists[k->list].name, after, (size_t)(colon - after));
            if (c == 0 && a->lists[k->list].name[colon - after] != '\0')
                c = 1;
            if (c > 0 || (c == 0 && strcmp(k->subject, colon + 1) > 0))
                break;
        }
    if (csv)
        rc = cells(csv, head, 5);
    else if ((arr = json_array()) == NULL)
        return nomem(err);
    for (; rc == WL_OK && g < a->ng; g++) {
        const al_group *gr = &a->g[g];
        if ((by && part_of(a, gr, lb) == NULL) || (not_by && part_of(a, gr, ln) != NULL))
            continue;
        if (csv) {
            rc = group_csv(a, gr, csv);
            continue;
        }
        if (total == limit)
            break;
        if (json_array_append_new(arr, group_json(a, gr)) != 0)
            rc = WL_ERR_NOMEM;
        total++;
    }
    if (rc != WL_OK) {
        json_decref(arr);
        return rc == WL_ERR_NOMEM ? nomem(err)
                                  : wl_error_set(err, rc, "too_large",
                                                 "pressure: the subjects' CSV is over its ceiling");
    }
    if (csv)
        return WL_OK;
    *json = json_pack("{s:I, s:s?, s:s?, s:o}", "data_version", (json_int_t)a->version, "by", by,
                      "not", not_by, "subjects", arr);
    if (*json && g < a->ng) { /* more follow: the cursor is the last one given */
        const json_t *last = json_array_get(arr, json_array_size(arr) - 1);
        json_object_set(*json, "next", json_object_get(last, "subject"));
    }
    return *json ? WL_OK : nomem(err);
}
