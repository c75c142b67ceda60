/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Members (issue 3, point 1).
 *   GET /api/v1/members: the public members (added in public, or announced),
 *     their roles and status; signed by the coordinator or the operator, every
 *     member, sealed ones too; signed by a sealed member, the public ones and
 *     itself. A member that has not announced appears in nothing public.
 *   POST /api/v1/members/announce (signed by an officer of a sealed member):
 *     the member announces itself. The operator, who authored its sealed
 *     member.add and key.add, appends the announce entries that reveal them;
 *     the member decides when.
 *   GET /api/v1/whoami (signed): the caller's member, key ID and scope.
 */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "auth.h"
#include "daemon.h"
#include "http.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "willing/csv.h"
#include "willing/identity.h" /* wl_member_privileged */
#include "willing/ledger.h"

typedef struct {
    json_t *a;
    const char *self; /* the requesting member, or NULL */
    int all;          /* the coordinator's view */
} members_ctx;

static wl_rc one_member(void *ctx, const wl_member *m)
{
    members_ctx *mc = ctx;
    json_t *o;
    if (m->sealed && !mc->all && (mc->self == NULL || strcmp(mc->self, m->id) != 0))
        return WL_OK;
    o = json_pack("{s:s, s:s, s:s, s:s}", "member", m->id, "name", m->name, "role", m->role,
                  "status", m->status);
    /* a sealed member's row has no public entry: its position is private too */
    json_object_set_new(o, "added", m->sealed ? json_null() : json_integer((json_int_t)m->added));
    if (mc->all || m->sealed)
        json_object_set_new(o, "sealed", json_boolean(m->sealed));
    json_array_append_new(mc->a, o);
    return WL_OK;
}

/* GET /api/v1/members: anyone; a signature or session, when sent, is checked and widens the view.
 */
static enum MHD_Result get_members(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    members_ctx mc = {NULL, NULL, 0};
    wl_store *s = wl_thread_store();
    wl_auth *a = &call->auth;
    wl_member me;
    const char *view = "public";
    const char *format;
    wl_buf b = {0};
    char *notice = NULL;
    json_t *o;
    enum MHD_Result ret;
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Signature") != NULL ||
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "wl_session") != NULL) {
        if (wl_authenticate(c, call->method, call->r, a) != 0)
            return wl_auth_refuse(c, a);
        if (wl_store_member_get(s, a->member, &me) == WL_OK) {
            mc.self = a->member;
            mc.all = wl_member_privileged(&me);
            view = mc.all ? "coordinator" : "member";
        }
    }
    mc.a = json_array();
    if (wl_store_members(s, one_member, &mc) != WL_OK) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
        goto out;
    }
    format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    if (format && strcmp(format, "csv") == 0) {
        size_t i;
        json_t *m;
        wl_rc rc = wl_buf_append(&b, "member,name,role,status,added\r\n", 31, WL_CSV_MAX_BYTES);
        json_array_foreach(mc.a, i, m)
        {
            json_t *added = json_object_get(m, "added");
            char at[24] = "";
            if (json_is_integer(added)) /* 20 digits fit */
                (void)snprintf(at, sizeof at, "%lld", (long long)json_integer_value(added));
            if (rc == WL_OK)
                rc = wl_csv_cell(&b, json_string_value(json_object_get(m, "member")), 0,
                                 WL_CSV_MAX_BYTES);
            if (rc == WL_OK)
                rc = wl_csv_cell(&b, json_string_value(json_object_get(m, "name")), WL_CSV_QUOTE,
                                 WL_CSV_MAX_BYTES);
            if (rc == WL_OK)
                rc = wl_csv_cell(&b, json_string_value(json_object_get(m, "role")), 0,
                                 WL_CSV_MAX_BYTES);
            if (rc == WL_OK)
                rc = wl_csv_cell(&b, json_string_value(json_object_get(m, "status")), 0,
                                 WL_CSV_MAX_BYTES);
            if (rc == WL_OK)
                rc = wl_csv_cell(&b, at, WL_CSV_LAST, WL_CSV_MAX_BYTES);
        }
        if (rc != WL_OK)
            ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too_large",
                                   "the members pass the CSV limit of %u bytes "
                                   "(WL_CSV_MAX_BYTES): use the JSON list",
                                   WL_CSV_MAX_BYTES);
        else
            ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", b.buf, b.len,
                                   "no-store");
        goto out;
    }
    o = json_pack("{s:s, s:O}", "view", view, "members", mc.a);
    if (wl_store_meta_get(s, "notice", &notice) == WL_OK)
        json_object_set_new(o, "notice", json_string(notice));
    ret = wl_respond_json(c, MHD_HTTP_OK, o);
out:
    wl_free(notice);
    wl_buf_free(&b);
    json_decref(mc.a);
    return ret;
}

