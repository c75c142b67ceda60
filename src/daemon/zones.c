/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's zones and protected sites over HTTP (issue 10, point 3):
 *   POST /api/v1/zones/sites            a protected site: its public zone.set and
 *                                       its sealed exact geometry, together
 *   GET /api/v1/zones                   every zone's current version, GeoJSON
 *   GET /api/v1/zones/contains?lon=&lat= the zones holding the point, the sites
 *                                       within 50 km and their distance
 *   GET /api/v1/zones/<id>              every version of one zone
 * Who asks decides what a site looks like: the operator, coordinators, the
 * host nation and parties (a signed request or a session) see it exactly, so
 * does a party of a deal version that names it; everyone else as its public
 * entry gives it, the centre of its precision_km grid cell. Containment is
 * answered from one index (lib/deal/zone_index.c: prepared geometries in a
 * GEOS STRtree), rebuilt off to the side by the first query after a commit
 * that changed the zones (not any change of the register) and swapped in,
 * used under a lock (GEOS's prepared geometries are not to be shared between
 * threads). docs/internals/deal.md.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "viewcache.h"
#include "willing/identity.h"
#include "willing/request.h"
#include "willing/zones.h"

static const char *arg(wl_call *call, const char *name)
{
    return MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, name);
}

/*
 * Whether the viewer sees sites exactly: a signed request or session of the
 * operator, a coordinator, the host nation or a party; *member: the viewer
 * when it is a public member (who sees the sites of the deals it is a party
 * of), else NULL. -1: answered.
 */
static int exact_viewer(wl_call *call, bool *exact, const char **member, enum MHD_Result *ret)
{
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    wl_member m;
    *exact = false;
    *member = NULL;
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") == NULL &&
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") == NULL)
        return 0;
    if (wl_authenticate(c, call->method, call->r, &call->auth) != 0) {
        *ret = wl_auth_refuse(c, &call->auth);
        return -1;
    }
    if (s && wl_store_member_get(s, call->auth.member, &m) == WL_OK && !m.sealed) {
        *exact =
            wl_member_privileged(&m) || strcmp(m.role, "host") == 0 || strcmp(m.role, "party") == 0;
        *member = call->auth.member;
    }
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
    const char *member, *key;
    bool exact;
    uint64_t gen = 0;
    wl_rc rc;
    if (exact_viewer(call, &exact, &member, &ret) != 0)
        return ret;
    /*
     * the list follows from the register alone, the same for every viewer who sees sites
     * exactly and for the public: kept whole until it changes (a member who is not, whose
     * view depends on the deals naming it a party, is answered afresh)
     */
    key = exact ? "zones.exact" : member == NULL ? "zones.public" : NULL;
    if (id == NULL && key && wl_viewcache_hit(call->c, key, &gen, &ret))
        return ret;
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = id ? wl_zone_history(s, id, exact, member, &out, &err)
                : wl_zones_list(s, exact, member, &out, &err);
        (void)!wl_store_commit(s);
    } else {
        wl_error_set(&err, rc, "storage", "the ledger cannot be read");
    }
    if (rc != WL_OK)
        return refused(call->c, &err);
    return id == NULL && key ? wl_viewcache_answer(call->c, key, gen, out)
                             : wl_respond_json(call->c, MHD_HTTP_OK, out);
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

/*
 * The one index. index_mu guards it and its use (a prepared geometry is one
 * thread's at a time); build_mu lets one request at a time build a new one,
 * off to the side, swapped in when done. It is rebuilt only when the zones
 * changed (their generation, the last zone.set's index), not at every change
 * of the register: a pledge or a member does not rebuild it.
 */
static pthread_mutex_t index_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_zone_index *index_now;
static uint64_t index_gen;   /* the register's generation it was last checked at */
static uint64_t index_zones; /* the zones' generation it holds */
static uint64_t index_builds;

/* The index as of the register now; on WL_OK index_mu is held (the caller unlocks it). */
static wl_rc index_fresh(wl_error *err)
{
    uint64_t g = wl_register_gen(), zg = 0;
    wl_store *s = wl_thread_store();
    wl_zone_index *ix = NULL, *old = NULL;
    wl_rc rc;
    pthread_mutex_lock(&index_mu);
    if (index_now && index_gen >= g)
        return WL_OK;
    pthread_mutex_unlock(&index_mu);
    pthread_mutex_lock(&build_mu);
    if (s == NULL) {
        rc = wl_error_set(err, WL_ERR_IO, "storage", "the ledger cannot be read");
    } else if ((rc = wl_store_begin_read(s)) != WL_OK) {
        wl_error_set(err, rc, "storage", "the ledger cannot be read");
    } else {
        if ((rc = wl_store_zones_generation(s, &zg)) != WL_OK)
            wl_error_set(err, rc, "storage", "the zones cannot be read");
        else if (index_now == NULL || zg != index_zones) /* only then: build, off to the side */
            rc = wl_zone_index_build(s, &ix, err);
        (void)!wl_store_commit(s);
    }
    if (rc == WL_OK) {
        pthread_mutex_lock(&index_mu);
        if (ix) {
            old = index_now;
            index_now = ix;
            index_zones = zg;
            index_builds++;
        }
        if (g > index_gen)
            index_gen = g;
    }
    pthread_mutex_unlock(&build_mu);
    wl_zone_index_free(old); /* no reader holds it: they use it under index_mu, held here */
    return rc;
}

