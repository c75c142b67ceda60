/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry (issue 8, point 5).
 *   GET /api/v1/registry: public, cacheable: what every module lists for its
 *     clients rather than have them copy it; today the coalition's pledge
 *     categories with their units and the range of a requirement's priority
 *     (wl_coalition_registry). The console builds its forms from it.
 * Each module's part is one object, merged into the answer: a module that
 * arrives adds its function to `parts`. docs/FORMAT.md, "The registry".
 */
#include <stdlib.h>
#include <string.h>

#include "respond.h"
#include "route.h"
#include "willing/coalition.h"

/* The registry changes only with the daemon's build. */
#define REGISTRY_CACHE "public, max-age=300"

static json_t *(*const parts[])(void) = {wl_coalition_registry};

static enum MHD_Result get_registry(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    json_t *all = json_object();
    char *text = NULL;
    enum MHD_Result ret;
    for (size_t i = 0; all && i < sizeof parts / sizeof parts[0]; i++) {
        json_t *p = parts[i]();
        if (p == NULL || json_object_update(all, p) != 0) {
            json_decref(all);
            all = NULL;
        }
        json_decref(p);
    }
    if (all)
        text = json_dumps(all, JSON_COMPACT);
    json_decref(all);
    if (text == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                                "cannot build the registry: try again");
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/json", text, strlen(text), REGISTRY_CACHE);
    free(text); /* jansson's, from malloc */
    return ret;
}

const wl_route wl_routes_registry[] = {
    {"GET", "/api/v1/registry", WL_ACCESS_ANYONE, 0, get_registry, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
