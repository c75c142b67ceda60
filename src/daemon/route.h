/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The route table of `willing serve` (router.c). Each route file (log.c,
 * entries.c, identity.c, session.c, sealed.c, coalition.c, flows.c, zones.c, blobs.c,
 * registry.c, monitor.c, web.c) exports its rows; router.c holds the one list of them. A row says
 * the method and path it answers, who may call it, the ceiling of its body and its handler: the
 * router takes the ceiling before any byte of the body is read, answers 404 and 405 from the table,
 * and authenticates the caller before the handler runs. docs/internals/daemon.md ("Routes").
 */
#ifndef WILLING_DAEMON_ROUTE_H
#define WILLING_DAEMON_ROUTE_H

#include <microhttpd.h>
#include <stddef.h>

#include "auth.h"

typedef struct wl_req_s wl_req;

/* Who may call a route; the router checks it before the handler runs. */
typedef enum {
    /*
     * Anyone. A handler whose answer depends on who asks only when the request
     * says so (a view asked for, credentials sent: members, coverage, sealed
     * POST) authenticates itself with wl_authenticate into call->auth.
     */
    WL_ACCESS_ANYONE,
    WL_ACCESS_SIGNED, /* an RFC 9421 signature by a live key, or a console session */
    /* signed, by a member with role coordinator or operator that has not withdrawn */
    WL_ACCESS_PRIVILEGED,
} wl_access;

/* A request as a handler sees it. */
typedef struct wl_call {
    struct MHD_Connection *c;
    wl_req *r; /* its body (r->body, r->len) and its waits */
    const char *method, *url;
    const char *rest; /* the path after a prefix pattern's '*' ("" for an exact one) */
    wl_auth auth;     /* the caller, filled by the router for a route not WL_ACCESS_ANYONE */
} wl_call;

/*
 * The handler records the signature's nonce in its own sequencer job
 * (wl_nonce_record), in the transaction of what it stores, instead of the
 * router making it durable first.
 */
#define WL_ROUTE_OWN_NONCE 1u
/*
 * The body is raw bytes of any Content-Type (a blob), not JSON; its ceiling is
 * the smaller of the row's body_max and serve --blob-max (wl_srv->blob_max),
 * and over it the answer is 413 too_large.
 */
#define WL_ROUTE_RAW_BODY 2u
/* The body is CSV (Content-Type: text/csv, else 415), taken raw up to the row's body_max. */
#define WL_ROUTE_CSV_BODY 4u
/* A request with a body that only reads (a query too large for a URL): served by serve --read-only.
 */
#define WL_ROUTE_READS 8u
/*
 * The handler reads no ledger (the console's files): answered even when this thread has no
 * connection to the database. Every other row's handler may take wl_thread_store() as set:
 * the router answers 503 storage when the thread's connection cannot be opened (a worker's
 * first request during a PostgreSQL outage), before authenticating or calling the handler.
 */
#define WL_ROUTE_NO_STORE 16u

typedef struct wl_route {
    const char *method;  /* "GET" (HEAD too), "POST", or "*": any method */
    const char *pattern; /* the exact path, or a prefix ending in '*'; NULL ends a table */
    wl_access access;
    size_t body_max; /* bytes of body taken (a JSON body, limits.h), 0: takes no body */
    /* NULL: the method is not allowed on this path: 405 method_not_allowed */
    enum MHD_Result (*fn)(wl_call *call);
    unsigned flags; /* WL_ROUTE_* */
    /*
     * What a refusal says: with fn NULL, the 405's message (a "%s" in it is
     * the path); with WL_ACCESS_PRIVILEGED, the 403's to a caller who is not.
     */
    const char *refusal;
} wl_route;

/* Each route file's rows, ended by a row with pattern NULL. */
extern const wl_route wl_routes_log[], wl_routes_entries[], wl_routes_identity[],
    wl_routes_session[], wl_routes_sealed[], wl_routes_coalition[], wl_routes_reference[],
    wl_routes_registry[], wl_routes_web[], wl_routes_flows[], wl_routes_blobs[], wl_routes_deal[],
    wl_routes_zones[], wl_routes_monitor[], wl_routes_daily[], wl_routes_compliance[];
extern const wl_route wl_routes_history[];
extern const wl_route wl_routes_pressure[], wl_routes_screen[], wl_routes_align[];
extern const wl_route wl_routes_incidents[];

/*
 * What one route file keeps for another. wl_zones_index_use (zones.c): fn
 * with the zones' containment index as of the register now, held while fn
 * runs (one user at a time); its result, or the index's failure in err.
 * wl_geo_dir (web.c): the directory of the map's files (PATH_MAX bytes of buf).
 * wl_daily_regions_use (daily.c): fn with the oblasts' index (NULL: no map),
 * held while fn runs; take the zones' index first when both are held.
 */
typedef struct wl_zone_index wl_zone_index;
typedef struct wl_regions wl_regions;
wl_rc wl_zones_index_use(wl_rc (*fn)(void *ctx, wl_zone_index *ix), void *ctx, wl_error *err);
wl_rc wl_daily_regions_use(wl_rc (*fn)(void *ctx, wl_regions *r), void *ctx);
const char *wl_geo_dir(char *buf);

/* The row answering method on url (the first that matches), or NULL (404). */
const wl_route *wl_route_find(const char *method, const char *url);
/*
 * Answers a request whose body is in: 404 when row is NULL, 405 for a
 * refusal row, else the caller authenticated per the row's access and the
 * row's handler called. Routed again on each pass of a request that waited
 * (a nonce made durable, a view built).
 */
enum MHD_Result wl_route_call(const wl_route *row, struct MHD_Connection *c, const char *method,
                              const char *url, wl_req *r);

#endif
