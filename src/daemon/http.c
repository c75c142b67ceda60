/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP layer of `willing serve`: the libmicrohttpd access handler, body
 * accumulation under a ceiling, the Host and Content-Type checks, routing,
 * and JSON responses. A request's memory is freed in one place
 * (request_completed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"

static _Thread_local wl_store *tl_store;
/* every thread's read connection, closed together at shutdown */
static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static wl_store *stores[128];
static size_t nstores;

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
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static void common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
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
    common_headers(r);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result wl_respond_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    enum MHD_Result ret;
    json_decref(body);
    if (text == NULL)
        return MHD_NO;
    size_t n = strlen(text);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    common_headers(r);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
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

static void req_fail(wl_req *r, int status, const char *code, const char *msg)
{
    if (r->error_status)
        return;
    r->error_status = status;
    r->error_code = code;
    snprintf(r->error_msg, sizeof r->error_msg, "%s", msg);
}

static bool is_json_type(const char *ct)
{
    size_t n = strlen("application/json");
    if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static enum MHD_Result route(struct MHD_Connection *c, const char *method, const char *url,
                             wl_req *r)
{
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;

    if (strncmp(url, "/log/", 5) == 0) {
        if (!get)
            return wl_respond_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                                    "%s is read-only: use GET", url);
        return wl_h_log(c, url + 5);
    }
    if (strcmp(url, "/api/v1/entries") == 0 && get)
        return wl_h_entries_list(c);
    if (strcmp(url, "/api/v1/entries") == 0 || strcmp(url, "/api/v1/entries:batch") == 0) {
        if (!post)
            return wl_respond_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                                    "use POST to append entries");
        return wl_h_entries_post(c, r, url[15] == ':');
    }
    if (strncmp(url, "/api/v1/entries/", 16) == 0 && get)
        return wl_h_entry_get(c, url + 16);
    if (strncmp(url, "/api/v1/proof/", 14) == 0 && get)
        return wl_h_proof(c, url + 14);
    if (strcmp(url, "/api/v1/login/challenge") == 0 && post)
        return wl_h_login_challenge(c, r);
    if (strcmp(url, "/api/v1/login") == 0 && post)
        return wl_h_login(c, r);
    if (strcmp(url, "/api/v1/session") == 0 && get)
        return wl_h_session(c);
    if (strcmp(url, "/api/v1/logout") == 0 && post)
        return wl_h_logout(c, method, r);
    if (strcmp(url, "/api/v1/whoami") == 0 && get)
        return wl_h_whoami(c, method, r);
    if (strcmp(url, "/api/v1/members") == 0 && get)
        return wl_h_members(c, method, r);
    if (strcmp(url, "/api/v1/members/announce") == 0 && post)
        return wl_h_member_announce(c, method, r);
    if (strcmp(url, "/api/v1/clearing/inputs") == 0 && get)
        return wl_h_clearing_inputs(c, method, r);
    if (strcmp(url, "/api/v1/coverage") == 0 && get)
        return wl_h_coverage(c, method, r);
    if (strcmp(url, "/api/v1/sealed") == 0 && get)
        return wl_h_sealed_mine(c, method, r);
    if (strcmp(url, "/api/v1/sealed") == 0 && post)
        return wl_h_sealed_post(c, method, r);
    if (strncmp(url, "/api/v1/sealed/", 15) == 0 && get)
        return wl_h_sealed_get(c, method, r, url + 15);
    if (get && strncmp(url, "/api/", 5) != 0)
        return wl_h_web(c, url);
    return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such resource: %s %s", method,
                            url);
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
        const char *host, *cl, *ct;
        r->begun = true;
        r->started = time(NULL);
        host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && (host == NULL || host[0] == '\0'))
            req_fail(r, MHD_HTTP_BAD_REQUEST, "missing_host",
                     "HTTP/1.1 requests must carry a Host header");
        if (strcmp(method, "POST") == 0) {
            r->max = strstr(url, ":batch") ? WL_BODY_MAX_BATCH : WL_BODY_MAX_ENTRY;
            ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
            if (!is_json_type(ct))
                req_fail(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                         "send the body as Content-Type: application/json");
            cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl != NULL && strtoull(cl, NULL, 10) > r->max) {
                char m[128];
                snprintf(m, sizeof m, "the body is over the limit of %zu bytes", r->max);
                req_fail(r, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", m);
            }
        }
        /* Refuse early what we already know is wrong: MHD then closes the connection. */
        if (r->error_status == MHD_HTTP_CONTENT_TOO_LARGE)
            return wl_respond_error(c, (unsigned)r->error_status, r->error_code, "%s",
                                    r->error_msg);
        return MHD_YES;
    }

    if (*upload_size > 0) {
        if (time(NULL) - r->started > (time_t)wl_srv->client_timeout) {
            /* a client trickling its body: cut it off */
            return MHD_NO;
        }
        if (!r->error_status) {
            if (r->len + *upload_size > r->max) {
                char m[128];
                snprintf(m, sizeof m, "the body is over the limit of %zu bytes", r->max);
                req_fail(r, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", m);
            } else {
                if (r->len + *upload_size + 1 > r->cap) {
                    size_t nc = r->cap ? r->cap : 4096;
                    while (nc < r->len + *upload_size + 1)
                        nc *= 2;
                    char *nb = realloc(r->body, nc);
                    if (nb == NULL)
                        return MHD_NO;
                    r->body = nb;
                    r->cap = nc;
                }
                memcpy(r->body + r->len, upload, *upload_size);
                r->len += *upload_size;
                r->body[r->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }

    if (r->job != NULL) /* resumed by the sequencer */
        return r->done ? r->done(c, r) : wl_h_entries_done(c, r);
    if (r->error_status)
        return wl_respond_error(c, (unsigned)r->error_status, r->error_code, "%s", r->error_msg);
    return route(c, method, url, r);
}

/* Called first for every request: keeps the request target exactly as received. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    wl_req *r = calloc(1, sizeof *r);
    (void)cls;
    (void)c;
    if (r != NULL && (r->uri = strdup(uri ? uri : "")) == NULL) {
        free(r);
        r = NULL;
    }
    return r;
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    wl_req *r = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (r == NULL)
        return;
    if (r->job)
        wl_job_free(r->job);
    free(r->body);
    free(r->uri);
    free(r);
    *con_cls = NULL;
}

struct MHD_Daemon *wl_http_start(const struct sockaddr *addr, unsigned threads, const char *cert,
                                 const char *key);

struct MHD_Daemon *wl_http_start(const struct sockaddr *addr, unsigned threads, const char *cert,
                                 const char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (cert)
        flags |= MHD_USE_TLS;
    if (cert)
        return MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, addr,
                                MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
                                wl_srv->client_timeout, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
                                MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
                                MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
                                MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
                                MHD_OPTION_END);
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, addr,
                            MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
                            wl_srv->client_timeout, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
                            MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL, MHD_OPTION_END);
}
