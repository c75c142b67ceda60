/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A list's import as the differences from what the log holds (issue 12,
 * point 2): wl_pressure_diff compares the designations a reader gave for a
 * list's file (any format: OFAC's CSV, the UN's, EU's or UK's XML) with the
 * list's stored ones, subject by subject, and gives the designations to
 * write (added, amended, delisted) and the pressure.snapshot of the import.
 * Pure: bodies in, bodies out. docs/internals/pressure.md, "Importing a list".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/pressure.h"

static bool skipped(const char *key, const char *const *skip)
{
    for (; *skip; skip++)
        if (strcmp(key, *skip) == 0)
            return true;
    return false;
}

/* a and b are equal objects but for the fields skip names (no copy made). */
static bool equal_but(const json_t *a, const json_t *b, const char *const *skip)
{
    const char *k;
    json_t *v;
    size_t na = 0, nb = 0;
    json_object_foreach((json_t *)a, k, v)
    {
        if (skipped(k, skip))
            continue;
        na++;
        if (!json_equal(v, json_object_get(b, k)))
            return false;
    }
    json_object_foreach((json_t *)b, k, v) nb += !skipped(k, skip);
    return na == nb;
}

/* Two bodies of one subject the same but for what differs between files: its file and dates. */
static bool same(const json_t *a, const json_t *b)
{
    static const char *const top[] = {"source", "listed", "amended", "delisted", NULL};
    static const char *const src[] = {"file", NULL};
    return equal_but(a, b, top) &&
           equal_but(json_object_get(a, "source"), json_object_get(b, "source"), src);
}

/* A copy of b for the file: source.file the file's, listed as given, `key` set to date. */
static json_t *rewrite(const json_t *b, const char *file, const char *listed, const char *key,
                       const char *date)
{
    json_t *c, *src;
    const char *had = json_string_value(json_object_get(json_object_get(b, "source"), "file"));
    if (!listed && !key && had && strcmp(had, file) == 0) /* as it is: shared, not copied */
        return json_incref((json_t *)b);
    c = json_deep_copy(b);
    src = json_object_get(c, "source");
    if (c == NULL || !json_is_object(src) ||
        json_object_set_new(src, "file", json_string(file)) != 0 ||
        (listed && json_object_set_new(c, "listed", json_string(listed)) != 0) ||
        (key && json_object_set_new(c, key, json_string(date)) != 0)) {
        json_decref(c);
        return NULL;
    }
    return c;
}

static const char *field(const json_t *b, const char *name)
{
    return json_string_value(json_object_get(b, name));
}

static const char *list_of(const json_t *b)
{
    return json_string_value(json_object_get(json_object_get(b, "source"), "list"));
}

static wl_rc nomem(wl_error *err)
{
    return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "pressure import: out of memory");
}

/* The bodies by subject (borrowed); WL_ERR_INVALID naming the first of another list or twice. */
static wl_rc by_subject(const json_t *bodies, const char *list, const char *what, json_t **out,
                        wl_error *err)
{
    json_t *m = json_object(), *b;
    size_t i;
    *out = NULL;
    if (m == NULL)
        return nomem(err);
    json_array_foreach(bodies, i, b)
    {
        const char *subject = field(b, "subject"), *l = list_of(b);
        if (subject == NULL || l == NULL || strcmp(l, list) != 0) {
            json_decref(m);
            return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                "pressure import: %s designation %zu is not of the list %s", what,
                                i + 1, list);
        }
        if (json_object_get(m, subject)) {
            json_decref(m);
            return wl_error_set(err, WL_ERR_INVALID, "duplicate_subject",
                                "pressure import: the %s designations hold subject %s twice", what,
                                subject);
        }
        if (json_object_set(m, subject, b) != 0) {
            json_decref(m);
            return nomem(err);
        }
    }
    *out = m;
    return WL_OK;
}

/*
 * One incoming body against the stored one (NULL: none), counted: *w what to write (NULL:
 * nothing). New, or listed again after a delisting: as the file gives it. Changed: listed kept
 * from the first listing, amended the list's own date if it gives one, else the file's.
 * 0, or -1 out of memory.
 */
static int incoming_write(const json_t *in, const json_t *old, const char *file, const char *date,
                          wl_pressure_plan *p, json_t **w)
{
    *w = NULL;
    if (old == NULL || (field(old, "delisted") && !field(in, "delisted"))) {
        p->added++;
        *w = rewrite(in, file, NULL, NULL, NULL);
    } else if (!same(in, old)) {
        p->amended++;
        *w = rewrite(in, file, field(old, "listed"), field(in, "amended") ? NULL : "amended", date);
    } else {
        return 0;
    }
    return *w ? 0 : -1;
}

wl_rc wl_pressure_diff(const char *list, const char *file, const char *date, int64_t base,
                       const json_t *incoming, const json_t *stored, wl_pressure_plan *out,
                       wl_error *err)
{
    json_t *now = NULL, *before = NULL, *b;
    const char *subject;
    wl_rc rc;
    size_t i;

    memset(out, 0, sizeof *out);
    if ((rc = by_subject(incoming, list, "new", &now, err)) != WL_OK ||
        (rc = by_subject(stored, list, "stored", &before, err)) != WL_OK)
        goto out;
    if ((out->writes = json_array()) == NULL) {
        rc = nomem(err);
        goto out;
    }
    out->subjects = json_array_size(incoming);
    json_array_foreach(incoming, i, b)
    {
        json_t *w;
        if (incoming_write(b, json_object_get(before, field(b, "subject")), file, date, out, &w) !=
                0 ||
            (w && json_array_append_new(out->writes, w) != 0)) {
            rc = nomem(err);
            goto out;
        }
    }
    json_object_foreach(before, subject, b)
    {
        json_t *w;
        if (json_object_get(now, subject) || field(b, "delisted"))
            continue;
        if ((w = rewrite(b, file, NULL, "delisted", date)) == NULL ||
            json_array_append_new(out->writes, w) != 0) {
            rc = nomem(err);
            goto out;
        }
        out->delisted++;
    }
    out->snapshot =
        json_pack("{s:s, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I}}", "list", list, "file", file,
                  "date", date, "base", base < 0 ? json_null() : json_integer((json_int_t)base),
                  "counts", "subjects", (json_int_t)out->subjects, "added", (json_int_t)out->added,
                  "amended", (json_int_t)out->amended, "delisted", (json_int_t)out->delisted);
    if (out->snapshot == NULL)
        rc = nomem(err);
    else if ((rc = wl_pressure_snapshot_check(out->snapshot, err)) != WL_OK)
        goto out;
    for (i = 0; rc == WL_OK && i < json_array_size(out->writes); i++)
        rc = wl_pressure_designation_check(json_array_get(out->writes, i), err);
out:
    json_decref(now);
    json_decref(before);
    if (rc != WL_OK)
        wl_pressure_plan_free(out);
    return rc;
}

void wl_pressure_plan_free(wl_pressure_plan *p)
{
    if (p == NULL)
        return;
    json_decref(p->writes);
    json_decref(p->snapshot);
    memset(p, 0, sizeof *p);
}
