/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coordinator's kinds of the monitors' compliance (include/willing/compliance.h),
 * rows of the monitor module's table (kinds.c): monitor.threshold (a count per zone and
 * day that raises an alert when exceeded on consecutive days) and monitor.daily (a day's
 * report recorded: the SHA-256 of its JSON bytes, uploaded as a blob). Neither has a
 * table: both are read back from the log by kind (the entries index by kind), so a
 * replay rebuilds nothing. Every rule of both bodies is here. docs/internals/monitor.md
 * ("Compliance"), docs/FORMAT.md ("Monitors' reports").
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/compliance.h"
#include "willing/crypto.h"
#include "willing/daily.h"
#include "willing/entry.h"
#include "willing/identity.h"
#include "willing/limits.h"
#include "willing/monitor.h"

static bool whole(const json_t *v, json_int_t lo, json_int_t hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

/* A zone id as zone.set takes it: 1-64 of a-z 0-9 . _ - */
static bool is_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

/* A threshold's type: a report type, or a class (violations, reports). */
static bool threshold_type(const char *t)
{
    return t && (wl_monitor_in(wl_monitor_types, t) || strcmp(t, "violations") == 0 ||
                 strcmp(t, "reports") == 0);
}

wl_rc wl_threshold_validate(const wl_entry *e, wl_error *err)
{
    static const char *const allowed[] = {"zone", "type", "above", "days", "text", NULL};
    const json_t *b = e->body_json, *text = json_object_get(b, "text");
    const char *zone = json_string_value(json_object_get(b, "zone"));
    wl_rc rc;
    if ((rc = wl_body_fields(b, allowed, "monitor.threshold", err)) != WL_OK)
        return rc;
    if (zone == NULL || (strcmp(zone, "*") != 0 && !is_id(zone)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.threshold: zone: a zone id (1-64 of a-z 0-9 . _ -) or \"*\" "
                            "(every zone)");
    if (!threshold_type(json_string_value(json_object_get(b, "type"))))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.threshold: type: a report type of the taxonomy, or a class: "
                            "violations (the four ceasefire violations' counts), reports (how "
                            "many reports)");
    if (!whole(json_object_get(b, "above"), 1, WL_THRESHOLD_ABOVE_MAX))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.threshold: above: a whole number, 1 to %u",
                            WL_THRESHOLD_ABOVE_MAX);
    if (!whole(json_object_get(b, "days"), 1, WL_THRESHOLD_DAYS_MAX))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.threshold: days: a whole number, 1 to %u",
                            WL_THRESHOLD_DAYS_MAX);
    if (!json_is_string(text) || json_string_length(text) < 1 ||
        json_string_length(text) > WL_THRESHOLD_TEXT_BYTES ||
        strlen(json_string_value(text)) != json_string_length(text))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.threshold: text: required, 1-%u bytes",
                            WL_THRESHOLD_TEXT_BYTES);
    return WL_OK;
}

/* Whether a current zone is an area (buffer, exclusion): what a threshold counts in. */
static wl_rc zone_type(void *ctx, const wl_store_zone *z)
{
    snprintf(ctx, 16, "%s", z->type);
    return WL_OK;
}

wl_rc wl_threshold_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *zone = json_string_value(json_object_get(p->e.body_json, "zone"));
    char type[16] = "";
    wl_rc rc;
    (void)index;
    if (strcmp(zone, "*") == 0)
        return WL_OK;
    rc = wl_store_zones_current(s, zone, zone_type, type);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", "monitor.threshold: cannot read zone %s", zone);
    if (type[0] == '\0')
        return wl_error_set(err, WL_ERR_INVALID, "unknown_zone",
                            "monitor.threshold: zone: no zone %s has been set", zone);
    if (strcmp(type, "buffer") != 0 && strcmp(type, "exclusion") != 0)
        return wl_error_set(err, WL_ERR_INVALID, "unknown_zone",
                            "monitor.threshold: zone: %s is a %s, not an area (buffer or "
                            "exclusion) that reports are counted in",
                            zone, type);
    return WL_OK;
}

wl_rc wl_daily_record_validate(const wl_entry *e, wl_error *err)
{
    static const char *const allowed[] = {"day", "blob", NULL};
    const json_t *b = e->body_json;
    const char *day = json_string_value(json_object_get(b, "day"));
    const char *blob = json_string_value(json_object_get(b, "blob"));
    wl_rc rc;
    if ((rc = wl_body_fields(b, allowed, "monitor.daily", err)) != WL_OK)
        return rc;
    wl_daily_period per;
    if (day == NULL || strlen(day) != 10 || wl_date_days(day, false) < 1 ||
        wl_daily_period_of(day, &per) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.daily: day: a date YYYY-MM-DD");
    /* one record a day, for good: never of a day whose period has not ended when signed */
    if (e->time < per.to)
        return wl_error_set(err, WL_ERR_INVALID, "day_not_over",
                            "monitor.daily: day: the period of %s ends at 19:30 Kyiv time (unix "
                            "%lld), after this entry's time: a day is recorded once it is over",
                            day, (long long)per.to);
    if (blob == NULL || strlen(blob) != 64 || strspn(blob, "0123456789abcdef") != 64)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "monitor.daily: blob: the SHA-256 of the report's bytes, 64 "
                            "lower-case hex digits");
    return WL_OK;
}