wl_rc wl_zones_index_use(wl_rc (*fn)(void *ctx, wl_zone_index *ix), void *ctx, wl_error *err)
{
    wl_rc rc = index_fresh(err);
    if (rc != WL_OK)
        return rc;
    rc = fn(ctx, index_now);
    pthread_mutex_unlock(&index_mu);
    return rc;
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
    const char *member;
    bool exact;
    wl_rc rc;
    if (degrees(arg(call, "lon"), -180, 180, &lon) || degrees(arg(call, "lat"), -90, 90, &lat))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "lon: -180 to 180, lat: -90 to 90 (decimal degrees, WGS 84)");
    if (exact_viewer(call, &exact, &member, &ret) != 0)
        return ret;
    if ((rc = index_fresh(&err)) == WL_OK) {
        rc = wl_zone_index_contains(index_now, lon, lat, exact, &out, &err);
        /* how often the index was built: a change of the register that is not a zone's is none */
        if (rc == WL_OK)
            json_object_set_new(out, "index",
                                json_pack("{s:I, s:I}", "zones",
                                          (json_int_t)wl_zone_index_size(index_now), "builds",
                                          (json_int_t)index_builds));
        pthread_mutex_unlock(&index_mu);
    }
    return rc == WL_OK ? wl_respond_json(call->c, MHD_HTTP_OK, out) : refused(call->c, &err);
}

/*
 * A protected site: its public zone.set (the coarse point and the commitment)
 * and its sealed exact geometry (zone.site), checked together and stored in
 * one transaction, or neither.
 */
typedef struct {
    wl_pending p;      /* the zone.set, prechecked; its bytes owned (p.e.bytes) */
    wl_sealed_rec rec; /* the sealed geometry: content and readers owned */
    uint64_t index;
    int existed;
} site_arg;

static void free_site(void *arg)
{
    site_arg *a = arg;
    char *bytes = (char *)a->p.e.bytes;
    wl_pending_clear(&a->p);
    wl_free(bytes);
    wl_free(a->rec.content);
    free(a->rec.readers); /* jansson's */
    wl_free(a);
}

static wl_rc put_site(wl_store *s, void *arg, wl_error *err)
{
    site_arg *a = arg;
    wl_rc rc = wl_store_sealed_put(s, &a->rec);
    /* the same salt and content again: held already, its entry is the same or a new version */
    if (rc != WL_OK && rc != WL_ERR_CONFLICT)
        return wl_error_set(err, rc, "storage", "storing a site's sealed geometry: %s",
                            wl_store_errmsg(s));
    return wl_ledger_sequence(s, &a->p, &a->index, &a->existed, err);
}

static enum MHD_Result site_done(struct MHD_Connection *c, wl_req *r)
{
    wl_job *j = r->job;
    site_arg *a = j->arg;
    char leaf[45], hex[65];
    if (j->failed)
        return wl_respond_error(c,
                                strcmp(j->err.code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                                    : wl_status_for(j->err.rc),
                                j->err.code, "%s", j->err.msg);
    wl_b64_encode(a->p.e.leaf, 32, leaf);
    wl_hex_encode(a->rec.commitment, 32, hex);
    return wl_respond_json(c, a->existed ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                           json_pack("{s:I, s:s, s:b, s:s}", "index", (json_int_t)a->index,
                                     "leaf_hash", leaf, "existed", a->existed, "sealed", hex));
}

static enum MHD_Result site_refuse(struct MHD_Connection *c, const wl_error *err)
{
    return wl_respond_error(c,
                            strcmp(err->code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                              : wl_status_for(err->rc),
                            err->code, "%s", err->msg);
}

/* The base64 member name of root, decoded (*out: wl_free); NULL if it is not base64. */
static char *b64_member(const json_t *root, const char *name, size_t *n)
{
    const char *v = json_string_value(json_object_get(root, name));
    size_t len = strlen(v);
    char *out = wl_malloc(len / 4 * 3 + 3);
    if (out && wl_b64_decode(v, len, (uint8_t *)out, len / 4 * 3 + 3, n) != WL_OK) {
        wl_free(out);
        out = NULL;
    }
    return out;
}

/* POST /api/v1/zones/sites {"entry", "salt", "content"} (base64): authenticated by both signatures.
 */
static enum MHD_Result post_site(wl_call *call)
{
    static const char *const fields[] = {"entry", "salt", "content", NULL};
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    json_error_t jerr;
    json_t *root = NULL;
    char *entry = NULL, *salt = NULL, why[300];
    size_t elen = 0, slen = 0;
    const wl_kind *k = wl_kind_sealable("zone.site");
    site_arg *a = NULL;
    wl_entry ce;
    wl_error err = {0};
    int64_t now = (int64_t)time(NULL), iv;
    enum MHD_Result ret;

