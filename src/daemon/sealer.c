/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sealer: at every batch deadline (every --seal-interval seconds) it
 * publishes the commitments received for that batch as `sealed` envelopes
 * signed by the operator, padded with random dummy commitments to a multiple
 * of --seal-batch, in random order, all with the batch's deadline as their
 * time and seq: so neither timing, order, size nor count ties an envelope to
 * a member. A batch is published even when nothing was sealed. The envelopes
 * and the record of which commitment went where are one transaction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "daemon.h"
#include "sequencer.h"
#include "threads.h"

typedef struct {
    wl_pending *items;
    size_t n;
    uint8_t (*real)[32]; /* the real commitments */
    size_t *slot;        /* slot of each real commitment */
    size_t nreal;
    uint64_t first;
} batch_arg;

/* Batches that failed in a row (the sealer's thread alone touches it). */
static unsigned long failures;

/*
 * A batch's failure on stderr, said when failures begin and not at every batch of an outage
 * (the database away for minutes, batches every second); batch_went_through says the end.
 */
static void failed(const char *fmt, ...)
{
    va_list ap;
    if (failures++ > 0)
        return;
    va_start(ap, fmt);
    fputs("willing: sealer: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (said once until a batch goes through)\n", stderr);
}

static void batch_went_through(void)
{
    if (failures > 0)
        fprintf(stderr, "willing: sealer: batches resumed after %lu failures\n", failures);
    failures = 0;
}

static wl_rc publish(wl_store *s, void *arg, wl_error *err)
{
    batch_arg *b = arg;
    uint64_t *idx = wl_calloc(b->n, sizeof *idx);
    wl_rc rc = WL_OK;
    if (idx == NULL)
        return WL_ERR_NOMEM;
    for (size_t i = 0; i < b->n && rc == WL_OK; i++) {
        int existed = 0;
        rc = wl_ledger_sequence(s, &b->items[i], &idx[i], &existed, err);
        if (rc == WL_OK && existed)
            rc = wl_error_set(err, WL_ERR_CONFLICT, "seq_conflict", "envelope seq reused");
    }
    for (size_t i = 0; i < b->nreal && rc == WL_OK; i++)
        rc = wl_store_sealed_published(s, b->real[i], idx[b->slot[i]]);
    wl_free(idx);
    return rc;
}

/*
 * Publishes slots [from, to) of a batch as one transaction. Chunks keep each
 * transaction (and the sequencer's pause for it) and the memory they take small,
 * however many commitments a batch has.
 */
static int publish_chunk(wl_store *s, uint8_t (*slots)[32], const size_t *real_of, size_t from,
                         size_t to, int64_t deadline)
{
    size_t n = to - from, nreal = 0;
    uint8_t(*real)[32] = wl_malloc(n * 32);
    size_t *slot = wl_malloc(n * sizeof *slot);
    batch_arg b;
    wl_job job;
    wl_error err;
    int ok = 0;

    memset(&err, 0, sizeof err); /* named below even when only wl_entry_build failed */
    memset(&b, 0, sizeof b);
    b.items = wl_calloc(n, sizeof *b.items);
    if (real == NULL || slot == NULL || b.items == NULL)
        goto out;
    for (size_t i = from; i < to; i++) {
        char body[80], cb[45], *e = NULL;
        size_t elen = 0;
        wl_b64_encode(slots[i], 32, cb);
        snprintf(body, sizeof body, "{\"commitment\":\"%s\"}", cb);
        if (wl_entry_build(wl_srv->origin, "sealed", wl_srv->op_id,
                           (uint64_t)deadline * 1000000u + i, deadline, body, &wl_srv->op_key, &e,
                           &elen) != WL_OK ||
            wl_ledger_precheck(s, wl_srv->origin, e, elen, &b.items[i - from], &err) != WL_OK) {
            failed("cannot build an envelope: %s", e && err.msg[0] ? err.msg : "out of memory");
            wl_free(e);
            goto out;
        }
        b.n = i - from + 1;
        if (real_of[i] != SIZE_MAX) {
            memcpy(real[nreal], slots[i], 32);
            slot[nreal++] = i - from;
        }
    }
    b.real = real;
    b.slot = slot;
    b.nreal = nreal;
    memset(&job, 0, sizeof job);
    job.fn = publish;
    job.arg = &b;
    wl_sequencer_run(&job);
    if (job.failed)
        failed("envelopes not published: %s", job.err.msg);
    ok = !job.failed;
out:
    for (size_t i = 0; i < b.n; i++) {
        char *bytes = (char *)b.items[i].e.bytes;
        wl_pending_clear(&b.items[i]);
        wl_free(bytes);
    }
    wl_free(b.items);
    wl_free(real);
    wl_free(slot);
    return ok;
}

