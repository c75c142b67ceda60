/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who asks (auth.c): RFC 9421 signed requests and console sessions
 * (session.c). The router authenticates a route's caller per its row
 * (route.h); these are what it, and a handler that authenticates on demand,
 * call. docs/internals/daemon.md.
 */
#ifndef WILLING_DAEMON_AUTH_H
#define WILLING_DAEMON_AUTH_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "willing/ledger.h"

typedef struct wl_req_s wl_req;

/* An authenticated requester. */
typedef struct {
    char member[65];
    char scope[17];
    uint32_t key_id;
    unsigned status; /* on failure: the HTTP status, code and message */
    const char *code;
    char msg[256];
    char nonce[129]; /* with defer_nonce: for the caller to record in its own job */
    int64_t nonce_expires;
    bool suspended; /* no verdict yet: the connection waits for the nonce to be durable */
} wl_auth;

/*
 * 0 when the request carries a valid RFC 9421 signature by a live key (or a
 * console session); -1 with a->status. A signature's nonce is made durable
 * without holding the worker: the first pass suspends the connection and
 * returns -1 with a->suspended set, the caller then returns
 * wl_auth_refuse (MHD_YES), and the request is routed again once the nonce is
 * durable, when this returns the verdict.
 */
int wl_authenticate(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a);
/* The same, but the nonce is left for the caller to record (wl_nonce_record) in its own job. */
int wl_authenticate_deferred(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a);
/* The answer to a failed wl_authenticate: its error, or nothing yet when suspended. */
enum MHD_Result wl_auth_refuse(struct MHD_Connection *c, const wl_auth *a);
/* Inside a sequencer job: records a's nonce once, or fails with replayed_request. */
wl_rc wl_nonce_record(wl_store *s, const wl_auth *a, wl_error *err);
/* The answer to a job that recorded a nonce and failed: 401 for a replay, else err's status. */
enum MHD_Result wl_auth_job_refuse(struct MHD_Connection *c, const wl_error *err);
/* The live session the request's cookie names: 0 and its fields, -1 if none, -2 if the database
 * could not be read (session.c). */
/* What a request whose session could not be checked is told (503 storage). */
#define WL_SESSION_UNREAD                                                                          \
    "the session cannot be checked: the database could not be read; try again later"
int wl_session_lookup(struct MHD_Connection *c, uint8_t token[32], char member[65],
                      uint32_t *key_id, char csrf[65]);

#endif
