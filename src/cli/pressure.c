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
 *   import-un FILE, import-eu FILE, import-uk FILE
 *                    the UN Security Council's consolidated list, the EU's
 *                    Financial Sanctions Files XML 1.1, the UK's FCDO list
 *                    (lib/pressure/sanctions_*.c), all or nothing (every
 *                    refused record printed as FILE:LINE: record: why), as the
 *                    operator's reference data attributed to un-sc, eu-fsf,
 *                    uk-fcdo, through the same cli_list_import_send.
 *   snapshots [--list L] [--csv]
 *                    the import snapshots the server holds (GET
 *                    /api/v1/pressure/snapshots): each list's file hash, date
 *                    and counts, by entry.
 * docs/internals/pressure.md ("Importing a list"), docs/internals/cli.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/ofac.h"
#include "willing/pressure.h"
#include "willing/sanctions.h"

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

/* The file at path, refused by its size over max (named max_name) before a byte is read: NULL
   after printing why, or silently with *missing set when there is no such file. */
static char *read_capped(const char *cmd, const char *path, unsigned max, const char *max_name,
                         size_t *len, bool *missing)
{
    struct stat st;
    char *buf;
    *missing = stat(path, &st) != 0;
    if (*missing)
        return NULL;
    if (st.st_size > (off_t)max) {
        fprintf(stderr,
                "willing %s: %s: file_too_large: %lld bytes, over the ceiling of %u "
                "(%s); nothing read, nothing sent\n",
                cmd, path, (long long)st.st_size, max, max_name);
        return NULL;
    }
    if ((buf = cli_read_file(path, max, len)) == NULL)
        fprintf(stderr, "willing %s: cannot read %s (at most %u bytes)\n", cmd, path, max);
    return buf;
}

