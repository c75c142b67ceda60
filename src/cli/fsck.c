/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing fsck`: the full integrity check of a ledger database. SQLite's own
 * integrity check, then every entry replayed through the ledger's rules
 * (signatures against the keys the log records, kinds, seq) into a fresh
 * store, and everything stored that the entries determine compared with what
 * the replay made: each entry's leaf hash, kind, author, seq and time, every
 * Merkle hash and full tile, the public members and keys, requirements and
 * facts; every sealed record checked against its own content (commitment,
 * its author's signature, pledge id, subject, readers, its envelope in the log, the
 * pledges_retired row of a withdrawal or amendment); and every checkpoint
 * stored: its signature, its size (none beyond the log) and its root.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/crypto.h"
#include "willing/ledger.h"
#include "willing/merkle.h"
#include "willing/coalition.h"
#include "willing/replay.h"

typedef struct {
    wl_replay r;
    wl_store *disk;
    uint64_t total;
    bool progress;
    /* each pledge a sealed record retires: [whether one of its records gives the row's
       successor, the least of their bounds on its size] (check_sealed, check_retired) */
    json_t *retired;
    char why[400]; /* what differs, when a comparison fails */
} fsck_ctx;

/* The columns stored beside entry index against those its bytes gave the replay. */
static wl_rc check_derived(fsck_ctx *f, uint64_t index)
{
    uint8_t l1[32], l2[32];
    char k1[33], k2[33], a1[65], a2[65];
    uint64_t s1, s2;
    int64_t t1, t2;
    if (wl_store_entry_derived(f->disk, index, l1, k1, a1, &s1, &t1) != WL_OK ||
        wl_store_entry_derived(f->r.s, index, l2, k2, a2, &s2, &t2) != WL_OK) {
        snprintf(f->why, sizeof f->why, "entry %llu: its stored columns cannot be read",
                 (unsigned long long)index);
        return WL_ERR_CORRUPT;
    }
    if (memcmp(l1, l2, 32) != 0 || strcmp(k1, k2) != 0 || strcmp(a1, a2) != 0 || s1 != s2 ||
        t1 != t2) {
        snprintf(f->why, sizeof f->why,
                 "entry %llu: the stored leaf hash, kind, author, seq or time is not what its "
                 "bytes say (stored: kind %s, author %s, seq %llu, time %lld, leaf %s; its "
                 "bytes: kind %s, author %s, seq %llu, time %lld)",
                 (unsigned long long)index, k1, a1, (unsigned long long)s1, (long long)t1,
                 memcmp(l1, l2, 32) == 0 ? "right" : "wrong", k2, a2, (unsigned long long)s2,
                 (long long)t2);
        return WL_ERR_CORRUPT;
    }
    return WL_OK;
}

static wl_rc on_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    fsck_ctx *f = ctx;
    wl_rc rc;
    if (f->progress && index % 10000 == 0)
        fprintf(stderr, "\rfsck: %llu / %llu entries", (unsigned long long)index,
                (unsigned long long)f->total);
    if ((rc = wl_replay_add(&f->r, data, len)) != WL_OK)
        return rc;
    return check_derived(f, index);
}

static wl_rc add_row(void *ctx, const char *row)
{
    wl_buf *b = ctx;
    wl_rc rc = wl_buf_append(b, row, strlen(row), SIZE_MAX / 2);
    return rc == WL_OK ? wl_buf_append(b, "\n", 1, SIZE_MAX / 2) : rc;
}

/* A table's rows as stored against those the replay made; why names the first difference. */
static int check_table(fsck_ctx *f, const char *table, int public_only)
{
    wl_buf a = {0}, b = {0};
    int bad = 0;
    if (wl_store_rows(f->disk, table, public_only, add_row, &a) != WL_OK ||
        wl_store_rows(f->r.s, table, public_only, add_row, &b) != WL_OK) {
        snprintf(f->why, sizeof f->why, "the %s table cannot be read", table);
        bad = 1;
    } else if (a.len != b.len || (a.len && memcmp(a.buf, b.buf, a.len) != 0)) {
        size_t i = 0, line = 0;
        while (i < a.len && i < b.len && a.buf[i] == b.buf[i])
            if (a.buf[i++] == '\n')
                line = i;
        snprintf(f->why, sizeof f->why,
                 "the %s table is not what the log says: stored \"%.120s\", the log gives "
                 "\"%.120s\"",
                 table, a.len > line ? a.buf + line : "(nothing)",
                 b.len > line ? b.buf + line : "(nothing)");
        for (char *p = f->why; *p; p++)
            if (*p == '\n')
                *p = ' ';
        bad = 1;
    }
    wl_buf_free(&a);
    wl_buf_free(&b);
    return bad;
}

/* A sealed record against its own content, and its envelope against the log. */
static wl_rc check_sealed(void *ctx, const wl_sealed_rec *r)
{
    fsck_ctx *f = ctx;
    uint8_t c[32];
    char hex[65], b64[45], readers[4096] = "[]", *data = NULL;
    const char *kind, *want_pledge = "", *want_subject = "";
    size_t dlen;
    wl_entry e, env;
    wl_rc rc = WL_ERR_CORRUPT;
    json_t *rd;

    memset(&e, 0, sizeof e);
    memset(&env, 0, sizeof env);
    wl_hex_encode(r->commitment, 32, hex);
    wl_seal_commitment(r->salt, r->content, r->content_len, c);
    if (memcmp(c, r->commitment, 32) != 0) {
        snprintf(f->why, sizeof f->why,
                 "sealed %s: its content and salt do not give its commitment", hex);
        return WL_ERR_CORRUPT;
    }
    if (wl_sealed_parse(r->content, r->content_len, &e, NULL, 0) != WL_OK) {
        snprintf(f->why, sizeof f->why, "sealed %s: its content does not parse", hex);
        return WL_ERR_CORRUPT;
    }
    {
        /* signed by its author: a key of the author's with its key ID, live or revoked since
           (the daemon took it with a live one), sealed keys too */
        wl_member_key keys[WL_MAX_KEYS_PER_MEMBER];
        size_t nk = 0, i = 0;
        if (wl_store_keys_by_id(f->disk, e.author, e.key_id, keys, WL_MAX_KEYS_PER_MEMBER, &nk) ==
            WL_OK)
            while (i < nk && wl_entry_verify_sig(&e, keys[i].pk) != WL_OK)
                i++;
        if (i == nk) {
            snprintf(f->why, sizeof f->why,
                     "sealed %s: its content is not signed by a key of its author %s", hex,
                     e.author);
            goto out;
        }
    }
    kind = e.kind;
    {
        /* the columns the sealed route filled from the kind's own id and subject fields */
        const wl_kind *k = wl_kind_sealable(kind);
        if (k && k->sealed_id)
            want_pledge = json_string_value(json_object_get(e.body_json, k->sealed_id));
        if (k && k->sealed_subject)
            want_subject = json_string_value(json_object_get(e.body_json, k->sealed_subject));
    }
    if ((rd = json_object_get(e.body_json, "readers")) != NULL) {
        char *t = json_dumps(rd, JSON_COMPACT);
        snprintf(readers, sizeof readers, "%s", t ? t : "");
        free(t);
    }
    if (strcmp(e.author, r->author) != 0 || strcmp(want_pledge ? want_pledge : "", r->pledge) ||
        strcmp(want_subject ? want_subject : "", r->subject) || strcmp(readers, r->readers) != 0) {
        snprintf(f->why, sizeof f->why,
                 "sealed %s: the stored author, pledge id, subject or readers are not what its "
                 "content says (stored: author %s, pledge %s, subject %s)",
                 hex, r->author, r->pledge, r->subject);
        goto out;
    }
    if (r->envelope != UINT64_MAX) {
        /* its envelope: a sealed entry of the log that carries this commitment */
        const char *got = NULL;
        wl_b64_encode(r->commitment, 32, b64);
        if (wl_store_entry(f->r.s, r->envelope, &data, &dlen, NULL, NULL, NULL, NULL) == WL_OK &&
            wl_entry_parse(data, dlen, &env, NULL, 0) == WL_OK && strcmp(env.kind, "sealed") == 0)
            got = json_string_value(json_object_get(env.body_json, "commitment"));
        if (got == NULL || strcmp(got, b64) != 0) {
            snprintf(f->why, sizeof f->why,
                     "sealed %s: entry %llu, named as its envelope, does not carry its commitment",
                     hex, (unsigned long long)r->envelope);
            goto out;
        }
    }
    {
        /*
         * A withdrawal or an amendment retired the pledge it names: flows rely on that record.
         * The first record that retires a pledge writes its row: the successor that record's
         * content gives (an amendment's new pledge, none for a withdrawal), and the log's size
         * then, no later than any of the pledge's records was published (its envelope's index,
         * or the log's size if not yet). Which record came first the log does not say, so one
         * of them must give the successor, and the size is at most the least of their bounds
         * (f->retired: [given, bound] per pledge; check_retired).
         */
        const char *gone = json_string_value(json_object_get(
            e.body_json, strcmp(kind, "pledge.withdraw") == 0 ? "pledge" : "amends"));
        const char *next = strcmp(kind, "pledge") == 0 ? want_pledge : NULL;
        wl_pledge_retired pr;
        if ((strcmp(kind, "pledge.withdraw") == 0 || strcmp(kind, "pledge") == 0) && gone) {
            uint64_t bound = r->envelope != UINT64_MAX ? r->envelope : f->total;
            bool gives;
            json_t *v;
            if (wl_store_pledge_retired(f->disk, gone, &pr) != WL_OK) {
                snprintf(f->why, sizeof f->why,
                         "sealed %s: it retires pledge %s, which the pledges_retired table lacks",
                         hex, gone);
                goto out;
            }
            gives = strcmp(pr.successor, next ? next : "") == 0;
            if ((v = json_object_get(f->retired, gone)) == NULL) {
                if ((v = json_pack("[b, I]", gives, (json_int_t)bound)) == NULL ||
                    json_object_set_new(f->retired, gone, v) != 0) {
                    snprintf(f->why, sizeof f->why, "out of memory");
                    rc = WL_ERR_NOMEM;
                    goto out;
                }
            } else {
                if (gives)
                    json_array_set(v, 0, json_true());
                if (bound < (uint64_t)json_integer_value(json_array_get(v, 1)))
                    json_array_set_new(v, 1, json_integer((json_int_t)bound));
            }
        }
    }
    rc = WL_OK;
out:
    wl_entry_clear(&e);
    wl_entry_clear(&env);
    wl_free(data);
    return rc;
}

/* The operator that meta names is the log's member of that role. */
static int check_operator(fsck_ctx *f)
{
    char *op = NULL;
    wl_member m;
    int bad = wl_store_meta_get(f->disk, "operator", &op) != WL_OK ||
              wl_store_member_get(f->r.s, op, &m) != WL_OK || strcmp(m.role, "operator") != 0;
    if (bad)
        snprintf(f->why, sizeof f->why, "the operator the ledger names (%s) is not the log's",
                 op ? op : "none");
    wl_free(op);
    return bad;
}

/* A member known only to the operator stands on sealed content that names it. */
static wl_rc check_sealed_member(void *ctx, const wl_member *m)
{
    fsck_ctx *f = ctx;
    uint8_t c[1][32];
    size_t n = 0;
    if (!m->sealed)
        return WL_OK;
    if (wl_store_sealed_about(f->disk, m->id, c, 1, &n) != WL_OK || n == 0) {
        snprintf(f->why, sizeof f->why,
                 "member %s: sealed, but no sealed content names it (not added by the log, "
                 "nor by sealed content)",
                 m->id);
        return WL_ERR_CORRUPT;
    }
    return WL_OK;
}

/* A pledges_retired row (as wl_store_rows writes it: 'pledge'|at|successor): retired by a record.
 */
static wl_rc retired_row(void *ctx, const char *row)
{
    fsck_ctx *f = ctx;
    char id[65] = "";
    const char *end = row[0] == '\'' ? strchr(row + 1, '\'') : NULL;
    if (end && (size_t)(end - row - 1) < sizeof id)
        memcpy(id, row + 1, (size_t)(end - row - 1));
    if (json_object_get(f->retired, id) == NULL) {
        snprintf(f->why, sizeof f->why,
                 "the pledges_retired row of pledge %.64s: no sealed content retires it", id);
        return WL_ERR_CORRUPT;
    }
    return WL_OK;
}

/*
 * Every pledges_retired row stands on sealed content that retires its pledge, and is what
 * one of those records gives (check_sealed): 1 and f->why said if not.
 */
static int check_retired(fsck_ctx *f)
{
    const char *pledge;
    json_t *v;
    if (wl_store_rows(f->disk, "pledges_retired", 0, retired_row, f) != WL_OK) {
        if (f->why[0] == '\0')
            snprintf(f->why, sizeof f->why, "the pledges_retired table cannot be read");
        return 1;
    }
    json_object_foreach(f->retired, pledge, v)
    {
        wl_pledge_retired pr;
        if (wl_store_pledge_retired(f->disk, pledge, &pr) != WL_OK) {
            snprintf(f->why, sizeof f->why, "the pledges_retired row of pledge %s cannot be read",
                     pledge);
            return 1;
        }
        if (json_is_true(json_array_get(v, 0)) &&
            pr.at <= (uint64_t)json_integer_value(json_array_get(v, 1)))
            continue;
        snprintf(f->why, sizeof f->why,
                 "the pledges_retired row of pledge %s (log size %llu, successor %s) is not what "
                 "the sealed content that retires it gives",
                 pledge, (unsigned long long)pr.at, pr.successor[0] ? pr.successor : "none");
        return 1;
    }
    return 0;
}

static int fsck_opt(void *ctx, int ch, const char *arg)
{
    (void)ch;
    *(const char **)ctx = arg;
    return CLI_GO;
}

static int run_fsck(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *db = NULL;
    char *origin = NULL, *vkt = NULL, why[512] = "";
    wl_store *s = NULL;
    cli_common c;
    fsck_ctx f;
    wl_vkey vk;
    uint64_t size = 0, cps = 0;
    int bad = 0, ret;
    wl_rc rc;

    memset(&f, 0, sizeof f);
    if ((ret = cli_parse(self, argc, argv, 0, opts, fsck_opt, &db, &c)) != CLI_GO)
        return ret;
    if (db == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK)
        return 1;
    rc = wl_store_open(db, 0, &s);
    if (rc != WL_OK) {
        fprintf(stderr, "fsck: %s: %s\n", db,
                rc == WL_ERR_NOT_FOUND ? "no such file" : "not a willing ledger, or damaged");
        return 1;
    }
    if ((rc = wl_store_integrity(s, why, sizeof why)) != WL_OK) {
        fprintf(stderr, "fsck: FAIL: %s\n", why[0] ? why : wl_rc_name(rc));
        wl_store_close(s);
        return 1;
    }
    if (wl_store_meta_get(s, "origin", &origin) != WL_OK ||
        wl_store_meta_get(s, "log_vkey", &vkt) != WL_OK ||
        wl_vkey_parse(vkt, strlen(vkt), &vk) != WL_OK || wl_store_size(s, &size) != WL_OK) {
        fprintf(stderr, "fsck: FAIL: the ledger's origin or log key is missing\n");
        bad = 1;
        goto out;
    }
    f.total = size;
    f.disk = s;
    f.progress = isatty(2);
    if (wl_replay_init(&f.r, origin) != WL_OK) {
        bad = 1;
        goto out;
    }
    rc = wl_store_entries(s, 0, size, on_entry, &f);
    if (f.progress)
        fprintf(stderr, "\r");
    if (rc != WL_OK) {
        if (f.why[0])
            fprintf(stderr, "fsck: FAIL: %s\n", f.why);
        else
            fprintf(stderr, "fsck: FAIL: entry %llu: %s\n", (unsigned long long)f.r.next,
                    f.r.err.msg[0] ? f.r.err.msg : wl_rc_name(rc));
        bad = 1;
        goto out;
    }
    if ((f.retired = json_object()) == NULL) {
        fprintf(stderr, "fsck: out of memory\n");
        bad = 1;
        goto out;
    }
    /* the tables the log determines; sealed records against their content */
    if (check_operator(&f) || check_table(&f, "schema", 0) || check_table(&f, "members", 1) ||
        check_table(&f, "keys", 1) || check_table(&f, "requirements", 0) ||
        check_table(&f, "facts", 0) || check_table(&f, "pledges_announced", 0) ||
        check_table(&f, "flows", 1) || check_table(&f, "flow_answers", 1) ||
        check_table(&f, "instruments", 0) || check_table(&f, "rates", 0) ||
        check_table(&f, "refs", 0) || check_table(&f, "history", 0) ||
        check_table(&f, "zones", 0) || check_table(&f, "blob_refs", 0) ||
        check_table(&f, "blob_public", 0) || check_table(&f, "announced", 0) ||
        check_table(&f, "deals", 0) || check_table(&f, "deal_versions", 0) ||
        check_table(&f, "deal_parties", 0) || check_table(&f, "deal_notices", 0) ||
        check_table(&f, "reports", 0) || check_table(&f, "report_overrides", 0) ||
        check_table(&f, "designations", 0) || check_table(&f, "pressure_snapshots", 0) ||
        check_table(&f, "pressure_decisions", 0) ||
        wl_store_sealed_scan(s, check_sealed, &f) != WL_OK || check_retired(&f) ||
        wl_store_members(s, check_sealed_member, &f) != WL_OK) {
        fprintf(stderr, "fsck: FAIL: %s\n", f.why[0] ? f.why : "the sealed table cannot be read");
        bad = 1;
        goto out;
    }
    /* every stored hash, level by level */
    for (unsigned level = 0; level < 64 && (size >> level) > 0; level++) {
        uint64_t n = size >> level;
        uint8_t a[256 * 32], b[256 * 32];
        for (uint64_t i = 0; i < n; i += 256) {
            size_t cnt = (size_t)(n - i < 256 ? n - i : 256);
            if (wl_store_hash_range(s, level, i, cnt, a) != WL_OK ||
                wl_store_hash_range(f.r.s, level, i, cnt, b) != WL_OK ||
                memcmp(a, b, cnt * 32) != 0) {
                fprintf(stderr,
                        "fsck: FAIL: stored Merkle hashes at level %u from %llu differ "
                        "from the entries\n",
                        level, (unsigned long long)i);
                bad = 1;
                goto out;
            }
        }
    }
    /* every full tile, stored whole for serving, against the hashes */
    for (unsigned tl = 0; tl < 8 && (size >> (8 * tl)) >= 256; tl++) {
        uint64_t full = (size >> (8 * tl)) / 256;
        for (uint64_t n = 0; n < full; n++) {
            uint8_t a[WL_TILE_BLOB_BYTES], b[WL_TILE_BLOB_BYTES];
            if (wl_store_tile_get(s, tl, n, a) != WL_OK ||
                wl_ledger_tile_blob(f.r.s, tl, n, b) != WL_OK || memcmp(a, b, sizeof a) != 0) {
                fprintf(stderr, "fsck: FAIL: stored tile %u/%llu differs from the entries\n", tl,
                        (unsigned long long)n);
                bad = 1;
                goto out;
            }
        }
    }
    /*
     * every checkpoint stored, in order of size: signed by the log key, for the size it is
     * stored under, no larger than the log, the root of the tree at that size
     */
    {
        uint64_t sz = (uint64_t)INT64_MIN; /* the engine's least: a size damaged below 0 too */
        char *note = NULL;
        size_t nlen = 0;
        rc = wl_store_checkpoint_get(s, sz, &note, &nlen);
        if (rc == WL_ERR_NOT_FOUND)
            rc = wl_store_checkpoint_after(s, sz, &sz, &note, &nlen);
        for (; rc == WL_OK; rc = wl_store_checkpoint_after(s, sz, &sz, &note, &nlen)) {
            wl_note n;
            wl_checkpoint cp;
            uint8_t ok = 0, root[32];
            cps++;
            if (sz > size || wl_note_parse(note, nlen, &n) != WL_OK ||
                wl_note_verify(&n, &vk, 1, &ok, NULL) != WL_OK ||
                wl_checkpoint_parse(n.text, n.text_len, &cp) != WL_OK || cp.size != sz ||
                strcmp(cp.origin, origin) != 0 ||
                wl_merkle_root(wl_store_hash_reader, f.r.s, sz, root) != WL_OK ||
                memcmp(root, cp.root, 32) != 0) {
                fprintf(stderr,
                        "fsck: FAIL: the checkpoint stored for size %lld does not match the "
                        "log of %llu entries\n",
                        (long long)(int64_t)sz, (unsigned long long)size);
                bad = 1;
            }
            wl_free(note);
            note = NULL;
        }
        wl_free(note);
        if (rc != WL_ERR_NOT_FOUND) {
            fprintf(stderr, "fsck: FAIL: the checkpoints cannot be read: %s\n", wl_rc_name(rc));
            bad = 1;
        }
    }
    if (!bad)
        printf("fsck: OK: %s, %llu entries, %llu checkpoints, every signature, hash and "
               "derived record checked\n",
               db, (unsigned long long)size, (unsigned long long)cps);
out:
    json_decref(f.retired);
    wl_replay_free(&f.r);
    wl_free(origin);
    wl_free(vkt);
    wl_store_close(s);
    return bad ? 1 : 0;
}

static const cli_cmd fsck_cmd = {
    NULL, "fsck", "--db PATH",
    "Checks a ledger database in full: the file, every entry and signature, every\n"
    "Merkle hash, every checkpoint. Exits 0 when all is sound. Run it on a copy, or\n"
    "with the server stopped: a checkpoint signed meanwhile is beyond what it read.\n",
    run_fsck};

int cli_fsck(int argc, char **argv)
{
    return fsck_cmd.run(&fsck_cmd, argc, argv);
}
