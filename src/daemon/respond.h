/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Responses of `willing serve` (respond.c): every answer's bytes and headers.
 * The bottom of the daemon's HTTP side: it calls nothing of the daemon, and
 * the router (router.c), the handlers and the HTTP glue (http.c) all answer
 * through it. Errors are {"error": code, "message": text}
 * (docs/internals/daemon.md lists the codes).
 */
#ifndef WILLING_DAEMON_RESPOND_H
#define WILLING_DAEMON_RESPOND_H

#include <microhttpd.h>

#include <jansson.h>

#include "willing/wl.h"

/* Queues body (taken, also on failure) as JSON, Cache-Control: no-store. */
enum MHD_Result wl_respond_json(struct MHD_Connection *c, unsigned status, json_t *body);
/* The same written with jansson's flags (JSON_COMPACT | JSON_REAL_PRECISION(n): reals short). */
enum MHD_Result wl_respond_json_flags(struct MHD_Connection *c, unsigned status, json_t *body,
                                      size_t flags);
/* The same with a Set-Cookie header (and no Access-Control-Allow-Origin): console sessions. */
enum MHD_Result wl_respond_json_cookie(struct MHD_Connection *c, unsigned status, json_t *body,
                                       const char *cookie);
/* {"error": code, "message": the formatted text} (at most 511 bytes of it). */
enum MHD_Result wl_respond_error(struct MHD_Connection *c, unsigned status, const char *code,
                                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* len bytes of data (copied) of this Content-Type; cache, if not NULL, as Cache-Control. */
enum MHD_Result wl_respond_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                                 const void *data, size_t len, const char *cache);
/*
 * len bytes of data (taken: freed with wl_free, also on failure; NULL with len
 * 0: no body) of this Content-Type (NULL: none), with the header name/value
 * pairs of headers (NULL-terminated, or NULL): a document served as stored
 * (blobs), never copied.
 */
enum MHD_Result wl_respond_taken(struct MHD_Connection *c, unsigned status, const char *type,
                                 void *data, size_t len, const char *const *headers);
/*
 * size bytes of this Content-Type that read(ctx, pos, buf, max) gives piece by
 * piece as the client takes them (the bytes it put in buf, or -1 on an error,
 * which ends the connection), ctx freed with ctx_free when done (also on
 * failure); headers as for wl_respond_taken. A large document is never whole
 * in memory. size WL_RESPOND_SIZE_UNKNOWN: sent chunked, read returning
 * WL_RESPOND_END when the document is whole.
 */
#define WL_RESPOND_SIZE_UNKNOWN UINT64_MAX
#define WL_RESPOND_END ((ssize_t)-2)
typedef ssize_t (*wl_respond_read_fn)(void *ctx, uint64_t pos, char *buf, size_t max);
enum MHD_Result wl_respond_stream(struct MHD_Connection *c, unsigned status, const char *type,
                                  uint64_t size, wl_respond_read_fn read, void *ctx,
                                  void (*ctx_free)(void *), const char *const *headers);
/* 503 busy with Retry-After: 1, when the body budget is spent for now (admit.c). */
enum MHD_Result wl_respond_busy(struct MHD_Connection *c);
/* The HTTP status of a library error code. */
unsigned wl_status_for(wl_rc rc);
/* A read of the store that failed with rc: 503 when the database is away or its I/O failed
 * (WL_ERR_IO, WL_ERR_UNAVAILABLE: PostgreSQL down or the connection lost; retry), else 500. */
unsigned wl_status_storage(wl_rc rc);
/* A view's refusal as its error: 404 for WL_ERR_NOT_FOUND, else wl_status_for's status. */
enum MHD_Result wl_respond_refused(struct MHD_Connection *c, const wl_error *err);
/* The query's whole number name into *v (left as it is when absent); -1 when it is not one. */
int wl_query_u64(struct MHD_Connection *c, const char *name, uint64_t *v);

#endif
