/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Screening from the command line (issue 12, point 5), subcommands of
 * `willing pressure`:
 *   willing pressure screen NAME [--dob D] [--country C] [--id [TYPE:]VALUE]...
 *   willing pressure screen --id [TYPE:]VALUE...        (identifiers alone)
 *   willing pressure screen --csv FILE [--format csv|json]
 *   willing pressure counterparties FACILITY
 * each against a server's GET or POST /api/v1/pressure/screen[/counterparties]
 * (docs/internals/pressure.md, "Screening"). Candidates are printed with their
 * score and why, never a verdict.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/limits.h"
#include "willing/pressure.h"

typedef struct {
    cli_buf query; /* "name=...&id=..." percent-encoded */
    const char *csv, *format, *limit, *dob;
    size_t ids;
    int bad;
} screen_opts;

/* Appends &key=value (percent-encoded) to q. */
static void add_arg(screen_opts *o, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    char buf[4];
    if ((o->query.len && wl_buf_append(&o->query, "&", 1, 1u << 20) != WL_OK) ||
        wl_buf_append(&o->query, key, strlen(key), 1u << 20) != WL_OK ||
        wl_buf_append(&o->query, "=", 1, 1u << 20) != WL_OK)
        o->bad = 1;
    for (const unsigned char *p = (const unsigned char *)value; *p && !o->bad; p++) {
        size_t n = 1;
        buf[0] = (char)*p;
        if (!isalnum(*p) && !strchr("-._~", *p))
            buf[0] = '%', buf[1] = hex[*p >> 4], buf[2] = hex[*p & 15], n = 3;
        if (wl_buf_append(&o->query, buf, n, 1u << 20) != WL_OK)
            o->bad = 1;
    }
}

static int screen_opt(void *ctx, int ch, const char *arg)
{
    screen_opts *o = ctx;
    if (ch == 'd') {
        add_arg(o, "dob", arg);
        o->dob = arg;
    } else if (ch == 'c')
        add_arg(o, "country", arg);
    else if (ch == 'i') {
        add_arg(o, "id", arg);
        o->ids++;
    } else if (ch == 'f')
        o->csv = arg;
    else if (ch == 'F')
        o->format = arg;
    else if (ch == 'l')
        o->limit = arg;
    return CLI_GO;
}

/* One candidate on a line: score, list:subject, type, the name that agreed; then why. */
static void print_candidates(const json_t *cands, const char *indent)
{
    size_t i;
    const json_t *x;
    if (json_array_size(cands) == 0)
        printf("%sno candidate\n", indent);
    json_array_foreach(cands, i, x)
    {
        printf("%s%.2f  %s:%s  %s  %s\n%s      %s\n", indent,
               json_real_value(json_object_get(x, "score")), cli_str(x, "source", ""),
               cli_str(x, "subject", ""), cli_str(x, "type", ""), cli_str(x, "name", "-"), indent,
               cli_str(x, "why", ""));
    }
}

/* The refused rows of a CSV answer on stderr, one line each; how many. */
static size_t print_refused(const char *path, const json_t *answer)
{
    size_t i, n = 0;
    const json_t *r;
    json_array_foreach(json_object_get(answer, "results"), i, r)
    {
        if (json_object_get(r, "error")) {
            fprintf(stderr, "%s:%lld: %s: %s\n", path,
                    (long long)json_integer_value(json_object_get(r, "line")),
                    cli_str(r, "error", ""), cli_str(r, "message", ""));
            n++;
        }
    }
    return n;
}

/* POSTs the CSV data for an answer in fmt ("json", "csv") into out: 0, or 1 after saying why. */
static int post_csv(const cli_common *c, const screen_opts *o, const char *fmt, const char *data,
                    size_t len, cli_buf *out)
{
    char url[4096], err[512], path[128];
    long st;
    snprintf(path, sizeof path, "/api/v1/pressure/screen?format=%s%s%s", fmt,
             o->limit ? "&limit=" : "", o->limit ? o->limit : "");
    cli_url(c->server, path, url, sizeof url);
    cli_buf_free(out);
    st = cli_http("POST", url, "text/csv", data, len, out, err, sizeof err);
    return st == 200 ? 0 : cli_refused("pressure screen", st, out, err);
}

