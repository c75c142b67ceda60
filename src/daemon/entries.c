/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /api/v1: appending entries (one, or a batch all or nothing), reading an
 * entry, and inclusion and consistency proofs, and a C2SP tlog-proof file per
 * entry. Writes are prechecked here, in the worker thread, then handed to the
 * sequencer; the connection is suspended until the entry is durable.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "entries.h"
#include "http.h"
#include "precheck.h"
#include "readonly.h"
#include "respond.h"
#include "route.h"
#include "sequencer.h"
#include "willing/csv.h"
#include "willing/merkle.h"
#include "willing/request.h"

static json_t *b64_json(const uint8_t *data, size_t n)
{
    char *buf = wl_malloc(wl_b64_len(n) + 1);
    json_t *j;
    if (buf == NULL)
        return NULL;
    wl_b64_encode(data, n, buf);
    j = json_string(buf);
    wl_free(buf);
    return j;
}

static enum MHD_Result refuse(struct MHD_Connection *c, bool batch, const wl_error *err, size_t pos)
{
    /* the store could not be read (the database away): nothing stored, send it again */
    unsigned st =
        strcmp(err->code, "storage") == 0 ? MHD_HTTP_SERVICE_UNAVAILABLE : wl_status_for(err->rc);
    if (batch)
        return wl_respond_json(c, st,
                               json_pack("{s:s, s:s, s:I}", "error", err->code, "message", err->msg,
                                         "position", (json_int_t)pos));
    return wl_respond_error(c, st, err->code, "%s", err->msg);
}

static enum MHD_Result entries_done(struct MHD_Connection *c, wl_req *r);

static enum MHD_Result entries_post(struct MHD_Connection *c, wl_req *r, bool batch)
{
    wl_entries_req req;
    wl_error err;
    wl_job *j = NULL;
    wl_store *s;
    size_t pos = 0, bad, n;

    if (wl_request_entries(r->body, r->len, batch, &req, &err, &pos) != WL_OK) {
        wl_request_free(&req);
        return refuse(c, batch, &err, pos);
    }
    s = wl_thread_store();
    if (s == NULL) {
        wl_request_free(&req);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    }
    j = wl_calloc(1, sizeof *j);
    if (j == NULL || (j->items = wl_calloc(req.n, sizeof *j->items)) == NULL ||
        (j->index = wl_calloc(req.n, sizeof *j->index)) == NULL ||
        (j->existed = wl_calloc(req.n, sizeof *j->existed)) == NULL) {
        wl_request_free(&req);
        wl_job_free(j);
        return MHD_NO;
    }
    j->batch = batch;
    n = req.n;
    bad = wl_precheck_all(s, wl_srv->origin, req.bytes, req.lens, req.n, j->items, &err);
    for (size_t i = 0; i < bad; i++)    /* the pending entries point into these bytes */
        (void)wl_request_take(&req, i); /* ... which the job owns now (wl_job_free) */
    j->n = bad;
    wl_request_free(&req); /* the bytes of the entries from the first refused on */
    /* a kind whose entries may come only through their module's route says so */
    for (size_t i = 0; i < j->n && i < bad; i++) {
        const wl_kind *k = wl_kind_find(j->items[i].e.kind);
        if (k != NULL && k->entry_check && k->entry_check(&j->items[i].e, &err) != WL_OK)
            bad = i;
    }
    if (bad < n) {
        wl_job_free(j);
        return refuse(c, batch, &err, bad);
    }
    return wl_sequencer_defer(c, r, j, entries_done);
}

/* POST /api/v1/entries: one entry. */
static enum MHD_Result post_entry(wl_call *call)
{
    return entries_post(call->c, call->r, false);
}

/* POST /api/v1/entries:batch: entries, all or none. */
static enum MHD_Result post_batch(wl_call *call)
{
    return entries_post(call->c, call->r, true);
}

/* The answer once the entries are durable (or refused by the sequencer). */
static enum MHD_Result entries_done(struct MHD_Connection *c, wl_req *r)
{
    wl_job *j = r->job;
    json_t *out;
    bool all_existed = true;
    char b64[45];

