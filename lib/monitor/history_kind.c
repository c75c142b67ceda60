/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kind history.batch (issue 11, point 5), the module `history`: its body
 * (validate: each event by the rules the reader applies, wl_history_event_why)
 * and its events stored apart from monitors' reports (apply: a release and an
 * event imported once). docs/internals/monitor.md, "History"; docs/FORMAT.md,
 * "history.batch".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/entry.h"
#include "willing/history.h"
#include "willing/limits.h"

/* ---- the kind: history.batch ---- */

#define KIND "history.batch"

/* An event of a body into *e; NULL when good, else why (static text). */
static const char *body_event(const json_t *o, wl_history_event *e)
{
    static const char *const fields[] = {"line",           "id",
                                         "year",           "type_of_violence",
                                         "conflict_name",  "dyad_name",
                                         "side_a",         "side_b",
                                         "where_prec",     "where_description",
                                         "adm_1",          "adm_2",
                                         "latitude",       "longitude",
                                         "date_prec",      "date_start",
                                         "date_end",       "deaths_a",
                                         "deaths_b",       "deaths_civilians",
                                         "deaths_unknown", "best",
                                         "high",           "low",
                                         "transcoded",     NULL};
    struct {
        const char *name;
        char *out;
        size_t cap;
        int required;
    } strs[] = {{"conflict_name", e->conflict_name, sizeof e->conflict_name, 1},
                {"dyad_name", e->dyad_name, sizeof e->dyad_name, 1},
                {"side_a", e->side_a, sizeof e->side_a, 1},
                {"side_b", e->side_b, sizeof e->side_b, 1},
                {"where_description", e->where_description, sizeof e->where_description, 0},
                {"adm_1", e->adm_1, sizeof e->adm_1, 0},
                {"adm_2", e->adm_2, sizeof e->adm_2, 0},
                {"latitude", e->latitude, sizeof e->latitude, 1},
                {"longitude", e->longitude, sizeof e->longitude, 1},
                {"date_start", e->date_start, sizeof e->date_start, 1},
                {"date_end", e->date_end, sizeof e->date_end, 1}};
    struct {
        const char *name;
        uint64_t *v;
    } nums[] = {{"line", NULL},
                {"id", &e->id},
                {"deaths_a", &e->deaths_a},
                {"deaths_b", &e->deaths_b},
                {"deaths_civilians", &e->deaths_civilians},
                {"deaths_unknown", &e->deaths_unknown},
                {"best", &e->best},
                {"high", &e->high},
                {"low", &e->low}};
    struct {
        const char *name;
        int *v;
    } ints[] = {{"year", &e->year},
                {"type_of_violence", &e->type},
                {"where_prec", &e->where_prec},
                {"date_prec", &e->date_prec}};
    const char *k, *t;
    json_t *v;
    memset(e, 0, sizeof *e);
    if (!json_is_object(o))
        return "not an object";
    json_object_foreach((json_t *)o, k, v)
    {
        int ok = 0;
        for (const char *const *f = fields; *f && !ok; f++)
            ok = strcmp(*f, k) == 0;
        if (!ok)
            return "an unknown field";
    }
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        v = json_object_get(o, nums[i].name);
        if (!json_is_integer(v) || json_integer_value(v) < (i < 2 ? 1 : 0) ||
            json_integer_value(v) >
                (i < 2 ? 999999999999999999LL : (json_int_t)WL_HISTORY_DEATHS_MAX))
            return i == 0   ? "line: the event's line in the file, a whole number from 1"
                   : i == 1 ? "id: UCDP's id, a whole number from 1"
                            : "deaths, best, high, low: whole numbers up to 10000000";
        if (nums[i].v)
            *nums[i].v = (uint64_t)json_integer_value(v);
        else
            e->line = (size_t)json_integer_value(v);
    }
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        v = json_object_get(o, ints[i].name);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 9999)
            return "year, type_of_violence, where_prec, date_prec: whole numbers";
        *ints[i].v = (int)json_integer_value(v);
    }
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        v = json_object_get(o, strs[i].name);
        if (v == NULL && !strs[i].required)
            continue;
        if ((t = json_string_value(v)) == NULL || strlen(t) >= strs[i].cap || *t == '\0')
            return strs[i].required ? "a field of UCDP's missing, or too long"
                                    : "where_description, adm_1, adm_2: 1 byte or more";
        memcpy(strs[i].out, t, strlen(t) + 1);
    }
    v = json_object_get(o, "transcoded");
    if (v && (!json_is_string(v) || strcmp(json_string_value(v), "windows-1252") != 0))
        return "transcoded: \"windows-1252\", or absent";
    e->transcoded = v != NULL;
    return wl_history_event_why(e);
}

