/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP glue of `willing serve`: the libmicrohttpd access handler, the
 * framing and Host checks, admission (admit.c), body accumulation under the
 * ceiling of the request's route, and the call to the router (router.c),
 * which answers. A request's memory is freed in one place
 * (request_completed). docs/internals/daemon.md.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admit.h"
#include "daemon.h"
#include "http.h"
#include "readonly.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"

static void req_fail(wl_req *r, int status, const char *code, const char *msg)
{
    if (r->error_status)
        return;
    r->error_status = status;
    r->error_code = code;
    snprintf(r->error_msg, sizeof r->error_msg, "%s", msg);
}

/* ct is the media type want, with or without parameters. */
static bool is_type(const char *ct, const char *want)
{
    size_t n = strlen(want);
    if (ct == NULL || strncasecmp(ct, want, n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* What a request says about its own framing, from all its header fields. */
typedef struct {
    unsigned ncl, nte, nhost;
    const char *cl, *te;
    bool cl_differ;
    bool bad_name;
} framing;

static bool token_name(const char *k)
{
    if (k == NULL || k[0] == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        if (!isalnum(*p) && strchr("!#$%&'*+-.^_`|~", *p) == NULL)
            return false;
    return true;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    framing *f = cls;
    (void)kind;
    if (!token_name(key))
        f->bad_name = true;
    else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->ncl++ == 0)
            f->cl = value ? value : "";
        else if (strcmp(f->cl, value ? value : "") != 0)
            f->cl_differ = true;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->nte++;
        f->te = value ? value : "";
    } else if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
        f->nhost++;
    }
    return MHD_YES;
}

/*
 * The first call for a request, its headers complete and no byte of its body
 * read. Refuses what a proxy in front might frame differently from us
 * (request smuggling), then finds the route: what is refused here is
 * refused unread (libmicrohttpd closes the connection after an early answer).
 */
static enum MHD_Result begin(struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, wl_req *r)
{
    framing f = {0};
    const char *host, *ct;
    unsigned long long cl = 0;

    MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &f);
    if (f.bad_name)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_header",
                                "a header field name holds a character a name may not (no "
                                "whitespace between a name and its colon)");
    if (f.cl_differ)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "ambiguous_length",
                                "two Content-Length header fields that differ");
    if (f.nte > 0 && f.ncl > 0)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "ambiguous_length",
                                "both Content-Length and Transfer-Encoding: send one of them");
    if (f.nte > 1 || (f.nte == 1 && (strcasecmp(f.te, "chunked") != 0 ||
                                     strcmp(version, MHD_HTTP_VERSION_1_1) != 0)))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "ambiguous_length",
                                "the only Transfer-Encoding accepted is one \"chunked\", in "
                                "HTTP/1.1");
    if (strstr(r->uri, "%00") != NULL)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_path",
                                "the request target holds an encoded NUL (%%00)");
    if (f.nhost > 1)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_header",
                                "more than one Host header field");
    host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && (host == NULL || host[0] == '\0'))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "missing_host",
                                "HTTP/1.1 requests must carry a Host header");
    if (f.ncl > 0)
        cl = strtoull(f.cl, NULL, 10); /* libmicrohttpd has refused one not a number */
    r->route = wl_route_find(method, url);
    if (wl_srv->read_only && wl_readonly_refuses(r->route, method))
        return wl_readonly_refuse(c); /* before any byte of the body */
    if (r->route == NULL || r->route->body_max == 0) {
        if (cl > 0 || f.nte > 0) {
            /* a POST where none is taken: its 404 or 405 */
            if (strcmp(method, "POST") == 0 && (r->route == NULL || r->route->fn == NULL))
                return wl_route_call(r->route, c, method, url, r);
            return wl_respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
                                    "a %s request takes no body", method);
        }
        return MHD_YES;
    }
    r->max = r->route->body_max;
    if (r->route->flags & WL_ROUTE_RAW_BODY) {
        /* a document of any type, within serve --blob-max: refused unread when it says more */
        if (wl_srv->blob_max < r->max)
            r->max = wl_srv->blob_max;
        if (cl > r->max)
            return wl_respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                                    "%llu bytes is over this server's limit of %zu bytes for a "
                                    "blob (serve --blob-max)",
                                    cl, r->max);
    } else if (r->route->flags & WL_ROUTE_CSV_BODY) {
        ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!is_type(ct, "text/csv"))
            return wl_respond_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                    "send the body as Content-Type: text/csv");
    } else {
        ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!is_type(ct, "application/json"))
            return wl_respond_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                    "send the body as Content-Type: application/json");
    }
    if (cl > r->max)
        return wl_respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
                                "the body is over the limit of %zu bytes for %s", r->max, url);
    /*
     * Refused unread when the budget has no room for it now; the bytes are
     * taken as they come (take_body): a client that promises a body and
     * sends nothing holds none of the budget.
     */
    if (cl > 0) {
        if (!wl_admit_body_room((size_t)cl + 1))
            return wl_respond_busy(c);
        r->expect = (size_t)cl + 1;
    }
    return MHD_YES;
}

