/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one storage interface of willing: entries, Merkle hashes (and so tiles),
 * checkpoints, domain state (members and keys) and witness state. One handle
 * is one connection, used by one thread at a time. SQLite implements it now
 * (lib/store/sqlite.c); nothing above this header knows which engine is used.
 * docs/internals/store.md has the contract.
 */
#ifndef WILLING_STORE_H
#define WILLING_STORE_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* Opens (and with create, makes) a store. path is a file for SQLite. */
/* The schema this build reads and writes; wl_store_open gives WL_ERR_VERSION for others. */
#define WL_STORE_SCHEMA "2"
wl_rc wl_store_open(const char *path, int create, wl_store **out) WL_MUST;
/* The same; on failure why (if not NULL) holds the engine's message. */
wl_rc wl_store_open_why(const char *path, int create, wl_store **out, char *why,
                        size_t cap) WL_MUST;
void wl_store_close(wl_store *s); /* NULL is a no-op */
/* The engine's last error text, for messages. */
const char *wl_store_errmsg(wl_store *s);

/* Transactions; durable at commit (the commit returns after the data is on disk). */
wl_rc wl_store_begin(wl_store *s) WL_MUST;
/* A read transaction: a consistent snapshot, no write lock; end it with wl_store_commit. */
wl_rc wl_store_begin_read(wl_store *s) WL_MUST;
wl_rc wl_store_commit(wl_store *s) WL_MUST;
/* A no-op when the engine has already rolled back (a full disk): the error's text stays. */
void wl_store_rollback(wl_store *s);
/* 1 while a transaction is open; 0 once it ended, also when the engine ended it on an error. */
int wl_store_in_transaction(wl_store *s);
/* Savepoints inside a transaction: one name in use at a time. */
wl_rc wl_store_savepoint(wl_store *s) WL_MUST;
wl_rc wl_store_release(wl_store *s) WL_MUST;
void wl_store_rollback_to(wl_store *s);

/* Small configuration values (origin, operator, format). *val: caller frees (wl_free). */
wl_rc wl_store_meta_get(wl_store *s, const char *key, char **val) WL_MUST;
wl_rc wl_store_meta_set(wl_store *s, const char *key, const char *val) WL_MUST;

/* The log */
typedef struct {
    uint64_t index;
    const char *data;
    size_t len;
    const uint8_t *leaf;
    const char *kind;
    const char *author;
    uint64_t seq;
    int64_t time;
} wl_stored_entry;

wl_rc wl_store_size(wl_store *s, uint64_t *size) WL_MUST;
/* Appends the entry at e->index, which must equal the size. */
wl_rc wl_store_append(wl_store *s, const wl_stored_entry *e) WL_MUST;
/* *data: caller frees. kind/author: optional buffers of 33/65 bytes. */
wl_rc wl_store_entry(wl_store *s, uint64_t index, char **data, size_t *len, char *kind,
                     char *author, uint64_t *seq, int64_t *time) WL_MUST;
/* The index and bytes stored for (author, seq); WL_ERR_NOT_FOUND if none. */
wl_rc wl_store_find_seq(wl_store *s, const char *author, uint64_t seq, uint64_t *index, char **data,
                        size_t *len) WL_MUST;
/* Calls fn for entries [from, to) in order; stops on the first non-OK. */
typedef wl_rc (*wl_entry_fn)(void *ctx, uint64_t index, const char *data, size_t len);
wl_rc wl_store_entries(wl_store *s, uint64_t from, uint64_t to, wl_entry_fn fn, void *ctx) WL_MUST;

/* Complete-subtree hashes: level 0 is leaves; (l, i) covers [i << l, (i + 1) << l). */
wl_rc wl_store_hash_put(wl_store *s, unsigned level, uint64_t idx, const uint8_t h[32]) WL_MUST;
wl_rc wl_store_hash_get(wl_store *s, unsigned level, uint64_t idx, uint8_t h[32]) WL_MUST;
/* count consecutive hashes from idx at level into out (count * 32 bytes). */
wl_rc wl_store_hash_range(wl_store *s, unsigned level, uint64_t idx, size_t count,
                          uint8_t *out) WL_MUST;
