/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The same subject across lists, and the alignment of the members' lists
 * (include/willing/pressure_align.h). Every designation not delisted is a
 * node; joins are taken in a fixed order (the analyst's decisions "same",
 * then shared identifiers, then full names agreeing by the names engine: in
 * near-linear work, align_join.c), and a join that would put two
 * designations a decision "different" keeps apart into one subject is
 * refused. The subjects are the groups that result, whatever order the log
 * wrote them in. Then each subject's lists, their earliest listing, and per
 * pair of member lists the gaps and the followers' delays. The rule:
 * docs/internals/pressure.md, "The same subject across lists".
 */
#include <stdlib.h>
#include <string.h>

#include "pressure/align_int.h"
#include "store/store.h"
#include "willing/pressure.h"

static wl_rc nomem(al_builder *b)
{
    return wl_error_set(b->err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
}

static int push_key(al_keyed **arr, size_t *n, size_t *cap, const char *key, uint32_t d)
{
    char *k;
    if (*n == *cap) {
        al_keyed *q = wl_realloc(*arr, (*cap ? 2 * *cap : 256) * sizeof *q);
        if (q == NULL)
            return -1;
        *arr = q;
        *cap = *cap ? 2 * *cap : 256;
    }
    if ((k = wl_malloc(strlen(key) + 1)) == NULL)
        return -1;
    memcpy(k, key, strlen(key) + 1);
    (*arr)[(*n)++] = (al_keyed){k, d};
    return 0;
}

/* ---- identifiers: a family for the type, the value squeezed ---- */

/*
 * The type folded to lower-case letters and digits, then named by its family
 * when it names one (any type holding "imo" is IMO's number, "passport" a
 * passport...), so "IMO" and OFAC's "Vessel Registration Identification IMO"
 * meet; the value in capitals and digits, the family's own name dropped from
 * its front ("IMO 9610781" is 9610781).
 */
static void id_key(const char *type, const char *value, char *out, size_t cap)
{
    static const char *const families[][2] = {{"imo", "imo"},      {"passport", "passport"},
                                              {"swift", "swift"},  {"bic", "swift"},
                                              {"duns", "duns"},    {"national", "national-id"},
                                              {"tax", "tax-id"},   {"registration", "registration"},
                                              {"unref", "un-ref"}, {"unsc", "un-ref"}};
    char t[65] = "", v[129] = "";
    size_t nt = 0, nv = 0;
    const char *fam = t;
    for (const char *c = type; *c && nt + 1 < sizeof t; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
            t[nt++] = *c;
        else if (*c >= 'A' && *c <= 'Z')
            t[nt++] = (char)(*c - 'A' + 'a');
    t[nt] = '\0';
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (strstr(t, families[i][0])) {
            fam = families[i][1];
            break;
        }
    for (const char *c = value; *c && nv + 1 < sizeof v; c++)
        if ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))
            v[nv++] = *c;
        else if (*c >= 'a' && *c <= 'z')
            v[nv++] = (char)(*c - 'a' + 'A');
    v[nv] = '\0';
    if (strcmp(fam, "imo") == 0 && strncmp(v, "IMO", 3) == 0 && v[3])
        memmove(v, v + 3, strlen(v + 3) + 1);
    (void)!wl_fmt(out, cap, "%s:%s", fam, v);
}

/* ---- reading the designations ---- */

static uint32_t list_of(al_builder *b, const char *name)
{
    wl_pressure_align *a = b->a;
    if (a->nl && strcmp(a->lists[a->nl - 1].name, name) == 0) /* rows come by source */
        return a->nl - 1;
    if (wl_pressure_align_grow((void **)&a->lists, &b->capl, a->nl, sizeof *a->lists) != 0)
        return UINT32_MAX;
    memset(&a->lists[a->nl], 0, sizeof a->lists[0]);
    (void)!wl_fmt(a->lists[a->nl].name, sizeof a->lists[0].name, "%s", name);
    return a->nl++;
}

