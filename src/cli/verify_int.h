/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing verify's parts (docs/internals/cli.md, "verify"): the tree kept as its
 * right edge and the rightmost tile of each level, and the state file that
 * keeps them between audits (verify_tree.c); the pipeline that fetches entry
 * bundles and tiles while threads check entries ahead of the one sequencer
 * that replays them in order (verify_run.c); the command (verify.c).
 */
#ifndef WILLING_CLI_VERIFY_INT_H
#define WILLING_CLI_VERIFY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "willing/replay.h"

/*
 * A Merkle tree of n leaves, held as its right edge: edge[k] is the complete
 * subtree of 2^k leaves when bit k of n is set. tile[L] holds the hashes at
 * tree level 8L of the rightmost tile of level L, complete or not: its first
 * (n >> 8L) % 256 hashes, or all 256 just after vtree_push completed it.
 */
typedef struct {
    uint64_t n;
    uint8_t edge[64][32];
    uint8_t tile[8][256 * 32];
} vtree;

/* Adds a leaf hash; returns a bit L for each tile of level L it completed. */
unsigned vtree_push(vtree *t, const uint8_t leaf[32]);
void vtree_root(const vtree *t, uint8_t out[32]);

/* What a state file holds: the checkpoint verified last, and its tree. */
typedef struct {
    char *note; /* the signed note, as served; owned */
    size_t note_len;
    wl_checkpoint cp;
    bool has_tree;        /* edge and tiles are there (not in a file of before) */
    vtree *tree;          /* owned; at cp.size */
    uint64_t replay_size; /* the size of the replayed store kept beside (0: none) */
} vstate;

/*
 * Reads path: 0 with st filled, 1 when there is no such file, -1 with msg
 * (the file is not a state of the log whose key is vkey). vstate_free(NULL) is
 * a no-op; the free leaves st zeroed.
 */
int vstate_load(const char *path, const wl_vkey *vkey, vstate *st, char *msg, size_t cap);
void vstate_free(vstate *st);
/* Writes path atomically (a temporary file, then rename); -1 with errno on failure. */
int vstate_save(const char *path, const char *note, size_t len, const vtree *t,
                uint64_t replay_size);

/* Formats "origin, size N, root B64" of a checkpoint into out. */
void vcp_name(const wl_checkpoint *cp, char *out, size_t cap);

/* One audit's fetching and checking of entries from..size. */
typedef struct {
    const char *base;      /* the log's URL prefix */
    uint64_t size;         /* the checkpoint's size */
    uint64_t from;         /* the first entry to replay; tree holds the ones before */
    uint64_t prev_size;    /* a checkpoint seen before, above from: its root is checked */
    uint8_t prev_root[32]; /* ...when the tree reaches prev_size */
    const char *prev_msg;  /* the failure's message then */
    unsigned threads;      /* 1: all on this thread, in line */
    unsigned connections;  /* with threads > 1: fetcher threads, one connection each */
    bool progress;         /* entries/s on stderr */
    bool tiles_only;       /* the leaves from the level-0 tiles: no entry fetched or replayed */
    vtree *tree;
    wl_replay *r;
    /* out */
    char check[32], msg[1024]; /* on failure */
    uint64_t fetched;          /* entries downloaded */
    uint64_t replayed;         /* entries replayed */
    uint64_t ahead;            /* ...whose signature a thread checked ahead (a hint) */
    double t_fetch, t_tree, t_wall;
    double cpu, cpu_seq; /* CPU seconds: all threads; this one (the sequencer's, inline: all) */
} vrun;

/* 0 when every entry from..size passed, 1 with check and msg. */
int vrun_go(vrun *v);

#endif
