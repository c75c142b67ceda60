/* SPDX-License-Identifier: Apache-2.0 */
/* The secrets `willing serve` reads at start-up (keys.c). */
#ifndef WILLING_DAEMON_KEYS_H
#define WILLING_DAEMON_KEYS_H

#include <stddef.h>

#include "daemon.h"

/*
 * A whole file of at most max bytes, NUL-terminated, into *out (its
 * allocation's size in *size); -1 if it cannot be read or is larger.
 */
int wl_serve_read_file(const char *path, size_t max, char **out, size_t *size);
/*
 * The log's key (checked against the ledger's log_vkey; default DB.log.key)
 * and the operator's (DB.operator.key; its id from the ledger) into srv; 0,
 * or -1 after saying on stderr what is wrong.
 */
int wl_serve_read_keys(wl_server *srv, wl_store *s, const char *db, const char *keypath,
                       const char *opkeypath);

#endif
