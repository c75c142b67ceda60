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

#define CLEAR_INPUT_MAX (256u * 1024u * 1024u)

static int usage(FILE *f)
{
    fprintf(f,
            "usage: willing clear --input FILE [--json]\n"
            "\n"
            "Computes which pledges are binding: the greatest set whose conditions all hold\n"
            "given that set. FILE (- for stdin) holds {\"facts\": [...], \"pledges\": [{\"id\",\n"
            "\"member\", \"category\", \"unit\", \"quantity\", \"condition\"}, ...]}; a condition\n"
            "is text, e.g. \"all(requires(us), at_least(5, ground_forces))\", or its JSON form.\n"
            "Conditions may only ask for more: not, at_most, < and <= are refused.\n"
            "\n"
            "  --json   print {\"binding\": [ids], \"not_binding\": [{\"id\", \"reason\"}]}\n");
    return f == stdout ? 0 : 2;
}

int cli_clear(int argc, char **argv)
{
    static const struct option opts[] = {{"input", required_argument, NULL, 'i'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *input = NULL;
    bool json_out = false;
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
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (input == NULL || optind != argc)
        return usage(stderr);
    text = cli_read_file(input, CLEAR_INPUT_MAX, &len);
    if (text == NULL) {
        fprintf(stderr, "willing clear: cannot read %s (at most 256 MiB)\n", input);
        return 1;
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