/*
 * Full tiles, stored once complete as one blob of WL_TILE_BLOB_BYTES: the
 * tile's 256 hashes (tree level 8 * tlevel), then the 128, 64, ..., 2 hashes
 * of the seven levels above them inside the tile. The first 8,192 bytes are
 * the tile as served; the rest lets a proof read its lowest eight hashes at once.
 */
#define WL_TILE_BLOB_HASHES 510u
#define WL_TILE_BLOB_BYTES (WL_TILE_BLOB_HASHES * 32u)
wl_rc wl_store_tile_put(wl_store *s, unsigned tlevel, uint64_t idx,
                        const uint8_t data[WL_TILE_BLOB_BYTES]) WL_MUST;
wl_rc wl_store_tile_get(wl_store *s, unsigned tlevel, uint64_t idx,
                        uint8_t data[WL_TILE_BLOB_BYTES]) WL_MUST;
/* Reads len bytes at offset of a full tile's blob, without reading the rest. */
wl_rc wl_store_tile_read(wl_store *s, unsigned tlevel, uint64_t idx, size_t offset, size_t len,
                         uint8_t *out) WL_MUST;
/* A wl_hash_reader over the store (ctx is the wl_store). */
wl_rc wl_store_hash_reader(void *ctx, unsigned level, uint64_t idx, uint8_t out[32]);

/* Checkpoints: the signed note of each published size, cosignatures appended. */
wl_rc wl_store_checkpoint_put(wl_store *s, uint64_t size, const char *note, size_t len,
                              int64_t created) WL_MUST;
wl_rc wl_store_checkpoint_latest(wl_store *s, uint64_t *size, char **note, size_t *len) WL_MUST;
wl_rc wl_store_checkpoint_get(wl_store *s, uint64_t size, char **note, size_t *len) WL_MUST;

/* Members and their keys. */
typedef struct {
    char id[65];
    char name[257];
    char role[17];
    uint64_t added;  /* index of its member.add (or of its sealed envelope once announced) */
    char status[12]; /* invited, willing, announced, withdrawn */
    int sealed;      /* 1: known to the operator only (a sealed member.add not yet announced) */
} wl_member;

typedef struct {
    char member[65];
    uint8_t pk[32];
    uint32_t key_id;
    char scope[17];
    uint64_t added;   /* index of the entry that added it */
    uint64_t revoked; /* index of the revoking entry, or UINT64_MAX */
    int sealed;       /* 1: added by sealed content not yet announced; never valid in public */
} wl_member_key;

wl_rc wl_store_member_put(wl_store *s, const wl_member *m) WL_MUST;
wl_rc wl_store_member_get(wl_store *s, const char *id, wl_member *m) WL_MUST;
/* Every member, in the order added. */
typedef wl_rc (*wl_member_fn)(void *ctx, const wl_member *m);
wl_rc wl_store_members(wl_store *s, wl_member_fn fn, void *ctx) WL_MUST;
wl_rc wl_store_member_status(wl_store *s, const char *id, const char *status) WL_MUST;
/* A sealed member becomes public (status announced, added = index); NOT_FOUND unless sealed. */
wl_rc wl_store_member_publish(wl_store *s, const char *id, uint64_t added) WL_MUST;
wl_rc wl_store_key_put(wl_store *s, const wl_member_key *k) WL_MUST;
/* A sealed key becomes public; NOT_FOUND unless that key is sealed. */
wl_rc wl_store_key_publish(wl_store *s, const char *member, const uint8_t pk[32],
                           uint64_t added) WL_MUST;
/*
 * Keys of member with this key ID (usually 0 or 1), up to max (a member has at
 * most WL_MAX_KEYS_PER_MEMBER); WL_ERR_TOO_LARGE if there are more.
 */
wl_rc wl_store_keys_by_id(wl_store *s, const char *member, uint32_t key_id, wl_member_key *out,
                          size_t max, size_t *n) WL_MUST;
