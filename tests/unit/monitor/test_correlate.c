/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (lib/monitor/correlate.c): the join rule at its edges (to 1e-9 of
 * the distance window, in every direction), the
 * components against a brute-force pairing, the same canonical result
 * whatever the order reports come in (many shuffles), every link explained
 * by a join within both windows, splits and merges in their order, bad
 * input refused, and every allocation failed in turn; a rebuild on threads
 * the same bytes as on one.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "willing/correlate.h"

static uint64_t rng;
static double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}

static wl_corr *engine(void)
{
    wl_corr_compat cc;
    wl_corr *c = NULL;
    wl_error err = {0};
    wl_corr_compat_default(&cc);
    assert_int_equal(wl_corr_new(&cc, &c, &err), WL_OK);
    return c;
}

static wl_corr_report rep(uint64_t id, int64_t t, uint32_t pt, double lon, double lat, uint32_t r,
                          uint32_t type)
{
    wl_corr_report x = {id, t, pt, lon, lat, r, type};
    return x;
}

static uint64_t incident(wl_corr *c, uint64_t id)
{
    uint64_t inc;
    wl_error err = {0};
    assert_int_equal(wl_corr_incident_of(c, id, &inc, &err), WL_OK);
    return inc;
}

static void add(wl_corr *c, wl_corr_report r)
{
    wl_error err = {0};
    assert_int_equal(wl_corr_add(c, &r, NULL, &err), WL_OK);
}

/* metres north of lat: the latitude that far along the meridian */
static double north(double lat, double m)
{
    return lat + m / (WL_CORR_EARTH_M * M_PI / 180.0);
}

static void test_join_rule(void **state)
{
    (void)state;
    wl_corr *c = engine();
    double lat = 48.0, lim = 300 + 200 + WL_CORR_D_M;
    add(c, rep(1, 1000, 60, 37.5, lat, 300, WL_CORR_EXPLOSION));
    add(c, rep(2, 1000 + 60 + 30 + WL_CORR_T_S, 30, 37.5, north(lat, lim - 0.5), 200,
               WL_CORR_PROJECTILE)); /* both edges, just inside */
    add(c, rep(3, 1000, 60, 37.5, north(lat, -(lim + 1.0)), 200, WL_CORR_EXPLOSION)); /* 1 m out */
    add(c,
        rep(4, 1000 - 60 - 30 - WL_CORR_T_S - 1, 30, 37.5, lat, 200, WL_CORR_EXPLOSION)); /* 1 s */
    add(c, rep(5, 1000, 60, 37.5, lat, 10, WL_CORR_RESTRICTION)); /* same place, other class */
    add(c, rep(6, 1010, 60, 37.5, lat, 10, WL_CORR_CASUALTIES));  /* casualties of the blast */
    assert_int_equal(incident(c, 2), 1);
    assert_int_equal(incident(c, 3), 3);
    assert_int_equal(incident(c, 4), 4);
    assert_int_equal(incident(c, 5), 5);
    assert_int_equal(incident(c, 6), 1);
    assert_true(fabs(wl_corr_distance_m(37.5, lat, 37.5, north(lat, 1000)) - 1000) < 1e-6);
    /* Kyiv to Kharkiv on the sphere: within 0.5 % of the ellipsoid's 409.6 km */
    assert_true(fabs(wl_corr_distance_m(30.5234, 50.4501, 36.2304, 49.9935) / 409.6e3 - 1) < 5e-3);
    wl_corr_free(c);
}

/* Pairs a hair inside and outside the distance window (1e-7 and 1e-9 of it either way) in
 * every direction: joined exactly when the haversine distance says so, added one by one
 * (the grid's chains) and all at once (a rebuild's laid out levels): the engine's cheaper
 * bounds before the haversine never decide a pair that close. */