/*
 * Publishes what is due by `deadline`: every commitment whose batch closes then
 * or earlier (a batch is named by its deadline, so what was scheduled under
 * another --seal-interval is published with the first batch after its own).
 */
static void run_batch(wl_store *s, int64_t deadline)
{
    size_t n = 0, total = 0, from, k = wl_srv->seal_batch;
    uint8_t(*real)[32] = wl_malloc(WL_SEAL_BATCH_READ * 32);
    uint8_t(*slots)[32] = NULL;
    size_t *order = NULL, *real_of = NULL;

    if (real == NULL || wl_store_sealed_due(s, deadline, real, WL_SEAL_BATCH_READ, &n) != WL_OK) {
        failed("cannot read pending commitments");
        goto out;
    }
    total = n <= k ? k : (n + k - 1) / k * k;
    slots = wl_malloc(total * 32);
    order = wl_malloc(total * sizeof *order);
    real_of = wl_malloc(total * sizeof *real_of);
    if (slots == NULL || order == NULL || real_of == NULL)
        goto out;
    /* a random permutation: real commitments and dummies take random slots */
    for (size_t i = 0; i < total; i++)
        order[i] = i;
    for (size_t i = total; i > 1; i--) {
        size_t j = randombytes_uniform((uint32_t)i), t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < total; i++) {
        real_of[order[i]] = i < n ? i : SIZE_MAX;
        if (i < n)
            memcpy(slots[order[i]], real[i], 32);
        else
            randombytes_buf(slots[order[i]], 32);
    }
    /* what a chunk that fails leaves stays pending for the next batch */
    for (from = 0; from < total; from += WL_SEAL_CHUNK)
        if (!publish_chunk(s, slots, real_of, from,
                           from + WL_SEAL_CHUNK < total ? from + WL_SEAL_CHUNK : total, deadline))
            break;
    if (from >= total)
        batch_went_through();
out:
    /* the permutation says which slots are dummies: it does not outlive the batch */
    if (order)
        sodium_memzero(order, total * sizeof *order);
    if (real_of)
        sodium_memzero(real_of, total * sizeof *real_of);
    wl_free(slots);
    wl_free(order);
    wl_free(real_of);
    wl_free(real);
}

void *wl_sealer_main(void *arg)
{
    wl_store *s = arg;
    int64_t interval = (int64_t)wl_srv->seal_interval;
    int64_t next = ((int64_t)time(NULL) / interval + 1) * interval;
    for (;;) {
        struct timespec ts;
        bool stop;
        clock_gettime(CLOCK_REALTIME, &ts);
        if ((int64_t)ts.tv_sec >= next) {
            pthread_mutex_lock(&wl_srv->mu);
            stop = wl_srv->standby; /* the writer seals; its batches are its own */
            pthread_mutex_unlock(&wl_srv->mu);
            if (!stop)
                run_batch(s, next);
            next = ((int64_t)time(NULL) / interval + 1) * interval;
        }
        ts.tv_sec += 1;
        pthread_mutex_lock(&wl_srv->mu);
        if (!wl_srv->stopping)
            pthread_cond_timedwait(&wl_srv->cp_cv, &wl_srv->mu, &ts);
        stop = wl_srv->stopping;
        pthread_mutex_unlock(&wl_srv->mu);
        if (stop)
            break;
    }
    return NULL;
}