    if (j->failed) {
        if (j->batch)
            return wl_respond_json(c, wl_status_for(j->err.rc),
                                   json_pack("{s:s, s:s, s:I}", "error", j->err.code, "message",
                                             j->err.msg, "position", (json_int_t)j->err_pos));
        return wl_respond_error(c, wl_status_for(j->err.rc), j->err.code, "%s", j->err.msg);
    }
    if (!j->batch) {
        wl_b64_encode(j->items[0].e.leaf, 32, b64);
        return wl_respond_json(c, j->existed[0] ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                               json_pack("{s:I, s:s, s:b}", "index", (json_int_t)j->index[0],
                                         "leaf_hash", b64, "existed", j->existed[0]));
    }
    out = json_array();
    for (size_t i = 0; i < j->n; i++) {
        wl_b64_encode(j->items[i].e.leaf, 32, b64);
        json_array_append_new(out, json_pack("{s:I, s:s, s:b}", "index", (json_int_t)j->index[i],
                                             "leaf_hash", b64, "existed", j->existed[i]));
        if (!j->existed[i])
            all_existed = false;
    }
    return wl_respond_json(c, all_existed ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                           json_pack("{s:o}", "entries", out));
}

static int parse_index(const char *s, size_t len, uint64_t *v)
{
    return wl_parse_u64(s, len, v) == WL_OK && *v <= INT64_MAX;
}

char *wl_tlog_proof_text(wl_store *s, uint64_t index, size_t *len, wl_rc *why)
{
    char *note = NULL, *out = NULL;
    size_t nlen, off = 0, np = 0;
    uint64_t size;
    uint8_t proof[WL_PROOF_MAX][32];
    wl_rc rc;
    int w;

    *len = 0;
    *why = WL_OK;
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->cp_size;
    note = wl_srv->cp_note ? wl_malloc(wl_srv->cp_len) : NULL;
    nlen = wl_srv->cp_len;
    if (note)
        memcpy(note, wl_srv->cp_note, nlen);
    pthread_mutex_unlock(&wl_srv->mu);
    if (note == NULL || index >= size) {
        rc = WL_ERR_NOT_FOUND;
        goto out;
    }
    /* one read snapshot for all the lookups (no per-statement locking) */
    rc = wl_store_begin_read(s);
    if (rc == WL_OK) {
        rc = wl_merkle_inclusion_proof(wl_cached_hash_reader, s, index, size, proof, &np);
        (void)!wl_store_commit(s);
    }
    if (rc != WL_OK)
        goto out;
    if ((out = wl_malloc(64 + np * 46 + nlen)) == NULL) {
        rc = WL_ERR_NOMEM;
        goto out;
    }
    w = snprintf(out, 64, "c2sp.org/tlog-proof@v1\nindex %llu\n", (unsigned long long)index);
    if (w < 0 || w >= 64) { /* 50 bytes at most: a cut header is a bug */
        rc = WL_ERR_INTERNAL;
        goto out;
    }
    off = (size_t)w;
    for (size_t i = 0; i < np; i++) {
        wl_b64_encode(proof[i], 32, out + off);
        off += 44;
        out[off++] = '\n';
    }
    out[off++] = '\n';
    memcpy(out + off, note, nlen);
    off += nlen;
    *len = off;
out:
    wl_free(note);
    if (rc != WL_OK) {
        wl_free(out);
        out = NULL;
        *why = rc;
    }
    return out;
}

static enum MHD_Result entry_proof(struct MHD_Connection *c, wl_store *s, uint64_t index)
{
    size_t len;
    wl_rc why = WL_OK;
    char *out = wl_tlog_proof_text(s, index, &len, &why);
    enum MHD_Result ret;
    if (out == NULL && why == WL_ERR_NOT_FOUND)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_checkpointed",
                                "entry %llu is not covered by the published checkpoint yet; "
                                "retry in a second",
                                (unsigned long long)index);
    if (out == NULL)
        return wl_respond_error(c, wl_status_storage(why), "storage",
                                "proof: reading the database: %s", wl_rc_name(why));
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/plain; charset=utf-8", out, len, "no-cache");
    wl_free(out);
    return ret;
}

