/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deal's rules against the store, and its rows: a proposal names its
 * parties (members, the host nation among them) and supersedes every earlier
 * version not in force; a signature by a party on the exact hash of a version
 * still open; the version in force once every party has signed it, dated by
 * the entry of the last signature, which records the fact deal-in-force:<id>;
 * a party's notice suspends, resumes or terminates it, retracting or
 * recording the fact. Read only from the store the log builds, so fsck's
 * replay reaches the same verdicts. docs/internals/deal.md.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/crypto.h"
#include "willing/deal.h"
#include "willing/identity.h"
#include "willing/limits.h"

static wl_rc storage(wl_store *s, wl_rc rc, wl_error *err)
{
    return wl_error_set(err, rc, "storage", "%s", wl_store_errmsg(s));
}

static const char *str(const wl_pending *p, const char *field)
{
    return json_string_value(json_object_get(p->e.body_json, field));
}

static uint64_t num(const wl_pending *p, const char *field)
{
    return (uint64_t)json_integer_value(json_object_get(p->e.body_json, field));
}

/* The fact of deal id, recorded (1) or retracted (0) by entry index. */
static wl_rc set_fact(wl_store *s, const char *id, int recorded, uint64_t index, wl_error *err)
{
    char name[80];
    wl_rc rc;
    snprintf(name, sizeof name, WL_DEAL_FACT_PREFIX "%s", id);
    rc = wl_store_fact_set(s, name, recorded, index);
    return rc == WL_OK ? WL_OK : storage(s, rc, err);
}

/* A party: a public member of role host, party, member or coordinator; *host set for a host. */
static wl_rc party_ok(wl_store *s, const char *id, bool *host, wl_error *err)
{
    static const char *const roles[] = {"host", "party", "member", "coordinator", NULL};
    wl_member m;
    wl_rc rc = wl_store_member_get(s, id, &m);
    if (rc == WL_ERR_NOT_FOUND || (rc == WL_OK && m.sealed))
        return wl_error_set(err, WL_ERR_CONFLICT, "unknown_party",
                            "deal.propose: party '%s' is not a member", id);
    if (rc != WL_OK)
        return storage(s, rc, err);
    for (const char *const *r = roles; *r; r++)
        if (strcmp(m.role, *r) == 0) {
            *host |= strcmp(m.role, "host") == 0;
            return WL_OK;
        }
    return wl_error_set(err, WL_ERR_CONFLICT, "unknown_party",
                        "deal.propose: party '%s' has role %s: a party is a member of role host, "
                        "party, member or coordinator",
                        id, m.role);
}

/* Each index a zone version's entry (zone.set, lib/deal/zone.c); a zone named twice is refused. */
static wl_rc zones_ok(wl_store *s, const json_t *zones, wl_error *err)
{
    const json_t *z;
    size_t i;
    json_array_foreach(zones, i, z)
    {
        char *zone = NULL;
        uint64_t at = (uint64_t)json_integer_value(z);
        wl_rc rc = wl_store_zone_at(s, at, &zone, err);
        if (rc != WL_OK)
            return rc;
        if (zone == NULL)
            return wl_error_set(err, WL_ERR_CONFLICT, "not_a_zone",
                                "deal.propose: zones[%zu] (entry %llu) is not a zone version", i,
                                (unsigned long long)at);
        wl_free(zone);
        for (size_t j = 0; j < i; j++)
            if (json_equal(z, json_array_get(zones, j)))
                return wl_error_set(err, WL_ERR_INVALID, "invalid_body",
                                    "deal.propose: zones[%zu] repeats entry %llu", i,
                                    (unsigned long long)at);
    }
    return WL_OK;
}

/* One document of a version: every party may read it; anyone when the version is public. */
static wl_rc grant(wl_store *s, const char *author, const json_t *parties, const char *hex,
                   bool public_, uint64_t index, wl_error *err)
{
    uint8_t h[32];
    const json_t *x;
    size_t i;
    wl_rc rc = WL_OK;
    if (hex == NULL || wl_hex_decode(hex, 64, h, 32) != WL_OK)
        return wl_error_set(err, WL_ERR_INVALID, "invalid_body", "deal.propose: a hash");
    /* the proposer shares only what it may read itself: never another member's private blob */
    if ((rc = wl_authorize_blob_share(s, author, h, "deal.propose", err)) != WL_OK)
        return rc;
    json_array_foreach(parties, i, x)
    {
        if ((rc = wl_store_blob_ref(s, h, json_string_value(x), index, err)) != WL_OK)
            return rc;
    }
    return public_ ? wl_store_blob_publish(s, h, index, err) : WL_OK;
}

