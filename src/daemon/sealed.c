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

#include <sodium.h>

#include "auth.h"
#include "daemon.h"
#include "entries.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "threads.h"
#include "willing/coalition.h"
#include "willing/identity.h" /* wl_member_privileged, wl_identity_sealed_signer */
#include "willing/merkle.h"
#include "willing/receipt.h"
#include "willing/request.h"

typedef struct {
    wl_sealed_rec rec; /* content and readers owned */
    wl_auth auth;      /* its nonce is recorded in the same transaction */
    int existed;
    const wl_kind *kind; /* its kind's rules: a private effect too (sealed_apply) */
    wl_entry e;          /* the parsed content (points into rec.content) */
    /* its receipt, signed with its round (wl_sealed_receipts) */
    uint8_t blind[32];
    char *receipt; /* the round's signed note, owned */
    size_t leaf_index;
    uint8_t path[WL_RECEIPT_DEPTH][32];
} put_arg;

static void free_put_arg(void *arg)
{
    put_arg *a = arg;
    wl_entry_clear(&a->e);
    wl_free(a->receipt);
    wl_free(a->rec.content);
    free(a->rec.readers); /* jansson's */
    wl_free(a);
}

static wl_rc put_sealed(wl_store *s, void *arg, wl_error *err)
{
    put_arg *a = arg;
    wl_rc rc = a->auth.nonce[0] ? wl_nonce_record(s, &a->auth, err) : WL_OK;
    if (rc != WL_OK)
        return rc;
    rc = wl_store_sealed_put(s, &a->rec);
    if (rc == WL_OK && a->kind->sealed_apply) {
        uint64_t size = 0;
        if ((rc = wl_store_size(s, &size)) != WL_OK)
            return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
        return a->kind->sealed_apply(s, &a->e, size, err);
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
                            "a pledge with this id is sealed already (under another salt?): a "
                            "pledge is sealed once; amend it to change it");
    }
    if (rc != WL_OK)
        return wl_error_set(err, rc, "storage", "storing sealed content: %s", wl_store_errmsg(s));
    return WL_OK;
}

/*
 * After the sequencer committed a round: one receipt tree per 64 sealed
 * submissions of the round, its root signed once by the operator (see
 * include/willing/receipt.h). Runs on the sequencer thread, before the
 * connections resume (registered by serve.c with wl_sequencer_on_round).
 */
void wl_sealed_receipts(wl_job *round)
{
    put_arg *args[WL_RECEIPT_LEAVES];
    uint8_t leaves[WL_RECEIPT_LEAVES][32], paths[WL_RECEIPT_LEAVES][WL_RECEIPT_DEPTH][32];
    size_t n = 0;
    for (wl_job *j = round;; j = j->next) {
        if (j && j->fn == put_sealed && !j->failed) {
            put_arg *a = j->arg;
            wl_receipt_leaf(wl_srv->origin, a->rec.commitment, a->rec.batch, a->rec.batch, a->blind,
                            leaves[n]);
            args[n++] = a;
        }
        if (n > 0 && (j == NULL || n == WL_RECEIPT_LEAVES)) {
            char *note = NULL;
            if (wl_receipt_sign(wl_srv->origin, wl_srv->op_id, &wl_srv->op_key,
                                (const uint8_t(*)[32])leaves, n, &note, paths) == WL_OK)
                for (size_t i = 0; i < n; i++) {
                    args[i]->receipt = wl_strndup(note, strlen(note));
                    args[i]->leaf_index = i;
                    memcpy(args[i]->path, paths[i], sizeof paths[i]);
                }
            wl_free(note);
            n = 0;
        }
        if (j == NULL)
            break;
    }
}

