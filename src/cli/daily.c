/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing daily record --day D`: the coordinator records a day's report of the
 * monitors (docs/internals/monitor.md, "Compliance"): it fetches
 * GET /api/v1/daily/D, uploads its exact bytes as a public blob (blobio.c),
 * then writes the entry monitor.daily {"day", "blob": their SHA-256}, so that
 * GET /api/v1/daily/D?recorded=1 answers those bytes unchanged later, whatever
 * reports come for that day after.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static int day_opt(void *ctx, int ch, const char *arg)
{
    if (ch == 'd')
        *(const char **)ctx = arg;
    return CLI_GO;
}

static int run_record(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"day", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *day = NULL;
    cli_common c;
    wl_keyfile kf;
    cli_buf raw = {0};
    json_t *report = NULL, *body = NULL;
    char path[64], hex[65];
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, day_opt, &day, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || !day || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (strlen(day) != 10 || wl_date_days(day, false) < 1) {
        fprintf(stderr, "willing daily record: --day: a date YYYY-MM-DD: %s\n", day);
        return 2;
    }
    if (cli_member_key("daily record", c.key, &kf) != 0)
        return 1;
    snprintf(path, sizeof path, "/api/v1/daily/%s", day);
    ret = cli_get_json("daily record", c.server, path, NULL, &report, &raw);
    if (ret == 0)
        ret = cli_blob_put("daily record", c.server, &kf, raw.buf, raw.len, "application/json",
                           true, hex, NULL);
    if (ret == 0 && (body = json_pack("{s:s, s:s}", "day", day, "blob", hex)) == NULL) {
        fprintf(stderr, "willing daily record: out of memory\n");
        ret = 1;
    }
    if (ret == 0) {
        fprintf(stderr, "willing daily record: %s: %zu bytes, blob %s\n", day, raw.len, hex);
        ret = cli_post_json(c.server, &kf, "monitor.daily", body);
    }
    wl_key_wipe(&kf.key);
    json_decref(report);
    json_decref(body);
    cli_buf_free(&raw);
    return ret;
}

static const cli_cmd subs[] = {
    {"daily", "record", "--server URL --key FILE --day YYYY-MM-DD [--json]",
     "Records the monitors' daily report of the day (a coordinator's key): fetches\n"
     "GET /api/v1/daily/DAY, uploads its bytes as a public blob and writes the\n"
     "entry monitor.daily naming their SHA-256; prints its index. One per day:\n"
     "a second is refused (409 daily_recorded). GET /api/v1/daily/DAY?recorded=1\n"
     "then answers the recorded bytes unchanged.\n",
     run_record},
};

int cli_daily(int argc, char **argv)
{
    return cli_group(argc, argv, "daily", subs, sizeof subs / sizeof subs[0],
                     "The monitors' daily report, recorded in the log by its hash.\n");
}
