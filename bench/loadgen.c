/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-loadgen: pre-signs entries with a member key, then appends them to
 * a running log over C keep-alive connections (one thread each), one entry
 * per POST or in batches. Prints the rate and latency; with --acks writes one
 * line per acknowledged entry ("index leaf_hash seq"), which the durability
 * test checks after a crash. Used by bench/run.sh and the durability test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "willing/crypto.h"
#include "willing/entry.h"
#include "willing/httpsig.h"
#include "willing/ledger.h"

typedef struct {
    char *req; /* a complete HTTP request */
    size_t len;
    uint64_t seq;
    char leaf[45];
} item;

static item *items;
static size_t nitems, batch = 1;
static atomic_size_t next_item;
static struct sockaddr_in addr;
static FILE *acks;
static pthread_mutex_t acks_mu = PTHREAD_MUTEX_INITIALIZER;
static double *lat;
static atomic_size_t nlat, nerr;
static double duration_limit;
static double t_start;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_to(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one HTTP response; returns its status, body in buf. */
static int read_response(int fd, char *buf, size_t cap, size_t *blen)
{
    size_t got = 0;
    char *hend = NULL;
    long clen = -1;
    int status = 0;
    while (hend == NULL) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
        buf[got] = '\0';
        hend = strstr(buf, "\r\n\r\n");
    }
    sscanf(buf, "HTTP/1.1 %d", &status);
    {
        char *cl = strcasestr(buf, "\r\nContent-Length:");
        if (cl == NULL || cl > hend)
            return -1;
        clen = strtol(cl + 17, NULL, 10);
    }
    hend += 4;
    while ((size_t)(buf + got - hend) < (size_t)clen) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    buf[got] = '\0';
    memmove(buf, hend, (size_t)clen);
    buf[clen] = '\0';
    *blen = (size_t)clen;
    return status;
}

