/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Blobs: documents stored by the SHA-256 of their bytes (docs/internals/deal.md,
 * "Blobs"; the store's part is lib/store/sqlite_blobs.c).
 *   PUT /api/v1/blobs/<HEX64>[?public=1]  a signed request whose raw body is
 *     the document (its Content-Type kept as its media type): 201 when new,
 *     200 when that hash is held already (nothing changes but that the member
 *     is recorded as one of its uploaders: it holds the bytes); 400 hash_mismatch
 *     when the bytes are not the hash's; 413 too_large over serve --blob-max
 *     (refused unread when Content-Length says so: http.c).
 *   GET (and HEAD) /api/v1/blobs/<HEX64>  the bytes, immutable: ETag "<hex>",
 *     Cache-Control ... immutable, If-None-Match answered 304. A private blob
 *     to its readers only (a signed request or a session): its uploaders,
 *     members an entry names, coordinators and the operator. Anyone else, and
 *     a hash not held, get the same 404 unknown_blob.
 * The upload is durable when answered: the sequencer stores it, with the
 * request's nonce, in one transaction. The request's body is the job's bytes
 * (the request outlives its job: its connection waits, suspended), never a copy;
 * a blob is served in 64 KiB pieces as the client takes them, each read from
 * the store's pages, so a slow reader holds one piece, never the whole blob.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "willing/crypto.h"
#include "willing/identity.h" /* wl_authorize_action */
#include "willing/limits.h"

#define BLOB_MAX_AGE "max-age=31536000, immutable"

/* rest is 64 lower-case hex digits: its 32 bytes into h; 0, or -1. */
static int parse_hash(const char *rest, uint8_t h[32])
{
    if (strlen(rest) != 64 || strspn(rest, "0123456789abcdef") != 64)
        return -1;
    return wl_hex_decode(rest, 64, h, 32) == WL_OK ? 0 : -1;
}

static enum MHD_Result bad_hash(struct MHD_Connection *c)
{
    return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_hash",
                            "a blob is named by the SHA-256 of its bytes: 64 lower-case hex "
                            "digits, /api/v1/blobs/<hash>");
}

/* The same answer for a blob not held and one the caller may not read. */
static enum MHD_Result unknown_blob(struct MHD_Connection *c, const char *hex)
{
    return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "unknown_blob",
                            "no blob %.64s that you may read", hex);
}

/*
 * The media type of an upload: its Content-Type, application/octet-stream
 * when it has none; 0, or -1 when it is longer than WL_BLOB_MEDIA_MAX or holds
 * a byte that is not printable ASCII.
 */
static int media_of(struct MHD_Connection *c, char media[WL_BLOB_MEDIA_MAX + 1])
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n;
    if (ct == NULL || ct[0] == '\0')
        ct = "application/octet-stream";
    n = strlen(ct);
    if (n > WL_BLOB_MEDIA_MAX)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (ct[i] < 0x20 || ct[i] > 0x7e)
            return -1;
    memcpy(media, ct, n + 1);
    return 0;
}

/* ?public=1 (or 0); -1 for any other parameter or value. */
typedef struct {
    int pub;
    int bad;
} put_args;

static enum MHD_Result put_arg(void *ctx, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    put_args *a = ctx;
    (void)kind;
    if (strcmp(key, "public") == 0 && value && (strcmp(value, "1") == 0 || strcmp(value, "0") == 0))
        a->pub = value[0] == '1';
    else
        a->bad = 1;
    return MHD_YES;
}

typedef struct {
    uint8_t hash[32];
    const char *bytes; /* the request's body: the request outlives the job */
    size_t n;
    char media[WL_BLOB_MEDIA_MAX + 1];
    bool pub, created;
    wl_auth auth;      /* its nonce is recorded in the same transaction */
    wl_blob_meta meta; /* what is stored, once stored */
} put_job;

static void put_job_free(void *arg)
{
    wl_free(arg);
}

/* In the sequencer: the nonce, then the blob (or nothing new), then what is stored. */
static wl_rc put_run(wl_store *s, void *arg, wl_error *err)
{
    put_job *j = arg;
    wl_rc rc = wl_nonce_record(s, &j->auth, err);
    if (rc == WL_OK)
        rc = wl_store_blob_put(s, j->hash, j->bytes, j->n, j->media, j->pub, j->auth.member,
                               (int64_t)time(NULL), &j->created, err);
    if (rc == WL_OK)
        rc = wl_store_blob_meta(s, j->hash, &j->meta, err);
    return rc;
}

static enum MHD_Result put_done(struct MHD_Connection *c, wl_req *r)
{
    const wl_job *job = r->job;
    const put_job *j = job->arg;
    char hex[65];
    if (job->failed)
        return wl_auth_job_refuse(c, &job->err);
    wl_hex_encode(j->hash, 32, hex);
    return wl_respond_json(c, j->created ? MHD_HTTP_CREATED : MHD_HTTP_OK,
                           json_pack("{s:s, s:I, s:s, s:b}", "hash", hex, "size",
                                     (json_int_t)j->meta.size, "media", j->meta.media, "public",
                                     j->meta.public_));
}

/* Who may upload: identity's answer (wl_authorize_action). 0, or -1 with the refusal answered. */
static int may_upload(wl_call *call, enum MHD_Result *ret)
{
    wl_store *s = wl_thread_store();
    wl_error err = {0};
    if (s == NULL) {
        *ret = wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
        return -1;
    }
    if (wl_authorize_action(s, call->auth.member, call->auth.scope, WL_ACTION_BLOB_UPLOAD, &err) !=
        WL_OK) {
        if (strcmp(err.code, "storage") == 0) /* the engine's words alone say little */
            *ret = wl_respond_error(call->c, MHD_HTTP_SERVICE_UNAVAILABLE, err.code,
                                    "the ledger cannot be read (%s); try again later", err.msg);
        else
            *ret = wl_respond_error(call->c, MHD_HTTP_FORBIDDEN, err.code, "%s", err.msg);
        return -1;
    }
    return 0;
}