/* Copies s (NULL: "") into out of cap bytes; 0 if it does not fit. */
static int fits(char *out, size_t cap, const char *s)
{
    int w = snprintf(out, cap, "%s", s ? s : "");
    return w >= 0 && (size_t)w < cap;
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

/*
 * The kinds that may be sealed, as the registry has them, those only ever
 * sealed first: "pledge, pledge.withdraw, member.add, key.add or member.status".
 */
static void sealable_kinds(char *out, size_t cap)
{
    const wl_kind *k;
    size_t total = 0, n = 0, len = 0;
    out[0] = '\0';
    for (size_t i = 0; (k = wl_kind_at(i)) != NULL; i++)
        total += k->seal != WL_SEAL_NEVER;
    static const unsigned order[] = {WL_SEAL_ONLY, WL_SEAL_MAY};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; (k = wl_kind_at(i)) != NULL; i++) {
            int w;
            if (k->seal != order[o])
                continue;
            w = snprintf(out + len, cap - len, "%s%s",
                         n == 0           ? ""
                         : n + 1 == total ? " or "
                                          : ", ",
                         k->name);
            if (w < 0 || (size_t)w >= cap - len)
                return; /* a message cut at a kind is still true */
            len += (size_t)w;
            n++;
        }
}

/* A refusal by a kind's rule: its error, a storage failure as 503 (send it again). */
static enum MHD_Result refuse(struct MHD_Connection *c, const wl_error *err)
{
    return wl_respond_error(c,
                            strcmp(err->code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                              : wl_status_for(err->rc),
                            err->code, "%s", err->msg);
}

/* The answer once the sealed content and the request's nonce are durable. */
static enum MHD_Result sealed_post_done(struct MHD_Connection *c, wl_req *r)
{
    wl_job *j = r->job;
    put_arg *pa = j->arg;
    int64_t deadline = pa->rec.batch;
    char cb[45], hex[65], bb[45], out[2048];
    size_t n;
    int w, ok;
    enum MHD_Result ret;
    if (j->failed)
        return wl_respond_error(c,
                                strcmp(j->err.code, "replayed_request") == 0 ? MHD_HTTP_UNAUTHORIZED
                                : strcmp(j->err.code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                                      : wl_status_for(j->err.rc),
                                j->err.code, "%s", j->err.msg);
    if (pa->receipt == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "receipt",
                                "stored, but the receipt could not be signed: send it again");
    wl_b64_encode(pa->rec.commitment, 32, cb);
    wl_hex_encode(pa->rec.commitment, 32, hex);
    wl_b64_encode(pa->blind, 32, bb);
    /*
     * Formatted by hand (this answer is on the hot path of sealing), every
     * piece checked against the buffer: a receipt that does not fit is an
     * error, never a cut answer.
     */
    w = snprintf(out, sizeof out,
                 "{\"commitment\":\"%s\",\"id\":\"%s\",\"batch\":%lld,\"deadline\":%lld,"
                 "\"receipt\":\"",
                 cb, hex, (long long)pa->rec.batch, (long long)deadline);
    ok = w > 0 && (size_t)w < sizeof out;
    n = ok ? (size_t)w : 0;
    for (const char *p = pa->receipt; ok && *p; p++) {
        int esc = *p == '\n' || *p == '"' || *p == '\\';
        if ((unsigned char)*p < 0x20 && *p != '\n')
            continue;
        if (n + 2 >= sizeof out) {
            ok = 0;
            break;
        }
        if (esc)
            out[n++] = '\\';
        out[n++] = *p == '\n' ? 'n' : *p;
    }
    if (ok) {
        w = snprintf(out + n, sizeof out - n,
                     "\",\"receipt_proof\":{\"blind\":\"%s\",\"index\":%zu,\"path\":[", bb,
                     pa->leaf_index);
        ok = w > 0 && (size_t)w < sizeof out - n;
        n += ok ? (size_t)w : 0;
    }
    for (int d = 0; ok && d < WL_RECEIPT_DEPTH; d++) {
        if (n + 48 >= sizeof out) {
            ok = 0;
            break;
        }
        if (d)
            out[n++] = ',';
        out[n++] = '"';
        wl_b64_encode(pa->path[d], 32, out + n);
        n += 44;
        out[n++] = '"';
    }
    if (ok) {
        w = snprintf(out + n, sizeof out - n, "]}}\n");
        ok = w > 0 && (size_t)w < sizeof out - n;
        n += ok ? (size_t)w : 0;
    }
    if (!ok)
        return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "receipt",
                                "the receipt does not fit its answer (%zu bytes)", sizeof out);
    ret = wl_respond_bytes(c, pa->existed ? MHD_HTTP_OK : MHD_HTTP_CREATED, "application/json", out,
                           n, "no-store");
    return ret;
}

/* POST /api/v1/sealed (anyone: the content's own signature authenticates it). */
static enum MHD_Result post_sealed(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_req *r = call->r;
    wl_auth a;
    json_error_t jerr;
    json_t *root = NULL, *readers;
    const char *salt_b64, *content_b64, *subject = NULL, *id = NULL;
    const wl_kind *k;
    uint8_t salt[32];
    char *content = NULL, why[300];
    size_t slen = 0, clen = 0, sl = 0, cl = 0;
    wl_entry e;
    wl_error serr;
    put_arg *pa;
    int64_t now = (int64_t)time(NULL);
    enum MHD_Result ret;

    memset(&e, 0, sizeof e);
    if (wl_srv->seal_interval == 0)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "sealing_off",
                                "this log was started with --seal-interval 0: sealing is off");
    /*
     * The content's own signature authenticates a submission, as an entry's
     * does; a signed request (RFC 9421) is checked too when one is sent. A
     * replay of the same bytes gets the same receipt (200); the same pledge
     * under another salt is refused: a pledge id is sealed once.
     */
    memset(&a, 0, sizeof a);
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") != NULL &&
        wl_authenticate_deferred(c, call->method, r, &a) != 0)
        return wl_auth_refuse(c, &a);
    if (!wl_request_sealed_split(r->body, r->len, &salt_b64, &sl, &content_b64, &cl)) {
        static const char *const fields[] = {"salt", "content", NULL};
        wl_error shape;
        root = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &jerr);
        if (root == NULL)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_json",
                                    "the body is not valid JSON: %s (line %d, column %d)",
                                    jerr.text, jerr.line, jerr.column);
        if (wl_request_shape(root, fields, "ss", &shape) != WL_OK) {
            json_decref(root);
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, shape.code, "%s", shape.msg);
        }
        salt_b64 = json_string_value(json_object_get(root, "salt"));
        content_b64 = json_string_value(json_object_get(root, "content"));
        sl = strlen(salt_b64);
        cl = strlen(content_b64);
    }
    content = wl_malloc(cl / 4 * 3 + 3);
    if (content == NULL) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                               "cannot decode the content");
        goto out;
    }
    if (sl != 44 || wl_b64_decode(salt_b64, sl, salt, 32, &slen) != WL_OK || slen != 32) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_base64",
                               "'salt' must be standard base64 of exactly 32 random bytes "
                               "(44 characters; got %zu)",
                               sl);
        goto out;
    }
    if (wl_b64_decode(content_b64, cl, (uint8_t *)content, cl / 4 * 3 + 3, &clen) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_base64",
                               "'content' must be standard base64 (RFC 4648 §4, padded)");
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
    /* the rules are the kind's (willing/module.h): whether it may be sealed, its body, its ids */
    if ((k = wl_kind_sealable(e.kind)) == NULL) {
        char kinds[512];
        sealable_kinds(kinds, sizeof kinds);
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "unknown_kind",
                               "sealed content is of kind %s", kinds);
        goto out;
    }
    if (k->sealed_subject) { /* the member it is about reads it */
        subject = json_string_value(json_object_get(e.body_json, k->sealed_subject));
        if (subject == NULL || !wl_valid_member_id(subject, strlen(subject)) ||
            json_object_get(e.body_json, "readers")) {
            ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_body",
                                   "%s: '%s' must be a member id (and no readers: the "
                                   "member it names and the coordinator read it)",
                                   e.kind, k->sealed_subject);
            goto out;
        }
    }
    if (k->validate && k->validate(&e, &serr) != WL_OK) {
        ret = refuse(c, &serr);
        goto out;
    }
    if (k->sealed_id)
        id = json_string_value(json_object_get(e.body_json, k->sealed_id));
    /* identity's: signed by a live key of its author, of a scope that may write the kind */
    if (wl_identity_sealed_signer(wl_thread_store(), &e, &serr) != WL_OK) {
        ret = refuse(c, &serr);
        goto out;
    }
    /* the kind's rules against the store (a pledge: amended or withdrawn only by its author) */
    if (k->seal_check && k->seal_check(wl_thread_store(), &e, &serr) != WL_OK) {
        ret = refuse(c, &serr);
        goto out;
    }
    readers = json_object_get(e.body_json, "readers");
    pa = wl_calloc(1, sizeof *pa);
    if (pa == NULL) {
        ret = MHD_NO;
        goto out;
    }
    wl_seal_commitment(salt, content, clen, pa->rec.commitment);
    randombytes_buf(pa->blind, sizeof pa->blind);
    memcpy(pa->rec.salt, salt, 32);
    /* ids were checked above (the kind's own id, member ids): one that does not fit is refused */
    if ((id && !fits(pa->rec.pledge, sizeof pa->rec.pledge, id)) ||
        !fits(pa->rec.author, sizeof pa->rec.author, e.author) ||
        (subject && !fits(pa->rec.subject, sizeof pa->rec.subject, subject))) {
        wl_free(pa);
        ret = wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "invalid_body",
                               "an id in the content is too long");
        goto out;
    }
    pa->kind = k;
    pa->rec.content = content; /* the job owns it now */
    content = NULL;
    pa->rec.content_len = clen;
    {
        json_t *none = readers ? NULL : json_array();
        pa->rec.readers = json_dumps(readers ? readers : none, JSON_COMPACT); /* "[]" if none */
        json_decref(none);
    }
    /* a batch is named by its deadline, which stays true under another --seal-interval */
    pa->rec.batch = (now / (int64_t)wl_srv->seal_interval + 1) * (int64_t)wl_srv->seal_interval;
    pa->rec.received = now;
    pa->auth = a;
    pa->e = e; /* the job owns the parsed content now; it points into rec.content */
    memset(&e, 0, sizeof e);
    ret = wl_sequencer_defer_fn(c, r, put_sealed, pa, free_put_arg, sealed_post_done);