    memset(&ce, 0, sizeof ce);
    if (s == NULL || k == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    root =
        json_loadb(call->r->body ? call->r->body : "", call->r->len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_json",
                                "the body is not valid JSON: %s (line %d, column %d)", jerr.text,
                                jerr.line, jerr.column);
    if (wl_request_shape(root, fields, "sss", &err) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, err.code, "%s", err.msg);
        goto out;
    }
    if ((a = wl_calloc(1, sizeof *a)) == NULL) {
        ret = MHD_NO;
        goto out;
    }
    if ((entry = b64_member(root, "entry", &elen)) == NULL ||
        (salt = b64_member(root, "salt", &slen)) == NULL || slen != 32 ||
        (a->rec.content = b64_member(root, "content", &a->rec.content_len)) == NULL) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_base64",
                               "entry, salt (32 bytes) and content: standard base64 (RFC 4648, "
                               "padded)");
        goto out;
    }
    /* the public entry: every check an entry has (signature, key, kind, body) */
    if (wl_ledger_precheck(s, wl_srv->origin, entry, elen, &a->p, &err) != WL_OK) {
        ret = site_refuse(c, &err);
        goto out;
    }
    entry = NULL; /* a->p.e.bytes: a's now */
    if (strcmp(a->p.e.kind, "zone.set") != 0 ||
        strcmp(json_string_value(json_object_get(a->p.e.body_json, "type")), "site") != 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_body",
                               "entry: a zone.set of type site (other zones: POST "
                               "/api/v1/entries)");
        goto out;
    }
    /* the sealed part: sealed content of this log, zone.site, by the entry's author */
    if (wl_sealed_parse(a->rec.content, a->rec.content_len, &ce, why, sizeof why) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_content",
                               "the content is not sealed content: %s", why);
        goto out;
    }
    if (strcmp(ce.origin, wl_srv->origin) != 0 || strcmp(ce.author, a->p.e.author) != 0) {
        ret = wl_respond_error(c, MHD_HTTP_FORBIDDEN, "not_your_content",
                               "the sealed geometry must be for this log and by the entry's "
                               "author");
        goto out;
    }
    if (strcmp(ce.kind, "zone.site") != 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_body",
                               "content: sealed content of kind zone.site");
        goto out;
    }
    memcpy(a->rec.salt, salt, 32);
    wl_seal_commitment(a->rec.salt, a->rec.content, a->rec.content_len, a->rec.commitment);
    if (k->validate(&ce, &err) != WL_OK || wl_identity_sealed_signer(s, &ce, &err) != WL_OK ||
        wl_zone_site_pair(&a->p.e, &ce, a->rec.commitment, &err) != WL_OK) {
        ret = site_refuse(c, &err);
        goto out;
    }
    snprintf(a->rec.author, sizeof a->rec.author, "%s", ce.author);
    {
        json_t *none = json_array(); /* its readers are the zones' (zone_views.c), none named */
        a->rec.readers = none ? json_dumps(none, JSON_COMPACT) : NULL;
        json_decref(none);
    }
    if (a->rec.readers == NULL) {
        ret = MHD_NO;
        goto out;
    }
    /* its envelope goes out with the sealer's batches (whenever sealing is on) */
    iv = wl_srv->seal_interval ? (int64_t)wl_srv->seal_interval : 600;
    a->rec.batch = (now / iv + 1) * iv;
    a->rec.received = now;
    ret = wl_sequencer_defer_fn(c, call->r, put_site, a, free_site, site_done);
    a = NULL; /* the job's */
out:
    if (a)
        free_site(a);
    wl_entry_clear(&ce);
    wl_free(entry);
    if (salt)
        sodium_memzero(salt, slen); /* its own length: a refused salt is not 32 bytes */
    wl_free(salt);
    json_decref(root);
    return ret;
}

const wl_route wl_routes_zones[] = {
    {"POST", "/api/v1/zones/sites", WL_ACCESS_ANYONE, 2 * WL_BODY_MAX_ENTRY, post_site, 0, NULL},
    {"GET", "/api/v1/zones", WL_ACCESS_ANYONE, 0, get_zones, 0, NULL},
    {"GET", "/api/v1/zones/contains", WL_ACCESS_ANYONE, 0, get_contains, 0, NULL},
    {"GET", "/api/v1/zones/*", WL_ACCESS_ANYONE, 0, get_zone, 0, NULL},
    {"*", "/api/v1/zones", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/zones/*", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