typedef struct {
    char **entries; /* built announce entries, in order: member.add first */
    size_t n;
    uint64_t first, last;
    wl_auth auth; /* its nonce is recorded in the same transaction */
} announce_arg;

/* Sequences the member's announce entries in one transaction: all or none. */
static wl_rc announce_all(wl_store *s, void *arg, wl_error *err)
{
    announce_arg *aa = arg;
    wl_rc nrc = wl_nonce_record(s, &aa->auth, err);
    if (nrc != WL_OK)
        return nrc;
    for (size_t i = 0; i < aa->n; i++) {
        wl_pending p;
        uint64_t idx = 0;
        int existed = 0;
        wl_rc rc =
            wl_ledger_precheck(s, wl_srv->origin, aa->entries[i], strlen(aa->entries[i]), &p, err);
        if (rc == WL_OK)
            rc = wl_ledger_sequence(s, &p, &idx, &existed, err);
        wl_pending_clear(&p);
        if (rc != WL_OK)
            return rc;
        if (i == 0)
            aa->first = idx;
        aa->last = idx;
    }
    return WL_OK;
}

static void announce_arg_free(void *arg)
{
    announce_arg *aa = arg;
    if (aa == NULL)
        return;
    for (size_t i = 0; i < aa->n; i++)
        wl_free(aa->entries[i]);
    wl_free(aa->entries);
    wl_free(aa);
}

/* The answer once the announcements (and the request's nonce) are durable. */
static enum MHD_Result announce_done(struct MHD_Connection *c, wl_req *r)
{
    const wl_job *job = r->job;
    const announce_arg *aa = job->arg;
    if (job->failed)
        return wl_auth_job_refuse(c, &job->err);
    return wl_respond_json(c, MHD_HTTP_CREATED,
                           json_pack("{s:s, s:s, s:I, s:I}", "member", aa->auth.member, "status",
                                     "announced", "first", (json_int_t)aa->first, "last",
                                     (json_int_t)aa->last));
}

/*
 * POST /api/v1/members/announce (WL_ROUTE_OWN_NONCE: the request's nonce is
 * recorded in the transaction of the announcements).
 */
