/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console (issue 4): the pages under web/ and their files, served by the
 * daemon itself, and the Atom feed of announcements.
 *   GET /, /explorer, /entry/<i>, /member, /coordinator, /flows, /deal, /daily,
 *       /monitor, /pressure                              the pages (HTML)
 *   GET /static/<file>                                   web/<file>: js, css, svg
 *   GET /vendor/leaflet/<file>                           Leaflet, from Debian's libjs-leaflet
 *                                                        (WL_LEAFLET_DIR)
 *   GET /geo/<file>                                      the map's oblast boundaries, as the
 *                                                        build simplified them (WL_GEO_DIR, or
 *                                                        PREFIX/share/willing/geo installed)
 *   GET /feed.atom[?to=I]                                announcements, newest first,
 *                                                        links from --public-url
 * Pages carry a Content-Security-Policy with no inline script or style, and
 * nothing is loaded from elsewhere; the explorer's alone may also fetch a mirror's
 * static log files (https, or http on loopback).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "entries.h"
#include "readonly.h"
#include "respond.h"
#include "route.h"
#include "willing/ledger.h"

static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";
/* The explorer may also read a log's static files from a mirror on another origin: any
 * https one, or http on loopback (docs/internals/console.md, "The explorer and a mirror") */
static const char csp_explorer[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
        {".geojson", "application/geo+json"},
    };
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/*
 * Names under web/ (and Leaflet's and the map's directories): lower-case letters, digits,
 * - _ . and /, no "..", no leading or double slash, a known type: no name leaves its
 * directory.
 */
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

/* page: 0 a file, 1 a page, 2 the explorer's page (its own CSP) */
static enum MHD_Result send_file_in(struct MHD_Connection *c, const char *dir, const char *name,
                                    int page)
{
    char path[PATH_MAX + 256];
    struct stat st;
    struct MHD_Response *r;
    enum MHD_Result ret;
    int fd;
    /* a directory is under PATH_MAX bytes and a safe name at most 200: it fits */
    (void)snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no such page or file: see / for the console");
    }
    if ((uint64_t)st.st_size > WL_WEB_FILE_MAX) {
        close(fd);
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "too_large",
                                "the console's file %s passes the limit of %u bytes "
                                "(WL_WEB_FILE_MAX)",
                                name, WL_WEB_FILE_MAX);
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
    MHD_add_response_header(r, "Content-Security-Policy", page == 2 ? csp_explorer : csp);
    if (page) {
        MHD_add_response_header(r, "X-Frame-Options", "DENY");
        MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    }
    ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_file(struct MHD_Connection *c, const char *name, int page)
{
    return send_file_in(c, wl_srv->web_dir, name, page);
}

/*
 * XML text: & < > " escaped; what XML 1.0 cannot hold (control characters but
 * tab and line feed, U+FFFE, U+FFFF, bytes that are not UTF-8) dropped.
 * WL_ERR_TOO_LARGE once b would pass max.
 */
static wl_rc xml_append(wl_buf *b, const char *s, size_t len, size_t max)
{
    wl_rc rc = WL_OK;
    for (size_t i = 0; s && i < len && rc == WL_OK;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80             ? 1
                   : (c & 0xe0) == 0xc0 ? 2
                   : (c & 0xf0) == 0xe0 ? 3
                   : (c & 0xf8) == 0xf0 ? 4
                                        : 0;
        const char *rep = NULL;
        size_t k;
        for (k = 1; n > 1 && k < n && i + k < len; k++)
            if (((unsigned char)s[i + k] & 0xc0) != 0x80)
                break;
        if (n == 0 || k < n) { /* not UTF-8: dropped */
            i++;
            continue;
        }
        if (n == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
            (unsigned char)s[i + 2] >= 0xbe) {
            i += 3; /* U+FFFE, U+FFFF */
            continue;
        }
        switch (c) {
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
            if (c < 0x20 && c != '\n' && c != '\t') {
                i++;
                continue;
            }
        }
        rc = rep ? wl_buf_append(b, rep, strlen(rep), max) : wl_buf_append(b, s + i, n, max);
        i += n;
    }
    return rc;
}