out:
    wl_entry_clear(&e);
    json_decref(root);
    wl_free(content);
    return ret;
}

/* GET /api/v1/sealed/<commitment in hex> (signed). */
static enum MHD_Result get_sealed(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *hex = call->rest;
    const wl_auth *a = &call->auth;
    wl_member m;
    wl_sealed_rec rec;
    uint8_t commitment[32];
    char sb[45], cb[45], *content_b64 = NULL;
    json_t *o;
    wl_store *s = wl_thread_store();
    enum MHD_Result ret;

    if (wl_hex_decode(hex, strlen(hex), commitment, 32) != WL_OK ||
        wl_store_sealed_get(s, commitment, &rec) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "no sealed content %s that you may read", hex);
    /* rec is held from here: one way out */
    if (wl_srv->seal_interval == 0) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "sealing_off", "sealing is off");
        goto out;
    }
    if (strcmp(rec.author, a->member) != 0 && strcmp(rec.subject, a->member) != 0 &&
        !reader_of(rec.readers, a->member) &&
        !(wl_store_member_get(s, a->member, &m) == WL_OK && wl_member_privileged(&m))) {
        /* the same answer as for content that does not exist: nothing to infer */
        ret = wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                               "no sealed content %s that you may read", hex);
        goto out;
    }
    wl_b64_encode(rec.salt, 32, sb);
    wl_b64_encode(commitment, 32, cb);
    content_b64 = wl_malloc(wl_b64_len(rec.content_len) + 1);
    if (content_b64 == NULL) {
        ret = MHD_NO;
        goto out;
    }
    wl_b64_encode((const uint8_t *)rec.content, rec.content_len, content_b64);
    o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "commitment", cb, "author", rec.author, "salt",
                  sb, "content", content_b64, "batch", (json_int_t)rec.batch, "deadline",
                  (json_int_t)rec.batch);
    json_object_set_new(o, "readers", json_loads(rec.readers, 0, NULL));
    json_object_set_new(o, "envelope",
                        rec.envelope == UINT64_MAX ? json_null()
                                                   : json_integer((json_int_t)rec.envelope));
    /* the receipt completed: the envelope's tlog-proof once a checkpoint covers it */
    if (rec.envelope != UINT64_MAX) {
        size_t pl = 0;
        wl_rc why;
        char *proof = wl_tlog_proof_text(s, rec.envelope, &pl, &why);
        if (proof)
            json_object_set_new(o, "envelope_proof", json_stringn(proof, pl));
        wl_free(proof);
    }
    ret = wl_respond_json(c, MHD_HTTP_OK, o);