/* The text and each annex: readable by the parties (blob_refs), by anyone if public. */
static wl_rc grants(wl_store *s, const char *author, const json_t *b, uint64_t index, wl_error *err)
{
    const json_t *parties = json_object_get(b, "parties"), *a;
    bool public_ = json_is_true(json_object_get(b, "public"));
    size_t i;
    wl_rc rc = grant(s, author, parties, json_string_value(json_object_get(b, "text")), public_,
                     index, err);
    json_array_foreach(json_object_get(b, "annexes"), i, a)
    {
        if (rc == WL_OK)
            rc = grant(s, author, parties, json_string_value(json_object_get(a, "hash")), public_,
                       index, err);
    }
    return rc;
}

wl_rc wl_deal_propose_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const json_t *b = p->e.body_json, *parties = json_object_get(b, "parties"), *x;
    const char *id = str(p, "deal");
    uint64_t version = num(p, "version");
    wl_deal_row d;
    uint8_t hash[32];
    bool host = false;
    char *body;
    size_t i;
    wl_rc rc = wl_store_deal_get(s, id, &d);
    if (rc == WL_ERR_NOT_FOUND) {
        memset(&d, 0, sizeof d);
        snprintf(d.id, sizeof d.id, "%s", id);
        snprintf(d.status, sizeof d.status, "proposed");
        d.since = UINT64_MAX;
    } else if (rc != WL_OK) {
        return storage(s, rc, err);
    }
    if (strcmp(d.status, "terminated") == 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "terminated",
                            "deal.propose: the deal %s was terminated: it takes no new version",
                            id);
    if (version != d.latest + 1)
        return wl_error_set(err, WL_ERR_CONFLICT, "stale_version",
                            "deal.propose: the deal %s is at version %llu: propose version %llu",
                            id, (unsigned long long)d.latest, (unsigned long long)d.latest + 1);
    json_array_foreach(parties, i, x)
    {
        if ((rc = party_ok(s, json_string_value(x), &host, err)) != WL_OK)
            return rc;
    }
    if (!host)
        return wl_error_set(err, WL_ERR_CONFLICT, "host_not_party",
                            "deal.propose: the host nation (a member of role host) must be among "
                            "the parties");
    if ((rc = zones_ok(s, json_object_get(b, "zones"), err)) != WL_OK)
        return rc;
    wl_sha256(p->e.body, p->e.body_len, hash);
    if ((body = wl_strndup(p->e.body, p->e.body_len)) == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "out_of_memory", "deal.propose");
    rc = wl_store_deal_version_put(s, id, version, index, hash, body);
    wl_free(body);
    json_array_foreach(parties, i, x)
    {
        if (rc == WL_OK)
            rc = wl_store_deal_party_put(s, id, version, json_string_value(x));
    }
    if (rc == WL_OK)
        rc = wl_store_deal_supersede_proposed(s, id, version);
    d.latest = version;
    snprintf(d.title, sizeof d.title, "%s", str(p, "title"));
    if (rc == WL_OK)
        rc = wl_store_deal_put(s, &d);
    if (rc != WL_OK)
        return storage(s, rc, err);
    return grants(s, p->e.author, b, index, err);
}

/* The version comes into force at index: the one before it superseded, the fact recorded. */
static wl_rc in_force(wl_store *s, wl_deal_row *d, uint64_t version, uint64_t index, wl_error *err)
{
    wl_rc rc = WL_OK;
    if (d->in_force)
        rc = wl_store_deal_version_status(s, d->id, d->in_force, "superseded", d->since);
    if (rc == WL_OK)
        rc = wl_store_deal_version_status(s, d->id, version, "in_force", index);
    d->in_force = version;
    d->since = index;
    d->suspended_by[0] = '\0';
    snprintf(d->status, sizeof d->status, "in_force");
    if (rc == WL_OK)
        rc = wl_store_deal_put(s, d);
    if (rc != WL_OK)
        return storage(s, rc, err);
    return set_fact(s, d->id, 1, index, err);
}

