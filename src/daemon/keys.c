/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files `willing serve` reads its secrets from (keys.c): the log's and
 * the operator's keys, the TLS certificate and key. serve.c calls them once
 * at start-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keys.h"

/*
 * A whole file of at most max bytes, NUL-terminated, into *out (its
 * allocation's size in *size); -1 if it cannot be read or is larger (never a
 * cut certificate). No stdio: no buffer of it is left behind unwiped, and
 * what was read of a file refused is wiped.
 */
int wl_serve_read_file(const char *path, size_t max, char **out, size_t *size)
{
    struct stat st;
    size_t n = 0, cap = 0;
    char *buf = NULL;
    int ret = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *out = NULL;
    *size = 0;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max ||
        (buf = wl_malloc((cap = (size_t)st.st_size + 1))) == NULL)
        goto out;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == cap) /* it grew since fstat: more than we made room for */
            break;
    }
    if (n == cap || n != (size_t)st.st_size)
        goto out;
    buf[n] = '\0';
    *out = buf;
    *size = cap;
    buf = NULL;
    ret = 0;
out:
    if (buf) {
        sodium_memzero(buf, cap);
        wl_free(buf);
    }
    close(fd);
    return ret;
}

/*
 * The log's key (checked against the ledger's log_vkey) and the operator's (its id from the
 * ledger) into srv; 0, or -1 after saying what is wrong.
 */
int wl_serve_read_keys(wl_server *srv, wl_store *s, const char *db, const char *keypath,
                       const char *opkeypath)
{
    char kp[4200], okp[4200], *meta = NULL;
    wl_keyfile kf;

    if (keypath == NULL) {
        (void)snprintf(kp, sizeof kp, "%s.log.key", db); /* db fits db_path (4096): it fits */
        keypath = kp;
    }
    if (wl_keyfile_read(keypath, &kf) != WL_OK) {
        fprintf(stderr, "willing serve: cannot read the log key %s\n", keypath);
        return -1;
    }
    srv->log_key = kf.key;
    wl_key_wipe(&kf.key);
    if (wl_vkey_make(srv->origin, WL_SIGTYPE_ED25519, srv->log_key.pk, &srv->log_vkey) != WL_OK) {
        fprintf(stderr, "willing serve: the origin of %s is longer than %u bytes\n", db,
                WL_KEYNAME_MAX);
        return -1;
    }
    if (wl_store_meta_get(s, "log_vkey", &meta) == WL_OK) {
        char mine[400];
        if (wl_vkey_format(&srv->log_vkey, mine, sizeof mine) != WL_OK || strcmp(mine, meta) != 0) {
            fprintf(stderr, "willing serve: %s is not the key of this log (%s)\n", keypath, meta);
            wl_free(meta);
            return -1;
        }
        wl_free(meta);
    }
    if (opkeypath == NULL) {
        (void)snprintf(okp, sizeof okp, "%s.operator.key", db); /* as kp: it fits */
        opkeypath = okp;
    }
    if (wl_store_meta_get(s, "operator", &meta) != WL_OK) {
        fprintf(stderr, "willing serve: %s names no operator\n", db);
        return -1;
    }
    if (wl_fmt(srv->op_id, sizeof srv->op_id, "%s", meta) != WL_OK) {
        fprintf(stderr, "willing serve: %s names an operator id longer than 64 bytes\n", db);
        wl_free(meta);
        return -1;
    }
    wl_free(meta);
    if (wl_keyfile_read(opkeypath, &kf) != WL_OK) {
        fprintf(stderr,
                "willing serve: cannot read the operator key %s: it signs sealed "
                "envelopes and receipts\n",
                opkeypath);
        return -1;
    }
    srv->op_key = kf.key;
    wl_key_wipe(&kf.key);
    return 0;
}