typedef struct {
    const char *day;
    uint64_t index;
    char blob[65];
    bool found;
    wl_threshold_fn fn;
    void *ctx;
    wl_error *err;
} walk;

static wl_rc daily_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    walk *w = ctx;
    wl_entry e;
    char why[128];
    const char *day, *blob;
    if (wl_entry_parse(data, len, &e, why, sizeof why) != WL_OK)
        return wl_error_set(w->err, WL_ERR_CORRUPT, "corrupt", "entry %llu: %s",
                            (unsigned long long)index, why);
    day = json_string_value(json_object_get(e.body_json, "day"));
    blob = json_string_value(json_object_get(e.body_json, "blob"));
    if (day && blob && strcmp(day, w->day) == 0 && !w->found) {
        w->found = true;
        w->index = index;
        snprintf(w->blob, sizeof w->blob, "%s", blob);
    }
    wl_entry_clear(&e);
    return WL_OK;
}

wl_rc wl_daily_recorded(wl_store *s, const char *day, uint64_t *index, char blob[65])
{
    wl_error err = {0};
    walk w = {.day = day, .err = &err};
    wl_rc rc = wl_store_entries_of_kind(s, "monitor.daily", 0, daily_entry, &w);
    *index = 0;
    blob[0] = '\0';
    if (rc != WL_OK)
        return rc;
    if (!w.found)
        return WL_ERR_NOT_FOUND;
    *index = w.index;
    memcpy(blob, w.blob, 65);
    return WL_OK;
}

wl_rc wl_daily_record_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *day = json_string_value(json_object_get(p->e.body_json, "day"));
    const char *blob = json_string_value(json_object_get(p->e.body_json, "blob"));
    uint8_t hash[32];
    uint64_t had;
    char hblob[65];
    wl_rc rc = wl_daily_recorded(s, day, &had, hblob);
    if (rc == WL_OK)
        return wl_error_set(err, WL_ERR_CONFLICT, "daily_recorded",
                            "monitor.daily: the report of %s is recorded already (entry %llu): "
                            "one per day",
                            day, (unsigned long long)had);
    if (rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", "monitor.daily: cannot read the recorded days");
    /* the recorded report is public, as the reports it sums: its blob is readable by anyone;
     * only a blob the coordinator uploaded (or may read by its grants) is made so */
    if (wl_hex_decode(blob, 64, hash, 32) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "monitor.daily: blob");
    if ((rc = wl_authorize_blob_share(s, p->e.author, hash, "monitor.daily", err)) != WL_OK)
        return rc;
    if ((rc = wl_store_blob_publish(s, hash, index, err)) != WL_OK)
        return rc;
    return WL_OK;
}

static wl_rc threshold_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    walk *w = ctx;
    wl_entry e;
    wl_threshold t;
    char why[128];
    wl_rc rc;
    if (wl_entry_parse(data, len, &e, why, sizeof why) != WL_OK)
        return wl_error_set(w->err, WL_ERR_CORRUPT, "corrupt", "entry %llu: %s",
                            (unsigned long long)index, why);
    memset(&t, 0, sizeof t);
    t.index = index;
    snprintf(t.zone, sizeof t.zone, "%s", json_string_value(json_object_get(e.body_json, "zone")));
    snprintf(t.type, sizeof t.type, "%s", json_string_value(json_object_get(e.body_json, "type")));
    t.above = (uint64_t)json_integer_value(json_object_get(e.body_json, "above"));
    t.days = (uint64_t)json_integer_value(json_object_get(e.body_json, "days"));
    t.text = json_string_value(json_object_get(e.body_json, "text"));
    rc = w->fn(w->ctx, &t);
    wl_entry_clear(&e);
    return rc;
}

wl_rc wl_thresholds_each(wl_store *s, wl_threshold_fn fn, void *ctx, wl_error *err)
{
    walk w = {.fn = fn, .ctx = ctx, .err = err};
    wl_rc rc;
    err->code = NULL;
    rc = wl_store_entries_of_kind(s, "monitor.threshold", 0, threshold_entry, &w);
    if (rc != WL_OK && err->code == NULL)
        wl_error_set(err, rc, "storage", "the thresholds cannot be read");
    return rc;
}