static void *client(void *arg)
{
    char *buf = malloc(1 << 20);
    int fd = connect_to();
    (void)arg;
    while (fd >= 0) {
        size_t i = atomic_fetch_add(&next_item, 1), blen = 0;
        double t0;
        int st;
        if (i >= nitems || (duration_limit > 0 && now() - t_start > duration_limit))
            break;
        t0 = now();
        if (write(fd, items[i].req, items[i].len) != (ssize_t)items[i].len) {
            atomic_fetch_add(&nerr, 1);
            break;
        }
        st = read_response(fd, buf, 1 << 20, &blen);
        if (st < 0) {
            atomic_fetch_add(&nerr, 1);
            break; /* the server went away */
        }
        lat[atomic_fetch_add(&nlat, 1)] = now() - t0;
        if (st != 201 && st != 200) {
            atomic_fetch_add(&nerr, 1);
            fprintf(stderr, "loadgen: %d %s\n", st, buf);
            continue;
        }
        if (acks && batch == 1) {
            char *ix = strstr(buf, "\"index\":");
            pthread_mutex_lock(&acks_mu);
            fprintf(acks, "%lld %s %llu\n", ix ? atoll(ix + 8) : -1LL, items[i].leaf,
                    (unsigned long long)items[i].seq);
            fflush(acks);
            pthread_mutex_unlock(&acks_mu);
        }
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

static int cmp(const void *a, const void *b);

static int sealed_json(char *out, size_t cap, const char *salt, const char *content);

static const char *sealed_field(void *ctx, const char *name)
{
    const char *const *f = ctx; /* host, content-digest */
    if (strcmp(name, "host") == 0)
        return f[0];
    if (strcmp(name, "content-digest") == 0)
        return f[1];
    return NULL;
}

/* A sealed pledge and its POST /api/v1/sealed, signed on willing's RFC 9421 profile. */
static int build_sealed(item *it, const char *origin, const char *host, int port,
                        const wl_keyfile *kf, int sign)
{
    static const char *const comps[] = {"@method", "@authority", "@path", "content-digest"};
    char nonce[33], pid[33], body[256], authority[64], digest[64], keyid[80], rnonce[33];
    char in[1024], sig[256], *content = NULL, *b64c, *json;
    const char *fields[2] = {authority, digest};
    uint8_t rnd[16], salt[32];
    size_t clen = 0, jl;
    char sb[45];
    wl_httpsig_req req;

    randombytes_buf(rnd, 16);
    wl_hex_encode(rnd, 16, nonce);
    randombytes_buf(rnd, 16);
    wl_hex_encode(rnd, 16, pid);
    snprintf(body, sizeof body,
             "{\"category\":\"logistics\",\"pledge\":\"%s\",\"quantity\":\"1\",\"unit\":\"units\"}",
             pid);
    if (wl_sealed_build(origin, "pledge", kf->member, nonce, (int64_t)time(NULL), body, &kf->key,
                        &content, &clen) != WL_OK)
        return -1;
    randombytes_buf(salt, 32);
    wl_b64_encode(salt, 32, sb);
    b64c = malloc(wl_b64_len(clen) + 1);
    json = malloc(wl_b64_len(clen) + 128);
    wl_b64_encode((const uint8_t *)content, clen, b64c);
    jl = (size_t)sealed_json(json, wl_b64_len(clen) + 128, sb, b64c);
    wl_content_digest(json, jl, digest, sizeof digest);
    snprintf(authority, sizeof authority, "%s:%d", host, port);
    snprintf(keyid, sizeof keyid, "%s/%08x", kf->member,
             (unsigned)wl_entry_key_id(kf->member, kf->key.pk));
    randombytes_buf(rnd, 16);
    wl_hex_encode(rnd, 16, rnonce);
    req = (wl_httpsig_req){"POST", authority, "/api/v1/sealed", NULL, sealed_field, fields};
    if (wl_httpsig_sign(&req, "willing", comps, 4, (int64_t)time(NULL), keyid, rnonce, NULL,
                        &kf->key, in, sizeof in, sig, sizeof sig) != WL_OK)
        return -1;
    it->req = malloc(jl + 2048);
    if (sign)
        it->len = (size_t)snprintf(it->req, jl + 2048,
                                   "POST /api/v1/sealed HTTP/1.1\r\nHost: %s\r\nContent-Type: "
                                   "application/json\r\nContent-Digest: %s\r\nSignature-Input: "
                                   "%s\r\nSignature: %s\r\nContent-Length: %zu\r\n\r\n",
                                   authority, digest, in, sig, jl);
    else /* the content's own signature authenticates it, as the CLI sends it */
        it->len = (size_t)snprintf(it->req, jl + 2048,
                                   "POST /api/v1/sealed HTTP/1.1\r\nHost: %s\r\nContent-Type: "
                                   "application/json\r\nContent-Length: %zu\r\n\r\n",
                                   authority, jl);
    memcpy(it->req + it->len, json, jl);
    it->len += jl;
    wl_free(content);
    free(b64c);
    free(json);
    return 0;
}

static int sealed_json(char *out, size_t cap, const char *salt, const char *content)
{
    return snprintf(out, cap, "{\"salt\":\"%s\",\"content\":\"%s\"}", salt, content);
}

static void free_items(void)
{
    for (size_t i = 0; i < nitems; i++)
        free(items[i].req);
    free(items);
    free(lat);
}

/*
 * Publication latency: append one entry, then poll /log/checkpoint until a
 * published checkpoint covers it; n times in a row.
 */
static int publish_latency(size_t n)
{
    static const char get[] = "GET /log/checkpoint HTTP/1.1\r\nHost: x\r\n\r\n";
    char *buf = malloc(1 << 20);
    double *pl = calloc(n, sizeof *pl);
    size_t done = 0, blen;
    int fd = connect_to();
    if (fd < 0 || buf == NULL || pl == NULL)
        return 1;
    for (size_t i = 0; i < n && i < nitems; i++) {
        long long idx;
        double t0;
        char *ix;
        if (write(fd, items[i].req, items[i].len) != (ssize_t)items[i].len ||
            read_response(fd, buf, 1 << 20, &blen) != 201)
            break;
        t0 = now();
        ix = strstr(buf, "\"index\":");
        idx = ix ? atoll(ix + 8) : -1;
        for (;;) {
            char *nl;
            long long size;
            if (write(fd, get, sizeof get - 1) != (ssize_t)(sizeof get - 1) ||
                read_response(fd, buf, 1 << 20, &blen) != 200)
                goto out;
            nl = strchr(buf, '\n');
            size = nl ? atoll(nl + 1) : 0;
            if (size > idx)
                break;
            usleep(2000);
        }
        pl[done++] = now() - t0;
    }
out:
    qsort(pl, done, sizeof *pl, cmp);
    printf("{\"publish_samples\":%zu,\"publish_p50_ms\":%.1f,\"publish_p99_ms\":%.1f,"
           "\"publish_max_ms\":%.1f}\n",
           done, done ? pl[done / 2] * 1000 : 0,
           done ? pl[(size_t)((double)done * 0.99)] * 1000 : 0, done ? pl[done - 1] * 1000 : 0);
    close(fd);
    free(buf);
    free(pl);
    return done == n ? 0 : 1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'H'},       {"port", required_argument, NULL, 'p'},
        {"key", required_argument, NULL, 'k'},        {"origin", required_argument, NULL, 'o'},
        {"count", required_argument, NULL, 'n'},      {"clients", required_argument, NULL, 'c'},
        {"batch", required_argument, NULL, 'b'},      {"acks", required_argument, NULL, 'a'},
        {"seq-base", required_argument, NULL, 's'},   {"seconds", required_argument, NULL, 't'},
        {"body-bytes", required_argument, NULL, 'B'}, {"control-pad", no_argument, NULL, 'C'},
        {"publish-latency", no_argument, NULL, 'P'},  {"sealed", no_argument, NULL, 'S'},
        {"sign-requests", no_argument, NULL, 'G'},    {NULL, 0, NULL, 0}};
    int publish_mode = 0, sealed_mode = 0, sign_requests = 0;
    const char *host = "127.0.0.1", *keyp = NULL, *origin = NULL;
    int port = 8080, ch;
    size_t count = 10000, clients = 64, body_bytes = 200;
    int control_pad = 0; /* pad with U+0001, written \u0001: 6 bytes of JSON a character */
    uint64_t seq_base = 0;
    wl_keyfile kf;
    pthread_t *th;
    double t_sign, t_send, elapsed;

    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'H':
            host = optarg;
            break;
        case 'p':
            port = atoi(optarg);
            break;
        case 'k':
            keyp = optarg;
            break;
        case 'o':
            origin = optarg;
            break;
        case 'n':
            count = strtoul(optarg, NULL, 10);
            break;
        case 'c':
            clients = strtoul(optarg, NULL, 10);
            break;
        case 'b':
            batch = strtoul(optarg, NULL, 10);
            break;
        case 'a':
            acks = fopen(optarg, "w");
            break;
        case 's':
            seq_base = strtoull(optarg, NULL, 10);
            break;
        case 't':
            duration_limit = atof(optarg);
            break;
        case 'B':
            body_bytes = strtoul(optarg, NULL, 10);
            break;
        case 'C':
            control_pad = 1;
            break;
        case 'P':
            publish_mode = 1;
            break;
        case 'S':
            sealed_mode = 1;
            break;
        case 'G':
            sign_requests = 1;
            break;
        default:
            fprintf(stderr, "usage: willing-loadgen --key FILE --origin O [--host H] [--port P] "
                            "[--count N] [--clients C] [--batch B] [--acks FILE] [--seq-base S] "
                            "[--seconds T] [--body-bytes N [--control-pad]] [--publish-latency] "
                            "[--sealed [--sign-requests]]\n");
            return 2;
        }
    }
    if (keyp == NULL || origin == NULL || batch < 1 || batch > 1000 || clients < 1)
        return 2;
    if (wl_crypto_init() != WL_OK || wl_keyfile_read(keyp, &kf) != WL_OK || !kf.member[0]) {
        fprintf(stderr, "loadgen: cannot read the key %s (it must name its member)\n", keyp);
        return 1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &addr.sin_addr);
    if (seq_base == 0)
        seq_base = (uint64_t)time(NULL) * 1000000u;

    /* pre-sign */
    t_sign = now();
    if (sealed_mode) {
        batch = 1;
        nitems = count;
        items = calloc(nitems, sizeof *items);
        lat = calloc(nitems, sizeof *lat);
        for (size_t i = 0; i < nitems; i++)
            if (build_sealed(&items[i], origin, host, port, &kf, sign_requests) != 0)
                return 1;
        goto signed_all;
    }
    nitems = (count + batch - 1) / batch;
    items = calloc(nitems, sizeof *items);
    lat = calloc(nitems, sizeof *lat);
    {
        size_t unit = control_pad ? 6 : 1, padlen = body_bytes * unit;
        char *pad = malloc(padlen + 1);
        for (size_t k = 0; k < body_bytes; k++)
            memcpy(pad + k * unit, control_pad ? "\\u0001" : "x", unit);
        pad[padlen] = '\0';
        for (size_t i = 0; i < nitems; i++) {
            size_t cap = 256 + batch * (padlen * 2 + 1024), off;
            char *json = malloc(cap), body[65536];
            off = (size_t)snprintf(json, cap, batch > 1 ? "{\"entries\":[" : "{\"entry\":");
            for (size_t j = 0; j < batch; j++) {
                char *e;
                size_t elen;
                uint64_t seq = seq_base + i * batch + j;
                snprintf(body, sizeof body, "{\"text\":\"load %llu %s\"}", (unsigned long long)seq,
                         pad);
                if (wl_entry_build(origin, "statement", kf.member, seq, (int64_t)time(NULL), body,
                                   &kf.key, &e, &elen) != WL_OK)
                    return 1;
                if (j == 0) {
                    wl_entry pe;
                    if (wl_entry_parse(e, elen, &pe, NULL, 0) != WL_OK)
                        return 1;
                    wl_b64_encode(pe.leaf, 32, items[i].leaf);
                    wl_entry_clear(&pe);
                    items[i].seq = seq;
                }
                off += (size_t)snprintf(json + off, cap - off, "%s\"", j ? "," : "");
                wl_b64_encode((const uint8_t *)e, elen, json + off);
                off += strlen(json + off);
                json[off++] = '"';
                wl_free(e);
            }
            off += (size_t)snprintf(json + off, cap - off, batch > 1 ? "]}" : "}");
            items[i].req = malloc(off + 256);
            items[i].len =
                (size_t)snprintf(items[i].req, off + 256,
                                 "POST /api/v1/entries%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: "
                                 "application/json\r\nContent-Length: %zu\r\n\r\n",
                                 batch > 1 ? ":batch" : "", host, port, off);
            memcpy(items[i].req + items[i].len, json, off);
            items[i].len += off;
            free(json);
        }
        free(pad);
    }
