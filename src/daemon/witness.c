/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing witness`: a C2SP tlog-witness. POST /add-checkpoint takes an old
 * size, a consistency proof and a checkpoint; it checks the log's signature
 * (404 unknown origin, 403 no valid signature), the old size (400 above the
 * new, 409 with text/x.tlog.size if not the size it last cosigned), the proof
 * (422), then persists the new state and answers with a tlog-cosignature/v1
 * line. Check and persist happen under one lock and one transaction. A
 * checkpoint inconsistent with the one it cosigned (a split view: the same
 * size with another root, or a proof that does not verify) is refused and
 * reported on stderr with both checkpoints, once per checkpoint offered.
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>
#include <pthread.h>

#include "serve.h"
#include "store/store.h"
#include "willing/merkle.h"
#include "willing/note.h"

static struct {
    wl_store *s;
    pthread_mutex_t mu;
    wl_key key;
    char name[WL_KEYNAME_MAX + 1];
    wl_vkey logs[WL_WITNESS_LOGS_MAX];
    size_t nlogs;
    uint64_t refused_size; /* the last split view reported, under mu */
    uint8_t refused_root[32];
} wit;

typedef struct {
    char buf[WL_WITNESS_BODY_MAX + 1];
    size_t len;
    bool too_big;
} wreq;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *text)
{
    return reply(c, status, "text/plain; charset=utf-8", text);
}

/*
 * A split view, said on stderr (under wit.mu): the checkpoint it cosigned (its
 * body, from the state kept) and the one offered (the note as received).
 */
static void split_view(const wl_checkpoint *cp, const char *note, size_t len, uint64_t stored,
                       const uint8_t stored_root[32], const char *how)
{
    wl_checkpoint had;
    char body[WL_ORIGIN_MAX + 80];
    if (wit.refused_size == cp->size && memcmp(wit.refused_root, cp->root, 32) == 0)
        return; /* said already */
    wit.refused_size = cp->size;
    memcpy(wit.refused_root, cp->root, 32);
    memset(&had, 0, sizeof had);
    snprintf(had.origin, sizeof had.origin, "%s", cp->origin);
    had.size = stored;
    memcpy(had.root, stored_root, 32);
    if (wl_checkpoint_format(&had, body, sizeof body) == 0)
        body[0] = '\0';
    fprintf(stderr,
            "willing witness: a split view of %s, refused (%s): the checkpoint offered is not "
            "proven consistent with the one it cosigned.\nwilling witness: cosigned:\n%s"
            "willing witness: offered:\n%.*s",
            cp->origin, how, body, (int)len, note);
}

static enum MHD_Result add_checkpoint(struct MHD_Connection *c, char *body, size_t len)
{
    char *p = body, *end = body + len, *nl;
    uint64_t old, stored = 0;
    uint8_t proof[WL_PROOF_MAX][32], stored_root[32];
    size_t np = 0;
    wl_note n;
    wl_checkpoint cp;
    const wl_vkey *lk = NULL;
    uint8_t ok = 0;
    char line[256], out[300];
    enum MHD_Result ret;
    wl_rc rc;

    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL || nl - p < 5 || memcmp(p, "old ", 4) != 0 ||
        wl_parse_u64(p + 4, (size_t)(nl - p - 4), &old) != WL_OK)
        return plain(c, MHD_HTTP_BAD_REQUEST, "the first line must be 'old <size>'\n");
    p = nl + 1;
    for (;;) {
        size_t got = 0;
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return plain(c, MHD_HTTP_BAD_REQUEST, "missing the empty line before the checkpoint\n");
        if (nl == p)
            break;
        if (np >= 63 || wl_b64_decode(p, (size_t)(nl - p), proof[np], 32, &got) != WL_OK ||
            got != 32)
            return plain(c, MHD_HTTP_BAD_REQUEST, "a proof line is not a base64 hash (or > 63)\n");
        np++;
        p = nl + 1;
    }
    p = nl + 1;
    if (wl_note_parse(p, (size_t)(end - p), &n) != WL_OK ||
        wl_checkpoint_parse(n.text, n.text_len, &cp) != WL_OK)
        return plain(c, MHD_HTTP_BAD_REQUEST, "the checkpoint is malformed\n");
    for (size_t i = 0; i < wit.nlogs; i++)
        if (strcmp(wit.logs[i].name, cp.origin) == 0)
            lk = &wit.logs[i];
    if (lk == NULL)
        return plain(c, MHD_HTTP_NOT_FOUND, "unknown log origin\n");
    if (wl_note_verify(&n, lk, 1, &ok, NULL) != WL_OK || !ok)
        return plain(c, MHD_HTTP_FORBIDDEN, "no valid signature from the log's key\n");
    if (old > cp.size)
        return plain(c, MHD_HTTP_BAD_REQUEST, "old size is above the checkpoint size\n");
    if (old == 0 && np != 0)
        return plain(c, MHD_HTTP_BAD_REQUEST, "the proof must be empty from size 0\n");

    pthread_mutex_lock(&wit.mu);
    rc = wl_store_begin(wit.s);
    if (rc != WL_OK) {
        pthread_mutex_unlock(&wit.mu);
        return plain(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage busy\n");
    }
    rc = wl_store_witness_get(wit.s, cp.origin, &stored, stored_root);
    if (rc == WL_ERR_NOT_FOUND) {
        stored = 0;
        rc = WL_OK;
    }
    if (rc != WL_OK) {
        ret = plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "storage error\n");
        goto rollback;
    }
    if (old != stored) {
        snprintf(line, sizeof line, "%llu\n", (unsigned long long)stored);
        ret = reply(c, MHD_HTTP_CONFLICT, "text/x.tlog.size", line);
        goto rollback;
    }
    if (old == cp.size && old > 0 && memcmp(stored_root, cp.root, 32) != 0) {
        split_view(&cp, p, (size_t)(end - p), stored, stored_root, "409: its size, another root");
        snprintf(line, sizeof line, "%llu\n", (unsigned long long)stored);
        ret = reply(c, MHD_HTTP_CONFLICT, "text/x.tlog.size", line);
        goto rollback;
    }
    if (old > 0 && old < cp.size &&
        wl_merkle_verify_consistency(old, cp.size, stored_root, cp.root,
                                     (const uint8_t(*)[32])proof, np) != WL_OK) {
        split_view(&cp, p, (size_t)(end - p), stored, stored_root,
                   "422: the consistency proof does not verify");
        ret = plain(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "the consistency proof does not verify\n");
        goto rollback;
    }
    if (old == cp.size && np != 0) {
        ret = plain(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "the proof must be empty for equal sizes\n");
        goto rollback;
    }
    if (wl_store_witness_set(wit.s, cp.origin, cp.size, cp.root, p, (size_t)(end - p)) != WL_OK ||
        wl_store_commit(wit.s) != WL_OK) {
        wl_store_rollback(wit.s);
        pthread_mutex_unlock(&wit.mu);
        return plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot persist the checkpoint\n");
    }
    pthread_mutex_unlock(&wit.mu);
    if (wl_note_sign_line(n.text, n.text_len, wit.name, WL_SIGTYPE_COSIG_V1, &wit.key,
                          (uint64_t)time(NULL), out, sizeof out) == 0)
        return plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot sign\n");
    return plain(c, MHD_HTTP_OK, out);
rollback:
    wl_store_rollback(wit.s);
    pthread_mutex_unlock(&wit.mu);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    wreq *r = *con_cls;
    (void)cls;
    (void)version;
    if (r == NULL) {
        r = wl_calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->len + *upload_size > WL_WITNESS_BODY_MAX)
            r->too_big = true;
        else {
            memcpy(r->buf + r->len, upload, *upload_size);
            r->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/add-checkpoint") != 0)
        return plain(c, MHD_HTTP_NOT_FOUND, "the witness serves POST /add-checkpoint\n");
    if (strcmp(method, "POST") != 0)
        return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST\n");
    if (r->too_big)
        return plain(c, MHD_HTTP_CONTENT_TOO_LARGE, "body too large\n");
    r->buf[r->len] = '\0';
    return add_checkpoint(c, r->buf, r->len);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    wl_free(*con_cls);
    *con_cls = NULL;
}

static int usage(FILE *f)
{
    fprintf(f, "usage: willing witness --db PATH --key FILE --name NAME --log VKEY...\n"
               "                       [--listen ADDR:PORT]\n"
               "\n"
               "Runs a C2SP tlog-witness: POST /add-checkpoint cosigns checkpoints of the logs\n"
               "given with --log (their Ed25519 verifier keys), after checking consistency\n"
               "with the last one it cosigned. Prints its cosignature verifier key, which\n"
               "`willing serve --witness URL+VKEY` and `willing verify --witness` take.\n"
               "A checkpoint not consistent with the one it cosigned (a split view) is\n"
               "refused (409 or 422) and reported on stderr with both checkpoints.\n"
               "\n"
               "  --db PATH           the witness's state (created if missing)\n"
               "  --key FILE          its private key (willing keygen)\n"
               "  --name NAME         its name, e.g. witness.example/w1\n"
               "  --log VKEY          a log to witness (repeatable)\n"
               "  --listen ADDR:PORT  default 127.0.0.1:9001\n");
    return f == stdout ? 0 : 2;
}

int wl_witness_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"name", required_argument, NULL, 'n'},
        {"log", required_argument, NULL, 'l'},
        {"listen", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *key = NULL, *name = NULL, *listen = "127.0.0.1:9001";
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    wl_keyfile kf;
    wl_vkey v;
    char vk[400];
    sigset_t set;
    int ch, loop = 0, sig;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'l':
            if (wit.nlogs >= WL_WITNESS_LOGS_MAX ||
                wl_vkey_parse(optarg, strlen(optarg), &wit.logs[wit.nlogs]) != WL_OK ||
                wit.logs[wit.nlogs].type != WL_SIGTYPE_ED25519) {
                fprintf(stderr, "willing witness: --log wants a log's Ed25519 verifier key\n");
                return 2;
            }
            wit.nlogs++;
            break;
        case 'L':
            listen = optarg;
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    if (!db || !key || !name || wit.nlogs == 0 || optind != argc)
        return usage(stderr);
    if (!wl_note_valid_name(name, strlen(name))) {
        fprintf(stderr, "willing witness: --name must have no spaces and no '+'\n");
        return 2;
    }
    if (wl_parse_listen(listen, &sa, &loop) != 0 || !loop) {
        fprintf(stderr, "willing witness: --listen wants a loopback ADDR:PORT (put TLS in front "
                        "for anything else)\n");
        return 2;
    }
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (wl_keyfile_read(key, &kf) != WL_OK) {
        fprintf(stderr, "willing witness: cannot read the key %s\n", key);
        return 1;
    }
    wit.key = kf.key;
    wl_key_wipe(&kf.key);
    snprintf(wit.name, sizeof wit.name, "%s", name);
    if (wl_store_open(db, 1, &wit.s) != WL_OK) {
        fprintf(stderr, "willing witness: cannot open %s\n", db);
        return 1;
    }
    pthread_mutex_init(&wit.mu, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
                         NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_NOTIFY_COMPLETED,
                         completed, NULL, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "willing witness: cannot listen on %s\n", listen);
        return 1;
    }
    if (wl_vkey_make(name, WL_SIGTYPE_COSIG_V1, wit.key.pk, &v) != WL_OK ||
        wl_vkey_format(&v, vk, sizeof vk) != WL_OK)
        vk[0] = '\0'; /* not reached: --name was checked (at most WL_KEYNAME_MAX) */
    fprintf(stderr, "willing witness: %s on http://%s\nwilling witness: cosignature key %s\n", name,
            listen, vk);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    wl_store_close(wit.s);
    wl_key_wipe(&wit.key);
    return 0;
}
