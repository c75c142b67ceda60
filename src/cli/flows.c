/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing flows`: what was committed, allocated, delivered and disbursed
 * against pledges, and what the host nation confirmed or disputed, as the
 * server shows it to whoever asks (GET /api/v1/flows...; without --key the
 * public's view, with a member's key its view, with the coordinator's or the
 * host nation's every flow). list, show, summary and tree are here; the
 * importers and the IATI export are their own files' (flows_iati.c,
 * reference.c): each adds one row to flows_subs below. Writing flows is
 * `willing flow` (flow.c). docs/internals/cli.md and docs/internals/flows.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

typedef struct {
    const char *filter[4]; /* member, pledge, instrument, stage */
    const char *by, *currency;
    bool csv;
} flows_opts;

static int flows_opt(void *ctx, int ch, const char *arg)
{
    flows_opts *o = ctx;
    switch (ch) {
    case 'm':
        o->filter[0] = arg;
        break;
    case 'p':
        o->filter[1] = arg;
        break;
    case 'i':
        o->filter[2] = arg;
        break;
    case 's':
        o->filter[3] = arg;
        break;
    case 'b':
        o->by = arg;
        break;
    case 'C':
        o->currency = arg;
        break;
    default:
        o->csv = true;
    }
    return CLI_GO;
}

/* A query parameter's value: the characters ids, dates and codes use, or refused. */
static bool plain(const char *v)
{
    return v == NULL ||
           (strlen(v) <= 64 && strspn(v, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(v));
}

/* Runs GET path (signed with --key when given); prints raw CSV/JSON or hands back the JSON. */
static int fetch(const char *cmd, const cli_common *c, const char *path, json_t **o, cli_buf *b)
{
    wl_keyfile kf;
    int ret;
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (c->key && cli_member_key(cmd, c->key, &kf) != 0)
        return 1;
    ret = cli_get_json(cmd, c->server, path, c->key ? &kf : NULL, o, b);
    if (c->key)
        wl_key_wipe(&kf.key);
    return ret;
}

static const char *s_or(const json_t *o, const char *k, const char *d)
{
    const char *v = cli_str(o, k, NULL);
    return v ? v : d;
}

static void print_flow(const json_t *f)
{
    const json_t *a = json_object_get(f, "answer");
    const char *what =
        cli_str(f, "amount", NULL) ? cli_str(f, "amount", NULL) : s_or(f, "quantity", "?");
    const char *unit = cli_str(f, "amount", NULL) ? s_or(f, "currency", "") : s_or(f, "unit", "");
    printf("%s #%lld %s %s %s %s %s %s%s%s", cli_str(f, "flow", NULL),
           (long long)json_integer_value(json_object_get(f, "index")), s_or(f, "author", "?"),
           s_or(f, "stage", "?"), s_or(f, "date", "?"), what, unit, s_or(f, "category", "-"),
           json_is_true(json_object_get(f, "sealed")) ? " sealed" : "",
           cli_str(f, "superseded_by", NULL) ? " (superseded)" : "");
    if (json_is_object(a))
        printf(" [%s%s%s]", s_or(a, "kind", "?"), cli_str(a, "received", NULL) ? " " : "",
               s_or(a, "received", ""));
    printf("\n");
}

static int run_list(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"member", required_argument, NULL, 'm'},
        {"pledge", required_argument, NULL, 'p'},
        {"instrument", required_argument, NULL, 'i'},
        {"stage", required_argument, NULL, 's'},
        {"csv", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    static const char *const names[4] = {"member", "pledge", "instrument", "stage"};
    flows_opts o = {{NULL}, NULL, NULL, false};
    cli_common c;
    char path[1024];
    size_t n;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, flows_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc)
        return cli_cmd_usage(stderr, self);
    n = (size_t)snprintf(path, sizeof path, "/api/v1/flows?limit=1000");
    for (int i = 0; i < 4; i++) {
        if (!plain(o.filter[i])) {
            fprintf(stderr, "willing flows list: --%s takes an id (letters, digits, . _ -)\n",
                    names[i]);
            return 2;
        }
        if (o.filter[i])
            n += (size_t)snprintf(path + n, sizeof path - n, "&%s=%s", names[i], o.filter[i]);
    }
    /* every page, following next; as CSV, each page asked for again as CSV (one header) */
    for (int page = 0;; page++) {
        json_t *j = NULL;
        cli_buf b = {0};
        const char *next;
        char csv[1100];
        if ((ret = fetch("flows list", &c, path, &j, NULL)) != 0)
            return ret;
        if (o.csv) {
            const char *body, *nl;
            size_t skip;
            json_t *none = NULL;
            snprintf(csv, sizeof csv, "%s&format=csv", path);
            ret = fetch("flows list", &c, csv, &none, &b);
            json_decref(none);
            if (ret != 0) {
                json_decref(j);
                return ret;
            }
            body = b.buf ? b.buf : "";
            nl = page ? memchr(body, '\n', b.len) : NULL;
            skip = nl ? (size_t)(nl - body) + 1 : 0;
            fwrite(body + skip, 1, b.len - skip, stdout);
            cli_buf_free(&b);
        } else if (c.json) {
            cli_print_json(json_object_get(j, "flows"));
        } else {
            size_t i;
            json_t *f;
            json_array_foreach(json_object_get(j, "flows"), i, f)
            {
                print_flow(f);
            }
        }
        next = cli_str(j, "next", NULL);
        if (next == NULL || strlen(next) >= sizeof path) {
            json_decref(j);
            break;
        }
        snprintf(path, sizeof path, "%s", next);
        json_decref(j);
    }
    return 0;
}

static int run_show(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    char path[128];
    json_t *j = NULL;
    size_t i;
    json_t *f, *a;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind + 1 != argc)
        return cli_cmd_usage(stderr, self);
    if (!cli_hex_id(argv[optind], 32)) {
        fprintf(stderr, "willing flows show: a flow id is 32 lower-case hex digits\n");
        return 2;
    }
    snprintf(path, sizeof path, "/api/v1/flows/%s", argv[optind]);
    if ((ret = fetch("flows show", &c, path, &j, NULL)) != 0)
        return ret;
    if (c.json) {
        cli_print_json(j);
    } else {
        json_array_foreach(json_object_get(j, "chain"), i, f)
        {
            size_t k;
            printf("%s", i ? "corrected by " : "");
            print_flow(f);
            json_array_foreach(json_object_get(f, "answers"), k, a)
            {
                printf("    %s #%lld %s%s%s\n", s_or(a, "kind", "?"),
                       (long long)json_integer_value(json_object_get(a, "index")),
                       s_or(a, "received", ""), cli_str(a, "date", NULL) ? " on " : "",
                       cli_str(a, "date", NULL) ? cli_str(a, "date", NULL) : s_or(a, "reason", ""));
            }
        }
    }
    json_decref(j);
    return 0;
}

static void print_summary(const json_t *s)
{
    static const char *const cols[] = {"pledged",   "committed", "allocated", "delivered",
                                       "disbursed", "confirmed", "disputed"};
    const json_t *conv = json_object_get(s, "converted"), *r, *f;
    size_t i, k;
    printf("view: %s, by %s\n%-20s %-10s", s_or(s, "view", "?"), s_or(s, "by", "?"), "key",
           "measure");
    for (k = 0; k < 7; k++)
        printf(" %14s", cols[k]);
    printf("  lag median/p90 (pledges)\n");
    json_array_foreach(json_object_get(s, "rows"), i, r)
    {
        const json_t *lag = json_object_get(r, "lag_days");
        size_t j;
        json_array_foreach(json_object_get(r, "figures"), j, f)
        {
            printf("%-20s %-10s", s_or(r, "key", ""),
                   cli_str(f, "currency", NULL) ? cli_str(f, "currency", NULL)
                                                : s_or(f, "unit", ""));
            for (k = 0; k < 7; k++)
                printf(" %14s", s_or(f, cols[k], "0"));
            if (json_is_integer(json_object_get(lag, "median")))
                printf("  %lld/%lld (%lld)",
                       (long long)json_integer_value(json_object_get(lag, "median")),
                       (long long)json_integer_value(json_object_get(lag, "p90")),
                       (long long)json_integer_value(json_object_get(lag, "pledges")));
            printf("\n");
        }
    }
    if (!json_is_object(conv))
        return;
    printf("\nconverted into %s:\n", s_or(conv, "currency", "?"));
    json_array_foreach(json_object_get(conv, "rows"), i, r)
    {
        printf("%-20s %-10s", s_or(r, "key", ""), s_or(conv, "currency", ""));
        for (k = 0; k < 7; k++)
            if (k != 3)
                printf(" %s=%s", cols[k], s_or(r, cols[k], "not-convertible"));
        if (json_integer_value(json_object_get(r, "not_convertible")) > 0)
            printf(" not_convertible=%lld",
                   (long long)json_integer_value(json_object_get(r, "not_convertible")));
        printf("\n");
    }
    json_array_foreach(json_object_get(conv, "rates"), i, r)
        printf("rate %s %s->%s %s (entry %lld)\n", s_or(r, "date", ""), s_or(r, "from", ""),
               s_or(r, "to", ""), s_or(r, "rate", ""),
               (long long)json_integer_value(json_object_get(r, "index")));
    json_array_foreach(json_object_get(conv, "not_convertible"), i, r)
        printf("not convertible: %s %s %s %s\n", cli_str(r, "flow", NULL) ? "flow" : "pledge",
               cli_str(r, "flow", NULL) ? cli_str(r, "flow", NULL) : s_or(r, "pledge", ""),
               s_or(r, "currency", ""), s_or(r, "date", ""));
}

static int run_summary(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"by", required_argument, NULL, 'b'},
        {"currency", required_argument, NULL, 'C'},
        {"csv", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    flows_opts o = {{NULL}, NULL, NULL, false};
    cli_common c;
    char path[256];
    json_t *j = NULL;
    cli_buf b = {0};
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, flows_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind != argc || !o.by)
        return cli_cmd_usage(stderr, self);
    if (!plain(o.by) || !plain(o.currency)) {
        fprintf(stderr, "willing flows summary: --by member|category|month, --currency a code\n");
        return 2;
    }
    snprintf(path, sizeof path, "/api/v1/flows/summary?by=%s%s%s%s", o.by,
             o.currency ? "&currency=" : "", o.currency ? o.currency : "",
             o.csv ? "&format=csv" : "");
    if ((ret = fetch("flows summary", &c, path, &j, &b)) != 0)
        return ret;
    if (o.csv || c.json) {
        fwrite(b.buf ? b.buf : "", 1, b.len, stdout);
        if (c.json)
            printf("\n");
    } else {
        print_summary(j);
    }
    json_decref(j);
    cli_buf_free(&b);
    return 0;
}

static void print_node(const json_t *n, int depth)
{
    size_t i;
    json_t *k;
    printf("%*s%s (%s %s): %s %s, drawn %s, left %s, %lld flow(s)%s%s\n", depth * 2, "",
           s_or(n, "instrument", "?"), s_or(n, "level", ""), s_or(n, "type", ""),
           s_or(n, "amount", "?"), s_or(n, "currency", ""), s_or(n, "drawn", "0"),
           s_or(n, "left", "?"), (long long)json_integer_value(json_object_get(n, "flows")),
           cli_str(n, "possible_more", NULL) ? ", possibly more: " : "",
           s_or(n, "possible_more", ""));
    json_array_foreach(json_object_get(n, "children"), i, k)
    {
        print_node(k, depth + 1);
    }
}

static int run_tree(const cli_cmd *self, int argc, char **argv)
{
    cli_common c;
    char path[160];
    json_t *j = NULL, *n;
    size_t i;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, NULL, NULL, NULL, &c);
    if (ret != CLI_GO)
        return ret;
    if (!c.server || optind + 1 < argc)
        return cli_cmd_usage(stderr, self);
    if (optind < argc && !plain(argv[optind])) {
        fprintf(stderr, "willing flows tree: an instrument id is a-z 0-9 . _ -\n");
        return 2;
    }
    snprintf(path, sizeof path, "/api/v1/flows/instruments%s%s", optind < argc ? "/" : "",
             optind < argc ? argv[optind] : "");
    if ((ret = fetch("flows tree", &c, path, &j, NULL)) != 0)
        return ret;
    if (c.json)
        cli_print_json(j);
    else if ((n = json_object_get(j, "instrument")) != NULL)
        print_node(n, 0);
    else
        json_array_foreach(json_object_get(j, "instruments"), i, n)
        {
            print_node(n, 0);
        }
    json_decref(j);
    return 0;
}

/* Every `willing flows` subcommand; another file's adds its row here (its run in cli.h). */
static const cli_cmd flows_subs[] = {
    {"flows", "list",
     "--server URL [--key FILE] [--member M] [--pledge ID] [--instrument ID]\n"
     "                              [--stage S] [--csv | --json]",
     "Lists the flows you may see, oldest first, every page: without --key the public's\n"
     "(public and announced flows), with a member's key its own too (sealed or not) and\n"
     "sealed ones naming it; with the coordinator's, an operator's or the host nation's\n"
     "key every flow. Each with its latest confirmation or dispute.\n",
     run_list},
    {"flows", "show", "--server URL [--key FILE] [--json] FLOW-ID",
     "Shows one flow with its whole correction chain and every answer of the host nation.\n",
     run_show},
    {"flows", "summary",
     "--server URL [--key FILE] --by member|category|month [--currency C]\n"
     "                              [--csv | --json]",
     "Pledged, committed, allocated, delivered, disbursed, confirmed and disputed side by\n"
     "side, per unit or currency; the days from pledge to first delivery (median, 90th\n"
     "percentile). With --currency, money converted with the coordinator's rates, naming\n"
     "each rate used and each flow no rate converts.\n",
     run_summary},
    {"flows", "tree", "--server URL [--key FILE] [--json] [INSTRUMENT-ID]",
     "The instrument tree (facilities, their contracts) with what is drawn and left.\n", run_tree},
    /* flows_iati.c */
    {"flows", "import-iati",
     "[--server URL --key FILE] (--pledge ID | --requirement ID | --category C)\n"
     "                              [--schema FILE] [--skip-bad] [--dry-run] [--json] FILE",
     "Imports an IATI 2.03 iati-activities file as your flows: checked against the schema,\n"
     "every bad transaction listed as FILE:LINE and nothing sent, unless --skip-bad (the\n"
     "good ones sent, exit status 2). --dry-run checks and prints the sums only.\n",
     cli_flows_import_iati},
    {"flows", "export-iati", "--server URL [--key FILE] --member M [--output FILE]",
     "Writes a member's flows as an IATI 2.03 iati-activities document.\n", cli_flows_export_iati},
    /* flows_csv.c */
    {"flows", "import-csv",
     "--server URL --key FILE --map field=Column,... [--skip-bad] [--json] FILE",
     "Imports your flows from a CSV with a header row. --map names the column of each\n"
     "flow field (flow, pledge, requirement, instrument, activity, stage, date, amount,\n"
     "currency, quantity, unit, category, source, text), or in single quotes a value for\n"
     "every row: --map \"date=Date,amount=EUR,currency='EUR',stage='disbursement',activity=Id\"\n"
     "An empty cell leaves its field out. Without a flow column each row's id comes from\n"
     "the file's SHA-256 and its line: the same file imported twice is refused, never\n"
     "counted twice. Every row is checked with the flows rules first and each bad one\n"
     "printed as FILE:LINE: why; then nothing is sent (exit 1), or with --skip-bad the\n"
     "good rows are sent (exit 2). The rows go in flow.batch entries in one request (at\n"
     "most 32 MiB, about 120,000 rows): all stored or none. A file that is not UTF-8 is\n"
     "refused, naming its first bad line.\n",
     cli_flows_import_csv},
};

int cli_flows(int argc, char **argv)
{
    return cli_group(argc, argv, "flows", flows_subs, sizeof flows_subs / sizeof flows_subs[0],
                     "Figures are exact decimals. Reported, confirmed and disputed are shown side\n"
                     "by side: confirmed is what the host nation said it received.\n");
}
