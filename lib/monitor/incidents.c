/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents over the log (include/willing/incidents.h): what the engine of
 * correlate.c takes from a stored report, from a monitor.report body and
 * from the stored splits and merges, and each incident as JSON with why each
 * report is in it (the canonical spanning tree's join: how, via, distance,
 * time gap, the merge) and the overrides that name its reports. Used by the
 * daemon's routes (src/daemon/incidents.c) and the daily report.
 * docs/internals/monitor.md ("Incidents").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/incidents.h"
#include "willing/limits.h"
#include "willing/monitor.h"

int wl_incident_class_of(const char *type)
{
    for (int i = 0; type && wl_monitor_types[i]; i++)
        if (strcmp(wl_monitor_types[i], type) == 0)
            return i < WL_CORR_CLASSES ? i : -1;
    return -1;
}

bool wl_incident_report_of(const wl_store_report *r, wl_corr_report *out)
{
    int cls = wl_incident_class_of(r->type);
    memset(out, 0, sizeof *out);
    if (!r->has_point || cls < 0)
        return false;
    out->id = r->idx;
    out->t = r->observed;
    out->pt = (uint32_t)r->precision_s;
    out->lon = r->lon;
    out->lat = r->lat;
    out->radius_m = (uint32_t)r->radius_m;
    out->type = (uint32_t)cls;
    return true;
}

bool wl_incident_report_of_body(const json_t *body, uint64_t index, wl_corr_report *out)
{
    const json_t *l = json_object_get(body, "location");
    int cls = wl_incident_class_of(json_string_value(json_object_get(body, "type")));
    memset(out, 0, sizeof *out);
    if (json_object_get(l, "lon") == NULL || cls < 0)
        return false;
    out->id = index;
    out->t = json_integer_value(json_object_get(body, "observed"));
    out->pt = (uint32_t)json_integer_value(json_object_get(body, "precision_s"));
    out->lon = json_number_value(json_object_get(l, "lon"));
    out->lat = json_number_value(json_object_get(l, "lat"));
    out->radius_m = (uint32_t)json_integer_value(json_object_get(l, "radius_m"));
    out->type = (uint32_t)cls;
    return true;
}

wl_rc wl_incident_overrides_add(wl_incident_overrides *o, uint64_t index, const char *op,
                                const json_t *reports, const char *reason)
{
    size_t n = json_array_size(reports);
    wl_corr_override *v;
    uint64_t *ids;
    char *why;
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 16;
        wl_corr_override *p = wl_realloc(o->ov, cap * sizeof *p);
        if (p == NULL)
            return WL_ERR_NOMEM;
        o->ov = p;
        o->cap = cap;
    }
    ids = wl_malloc((n ? n : 1) * sizeof *ids);
    why = wl_strndup(reason, strlen(reason));
    if (ids == NULL || why == NULL) {
        wl_free(ids);
        wl_free(why);
        return WL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = (uint64_t)json_integer_value(json_array_get(reports, i));
    v = &o->ov[o->n++];
    v->index = index;
    v->op = strcmp(op, "merge") == 0 ? WL_CORR_MERGE : WL_CORR_SPLIT;
    v->reports = ids;
    v->n = n;
    v->reason = why;
    return WL_OK;
}

void wl_incident_overrides_free(wl_incident_overrides *o)
{
    for (size_t i = 0; i < o->n; i++) {
        wl_free((void *)o->ov[i].reports);
        wl_free((void *)o->ov[i].reason);
    }
    wl_free(o->ov);
    memset(o, 0, sizeof *o);
}

static wl_rc load_one(void *ctx, const wl_store_override *r)
{
    json_t *a = json_loads(r->reports, 0, NULL);
    wl_rc rc = json_is_array(a) ? wl_incident_overrides_add(ctx, r->idx, r->op, a, r->reason)
                                : (a ? WL_ERR_CORRUPT : WL_ERR_NOMEM);
    json_decref(a);
    return rc;
}

