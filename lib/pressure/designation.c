/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bodies of pressure.designation and pressure.snapshot
 * (include/willing/pressure.h): every field checked, unknown ones refused,
 * each error naming the field. The bytes: docs/internals/pressure.md,
 * "Designations".
 */
#include <stdlib.h>
#include <string.h>

#include "willing/entry.h"
#include "willing/limits.h"
#include "willing/names.h"
#include "willing/pressure.h"

#define D "pressure.designation"
#define S "pressure.snapshot"

static wl_rc bad(wl_error *err, const char *kind, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "%s: %s", kind, what);
}

static int one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

/* A text of 1..max bytes without control characters. */
static int text_ok(const json_t *v, size_t max)
{
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

/* "YYYY-MM-DD", or with partial, "YYYY-MM" or "YYYY" too (years 1000-9999; dates of birth
 * are often before 1970, which wl_date_days's -1 cannot tell from an error). */
static int date_ok(const json_t *v, int partial)
{
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    int64_t y, days;
    unsigned m = 1, d = 1, m2, d2;
    if (!(n == 10 || (partial && (n == 7 || n == 4))) || strspn(s, "0123456789") != 4 ||
        s[0] == '0')
        return 0;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (n >= 7) {
        if (s[4] != '-' || strspn(s + 5, "0123456789") < 2)
            return 0;
        m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
        if (m < 1 || m > 12)
            return 0;
    }
    if (n == 10) {
        if (s[7] != '-' || strspn(s + 8, "0123456789") != 2)
            return 0;
        d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    }
    days = wl_days_from_civil(y, m, d);
    wl_civil_from_days(days, &y, &m2, &d2);
    return m2 == m && d2 == d;
}

/* A list's id: 1-64 of a-z 0-9 . _ - (a member's id, or another authority's list such as
   ofac-sdn): no ':', which separates LIST:SUBJECT, no space or ';', which separate the lists
   of a subject in the alignment's CSV. */
static int list_ok(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && wl_valid_member_id(s, strlen(s));
}

static int hex64(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* An array of 0..WL_PRESSURE_LIST_MAX of objects with only `fields`; NULL if good, else why. */
static const char *objects(const json_t *a, const char *const *fields, int required)
{
    const char *k;
    json_t *o, *v;
    size_t i;
    if (!a)
        return required ? "missing" : NULL;
    if (!json_is_array(a) || json_array_size(a) > WL_PRESSURE_LIST_MAX ||
        (required && json_array_size(a) == 0))
        return "an array of at most 64";
    json_array_foreach(a, i, o)
    {
        if (!json_is_object(o))
            return "objects only";
        json_object_foreach(o, k, v) if (!one_of(k, fields)) return "an unknown field";
    }
    return NULL;
}

static const char *texts(const json_t *a)
{
    json_t *v;
    size_t i;
    if (!a)
        return NULL;
    if (!json_is_array(a) || json_array_size(a) > WL_PRESSURE_LIST_MAX)
        return "an array of at most 64 texts";
    json_array_foreach(a, i,
                       v) if (!text_ok(v, WL_PRESSURE_TEXT_BYTES)) return "texts of 1-512 bytes";
    return NULL;
}

static wl_rc names(const json_t *a, wl_error *err)
{
    static const char *const fields[] = {"name", "script", "quality", "alias", NULL};
    static const char *const qualities[] = {"strong", "weak", NULL};
    static const char *const aliases[] = {"aka", "fka", "nka", NULL};
    size_t i, primary = 0;
    json_t *o;
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > WL_PRESSURE_NAMES_MAX)
        return bad(err, D, "'names' must be 1-256 names");
    json_array_foreach(a, i, o)
    {
        const char *k, *name = json_string_value(json_object_get(o, "name"));
        const char *script = json_string_value(json_object_get(o, "script"));
        json_t *v, *q = json_object_get(o, "quality"), *al = json_object_get(o, "alias");
        if (!json_is_object(o))
            return bad(err, D, "'names' holds objects");
        json_object_foreach(o, k, v) if (!one_of(k, fields)) return wl_error_set(
            err, WL_ERR_INVALID, "invalid_body", D ": names[%zu]: unknown field '%s'", i, k);
        if (!name || !*name)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                D ": names[%zu]: 'name' missing", i);
        wl_rc rc = wl_names_check(name, strlen(name), NULL, err);
        if (rc != WL_OK)
            return rc;
        if (!script || strlen(script) != 4 || script[0] < 'A' || script[0] > 'Z' ||
            strspn(script + 1, "abcdefghijklmnopqrstuvwxyz") != 3)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                D ": names[%zu]: 'script' is an ISO 15924 code (Latn, Cyrl...)", i);
        if (q && !one_of(json_string_value(q), qualities))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                D ": names[%zu]: 'quality' is strong or weak", i);
        if (al && !one_of(json_string_value(al), aliases))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                D ": names[%zu]: 'alias' is aka, fka or nka", i);
        primary += al == NULL;
    }
    if (primary != 1)
        return bad(err, D, "'names' holds exactly one primary name (one without 'alias')");
    return WL_OK;
}

