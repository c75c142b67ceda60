/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing init`: creates a ledger (database, log key, operator key, the
 * genesis entry and the first checkpoint), writing the keys as PKCS#8 PEM,
 * mode 0600 (docs/internals/cli.md).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "willing/coalition.h"
#include "willing/ledger.h"

typedef struct {
    const char *db, *origin, *op, *name, *notice, *logkey, *opkey;
} init_opts;

static int init_opt(void *ctx, int ch, const char *arg)
{
    init_opts *o = ctx;
    switch (ch) {
    case 'd':
        o->db = arg;
        break;
    case 'o':
        o->origin = arg;
        break;
    case 'p':
        o->op = arg;
        break;
    case 'n':
        o->name = arg;
        break;
    case 'N':
        o->notice = arg;
        break;
    case 'L':
        o->logkey = arg;
        break;
    case 'K':
        o->opkey = arg;
        break;
    }
    return CLI_GO;
}

static int run_init(const cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},           {"origin", required_argument, NULL, 'o'},
        {"operator", required_argument, NULL, 'p'},     {"name", required_argument, NULL, 'n'},
        {"notice", required_argument, NULL, 'N'},       {"log-key", required_argument, NULL, 'L'},
        {"operator-key", required_argument, NULL, 'K'}, {NULL, 0, NULL, 0},
    };
    init_opts o = {NULL, NULL, "operator", "Coordinating nation", NULL, NULL, NULL};
    const char *db, *origin, *op, *name, *notice;
    char logkp[4200], opkp[4200], vk[400], fp[WL_VKEY_FINGERPRINT_LEN], body[1024], b64[45];
    wl_keyfile logk, opk;
    wl_vkey v;
    wl_store *s = NULL;
    wl_pending p;
    wl_error err;
    struct stat st;
    cli_common c;
    char *entry = NULL, *note = NULL;
    size_t elen = 0, nlen = 0;
    uint64_t idx = 0, size = 0;
    int existed = 0, ret;

    if ((ret = cli_parse(self, argc, argv, 0, opts, init_opt, &o, &c)) != CLI_GO)
        return ret;
    db = o.db;
    origin = o.origin;
    op = o.op;
    name = o.name;
    notice = o.notice;
    if (db == NULL || origin == NULL || optind != argc)
        return cli_cmd_usage(stderr, self);
    ret = 1;
    if (!wl_note_valid_name(origin, strlen(origin)) || strcmp(origin, WL_ENTRY_HEADER) == 0) {
        fprintf(stderr, "willing init: the origin must be non-empty, without spaces or '+'\n");
        return 2;
    }
    if (!wl_valid_member_id(op, strlen(op))) {
        fprintf(stderr, "willing init: --operator must be 1-64 of a-z 0-9 . _ -\n");
        return 2;
    }
    if (strchr(name, '"') || strchr(name, '\\') || strlen(name) > 256) {
        fprintf(stderr, "willing init: --name must not contain quotes or backslashes\n");
        return 2;
    }
    if (stat(db, &st) == 0) {
        fprintf(stderr, "willing init: %s already exists; not touching it\n", db);
        return 1;
    }
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK)
        return 1;
    /* a database server's URL names no directory to put the keys beside */
    if (strstr(db, "://") != NULL && (o.logkey == NULL || o.opkey == NULL)) {
        fprintf(stderr, "willing init: --db is a URL: name the key files with --log-key and "
                        "--operator-key\n");
        return 2;
    }
    if ((o.logkey ? wl_fmt(logkp, sizeof logkp, "%s", o.logkey)
                  : wl_fmt(logkp, sizeof logkp, "%s.log.key", db)) != WL_OK ||
        (o.opkey ? wl_fmt(opkp, sizeof opkp, "%s", o.opkey)
                 : wl_fmt(opkp, sizeof opkp, "%s.operator.key", db)) != WL_OK) {
        fprintf(stderr, "willing init: the --db path or a key's is too long\n");
        return 2;
    }
    memset(&logk, 0, sizeof logk);
    memset(&opk, 0, sizeof opk);
    wl_key_generate(&logk.key);
    memcpy(logk.scope, "log", 4);
    wl_key_generate(&opk.key);
    snprintf(opk.member, sizeof opk.member, "%s", op);
    memcpy(opk.scope, "sign", 5);
    if (wl_keyfile_write(logkp, &logk) != WL_OK || wl_keyfile_write(opkp, &opk) != WL_OK) {
        fprintf(stderr, "willing init: cannot write %s or %s (do they exist already?)\n", logkp,
                opkp);
        goto out;
    }
    if (wl_store_open(db, 1, &s) != WL_OK) {
        fprintf(stderr, "willing init: cannot create %s\n", db);
        goto out;
    }
    if (wl_vkey_make(origin, WL_SIGTYPE_ED25519, logk.key.pk, &v) != WL_OK ||
        wl_vkey_format(&v, vk, sizeof vk) != WL_OK) {
        fprintf(stderr, "willing init: the origin is longer than %u bytes\n", WL_KEYNAME_MAX);
        goto out;
    }
    wl_b64_encode(opk.key.pk, 32, b64);
    snprintf(body, sizeof body,
             "{\"member\":\"%s\",\"name\":\"%s\",\"role\":\"operator\",\"key\":\"%s\"}", op, name,
             b64);
    if (wl_entry_build(origin, "member.add", op, 1, (int64_t)time(NULL), body, &opk.key, &entry,
                       &elen) != WL_OK) {
        fprintf(stderr, "willing init: cannot build the genesis entry\n");
        goto out;
    }
    if (wl_store_begin(s) != WL_OK || wl_store_meta_set(s, "origin", origin) != WL_OK ||
        wl_store_meta_set(s, "log_vkey", vk) != WL_OK ||
        (notice && wl_store_meta_set(s, "notice", notice) != WL_OK)) {
        fprintf(stderr, "willing init: %s\n", wl_store_errmsg(s));
        goto out;
    }
    if (wl_ledger_precheck(s, origin, entry, elen, &p, &err) != WL_OK ||
        wl_ledger_sequence(s, &p, &idx, &existed, &err) != WL_OK) {
        fprintf(stderr, "willing init: genesis entry refused: %s\n", err.msg);
        goto out;
    }
    wl_pending_clear(&p);
    if (wl_ledger_checkpoint(s, origin, &logk.key, (int64_t)time(NULL), &size, &note, &nlen) !=
            WL_OK ||
        wl_store_commit(s) != WL_OK) {
        fprintf(stderr, "willing init: %s\n", wl_store_errmsg(s));
        goto out;
    }
    printf("created %s for origin %s\n", db, origin);
    printf("log key:      %s (keep it secret)\n", logkp);
    printf("operator key: %s (member %s)\n", opkp, op);
    wl_vkey_fingerprint(vk, fp);
    printf("verifier key: %s\n", vk);
    printf("fingerprint:  %s (compare it with the explorer's)\n", fp);
    ret = 0;
out:
    if (ret != 0 && s == NULL) {
        unlink(logkp);
        unlink(opkp);
    }
    wl_store_close(s);
    wl_free(entry);
    wl_free(note);
    wl_key_wipe(&logk.key);
    wl_key_wipe(&opk.key);
    return ret;
}

static const cli_cmd init_cmd = {
    NULL, "init",
    "--db PATH|URL --origin NAME [--operator ID] [--name TEXT] [--log-key FILE --operator-key "
    "FILE]",
    "Creates a ledger: the database PATH, the log's signing key PATH.log.key and the\n"
    "operator's entry-signing key PATH.operator.key (both mode 0600), the first entry\n"
    "(the operator adding itself) and the first checkpoint. Prints the log's verifier\n"
    "key: give it to every member out of band, they verify the log with it.\n"
    "\n"
    "  --db PATH|URL    the database file to create (must not exist), or a PostgreSQL\n"
    "                   database's postgres:// URL (it must exist)\n"

    "  --origin NAME    the log's name, e.g. coalition.example/ledger (no spaces, no +)\n"
    "  --operator ID    the operator's member id (default: operator)\n"
    "  --name TEXT      the operator's display name (default: Coordinating nation)\n"
    "  --log-key FILE   where the log's key goes (default PATH.log.key; a URL needs it)\n"
    "  --operator-key FILE  the operator's key (default PATH.operator.key; a URL needs it)\n",
    run_init};

int cli_init(int argc, char **argv)
{
    return init_cmd.run(&init_cmd, argc, argv);
}