/* GET /api/v1/entries/<index>[/proof]: an entry, or its tlog-proof. */
static enum MHD_Result get_entry(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *rest = call->rest;
    const char *slash = strchr(rest, '/');
    size_t il = slash ? (size_t)(slash - rest) : strlen(rest);
    uint64_t index, seq = 0;
    int64_t t = 0;
    char *data = NULL, kind[33], author[65];
    size_t len = 0;
    uint8_t leaf[32];
    wl_store *s;
    json_t *o;
    wl_rc rc;

    if (!parse_index(rest, il, &index) || (slash && strcmp(slash, "/proof") != 0))
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "use /api/v1/entries/<index> or /api/v1/entries/<index>/proof");
    s = wl_thread_store();
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    if (slash)
        return entry_proof(c, s, index);
    if (wl_srv->read_only) { /* a reader serves what its checkpoint covers, never more */
        pthread_mutex_lock(&wl_srv->mu);
        rc = index < wl_srv->size ? WL_OK : WL_ERR_NOT_FOUND;
        pthread_mutex_unlock(&wl_srv->mu);
        if (rc != WL_OK)
            return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_checkpointed",
                                    "entry %llu is not covered by the checkpoint this read-only "
                                    "server follows yet; retry in a second",
                                    (unsigned long long)index);
    }
    rc = wl_store_entry(s, index, &data, &len, kind, author, &seq, &t);
    if (rc == WL_ERR_NOT_FOUND)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no entry at index %llu",
                                (unsigned long long)index);
    if (rc != WL_OK)
        return wl_respond_error(c, wl_status_storage(rc), "storage",
                                "reading entry %llu from the database: %s",
                                (unsigned long long)index, wl_rc_name(rc));
    wl_merkle_leaf_hash(data, len, leaf);
    o = json_pack("{s:I, s:o, s:o, s:s, s:s, s:I, s:I}", "index", (json_int_t)index, "entry",
                  b64_json((const uint8_t *)data, len), "leaf_hash", b64_json(leaf, 32), "kind",
                  kind, "author", author, "seq", (json_int_t)seq, "time", (json_int_t)t);
    {
        /*
         * The scope of the key that signed it ("console": written from the console).
         * The entry was verified when appended: its key ID names its key, unless two
         * keys of the member share that ID, and only then is a signature checked.
         */
        wl_entry e;
        wl_member_key keys[WL_MAX_KEYS_PER_MEMBER], *pub[WL_MAX_KEYS_PER_MEMBER];
        size_t nk = 0, np = 0;
        if (wl_entry_parse(data, len, &e, NULL, 0) == WL_OK) {
            if (wl_store_keys_by_id(s, e.author, e.key_id, keys, WL_MAX_KEYS_PER_MEMBER, &nk) ==
                WL_OK)
                for (size_t i = 0; i < nk; i++)
                    if (!keys[i].sealed)
                        pub[np++] = &keys[i];
            for (size_t i = 0; i < np; i++)
                if (np == 1 || wl_entry_verify_sig(&e, pub[i]->pk) == WL_OK) {
                    json_object_set_new(o, "key_scope", json_string(pub[i]->scope));
                    break;
                }
            wl_entry_clear(&e);
        }
    }
    wl_free(data);
    return wl_respond_json(c, MHD_HTTP_OK, o);
}

static bool arg_u64(struct MHD_Connection *c, const char *name, uint64_t *v)
{
    const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return s != NULL && parse_index(s, strlen(s), v);
}

/* GET /api/v1/proof/inclusion and /api/v1/proof/consistency. */
static enum MHD_Result get_proof(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    const char *which = call->rest;
    uint8_t proof[WL_PROOF_MAX][32];
    size_t np = 0;
    uint64_t a, b, size;
    wl_store *s = wl_thread_store();
    wl_rc rc;
    bool incl = strcmp(which, "inclusion") == 0;

    if (!incl && strcmp(which, "consistency") != 0)
        return wl_respond_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                                "proofs are /api/v1/proof/inclusion and /api/v1/proof/consistency");
    if (s == NULL)
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage",
                                "the ledger cannot be read");
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->size;
    pthread_mutex_unlock(&wl_srv->mu);
    if (incl) {
        if (!arg_u64(c, "index", &a) || !arg_u64(c, "size", &b))
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "use ?index=I&size=N with decimal integers");
        if (a >= b || b > size)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_range",
                                    "need index < size <= %llu (the tree size)",
                                    (unsigned long long)size);
        rc = wl_store_begin_read(s);
        if (rc == WL_OK)
            rc = wl_merkle_inclusion_proof(wl_cached_hash_reader, s, a, b, proof, &np);
    } else {
        if (!arg_u64(c, "from", &a) || !arg_u64(c, "to", &b))
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                    "use ?from=M&to=N with decimal integers");
        if (a == 0 || a > b || b > size)
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_range",
                                    "need 0 < from <= to <= %llu (the tree size)",
                                    (unsigned long long)size);
        rc = wl_store_begin_read(s);
        if (rc == WL_OK)
            rc = wl_merkle_consistency_proof(wl_cached_hash_reader, s, a, b, proof, &np);
    }
    (void)!wl_store_commit(s); /* ends the read snapshot, if one was begun */
    if (rc != WL_OK)
        return wl_respond_error(c, wl_status_storage(rc), "storage",
                                "proof: reading the database: %s", wl_rc_name(rc));
    {
        /* a hot path with a fixed shape: written directly, not through a JSON tree */
        char out[128 + WL_PROOF_MAX * 47];
        int w = snprintf(out, 128, "{\"%s\":%llu,\"%s\":%llu,\"proof\":[", incl ? "index" : "from",
                         (unsigned long long)a, incl ? "size" : "to", (unsigned long long)b);
        size_t off = w > 0 && w < 128 ? (size_t)w : 0;
        if (off == 0) /* 66 bytes at most: a cut answer is a bug */
            return wl_respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "proof answer");
        for (size_t i = 0; i < np; i++) {
            out[off++] = i ? ',' : '"';
            if (i)
                out[off++] = '"';
            wl_b64_encode(proof[i], 32, out + off);
            off += 44;
            out[off++] = '"';
        }
        out[off++] = ']';
        out[off++] = '}';
        return wl_respond_bytes(c, MHD_HTTP_OK, "application/json", out, off, "no-store");
    }
}

