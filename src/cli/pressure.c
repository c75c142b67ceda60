/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing pressure`: sanctions lists (issue 12).
 *   import-ofac DIR  OFAC's SDN list from its legacy CSV files (sdn.csv, and
 *                    add.csv, alt.csv, sdn_comments.csv when DIR holds them),
 *                    read all or nothing (every refused record printed as
 *                    FILE:LINE: why, and nothing sent), as the operator's
 *                    reference data attributed to OFAC (list ofac-sdn): the
 *                    differences from what the log holds and a snapshot, in
 *                    one request (listimport.c)
 * Another list's reader adds its row to pressure_subs here (import-un FILE...)
 * and hands its designation bodies to cli_list_import_send.
 * docs/internals/pressure.md ("Importing a list"), docs/internals/cli.md.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/ofac.h"
#include "willing/pressure.h"

#define OFAC_LIST "ofac-sdn"

/* OFAC's legacy files, in the order wl_ofac_read takes them and of the import's hash. */
static const char *const ofac_files[4] = {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"};

typedef struct {
    const char *date;
    bool dry_run;
} import_opts;

static int import_opt(void *ctx, int ch, const char *arg)
{
    import_opts *o = ctx;
    if (ch == 'd')
        o->date = arg;
    else
        o->dry_run = true;
    return CLI_GO;
}

/* YYYY-MM-DD of a real day. */
static bool good_date(const char *d)
{
    struct tm tm = {0};
    char back[11];
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-' || strspn(d, "0123456789-") != 10)
        return false;
    tm.tm_year = atoi(d) - 1900;
    tm.tm_mon = atoi(d + 5) - 1;
    tm.tm_mday = atoi(d + 8);
    tm.tm_hour = 12;
    if (timegm(&tm) == (time_t)-1)
        return false;
    strftime(back, sizeof back, "%Y-%m-%d", &tm);
    return strcmp(back, d) == 0;
}

/* The files of DIR read (sdn.csv required), each refused over the ceiling before it is read. */
typedef struct {
    char *buf[4];
    size_t len[4];
} ofac_dir;

static int read_dir(const char *cmd, const char *dir, ofac_dir *d)
{
    char path[4096];
    struct stat st;
    memset(d, 0, sizeof *d);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, ofac_files[i]);
        if (stat(path, &st) != 0) {
            if (i == 0) {
                fprintf(stderr, "willing %s: %s: no such file (DIR holds OFAC's sdn.csv)\n", cmd,
                        path);
                return 1;
            }
            continue;
        }
        if (st.st_size > (off_t)WL_OFAC_FILE_MAX) {
            fprintf(stderr,
                    "willing %s: %s: file_too_large: %lld bytes, over the ceiling of %u "
                    "(WL_OFAC_FILE_MAX); nothing read, nothing sent\n",
                    cmd, path, (long long)st.st_size, WL_OFAC_FILE_MAX);
            return 1;
        }
        if ((d->buf[i] = cli_read_file(path, WL_OFAC_FILE_MAX, &d->len[i])) == NULL) {
            fprintf(stderr, "willing %s: cannot read %s (at most %u bytes)\n", cmd, path,
                    WL_OFAC_FILE_MAX);
            return 1;
        }
    }
    return 0;
}

/*
 * The import's file hash: sdn.csv's own SHA-256 when DIR holds it alone; else the SHA-256 of
 * the lines `sha256sum sdn.csv add.csv alt.csv sdn_comments.csv` prints for the files DIR
 * holds ("HEX  NAME\n" each, in that order).
 */
static void dir_hash(const ofac_dir *d, char hex[65])
{
    uint8_t sum[32];
    char manifest[4 * 100] = "", h[65];
    int n = 0;
    for (int i = 0; i < 4; i++)
        n += d->buf[i] != NULL;
    if (n == 1) {
        wl_sha256(d->buf[0], d->len[0], sum);
        wl_hex_encode(sum, 32, hex);
        return;
    }
    for (int i = 0; i < 4; i++) {
        if (d->buf[i] == NULL)
            continue;
        wl_sha256(d->buf[i], d->len[i], sum);
        wl_hex_encode(sum, 32, h);
        snprintf(manifest + strlen(manifest), sizeof manifest - strlen(manifest), "%s  %s\n", h,
                 ofac_files[i]);
    }
    wl_sha256(manifest, strlen(manifest), sum);
    wl_hex_encode(sum, 32, hex);
}

/* Every entry as a designation body of OFAC's list, listed `date`; NULL after printing why. */
static json_t *ofac_bodies(const char *cmd, const char *dir, const wl_ofac_list *l, const char *hex,
                           const char *date)
{
    json_t *all = json_array(), *b;
    wl_error err;
    for (size_t i = 0; all && i < l->n; i++) {
        if (wl_ofac_body(&l->entries[i], hex, date, &b, &err) != WL_OK) {
            fprintf(stderr, "%s/sdn.csv: ent_num %llu: %s\nwilling %s: nothing sent\n", dir,
                    (unsigned long long)l->entries[i].ent_num, err.msg, cmd);
            json_decref(all);
            return NULL;
        }
        if (json_array_append_new(all, b) != 0) {
            json_decref(all);
            return NULL;
        }
    }
    return all;
}

static int run_import_ofac(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    static const char *cmd = "pressure import-ofac";
    import_opts o = {NULL, false};
    wl_ofac_list l = {0};
    ofac_dir d = {0};
    json_t *bodies = NULL;
    cli_common c;
    wl_error err;
    char hex[65], today[11];
    const char *dir;
    time_t now = time(NULL);
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, import_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || (!o.dry_run && !c.key) || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    if (o.date == NULL)
        o.date = today;
    if (!good_date(o.date)) {
        fprintf(stderr, "willing %s: --date: YYYY-MM-DD, a real day (not %s)\n", cmd, o.date);
        return 2;
    }
    if (wl_crypto_init() != WL_OK)
        return 1;
    dir = argv[optind];
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "willing %s: reading %s\n", cmd, dir);
    ret = 1;
    if (read_dir(cmd, dir, &d) != 0)
        goto out;
    dir_hash(&d, hex);
    if (wl_ofac_read(d.buf[0], d.len[0], d.buf[1], d.len[1], d.buf[2], d.len[2], d.buf[3], d.len[3],
                     &l, &err) != WL_OK) {
        for (size_t i = 0; i < l.n_rejects && i < WL_OFAC_REJECTS_MAX; i++)
            fprintf(stderr, "%s/%s:%zu: %s\n", dir, l.rejects[i].file, l.rejects[i].line,
                    l.rejects[i].why);
        fprintf(stderr, "willing %s: %s: %s; nothing sent\n", cmd, err.code, err.msg);
        goto out;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "willing %s: read %zu entries, %zu aliases, %zu addresses\n", cmd, l.n,
                l.n_aliases, l.n_addresses);
    if ((bodies = ofac_bodies(cmd, dir, &l, hex, o.date)) != NULL) {
        cli_list_import im = {OFAC_LIST, hex, o.date, dir, bodies, o.dry_run};
        ret = cli_list_import_send(cmd, &c, &im);
    }
out:
    json_decref(bodies);
    wl_ofac_free(&l);
    for (int i = 0; i < 4; i++)
        free(d.buf[i]);
    return ret;
}

static const cli_cmd pressure_subs[] = {
    {"pressure", "import-ofac",
     "--server URL --key FILE [--date YYYY-MM-DD] [--dry-run] [--json] DIR",
     "Imports OFAC's SDN list from its legacy CSV files in DIR (sdn.csv; add.csv, alt.csv\n"
     "and sdn_comments.csv when there) as the operator's reference data attributed to\n"
     "OFAC (list ofac-sdn). Every file over 64 MiB is refused unread, every refused record\n"
     "printed as FILE:LINE: why, and then nothing is sent. Only the differences from what\n"
     "the log holds are written (added, amended, delisted), then a snapshot with the\n"
     "file's SHA-256 (sdn.csv's, or with more files that of their `sha256sum` lines), the\n"
     "date and the counts: all in one request, stored whole or not at all. --date is the\n"
     "file's date (default today, UTC): a new subject's `listed`, an amended one's\n"
     "`amended`, a missing one's `delisted`. The same file again is refused,\n"
     "already_imported, naming its snapshot. --dry-run compares and prints the counts,\n"
     "sends nothing (no --key needed).\n",
     run_import_ofac},
};

int cli_pressure(int argc, char **argv)
{
    /* this file's subcommands, then screening's (screen.c) */
    enum { OWN = sizeof pressure_subs / sizeof pressure_subs[0] };
    cli_cmd subs[OWN + sizeof cli_screen_cmds / sizeof cli_screen_cmds[0]];
    memcpy(subs, pressure_subs, sizeof pressure_subs);
    memcpy(subs + OWN, cli_screen_cmds, sizeof cli_screen_cmds);
    return cli_group(argc, argv, "pressure", subs, sizeof subs / sizeof subs[0],
                     "Sanctions designations: docs/internals/pressure.md.\n");
}
