/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console sign-in (issue 4, point 2). A member's officer signs a one-time
 * challenge with a key of scope `login`, in the browser (WebCrypto, the key
 * imported non-extractable); the daemon answers with a short-lived session:
 * an HttpOnly, SameSite=Strict cookie, and a CSRF token that every
 * state-changing request made with the cookie must echo in X-CSRF-Token.
 *   POST /api/v1/login/challenge {"member"}            {"challenge", "expires", "text"}
 *   POST /api/v1/login {"member", "challenge", "signature"}   the session
 *   GET  /api/v1/session                                who, and the CSRF token (nulls if none)
 *   POST /api/v1/logout                                 ends it on the server
 * The text signed is docs/FORMAT.md's "willing.login/v1" message. Challenges
 * are stateless (a MAC under a key made at start-up), so asking for them
 * stores nothing and a flood cannot push out a member's challenge. Sessions are
 * stored by the SHA-256 of their token, through the sequencer (durable, so
 * sign-out holds across a restart).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"

#define CHALLENGE_TTL 120
#define SESSION_TTL 1800

/*
 * Challenges are stateless: 8 bytes of expiry (big-endian), 8 random bytes and
 * a 16-byte keyed BLAKE2b MAC of both and the member under a key made at
 * start-up. Asking for challenges stores nothing, so no flood of requests can
 * push out another member's challenge. Only a successful sign-in is
 * remembered (its challenge, until it expires) so a challenge signs in once.
 */
static uint8_t mac_key[crypto_generichash_KEYBYTES];
static pthread_once_t mac_once = PTHREAD_ONCE_INIT;

typedef struct {
    uint8_t challenge[32];
    int64_t expires;
} used_slot;

static used_slot used[WL_LOGIN_USED_MAX];
static pthread_mutex_t used_mu = PTHREAD_MUTEX_INITIALIZER;

static void mac_key_make(void)
{
    randombytes_buf(mac_key, sizeof mac_key);
}

static void challenge_mac(const uint8_t head[16], const char *member, uint8_t out[16])
{
    crypto_generichash_state st;
    pthread_once(&mac_once, mac_key_make);
    crypto_generichash_init(&st, mac_key, sizeof mac_key, 16);
    crypto_generichash_update(&st, (const uint8_t *)"willing.login-challenge", 23);
    crypto_generichash_update(&st, head, 16);
    crypto_generichash_update(&st, (const uint8_t *)member, strlen(member) + 1);
    crypto_generichash_final(&st, out, 16);
}

static void challenge_make(const char *member, int64_t expires, uint8_t ch[32])
{
    for (int i = 0; i < 8; i++)
        ch[i] = (uint8_t)((uint64_t)expires >> (56 - 8 * i));
    randombytes_buf(ch + 8, 8);
    challenge_mac(ch, member, ch + 16);
}

/* A challenge this daemon made for member and not expired: its expiry, else -1. */
static int64_t challenge_check(const uint8_t ch[32], const char *member)
{
    uint8_t mac[16];
    uint64_t exp = 0;
    challenge_mac(ch, member, mac);
    if (sodium_memcmp(mac, ch + 16, 16) != 0)
        return -1;
    for (int i = 0; i < 8; i++)
        exp = exp << 8 | ch[i];
    if (exp > INT64_MAX || (int64_t)exp < (int64_t)time(NULL))
        return -1;
    return (int64_t)exp;
}

/*
 * Marks a verified challenge used: 0, or -1 when it was used already
 * (*full = 0) or when WL_LOGIN_USED_MAX sign-ins are still within their expiry
 * (*full = 1: refused rather than forgetting one, which would allow a replay).
 */
