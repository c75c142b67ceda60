/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing reference`: third-party reference data (issue 9, point 8).
 *   import-kiel FILE  the Kiel Ukraine Support Tracker's bilateral activities
 *                     CSV, every row checked here first (FILE:LINE: why), then
 *                     sent as reference.batch entries in one batch request,
 *                     all or nothing, by the coordinator or the operator
 *   totals            a source's totals per donor and type, exact
 * docs/internals/flows.md ("Reference data"), docs/internals/cli.md.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/reference.h"

/* ---- import-kiel ---- */

/* Packs the rows into reference.batch bodies, signs and sends them. Exit code. */
static int kiel_send(const cli_common *c, const char *path, const char *buf, size_t len,
                     const wl_ref_import *im, const char *release)
{
    uint8_t sum[32];
    char hex[65], what[512];
    json_t *bodies = NULL;
    wl_error err;
    int ret;

    wl_sha256(buf, len, sum);
    wl_hex_encode(sum, 32, hex);
    if (wl_ref_batches(im->rows, im->n, WL_KIEL_SOURCE, release, hex, &bodies, &err) != WL_OK) {
        fprintf(stderr, "willing reference import-kiel: %s\n", err.msg);
        return 1;
    }
    snprintf(what, sizeof what,
             "%zu rows of %s release %s (third-party reference data, kept apart from members' "
             "flows)",
             im->n, WL_KIEL_SOURCE, release);
    ret = cli_import_send("reference import-kiel", c, "reference.batch", bodies, what, path, hex);
    json_decref(bodies);
    return ret;
}

static int run_import_kiel(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"release", required_argument, NULL, 'r'},
                                         {"skip-bad", no_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    cli_import_opts o = {"28", false};
    wl_ref_import im;
    cli_common c;
    wl_error err;
    size_t len = 0, line = 0;
    char *buf;
    const char *path;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, cli_import_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    path = argv[optind];
    if ((buf = cli_read_file(path, WL_IMPORT_FILE_MAX, &len)) == NULL) {
        fprintf(stderr, "willing reference import-kiel: cannot read %s (at most %u bytes)\n", path,
                WL_IMPORT_FILE_MAX);
        return 1;
    }
    if (wl_ref_kiel_read(buf, len, &im, &line, &err) != WL_OK) {
        fprintf(stderr, "%s:%zu: %s\n", path, line, err.msg);
        free(buf);
        return 1;
    }
    if ((ret = cli_import_verdict("reference import-kiel", path, im.bad, im.nbad, im.n,
                                  o.skip_bad)) < 0)
        ret = cli_import_sent("reference import-kiel", kiel_send(&c, path, buf, len, &im, o.arg),
                              im.nbad);
    wl_ref_import_free(&im);
    free(buf);
    return ret;
}

/* ---- totals ---- */

typedef struct {
    const char *source, *release;
    bool csv;
} totals_opts;

static int totals_opt(void *ctx, int ch, const char *arg)
{
    totals_opts *o = ctx;
    if (ch == 's')
        o->source = arg;
    else if (ch == 'r')
        o->release = arg;
    else
        o->csv = true;
    return CLI_GO;
}

static void totals_print(const json_t *o)
{
    static const char *const types[] = {"military", "financial", "humanitarian"};
    size_t i;
    json_t *r;
    printf("%s\n", cli_str(o, "attribution", ""));
    printf("file SHA-256 %s, %s\n", cli_str(o, "file", "?"),
           json_is_true(json_object_get(o, "complete")) ? "every part stored"
                                                        : "NOT every part stored");
    printf("%-28s %-4s %-13s %26s %26s\n", "donor", "cur", "type", "allocation", "commitment");
    json_array_foreach(json_object_get(o, "rows"), i, r)
    {
        for (int t = 0; t < 3; t++) {
            const json_t *f = json_object_get(r, types[t]);
            printf("%-28s %-4s %-13s %26s %26s\n", cli_str(r, "donor", ""),
                   cli_str(r, "currency", ""), types[t], cli_str(f, "allocation", "0"),
                   cli_str(f, "commitment", "0"));
        }
    }
}

static int run_totals(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"source", required_argument, NULL, 's'},
                                         {"release", required_argument, NULL, 'r'},
                                         {"csv", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    totals_opts o = {WL_KIEL_SOURCE, NULL, false};
    char path[512];
    cli_common c;
    cli_buf b = {0};
    json_t *out = NULL;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, totals_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc || !wl_valid_member_id(o.source, strlen(o.source)) ||
        (o.release && !wl_valid_member_id(o.release, strlen(o.release))))
        return cli_cmd_usage(stderr, self);
    snprintf(path, sizeof path, "/api/v1/reference/totals?source=%s&by=donor%s%s%s", o.source,
             o.release ? "&release=" : "", o.release ? o.release : "", o.csv ? "&format=csv" : "");
    ret = cli_get_json("reference totals", c.server, path, NULL, &out, &b);
    if (ret == 0 && (o.csv || c.json)) {
        fwrite(b.buf, 1, b.len, stdout);
        if (c.json)
            printf("\n");
    } else if (ret == 0) {
        totals_print(out);
    }
    json_decref(out);
    cli_buf_free(&b);
    return ret;
}

static const cli_cmd subs[] = {
    {"reference", "import-kiel",
     "--server URL --key FILE [--release 28] [--skip-bad] [--json] FILE",
     "Imports the Kiel Ukraine Support Tracker's bilateral activities CSV (columns\n"
     "giver, dato, kategori, maal, verdi_eur) as third-party reference data,\n"
     "attributed to the tracker (source kiel-ust, the release, the file's SHA-256):\n"
     "never a member's own report. The key is the coordinator's or the operator's.\n"
     "Every row is checked first and each bad one printed as FILE:LINE: why; then\n"
     "nothing is sent (exit 1), or with --skip-bad the good rows are sent and the\n"
     "exit status is 2. The rows go in reference.batch entries in one request: all\n"
     "are stored or none. A file that is not UTF-8 is refused, naming its line.\n",
     run_import_kiel},
    {"reference", "totals", "--server URL [--source kiel-ust] [--release R] [--csv | --json]",
     "Prints a source's totals per donor and type (military, financial,\n"
     "humanitarian), allocations and commitments apart, exactly as summed from\n"
     "every row (no rounding); the latest release unless --release says which.\n",
     run_totals},
};

int cli_reference(int argc, char **argv)
{
    return cli_group(argc, argv, "reference", subs, sizeof subs / sizeof subs[0],
                     "Third-party reference data (the Kiel Ukraine Support Tracker): kept\n"
                     "apart from members' flows, attributed to its source.\n");
}