json_t *wl_revealed(const wl_entry *e)
{
    const char *b64 = json_string_value(json_object_get(e->body_json, "content"));
    size_t n = 0;
    char *raw;
    wl_entry c;
    json_t *out = NULL;
    if (strcmp(e->kind, "announce") != 0 || b64 == NULL)
        return NULL;
    raw = wl_malloc(strlen(b64) + 1);
    if (raw && wl_b64_decode(b64, strlen(b64), (uint8_t *)raw, strlen(b64), &n) == WL_OK &&
        wl_sealed_parse(raw, n, &c, NULL, 0) == WL_OK) {
        out = json_pack("{s:s, s:s, s:I, s:O}", "kind", c.kind, "author", c.author, "time",
                        (json_int_t)c.time, "body", c.body_json);
        wl_entry_clear(&c);
    }
    wl_free(raw);
    return out;
}

typedef struct {
    json_t *list;
    wl_buf csv;
    int csv_mode;
    uint64_t last;
    size_t n;
} list_ctx;

/*
 * A CSV field: quoted, quotes doubled, line breaks kept, formulas neutralised
 * (csv.h); WL_ERR_TOO_LARGE rather than pass WL_CSV_MAX_BYTES.
 */
static wl_rc csv_field(wl_buf *b, const char *s, int last)
{
    return wl_csv_cell(b, s, WL_CSV_QUOTE | (last ? WL_CSV_LAST : 0), WL_CSV_MAX_BYTES);
}

static wl_rc list_one(void *ctx, uint64_t index, const char *data, size_t len)
{
    list_ctx *l = ctx;
    wl_entry e;
    json_t *rev;
    wl_rc rc = WL_OK;
    l->last = index;
    l->n++;
    if (wl_entry_parse(data, len, &e, NULL, 0) != WL_OK)
        return WL_OK;
    rev = wl_revealed(&e);
    if (l->csv_mode) {
        char idx[24], t[24],
            *body = json_dumps(rev ? json_object_get(rev, "body") : e.body_json,
                               JSON_COMPACT | JSON_SORT_KEYS);
        (void)snprintf(idx, sizeof idx, "%llu", (unsigned long long)index); /* 20 digits fit */
        (void)snprintf(t, sizeof t, "%lld", (long long)e.time);
        if (body == NULL)
            rc = WL_ERR_NOMEM;
        if (rc == WL_OK)
            rc = csv_field(&l->csv, idx, 0);
        if (rc == WL_OK)
            rc = csv_field(&l->csv, e.kind, 0);
        if (rc == WL_OK)
            rc = csv_field(&l->csv, e.author, 0);
        if (rc == WL_OK)
            rc = csv_field(&l->csv, t, 0);
        if (rc == WL_OK)
            rc = csv_field(&l->csv, rev ? json_string_value(json_object_get(rev, "kind")) : "", 0);
        if (rc == WL_OK)
            rc = csv_field(&l->csv, body, 1);
        free(body); /* jansson's */
    } else {
        json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:O}", "index", (json_int_t)index, "kind",
                              e.kind, "author", e.author, "seq", (json_int_t)e.seq, "time",
                              (json_int_t)e.time, "body", e.body_json);
        if (rev)
            json_object_set(o, "revealed", rev);
        json_array_append_new(l->list, o);
    }
    json_decref(rev);
    wl_entry_clear(&e);
    return rc;
}

/*
 * GET /api/v1/entries?kind=a,b&author=m&from=I&to=J&since=T&until=T&limit=N
 * &order=newest|oldest&format=json|csv: entries with their parsed bodies (and
 * for an announcement, what it reveals), for the explorer and the public pages.
 */
