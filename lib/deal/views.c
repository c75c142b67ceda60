/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's views, from a store read to JSON, the same for every viewer
 * (deal entries are public): the list of deals, one deal with every version,
 * each party's signature and when, the notices, and since when it is in
 * force, with the first checkpoint a witness cosigned that holds that entry;
 * and the words the clearing's reasons use for a deal's fact.
 * docs/internals/deal.md, "Views".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/crypto.h"
#include "willing/deal.h"
#include "willing/limits.h"
#include "willing/note.h"

static json_t *when(uint64_t idx, int64_t time)
{
    char t[32];
    if (idx == UINT64_MAX)
        return json_null();
    wl_time_iso8601(time, t, sizeof t);
    return json_pack("{s:I, s:s}", "index", (json_int_t)idx, "time", t);
}

static json_t *since(const wl_deal_row *d)
{
    return strcmp(d->status, "in_force") == 0 ? when(d->since, d->since_time) : json_null();
}

static wl_rc list_one(void *ctx, const wl_deal_row *d)
{
    json_t *a = ctx;
    if (json_array_size(a) >= WL_DEALS_LIST_MAX)
        return WL_OK;
    return json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:o}", "deal", d->id, "title",
                                              d->title, "status", d->status, "latest",
                                              (json_int_t)d->latest, "in_force_since", since(d))) ==
                   0
               ? WL_OK
               : WL_ERR_NOMEM;
}

wl_rc wl_deal_list(wl_store *s, json_t **out)
{
    json_t *a = json_array();
    wl_rc rc = a ? wl_store_deals(s, list_one, a) : WL_ERR_NOMEM;
    *out = NULL;
    if (rc == WL_OK && (*out = json_pack("{s:o}", "deals", a)) == NULL)
        rc = WL_ERR_NOMEM;
    if (rc != WL_OK)
        json_decref(a);
    return rc;
}

typedef struct {
    wl_store *s;
    const char *deal;
    json_t *versions;
    wl_rc rc;
} show_ctx;

static wl_rc party_one(void *ctx, const char *member, uint64_t signed_idx, int64_t signed_time)
{
    return json_array_append_new(ctx, json_pack("{s:s, s:o}", "member", member, "signed",
                                                when(signed_idx, signed_time))) == 0
               ? WL_OK
               : WL_ERR_NOMEM;
}

/* A list field of a body as proposed, or an empty list; a new reference. */
static json_t *field(json_t *body, const char *name)
{
    json_t *v = json_object_get(body, name);
    return v ? json_incref(v) : json_array();
}

static wl_rc version_one(void *ctx, const wl_deal_version *v)
{
    show_ctx *c = ctx;
    json_t *body = json_loads(v->body ? v->body : "", 0, NULL), *parties = json_array(), *o;
    char hex[65];
    wl_rc rc;
    wl_hex_encode(v->hash, 32, hex);
    if (body == NULL || parties == NULL) {
        json_decref(body);
        json_decref(parties);
        return WL_ERR_CORRUPT;
    }
    if ((rc = wl_store_deal_parties(c->s, c->deal, v->version, party_one, parties)) != WL_OK) {
        json_decref(body);
        json_decref(parties);
        return rc;
    }
    o = json_pack("{s:I, s:I, s:s, s:s?, s:o, s:s?, s:o, s:o, s:o, s:o, s:s, s:o}", "version",
                  (json_int_t)v->version, "index", (json_int_t)v->idx, "hash", hex, "title",
                  json_string_value(json_object_get(body, "title")), "public",
                  json_boolean(json_is_true(json_object_get(body, "public"))), "text",
                  json_string_value(json_object_get(body, "text")), "annexes",
                  field(body, "annexes"), "zones", field(body, "zones"), "proposed",
                  when(v->idx, v->time), "parties", parties, "status", v->status, "in_force_since",
                  when(v->in_force_idx, v->in_force_time));
    json_decref(body);
    if (o == NULL)
        return WL_ERR_NOMEM;
    return json_array_append_new(c->versions, o) == 0 ? WL_OK : WL_ERR_NOMEM;
}

static wl_rc notice_one(void *ctx, uint64_t idx, int64_t time, const char *author,
                        const char *notice, const char *text)
{
    return json_array_append_new(ctx, json_pack("{s:o, s:s, s:s, s:s}", "at", when(idx, time),
                                                "party", author, "notice", notice, "text", text)) ==
                   0
               ? WL_OK
               : WL_ERR_NOMEM;
}

