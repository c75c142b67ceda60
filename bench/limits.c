/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-limits: this machine's own ceilings, measured in the same run as
 * the benchmarks: Ed25519 verifications/s (libsodium), SHA-256 MB/s (OpenSSL
 * EVP through wl_sha256), Merkle node hashes/s, and fdatasync/s on a file in
 * the given directory. Prints one JSON object.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "willing/crypto.h"
#include "willing/merkle.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    wl_key k;
    uint8_t sig[64], h[32], l[32] = {1}, r[32] = {2};
    static uint8_t buf[1 << 20];
    char msg[300], path[4096];
    double t0, verifies, sha_mbs, nodes, syncs;
    long n;
    int fd;

    if (wl_crypto_init() != WL_OK)
        return 1;
    wl_key_generate(&k);
    memset(msg, 'm', sizeof msg);
    wl_ed25519_sign(&k, msg, sizeof msg, sig);
    for (n = 0, t0 = now(); now() - t0 < 1.0; n++)
        if (wl_ed25519_verify(k.pk, msg, sizeof msg, sig) != WL_OK)
            return 1;
    verifies = (double)n / (now() - t0);
    for (n = 0, t0 = now(); now() - t0 < 1.0; n++)
        wl_sha256(buf, sizeof buf, h);
    sha_mbs = (double)n * (double)sizeof buf / 1e6 / (now() - t0);
    for (n = 0, t0 = now(); now() - t0 < 1.0; n++)
        for (int i = 0; i < 1000; i++)
            wl_merkle_node_hash(l, r, l);
    nodes = (double)n * 1000 / (now() - t0);
    snprintf(path, sizeof path, "%s/willing-limits.tmp", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return 1;
    for (n = 0, t0 = now(); now() - t0 < 1.0; n++)
        if (pwrite(fd, buf, 4096, (off_t)(n % 256) * 4096) != 4096 || fdatasync(fd) != 0)
            return 1;
    syncs = (double)n / (now() - t0);
    close(fd);
    unlink(path);
    printf("{\"ed25519_verify_per_s\":%.0f,\"sha256_mb_per_s\":%.0f,\"merkle_nodes_per_s\":%.0f,"
           "\"fdatasync_per_s\":%.0f,\"cpus\":%ld}\n",
           verifies, sha_mbs, nodes, syncs, sysconf(_SC_NPROCESSORS_ONLN));
    return 0;
}
