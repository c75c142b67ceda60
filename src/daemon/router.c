/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The router of `willing serve`: the one list of the route files' tables
 * (route.h), the row a request's method and path match (an exact path, or a
 * prefix ending in '*'; the first row that matches), 404 when none does and
 * 405 for a refusal row, and the caller authenticated per the row before
 * its handler runs (503 storage first when the thread has no connection to the
 * database and the row needs one). Above the handlers' helpers (auth.c, respond.c), below
 * the HTTP glue (http.c), which finds the row as soon as the headers are in
 * to take its body ceiling. docs/internals/daemon.md ("Routes").
 */
#include <string.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "willing/identity.h" /* wl_member_privileged */

/* Every route of the daemon, table by table; a path is matched in this order. */
static const wl_route *const tables[] = {
    wl_routes_log,       wl_routes_entries,   wl_routes_identity,   wl_routes_session,
    wl_routes_sealed,    wl_routes_coalition, wl_routes_reference,  wl_routes_flows,
    wl_routes_zones,     wl_routes_blobs,     wl_routes_deal,       wl_routes_registry,
    wl_routes_monitor,   wl_routes_daily,     wl_routes_compliance, wl_routes_history,
    wl_routes_incidents, wl_routes_pressure,  wl_routes_screen,     wl_routes_align,
    wl_routes_web,
};

static bool method_matches(const wl_route *row, const char *method)
{
    if (strcmp(row->method, "*") == 0 || strcmp(row->method, method) == 0)
        return true;
    return strcmp(row->method, "GET") == 0 && strcmp(method, "HEAD") == 0;
}

/* The part of url after row's pattern ("" for an exact one), or NULL if it does not match. */
static const char *path_rest(const wl_route *row, const char *url)
{
    size_t n = strlen(row->pattern);
    if (n > 0 && row->pattern[n - 1] == '*')
        return strncmp(url, row->pattern, n - 1) == 0 ? url + n - 1 : NULL;
    return strcmp(url, row->pattern) == 0 ? url + n : NULL;
}

const wl_route *wl_route_find(const char *method, const char *url)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const wl_route *row = tables[t]; row->pattern; row++)
            if (method_matches(row, method) && path_rest(row, url) != NULL)
                return row;
    return NULL;
}

/* 405 with the row's message, a "%s" in it replaced by the path. */
static enum MHD_Result not_allowed(struct MHD_Connection *c, const wl_route *row, const char *url)
{
    const char *m = row->refusal ? row->refusal : "method not allowed";
    const char *at = strstr(m, "%s");
    if (at == NULL)
        return wl_respond_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "%s", m);
    return wl_respond_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "%.*s%s%s",
                            (int)(at - m), m, url, at + 2);
}

enum MHD_Result wl_route_call(const wl_route *row, struct MHD_Connection *c, const char *method,
                              const char *url, wl_req *r)
{
    wl_call call;
    int rc;

    if (row == NULL)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such resource: %s %s",
                                method, url);
    if (row->fn == NULL)
        return not_allowed(c, row, url);
    memset(&call, 0, sizeof call);
    call.c = c;
    call.r = r;
    call.method = method;
    call.url = url;
    call.rest = path_rest(row, url);
    /* the handlers and the authentication read through the thread's connection: none, 503 */
    if (!(row->flags & WL_ROUTE_NO_STORE) && wl_thread_store() == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read: no connection to the database; "
                                "try again later");
    if (!(row->flags & WL_ROUTE_NO_STORE))
        wl_thread_keep_keys(wl_thread_store());
    if (row->access == WL_ACCESS_ANYONE)
        return row->fn(&call);
    /*
     * A signature's nonce is made durable before the handler runs (the
     * connection waits, suspended, and this is called again), unless the
     * handler records it in its own job.
     */
    rc = row->flags & WL_ROUTE_OWN_NONCE ? wl_authenticate_deferred(c, method, r, &call.auth)
                                         : wl_authenticate(c, method, r, &call.auth);
    if (rc != 0)
        return wl_auth_refuse(c, &call.auth);
    if (row->access == WL_ACCESS_PRIVILEGED) {
        wl_store *s = wl_thread_store();
        wl_member m;
        if (s == NULL || wl_store_member_get(s, call.auth.member, &m) != WL_OK ||
            !wl_member_privileged(&m))
            return wl_respond_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "%s",
                                    row->refusal ? row->refusal : "not for this member");
    }
    return row->fn(&call);
}
