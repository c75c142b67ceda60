/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing flows import-iati` and `willing flows export-iati` (rows of flows.c's table):
 * an IATI 2.03 file checked here, every bad transaction named FILE:LINE, then sent as
 * the member's flow.batch entries in one all-or-nothing POST /api/v1/entries:batch; and
 * a member's flows fetched as an iati-activities document (GET /api/v1/flows/iati).
 * The conversion is lib/flows/iati_*.c's; docs/internals/flows.md, section "IATI".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/flows.h"
#include "willing/iati.h"
#include "willing/reference.h" /* the importers' shared rows and packing */

#ifndef WL_IATI_SCHEMA
#define WL_IATI_SCHEMA "iati-activities-schema.xsd"
#endif
/* where `cmake --install` puts the schema: PREFIX/share/..., the binary being PREFIX/bin/willing */
#define INSTALLED_SCHEMA "/share/willing/iati/iati-activities-schema.xsd"

/*
 * The schema to check against: --schema, else $WILLING_IATI_SCHEMA, else the one installed
 * beside this binary (PREFIX/share/willing/iati), else the source tree's (a build tree's binary).
 */
static const char *schema_path(const char *given, char *buf, size_t cap)
{
    const char *env = getenv("WILLING_IATI_SCHEMA");
    ssize_t n;
    char *slash;
    if (given || env)
        return given ? given : env;
    n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0 || (size_t)n + sizeof INSTALLED_SCHEMA >= cap)
        return WL_IATI_SCHEMA;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) != NULL) { /* PREFIX/bin/willing: up to PREFIX */
        *slash = '\0';
        slash = strrchr(buf, '/');
    }
    if (slash != NULL) {
        memcpy(slash, INSTALLED_SCHEMA, sizeof INSTALLED_SCHEMA);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    return WL_IATI_SCHEMA;
}

/* body bytes of one flow.batch entry: the entry's other lines and signature fit in the rest */
#define BATCH_BODY_MAX (WL_ENTRY_MAX - 2048u)

typedef struct {
    const char *pledge, *requirement, *category, *schema, *member, *out;
    bool skip_bad, dry_run;
} iati_opts;

static int iati_opt(void *ctx, int ch, const char *arg)
{
    iati_opts *o = ctx;
    switch (ch) {
    case 'p':
        o->pledge = arg;
        break;
    case 'r':
        o->requirement = arg;
        break;
    case 'c':
        o->category = arg;
        break;
    case 'S':
        o->schema = arg;
        break;
    case 'm':
        o->member = arg;
        break;
    case 'o':
        o->out = arg;
        break;
    case 'b':
        o->skip_bad = true;
        break;
    case 'n':
        o->dry_run = true;
        break;
    default:
        return 2;
    }
    return CLI_GO;
}

/* --dry-run: the sums per currency and transaction type, and per currency, one a line */
static void print_sums(const json_t *flows)
{
    struct {
        char key[16];
        wl_i128 sum;
        size_t n;
    } sums[64];
    size_t nsums = 0, i;
    json_t *f;
    json_array_foreach(flows, i, f)
    {
        const char *cur = cli_str(f, "currency", "");
        int64_t v = 0;
        char key[2][16];
        snprintf(key[0], sizeof key[0], "%s\t%s", cur,
                 cli_str(json_object_get(f, "iati"), "type", ""));
        snprintf(key[1], sizeof key[1], "%s\tall", cur);
        if (wl_iati_decimal_parse(cli_str(f, "amount", ""), &v) != WL_OK)
            continue;
        for (int k = 0; k < 2; k++) {
            size_t j = 0;
            while (j < nsums && strcmp(sums[j].key, key[k]) != 0)
                j++;
            if (j == nsums) {
                if (nsums == sizeof sums / sizeof *sums)
                    continue; /* more currencies than a file holds: not summed */
                memcpy(sums[nsums].key, key[k], sizeof key[k]);
                sums[nsums].sum = 0;
                sums[nsums++].n = 0;
            }
            sums[j].sum += v;
            sums[j].n++;
        }
    }
    for (i = 0; i < nsums; i++) {
        char text[64];
        wl_decimal_format(sums[i].sum, WL_FLOW_SCALE_DIGITS, text, sizeof text);
        printf("%s\t%s\t%zu\n", sums[i].key, text, sums[i].n);
    }
}

/* The good rows in flow.batch bodies of the member, all posted at once (batch.c). Exit code. */
static int send(const cli_common *c, const char *path, const wl_iati_import *imp)
{
    json_t *head = json_pack("{s:s, s:s}", "import", imp->sha256, "format", "iati-2.03");
    json_t *bodies = NULL;
    char what[64];
    wl_error err = {0};
    int ret;
    if (head == NULL ||
        wl_import_pack(head, "flows", imp->flows, WL_FLOW_BATCH_ROWS, &bodies, &err) != WL_OK) {
        fprintf(stderr, "willing flows import-iati: %s\n", head ? err.msg : "out of memory");
        json_decref(head);
        return 1;
    }
    json_decref(head);
    snprintf(what, sizeof what, "%zu flows", json_array_size(imp->flows));
    ret = cli_import_send("flows import-iati", c, "flow.batch", bodies, what, path, imp->sha256);
    json_decref(bodies);
    return ret;
}

int cli_flows_import_iati(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"pledge", required_argument, NULL, 'p'},
        {"requirement", required_argument, NULL, 'r'},
        {"category", required_argument, NULL, 'c'},
        {"schema", required_argument, NULL, 'S'},
        {"skip-bad", no_argument, NULL, 'b'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    iati_opts o = {0};
    cli_common c;
    wl_iati_schema *xsd = NULL;
    wl_iati_import imp = {0};
    wl_import_bad *bad = NULL;
    wl_error err = {0};
    char *xml = NULL;
    size_t len = 0;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, iati_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    ret = 2;
    if (optind != argc - 1 || (o.pledge && o.requirement) ||
        !(o.pledge || o.requirement || o.category) || (!o.dry_run && (!c.server || !c.key))) {
        cli_cmd_usage(stderr, self);
        goto out;
    }
    const char *file = argv[optind];
    ret = 1;
    if ((xml = cli_read_file(file, WL_IATI_MAX_BYTES, &len)) == NULL) {
        fprintf(stderr, "willing flows import-iati: cannot read %s, or it is larger than %u MiB\n",
                file, WL_IATI_MAX_BYTES >> 20);
        goto out;
    }
    char where[4096];
    if (wl_iati_schema_load(schema_path(o.schema, where, sizeof where), &xsd, &err) != WL_OK) {
        fprintf(stderr, "willing flows import-iati: %s (--schema FILE)\n", err.msg);
        goto out;
    }
    wl_iati_options io = {
        .pledge = o.pledge, .requirement = o.requirement, .category = o.category, .schema = xsd};
    if (wl_iati_import_read(xml, len, &io, &imp, &err) != WL_OK) {
        for (size_t i = 0; i < imp.nbad; i++)
            fprintf(stderr, "%s:%ld:%d: %s\n", file, imp.bad[i].line, imp.bad[i].col,
                    imp.bad[i].why);
        fprintf(stderr, "willing flows import-iati: %s: %s; nothing sent\n", file, err.msg);
        goto out;
    }
    if (o.dry_run) {
        for (size_t i = 0; i < imp.nbad; i++)
            fprintf(stderr, "%s:%ld: %s\n", file, imp.bad[i].line, imp.bad[i].why);
        print_sums(imp.flows);
        ret = imp.bad_total ? 2 : 0;
        goto out;
    }
    /* the shared verdict and sending of every importer (batch.c) */
    if ((bad = calloc(imp.nbad ? imp.nbad : 1, sizeof *bad)) == NULL)
        goto out;
    for (size_t i = 0; i < imp.nbad; i++) {
        bad[i].line = (size_t)imp.bad[i].line;
        snprintf(bad[i].why, sizeof bad[i].why, "%s", imp.bad[i].why);
    }
    if (imp.bad_total > imp.nbad)
        fprintf(stderr, "%s: %zu more bad transactions not listed\n", file,
                imp.bad_total - imp.nbad);
    ret = cli_import_verdict("flows import-iati", file, bad, imp.nbad, json_array_size(imp.flows),
                             o.skip_bad);
    if (ret < 0)
        ret = cli_import_sent("flows import-iati", send(&c, file, &imp), imp.bad_total);
out:
    free(bad);
    wl_iati_import_free(&imp);
    wl_iati_schema_free(xsd);
    free(xml);
    return ret;
}

int cli_flows_export_iati(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"member", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    iati_opts o = {0};
    cli_common c;
    wl_keyfile kf;
    cli_buf resp = {0};
    char path[512], url[2048], err[512];
    bool have_key = false;
    long st;
    static char output[] = "--output";
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-o") == 0) /* -o FILE, as --output FILE */
            argv[i] = output;
    int ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY, opts, iati_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    ret = 2;
    if (optind != argc || !c.server || !o.member ||
        strspn(o.member, "abcdefghijklmnopqrstuvwxyz"
                         "0123456789._-") != strlen(o.member)) {
        cli_cmd_usage(stderr, self);
        goto out;
    }
    ret = 1;
    if (c.key) {
        if (cli_member_key("flows export-iati", c.key, &kf) != 0)
            goto out;
        have_key = true;
    }
    snprintf(path, sizeof path, "/api/v1/flows/iati?member=%s", o.member);
    cli_url(c.server, path, url, sizeof url);
    st = have_key ? cli_signed_http("GET", url, NULL, 0, &kf, &resp, err, sizeof err)
                  : cli_http("GET", url, NULL, NULL, 0, &resp, err, sizeof err);
    if (st != 200) {
        ret = cli_refused("flows export-iati", st, &resp, err);
        goto out;
    }
    FILE *f = o.out ? fopen(o.out, "wb") : stdout;
    if (f == NULL || fwrite(resp.buf, 1, resp.len, f) != resp.len ||
        (o.out ? fclose(f) : fflush(f)) != 0) {
        fprintf(stderr, "willing flows export-iati: cannot write %s\n", o.out ? o.out : "stdout");
        goto out;
    }
    ret = 0;
out:
    if (have_key)
        wl_key_wipe(&kf.key);
    cli_buf_free(&resp);
    return ret;
}
