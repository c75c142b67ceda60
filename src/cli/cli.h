/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared parts of the `willing` command: subcommand entry points, an HTTP
 * client (libcurl) and small helpers. Only this layer prints and exits.
 */
#ifndef WILLING_CLI_H
#define WILLING_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "willing/wl.h"

typedef struct json_t json_t;

typedef wl_buf cli_buf;

/* GET or POST; returns the HTTP status (0 on a transport error, with *err set). */
long cli_http(const char *method, const char *url, const char *ctype, const char *body, size_t len,
              cli_buf *out, char *err, size_t errcap);
/* The same with extra header lines ("Name: value"), NULL-terminated. */
long cli_http_h(const char *method, const char *url, const char *ctype, const char *body,
                size_t len, const char *const *headers, cli_buf *out, char *err, size_t errcap);
void cli_buf_free(cli_buf *b);
/* The message of a refused answer ({"message"} of its JSON, or the transport error). */
const char *cli_answer_message(long status, const cli_buf *b, const char *err, char *out,
                               size_t cap);
/* $XDG_STATE_HOME/willing[/sub], made 0700 if missing. */
void cli_state_dir(const char *sub, char *out, size_t cap);
/* Reads a whole file (at most max bytes) into a NUL-terminated buffer. */
char *cli_read_file(const char *path, size_t max, size_t *len);
/* Strips trailing slashes from a server URL into out. */
void cli_base_url(const char *url, char *out, size_t cap);

/* Signed requests (signed.c). Header lines are written to h_* (cap bytes each);
 * h_digest is empty when there is no body. */
#include "willing/crypto.h"
int cli_sign_request(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, int64_t created, char *h_input, char *h_sig,
                     char *h_digest, size_t cap);
/* Reads a key file that names its member; prints one line and returns -1 if not. */
int cli_member_key(const char *cmd, const char *path, wl_keyfile *kf);
long cli_signed_http(const char *method, const char *url, const char *body, size_t len,
                     const wl_keyfile *kf, cli_buf *out, char *err, size_t errcap);
/* Signs and posts one entry; prints the result (append.c). */
int cli_post_entry(const char *server, const wl_keyfile *kf, const char *author, const char *kind,
                   const char *body, uint64_t seq, bool json_out, const char *origin,
                   const char *outpath);
uint64_t cli_now_us(void);

/* A subcommand of a group (pledge, member, requirement): its synopsis and what it does. */
typedef struct {
    const char *name;
    const char *synopsis; /* after "willing <group> " */
    const char *about;    /* its own text, or NULL */
} cli_sub;
/*
 * Prints sub's own usage (its synopsis and its text) when sub is one of subs,
 * else the whole group's (every synopsis, then notes). 0 for stdout, else 2.
 */
int cli_usage(FILE *f, const char *group, const cli_sub *subs, size_t n, const char *sub,
              const char *notes);

/* The log's origin from its checkpoint (append.c). */
int cli_fetch_origin(const char *base, char *origin, size_t cap);

int cli_init(int argc, char **argv);
int cli_keygen(int argc, char **argv);
int cli_member(int argc, char **argv);
int cli_append(int argc, char **argv);
int cli_get(int argc, char **argv);
int cli_prove(int argc, char **argv);
int cli_checkpoint(int argc, char **argv);
int cli_fsck(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_clear(int argc, char **argv);
int cli_whoami(int argc, char **argv);
/* --json: print what the server answered, as JSON, instead of text */
extern bool cli_json;
int cli_pledge(int argc, char **argv);
int cli_seal_raw(int argc, char **argv);
/* Seals content by kf's member, keeps salt and content locally, prints the receipt. */
int cli_seal(const char *server, const wl_keyfile *kf, const char *kind, json_t *body,
             const char *label);
int cli_coverage(int argc, char **argv);
int cli_fetch(int argc, char **argv);
int cli_requirement(int argc, char **argv);
int cli_fact(int argc, char **argv);

#endif