/* PUT /api/v1/blobs/<HEX64> (WL_ROUTE_OWN_NONCE, WL_ROUTE_RAW_BODY). */
static enum MHD_Result put_blob(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_req *r = call->r;
    put_args qa = {0, 0};
    uint8_t got[32];
    put_job *j;
    enum MHD_Result ret;

    j = wl_calloc(1, sizeof *j);
    if (j == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                                "cannot take the blob");
    if (parse_hash(call->rest, j->hash) != 0) {
        ret = bad_hash(c);
        goto out;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, put_arg, &qa);
    if (qa.bad) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                               "a blob's upload takes only public=1 (or 0)");
        goto out;
    }
    if (may_upload(call, &ret) != 0)
        goto out;
    if (media_of(c, j->media) != 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_media",
                               "the Content-Type, kept as the blob's media type, is at most %u "
                               "printable ASCII characters",
                               WL_BLOB_MEDIA_MAX);
        goto out;
    }
    wl_sha256(r->body ? r->body : "", r->len, got);
    if (memcmp(got, j->hash, 32) != 0) {
        char hex[65];
        wl_hex_encode(got, 32, hex);
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "hash_mismatch",
                               "the body's SHA-256 is %s, not the %s of the path: nothing "
                               "stored",
                               hex, call->rest);
        goto out;
    }
    j->bytes = r->body ? r->body : "";
    j->n = r->len;
    j->pub = qa.pub != 0;
    j->auth = call->auth;
    ret = wl_sequencer_defer_fn(c, r, put_run, j, put_job_free, put_done);
    j = NULL; /* the job's */
out:
    put_job_free(j);
    return ret;
}

/* A blob served in pieces as the client takes them: never whole in memory. */
typedef struct {
    uint8_t hash[32];
    uint64_t size;
} blob_stream;

/* On the worker thread that serves the connection: a slice, from its own read connection. */
static ssize_t blob_piece(void *ctx, uint64_t pos, char *buf, size_t max)
{
    const blob_stream *b = ctx;
    wl_store *s = wl_thread_store();
    size_t n = pos >= b->size ? 0 : (size_t)(b->size - pos < max ? b->size - pos : max);
    if (s == NULL || wl_store_blob_read_at(s, b->hash, pos, buf, n, NULL) != WL_OK)
        return -1;
    return (ssize_t)n;
}

/* Whether If-None-Match names etag (a list of entity tags, weak or not, or *). */
static bool matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);
    if (inm == NULL)
        return false;
    for (const char *p = inm; *p;) {
        p += strspn(p, " \t,");
        if (p[0] == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
        p += strcspn(p, ",");
    }
    return false;
}

/* GET /api/v1/blobs/<HEX64>: anyone; a signature or a session, when sent, is checked. */
static enum MHD_Result get_blob(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    const char *who = NULL;
    uint8_t h[32];
    wl_blob_meta meta;
    bool may = false;
    char etag[67];
    blob_stream *b;
    wl_error err;

    if (parse_hash(call->rest, h) != 0)
        return bad_hash(c);
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") != NULL ||
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") != NULL) {
        if (wl_authenticate(c, call->method, call->r, &call->auth) != 0)
            return wl_auth_refuse(c, &call->auth);
        who = call->auth.member;
    }
    if (s == NULL || wl_store_blob_meta(s, h, &meta, &err) != WL_OK ||
        wl_store_blob_may_read(s, h, who, &may, &err) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (meta.exists && !may && who) /* coordinators and the operator read every blob */
        may = wl_authorize_action(s, who, call->auth.scope, WL_ACTION_BLOB_READ_ANY, &err) == WL_OK;
    if (!meta.exists || !may)
        return unknown_blob(c, call->rest);
    snprintf(etag, sizeof etag, "\"%s\"", call->rest);
    {
        const char *cache = meta.public_ ? "public, " BLOB_MAX_AGE : "private, " BLOB_MAX_AGE;
        /* a sandbox: a document served from this origin runs no script in it */
        const char *const headers[] = {MHD_HTTP_HEADER_ETAG,
                                       etag,
                                       MHD_HTTP_HEADER_CACHE_CONTROL,
                                       cache,
                                       MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY,
                                       "default-src 'none'; sandbox",
                                       NULL};
        if (matches(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH),
                    etag))
            return wl_respond_taken(c, MHD_HTTP_NOT_MODIFIED, NULL, NULL, 0, headers);
        if ((b = wl_calloc(1, sizeof *b)) == NULL)
            return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                                    "cannot read");
        memcpy(b->hash, h, 32);
        b->size = meta.size;
        return wl_respond_stream(c, MHD_HTTP_OK, meta.media, meta.size, blob_piece, b, wl_free,
                                 headers);
    }
}

const wl_route wl_routes_blobs[] = {
    {"PUT", "/api/v1/blobs/*", WL_ACCESS_SIGNED, WL_BLOB_MAX_CEILING, put_blob,
     WL_ROUTE_OWN_NONCE | WL_ROUTE_RAW_BODY, NULL},
    {"GET", "/api/v1/blobs/*", WL_ACCESS_ANYONE, 0, get_blob, 0, NULL},
    {"*", "/api/v1/blobs/*", WL_ACCESS_ANYONE, 0, NULL, 0,
     "%s takes GET, HEAD (the bytes) and PUT (an upload)"},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
