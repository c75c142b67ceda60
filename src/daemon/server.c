/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state every part of `willing serve` shares (daemon.h): the server, set
 * up by serve.c before any thread starts, and each thread's read connection
 * to the ledger, opened on first use and closed together at shutdown. Below
 * every other file of the daemon: it calls none of them.
 */
#include <time.h>

#include "daemon.h"

wl_server *wl_srv;

static _Thread_local wl_store *tl_store;
/* every thread's read connection, closed together at shutdown */
static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_store *stores[128];
static size_t nstores;

bool wl_srv_wait(unsigned ms)
{
    struct timespec ts;
    bool stop;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&wl_srv->mu);
    if (!wl_srv->stopping)
        pthread_cond_timedwait(&wl_srv->cp_cv, &wl_srv->mu, &ts);
    stop = wl_srv->stopping;
    pthread_mutex_unlock(&wl_srv->mu);
    return stop;
}

uint64_t wl_register_gen(void)
{
    uint64_t g;
    pthread_mutex_lock(&wl_srv->mu);
    g = wl_srv->reg_gen;
    pthread_mutex_unlock(&wl_srv->mu);
    return g;
}

void wl_thread_keep_keys(wl_store *s)
{
    uint64_t g;
    bool keep;
    pthread_mutex_lock(&wl_srv->mu);
    g = wl_srv->reg_gen;
    keep = !wl_srv->read_only && !wl_srv->standby;
    pthread_mutex_unlock(&wl_srv->mu);
    wl_store_keep_keys(s, keep, g);
}

wl_store *wl_thread_store(void)
{
    if (tl_store == NULL) {
        pthread_mutex_lock(&stores_mu);
        if (nstores < sizeof stores / sizeof stores[0] &&
            wl_store_open(wl_srv->db_path, 0, &tl_store) == WL_OK)
            stores[nstores++] = tl_store;
        else
            tl_store = NULL;
        pthread_mutex_unlock(&stores_mu);
    }
    return tl_store;
}

void wl_thread_stores_close(void)
{
    pthread_mutex_lock(&stores_mu);
    for (size_t i = 0; i < nstores; i++)
        wl_store_close(stores[i]);
    nstores = 0;
    pthread_mutex_unlock(&stores_mu);
}
