/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Splits and merges of incidents from the command line (docs/internals/cli.md,
 * docs/internals/monitor.md "Incidents"): `willing incident merge` and
 * `willing incident split`, a monitor's or the coordinator's signed
 * monitor.merge or monitor.split entry naming reports by index, with a
 * reason. The server checks every rule (each index a report of the log, who
 * may write it); this file only reads the options and signs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/entry.h"
#include "willing/limits.h"

typedef struct {
    const char *reports, *reason;
} incident_opts;

static int incident_opt(void *ctx, int ch, const char *arg)
{
    incident_opts *o = ctx;
    if (ch == 'r')
        o->reports = arg;
    else if (ch == 'w')
        o->reason = arg;
    return CLI_GO;
}

/* "12,15,20" as a JSON array of indexes; NULL (after saying why) if a part is not one. */
static json_t *indexes(const char *cmd, const char *list)
{
    json_t *a = json_array();
    const char *p = list;
    if (*p == '\0') {
        fprintf(stderr, "willing %s: --reports: at least one entry index (12,15)\n", cmd);
        json_decref(a);
        return NULL;
    }
    while (a && *p) {
        char *end;
        unsigned long long v;
        if (*p < '0' || *p > '9' || (v = strtoull(p, &end, 10)) > INT64_MAX ||
            (*end != ',' && *end != '\0') ||
            json_array_append_new(a, json_integer((json_int_t)v))) {
            fprintf(stderr,
                    "willing %s: --reports: entry indexes separated by commas (12,15): %s\n", cmd,
                    list);
            json_decref(a);
            return NULL;
        }
        p = *end ? end + 1 : end;
        if (*end == ',' && *p == '\0') {
            fprintf(stderr, "willing %s: --reports: a comma with no index after it\n", cmd);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int run(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"reports", required_argument, NULL, 'r'},
                                         {"reason", required_argument, NULL, 'w'},
                                         {NULL, 0, NULL, 0}};
    incident_opts o = {NULL, NULL};
    const char *cmd = strcmp(self->name, "merge") == 0 ? "incident merge" : "incident split";
    const char *kind = strcmp(self->name, "merge") == 0 ? "monitor.merge" : "monitor.split";
    cli_common c;
    wl_keyfile kf;
    json_t *body, *ids;
    int ret =
        cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, incident_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || !c.key || !o.reports || optind != argc)
        return cli_cmd_usage(stderr, self);
    if (wl_body_blank(o.reason)) {
        fprintf(stderr, "willing %s: --reason: required: why, 1 to %u bytes, signed with it\n", cmd,
                WL_CORR_REASON_BYTES);
        return 2;
    }
    if ((ids = indexes(cmd, o.reports)) == NULL)
        return 2;
    body = json_pack("{s:o, s:s}", "reports", ids, "reason", o.reason);
    if (body == NULL) {
        fprintf(stderr, "willing %s: --reason must be UTF-8 text\n", cmd);
        return 2;
    }
    if (cli_member_key(cmd, c.key, &kf) != 0) {
        json_decref(body);
        return 1;
    }
    ret = cli_post_json(c.server, &kf, kind, body);
    wl_key_wipe(&kf.key);
    json_decref(body);
    return ret;
}

static const cli_cmd subs[] = {
    {"incident", "merge", "--server URL --key FILE --reports I,J,... --reason TEXT [--json]",
     "Signs and posts a monitor.merge: the incidents holding reports I, J, ...\n"
     "(entry indexes, 2 or more) are one, for the reason given (1 to 2,000\n"
     "bytes, public with it). A monitor or the coordinator only. Prints the\n"
     "entry's index. See GET /api/v1/incidents/<id> for the result and why.\n",
     run},
    {"incident", "split", "--server URL --key FILE --reports I,... --reason TEXT [--json]",
     "Signs and posts a monitor.split: every join between a report of the set\n"
     "(1 or more entry indexes) and a report outside it is cut, automatic or by\n"
     "an earlier merge, reports logged later included; a later merge may join\n"
     "them again. A monitor or the coordinator only, with a reason.\n",
     run},
};

int cli_incident(int argc, char **argv)
{
    return cli_group(argc, argv, "incident", subs, sizeof subs / sizeof subs[0],
                     "Monitors' overrides of the incidents the server computes from their\n"
                     "reports (docs/internals/monitor.md, \"Incidents\"): signed, with a\n"
                     "reason, applied in the order of their index.\n");
}
