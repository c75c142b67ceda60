/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing flows (docs/internals/flows.md, docs/internals/cli.md):
 *   willing flow add|confirm|dispute   a flow, the host's confirmation or
 *                                      dispute, public or --sealed
 *   willing instrument add             a facility or a contract
 *   willing rate add                   a dated exchange rate (coordinator)
 * Each builds its body from the options and posts it as an entry signed with
 * the member's key, or seals it (--sealed: `willing pledge announce SEALED_ID`
 * announces it later, as any sealed content). The server checks every rule and
 * answers a refusal naming the field; this file only builds bodies. Reading
 * flows is `willing flows` (src/cli/flows.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "willing/flows.h"

/* What the options of one command build: a body, and the few that are not fields. */
typedef struct {
    json_t *body, *readers;
    const char *supersedes, *source_file;
    bool sealed;
} flow_opts;

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v));
}

/* The SHA-256 of a file in hex, into out (65 bytes); 0, or -1 after printing why. */
static int file_sha256(const char *cmd, const char *path, char out[65])
{
    size_t len = 0;
    uint8_t h[32];
    char *data = cli_read_file(path, WL_IMPORT_FILE_MAX, &len);
    if (data == NULL) {
        fprintf(stderr, "willing %s: cannot read --source %s (or it is over %u MiB)\n", cmd, path,
                WL_IMPORT_FILE_MAX >> 20);
        return -1;
    }
    wl_sha256(data, len, h);
    wl_hex_encode(h, 32, out);
    free(data);
    return 0;
}

/* --counterparty NAME, --counterparty-country C, --counterparty-id [TYPE:]VALUE (repeated). */
static void counterparty_opt(json_t *body, int ch, const char *arg)
{
    json_t *cp = json_object_get(body, "counterparty"), *ids;
    const char *colon = strchr(arg, ':');
    if (cp == NULL)
        json_object_set_new(body, "counterparty", cp = json_object());
    if (ch == 'K')
        set_str(cp, "name", arg);
    else if (ch == 'Q')
        set_str(cp, "country", arg);
    else {
        if ((ids = json_object_get(cp, "ids")) == NULL)
            json_object_set_new(cp, "ids", ids = json_array());
        json_array_append_new(ids, json_pack("{s:s%, s:s}", "type", colon ? arg : "id",
                                             colon ? (size_t)(colon - arg) : strlen("id"), "value",
                                             colon ? colon + 1 : arg));
    }
}

static int flow_opt(void *ctx, int ch, const char *arg)
{
    flow_opts *f = ctx;
    static const char *const fields[] = {
        ['p'] = "pledge",        ['R'] = "requirement", ['a'] = "activity", ['i'] = "instrument",
        ['s'] = "stage",         ['d'] = "date",        ['q'] = "quantity", ['u'] = "unit",
        ['A'] = "amount",        ['c'] = "currency",    ['C'] = "category", ['t'] = "text",
        ['H'] = "source",        ['f'] = "flow",        ['r'] = "received", ['w'] = "reason",
        ['n'] = "name",          ['T'] = "type",        ['l'] = "level",    ['P'] = "provider",
        ['m'] = "possible_more", ['I'] = "instrument",  ['F'] = "from",     ['o'] = "to",
        ['x'] = "rate",          ['N'] = "parent"};
    if (ch == 'S')
        f->supersedes = arg;
    else if (ch == 'y')
        f->source_file = arg;
    else if (ch == 'z')
        f->sealed = true;
    else if (ch == 'e')
        json_array_append_new(f->readers, json_string(arg));
    else if (ch == 'K' || ch == 'Q' || ch == 'J')
        counterparty_opt(f->body, ch, arg);
    else if (ch >= 0 && (size_t)ch < sizeof fields / sizeof fields[0] && fields[ch])
        set_str(f->body, fields[ch], arg);
    return CLI_GO;
}

/*
 * The flow id an entry index names: a flow entry, or the announce of a sealed
 * flow. 0, or -1 after printing why.
 */
static int flow_at(const char *server, const char *index, char out[33])
{
    char path[64];
    json_t *o = NULL;
    char *raw = NULL, *content = NULL;
    size_t len = 0, clen = 0;
    wl_entry e, c;
    int ret = -1;
    memset(&e, 0, sizeof e);
    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "/api/v1/entries/%s", index);
    if (cli_get_json("flow add", server, path, NULL, &o, NULL) != 0)
        return -1;
    raw = cli_b64_decode(cli_str(o, "entry", ""), &len);
    if (raw && wl_entry_parse(raw, len, &e, NULL, 0) == WL_OK) {
        const wl_entry *f = &e;
        if (strcmp(e.kind, "announce") == 0 &&
            (content = cli_b64_decode(cli_str(e.body_json, "content", ""), &clen)) != NULL &&
            wl_sealed_parse(content, clen, &c, NULL, 0) == WL_OK)
            f = &c;
        if (strcmp(f->kind, "flow") == 0 && cli_hex_id(cli_str(f->body_json, "flow", ""), 32)) {
            snprintf(out, 33, "%s", cli_str(f->body_json, "flow", ""));
            ret = 0;
        }
    }
    if (ret != 0)
        fprintf(stderr,
                "willing flow add: entry %s is not a flow (a flow.batch row: give the flow's "
                "id)\n",
                index);
    wl_entry_clear(&e);
    wl_entry_clear(&c);
    free(content);
    free(raw);
    json_decref(o);
    return ret;
}

