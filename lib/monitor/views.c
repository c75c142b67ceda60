/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module's views (include/willing/monitor.h): the reports by
 * observed day and type, a page at a time, and one report; each with its
 * observed time and precision, the entry's own time (signed) and when the log
 * sequenced it (logged), and the body as signed. Public: reports are public
 * entries. docs/internals/monitor.md ("Routes"), docs/FORMAT.md.
 */
#include <jansson.h>

#include "store/store.h"
#include "willing/limits.h"
#include "willing/monitor.h"

static wl_rc report_json(void *ctx, const wl_store_report *r)
{
    json_t *arr = ctx, *body = json_loads(r->body, 0, NULL), *o;
    if (body == NULL)
        return WL_ERR_CORRUPT;
    o = json_pack("{s:I, s:s, s:I, s:I, s:s, s:I, s:I, s:s, s:o}", "index", (json_int_t)r->idx,
                  "author", r->author, "observed", (json_int_t)r->observed, "precision_s",
                  (json_int_t)r->precision_s, "observed_day", r->day, "signed",
                  (json_int_t)r->signed_at, "logged", (json_int_t)r->logged, "type", r->type,
                  "report", body);
    return o && json_array_append_new(arr, o) == 0 ? WL_OK : WL_ERR_NOMEM;
}

/* {"reports": arr, "next": the last index when more follow, else null}; takes arr. */
static wl_rc page(json_t *arr, bool more, json_t **out)
{
    json_t *last = json_array_get(arr, json_array_size(arr) - 1);
    *out = json_pack("{s:O, s:o}", "reports", arr, "next",
                     more && last ? json_integer(json_integer_value(json_object_get(last, "index")))
                                  : json_null());
    json_decref(arr);
    return *out ? WL_OK : WL_ERR_NOMEM;
}

wl_rc wl_monitor_reports_by(wl_store *s, const char *author, uint64_t after, unsigned limit,
                            json_t **out)
{
    json_t *arr = json_array();
    bool more = false;
    wl_rc rc = arr ? WL_OK : WL_ERR_NOMEM;
    *out = NULL;
    if (rc == WL_OK)
        rc = wl_store_reports_by(s, author, after, limit, report_json, arr, &more);
    if (rc != WL_OK) {
        json_decref(arr);
        return rc;
    }
    return page(arr, more, out);
}

static json_t *list_of(const char *const *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && l[i]; i++)
        if (json_array_append_new(a, json_string(l[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

wl_rc wl_monitor_taxonomy(json_t **out)
{
    json_t *obl = json_array();
    const char *id, *name;
    for (size_t i = 0; obl && (id = wl_monitor_oblast_at(i, &name)) != NULL; i++)
        if (json_array_append_new(obl, json_pack("{s:s, s:s}", "id", id, "name", name)) != 0) {
            json_decref(obl);
            obl = NULL;
        }
    *out =
        obl ? json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "types",
                        list_of(wl_monitor_types), "restrictions", list_of(wl_monitor_restrictions),
                        "weapons", list_of(wl_monitor_weapons), "directions",
                        list_of(wl_monitor_directions), "oblasts", obl, "limits", "precision_min_s",
                        (json_int_t)WL_MONITOR_PRECISION_MIN, "precision_max_s",
                        (json_int_t)WL_MONITOR_PRECISION_MAX, "radius_min_m",
                        (json_int_t)WL_MONITOR_RADIUS_MIN, "radius_max_m",
                        (json_int_t)WL_MONITOR_RADIUS_MAX, "count_max",
                        (json_int_t)WL_MONITOR_COUNT_MAX, "text_bytes",
                        (json_int_t)WL_MONITOR_TEXT_BYTES, "skew_s", (json_int_t)WL_MONITOR_SKEW_S)
            : NULL;
    return *out ? WL_OK : WL_ERR_NOMEM;
}

wl_rc wl_monitor_reports(wl_store *s, const char *day, const char *type, uint64_t after,
                         unsigned limit, json_t **out)
{
    json_t *arr = json_array(), *last;
    bool more = false;
    wl_rc rc = arr ? WL_OK : WL_ERR_NOMEM;
    *out = NULL;
    if (rc == WL_OK)
        rc = wl_store_reports(s, day, type, after, limit, report_json, arr, &more);
    if (rc == WL_OK) {
        /* the next page starts after the last report of this one */
        last = json_array_get(arr, json_array_size(arr) - 1);
        *out = json_pack("{s:O, s:o}", "reports", arr, "next",
                         more && last
                             ? json_integer(json_integer_value(json_object_get(last, "index")))
                             : json_null());
        rc = *out ? WL_OK : WL_ERR_NOMEM;
    }
    json_decref(arr);
    return rc;
}

wl_rc wl_monitor_report_show(wl_store *s, uint64_t index, json_t **out)
{
    json_t *arr = json_array();
    wl_rc rc = arr ? WL_OK : WL_ERR_NOMEM;
    *out = NULL;
    if (rc == WL_OK)
        rc = wl_store_report_get(s, index, report_json, arr);
    if (rc == WL_OK) {
        *out = json_incref(json_array_get(arr, 0));
        rc = *out ? WL_OK : WL_ERR_NOMEM;
    }
    json_decref(arr);
    return rc;
}
