/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's zones and protected sites from the command line
 * (docs/internals/cli.md): `willing zone set` (a coordinator's zone.set entry,
 * its geometry from a GeoJSON file; for a protected site, the geometry sealed
 * as zone.site and the public entry holding its coarse point and the
 * commitment, posted together), `zone list` and `zone contains LON LAT`,
 * which show sites exactly to a key that may see them (--key) and coarsely to
 * everyone else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "willing/ledger.h"
#include "willing/zones.h"

typedef struct {
    json_t *body;
    const char *geometry; /* the file */
} zone_opts;

static int zone_opt(void *ctx, int ch, const char *arg)
{
    static const char *const field[128] = {
        ['z'] = "zone",          ['t'] = "type",     ['s'] = "side",
        ['m'] = "measured_from", ['c'] = "category", ['x'] = "text"};
    zone_opts *z = ctx;
    char *end;
    if (ch == 'g') {
        z->geometry = arg;
    } else if (ch == 'p') {
        long long v = strtoll(arg, &end, 10);
        if (*end || end == arg) {
            fprintf(stderr, "willing zone set: --precision-km takes a whole number of km\n");
            return 2;
        }
        json_object_set_new(z->body, "precision_km", json_integer(v));
    } else if (ch > 0 && ch < 128 && field[ch]) {
        json_object_set_new(z->body, field[ch], json_string(arg));
    }
    return CLI_GO;
}

/* The geometry of a GeoJSON file: a geometry object, or a Feature's geometry. */
static json_t *read_geometry(const char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr), *g;
    if (doc == NULL) {
        fprintf(stderr, "willing zone set: %s:%d: %s\n", path, jerr.line, jerr.text);
        return NULL;
    }
    if (strcmp(cli_str(doc, "type", ""), "Feature") != 0)
        return doc;
    g = json_incref(json_object_get(doc, "geometry"));
    json_decref(doc);
    if (g == NULL)
        fprintf(stderr, "willing zone set: %s: the Feature has no geometry\n", path);
    return g;
}

/* The answer to POST /api/v1/zones/sites, as `willing append` prints an entry's. */
static int site_answer(long st, const cli_buf *resp, const char *err)
{
    json_t *o;
    if (st != 200 && st != 201)
        return cli_refused("zone set", st, resp, err);
    o = json_loads(resp->buf ? resp->buf : "", 0, NULL);
    if (cli_json)
        printf("%s\n", resp->buf);
    else
        printf("index %lld%s\nleaf_hash %s\nsealed %s\n",
               (long long)json_integer_value(json_object_get(o, "index")),
               st == 200 ? " (already in the log)" : "", cli_str(o, "leaf_hash", "?"),
               cli_str(o, "sealed", "?"));
    json_decref(o);
    return 0;
}

/*
 * A protected site: its exact geometry g sealed (zone.site, under a random
 * salt), and the public zone.set holding only the coarse point the public may
 * see and the commitment, posted together to /api/v1/zones/sites.
 */
