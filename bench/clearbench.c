/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-clearbench: clears N pledges with random monotone conditions
 * (requires, at_least, total, fact, nested all/any) over M members and the
 * nine categories, and prints the time. Seeded: the same input every run.
 *
 * willing-clearbench --seed-store DB ORIGIN N M: instead, writes N such
 * pledges as sealed content of M fictional members (m0..m{M-1}, keys from
 * fixed seeds) straight into the ledger DB (the daemon stopped), as N sealed
 * submissions would have left it, for `make bench` to time the coverage views
 * over HTTP. The write path itself is measured separately.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "store/store.h"
#include "willing/coalition.h"
#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/ledger.h"

static const char *cats[] = {"ground_forces", "air_policing", "air_defence",
                             "maritime",      "logistics",    "intelligence",
                             "training",      "finance",      "other"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void random_cond(unsigned *seed, unsigned members, int depth, char *out, size_t cap)
{
    int k = rand_r(seed) % (depth > 1 ? 4 : 6);
    char a[256], b[256];
    switch (k) {
    case 0:
        snprintf(out, cap, "requires(m%u)", (unsigned)rand_r(seed) % members);
        break;
    case 1:
        snprintf(out, cap, "at_least(%d, %s)", rand_r(seed) % 40, cats[rand_r(seed) % 9]);
        break;
    case 2:
        snprintf(out, cap, "total(%s, u) >= %d", cats[rand_r(seed) % 9], rand_r(seed) % 400000);
        break;
    case 3:
        snprintf(out, cap, "fact(f%d)", rand_r(seed) % 4);
        break;
    default:
        random_cond(seed, members, depth + 1, a, sizeof a);
        random_cond(seed, members, depth + 1, b, sizeof b);
        snprintf(out, cap, "%s(%s, %s)", k == 4 ? "all" : "any", a, b);
    }
}

static int seed_store(const char *db, const char *origin, size_t n, unsigned members)
{
    wl_store *s = NULL;
    wl_key *keys = calloc(members, sizeof *keys);
    unsigned seed = 42;
    int64_t t = (int64_t)time(NULL);
    if (keys == NULL || wl_crypto_init() != WL_OK || wl_store_open(db, 0, &s) != WL_OK ||
        wl_store_begin(s) != WL_OK) {
        fprintf(stderr, "clearbench: cannot open %s\n", db);
        return 1;
    }
    for (unsigned m = 0; m < members; m++) {
        uint8_t sd[32] = {0};
        memcpy(sd, &m, sizeof m);
        wl_key_from_seed(&keys[m], sd);
    }
    for (size_t i = 0; i < n; i++) {
        char cond[1024], body[2048], nonce[33], name[16], why[256];
        uint8_t rnd[16];
        unsigned m = (unsigned)rand_r(&seed) % members;
        wl_sealed_rec r;
        wl_cond *c = NULL;
        json_t *cj;
        char *cjs;
        random_cond(&seed, members, 0, cond, sizeof cond);
        if (wl_cond_parse(cond, &c, why, sizeof why) != WL_OK)
            return 1;
        cj = wl_cond_to_json(c);
        cjs = json_dumps(cj, JSON_COMPACT);
        snprintf(name, sizeof name, "m%u", m);
        memset(&r, 0, sizeof r);
        for (int k = 0; k < 16; k++)
            rnd[k] = (uint8_t)rand_r(&seed);
        wl_hex_encode(rnd, 16, r.pledge);
        snprintf(body, sizeof body,
                 "{\"category\":\"%s\",\"condition\":%s,\"pledge\":\"%s\",\"quantity\":\"%d\","
                 "\"unit\":\"u\"}",
                 cats[rand_r(&seed) % 9], cjs, r.pledge, rand_r(&seed) % 100);
        free(cjs);
        json_decref(cj);
        wl_cond_free(c);
        for (int k = 0; k < 16; k++)
            rnd[k] = (uint8_t)rand_r(&seed);
        wl_hex_encode(rnd, 16, nonce);
        if (wl_sealed_build(origin, "pledge", name, nonce, t, body, &keys[m], &r.content,
                            &r.content_len) != WL_OK)
            return 1;
        for (int k = 0; k < 32; k++)
            r.salt[k] = (uint8_t)rand_r(&seed);
        wl_seal_commitment(r.salt, r.content, r.content_len, r.commitment);
        snprintf(r.author, sizeof r.author, "%s", name);
        r.readers = "[]";
        r.batch = t / 600 + 1;
        r.received = t;
        if (wl_store_sealed_put(s, &r) != WL_OK) {
            fprintf(stderr, "clearbench: %s\n", wl_store_errmsg(s));
            return 1;
        }
        wl_free(r.content);
    }
    if (wl_store_commit(s) != WL_OK)
        return 1;
    wl_store_close(s);
    for (unsigned m = 0; m < members; m++)
        wl_key_wipe(&keys[m]);
    free(keys);
    printf("{\"seeded\":%zu,\"members\":%u}\n", n, members);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--seed-store") == 0)
        return seed_store(argv[2], argv[3], strtoul(argv[4], NULL, 10),
                          (unsigned)strtoul(argv[5], NULL, 10));
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    unsigned members = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 200, seed = 42;
    wl_pledge_in *in = calloc(n, sizeof *in);
    wl_cond **conds = calloc(n, sizeof *conds);
    char(*names)[16] = calloc(n, 16);
    const char *facts[] = {"f0", "f1"};
    wl_clearing r;
    size_t binding = 0;
    double t0, t;

    if (in == NULL || conds == NULL || names == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        char text[1024], why[256];
        random_cond(&seed, members, 0, text, sizeof text);
        if (rand_r(&seed) % 4 == 0)
            snprintf(text, sizeof text, "true");
        if (wl_cond_parse(text, &conds[i], why, sizeof why) != WL_OK) {
            fprintf(stderr, "%s: %s\n", text, why);
            return 1;
        }
        snprintf(names[i], 16, "m%u", (unsigned)rand_r(&seed) % members);
        in[i] = (wl_pledge_in){"p",
                               names[i],
                               cats[rand_r(&seed) % 9],
                               "u",
                               (int64_t)(rand_r(&seed) % 100) * WL_QTY_SCALE,
                               conds[i]};
    }
    t0 = now();
    if (wl_clear(in, n, facts, 2, &r) != WL_OK)
        return 1;
    t = now() - t0;
    for (size_t i = 0; i < n; i++)
        binding += r.binding[i];
    printf(
        "{\"pledges\":%zu,\"members\":%u,\"binding\":%zu,\"evaluations\":%zu,\"seconds\":%.3f}\n",
        n, members, binding, r.rounds, t);
    wl_clearing_free(&r);
    for (size_t i = 0; i < n; i++)
        wl_cond_free(conds[i]);
    free(conds);
    free(in);
    free(names);
    return 0;
}
