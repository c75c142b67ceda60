/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A monitor's report, monitor.report: every rule of its body in one place,
 * none of which needs the store. When (observed, precision_s: never after
 * the entry's own time or the sequencing time by more than
 * WL_MONITOR_SKEW_S), where (coordinates with a radius, or an oblast of
 * data/geo and a settlement in it), what (a type of the taxonomy and the
 * fields only some types have), how many, direction and distance, evidence
 * with its chain of custody, free text. Each refusal names its field.
 * docs/internals/monitor.md ("A report"), docs/FORMAT.md.
 */
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"
#include "willing/limits.h"
#include "willing/monitor.h"

#define KIND "monitor.report"

static wl_rc bad(wl_error *err, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", KIND ": %s: %s", field, what);
}

/* A whole number in [lo, hi]. */
static bool whole(const json_t *v, json_int_t lo, json_int_t hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

/* A UTF-8 string of 1..max bytes (jansson holds only valid UTF-8). */
static bool text(const json_t *v, size_t max)
{
    return json_is_string(v) && json_string_length(v) >= 1 && json_string_length(v) <= max &&
           strlen(json_string_value(v)) == json_string_length(v);
}

static wl_rc location(const json_t *l, wl_error *err)
{
    static const char *const point[] = {"lon", "lat", "radius_m", NULL};
    static const char *const place[] = {"oblast", "settlement", NULL};
    const json_t *lon = json_object_get(l, "lon"), *lat = json_object_get(l, "lat");
    const json_t *st = json_object_get(l, "settlement");
    wl_rc rc;
    if (!json_is_object(l))
        return bad(err, "location",
                   "required: {\"lon\", \"lat\", \"radius_m\"} or {\"oblast\", \"settlement\"}");
    if (json_object_get(l, "oblast")) {
        if ((rc = wl_body_fields(l, place, KIND " location", err)) != WL_OK)
            return rc;
        if (wl_monitor_oblast_name(json_string_value(json_object_get(l, "oblast"))) == NULL)
            return bad(err, "location.oblast",
                       "an oblast of data/geo by its id (docs/FORMAT.md: kyiv, donetsk, ...)");
        if (st && !text(st, WL_MONITOR_PLACE_BYTES))
            return bad(err, "location.settlement", "a name of 1-100 bytes");
        return WL_OK;
    }
    if ((rc = wl_body_fields(l, point, KIND " location", err)) != WL_OK)
        return rc;
    if (lon == NULL && lat == NULL)
        return bad(err, "location",
                   "coordinates {\"lon\", \"lat\", \"radius_m\"} or a place {\"oblast\"}");
    if (!json_is_number(lon) || json_number_value(lon) < -180 || json_number_value(lon) > 180)
        return bad(err, "location.lon", "a longitude in degrees, -180 to 180");
    if (!json_is_number(lat) || json_number_value(lat) < -90 || json_number_value(lat) > 90)
        return bad(err, "location.lat", "a latitude in degrees, -90 to 90");
    if (!whole(json_object_get(l, "radius_m"), WL_MONITOR_RADIUS_MIN, WL_MONITOR_RADIUS_MAX))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": location.radius_m: required with coordinates: their "
                                 "precision, a whole number of metres, %u to %u",
                            WL_MONITOR_RADIUS_MIN, WL_MONITOR_RADIUS_MAX);
    return WL_OK;
}

/* restriction and weapon: present exactly when the type is theirs. */
static wl_rc typed(const json_t *b, const char *type, wl_error *err)
{
    static const char *const wfields[] = {"type", "count", NULL};
    const json_t *r = json_object_get(b, "restriction"), *w = json_object_get(b, "weapon");
    bool is_r = strcmp(type, "restriction") == 0, is_w = strcmp(type, "weapon_in_violation") == 0;
    wl_rc rc;
    if (is_r != (r != NULL) ||
        (is_r && !wl_monitor_in(wl_monitor_restrictions, json_string_value(r))))
        return bad(err, "restriction",
                   "a restriction's kind (only there): denial, delay, conditional, jamming_gps "
                   "or jamming_drone");
    if (is_w != (w != NULL))
        return bad(err, "weapon",
                   "a weapon_in_violation's {\"type\", \"count\"} (required there, only there)");
    if (!is_w)
        return WL_OK;
    if (!json_is_object(w))
        return bad(err, "weapon", "{\"type\", \"count\"}");
    if ((rc = wl_body_fields(w, wfields, KIND " weapon", err)) != WL_OK)
        return rc;
    if (!wl_monitor_in(wl_monitor_weapons, json_string_value(json_object_get(w, "type"))))
        return bad(err, "weapon.type",
                   "tank, artillery, mlrs, mortar, anti_tank, air_defence, armoured_vehicle or "
                   "other");
    if (!whole(json_object_get(w, "count"), 1, WL_MONITOR_WEAPONS_MAX))
        return bad(err, "weapon.count", "how many weapons were seen: 1 to 10000");
    return WL_OK;
}

