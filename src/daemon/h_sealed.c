/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sealed content (issue 3, point 2): POST /api/v1/sealed takes a member's
 * sealed content (signed by its author, which authenticates it) and salt,
 * stores them privately and durably, and answers at once with a receipt
 * signed by the operator
 * (commitment, batch, deadline). GET /api/v1/sealed/<commitment in hex>
 * gives the content, and once published the envelope's index and proof, to
 * its author, the coordinator (operator and coordinator roles) and the
 * members the content names; to anyone else it does not exist (404).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "willing/coalition.h"
#include "willing/merkle.h"

typedef struct {
    wl_sealed_rec rec; /* content and readers owned */
    wl_auth auth;      /* its nonce is recorded in the same transaction */
    int existed;
    int about_member; /* member.add, key.add, member.status: a private effect too */
    wl_entry e;       /* the parsed content (points into rec.content) */
} put_arg;

static void free_put_arg(void *arg)
{
    put_arg *a = arg;
    wl_entry_clear(&a->e);
    free(a->rec.content);
    free(a->rec.readers);
    free(a);
}

static wl_rc put_sealed(wl_store *s, void *arg, wl_error *err)
{
    put_arg *a = arg;
    wl_rc rc = a->auth.nonce[0] ? wl_nonce_record(s, &a->auth, err) : WL_OK;
    if (rc != WL_OK)
        return rc;
    rc = wl_store_sealed_put(s, &a->rec);
    if (rc == WL_OK && a->about_member) {
        uint64_t size = 0;
        if ((rc = wl_store_size(s, &size)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        return wl_sealed_member_apply(s, &a->e, size, err);
    }
    if (rc == WL_ERR_CONFLICT) {
        wl_sealed_rec old;
        if (wl_store_sealed_get(s, a->rec.commitment, &old) == WL_OK) {
            a->existed = 1;
            a->rec.batch = old.batch; /* the same receipt as the first time */
            wl_store_sealed_free(&old);
            return WL_OK;
        }
        return wl_error_set(err, WL_ERR_CONFLICT, "already_sealed",
                            "this content is sealed already, under another salt: a content "
                            "has one commitment");
    }
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "storing sealed content: %s", wl_store_errmsg(s));
    return WL_OK;
}

/* "willing.receipt/v1\n<origin>\n<commitment>\n<batch>\n<deadline>\n" signed by the operator */
static char *receipt(const uint8_t commitment[32], int64_t batch, int64_t deadline)
{
    char text[512], cb[45], *out;
    size_t tl, sl;
    wl_b64_encode(commitment, 32, cb);
    tl = (size_t)snprintf(text, sizeof text, "willing.receipt/v1\n%s\n%s\n%lld\n%lld\n",
                          wl_srv->origin, cb, (long long)batch, (long long)deadline);
    out = malloc(tl + 400);
    if (out == NULL)
        return NULL;
    memcpy(out, text, tl);
    out[tl] = '\n';
    sl = wl_note_sign_line(text, tl, wl_srv->op_id, WL_SIGTYPE_ED25519, &wl_srv->op_key, 0,
                           out + tl + 1, 399);
    out[tl + 1 + sl] = '\0';
    return out;
}

static int reader_of(const char *readers_json, const char *member)
{
    json_t *a = json_loads(readers_json, 0, NULL);
    size_t i;
    json_t *v;
    int yes = 0;
    json_array_foreach(a, i, v) if (json_is_string(v) && strcmp(json_string_value(v), member) == 0)
        yes = 1;
    json_decref(a);
    return yes;
}

/* The answer once the sealed content and the request's nonce are durable. */
static enum MHD_Result sealed_post_done(struct MHD_Connection *c, wl_req *r)
{
    wl_job *j = r->job;
    put_arg *pa = j->arg;
    int64_t deadline = pa->rec.batch * (int64_t)wl_srv->seal_interval;
    char cb[45], hex[65], *rcpt;
    enum MHD_Result ret;
    if (j->failed)
        return wl_respond_error(c,
                                strcmp(j->err.code, "replayed_request") == 0 ? MHD_HTTP_UNAUTHORIZED
                                : strcmp(j->err.code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                                      : wl_status_for(j->err.rc),
                                j->err.code, "%s", j->err.msg);
    rcpt = receipt(pa->rec.commitment, pa->rec.batch, deadline);
    wl_b64_encode(pa->rec.commitment, 32, cb);
    wl_hex_encode(pa->rec.commitment, 32, hex);
    ret = wl_respond_json(c, pa->existed ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                          json_pack("{s:s, s:s, s:I, s:I, s:s}", "commitment", cb, "id", hex,
                                    "batch", (json_int_t)pa->rec.batch, "deadline",
                                    (json_int_t)deadline, "receipt", rcpt ? rcpt : ""));
    free(rcpt);
    return ret;
}

enum MHD_Result wl_h_sealed_post(struct MHD_Connection *c, const char *method, wl_req *r)
{
    wl_auth a;
    json_error_t jerr;
    json_t *root = NULL, *readers;
    const char *salt_b64, *content_b64, *subject = NULL;
    int about_member = 0;
    uint8_t salt[32];
    char *content = NULL, why[300];
    size_t slen = 0, clen = 0;
    wl_entry e;
    wl_member_key keys[4];
    size_t nk = 0;
    int ok = 0;
    put_arg *pa;
    wl_job *job;
    int64_t now = (int64_t)time(NULL);
    enum MHD_Result ret;

    memset(&e, 0, sizeof e);
    if (wl_srv->seal_interval == 0)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "sealing_off",
                                "this log was started with --seal-interval 0: sealing is off");
    /*
     * The content's own signature authenticates a submission, as an entry's
     * does; a signed request (RFC 9421) is checked too when one is sent. A
     * replay of the same bytes gets the same receipt (200); the same content
     * under another salt is refused: one commitment per content.
     */
    memset(&a, 0, sizeof a);
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") != NULL &&
        wl_authenticate_deferred(c, method, r, &a) != 0)
        return wl_respond_error(c, a.status, a.code, "%s", a.msg);
    root = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &jerr);
    salt_b64 = json_string_value(json_object_get(root, "salt"));
    content_b64 = json_string_value(json_object_get(root, "content"));
    if (root == NULL || json_object_size(root) != 2 || salt_b64 == NULL || content_b64 == NULL) {
        json_decref(root);
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_request",
                                "the body must be {\"salt\": base64 of 32 random bytes, "
                                "\"content\": base64 of the sealed note}");
    }
    content = malloc(strlen(content_b64) / 4 * 3 + 3);
    if (content == NULL || wl_b64_decode(salt_b64, strlen(salt_b64), salt, 32, &slen) != WL_OK ||
        slen != 32 ||
        wl_b64_decode(content_b64, strlen(content_b64), (uint8_t *)content,
                      strlen(content_b64) / 4 * 3 + 3, &clen) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_base64",
                               "salt (32 bytes) and content must be standard base64");
        goto out;
    }
    if (wl_sealed_parse(content, clen, &e, why, sizeof why) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_content",
                               "the content is not sealed content: %s", why);
        goto out;
    }
    if (strcmp(e.origin, wl_srv->origin) != 0 || (a.member[0] && strcmp(e.author, a.member) != 0)) {
        ret = wl_respond_error(c, MHD_HTTP_FORBIDDEN, "not_your_content",
                               "the content must be for this log and by the requesting member");
        goto out;
    }
    about_member = strcmp(e.kind, "member.add") == 0 || strcmp(e.kind, "key.add") == 0 ||
                   strcmp(e.kind, "member.status") == 0;
    if (strcmp(e.kind, "pledge") == 0) {
        if (wl_pledge_check(e.body_json, why, sizeof why) != WL_OK) {
            ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_pledge", "%s", why);
            goto out;
        }
    } else if (about_member) {
        subject = json_string_value(json_object_get(e.body_json, "member"));
        if (subject == NULL || !wl_valid_member_id(subject, strlen(subject)) ||
            json_object_get(e.body_json, "readers")) {
            ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_body",
                                   "%s: 'member' must be a member id (and no readers: the "
                                   "member it names and the coordinator read it)",
                                   e.kind);
            goto out;
        }
    } else if (strcmp(e.kind, "pledge.withdraw") != 0) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "unknown_kind",
                               "sealed content is of kind pledge, pledge.withdraw, member.add, "
                               "key.add or member.status");
        goto out;
    }
    if (wl_store_keys_by_id(wl_thread_store(), e.author, e.key_id, keys, 4, &nk) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read keys");
        goto out;
    }
    for (size_t i = 0; i < nk; i++)
        if (keys[i].revoked == UINT64_MAX && strcmp(keys[i].scope, "login") != 0 &&
            wl_entry_verify_sig(&e, keys[i].pk) == WL_OK)
            ok = 1;
    if (!ok) {
        ret = wl_respond_error(c, MHD_HTTP_FORBIDDEN, "bad_signature",
                               "the content is not signed by a live signing key of %s", e.author);
        goto out;
    }
    /* amending or withdrawing: only one's own pledge */
    {
        const char *target = json_string_value(json_object_get(
            e.body_json, strcmp(e.kind, "pledge.withdraw") == 0 ? "pledge" : "amends"));
        char owner[65];
        if (strcmp(e.kind, "pledge.withdraw") == 0 &&
            (target == NULL || strlen(target) != 32 || strspn(target, "0123456789abcdef") != 32)) {
            ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_pledge",
                                   "pledge.withdraw: {\"pledge\": the id of the pledge withdrawn}");
            goto out;
        }
        if (target) {
            wl_rc orc = wl_store_pledge_author(wl_thread_store(), target, owner);
            if (orc == WL_ERR_NOT_FOUND) {
                ret = wl_respond_error(c, MHD_HTTP_NOT_FOUND, "unknown_pledge",
                                       "no pledge %s of yours to amend or withdraw", target);
                goto out;
            }
            if (orc != WL_OK || strcmp(owner, e.author) != 0) {
                /* the same answer: another member's pledge ids reveal nothing either */
                ret = wl_respond_error(c, MHD_HTTP_NOT_FOUND, "unknown_pledge",
                                       "no pledge %s of yours to amend or withdraw", target);
                goto out;
            }
        }
    }
    readers = json_object_get(e.body_json, "readers");
    pa = calloc(1, sizeof *pa);
    job = calloc(1, sizeof *job);
    if (pa == NULL || job == NULL) {
        free(pa);
        free(job);
        ret = MHD_NO;
        goto out;
    }
    wl_seal_commitment(salt, content, clen, pa->rec.commitment);
    memcpy(pa->rec.salt, salt, 32);
    if (strcmp(e.kind, "pledge") == 0)
        snprintf(pa->rec.pledge, sizeof pa->rec.pledge, "%s",
                 json_string_value(json_object_get(e.body_json, "pledge")));
    snprintf(pa->rec.author, sizeof pa->rec.author, "%s", e.author);
    if (subject)
        snprintf(pa->rec.subject, sizeof pa->rec.subject, "%s", subject);
    pa->about_member = about_member;
    pa->rec.content = content; /* the job owns it now */
    content = NULL;
    pa->rec.content_len = clen;
    pa->rec.readers = readers ? json_dumps(readers, JSON_COMPACT) : strdup("[]");
    pa->rec.batch = now / (int64_t)wl_srv->seal_interval + 1;
    pa->rec.received = now;
    pa->auth = a;
    pa->e = e; /* the job owns the parsed content now; it points into rec.content */
    memset(&e, 0, sizeof e);
    job->fn = put_sealed;
    job->arg = pa;
    job->free_arg = free_put_arg;
    job->conn = c;
    r->job = job;
    r->done = sealed_post_done;
    /* durable before the answer, without holding a worker thread meanwhile */
    MHD_suspend_connection(c);
    wl_sequencer_submit(job);
    ret = MHD_YES;