wl_rc wl_store_key_revoke(wl_store *s, const char *member, const uint8_t pk[32],
                          uint64_t index) WL_MUST;

/* Every key of a member (live, revoked, sealed), up to max; WL_ERR_TOO_LARGE if more. */
wl_rc wl_store_keys_of(wl_store *s, const char *member, wl_member_key *out, size_t max,
                       size_t *n) WL_MUST;

/*
 * Console sessions: token is the SHA-256 of the cookie's value (the value
 * itself is never stored). delete removes that session and every expired one.
 */
wl_rc wl_store_session_put(wl_store *s, const uint8_t token[32], const char *member,
                           uint32_t key_id, const char *csrf, int64_t expires) WL_MUST;
wl_rc wl_store_session_get(wl_store *s, const uint8_t token[32], char member[65], uint32_t *key_id,
                           char csrf[65], int64_t *expires) WL_MUST;
wl_rc wl_store_session_delete(wl_store *s, const uint8_t token[32], int64_t now) WL_MUST;

/* Witness state: the latest cosigned checkpoint per origin. */
wl_rc wl_store_witness_get(wl_store *s, const char *origin, uint64_t *size,
                           uint8_t root[32]) WL_MUST;
wl_rc wl_store_witness_set(wl_store *s, const char *origin, uint64_t size, const uint8_t root[32],
                           const char *note, size_t len) WL_MUST;

/*
 * Records a request nonce until `expires` (unix seconds); WL_ERR_CONFLICT if it
 * was already recorded and has not expired. Forgets nonces expired at `now`.
 */
wl_rc wl_store_nonce_use(wl_store *s, const char *nonce, int64_t expires, int64_t now) WL_MUST;

/*
 * Sealed content, kept privately: readable only by its author, the
 * coordinator and the members it names (the daemon enforces that). The log
 * holds only the commitment, in an envelope published with its batch.
 */
typedef struct {
    uint8_t commitment[32];
    char author[65];
    uint8_t salt[32];
    char *content; /* owned (wl_store_sealed_free) */
    size_t content_len;
    char *readers; /* JSON array of member ids, owned */
    int64_t batch; /* its batch, named by the batch's deadline (unix seconds) */
    int64_t received;
    uint64_t envelope; /* index of its envelope, UINT64_MAX until published */
    char pledge[33];   /* the pledge id the content names, or "" */
    char subject[65];  /* the member a member.add, key.add or member.status names, or "" */
} wl_sealed_rec;

/* CONFLICT: the commitment exists, or a pledge with this id does (another salt) */
wl_rc wl_store_sealed_put(wl_store *s, const wl_sealed_rec *r) WL_MUST;
wl_rc wl_store_sealed_get(wl_store *s, const uint8_t commitment[32], wl_sealed_rec *r) WL_MUST;
void wl_store_sealed_free(wl_sealed_rec *r);
/* Commitments not yet published whose batch (its deadline) is <= batch, at most max. */
wl_rc wl_store_sealed_due(wl_store *s, int64_t batch, uint8_t (*out)[32], size_t max,
                          size_t *n) WL_MUST;
wl_rc wl_store_sealed_published(wl_store *s, const uint8_t commitment[32],
                                uint64_t envelope) WL_MUST;

/* The author of the sealed pledge with this id; WL_ERR_NOT_FOUND if none. */
wl_rc wl_store_pledge_author(wl_store *s, const char *pledge, char author[65]) WL_MUST;
/* The sealed commitments whose subject is member, in the order received. */
wl_rc wl_store_sealed_about(wl_store *s, const char *member, uint8_t (*out)[32], size_t max,
                            size_t *n) WL_MUST;
/*
 * The sealed commitments a member wrote or that name it, in the order received,
 * after the commitment `after` (NULL: from the first), up to max.
 */
wl_rc wl_store_sealed_mine(wl_store *s, const char *member, const uint8_t *after,
                           uint8_t (*out)[32], size_t max, size_t *n) WL_MUST;
