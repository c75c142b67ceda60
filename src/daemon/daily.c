/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitors' daily report (docs/internals/monitor.md, "The daily report"):
 *   GET /api/v1/daily/<YYYY-MM-DD>              the report as JSON
 *   GET /api/v1/daily/<YYYY-MM-DD>?format=csv   its annex, one row per report
 * Public: reports are public entries, and the report sums them. The report is
 * lib/monitor/daily.c's; this file holds the oblasts' index (the map's file,
 * read once) and uses the zones' containment index of zones.c; the JSON is
 * kept in the view cache by day and committed log size.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "threads.h"
#include "viewcache.h"
#include "willing/compliance.h"
#include "willing/crypto.h"
#include "willing/daily.h"

/* The oblasts' index, built from the map's file at the first report; one report at a time uses it.
 */
static pthread_mutex_t regions_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_regions *regions;
static bool regions_tried;

/* The index of the map the console draws (web.c's directory), or NULL without one. */
static wl_regions *regions_get(void)
{
    char dir[PATH_MAX], path[PATH_MAX + 40];
    FILE *f;
    if (regions_tried)
        return regions;
    regions_tried = true;
    if (snprintf(path, sizeof path, "%s/ukraine-oblasts.geojson", wl_geo_dir(dir)) >=
        (int)sizeof path)
        return NULL;
    if ((f = fopen(path, "rb")) != NULL) {
        wl_buf b = {0};
        char chunk[65536];
        size_t n;
        wl_error err;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (wl_buf_append(&b, chunk, n, WL_DAILY_MAP_MAX) != WL_OK)
                break;
        if (!ferror(f) && feof(f) &&
            wl_regions_build(b.buf, b.len, "name", &regions, &err) != WL_OK)
            fprintf(stderr, "willing: %s: %s: reports are not placed in oblasts\n", path, err.msg);
        fclose(f);
        wl_buf_free(&b);
    }
    if (regions == NULL)
        fprintf(stderr, "willing: no map of oblasts at %s: reports are not placed in oblasts\n",
                path);
    return regions;
}

wl_rc wl_daily_regions_use(wl_rc (*fn)(void *ctx, wl_regions *r), void *ctx)
{
    wl_rc rc;
    pthread_mutex_lock(&regions_mu);
    rc = fn(ctx, regions_get());
    pthread_mutex_unlock(&regions_mu);
    return rc;
}

typedef struct {
    const char *day;
    json_t *out;
    wl_error *err;
} daily_arg;

/* With the zones' index held (zones.c): the report, on one read snapshot. */
static wl_rc build(void *ctx, wl_zone_index *zones)
{
    daily_arg *a = ctx;
    wl_store *s = wl_thread_store();
    wl_rc rc;
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        return wl_error_set(a->err, WL_ERR_IO, "storage", "the ledger cannot be read");
    pthread_mutex_lock(&regions_mu);
    rc = wl_daily_build_with(s, a->day, regions_get(), zones, wl_incidents_holding_now, NULL,
                             &a->out, a->err);
    pthread_mutex_unlock(&regions_mu);
    (void)!wl_store_commit(s);
    return rc;
}

/*
 * ?recorded=1: the bytes the coordinator recorded for the day (monitor.daily,
 * its blob), unchanged, with the entry's index in Willing-Recorded-Index.
 */
static enum MHD_Result get_recorded(wl_call *call)
{
    wl_store *s = wl_thread_store();
    wl_error err = {0};
    uint64_t idx = 0;
    uint8_t hash[32];
    char hex[65], at[24];
    void *bytes = NULL;
    size_t n = 0;
    wl_rc rc;
    if (s == NULL || wl_store_begin_read(s) != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    rc = wl_daily_recorded(s, call->rest, &idx, hex);
    if (rc == WL_OK && wl_hex_decode(hex, 64, hash, 32) == WL_OK)
        rc = wl_store_blob_read(s, hash, &bytes, &n, &err);
    (void)!wl_store_commit(s);
    if (rc == WL_ERR_NOT_FOUND && idx == 0)
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "not_recorded",
                                "no daily report of %.10s is recorded (monitor.daily)", call->rest);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "unknown_blob",
                                "the report of %.10s is recorded (entry %llu) but its blob %s is "
                                "not held",
                                call->rest, (unsigned long long)idx, hex);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the recorded report cannot be read");
    snprintf(at, sizeof at, "%llu", (unsigned long long)idx);
    {
        const char *headers[] = {"Willing-Recorded-Index",
                                 at,
                                 "Willing-Recorded-Blob",
                                 hex,
                                 "Cache-Control",
                                 "no-store",
                                 NULL};
        return wl_respond_taken(call->c, MHD_HTTP_OK, "application/json", bytes, n, headers);
    }
}

static enum MHD_Result get_daily(wl_call *call)
{
    const char *format = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "format");
    const char *recorded = MHD_lookup_connection_value(call->c, MHD_GET_ARGUMENT_KIND, "recorded");
    wl_error err = {0};
    daily_arg a = {call->rest, NULL, &err};
    char *text, key[WL_VIEWCACHE_KEY_MAX];
    size_t len;
    uint64_t size, gen = 0;
    bool json = format == NULL || strcmp(format, "json") == 0;
    enum MHD_Result ret;
    wl_rc rc;
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "format: json (the default) or csv");
    if (wl_date_days(call->rest, false) < 1)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_day",
                                "a day is YYYY-MM-DD: GET /api/v1/daily/2026-11-30");
    if (recorded && strcmp(recorded, "1") != 0)
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "recorded: 1 (the report the coordinator recorded) or absent");
    if (recorded)
        return format ? wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                         "recorded: the recorded report is its JSON; no format")
                      : get_recorded(call);
    /*
     * The JSON is kept per day and committed log size (a new report, or any
     * entry, makes another key: a read after a write sees it), so asking again
     * costs a copy, not another build under the zones' index.
     */
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->size;
    pthread_mutex_unlock(&wl_srv->mu);
    snprintf(key, sizeof key, "daily:%.10s@%llu", call->rest, (unsigned long long)size);
    if (json && wl_viewcache_hit(call->c, key, &gen, &ret))
        return ret;
    rc = wl_zones_index_use(build, &a, &err);
    if (rc == WL_ERR_TOO_LARGE)
        return wl_respond_error(call->c, MHD_HTTP_CONTENT_TOO_LARGE, err.code, "%s", err.msg);
    if (rc != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE,
                                err.code ? err.code : "storage", "%s", err.msg);
    if (!json) {
        rc = wl_daily_csv(a.out, &text, &len, &err);
        json_decref(a.out);
        if (rc != WL_OK)
            return wl_respond_error(call->c, MHD_HTTP_CONTENT_TOO_LARGE, err.code, "%s", err.msg);
        ret = wl_respond_bytes(call->c, MHD_HTTP_OK, "text/csv; charset=utf-8", text, len,
                               "no-store");
        wl_free(text);
        return ret;
    }
    return wl_viewcache_answer(call->c, key, gen, a.out);
}

const wl_route wl_routes_daily[] = {
    {"GET", "/api/v1/daily/*", WL_ACCESS_ANYONE, 0, get_daily, 0, NULL},
    {"*", "/api/v1/daily/*", WL_ACCESS_ANYONE, 0, NULL, 0, "use GET to read %s"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
