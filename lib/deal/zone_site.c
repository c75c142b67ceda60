/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A protected site's exact geometry, sealed (include/willing/zones.h): the
 * kind zone.site, sealed content only ({"zone": ID, "geometry": a Point or
 * Polygon}), whose commitment the site's public zone.set carries beside the
 * coarse point the public may see. Here: zone.site's hooks, the coarse point
 * of a geometry (the CLI computes it with the same code the server checks it
 * with), the pairing rule the server applies when both parts come
 * (POST /api/v1/zones/sites: the same author and zone, the commitment, the
 * point the centre of the precision_km cell of the sealed geometry), and the
 * exact geometry read back from the sealed store for those who may see it.
 * docs/internals/deal.md ("Zones and sites"), docs/FORMAT.md (zone.set).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "geo.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/zones.h"

#define SITE "zone.site"

wl_rc wl_zone_point(const json_t *pt, double lonlat[2])
{
    const double lim[2] = {180, 90};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_array_get(pt, i);
        double d = json_number_value(v), g = d * 1e4;
        if (!json_is_number(v) || !isfinite(d) || fabs(d) > lim[i] || fabs(g - round(g)) > 1e-6)
            return WL_ERR_INVALID;
        if (lonlat)
            lonlat[i] = round(g) / 1e4;
    }
    return json_is_array(pt) && json_array_size(pt) == 2 ? WL_OK : WL_ERR_INVALID;
}

wl_rc wl_zone_entry_check(const wl_entry *e, wl_error *err)
{
    const char *type = json_string_value(json_object_get(e->body_json, "type"));
    if (type && strcmp(type, "site") == 0)
        return wl_error_set(err, WL_ERR_INVALID, "sealed_part_missing",
                            "zone.set: a site comes with its sealed exact geometry, so that the "
                            "server checks its point against it: POST /api/v1/zones/sites "
                            "(willing zone set does)");
    return WL_OK;
}

/* The geometry of a site, checked as zone.set's are (*out: free with GEOSGeom_destroy_r). */
static wl_rc site_read(wl_geo *g, const json_t *geometry, GEOSGeometry **out, wl_error *err)
{
    return wl_geo_read(g, geometry, WL_GEO_POINT | WL_GEO_POLYGON, out, err);
}

wl_rc wl_zone_site_validate(const wl_entry *e, wl_error *err)
{
    static const char *const allowed[] = {"zone", "geometry", NULL};
    const char *id = json_string_value(json_object_get(e->body_json, "zone"));
    GEOSGeometry *g = NULL;
    wl_geo ctx;
    wl_rc rc;
    if ((rc = wl_body_fields(e->body_json, allowed, SITE, err)) != WL_OK)
        return rc;
    if (id == NULL || !wl_valid_member_id(id, strlen(id)))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            SITE ": zone: an id, 1-64 of a-z 0-9 . _ -");
    if ((rc = wl_geo_open(&ctx, err)) != WL_OK)
        return rc;
    rc = site_read(&ctx, json_object_get(e->body_json, "geometry"), &g, err);
    if (g)
        GEOSGeom_destroy_r(ctx.h, g);
    wl_geo_close(&ctx);
    return rc;
}

wl_rc wl_zone_site_seal_check(wl_store *s, const wl_entry *content, wl_error *err)
{
    (void)s;
    (void)content;
    return wl_error_set(err, WL_ERR_INVALID, "sealed_with_entry",
                        SITE ": a site's exact geometry is sealed together with its public "
                             "zone.set, never alone: POST /api/v1/zones/sites (willing zone set)");
}

wl_rc wl_zone_site_coarse(const json_t *geometry, uint64_t precision_km, double lonlat[2],
                          wl_error *err)
{
    GEOSGeometry *ll = NULL, *proj = NULL;
    double xy[2];
    wl_geo g;
    wl_rc rc;
    if ((rc = wl_geo_open(&g, err)) != WL_OK)
        return rc;
    if ((rc = site_read(&g, geometry, &ll, err)) == WL_OK) {
        if ((proj = wl_geo_project(&g, ll)) == NULL)
            rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "GEOS: %s", g.msg);
        else
            rc = wl_geo_coarse(&g, proj, (double)precision_km, xy, lonlat, err);
    }
    if (proj)
        GEOSGeom_destroy_r(g.h, proj);
    if (ll)
        GEOSGeom_destroy_r(g.h, ll);
    wl_geo_close(&g);
    return rc;
}

