/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP glue of `willing serve` (http.c): libmicrohttpd's daemon, a
 * request's state from its headers to its answer, and the start of it.
 * docs/internals/daemon.md.
 */
#ifndef WILLING_DAEMON_HTTP_H
#define WILLING_DAEMON_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>
#include <time.h>

#include "auth.h"
#include "sequencer.h"

typedef struct wl_route wl_route;

/* A request's state, freed in one place when the response is done (http.c). */
typedef struct wl_req_s {
    char *uri; /* the request target as received (path and query) */
    bool begun;
    const wl_route *route; /* its row, found from its headers (route.h; NULL: none) */
    char *body;
    size_t len, cap, max;
    size_t expect;   /* Content-Length + 1, or 0 (chunked, or no body) */
    size_t reserved; /* bytes taken from the body budget (admit.c), given back when done */
    int error_status;
    const char *error_code;
    char error_msg[256];
    time_t started;
    wl_job *job;     /* a write waiting for the sequencer */
    wl_done_fn done; /* the answer once the sequencer resumes the connection */
    /*
     * Waits that route the request again when the connection resumes (a worker
     * never waits on a disk or a long computation, docs/internals/daemon.md):
     * a signed request's nonce being made durable (auth.c), whose verdict the
     * second pass takes from here; a view computed on another thread (a
     * coverage view), handed over in held and freed with held_free.
     */
    wl_job *nonce_job;
    wl_auth nonce_auth;
    bool held_ready;
    void *held;
    void (*held_free)(void *);
} wl_req;

/* Starts libmicrohttpd on addr (TLS when cert and key, PEM, are given), or NULL. */
struct MHD_Daemon *wl_http_start(const struct sockaddr *addr, unsigned threads, const char *cert,
                                 const char *key);

#endif
