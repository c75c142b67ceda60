/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kinds monitor.merge and monitor.split (include/willing/incidents.h):
 * a monitor's or the coordinator's signed override of the incidents the
 * engine computes, {"reports": [INDEX, ...], "reason": TEXT}. validate is the
 * body's shape (2 or more reports for a merge, 1 or more for a split, none
 * twice, at most WL_CORR_OVERRIDE_REPORTS_MAX; a reason of 1 to
 * WL_CORR_REASON_BYTES); apply finds each index a monitor.report in the log
 * and stores the row the daemon's engine and the daily report read. Who may
 * write them is the authority's (the kinds' roles in kinds.c).
 * docs/internals/monitor.md ("Incidents"), docs/FORMAT.md.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"
#include "willing/incidents.h"
#include "willing/limits.h"

static wl_rc bad(wl_error *err, const char *kind, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: %s: %s", kind, field, what);
}

/* The body's rules: min reports at least. */
static wl_rc check(const wl_entry *e, const char *kind, size_t min, wl_error *err)
{
    static const char *const fields[] = {"reports", "reason", NULL};
    const json_t *b = e->body_json, *a = json_object_get(b, "reports");
    const json_t *reason = json_object_get(b, "reason");
    size_t n = json_array_size(a);
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, kind, err)) != WL_OK)
        return rc;
    if (!json_is_array(a) || n < min)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: reports: required: an array of %zu or more report indexes", kind,
                            min);
    if (n > WL_CORR_OVERRIDE_REPORTS_MAX)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: reports: at most %u report indexes", kind,
                            WL_CORR_OVERRIDE_REPORTS_MAX);
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        char field[32];
        snprintf(field, sizeof field, "reports[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return bad(err, kind, field, "an entry index: a whole number, 0 or more");
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(a, j)) == json_integer_value(v))
                return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                    "%s: %s: report %lld is named twice (reports[%zu])", kind,
                                    field, (long long)json_integer_value(v), j);
    }
    if (reason == NULL || (json_is_string(reason) && json_string_length(reason) > 0 &&
                           wl_body_blank(json_string_value(reason))))
        return wl_error_set(err, WL_ERR_INVALID, "reason_missing",
                            "%s: reason: required: why, 1 to %u bytes", kind, WL_CORR_REASON_BYTES);
    if (!json_is_string(reason) || json_string_length(reason) < 1 ||
        json_string_length(reason) > WL_CORR_REASON_BYTES ||
        strlen(json_string_value(reason)) != json_string_length(reason))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "%s: reason: why, a text of 1 to %u bytes", kind, WL_CORR_REASON_BYTES);
    return WL_OK;
}

wl_rc wl_incident_merge_validate(const wl_entry *e, wl_error *err)
{
    return check(e, "monitor.merge", 2, err);
}

wl_rc wl_incident_split_validate(const wl_entry *e, wl_error *err)
{
    return check(e, "monitor.split", 1, err);
}

static wl_rc found(void *ctx, const wl_store_report *r)
{
    (void)ctx;
    (void)r;
    return WL_OK;
}

wl_rc wl_incident_override_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *a = json_object_get(b, "reports");
    const char *kind = p->e.kind, *op = strcmp(kind, "monitor.merge") == 0 ? "merge" : "split";
    wl_store_override o;
    uint64_t held = 0;
    char *reports;
    wl_rc rc;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_int_t v = json_integer_value(json_array_get(a, i));
        rc = wl_store_report_get(s, (uint64_t)v, found, NULL);
        if (rc == WL_ERR_NOT_FOUND)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "%s: reports[%zu]: entry %lld is not a monitor.report in the log",
                                kind, i, (long long)v);
        if (rc != WL_OK)
            return wl_error_set(err, rc, "storage", "%s: cannot read report %lld", kind,
                                (long long)v);
    }
    if ((rc = wl_store_override_count(s, &held)) != WL_OK)
        return wl_error_set(err, rc, "storage", "%s: cannot count the overrides", kind);
    if (held >= WL_CORR_OVERRIDES_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "too_large",
                            "%s: the log holds %u splits and merges already, the most in force",
                            kind, WL_CORR_OVERRIDES_MAX);
    if ((reports = json_dumps(a, JSON_COMPACT)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", "%s: out of memory", kind);
    memset(&o, 0, sizeof o);
    o.idx = index;
    o.op = op;
    o.author = p->e.author;
    o.reports = reports;
    o.reason = json_string_value(json_object_get(b, "reason"));
    if ((rc = wl_store_override_put(s, &o)) != WL_OK)
        wl_error_set(err, rc, "storage", "%s: cannot store it", kind);
    free(reports); /* jansson's: its allocator, wl_malloc's free when pointed at it */
    return rc;
}