out:
    wl_entry_clear(&e);
    json_decref(root);
    free(content);
    return ret;
}

enum MHD_Result wl_h_sealed_get(struct MHD_Connection *c, const char *method, wl_req *r,
                                const char *hex)
{
    wl_auth a;
    wl_member m;
    wl_sealed_rec rec;
    uint8_t commitment[32];
    char sb[45], cb[45], *content_b64;
    json_t *o;
    wl_store *s = wl_thread_store();
    int allowed;

    if (wl_authenticate(c, method, r, &a) != 0)
        return wl_respond_error(c, a.status, a.code, "%s", a.msg);
    if (wl_hex_decode(hex, strlen(hex), commitment, 32) != WL_OK ||
        wl_store_sealed_get(s, commitment, &rec) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no sealed content %s that you may read", hex);
    if (wl_srv->seal_interval == 0) {
        wl_store_sealed_free(&rec);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "sealing_off", "sealing is off");
    }
    allowed = strcmp(rec.author, a.member) == 0 || strcmp(rec.subject, a.member) == 0 ||
              reader_of(rec.readers, a.member) ||
              (wl_store_member_get(s, a.member, &m) == WL_OK &&
               (strcmp(m.role, "coordinator") == 0 || strcmp(m.role, "operator") == 0));
    if (!allowed) {
        wl_store_sealed_free(&rec);
        /* the same answer as for content that does not exist: nothing to infer */
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no sealed content %s that you may read", hex);
    }
    wl_b64_encode(rec.salt, 32, sb);
    wl_b64_encode(commitment, 32, cb);
    content_b64 = malloc(wl_b64_len(rec.content_len) + 1);
    if (content_b64 == NULL) {
        wl_store_sealed_free(&rec);
        return MHD_NO;
    }
    wl_b64_encode((const uint8_t *)rec.content, rec.content_len, content_b64);
    o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "commitment", cb, "author", rec.author, "salt",
                  sb, "content", content_b64, "batch", (json_int_t)rec.batch, "deadline",
                  (json_int_t)(rec.batch * (int64_t)wl_srv->seal_interval));
    json_object_set_new(o, "readers", json_loads(rec.readers, 0, NULL));
    json_object_set_new(o, "envelope",
                        rec.envelope == UINT64_MAX ? json_null()
                                                   : json_integer((json_int_t)rec.envelope));
    free(content_b64);
    wl_store_sealed_free(&rec);
    return wl_respond_json(c, MHD_HTTP_OK, o);
}
