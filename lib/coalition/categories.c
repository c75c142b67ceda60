/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pledge categories, the one list of them: pledges, requirements and
 * conditions name them (pledge.c, kinds.c, conditions.c ask here), and the
 * console takes them from GET /api/v1/registry (registry.c). With each, the
 * unit its quantities are counted in when a condition's total() names none.
 * A file of its own, below both pledge.c (which checks a pledge's condition
 * through conditions.c) and conditions.c (which checks a condition's
 * categories here): neither calls back into the other. docs/FORMAT.md, "The
 * registry".
 */
#include <string.h>

#include "willing/coalition.h"

/* In the order a form offers them; unit NULL: total() must name one. */
static const struct {
    const char *name, *unit;
} categories[] = {{"ground_forces", "troops"},
                  {"air_policing", "aircraft"},
                  {"air_defence", "systems"},
                  {"maritime", "ships"},
                  {"logistics", NULL},
                  {"intelligence", NULL},
                  {"training", NULL},
                  {"finance", NULL},
                  {"other", NULL}};

const char *wl_pledge_category_at(size_t i)
{
    return i < sizeof categories / sizeof categories[0] ? categories[i].name : NULL;
}

const char *wl_pledge_category_unit(const char *category)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(category, categories[i].name) == 0)
            return categories[i].unit;
    return NULL;
}

int wl_pledge_category(const char *s)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(s, categories[i].name) == 0)
            return 1;
    return 0;
}
