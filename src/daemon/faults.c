/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault-injection hooks for tests, off by default: each is one WL_TEST_*
 * environment variable, documented in docs/internals/daemon.md ("Fault
 * injection"). A test uses them to make a disk or a computation slow on
 * purpose and assert what the daemon does meanwhile, without timing anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "daemon.h"

void wl_test_delay(const char *env, const char *what)
{
    const char *v = getenv(env);
    unsigned long ms = v ? strtoul(v, NULL, 10) : 0;
    struct timespec ts;
    if (ms == 0)
        return;
    if (ms > 600000)
        ms = 600000;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    fprintf(stderr, "willing: test fault (%s): %s takes %lu ms more\n", env, what, ms);
    while (nanosleep(&ts, &ts) != 0)
        ;
}
