/* SPDX-License-Identifier: Apache-2.0 */
/* Replay of a log into a store of its own (see include/willing/replay.h). */
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
    /* "": a private temporary file, its pages in memory up to the cache's spill limit */
    if ((rc = wl_store_open("", 1, &r->s)) != WL_OK)
        return rc;
    if ((rc = wl_store_begin(r->s)) != WL_OK) {
        wl_store_close(r->s);
        r->s = NULL;
    }
    return rc;
}

wl_rc wl_replay_load(wl_replay *r, const char *origin, const char *path)
{
    wl_store *from = NULL;
    wl_rc rc;
    if ((rc = wl_replay_init(r, origin)) != WL_OK)
        return rc;
    wl_store_rollback(r->s);
    if ((rc = wl_store_open(path, 0, &from)) == WL_OK &&
        (rc = wl_store_load_copy(r->s, from)) == WL_OK && (rc = wl_store_begin(r->s)) == WL_OK)
        rc = wl_store_size(r->s, &r->next);
    wl_store_close(from);
    if (rc != WL_OK) {
        if (r->s != NULL && wl_store_in_transaction(r->s))
            wl_store_rollback(r->s);
        wl_store_close(r->s);
        memset(r, 0, sizeof *r);
    }
    return rc;
}

wl_rc wl_replay_save(wl_replay *r, const char *path)
{
    wl_rc rc, rc2;
    if ((rc = wl_store_commit(r->s)) != WL_OK)
        return rc;
    rc = wl_store_save_copy(r->s, path);
    rc2 = wl_store_begin(r->s);
    return rc != WL_OK ? rc : rc2;
}

/* Sequences the prechecked entry p (which it clears) at index r->next. */
static wl_rc sequence(wl_replay *r, wl_pending *p)
{
    uint64_t idx = 0;
    int existed = 0;
    wl_rc rc;

    memcpy(r->pk, p->pk, 32);
    rc = wl_ledger_sequence(r->s, p, &idx, &existed, &r->err);
    wl_pending_clear(p);
    if (rc != WL_OK)
        return rc;
    if (existed || idx != r->next)
        return wl_error_set(&r->err, WL_ERR_CONFLICT, "replayed_entry",
                            "entry %llu repeats the author's seq of entry %llu",
                            (unsigned long long)r->next, (unsigned long long)idx);
    r->next++;
    return WL_OK;
}

wl_rc wl_replay_add(wl_replay *r, const char *bytes, size_t len)
{
    wl_pending p;
    wl_rc rc;
    memset(&r->err, 0, sizeof r->err);
    if ((rc = wl_ledger_precheck(r->s, r->origin, bytes, len, &p, &r->err)) != WL_OK)
        return rc;
    return sequence(r, &p);
}

wl_rc wl_replay_add_parsed(wl_replay *r, wl_entry *e, const wl_sig_hint *hint)
{
    wl_pending p;
    wl_rc rc;
    memset(&r->err, 0, sizeof r->err);
    if ((rc = wl_ledger_precheck_parsed(r->s, r->origin, e, hint, &p, &r->err)) != WL_OK)
        return rc;
    return sequence(r, &p);
}

void wl_replay_free(wl_replay *r)
{
    if (r->s) {
        if (wl_store_in_transaction(r->s))
            wl_store_rollback(r->s);
        wl_store_close(r->s);
    }
    memset(r, 0, sizeof *r);
}