static wl_rc add_names(al_builder *b, const json_t *names, uint32_t i)
{
    const json_t *o;
    size_t k;
    json_array_foreach(names, k, o)
    {
        const char *q = json_string_value(json_object_get(o, "quality"));
        const char *t = json_string_value(json_object_get(o, "name"));
        wl_rc rc;
        if (q && strcmp(q, "weak") == 0) /* a weak alias joins nothing */
            continue;
        if ((rc = wl_names_keys(b->n, t, strlen(t), b->keys, b->err)) != WL_OK)
            return rc;
        for (unsigned j = 0; j < b->keys->count; j++)
            if (push_key(&b->names, &b->nnames, &b->capnames, b->keys->key[j].loose, i) != 0)
                return nomem(b);
    }
    return WL_OK;
}

static wl_rc add_row(void *ctx, const wl_store_designation *sd)
{
    al_builder *b = ctx;
    wl_pressure_align *a = b->a;
    json_t *body;
    const json_t *v, *names;
    al_desig *d;
    uint32_t i = a->nd, old = b->capd;
    size_t k;
    wl_rc rc = WL_OK;
    if (sd->delisted) /* alignment is of what is designated now */
        return WL_OK;
    if (wl_pressure_align_grow((void **)&a->d, &b->capd, a->nd, sizeof *a->d) != 0)
        return nomem(b);
    if (b->capd != old) {
        wl_name_date **dd = wl_realloc(b->dobs, b->capd * sizeof *dd);
        uint32_t *nn = dd ? wl_realloc(b->ndobs, b->capd * sizeof *nn) : NULL;
        if (dd)
            b->dobs = dd;
        if (nn == NULL)
            return nomem(b);
        b->ndobs = nn;
    }
    if ((body = json_loads(sd->body, 0, NULL)) == NULL)
        return wl_error_set(b->err, WL_ERR_CORRUPT, "storage",
                            "pressure: the stored designation %s:%s is not JSON", sd->source,
                            sd->subject);
    d = &a->d[i];
    memset(d, 0, sizeof *d);
    b->dobs[i] = NULL;
    b->ndobs[i] = 0;
    a->nd++;
    if ((d->list = list_of(b, sd->source)) == UINT32_MAX)
        rc = nomem(b);
    (void)!wl_fmt(d->subject, sizeof d->subject, "%s", sd->subject);
    (void)!wl_fmt(d->type, sizeof d->type, "%s", sd->type);
    (void)!wl_fmt(d->listed, sizeof d->listed, "%s", sd->listed);
    d->days = wl_date_days(sd->listed, false);
    names = json_object_get(body, "names");
    json_array_foreach(names, k,
                       v) if (rc == WL_OK && json_object_get(v, "alias") == NULL && d->name == NULL)
    {
        const char *t = json_string_value(json_object_get(v, "name"));
        if ((d->name = wl_malloc(strlen(t) + 1)) == NULL)
            rc = nomem(b);
        else
            memcpy(d->name, t, strlen(t) + 1);
    }
    v = json_object_get(body, "dob");
    if (rc == WL_OK && json_array_size(v) &&
        (b->dobs[i] = wl_calloc(json_array_size(v), sizeof **b->dobs)) == NULL)
        rc = nomem(b);
    for (k = 0; rc == WL_OK && k < json_array_size(v); k++) {
        const json_t *o = json_array_get(v, k);
        wl_name_date *dt = &b->dobs[i][b->ndobs[i]];
        if (wl_pressure_dob_parse(json_string_value(json_object_get(o, "date")), dt) == WL_OK) {
            dt->circa = json_is_true(json_object_get(o, "circa"));
            b->ndobs[i]++;
        }
    }
    json_array_foreach(json_object_get(body, "ids"), k, v) if (rc == WL_OK)
    {
        char key[200];
        id_key(json_string_value(json_object_get(v, "type")),
               json_string_value(json_object_get(v, "value")), key, sizeof key);
        if (strchr(key, ':')[1] && push_key(&b->ids, &b->nids, &b->capids, key, i) != 0)
            rc = nomem(b);
    }
    if (rc == WL_OK)
        rc = add_names(b, names, i);
    json_decref(body);
    return rc;
}

