/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The publisher: every interval, if the tree grew, signs a checkpoint for the
 * committed size, asks the configured witnesses to cosign it (cosign.c: all at
 * once, within serve --witness-timeout), and publishes the checkpoint with the
 * cosignatures that verify. A checkpoint that went out without some witness's
 * cosignature is offered again at the next interval, and published again if
 * more cosign it. Also the start-up check of the database.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "readonly.h"
#include "sequencer.h"
#include "threads.h"
#include "willing/merkle.h"

/*
 * Signs a checkpoint of the committed tree, read from a snapshot (no write
 * lock: the sequencer never waits for the publisher), collects cosignatures,
 * has the sequencer store it durably, then serves it.
 */
wl_rc wl_publish_once(wl_store *s, char *why, size_t cap)
{
    uint64_t size = 0, published;
    uint8_t root[32];
    char *note = NULL;
    size_t nlen = 0;
    size_t ncos = 0, had = 0;
    wl_buf cosigs = {0};
    wl_job job;
    wl_rc rc;
    bool again = false; /* the same size again: for a witness's cosignature it lacks */
    bool standby;

    why[0] = '\0';
    pthread_mutex_lock(&wl_srv->mu);
    published = wl_srv->cp_note ? wl_srv->cp_size : UINT64_MAX;
    had = wl_srv->cp_cosigs;
    standby = wl_srv->standby;
    pthread_mutex_unlock(&wl_srv->mu);
    if (standby) /* a standby signs nothing: it serves what the writer published */
        return wl_readonly_follow_once(s, why, cap);
    if ((rc = wl_store_begin_read(s)) == WL_OK) {
        rc = wl_store_size(s, &size);
        again = rc == WL_OK && size == published && had < wl_srv->nwitnesses;
        if (rc == WL_OK && (size != published || again))
            rc = wl_merkle_root(wl_store_hash_reader, s, size, root);
        if (rc != WL_OK) /* before the snapshot ends: its COMMIT has a message of its own */
            snprintf(why, cap, "reading the tree: %s (%s)", wl_store_errmsg(s), wl_rc_name(rc));
        (void)!wl_store_commit(s); /* ends the read snapshot */
    } else {
        snprintf(why, cap, "reading the tree: %s", wl_store_errmsg(s));
    }
    if (rc != WL_OK || (size == published && !again))
        goto out;
    if ((rc = wl_ledger_sign_checkpoint(wl_srv->origin, &wl_srv->log_key, size, root, &note,
                                        &nlen)) != WL_OK) {
        snprintf(why, cap, "signing: %s", wl_rc_name(rc));
        goto out;
    }
    ncos = wl_cosign_all(s, note, nlen, size, &cosigs);
    if (size == published && ncos <= had)
        goto out; /* nothing more than what is served */
    if (cosigs.len > 0) {
        char *full = wl_malloc(nlen + cosigs.len);
        if (full) {
            memcpy(full, note, nlen);
            memcpy(full + nlen, cosigs.buf, cosigs.len);
            wl_free(note);
            note = full;
            nlen += cosigs.len;
        }
    }
    memset(&job, 0, sizeof job);
    job.cp_note = note;
    job.cp_len = nlen;
    job.cp_size = size;
    wl_sequencer_run(&job);
    if (job.failed) {
        snprintf(why, cap, "%s", job.err.msg[0] ? job.err.msg : "storing it failed");
        rc = job.err.rc ? job.err.rc : WL_ERR_IO;
        goto out;
    }
    pthread_mutex_lock(&wl_srv->mu);
    wl_free(wl_srv->cp_note);
    wl_srv->cp_note = note;
    wl_srv->cp_len = nlen;
    wl_srv->cp_size = size;
    wl_srv->cp_cosigs = ncos;
    pthread_cond_broadcast(&wl_srv->cp_cv);
    pthread_mutex_unlock(&wl_srv->mu);
    note = NULL; /* the server's now */
out:
    wl_free(note);
    wl_buf_free(&cosigs);
    return rc;
}

