/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing migrate --from SRC --to DST`: a ledger copied between SQLite and
 * PostgreSQL (either way, or SQLite to SQLite), every table row by row
 * (wl_store_copy), then checked against its source (docs/OPERATIONS.md,
 * "Moving a ledger between SQLite and PostgreSQL"). DST is a new SQLite file
 * or a PostgreSQL database that holds none of the ledger's tables. On any
 * failure, or SIGINT or SIGTERM, DST is left as it was found: the new file
 * removed, or the tables made in the database dropped (a copy of millions of
 * rows is too big for one transaction: it commits page by page, and what it
 * made is dropped in one transaction at the end).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store/store.h"

typedef struct {
    const char *from, *to;
    bool quiet;
} migrate_opts;

typedef struct {
    bool progress;
    uint64_t shown; /* when progress was last shown (µs) */
    uint64_t rows;  /* copied */
} migrate_run;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    stop = sig;
}

static int migrate_opt(void *ctx, int ch, const char *arg)
{
    migrate_opts *o = ctx;
    if (ch == 'f')
        o->from = arg;
    else if (ch == 't')
        o->to = arg;
    else
        o->quiet = true;
    return CLI_GO;
}

static wl_rc progress(void *ctx, const char *table, uint64_t done, uint64_t total)
{
    migrate_run *m = ctx;
    uint64_t now = cli_now_us();
    m->rows = done;
    if (stop)
        return WL_ERR_IO;
    if (m->progress && (now - m->shown > 200000 || done == total)) {
        m->shown = now;
        fprintf(stderr, "\rmigrate: %llu / %llu rows (%3.0f%%), %-20s", (unsigned long long)done,
                (unsigned long long)total, total ? 100.0 * (double)done / (double)total : 100.0,
                table);
    }
    return WL_OK;
}

/* DST as it was found: the new file (and its WAL) removed, or the tables made dropped. */
static void undo(const char *to)
{
    char p[4200], why[512] = "";
    if (wl_store_is_url(to)) {
        if (wl_store_drop_tables(to, why, sizeof why) != WL_OK)
            fprintf(stderr,
                    "migrate: %s: the tables made could not be dropped (%s): drop them by hand "
                    "(docs/OPERATIONS.md)\n",
                    to, why);
        return;
    }
    (void)unlink(to);
    snprintf(p, sizeof p, "%s-wal", to);
    (void)unlink(p);
    snprintf(p, sizeof p, "%s-shm", to);
    (void)unlink(p);
}

/* DST refused when it holds something: a file that exists, a database with the ledger's tables. */
/* A copy that did not finish found in DST: said, with how to clear it. */
static int partial_copy(const char *to)
{
    const char *t;
    fprintf(stderr,
            "migrate: %s holds a partial copy of a ledger (a migrate that did not finish: "
            "killed, or its machine lost; its meta has no origin). Clear it, then migrate "
            "again: ",
            to);
    if (!wl_store_is_url(to)) {
        fprintf(stderr, "rm -f '%s' '%s-wal' '%s-shm'\n", to, to, to);
        return 1;
    }
    fprintf(stderr, "psql '%s' -c 'DROP TABLE IF EXISTS ", to);
    for (size_t i = 0; (t = wl_store_copy_table(i, NULL)) != NULL; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", t);
    fprintf(stderr, "'\n");
    return 1;
}

static int check_target(const char *to)
{
    char why[512] = "";
    int found = 0;
    struct stat st;
    if (!wl_store_is_url(to)) {
        if (lstat(to, &st) == 0 || errno != ENOENT) {
            if (S_ISREG(st.st_mode) && wl_store_has_tables(to, &found, why, sizeof why) == WL_OK &&
                found == 2)
                return partial_copy(to);
            fprintf(stderr, "migrate: %s exists: the copy goes to a new file\n", to);
            return 1;
        }
        return 0;
    }
    if (wl_store_has_tables(to, &found, why, sizeof why) != WL_OK) {
        fprintf(stderr, "migrate: %s: %s\n", to, why[0] ? why : "cannot be opened");
        return 1;
    }
    if (found == 2)
        return partial_copy(to);
    if (found) {
        fprintf(stderr,
                "migrate: %s holds a willing ledger's tables already: the copy goes to a "
                "database without them\n",
                to);
        return 1;
    }
    return 0;
}

static int run_migrate(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {NULL, 0, NULL, 0}};
    migrate_opts o = {NULL, NULL, false};
    migrate_run m = {false, 0, 0};
    wl_store *from = NULL, *to = NULL;
    char why[1024] = "";
    uint64_t t0, size = 0;
    size_t ntables = 0;
    struct sigaction sa, old_int, old_term;
    cli_common c;
    wl_rc rc;
    int ret;

    if ((ret = cli_parse(self, argc, argv, 0, opts, migrate_opt, &o, &c)) != CLI_GO)
        return ret;
    if (o.from == NULL || o.to == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    rc = wl_store_open_why(o.from, 0, &from, why, sizeof why);
    if (rc != WL_OK) {
        fprintf(stderr, "migrate: %s: %s\n", o.from,
                rc == WL_ERR_NOT_FOUND ? "no such file"
                : rc == WL_ERR_VERSION ? "a ledger of another version of willing"
                : why[0]               ? why
                                       : "not a willing ledger, or damaged");
        return 1;
    }
    if (check_target(o.to) != 0) {
        wl_store_close(from);
        return 1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    m.progress = !o.quiet && isatty(2);
    t0 = cli_now_us();
    rc = wl_store_open_why(o.to, 1, &to, why, sizeof why);
    if (rc != WL_OK) {
        fprintf(stderr, "migrate: %s: %s\n", o.to, why[0] ? why : wl_rc_name(rc));
    } else {
        rc = wl_store_copy_why(from, to, progress, &m, why, sizeof why);
        if (m.progress)
            fprintf(stderr, "\n");
        if (rc != WL_OK)
            fprintf(stderr, "migrate: FAIL: %s\n",
                    stop     ? "interrupted"
                    : why[0] ? why
                             : wl_rc_name(rc));
    }
    for (const char *t; rc == WL_OK && (t = wl_store_copy_table(ntables, NULL)) != NULL;)
        ntables++;
    if (rc == WL_OK && wl_store_size(to, &size) != WL_OK)
        size = 0;
    wl_store_close(to);
    wl_store_close(from);
    if (rc != WL_OK && to != NULL)
        undo(o.to);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc != WL_OK) {
        if (to != NULL)
            fprintf(stderr, "migrate: %s left as it was found\n", o.to);
        return 1;
    }
    if (!o.quiet) {
        double secs = (double)(cli_now_us() - t0) / 1e6;
        printf("migrate: OK: %s to %s: %llu rows of %zu tables (%llu entries) in %.1f s, "
               "%.0f rows/s; checked: every table's rows, the size, the latest checkpoint, the "
               "root from the copy's hashes\n",
               o.from, o.to, (unsigned long long)m.rows, ntables, (unsigned long long)size, secs,
               secs > 0 ? (double)m.rows / secs : 0.0);
    }
    return 0;
}

static const cli_cmd migrate_cmd = {
    NULL, "migrate", "--from SRC --to DST [--quiet]",
    "Copies a ledger between SQLite and PostgreSQL, every table row by row, then\n"
    "checks the copy against its source: every table's rows, the size, the latest\n"
    "checkpoint, the root recomputed from the copy's hashes, and every table fsck\n"
    "compares. Stop `willing serve` on SRC first.\n"
    "SRC and DST: an SQLite file, or a postgres:// URL (a PostgreSQL database).\n"
    "DST must be a new file, or a database that holds no ledger (created empty:\n"
    "createdb). On any failure, or Ctrl-C, DST is left as it was found (the new\n"
    "file removed, the tables made dropped). A password is never given on the\n"
    "command line: the URL holds none (it is refused); libpq reads it from\n"
    "PGPASSFILE or ~/.pgpass, or PGPASSWORD.\n"
    "  --quiet    no progress (shown on stderr when it is a terminal), no final line\n"
    "Exits 0 when copied and checked, 1 on failure, 2 on a usage error.\n",
    run_migrate};

int cli_migrate(int argc, char **argv)
{
    return migrate_cmd.run(&migrate_cmd, argc, argv);
}
