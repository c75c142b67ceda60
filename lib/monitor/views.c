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
