/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's zones and protected sites over HTTP (issue 10, point 3):
 *   GET /api/v1/zones                   every zone's current version, GeoJSON
 *   GET /api/v1/zones/contains?lon=&lat= the zones holding the point, the sites
 *                                       within 50 km and their distance
 *   GET /api/v1/zones/<id>              every version of one zone
 * Who asks decides what a site looks like: the operator, coordinators, the
 * host nation and parties (a signed request or a session) see it exactly;
 * everyone else as the centre of its precision_km grid cell. Containment is
 * answered from one index (lib/deal/zone_index.c: prepared geometries in a
 * GEOS STRtree), rebuilt by the first query after a commit that changed the
 * register (zone.set does), used under a lock (GEOS's prepared geometries are
 * not to be shared between threads). docs/internals/deal.md.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "willing/identity.h"
#include "willing/zones.h"

static const char *arg(wl_call *call, const char *name)
{
    return MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, name);
}

/*
 * Whether the viewer sees sites exactly: a signed request or session of the
 * operator, a coordinator, the host nation or a party. -1: answered.
 */
static int exact_viewer(wl_call *call, bool *exact, enum MHD_Result *ret)
{
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    wl_member m;
    *exact = false;
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") == NULL &&
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") == NULL)
        return 0;
    if (wl_authenticate(c, call->method, call->r, &call->auth) != 0) {
        *ret = wl_auth_refuse(c, &call->auth);
        return -1;
    }
    if (s && wl_store_member_get(s, call->auth.member, &m) == WL_OK && !m.sealed)
        *exact =
            wl_member_privileged(&m) || strcmp(m.role, "host") == 0 || strcmp(m.role, "party") == 0;
    return 0;
}

static enum MHD_Result refused(struct MHD_Connection *c, const wl_error *err)
{
    if (err->rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, err->code, "%s", err->msg);
    return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err->code ? err->code : "storage",
                            "%s", err->msg);
}

/* A view read in one snapshot: the list (id NULL) or one zone's versions. */
static enum MHD_Result view(wl_call *call, const char *id)
{
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_error err = {0};
    bool exact;
    wl_rc rc;
    if (exact_viewer(call, &exact, &ret) != 0)
        return ret;
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = id ? wl_zone_history(s, id, exact, &out, &err) : wl_zones_list(s, exact, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    return rc == WL_OK ? wl_respond_json(call->c, MHD_HTTP_OK, out) : refused(call->c, &err);
}

static enum MHD_Result get_zones(wl_call *call)
{
    return view(call, NULL);
}

static enum MHD_Result get_zone(wl_call *call)
{
    if (!wl_valid_member_id(call->rest, strlen(call->rest)))
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "unknown_zone",
                                "a zone id is 1-64 of a-z 0-9 . _ -");
    return view(call, call->rest);
}

/* The one index, and the register's generation it was built at. */
static pthread_mutex_t index_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_zone_index *index_now;
static uint64_t index_gen;

static uint64_t reg_gen(void)
{
    uint64_t g;
    pthread_mutex_lock(&wl_srv->mu);
    g = wl_srv->reg_gen;
    pthread_mutex_unlock(&wl_srv->mu);
    return g;
}

/* Under index_mu: the index as of the register now. */
static wl_rc index_fresh(wl_error *err)
{
    uint64_t g = reg_gen();
    wl_store *s = wl_thread_store();
    wl_zone_index *ix = NULL;
    wl_rc rc;
    if (index_now && index_gen == g)
        return WL_OK;
    if (s == NULL)
        return wl_error_set(err, WL_ERR_IO, "storage", "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) != WL_OK)
        return wl_error_set(err, rc, "storage", "the ledger cannot be read");
    rc = wl_zone_index_build(s, &ix, err);
    (void)!wl_store_commit(s);
    if (rc != WL_OK)
        return rc;
    wl_zone_index_free(index_now);
    index_now = ix;
    index_gen = g;
    return WL_OK;
}

/* A query's degrees: a finite decimal number within [lo, hi]; -1 when not one. */
static int degrees(const char *v, double lo, double hi, double *out)
{
    char *end;
    if (v == NULL || v[0] == '\0' || strlen(v) > 32)
        return -1;
    errno = 0;
    *out = strtod(v, &end);
    return *end || errno || !isfinite(*out) || *out < lo || *out > hi ? -1 : 0;
}

static enum MHD_Result get_contains(wl_call *call)
{
    enum MHD_Result ret;
    json_t *out = NULL;
    wl_error err = {0};
    double lon, lat;
    bool exact;
    wl_rc rc;
    if (degrees(arg(call, "lon"), -180, 180, &lon) || degrees(arg(call, "lat"), -90, 90, &lat))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "lon: -180 to 180, lat: -90 to 90 (decimal degrees, WGS 84)");
    if (exact_viewer(call, &exact, &ret) != 0)
        return ret;
    pthread_mutex_lock(&index_mu);
    if ((rc = index_fresh(&err)) == WL_OK)
        rc = wl_zone_index_contains(index_now, lon, lat, exact, &out, &err);
    pthread_mutex_unlock(&index_mu);
    return rc == WL_OK ? wl_respond_json(call->c, MHD_HTTP_OK, out) : refused(call->c, &err);
}

const wl_route wl_routes_zones[] = {
    {"GET", "/api/v1/zones", WL_ACCESS_ANYONE, 0, get_zones, 0, NULL},
    {"GET", "/api/v1/zones/contains", WL_ACCESS_ANYONE, 0, get_contains, 0, NULL},
    {"GET", "/api/v1/zones/*", WL_ACCESS_ANYONE, 0, get_zone, 0, NULL},
    {"*", "/api/v1/zones", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/zones/*", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