wl_rc wl_incident_overrides_load(wl_store *s, wl_incident_overrides *o)
{
    return wl_store_overrides(s, load_one, o);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_meta(const void *a, const void *b)
{
    uint64_t x = ((const wl_incident_meta *)a)->id, y = ((const wl_incident_meta *)b)->id;
    return x < y ? -1 : x > y;
}

static const wl_incident_meta *meta_of(const wl_incident_meta *m, size_t n, uint64_t id)
{
    wl_incident_meta k = {.id = id};
    return bsearch(&k, m, n, sizeof k, cmp_meta);
}

static int cmp_link(const void *a, const void *b)
{
    uint64_t x = ((const wl_corr_link *)a)->report, y = ((const wl_corr_link *)b)->report;
    return x < y ? -1 : x > y;
}

/* Whether report id is one of incident in's (its links are by report id). */
static bool holds(const wl_corr_result *res, const wl_corr_incident *in, uint64_t id)
{
    wl_corr_link k = {.report = id};
    return bsearch(&k, res->links + in->first, in->n, sizeof k, cmp_link) != NULL;
}

static json_t *id_or_null(bool some, uint64_t v)
{
    return some ? json_integer((json_int_t)v) : json_null();
}

static json_t *incident_json(const wl_corr_result *res, const wl_corr_incident *in,
                             const wl_incident_meta *meta, size_t nmeta,
                             const wl_incident_overrides *ov)
{
    static const char *const how[] = {"first", "auto", "merged"};
    json_t *reps = json_array(), *ovs = json_array(), *o;
    bool ok = reps && ovs;
    for (size_t i = 0; ok && i < in->n; i++) {
        const wl_corr_link *l = &res->links[in->first + i];
        const wl_incident_meta *m = meta_of(meta, nmeta, l->report);
        json_t *r =
            json_pack("{s:I, s:s, s:I, s:s, s:o, s:I, s:I, s:o}", "report", (json_int_t)l->report,
                      "type", m ? wl_monitor_types[m->type] : "unknown", "observed",
                      (json_int_t)(m ? m->t : 0), "how", how[l->how <= 2 ? l->how : 0], "via",
                      id_or_null(l->how != WL_CORR_FIRST, l->via), "distance_m",
                      (json_int_t)llround(l->distance_m), "gap_s", (json_int_t)l->gap_s, "override",
                      id_or_null(l->how == WL_CORR_MERGED, l->override));
        ok = r && json_array_append_new(reps, r) == 0;
    }
    for (size_t k = 0; ok && ov && k < ov->n; k++) {
        const wl_corr_override *v = &ov->ov[k];
        bool named = false;
        json_t *ids, *r;
        for (size_t j = 0; !named && j < v->n; j++)
            named = holds(res, in, v->reports[j]);
        if (!named)
            continue;
        ids = json_array();
        for (size_t j = 0; ids && j < v->n; j++)
            if (json_array_append_new(ids, json_integer((json_int_t)v->reports[j])) != 0) {
                json_decref(ids);
                ids = NULL;
            }
        r = ids ? json_pack("{s:I, s:s, s:o, s:s}", "index", (json_int_t)v->index, "op",
                            v->op == WL_CORR_MERGE ? "merge" : "split", "reports", ids, "reason",
                            v->reason)
                : NULL;
        ok = r && json_array_append_new(ovs, r) == 0;
    }
    if (!ok) {
        json_decref(reps);
        json_decref(ovs);
        return NULL;
    }
    o = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "id", (json_int_t)in->id, "t_min",
                  (json_int_t)in->t_min, "t_max", (json_int_t)in->t_max, "size", (json_int_t)in->n,
                  "reports", reps, "overrides", ovs);
    return o;
}

static int cmp_incident(const void *a, const void *b)
{
    uint64_t x = ((const wl_corr_incident *)a)->id, y = ((const wl_corr_incident *)b)->id;
    return x < y ? -1 : x > y;
}

wl_rc wl_incident_json(const wl_corr_result *res, uint64_t id, const wl_incident_meta *meta,
                       size_t nmeta, const wl_incident_overrides *ov, json_t **out)
{
    wl_corr_incident k = {.id = id};
    const wl_corr_incident *in =
        res->n_incidents ? bsearch(&k, res->incidents, res->n_incidents, sizeof k, cmp_incident)
                         : NULL;
    *out = NULL;
    if (in == NULL)
        return WL_ERR_NOT_FOUND;
    *out = incident_json(res, in, meta, nmeta, ov);
    return *out ? WL_OK : WL_ERR_NOMEM;
}