static int challenge_use(const uint8_t ch[32], int64_t expires, int *full)
{
    int64_t now = (int64_t)time(NULL);
    size_t free_slot = WL_LOGIN_USED_MAX;
    int rc = 0;
    *full = 0;
    pthread_mutex_lock(&used_mu);
    for (size_t i = 0; i < WL_LOGIN_USED_MAX; i++) {
        if (used[i].expires < now) {
            if (free_slot == WL_LOGIN_USED_MAX)
                free_slot = i;
        } else if (sodium_memcmp(used[i].challenge, ch, 32) == 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && free_slot == WL_LOGIN_USED_MAX) {
        rc = -1;
        *full = 1;
    }
    if (rc == 0) {
        memcpy(used[free_slot].challenge, ch, 32);
        used[free_slot].expires = expires;
    }
    pthread_mutex_unlock(&used_mu);
    return rc;
}

/* The text a login key signs; at most 404 bytes (an origin of 255, a member id of 64, 44, 20). */
static void login_text(const char *member, const char *challenge_b64, int64_t expires, char *out,
                       size_t cap)
{
    (void)snprintf(out, cap, "willing.login/v1\n%s\n%s\n%s\n%lld\n", wl_srv->origin, member,
                   challenge_b64, (long long)expires);
}

static json_t *body_json(const wl_req *r)
{
    return json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, NULL);
}

static enum MHD_Result post_challenge(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    json_t *b = body_json(call->r);
    const char *member = json_string_value(json_object_get(b, "member"));
    uint8_t ch[32];
    char cb[45], text[512];
    int64_t expires = (int64_t)time(NULL) + CHALLENGE_TTL;
    enum MHD_Result ret;
    if (member == NULL || !wl_valid_member_id(member, strlen(member))) {
        json_decref(b);
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_request",
                                "the body is {\"member\": the member's id}");
    }
    /* a challenge for anyone who asks: it says nothing about who is a member */
    challenge_make(member, expires, ch);
    wl_b64_encode(ch, 32, cb);
    login_text(member, cb, expires, text, sizeof text);
    ret = wl_respond_json(c, MHD_HTTP_OK,
                          json_pack("{s:s, s:I, s:s}", "challenge", cb, "expires",
                                    (json_int_t)expires, "text", text));
    json_decref(b);
    return ret;
}

typedef struct {
    uint8_t raw[32];   /* the cookie's value (a new session), wiped with the job */
    uint8_t token[32]; /* its SHA-256, stored */
    char member[65];
    uint32_t key_id;
    char csrf[65];
    int64_t expires;
    int del;
} session_arg;

static wl_rc session_job(wl_store *s, void *arg, wl_error *err)
{
    session_arg *a = arg;
    wl_rc rc = a->del
                   ? wl_store_session_delete(s, a->token, (int64_t)time(NULL))
                   : wl_store_session_put(s, a->token, a->member, a->key_id, a->csrf, a->expires);
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "session: %s", wl_store_errmsg(s));
    return WL_OK;
}

static void session_arg_free(void *arg)
{
    if (arg == NULL)
        return;
    sodium_memzero(arg, sizeof(session_arg));
    wl_free(arg);
}

/*
 * Hands the session change sa (owned from here) to the sequencer; the
 * connection is suspended, not the worker, and resumes into done once the
 * change is durable.
 */
static enum MHD_Result session_submit(struct MHD_Connection *c, wl_req *r, session_arg *sa,
                                      wl_done_fn done)
{
    return wl_sequencer_defer_fn(c, r, session_job, sa, session_arg_free, done);
}

/* The answer to a sign-in once its session is durable: the cookie. */
static enum MHD_Result login_done(struct MHD_Connection *c, wl_req *r)
{
    const wl_job *job = r->job;
    const session_arg *sa = job->arg;
    char tok[45], cookie[256];
    size_t k;
    if (job->failed)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, job->err.code, "%s", job->err.msg);
    wl_b64_encode(sa->raw, sizeof sa->raw, tok);
    for (k = 0; tok[k]; k++) /* base64url, unpadded: a cookie-safe value */
        tok[k] = tok[k] == '+' ? '-' : tok[k] == '/' ? '_' : tok[k];
    while (k > 0 && tok[k - 1] == '=')
        tok[--k] = '\0';
    snprintf(cookie, sizeof cookie,
             "wl_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", tok, SESSION_TTL,
             wl_srv->tls ? "; Secure" : "");
    sodium_memzero(tok, sizeof tok);
    return wl_respond_json_cookie(c, MHD_HTTP_OK,
                                  json_pack("{s:s, s:s, s:I}", "member", sa->member, "csrf",
                                            sa->csrf, "expires", (json_int_t)sa->expires),
                                  cookie);
}

