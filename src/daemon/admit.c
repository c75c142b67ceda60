/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission control for `willing serve`'s HTTP front door: the header
 * deadline and the memory budget for request bodies. (The per-address and
 * global connection caps are libmicrohttpd options, set in http.c.)
 *
 * Header deadline. libmicrohttpd's connection timeout is an idle timeout: a
 * client sending one header line every few seconds never trips it. So every
 * connection is tracked here from accept (MHD_OPTION_NOTIFY_CONNECTION): it
 * is "waiting" until its request headers are complete (the access handler's
 * first call), and again after each response, when the next request's
 * headers are awaited. A sweeper thread shuts down (shutdown(2), not close:
 * the descriptor stays libmicrohttpd's) every connection still waiting past
 * its deadline; libmicrohttpd then sees end-of-file and closes it. The list
 * lock is held across the shutdown and taken by the close notification,
 * which libmicrohttpd sends before it closes the descriptor, so the sweeper
 * never touches a descriptor that was reused.
 *
 * Body budget. Bytes of request bodies held in memory across all
 * connections are counted against one budget, taken as they arrive (a body
 * only promised by its Content-Length holds none); a request that would go
 * over it is answered 503 with Retry-After (http.c, respond.c). docs/internals/daemon.md.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "admit.h"
#include "willing/wl.h"

typedef struct conn_s {
    struct conn_s *prev, *next;
    int fd;
    bool waiting;     /* for request headers */
    bool cut;         /* shut down by the sweeper */
    int64_t deadline; /* monotonic ms, while waiting */
} conn;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static conn *head;
static bool running, stopping;
static pthread_t sweeper;
static int64_t header_ms;

static _Atomic size_t body_used;
static size_t body_budget;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wl_admit_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn *k = wl_calloc(1, sizeof *k);
        *socket_context = k;
        if (k == NULL || ci == NULL) /* untracked: the idle timeout still applies */
            return;
        k->fd = ci->connect_fd;
        k->waiting = true;
        pthread_mutex_lock(&mu);
        k->deadline = now_ms() + header_ms;
        k->next = head;
        if (head)
            head->prev = k;
        head = k;
        pthread_mutex_unlock(&mu);
        return;
    }
    conn *k = *socket_context;
    if (k == NULL)
        return;
    pthread_mutex_lock(&mu);
    if (k->prev)
        k->prev->next = k->next;
    else if (head == k)
        head = k->next;
    if (k->next)
        k->next->prev = k->prev;
    pthread_mutex_unlock(&mu);
    wl_free(k);
    *socket_context = NULL;
}

static void set_waiting(struct MHD_Connection *c, bool waiting)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn *k = ci ? ci->socket_context : NULL;
    if (k == NULL)
        return;
    pthread_mutex_lock(&mu);
    k->waiting = waiting;
    if (waiting)
        k->deadline = now_ms() + header_ms;
    pthread_mutex_unlock(&mu);
}

void wl_admit_headers_in(struct MHD_Connection *c)
{
    set_waiting(c, false);
}

void wl_admit_request_done(struct MHD_Connection *c)
{
    set_waiting(c, true);
}

static void *sweep_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!stopping) {
        struct timespec ts;
        int64_t now = now_ms();
        unsigned n = 0;
        for (conn *k = head; k && n < 64; k = k->next) {
            if (k->waiting && !k->cut && now > k->deadline) {
                /* the descriptor is still libmicrohttpd's: it closes it */
                shutdown(k->fd, SHUT_RDWR);
                k->cut = true;
                n++;
            }
        }
        if (n == 64) {
            /* a flood: let the workers at the lock between batches */
            pthread_mutex_unlock(&mu);
            sched_yield();
            pthread_mutex_lock(&mu);
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 200 * 1000000L; /* 200 ms: a fifth of the finest deadline */
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&cv, &mu, &ts);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int wl_admit_start(unsigned header_timeout_s, size_t body_budget_bytes)
{
    pthread_condattr_t ca;
    header_ms = (int64_t)header_timeout_s * 1000;
    body_budget = body_budget_bytes;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &ca);
    pthread_condattr_destroy(&ca);
    stopping = false;
    if (pthread_create(&sweeper, NULL, sweep_main, NULL) != 0)
        return -1;
    running = true;
    return 0;
}

void wl_admit_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(sweeper, NULL);
    running = false;
}

bool wl_admit_body_room(size_t n)
{
    return n <= body_budget && atomic_load(&body_used) <= body_budget - n;
}

bool wl_admit_body_take(size_t n)
{
    size_t used = atomic_load(&body_used);
    do {
        if (n > body_budget || used > body_budget - n)
            return false;
    } while (!atomic_compare_exchange_weak(&body_used, &used, used + n));
    return true;
}

void wl_admit_body_give(size_t n)
{
    atomic_fetch_sub(&body_used, n);
}