out:
    wl_free(content_b64);
    wl_store_sealed_free(&rec);
    return ret;
}

/*
 * GET /api/v1/sealed[?after=<id>&limit=N] (signed, or a console session): the
 * requester's own sealed content (what it wrote, and what names it), oldest
 * first, with who may read each: for the member pages. A page holds up to
 * `limit` items (WL_SEALED_PAGE_MAX, the default); when more remain, `next`
 * is the path of the following page.
 */
static enum MHD_Result get_sealed_mine(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const wl_auth *a = &call->auth;
    wl_store *s = wl_thread_store();
    const char *after_hex = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    const char *limit_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    uint8_t(*ids)[32] = NULL, after[32];
    uint64_t limit = WL_SEALED_PAGE_MAX;
    size_t n = 0;
    json_t *list, *o;
    enum MHD_Result ret;
    if (limit_s && (wl_parse_u64(limit_s, strlen(limit_s), &limit) != WL_OK || limit < 1 ||
                    limit > WL_SEALED_PAGE_MAX))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "limit: 1 to %u items in a page", WL_SEALED_PAGE_MAX);
    if (after_hex) {
        wl_sealed_rec rec;
        int yours;
        if (strlen(after_hex) != 64 || wl_hex_decode(after_hex, 64, after, 32) != WL_OK ||
            wl_store_sealed_get(s, after, &rec) != WL_OK)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "after: the id of an item of yours (from `next`)");
        yours = strcmp(rec.author, a->member) == 0 || strcmp(rec.subject, a->member) == 0;
        wl_store_sealed_free(&rec);
        if (!yours) /* the same answer: another member's ids reveal nothing */
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "after: the id of an item of yours (from `next`)");
    }
    /* one more than the page: whether more remain; ids and list held from here: one way out */
    ids = wl_malloc((limit + 1) * 32);
    list = json_array();
    if (ids == NULL || s == NULL ||
        wl_store_sealed_mine(s, a->member, after_hex ? after : NULL, ids, limit + 1, &n) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
        goto out;
    }
    for (size_t i = 0; i < n && i < limit; i++) {
        wl_sealed_rec rec;
        wl_entry e;
        char hex[65];
        if (wl_store_sealed_get(s, ids[i], &rec) != WL_OK) {
            ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
            goto out;
        }
        wl_hex_encode(ids[i], 32, hex);
        o = json_pack("{s:s, s:s, s:I, s:I}", "id", hex, "author", rec.author, "batch",
                      (json_int_t)rec.batch, "deadline", (json_int_t)rec.batch);
        json_object_set_new(o, "readers", json_loads(rec.readers, 0, NULL));
        json_object_set_new(o, "envelope",
                            rec.envelope == UINT64_MAX ? json_null()
                                                       : json_integer((json_int_t)rec.envelope));
        if (wl_sealed_parse(rec.content, rec.content_len, &e, NULL, 0) == WL_OK) {
            json_object_set_new(o, "kind", json_string(e.kind));
            json_object_set(o, "body", e.body_json);
            json_object_set_new(o, "time", json_integer((json_int_t)e.time));
            wl_entry_clear(&e);
        }
        json_array_append_new(list, o);
        wl_store_sealed_free(&rec);
    }
    o = json_pack("{s:s, s:o}", "member", a->member, "sealed", list);
    if (n > limit) {
        char hex[65], next[160];
        wl_hex_encode(ids[limit - 1], 32, hex);
        (void)snprintf(next, sizeof next, "/api/v1/sealed?after=%s&limit=%llu", hex,
                       (unsigned long long)limit); /* 64 + 20 digits fit */
        json_object_set_new(o, "next", json_string(next));
    }
    ret = wl_respond_json(c, MHD_HTTP_OK, o);
    list = NULL; /* the answer's */
out:
    json_decref(list);
    wl_free(ids);
    return ret;
}

const wl_route wl_routes_sealed[] = {
    {"POST", "/api/v1/sealed", WL_ACCESS_ANYONE, WL_BODY_MAX_ENTRY, post_sealed, 0, NULL},
    {"GET", "/api/v1/sealed", WL_ACCESS_SIGNED, 0, get_sealed_mine, 0, NULL},
    {"GET", "/api/v1/sealed/*", WL_ACCESS_SIGNED, 0, get_sealed, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