wl_rc wl_zone_site_pair(const wl_entry *e, const wl_entry *content, const uint8_t c[32],
                        wl_error *err)
{
    const json_t *b = e->body_json, *prec = json_object_get(b, "precision_km");
    const char *zone = json_string_value(json_object_get(b, "zone"));
    const char *sealed = json_string_value(json_object_get(b, "sealed"));
    double pt[2], want[2];
    char cb[45];
    wl_rc rc;
    const char *type = json_string_value(json_object_get(b, "type"));
    if (strcmp(e->kind, "zone.set") != 0 || strcmp(content->kind, SITE) != 0 || type == NULL ||
        strcmp(type, "site") != 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "a zone.set entry of type site and zone.site sealed content");
    if (strcmp(e->author, content->author) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "not_your_content",
                            "the sealed geometry and the zone.set have one author");
    if (zone == NULL ||
        strcmp(zone, json_string_value(json_object_get(content->body_json, "zone"))) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            SITE ": zone: the sealed geometry names the zone of its zone.set (%s)",
                            zone ? zone : "?");
    wl_b64_encode(c, 32, cb);
    if (sealed == NULL || strcmp(sealed, cb) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "zone.set: sealed: not the commitment of the sealed geometry sent "
                            "with it (%s)",
                            cb);
    if (wl_zone_point(json_object_get(b, "point"), pt) != WL_OK || !json_is_integer(prec))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "zone.set: point");
    if ((rc = wl_zone_site_coarse(json_object_get(content->body_json, "geometry"),
                                  (uint64_t)json_integer_value(prec), want, err)) != WL_OK)
        return rc;
    if (llround(pt[0] * 1e4) != llround(want[0] * 1e4) ||
        llround(pt[1] * 1e4) != llround(want[1] * 1e4))
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                            "zone.set: point: not the centre of the %lld km cell that holds the "
                            "sealed geometry's centroid ([%.4f, %.4f])",
                            (long long)json_integer_value(prec), want[0], want[1]);
    return WL_OK;
}

wl_rc wl_zone_site_exact(wl_store *s, uint64_t idx, char **geometry, json_t **sealed, wl_error *err)
{
    char *data = NULL, *b64 = NULL, sb[45];
    const char *cs;
    size_t len = 0, n = 0;
    uint8_t c[32];
    wl_entry e, content;
    wl_sealed_rec rec;
    wl_rc rc;

    *geometry = NULL;
    if (sealed)
        *sealed = NULL;
    memset(&e, 0, sizeof e);
    memset(&content, 0, sizeof content);
    memset(&rec, 0, sizeof rec);
    if ((rc = wl_store_entry(s, idx, &data, &len, NULL, NULL, NULL, NULL)) != WL_OK) {
        wl_error_set(err, rc, "storage", "entry %llu cannot be read", (unsigned long long)idx);
        goto out;
    }
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK ||
        (cs = json_string_value(json_object_get(e.body_json, "sealed"))) == NULL ||
        wl_b64_decode(cs, strlen(cs), c, sizeof c, &n) != WL_OK || n != 32) {
        rc = wl_error_set(err, WL_ERR_CORRUPT, "corrupt", "entry %llu is not a site's zone.set",
                          (unsigned long long)idx);
        goto out;
    }
    if ((rc = wl_store_sealed_get(s, c, &rec)) != WL_OK) {
        wl_error_set(err, rc, rc == WL_ERR_NOT_FOUND ? "unknown_sealed" : "storage",
                     "the sealed geometry of entry %llu is not held here", (unsigned long long)idx);
        goto out;
    }
    if (wl_sealed_parse(rec.content, rec.content_len, &content, NULL, 0) != WL_OK ||
        (*geometry = json_dumps(json_object_get(content.body_json, "geometry"),
                                JSON_COMPACT | JSON_REAL_PRECISION(17))) == NULL) {
        rc = wl_error_set(err, WL_ERR_CORRUPT, "corrupt",
                          "the sealed geometry of entry %llu does not parse",
                          (unsigned long long)idx);
        goto out;
    }
    if (sealed) {
        wl_b64_encode(rec.salt, 32, sb);
        if ((b64 = wl_malloc(wl_b64_len(rec.content_len) + 1)) != NULL) {
            wl_b64_encode((const uint8_t *)rec.content, rec.content_len, b64);
            *sealed = json_pack("{s:s, s:s, s:s}", "commitment", cs, "salt", sb, "content", b64);
        }
        if (*sealed == NULL) {
            free(*geometry);
            *geometry = NULL;
            rc = wl_error_set(err, WL_ERR_NOMEM, "internal", "out of memory (zones)");
        }
    }
out:
    wl_free(b64);
    wl_entry_clear(&content);
    wl_store_sealed_free(&rec);
    wl_entry_clear(&e);
    wl_free(data);
    return rc;
}
