/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The analyst's decision (pressure.decision, include/willing/pressure.h): two
 * stored designations, each {list, subject}, are the same subject or not, with
 * a reason. The body's check, and its apply: both designations must exist
 * (404 unknown_designation otherwise, nothing stored); the pair is stored in
 * its canonical order, a later decision on it replacing the earlier.
 * docs/internals/pressure.md, "The analyst's decision".
 */
#include <string.h>

#include "store/store.h"
#include "willing/entry.h"
#include "willing/limits.h"
#include "willing/pressure.h"

#define K "pressure.decision"

/* {"list": a list's id, "subject": the subject's id there}: 1 and its two texts, or 0. */
static int side(const json_t *o, const char **list, const char **subject)
{
    if (!json_is_object(o) || json_object_size(o) != 2) /* "list" and "subject" only */
        return 0;
    *list = json_string_value(json_object_get(o, "list"));
    *subject = json_string_value(json_object_get(o, "subject"));
    /* a list's id as a designation's source.list is (designation.c) */
    return *list && *subject && wl_valid_member_id(*list, strlen(*list)) &&
           wl_valid_member_id(*subject, strlen(*subject));
}

/* A reason: 1-WL_PRESSURE_REASON_BYTES bytes, no control character but a line break or a tab. */
static int reason_ok(const char *r)
{
    size_t n = r ? strlen(r) : 0;
    if (n == 0 || n > WL_PRESSURE_REASON_BYTES || wl_body_blank(r))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)r[i] < 0x20 && r[i] != '\n' && r[i] != '\t')
            return 0;
    return 1;
}

wl_rc wl_pressure_decision_check(const json_t *b, wl_error *err)
{
    static const char *const fields[] = {"a", "b", "same", "reason", NULL};
    const char *al, *as, *bl, *bs;
    wl_rc rc;
    if ((rc = wl_body_fields(b, fields, K, err)) != WL_OK)
        return rc;
    if (!side(json_object_get(b, "a"), &al, &as) || !side(json_object_get(b, "b"), &bl, &bs))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            K ": 'a' and 'b' are each {\"list\": the list's id, \"subject\": "
                              "the subject's id there, each 1-64 of a-z 0-9 . _ -}");
    if (strcmp(al, bl) == 0 && strcmp(as, bs) == 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            K ": 'a' and 'b' are the same designation (%s:%s)", al, as);
    if (!json_is_boolean(json_object_get(b, "same")))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            K ": 'same' is true (one subject) or false (two)");
    if (!reason_ok(json_string_value(json_object_get(b, "reason"))))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            K ": 'reason' is needed: 1-%u bytes, no control character but a "
                              "line break or a tab",
                            WL_PRESSURE_REASON_BYTES);
    return WL_OK;
}

/* -1, 0, 1 as (l1, s1) sorts before, with, after (l2, s2). */
static int pair_cmp(const char *l1, const char *s1, const char *l2, const char *s2)
{
    int c = strcmp(l1, l2);
    return c ? c : strcmp(s1, s2);
}

wl_rc wl_pressure_decision_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *a = json_object_get(b, "a"), *o = json_object_get(b, "b");
    wl_store_decision d = {
        .a_list = json_string_value(json_object_get(a, "list")),
        .a_subject = json_string_value(json_object_get(a, "subject")),
        .b_list = json_string_value(json_object_get(o, "list")),
        .b_subject = json_string_value(json_object_get(o, "subject")),
        .same = json_is_true(json_object_get(b, "same")),
        .reason = json_string_value(json_object_get(b, "reason")),
        .author = p->e.author,
        .idx = index,
    };
    const char *sides[2][2] = {{d.a_list, d.a_subject}, {d.b_list, d.b_subject}};
    wl_rc rc;
    for (int i = 0; i < 2; i++) {
        int found = 0;
        if ((rc = wl_store_designation_exists(s, sides[i][0], sides[i][1], &found)) != WL_OK)
            return wl_error_set(err, rc, "storage", K ": cannot read the designations");
        if (!found)
            return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_designation",
                                K ": an analyst decision on a pair that does not exist: no "
                                  "designation %s:%s",
                                sides[i][0], sides[i][1]);
    }
    if (pair_cmp(d.a_list, d.a_subject, d.b_list, d.b_subject) > 0) { /* canonical order */
        const char *l = d.a_list, *sub = d.a_subject;
        d.a_list = d.b_list, d.a_subject = d.b_subject, d.b_list = l, d.b_subject = sub;
    }
    if ((rc = wl_store_decision_put(s, &d)) != WL_OK)
        wl_error_set(err, rc, "storage", K ": cannot store the decision");
    return rc;
}
