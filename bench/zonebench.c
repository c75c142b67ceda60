/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-zonebench [N]: fills a fresh store with N zones (default 1,000) as
 * zone.set stores them: polygons of 24 to 200 vertices (buffers, exclusion
 * zones, sites' areas) scattered over Ukraine's box, some overlapping;
 * builds the containment index (lib/deal/zone_index.c: projected, prepared,
 * in an STRtree), then asks 200,000 random points over the same box which
 * zones hold each one, and 20,000 full answers (zones and the sites within
 * 50 km, as JSON), timing each. Prints JSON for make bench (issue 10: the
 * containment of a point in any of 1,000 zones under 50 µs). Same input
 * every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/zones.h"

#include "benchutil.h"

#define QUERIES 200000
#define FULL 20000

int main(int argc, char **argv)
{
    unsigned long zones = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    char dir[] = "/tmp/wl-zonebench.XXXXXX", path[64], cmd[96];
    double *lat_us = malloc(sizeof(double) * QUERIES), t0, build_ms, hits = 0;
    double *full_us = malloc(sizeof(double) * FULL);
    wl_store *s = NULL;
    wl_zone_index *ix = NULL;
    wl_error err = {0};
    int rc = 1;

    if (lat_us == NULL || full_us == NULL || zones == 0 || mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof path, "%s/z.db", dir);
    if (wl_store_open(path, 1, &s) != WL_OK || wl_store_begin(s) != WL_OK)
        goto out;
    if (bench_zones(s, zones, 22.5, 17, 44.5, 7.5, 0.02, 0.3) != 0)
        goto out;
    if (wl_store_commit(s) != WL_OK || wl_store_begin_read(s) != WL_OK)
        goto out;
    t0 = now();
    if (wl_zone_index_build(s, &ix, &err) != WL_OK) {
        fprintf(stderr, "zonebench: %s\n", err.msg);
        goto out;
    }
    build_ms = (now() - t0) * 1e3;
    (void)!wl_store_commit(s);
    for (int i = 0; i < QUERIES; i++) {
        double lon = 22 + 18 * uniform(), lat = 44.3 + 8 * uniform();
        size_t n;
        t0 = now();
        if (wl_zone_index_count(ix, lon, lat, &n) != WL_OK)
            goto out;
        lat_us[i] = (now() - t0) * 1e6;
        hits += (double)n;
    }
    for (int i = 0; i < FULL; i++) {
        double lon = 22 + 18 * uniform(), lat = 44.3 + 8 * uniform();
        json_t *o = NULL;
        t0 = now();
        if (wl_zone_index_contains(ix, lon, lat, i % 2 == 0, &o, &err) != WL_OK)
            goto out;
        full_us[i] = (now() - t0) * 1e6;
        json_decref(o);
    }
    qsort(lat_us, QUERIES, sizeof *lat_us, cmp);
    qsort(full_us, FULL, sizeof *full_us, cmp);
    printf("{\"zones\": %zu, \"queries\": %d, \"build_ms\": %.1f, \"p50_us\": %.2f, "
           "\"p99_us\": %.2f, \"max_us\": %.1f, \"zones_per_point\": %.3f, "
           "\"answer_p50_us\": %.2f, \"answer_p99_us\": %.2f}\n",
           wl_zone_index_size(ix), QUERIES, build_ms, lat_us[QUERIES / 2],
           lat_us[QUERIES * 99 / 100], lat_us[QUERIES - 1], hits / QUERIES, full_us[FULL / 2],
           full_us[FULL * 99 / 100]);
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "zonebench: failed (%s)\n", err.msg);
    wl_zone_index_free(ix);
    wl_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    free(lat_us);
    free(full_us);
    return rc;
}