static wl_rc xml_text(wl_buf *b, const char *s, size_t max)
{
    return xml_append(b, s, s ? strlen(s) : 0, max);
}

static wl_rc raw(wl_buf *b, const char *s, size_t max)
{
    return wl_buf_append(b, s, strlen(s), max);
}

/* The length of s cut to at most max bytes, at a character boundary (s is UTF-8). */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--; /* s[n] continues a character: the cut goes before that character */
    return n;
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
    char tag[WL_ORIGIN_MAX + 32]; /* tag:<domain>,2025:<path>: stable ids (RFC 4151) */
    size_t n;
    uint64_t last; /* the index of the last entry in the feed */
    size_t max;    /* bytes of entries the feed can hold */
    int full;      /* stopped at that */
    json_t *names; /* public members' names by id: a feed names its authors */
} feed_ctx;

static wl_rc feed_name(void *ctx, const wl_member *m)
{
    if (m->sealed) /* a member that has not announced appears in nothing public */
        return WL_OK;
    return json_object_set_new(ctx, m->id, json_string(m->name)) == 0 ? WL_OK : WL_ERR_NOMEM;
}

/* A string member of o, or "". */
static const char *str_of(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* One <entry> into b, whole or not at all (WL_ERR_TOO_LARGE past max). */
static wl_rc feed_entry_xml(wl_buf *b, const feed_ctx *f, uint64_t index, const wl_entry *e,
                            size_t max)
{
    json_t *revealed = wl_revealed(e), *rb = json_object_get(revealed, "body");
    char ts[32], num[24], *body = NULL;
    const char *text = str_of(e->body_json, "text");
    const char *id = revealed ? str_of(revealed, "author") : e->author;
    const char *author = json_object_get(f->names, id) ? str_of(f->names, id) : id;
    wl_rc rc;
    rfc3339(e->time, ts, sizeof ts);
    (void)snprintf(num, sizeof num, "%llu", (unsigned long long)index); /* 20 digits fit */
    if ((rc = raw(b, "<entry><id>", max)) != WL_OK || (rc = xml_text(b, f->tag, max)) != WL_OK ||
        (rc = raw(b, "/entry/", max)) != WL_OK || (rc = raw(b, num, max)) != WL_OK ||
        (rc = raw(b, "</id><updated>", max)) != WL_OK || (rc = raw(b, ts, max)) != WL_OK ||
        (rc = raw(b, "</updated><link rel=\"alternate\" href=\"", max)) != WL_OK ||
        (rc = xml_text(b, wl_srv->public_url, max)) != WL_OK ||
        (rc = raw(b, "/entry/", max)) != WL_OK || (rc = raw(b, num, max)) != WL_OK ||
        (rc = raw(b, "\"/><author><name>", max)) != WL_OK ||
        (rc = xml_text(b, author, max)) != WL_OK ||
        (rc = raw(b, "</name></author><title>", max)) != WL_OK)
        goto out;
    if (revealed && strcmp(str_of(revealed, "kind"), "member.add") == 0) {
        if ((rc = xml_text(b, str_of(rb, "name"), max)) != WL_OK ||
            (rc = raw(b, " announces its membership (", max)) != WL_OK ||
            (rc = xml_text(b, str_of(rb, "role"), max)) != WL_OK ||
            (rc = raw(b, ")", max)) != WL_OK)
            goto out;
    } else if (revealed) {
        const char *parts[] = {" announces a ",
                               str_of(revealed, "kind"),
                               ": ",
                               str_of(rb, "category"),
                               " ",
                               str_of(rb, "quantity"),
                               " ",
                               str_of(rb, "unit")};
        if ((rc = xml_text(b, author, max)) != WL_OK)
            goto out;
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            if ((rc = xml_text(b, parts[i], max)) != WL_OK)
                goto out;
    } else {
        size_t cut = utf8_cut(text, WL_FEED_TITLE_BYTES);
        if ((rc = xml_text(b, author, max)) != WL_OK || (rc = raw(b, ": ", max)) != WL_OK ||
            (rc = xml_append(b, text, cut, max)) != WL_OK ||
            (cut < strlen(text) && (rc = raw(b, "\xe2\x80\xa6", max)) != WL_OK)) /* … */
            goto out;
    }
    if ((rc = raw(b, "</title><content type=\"text\">", max)) != WL_OK)
        goto out;
    if (revealed) {
        body = json_dumps(rb, JSON_COMPACT);
        if (body == NULL) {
            rc = WL_ERR_NOMEM;
            goto out;
        }
        rc = xml_text(b, body, max);
    } else {
        rc = xml_text(b, text, max);
        if (rc == WL_OK && json_string_value(json_object_get(e->body_json, "source")) &&
            (rc = xml_text(b, "\nSource: ", max)) == WL_OK)
            rc = xml_text(b, str_of(e->body_json, "source"), max);
    }
    if (rc == WL_OK)
        rc = raw(b, "</content></entry>\n", max);
out:
    free(body); /* jansson's */
    json_decref(revealed);
    return rc;
}

static wl_rc feed_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    feed_ctx *f = ctx;
    wl_entry e;
    wl_buf one = {0};
    wl_rc rc;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    rc = feed_entry_xml(&one, f, index, &e, f->max);
    wl_entry_clear(&e);
    /* an entry is in the feed whole, or the feed stops before it (and links to the rest) */
    if (rc == WL_OK)
        rc = wl_buf_append(f->b, one.buf, one.len, f->max);
    if (rc == WL_ERR_TOO_LARGE)
        f->full = 1;
    wl_buf_free(&one);
    if (rc != WL_OK)
        return rc;
    f->n++;
    f->last = index;
    return WL_OK;
}