/*
 * Every interval, publish_once. A failure is logged when it begins, not at every interval
 * of an outage (the database away for minutes would flood the log): the first, then one
 * line when publishing works again, with how many intervals failed.
 */
void *wl_publisher_main(void *arg)
{
    wl_store *s = arg;
    unsigned long failures = 0;
    for (;;) {
        char why[300];
        bool stop = wl_srv_wait(wl_srv->interval_ms);
        if (wl_publish_once(s, why, sizeof why) != WL_OK) {
            if (failures++ == 0)
                fprintf(stderr,
                        "willing: publishing a checkpoint failed: %s (trying again every "
                        "interval; said once until it works)\n",
                        why);
        } else if (failures > 0) {
            fprintf(stderr, "willing: publishing checkpoints resumed after %lu failures\n",
                    failures);
            failures = 0;
        }
        if (stop)
            break;
    }
    return NULL;
}

/* Whether the columns stored beside entry i are those its bytes give. */
static bool derived_match(wl_store *s, uint64_t i, const char *data, size_t len,
                          const uint8_t leaf[32])
{
    uint8_t sl[32];
    char kind[33], author[65];
    uint64_t seq;
    int64_t t;
    wl_entry e;
    bool ok;
    if (wl_store_entry_derived(s, i, sl, kind, author, &seq, &t) != WL_OK ||
        wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return false;
    ok = memcmp(sl, leaf, 32) == 0 && strcmp(kind, e.kind) == 0 && strcmp(author, e.author) == 0 &&
         seq == e.seq && t == e.time;
    wl_entry_clear(&e);
    return ok;
}

static wl_rc check_against_checkpoint(wl_store *s, char *why, size_t cap);

wl_rc wl_startup_check(wl_store *s, char *why, size_t cap)
{
    wl_rc rc;

    /* the file's structure (every page read once) is checked by the sequencer before it writes */
    /* one read transaction: one snapshot, and no lock taken and dropped per statement */
    if (wl_store_begin_read(s) != WL_OK) {
        snprintf(why, cap, "cannot read the database: %s", wl_store_errmsg(s));
        return WL_ERR_CORRUPT;
    }
    rc = check_against_checkpoint(s, why, cap);
    if (wl_store_commit(s) != WL_OK && rc == WL_OK) {
        snprintf(why, cap, "cannot end a read: %s", wl_store_errmsg(s));
        rc = WL_ERR_CORRUPT;
    }
    return rc;
}

/* wl_startup_check's checks, inside its read transaction. */
static wl_rc check_against_checkpoint(wl_store *s, char *why, size_t cap)
{
    uint64_t size = 0, cps = 0;
    char *note = NULL, *data = NULL;
    size_t nlen = 0, dlen = 0;
    wl_note n;
    wl_checkpoint cp;
    uint8_t ok = 0, root[32], leaf[32], stored[32];
    wl_rc rc;

    if ((rc = wl_store_size(s, &size)) != WL_OK) {
        snprintf(why, cap, "cannot read the log: %s", wl_store_errmsg(s));
        return WL_ERR_CORRUPT;
    }
    rc = wl_store_checkpoint_latest(s, &cps, &note, &nlen);
    if (rc == WL_ERR_NOT_FOUND)
        return WL_OK;
    if (rc != WL_OK) {
        snprintf(why, cap, "cannot read the last checkpoint: %s", wl_store_errmsg(s));
        return WL_ERR_CORRUPT;
    }
    rc = WL_ERR_CORRUPT;
    if (wl_note_parse(note, nlen, &n) != WL_OK ||
        wl_note_verify(&n, &wl_srv->log_vkey, 1, &ok, NULL) != WL_OK ||
        wl_checkpoint_parse(n.text, n.text_len, &cp) != WL_OK || cp.size != cps) {
        snprintf(why, cap, "the last checkpoint is not signed by this log's key");
        goto out;
    }
    if (size < cp.size) {
        snprintf(why, cap,
                 "the log holds %llu entries but its last checkpoint covers %llu: the file was "
                 "truncated or rolled back",
                 (unsigned long long)size, (unsigned long long)cp.size);
        goto out;
    }
    if (wl_merkle_root(wl_store_hash_reader, s, cp.size, root) != WL_OK ||
        memcmp(root, cp.root, 32) != 0) {
        snprintf(why, cap, "the stored tree does not match the last checkpoint (size %llu)",
                 (unsigned long long)cp.size);
        goto out;
    }
    /* the last tile of every level: each stored hash recomputed from below it */
    for (uint64_t i = size > 256 ? size - 256 : 0; i < size; i++) {
        wl_free(data);
        data = NULL;
        if (wl_store_entry(s, i, &data, &dlen, NULL, NULL, NULL, NULL) != WL_OK ||
            wl_store_hash_get(s, 0, i, stored) != WL_OK) {
            snprintf(why, cap, "entry %llu cannot be read", (unsigned long long)i);
            goto out;
        }
        wl_merkle_leaf_hash(data, dlen, leaf);
        if (memcmp(leaf, stored, 32) != 0) {
            snprintf(why, cap, "entry %llu does not match its leaf hash", (unsigned long long)i);
            goto out;
        }
        if (!derived_match(s, i, data, dlen, leaf)) {
            snprintf(why, cap,
                     "entry %llu: its stored kind, author, seq, time or leaf hash is not what its "
                     "bytes say",
                     (unsigned long long)i);
            goto out;
        }
    }
    for (unsigned level = 1; level < 64 && (size >> level) > 0; level++) {
        uint64_t count = size >> level;
        for (uint64_t i = count > 256 ? count - 256 : 0; i < count; i++) {
            uint8_t l[32], r[32], want[32];
            if (wl_store_hash_get(s, level - 1, 2 * i, l) != WL_OK ||
                wl_store_hash_get(s, level - 1, 2 * i + 1, r) != WL_OK ||
                wl_store_hash_get(s, level, i, stored) != WL_OK) {
                snprintf(why, cap, "the Merkle hashes at level %u are incomplete", level);
                goto out;
            }
            wl_merkle_node_hash(l, r, want);
            if (memcmp(want, stored, 32) != 0) {
                snprintf(why, cap,
                         "the stored tree does not match the last checkpoint: hash %llu at "
                         "level %u differs from its children",
                         (unsigned long long)i, level);
                goto out;
            }
        }
    }
    /* the last full tile of every level, as stored for serving */
    for (unsigned tl = 0; tl < 8 && (size >> (8 * tl)) >= 256; tl++) {
        uint64_t last = (size >> (8 * tl)) / 256 - 1;
        uint8_t a[WL_TILE_BLOB_BYTES], b[WL_TILE_BLOB_BYTES];
        if (wl_store_tile_get(s, tl, last, a) != WL_OK ||
            wl_ledger_tile_blob(s, tl, last, b) != WL_OK || memcmp(a, b, sizeof a) != 0) {
            snprintf(why, cap, "the stored tile %u/%llu does not match the tree", tl,
                     (unsigned long long)last);
            goto out;
        }
    }
    rc = WL_OK;
    /* serve the stored checkpoint until the next is signed */
    pthread_mutex_lock(&wl_srv->mu);
    wl_free(wl_srv->cp_note); /* a standby's, taking over: the same or an older one */
    wl_srv->cp_note = note;
    wl_srv->cp_len = nlen;
    wl_srv->cp_size = cps;
    wl_srv->cp_cosigs = n.nsigs > 0 ? n.nsigs - 1 : 0;
    pthread_mutex_unlock(&wl_srv->mu);
    note = NULL;
out:
    wl_free(note);
    wl_free(data);
    return rc;
}