signed_all:
    t_sign = now() - t_sign;

    if (publish_mode) {
        int r = publish_latency(nitems);
        free_items();
        return r;
    }
    th = calloc(clients, sizeof *th);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    t_start = t_send = now();
    for (size_t i = 0; i < clients; i++)
        pthread_create(&th[i], NULL, client, NULL);
    for (size_t i = 0; i < clients; i++)
        pthread_join(th[i], NULL);
    elapsed = now() - t_send;
    getrusage(RUSAGE_SELF, &ru1);
    double cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                 (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
                 (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                 (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    qsort(lat, nlat, sizeof *lat, cmp);
    {
        size_t n = atomic_load(&nlat), e = atomic_load(&nerr);
        size_t entries = (n - (e < n ? e : n)) * batch;
        printf("{\"requests\":%zu,\"entries\":%zu,\"errors\":%zu,\"clients\":%zu,\"batch\":%zu,"
               "\"seconds\":%.3f,\"entries_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,"
               "\"sign_seconds\":%.3f,\"cpu_seconds\":%.3f}\n",
               n, entries, e, clients, batch, elapsed, (double)entries / elapsed,
               n ? lat[n / 2] * 1000 : 0, n ? lat[(size_t)((double)n * 0.99)] * 1000 : 0, t_sign,
               cpu);
    }
    if (acks)
        fclose(acks);
    wl_key_wipe(&kf.key);
    free(th);
    free_items();
    return 0;
}
