/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing serve`: opens the ledger, checks it against its last checkpoint,
 * starts the sequencer and the publisher, and serves HTTP until SIGINT or
 * SIGTERM. TLS is required for any address but loopback.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "admit.h"
#include "daemon.h"
#include "http.h"
#include "keys.h"
#include "precheck.h"
#include "readonly.h"
#include "sequencer.h"
#include "serve.h"
#include "threads.h"
#include "willing/coalition.h"
#include "writer.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: willing serve [--db PATH|URL] [--listen ADDR:PORT] [options]\n"
               "\n"
               "Serves the ledger: the C2SP tlog-tiles read API under /log/, the write and\n"
               "proof API under /api/v1/, and the console at /.\n"
               "\n"
               "  --db PATH|URL        the ledger: a SQLite file (default var/willing.db) or a\n"
               "                       postgres:// URL (the password in PGPASSFILE, ~/.pgpass\n"
               "                       or PGPASSWORD). One serve writes it; another on the same\n"
               "                       ledger stands by, serving reads, and takes over writing\n"
               "                       when the first stops (docs/OPERATIONS.md)\n"
               "  --db-wait S          wait up to S seconds for a PostgreSQL server that cannot\n"
               "                       be reached at start (default 30)\n"
               "  --log-key FILE       the log's signing key (default PATH.log.key)\n"
               "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080)\n"
               "  --tls-cert FILE      PEM certificate; required off loopback\n"
               "  --tls-key FILE       PEM private key for --tls-cert\n"
               "  --witness URL+VKEY   a witness to cosign each checkpoint (repeatable), e.g.\n"
               "                       http://127.0.0.1:9001+w1.example+1a2b3c4d+BASE64\n"
               "  --witness-timeout MS how long a round of cosignatures may take: the witnesses\n"
               "                       are asked at once, and the checkpoint goes out with the\n"
               "                       cosignatures that came in time (default half the\n"
               "                       interval, at least 200)\n"
               "  --interval MS        checkpoint interval in milliseconds (default 500)\n"
               "  --threads N          HTTP worker threads (default: the number of CPUs)\n"
               "  --operator-key FILE  the operator's entry key, which signs sealed envelopes\n"
               "                       and receipts (default PATH.operator.key)\n"
               "  --seal-interval S    seconds between batches of sealed envelopes (default 600;\n"
               "                       0 turns sealing off)\n"
               "  --seal-batch N       envelopes per batch, padded with dummies (default 16)\n"
               "  --web DIR            the console's files (default: " WL_WEB_DIR ")\n"
               "  --public-url URL     where readers reach this log, for absolute links (the\n"
               "                       Atom feed); default http(s)://ADDR:PORT of --listen\n"
               "  --client-timeout S   cut off a client idle for S seconds, or whose request\n"
               "                       body takes longer than S seconds (default 10)\n"
               "  --header-timeout S   close a connection whose request headers are not all in\n"
               "                       S seconds after it opened or after its last answer\n"
               "                       (default 5)\n"
               "  --max-connections N  connections open at once (default: 8192, or fewer if\n"
               "                       the open-file limit is lower)\n"
               "  --max-per-address N  connections open at once from one address (default 128)\n"
               "  --body-budget MIB    request bodies held in memory at once, all connections\n"
               "                       together; a request over it gets 503 (default 256)\n"
               "  --blob-max BYTES     the largest blob (document) PUT /api/v1/blobs/HASH takes;\n"
               "                       more is refused 413 too_large, before it is read when\n"
               "                       Content-Length says so (default 16777216, 16 MiB; at\n"
               "                       most 268435456 and less than --body-budget)\n"
               "  --read-only          serve reads only, from a database another serve writes (a\n"
               "                       streaming replica, or the writer's SQLite file): no\n"
               "                       write of any kind; changes get 503 read_only; the latest\n"
               "                       checkpoint stored is read every --interval and served\n"
               "                       with the tiles, entries and proofs it covers; no key file\n"
               "  --primary URL        with --read-only: where writes go, named in the refusal\n"
               "  -h, --help           this help\n");
}

/*
 * The TLS private key as read, and its allocation's size: wiped and freed by
 * wl_serve_main on every way out of serve (libmicrohttpd reads it at start).
 */
static char *tls_key;
static size_t tls_key_size;

/*
 * The connection caps: each connection holds a descriptor, so the global cap
 * stays under the open-file limit (raised to its hard limit first), with
 * room for the database, the log files and the listening socket.
 */
static int connection_limits(wl_server *s)
{
    struct rlimit rl;
    unsigned fit = 8192, want = s->max_connections;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)fit + 256)
            fit = rl.rlim_cur > 320 ? (unsigned)rl.rlim_cur - 256 : 64;
    }
    if (want == 0)
        want = fit;
    if (want > fit) {
        fprintf(stderr,
                "willing serve: --max-connections %u is over what the open-file limit "
                "allows (%u; raise `ulimit -n`)\n",
                want, fit);
        return -1;
    }
    s->max_connections = want;
    if (s->max_per_address < 1 || s->max_per_address > want) {
        fprintf(stderr, "willing serve: --max-per-address must be 1 to %u\n", want);
        return -1;
    }
    return 0;
}

int wl_parse_listen(const char *s, struct sockaddr_in *sa, int *loopback)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    unsigned long port;
    char *end;
    memset(sa, 0, sizeof *sa);
    if (colon == NULL || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    port = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || port > 65535 || colon[1] == '\0')
        return -1;
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        memcpy(host, "127.0.0.1", 10);
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -1;
    *loopback = (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
    return 0;
}

static int parse_witness(const char *arg, wl_witness_peer *w)
{
    /* URL+VKEY: the first '+' after which a valid cosignature vkey follows
     * (vkey names have no '+', but their base64 may) */
    memset(w, 0, sizeof *w);
    for (const char *p = strchr(arg, '+'); p; p = strchr(p + 1, '+')) {
        if ((size_t)(p - arg) >= sizeof w->url)
            break;
        if (wl_vkey_parse(p + 1, strlen(p + 1), &w->vkey) == WL_OK &&
            w->vkey.type == WL_SIGTYPE_COSIG_V1) {
            memcpy(w->url, arg, (size_t)(p - arg));
            return 0;
        }
    }
    return -1;
}

/* Copies s into out (cap bytes); 0 if it does not fit. */
static int fits(char *out, size_t cap, const char *s)
{
    int n = snprintf(out, cap, "%s", s);
    return n >= 0 && (size_t)n < cap;
}

/*
 * The public URL: given (http:// or https://, a host, printable ASCII without
 * quotes, angle brackets, spaces, a query or a fragment; the trailing slash
 * dropped), or http(s)://ADDR:PORT of --listen.
 */
static int public_url_set(wl_server *srv, const char *given, const char *listen)
{
    size_t n;
    int w;
    if (given == NULL) {
        w = snprintf(srv->public_url, sizeof srv->public_url, "%s://%s",
                     srv->tls ? "https" : "http", listen);
        return w >= 0 && (size_t)w < sizeof srv->public_url ? 0 : -1;
    }
    n = strlen(given);
    if (n > WL_PUBLIC_URL_MAX || !fits(srv->public_url, sizeof srv->public_url, given))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (given[i] <= ' ' || given[i] >= 0x7f || strchr("\"'<>?#\\`", given[i]))
            return -1;
    if (strncmp(given, "https://", 8) != 0 && strncmp(given, "http://", 7) != 0)
        return -1;
    while (n > 0 && srv->public_url[n - 1] == '/')
        srv->public_url[--n] = '\0';
    if (n <= strlen("https://") - (given[4] == ':'))
        return -1; /* no host */
    return 0;
}