static int post_site(const char *server, const wl_keyfile *kf, json_t *body, json_t *g)
{
    char base[1024], origin[WL_ORIGIN_MAX + 1], url[2048], err[512], nonce[33], sb[45], cb[45];
    char *text = NULL, *content = NULL, *entry = NULL, *req = NULL, *e64 = NULL, *c64 = NULL;
    size_t clen = 0, elen = 0;
    uint8_t salt[32], c[32];
    double ll[2];
    json_t *sealed = json_pack("{s:O, s:O}", "geometry", g, "zone", json_object_get(body, "zone"));
    json_t *o = NULL;
    cli_buf resp = {0};
    wl_error e = {0};
    long st;
    int ret = 1;
    const char *forced = getenv("WL_TEST_CLI_SEQ"); /* the first seq tried, for a test */
    uint64_t seq = forced ? strtoull(forced, NULL, 10) : cli_now_us();

    if (!json_is_integer(json_object_get(body, "precision_km"))) {
        fprintf(stderr, "willing zone set: a site needs --precision-km (how coarsely the public "
                        "sees it)\n");
        goto out;
    }
    if (wl_zone_site_coarse(g, (uint64_t)json_integer_value(json_object_get(body, "precision_km")),
                            ll, &e) != WL_OK) {
        fprintf(stderr, "willing zone set: %s (%s)\n", e.msg, e.code ? e.code : "?");
        goto out;
    }
    cli_base_url(server, base, sizeof base);
    if (sealed == NULL || cli_fetch_origin(base, origin, sizeof origin) != 0)
        goto out;
    text = json_dumps(sealed, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    cli_random_hex(nonce, 16);
    if (text == NULL || wl_sealed_build(origin, "zone.site", kf->member, nonce, (int64_t)time(NULL),
                                        text, &kf->key, &content, &clen) != WL_OK) {
        fprintf(stderr, "willing zone set: cannot build the sealed geometry (at most %u bytes)\n",
                WL_ENTRY_MAX);
        goto out;
    }
    randombytes_buf(salt, sizeof salt);
    wl_seal_commitment(salt, content, clen, c);
    wl_b64_encode(salt, 32, sb);
    wl_b64_encode(c, 32, cb);
    json_object_set_new(body, "point", json_pack("[f,f]", ll[0], ll[1]));
    json_object_set_new(body, "sealed", json_string(cb));
    free(text);
    text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL || (c64 = malloc(wl_b64_len(clen) + 1)) == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)content, clen, c64);
    cli_url(base, "/api/v1/zones/sites", url, sizeof url);
    /* a seq another command of the member took (409 seq_conflict, nothing stored): signed
       again with a later one, twice at most, as cli_post_json does */
    for (int tries = 0;; tries++) {
        const char *code;
        if (wl_entry_build(origin, "zone.set", kf->member, seq, (int64_t)time(NULL), text, &kf->key,
                           &entry, &elen) != WL_OK) {
            fprintf(stderr, "willing zone set: cannot build the entry\n");
            goto out;
        }
        if ((e64 = malloc(wl_b64_len(elen) + 1)) == NULL)
            goto out;
        wl_b64_encode((const uint8_t *)entry, elen, e64);
        if ((o = json_pack("{s:s, s:s, s:s}", "entry", e64, "salt", sb, "content", c64)) == NULL ||
            (req = json_dumps(o, JSON_COMPACT)) == NULL)
            goto out;
        st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
        json_decref(o);
        o = json_loads(resp.buf ? resp.buf : "", 0, NULL);
        code = json_string_value(json_object_get(o, "error"));
        if (st != 409 || tries == 2 || code == NULL || strcmp(code, "seq_conflict") != 0)
            break;
        seq = cli_now_us() > seq ? cli_now_us() : seq + 1;
        json_decref(o);
        o = NULL;
        wl_free(entry);
        entry = NULL;
        free(e64);
        e64 = NULL;
        free(req);
        req = NULL;
        cli_buf_free(&resp);
        memset(&resp, 0, sizeof resp);
    }
    ret = site_answer(st, &resp, err);
out:
    sodium_memzero(salt, sizeof salt);
    json_decref(sealed);
    json_decref(o);
    json_decref(g);
    free(text);
    free(req);
    free(e64);
    free(c64);
    wl_free(content);
    wl_free(entry);
    cli_buf_free(&resp);
    return ret;
}

static int run_set(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"zone", required_argument, NULL, 'z'},
        {"type", required_argument, NULL, 't'},
        {"geometry", required_argument, NULL, 'g'},
        {"side", required_argument, NULL, 's'},
        {"measured-from", required_argument, NULL, 'm'},
        {"category", required_argument, NULL, 'c'},
        {"precision-km", required_argument, NULL, 'p'},
        {"text", required_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    zone_opts z = {json_object(), NULL};
    json_t *g;
    cli_common c;
    wl_keyfile kf;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, zone_opt, &z, &c);
    if (ret != CLI_GO)
        goto out;
    if (c.server == NULL || c.key == NULL || z.geometry == NULL || optind != argc) {
        ret = cli_cmd_usage(stderr, self);
        goto out;
    }
    if ((g = read_geometry(z.geometry)) == NULL) {
        ret = 1;
        goto out;
    }
    if (cli_member_key("zone set", c.key, &kf) != 0) {
        json_decref(g);
        ret = 1;
        goto out;
    }
    if (strcmp(cli_str(z.body, "type", ""), "site") == 0) {
        ret = post_site(c.server, &kf, z.body, g);
    } else {
        json_object_set_new(z.body, "geometry", g);
        ret = cli_post_json(c.server, &kf, "zone.set", z.body);
    }
    wl_key_wipe(&kf.key);
