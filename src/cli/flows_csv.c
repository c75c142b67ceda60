/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing flows import-csv FILE --map field=Column,...`: a member's flows
 * from any CSV (issue 9, points 8 and 9). Each row is mapped to a flow's
 * body and checked here with the flows library's rules first; every bad row
 * is printed as FILE:LINE: why and then nothing is sent (or, with
 * --skip-bad, the good rows are sent and the exit status is 2). The rows go
 * in flow.batch entries posted in one batch request: all stored or none.
 * Its row is in src/cli/flows.c's table. docs/internals/flows.md ("Importing
 * a CSV").
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/reference.h"

/* Packs the good rows into flow.batch bodies, signs and sends them. Exit code. */
static int csv_send(const cli_common *c, const char *path, const char *hex,
                    const wl_flow_import *im)
{
    json_t *head = json_pack("{s:s, s:s}", "import", hex, "format", "csv"), *bodies = NULL;
    char what[64];
    wl_error err;
    int ret;
    if (head == NULL ||
        wl_import_pack(head, "flows", im->flows, WL_FLOW_BATCH_ROWS, &bodies, &err) != WL_OK) {
        fprintf(stderr, "willing flows import-csv: %s\n", head ? err.msg : "out of memory");
        json_decref(head);
        return 1;
    }
    json_decref(head);
    snprintf(what, sizeof what, "%zu flows", json_array_size(im->flows));
    ret = cli_import_send("flows import-csv", c, "flow.batch", bodies, what, path, hex);
    json_decref(bodies);
    return ret;
}

int cli_flows_import_csv(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"map", required_argument, NULL, 'm'},
                                         {"skip-bad", no_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    cli_import_opts o = {NULL, false};
    wl_flow_import im;
    wl_csv_map map;
    cli_common c;
    wl_error err;
    size_t len = 0, line = 0, n;
    uint8_t sum[32];
    char hex[65], *buf;
    const char *path;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, cli_import_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || !o.arg || optind != argc - 1)
        return cli_cmd_usage(stderr, self);
    if (wl_csv_map_parse(o.arg, &map, &err) != WL_OK) {
        fprintf(stderr, "willing flows import-csv: --map: %s\n", err.msg);
        return 2;
    }
    if (wl_crypto_init() != WL_OK)
        return 1;
    path = argv[optind];
    if ((buf = cli_read_file(path, WL_IMPORT_FILE_MAX, &len)) == NULL) {
        fprintf(stderr, "willing flows import-csv: cannot read %s (at most %u bytes)\n", path,
                WL_IMPORT_FILE_MAX);
        return 1;
    }
    wl_sha256(buf, len, sum);
    wl_hex_encode(sum, 32, hex);
    ret = wl_csv_flows_read(buf, len, &map, hex, &im, &line, &err);
    free(buf);
    if (ret != WL_OK) {
        fprintf(stderr, "%s:%zu: %s\n", path, line, err.msg);
        return 1;
    }
    n = json_array_size(im.flows);
    if ((ret = cli_import_verdict("flows import-csv", path, im.bad, im.nbad, n, o.skip_bad)) < 0)
        ret = cli_import_sent("flows import-csv", csv_send(&c, path, hex, &im), im.nbad);
    wl_flow_import_free(&im);
    return ret;
}