static enum MHD_Result post_announce(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_req *r = call->r;
    wl_store *s = wl_thread_store();
    wl_auth a = call->auth;
    wl_member me;
    uint8_t(*page)[32] = NULL;
    size_t n = 0;
    announce_arg *aa = NULL;
    enum MHD_Result ret;
    struct timeval tv;
    uint64_t seq;
    int have_add = 0;

    /* announcing a membership reveals its member.add: identity, a signing key's to ask */
    {
        wl_error serr;
        if (wl_scope_check("member.add", a.scope, &serr) != WL_OK)
            return wl_respond_error(c, MHD_HTTP_FORBIDDEN, serr.code, "%s", serr.msg);
    }
    if (r->len > 0 && !(r->len == 2 && memcmp(r->body, "{}", 2) == 0))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed_request",
                                "the body is empty or {}");
    if (s == NULL || wl_store_member_get(s, a.member, &me) != WL_OK)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    if (!me.sealed)
        return wl_respond_error(c, MHD_HTTP_CONFLICT, "already_public",
                                "'%s' is already a public member", a.member);
    if (strcmp(me.status, "withdrawn") == 0)
        return wl_respond_error(c, MHD_HTTP_CONFLICT, "withdrawn",
                                "'%s' has withdrawn: it cannot announce", a.member);
    page = wl_malloc(WL_SEALED_PAGE_MAX * 32);
    aa = wl_calloc(1, sizeof *aa);
    if (aa != NULL)
        aa->entries = wl_calloc(WL_ANNOUNCE_ENTRIES_MAX, sizeof *aa->entries);
    if (page == NULL || aa == NULL || aa->entries == NULL) {
        ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "cannot read");
        goto out;
    }
    gettimeofday(&tv, NULL);
    /* operator seqs: microseconds, kept clear of the sealer's <deadline>000000 + slot */
    seq = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
    if (seq % 1000000u < 200000u)
        seq += 200000u;
    /*
     * Every sealed item that names the member or that it wrote, a page at a
     * time, in the order received: all of its membership is announced, however
     * many items come before the last of it; one that cannot be read or built
     * fails the whole announcement, never leaves it short.
     */
    do {
        uint8_t after[32]; /* the last of the page before: the store writes page as it reads */
        if (n > 0)
            memcpy(after, page[n - 1], 32);
        if (wl_store_sealed_mine(s, a.member, n > 0 ? after : NULL, page, WL_SEALED_PAGE_MAX, &n) !=
            WL_OK) {
            ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            wl_sealed_rec rec;
            wl_entry e;
            char sb[45], *cb = NULL, *body = NULL, *entry = NULL;
            size_t elen = 0;
            json_t *o;
            int is_add, keep;
            if (wl_store_sealed_get(s, page[i], &rec) != WL_OK) {
                ret = wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
                goto out;
            }
            memset(&e, 0, sizeof e);
            keep = strcmp(rec.author, wl_srv->op_id) == 0 && strcmp(rec.subject, a.member) == 0 &&
                   wl_sealed_parse(rec.content, rec.content_len, &e, NULL, 0) == WL_OK &&
                   (strcmp(e.kind, "member.add") == 0 || strcmp(e.kind, "key.add") == 0);
            is_add = keep && strcmp(e.kind, "member.add") == 0;
            wl_entry_clear(&e);
            if (!keep) {
                wl_store_sealed_free(&rec);
                continue;
            }
            if (rec.envelope == UINT64_MAX) {
                char when[32];
                wl_time_iso8601(rec.batch, when, sizeof when);
                ret = wl_respond_error(c, MHD_HTTP_CONFLICT, "not_yet_published",
                                       "your membership's envelope is published with the batch "
                                       "of %s: announce after that",
                                       when);
                wl_store_sealed_free(&rec);
                goto out;
            }
            if (aa->n == WL_ANNOUNCE_ENTRIES_MAX) {
                ret = wl_respond_error(c, MHD_HTTP_CONFLICT, "too_many_sealed",
                                       "'%s' has more than %u sealed member.add and key.add "
                                       "entries to announce (WL_ANNOUNCE_ENTRIES_MAX): nothing "
                                       "announced",
                                       a.member, WL_ANNOUNCE_ENTRIES_MAX);
                wl_store_sealed_free(&rec);
                goto out;
            }
            cb = wl_malloc(wl_b64_len(rec.content_len) + 1);
            if (cb)
                wl_b64_encode((const uint8_t *)rec.content, rec.content_len, cb);
            wl_b64_encode(rec.salt, 32, sb);
            o = cb ? json_pack("{s:I, s:s, s:s}", "sealed", (json_int_t)rec.envelope, "salt", sb,
                               "content", cb)
                   : NULL;
            body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(o);
            wl_free(cb);
            wl_store_sealed_free(&rec);
            if (body == NULL ||
                wl_entry_build(wl_srv->origin, "announce", wl_srv->op_id, seq + aa->n,
                               (int64_t)tv.tv_sec, body, &wl_srv->op_key, &entry, &elen) != WL_OK) {
                free(body); /* jansson's */
                ret = wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "announce",
                                       "cannot build the announcement of a sealed entry");
                goto out;
            }
            free(body);   /* jansson's */
            if (is_add) { /* member.add first: its keys need the member */
                memmove(aa->entries + 1, aa->entries, aa->n * sizeof *aa->entries);
                aa->entries[0] = entry;
                have_add = 1;
            } else {
                aa->entries[aa->n] = entry;
            }
            aa->n++;
        }
    } while (n == WL_SEALED_PAGE_MAX);
    if (!have_add) {
        ret = wl_respond_error(c, MHD_HTTP_CONFLICT, "no_sealed_membership",
                               "'%s' was not added by sealed content of this operator", a.member);
        goto out;
    }
    aa->auth = a;
    ret = wl_sequencer_defer_fn(c, r, announce_all, aa, announce_arg_free, announce_done);
    aa = NULL; /* the job's */
out:
    announce_arg_free(aa);
    wl_free(page);
    return ret;
}

/* GET /api/v1/whoami (signed): the caller, its key and its scope. */
static enum MHD_Result get_whoami(wl_call *call)
{
    const wl_auth *a = &call->auth;
    wl_member m;
    char kid[9];
    if (wl_store_member_get(wl_thread_store(), a->member, &m) != WL_OK)
        return wl_respond_error(call->c, MHD_HTTP_UNAUTHORIZED, "unknown_member", "no member %s",
                                a->member);
    snprintf(kid, sizeof kid, "%08x", (unsigned)a->key_id);
    return wl_respond_json(call->c, MHD_HTTP_OK,
                           json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "member", m.id, "name",
                                     m.name, "role", m.role, "key_id", kid, "scope", a->scope,
                                     "status", m.status, "sealed", m.sealed));
}

const wl_route wl_routes_identity[] = {
    {"GET", "/api/v1/members", WL_ACCESS_ANYONE, 0, get_members, 0, NULL},
    {"POST", "/api/v1/members/announce", WL_ACCESS_SIGNED, WL_BODY_MAX_SMALL, post_announce,
     WL_ROUTE_OWN_NONCE, NULL},
    {"GET", "/api/v1/whoami", WL_ACCESS_SIGNED, 0, get_whoami, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