static void test_window_edge(void **state)
{
    static const double eps[] = {-1e-7, -1e-9, 1e-9, 1e-7};
    size_t n = 800;
    wl_corr_report *r = malloc(n * sizeof *r);
    wl_error err = {0};
    wl_corr *one = engine(), *all = engine();
    (void)state;
    rng = 7;
    for (size_t i = 0; i < n; i += 2) {
        double lat = 48 + 0.2 * uniform(), lon = 37 + 0.2 * uniform(), th = 2 * M_PI * uniform();
        uint32_t ra = 50 + (uint32_t)(1400 * uniform()), rb = 50 + (uint32_t)(1400 * uniform());
        double d = ((double)ra + rb + WL_CORR_D_M) * (1 + eps[(i / 2) % 4]) / WL_CORR_EARTH_M;
        double p1 = lat * M_PI / 180, p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(th));
        double l2 =
            lon + atan2(sin(th) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2)) * 180 / M_PI;
        int64_t t = 1700000000 + (int64_t)i * 2000; /* each pair alone in time */
        r[i] = rep(1000 + i, t, 60, lon, lat, ra, WL_CORR_EXPLOSION);
        r[i + 1] = rep(1001 + i, t, 60, l2, p2 * 180 / M_PI, rb, WL_CORR_EXPLOSION);
    }
    for (size_t i = 0; i < n; i++)
        add(one, r[i]);
    assert_int_equal(wl_corr_add_all(all, r, n, &err), WL_OK);
    for (size_t i = 0; i < n; i += 2) {
        double lim = (double)r[i].radius_m + r[i + 1].radius_m + WL_CORR_D_M;
        uint64_t want = wl_corr_distance_m(r[i].lon, r[i].lat, r[i + 1].lon, r[i + 1].lat) <= lim
                            ? r[i].id
                            : r[i + 1].id;
        assert_int_equal(want == r[i].id, (i / 2) % 4 < 2); /* the pair is where it was put */
        assert_int_equal(incident(one, r[i + 1].id), want);
        assert_int_equal(incident(all, r[i + 1].id), want);
    }
    wl_corr_free(one);
    wl_corr_free(all);
    free(r);
}

/* Random reports over a small box, every precision level, some beyond them all. */
static void reports(wl_corr_report *r, size_t n, double lon0, double lat0, double span)
{
    for (size_t i = 0; i < n; i++) {
        double u = uniform();
        uint32_t rad = u < 0.6    ? 50 + (uint32_t)(1400 * uniform())
                       : u < 0.85 ? 2000 + (uint32_t)(3000 * uniform())
                       : u < 0.97 ? 6000 + (uint32_t)(19000 * uniform())
                       : u < 0.99 ? 30000 + (uint32_t)(70000 * uniform())
                                  : 150000;
        uint32_t pt = u < 0.6 ? (uint32_t)(900 * uniform()) : (uint32_t)(u * u * 200000);
        double lon = lon0 + span * (uniform() - 0.5), lat = lat0 + span * (uniform() - 0.5);
        lon = lon > 180 ? lon - 360 : lon;
        r[i] = rep(1000 + 8 * i, (int64_t)(1.7e9 + 30 * 86400 * uniform()), pt, lon,
                   lat > 90 ? 90 : lat, rad, (uint32_t)(uniform() * WL_CORR_CLASSES));
    }
}

/* The components by trying every pair (the rule's own words), as each report's smallest id. */
static void brute(const wl_corr_report *r, size_t n, uint64_t *inc)
{
    wl_corr_compat cc;
    size_t *p = malloc(n * sizeof *p);
    wl_corr_compat_default(&cc);
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            int64_t gap = llabs(r[i].t - r[j].t);
            size_t a = i, b = j;
            if (!((cc.mask[r[i].type] >> r[j].type) & 1) ||
                gap > (int64_t)r[i].pt + r[j].pt + WL_CORR_T_S ||
                wl_corr_distance_m(r[i].lon, r[i].lat, r[j].lon, r[j].lat) >
                    (double)r[i].radius_m + r[j].radius_m + WL_CORR_D_M)
                continue;
            while (p[a] != a)
                a = p[a];
            while (p[b] != b)
                b = p[b];
            p[a] = b;
        }
    for (size_t i = 0; i < n; i++)
        inc[i] = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t a = i;
        while (p[a] != a)
            a = p[a];
        if (r[i].id < inc[a])
            inc[a] = r[i].id;
    }
    for (size_t i = 0; i < n; i++) {
        size_t a = i;
        while (p[a] != a)
            a = p[a];
        p[i] = a;
    }
    for (size_t i = 0; i < n; i++)
        inc[i] = inc[p[i]];
    free(p);
}