/* The feed's head: <?xml ...?><feed ...> and its metadata; to is the page asked for (or 0). */
static wl_rc feed_head(wl_buf *b, const feed_ctx *f, uint64_t to, size_t max)
{
    char ts[32], num[32];
    wl_rc rc;
    rfc3339(time(NULL), ts, sizeof ts);
    num[0] = '\0';
    if (to != UINT64_MAX)
        (void)snprintf(num, sizeof num, "?to=%llu", (unsigned long long)to); /* fits */
    if ((rc = raw(b,
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>",
                  max)) != WL_OK ||
        (rc = xml_text(b, f->tag, max)) != WL_OK ||
        (rc = raw(b, "/announcements</id><title>", max)) != WL_OK ||
        (rc = xml_text(b, wl_srv->origin, max)) != WL_OK ||
        (rc = raw(b, ": announcements</title><updated>", max)) != WL_OK ||
        (rc = raw(b, ts, max)) != WL_OK ||
        (rc = raw(b, "</updated><link rel=\"self\" href=\"", max)) != WL_OK ||
        (rc = xml_text(b, wl_srv->public_url, max)) != WL_OK ||
        (rc = raw(b, "/feed.atom", max)) != WL_OK || (rc = raw(b, num, max)) != WL_OK)
        return rc;
    return raw(b, "\"/>\n", max);
}

/* <link rel="next"> to the page of entries before index `before` (RFC 5005). */
static wl_rc feed_next(wl_buf *b, uint64_t before, size_t max)
{
    char num[32];
    wl_rc rc;
    (void)snprintf(num, sizeof num, "?to=%llu\"/>\n", (unsigned long long)before); /* fits */
    if ((rc = raw(b, "<link rel=\"next\" href=\"", max)) != WL_OK ||
        (rc = xml_text(b, wl_srv->public_url, max)) != WL_OK ||
        (rc = raw(b, "/feed.atom", max)) != WL_OK)
        return rc;
    return raw(b, num, max);
}