out:
    json_decref(z.body);
    return ret;
}

/* GET path, signed with --key when given (a key that may see sites exactly). */
static int get(const char *cmd, const cli_common *c, const char *path, json_t **o)
{
    wl_keyfile kf;
    int ret;
    if (c->key && cli_member_key(cmd, c->key, &kf) != 0)
        return 1;
    ret = cli_get_json(cmd, c->server, path, c->key ? &kf : NULL, o, NULL);
    if (c->key)
        wl_key_wipe(&kf.key);
    return ret;
}

static int run_list(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    json_t *o = NULL, *f, *p;
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (get("zone list", &c, "/api/v1/zones", &o) != 0)
        return 1;
    if (c.json)
        cli_print_json(o);
    else
        json_array_foreach(json_object_get(o, "features"), i, f)
        {
            p = json_object_get(f, "properties");
            printf("%s: %s%s%s, version %lld (entry %lld), %s%s\n", cli_str(p, "zone", ""),
                   cli_str(p, "type", ""), json_object_get(p, "category") ? " " : "",
                   cli_str(p, "category", ""),
                   (long long)json_integer_value(json_object_get(p, "version")),
                   (long long)json_integer_value(json_object_get(p, "entry")),
                   cli_str(json_object_get(f, "geometry"), "type", ""),
                   json_is_true(json_object_get(p, "coarse")) ? " (coarse)" : "");
        }
    json_decref(o);
    return 0;
}

static int run_contains(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    json_t *o = NULL, *z;
    char path[160], *end;
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (c.server == NULL || argc - optind != 2)
        return cli_cmd_usage(stderr, self);
    for (int k = 0; k < 2; k++) {
        (void)strtod(argv[optind + k], &end);
        if (*end || end == argv[optind + k] || strlen(argv[optind + k]) > 32) {
            fprintf(stderr, "willing zone contains: %s is not a number of degrees\n",
                    argv[optind + k]);
            return 2;
        }
    }
    snprintf(path, sizeof path, "/api/v1/zones/contains?lon=%s&lat=%s", argv[optind],
             argv[optind + 1]);
    if (get("zone contains", &c, path, &o) != 0)
        return 1;
    if (c.json)
        cli_print_json(o);
    else {
        json_array_foreach(json_object_get(o, "zones"), i, z)
        {
            printf("in %s (%s, version %lld)\n", cli_str(z, "zone", ""), cli_str(z, "type", ""),
                   (long long)json_integer_value(json_object_get(z, "version")));
        }
        json_array_foreach(json_object_get(o, "sites"), i, z)
        {
            printf("site %s (%s): %g km\n", cli_str(z, "zone", ""), cli_str(z, "category", ""),
                   json_number_value(json_object_get(z, "distance_km")));
        }
    }
    json_decref(o);
    return 0;
}

static const cli_cmd zone_subs[] = {
    {"zone", "set",
     "--server URL --key FILE --zone ID --type TYPE --geometry FILE.geojson\n"
     "                              [--side MEMBER --measured-from ZONE] [--category C]\n"
     "                              [--precision-km N] [--text TEXT] [--json]",
     "A coordinator sets a version of a zone of the deal. TYPE: contact_line,\n"
     "withdrawal_line (with --side, the member whose line it is, and --measured-from,\n"
     "the line it is measured from), buffer, exclusion, or site (with --category:\n"
     "energy, water, port, nuclear, other, and --precision-km 1-100: how coarsely the\n"
     "public sees it). FILE: a GeoJSON geometry or Feature (RFC 7946, longitude then\n"
     "latitude). Prints the entry's index, which a deal version names.\n",
     run_set},
    {"zone", "list", "--server URL [--key FILE] [--json]",
     "Every zone's current version; sites exactly only with the key of the operator,\n"
     "a coordinator, the host nation or a party.\n",
     run_list},
    {"zone", "contains", "--server URL [--key FILE] [--json] LON LAT",
     "The zones holding the point and the protected sites within 50 km of it.\n", run_contains},
};

int cli_zone(int argc, char **argv)
{
    return cli_group(argc, argv, "zone", zone_subs, sizeof zone_subs / sizeof zone_subs[0],
                     "The deal's zones and protected sites: the contact line, each side's\n"
                     "withdrawal line, buffer and exclusion zones, and sites (GeoJSON).\n");
}
