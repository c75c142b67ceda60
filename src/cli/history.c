/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing history`: UCDP's events as history (issue 11, point 5).
 *   import-ucdp FILE  UCDP's Georeferenced Event Dataset CSV, every row
 *                     checked here first (each skipped one as FILE:LINE:
 *                     why), then sent as history.batch entries in one batch
 *                     request, all or nothing, by the coordinator;
 *                     --dry-run prints what would be stored and sends nothing
 *   years (the default) UCDP's yearly counts of events and deaths by type
 * docs/internals/monitor.md ("History"), docs/internals/cli.md.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/history.h"

/* Prints the yearly counts: one line a year, the events and deaths of each type. */
static void years_print(const json_t *o)
{
    size_t i, j;
    json_t *y, *t;
    printf("%s\n", cli_str(o, "attribution", ""));
    if (json_object_get(o, "file"))
        printf("file SHA-256 %s, %s\n", cli_str(o, "file", "?"),
               json_is_true(json_object_get(o, "complete")) ? "every part stored"
                                                            : "NOT every part stored");
    printf("%-5s %7s %7s %7s %7s   %-15s %-15s %-15s\n", "year", "events", "best", "high", "low",
           "state-based", "non-state", "one-sided");
    printf("%-5s %7s %7s %7s %7s   %-15s %-15s %-15s\n", "", "", "deaths", "", "", "events/best",
           "events/best", "events/best");
    json_array_foreach(json_object_get(o, "years"), i, y)
    {
        char cell[3][32] = {"-", "-", "-"};
        json_array_foreach(json_object_get(y, "by_type"), j, t)
        {
            json_int_t ty = json_integer_value(json_object_get(t, "type_of_violence"));
            if (ty >= 1 && ty <= 3)
                snprintf(cell[ty - 1], sizeof cell[0], "%lld/%lld",
                         (long long)json_integer_value(json_object_get(t, "events")),
                         (long long)json_integer_value(json_object_get(t, "best")));
        }
        printf("%-5lld %7lld %7lld %7lld %7lld   %-15s %-15s %-15s\n",
               (long long)json_integer_value(json_object_get(y, "year")),
               (long long)json_integer_value(json_object_get(y, "events")),
               (long long)json_integer_value(json_object_get(y, "best")),
               (long long)json_integer_value(json_object_get(y, "high")),
               (long long)json_integer_value(json_object_get(y, "low")), cell[0], cell[1], cell[2]);
    }
    t = json_object_get(o, "total");
    printf("%-5s %7lld %7lld %7lld %7lld\n", "all",
           (long long)json_integer_value(json_object_get(t, "events")),
           (long long)json_integer_value(json_object_get(t, "best")),
           (long long)json_integer_value(json_object_get(t, "high")),
           (long long)json_integer_value(json_object_get(t, "low")));
}

/* ---- import-ucdp ---- */

typedef struct {
    const char *release;
    bool skip_bad, dry_run;
} import_opts;

static int import_opt(void *ctx, int ch, const char *arg)
{
    import_opts *o = ctx;
    if (ch == 's')
        o->skip_bad = true;
    else if (ch == 'n')
        o->dry_run = true;
    else
        o->release = arg;
    return CLI_GO;
}

/* --dry-run: the yearly counts of the good rows, nothing sent. Exit code. */
static int dry_run(const wl_history_import *im, const char *release, bool json_out)
{
    json_t *o = NULL;
    wl_error err;
    if (wl_history_years_of(im->ev, im->n, release, &o, &err) != WL_OK) {
        fprintf(stderr, "willing history import-ucdp: %s\n", err.msg);
        return 1;
    }
    if (json_out)
        cli_print_json(o);
    else
        years_print(o);
    json_decref(o);
    fprintf(stderr, "willing history import-ucdp: --dry-run: nothing sent\n");
    return 0;
}

/* Packs the events into history.batch bodies, signs and sends them. Exit code. */
static int send_events(const cli_common *c, const char *path, const char *buf, size_t len,
                       const wl_history_import *im, const char *release)
{
    uint8_t sum[32];
    char hex[65], what[512];
    json_t *bodies = NULL;
    wl_error err;
    int ret;

    wl_sha256(buf, len, sum);
    wl_hex_encode(sum, 32, hex);
    if (wl_history_batches(im->ev, im->n, release, hex, &bodies, &err) != WL_OK) {
        fprintf(stderr, "willing history import-ucdp: %s\n", err.msg);
        return 1;
    }
    snprintf(what, sizeof what,
             "%zu events of UCDP GED release %s (historical events, kept apart from monitors' "
             "reports)",
             im->n, release);
    ret = cli_import_send("history import-ucdp", c, "history.batch", bodies, what, path, hex);
    json_decref(bodies);
    return ret;
}

static int run_import(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"release", required_argument, NULL, 'r'},
                                         {"skip-bad", no_argument, NULL, 's'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    import_opts o = {WL_UCDP_RELEASE, false, false};
    wl_history_import im;
    cli_common c;
    wl_error err;
    size_t len = 0, line = 0;
    char *buf;
    const char *path;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, import_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if ((!o.dry_run && (!c.server || !c.key)) || optind != argc - 1 ||
        !wl_valid_member_id(o.release, strlen(o.release)))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    path = argv[optind];
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "willing history import-ucdp: reading %s\n", path);
    if ((buf = cli_read_file(path, WL_IMPORT_FILE_MAX, &len)) == NULL) {
        fprintf(stderr, "willing history import-ucdp: cannot read %s (at most %u bytes)\n", path,
                WL_IMPORT_FILE_MAX);
        return 1;
    }
    if (wl_history_ucdp_read(buf, len, &im, &line, &err) != WL_OK) {
        fprintf(stderr, "%s:%zu: %s\n", path, line, err.msg);
        free(buf);
        return 1;
    }
    fprintf(stderr,
            "willing history import-ucdp: read %zu rows of %s: %zu events, %zu skipped, %zu "
            "with text in Windows-1252 (transcoded to UTF-8, each marked \"transcoded\")\n",
            im.n + im.nbad, path, im.n, im.nbad, im.transcoded);
    if ((ret = cli_import_verdict("history import-ucdp", path, im.bad, im.nbad, im.n,
                                  o.skip_bad || o.dry_run)) < 0) {
        if (o.dry_run)
            ret = dry_run(&im, o.release, c.json);
        else
            ret = send_events(&c, path, buf, len, &im, o.release);
        ret = cli_import_sent("history import-ucdp", ret, im.nbad);
    }
    wl_history_import_free(&im);
    free(buf);
    return ret;
}

/* ---- years ---- */

typedef struct {
    const char *release;
    bool csv;
} years_opts;

static int years_opt(void *ctx, int ch, const char *arg)
{
    years_opts *o = ctx;
    if (ch == 'r')
        o->release = arg;
    else
        o->csv = true;
    return CLI_GO;
}

static int run_years(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"release", required_argument, NULL, 'r'},
                                         {"csv", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    years_opts o = {NULL, false};
    char path[512];
    cli_common c;
    cli_buf b = {0};
    json_t *out = NULL;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, years_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc ||
        (o.release && !wl_valid_member_id(o.release, strlen(o.release))))
        return cli_cmd_usage(stderr, self);
    snprintf(path, sizeof path, "/api/v1/history?format=%s%s%s", o.csv ? "csv" : "json",
             o.release ? "&release=" : "", o.release ? o.release : "");
    ret = cli_get_json("history", c.server, path, NULL, &out, &b);
    if (ret == 0 && (o.csv || c.json)) {
        fwrite(b.buf, 1, b.len, stdout);
        if (c.json)
            printf("\n");
    } else if (ret == 0) {
        years_print(out);
    }
    json_decref(out);
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd subs[] = {
    {"history", "years", "--server URL [--release R] [--csv | --json]",
     "Prints UCDP's yearly counts of events and deaths (best, high and low\n"
     "estimates) by type of violence (1 state-based, 2 non-state, 3 one-sided),\n"
     "as imported: historical events attributed to UCDP, not monitors' reports.\n"
     "`willing history --server URL` alone does the same.\n",
     run_years},
    {"history", "import-ucdp",
     "[--server URL --key FILE] [--release 24.1] [--skip-bad] [--dry-run] [--json] FILE",
     "Imports UCDP's Georeferenced Event Dataset CSV (GED, CC BY 4.0) as\n"
     "historical events, attributed to UCDP (source ucdp-ged, the release, the\n"
     "file's SHA-256) and kept apart from monitors' reports. The key is the\n"
     "coordinator's. UCDP's own values are kept: its id, the dates with date_prec,\n"
     "where_prec, the coordinates as written, deaths best, high and low. Dates come\n"
     "as M/D/YYYY h:mm:ss AM or MM/DD/YYYY HH:MM (both month first) or YYYY-MM-DD.\n"
     "Text that is not UTF-8 is read as Windows-1252, transcoded and marked.\n"
     "Every row is checked first and each one skipped printed as FILE:LINE: why;\n"
     "then nothing is sent (exit 1), or with --skip-bad the good rows are sent and\n"
     "the exit status is 2. A file missing a column is refused, naming it. The\n"
     "events go in history.batch entries in one request: all are stored or none.\n"
     "--dry-run checks the file and prints the yearly counts it would store,\n"
     "sending nothing (no --server or --key needed).\n",
     run_import},
};

int cli_history(int argc, char **argv)
{
    /* `willing history --server URL`: the yearly table, the group's default */
    if (argc >= 2 && argv[1][0] == '-' && strcmp(argv[1], "--help") != 0 &&
        strcmp(argv[1], "-h") != 0)
        return run_years(&subs[0], argc, argv);
    return cli_group(argc, argv, "history", subs, sizeof subs / sizeof subs[0],
                     "History: UCDP's Georeferenced Event Dataset, events of the past attributed\n"
                     "to UCDP, kept apart from monitors' reports.\n");
}
