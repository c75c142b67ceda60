/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module (include/willing/monitor.h): its kind monitor.report,
 * a public entry by a member of role monitor only (the authority,
 * wl_authorize, says so from the descriptor; nothing here tests a role).
 * validate is the body's every rule (report.c) against the entry's own time;
 * apply refuses an observed time ahead of the sequencing clock and stores the
 * row the views read. docs/internals/monitor.md.
 */
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "willing/compliance.h"
#include "willing/entry.h"
#include "willing/incidents.h"
#include "willing/limits.h"
#include "willing/monitor.h"

static wl_rc report_validate(const wl_entry *e, wl_error *err)
{
    return wl_monitor_report_check(e->body_json, e->time, 0, err);
}

static wl_rc report_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *l = json_object_get(b, "location");
    const json_t *count = json_object_get(b, "count");
    /* the sequencing time: at replay, later, so it never refuses what the live log took */
    int64_t now = (int64_t)time(NULL), obs = json_integer_value(json_object_get(b, "observed"));
    time_t t = (time_t)obs;
    wl_store_report r;
    struct tm tm;
    wl_rc rc;

    /* the log's clock, not the report: time_in_future, which a later resend may pass */
    if (obs > now + WL_MONITOR_SKEW_S)
        return wl_error_set(err, WL_ERR_INVALID, "time_in_future",
                            "monitor.report: observed: in the future: more than 5 minutes "
                            "after the log's time");
    { /* who captured each piece of evidence is a member of this log */
        const json_t *ev;
        size_t i;
        json_array_foreach(json_object_get(b, "evidence"), i, ev)
        {
            const char *by = json_string_value(json_object_get(ev, "captured_by"));
            wl_member m;
            wl_rc mr = wl_store_member_get(s, by, &m);
            if (mr == WL_ERR_NOT_FOUND)
                return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_member",
                                    "monitor.report: evidence[%zu].captured_by: no member '%s'", i,
                                    by);
            if (mr != WL_OK)
                return wl_error_set(err, mr, "storage", "monitor.report: reading members");
        }
    }
    memset(&r, 0, sizeof r);
    r.idx = index;
    r.observed = obs;
    r.precision_s = (uint64_t)json_integer_value(json_object_get(b, "precision_s"));
    r.signed_at = p->e.time;
    r.logged = now;
    snprintf(r.author, sizeof r.author, "%s", p->e.author);
    if (gmtime_r(&t, &tm) == NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "monitor.report: observed");
    snprintf(r.day, sizeof r.day, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    snprintf(r.type, sizeof r.type, "%s", json_string_value(json_object_get(b, "type")));
    r.has_point = json_object_get(l, "oblast") == NULL;
    if (r.has_point) {
        r.lon = json_number_value(json_object_get(l, "lon"));
        r.lat = json_number_value(json_object_get(l, "lat"));
        r.radius_m = (uint64_t)json_integer_value(json_object_get(l, "radius_m"));
    } else {
        snprintf(r.oblast, sizeof r.oblast, "%s", json_string_value(json_object_get(l, "oblast")));
        r.settlement = json_string_value(json_object_get(l, "settlement"));
    }
    r.count = count ? (uint64_t)json_integer_value(count) : 1;
    { /* the body is one line of JSON inside the entry's bytes: copied to be a string */
        char *body = wl_malloc(p->e.body_len + 1);
        if (body == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "internal", "monitor.report: out of memory");
        memcpy(body, p->e.body, p->e.body_len);
        body[p->e.body_len] = '\0';
        r.body = body;
        if ((rc = wl_store_report_put(s, &r)) != WL_OK)
            wl_error_set(err, rc, "storage", "monitor.report: cannot store the report");
        wl_free(body);
    }
    return rc;
}

static const wl_kind monitor_kinds[] = {
    {.name = "monitor.report",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_MONITOR,
     .validate = report_validate,
     .apply = report_apply},
    {.name = "monitor.merge", /* kinds_incident.c */
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_MONITOR | WL_ROLE_COORDINATOR,
     .validate = wl_incident_merge_validate,
     .apply = wl_incident_override_apply},
    {.name = "monitor.split",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_MONITOR | WL_ROLE_COORDINATOR,
     .validate = wl_incident_split_validate,
     .apply = wl_incident_override_apply},
    /* compliance (kinds_compliance.c): the coordinator's thresholds and recorded days */
    {.name = "monitor.threshold",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR,
     .validate = wl_threshold_validate,
     .apply = wl_threshold_apply},
    {.name = "monitor.daily",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR,
     .validate = wl_daily_record_validate,
     .apply = wl_daily_record_apply},
};

const wl_module wl_monitor_module = {
    .name = "monitor",
    .kinds = monitor_kinds,
    .nkinds = sizeof monitor_kinds / sizeof monitor_kinds[0],
};
