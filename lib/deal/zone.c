/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zones module (include/willing/zones.h): the kind zone.set, every rule
 * of it in one place. A zone.set entry is a version of a zone of the deal:
 * the contact line, a side's withdrawal line (measured from its own line, as
 * in Minsk's annexes), a buffer or exclusion zone, or a protected critical
 * infrastructure site with its category and the precision at which the public
 * sees it. Its validate reads the body and the geometry (lib/deal/geo.c, GEOS)
 * without the store; its apply checks what the store as built from the log
 * says (the side is a member, the line measured from is a line, a zone keeps
 * its type) and stores the version. docs/internals/deal.md ("Zones and sites").
 */
#include <string.h>

#include <jansson.h>

#include "geo.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/zones.h"

#define KIND "zone.set"

static const struct {
    const char *name;
    unsigned geo; /* the GeoJSON types it may have */
} types[] = {
    {"contact_line", WL_GEO_LINESTRING | WL_GEO_MULTILINESTRING},
    {"withdrawal_line", WL_GEO_LINESTRING | WL_GEO_MULTILINESTRING},
    {"buffer", WL_GEO_POLYGON | WL_GEO_MULTIPOLYGON},
    {"exclusion", WL_GEO_POLYGON | WL_GEO_MULTIPOLYGON},
    {"site", WL_GEO_POINT | WL_GEO_POLYGON},
};

static const char *const categories[] = {"energy", "water", "port", "nuclear", "other", NULL};

static int is_id(const char *s)
{
    return s && wl_valid_member_id(s, strlen(s));
}

static wl_rc bad(wl_error *err, const char *field, const char *what)
{
    return wl_error_set(err, WL_ERR_INVALID, "invalid_body", KIND ": %s: %s", field, what);
}

/* The fields that only one type has: present exactly when the type is it. */
static wl_rc typed_fields(const json_t *b, const char *type, wl_error *err)
{
    int line = strcmp(type, "withdrawal_line") == 0, site = strcmp(type, "site") == 0;
    const char *side = json_string_value(json_object_get(b, "side"));
    const char *from = json_string_value(json_object_get(b, "measured_from"));
    const char *cat = json_string_value(json_object_get(b, "category"));
    const json_t *p = json_object_get(b, "precision_km");
    int known = 0;
    if (line != (json_object_get(b, "side") != NULL) || (line && !is_id(side)))
        return bad(err, "side",
                   "a withdrawal_line's side is the member id whose line it is (only there)");
    if (line != (json_object_get(b, "measured_from") != NULL) || (line && !is_id(from)))
        return bad(err, "measured_from",
                   "a withdrawal_line names the zone id of the line it is measured from "
                   "(only there)");
    if (line && strcmp(from, json_string_value(json_object_get(b, "zone"))) == 0)
        return bad(err, "measured_from", "a line is not measured from itself");
    for (size_t i = 0; cat && categories[i]; i++)
        known |= strcmp(cat, categories[i]) == 0;
    if (site != (json_object_get(b, "category") != NULL) || (site && !known))
        return bad(err, "category",
                   "a site's category: energy, water, port, nuclear or other "
                   "(only sites have one)");
    if ((site && p == NULL) || (p && (!json_is_integer(p) || json_integer_value(p) < 1 ||
                                      json_integer_value(p) > (json_int_t)WL_ZONE_PRECISION_MAX)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            KIND ": precision_km: a whole number of km, 1 to %u (required for "
                                 "a site)",
                            WL_ZONE_PRECISION_MAX);
    return WL_OK;
}

/*
 * A site's public part: its "point" [lon, lat] on the 1e-4 degree grid of
 * the coarse point, and "sealed", the commitment to its sealed geometry.
 */
static wl_rc site_public(const json_t *b, wl_error *err)
{
    const json_t *pt = json_object_get(b, "point");
    const char *c = json_string_value(json_object_get(b, "sealed"));
    uint8_t raw[32];
    size_t n = 0;
    if (json_object_get(b, "geometry"))
        return bad(err, "geometry",
                   "a site's exact geometry is sealed content (zone.site), never in the public "
                   "entry: the entry gives its coarse \"point\" and the \"sealed\" commitment "
                   "(willing zone set does both)");
    if (wl_zone_point(pt, NULL) != WL_OK)
        return bad(err, "point",
                   "a site's coarse point: [longitude, latitude], each a number on the 1e-4 "
                   "degree grid, in range");
    if (c == NULL || strlen(c) != 44 || wl_b64_decode(c, 44, raw, sizeof raw, &n) != WL_OK ||
        n != 32)
        return bad(err, "sealed",
                   "the commitment to the site's sealed geometry: base64 of 32 bytes "
                   "(SHA-256, docs/FORMAT.md \"Sealed entries\")");
    return WL_OK;
}

wl_rc wl_zone_validate(const wl_entry *e, wl_error *err)
{
    static const char *const allowed[] = {"zone",     "type",   "side",     "measured_from",
                                          "category", "text",   "geometry", "precision_km",
                                          "point",    "sealed", NULL};
    const json_t *b = e->body_json, *text = json_object_get(b, "text");
    const char *type = json_string_value(json_object_get(b, "type"));
    unsigned geo = 0;
    GEOSGeometry *g = NULL;
    wl_geo ctx;
    wl_rc rc;

    if ((rc = wl_body_fields(b, allowed, KIND, err)) != WL_OK)
        return rc;
    if (!is_id(json_string_value(json_object_get(b, "zone"))))
        return bad(err, "zone", "an id, 1-64 of a-z 0-9 . _ -");
    for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i].name) == 0)
            geo = types[i].geo;
    if (geo == 0)
        return bad(err, "type", "contact_line, withdrawal_line, buffer, exclusion or site");
    if ((rc = typed_fields(b, type, err)) != WL_OK)
        return rc;
    if (text && (!json_is_string(text) || json_string_length(text) > WL_ZONE_TEXT_BYTES))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", KIND ": text: at most %u bytes",
                            WL_ZONE_TEXT_BYTES);
    if (strcmp(type, "site") == 0)
        return site_public(b, err);
    if (json_object_get(b, "point") || json_object_get(b, "sealed"))
        return bad(err, json_object_get(b, "point") ? "point" : "sealed",
                   "only a site has a coarse point and a sealed geometry");
    if ((rc = wl_geo_open(&ctx, err)) != WL_OK)
        return rc;
    rc = wl_geo_read(&ctx, json_object_get(b, "geometry"), geo, &g, err);
    if (g)
        GEOSGeom_destroy_r(ctx.h, g);
    wl_geo_close(&ctx);
    return rc;
}

