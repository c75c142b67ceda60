/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What several unit tests set up the same way: a temporary directory for
 * real store files (removed at the end), a member.add body, and a ledger's
 * rows written straight into a store as the ledger and the sealed route
 * write them (a member, sealed content, an announce entry). The writers
 * answer a wl_rc for the test to assert, so this header needs no cmocka.
 */
#ifndef WILLING_TEST_FIXTURE_H
#define WILLING_TEST_FIXTURE_H

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"
#include "store/testdb.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/ledger.h"

/* Makes a fresh directory /tmp/<prefix>XXXXXX into dir (32 bytes); 0 on success. */
static inline int wl_test_tmpdir(char dir[32], const char *prefix)
{
    int n = snprintf(dir, 32, "/tmp/%sXXXXXX", prefix);
    return n > 0 && n < 32 && mkdtemp(dir) != NULL ? 0 : -1;
}

/* Removes dir and everything in it; 0 on success. */
static inline int wl_test_rmdir(const char *dir)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/*
 * Opens a new store in a fresh directory /tmp/<prefix>XXXXXX (dir): dir/log.db, or,
 * when the tests run against PostgreSQL (WILLING_TEST_PG, store/testdb.h), a fresh
 * database on that server. Its path or URL in path (64 bytes), to open it again.
 */
static inline wl_rc wl_test_store_open(char dir[32], char path[64], const char *prefix,
                                       wl_store **s)
{
    char file[64];
    int n;
    if (wl_test_tmpdir(dir, prefix) != 0)
        return WL_ERR_IO;
    snprintf(file, sizeof file, "%s/log.db", dir);
    n = snprintf(path, 64, "%s", wl_test_db(file));
    if (n < 0 || n >= 64)
        return WL_ERR_INVALID;
    return wl_store_open(path, 1, s);
}

/* A test's own store in a fresh directory: cmocka's state, made by wl_test_fx_setup (prefix: the
 * directory's, /tmp/<prefix>XXXXXX) and closed and removed by wl_test_fx_teardown. */
typedef struct {
    char dir[32];
    wl_store *s;
} wl_test_fx;

