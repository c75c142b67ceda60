/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A batch's entries prechecked on several threads. wl_ledger_precheck is
 * read-only and may run on any thread in parallel (include/willing/ledger.h):
 * a pool of threads started by serve.c, each with a store of its own, helps
 * the request's worker with a batch of WL_PRECHECK_MIN entries or more (an
 * import of 100,000 flow rows is 100 entries of 1,000 rows, each parsed,
 * its rows checked and its signature verified). The answer is the one of
 * the entries taken in order: the first refused with its error, the work on
 * the others undone. docs/internals/daemon.md ("Batches").
 */
#include <pthread.h>
#include <unistd.h>

#include "daemon.h"
#include "precheck.h"

#define PRECHECK_THREADS 7 /* helpers at most, whatever the machine has */

typedef struct pc_job {
    struct pc_job *next;
    const char *origin;
    char *const *bytes;
    const size_t *lens;
    size_t n;
    wl_pending *items;
    wl_rc *rc;
    wl_error *err;    /* one a entry */
    size_t taken;     /* entries taken so far */
    size_t bad;       /* the first entry refused so far (n: none): none after it is taken */
    unsigned helpers; /* the pool's threads on it now */
    pthread_cond_t idle;
} pc_job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pc_job *jobs; /* the batches being prechecked */
static bool stopping;
static pthread_t threads[PRECHECK_THREADS];
static wl_store *stores[PRECHECK_THREADS];
static unsigned nthreads;

/* Entries of j until none is left to take, with the store s (the lock not held). */
static void work(pc_job *j, wl_store *s)
{
    for (;;) {
        size_t i;
        pthread_mutex_lock(&mu);
        if (j->taken >= j->n || j->taken > j->bad) {
            pthread_mutex_unlock(&mu);
            return;
        }
        i = j->taken++;
        pthread_mutex_unlock(&mu);
        j->rc[i] =
            wl_ledger_precheck(s, j->origin, j->bytes[i], j->lens[i], &j->items[i], &j->err[i]);
        if (j->rc[i] != WL_OK) {
            pthread_mutex_lock(&mu);
            if (i < j->bad)
                j->bad = i;
            pthread_mutex_unlock(&mu);
        }
    }
}

static void *helper_main(void *arg)
{
    wl_store *s = arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        pc_job *j = jobs;
        while (j && (j->taken >= j->n || j->taken > j->bad))
            j = j->next;
        if (j == NULL) {
            if (stopping)
                break;
            pthread_cond_wait(&work_cv, &mu);
            continue;
        }
        j->helpers++;
        pthread_mutex_unlock(&mu);
        work(j, s);
        pthread_mutex_lock(&mu);
        if (--j->helpers == 0)
            pthread_cond_signal(&j->idle);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

void wl_precheck_start(const char *db)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned want = cores > 2 ? (unsigned)(cores - 1) : 1; /* one at least: the path is tested */
    want = want > PRECHECK_THREADS ? PRECHECK_THREADS : want;
    for (unsigned i = 0; i < want; i++) {
        if (wl_store_open(db, 0, &stores[nthreads]) != WL_OK)
            break; /* fewer helpers: the worker does the rest */
        if (pthread_create(&threads[nthreads], NULL, helper_main, stores[nthreads]) != 0) {
            wl_store_close(stores[nthreads]);
            break;
        }
        nthreads++;
    }
}

void wl_precheck_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&mu);
    for (unsigned i = 0; i < nthreads; i++) {
        pthread_join(threads[i], NULL);
        wl_store_close(stores[i]);
    }
    nthreads = 0;
}

static size_t precheck_in_order(wl_store *s, const char *origin, char *const *bytes,
                                const size_t *lens, size_t n, wl_pending *items, wl_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (wl_ledger_precheck(s, origin, bytes[i], lens[i], &items[i], err) != WL_OK)
            return i;
    return n;
}

size_t wl_precheck_all(wl_store *s, const char *origin, char *const *bytes, const size_t *lens,
                       size_t n, wl_pending *items, wl_error *err)
{
    pc_job j = {.origin = origin, .bytes = bytes, .lens = lens, .n = n, .items = items, .bad = n};
    pc_job **p;
    if (n < WL_PRECHECK_MIN || nthreads == 0)
        return precheck_in_order(s, origin, bytes, lens, n, items, err);
    j.rc = wl_calloc(n, sizeof *j.rc);
    j.err = wl_calloc(n, sizeof *j.err);
    if (j.rc == NULL || j.err == NULL) {
        wl_free(j.rc);
        wl_free(j.err);
        return precheck_in_order(s, origin, bytes, lens, n, items, err);
    }
    pthread_cond_init(&j.idle, NULL);
    pthread_mutex_lock(&mu);
    j.next = jobs;
    jobs = &j;
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&mu);
    work(&j, s);
    pthread_mutex_lock(&mu);
    for (p = &jobs; *p != &j; p = &(*p)->next)
        ;
    *p = j.next; /* no helper takes it up now */
    while (j.helpers)
        pthread_cond_wait(&j.idle, &mu);
    pthread_mutex_unlock(&mu);
    pthread_cond_destroy(&j.idle);
    if (j.bad < n) { /* the others' work undone: those before it are the caller's */
        *err = j.err[j.bad];
        for (size_t i = j.bad + 1; i < j.taken; i++)
            if (j.rc[i] == WL_OK)
                wl_pending_clear(&items[i]);
    }
    wl_free(j.rc);
    wl_free(j.err);
    return j.bad;
}
