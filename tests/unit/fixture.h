/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What several unit tests set up the same way: a temporary directory for
 * real store files (removed at the end), and a member.add body.
 */
#ifndef WILLING_TEST_FIXTURE_H
#define WILLING_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "willing/crypto.h"

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

#endif