static enum MHD_Result post_login(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    json_t *b = body_json(call->r);
    const char *member = json_string_value(json_object_get(b, "member"));
    const char *chb = json_string_value(json_object_get(b, "challenge"));
    const char *sgb = json_string_value(json_object_get(b, "signature"));
    uint8_t ch[32], sig[64];
    size_t n = 0, nk = 0;
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    char text[512];
    int64_t exp;
    session_arg *sa;
    int found = -1, full = 0;

    if (member == NULL || chb == NULL || sgb == NULL ||
        !wl_valid_member_id(member, strlen(member)) ||
        wl_b64_decode(chb, strlen(chb), ch, 32, &n) != WL_OK || n != 32 ||
        wl_b64_decode(sgb, strlen(sgb), sig, 64, &n) != WL_OK || n != 64) {
        json_decref(b);
        return wl_respond_error(
            c, MHD_HTTP_BAD_REQUEST, "malformed_request",
            "the body is {\"member\", \"challenge\" (base64 of 32 bytes), "
            "\"signature\" (base64 Ed25519 signature of the challenge's text)}");
    }
    exp = challenge_check(ch, member);
    if (exp > 0 &&
        wl_store_keys_of(wl_thread_store(), member, keys, WL_MAX_KEYS_PER_MEMBER, &nk) == WL_OK) {
        login_text(member, chb, exp, text, sizeof text);
        for (size_t i = 0; i < nk && found < 0; i++)
            if (strcmp(keys[i].scope, "login") == 0 && keys[i].revoked == UINT64_MAX &&
                wl_ed25519_verify(keys[i].pk, text, strlen(text), sig) == WL_OK)
                found = (int)i;
    }
    if (found >= 0 && challenge_use(ch, exp, &full) != 0) {
        if (full) {
            json_decref(b);
            return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                                    "too many sign-ins in the last %d s: try again shortly",
                                    CHALLENGE_TTL);
        }
        found = -1; /* used already */
    }
    if (found < 0) {
        json_decref(b);
        /* one answer for every failure: nothing to learn about members or keys */
        return wl_respond_error(c, MHD_HTTP_UNAUTHORIZED, "login_failed",
                                "sign-in failed: ask for a new challenge and sign it with a key "
                                "of scope login of that member");
    }
    sa = wl_calloc(1, sizeof *sa);
    if (sa == NULL) {
        json_decref(b);
        return MHD_NO;
    }
    randombytes_buf(sa->raw, sizeof sa->raw);
    wl_sha256(sa->raw, sizeof sa->raw, sa->token);
    snprintf(sa->member, sizeof sa->member, "%s", member);
    sa->key_id = keys[found].key_id;
    {
        uint8_t cr[24];
        randombytes_buf(cr, sizeof cr);
        wl_hex_encode(cr, sizeof cr, sa->csrf);
    }
    sa->expires = (int64_t)time(NULL) + SESSION_TTL;
    json_decref(b);
    return session_submit(c, call->r, sa, login_done);
}

/* Whether member still holds a live login key with this key ID (it signed in with one). */
/* 1 if the member's login key key_id is live, 0 if not, -2 if the store could not be read */
static int login_key_live(const char *member, uint32_t key_id)
{
    wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
    size_t nk = 0;
    wl_rc rc =
        wl_store_keys_by_id(wl_thread_store(), member, key_id, keys, WL_MAX_KEYS_PER_MEMBER, &nk);
    if (rc != WL_OK)
        return rc == WL_ERR_NOT_FOUND ? 0 : -2;
    for (size_t i = 0; i < nk; i++)
        if (strcmp(keys[i].scope, "login") == 0 && keys[i].revoked == UINT64_MAX)
            return 1;
    return 0;
}

/*
 * The session a cookie names, if live: 0 and its fields; -1 if there is none
 * live, -2 if the database could not be read (an outage: 503, not "signed out"). Live means
 * unexpired and the login key it signed in with not revoked since: checked
 * at every request, so revoking the key ends its sessions at once.
 */
