/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `willing` command's shared layer (docs/internals/cli.md). Every command
 * file (one per module: identity.c, pledge.c, coalition.c, clear.c, and the
 * ledger's init.c, append.c, read.c, verify.c, fsck.c, fetch.c) calls only
 * what is declared here and the library, never another command's file.
 *   http.c    the transport: plain and RFC 9421-signed requests (libcurl)
 *   common.c  what every command does: parse the common options, print its
 *             usage, read a key file, fetch the origin, sign and post an
 *             entry, seal content, print an answer
 *   batch.c   many entries signed and posted in one batch request (imports)
 *   listimport.c  a sanctions list's designations imported as the differences
 *             from what the log holds, with its snapshot, in one batch
 *   blobio.c  documents by hash: a blob uploaded, and one downloaded and checked
 *   outbox.c  a monitor's outbox of reports signed offline, written atomically
 * Only this layer (src/cli, src/main.c) prints and exits.
 */
#ifndef WILLING_CLI_H
#define WILLING_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/reference.h"
#include "willing/wl.h"

typedef struct json_t json_t;

typedef wl_buf cli_buf;

/* ---- the transport (http.c) ---- */

/* GET or POST; returns the HTTP status (0 on a transport error, with err set). */
long cli_http(const char *method, const char *url, const char *ctype, const char *body, size_t len,
              cli_buf *out, char *err, size_t errcap);
/* The same with extra header lines ("Name: value"), NULL-terminated. */
long cli_http_h(const char *method, const char *url, const char *ctype, const char *body,
                size_t len, const char *const *headers, cli_buf *out, char *err, size_t errcap);
/* The same signed with kf on willing's RFC 9421 profile (a body sent as JSON). */
long cli_signed_http(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap);
/* The same with the body's Content-Type ctype: GET, POST or PUT. */
long cli_signed_http_ct(const char *method, const char *url, const char *ctype, const char *body,
                        size_t len, const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap);
/*
 * The signature's header lines for a request, written to h_* (cap bytes each);
 * h_digest is empty when there is no body. 0, or -1 (all three empty).
 * CLI_HEADER_MAX bytes hold each line.
 */
#define CLI_HEADER_MAX 1100
int cli_sign_request(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, int64_t created, char *h_input, char *h_sig,
                     char *h_digest, size_t cap);
/* Frees what a request answered into b; b is left empty. NULL-safe. */
void cli_buf_free(cli_buf *b);

/* ---- a command, its usage and its options (common.c) ---- */

typedef struct cli_cmd cli_cmd;
struct cli_cmd {
    const char *group;    /* "pledge", "member", ...; NULL for a command of its own */
    const char *name;     /* "add"; for a command of its own, the command ("append") */
    const char *synopsis; /* after "usage: willing [GROUP] NAME "; more lines indented */
    const char *about;    /* what it does and its options, or NULL */
    int (*run)(const cli_cmd *self, int argc, char **argv); /* argv[0] is its name */
};

/* Prints cmd's own usage (synopsis, then its text). 0 when f is stdout, else 2. */
int cli_cmd_usage(FILE *f, const cli_cmd *cmd);
/*
 * Runs the subcommand argv[1] of group (one of subs): with none, or an unknown
 * one, prints the group's usage (every synopsis, then notes) on stderr and
 * returns 2; with --help or -h, on stdout and returns 0.
 */
int cli_group(int argc, char **argv, const char *group, const cli_cmd *subs, size_t n,
              const char *notes);

/* The options most commands take: which of them one takes (cli_parse's `common`). */
enum { CLI_SERVER = 1u, CLI_KEY = 2u, CLI_JSON = 4u };
typedef struct {
    const char *server; /* --server URL */
    const char *key;    /* --key FILE */
    bool json;          /* --json: print what the server answered, as JSON */
} cli_common;
/* A command's own option ch (the val of its struct option) with its argument. */
typedef int (*cli_opt_fn)(void *ctx, int ch, const char *arg);
#define CLI_GO (-1)     /* cli_parse: parsed; go on (optind at the first operand) */
#define CLI_OPTS_MAX 24 /* a command's own options (each a character val) */
/*
 * Parses argv for self: --help (its usage on stdout, returns 0), the common
 * options named in `common` into *c (zeroed first; --json also sets cli_json),
 * and self's own options `own` (NULL-terminated, at most CLI_OPTS_MAX), each
 * handed to fn, which returns CLI_GO or an exit code that stops the parse. An
 * unknown option prints self's usage on stderr and returns 2.
 */
int cli_parse(const cli_cmd *self, int argc, char **argv, unsigned common, const struct option *own,
              cli_opt_fn fn, void *ctx, cli_common *c);
/* --json given to the command running: what prints an answer looks at. */
extern bool cli_json;

/* ---- small things ---- */

uint64_t cli_now_us(void);
/* server without trailing slashes, then path: base + path into out. */
void cli_url(const char *server, const char *path, char *out, size_t cap);
/* Strips trailing slashes from a server URL into out. */
void cli_base_url(const char *url, char *out, size_t cap);
/* $XDG_STATE_HOME/willing[/sub], made 0700 if missing. */
void cli_state_dir(const char *sub, char *out, size_t cap);

/* --quorum K (0 to WL_CLI_WITNESSES_MAX): K, or -1 after saying on stderr, as cmd, what is wrong.
 */
long cli_quorum_parse(const char *cmd, const char *arg);
/*
 * Reads a whole file ("-": stdin) of at most max bytes into a NUL-terminated
 * buffer the caller frees; NULL when it cannot be read or is longer. *len is
 * set (0 on failure).
 */
char *cli_read_file(const char *path, size_t max, size_t *len);
/* Writes a JSON document to a new or truncated file of mode 0600; 0 or -1. */
int cli_write_private(const char *path, json_t *doc, size_t flags);
/* Decodes base64 b64 into a new NUL-terminated buffer (caller frees); NULL if not base64. */
char *cli_b64_decode(const char *b64, size_t *len);
/* s is n lower-case hex digits. */
bool cli_hex_id(const char *s, size_t n);
/* n random bytes as 2n hex digits into out (2n + 1 bytes). */
void cli_random_hex(char *out, size_t n);

/* ---- keys ---- */

/*
 * Reads a key file that names its member into kf; prints one line and returns
 * -1 if it cannot (kf wiped). The caller wipes kf.key (wl_key_wipe).
 */
int cli_member_key(const char *cmd, const char *path, wl_keyfile *kf);
/*
 * Reads a key file for signing entries as `author` (default: the member the
 * file names) into kf; *who is the author (kf->member after the call when
 * author was NULL). Prints one line and returns -1 if it cannot.
 */
int cli_entry_key(const char *path, const char *author, wl_keyfile *kf, const char **who);

/* ---- answers ---- */

/* The message of a refused answer ({"message"} of its JSON, or the transport error). */
const char *cli_answer_message(long status, const cli_buf *b, const char *err, char *out,
                               size_t cap);
/* Prints "willing CMD: message" of a refused answer on stderr (CMD "": "willing: ..."); 1. */
int cli_refused(const char *cmd, long status, const cli_buf *b, const char *err);
/* The string member key of object o, or dflt when it has none. */
const char *cli_str(const json_t *o, const char *key, const char *dflt);
/* Prints o as indented JSON and a newline on stdout. */
void cli_print_json(const json_t *o);
/*
 * GET server+path (signed with kf unless NULL): 0 with the answer's JSON in
 * *out (the caller decrefs; raw, the bytes, when not NULL), or 1 after
 * printing "willing CMD: why" for anything but a 200.
 */
int cli_get_json(const char *cmd, const char *server, const char *path, const wl_keyfile *kf,
                 json_t **out, cli_buf *raw);

/* ---- the log ---- */

/* The log's origin, from its checkpoint's first line; 0, or -1 after printing why. */
int cli_fetch_origin(const char *base, char *origin, size_t cap);
/*
 * Signs one entry (kind, body: one line of JSON) by author with kf and posts
 * it to server, printing its index (or, with json_out, the answer); with
 * outpath, writes the signed entry there instead (origin needed). Exit code.
 */
int cli_post_entry(const char *server, const wl_keyfile *kf, const char *author, const char *kind,
                   const char *body, uint64_t seq, bool json_out, const char *origin,
                   const char *outpath);
/* The same with body as a JSON object (compact, in its order), seq now, kf's member. */
int cli_post_json(const char *server, const wl_keyfile *kf, const char *kind, const json_t *body);
/*
 * Signs each body of bodies (an array of JSON objects) as an entry of kind by
 * kf's member and posts them all in one POST /api/v1/entries:batch: all are
 * stored or none (at most WL_BATCH_MAX entries, WL_BODY_MAX_BATCH bytes). 0
 * with the server's answer in *answer ({"entries": [{"index", ...}]}; the
 * caller decrefs), or 1 after printing why on stderr (which entry was refused).
 */
int cli_post_batch(const char *cmd, const char *server, const wl_keyfile *kf, const char *kind,
                   const json_t *bodies, json_t **answer);
/* The same with each body's own kind, kinds[i] (as many as bodies). */
int cli_post_batch_kinds(const char *cmd, const char *server, const wl_keyfile *kf,
                         const char *const *kinds, const json_t *bodies, json_t **answer);
/*
 * An import's rows read (batch.c): prints each bad row as FILE:LINE: why;
 * then -1 when the good rows are to be sent (none bad, or skip_bad and some
 * good), else 1 after saying that nothing was sent.
 */
int cli_import_verdict(const char *cmd, const char *path, const wl_import_bad *bad, size_t nbad,
                       size_t ngood, bool skip_bad);
/* The exit code once the good rows were sent (ret: what sending gave): 2 if rows were left out. */
int cli_import_sent(const char *cmd, int ret, size_t nbad);
/* An import's own options: --skip-bad ('s'), and one with an argument (any other val). */
typedef struct {
    const char *arg;
    bool skip_bad;
} cli_import_opts;
int cli_import_opt(void *ctx, int ch, const char *arg);
/*
 * Signs and posts an import's entry bodies of kind in one batch
 * (cli_post_batch) with the key c->key names, then prints the server's answer
 * (--json) or one line: "imported WHAT from PATH (SHA-256 HEX) in N KIND
 * entries, indexes A to B". Exit code.
 */
int cli_import_send(const char *cmd, const cli_common *c, const char *kind, const json_t *bodies,
                    const char *what, const char *path, const char *hex);
/*
 * Seals content of kind and body by kf's member: keeps salt and content under
 * the state directory (mode 0600) before sending, posts it, checks and prints
 * the operator's receipt (label: a line or two saying what was sealed).
 * Exit code.
 */
int cli_seal(const char *server, const wl_keyfile *kf, const char *kind, json_t *body,
             const char *label);
/* The sealed content kept here under its sealed id hex (64 digits), parsed into e; 0 or -1. */
int cli_kept_content(const char *hex, wl_entry *e);

/* ---- a sanctions list imported (listimport.c; `willing pressure import-*`) ---- */

/* What one import of a list's file is: the designation bodies a reader gave, and their file. */
typedef struct {
    const char *list;     /* "ofac-sdn", "un-sc", ... */
    const char *file;     /* the SHA-256 of the file (64 lower-case hex digits) */
    const char *date;     /* the file's date, YYYY-MM-DD */
    const char *path;     /* what to name it by in messages */
    const json_t *bodies; /* pressure.designation bodies, each of list, a subject once */
    bool dry_run;         /* compare and print the counts; sign and send nothing */
} cli_list_import;
/*
 * Imports a list's designations as the differences from what the log holds
 * (docs/internals/pressure.md, "Importing a list"): reads the list's latest
 * snapshot and then its stored designations (GET /api/v1/pressure/subjects, a
 * page at a time), compares (wl_pressure_diff), and signs with c->key and
 * posts the added, amended and delisted designations in pressure.batch entries
 * and then the import's pressure.snapshot (its base the snapshot read: refused
 * stale_base if another import came first), all in one POST
 * /api/v1/entries:batch: all stored or none. Prints the counts (or, with c->json, the server's
 * answer and them). Progress on stderr when it is a terminal. Exit code.
 */
int cli_list_import_send(const char *cmd, const cli_common *c, const cli_list_import *im);

/* ---- blobs: documents by hash (blobio.c; `willing blob`, and the deal's documents) ---- */

/*
 * Uploads n bytes as a blob signed with kf (PUT /api/v1/blobs/HASH): media
 * NULL is application/octet-stream, pub asks ?public=1. 0 with the hash (64
 * lower-case hex digits) in hex, and the server's answer in *answer when not
 * NULL (the caller decrefs); or 1 after printing "willing CMD: why".
 */
int cli_blob_put(const char *cmd, const char *server, const wl_keyfile *kf, const char *bytes,
                 size_t n, const char *media, bool pub, char hex[65], json_t **answer);
/* The same for the file at path (at most WL_BLOB_MAX_CEILING bytes; "-": stdin). */
int cli_blob_put_file(const char *cmd, const char *server, const wl_keyfile *kf, const char *path,
                      const char *media, bool pub, char hex[65], json_t **answer);
/*
 * Downloads blob hex (signed with kf unless NULL) into *out and checks that
 * its SHA-256 is hex: 0, or 1 after printing why (*out emptied: what does not
 * match is never kept).
 */
int cli_blob_get(const char *cmd, const char *server, const wl_keyfile *kf, const char *hex,
                 cli_buf *out);

/* ---- a monitor's outbox (outbox.c; `willing report` and `willing sync`) ---- */

/* $XDG_STATE_HOME/willing/report.json: report setup's {server, origin, key, member}. */
void cli_report_config(char *out, size_t cap);
/* The string field of a configuration o, or NULL (also for o NULL: none). */
const char *cli_conf(const json_t *o, const char *field);
/* The outbox of origin (percent-encoded), made 0700 if missing: 0, or -1 after saying why. */
int cli_outbox_dir(const char *cmd, const char *origin, char *out, size_t cap);
/*
 * doc written to dir/name atomically, mode 0600: a temporary file, fsync,
 * rename (fresh: link, EEXIST when name exists, nothing replaced), fsync of
 * the directory. 0, or -1 with errno set.
 */
int cli_write_atomic(const char *dir, const char *name, const json_t *doc, bool fresh);
/*
 * len bytes written to dir/name the same way; flags: CLI_WRITE_FRESH (as fresh
 * above), CLI_WRITE_PUBLIC (mode 0644, not 0600), CLI_WRITE_NO_DIRSYNC (no
 * fsync of the directory: the caller does it once for many files).
 */
enum { CLI_WRITE_FRESH = 1u, CLI_WRITE_PUBLIC = 2u, CLI_WRITE_NO_DIRSYNC = 4u };
int cli_write_bytes(const char *dir, const char *name, const void *data, size_t len,
                    unsigned flags);
/* Holds dir/.lock (flock, not waiting) until exit: the descriptor, or -1 (errno EWOULDBLOCK: held).
 */
int cli_lock_dir(const char *dir);
/* The outbox's report files (<20-digit seq>.json) in seq order, *n of them; cli_names_free. */
char **cli_outbox_files(const char *dir, size_t *n);
void cli_names_free(char **names, size_t n);

/* ---- the commands, by module (main.c dispatches to them) ---- */

/* the ledger */
int cli_init(int argc, char **argv);       /* init.c */
int cli_append(int argc, char **argv);     /* append.c */
int cli_seal_raw(int argc, char **argv);   /* append.c */
int cli_get(int argc, char **argv);        /* read.c */
int cli_prove(int argc, char **argv);      /* read.c */
int cli_checkpoint(int argc, char **argv); /* read.c */
int cli_verify(int argc, char **argv);     /* verify.c */
int cli_fsck(int argc, char **argv);       /* fsck.c */
int cli_mirror(int argc, char **argv);     /* mirror.c */
int cli_migrate(int argc, char **argv);    /* migrate.c */
int cli_fetch(int argc, char **argv);      /* fetch.c */
/* identity (identity.c) */
int cli_keygen(int argc, char **argv);
int cli_member(int argc, char **argv);
int cli_whoami(int argc, char **argv);
/* the coalition */
int cli_pledge(int argc, char **argv);      /* pledge.c */
int cli_requirement(int argc, char **argv); /* coalition.c */
int cli_fact(int argc, char **argv);        /* coalition.c */
int cli_coverage(int argc, char **argv);    /* coalition.c */
int cli_clear(int argc, char **argv);       /* clear.c */
/* flows: writing flows, instruments and rates (flow.c) */
int cli_flow(int argc, char **argv);
int cli_instrument(int argc, char **argv);
int cli_rate(int argc, char **argv);
/* blobs: documents by hash (blob.c) */
int cli_blob(int argc, char **argv);
/* flows: third-party reference data */
int cli_reference(int argc, char **argv); /* reference.c */
int cli_history(int argc, char **argv);   /* history.c */
/* sanctions: `willing pressure` (pressure.c): import-ofac */
int cli_pressure(int argc, char **argv);
/* the deal */
int cli_deal(int argc, char **argv); /* deal.c */
int cli_zone(int argc, char **argv); /* zone.c */
/* monitors' reports, offline, and sending them (report.c) */
int cli_report(int argc, char **argv);
int cli_sync(int argc, char **argv);
/* splits and merges of incidents (incident.c) */
int cli_incident(int argc, char **argv);
/* the daily report recorded (daily.c) */
int cli_daily(int argc, char **argv);
/* flows: IATI 2.03 (flows_iati.c; rows of the `willing flows` table) */
int cli_flows_import_iati(const cli_cmd *self, int argc, char **argv);
int cli_flows_export_iati(const cli_cmd *self, int argc, char **argv);
/* flows: any CSV's columns mapped to flow rows (flows_csv.c; a row of the `willing flows` table) */
int cli_flows_import_csv(const cli_cmd *self, int argc, char **argv);
/*
 * `willing flows` (flows.c): list, show, summary, tree. Another file's
 * subcommand of it declares its run function (int (const cli_cmd *, int,
 * char **)) here and adds one row to flows_subs in flows.c.
 */
int cli_flows(int argc, char **argv);
/*
 * sanctions screening (screen.c): `willing pressure screen` and `willing pressure
 * counterparties`, rows the `willing pressure` group (pressure.c) runs beside its own.
 */
extern const cli_cmd cli_screen_cmds[2];
/* `willing pressure align` (align.c), joined to `willing pressure` by pressure.c. */
extern const cli_cmd cli_align_cmds[1];

#endif