wl_rc wl_pressure_designation_check(const json_t *b, wl_error *err)
{
    static const char *const fields[] = {"subject",  "type",      "names",      "ids",    "dob",
                                         "pob",      "countries", "programmes", "listed", "amended",
                                         "delisted", "source",    NULL};
    static const char *const types[] = {"person", "entity", "vessel", "aircraft", NULL};
    static const char *const id_fields[] = {"type", "value", "country", NULL};
    static const char *const dob_fields[] = {"date", "circa", NULL};
    static const char *const source_fields[] = {"list", "file", NULL};
    const char *subject = json_string_value(json_object_get(b, "subject")), *why;
    const json_t *src = json_object_get(b, "source"), *v;
    const char *k;
    size_t i;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, D, err)) != WL_OK)
        return rc;
    if (!subject || !wl_valid_member_id(subject, strlen(subject)))
        return bad(err, D, "'subject' must be 1-64 of a-z 0-9 . _ - (the list's own id)");
    if (!one_of(json_string_value(json_object_get(b, "type")), types))
        return bad(err, D, "'type' must be person, entity, vessel or aircraft");
    if ((rc = names(json_object_get(b, "names"), err)) != WL_OK)
        return rc;
    if ((why = objects(json_object_get(b, "ids"), id_fields, 0)) != NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", D ": 'ids': %s", why);
    json_array_foreach(
        json_object_get(b, "ids"), i,
        v) if (!text_ok(json_object_get(v, "type"), 64) ||
               !text_ok(json_object_get(v, "value"), 128) ||
               (json_object_get(v, "country") &&
                !text_ok(json_object_get(v, "country"),
                         64))) return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                                   D ": ids[%zu]: 'type' (1-64 bytes) and 'value' "
                                                     "(1-128) needed",
                                                   i);
    if ((why = objects(json_object_get(b, "dob"), dob_fields, 0)) != NULL)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", D ": 'dob': %s", why);
    json_array_foreach(
        json_object_get(b, "dob"), i,
        v) if (!date_ok(json_object_get(v, "date"), 1) ||
               (json_object_get(v, "circa") &&
                !json_is_boolean(json_object_get(
                    v, "circa")))) return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                                       D ": dob[%zu]: 'date' is YYYY-MM-DD, "
                                                         "YYYY-MM or YYYY; 'circa' true or false",
                                                       i);
    const char *lists[] = {"pob", "countries", "programmes"};
    for (size_t j = 0; j < 3; j++)
        if ((why = texts(json_object_get(b, lists[j]))) != NULL)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body", D ": '%s': %s", lists[j], why);
    if (!date_ok(json_object_get(b, "listed"), 0))
        return bad(err, D, "'listed' must be YYYY-MM-DD");
    for (size_t j = 0; j < 2; j++) { /* amended and delisted: dates, not before listed */
        const char *f = j ? "delisted" : "amended", *listed;
        if ((v = json_object_get(b, f)) == NULL)
            continue;
        if (!date_ok(v, 0))
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body", D ": '%s' must be YYYY-MM-DD",
                                f);
        listed = json_string_value(json_object_get(b, "listed"));
        if (strcmp(json_string_value(v), listed) < 0)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                D ": '%s' (%s) is before 'listed' (%s)", f, json_string_value(v),
                                listed);
    }
    if (!json_is_object(src))
        return bad(err, D, "'source' must be {\"list\", \"file\"}");
    json_object_foreach((json_t *)src, k, v) if (!one_of(k, source_fields)) return bad(
        err, D, "'source' holds only list and file");
    if (!list_ok(json_object_get(src, "list")) || !hex64(json_object_get(src, "file")))
        return bad(err, D,
                   "'source': 'list' (the list's id, 1-64 of a-z 0-9 . _ -: no ':', which "
                   "separates LIST:SUBJECT) and 'file' (the SHA-256 of the list's file, 64 "
                   "lower-case hex)");
    return WL_OK;
}

