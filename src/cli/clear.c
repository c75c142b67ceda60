/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing clear --input FILE`: re-runs a clearing from its inputs, offline.
 * The input is the JSON the coordinator's clearing entry commits to:
 *   {"facts": ["ceasefire-signed"],
 *    "pledges": [{"id": "p1", "member": "gb", "category": "ground_forces",
 *                 "unit": "troops", "quantity": "2000",
 *                 "condition": "all(requires(us), at_least(5, ground_forces))"}]}
 * where a condition is the text syntax or its JSON form. Prints which pledges
 * bind and, for the others, why not and what would make them bind.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/coalition.h"
#include "willing/crypto.h"

#define CLEAR_INPUT_MAX (256u * 1024u * 1024u)

static int usage(FILE *f)
{
    fprintf(f,
            "usage: willing clear --input FILE [--json]\n"
            "       willing clear --server URL --key FILE --record INPUTS\n"
            "       willing clear --input INPUTS --check INDEX --server URL\n"
            "\n"
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
            "      entry at INDEX\n");
    return f == stdout ? 0 : 2;
}

int cli_clear(int argc, char **argv)
{
    static const struct option opts[] = {
        {"input", required_argument, NULL, 'i'},  {"json", no_argument, NULL, 'j'},
        {"server", required_argument, NULL, 's'}, {"key", required_argument, NULL, 'k'},
        {"record", required_argument, NULL, 'r'}, {"check", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *input = NULL, *server = NULL, *keyp = NULL, *record = NULL, *check = NULL;
    bool json_out = false;
    char base[1024], url[1300], err[512], hin[45], hout[45];
    char *text = NULL, why[512];
    json_t *root = NULL, *pl, *fa, *v;
    json_error_t jerr;
    wl_pledge_in *in = NULL;
    wl_cond **conds = NULL;
    const char **facts = NULL;
    size_t n = 0, nf = 0, len = 0, i;
    wl_clearing r;
    int ch, ret = 1;

    memset(&r, 0, sizeof r);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'i':
            input = optarg;
            break;
        case 'j':
            json_out = true;
            break;
        case 's':
            server = optarg;
            break;
        case 'k':
            keyp = optarg;
            break;
        case 'r':
            record = optarg;
            break;
        case 'c':
            check = optarg;
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (optind != argc || (record && (!server || !keyp || input)) || (!record && !input) ||
        (check && !server))
        return usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (server)
        cli_base_url(server, base, sizeof base);
    if (record) {
        /* the coordinator's inputs, as the log holds them now */
        wl_keyfile kf;
        cli_buf b = {0};
        long st;
        if (cli_member_key("clear", keyp, &kf) != 0)
            return 1;
        snprintf(url, sizeof url, "%s/api/v1/clearing/inputs", base);
        st = cli_signed_http("GET", url, NULL, 0, &kf, &b, err, sizeof err);
        wl_key_wipe(&kf.key);
        if (st != 200) {
            fprintf(stderr, "willing clear: cannot fetch the inputs: %s\n",
                    st ? (b.buf ? b.buf : "refused") : err);
            cli_buf_free(&b);
            return 1;
        }
        text = b.buf;
        len = b.len;
    } else {
        text = cli_read_file(input, CLEAR_INPUT_MAX, &len);
        if (text == NULL) {
            fprintf(stderr, "willing clear: cannot read %s (at most 256 MiB)\n", input);
            return 1;
        }
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        fprintf(stderr, "willing clear: %s: line %d, column %d: %s\n", input, jerr.line,
                jerr.column, jerr.text);
        goto out;
    }
    pl = json_object_get(root, "pledges");
    fa = json_object_get(root, "facts");
    if (!json_is_array(pl) || (fa && !json_is_array(fa))) {
        fprintf(stderr, "willing clear: the input needs \"pledges\": [...] and may have "
                        "\"facts\": [...]\n");
        goto out;
    }
    n = json_array_size(pl);
    nf = fa ? json_array_size(fa) : 0;
    in = calloc(n ? n : 1, sizeof *in);
    conds = calloc(n ? n : 1, sizeof *conds);
    facts = calloc(nf ? nf : 1, sizeof *facts);
    if (in == NULL || conds == NULL || facts == NULL)
        goto out;
    json_array_foreach(fa, i, v)
    {
        if ((facts[i] = json_string_value(v)) == NULL) {
            fprintf(stderr, "willing clear: facts[%zu] is not a string\n", i);
            goto out;
        }
    }
    json_array_foreach(pl, i, v)
    {
        const char *q = json_string_value(json_object_get(v, "quantity"));
        json_t *c = json_object_get(v, "condition");
        in[i].id = json_string_value(json_object_get(v, "id"));
        in[i].member = json_string_value(json_object_get(v, "member"));
        in[i].category = json_string_value(json_object_get(v, "category"));
        in[i].unit = json_string_value(json_object_get(v, "unit"));
        if (!in[i].id || !in[i].member || !in[i].category || !in[i].unit || !q ||
            wl_qty_parse(q, strlen(q), &in[i].qty) != WL_OK) {
            fprintf(stderr,
                    "willing clear: pledges[%zu] needs id, member, category, unit and a "
                    "quantity as a decimal string\n",
                    i);
            goto out;
        }
        if (c == NULL || json_is_null(c))
            continue;
        if ((json_is_string(c) ? wl_cond_parse(json_string_value(c), &conds[i], why, sizeof why)
                               : wl_cond_from_json(c, &conds[i], why, sizeof why)) != WL_OK) {
            fprintf(stderr, "willing clear: pledge %s: %s\n", in[i].id, why);
            goto out;
        }
        in[i].cond = conds[i];
    }
    if (wl_clear(in, n, facts, nf, &r) != WL_OK) {
        fprintf(stderr, "willing clear: the clearing failed (out of memory or totals too large)\n");
        goto out;
    }
    /* commitments: SHA-256 of the canonical (sorted, compact) inputs and result */
    {
        json_t *b = json_array(), *nb = json_array(), *o;
        char *ci = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS), *co;
        uint8_t h[32];
        for (i = 0; i < n; i++) {
            if (r.binding[i])
                json_array_append_new(b, json_string(in[i].id));
            else
                json_array_append_new(
                    nb, json_pack("{s:s, s:s}", "id", in[i].id, "reason", r.reason[i]));
        }
        o = json_pack("{s:o, s:o}", "binding", b, "not_binding", nb);
        co = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(o);
        if (ci == NULL || co == NULL) {
            free(ci);
            free(co);
            goto out;
        }
        wl_sha256(ci, strlen(ci), h);
        wl_b64_encode(h, 32, hin);
        wl_sha256(co, strlen(co), h);
        wl_b64_encode(h, 32, hout);
        if (record) {
            FILE *f = fopen(record, "wx");
            if (f == NULL || fputs(ci, f) < 0 || fclose(f) != 0) {
                fprintf(stderr,
                        "willing clear: cannot write the inputs to %s (it must not "
                        "exist): without them no one can re-run this clearing\n",
                        record);
                free(ci);
                free(co);
                goto out;
            }
        }
        free(ci);
        free(co);
    }
    if (record) {
        wl_keyfile kf;
        char body[200];
        if (wl_keyfile_read(keyp, &kf) != WL_OK)
            goto out;
        snprintf(body, sizeof body, "{\"inputs\":\"%s\",\"result\":\"%s\"}", hin, hout);
        printf("inputs kept in %s\ninputs %s\nresult %s\n", record, hin, hout);
        ret = cli_post_entry(server, &kf, kf.member, "clearing", body, cli_now_us(), false, NULL,
                             NULL);
        wl_key_wipe(&kf.key);
        goto out;
    }
    if (check) {
        cli_buf b = {0};
        json_t *e, *eb;
        char *note = NULL;
        size_t nl = 0;
        const char *eb64;
        snprintf(url, sizeof url, "%s/api/v1/entries/%s", base, check);
        if (cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err) != 200) {
            fprintf(stderr, "willing clear: cannot read entry %s\n", check);
            cli_buf_free(&b);
            goto out;
        }
        e = json_loads(b.buf, 0, NULL);
        cli_buf_free(&b);
        eb64 = json_string_value(json_object_get(e, "entry"));
        note = eb64 ? malloc(strlen(eb64)) : NULL;
        if (note == NULL ||
            wl_b64_decode(eb64, strlen(eb64), (uint8_t *)note, strlen(eb64), &nl) != WL_OK ||
            strcmp(json_string_value(json_object_get(e, "kind")), "clearing") != 0) {
            fprintf(stderr, "willing clear: entry %s is not a clearing\n", check);
            free(note);
            json_decref(e);
            goto out;
        }
        {
            /* line 7 of the entry is its body */
            const char *p = note;
            for (int k = 0; k < 6 && p; k++) {
                p = memchr(p, '\n', nl - (size_t)(p - note));
                if (p)
                    p++;
            }
            eb = p ? json_loadb(p, strcspn(p, "\n"), 0, NULL) : NULL;
        }
        ret = eb && strcmp(json_string_value(json_object_get(eb, "inputs")), hin) == 0 &&
                      strcmp(json_string_value(json_object_get(eb, "result")), hout) == 0
                  ? 0
                  : 1;
        printf(ret == 0 ? "OK: these inputs give the result recorded at entry %s\n"
                        : "FAIL: these inputs do not match the clearing recorded at entry %s\n",
               check);
        json_decref(eb);
        json_decref(e);
        free(note);
        goto out;
    }
    if (json_out) {
        json_t *b = json_array(), *nb = json_array(), *o;
        char *s;
        for (i = 0; i < n; i++) {
            if (r.binding[i])
                json_array_append_new(b, json_string(in[i].id));
            else
                json_array_append_new(
                    nb, json_pack("{s:s, s:s}", "id", in[i].id, "reason", r.reason[i]));
        }
        o = json_pack("{s:o, s:o}", "binding", b, "not_binding", nb);
        s = json_dumps(o, JSON_INDENT(2));
        printf("%s\n", s);
        free(s);
        json_decref(o);
    } else {
        size_t nbind = 0;
        for (i = 0; i < n; i++)
            nbind += r.binding[i];
        printf("%zu of %zu pledges binding\n", nbind, n);
        for (i = 0; i < n; i++) {
            if (r.binding[i])
                printf("binding      %s (%s, %s)\n", in[i].id, in[i].member, in[i].category);
            else
                printf("not binding  %s (%s, %s): %s\n", in[i].id, in[i].member, in[i].category,
                       r.reason[i]);
        }
    }
    ret = 0;
out:
    wl_clearing_free(&r);
    for (i = 0; conds && i < n; i++)
        wl_cond_free(conds[i]);
    free(conds);
    free(in);
    free(facts);
    json_decref(root);
    free(text);
    return ret;
}
