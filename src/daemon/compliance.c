/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compliance per zone and day (docs/internals/monitor.md, "Compliance"):
 *   GET /api/v1/compliance?day=YYYY-MM-DD[&days=N][&scope=deal|all]  the counts, JSON
 *   GET /api/v1/compliance.csv?day=YYYY-MM-DD[&days=N][&scope=...]   the trend as CSV
 *   GET /api/v1/compliance/alerts?day=YYYY-MM-DD[&scope=...]         the alerts raised
 * scope deal (the default): the zones a deal version in force names; all: every zone.
 * Public: reports are public entries, thresholds too. lib/monitor/compliance.c
 * computes them under the zones' containment index (zones.c) and the oblasts'
 * index (daily.c), on one read snapshot; the JSON is kept in the view cache by
 * what was asked and the committed log size.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "viewcache.h"
#include "willing/compliance.h"
#include "willing/limits.h"

typedef struct {
    const char *day;
    unsigned days;
    bool alerts, all;
    wl_zone_index *zones;
    json_t *out;
    wl_error *err;
} arg;

/* With both indexes held: the figures, on one read snapshot. */
static wl_rc with_regions(void *ctx, wl_regions *regions)
{
    arg *a = ctx;
    wl_store *s = wl_thread_store();
    wl_rc rc;
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        return wl_error_set(a->err, WL_ERR_IO, "storage", "the ledger cannot be read");
    rc = a->alerts
             ? wl_compliance_alerts(s, a->day, a->all, regions, a->zones, &a->out, a->err)
             : wl_compliance_build(s, a->day, a->days, a->all, regions, a->zones, &a->out, a->err);
    (void)!wl_store_commit(s);
    return rc;
}

static wl_rc with_zones(void *ctx, wl_zone_index *zones)
{
    arg *a = ctx;
    a->zones = zones;
    return wl_daily_regions_use(with_regions, a);
}

/* The query's day, days (1 when alerts) and scope; non-zero with the 400 queued in *ret. */
static int query(wl_call *call, arg *a, bool days_ok, enum MHD_Result *ret)
{
    uint64_t days = WL_COMPLIANCE_DAYS_DEFAULT;
    const char *scope = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "scope");
    if (scope && strcmp(scope, "deal") != 0 && strcmp(scope, "all") != 0) {
        *ret = wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "scope: deal (the zones a deal in force names, the default) or "
                                "all (every zone)");
        return -1;
    }
    a->all = scope && strcmp(scope, "all") == 0;
    a->day = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "day");
    if (a->day == NULL || strlen(a->day) != 10 || wl_date_days(a->day, false) < 1) {
        *ret = wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_day",
                                "day: a date YYYY-MM-DD is required (?day=2026-11-30)");
        return -1;
    }
    if (wl_query_u64(call->c, "days", &days) != 0 || days < 1 || days > WL_COMPLIANCE_DAYS_MAX ||
        (!days_ok && MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "days"))) {
        *ret = days_ok ? wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                          "days: a whole number of days, 1 to %u (default %u)",
                                          WL_COMPLIANCE_DAYS_MAX, WL_COMPLIANCE_DAYS_DEFAULT)
                       : wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                          "days: the alerts take only day (each threshold "
                                          "names its own days)");
        return -1;
    }
    a->days = (unsigned)days;
    return 0;
}

/* The figures asked, as JSON (the cache's, or built) or CSV. */
static enum MHD_Result answer(wl_call *call, bool alerts, bool csv)
{
    wl_error err = {0};
    arg a = {.alerts = alerts, .err = &err};
    char key[WL_VIEWCACHE_KEY_MAX], *text;
    uint64_t size, gen = 0;
    size_t len;
    enum MHD_Result ret;
    wl_rc rc;
    if (query(call, &a, !alerts, &ret) != 0)
        return ret;
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->size;
    pthread_mutex_unlock(&wl_srv->mu);
    snprintf(key, sizeof key, "compliance:%s:%s:%.10s:%u@%llu", alerts ? "alerts" : "days",
             a.all ? "all" : "deal", a.day, a.days, (unsigned long long)size);
    if (!csv && wl_viewcache_hit(call->c, key, &gen, &ret))
        return ret;
    rc = wl_zones_index_use(with_zones, &a, &err);
    if (rc != WL_OK)
        return wl_respond_error(call->c,
                                rc == WL_ERR_INVALID     ? MHD_HTTP_BAD_REQUEST
                                : rc == WL_ERR_TOO_LARGE ? MHD_HTTP_CONTENT_TOO_LARGE
                                                         : MHD_HTTP_SERVICE_UNAVAILABLE,
                                err.code ? err.code : "storage", "%s", err.msg);
    if (!csv)
        return wl_viewcache_answer(call->c, key, gen, a.out);
    rc = wl_compliance_csv(a.out, &text, &len, &err);
    json_decref(a.out);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_CONTENT_TOO_LARGE, err.code, "%s", err.msg);
    ret = wl_respond_bytes(call->c, MHD_HTTP_OK, "text/csv; charset=utf-8", text, len, "no-store");
    wl_free(text);
    return ret;
}

static enum MHD_Result get_compliance(wl_call *call)
{
    return answer(call, false, false);
}

static enum MHD_Result get_compliance_csv(wl_call *call)
{
    return answer(call, false, true);
}

static enum MHD_Result get_alerts(wl_call *call)
{
    return answer(call, true, false);
}

const wl_route wl_routes_compliance[] = {
    {"GET", "/api/v1/compliance", WL_ACCESS_ANYONE, 0, get_compliance, 0, NULL},
    {"GET", "/api/v1/compliance.csv", WL_ACCESS_ANYONE, 0, get_compliance_csv, 0, NULL},
    {"GET", "/api/v1/compliance/alerts", WL_ACCESS_ANYONE, 0, get_alerts, 0, NULL},
    {"*", "/api/v1/compliance", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/compliance.csv", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {"*", "/api/v1/compliance/alerts", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
