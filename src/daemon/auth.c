/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Authentication of private requests: RFC 9421 HTTP Message Signatures with
 * an officer's Ed25519 key, on willing's profile (docs/FORMAT.md, "Signed
 * requests"): "@method" first, "@authority", "@path", "@query" when there is
 * one, "content-digest" over any body; created within 5 minutes of the
 * server's clock; a nonce never accepted twice within that window, recorded
 * durably (through the sequencer) so a restart does not forget it. The worker
 * does not wait for that: the connection is suspended until the nonce is
 * durable and the request is then routed again (wl_req's nonce_job).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "sequencer.h"
#include "willing/httpsig.h"

#define SKEW_SECONDS 300

static const char *field(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

static int fail(wl_auth *a, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(wl_auth *a, unsigned status, const char *code, const char *fmt, ...)
{
    va_list ap;
    a->status = status;
    a->code = code;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int covers(const wl_httpsig *s, const char *c)
{
    for (size_t i = 0; i < s->ncomponents; i++)
        if (strcmp(s->components[i], c) == 0)
            return 1;
    return 0;
}

static int authenticate(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a,
                        int defer);

int wl_authenticate(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a)
{
    return authenticate(c, method, r, a, 0);
}

int wl_authenticate_deferred(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a)
{
    return authenticate(c, method, r, a, 1);
}

enum MHD_Result wl_auth_refuse(struct MHD_Connection *c, const wl_auth *a)
{
    if (a->suspended)
        return MHD_YES; /* answered when the connection resumes */
    return wl_respond_error(c, a->status, a->code, "%s", a->msg);
}

/*
 * Records the nonce of the request authenticated as a through the sequencer,
 * with the connection suspended meanwhile (the worker goes on to other
 * requests); the request is routed again when the nonce is durable.
 */
static int nonce_wait(struct MHD_Connection *c, wl_req *r, wl_auth *a)
{
    wl_job *job = wl_calloc(1, sizeof *job);
    if (job == NULL)
        return fail(a, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "cannot record the nonce");
    r->nonce_auth = *a;
    job->nonce = r->nonce_auth.nonce;
    job->nonce_expires = r->nonce_auth.nonce_expires;
    job->conn = c;
    r->nonce_job = job;
    a->suspended = true;
    MHD_suspend_connection(c);
    wl_sequencer_submit(job);
    return -1;
}

/* The second pass of a request whose nonce the sequencer has now recorded (or refused). */
static int nonce_verdict(wl_req *r, wl_auth *a)
{
    const wl_job *job = r->nonce_job;
    *a = r->nonce_auth;
    if (job->failed)
        return fail(a,
                    job->err.rc == WL_ERR_CONFLICT ? MHD_HTTP_UNAUTHORIZED
                                                   : MHD_HTTP_SERVICE_UNAVAILABLE,
                    job->err.code, "%s", job->err.msg);
    return 0;
}

wl_rc wl_nonce_record(wl_store *s, const wl_auth *a, wl_error *err)
{
    wl_rc rc;
    if (a->nonce[0] == '\0') /* a console session: its CSRF token, not a nonce */
        return WL_OK;
    rc = wl_store_nonce_use(s, a->nonce, a->nonce_expires, (int64_t)time(NULL));
    if (rc == WL_ERR_CONFLICT)
        return wl_error_set(err, rc, "replayed_request",
                            "this request's nonce was already used: sign each request anew");
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "recording a nonce: %s", wl_store_errmsg(s));
    return WL_OK;
}

enum MHD_Result wl_auth_job_refuse(struct MHD_Connection *c, const wl_error *err)
{
    return wl_respond_error(c,
                            strcmp(err->code, "replayed_request") == 0 ? MHD_HTTP_UNAUTHORIZED
                                                                       : wl_status_for(err->rc),
                            err->code, "%s", err->msg);
}

static int authenticate(struct MHD_Connection *c, const char *method, wl_req *r, wl_auth *a,
                        int defer)
{
    const char *in = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature-Input");
    const char *sg = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature");
    const char *q = strchr(r->uri, '?');
    char path[WL_SIGNED_PATH_MAX + 1], query[WL_SIGNED_QUERY_MAX + 1], why[256], member[65];
    wl_httpsig s;
    wl_httpsig_req req;
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    uint8_t idb[4];
    uint32_t kid;
    int64_t now = (int64_t)time(NULL);
    wl_store *st = wl_thread_store();
    const char *slash;
    int live = -1;

    memset(a, 0, sizeof *a);
    if (r->nonce_job != NULL)
        return nonce_verdict(r, a);
    if (in == NULL && sg == NULL &&
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") != NULL) {
        /* a console session: reads need only the cookie; changes echo its CSRF token */
        uint8_t token[32];
        char csrf[65];
        const char *echo = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        int found = wl_session_lookup(c, token, a->member, &a->key_id, csrf);
        if (found == -2) /* not "signed out": the database could not say */
            return fail(a, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", WL_SESSION_UNREAD);
        if (found != 0)
            return fail(a, MHD_HTTP_UNAUTHORIZED, "session_expired",
                        "the session has ended, expired or lost its login key: sign in again");
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
            (echo == NULL || strlen(echo) != strlen(csrf) ||
             sodium_memcmp(echo, csrf, strlen(csrf)) != 0))
            return fail(a, MHD_HTTP_FORBIDDEN, "csrf",
                        "a change made with a session must carry its X-CSRF-Token");
        snprintf(a->scope, sizeof a->scope, "login");
        return 0;
    }
    if (in == NULL || sg == NULL)
        return fail(a, MHD_HTTP_UNAUTHORIZED, "unauthenticated",
                    "sign the request (RFC 9421, Signature-Input and Signature) with an "
                    "officer's key, or sign in to the console");
    if (wl_httpsig_parse(in, sg, NULL, &s, why, sizeof why) != WL_OK)
        return fail(a, MHD_HTTP_BAD_REQUEST, "malformed_signature", "%s", why);
    if (s.ncomponents == 0 || strcmp(s.components[0], "@method") != 0 ||
        !covers(&s, "@authority") || !covers(&s, "@path") || (q && !covers(&s, "@query")) ||
        (r->len > 0 && !covers(&s, "content-digest")))
        return fail(
            a, MHD_HTTP_UNAUTHORIZED, "signature_profile",
            "the signature must cover \"@method\" first, then \"@authority\", \"@path\", "
            "\"@query\" when there is a query, and \"content-digest\" when there is a body");
    if (s.created < 0 || s.created > now + SKEW_SECONDS || s.created < now - SKEW_SECONDS)
        return fail(a, MHD_HTTP_UNAUTHORIZED, "clock_skew",
                    "the signature's created time is %lld s from the server's clock; at most %d "
                    "s is accepted",
                    (long long)(s.created < 0 ? 0 : s.created - now), SKEW_SECONDS);
    if (s.expires >= 0 && s.expires < now)
        return fail(a, MHD_HTTP_UNAUTHORIZED, "signature_expired", "the signature has expired");
    if (strlen(s.nonce) < 16 || strspn(s.nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                                "vwxyz0123456789-_") != strlen(s.nonce))
        return fail(a, MHD_HTTP_UNAUTHORIZED, "nonce_required",
                    "the signature needs a nonce of 16-128 letters, digits, - or _");
    slash = strchr(s.keyid, '/');
    if (slash == NULL || (size_t)(slash - s.keyid) > 64 ||
        !wl_valid_member_id(s.keyid, (size_t)(slash - s.keyid)) ||
        wl_hex_decode(slash + 1, strlen(slash + 1), idb, 4) != WL_OK)
        return fail(a, MHD_HTTP_UNAUTHORIZED, "unknown_key",
                    "keyid must be \"<member>/<8 hex digits of the key ID>\"");
    memcpy(member, s.keyid, (size_t)(slash - s.keyid));
    member[slash - s.keyid] = '\0';
    kid = (uint32_t)idb[0] << 24 | (uint32_t)idb[1] << 16 | (uint32_t)idb[2] << 8 | idb[3];
    if (r->len > 0) {
        char want[64];
        const char *got = field(c, "content-digest");
        wl_content_digest(r->body, r->len, want, sizeof want);
        if (got == NULL || strcmp(got, want) != 0)
            return fail(a, MHD_HTTP_UNAUTHORIZED, "content_digest",
                        "Content-Digest must be the SHA-256 of the body (%s)", want);
    }
    if (st == NULL ||
        wl_store_keys_by_id(st, member, kid, keys, WL_MAX_KEYS_PER_MEMBER, &nk) != WL_OK)
        return fail(a, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "the ledger cannot be read");
    /* the base covers the path and query whole: one that does not fit is refused, never cut */
    if (wl_fmt(path, sizeof path, "%.*s", (int)(q ? (size_t)(q - r->uri) : strlen(r->uri)),
               r->uri) != WL_OK ||
        wl_fmt(query, sizeof query, "%s", q ? q : "") != WL_OK)
        return fail(a, MHD_HTTP_URI_TOO_LONG, "uri_too_long",
                    "a signed request's path is at most %u bytes (WL_SIGNED_PATH_MAX) and its "
                    "query %u (WL_SIGNED_QUERY_MAX)",
                    WL_SIGNED_PATH_MAX, WL_SIGNED_QUERY_MAX);
    req.method = method;
    req.authority = field(c, "host");
    req.path = path;
    req.query = q ? query : NULL;
    req.field = field;
    req.ctx = c;
    for (size_t i = 0; i < nk; i++) {
        if (wl_httpsig_verify(&s, &req, keys[i].pk, why, sizeof why) != WL_OK)
            continue;
        live = keys[i].revoked == UINT64_MAX ? (int)i : -2;
        break;
    }
    if (live == -2)
        return fail(a, MHD_HTTP_UNAUTHORIZED, "revoked_key", "key %s was revoked", s.keyid);
    if (live < 0)
        return fail(a, MHD_HTTP_UNAUTHORIZED, nk ? "bad_signature" : "unknown_key", "%s",
                    nk ? why : "no such key in this log");
    snprintf(a->nonce, sizeof a->nonce, "%s", s.nonce);
    a->nonce_expires = s.created + SKEW_SECONDS + 1;
    snprintf(a->member, sizeof a->member, "%s", member);
    snprintf(a->scope, sizeof a->scope, "%s", keys[live].scope);
    a->key_id = kid;
    if (defer)
        return 0;
    /* the nonce, durably, once, before the verdict */
    return nonce_wait(c, r, a);
}