wl_rc wl_deal_sign_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *id = str(p, "deal"), *hex = str(p, "hash");
    uint64_t version = num(p, "version"), signed_idx = 0, left = 0;
    wl_deal_row d;
    wl_deal_version v;
    uint8_t hash[32];
    wl_rc rc = wl_store_deal_get(s, id, &d);
    if (rc == WL_OK)
        rc = wl_store_deal_version_get(s, id, version, &v);
    if (rc == WL_OK && (wl_hex_decode(hex, 64, hash, 32) != WL_OK || memcmp(hash, v.hash, 32)))
        rc = WL_ERR_NOT_FOUND;
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_CONFLICT, "unknown_version",
                            "deal.sign: no version %llu of deal %s has the hash %s",
                            (unsigned long long)version, id, hex);
    if (rc != WL_OK)
        return storage(s, rc, err);
    if (strcmp(d.status, "terminated") == 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "terminated",
                            "deal.sign: the deal %s was terminated", id);
    if (strcmp(v.status, "superseded") == 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "superseded",
                            "deal.sign: version %llu of deal %s was superseded by version %llu",
                            (unsigned long long)version, id, (unsigned long long)d.latest);
    rc = wl_store_deal_party_get(s, id, version, p->e.author, &signed_idx);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "not_a_party",
                            "deal.sign: '%s' is not a party of version %llu of deal %s",
                            p->e.author, (unsigned long long)version, id);
    if (rc != WL_OK)
        return storage(s, rc, err);
    if (signed_idx != UINT64_MAX)
        return wl_error_set(err, WL_ERR_CONFLICT, "already_signed",
                            "deal.sign: '%s' signed version %llu of deal %s at entry %llu",
                            p->e.author, (unsigned long long)version, id,
                            (unsigned long long)signed_idx);
    if ((rc = wl_store_deal_party_sign(s, id, version, p->e.author, index)) != WL_OK ||
        (rc = wl_store_deal_unsigned(s, id, version, &left)) != WL_OK)
        return storage(s, rc, err);
    return left == 0 ? in_force(s, &d, version, index, err) : WL_OK;
}

wl_rc wl_deal_notice_apply(wl_store *s, const wl_pending *p, uint64_t index, wl_error *err)
{
    const char *id = str(p, "deal"), *n = str(p, "notice"), *to = NULL;
    uint64_t signed_idx = 0;
    wl_deal_row d;
    wl_rc rc = wl_store_deal_get(s, id, &d);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_NOT_FOUND, "unknown_deal", "deal.notice: no deal %s", id);
    if (rc != WL_OK)
        return storage(s, rc, err);
    if (d.in_force == 0)
        return wl_error_set(err, WL_ERR_CONFLICT, "bad_transition",
                            "deal.notice: the deal %s is proposed: no version of it is in force",
                            id);
    rc = wl_store_deal_party_get(s, id, d.in_force, p->e.author, &signed_idx);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "not_a_party",
                            "deal.notice: '%s' is not a party of version %llu of deal %s, the "
                            "version in force",
                            p->e.author, (unsigned long long)d.in_force, id);
    if (rc != WL_OK)
        return storage(s, rc, err);
    if (strcmp(n, "suspend") == 0 && strcmp(d.status, "in_force") == 0)
        to = "suspended";
    else if (strcmp(n, "resume") == 0 && strcmp(d.status, "suspended") == 0)
        to = "in_force";
    else if (strcmp(n, "terminate") == 0 &&
             (strcmp(d.status, "in_force") == 0 || strcmp(d.status, "suspended") == 0))
        to = "terminated";
    if (to == NULL)
        return wl_error_set(err, WL_ERR_CONFLICT, "bad_transition",
                            "deal.notice: the deal %s is %s: it cannot %s", id, d.status, n);
    if (strcmp(n, "resume") == 0 && strcmp(d.suspended_by, p->e.author) != 0)
        return wl_error_set(err, WL_ERR_FORBIDDEN, "not_the_suspender",
                            "deal.notice: only %s, who suspended the deal %s, may resume it",
                            d.suspended_by, id);
    snprintf(d.suspended_by, sizeof d.suspended_by, "%s",
             strcmp(to, "suspended") == 0 ? p->e.author : "");
    snprintf(d.status, sizeof d.status, "%s", to);
    if ((rc = wl_store_deal_put(s, &d)) != WL_OK ||
        (rc = wl_store_deal_notice_put(s, id, index, p->e.author, n, str(p, "text"))) != WL_OK)
        return storage(s, rc, err);
    return set_fact(s, id, strcmp(to, "in_force") == 0, index, err);
}
