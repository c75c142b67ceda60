/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing daily record --day D`: the coordinator records a day's report of the
 * monitors (docs/internals/monitor.md, "Compliance"): it fetches
 * GET /api/v1/daily/D, uploads its exact bytes as a blob (blobio.c; private:
 * the entry makes it public), then writes the entry monitor.daily {"day",
 * "blob": their SHA-256}, so that
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
    char path[64], hex[65], url[2048], err[512];
    long st;
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
    /* recorded already: say so before uploading anything */
    snprintf(path, sizeof path, "/api/v1/daily/%s?recorded=1", day);
    cli_url(c.server, path, url, sizeof url);
    st = cli_http("GET", url, NULL, NULL, 0, &raw, err, sizeof err);
    if (st != 404) {
        if (st == 200)
            fprintf(stderr,
                    "willing daily record: the report of %s is recorded already: one per "
                    "day (GET %s)\n",
                    day, path);
        else
            cli_refused("daily record", st, &raw, err);
        ret = 1;
        goto out;
    }
    cli_buf_free(&raw);
    memset(&raw, 0, sizeof raw);
    snprintf(path, sizeof path, "/api/v1/daily/%s", day);
    ret = cli_get_json("daily record", c.server, path, NULL, &report, &raw);
    /* uploaded private: the entry makes it public, so a refused entry publishes nothing */
    if (ret == 0)
        ret = cli_blob_put("daily record", c.server, &kf, raw.buf, raw.len, "application/json",
                           false, hex, NULL);
    if (ret == 0 && (body = json_pack("{s:s, s:s}", "day", day, "blob", hex)) == NULL) {
        fprintf(stderr, "willing daily record: out of memory\n");
        ret = 1;
    }
    if (ret == 0) {
        fprintf(stderr, "willing daily record: %s: %zu bytes, blob %s\n", day, raw.len, hex);
        ret = cli_post_json(c.server, &kf, "monitor.daily", body);
    }
out:
    wl_key_wipe(&kf.key);
    json_decref(report);
    json_decref(body);
    cli_buf_free(&raw);
    return ret;
}

static const cli_cmd subs[] = {
    {"daily", "record", "--server URL --key FILE --day YYYY-MM-DD [--json]",
     "Records the monitors' daily report of the day (a coordinator's key): fetches\n"
     "GET /api/v1/daily/DAY, uploads its bytes as a blob and writes the entry\n"
     "monitor.daily naming their SHA-256, which makes the blob public; prints\n"
     "its index. Only a day that is over (19:30 Kyiv time). One per day: a\n"
     "second is refused (409 daily_recorded). GET /api/v1/daily/DAY?recorded=1\n"
     "then answers the recorded bytes unchanged.\n",
     run_record},
};

int cli_daily(int argc, char **argv)
{
    return cli_group(argc, argv, "daily", subs, sizeof subs / sizeof subs[0],
                     "The monitors' daily report, recorded in the log by its hash.\n");
}