static wl_rc evidence(const json_t *ev, int64_t time, wl_error *err)
{
    static const char *const fields[] = {"blob", "captured_by", "captured_at", "device", NULL};
    const json_t *x;
    char field[64];
    size_t i;
    wl_rc rc;
    if (!json_is_array(ev) || json_array_size(ev) > WL_MONITOR_EVIDENCE_MAX)
        return bad(err, "evidence", "a list of at most 16 items");
    json_array_foreach(ev, i, x)
    {
        const char *h = json_string_value(json_object_get(x, "blob"));
        const char *by = json_string_value(json_object_get(x, "captured_by"));
        if (!json_is_object(x))
            return bad(err, "evidence",
                       "holds {\"blob\", \"captured_by\", \"captured_at\", \"device\"}");
        if ((rc = wl_body_fields(x, fields, KIND " evidence", err)) != WL_OK)
            return rc;
        snprintf(field, sizeof field, "evidence[%zu].blob", i);
        if (h == NULL || strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64)
            return bad(err, field, "a blob's SHA-256: 64 lower-case hex digits");
        snprintf(field, sizeof field, "evidence[%zu].captured_by", i);
        if (by == NULL || !wl_valid_member_id(by, strlen(by)))
            return bad(err, field, "who captured it: a member id");
        snprintf(field, sizeof field, "evidence[%zu].captured_at", i);
        if (!whole(json_object_get(x, "captured_at"), WL_MONITOR_OBSERVED_MIN,
                   time + WL_MONITOR_SKEW_S))
            return bad(err, field,
                       "when it was captured: unix seconds, not after the entry's time + 5 "
                       "minutes");
        snprintf(field, sizeof field, "evidence[%zu].device", i);
        if (!text(json_object_get(x, "device"), WL_MONITOR_DEVICE_BYTES))
            return bad(err, field, "what captured it: 1-100 bytes");
    }
    return WL_OK;
}

wl_rc wl_monitor_report_check(const json_t *b, int64_t time, int64_t now, wl_error *err)
{
    static const char *const allowed[] = {"observed",    "precision_s", "location", "type",
                                          "restriction", "weapon",      "count",    "direction",
                                          "distance_m",  "evidence",    "text",     NULL};
    const json_t *obs = json_object_get(b, "observed"), *v;
    const char *type = json_string_value(json_object_get(b, "type"));
    wl_rc rc;

    if ((rc = wl_body_fields(b, allowed, KIND, err)) != WL_OK)
        return rc;
    if (!whole(obs, WL_MONITOR_OBSERVED_MIN, INT64_MAX / 2))
        return bad(err, "observed", "required: when it was seen, unix seconds from 2014");
    if (json_integer_value(obs) > time + WL_MONITOR_SKEW_S)
        return bad(err, "observed",
                   "in the future: more than 5 minutes after the entry's own time");
    if (now && json_integer_value(obs) > now + WL_MONITOR_SKEW_S)
        return bad(err, "observed", "in the future: more than 5 minutes after the log's time");
    if (!whole(json_object_get(b, "precision_s"), WL_MONITOR_PRECISION_MIN,
               WL_MONITOR_PRECISION_MAX))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": precision_s: required: how far either side of observed it "
                                 "may have been, %u to %u seconds",
                            WL_MONITOR_PRECISION_MIN, WL_MONITOR_PRECISION_MAX);
    if ((rc = location(json_object_get(b, "location"), err)) != WL_OK)
        return rc;
    if (!wl_monitor_in(wl_monitor_types, type))
        return bad(err, "type",
                   "one of explosion, projectile, muzzle_flash, bursts_shots, "
                   "weapon_in_violation, restriction, civilian_infrastructure_damage, "
                   "civilian_casualties");
    if ((rc = typed(b, type, err)) != WL_OK)
        return rc;
    if ((v = json_object_get(b, "count")) && !whole(v, 1, WL_MONITOR_COUNT_MAX))
        return bad(err, "count", "how many: 1 to 100000");
    if ((v = json_object_get(b, "direction")) &&
        !wl_monitor_in(wl_monitor_directions, json_string_value(v)))
        return bad(err, "direction", "a compass point: N, NE, E, SE, S, SW, W or NW");
    if ((v = json_object_get(b, "distance_m")) && !whole(v, 0, WL_MONITOR_DISTANCE_MAX))
        return bad(err, "distance_m", "metres: 0 to 50000");
    if ((v = json_object_get(b, "evidence")) && (rc = evidence(v, time, err)) != WL_OK)
        return rc;
    if ((v = json_object_get(b, "text")) &&
        (!json_is_string(v) || json_string_length(v) > WL_MONITOR_TEXT_BYTES ||
         strlen(json_string_value(v)) != json_string_length(v)))
        return bad(err, "text", "at most 4000 bytes");
    return WL_OK;
}
