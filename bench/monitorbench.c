/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-monitorbench [N] [OBLASTS.geojson]: a fresh store with N monitors'
 * reports (default 10,000) observed in the period of one day (2026-11-20: from
 * 19:30 Kyiv time the day before), stored as monitor.report stores them, along
 * a front of about 300 km (east Ukraine), every type, 5 % naming an oblast
 * rather than a point, and a fifth as many again on the UTC days the period
 * spans but outside it; 1,000 zones (buffers, exclusion zones, sites' areas)
 * over the same area; the oblasts' map the daemon reads (OBLASTS, by default
 * geo/ukraine-oblasts.geojson beside this program, as the build writes it). Then the
 * daily report (lib/monitor/daily.c: wl_daily_build, the zones' containment
 * index built as the daemon holds it, and the JSON written as the route
 * answers it) and the map's data (lib/monitor/map.c: wl_monitor_map at zoom 6,
 * 10 and 13, written as JSON), each many times on a read snapshot of its own,
 * uncached, as the daemon computes them on a change of the log. Prints JSON for
 * make bench (issue 11: the daily report of a day of 10,000 reports under 1 s,
 * the map's data for 10,000 reports under 200 ms). Same input every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/daily.h"
#include "willing/monitor.h"
#include "willing/regions.h"
#include "willing/zones.h"

#include "benchutil.h"

#define DAY "2026-11-20"
#define ZONES 1000
#define DAILY_RUNS 20
#define MAP_RUNS 50

/* One report observed at obs, stored at index idx as monitor.report stores it. */
static int put_report(wl_store *s, uint64_t idx, int64_t obs)
{
    static const char *const types[] = {"explosion",          "explosion",
                                        "explosion",          "projectile",
                                        "muzzle_flash",       "bursts_shots",
                                        "bursts_shots",       "weapon_in_violation",
                                        "restriction",        "civilian_infrastructure_damage",
                                        "civilian_casualties"};
    const char *type = types[(int)(uniform() * (sizeof types / sizeof *types))];
    char body[1024], loc[160], extra[128] = "";
    wl_store_report r;
    time_t t = (time_t)obs;
    struct tm tm;
    memset(&r, 0, sizeof r);
    r.idx = idx;
    r.observed = obs;
    r.precision_s = 60 + (uint64_t)(uniform() * 3540);
    r.signed_at = r.logged = obs + 600;
    r.count = 1 + (uint64_t)(uniform() * 20);
    snprintf(r.author, sizeof r.author, "mon%02d", (int)(uniform() * 60));
    gmtime_r(&t, &tm);
    snprintf(r.day, sizeof r.day, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    snprintf(r.type, sizeof r.type, "%s", type);
    r.settlement = "";
    if (uniform() < 0.05) { /* an oblast, not a point */
        const char *name, *id = wl_monitor_oblast_at((size_t)(uniform() * 4), &name);
        r.has_point = false;
        snprintf(r.oblast, sizeof r.oblast, "%s", id ? id : "donetsk");
        snprintf(loc, sizeof loc, "{\"oblast\":\"%s\"}", r.oblast);
    } else { /* along a line Vuhledar - Kupiansk, 20 km either side */
        double f = uniform();
        r.has_point = true;
        r.lon = 37.2 + f * 0.4 + (uniform() - 0.5) * 0.5;
        r.lat = 47.8 + f * 1.9 + (uniform() - 0.5) * 0.2;
        r.radius_m = 100 + (uint64_t)(uniform() * 4900);
        snprintf(loc, sizeof loc, "{\"lon\":%.5f,\"lat\":%.5f,\"radius_m\":%llu}", r.lon, r.lat,
                 (unsigned long long)r.radius_m);
    }
    if (strcmp(type, "restriction") == 0)
        snprintf(extra, sizeof extra, ",\"restriction\":\"denial\"");
    else if (strcmp(type, "weapon_in_violation") == 0)
        snprintf(extra, sizeof extra, ",\"weapon\":{\"type\":\"artillery\",\"count\":%llu}",
                 (unsigned long long)r.count);
    snprintf(body, sizeof body,
             "{\"observed\":%lld,\"precision_s\":%llu,\"location\":%s,\"type\":\"%s\"%s,"
             "\"count\":%llu,\"text\":\"Observed from the patrol's position; report %llu.\"}",
             (long long)obs, (unsigned long long)r.precision_s, loc, type, extra,
             (unsigned long long)r.count, (unsigned long long)idx);
    r.body = body;
    return wl_store_report_put(s, &r) == WL_OK ? 0 : -1;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) != NULL && fread(b, 1, (size_t)n, f) == (size_t)n) {
        b[n] = '\0';
        *len = (size_t)n;
    } else {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

typedef struct {
    double p50, p99, max;
    size_t bytes;
} timing;

static void summarise(double *ms, int runs, timing *t)
{
    qsort(ms, (size_t)runs, sizeof *ms, cmp);
    t->p50 = ms[runs / 2];
    t->p99 = ms[(runs * 99 + 99) / 100 - 1];
    t->max = ms[runs - 1];
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    char dir[] = "/tmp/wl-monitorbench.XXXXXX", path[64], cmd[96], *gj = NULL, geo[4096];
    static const unsigned zooms[] = {6, 10, 13};
    double ms[MAP_RUNS], t0;
    timing daily = {0}, map[3] = {{0}};
    size_t gjlen = 0, annex = 0, points[3] = {0}, clusters[3] = {0};
    wl_daily_period per;
    wl_store *s = NULL;
    wl_regions *regions = NULL;
    wl_zone_index *ix = NULL;
    wl_error err = {0};
    int rc = 1;

    if (argc > 2) /* else the simplified map the build writes beside this program, as served */
        snprintf(geo, sizeof geo, "%s", argv[2]);
    else if (strrchr(argv[0], '/'))
        snprintf(geo, sizeof geo, "%.*s/geo/ukraine-oblasts.geojson",
                 (int)(strrchr(argv[0], '/') - argv[0]), argv[0]);
    else
        snprintf(geo, sizeof geo, "geo/ukraine-oblasts.geojson");
    if (n == 0 || mkdtemp(dir) == NULL || wl_daily_period_of(DAY, &per) != WL_OK)
        return 1;
    if ((gj = read_file(geo, &gjlen)) == NULL ||
        wl_regions_build(gj, gjlen, "name", &regions, &err) != WL_OK) {
        fprintf(stderr, "monitorbench: cannot read the oblasts' map %s\n", geo);
        goto out;
    }
    snprintf(path, sizeof path, "%s/m.db", dir);
    if (wl_store_open(path, 1, &s) != WL_OK || wl_store_begin(s) != WL_OK ||
        bench_zones(s, ZONES, 36.8, 1.4, 47.6, 2.3, 0.01, 0.08) != 0)
        goto out;
    for (unsigned long i = 0; i < n + n / 5; i++) {
        int64_t obs;
        if (i % 6 == 5) { /* outside the period, on the UTC days it spans */
            int64_t day0 = per.from - per.from % 86400;
            obs = uniform() < 0.5
                      ? day0 + (int64_t)(uniform() * (double)(per.from - day0))
                      : per.to + (int64_t)(uniform() * (double)(day0 + 2 * 86400 - per.to));
        } else {
            obs = per.from + (int64_t)(uniform() * (double)(per.to - per.from));
        }
        if (obs >= per.from && obs < per.to && annex >= n) /* exactly n in the period */
            obs = per.to;
        annex += obs >= per.from && obs < per.to;
        if (put_report(s, ZONES + 1 + i, obs) != 0)
            goto out;
    }
    if (wl_store_commit(s) != WL_OK || wl_store_begin_read(s) != WL_OK ||
        wl_zone_index_build(s, &ix, &err) != WL_OK || wl_store_commit(s) != WL_OK)
        goto out;
    for (int i = 0; i < DAILY_RUNS; i++) {
        json_t *o = NULL;
        char *js;
        t0 = now();
        if (wl_store_begin_read(s) != WL_OK ||
            wl_daily_build(s, DAY, regions, ix, &o, &err) != WL_OK)
            goto out;
        js = json_dumps(o, JSON_COMPACT);
        (void)!wl_store_commit(s);
        ms[i] = (now() - t0) * 1000;
        daily.bytes = js ? strlen(js) : 0;
        annex = json_array_size(json_object_get(o, "annex"));
        free(js);
        json_decref(o);
        if (daily.bytes == 0)
            goto out;
    }
    summarise(ms, DAILY_RUNS, &daily);
    for (int z = 0; z < 3; z++) {
        for (int i = 0; i < MAP_RUNS; i++) {
            json_t *o = NULL;
            char *js;
            t0 = now();
            if (wl_store_begin_read(s) != WL_OK ||
                wl_monitor_map(s, DAY, NULL, zooms[z], &o, &err) != WL_OK)
                goto out;
            js = json_dumps(o, JSON_COMPACT);
            (void)!wl_store_commit(s);
            ms[i] = (now() - t0) * 1000;
            map[z].bytes = js ? strlen(js) : 0;
            points[z] = json_array_size(json_object_get(o, "points"));
            clusters[z] = json_array_size(json_object_get(o, "clusters"));
            free(js);
            json_decref(o);
            if (map[z].bytes == 0)
                goto out;
        }
        summarise(ms, MAP_RUNS, &map[z]);
    }
    printf("{\"reports\": %lu, \"outside_period\": %lu, \"zones\": %d, \"oblasts\": %zu, "
           "\"daily\": {\"runs\": %d, \"annex\": %zu, \"p50_ms\": %.1f, \"p99_ms\": %.1f, "
           "\"max_ms\": %.1f, \"bytes\": %zu}, \"map\": {\"runs\": %d",
           n, n / 5, ZONES, wl_regions_count(regions), DAILY_RUNS, annex, daily.p50, daily.p99,
           daily.max, daily.bytes, MAP_RUNS);
    for (int z = 0; z < 3; z++)
        printf(", \"zoom_%u\": {\"p50_ms\": %.1f, \"p99_ms\": %.1f, \"max_ms\": %.1f, "
               "\"bytes\": %zu, \"points\": %zu, \"clusters\": %zu}",
               zooms[z], map[z].p50, map[z].p99, map[z].max, map[z].bytes, points[z], clusters[z]);
    printf(", \"worst_p99_ms\": %.1f}}\n", fmax(map[0].p99, fmax(map[1].p99, map[2].p99)));
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "monitorbench: failed (%s; %s)\n", err.msg,
                s ? wl_store_errmsg(s) : "no store");
    wl_zone_index_free(ix);
    wl_regions_free(regions);
    wl_store_close(s);
    free(gj);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
