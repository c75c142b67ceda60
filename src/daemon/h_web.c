/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console (issue 4): the pages under web/ and their files, served by the
 * daemon itself, and the Atom feed of announcements.
 *   GET /, /explorer, /entry/<i>, /member, /coordinator  the pages (HTML)
 *   GET /static/<file>                                     web/<file>: js, css, svg
 *   GET /feed.atom                                         announcements, newest first
 * Pages carry a Content-Security-Policy with no inline script or style, and
 * nothing is loaded from elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "willing/ledger.h"

#define WEB_FILE_MAX (2u << 20)

static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
    };
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* Names under web/: lower-case letters, digits, - _ . and /, no "..", a known type. */
static int safe_name(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > 200 || p[0] == '/' || strstr(p, "..") || strstr(p, "//"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-' ||
              p[i] == '_' || p[i] == '.' || p[i] == '/'))
            return 0;
    return type_of(p) != NULL;
}

static enum MHD_Result send_file(struct MHD_Connection *c, const char *name, int page)
{
    char path[4400];
    struct stat st;
    struct MHD_Response *r;
    enum MHD_Result ret;
    int fd;
    snprintf(path, sizeof path, "%s/%s", wl_srv->web_dir, name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > WEB_FILE_MAX) {
        if (fd >= 0)
            close(fd);
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no such page or file: see / for the console");
    }
    r = MHD_create_response_from_fd((uint64_t)st.st_size, fd); /* owns fd */
    if (r == NULL) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type_of(name));
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    if (page) {
        MHD_add_response_header(r, "X-Frame-Options", "DENY");
        MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    }
    ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* XML text: & < > " escaped, control characters dropped. */
static void xml_append(wl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        const char *rep = NULL;
        char one[2] = {*s, 0};
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                continue;
            rep = one;
        }
        (void)!wl_buf_append(b, rep, strlen(rep), 8u << 20);
    }
}

static void rfc3339(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct {
    wl_buf *b;
    const char *host;
    char tag[WL_ORIGIN_MAX + 32]; /* tag:<domain>,2025:<path>: stable ids (RFC 4151) */
    int n;
} feed_ctx;

static wl_rc feed_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    feed_ctx *f = ctx;
    wl_entry e;
    json_t *revealed = NULL;
    char ts[32], line[512];
    const char *text;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    revealed = wl_revealed(&e);
    rfc3339(e.time, ts, sizeof ts);
    snprintf(line, sizeof line,
             "<entry><id>%s/entry/%llu</id><updated>%s</updated>"
             "<link rel=\"alternate\" href=\"http://%s/entry/%llu\"/><author><name>",
             f->tag, (unsigned long long)index, ts, f->host, (unsigned long long)index);
    (void)!wl_buf_append(f->b, line, strlen(line), 8u << 20);
    xml_append(f->b, revealed ? json_string_value(json_object_get(revealed, "author")) : e.author);
    (void)!wl_buf_append(f->b, "</name></author><title>", 23, 8u << 20);
    if (revealed &&
        strcmp(json_string_value(json_object_get(revealed, "kind")), "member.add") == 0) {
        json_t *rb = json_object_get(revealed, "body");
        snprintf(line, sizeof line, "%s announces its membership (%s)",
                 json_string_value(json_object_get(rb, "name")),
                 json_string_value(json_object_get(rb, "role")));
        xml_append(f->b, line);
    } else if (revealed) {
        json_t *rb = json_object_get(revealed, "body");
        snprintf(line, sizeof line, "%s announces a %s: %s %s %s",
                 json_string_value(json_object_get(revealed, "author")),
                 json_string_value(json_object_get(revealed, "kind")),
                 json_string_value(json_object_get(rb, "category"))
                     ? json_string_value(json_object_get(rb, "category"))
                     : "",
                 json_string_value(json_object_get(rb, "quantity"))
                     ? json_string_value(json_object_get(rb, "quantity"))
                     : "",
                 json_string_value(json_object_get(rb, "unit"))
                     ? json_string_value(json_object_get(rb, "unit"))
                     : "");
        xml_append(f->b, line);
    } else {
        text = json_string_value(json_object_get(e.body_json, "text"));
        snprintf(line, sizeof line, "%s: %.200s", e.author, text ? text : "");
        xml_append(f->b, line);
    }
    (void)!wl_buf_append(f->b, "</title><content type=\"text\">", 29, 8u << 20);
    if (revealed) {
        char *t = json_dumps(json_object_get(revealed, "body"), JSON_COMPACT);
        xml_append(f->b, t);
        free(t);
    } else {
        text = json_string_value(json_object_get(e.body_json, "text"));
        xml_append(f->b, text);
        if (json_string_value(json_object_get(e.body_json, "source"))) {
            xml_append(f->b, "\nSource: ");
            xml_append(f->b, json_string_value(json_object_get(e.body_json, "source")));
        }
    }
    (void)!wl_buf_append(f->b, "</content></entry>\n", 19, 8u << 20);
    json_decref(revealed);
    wl_entry_clear(&e);
    f->n++;
    return WL_OK;
}

/* GET /feed.atom: statements and announced sealed content, newest first (the last 200). */
static enum MHD_Result feed(struct MHD_Connection *c)
{
    wl_store *s = wl_thread_store();
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    wl_buf b = {0};
    feed_ctx f;
    const char *slash = strchr(wl_srv->origin, '/');
    char head[1024], ts[32];
    enum MHD_Result ret;
    wl_rc rc;
    wl_entry_query q = wl_entry_query_all();
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    memset(&f, 0, sizeof f);
    f.b = &b;
    f.host = host ? host : "localhost";
    snprintf(f.tag, sizeof f.tag, "tag:%.*s,2025:%s",
             (int)(slash ? (size_t)(slash - wl_srv->origin) : strlen(wl_srv->origin)),
             wl_srv->origin, slash ? slash + 1 : "log");
    rfc3339(time(NULL), ts, sizeof ts);
    snprintf(head, sizeof head,
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>%s/announcements</id>"
             "<title>%s: announcements</title><updated>%s</updated>"
             "<link rel=\"self\" href=\"http://%s/feed.atom\"/>\n",
             f.tag, wl_srv->origin, ts, f.host);
    (void)!wl_buf_append(&b, head, strlen(head), 8u << 20);
    q.kinds[0] = "statement";
    q.kinds[1] = "announce";
    q.limit = 200;
    q.newest_first = 1;
    rc = wl_store_entries_query(s, &q, feed_entry, &f);
    (void)!wl_buf_append(&b, "</feed>\n", 8, 8u << 20);
    if (rc != WL_OK) {
        wl_buf_free(&b);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    }
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/atom+xml; charset=utf-8", b.buf, b.len,
                           "no-cache");
    wl_buf_free(&b);
    return ret;
}

enum MHD_Result wl_h_web(struct MHD_Connection *c, const char *url)
{
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
        return send_file(c, "index.html", 1);
    if (strcmp(url, "/explorer") == 0 || strncmp(url, "/entry/", 7) == 0)
        return send_file(c, "explorer.html", 1);
    if (strcmp(url, "/member") == 0)
        return send_file(c, "member.html", 1);
    if (strcmp(url, "/coordinator") == 0)
        return send_file(c, "coordinator.html", 1);
    if (strcmp(url, "/feed.atom") == 0)
        return feed(c);
    if (strncmp(url, "/static/", 8) == 0 && safe_name(url + 8))
        return send_file(c, url + 8, 0);
    return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                            "no such page: the console is at /, the log at /log/checkpoint");
}
