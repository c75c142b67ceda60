/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-clearbench: clears N pledges with random monotone conditions
 * (requires, at_least, total, fact, nested all/any) over M members and the
 * nine categories, and prints the time. Seeded: the same input every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "willing/coalition.h"

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

int main(int argc, char **argv)
{
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