/*
 * The first checkpoint holding entry idx (a size above it) that carries a
 * cosignature beside the operator's own signature; null if none yet among the
 * first WL_DEAL_COSIGN_LOOK.
 */
static json_t *cosigned(wl_store *s, uint64_t idx)
{
    uint64_t after = idx, size = 0;
    for (unsigned i = 0; i < WL_DEAL_COSIGN_LOOK; i++) {
        char *note = NULL;
        size_t len = 0;
        wl_note n;
        bool co;
        if (wl_store_checkpoint_after(s, after, &size, &note, &len) != WL_OK)
            break;
        co = wl_note_parse(note, len, &n) == WL_OK && n.nsigs > 1;
        wl_free(note);
        if (co)
            return json_pack("{s:I}", "size", (json_int_t)size);
        after = size;
    }
    return json_null();
}

wl_rc wl_deal_show(wl_store *s, const char *id, json_t **out)
{
    wl_deal_row d;
    show_ctx c = {s, id, json_array(), WL_OK};
    json_t *notices = json_array(), *in = NULL;
    wl_rc rc = wl_store_deal_get(s, id, &d);
    *out = NULL;
    if (rc == WL_OK && (c.versions == NULL || notices == NULL))
        rc = WL_ERR_NOMEM;
    if (rc == WL_OK)
        rc = wl_store_deal_versions(s, id, version_one, &c);
    if (rc == WL_OK)
        rc = wl_store_deal_notices(s, id, notice_one, notices);
    if (rc == WL_OK && (in = since(&d)) != NULL && json_is_object(in))
        json_object_set_new(in, "cosigned", cosigned(s, d.since));
    if (rc == WL_OK) {
        *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:s?, s:o, s:o}", "deal", d.id, "title",
                         d.title, "status", d.status, "latest", (json_int_t)d.latest, "in_force",
                         (json_int_t)d.in_force, "in_force_since", in, "suspended_by",
                         d.suspended_by[0] ? d.suspended_by : NULL, "versions", c.versions,
                         "notices", notices);
        return *out ? WL_OK : WL_ERR_NOMEM;
    }
    json_decref(in);
    json_decref(c.versions);
    json_decref(notices);
    return rc;
}

/* The last resume notice after the entry that brought the deal into force, if any. */
typedef struct {
    uint64_t since, idx;
    char author[65];
} resumed;

static wl_rc last_resume(void *ctx, uint64_t idx, int64_t time, const char *author,
                         const char *notice, const char *text)
{
    resumed *r = ctx;
    (void)time;
    (void)text;
    if (strcmp(notice, "resume") == 0 && idx > r->since && idx >= r->idx) {
        r->idx = idx;
        snprintf(r->author, sizeof r->author, "%s", author);
    }
    return WL_OK;
}

bool wl_deal_fact_why(wl_store *s, const char *fact, char *out, size_t cap)
{
    const size_t np = sizeof WL_DEAL_FACT_PREFIX - 1;
    const char *id = fact + np;
    wl_deal_row d;
    wl_rc rc;
    if (strncmp(fact, WL_DEAL_FACT_PREFIX, np) != 0)
        return false;
    rc = wl_store_deal_get(s, id, &d);
    if (rc == WL_ERR_NOT_FOUND)
        snprintf(out, cap, "the deal %s is not in force (no version of it has been proposed)", id);
    else if (rc != WL_OK)
        snprintf(out, cap, "the deal %s: its status cannot be read", id);
    else if (strcmp(d.status, "in_force") == 0) {
        /* the entry that recorded the fact: the last party's signature, or a later resume */
        resumed r = {d.since, 0, ""};
        if (wl_store_deal_notices(s, id, last_resume, &r) == WL_OK && r.idx)
            snprintf(out, cap,
                     "the deal %s is in force since entry %llu: recorded by %s's resume notice "
                     "(version %llu in force since entry %llu)",
                     id, (unsigned long long)r.idx, r.author, (unsigned long long)d.in_force,
                     (unsigned long long)d.since);
        else
            snprintf(out, cap,
                     "the deal %s is in force since entry %llu: recorded by the last party's "
                     "signature of version %llu",
                     id, (unsigned long long)d.since, (unsigned long long)d.in_force);
    } else
        snprintf(out, cap, "the deal %s is not in force (%s)", id, d.status);
    return true;
}