wl_rc wl_history_batch_validate(const wl_entry *e, wl_error *err)
{
    static const char *const fields[] = {"source", "release", "file", "part",
                                         "parts",  "events",  NULL};
    const json_t *b = e->body_json, *events = json_object_get(b, "events");
    const char *source = json_string_value(json_object_get(b, "source"));
    const char *release = json_string_value(json_object_get(b, "release"));
    wl_history_event ev;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, KIND, err)) != WL_OK)
        return rc;
    if (source == NULL || strcmp(source, WL_UCDP_SOURCE) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": 'source' must be \"" WL_UCDP_SOURCE
                                 "\" (UCDP's Georeferenced Event Dataset)");
    if (release == NULL || !wl_valid_member_id(release, strlen(release)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": 'release' must be 1-64 of a-z 0-9 . _ - (such as 24.1)");
    if ((rc = wl_import_body_check(b, KIND, "events", WL_HISTORY_BATCH_ROWS, WL_HISTORY_PARTS_MAX,
                                   err)) != WL_OK)
        return rc;
    for (size_t i = 0; i < json_array_size(events); i++) {
        const char *why = body_event(json_array_get(events, i), &ev);
        if (why)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                KIND ": events[%zu] (line %zu): %s", i, ev.line, why);
    }
    return WL_OK;
}

wl_rc wl_history_batch_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *events = json_object_get(b, "events");
    const char *release = json_string_value(json_object_get(b, "release"));
    const char *file = json_string_value(json_object_get(b, "file"));
    uint64_t part = (uint64_t)json_integer_value(json_object_get(b, "part")), at;
    char had[65];
    wl_store_history h;
    wl_history_event ev;
    wl_rc rc;

    /* the body passed validate at precheck: the same rules hold here */
    rc = wl_store_history_release(s, WL_UCDP_SOURCE, release, 0, had, &at);
    if (rc == WL_OK && strcmp(had, file) != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "history_exists",
                            KIND ": release %s of UCDP's events is already imported from another "
                                 "file (SHA-256 %.16s..., entry %llu): a release is imported once",
                            release, had, (unsigned long long)at);
    if (rc == WL_OK)
        rc = wl_store_history_release(s, WL_UCDP_SOURCE, release, part, had, &at);
    if (rc == WL_OK)
        return wl_error_set(err, WL_ERR_CONFLICT, "history_exists",
                            KIND ": part %llu of release %s is already imported (entry %llu)",
                            (unsigned long long)part, release, (unsigned long long)at);
    if (rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", KIND ": cannot read the history");
    memset(&h, 0, sizeof h);
    h.idx = index;
    h.part = part;
    h.parts = (uint64_t)json_integer_value(json_object_get(b, "parts"));
    h.source = WL_UCDP_SOURCE;
    h.release = release;
    h.file = file;
    for (size_t i = 0; i < json_array_size(events); i++) {
        const json_t *o = json_array_get(events, i);
        char *text;
        if (body_event(o, &ev) != NULL)
            return wl_error_set(err, WL_ERR_INTERNAL, "internal", KIND ": an event changed");
        rc = wl_store_history_has(s, WL_UCDP_SOURCE, release, ev.id, &at);
        if (rc == WL_OK)
            return wl_error_set(err, WL_ERR_CONFLICT, "history_exists",
                                KIND ": events[%zu]: UCDP's event %llu of release %s is already "
                                     "stored (entry %llu)",
                                i, (unsigned long long)ev.id, release, (unsigned long long)at);
        if (rc != WL_ERR_NOT_FOUND)
            return wl_error_set(err, rc, "storage", KIND ": cannot read the history");
        if ((text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
            return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "out of memory");
        h.row = i;
        h.line = ev.line;
        h.id = ev.id;
        h.year = ev.year;
        h.type = ev.type;
        h.date_start = ev.date_start;
        h.date_end = ev.date_end;
        h.lat = strtod(ev.latitude, NULL);
        h.lon = strtod(ev.longitude, NULL);
        h.best = ev.best;
        h.high = ev.high;
        h.low = ev.low;
        h.event = text;
        rc = wl_store_history_put(s, &h);
        free(text);
        if (rc != WL_OK)
            return wl_error_set(err, rc, "storage", KIND ": cannot store event %zu", i);
    }
    return WL_OK;
}

/*
 * history.batch is the module `history` (lib/modules.c lists it): UCDP's events are
 * no monitor's report, and nothing of the monitor module's kinds reads or writes them.
 */
static const wl_kind history_kinds[] = {
    {.name = KIND,
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR,
     .validate = wl_history_batch_validate,
     .apply = wl_history_batch_apply},
};

const wl_module wl_history_module = {
    .name = "history",
    .kinds = history_kinds,
    .nkinds = sizeof history_kinds / sizeof history_kinds[0],
};