/* Whether incident in has a report observed in [from, to) of class type (< 0: any). */
static bool in_period(const wl_corr_result *res, const wl_corr_incident *in, int64_t from,
                      int64_t to, int type, const wl_incident_meta *meta, size_t nmeta)
{
    if (in->t_max < from || in->t_min >= to)
        return false;
    for (size_t i = 0; i < in->n; i++) {
        const wl_incident_meta *m = meta_of(meta, nmeta, res->links[in->first + i].report);
        if (m && m->t >= from && m->t < to && (type < 0 || m->type == (uint32_t)type))
            return true;
    }
    return false;
}

wl_rc wl_incidents_between(const wl_corr_result *res, int64_t from, int64_t to, int type,
                           const wl_incident_meta *meta, size_t nmeta,
                           const wl_incident_overrides *ov, json_t **out)
{
    json_t *list = json_array(), *o;
    bool more = false;
    *out = NULL;
    if (list == NULL)
        return WL_ERR_NOMEM;
    for (size_t i = 0; i < res->n_incidents; i++) {
        const wl_corr_incident *in = &res->incidents[i];
        json_t *j;
        if (!in_period(res, in, from, to, type, meta, nmeta))
            continue;
        if (json_array_size(list) == WL_INCIDENTS_DAY_MAX) {
            more = true;
            break;
        }
        if ((j = incident_json(res, in, meta, nmeta, ov)) == NULL ||
            json_array_append_new(list, j) != 0) {
            json_decref(list);
            return WL_ERR_NOMEM;
        }
    }
    o = json_pack("{s:o, s:b}", "incidents", list, "more", more);
    if (o == NULL)
        return WL_ERR_NOMEM;
    *out = o;
    return WL_OK;
}

wl_rc wl_incidents_holding(wl_corr *e, const wl_corr_result *res, const wl_incident_meta *meta,
                           size_t nmeta, const wl_incident_overrides *ov, const uint64_t *notable,
                           size_t nn, json_t **out)
{
    uint64_t *ids = wl_malloc((nn ? nn : 1) * sizeof *ids);
    json_t *list = json_array();
    size_t nids = 0;
    wl_rc rc = WL_OK;
    *out = NULL;
    if (ids == NULL || list == NULL) {
        rc = WL_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nn; i++) { /* each notable report's incident, once, by id */
        uint64_t id;
        wl_error ignored = {0};
        if (wl_corr_incident_of(e, notable[i], &id, &ignored) == WL_OK)
            ids[nids++] = id; /* a report naming an oblast is in none */
    }
    qsort(ids, nids, sizeof *ids, cmp_u64);
    for (size_t i = 0; i < nids; i++) {
        json_t *j = NULL;
        if (i && ids[i] == ids[i - 1])
            continue;
        if ((rc = wl_incident_json(res, ids[i], meta, nmeta, ov, &j)) != WL_OK ||
            json_array_append_new(list, j) != 0) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
    }
    *out = list;
    list = NULL;
out:
    json_decref(list);
    wl_free(ids);
    return rc;
}

wl_rc wl_incidents_notable(wl_store *s, const wl_corr_report *r, size_t n,
                           const wl_incident_meta *meta, const uint64_t *notable, size_t nn,
                           json_t **out, wl_error *err)
{
    wl_corr_compat c;
    wl_corr *e = NULL;
    wl_corr_result res = {0};
    wl_incident_overrides ov = {0};
    wl_rc rc;
    *out = NULL;
    wl_corr_compat_default(&c);
    if ((rc = wl_corr_new(&c, &e, err)) != WL_OK || (rc = wl_corr_add_all(e, r, n, err)) != WL_OK)
        goto out;
    if ((rc = wl_incident_overrides_load(s, &ov)) != WL_OK) {
        wl_error_set(err, rc, "storage", "the daily report: cannot read the splits and merges");
        goto out;
    }
    if ((rc = wl_corr_overrides(e, ov.ov, ov.n, err)) != WL_OK ||
        (rc = wl_corr_incidents(e, &res, err)) != WL_OK)
        goto out;
    if ((rc = wl_incidents_holding(e, &res, meta, n, &ov, notable, nn, out)) != WL_OK)
        wl_error_set(err, rc, "internal", "out of memory (daily report)");
out:
    wl_corr_result_free(&res);
    wl_incident_overrides_free(&ov);
    wl_corr_free(e);
    return rc;
}