/*
 * GET /feed.atom[?to=I]: statements and announcements, newest first, at most
 * WL_FEED_ENTRIES of them in at most WL_FEED_MAX_BYTES; before index I if
 * given. When older ones remain, a rel="next" link (RFC 5005) names the page
 * of them. Links are built from --public-url, never from the request's Host.
 */
static enum MHD_Result get_feed(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
    wl_buf doc = {0}, entries = {0}, next = {0};
    feed_ctx f;
    const char *slash = strchr(wl_srv->origin, '/');
    enum MHD_Result ret;
    wl_rc rc;
    wl_entry_query q = wl_entry_query_all();
    if (to && (wl_parse_u64(to, strlen(to), &q.to) != WL_OK || q.to > INT64_MAX))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "to: the index before which the feed starts (a whole number)");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    memset(&f, 0, sizeof f);
    f.b = &entries;
    (void)snprintf(f.tag, sizeof f.tag, "tag:%.*s,2025:%s", /* an origin is at most 255 bytes */
                   (int)(slash ? (size_t)(slash - wl_srv->origin) : strlen(wl_srv->origin)),
                   wl_srv->origin, slash ? slash + 1 : "log");
    /* the head, a next link and the end fit beside the entries in WL_FEED_MAX_BYTES */
    if ((rc = feed_head(&doc, &f, to ? q.to : UINT64_MAX, WL_FEED_MAX_BYTES)) != WL_OK ||
        (rc = feed_next(&next, UINT64_MAX, WL_FEED_MAX_BYTES)) != WL_OK)
        goto out;
    f.max = WL_FEED_MAX_BYTES - doc.len - next.len - sizeof "</feed>\n";
    wl_buf_free(&next);
    q.kinds[0] = "statement";
    q.kinds[1] = "announce";
    q.limit = WL_FEED_ENTRIES;
    q.newest_first = 1;
    q.to = wl_readonly_cap(q.to); /* a reader's feed: what its checkpoint covers, never more */
    f.names = json_object();
    rc = f.names ? wl_store_members(s, feed_name, f.names) : WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = wl_store_entries_query(s, &q, feed_entry, &f);
    if (rc == WL_ERR_TOO_LARGE && f.full)
        rc = WL_OK;
    /* older entries remain when the feed stopped at a limit (and did not reach index 0) */
    if (rc == WL_OK && (f.full || f.n == WL_FEED_ENTRIES) && f.last > 0)
        rc = feed_next(&doc, f.last, WL_FEED_MAX_BYTES);
    if (rc == WL_OK && entries.len > 0)
        rc = wl_buf_append(&doc, entries.buf, entries.len, WL_FEED_MAX_BYTES);
    if (rc == WL_OK)
        rc = raw(&doc, "</feed>\n", WL_FEED_MAX_BYTES);
out:
    json_decref(f.names);
    wl_buf_free(&entries);
    wl_buf_free(&next);
    if (rc != WL_OK) {
        wl_buf_free(&doc);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "cannot write the feed: %s", wl_rc_name(rc));
    }
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/atom+xml; charset=utf-8", doc.buf, doc.len,
                           "no-cache");
    wl_buf_free(&doc);
    return ret;
}

static enum MHD_Result page_index(wl_call *call)
{
    return send_file(call->c, "coalition.html", 1);
}

static enum MHD_Result page_explorer(wl_call *call)
{
    return send_file(call->c, "explorer.html", 2);
}

static enum MHD_Result page_member(wl_call *call)
{
    return send_file(call->c, "member.html", 1);
}

static enum MHD_Result page_coordinator(wl_call *call)
{
    return send_file(call->c, "coordinator.html", 1);
}

static enum MHD_Result page_flows(wl_call *call)
{
    return send_file(call->c, "flows.html", 1);
}

static enum MHD_Result page_deal(wl_call *call)
{
    return send_file(call->c, "deal.html", 1);
}

