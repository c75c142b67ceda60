/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing serve --read-only`: reads from a database that another daemon
 * writes (a PostgreSQL hot standby fed by streaming replication, where any
 * write fails, or the writer's own SQLite file), and no write of any kind:
 * no sequencer, no publisher, no sealer, no write check at start, no key but
 * the log's verifier key (from the ledger). Changes are refused before their
 * body is read (http.c asks wl_readonly_refuses as soon as the route is
 * known); a job handed to the sequencer all the same (a signed read's nonce)
 * is refused by the thread that stands in for it. The log's state is the
 * latest checkpoint stored, read every interval: it is served once it is
 * signed by the log's key and the stored tree of its size has its root, and
 * the size served (tiles, entries, proofs) is its size, never more.
 * docs/internals/daemon.md ("Read-only").
 */
#include <stdio.h>
#include <string.h>

#include "readonly.h"
#include "respond.h"
#include "sequencer.h"
#include "threads.h"
#include "willing/merkle.h"

bool wl_readonly_refuses(const wl_route *row, const char *method)
{
    if (row == NULL || row->fn == NULL || (row->flags & WL_ROUTE_READS))
        return false;
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

uint64_t wl_readonly_cap(uint64_t to)
{
    if (!wl_srv->read_only)
        return to;
    pthread_mutex_lock(&wl_srv->mu);
    if (to > wl_srv->size)
        to = wl_srv->size;
    pthread_mutex_unlock(&wl_srv->mu);
    return to;
}

/* What a refusal says, into msg. */
static void refusal(char *msg, size_t cap)
{
    if (wl_srv->primary_url[0])
        snprintf(msg, cap, "this server serves reads only; write to %s", wl_srv->primary_url);
    else
        snprintf(msg, cap, "this server serves reads only; write to the log's primary server");
}

enum MHD_Result wl_readonly_refuse(struct MHD_Connection *c)
{
    char msg[WL_PUBLIC_URL_MAX + 64];
    refusal(msg, sizeof msg);
    return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "read_only", "%s", msg);
}

int wl_readonly_identity(wl_server *srv, wl_store *s, const char *db)
{
    char *v = NULL;
    int ret = -1;
    if (wl_store_meta_get(s, "log_vkey", &v) != WL_OK ||
        wl_vkey_parse(v, strlen(v), &srv->log_vkey) != WL_OK ||
        srv->log_vkey.type != WL_SIGTYPE_ED25519) {
        fprintf(stderr, "willing serve: %s holds no valid log_vkey (written by `willing init`)\n",
                db);
        goto out;
    }
    wl_free(v);
    v = NULL;
    if (wl_store_meta_get(s, "operator", &v) != WL_OK ||
        wl_fmt(srv->op_id, sizeof srv->op_id, "%s", v) != WL_OK) {
        fprintf(stderr, "willing serve: %s names no operator, or one longer than 64 bytes\n", db);
        goto out;
    }
    ret = 0;
out:
    wl_free(v);
    return ret;
}

/* Inside a read snapshot: whether the checkpoint note (of size cps) may be served, else why. */
static wl_rc check_checkpoint(wl_store *s, const char *note, size_t nlen, uint64_t cps,
                              uint64_t served, wl_note *n, char *why, size_t cap)
{
    wl_checkpoint cp;
    uint8_t ok = 0, root[32];
    uint64_t have = 0;
    if (wl_note_parse(note, nlen, n) != WL_OK ||
        wl_note_verify(n, &wl_srv->log_vkey, 1, &ok, NULL) != WL_OK ||
        wl_checkpoint_parse(n->text, n->text_len, &cp) != WL_OK || cp.size != cps) {
        snprintf(why, cap, "the latest checkpoint (size %llu) is not signed by this log's key",
                 (unsigned long long)cps);
        return WL_ERR_SIGNATURE;
    }
    if (cps < served) {
        snprintf(why, cap,
                 "the latest checkpoint stored (size %llu) is older than the one served "
                 "(size %llu): a database rolled back or another one; still serving %llu",
                 (unsigned long long)cps, (unsigned long long)served, (unsigned long long)served);
        return WL_ERR_CONFLICT;
    }
    if (wl_store_size(s, &have) != WL_OK || have < cps ||
        wl_merkle_root(wl_store_hash_reader, s, cps, root) != WL_OK ||
        memcmp(root, cp.root, 32) != 0) {
        snprintf(why, cap,
                 "the stored tree (%llu entries) does not give the root of the latest checkpoint "
                 "(size %llu)",
                 (unsigned long long)have, (unsigned long long)cps);
        return WL_ERR_CORRUPT;
    }
    return WL_OK;
}

wl_rc wl_readonly_follow_once(wl_store *s, char *why, size_t cap)
{
    uint64_t cps = 0, served = 0;
    char *note = NULL;
    size_t nlen = 0;
    bool same, grew = false;
    wl_note n;
    wl_rc rc;

    why[0] = '\0';
    if ((rc = wl_store_begin_read(s)) != WL_OK) {
        snprintf(why, cap, "cannot read the ledger: %s", wl_store_errmsg(s));
        return rc;
    }
    rc = wl_store_checkpoint_latest(s, &cps, &note, &nlen);
    if (rc == WL_ERR_NOT_FOUND) { /* none yet: the writer publishes one soon */
        (void)!wl_store_commit(s);
        return WL_OK;
    }
    if (rc != WL_OK)
        snprintf(why, cap, "cannot read the latest checkpoint: %s", wl_store_errmsg(s));
    pthread_mutex_lock(&wl_srv->mu);
    same = rc == WL_OK && wl_srv->cp_note && wl_srv->cp_len == nlen &&
           memcmp(wl_srv->cp_note, note, nlen) == 0;
    served = wl_srv->cp_note ? wl_srv->cp_size : 0;
    pthread_mutex_unlock(&wl_srv->mu);
    if (rc == WL_OK && !same)
        rc = check_checkpoint(s, note, nlen, cps, served, &n, why, cap);
    (void)!wl_store_commit(s); /* ends the read snapshot */
    if (rc != WL_OK || same) {
        wl_free(note);
        return rc;
    }
    pthread_mutex_lock(&wl_srv->mu);
    wl_free(wl_srv->cp_note);
    wl_srv->cp_note = note;
    wl_srv->cp_len = nlen;
    wl_srv->cp_size = cps;
    wl_srv->cp_cosigs = n.nsigs > 0 ? n.nsigs - 1 : 0;
    if (wl_srv->size != cps) {
        grew = true;
        wl_srv->size = cps;
        wl_srv->reg_gen++; /* the register may have changed with the log: views built again */
    }
    pthread_cond_broadcast(&wl_srv->cp_cv);
    pthread_mutex_unlock(&wl_srv->mu);
    if (grew)
        wl_incidents_stale();
    return WL_OK;
}

void *wl_readonly_follow_main(void *arg)
{
    wl_store *s = arg;
    char said[300] = "";
    for (;;) {
        char why[300];
        if (wl_srv_wait(wl_srv->interval_ms))
            break;
        /* a trouble is said once, and once more when it changes or ends */
        if (wl_readonly_follow_once(s, why, sizeof why) != WL_OK) {
            if (strcmp(why, said) != 0)
                fprintf(stderr, "willing: following the log: %s\n", why);
            snprintf(said, sizeof said, "%s", why);
        } else if (said[0]) {
            fprintf(stderr, "willing: following the log again\n");
            said[0] = '\0';
        }
    }
    return NULL;
}

void *wl_readonly_refuser_main(void *arg)
{
    char msg[WL_PUBLIC_URL_MAX + 64];
    (void)arg;
    refusal(msg, sizeof msg);
    for (;;) {
        wl_job *batch, *j;
        if ((batch = wl_sequencer_take()) == NULL)
            break; /* stopping, nothing left */
        for (j = batch; j;) {
            wl_job *next = j->next;
            j->failed = true;
            wl_error_set(&j->err, WL_ERR_IO, "read_only", "%s", msg);
            wl_job_done(j); /* j may be freed from here on */
            j = next;
        }
    }
    return NULL;
}
