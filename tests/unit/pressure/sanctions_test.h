/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the tests of the official lists' readers share (test_sanctions_*.c): a
 * body found by subject, every body checked by the kind's own rules, every body
 * indexed by the names engine as the daemon's screening indexes it.
 */
#ifndef WILLING_TEST_SANCTIONS_H
#define WILLING_TEST_SANCTIONS_H

#include <string.h>

#include "willing/names.h"
#include "willing/pressure.h"
#include "willing/sanctions.h"

/* The body of subject, or NULL. */
static inline const json_t *wl_test_body(const wl_sanctions_list *l, const char *subject)
{
    for (size_t i = 0; i < json_array_size(l->bodies); i++) {
        const json_t *b = json_array_get(l->bodies, i);
        if (strcmp(json_string_value(json_object_get(b, "subject")), subject) == 0)
            return b;
    }
    return NULL;
}

/* The number of bodies that fail wl_pressure_designation_check or name another list or file. */
static inline size_t wl_test_bodies_failing(const wl_sanctions_list *l)
{
    size_t bad = 0;
    for (size_t i = 0; i < json_array_size(l->bodies); i++) {
        const json_t *b = json_array_get(l->bodies, i), *src = json_object_get(b, "source");
        wl_error err;
        if (wl_pressure_designation_check(b, &err) != WL_OK ||
            strcmp(json_string_value(json_object_get(src, "list")), l->list) != 0 ||
            strcmp(json_string_value(json_object_get(src, "file")), l->sha256) != 0)
            bad++;
    }
    return bad;
}

/* 1 when the array arr holds the string s. */
static inline int wl_test_has(const json_t *arr, const char *s)
{
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (strcmp(json_string_value(json_array_get(arr, i)), s) == 0)
            return 1;
    return 0;
}

/* Field k of b; field k of b's array arr's element i (k NULL: the element itself). */
static inline const char *wl_test_str(const json_t *b, const char *k)
{
    return json_string_value(json_object_get(b, k));
}

static inline const char *wl_test_at(const json_t *b, const char *arr, size_t i, const char *k)
{
    const json_t *o = json_array_get(json_object_get(b, arr), i);
    return k ? json_string_value(json_object_get(o, k)) : json_string_value(o);
}

/* A read's figures: records, bodies by type (person, entity, vessel), its one refusal. */
typedef struct {
    size_t records, person, entity, vessel;
    const char *list, *generated, *record, *why;
    long line;
} wl_test_read;

/* 0 when l is as r says (one refusal, every body passing the kind's check), else the
   number of the first figure that differs. */
static inline int wl_test_read_is(const wl_sanctions_list *l, const wl_test_read *r)
{
    return l->records != r->records                       ? 1
           : l->n_person != r->person                     ? 2
           : l->n_entity != r->entity                     ? 3
           : l->n_vessel != r->vessel                     ? 4
           : l->n_rejects != 1                            ? 5
           : strcmp(l->rejects[0].record, r->record) != 0 ? 6
           : l->rejects[0].line != r->line                ? 7
           : strcmp(l->rejects[0].why, r->why) != 0       ? 8
           : strcmp(l->list, r->list) != 0                ? 9
           : strcmp(l->generated, r->generated) != 0      ? 10
           : wl_test_bodies_failing(l) != 0               ? 11
                                                          : 0;
}

/* The names entry of body b called name, or NULL. */
static inline const json_t *wl_test_name(const json_t *b, const char *name)
{
    const json_t *names = json_object_get(b, "names");
    for (size_t i = 0; i < json_array_size(names); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(names, i), "name")), name) == 0)
            return json_array_get(names, i);
    return NULL;
}

/* A new index of every body's names (and identifiers), subject id its index in l->bodies;
   NULL when any is refused. */
static inline wl_names_index *wl_test_indexed(const wl_sanctions_list *l, wl_names *n)
{
    wl_names_index *ix;
    size_t refused = 0;
    if (wl_names_index_new(1, &ix) != WL_OK)
        return NULL;
    for (size_t i = 0; i < json_array_size(l->bodies); i++) {
        const json_t *b = json_array_get(l->bodies, i), *names = json_object_get(b, "names");
        const json_t *ids = json_object_get(b, "ids");
        wl_name_in in[256];
        wl_name_id id[64];
        size_t nn = json_array_size(names), ni = json_array_size(ids);
        wl_error err;
        for (size_t k = 0; k < nn; k++) {
            const json_t *o = json_array_get(names, k);
            const char *q = json_string_value(json_object_get(o, "quality"));
            in[k] = (wl_name_in){json_string_value(json_object_get(o, "name")),
                                 json_object_get(o, "alias") != NULL, q && strcmp(q, "weak") == 0};
        }
        for (size_t k = 0; k < ni; k++)
            id[k] =
                (wl_name_id){json_string_value(json_object_get(json_array_get(ids, k), "type")),
                             json_string_value(json_object_get(json_array_get(ids, k), "value"))};
        wl_names_subject s = {.id = i, .names = in, .n_names = nn, .ids = id, .n_ids = ni};
        if (wl_names_index_add(ix, n, &s, &err) != WL_OK)
            refused++;
    }
    if (refused) {
        wl_names_index_free(ix);
        return NULL;
    }
    return ix;
}

#endif
