/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (issue 11, point 2): monitors' reports correlated into incidents
 * by space-time windows scaled by each report's precision and by compatible
 * types, with the monitors' signed splits and merges applied on top. A pure
 * engine: no store, no I/O; one thread at a time uses one (a rebuild, the
 * whole correlation again, gathers on threads of its own: wl_corr_set_threads).
 * The result does not depend on the order reports are added in. The engine
 * never attributes: it joins reports, it says nothing of who fired.
 * docs/internals/monitor.md ("Incidents").
 */
#ifndef WILLING_CORRELATE_H
#define WILLING_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "willing/wl.h"

/* Two reports join when both hold (compatible types aside):
 *   distance <= r1 + r2 + WL_CORR_D_M  and  |t1 - t2| <= pt1 + pt2 + WL_CORR_T_S */
#define WL_CORR_D_M 1000u         /* m: what one incident spans beyond both reports' radii */
#define WL_CORR_T_S 600           /* s: what one incident lasts beyond both reports' precisions */
#define WL_CORR_EARTH_M 6371008.8 /* m: WGS 84 mean radius R1, for haversine */

/* The classes of the taxonomy the engine correlates (the report's type maps to one). */
enum {
    WL_CORR_EXPLOSION,      /* ceasefire violations: */
    WL_CORR_PROJECTILE,     /*   an explosion, a projectile in flight, */
    WL_CORR_MUZZLE_FLASH,   /*   a muzzle flash, */
    WL_CORR_BURSTS_SHOTS,   /*   bursts and shots */
    WL_CORR_WEAPONS,        /* weapons in violation of withdrawal lines */
    WL_CORR_RESTRICTION,    /* restrictions of freedom of movement */
    WL_CORR_INFRASTRUCTURE, /* damage to civilian infrastructure */
    WL_CORR_CASUALTIES,     /* civilian casualties */
    WL_CORR_CLASSES
};

/* Which classes may be one incident: class a with b iff mask[a] has bit b.
 * Symmetric; ntypes classes, at most WL_CORR_TYPES_MAX. */
typedef struct {
    uint32_t ntypes;
    uint32_t mask[WL_CORR_TYPES_MAX];
} wl_corr_compat;

/* The documented table over the classes above (monitor.md "Incidents"). */
void wl_corr_compat_default(wl_corr_compat *c);

/* One report as the engine sees it. */
typedef struct {
    uint64_t id;       /* the report's log index: unique */
    int64_t t;         /* observed time, unix seconds */
    uint32_t pt;       /* the time's precision, seconds (<= WL_CORR_PT_MAX) */
    double lon, lat;   /* degrees, WGS 84 */
    uint32_t radius_m; /* the location's precision, metres (<= WL_CORR_RADIUS_MAX) */
    uint32_t type;     /* class, < the table's ntypes */
} wl_corr_report;

/* A monitor's or the coordinator's override, signed with a reason (the kinds
 * monitor.split and monitor.merge check who; the engine checks the shape).
 * Overrides apply in the order of their index, after the automatic joins:
 * a merge joins the incidents holding its reports (2 or more); a split cuts
 * every join between a report of its set and a report outside it, automatic
 * or by an earlier merge, for reports added later too. A report named but
 * not held changes nothing. */
typedef enum { WL_CORR_SPLIT = 1, WL_CORR_MERGE = 2 } wl_corr_op;
typedef struct {
    uint64_t index; /* the override's own log index: unique, the order they apply in */
    wl_corr_op op;
    const uint64_t *reports; /* merge: >= 2; split: >= 1 */
    size_t n;
    const char *reason; /* not empty */
} wl_corr_override;

typedef struct wl_corr wl_corr;

/* A new engine over the compatibility table c (copied); *out: caller frees
 * with wl_corr_free (NULL: a no-op). WL_ERR_INVALID: the table. */
wl_rc wl_corr_new(const wl_corr_compat *c, wl_corr **out, wl_error *err) WL_MUST;
void wl_corr_free(wl_corr *c);

/* How many threads a rebuild (wl_corr_add_all, and the first call after overrides change)
 * may use to find each report's joins: 0 (the default) one a core, at most 8; 1 none but the
 * caller's. The result is the same bytes whatever the number. */
void wl_corr_set_threads(wl_corr *c, unsigned threads);

/* What adding a report did: the incident it is now part of (its id, the
 * smallest report id in it) and how many reports that incident holds. */
typedef struct {
    uint64_t incident;
    size_t reports;
} wl_corr_joined;

/*
 * wl_corr_add: one report into the existing incidents (joined: may be NULL).
 * wl_corr_add_all: n reports at once (the whole correlation from scratch).
 * WL_ERR_INVALID: a field out of range, named; WL_ERR_CONFLICT: an id held
 * already; WL_ERR_TOO_LARGE: more than WL_CORR_REPORTS_MAX. On any error
 * nothing is added (add_all: none of the n).
 */
wl_rc wl_corr_add(wl_corr *c, const wl_corr_report *r, wl_corr_joined *joined,
                  wl_error *err) WL_MUST;
wl_rc wl_corr_add_all(wl_corr *c, const wl_corr_report *r, size_t n, wl_error *err) WL_MUST;

/* The overrides in force (copied; they replace any given before). On error
 * the previous ones stay. WL_ERR_INVALID: an empty reason, a merge of fewer
 * than 2 reports, an empty split, two with one index. */
wl_rc wl_corr_overrides(wl_corr *c, const wl_corr_override *ov, size_t n, wl_error *err) WL_MUST;

/* The incident of report id (*incident: its smallest report id). */
wl_rc wl_corr_incident_of(wl_corr *c, uint64_t id, uint64_t *incident, wl_error *err) WL_MUST;

/* Why a report is in its incident: the join to the report it hangs from. */
enum { WL_CORR_FIRST = 0, WL_CORR_AUTO = 1, WL_CORR_MERGED = 2 };
typedef struct {
    uint64_t report;
    uint64_t via;      /* the report it joined (FIRST: itself) */
    uint32_t how;      /* WL_CORR_FIRST, _AUTO (within both windows), _MERGED */
    uint64_t override; /* MERGED: the merge's index */
    double distance_m; /* between the two reports' points (haversine) */
    int64_t gap_s;     /* |t1 - t2| */
} wl_corr_link;

typedef struct {
    uint64_t id;          /* its smallest report id */
    size_t first, n;      /* its links: links[first .. first + n), by report id */
    int64_t t_min, t_max; /* observed times */
} wl_corr_incident;

typedef struct {
    wl_corr_incident *incidents; /* by id */
    size_t n_incidents;
    wl_corr_link *links; /* one per report */
    size_t n_links;
} wl_corr_result;

/*
 * Every incident, canonical: the same reports and overrides give the same
 * bytes whatever the order they were added in. Each report but an
 * incident's first hangs from one other by a join of the canonical spanning
 * tree (docs/internals/monitor.md). *out: caller frees with
 * wl_corr_result_free (zeroed on failure; free of a zeroed one: a no-op).
 */
wl_rc wl_corr_incidents(wl_corr *c, wl_corr_result *out, wl_error *err) WL_MUST;
void wl_corr_result_free(wl_corr_result *r);

/* Haversine distance in metres on the sphere of radius WL_CORR_EARTH_M. */
double wl_corr_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