/*
 * Signs and sends body as kind: sealed, or as an entry. Its id ("flow ID", "instrument ID")
 * is printed only once the server has taken it (a script takes that id): sealed, as the line
 * after "sealed SEALED_ID"; as an entry, after its index and leaf hash.
 */
static int send(const cli_common *c, const char *kind, flow_opts *f, const char *id_field)
{
    wl_keyfile kf;
    char label[160] = "", hex[65];
    int ret = 1;
    if (f->source_file) {
        if (file_sha256(kind, f->source_file, hex) != 0)
            return 1;
        set_str(f->body, "source", hex);
    }
    if (json_array_size(f->readers))
        json_object_set(f->body, "readers", f->readers);
    if (cli_member_key(kind, c->key, &kf) != 0)
        return 1;
    if (f->sealed) {
        snprintf(label, sizeof label,
                 "%s %s (announce it with `willing pledge announce SEALED_ID`)\n", kind,
                 id_field ? cli_str(f->body, id_field, "") : "");
        ret = cli_seal(c->server, &kf, kind, f->body, label);
    } else {
        ret = cli_post_json(c->server, &kf, kind, f->body);
        if (ret == 0 && id_field && !cli_json)
            printf("%s %s\n", id_field, cli_str(f->body, id_field, ""));
    }
    wl_key_wipe(&kf.key);
    return ret;
}

static int run(const cli_cmd *self, int argc, char **argv, const struct option *opts,
               const char *kind, const char *id_field)
{
    flow_opts f = {json_object(), json_array(), NULL, NULL, false};
    cli_common c;
    char id[33];
    int ret;
    if (strcmp(kind, "flow") == 0) {
        cli_random_hex(id, 16);
        set_str(f.body, "flow", id);
    }
    ret = cli_parse(self, argc, argv, CLI_SERVER | CLI_KEY | CLI_JSON, opts, flow_opt, &f, &c);
    if (ret != CLI_GO)
        goto out;
    ret = 2;
    if (optind != argc || !c.server || !c.key) {
        cli_cmd_usage(stderr, self);
        goto out;
    }
    if (f.supersedes) {
        char sid[33];
        if (cli_hex_id(f.supersedes, 32))
            snprintf(sid, sizeof sid, "%s", f.supersedes);
        else if (strspn(f.supersedes, "0123456789") != strlen(f.supersedes) ||
                 flow_at(c.server, f.supersedes, sid) != 0) {
            fprintf(stderr, "willing flow add: --supersedes takes an entry index or a flow id\n");
            ret = 1;
            goto out;
        }
        set_str(f.body, "supersedes", sid);
    }
    ret = send(&c, kind, &f, id_field);
out:
    json_decref(f.body);
    json_decref(f.readers);
    return ret;
}

#define SEALED_OPT                                                                                 \
    {                                                                                              \
        "sealed", no_argument, NULL, 'z'                                                           \
    }
#define END_OPT                                                                                    \
    {                                                                                              \
        NULL, 0, NULL, 0                                                                           \
    }

static int flow_add(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"pledge", required_argument, NULL, 'p'},
                                         {"requirement", required_argument, NULL, 'R'},
                                         {"activity", required_argument, NULL, 'a'},
                                         {"instrument", required_argument, NULL, 'i'},
                                         {"stage", required_argument, NULL, 's'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"quantity", required_argument, NULL, 'q'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {"amount", required_argument, NULL, 'A'},
                                         {"currency", required_argument, NULL, 'c'},
                                         {"category", required_argument, NULL, 'C'},
                                         {"text", required_argument, NULL, 't'},
                                         {"source", required_argument, NULL, 'y'},
                                         {"source-sha256", required_argument, NULL, 'H'},
                                         {"supersedes", required_argument, NULL, 'S'},
                                         {"reader", required_argument, NULL, 'e'},
                                         SEALED_OPT,
                                         END_OPT};
    return run(self, argc, argv, opts, "flow", "flow");
}

static int flow_confirm(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"flow", required_argument, NULL, 'f'},
                                         {"received", required_argument, NULL, 'r'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"text", required_argument, NULL, 't'},
                                         SEALED_OPT,
                                         END_OPT};
    return run(self, argc, argv, opts, "flow.confirm", NULL);
}