static enum MHD_Result page_daily(wl_call *call)
{
    return send_file(call->c, "daily.html", 1);
}

static enum MHD_Result page_monitor(wl_call *call)
{
    return send_file(call->c, "monitor.html", 1);
}

static enum MHD_Result page_pressure(wl_call *call)
{
    return send_file(call->c, "pressure.html", 1);
}

/* GET /static/<file>: web/<file>, a safe name of a known type. */
static enum MHD_Result get_static(wl_call *call)
{
    if (!safe_name(call->rest))
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no such page: the console is at /, the log at /log/checkpoint");
    return send_file(call->c, call->rest, 0);
}

#ifndef WL_LEAFLET_DIR
#define WL_LEAFLET_DIR "/usr/share/javascript/leaflet"
#endif
#ifndef WL_GEO_DIR
#define WL_GEO_DIR "geo"
#endif
/* where `cmake --install` puts the map's files: PREFIX/share/..., the binary PREFIX/bin/willing */
#define INSTALLED_GEO "/share/willing/geo"

/*
 * The map's directory: the one installed beside this binary (PREFIX/share/willing/geo),
 * else the build tree's (WL_GEO_DIR). buf holds PATH_MAX bytes.
 */
const char *wl_geo_dir(char *buf)
{
    ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);
    char *slash;
    if (n <= 0 || (size_t)n + sizeof INSTALLED_GEO >= PATH_MAX)
        return WL_GEO_DIR;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) != NULL) { /* PREFIX/bin/willing: up to PREFIX */
        *slash = '\0';
        slash = strrchr(buf, '/');
    }
    if (slash == NULL)
        return WL_GEO_DIR;
    memcpy(slash, INSTALLED_GEO, sizeof INSTALLED_GEO);
    return access(buf, R_OK | X_OK) == 0 ? buf : WL_GEO_DIR;
}

/* GET /vendor/leaflet/<file>: Leaflet's own files (js, css, its png images), safe names. */
static enum MHD_Result get_leaflet(wl_call *call)
{
    if (!safe_name(call->rest))
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no such file of Leaflet: the map loads leaflet.esm.js");
    return send_file_in(call->c, WL_LEAFLET_DIR, call->rest, 0);
}

/* GET /geo/<file>: the map's background, as the build simplified it. */
static enum MHD_Result get_geo(wl_call *call)
{
    char buf[PATH_MAX];
    if (!safe_name(call->rest))
        return wl_respond_error(call->c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no such file: the map's is /geo/ukraine-oblasts.geojson");
    return send_file_in(call->c, wl_geo_dir(buf), call->rest, 0);
}

const wl_route wl_routes_web[] = {
    {"GET", "/", WL_ACCESS_ANYONE, 0, page_index, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/index.html", WL_ACCESS_ANYONE, 0, page_index, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/explorer", WL_ACCESS_ANYONE, 0, page_explorer, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/entry/*", WL_ACCESS_ANYONE, 0, page_explorer, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/member", WL_ACCESS_ANYONE, 0, page_member, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/coordinator", WL_ACCESS_ANYONE, 0, page_coordinator, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/flows", WL_ACCESS_ANYONE, 0, page_flows, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/deal", WL_ACCESS_ANYONE, 0, page_deal, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/daily", WL_ACCESS_ANYONE, 0, page_daily, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/monitor", WL_ACCESS_ANYONE, 0, page_monitor, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/pressure", WL_ACCESS_ANYONE, 0, page_pressure, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/vendor/leaflet/*", WL_ACCESS_ANYONE, 0, get_leaflet, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/geo/*", WL_ACCESS_ANYONE, 0, get_geo, WL_ROUTE_NO_STORE, NULL},
    {"GET", "/feed.atom", WL_ACCESS_ANYONE, 0, get_feed, 0, NULL},
    {"GET", "/static/*", WL_ACCESS_ANYONE, 0, get_static, WL_ROUTE_NO_STORE, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