static int screen_csv(const cli_common *c, screen_opts *o)
{
    size_t len = 0;
    char *data = cli_read_file(o->csv, WL_SCREEN_CSV_MAX, &len);
    bool as_csv = o->format && strcmp(o->format, "csv") == 0;
    cli_buf out = {0};
    json_t *answer = NULL;
    int ret = 1;
    if (data == NULL) {
        fprintf(stderr,
                "willing pressure screen: cannot read --csv %s (or it is over %u MiB, the "
                "server's ceiling)\n",
                o->csv, WL_SCREEN_CSV_MAX >> 20);
        return 1;
    }
    /* the JSON answer is read for its refused rows even when CSV is printed */
    if (post_csv(c, o, "json", data, len, &out) != 0)
        goto out;
    if ((answer = json_loadb(out.buf, out.len, 0, NULL)) == NULL) {
        fprintf(stderr, "willing pressure screen: the server's answer is not JSON\n");
        goto out;
    }
    if (as_csv) {
        if (post_csv(c, o, "csv", data, len, &out) != 0)
            goto out;
        fwrite(out.buf, 1, out.len, stdout);
    } else if (c->json) {
        cli_print_json(answer);
    } else {
        size_t i;
        const json_t *r;
        printf("data_version %lld\n",
               (long long)json_integer_value(json_object_get(answer, "data_version")));
        json_array_foreach(json_object_get(answer, "results"), i, r)
        {
            if (json_object_get(r, "error"))
                continue;
            printf("line %lld  %s%s%s\n", (long long)json_integer_value(json_object_get(r, "line")),
                   cli_str(r, "name", ""), json_object_get(r, "ref") ? "  ref " : "",
                   cli_str(r, "ref", ""));
            print_candidates(json_object_get(r, "candidates"), "  ");
        }
    }
    ret = print_refused(o->csv, answer) ? 3 : 0;
out:
    json_decref(answer);
    cli_buf_free(&out);
    free(data);
    return ret;
}

/* What is wrong with the arguments, one line on stderr and 2; or 0. */
static int screen_args(const cli_common *c, const screen_opts *o, int nargs)
{
    char why[200] = "";
    wl_name_date d;
    if (!c->server)
        snprintf(why, sizeof why, "--server URL is needed: the server whose lists are screened");
    else if (o->csv && (nargs || o->query.len))
        snprintf(why, sizeof why,
                 "--csv FILE screens the file's names: no NAME, --dob, "
                 "--country or --id with it");
    else if (!o->csv && nargs > 1)
        snprintf(why, sizeof why,
                 "one NAME at a time (quote a name of several words: \"Ivan "
                 "Petrov\"); for many, --csv FILE");
    else if (!o->csv && nargs == 0 && o->ids == 0)
        snprintf(why, sizeof why, "a NAME, --id [TYPE:]VALUE or --csv FILE is needed");
    else if (o->format && (!o->csv || (strcmp(o->format, "csv") && strcmp(o->format, "json"))))
        snprintf(why, sizeof why, "--format is csv or json, with --csv FILE");
    else if (o->dob && wl_pressure_dob_parse(o->dob, &d) != WL_OK)
        snprintf(why, sizeof why,
                 "--dob '%.40s' is not a date of birth: YYYY, YYYY-MM or "
                 "YYYY-MM-DD",
                 o->dob);
    if (why[0] == '\0')
        return 0;
    fprintf(stderr, "willing pressure screen: %s\n", why);
    return 2;
}