static void same_result(const wl_corr_result *a, const wl_corr_result *b)
{
    assert_int_equal(a->n_incidents, b->n_incidents);
    assert_int_equal(a->n_links, b->n_links);
    assert_memory_equal(a->incidents, b->incidents, a->n_incidents * sizeof *a->incidents);
    assert_memory_equal(a->links, b->links, a->n_links * sizeof *a->links);
}

/* Every link joins two reports of its incident within both windows. */
static void explained(const wl_corr_result *res, const wl_corr_report *r, size_t n)
{
    for (size_t i = 0; i < res->n_incidents; i++) {
        const wl_corr_incident *I = &res->incidents[i];
        assert_int_equal(res->links[I->first].report, I->id);
        assert_int_equal(res->links[I->first].how, WL_CORR_FIRST);
        for (size_t j = 0; j < I->n; j++) {
            const wl_corr_link *L = &res->links[I->first + j];
            const wl_corr_report *a = NULL, *b = NULL;
            int found = 0;
            for (size_t k = 0; k < n; k++) {
                if (r[k].id == L->report)
                    a = &r[k];
                if (r[k].id == L->via)
                    b = &r[k];
            }
            for (size_t k = 0; k < I->n; k++)
                found |= res->links[I->first + k].report == L->via;
            assert_true(found && a && b);
            if (j)
                assert_true(L->report > res->links[I->first + j - 1].report);
            if (L->how != WL_CORR_AUTO)
                continue;
            assert_true(L->distance_m <= (double)a->radius_m + b->radius_m + WL_CORR_D_M);
            assert_true(fabs(L->distance_m - wl_corr_distance_m(a->lon, a->lat, b->lon, b->lat)) <
                        1e-6);
            assert_int_equal(L->gap_s, llabs(a->t - b->t));
            assert_true(L->gap_s <= (int64_t)a->pt + b->pt + WL_CORR_T_S);
        }
    }
}

static void check_against_brute(double lon0, double lat0, double span, size_t n, uint64_t seed)
{
    wl_corr_report *r = malloc(n * sizeof *r);
    uint64_t *inc = malloc(n * sizeof *inc);
    wl_corr_result bulk = {0};
    wl_error err = {0};
    wl_corr *c = engine();
    size_t groups = 0;
    rng = seed;
    reports(r, n, lon0, lat0, span);
    brute(r, n, inc);
    assert_int_equal(wl_corr_add_all(c, r, n, &err), WL_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(incident(c, r[i].id), inc[i]);
        groups += inc[i] == r[i].id;
    }
    assert_true(groups > 1 && groups < n); /* some joined, not all */
    assert_int_equal(wl_corr_incidents(c, &bulk, &err), WL_OK);
    assert_int_equal(bulk.n_incidents, groups);
    explained(&bulk, r, n);
    wl_corr_free(c);
    for (int s = 0; s < 12; s++) { /* shuffled, one by one: the same bytes */
        wl_corr_result res = {0};
        c = engine();
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)(uniform() * (double)(i + 1));
            wl_corr_report t = r[i];
            uint64_t ti = inc[i];
            r[i] = r[j];
            r[j] = t;
            inc[i] = inc[j];
            inc[j] = ti;
        }
        for (size_t i = 0; i < n; i++) {
            wl_corr_joined j;
            assert_int_equal(wl_corr_add(c, &r[i], &j, &err), WL_OK);
            assert_true(j.reports >= 1);
        }
        for (size_t i = 0; i < n; i++)
            assert_int_equal(incident(c, r[i].id), inc[i]);
        assert_int_equal(wl_corr_incidents(c, &res, &err), WL_OK);
        same_result(&bulk, &res);
        wl_corr_result_free(&res);
        wl_corr_free(c);
    }
    wl_corr_result_free(&bulk);
    free(r);
    free(inc);
}

static void test_order_free(void **state)
{
    (void)state;
    check_against_brute(37.8, 48.2, 0.6, 1500, 0x1234567u); /* the front */
    check_against_brute(179.99, 0.0, 0.4, 400, 0xBEEFu);    /* across the antimeridian */
    check_against_brute(20.0, 89.8, 0.5, 400, 0xF00Du);     /* near the pole */
}