static int serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"log-key", required_argument, NULL, 'k'},
        {"listen", required_argument, NULL, 'l'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'K'},
        {"witness", required_argument, NULL, 'w'},
        {"interval", required_argument, NULL, 'i'},
        {"witness-timeout", required_argument, NULL, 'Y'},
        {"threads", required_argument, NULL, 't'},
        {"client-timeout", required_argument, NULL, 'T'},
        {"header-timeout", required_argument, NULL, 'H'},
        {"max-connections", required_argument, NULL, 'M'},
        {"max-per-address", required_argument, NULL, 'A'},
        {"body-budget", required_argument, NULL, 'b'},
        {"operator-key", required_argument, NULL, 'O'},
        {"seal-interval", required_argument, NULL, 'S'},
        {"seal-batch", required_argument, NULL, 'B'},
        {"web", required_argument, NULL, 'W'},
        {"public-url", required_argument, NULL, 'P'},
        {"blob-max", required_argument, NULL, 'X'},
        {"read-only", no_argument, NULL, 'R'},
        {"primary", required_argument, NULL, 'p'},
        {"db-wait", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = "var/willing.db", *listen = "127.0.0.1:8080", *keypath = NULL;
    const char *certpath = NULL, *tlskeypath = NULL, *opkeypath = NULL, *webdir = WL_WEB_DIR;
    const char *public_url = NULL;
    pthread_t seal_thread, warm_thread, tree_thread;
    wl_store *sstore = NULL, *cstore = NULL, *tstore = NULL;
    char *cert = NULL, *meta = NULL, why[512];
    size_t cert_size = 0;
    unsigned threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    struct sockaddr_in sa;
    int loopback = 0, ch, sig;
    wl_store *wstore = NULL, *pstore = NULL;
    pthread_t seq_thread, pub_thread;
    sigset_t set;
    static wl_server server;
    unsigned long budget_mib = 256;
    unsigned db_wait = 30;
    const char *blob_max = NULL;
    wl_rc rc;

    wl_srv = &server;
    server.interval_ms = 500;
    server.client_timeout = 10;
    server.header_timeout = 5;
    server.max_per_address = 128;
    server.seal_interval = 600;
    server.seal_batch = 16;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            keypath = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 'c':
            certpath = optarg;
            break;
        case 'K':
            tlskeypath = optarg;
            break;
        case 'w':
            if (server.nwitnesses >= WL_WITNESS_MAX ||
                parse_witness(optarg, &server.witnesses[server.nwitnesses]) != 0) {
                fprintf(stderr,
                        "willing serve: --witness wants URL+VKEY with a cosignature "
                        "(type 0x04) verifier key, at most %u of them\n",
                        WL_WITNESS_MAX);
                return 2;
            }
            server.nwitnesses++;
            break;
        case 'Y':
            server.witness_timeout_ms = (unsigned)strtoul(optarg, NULL, 10);
            if (server.witness_timeout_ms < 10 || server.witness_timeout_ms > 600000) {
                fprintf(stderr, "willing serve: --witness-timeout must be 10 to 600000 ms\n");
                return 2;
            }
            break;
        case 'i':
            server.interval_ms = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 't':
            threads = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'T':
            server.client_timeout = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'H':
            server.header_timeout = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'M':
            server.max_connections = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'A':
            server.max_per_address = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'b':
            budget_mib = strtoul(optarg, NULL, 10);
            break;
        case 'O':
            opkeypath = optarg;
            break;
        case 'S':
            server.seal_interval = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'B':
            server.seal_batch = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'W':
            webdir = optarg;
            break;
        case 'P':
            public_url = optarg;
            break;
        case 'X':
            blob_max = optarg;
            break;
        case 'R':
            server.read_only = true;
            break;
        case 'p':
            if ((strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) ||
                !fits(server.primary_url, sizeof server.primary_url, optarg)) {
                fprintf(stderr, "willing serve: --primary wants an http:// or https:// URL\n");
                return 2;
            }
            break;
        case 'D':
            db_wait = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (server.primary_url[0] && !server.read_only) {
        fprintf(stderr, "willing serve: --primary needs --read-only (it names where a read-only "
                        "server's refused writes go)\n");
        usage(stderr);
        return 2;
    }
    if (server.read_only)
        server.seal_interval = 0; /* the sealer writes */
    if (server.interval_ms < 10 || server.interval_ms > 600000) {
        fprintf(stderr, "willing serve: --interval must be 10 to 600000 ms\n");
        return 2;
    }
    if (server.witness_timeout_ms == 0)
        server.witness_timeout_ms = server.interval_ms / 2 > 200 ? server.interval_ms / 2 : 200;
    if (server.client_timeout < 1 || server.client_timeout > 3600) {
        fprintf(stderr, "willing serve: --client-timeout must be 1 to 3600 seconds\n");
        return 2;
    }
    if (server.header_timeout < 1 || server.header_timeout > 3600) {
        fprintf(stderr, "willing serve: --header-timeout must be 1 to 3600 seconds\n");
        return 2;
    }
    if (budget_mib <= (WL_BODY_MAX_BATCH >> 20) || budget_mib > 65536) {
        fprintf(stderr,
                "willing serve: --body-budget must be %u to 65536 MiB (one batch may "
                "be %u MiB)\n",
                (WL_BODY_MAX_BATCH >> 20) + 1, WL_BODY_MAX_BATCH >> 20);
        return 2;
    }
    server.body_budget = (size_t)budget_mib << 20;
    server.blob_max = WL_BLOB_MAX;
    if (blob_max) {
        char *end = NULL;
        unsigned long long v = strtoull(blob_max, &end, 10);
        if (blob_max[0] < '0' || blob_max[0] > '9' || *end != '\0' || v < 1 ||
            v > WL_BLOB_MAX_CEILING || v >= server.body_budget) {
            fprintf(stderr,
                    "willing serve: --blob-max must be 1 to %u bytes and less than "
                    "--body-budget (%lu MiB)\n",
                    WL_BLOB_MAX_CEILING, budget_mib);
            return 2;
        }
        server.blob_max = (size_t)v;
    }
    if (connection_limits(&server) != 0)
        return 2;
    if (server.seal_interval > 86400 || server.seal_batch < 1 ||
        server.seal_batch > WL_SEAL_BATCH_MAX) {
        fprintf(stderr, "willing serve: --seal-interval is 0 to 86400 s, --seal-batch 1 to %u\n",
                WL_SEAL_BATCH_MAX);
        return 2;
    }
    if (threads < 1 || threads > 64)
        threads = 2;
    if (wl_parse_listen(listen, &sa, &loopback) != 0) {
        fprintf(stderr, "willing serve: --listen wants IPv4ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    if (!loopback && (certpath == NULL || tlskeypath == NULL)) {
        fprintf(stderr, "willing serve: %s is not loopback: give --tls-cert and --tls-key\n",
                listen);
        return 2;
    }
    if ((certpath == NULL) != (tlskeypath == NULL)) {
        fprintf(stderr, "willing serve: --tls-cert and --tls-key go together\n");
        return 2;
    }
    if (certpath &&
        (wl_serve_read_file(certpath, WL_TLS_FILE_MAX, &cert, &cert_size) != 0 ||
         wl_serve_read_file(tlskeypath, WL_TLS_FILE_MAX, &tls_key, &tls_key_size) != 0)) {
        fprintf(stderr,
                "willing serve: cannot read the TLS certificate or key (files of at most %u "
                "bytes)\n",
                WL_TLS_FILE_MAX);
        wl_free(cert);
        return 1;
    }
    if (wl_crypto_init() != WL_OK || wl_modules_register() != WL_OK ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "willing serve: cannot initialise the crypto library\n");
        return 1;
    }
    server.tls = certpath != NULL;
    if (public_url_set(&server, public_url, listen) != 0) {
        fprintf(stderr,
                "willing serve: --public-url wants http:// or https:// and a host, without "
                "spaces, quotes or a query, at most %u bytes\n",
                WL_PUBLIC_URL_MAX);
        return 2;
    }
    if (!fits(server.db_path, sizeof server.db_path, db) ||
        !fits(server.web_dir, sizeof server.web_dir, webdir)) {
        fprintf(stderr, "willing serve: --db and --web are paths of at most %zu bytes\n",
                sizeof server.db_path - 1);
        return 2;
    }
    if (wl_writer_open(db, db_wait, &wstore) != WL_OK)
        return 1;
    if (wl_store_meta_get(wstore, "origin", &meta) != WL_OK) {
        fprintf(stderr, "willing serve: %s has no origin: was it made by `willing init`?\n", db);
        return 1;
    }
    if (wl_fmt(server.origin, sizeof server.origin, "%s", meta) != WL_OK) {
        fprintf(stderr, "willing serve: %s names an origin longer than %u bytes\n", db,
                WL_ORIGIN_MAX);
        wl_free(meta);
        return 1;
    }
    wl_free(meta);
    if (server.read_only ? wl_readonly_identity(&server, wstore, db) != 0
                         : wl_serve_read_keys(&server, wstore, db, keypath, opkeypath) != 0)
        return 1;
    if (wl_startup_check(wstore, why, sizeof why) != WL_OK) {
        fprintf(stderr, "willing serve: refusing to serve %s: %s. Run `willing fsck --db %s`.\n",
                db, why, db);
        return 1;
    }
    if (!server.read_only && wl_store_writable(wstore, why, sizeof why) != WL_OK) {
        fprintf(stderr,
                "willing serve: refusing to serve %s: it cannot be written (%s); check the "
                "permissions of the file and its directory, the mount and the free space\n",
                db, why);
        return 1;
    }
    rc = server.read_only ? WL_OK : wl_store_writer_lock(wstore, 0, why, sizeof why);
    if (rc == WL_ERR_CONFLICT) {
        fprintf(stderr, "willing serve: standby: another willing serve writes this ledger; "
                        "waiting to take over\n");
        server.standby = true; /* reads only; the sequencer takes over when it can */
    } else if (rc != WL_OK) {
        fprintf(stderr, "willing serve: cannot take the writer's lock of %s: %s\n", db, why);
        return 1;
    }
    if (wl_store_size(wstore, &server.size) != WL_OK || wl_store_open(db, 0, &pstore) != WL_OK) {
        fprintf(stderr, "willing serve: cannot open %s: %s\n", db, wl_store_errmsg(wstore));
        return 1;
    }
    if (server.read_only || server.standby) /* the size served is the checkpoint's */
        server.size = server.cp_note ? server.cp_size : 0;
    pthread_mutex_init(&server.mu, NULL);
    pthread_cond_init(&server.cv, NULL);
    pthread_cond_init(&server.cp_cv, NULL);
    pthread_cond_init(&server.done_cv, NULL);

    /* Signals go to the main thread only. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    if (wl_admit_start(server.header_timeout, server.body_budget) != 0) {
        fprintf(stderr, "willing serve: cannot start the header deadline's thread\n");
        return 1;
    }
    if (!server.read_only)
        wl_precheck_start(db); /* threads that check a large batch's entries with its worker */
    server.mhd = wl_http_start((const struct sockaddr *)&sa, threads, cert, tls_key);
    if (server.mhd == NULL) {
        fprintf(stderr, "willing serve: cannot listen on %s (in use?)\n", listen);
        return 1;
    }
    wl_sequencer_on_round(wl_sealed_receipts);
    wl_sequencer_on_round(wl_incidents_on_round);
    wl_incidents_start(wstore); /* in the background: rounds are queued meanwhile */
    /* a reader: a thread that refuses jobs for the sequencer, one that follows checkpoints */
    if (server.read_only)
        pthread_create(&seq_thread, NULL, wl_readonly_refuser_main, wstore);
    else /* the writer: it takes the writer's lock, or stands by until it can */
        pthread_create(&seq_thread, NULL, wl_writer_main, &wstore);
    if ((server.read_only ? wl_readonly_follow_once : wl_publish_once)(pstore, why, sizeof why) !=
        WL_OK) {
        fprintf(stderr, "willing serve: cannot publish a checkpoint: %s\n", why);
        return 1;
    }
    pthread_create(&pub_thread, NULL,
                   server.read_only ? wl_readonly_follow_main : wl_publisher_main, pstore);
    if (wl_store_open(db, 0, &sstore) != WL_OK) {
        fprintf(stderr, "willing serve: cannot open %s for the sealer\n", db);
        return 1;
    }
    if (server.seal_interval > 0)
        pthread_create(&seal_thread, NULL, wl_sealer_main, sstore);
    if (wl_store_open(db, 0, &cstore) != WL_OK) {
        fprintf(stderr, "willing serve: cannot open %s for the coverage views\n", db);
        return 1;
    }
    pthread_create(&warm_thread, NULL, wl_coverage_warmer_main, cstore);
    if (wl_store_open(db, 0, &tstore) != WL_OK) {
        fprintf(stderr, "willing serve: cannot open %s for the tree's warm-up\n", db);
        return 1;
    }
    pthread_create(&tree_thread, NULL, wl_tree_warmer_main, tstore); /* it closes tstore */
    {
        char vk[400];
        uint64_t size;
        bool standby;
        if (wl_vkey_format(&server.log_vkey, vk, sizeof vk) != WL_OK)
            vk[0] = '\0';               /* not reached: 400 bytes hold any vkey */
        pthread_mutex_lock(&server.mu); /* the sequencer runs already */
        size = server.size;
        standby = server.standby;
        pthread_mutex_unlock(&server.mu);
        fprintf(stderr, "willing: serving %s (%llu entries%s) on %s://%s\nwilling: log key %s\n",
                server.origin, (unsigned long long)size,
                server.read_only ? ", read-only"
                : standby        ? ", as a standby: reads only"
                                 : "",
                cert ? "https" : "http", listen, vk);
    }
    sigdelset(&set, SIGPIPE);
    sigwait(&set, &sig);
    fprintf(stderr, "willing: stopping\n");
    MHD_quiesce_daemon(server.mhd);
    pthread_mutex_lock(&server.mu);
    server.stopping = true;
    pthread_cond_broadcast(&server.cp_cv);
    pthread_mutex_unlock(&server.mu);
    pthread_join(pub_thread, NULL); /* its last checkpoint goes through the sequencer */
    pthread_join(warm_thread, NULL);
    pthread_join(tree_thread, NULL);
    if (server.seal_interval > 0)
        pthread_join(seal_thread, NULL);
    pthread_mutex_lock(&server.mu);
    server.seq_stopping = true;
    pthread_cond_broadcast(&server.cv);
    pthread_mutex_unlock(&server.mu);
    pthread_join(seq_thread, NULL);
    MHD_stop_daemon(server.mhd);
    wl_precheck_stop(); /* no request is left to ask it */
    wl_admit_stop();
    wl_incidents_wait(); /* its build thread reads through its own thread's store */
    wl_thread_stores_close();
    wl_store_close(wstore);
    wl_store_close(pstore);
    wl_store_close(sstore);
    wl_store_close(cstore);
    wl_key_wipe(&server.log_key);
    wl_key_wipe(&server.op_key);
    wl_free(cert);
    return server.damaged ? 1 : 0;
}

/* serve, then the log's, the operator's and the TLS keys wiped on every path out of it */
int wl_serve_main(int argc, char **argv)
{
    int rc = serve(argc, argv);
    if (wl_srv != NULL) {
        wl_key_wipe(&wl_srv->log_key);
        wl_key_wipe(&wl_srv->op_key);
    }
    if (tls_key != NULL) {
        sodium_memzero(tls_key, tls_key_size);
        wl_free(tls_key);
        tls_key = NULL;
        tls_key_size = 0;
    }
    return rc;
}
