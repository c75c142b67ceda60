/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal module's routes (docs/internals/deal.md, "Views"):
 *   GET /api/v1/deals          every deal: its title, status, latest version, in force since
 *   GET /api/v1/deals/<id>     one deal: every version with its hash, text and annexes by
 *                              hash, zones, each party's signature and when; in force since
 *                              (with the first checkpoint a witness cosigned); notices
 * Public: deal entries are public. Writes are entries (POST /api/v1/entries).
 * The views are lib/deal/views.c's; this file is HTTP only.
 */
#include <string.h>

#include "daemon.h"
#include "respond.h"
#include "route.h"
#include "viewcache.h"
#include "willing/deal.h"
#include "willing/entry.h" /* wl_valid_member_id */

static enum MHD_Result answer(wl_call *call, wl_rc rc, json_t *o, const char *what)
{
    if (rc == WL_OK)
        return wl_respond_json(call->c, MHD_HTTP_OK, o);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "unknown_deal", "no deal %s", what);
    return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read %s",
                            what);
}

static enum MHD_Result get_deals(wl_call *call)
{
    wl_store *s = wl_thread_store();
    json_t *o = NULL;
    wl_rc rc;
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    rc = wl_deal_list(s, &o); /* before o is read */
    return answer(call, rc, o, "the deals");
}

static enum MHD_Result get_deal(wl_call *call)
{
    wl_store *s = wl_thread_store();
    json_t *o = NULL;
    char key[WL_VIEWCACHE_KEY_MAX];
    uint64_t gen;
    enum MHD_Result ret;
    wl_rc rc;
    if (!wl_valid_member_id(call->rest, strlen(call->rest)))
        return wl_respond_error(call->c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "a deal id is 1-64 of a-z 0-9 . _ -: GET /api/v1/deals/<id>");
    /* the view follows from the register and the checkpoints: kept until either changes */
    wl_viewcache_key_at_checkpoint(key, "deal", call->rest);
    if (wl_viewcache_hit(call->c, key, &gen, &ret))
        return ret;
    if (s == NULL)
        return wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    /* one snapshot: versions, signatures and notices read at one moment */
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_deal_show(s, call->rest, &o);
        (void)!wl_store_commit(s);
    }
    return rc == WL_OK ? wl_viewcache_answer(call->c, key, gen, o)
                       : answer(call, rc, o, call->rest);
}

const wl_route wl_routes_deal[] = {
    {"GET", "/api/v1/deals", WL_ACCESS_ANYONE, 0, get_deals, 0, NULL},
    {"GET", "/api/v1/deals/*", WL_ACCESS_ANYONE, 0, get_deal, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