/* The latest version of a zone, for apply. */
typedef struct {
    char type[16];
    uint64_t version;
} latest;

static wl_rc take_latest(void *ctx, const wl_store_zone *z)
{
    latest *l = ctx;
    snprintf(l->type, sizeof l->type, "%s", z->type);
    l->version = z->version;
    return WL_OK;
}

static wl_rc read_latest(wl_store *s, const char *id, latest *l, wl_error *err)
{
    wl_rc rc;
    memset(l, 0, sizeof *l);
    rc = wl_store_zones_current(s, id, take_latest, l);
    if (rc != WL_OK && rc != WL_ERR_NOT_FOUND)
        return wl_error_set(err, rc, "storage", KIND ": cannot read zone %s", id);
    return WL_OK;
}

static wl_rc zone_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *prec = json_object_get(b, "precision_km");
    const char *id = json_string_value(json_object_get(b, "zone"));
    const char *type = json_string_value(json_object_get(b, "type"));
    const char *side = json_string_value(json_object_get(b, "side"));
    const char *from = json_string_value(json_object_get(b, "measured_from"));
    const char *cat = json_string_value(json_object_get(b, "category"));
    latest had, line;
    wl_store_zone z;
    wl_member m;
    char *geometry = NULL;
    wl_rc rc;

    /* the body passed validate at precheck: here, only what the store says */
    if ((rc = read_latest(s, id, &had, err)) != WL_OK)
        return rc;
    if (had.version && strcmp(had.type, type) != 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "zone_type_changed",
                            KIND ": zone %s is a %s: a new version keeps its type (set another "
                                 "zone id for a %s)",
                            id, had.type, type);
    if (side && (wl_store_member_get(s, side, &m) != WL_OK || m.sealed))
        return wl_error_set(err, WL_ERR_CONFLICT, "unknown_member",
                            KIND ": side: %s is not a member", side);
    if (from && (rc = read_latest(s, from, &line, err)) != WL_OK)
        return rc;
    if (from && (line.version == 0 || (strcmp(line.type, "contact_line") != 0 &&
                                       strcmp(line.type, "withdrawal_line") != 0)))
        return wl_error_set(err, WL_ERR_CONFLICT, "unknown_zone",
                            KIND ": measured_from: %s is not a contact_line or withdrawal_line "
                                 "zone",
                            from);
    if (strcmp(type, "site") == 0) { /* the public part: the coarse point; the rest is sealed */
        double ll[2] = {0, 0};
        json_t *pt;
        (void)!wl_zone_point(json_object_get(b, "point"), ll); /* validate checked it */
        pt = json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates", ll[0], ll[1]);
        geometry = pt ? json_dumps(pt, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
        json_decref(pt);
    } else {
        geometry =
            json_dumps(json_object_get(b, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(17));
    }
    if (geometry == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "internal", KIND ": out of memory");
    memset(&z, 0, sizeof z);
    z.idx = index;
    z.version = had.version + 1;
    z.precision_km = prec ? (uint64_t)json_integer_value(prec) : WL_ZONE_PRECISION_DEFAULT;
    snprintf(z.id, sizeof z.id, "%s", id);
    snprintf(z.type, sizeof z.type, "%s", type);
    snprintf(z.side, sizeof z.side, "%s", side ? side : "");
    snprintf(z.measured_from, sizeof z.measured_from, "%s", from ? from : "");
    snprintf(z.category, sizeof z.category, "%s", cat ? cat : "");
    z.geometry = geometry;
    z.text = json_string_value(json_object_get(b, "text"));
    if ((rc = wl_store_zone_put(s, &z)) != WL_OK)
        wl_error_set(err, rc, "storage", KIND ": cannot store zone %s", id);
    free(geometry); /* jansson's allocation */
    return rc;
}

static const wl_kind zones_kinds[] = {
    {.name = KIND,
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR,
     .changes_register = true, /* the register's generation is when the index looks at zones */
     .validate = wl_zone_validate,
     .apply = zone_apply,
     .entry_check = wl_zone_entry_check},
    /* a site's exact geometry: sealed content, submitted with its zone.set (zone_site.c) */
    {.name = "zone.site",
     .scopes = WL_SCOPES_WRITE,
     .roles = WL_ROLE_COORDINATOR | WL_ROLE_OPERATOR,
     .seal = WL_SEAL_ONLY,
     .validate = wl_zone_site_validate,
     .seal_check = wl_zone_site_seal_check},
};

const wl_module wl_zones_module = {
    .name = "zones",
    .kinds = zones_kinds,
    .nkinds = sizeof zones_kinds / sizeof zones_kinds[0],
};
