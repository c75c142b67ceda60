/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The identity family of the store (store/store_identity.h): members
 * (table members) and their keys (keys), public and sealed. A sealed member or
 * key is published in place (its sealed flag cleared) when it is announced.
 */
#include "store/store_int.h"

enum {
    Q_MEMBER_PUT,
    Q_MEMBER_GET,
    Q_MEMBERS,
    Q_MEMBER_STATUS,
    Q_MEMBER_PUBLISH,
    Q_KEY_PUT,
    Q_KEY_PUBLISH,
    Q_KEYS_BY_ID,
    Q_KEYS_OF,
    Q_KEY_REVOKE,
    Q_MEMBERS_PUBLIC,
    Q_COUNT
};
_Static_assert(Q_COUNT <= WL_SQ_MAX, "a family caches at most WL_SQ_MAX statements");

static const char *const sql[Q_COUNT] = {
    [Q_MEMBERS_PUBLIC] = "SELECT count(*), coalesce(max(added), 0) FROM members WHERE sealed = 0",
    [Q_MEMBER_PUT] = "INSERT INTO members(id, name, role, added, status, sealed) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_MEMBER_GET] = "SELECT id, name, role, added, status, sealed FROM members WHERE id = ?1",
    [Q_MEMBERS] = "SELECT id, name, role, added, status, sealed FROM members ORDER BY added, id",
    [Q_MEMBER_STATUS] = "UPDATE members SET status = ?2 WHERE id = ?1",
    [Q_MEMBER_PUBLISH] = "UPDATE members SET sealed = 0, status = 'announced', added = ?2 "
                         "WHERE id = ?1 AND sealed = 1",
    [Q_KEY_PUT] = "INSERT INTO keys(member, pk, key_id, scope, added, revoked, sealed) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, NULL, ?6)",
    [Q_KEY_PUBLISH] =
        "UPDATE keys SET sealed = 0, added = ?3 WHERE member = ?1 AND pk = ?2 AND sealed = 1",
    [Q_KEYS_BY_ID] = "SELECT pk, key_id, scope, added, revoked, sealed FROM keys "
                     "WHERE member = ?1 AND key_id = ?2",
    [Q_KEYS_OF] = "SELECT pk, key_id, scope, added, revoked, sealed FROM keys WHERE member = ?1",
    [Q_KEY_REVOKE] =
        "UPDATE keys SET revoked = ?3 WHERE member = ?1 AND pk = ?2 AND revoked IS NULL "
        "AND sealed = 0",
};
const wl_sq_family wl_sq_identity = {sql, Q_COUNT};

/* Keys kept outside a transaction (wl_store_keep_keys): a few members' keys at most. */
#define KEPT_SLOTS 32
struct wl_sq_kept {
    uint64_t gen;
    unsigned n; /* slots filled, each used round-robin once all are */
    wl_sq_keys keys[KEPT_SLOTS];
};

static wl_st *stmt(wl_store *s, int q)
{
    if (q == Q_MEMBER_PUT || q == Q_MEMBER_STATUS || q == Q_MEMBER_PUBLISH || q == Q_KEY_PUT ||
        q == Q_KEY_PUBLISH || q == Q_KEY_REVOKE) {
        s->tx.nkeys = s->tx.nmembers = 0; /* a write: what the transaction read may be old */
        if (s->kept)
            s->kept->n = 0;
    }
    return family_stmt(s, WL_SQ_IDENTITY, q);
}

/* A row (id, name, role, added, status, sealed) of members. */
static void member_row(wl_st *st, wl_member *m)
{
    memset(m, 0, sizeof *m);
    col_str(st, 0, m->id, sizeof m->id);
    col_str(st, 1, m->name, sizeof m->name);
    col_str(st, 2, m->role, sizeof m->role);
    m->added = (uint64_t)wl_st_col_int64(st, 3);
    col_str(st, 4, m->status, sizeof m->status);
    m->sealed = wl_st_col_int(st, 5);
}

/* Steps an UPDATE of one row: WL_ERR_NOT_FOUND if it changed none. */
static wl_rc step_changed(wl_store *s, wl_st *st)
{
    wl_rc rc = step_done(st);
    if (rc == WL_OK && wl_db_changes(s->db) == 0)
        rc = WL_ERR_NOT_FOUND;
    return rc;
}

