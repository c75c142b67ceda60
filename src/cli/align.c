/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing pressure align [--csv] [--json]`: the members' alignment (issue 12,
 * point 4) as the server computes it (GET /api/v1/pressure/alignment, or
 * alignment.csv with --csv): per pair of member lists, the subjects one
 * designates and the other does not, and who followed whom after how many
 * days. Its row joins `willing pressure` (pressure.c) through cli_align_cmds.
 * docs/internals/pressure.md, "Alignment".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static int csv_opt(void *ctx, int ch, const char *arg)
{
    (void)arg;
    if (ch == 'c')
        *(bool *)ctx = true;
    return CLI_GO;
}

static int run_align(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"csv", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
    bool csv = false;
    cli_common c;
    cli_buf raw = {0};
    json_t *o = NULL, *p;
    char url[2048], err[512];
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, csv_opt, &csv, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (csv) {
        long st;
        cli_url(c.server, "/api/v1/pressure/alignment.csv", url, sizeof url);
        st = cli_http("GET", url, NULL, NULL, 0, &raw, err, sizeof err);
        if (st != 200)
            ret = cli_refused("pressure align", st, &raw, err);
        else
            ret = fwrite(raw.buf, 1, raw.len, stdout) == raw.len ? 0 : 1;
        cli_buf_free(&raw);
        return ret;
    }
    if ((ret = cli_get_json("pressure align", c.server, "/api/v1/pressure/alignment", NULL, &o,
                            NULL)) != 0)
        return ret;
    if (c.json) {
        cli_print_json(o);
        json_decref(o);
        return 0;
    }
    printf("data version %lld: %lld subjects, %lld designated by a member\n",
           (long long)json_integer_value(json_object_get(o, "data_version")),
           (long long)json_integer_value(json_object_get(o, "subjects")),
           (long long)json_integer_value(json_object_get(o, "subjects_of_members")));
    json_array_foreach(json_object_get(o, "pairs"), i, p)
    {
        const json_t *med = json_object_get(p, "y_after_x_median_days");
        printf("%s not %s: %lld (both %lld; %s after %s %lld times", cli_str(p, "x", "?"),
               cli_str(p, "y", "?"), (long long)json_integer_value(json_object_get(p, "x_not_y")),
               (long long)json_integer_value(json_object_get(p, "both")), cli_str(p, "y", "?"),
               cli_str(p, "x", "?"),
               (long long)json_integer_value(json_object_get(p, "y_after_x")));
        if (json_is_integer(med))
            printf(", median %lld days", (long long)json_integer_value(med));
        printf(")\n");
    }
    json_decref(o);
    return 0;
}

const cli_cmd cli_align_cmds[1] = {
    {"pressure", "align", "--server URL [--csv] [--json]",
     "Prints the members' alignment of sanctions designations: for each pair of member\n"
     "lists, the subjects one designates and the other does not, those both designate,\n"
     "and how often and after how many days (the median) the second followed the first;\n"
     "with the data version (the log's size) it was computed from. --csv prints the\n"
     "pairs as CSV (GET /api/v1/pressure/alignment.csv), --json the whole answer.\n",
     run_align},
};
