/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A monitor's outbox and configuration (docs/internals/monitor.md,
 * "Commands"), shared by `willing report` and `willing sync` (report.c):
 * $XDG_STATE_HOME/willing/report.json, and outbox/<origin>/, a directory of
 * mode 0700 holding one file per report, <seq>.json, of mode 0600, each
 * written atomically (a temporary file, fsync, rename, fsync of the
 * directory), so that a crash leaves the old file or the new one, never a part.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

#define OUTBOX_MAX 100000 /* reports one outbox lists */

void cli_report_config(char *out, size_t cap)
{
    char dir[2048];
    cli_state_dir(NULL, dir, sizeof dir);
    snprintf(out, cap, "%s/report.json", dir);
}

/* report.json's field, or NULL (o: the config, NULL when there is none). */
const char *cli_conf(const json_t *o, const char *field)
{
    return o ? json_string_value(json_object_get(o, field)) : NULL;
}

/* The outbox of origin, made (0700) if missing: 0, or -1 after printing why. */
int cli_outbox_dir(const char *cmd, const char *origin, char *out, size_t cap)
{
    static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    char dir[2048], enc[3 * WL_ORIGIN_MAX + 1];
    size_t n = 0;
    /* the origin percent-encoded: "test.example/mo" is test.example%2Fmo, one name, no '/',
     * never "." or ".." (a leading dot is encoded too) */
    for (const unsigned char *p = (const unsigned char *)origin; *p && n + 4 < sizeof enc; p++) {
        if (strchr(keep, *p) && (*p != '.' || n > 0))
            enc[n++] = (char)*p;
        else
            n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
    }
    enc[n] = '\0';
    if (n == 0) {
        fprintf(stderr, "willing %s: no origin\n", cmd);
        return -1;
    }
    cli_state_dir("outbox", dir, sizeof dir);
    if (wl_fmt(out, cap, "%s/%s", dir, enc) != WL_OK ||
        (mkdir(out, 0700) != 0 && errno != EEXIST) || chmod(out, 0700) != 0) {
        fprintf(stderr, "willing %s: cannot make the outbox %s: %s\n", cmd, out, strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * Writes len bytes to dir/name atomically: a temporary file named for this
 * process (.NAME.PID.tmp, made new: O_EXCL, never through a link), fsync,
 * rename over name, fsync of the directory. A reader (or a crash) sees the
 * old file or the new one, never a part, and two processes writing at once
 * never share a temporary file. flags (cli.h): CLI_WRITE_FRESH, name must not
 * exist (linked, not renamed: EEXIST if it does, nothing replaced);
 * CLI_WRITE_PUBLIC, mode 0644 (else 0600); CLI_WRITE_NO_DIRSYNC, the caller
 * fsyncs the directory later. 0 or -1 (errno set).
 */
int cli_write_bytes(const char *dir, const char *name, const void *data, size_t len, unsigned flags)
{
    char tmp[2300], path[2300];
    size_t off = 0;
    int fd = -1, ret = -1, dfd, e;
    if (wl_fmt(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid()) != WL_OK ||
        wl_fmt(path, sizeof path, "%s/%s", dir, name) != WL_OK) {
        errno = ENAMETOOLONG;
        return -1;
    }
    (void)unlink(tmp); /* one a crash of a process of this pid left */
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   flags & CLI_WRITE_PUBLIC ? 0644 : 0600)) < 0)
        return -1;                                           /* not ours: nothing to unlink */
    if ((flags & CLI_WRITE_PUBLIC) && fchmod(fd, 0644) != 0) /* whatever the umask */
        goto out;
    while (off < len) {
        ssize_t w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto out;
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (flags & CLI_WRITE_FRESH ? link(tmp, path) != 0 : rename(tmp, path) != 0)
        goto out;
    if (flags & CLI_WRITE_FRESH)
        unlink(tmp);
    if (!(flags & CLI_WRITE_NO_DIRSYNC) &&
        (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    ret = 0;
out:
    e = errno;
    if (fd >= 0)
        close(fd);
    if (ret != 0)
        unlink(tmp);
    errno = e;
    return ret;
}

int cli_write_atomic(const char *dir, const char *name, const json_t *doc, bool fresh)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int ret;
    if (text == NULL)
        return -1;
    ret = cli_write_bytes(dir, name, text, strlen(text), fresh ? CLI_WRITE_FRESH : 0);
    free(text);
    return ret;
}

/*
 * Holds dir/.lock (flock, exclusive, not waiting) until the process exits:
 * the descriptor, or -1 with errno EWOULDBLOCK when another process holds it.
 */
int cli_lock_dir(const char *dir)
{
    char path[2300];
    int fd;
    if (wl_fmt(path, sizeof path, "%s/.lock", dir) != WL_OK) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The outbox's report files (<seq>.json), in seq order; *n of them; caller frees each and all. */
char **cli_outbox_files(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    while (d && (de = readdir(d)) != NULL && *n < OUTBOX_MAX) {
        size_t len = strlen(de->d_name);
        if (len != 25 || strspn(de->d_name, "0123456789") != 20 ||
            strcmp(de->d_name + 20, ".json") != 0)
            continue;
        if (*n == cap) {
            char **more = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
            if (more == NULL)
                break;
            names = more;
        }
        if ((names[*n] = strdup(de->d_name)) != NULL)
            (*n)++;
    }
    if (d)
        closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, by_name);
    return names;
}

void cli_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
