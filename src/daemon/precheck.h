/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A batch's entries prechecked on a pool of threads (precheck.c): started
 * and stopped by serve.c, asked by entries.c.
 */
#ifndef WILLING_DAEMON_PRECHECK_H
#define WILLING_DAEMON_PRECHECK_H

#include <stddef.h>

#include "willing/ledger.h"

#define WL_PRECHECK_MIN 8 /* entries: a smaller batch is checked on its worker alone */

/* The pool's threads, each with a store of its own over db (fewer, or none, when a store or
 * a thread cannot be had: the workers then check alone). */
void wl_precheck_start(const char *db);
void wl_precheck_stop(void);

/*
 * wl_ledger_precheck of each of the n entries (bytes, lens) into items, with s on this thread
 * and the pool's threads helping: the first entry refused (its error in *err; items before it
 * are prechecked and the caller's to clear, none from it on holds anything), or n if none.
 */
size_t wl_precheck_all(wl_store *s, const char *origin, char *const *bytes, const size_t *lens,
                       size_t n, wl_pending *items, wl_error *err);

#endif