static enum MHD_Result list_entries(wl_call *call)
{
    struct MHD_Connection *c = call->c;
    wl_store *s = wl_thread_store();
    wl_entry_query q = wl_entry_query_all();
    const char *kind = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kind");
    const char *order = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "order");
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    char kinds[4][33];
    uint64_t from = 0, to = UINT64_MAX, since = 0, until = INT64_MAX;
    uint64_t limit = WL_ENTRIES_PAGE_DEFAULT;
    list_ctx l;
    enum MHD_Result ret;
    wl_rc rc;

    memset(&l, 0, sizeof l);
    q.author = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "author");
    if (wl_query_u64(c, "from", &from) || wl_query_u64(c, "to", &to) ||
        wl_query_u64(c, "since", &since) || wl_query_u64(c, "until", &until) ||
        wl_query_u64(c, "limit", &limit) || limit < 1 || limit > WL_ENTRIES_PAGE_MAX ||
        since > INT64_MAX || until > INT64_MAX ||
        (order && strcmp(order, "newest") != 0 && strcmp(order, "oldest") != 0) ||
        (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0))
        return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                "from, to, since, until: whole numbers; limit 1-%u; order "
                                "newest or oldest; format json or csv",
                                WL_ENTRIES_PAGE_MAX);
    if (kind) {
        size_t k = 0;
        const char *p = kind;
        while (*p) {
            size_t n = strcspn(p, ",");
            if (k == 4 || n == 0 || n > 32 || !wl_valid_kind(p, n))
                return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "bad_query",
                                        "kind: up to 4 kinds, separated by commas");
            memcpy(kinds[k], p, n);
            kinds[k][n] = '\0';
            q.kinds[k] = kinds[k];
            k++;
            p += n + (p[n] == ',');
        }
    }
    q.from = from;
    q.to = wl_readonly_cap(to); /* a reader lists what its checkpoint covers, never more */
    q.since = (int64_t)since;
    q.until = (int64_t)until;
    q.limit = (size_t)limit;
    q.newest_first = order && strcmp(order, "newest") == 0;
    l.csv_mode = format && strcmp(format, "csv") == 0;
    l.list = json_array();
    rc = l.csv_mode ? wl_buf_append(&l.csv, "index,kind,author,time,revealed_kind,body\r\n", 43,
                                    WL_CSV_MAX_BYTES)
                    : WL_OK;
    if (rc == WL_OK)
        rc = s ? wl_store_entries_query(s, &q, list_one, &l) : WL_ERR_IO;
    if (rc != WL_OK) {
        json_decref(l.list);
        wl_buf_free(&l.csv);
        if (rc == WL_ERR_TOO_LARGE) /* refused whole, never cut */
            return wl_respond_error(c, MHD_HTTP_BAD_REQUEST, "too_large",
                                    "these %llu rows pass the CSV limit of %u bytes "
                                    "(WL_CSV_MAX_BYTES): ask for fewer with limit, and page "
                                    "with from or to",
                                    (unsigned long long)q.limit, WL_CSV_MAX_BYTES);
        return wl_respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage", "cannot read");
    }
    if (l.csv_mode) {
        json_decref(l.list);
        ret = wl_respond_bytes(c, MHD_HTTP_OK, "text/csv; charset=utf-8", l.csv.buf, l.csv.len,
                               "no-cache");
        wl_buf_free(&l.csv);
        return ret;
    }
    {
        json_t *o = json_pack("{s:o}", "entries", l.list);
        /* the next page: continue after the last one listed */
        if (l.n == q.limit)
            json_object_set_new(o, q.newest_first ? "next_to" : "next_from",
                                json_integer((json_int_t)(q.newest_first ? l.last : l.last + 1)));
        return wl_respond_json(c, MHD_HTTP_OK, o);
    }
}

const wl_route wl_routes_entries[] = {
    {"POST", "/api/v1/entries", WL_ACCESS_ANYONE, WL_BODY_MAX_ENTRY, post_entry, 0, NULL},
    {"POST", "/api/v1/entries:batch", WL_ACCESS_ANYONE, WL_BODY_MAX_BATCH, post_batch, 0, NULL},
    {"GET", "/api/v1/entries", WL_ACCESS_ANYONE, 0, list_entries, 0, NULL},
    {"*", "/api/v1/entries", WL_ACCESS_ANYONE, 0, NULL, 0, "use POST to append entries"},
    {"*", "/api/v1/entries:batch", WL_ACCESS_ANYONE, 0, NULL, 0, "use POST to append entries"},
    {"GET", "/api/v1/entries/*", WL_ACCESS_ANYONE, 0, get_entry, 0, NULL},
    {"GET", "/api/v1/proof/*", WL_ACCESS_ANYONE, 0, get_proof, 0, NULL},
    {NULL, NULL, 0, 0, NULL, 0, NULL},
};