static int flow_dispute(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"flow", required_argument, NULL, 'f'},
                                         {"reason", required_argument, NULL, 'w'},
                                         SEALED_OPT,
                                         END_OPT};
    return run(self, argc, argv, opts, "flow.dispute", NULL);
}

static int instrument_add(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {{"id", required_argument, NULL, 'I'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"type", required_argument, NULL, 'T'},
                                         {"level", required_argument, NULL, 'l'},
                                         {"provider", required_argument, NULL, 'P'},
                                         {"amount", required_argument, NULL, 'A'},
                                         {"currency", required_argument, NULL, 'c'},
                                         {"parent", required_argument, NULL, 'N'},
                                         {"possible-more", required_argument, NULL, 'm'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"source", required_argument, NULL, 'y'},
                                         {"source-sha256", required_argument, NULL, 'H'},
                                         {"text", required_argument, NULL, 't'},
                                         {"counterparty", required_argument, NULL, 'K'},
                                         {"counterparty-country", required_argument, NULL, 'Q'},
                                         {"counterparty-id", required_argument, NULL, 'J'},
                                         END_OPT};
    return run(self, argc, argv, opts, "instrument", "instrument");
}

static int rate_add(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'o'},     {"rate", required_argument, NULL, 'x'},
        {"source", required_argument, NULL, 'H'}, END_OPT};
    return run(self, argc, argv, opts, "rate", NULL);
}

#define COMMON "--server URL --key FILE [--json]"

int cli_flow(int argc, char **argv)
{
    static const cli_cmd subs[] = {
        {"flow", "add",
         "(--pledge ID | --requirement ID | --activity ID | --instrument ID)\n"
         "        --stage commitment|allocation|delivery|disbursement --date YYYY-MM-DD|YYYY-MM\n"
         "        (--quantity N --unit U | --amount X --currency C) [--category C]\n"
         "        [--instrument ID] [--source FILE | --source-sha256 HEX] [--text T]\n"
         "        [--supersedes INDEX|ID] [--sealed [--reader M]...] " COMMON,
         "Reports a flow against your pledge (or a requirement, an activity, an instrument)\n"
         "and prints its id, then its entry index. A delivery gives a quantity and unit, a\n"
         "disbursement an amount and an ISO 4217 currency (exact decimals: at most 14 digits\n"
         "before the point and 4 after; a negative amount is a reversal). --source takes the\n"
         "SHA-256 of the document the figure comes from. --supersedes corrects an earlier flow\n"
         "of yours, named by its entry index or id. --sealed seals it (needed while its pledge\n"
         "is sealed); `willing pledge announce SEALED_ID` announces it later.",
         flow_add},
        {"flow", "confirm", "--flow ID --received N --date D [--text T] [--sealed] " COMMON,
         "The host nation confirms a delivery or disbursement: what was received, in the flow's\n"
         "unit or currency (less than reported: in part). --sealed for a sealed flow.",
         flow_confirm},
        {"flow", "dispute", "--flow ID --reason TEXT [--sealed] " COMMON,
         "The host nation disputes a delivery or disbursement, saying why.", flow_dispute},
    };
    return cli_group(argc, argv, "flow", subs, sizeof subs / sizeof subs[0],
                     "Reading flows: willing flows list|show|summary|tree.");
}

int cli_instrument(int argc, char **argv)
{
    static const cli_cmd subs[] = {
        {"instrument", "add",
         "--id ID --name N --type grant|loan|guarantee|export_credit|in_kind|\n"
         "        procurement_on_behalf --level facility|contract --provider M --amount X\n"
         "        --currency C [--parent ID] [--possible-more X] [--date D]\n"
         "        [--source FILE | --source-sha256 HEX] [--text T]\n"
         "        [--counterparty NAME [--counterparty-country C]\n"
         "        [--counterparty-id [TYPE:]VALUE]...] " COMMON,
         "Sets a facility or a contract under one (its provider, a coordinator or the\n"
         "operator); the same --id again amends its name, amounts, date, source, text and\n"
         "counterparty. The contracts under a facility may not sum beyond it;\n"
         "--possible-more is shown, never counted. A contract may name its counterparty\n"
         "(the contractor paid), which `willing pressure counterparties` screens.",
         instrument_add},
    };
    return cli_group(argc, argv, "instrument", subs, sizeof subs / sizeof subs[0], NULL);
}

int cli_rate(int argc, char **argv)
{
    static const cli_cmd subs[] = {
        {"rate", "add", "--date YYYY-MM-DD --from C --to C --rate R --source TEXT " COMMON,
         "The coordinator records an exchange rate: 1 FROM = R TO on that day (at most 8\n"
         "decimals), with where it comes from. One per day and pair; never edited.",
         rate_add},
    };
    return cli_group(argc, argv, "rate", subs, sizeof subs / sizeof subs[0], NULL);
}
