/* SPDX-License-Identifier: Apache-2.0 */
/* Replay of a log into an in-memory store (see include/willing/replay.h). */
#include <stdio.h>
#include <string.h>

#include "willing/replay.h"

wl_rc wl_replay_init(wl_replay *r, const char *origin)
{
    wl_rc rc;
    memset(r, 0, sizeof *r);
    if (strlen(origin) > WL_ORIGIN_MAX)
        return WL_ERR_INVALID;
    memcpy(r->origin, origin, strlen(origin) + 1);
    if ((rc = wl_modules_register()) != WL_OK)
        return rc;
    if ((rc = wl_store_open(":memory:", 1, &r->s)) != WL_OK)
        return rc;
    if ((rc = wl_store_begin(r->s)) != WL_OK) {
        wl_store_close(r->s);
        r->s = NULL;
    }
    return rc;
}

wl_rc wl_replay_add(wl_replay *r, const char *bytes, size_t len)
{
    wl_pending p;
    uint64_t idx = 0;
    int existed = 0;
    wl_rc rc;

    memset(&r->err, 0, sizeof r->err);
    rc = wl_ledger_precheck(r->s, r->origin, bytes, len, &p, &r->err);
    if (rc != WL_OK)
        return rc;
    rc = wl_ledger_sequence(r->s, &p, &idx, &existed, &r->err);
    wl_pending_clear(&p);
    if (rc != WL_OK)
        return rc;
    if (existed || idx != r->next)
        return wl_error_set(&r->err, WL_ERR_CONFLICT, "replayed_entry",
                            "entry %llu repeats the author's seq of entry %llu",
                            (unsigned long long)r->next, (unsigned long long)idx);
    r->next++;
    return WL_OK;
}

void wl_replay_free(wl_replay *r)
{
    if (r->s) {
        wl_store_rollback(r->s);
        wl_store_close(r->s);
    }
    memset(r, 0, sizeof *r);
}