/* Keeps a chunk of the body, within the route's ceiling and the body budget. */
static void take_body(wl_req *r, const char *data, size_t n)
{
    size_t need = r->len + n + 1;
    if (r->error_status)
        return; /* already refused: the rest is dropped */
    if (r->len + n > r->max) {
        char m[128];
        bool raw = r->route && (r->route->flags & WL_ROUTE_RAW_BODY);
        snprintf(m, sizeof m, "the body is over the limit of %zu bytes%s", r->max,
                 raw ? " for a blob (serve --blob-max)" : "");
        req_fail(r, MHD_HTTP_CONTENT_TOO_LARGE, raw ? "too_large" : "body_too_large", m);
        return;
    }
    if (need > r->cap) {
        /* doubling, never past what Content-Length said: budget taken as bytes come */
        size_t nc = r->cap ? r->cap * 2 : 4096;
        if (r->expect && nc > r->expect)
            nc = r->expect;
        if (nc > r->max + 1)
            nc = r->max + 1;
        if (nc < need)
            nc = need;
        if (nc > r->reserved) {
            if (!wl_admit_body_take(nc - r->reserved)) {
                req_fail(r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "over the body budget");
                return;
            }
            r->reserved = nc;
        }
        char *nb = wl_realloc(r->body, nc);
        if (nb == NULL) {
            req_fail(r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "out of memory");
            return;
        }
        r->body = nb;
        r->cap = nc;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    wl_req *r = *con_cls;
    (void)cls;

    if (r == NULL)
        return MHD_NO; /* uri_logger always gives one */
    if (!r->begun) {
        r->begun = true;
        r->started = time(NULL);
        wl_admit_headers_in(c);
        return begin(c, url, method, version, r);
    }

    if (*upload_size > 0) {
        if (time(NULL) - r->started > (time_t)wl_srv->client_timeout) {
            /* a client trickling its body: cut it off */
            return MHD_NO;
        }
        take_body(r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }

    if (r->job != NULL) /* resumed by the sequencer */
        return r->done(c, r);
    if (r->error_status == MHD_HTTP_SERVICE_UNAVAILABLE)
        return wl_respond_busy(c);
    /* else a first pass, or one resumed after a wait that routes again (wl_req) */
    if (r->error_status)
        return wl_respond_error(c, (unsigned)r->error_status, r->error_code, "%s", r->error_msg);
    return wl_route_call(r->route, c, method, url, r);
}

/* Called first for every request: keeps the request target exactly as received. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    wl_req *r = wl_calloc(1, sizeof *r);
    (void)cls;
    (void)c;
    if (uri == NULL)
        uri = "";
    if (r != NULL && (r->uri = wl_strndup(uri, strlen(uri))) == NULL) {
        wl_free(r);
        r = NULL;
    }
    return r;
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    wl_req *r = *con_cls;
    (void)cls;
    (void)toe;
    if (r == NULL)
        return;
    if (r->job)
        wl_job_free(r->job);
    if (r->reserved)
        wl_admit_body_give(r->reserved);
    wl_admit_request_done(c);
    if (r->nonce_job)
        wl_job_free(r->nonce_job);
    if (r->held_free)
        r->held_free(r->held);
    wl_free(r->body);
    wl_free(r->uri);
    wl_free(r);
    *con_cls = NULL;
}

/*
 * libmicrohttpd's messages, at most a few a second: under a flood of
 * connections it reports every refused and cut one.
 */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
    static time_t window;
    static unsigned shown, dropped;
    time_t now = time(NULL);
    (void)cls;
    pthread_mutex_lock(&log_mu);
    if (now != window) {
        if (dropped)
            fprintf(stderr, "willing: %u more messages from the HTTP layer were not shown\n",
                    dropped);
        window = now;
        shown = dropped = 0;
    }
    if (shown < 5) {
        vfprintf(stderr, fmt, ap);
        shown++;
    } else {
        dropped++;
    }
    pthread_mutex_unlock(&log_mu);
}

struct MHD_Daemon *wl_http_start(const struct sockaddr *addr, unsigned threads, const char *cert,
                                 const char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
        {MHD_OPTION_END, 0, NULL},
    };
    if (cert)
        flags |= MHD_USE_TLS;
    /* the logger first: libmicrohttpd reports through its default one until it has ours */
    return MHD_start_daemon(
        flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, wl_srv->client_timeout, MHD_OPTION_CONNECTION_LIMIT,
        wl_srv->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, wl_srv->max_per_address,
        MHD_OPTION_NOTIFY_CONNECTION, wl_admit_notify, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        request_completed, NULL, MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL, MHD_OPTION_ARRAY,
        cert ? tls : tls + 2, MHD_OPTION_END);
}