/* Reports in the log's order, all precise: added one by one as the daemon would, the
 * forest kept as it grows is the canonical one (no rebuild needed to match). */
static void test_log_order(void **state)
{
    (void)state;
    size_t n = 2000;
    wl_corr_report *r = malloc(n * sizeof *r);
    wl_corr_result a = {0}, b = {0};
    wl_error err = {0};
    wl_corr *c1 = engine(), *c2 = engine();
    rng = 99;
    for (size_t i = 0; i < n; i++)
        r[i] = rep(i, (int64_t)(1.7e9 + 86400 * uniform()), (uint32_t)(600 * uniform()),
                   37 + 0.3 * uniform(), 48 + 0.2 * uniform(), 100 + (uint32_t)(1000 * uniform()),
                   WL_CORR_EXPLOSION);
    for (size_t i = 0; i < n; i++)
        add(c1, r[i]);
    assert_int_equal(wl_corr_add_all(c2, r, n, &err), WL_OK);
    assert_int_equal(wl_corr_incidents(c1, &a, &err), WL_OK);
    assert_int_equal(wl_corr_incidents(c2, &b, &err), WL_OK);
    same_result(&a, &b);
    assert_true(a.n_incidents < n);
    wl_corr_result_free(&a);
    wl_corr_result_free(&b);
    wl_corr_free(c1);
    wl_corr_free(c2);
    free(r);
}

/* a (1) - b (2) - c (3) in a row, each joined to the next; d (4) far away. */
static wl_corr *row(void)
{
    wl_corr *c = engine();
    add(c, rep(1, 1000, 60, 37.5, 48.0, 100, WL_CORR_EXPLOSION));
    add(c, rep(2, 1000, 60, 37.5, north(48.0, 1100), 100, WL_CORR_EXPLOSION));
    add(c, rep(3, 1000, 60, 37.5, north(48.0, 2200), 100, WL_CORR_EXPLOSION));
    add(c, rep(4, 1000, 60, 38.5, 48.0, 100, WL_CORR_EXPLOSION));
    return c;
}