static inline int wl_test_fx_setup(void **state, const char *prefix)
{
    wl_test_fx *f = calloc(1, sizeof *f);
    char path[64];
    if (f == NULL || wl_test_store_open(f->dir, path, prefix, &f->s) != WL_OK) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int wl_test_fx_teardown(void **state)
{
    wl_test_fx *f = *state;
    wl_store_close(f->s);
    wl_test_rmdir(f->dir);
    free(f);
    return 0;
}

/* The whole file at path, NUL-terminated, its length in *len; NULL if unreadable. Caller frees. */
static inline char *wl_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    *len = 0;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* text (UTF-8) in another encoding (iconv's name: "IBM037" is EBCDIC), its length in *len;
   NULL if iconv cannot. Caller frees. */
static inline char *wl_test_encoded(const char *text, const char *encoding, size_t *len)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    size_t in_left = strlen(text), out_left = 4 * in_left + 8;
    char *in = (char *)text, *buf = malloc(out_left), *out = buf;
    *len = 0;
    if (cd == (iconv_t)-1 || buf == NULL ||
        iconv(cd, &in, &in_left, &out, &out_left) == (size_t)-1) {
        free(buf);
        buf = NULL;
    } else {
        *len = (size_t)(out - buf);
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return buf;
}

/* The body of a member.add of id with role, public key k and scope. */
static inline void wl_test_member_body(char *out, size_t cap, const char *id, const char *role,
                                       const wl_key *k, const char *scope)
{
    char b64[45];
    wl_b64_encode(k->pk, 32, b64);
    snprintf(out, cap,
             "{\"member\":\"%s\",\"name\":\"%s\",\"role\":\"%s\",\"key\":\"%s\",\"scope\":\"%s\"}",
             id, id, role, b64, scope);
}

/* Stores member id (its name too) with role: sealed ones are "invited", the others "announced". */
static inline wl_rc wl_test_member_put(wl_store *s, const char *id, const char *role, int sealed)
{
    wl_member m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.name, sizeof m.name, "%s", id);
    snprintf(m.role, sizeof m.role, "%s", role);
    snprintf(m.status, sizeof m.status, "%s", sealed ? "invited" : "announced");
    m.sealed = sealed;
    return wl_store_member_put(s, &m);
}

/*
 * Stores sealed content raw (len bytes) by author, of pledge (NULL: none), as
 * the sealed route does once its rules passed: no readers, not yet in an
 * envelope, due in batch, received as the received-th, its salt every byte
 * `salt`.
 */
static inline wl_rc wl_test_sealed_put(wl_store *s, const char *author, const char *pledge,
                                       char *raw, size_t len, int salt, int64_t batch,
                                       int64_t received)
{
    wl_sealed_rec r;
    memset(&r, 0, sizeof r);
    memset(r.salt, salt, sizeof r.salt);
    wl_seal_commitment(r.salt, raw, len, r.commitment);
    snprintf(r.author, sizeof r.author, "%s", author);
    snprintf(r.pledge, sizeof r.pledge, "%s", pledge ? pledge : "");
    r.content = raw;
    r.content_len = len;
    r.readers = "[]";
    r.batch = batch;
    r.received = received;
    r.envelope = UINT64_MAX;
    return wl_store_sealed_put(s, &r);
}

/*
 * Runs kind d's rules on the pending entry p as the ledger does: validate, then
 * apply at index, in a savepoint; a refusal rolls it back, leaving nothing.
 */
static inline wl_rc wl_test_apply(wl_store *s, const wl_kind *d, wl_pending *p, uint64_t index,
                                  wl_error *err)
{
    wl_rc rc;
    if (wl_store_savepoint(s) != WL_OK)
        return WL_ERR_IO;
    rc = d->validate ? d->validate(&p->e, err) : WL_OK;
    if (rc == WL_OK && d->apply)
        rc = d->apply(s, p, index, err);
    if (rc != WL_OK)
        wl_store_rollback_to(s); /* and releases it */
    else if (wl_store_release(s) != WL_OK)
        rc = WL_ERR_IO;
    return rc;
}

/*
 * Appends to the log (of *size entries) an announce entry by author, signed
 * with k, carrying sealed content raw (len bytes), as announcing it does;
 * *size grows by one on success.
 */
static inline wl_rc wl_test_announce(wl_store *s, uint64_t *size, const char *origin,
                                     const char *author, const wl_key *k, const char *raw,
                                     size_t len)
{
    size_t cap = wl_b64_len(len) + 128, elen = 0;
    char *b64 = malloc(wl_b64_len(len) + 1), *body = malloc(cap), *entry = NULL;
    uint8_t leaf[32] = {0};
    wl_stored_entry se;
    wl_rc rc = WL_ERR_NOMEM;
    if (b64 == NULL || body == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)raw, len, b64);
    snprintf(body, cap,
             "{\"sealed\":0,\"salt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
             "\"content\":\"%s\"}",
             b64);
    rc = wl_entry_build(origin, "announce", author, *size + 1, 1741392000, body, k, &entry, &elen);
    if (rc != WL_OK)
        goto out;
    se = (wl_stored_entry){*size, entry, elen, leaf, "announce", author, *size + 1, 1741392000};
    rc = wl_store_append(s, &se);
    if (rc == WL_OK)
        (*size)++;
out:
    wl_free(entry);
    free(body);
    free(b64);
    return rc;
}

/*
 * Fault injection over a session: runs fn(ctx, &out) whole, then again with each
 * allocation (willing's and jansson's) failing in turn until a run fails none. Every run
 * must give an error or the whole run's answer, and free what it took (ASan tells).
 * Returns how many runs there were, or 0 when the whole run failed or a run answered
 * WL_OK with another answer (*bad: the allocation failed then).
 */
typedef wl_rc (*wl_test_session_fn)(void *ctx, json_t **out);
static inline unsigned long wl_test_alloc_faults(wl_test_session_fn fn, void *ctx,
                                                 unsigned long *bad)
{
    json_t *o = NULL;
    char *want, *got;
    unsigned long n;
    *bad = 0;
    json_set_alloc_funcs(wl_malloc, wl_free);
    if (fn(ctx, &o) != WL_OK) {
        json_set_alloc_funcs(malloc, free);
        return 0;
    }
    want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    for (n = 1; *bad == 0; n++) {
        wl_alloc_fail_at(n);
        wl_rc rc = fn(ctx, &o);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        if (rc == WL_OK) { /* an error, or the right answer */
            got = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
            if (got == NULL || want == NULL || strcmp(got, want) != 0)
                *bad = n;
            wl_free(got);
        }
        json_decref(o);
        if (!failed)
            break;
    }
    wl_free(want);
    json_set_alloc_funcs(malloc, free);
    return *bad ? 0 : n;
}

#endif