wl_rc wl_store_member_put(wl_store *s, const wl_member *m)
{
    wl_st *st = stmt(s, Q_MEMBER_PUT);
    wl_st_bind_text(st, 1, m->id, -1);
    wl_st_bind_text(st, 2, m->name, -1);
    wl_st_bind_text(st, 3, m->role, -1);
    wl_st_bind_int64(st, 4, (int64_t)m->added);
    wl_st_bind_text(st, 5, m->status[0] ? m->status : "announced", -1);
    wl_st_bind_int(st, 6, m->sealed != 0);
    return step_done(st);
}

wl_rc wl_store_member_get(wl_store *s, const char *id, wl_member *m)
{
    wl_st *st;
    int r;
    wl_rc rc = WL_OK;
    unsigned n = s->tx.nmembers < WL_TX_SLOTS ? s->tx.nmembers : WL_TX_SLOTS;
    for (unsigned i = 0; s->tx.on && i < n; i++)
        if (strcmp(s->tx.members[i].id, id) == 0) {
            *m = s->tx.members[i]; /* read before in this write transaction */
            return WL_OK;
        }
    st = stmt(s, Q_MEMBER_GET);
    memset(m, 0, sizeof *m);
    wl_st_bind_text(st, 1, id, -1);
    r = wl_st_step(st);
    if (r == WL_DB_ROW)
        member_row(st, m);
    else
        rc = no_row(r);
    wl_st_reset(st);
    if (rc == WL_OK && s->tx.on)
        s->tx.members[s->tx.nmembers++ % WL_TX_SLOTS] = *m;
    return rc;
}

wl_rc wl_store_members(wl_store *s, wl_member_fn fn, void *ctx)
{
    wl_st *st = stmt(s, Q_MEMBERS);
    int rc;
    wl_rc ret = WL_OK;
    while ((rc = wl_st_step(st)) == WL_DB_ROW) {
        wl_member m;
        member_row(st, &m);
        if ((ret = fn(ctx, &m)) != WL_OK)
            break;
    }
    if (ret == WL_OK && rc != WL_DB_DONE)
        ret = map_rc(rc);
    wl_st_reset(st);
    return ret;
}

wl_rc wl_store_member_status(wl_store *s, const char *id, const char *status)
{
    wl_st *st = stmt(s, Q_MEMBER_STATUS);
    wl_st_bind_text(st, 1, id, -1);
    wl_st_bind_text(st, 2, status, -1);
    return step_changed(s, st);
}

wl_rc wl_store_member_publish(wl_store *s, const char *id, uint64_t added)
{
    wl_st *st = stmt(s, Q_MEMBER_PUBLISH);
    wl_st_bind_text(st, 1, id, -1);
    wl_st_bind_int64(st, 2, (int64_t)added);
    return step_changed(s, st);
}

wl_rc wl_store_key_put(wl_store *s, const wl_member_key *k)
{
    wl_st *st = stmt(s, Q_KEY_PUT);
    wl_st_bind_text(st, 1, k->member, -1);
    wl_st_bind_blob(st, 2, k->pk, 32);
    wl_st_bind_int64(st, 3, k->key_id);
    wl_st_bind_text(st, 4, k->scope, -1);
    wl_st_bind_int64(st, 5, (int64_t)k->added);
    wl_st_bind_int(st, 6, k->sealed != 0);
    return step_done(st);
}

wl_rc wl_store_key_publish(wl_store *s, const char *member, const uint8_t pk[32], uint64_t added)
{
    wl_st *st = stmt(s, Q_KEY_PUBLISH);
    wl_st_bind_text(st, 1, member, -1);
    wl_st_bind_blob(st, 2, pk, 32);
    wl_st_bind_int64(st, 3, (int64_t)added);
    return step_changed(s, st);
}

/*
 * Reads rows (pk, key_id, scope, added, revoked, sealed) of member's keys;
 * WL_ERR_TOO_LARGE if there are more than max. On any error *n is 0.
 */
