/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A test shim for test_secrets.sh, loaded with LD_PRELOAD into the daemon:
 * when the process exits, it reads its own writable memory (heap, stacks,
 * anonymous mappings, data) and says on stderr whether a secret is still
 * there, freed or not. The secrets come hex-encoded in WL_TEST_SECRET_HEX
 * (comma-separated, up to 4), so that the environment does not hold them as
 * they are; the copies decoded here are the only matches skipped. Test code
 * only: it is never linked into willing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char needle[4][512];
static size_t nlen[4], nneedles;

static int nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

__attribute__((constructor)) static void memscan_init(void)
{
    const char *h = getenv("WL_TEST_SECRET_HEX");
    while (h && *h && nneedles < 4) {
        size_t k = nneedles++;
        for (; h[0] && h[1] && nlen[k] < sizeof needle[k]; h += 2) {
            int a = nibble(h[0]), b = nibble(h[1]);
            if (a < 0 || b < 0)
                break;
            needle[k][nlen[k]++] = (char)(a << 4 | b);
        }
        h = strchr(h, ',');
        h = h ? h + 1 : NULL;
    }
}

/*
 * 1 if a needle is in [lo, hi) anywhere but its own decoded copy. A loop of
 * its own, not memmem: a sanitizer's memmem checks the range against its
 * shadow memory, which is what is being read here.
 */
static int found_in(const unsigned char *lo, const unsigned char *hi)
{
    for (const unsigned char *p = lo; p < hi; p++)
        for (size_t k = 0; k < nneedles; k++) {
            const unsigned char *nd = (const unsigned char *)needle[k];
            size_t j = 0;
            if (*p != nd[0] || p == nd || (size_t)(hi - p) < nlen[k])
                continue;
            while (j < nlen[k] && p[j] == nd[j])
                j++;
            if (j == nlen[k])
                return 1;
        }
    return 0;
}

__attribute__((destructor)) static void memscan_exit(void)
{
    char line[512];
    int found = 0;
    FILE *f;
    for (size_t k = 0; k < nneedles; k++)
        if (nlen[k] < 16)
            return;
    if (nneedles == 0 || (f = fopen("/proc/self/maps", "r")) == NULL)
        return;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        /* huge mappings are reservations (a sanitizer's shadow memory), not data */
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
            perms[1] != 'w' || hi - lo > (1ul << 30) || strstr(line, "[vvar]") ||
            strstr(line, "[vsyscall]"))
            continue;
        found = found_in((const unsigned char *)lo, (const unsigned char *)hi);
    }
    fclose(f);
    fprintf(stderr, "memscan: %s\n",
            found ? "a secret is still in memory at exit" : "the secret is not in memory at exit");
}
