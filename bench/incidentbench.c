/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-incidentbench [N]: N monitors' reports (default 1,000,000) made up
 * as a front would give them, in the order they reach the log: 800 hot spots along a line of about
 * 300 km (east Ukraine), events in them over 30 days, each seen by 1 to 8 reports whose place and
 * time scatter by their own precision (85 % to within 1.5 km and 15 minutes, 13 % by settlement and
 * the hour or the night, 2 % by district and hours, 2 in 10,000 by region and the day). Times the
 * whole correlation (lib/monitor/correlate.c: wl_corr_add_all and wl_corr_incidents) on the
 * caller's thread alone and then with a rebuild's threads (one a core: the figure), the same
 * links or not, then 20,000
 * more reports added one at a time into it (p50, p99, max). Prints JSON for make bench (issue 11: 1
 * million in under 5 s, one in under 1 ms). Same input every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "willing/correlate.h"

#include "benchutil.h"

#define SINGLE 20000
#define SPOTS 800

static double normal(void)
{
    double u = uniform() + 1e-12, v = uniform();
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static int by_arrival(const void *a, const void *b) /* id: the arrival time, for now */
{
    uint64_t x = ((const wl_corr_report *)a)->id, y = ((const wl_corr_report *)b)->id;
    return x < y ? -1 : x > y;
}

static double spot_lon[SPOTS], spot_lat[SPOTS];
static const int64_t T0 = 1793577600; /* 2026-11-02T00:00:00Z */

/* The reports of one event, from the id next onwards, at most room of them. */
static size_t event(wl_corr_report *r, size_t room, uint64_t *next, double days)
{
    int s = (int)(uniform() * SPOTS);
    double lon = spot_lon[s] + normal() * 0.05, lat = spot_lat[s] + normal() * 0.03;
    int64_t t = T0 + (int64_t)((30 - days * uniform()) * 86400);
    static const uint32_t cls[] = {
        WL_CORR_EXPLOSION,    WL_CORR_EXPLOSION,      WL_CORR_EXPLOSION,    WL_CORR_PROJECTILE,
        WL_CORR_BURSTS_SHOTS, WL_CORR_BURSTS_SHOTS,   WL_CORR_MUZZLE_FLASH, WL_CORR_WEAPONS,
        WL_CORR_RESTRICTION,  WL_CORR_INFRASTRUCTURE, WL_CORR_CASUALTIES};
    uint32_t type = cls[(int)(uniform() * (sizeof cls / sizeof *cls))];
    size_t k = 1 + (size_t)(-log(uniform() + 1e-12) * 1.8), i;
    for (i = 0; i < k && i < room && i < 8; i++) {
        double u = uniform(), m;
        uint32_t rad, pt;
        if (u < 0.85) { /* a position and a watch */
            rad = 50 + (uint32_t)(uniform() * 1400);
            pt = 30 + (uint32_t)(uniform() * 870);
        } else if (u < 0.98) { /* a settlement, within the hour or a night */
            rad = 2000 + (uint32_t)(uniform() * 3000);
            pt = 900 + (uint32_t)(uniform() * (uniform() < 0.9 ? 2700 : 20000));
        } else if (u < 0.9998) { /* a district, within hours */
            rad = 6000 + (uint32_t)(uniform() * 19000);
            pt = 3600 + (uint32_t)(uniform() * 18000);
        } else { /* a region, a day */
            rad = 40000 + (uint32_t)(uniform() * 60000);
            pt = 43200 + (uint32_t)(uniform() * 43200);
        }
        m = rad / 111195.0 * 0.5;
        r[i].id = (*next)++; /* made again below for the bulk, in the order reports arrive */
        r[i].t = t + (int64_t)(normal() * pt * 0.5);
        r[i].pt = pt;
        r[i].lon = lon + normal() * m / cos(lat * M_PI / 180);
        r[i].lat = lat + normal() * m;
        r[i].radius_m = rad;
        r[i].type = uniform() < 0.9 ? type : cls[(int)(uniform() * (sizeof cls / sizeof *cls))];
    }
    return i;
}

/* FNV-1a of every link's bytes: the same answer or not. */
static uint64_t links_digest(const wl_corr_result *res)
{
    uint64_t digest = 0xCBF29CE484222325u;
    for (size_t i = 0; i < res->n_links; i++) {
        const wl_corr_link *L = &res->links[i];
        uint64_t w[6] = {L->report, L->via, L->how, L->override, (uint64_t)L->gap_s, 0};
        memcpy(&w[5], &L->distance_m, sizeof w[5]);
        for (size_t b = 0; b < sizeof w; b++)
            digest = (digest ^ ((const unsigned char *)w)[b]) * 0x100000001B3u;
    }
    return digest;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, got = 0;
    wl_corr_report *r = malloc((n + 8) * sizeof *r), more[8];
    double *us = malloc(SINGLE * sizeof *us), t0, add_s, out_s, one_s;
    wl_corr_compat cc;
    wl_corr_result res = {0};
    wl_error err = {0};
    wl_corr *c = NULL, *one = NULL;
    uint64_t next = 1000, digest, one_digest;
    size_t joined = 0, largest = 0;
    int rc = 1;
    if (r == NULL || us == NULL || n == 0)
        return 1;
    for (int s = 0; s < SPOTS; s++) { /* along a line Vuhledar - Kupiansk, 20 km either side */
        double f = uniform(), off = normal() * 0.12;
        spot_lon[s] = 37.2 + f * (37.6 - 37.2) + off;
        spot_lat[s] = 47.8 + f * (49.7 - 47.8) + off * 0.3;
    }
    while (got < n)
        got += event(r + got, n - got, &next, 30);
    for (size_t i = 0; i < n; i++) /* sent from the field 0 to 12 hours after, most soon */
        r[i].id = (uint64_t)(r[i].t + (int64_t)(-log(uniform() + 1e-12) * 7200) % 43200) << 20 | i;
    qsort(r, n, sizeof *r, by_arrival);
    for (size_t i = 0; i < n; i++) /* the log's index: the order they arrived in */
        r[i].id = 1000 + i;
    next = 1000 + n;
    wl_corr_compat_default(&cc);
    if (wl_corr_new(&cc, &c, &err) != WL_OK)
        goto out;
    if (wl_corr_new(&cc, &one, &err) != WL_OK) /* the same on the caller's thread alone */
        goto out;
    wl_corr_set_threads(one, 1);
    t0 = now();
    if (wl_corr_add_all(one, r, n, &err) != WL_OK || wl_corr_incidents(one, &res, &err) != WL_OK)
        goto out;
    one_s = now() - t0;
    one_digest = links_digest(&res);
    wl_corr_result_free(&res);
    wl_corr_free(one);
    one = NULL;
    t0 = now();
    if (wl_corr_add_all(c, r, n, &err) != WL_OK)
        goto out;
    add_s = now() - t0;
    t0 = now();
    if (wl_corr_incidents(c, &res, &err) != WL_OK)
        goto out;
    out_s = now() - t0;
    digest = links_digest(&res);
    for (size_t i = 0; i < res.n_incidents; i++) {
        if (res.incidents[i].n > 1)
            joined += res.incidents[i].n;
        if (res.incidents[i].n > largest)
            largest = res.incidents[i].n;
    }
    for (int i = 0; i < SINGLE;) {           /* the next reports, as the log brings them */
        size_t k = event(more, 8, &next, 1); /* of the last day */
        for (size_t j = 0; j < k && i < SINGLE; j++, i++) {
            t0 = now();
            if (wl_corr_add(c, &more[j], NULL, &err) != WL_OK)
                goto out;
            us[i] = (now() - t0) * 1e6;
        }
    }
    qsort(us, SINGLE, sizeof *us, cmp);
    printf("{\"reports\": %zu, \"seconds\": %.3f, \"add_seconds\": %.3f, "
           "\"incidents_seconds\": %.3f, \"cores\": %ld, \"one_thread_seconds\": %.3f, "
           "\"same_as_one_thread\": %s, \"incidents\": %zu, \"joined_reports\": %zu, "
           "\"largest_incident\": %zu, \"singles\": %d, \"single_p50_us\": %.1f, "
           "\"single_p99_us\": %.1f, \"single_max_us\": %.1f, \"digest\": \"%016llx\"}\n",
           n, add_s + out_s, add_s, out_s, sysconf(_SC_NPROCESSORS_ONLN), one_s,
           digest == one_digest ? "true" : "false", res.n_incidents, joined, largest, SINGLE,
           us[SINGLE / 2], us[SINGLE * 99 / 100], us[SINGLE - 1], (unsigned long long)digest);
    rc = digest == one_digest ? 0 : 1; /* threads must not change a byte */
    if (rc)
        snprintf(err.msg, sizeof err.msg, "the links on threads differ from those on one");
out:
    if (rc)
        fprintf(stderr, "incidentbench: failed (%s)\n", err.msg);
    wl_corr_result_free(&res);
    wl_corr_free(c);
    wl_corr_free(one);
    free(r);
    free(us);
    return rc;
}