/* ---- the analyst's decisions (the joining: align_join.c) ---- */

/* The designation (list, subject), or UINT32_MAX: the rows are by (list, subject). */
static uint32_t lookup(const wl_pressure_align *a, const char *list, const char *subject)
{
    uint32_t lo = 0, hi = a->nd;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(a->lists[a->d[mid].list].name, list);
        if (c == 0)
            c = strcmp(a->d[mid].subject, subject);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

typedef struct {
    al_builder *b;
    int same; /* which decisions this pass takes */
} decision_pass;

static wl_rc decision_row(void *ctx, const wl_store_decision *sd)
{
    decision_pass *p = ctx;
    al_builder *b = p->b;
    uint32_t x = lookup(b->a, sd->a_list, sd->a_subject);
    uint32_t y = lookup(b->a, sd->b_list, sd->b_subject);
    char detail[64];
    if (x == UINT32_MAX || y == UINT32_MAX || sd->same != p->same) /* a side delisted */
        return WL_OK;
    if (!p->same) {
        if (wl_pressure_align_grow((void **)&b->diff, &b->capdiff, b->ndiff, sizeof *b->diff) != 0)
            return nomem(b);
        b->diff[b->ndiff][0] = x;
        b->diff[b->ndiff][1] = y;
        b->ndiff++;
        return WL_OK;
    }
    (void)!wl_fmt(detail, sizeof detail, "the analyst's decision, entry %llu",
                  (unsigned long long)sd->idx);
    return wl_pressure_align_join(b, x, y, WL_JOIN_DECISION, detail) == 0 ? WL_OK : nomem(b);
}

/* ---- the subjects and the matrix ---- */

static int i64_cmp(const void *x, const void *y)
{
    int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
    return (p > q) - (p < q);
}

static int part_cmp(const void *x, const void *y)
{
    const al_part *p = x, *q = y;
    return (p->list > q->list) - (p->list < q->list);
}

/* Groups from the parents: numbered by their first designation; order, joins and parts by group. */
static wl_rc make_groups(al_builder *b)
{
    wl_pressure_align *a = b->a;
    uint32_t *gid = wl_malloc((a->nd + 1) * sizeof *gid), *fill = NULL;
    al_join *joins = wl_malloc((a->nj + 1) * sizeof *joins);
    wl_rc rc = WL_OK;
    if (gid == NULL || joins == NULL)
        goto oom;
    for (uint32_t i = 0; i < a->nd; i++)
        gid[i] = UINT32_MAX;
    for (uint32_t i = 0; i < a->nd; i++) {
        uint32_t r = wl_pressure_align_find(b->parent, i);
        if (gid[r] == UINT32_MAX)
            gid[r] = a->ng++;
        a->d[i].group = gid[r];
    }
    a->g = wl_calloc(a->ng + 1, sizeof *a->g);
    a->order = wl_malloc((a->nd + 1) * sizeof *a->order);
    a->parts = wl_malloc((a->nd + 1) * sizeof *a->parts);
    fill = wl_calloc(a->ng + 1, sizeof *fill);
    if (a->g == NULL || a->order == NULL || a->parts == NULL || fill == NULL)
        goto oom;
    for (uint32_t i = 0; i < a->nd; i++)
        a->g[a->d[i].group].nd++;
    for (uint32_t k = 0; k < a->nj; k++)
        a->g[a->d[a->joins[k].a].group].nj++;
    for (uint32_t g = 1; g < a->ng; g++) {
        a->g[g].d0 = a->g[g - 1].d0 + a->g[g - 1].nd;
        a->g[g].j0 = a->g[g - 1].j0 + a->g[g - 1].nj;
    }
    for (uint32_t i = 0; i < a->nd; i++)
        a->order[a->g[a->d[i].group].d0 + fill[a->d[i].group]++] = i;
    memset(fill, 0, (a->ng + 1) * sizeof *fill);
    for (uint32_t k = 0; k < a->nj; k++) {
        uint32_t g = a->d[a->joins[k].a].group;
        joins[a->g[g].j0 + fill[g]++] = a->joins[k];
    }
    wl_free(a->joins);
    a->joins = joins;
    joins = NULL;
    /* each group's lists: the earliest listing of each, by list */
    for (uint32_t g = 0, np = 0; g < a->ng; g++) {
        al_group *gr = &a->g[g];
        gr->p0 = np;
        gr->first_days = INT64_MAX;
        for (uint32_t k = 0; k < gr->nd; k++) {
            const al_desig *d = &a->d[a->order[gr->d0 + k]];
            uint32_t p = gr->p0;
            while (p < np && a->parts[p].list != d->list)
                p++;
            if (p == np)
                a->parts[np++] = (al_part){d->list, a->order[gr->d0 + k], d->days};
            else if (d->days < a->parts[p].days)
                a->parts[p] = (al_part){d->list, a->order[gr->d0 + k], d->days};
        }
        gr->np = np - gr->p0;
        qsort(&a->parts[gr->p0], gr->np, sizeof *a->parts, part_cmp);
        for (uint32_t p = gr->p0; p < np; p++)
            if (a->lists[a->parts[p].list].member && a->parts[p].days < gr->first_days)
                gr->first_days = a->parts[p].days;
    }
    goto out;
oom:
    rc = nomem(b);
out:
    wl_free(gid);
    wl_free(fill);
    wl_free(joins);
    return rc;
}

/* Per pair of member lists: gaps, both, who followed and the median of the delays. */
static wl_rc make_pairs(al_builder *b)
{
    wl_pressure_align *a = b->a;
    uint32_t nm = a->nm, *slot = wl_malloc((a->nl + 1) * sizeof *slot);
    int64_t *at = wl_malloc((nm + 1) * sizeof *at),
            **delays = wl_calloc(nm * nm + 1, sizeof *delays);
    wl_rc rc = WL_OK;
    a->pairs = wl_calloc(nm * nm + 1, sizeof *a->pairs);
    if (slot == NULL || at == NULL || delays == NULL || a->pairs == NULL) {
        rc = nomem(b);
        goto out;
    }
    for (uint32_t l = 0; l < a->nl; l++)
        slot[l] = UINT32_MAX;
    for (uint32_t m = 0; m < nm; m++)
        slot[a->members[m]] = m;
    for (uint32_t g = 0; g < a->ng; g++) {
        const al_group *gr = &a->g[g];
        for (uint32_t m = 0; m < nm; m++)
            at[m] = INT64_MIN;
        for (uint32_t p = gr->p0; p < gr->p0 + gr->np; p++) {
            al_list *l = &a->lists[a->parts[p].list];
            l->subjects++;
            if (l->member && a->parts[p].days == gr->first_days)
                l->first++;
            if (slot[a->parts[p].list] != UINT32_MAX)
                at[slot[a->parts[p].list]] = a->parts[p].days;
        }
        for (uint32_t x = 0; x < nm; x++)
            for (uint32_t y = 0; y < nm && at[x] != INT64_MIN; y++) {
                al_pair *pr = &a->pairs[x * nm + y];
                if (y == x)
                    continue;
                if (at[y] == INT64_MIN) {
                    pr->x_not_y++;
                    continue;
                }
                pr->both++;
                if (at[y] == at[x])
                    pr->same_day++;
                else if (at[y] > at[x]) {
                    int64_t *q = wl_realloc(delays[x * nm + y], (pr->y_after_x + 1) * sizeof *q);
                    if (q == NULL) {
                        rc = nomem(b);
                        goto out;
                    }
                    delays[x * nm + y] = q;
                    q[pr->y_after_x++] = at[y] - at[x];
                }
            }
    }
    for (uint32_t k = 0; k < nm * nm; k++) { /* the median: the middle, or the middle two's mean */
        al_pair *pr = &a->pairs[k];
        pr->median = -1;
        if (pr->y_after_x) {
            int64_t *q = delays[k];
            uint32_t n = pr->y_after_x;
            qsort(q, n, sizeof *q, i64_cmp);
            pr->median = n % 2 ? q[n / 2] : (q[n / 2 - 1] + q[n / 2]) / 2;
        }
    }
out:
    for (uint32_t k = 0; delays && k < nm * nm; k++)
        wl_free(delays[k]);
    wl_free(delays);
    wl_free(slot);
    wl_free(at);
    return rc;
}

static void builder_free(al_builder *b)
{
    for (size_t i = 0; i < b->nids; i++)
        wl_free(b->ids[i].key);
    for (size_t i = 0; i < b->nnames; i++)
        wl_free(b->names[i].key);
    for (uint32_t i = 0; b->dobs && i < b->a->nd; i++)
        wl_free(b->dobs[i]);
    wl_free(b->ids);
    wl_free(b->names);
    wl_free(b->dobs);
    wl_free(b->ndobs);
    wl_free(b->parent);
    wl_free(b->diff);
    wl_free(b->keys);
}

wl_rc wl_pressure_align_build(wl_store *s, wl_names *n, uint64_t version, wl_pressure_align **out,
                              wl_error *err)
{
    wl_pressure_align *a = wl_calloc(1, sizeof *a);
    al_builder b = {.a = a, .n = n, .err = err, .keys = wl_malloc(sizeof *b.keys)};
    decision_pass same = {&b, 1}, different = {&b, 0};
    wl_rc rc;
    *out = NULL;
    if (a == NULL || b.keys == NULL) {
        wl_free(a);
        wl_free(b.keys);
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "pressure: out of memory");
    }
    a->version = version;
    err->code = NULL;
    rc = wl_store_designations(s, NULL, "", "", UINT64_MAX, add_row, &b);
    if (rc != WL_OK && err->code == NULL)
        wl_error_set(err, rc, "storage", "pressure: cannot read the designations");
    if (rc == WL_OK && ((b.parent = wl_malloc((a->nd + 1) * sizeof *b.parent)) == NULL ||
                        (a->members = wl_malloc((a->nl + 1) * sizeof *a->members)) == NULL))
        rc = nomem(&b);
    for (uint32_t i = 0; rc == WL_OK && i < a->nd; i++)
        b.parent[i] = i;
    for (uint32_t l = 0; rc == WL_OK && l < a->nl; l++) {
        wl_member m;
        if (wl_store_member_get(s, a->lists[l].name, &m) == WL_OK && !m.sealed) {
            a->lists[l].member = 1;
            a->members[a->nm++] = l;
        }
    }
    if (rc == WL_OK && (rc = wl_store_decisions(s, decision_row, &different)) == WL_OK)
        rc = wl_store_decisions(s, decision_row, &same);
    if (rc != WL_OK && err->code == NULL)
        wl_error_set(err, rc, "storage", "pressure: cannot read the decisions");
    if (rc == WL_OK)
        rc = wl_pressure_align_join_keys(&b);
    if (rc == WL_OK)
        rc = make_groups(&b);
    if (rc == WL_OK)
        rc = make_pairs(&b);
    builder_free(&b);
    if (rc != WL_OK) {
        wl_pressure_align_free(a);
        return rc;
    }
    *out = a;
    return WL_OK;
}

void wl_pressure_align_free(wl_pressure_align *a)
{
    if (a == NULL)
        return;
    for (uint32_t i = 0; i < a->nd; i++)
        wl_free(a->d[i].name);
    wl_free(a->d);
    wl_free(a->lists);
    wl_free(a->members);
    wl_free(a->order);
    wl_free(a->g);
    wl_free(a->parts);
    wl_free(a->joins);
    wl_free(a->pairs);
    wl_free(a);
}

uint64_t wl_pressure_align_version(const wl_pressure_align *a)
{
    return a->version;
}
