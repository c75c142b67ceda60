/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the C benchmarks of make bench share (bench/run.sh): a monotonic
 * clock, the same pseudo-random sequence every run, a comparison of doubles
 * for qsort, star-shaped polygons as GeoJSON and zones made of them. Each program has its own
 * copy (static): one header, no library.
 */
#ifndef WILLING_BENCHUTIL_H
#define WILLING_BENCHUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static inline double uniform(void) /* xorshift64*: the same sequence every run */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}

static inline int cmp(const void *a, const void *b) /* doubles, for qsort */
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A star-shaped polygon (valid: radii around one centre, angles in order) as GeoJSON. */
static inline void polygon(char *out, size_t cap, double lon, double lat, double r, int n)
{
    size_t off = (size_t)snprintf(out, cap, "{\"type\":\"Polygon\",\"coordinates\":[[");
    double first[2] = {0, 0};
    for (int i = 0; i < n && off < cap; i++) {
        double a = 2 * M_PI * i / n, k = r * (0.6 + 0.4 * uniform());
        double x = lon + k * cos(a) / cos(lat * M_PI / 180), y = lat + k * sin(a);
        if (i == 0) {
            first[0] = x;
            first[1] = y;
        }
        off += (size_t)snprintf(out + off, cap - off, "%s[%.6f,%.6f]", i ? "," : "", x, y);
    }
    if (off < cap)
        snprintf(out + off, cap - off, ",[%.6f,%.6f]]]}", first[0], first[1]);
}

/* n zones (buffers, exclusion zones, sites' areas) stored as zone.set stores them: polygons of
 * 24 to 200 vertices, centres in the box lon0 + lon_span, lat0 + lat_span, radii r0 + r_span
 * degrees; 0 on success. */
static inline int bench_zones(wl_store *s, unsigned long n, double lon0, double lon_span,
                              double lat0, double lat_span, double r0, double r_span)
{
    static char geom[16384];
    for (unsigned long i = 0; i < n; i++) {
        static const char *const types[] = {"buffer", "exclusion", "site"};
        wl_store_zone z;
        memset(&z, 0, sizeof z);
        z.idx = i + 1;
        z.version = 1;
        z.precision_km = 10;
        snprintf(z.id, sizeof z.id, "zone-%lu", i);
        snprintf(z.type, sizeof z.type, "%s", types[i % 3]);
        if (i % 3 == 2)
            snprintf(z.category, sizeof z.category, "energy");
        polygon(geom, sizeof geom, lon0 + lon_span * uniform(), lat0 + lat_span * uniform(),
                r0 + r_span * uniform(), 24 + (int)(176 * uniform()));
        z.geometry = geom;
        z.text = "";
        if (wl_store_zone_put(s, &z) != WL_OK)
            return -1;
    }
    return 0;
}

#endif
