/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `willing` command: dispatches to a command of the CLI (src/cli/, one
 * file per module) or of the daemon (src/daemon/). Both depend on the
 * library, not on each other. `willing --help` lists the commands by group:
 * the ledger, identity, the coalition, and the servers.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "daemon/serve.h"

static const struct {
    const char *group; /* starts a group: its heading in `willing --help` */
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} cmds[] = {
    {"the ledger", "init", cli_init, "create a ledger and its keys"},
    {NULL, "append", cli_append, "sign and append an entry"},
    {NULL, "seal", cli_seal_raw, "seal any content kind with a raw JSON body (for scripts)"},
    {NULL, "get", cli_get, "print an entry"},
    {NULL, "prove", cli_prove, "print a tlog-proof for an entry"},
    {NULL, "checkpoint", cli_checkpoint, "print the latest checkpoint"},
    {NULL, "verify", cli_verify, "audit a running log end to end"},
    {NULL, "fsck", cli_fsck, "check a ledger database in full"},
    {NULL, "mirror", cli_mirror,
     "write a static mirror of the log (tiles, bundles) into a directory"},
    {NULL, "migrate", cli_migrate,
     "copy a ledger between SQLite and PostgreSQL (--from SRC --to DST), checked"},
    {NULL, "fetch", cli_fetch, "send a request signed with a key (for scripts)"},
    {"identity", "keygen", cli_keygen, "write a new key file (PKCS#8 PEM)"},
    {NULL, "member", cli_member,
     "members: add (public or sealed), list, willing, announce, withdraw"},
    {NULL, "whoami", cli_whoami, "check a key against a log with a signed request"},
    {"the coalition", "pledge", cli_pledge,
     "seal, amend, withdraw, show, list and announce pledges; drafts"},
    {NULL, "requirement", cli_requirement, "set, endorse and list requirements"},
    {NULL, "fact", cli_fact, "record or retract a fact (fact record|retract NAME)"},
    {NULL, "coverage", cli_coverage, "coverage of the requirements by binding pledges"},
    {NULL, "clear", cli_clear, "re-run a clearing of pledges from its inputs, offline"},
    {"the flows", "flow", cli_flow,
     "report a flow against a pledge; the host confirms or disputes it"},
    {NULL, "instrument", cli_instrument, "set a facility or a contract under one"},
    {NULL, "rate", cli_rate, "record a dated exchange rate (coordinator)"},
    {NULL, "flows", cli_flows,
     "flows as each viewer may see them: list, show, summary, tree; imports, IATI export"},
    {NULL, "reference", cli_reference, "third-party reference data: import-kiel FILE, totals"},
    {"sanctions", "pressure", cli_pressure,
     "sanctions lists: import-ofac DIR, import-un|import-eu|import-uk FILE (the\n"
     "              official lists, as the differences); snapshots; screen NAME|--id|--csv\n"
     "              FILE; counterparties FACILITY (screened); align (who designates what)"},
    {"the deal", "deal", cli_deal,
     "propose a version of the deal, sign it, suspend, resume or terminate it; show, list"},
    {NULL, "zone", cli_zone, "the deal's zones and protected sites: set, list, contains"},
    {NULL, "blob", cli_blob, "documents by their hash: put (upload), get (download, checked)"},
    {"monitoring", "report", cli_report,
     "a monitor's reports, signed offline into an outbox: setup, new, list"},
    {NULL, "sync", cli_sync, "send the outbox's reports to the log, in order, once each"},
    {NULL, "incident", cli_incident,
     "split or merge incidents of reports, signed with a reason: merge, split"},
    {NULL, "daily", cli_daily, "record the monitors' daily report in the log (coordinator)"},
    {NULL, "history", cli_history, "UCDP's events as history: import-ucdp FILE, the yearly counts"},
    {"servers", "serve", wl_serve_main, "serve the ledger over HTTP"},
    {NULL, "witness", wl_witness_main, "run a C2SP tlog-witness that cosigns checkpoints"},
};

static int usage(FILE *f)
{
    fprintf(f, "usage: willing COMMAND [--help] [options]\n\n"
               "willing keeps the coalition's register on a signed, verifiable log.\n"
               "Not for classified information. `willing COMMAND --help` says more;\n"
               "a group's commands (member, pledge, requirement, fact) take a subcommand,\n"
               "each with its own --help.\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (cmds[i].group)
            fprintf(f, "\n%s:\n", cmds[i].group);
        fprintf(f, "  %-11s %s\n", cmds[i].name, cmds[i].help);
    }
    return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return usage(stdout);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "willing: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