static int read_dir(const char *cmd, const char *dir, ofac_dir *d)
{
    char path[4096];
    bool missing;
    memset(d, 0, sizeof *d);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, ofac_files[i]);
        d->buf[i] =
            read_capped(cmd, path, WL_OFAC_FILE_MAX, "WL_OFAC_FILE_MAX", &d->len[i], &missing);
        if (d->buf[i] == NULL && !(missing && i > 0)) {
            if (missing)
                fprintf(stderr, "willing %s: %s: no such file (DIR holds OFAC's sdn.csv)\n", cmd,
                        path);
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

/* One refused record of a reader's rejects, printed as WHERE...:LINE: why. */
typedef void (*refusal_fn)(const void *rejects, size_t i, const char *where);

/* The first `shown` refused records, each by one, then the refusal err: nothing sent. */
static void refused(const char *cmd, const char *where, const void *rejects, size_t shown,
                    refusal_fn one, const wl_error *err)
{
    for (size_t i = 0; i < shown; i++)
        one(rejects, i, where);
    fprintf(stderr, "willing %s: %s: %s; nothing sent\n", cmd, err->code, err->msg);
}

static void ofac_refusal(const void *rejects, size_t i, const char *dir)
{
    const wl_ofac_reject *j = (const wl_ofac_reject *)rejects + i;
    fprintf(stderr, "%s/%s:%zu: %s\n", dir, j->file, j->line, j->why);
}

static void xml_refusal(const void *rejects, size_t i, const char *path)
{
    const wl_sanctions_reject *j = (const wl_sanctions_reject *)rejects + i;
    fprintf(stderr, "%s:%ld: %s: %s\n", path, j->line, j->record, j->why);
}

/*
 * Every entry as a designation body of OFAC's list, listed `date`; NULL after printing why:
 * every entry the designation's rules refuse, as DIR/sdn.csv:LINE: ent_num N: why.
 */
static json_t *ofac_bodies(const char *cmd, const char *dir, const wl_ofac_list *l, const char *hex,
                           const char *date)
{
    json_t *all = json_array(), *b;
    wl_ofac_reject *no = wl_calloc(WL_OFAC_REJECTS_MAX, sizeof *no);
    size_t n_no = 0;
    wl_error err;
    for (size_t i = 0; all && no && i < l->n; i++) {
        const wl_ofac_entry *e = &l->entries[i];
        if (wl_ofac_body(e, hex, date, &b, &err) != WL_OK) {
            if (n_no < WL_OFAC_REJECTS_MAX) {
                wl_ofac_reject *j = &no[n_no];
                snprintf(j->file, sizeof j->file, "sdn.csv");
                j->line = e->line;
                snprintf(j->why, sizeof j->why, "ent_num %llu: %s", (unsigned long long)e->ent_num,
                         err.msg);
            }
            n_no++;
        } else if (json_array_append_new(all, b) != 0) {
            json_decref(all);
            all = NULL;
        }
    }
    if (n_no) {
        wl_error_set(&err, WL_ERR_INVALID, "ofac_rejected",
                     "%zu records refused by the designation's rules, nothing imported", n_no);
        refused(cmd, dir, no, n_no < WL_OFAC_REJECTS_MAX ? n_no : WL_OFAC_REJECTS_MAX, ofac_refusal,
                &err);
        json_decref(all);
        all = NULL;
    } else if (all == NULL || no == NULL) {
        fprintf(stderr, "willing %s: out of memory\n", cmd);
        json_decref(all);
        all = NULL;
    }
    wl_free(no);
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
        refused(cmd, dir, l.rejects,
                l.n_rejects < WL_OFAC_REJECTS_MAX ? l.n_rejects : WL_OFAC_REJECTS_MAX, ofac_refusal,
                &err);
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

/* import-un, import-eu, import-uk FILE: one of the official lists' XML */
static int run_import_xml(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    char cmd[32];
    import_opts o = {NULL, false};
    wl_sanctions_format f;
    wl_sanctions_list l = {0};
    cli_common c;
    wl_error err;
    bool missing;
    char *buf = NULL;
    size_t len = 0;
    const char *path;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, import_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    snprintf(cmd, sizeof cmd, "pressure %s", self->name);
    if (!c.server || (!o.dry_run && !c.key) || optind != argc - 1 ||
        wl_sanctions_format_parse(self->name + strlen("import-"), &f) != 0)
        return cli_cmd_usage(stderr, self);
    if (o.date && !good_date(o.date)) {
        fprintf(stderr, "willing %s: --date: YYYY-MM-DD, a real day (not %s)\n", cmd, o.date);
        return 2;
    }
    if (wl_crypto_init() != WL_OK)
        return 1;
    path = argv[optind];
    buf = read_capped(cmd, path, WL_SANCTIONS_FILE_MAX, "WL_SANCTIONS_FILE_MAX", &len, &missing);
    if (buf == NULL) {
        if (missing)
            fprintf(stderr, "willing %s: %s: no such file\n", cmd, path);
        return 1;
    }
    ret = 1;
    if (wl_sanctions_read(f, buf, len, &l, &err) != WL_OK) {
        refused(cmd, path, l.rejects,
                l.n_rejects < WL_SANCTIONS_REJECTS_MAX ? l.n_rejects : WL_SANCTIONS_REJECTS_MAX,
                xml_refusal, &err);
        goto out;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "willing %s: read %zu records of %s, file of %s\n", cmd, l.records, l.list,
                l.generated);
    {
        cli_list_import im = {l.list, l.sha256, o.date ? o.date : l.generated,
                              path,   l.bodies, o.dry_run};
        ret = cli_list_import_send(cmd, &c, &im);
    }
out:
    wl_sanctions_free(&l);
    free(buf);
    return ret;
}

typedef struct {
    const char *list;
    bool csv;
} snap_opts;

static int snap_opt(void *ctx, int ch, const char *arg)
{
    snap_opts *o = ctx;
    if (ch == 'l')
        o->list = arg;
    else
        o->csv = true;
    return CLI_GO;
}

static int run_snapshots(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"list", required_argument, NULL, 'l'},
                                         {"csv", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    snap_opts o = {0};
    cli_common c;
    cli_buf raw = {0};
    json_t *a = NULL, *p;
    char path[256], url[2048], err[512];
    size_t i, n;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, snap_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc)
        return cli_cmd_usage(stderr, self);
    n = (size_t)snprintf(path, sizeof path, "/api/v1/pressure/snapshots%s%s", o.csv ? ".csv" : "",
                         o.list ? "?list=" : "");
    for (const unsigned char *q = (const unsigned char *)o.list; q && *q; q++) /* escaped */
        n += (size_t)snprintf(path + n, n < sizeof path ? sizeof path - n : 0,
                              isalnum(*q) || strchr("-._~", *q) ? "%c" : "%%%02X", *q);
    if (n >= sizeof path || (o.list && (!*o.list || strlen(o.list) > 64))) {
        fprintf(stderr, "willing pressure snapshots: --list: a list of 1-64 bytes\n");
        return 2;
    }
    if (o.csv) {
        long st;
        cli_url(c.server, path, url, sizeof url);
        st = cli_http("GET", url, NULL, NULL, 0, &raw, err, sizeof err);
        if (st != 200)
            ret = cli_refused("pressure snapshots", st, &raw, err);
        else
            fwrite(raw.buf, 1, raw.len, stdout);
        cli_buf_free(&raw);
        return ret;
    }
    if ((ret = cli_get_json("pressure snapshots", c.server, path, NULL, &a, NULL)) != 0)
        return ret;
    if (c.json) {
        cli_print_json(a);
        json_decref(a);
        return 0;
    }
    printf("data version %lld: %zu snapshots\n",
           (long long)json_integer_value(json_object_get(a, "data_version")),
           json_array_size(json_object_get(a, "snapshots")));
    json_array_foreach(json_object_get(a, "snapshots"), i, p)
    {
        const json_t *k = json_object_get(p, "counts"), *base = json_object_get(p, "base");
        printf("%s %s entry %lld: %lld subjects, %lld added, %lld amended, %lld delisted; "
               "file %s",
               cli_str(p, "list", "?"), cli_str(p, "date", "?"),
               (long long)json_integer_value(json_object_get(p, "entry")),
               (long long)json_integer_value(json_object_get(k, "subjects")),
               (long long)json_integer_value(json_object_get(k, "added")),
               (long long)json_integer_value(json_object_get(k, "amended")),
               (long long)json_integer_value(json_object_get(k, "delisted")),
               cli_str(p, "file", "?"));
        if (json_is_integer(base))
            printf("; against entry %lld", (long long)json_integer_value(base));
        printf("\n");
    }
    json_decref(a);
    return 0;
}

#define IMPORT_XML_HELP                                                                            \
    "as the operator's reference data attributed to that list. A file over 64 MiB, in\n"           \
    "another encoding than UTF-8 or US-ASCII, or with a DOCTYPE (an external entity, an\n"         \
    "entity expansion) is refused before it is parsed, every refused record printed as\n"          \
    "FILE:LINE: record: why, and then nothing\n"                                                   \
    "is sent. Only the differences from what the log holds are written, then a snapshot\n"         \
    "with the file's SHA-256, its date (the file's own, or --date) and the counts, in one\n"       \
    "request. The same file again is refused, already_imported; an older file than the\n"          \
    "list's latest, older_file; an import when another was stored since it read the list,\n"       \
    "stale_base (run it again). --dry-run compares and prints the counts, sends nothing\n"         \
    "(no --key needed).\n"

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
     "already_imported, naming its snapshot; a --date on or before the list's latest\n"
     "snapshot's, older_file; an import when another was stored since it read the list,\n"
     "stale_base (run it again). --dry-run compares and prints the counts, sends nothing\n"
     "(no --key needed).\n",
     run_import_ofac},
    {"pressure", "import-un",
     "--server URL --key FILE [--date YYYY-MM-DD] [--dry-run] [--json] FILE",
     "Imports the UN Security Council's consolidated list (its XML) as list "
     "un-sc,\n" IMPORT_XML_HELP,
     run_import_xml},
    {"pressure", "import-eu",
     "--server URL --key FILE [--date YYYY-MM-DD] [--dry-run] [--json] FILE",
     "Imports the EU's Financial Sanctions Files (XML 1.1) as list eu-fsf,\n" IMPORT_XML_HELP,
     run_import_xml},
    {"pressure", "import-uk",
     "--server URL --key FILE [--date YYYY-MM-DD] [--dry-run] [--json] FILE",
     "Imports the UK's FCDO Sanctions List (its XML) as list uk-fcdo,\n" IMPORT_XML_HELP,
     run_import_xml},
    {"pressure", "snapshots", "--server URL [--list L] [--csv] [--json]",
     "Prints the import snapshots the server holds, each list's in the order imported:\n"
     "the list, the file's date, its entry, the counts (subjects in the file, added,\n"
     "amended, delisted), the file's SHA-256 and the entry of the snapshot it was\n"
     "compared against (none for a list's first); with the data version (the log's size)\n"
     "it was read at. --list L prints list L's alone; --csv the server's CSV\n"
     "(GET /api/v1/pressure/snapshots.csv), --json the whole answer.\n",
     run_snapshots},
};

int cli_pressure(int argc, char **argv)
{
    /* this file's subcommands, then screening's (screen.c) */
    enum { OWN = sizeof pressure_subs / sizeof pressure_subs[0] };
    enum { SCREEN = sizeof cli_screen_cmds / sizeof cli_screen_cmds[0] };
    cli_cmd subs[OWN + SCREEN + sizeof cli_align_cmds / sizeof cli_align_cmds[0]];
    memcpy(subs, pressure_subs, sizeof pressure_subs);
    memcpy(subs + OWN, cli_screen_cmds, sizeof cli_screen_cmds);
    memcpy(subs + OWN + SCREEN, cli_align_cmds, sizeof cli_align_cmds); /* align.c */
    return cli_group(argc, argv, "pressure", subs, sizeof subs / sizeof subs[0],
                     "Sanctions designations: docs/internals/pressure.md.\n");
}