/* Every sealed pledge and pledge.withdraw content after row `after`, in the order received. */
typedef wl_rc (*wl_sealed_fn)(void *ctx, int64_t row, const char *author, const void *content,
                              size_t len, int64_t received);
wl_rc wl_store_sealed_each(wl_store *s, int64_t after, wl_sealed_fn fn, void *ctx) WL_MUST;
/* Every sealed commitment, in the order received (the coordinator's views). */
wl_rc wl_store_sealed_all(wl_store *s, uint8_t (*out)[32], size_t max, size_t *n) WL_MUST;

/* Requirements (the body is its JSON) and their endorsement by the host nation. */
wl_rc wl_store_requirement_put(wl_store *s, const char *id, const char *body,
                               uint64_t set_idx) WL_MUST; /* clears an endorsement */
wl_rc wl_store_requirement_get(wl_store *s, const char *id, uint64_t *set_idx,
                               uint64_t *endorsed_idx) WL_MUST;
wl_rc wl_store_requirement_endorse(wl_store *s, const char *id, uint64_t idx) WL_MUST;
typedef wl_rc (*wl_requirement_fn)(void *ctx, const char *id, const char *body, uint64_t set_idx,
                                   uint64_t endorsed_idx);
wl_rc wl_store_requirements(wl_store *s, wl_requirement_fn fn, void *ctx) WL_MUST;

/* Facts the coordinator records or retracts; *names: the recorded ones (free each, then it). */
wl_rc wl_store_fact_set(wl_store *s, const char *name, int recorded, uint64_t idx) WL_MUST;
wl_rc wl_store_facts(wl_store *s, char ***names, size_t *n) WL_MUST;

/* Entries by kind (any of up to 4; none: all), author, index range and time range. */
typedef struct {
    const char *kinds[5]; /* NULL-terminated */
    const char *author;   /* NULL: any */
    uint64_t from, to;    /* indices [from, to) */
    int64_t since, until; /* entry times [since, until) */
    size_t limit;         /* 0: no limit */
    int newest_first;
} wl_entry_query;
wl_entry_query wl_entry_query_all(void);
wl_rc wl_store_entries_query(wl_store *s, const wl_entry_query *q, wl_entry_fn fn,
                             void *ctx) WL_MUST;
/* Entries of one kind from index `from` on, in order. */
wl_rc wl_store_entries_of_kind(wl_store *s, const char *kind, uint64_t from, wl_entry_fn fn,
                               void *ctx) WL_MUST;

/*
 * For fsck: the columns stored beside an entry's bytes (its leaf hash, kind,
 * author, seq, time), as stored, to compare with those its bytes give.
 */
wl_rc wl_store_entry_derived(wl_store *s, uint64_t index, uint8_t leaf[32], char kind[33],
                             char author[65], uint64_t *seq, int64_t *time) WL_MUST;
/*
 * For fsck: every row of a table the log determines (members, keys,
 * requirements, facts) as one line of text (each column quoted), in a
 * canonical order; public_only: members and keys not sealed.
 */
typedef wl_rc (*wl_row_fn)(void *ctx, const char *row);
wl_rc wl_store_rows(wl_store *s, const char *table, int public_only, wl_row_fn fn,
                    void *ctx) WL_MUST;
/* For fsck: every sealed record, in the order received (fn may call the store). */
typedef wl_rc (*wl_sealed_rec_fn)(void *ctx, const wl_sealed_rec *r);
wl_rc wl_store_sealed_scan(wl_store *s, wl_sealed_rec_fn fn, void *ctx) WL_MUST;

/* Whether a commit goes through (a test write, committed); why says what failed. */
wl_rc wl_store_writable(wl_store *s, char *why, size_t cap) WL_MUST;

/* Engine-level integrity check of the whole file (slow on big stores). */
wl_rc wl_store_integrity(wl_store *s, char *why, size_t cap) WL_MUST;
/* The same without checking indexes against their tables (every page read once). */
wl_rc wl_store_quick_check(wl_store *s, char *why, size_t cap) WL_MUST;

#endif