static int run_screen(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"dob", required_argument, NULL, 'd'},
                                         {"country", required_argument, NULL, 'c'},
                                         {"id", required_argument, NULL, 'i'},
                                         {"csv", required_argument, NULL, 'f'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    screen_opts o = {0};
    cli_common c;
    json_t *answer = NULL;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, screen_opt, &o, &c);
    if (ret != CLI_GO)
        goto out;
    if ((ret = screen_args(&c, &o, argc - optind)) != 0)
        goto out;
    if (o.csv) {
        ret = screen_csv(&c, &o);
        goto out;
    }
    if (optind < argc)
        add_arg(&o, "name", argv[optind]);
    if (o.limit)
        add_arg(&o, "limit", o.limit);
    if (o.bad) {
        fprintf(stderr, "willing pressure screen: the query is too long\n");
        ret = 1;
        goto out;
    }
    {
        char *path = malloc(o.query.len + 32);
        if (path == NULL) {
            ret = 1;
            goto out;
        }
        snprintf(path, o.query.len + 32, "/api/v1/pressure/screen?%.*s", (int)o.query.len,
                 o.query.buf);
        ret = cli_get_json("pressure screen", c.server, path, NULL, &answer, NULL);
        free(path);
    }
    if (ret != 0)
        goto out;
    if (c.json) {
        cli_print_json(answer);
    } else {
        printf("data_version %lld\n",
               (long long)json_integer_value(json_object_get(answer, "data_version")));
        print_candidates(json_object_get(answer, "candidates"), "");
    }
out:
    json_decref(answer);
    wl_buf_free(&o.query);
    return ret;
}

static int run_counterparties(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"limit", required_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    screen_opts o = {0};
    cli_common c;
    json_t *answer = NULL;
    size_t i;
    const json_t *k;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_JSON, opts, screen_opt, &o, &c);
    if (ret != CLI_GO)
        goto out;
    if (!c.server || optind + 1 != argc) {
        ret = cli_cmd_usage(stderr, self);
        goto out;
    }
    add_arg(&o, "facility", argv[optind]);
    if (o.limit)
        add_arg(&o, "limit", o.limit);
    {
        char path[1024];
        snprintf(path, sizeof path, "/api/v1/pressure/screen/counterparties?%.*s", (int)o.query.len,
                 o.query.buf);
        if (o.bad || o.query.len > 900) {
            fprintf(stderr, "willing pressure counterparties: the facility's id is too long\n");
            ret = 1;
            goto out;
        }
        if ((ret = cli_get_json("pressure counterparties", c.server, path, NULL, &answer, NULL)) !=
            0)
            goto out;
    }
    if (c.json) {
        cli_print_json(answer);
        goto out;
    }
    printf("data_version %lld\n",
           (long long)json_integer_value(json_object_get(answer, "data_version")));
    json_array_foreach(json_object_get(answer, "contracts"), i, k)
    {
        const json_t *cp = json_object_get(k, "counterparty");
        printf("%s  %s  counterparty: %s\n", cli_str(k, "instrument", ""), cli_str(k, "name", ""),
               json_is_object(cp) ? cli_str(cp, "name", "") : "(none named)");
        if (json_is_object(cp))
            print_candidates(json_object_get(k, "candidates"), "  ");
    }
out:
    json_decref(answer);
    wl_buf_free(&o.query);
    return ret;
}

const cli_cmd cli_screen_cmds[2] = {
    {"pressure", "screen",
     "(NAME [--dob D] [--country C] [--id [TYPE:]VALUE]... | --id [TYPE:]VALUE...\n"
     "        | --csv FILE [--format csv|json]) [--limit N] --server URL [--json]",
     "Screens a name, identifiers, or both (--id repeated: VALUE or TYPE:VALUE, only\n"
     "the value compared) against every list the server holds, or every row of a CSV\n"
     "of names (a header row: name, and optionally dob, country, ref, id), and prints\n"
     "the candidates with their score and why: never a verdict. --format csv prints the\n"
     "server's CSV answer. A CSV row the server refused is printed on stderr as\n"
     "FILE:LINE: code: why, the other rows' candidates on stdout, and the exit code is 3.\n"
     "--dob is YYYY, YYYY-MM or YYYY-MM-DD; --limit 1-100 candidates a name (10).",
     run_screen},
    {"pressure", "counterparties", "FACILITY [--limit N] --server URL [--json]",
     "Screens the counterparty of every contract under the instrument FACILITY (however\n"
     "deep; the contract itself if FACILITY is one) against every list, and prints each\n"
     "contract with its candidates.",
     run_counterparties},
};
