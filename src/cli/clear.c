/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing clear`: the coalition's clearing, re-run from its inputs, offline
 * (docs/internals/clearing.md). The input is the JSON the coordinator's
 * clearing entry commits to:
 *   {"facts": ["ceasefire-signed"],
 *    "pledges": [{"id": "p1", "member": "gb", "category": "ground_forces",
 *                 "unit": "troops", "quantity": "2000",
 *                 "condition": "all(requires(us), at_least(5, ground_forces))"}]}
 * where a condition is the text syntax or its JSON form. Prints which pledges
 * bind and, for the others, why not and what would make them bind. With
 * --record the coordinator clears the log's pledges and records a `clearing`
 * entry; with --check anyone given the inputs checks such an entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/coalition.h"
#include "willing/crypto.h"

/* A clearing of the inputs in root: what wl_clear takes and what it gave. */
typedef struct {
    wl_pledge_in *in;
    wl_cond **conds;
    const char **facts;
    size_t n, nf;
    wl_clearing r;
} clearing;

static void clearing_free(clearing *cl)
{
    wl_clearing_free(&cl->r);
    for (size_t i = 0; cl->conds && i < cl->n; i++)
        wl_cond_free(cl->conds[i]);
    free(cl->conds);
    free(cl->in);
    free(cl->facts);
    memset(cl, 0, sizeof *cl);
}

/* Reads the pledges and facts of root (which must outlive cl) and clears them; 0 or -1. */
static int clearing_run(json_t *root, clearing *cl)
{
    json_t *pl = json_object_get(root, "pledges"), *fa = json_object_get(root, "facts"), *v;
    char why[512];
    size_t i;

    memset(cl, 0, sizeof *cl);
    if (!json_is_array(pl) || (fa && !json_is_array(fa))) {
        fprintf(stderr, "willing clear: the input needs \"pledges\": [...] and may have "
                        "\"facts\": [...]\n");
        return -1;
    }
    cl->n = json_array_size(pl);
    cl->nf = fa ? json_array_size(fa) : 0;
    cl->in = calloc(cl->n ? cl->n : 1, sizeof *cl->in);
    cl->conds = calloc(cl->n ? cl->n : 1, sizeof *cl->conds);
    cl->facts = calloc(cl->nf ? cl->nf : 1, sizeof *cl->facts);
    if (cl->in == NULL || cl->conds == NULL || cl->facts == NULL)
        return -1;
    json_array_foreach(fa, i, v)
    {
        if ((cl->facts[i] = json_string_value(v)) == NULL) {
            fprintf(stderr, "willing clear: facts[%zu] is not a string\n", i);
            return -1;
        }
    }
    json_array_foreach(pl, i, v)
    {
        wl_pledge_in *in = &cl->in[i];
        const char *q = json_string_value(json_object_get(v, "quantity"));
        json_t *c = json_object_get(v, "condition");
        in->id = json_string_value(json_object_get(v, "id"));
        in->member = json_string_value(json_object_get(v, "member"));
        in->category = json_string_value(json_object_get(v, "category"));
        in->unit = json_string_value(json_object_get(v, "unit"));
        if (!in->id || !in->member || !in->category || !in->unit || !q ||
            wl_qty_parse(q, strlen(q), &in->qty) != WL_OK) {
            fprintf(stderr,
                    "willing clear: pledges[%zu] needs id, member, category, unit and a "
                    "quantity as a decimal string\n",
                    i);
            return -1;
        }
        if (c == NULL || json_is_null(c))
            continue;
        if ((json_is_string(c) ? wl_cond_parse(json_string_value(c), &cl->conds[i], why, sizeof why)
                               : wl_cond_from_json(c, &cl->conds[i], why, sizeof why)) != WL_OK) {
            fprintf(stderr, "willing clear: pledge %s: %s\n", in->id, why);
            return -1;
        }
        in->cond = cl->conds[i];
    }
    if (wl_clear(cl->in, cl->n, cl->facts, cl->nf, &cl->r) != WL_OK) {
        fprintf(stderr, "willing clear: the clearing failed (out of memory or totals too large)\n");
        return -1;
    }
    return 0;
}

/* {"binding": [ids], "not_binding": [{"id", "reason"}]} */
static json_t *clearing_result(const clearing *cl)
{
    json_t *b = json_array(), *nb = json_array();
    for (size_t i = 0; i < cl->n; i++) {
        if (cl->r.binding[i])
            json_array_append_new(b, json_string(cl->in[i].id));
        else
            json_array_append_new(
                nb, json_pack("{s:s, s:s}", "id", cl->in[i].id, "reason", cl->r.reason[i]));
    }
    return json_pack("{s:o, s:o}", "binding", b, "not_binding", nb);
}

/* SHA-256 of a document's canonical (sorted, compact) JSON, base64, into out (45 bytes). */
static int commitment(const json_t *doc, char out[45], char **text)
{
    char *t = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    uint8_t h[32];
    if (t == NULL)
        return -1;
    wl_sha256(t, strlen(t), h);
    wl_b64_encode(h, 32, out);
    if (text)
        *text = t;
    else
        free(t);
    return 0;
}

/* The entry at index is a clearing that commits to these inputs and result: exit code. */
static int check_entry(const char *server, const char *index, const char *hin, const char *hout)
{
    char path[128];
    json_t *e = NULL, *eb = NULL;
    char *note = NULL;
    size_t nl = 0;
    const char *p;
    int ok = 0;

    snprintf(path, sizeof path, "/api/v1/entries/%s", index);
    if (strlen(index) > 24 || cli_get_json("clear", server, path, NULL, &e, NULL) != 0) {
        fprintf(stderr, "willing clear: cannot read entry %s\n", index);
        return 1;
    }
    note = cli_b64_decode(json_string_value(json_object_get(e, "entry")), &nl);
    if (note == NULL || strcmp(cli_str(e, "kind", ""), "clearing") != 0) {
        fprintf(stderr, "willing clear: entry %s is not a clearing\n", index);
        goto out;
    }
    /* line 7 of the entry is its body */
    p = note;
    for (int k = 0; k < 6 && p; k++) {
        p = memchr(p, '\n', nl - (size_t)(p - note));
        if (p)
            p++;
    }
    eb = p ? json_loadb(p, strcspn(p, "\n"), 0, NULL) : NULL;
    ok = eb && strcmp(cli_str(eb, "inputs", ""), hin) == 0 &&
         strcmp(cli_str(eb, "result", ""), hout) == 0;
    printf(ok ? "OK: these inputs give the result recorded at entry %s\n"
              : "FAIL: these inputs do not match the clearing recorded at entry %s\n",
           index);
out:
    json_decref(eb);
    json_decref(e);
    free(note);
    return ok ? 0 : 1;
}

static void print_result(const clearing *cl, const json_t *result, bool json_out)
{
    size_t nbind = 0;
    if (json_out) {
        cli_print_json(result);
        return;
    }
    for (size_t i = 0; i < cl->n; i++)
        nbind += cl->r.binding[i];
    printf("%zu of %zu pledges binding\n", nbind, cl->n);
    for (size_t i = 0; i < cl->n; i++) {
        const wl_pledge_in *in = &cl->in[i];
        if (cl->r.binding[i])
            printf("binding      %s (%s, %s)%s%s\n", in->id, in->member, in->category,
                   cl->r.reason[i] ? ": " : "", cl->r.reason[i] ? cl->r.reason[i] : "");
        else
            printf("not binding  %s (%s, %s): %s\n", in->id, in->member, in->category,
                   cl->r.reason[i]);
    }
}

typedef struct {
    const char *input, *record, *check;
} clear_opts;

static int clear_opt(void *ctx, int ch, const char *arg)
{
    clear_opts *o = ctx;
    if (ch == 'i')
        o->input = arg;
    else if (ch == 'r')
        o->record = arg;
    else
        o->check = arg;
    return CLI_GO;
}

/* The inputs: the file given, or (--record) the log's own, fetched with the coordinator's key. */
static char *read_inputs(const cli_common *c, const clear_opts *o, const wl_keyfile *kf,
                         size_t *len)
{
    char url[2048], err[512];
    cli_buf b = {0};
    long st;
    char *text;
    if (o->record == NULL) {
        if ((text = cli_read_file(o->input, WL_CLI_CLEAR_INPUT_MAX, len)) == NULL)
            fprintf(stderr, "willing clear: cannot read %s (at most %u MiB)\n", o->input,
                    WL_CLI_CLEAR_INPUT_MAX >> 20);
        return text;
    }
    *len = 0;
    cli_url(c->server, "/api/v1/clearing/inputs", url, sizeof url);
    st = cli_signed_http("GET", url, NULL, 0, kf, &b, err, sizeof err);
    if (st != 200) {
        fprintf(stderr, "willing clear: cannot fetch the inputs: %s\n",
                st ? (b.buf ? b.buf : "refused") : err);
        cli_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.buf;
}

static int run_clear(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"input", required_argument, NULL, 'i'},
        {"record", required_argument, NULL, 'r'},
        {"check", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    clear_opts o = {NULL, NULL, NULL};
    cli_common c;
    char hin[45], hout[45], body[200], *text = NULL, *ci = NULL;
    json_t *root = NULL, *result = NULL;
    json_error_t jerr;
    wl_keyfile kf;
    clearing cl;
    size_t len = 0;
    int ret;

    memset(&cl, 0, sizeof cl);
    memset(&kf, 0, sizeof kf);
    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, clear_opt, &o, &c);
    if (ret != CLI_GO)
        return ret;
    if (optind != argc || (o.record && (!c.server || !c.key || o.input)) ||
        (!o.record && !o.input) || (o.check && !c.server))
        return cli_cmd_usage(stderr, self);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (o.record && cli_member_key("clear", c.key, &kf) != 0)
        return 1;
    ret = 1;
    if ((text = read_inputs(&c, &o, &kf, &len)) == NULL)
        goto out;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        fprintf(stderr, "willing clear: %s: line %d, column %d: %s\n",
                o.input ? o.input : "the log's inputs", jerr.line, jerr.column, jerr.text);
        goto out;
    }
    if (clearing_run(root, &cl) != 0)
        goto out;
    /* commitments: SHA-256 of the canonical (sorted, compact) inputs and result */
    result = clearing_result(&cl);
    if (commitment(root, hin, &ci) != 0 || commitment(result, hout, NULL) != 0)
        goto out;
    if (o.record) {
        FILE *f = fopen(o.record, "wx");
        if (f == NULL || fputs(ci, f) < 0 || fclose(f) != 0) {
            fprintf(stderr,
                    "willing clear: cannot write the inputs to %s (it must not "
                    "exist): without them no one can re-run this clearing\n",
                    o.record);
            goto out;
        }
        snprintf(body, sizeof body, "{\"inputs\":\"%s\",\"result\":\"%s\"}", hin, hout);
        printf("inputs kept in %s\ninputs %s\nresult %s\n", o.record, hin, hout);
        ret = cli_post_entry(c.server, &kf, kf.member, "clearing", body, cli_now_us(), false, NULL,
                             NULL);
    } else if (o.check) {
        ret = check_entry(c.server, o.check, hin, hout);
    } else {
        print_result(&cl, result, c.json);
        ret = 0;
    }
out:
    wl_key_wipe(&kf.key);
    clearing_free(&cl);
    json_decref(result);
    json_decref(root);
    free(ci);
    free(text);
    return ret;
}

static const cli_cmd clear_cmd = {
    NULL, "clear",
    "--input FILE [--json]\n"
    "       willing clear --server URL --key FILE --record INPUTS\n"
    "       willing clear --input INPUTS --check INDEX --server URL",
    "Computes which pledges are binding: the greatest set whose conditions all hold\n"
    "given that set. FILE (- for stdin) holds {\"facts\": [...], \"pledges\": [{\"id\",\n"
    "\"member\", \"category\", \"unit\", \"quantity\", \"condition\"}, ...]}; a condition\n"
    "is text, e.g. \"all(requires(us), at_least(5, ground_forces))\", or its JSON form.\n"
    "Conditions may only ask for more: not, at_most, < and <= are refused.\n"
    "\n"
    "  --json   print {\"binding\": [ids], \"not_binding\": [{\"id\", \"reason\"}]}\n"
    "\n"
    "  willing clear --server URL --key FILE --record INPUTS\n"
    "      the coordinator: clears every pledge in the log, keeps the inputs in\n"
    "      INPUTS and records a `clearing` entry committing to inputs and result\n"
    "      (SHA-256 of their canonical JSON)\n"
    "  willing clear --input INPUTS --check INDEX --server URL\n"
    "      anyone given the inputs: re-runs the clearing and checks it against the\n"
    "      entry at INDEX\n",
    run_clear};

int cli_clear(int argc, char **argv)
{
    return clear_cmd.run(&clear_cmd, argc, argv);
}
