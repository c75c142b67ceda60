/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission control (admit.c): the header deadline and the body budget.
 * wl_admit_notify is libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback;
 * wl_admit_headers_in marks a connection's request headers complete (the
 * access handler's first call); wl_admit_request_done starts the deadline
 * for the next request on the connection.
 */
#ifndef WILLING_DAEMON_ADMIT_H
#define WILLING_DAEMON_ADMIT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

int wl_admit_start(unsigned header_timeout_s, size_t body_budget_bytes);
void wl_admit_stop(void);
void wl_admit_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe);
void wl_admit_headers_in(struct MHD_Connection *c);
void wl_admit_request_done(struct MHD_Connection *c);
/* Whether n bytes more would fit in the body budget now (nothing taken). */
bool wl_admit_body_room(size_t n);
/* Takes n bytes from the body budget; false (nothing taken) if that would go over it. */
bool wl_admit_body_take(size_t n);
void wl_admit_body_give(size_t n);

#endif