static wl_rc keys_read(wl_st *st, const char *member, wl_member_key *out, size_t max, size_t *n)
{
    int r;
    wl_rc rc = WL_OK;
    *n = 0;
    while ((r = wl_st_step(st)) == WL_DB_ROW) {
        wl_member_key *k;
        if (*n == max) {
            rc = WL_ERR_TOO_LARGE;
            break;
        }
        k = &out[*n];
        memset(k, 0, sizeof *k);
        if (wl_st_col_bytes(st, 0) != 32) {
            rc = WL_ERR_CORRUPT;
            break;
        }
        snprintf(k->member, sizeof k->member, "%s", member);
        memcpy(k->pk, wl_st_col_blob(st, 0), 32);
        k->key_id = (uint32_t)wl_st_col_int64(st, 1);
        col_str(st, 2, k->scope, sizeof k->scope);
        k->added = (uint64_t)wl_st_col_int64(st, 3);
        k->revoked = col_index(st, 4);
        k->sealed = wl_st_col_int(st, 5);
        (*n)++;
    }
    if (rc == WL_OK && r != WL_DB_DONE && r != WL_DB_ROW)
        rc = map_rc(r);
    wl_st_reset(st);
    if (rc != WL_OK && *n) {
        memset(out, 0, *n * sizeof *out);
        *n = 0;
    }
    return rc;
}

void wl_store_keep_keys(wl_store *s, int keep, uint64_t gen)
{
    if (!keep) {
        wl_free(s->kept);
        s->kept = NULL;
        return;
    }
    if (s->kept == NULL && (s->kept = wl_calloc(1, sizeof *s->kept)) == NULL)
        return;
    if (s->kept->gen != gen) {
        s->kept->gen = gen;
        s->kept->n = 0;
    }
}

/* Member's keys of key_id among the first filled of slots (nslots), or NULL. */
static const wl_sq_keys *keys_find(const wl_sq_keys *slots, unsigned filled, unsigned nslots,
                                   const char *member, uint32_t key_id)
{
    filled = filled < nslots ? filled : nslots;
    for (unsigned i = 0; i < filled; i++)
        if (slots[i].key_id == key_id && strcmp(slots[i].member, member) == 0)
            return &slots[i];
    return NULL;
}

static void keys_keep(wl_sq_keys *slots, unsigned *filled, unsigned nslots, const char *member,
                      uint32_t key_id, const wl_member_key *k, size_t n)
{
    wl_sq_keys *slot;
    if (n > WL_MAX_KEYS_PER_MEMBER || strlen(member) >= sizeof slot->member)
        return;
    slot = &slots[(*filled)++ % nslots];
    memcpy(slot->member, member, strlen(member) + 1);
    slot->key_id = key_id;
    slot->n = n;
    memcpy(slot->k, k, n * sizeof *k);
}

wl_rc wl_store_keys_by_id(wl_store *s, const char *member, uint32_t key_id, wl_member_key *out,
                          size_t max, size_t *n)
{
    wl_st *st;
    wl_rc rc;
    const wl_sq_keys *had = NULL;
    if (s->tx.on)
        had = keys_find(s->tx.keys, s->tx.nkeys, WL_TX_SLOTS, member, key_id);
    else if (s->kept)
        had = keys_find(s->kept->keys, s->kept->n, KEPT_SLOTS, member, key_id);
    if (had) {
        *n = 0;
        if (had->n > max) /* as keys_read answers */
            return WL_ERR_TOO_LARGE;
        memcpy(out, had->k, had->n * sizeof *out);
        *n = had->n;
        return WL_OK;
    }
    st = stmt(s, Q_KEYS_BY_ID);
    wl_st_bind_text(st, 1, member, -1);
    wl_st_bind_int64(st, 2, key_id);
    rc = keys_read(st, member, out, max, n);
    if (rc == WL_OK && s->tx.on)
        keys_keep(s->tx.keys, &s->tx.nkeys, WL_TX_SLOTS, member, key_id, out, *n);
    else if (rc == WL_OK && s->kept)
        keys_keep(s->kept->keys, &s->kept->n, KEPT_SLOTS, member, key_id, out, *n);
    return rc;
}

wl_rc wl_store_keys_of(wl_store *s, const char *member, wl_member_key *out, size_t max, size_t *n)
{
    wl_st *st = stmt(s, Q_KEYS_OF);
    wl_st_bind_text(st, 1, member, -1);
    return keys_read(st, member, out, max, n);
}

wl_rc wl_store_key_revoke(wl_store *s, const char *member, const uint8_t pk[32], uint64_t index)
{
    wl_st *st = stmt(s, Q_KEY_REVOKE);
    wl_st_bind_text(st, 1, member, -1);
    wl_st_bind_blob(st, 2, pk, 32);
    wl_st_bind_int64(st, 3, (int64_t)index);
    return step_changed(s, st);
}

wl_rc wl_store_members_public(wl_store *s, uint64_t *count, uint64_t *last)
{
    return step_two(stmt(s, Q_MEMBERS_PUBLIC), count, last);
}
