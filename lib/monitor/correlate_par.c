/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Incidents (lib/monitor/correlate_int.h): a rebuild's queries gathered
 * ahead on threads. When every level is laid out before the first join, a
 * report's query reads only the laid out arrays and the reports' places,
 * which no join writes: the queries of the reports after v do not wait for
 * v's join. The reports go in blocks of CORR_PIPE_BLOCK; the threads, and
 * the rebuild's own thread while the block it needs next is not ready,
 * each take the next block and gather its reports' candidates into one of
 * CORR_PIPE_AHEAD buffers; the rebuild joins them in the canonical order,
 * as before, so the result is the same bytes. docs/internals/monitor.md
 * ("Incidents").
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "correlate_int.h"

#define CORR_PIPE_BLOCK 1024 /* reports a block */
#define CORR_PIPE_AHEAD 64   /* blocks gathered and not yet joined, at most */
#define CORR_PIPE_THREADS 8  /* at most, whatever the machine has */

typedef struct {
    corr_cands cand;                   /* the block's candidates, report after report */
    uint32_t off[CORR_PIPE_BLOCK + 1]; /* report i's are cand.v[off[i] .. off[i + 1]) */
    int done;                          /* gathered, not yet joined */
    wl_rc rc;
} pipe_block;

struct corr_pipe {
    const wl_corr *c;
    pipe_block *ring;             /* block k in ring[k % CORR_PIPE_AHEAD] */
    size_t nblocks, next, joined; /* the next block to take; blocks wholly joined */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t ready, room;
    pthread_t th[CORR_PIPE_THREADS];
    unsigned nth;
};

static void gather_block(corr_pipe *p, size_t k) /* without the lock */
{
    pipe_block *b = &p->ring[k % CORR_PIPE_AHEAD];
    uint32_t v0 = (uint32_t)(k * CORR_PIPE_BLOCK), v1 = v0 + CORR_PIPE_BLOCK, v;
    v1 = v1 > p->c->n ? (uint32_t)p->c->n : v1;
    b->cand.n = 0;
    b->rc = WL_OK;
    for (v = v0; v < v1; v++) {
        b->off[v - v0] = (uint32_t)b->cand.n;
        if (wl_corr_gather_into(p->c, v, &b->cand) != WL_OK) {
            b->rc = WL_ERR_NOMEM;
            break;
        }
    }
    b->off[v - v0] = (uint32_t)b->cand.n;
}

/* Take the next block if one may be taken (the lock held): gather it, mark it done. */
static int take(corr_pipe *p)
{
    size_t k;
    if (p->stop || p->next >= p->nblocks || p->next >= p->joined + CORR_PIPE_AHEAD)
        return 0;
    k = p->next++;
    pthread_mutex_unlock(&p->mu);
    gather_block(p, k);
    pthread_mutex_lock(&p->mu);
    p->ring[k % CORR_PIPE_AHEAD].done = 1;
    pthread_cond_broadcast(&p->ready);
    return 1;
}

static void *worker(void *arg)
{
    corr_pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->next < p->nblocks)
        if (!take(p))
            pthread_cond_wait(&p->room, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

corr_pipe *wl_corr_pipe_start(const wl_corr *c, unsigned threads)
{
    corr_pipe *p;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 1 ? 1 : n > CORR_PIPE_THREADS ? CORR_PIPE_THREADS : (unsigned)n;
    }
    threads = threads > CORR_PIPE_THREADS ? CORR_PIPE_THREADS : threads;
    if (threads < 2 || c->n < 2 * CORR_PIPE_BLOCK)
        return NULL; /* the rebuild gathers each report itself */
    p = wl_calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->ring = wl_calloc(CORR_PIPE_AHEAD, sizeof *p->ring);
    if (p->ring == NULL || pthread_mutex_init(&p->mu, NULL) != 0) {
        wl_free(p->ring);
        wl_free(p);
        return NULL;
    }
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->room, NULL);
    p->c = c;
    p->nblocks = (c->n + CORR_PIPE_BLOCK - 1) / CORR_PIPE_BLOCK;
    for (unsigned i = 0; i + 1 < threads; i++) /* the rebuild's thread is one of them */
        if (pthread_create(&p->th[p->nth], NULL, worker, p) == 0)
            p->nth++;
    return p;
}

wl_rc wl_corr_pipe_next(corr_pipe *p, uint32_t v, const uint32_t **cand, size_t *n)
{
    size_t k = v / CORR_PIPE_BLOCK, i = v % CORR_PIPE_BLOCK;
    pipe_block *b = &p->ring[k % CORR_PIPE_AHEAD];
    if (i == 0) { /* block k - 1 is joined: its buffer may take block k + AHEAD - 1 */
        pthread_mutex_lock(&p->mu);
        if (k > 0) {
            p->ring[(k - 1) % CORR_PIPE_AHEAD].done = 0;
            p->joined = k;
            pthread_cond_broadcast(&p->room);
        }
        while (!b->done)
            if (!take(p))
                pthread_cond_wait(&p->ready, &p->mu);
        pthread_mutex_unlock(&p->mu);
        if (b->rc != WL_OK)
            return b->rc; /* the block stopped short: the rebuild stops */
    }
    *cand = b->cand.v + b->off[i];
    *n = b->off[i + 1] - b->off[i];
    return WL_OK;
}

void wl_corr_pipe_end(corr_pipe *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    for (size_t i = 0; i < CORR_PIPE_AHEAD; i++)
        wl_free(p->ring[i].cand.v);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->mu);
    wl_free(p->ring);
    wl_free(p);
}
