/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing fsck`: the full integrity check of a ledger database. SQLite's own
 * integrity check, then every entry replayed through the ledger's rules
 * (signatures against the keys the log records, kinds, seq), every stored
 * Merkle hash compared with the recomputed one, and every checkpoint's
 * signature and root checked.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "willing/merkle.h"
#include "willing/coalition.h"
#include "willing/replay.h"

typedef struct {
    wl_replay r;
    uint64_t total;
    bool progress;
} fsck_ctx;

static wl_rc on_entry(void *ctx, uint64_t index, const char *data, size_t len)
{
    fsck_ctx *f = ctx;
    (void)index;
    if (f->progress && index % 10000 == 0)
        fprintf(stderr, "\rfsck: %llu / %llu entries", (unsigned long long)index,
                (unsigned long long)f->total);
    return wl_replay_add(&f->r, data, len);
}

int cli_fsck(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *db = NULL;
    char *origin = NULL, *vkt = NULL, why[512] = "";
    wl_store *s = NULL;
    fsck_ctx f;
    wl_vkey vk;
    uint64_t size = 0, cps = 0;
    int ch, bad = 0;
    wl_rc rc;

    memset(&f, 0, sizeof f);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            printf("usage: willing fsck --db PATH\n\nChecks a ledger database in full: the file, "
                   "every entry and signature, every\nMerkle hash, every checkpoint. Exits 0 "
                   "when all is sound.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (db == NULL || optind != argc) {
        fprintf(stderr, "usage: willing fsck --db PATH\n");
        return 2;
    }
    if (wl_crypto_init() != WL_OK || wl_kinds_core_register() != WL_OK ||
        wl_coalition_kinds_register() != WL_OK)
        return 1;
    rc = wl_store_open(db, 0, &s);
    if (rc != WL_OK) {
        fprintf(stderr, "fsck: %s: %s\n", db,
                rc == WL_ERR_NOT_FOUND ? "no such file" : "not a willing ledger, or damaged");
        return 1;
    }
    if (wl_store_integrity(s, why, sizeof why) != WL_OK) {
        fprintf(stderr, "fsck: FAIL: %s\n", why);
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
    f.progress = isatty(2);
    if (wl_replay_init(&f.r, origin) != WL_OK) {
        bad = 1;
        goto out;
    }
    rc = wl_store_entries(s, 0, size, on_entry, &f);
    if (f.progress)
        fprintf(stderr, "\r");
    if (rc != WL_OK) {
        fprintf(stderr, "fsck: FAIL: entry %llu: %s\n", (unsigned long long)f.r.next,
                f.r.err.msg[0] ? f.r.err.msg : wl_rc_name(rc));
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
    /* every checkpoint: signed by the log key, root of the tree at its size */
    for (uint64_t sz = 0; sz <= size; sz++) {
        char *note = NULL;
        size_t nlen = 0;
        wl_note n;
        wl_checkpoint cp;
        uint8_t ok = 0, root[32];
        if (wl_store_checkpoint_get(s, sz, &note, &nlen) != WL_OK)
            continue;
        cps++;
        if (wl_note_parse(note, nlen, &n) != WL_OK ||
            wl_note_verify(&n, &vk, 1, &ok, NULL) != WL_OK ||
            wl_checkpoint_parse(n.text, n.text_len, &cp) != WL_OK || cp.size != sz ||
            strcmp(cp.origin, origin) != 0 ||
            wl_merkle_root(wl_store_hash_reader, f.r.s, sz, root) != WL_OK ||
            memcmp(root, cp.root, 32) != 0) {
            fprintf(stderr, "fsck: FAIL: the checkpoint for size %llu does not match the log\n",
                    (unsigned long long)sz);
            bad = 1;
        }
        wl_free(note);
        if (sz == size)
            break;
    }
    if (!bad)
        printf("fsck: OK: %s, %llu entries, %llu checkpoints, every signature and hash checked\n",
               db, (unsigned long long)size, (unsigned long long)cps);
out:
    wl_replay_free(&f.r);
    wl_free(origin);
    wl_free(vkt);
    wl_store_close(s);
    return bad ? 1 : 0;
}