wl_rc wl_pressure_designation_check_at(const json_t *b, int64_t time, wl_error *err)
{
    static const char *const dates[] = {"listed", "amended", "delisted"};
    /* the latest date anywhere on Earth (UTC+14) at the entry's time, plus the skew */
    int64_t latest = (time + WL_ENTRY_SKEW_S + WL_PRESSURE_DATE_AHEAD_S) / 86400;
    wl_rc rc = wl_pressure_designation_check(b, err);
    for (size_t i = 0; rc == WL_OK && i < 3; i++) {
        const char *d = json_string_value(json_object_get(b, dates[i]));
        int64_t y, days;
        unsigned m, dd;
        if (d == NULL)
            continue;
        days = wl_days_from_civil(strtoll(d, NULL, 10), (unsigned)strtoul(d + 5, NULL, 10),
                                  (unsigned)strtoul(d + 8, NULL, 10));
        if (days > latest) {
            wl_civil_from_days(latest, &y, &m, &dd);
            rc = wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                              D ": '%s' (%s) is after the entry's own time: %04lld-%02u-%02u "
                                "is the latest date anywhere then",
                              dates[i], d, (long long)y, m, dd);
        }
    }
    return rc;
}

wl_rc wl_pressure_snapshot_check(const json_t *b, wl_error *err)
{
    static const char *const fields[] = {"list", "file", "date", "base", "counts", NULL};
    static const char *const counts[] = {"subjects", "added", "amended", "delisted", NULL};
    const json_t *c = json_object_get(b, "counts"), *base = json_object_get(b, "base");
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, S, err)) != WL_OK)
        return rc;
    if (!list_ok(json_object_get(b, "list")))
        return bad(err, S, "'list' must be the list's id, 1-64 of a-z 0-9 . _ -");
    if (!hex64(json_object_get(b, "file")))
        return bad(err, S, "'file' must be the SHA-256 of the file, 64 lower-case hex");
    if (!date_ok(json_object_get(b, "date"), 0))
        return bad(err, S, "'date' must be YYYY-MM-DD (the file's)");
    if (base == NULL ||
        !(json_is_null(base) || (json_is_integer(base) && json_integer_value(base) >= 1)))
        return bad(err, S,
                   "'base' must be the entry index of the list's latest snapshot the import "
                   "was compared against, or null for the list's first import");
    if (!json_is_object(c) || json_object_size(c) != 4)
        return bad(err, S, "'counts' must be {subjects, added, amended, delisted}");
    for (size_t i = 0; counts[i]; i++) {
        const json_t *n = json_object_get(c, counts[i]);
        if (!json_is_integer(n) || json_integer_value(n) < 0 || json_integer_value(n) > 100000000)
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                S ": counts.%s must be a whole number 0-100000000", counts[i]);
    }
    return WL_OK;
}