int wl_session_lookup(struct MHD_Connection *c, uint8_t token[32], char member[65],
                      uint32_t *key_id, char csrf[65])
{
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session");
    char b64[48];
    uint8_t raw[32];
    size_t n = 0, k;
    int64_t expires = 0;
    int rc = -1, live;

    memset(token, 0, 32);
    memset(member, 0, 65);
    *key_id = 0;
    memset(csrf, 0, 65);
    if (v == NULL || strlen(v) != 43)
        return -1;
    for (k = 0; k < 43; k++)
        b64[k] = v[k] == '-' ? '+' : v[k] == '_' ? '/' : v[k];
    b64[43] = '=';
    b64[44] = '\0';
    if (wl_b64_decode(b64, 44, raw, 32, &n) != WL_OK || n != 32)
        goto out;
    wl_sha256(raw, 32, token);
    wl_rc got = wl_store_session_get(wl_thread_store(), token, member, key_id, csrf, &expires);
    if (got != WL_OK) {
        rc = got == WL_ERR_NOT_FOUND ? -1 : -2; /* no such session, or the database unread */
        goto out;
    }
    if (expires < (int64_t)time(NULL))
        goto out;
    if ((live = login_key_live(member, *key_id)) != 1) {
        rc = live == 0 ? -1 : -2;
        goto out;
    }
    rc = 0;
out:
    /* the cookie's value is the session's secret */
    sodium_memzero(b64, sizeof b64);
    sodium_memzero(raw, sizeof raw);
    if (rc != 0) {
        memset(token, 0, 32);
        memset(member, 0, 65);
        *key_id = 0;
        sodium_memzero(csrf, 65);
    }
    return rc;
}

static enum MHD_Result get_session(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    uint8_t token[32];
    char member[65], csrf[65];
    uint32_t kid;
    /* no session is a normal state for a page: 200 with member null, not an error */
    int found = wl_session_lookup(c, token, member, &kid, csrf);
    if (found == -2)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", WL_SESSION_UNREAD);
    if (found != 0)
        return wl_respond_json(c, MHD_HTTP_OK, json_pack("{s:n, s:n}", "member", "csrf"));
    return wl_respond_json(c, MHD_HTTP_OK, json_pack("{s:s, s:s}", "member", member, "csrf", csrf));
}

/* The answer to a sign-out once the session's deletion is durable. */
static enum MHD_Result logout_done(struct MHD_Connection *c, wl_req *r)
{
    const wl_job *job = r->job;
    if (job->failed)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, job->err.code, "%s", job->err.msg);
    return wl_respond_json_cookie(c, MHD_HTTP_OK, json_pack("{s:b}", "signed_out", 1),
                                  "wl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

/* POST /api/v1/logout (signed: the CSRF token is required like on any change made with the cookie).
 */
static enum MHD_Result post_logout(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    session_arg *sa;
    char member[65], csrf[65];
    uint32_t kid;
    uint8_t token[32];
    int found = wl_session_lookup(c, token, member, &kid, csrf);
    if (found == -2)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", WL_SESSION_UNREAD);
    if (found != 0)
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "no_session",
                                "sign-out ends a console session: there is none");
    if ((sa = wl_calloc(1, sizeof *sa)) == NULL)
        return MHD_NO;
    memcpy(sa->token, token, sizeof token);
    sa->del = 1;
    return session_submit(c, call->r, sa, logout_done);
}

const wl_route wl_routes_session[] = {
    {"POST", "/api/v1/login/challenge", WL_ACCESS_ANYONE, WL_BODY_MAX_SMALL, post_challenge, 0,
     NULL},
    {"POST", "/api/v1/login", WL_ACCESS_ANYONE, WL_BODY_MAX_SMALL, post_login, 0, NULL},
    {"GET", "/api/v1/session", WL_ACCESS_ANYONE, 0, get_session, 0, NULL},
    {"POST", "/api/v1/logout", WL_ACCESS_SIGNED, WL_BODY_MAX_SMALL, post_logout, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
