/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition's registry: the lists a client would otherwise copy (the
 * pledge categories with their units, the range of a requirement's priority),
 * as JSON, read from the lists the rules themselves use (categories.c). The
 * daemon answers it at GET /api/v1/registry; the console builds its forms
 * from it. docs/FORMAT.md, "The registry".
 */
#include <jansson.h>

#include "willing/coalition.h"

json_t *wl_coalition_registry(void)
{
    json_t *out =
        json_pack("{s:{s:i, s:i}}", "priority", "min", WL_PRIORITY_MIN, "max", WL_PRIORITY_MAX);
    json_t *cats = json_array();
    const char *name;
    /* json_object_set_new takes cats, and releases it if it fails */
    if (out == NULL || cats == NULL || json_object_set_new(out, "categories", cats) != 0) {
        if (out == NULL)
            json_decref(cats);
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; (name = wl_pledge_category_at(i)) != NULL; i++) {
        /* "s?": null where a category has no unit of its own */
        json_t *c =
            json_pack("{s:s, s:s?}", "category", name, "unit", wl_pledge_category_unit(name));
        if (c == NULL || json_array_append_new(cats, c) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}
