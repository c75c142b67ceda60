/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Responses of `willing serve`: JSON answers and errors, raw bytes, the busy
 * 503, and the HTTP status of each library error code. It calls nothing of
 * the daemon above it (respond.h; docs/internals/daemon.md).
 *
 * Memory: a JSON answer's text is jansson's (json_dumps, malloc'd) and is
 * handed to libmicrohttpd, which frees it (MHD_RESPMEM_MUST_FREE); so is a
 * taken document's (wl_respond_taken: freed with wl_free).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "respond.h"

unsigned wl_status_for(wl_rc rc)
{
    switch (rc) {
    case WL_ERR_INVALID:
        return MHD_HTTP_BAD_REQUEST;
    case WL_ERR_TOO_LARGE:
        return MHD_HTTP_CONTENT_TOO_LARGE;
    case WL_ERR_SIGNATURE:
        return MHD_HTTP_FORBIDDEN;
    case WL_ERR_UNKNOWN_KEY:
        return MHD_HTTP_FORBIDDEN;
    case WL_ERR_REVOKED:
        return MHD_HTTP_FORBIDDEN;
    case WL_ERR_FORBIDDEN:
        return MHD_HTTP_FORBIDDEN;
    case WL_ERR_NOT_FOUND:
        return MHD_HTTP_NOT_FOUND;
    case WL_ERR_CONFLICT:
        return MHD_HTTP_CONFLICT;
    case WL_ERR_PROOF:
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case WL_ERR_UNAVAILABLE: /* a standby, or the database server away: retry */
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

unsigned wl_status_storage(wl_rc rc)
{
    return rc == WL_ERR_IO || rc == WL_ERR_UNAVAILABLE ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                       : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

enum MHD_Result wl_respond_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                                 const void *data, size_t len, const char *cache)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (cache)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Queues a document's response r (destroyed here) with its type and header pairs. */
static enum MHD_Result queue_doc(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
                                 const char *type, const char *const *headers)
{
    enum MHD_Result ret;
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result wl_respond_taken(struct MHD_Connection *c, unsigned status, const char *type,
                                 void *data, size_t len, const char *const *headers)
{
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, data, wl_free);
    if (r == NULL) {
        wl_free(data);
        return MHD_NO;
    }
    return queue_doc(c, status, r, type, headers);
}

/* The piece the stream's reader gives, or the end of the connection on its error. */
typedef struct {
    wl_respond_read_fn read;
    void *ctx;
    void (*ctx_free)(void *);
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *st = cls;
    ssize_t n = st->read(st->ctx, pos, buf, max);
    if (n == WL_RESPOND_END)
        return MHD_CONTENT_READER_END_OF_STREAM;
    return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    st->ctx_free(st->ctx);
    wl_free(st);
}

enum MHD_Result wl_respond_stream(struct MHD_Connection *c, unsigned status, const char *type,
                                  uint64_t size, wl_respond_read_fn read, void *ctx,
                                  void (*ctx_free)(void *), const char *const *headers)
{
    stream *st = wl_calloc(1, sizeof *st);
    struct MHD_Response *r = NULL;
    if (st == NULL) {
        ctx_free(ctx);
        return MHD_NO;
    }
    *st = (stream){read, ctx, ctx_free};
    r = MHD_create_response_from_callback(size, 64 * 1024, stream_read, st, stream_free);
    if (r == NULL) {
        stream_free(st);
        return MHD_NO;
    }
    return queue_doc(c, status, r, type, headers);
}

/*
 * Queues body (taken) as JSON, with one more header (name NULL: none); cors:
 * whether any origin may read it (not for an answer that sets a cookie).
 */
static enum MHD_Result respond_json(struct MHD_Connection *c, unsigned status, json_t *body,
                                    size_t flags, const char *name, const char *value, int cors)
{
    char *text = json_dumps(body, flags);
    struct MHD_Response *r;
    enum MHD_Result ret;
    json_decref(body);
    if (text == NULL)
        return MHD_NO;
    r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(text); /* jansson's */
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (name)
        MHD_add_response_header(r, name, value);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (cors)
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result wl_respond_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
    return respond_json(c, status, body, JSON_COMPACT, NULL, NULL, 1);
}

enum MHD_Result wl_respond_json_flags(struct MHD_Connection *c, unsigned status, json_t *body,
                                      size_t flags)
{
    return respond_json(c, status, body, flags, NULL, NULL, 1);
}

enum MHD_Result wl_respond_json_cookie(struct MHD_Connection *c, unsigned status, json_t *body,
                                       const char *cookie)
{
    return respond_json(c, status, body, JSON_COMPACT, MHD_HTTP_HEADER_SET_COOKIE, cookie, 0);
}

enum MHD_Result wl_respond_busy(struct MHD_Connection *c)
{
    return respond_json(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                        json_pack("{s:s, s:s}", "error", "busy", "message",
                                  "the server holds as many request bodies as it can: try "
                                  "again in a second"),
                        JSON_COMPACT, MHD_HTTP_HEADER_RETRY_AFTER, "1", 1);
}

enum MHD_Result wl_respond_error(struct MHD_Connection *c, unsigned status, const char *code,
                                 const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wl_respond_json(c, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
}

enum MHD_Result wl_respond_refused(struct MHD_Connection *c, const wl_error *err)
{
    return wl_respond_error(
        c, err->rc == WL_ERR_NOT_FOUND ? MHD_HTTP_NOT_FOUND : wl_status_for(err->rc), err->code,
        "%s", err->msg);
}

int wl_query_u64(struct MHD_Connection *c, const char *name, uint64_t *v)
{
    const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    char *end;
    if (s == NULL)
        return 0;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return *end || errno ? -1 : 0;
}