static void test_overrides(void **state)
{
    (void)state;
    static const uint64_t b[] = {2}, ad[] = {1, 4}, bc[] = {2, 3};
    wl_corr_override split_b = {10, WL_CORR_SPLIT, b, 1, "two separate impacts"};
    wl_corr_override merge_ad = {11, WL_CORR_MERGE, ad, 2, "the same shelling, seen twice"};
    wl_corr_override merge_bc = {12, WL_CORR_MERGE, bc, 2, "one event"};
    wl_corr_override late_split = {13, WL_CORR_SPLIT, b, 1, "b again apart"};
    wl_corr_override bad = {14, WL_CORR_SPLIT, b, 1, ""};
    wl_corr_override set[4];
    wl_corr_result res = {0};
    wl_error err = {0};
    wl_corr *c = row();
    assert_int_equal(incident(c, 3), 1);
    assert_int_equal(incident(c, 4), 4);

    set[0] = split_b; /* b cut from both: a, b, c apart */
    assert_int_equal(wl_corr_overrides(c, set, 1, &err), WL_OK);
    assert_int_equal(incident(c, 2), 2);
    assert_int_equal(incident(c, 3), 3);
    set[1] = merge_ad; /* a and d joined by hand */
    set[2] = merge_bc; /* after the split: b and c joined again */
    assert_int_equal(wl_corr_overrides(c, set, 3, &err), WL_OK);
    assert_int_equal(incident(c, 4), 1);
    assert_int_equal(incident(c, 3), 2);
    assert_int_equal(wl_corr_incidents(c, &res, &err), WL_OK);
    assert_int_equal(res.n_incidents, 2);
    assert_int_equal(res.links[1].report, 4);
    assert_int_equal(res.links[1].how, WL_CORR_MERGED);
    assert_int_equal(res.links[1].override, 11);
    assert_int_equal(res.links[3].how, WL_CORR_MERGED);
    assert_int_equal(res.links[3].override, 12);
    wl_corr_result_free(&res);
    set[3] = late_split; /* a later split undoes the earlier merge of b */
    set[0] = merge_bc;   /* given in any order: applied by index */
    set[2] = split_b;
    assert_int_equal(wl_corr_overrides(c, set, 4, &err), WL_OK);
    assert_int_equal(incident(c, 2), 2);
    assert_int_equal(incident(c, 3), 3);
    assert_int_equal(incident(c, 4), 1);
    /* refused: nothing changes */
    assert_int_equal(wl_corr_overrides(c, &bad, 1, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "reason_missing");
    assert_int_equal(incident(c, 4), 1);
    /* a report added later obeys the split: 5 is beside b and c, and stays apart from b */
    add(c, rep(5, 1000, 60, 37.5, north(48.0, 1650), 100, WL_CORR_EXPLOSION));
    assert_int_equal(incident(c, 5), 3);
    assert_int_equal(incident(c, 2), 2);
    wl_corr_free(c);
}

static void test_bad_input(void **state)
{
    (void)state;
    wl_corr_compat cc;
    wl_corr *c = engine(), *d = NULL;
    wl_error err = {0};
    wl_corr_report r = rep(1, 0, 0, 37, 48, 10, 0), bad;
    static const uint64_t one[] = {1};
    wl_corr_override merge1 = {1, WL_CORR_MERGE, one, 1, "why"};
    assert_int_equal(wl_corr_add(c, &r, NULL, &err), WL_OK);
    assert_int_equal(wl_corr_add(c, &r, NULL, &err), WL_ERR_CONFLICT);
    bad = r, bad.id = 2, bad.lon = 181;
    assert_int_equal(wl_corr_add(c, &bad, NULL, &err), WL_ERR_INVALID);
    assert_non_null(strstr(err.msg, "lon"));
    bad = r, bad.id = 2, bad.lat = NAN;
    assert_int_equal(wl_corr_add(c, &bad, NULL, &err), WL_ERR_INVALID);
    bad = r, bad.id = 2, bad.type = WL_CORR_CLASSES;
    assert_int_equal(wl_corr_add(c, &bad, NULL, &err), WL_ERR_INVALID);
    bad = r, bad.id = 2, bad.radius_m = WL_CORR_RADIUS_MAX + 1;
    assert_int_equal(wl_corr_add(c, &bad, NULL, &err), WL_ERR_INVALID);
    assert_int_equal(wl_corr_add_all(c, &r, 1, &err), WL_ERR_CONFLICT);
    assert_int_equal(wl_corr_overrides(c, &merge1, 1, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "bad_override");
    assert_int_equal(wl_corr_incident_of(c, 2, &(uint64_t){0}, &err), WL_ERR_NOT_FOUND);
    wl_corr_compat_default(&cc);
    cc.mask[WL_CORR_WEAPONS] |= 1u << WL_CORR_EXPLOSION; /* one way only */
    assert_int_equal(wl_corr_new(&cc, &d, &err), WL_ERR_INVALID);
    assert_null(d);
    wl_corr_free(c);
}

/* A rebuild gathers each report's joins on threads (lib/monitor/correlate_par.c, from 2,048
 * reports): with 2, 3 and 8 threads the same bytes as with 1, the components those of every
 * pair; and each allocation of a threaded rebuild failed in turn: refused with nothing held
 * (the same call then succeeds), or the same bytes. */
static void test_threads(void **state)
{
    (void)state;
    size_t n = 3000;
    static const unsigned threads[] = {2, 3, 8};
    wl_corr_report *r = malloc(n * sizeof *r);
    uint64_t *inc = malloc(n * sizeof *inc);
    wl_corr_result want = {0};
    wl_error err = {0};
    wl_corr *c = engine();
    rng = 0xC0FFEEu;
    reports(r, n, 37.8, 48.2, 0.8);
    brute(r, n, inc);
    wl_corr_set_threads(c, 1);
    assert_int_equal(wl_corr_add_all(c, r, n, &err), WL_OK);
    assert_int_equal(wl_corr_incidents(c, &want, &err), WL_OK);
    assert_true(want.n_incidents > 1 && want.n_incidents < n);
    wl_corr_free(c);
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        wl_corr_result got = {0};
        c = engine();
        wl_corr_set_threads(c, threads[t]);
        assert_int_equal(wl_corr_add_all(c, r, n, &err), WL_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(incident(c, r[i].id), inc[i]);
        assert_int_equal(wl_corr_incidents(c, &got, &err), WL_OK);
        same_result(&want, &got);
        wl_corr_result_free(&got);
        wl_corr_free(c);
    }
    for (unsigned long k = 1;; k++) {
        wl_corr_result got = {0};
        wl_rc rc;
        int failed;
        c = engine();
        wl_corr_set_threads(c, 2);
        wl_alloc_fail_at(k);
        rc = wl_corr_add_all(c, r, n, &err);
        failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (rc != WL_OK) {
            assert_true(failed);
            assert_int_equal(rc, WL_ERR_NOMEM);
            assert_int_equal(wl_corr_incident_of(c, r[0].id, &(uint64_t){0}, &err),
                             WL_ERR_NOT_FOUND);
            assert_int_equal(wl_corr_add_all(c, r, n, &err), WL_OK);
        }
        assert_int_equal(wl_corr_incidents(c, &got, &err), WL_OK);
        same_result(&want, &got);
        wl_corr_result_free(&got);
        wl_corr_free(c);
        if (!failed)
            break;
    }
    wl_corr_result_free(&want);
    free(r);
    free(inc);
}

/* The scenario each allocation failure is tried in: 0 or the step that failed. */
static int scenario(wl_corr **cp, const wl_corr_report *r, size_t n, wl_corr_result *res, int from)
{
    static const uint64_t s[] = {1024, 1080, 1400}, m[] = {1008, 1160, 1480};
    wl_corr_override ov[2] = {{5, WL_CORR_SPLIT, s, 3, "apart"}, {6, WL_CORR_MERGE, m, 3, "one"}};
    wl_error err = {0};
    int step = 0;
    if (from <= ++step && *cp == NULL) {
        wl_corr_compat cc;
        wl_corr_compat_default(&cc);
        if (wl_corr_new(&cc, cp, &err) != WL_OK)
            return step;
    }
    if (from <= ++step && wl_corr_add_all(*cp, r, n / 2, &err) != WL_OK)
        return step;
    for (size_t i = n / 2; i < n; i++) {
        ++step;
        if (from <= step && wl_corr_incident_of(*cp, r[i].id, &(uint64_t){0}, &err) != WL_OK &&
            wl_corr_add(*cp, &r[i], NULL, &err) != WL_OK)
            return step;
    }
    if (from <= ++step && wl_corr_overrides(*cp, ov, 2, &err) != WL_OK)
        return step;
    if (from <= ++step && wl_corr_incidents(*cp, res, &err) != WL_OK)
        return step;
    return 0;
}

static void test_alloc_faults(void **state)
{
    (void)state;
    size_t n = 120;
    wl_corr_report *r = malloc(n * sizeof *r);
    wl_corr_result want = {0};
    wl_corr *c = NULL;
    rng = 7;
    reports(r, n, 37.8, 48.2, 0.05);
    assert_int_equal(scenario(&c, r, n, &want, 0), 0);
    wl_corr_free(c);
    for (unsigned long k = 1;; k++) {
        wl_corr_result got = {0};
        int failed_at, failed;
        c = NULL;
        wl_alloc_fail_at(k);
        failed_at = scenario(&c, r, n, &got, 0);
        failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (!failed) {
            assert_int_equal(failed_at, 0);
            same_result(&want, &got);
            wl_corr_result_free(&got);
            wl_corr_free(c);
            break;
        }
        if (failed_at) { /* refused at one step: the engine carries on from that step */
            assert_null(got.links);
            assert_int_equal(scenario(&c, r, n, &got, failed_at), 0);
        }
        same_result(&want, &got);
        wl_corr_result_free(&got);
        wl_corr_free(c);
    }
    wl_corr_result_free(&want);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_rule),    cmocka_unit_test(test_window_edge),
        cmocka_unit_test(test_order_free),   cmocka_unit_test(test_log_order),
        cmocka_unit_test(test_overrides),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_alloc_faults), cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
