/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `willing append` and `willing member add`: build an entry, sign it with a
 * key file, and POST it to a running log. The seq defaults to the current
 * time in microseconds (gaps are allowed); pass --seq to make a retry send
 * the same bytes and get the same index back.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "willing/ledger.h"

uint64_t cli_now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/* The log's origin, read from its checkpoint's first line. */
int cli_fetch_origin(const char *base, char *origin, size_t cap)
{
    char url[1024], err[512];
    cli_buf b = {0};
    long st;
    snprintf(url, sizeof url, "%s/log/checkpoint", base);
    st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    if (st != 200 || b.buf == NULL || strchr(b.buf, '\n') == NULL) {
        fprintf(stderr, "willing: cannot read %s: %s\n", url, st ? "bad answer" : err);
        cli_buf_free(&b);
        return -1;
    }
    snprintf(origin, cap, "%.*s", (int)(strchr(b.buf, '\n') - b.buf), b.buf);
    cli_buf_free(&b);
    return 0;
}

/* Signs and posts one entry; prints the result. */
int cli_post_entry(const char *server, const wl_keyfile *kf, const char *author, const char *kind,
                   const char *body, uint64_t seq, bool json_out, const char *origin_arg,
                   const char *outpath)
{
    char base[1024], origin[WL_ORIGIN_MAX + 1], url[1100], err[512];
    char *entry = NULL, *b64 = NULL, *req = NULL;
    size_t elen = 0;
    cli_buf resp = {0};
    json_t *o;
    long st;
    int ret = 1;

    if (origin_arg) {
        snprintf(origin, sizeof origin, "%s", origin_arg);
    } else {
        cli_base_url(server, base, sizeof base);
        if (cli_fetch_origin(base, origin, sizeof origin) != 0)
            return 1;
    }
    if (wl_entry_build(origin, kind, author, seq, (int64_t)time(NULL), body, &kf->key, &entry,
                       &elen) != WL_OK) {
        fprintf(stderr,
                "willing: cannot build the entry: the body must be one line of JSON "
                "(an object) and the entry at most %u bytes\n",
                WL_ENTRY_MAX);
        return 1;
    }
    if (outpath) {
        /* offline: write the signed note, post it later (curl or willing append --file) */
        FILE *f = strcmp(outpath, "-") == 0 ? stdout : fopen(outpath, "wbx");
        if (f == NULL || fwrite(entry, 1, elen, f) != elen || (f != stdout && fclose(f) != 0)) {
            fprintf(stderr, "willing: cannot write %s (it must not exist)\n", outpath);
            goto out;
        }
        ret = 0;
        goto out;
    }
    b64 = malloc(wl_b64_len(elen) + 1);
    if (b64 == NULL)
        goto out;
    wl_b64_encode((const uint8_t *)entry, elen, b64);
    o = json_pack("{s:s}", "entry", b64);
    req = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    snprintf(url, sizeof url, "%s/api/v1/entries", base);
    st = cli_http("POST", url, "application/json", req, strlen(req), &resp, err, sizeof err);
    if (st == 0) {
        fprintf(stderr, "willing: %s\n", err);
        goto out;
    }
    o = json_loads(resp.buf ? resp.buf : "", 0, NULL);
    if (st == 200 || st == 201) {
        if (json_out)
            printf("%s\n", resp.buf);
        else
            printf("index %lld%s\nleaf_hash %s\n",
                   (long long)json_integer_value(json_object_get(o, "index")),
                   st == 200 ? " (already in the log)" : "",
                   json_string_value(json_object_get(o, "leaf_hash")));
        ret = 0;
    } else {
        const char *code = json_string_value(json_object_get(o, "error"));
        const char *msg = json_string_value(json_object_get(o, "message"));
        if (json_out)
            printf("%s\n", resp.buf ? resp.buf : "");
        fprintf(stderr, "willing: the log refused the entry (%ld %s): %s\n", st, code ? code : "?",
                msg ? msg : "(no message)");
    }
    json_decref(o);
out:
    free(entry);
    free(b64);
    free(req);
    cli_buf_free(&resp);
    return ret;
}

static int load_key(const char *path, const char *author, wl_keyfile *kf, const char **who)
{
    if (wl_keyfile_read(path, kf) != WL_OK) {
        fprintf(stderr, "willing: cannot read the key file %s (PKCS#8 PEM from willing keygen)\n",
                path);
        return -1;
    }
    *who = author ? author : (kf->member[0] ? kf->member : NULL);
    if (*who == NULL) {
        fprintf(stderr, "willing: %s names no member: pass --author ID\n", path);
        return -1;
    }
    return 0;
}

static int append_usage(FILE *f)
{
    fprintf(f, "usage: willing append --server URL --key FILE --kind KIND --body JSON|@FILE\n"
               "                      [--author ID] [--seq N] [--json]\n"
               "       willing append --origin NAME --output FILE --key FILE --kind KIND ...\n"
               "\n"
               "Signs an entry with FILE and appends it to the log at URL. The body is one\n"
               "line of JSON (an object), given inline or read from @FILE (- for stdin).\n"
               "Kinds: statement, member.add, key.add, key.revoke, sealed, announce.\n"
               "\n"
               "  --author ID   the member signing (default: the Member: line of the key file)\n"
               "  --seq N       the author's sequence number (default: time in microseconds);\n"
               "                the same entry sent again returns its first index\n"
               "  --json        print the server's JSON answer\n"
               "  --output FILE sign only: write the entry (a signed note) to FILE (- for\n"
               "                stdout) instead of posting it; for signing offline, with\n"
               "                --origin NAME giving the log's origin\n");
    return f == stdout ? 0 : 2;
}

int cli_append(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"kind", required_argument, NULL, 'K'},
        {"body", required_argument, NULL, 'b'},
        {"author", required_argument, NULL, 'a'},
        {"seq", required_argument, NULL, 'q'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"origin", required_argument, NULL, 'o'},
        {"output", required_argument, NULL, 'O'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *key = NULL, *kind = NULL, *body = NULL, *author = NULL, *who;
    const char *origin = NULL, *output = NULL;
    uint64_t seq = 0;
    bool json_out = false, have_seq = false;
    char *filebody = NULL;
    wl_keyfile kf;
    int ch, ret;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'K':
            kind = optarg;
            break;
        case 'b':
            body = optarg;
            break;
        case 'a':
            author = optarg;
            break;
        case 'q':
            if (wl_parse_u64(optarg, strlen(optarg), &seq) != WL_OK) {
                fprintf(stderr, "willing append: --seq must be a decimal number\n");
                return 2;
            }
            have_seq = true;
            break;
        case 'j':
            json_out = true;
            break;
        case 'o':
            origin = optarg;
            break;
        case 'O':
            output = optarg;
            break;
        case 'h':
            return append_usage(stdout);
        default:
            return append_usage(stderr);
        }
    }
    if ((!server && !(origin && output)) || !key || !kind || !body || optind != argc)
        return append_usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (body[0] == '@') {
        size_t n = 0;
        filebody = cli_read_file(body + 1, WL_ENTRY_MAX, &n);
        if (filebody == NULL) {
            fprintf(stderr, "willing append: cannot read %s (at most %u bytes)\n", body + 1,
                    WL_ENTRY_MAX);
            return 1;
        }
        while (n > 0 && (filebody[n - 1] == '\n' || filebody[n - 1] == '\r'))
            filebody[--n] = '\0';
        body = filebody;
    }
    if (load_key(key, author, &kf, &who) != 0) {
        free(filebody);
        return 1;
    }
    ret = cli_post_entry(server, &kf, who, kind, body, have_seq ? seq : cli_now_us(), json_out,
                         origin, output);
    wl_key_wipe(&kf.key);
    free(filebody);
    return ret;
}

static int member_usage(FILE *f)
{
    fprintf(f, "usage: willing member list --server URL\n"
               "       willing member add --server URL --key OPERATOR_KEY --id ID --name TEXT\n"
               "                          --role ROLE (--pubkey BASE64 | --pubkey-file KEYFILE)\n"
               "                          [--scope sign|login|console] [--json]\n"
               "\n"
               "Adds a member with its first key (a member.add entry signed by the operator).\n"
               "Roles: coordinator, member, host, party, monitor, observer.\n");
    return f == stdout ? 0 : 2;
}

int cli_member(int argc, char **argv)
{
    static const struct option opts[] = {
        {"server", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"id", required_argument, NULL, 'i'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"pubkey", required_argument, NULL, 'p'},
        {"pubkey-file", required_argument, NULL, 'P'},
        {"scope", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *key = NULL, *id = NULL, *name = NULL, *role = NULL;
    const char *pub = NULL, *pubfile = NULL, *scope = "sign", *who;
    char b64[45], *body;
    bool json_out = false;
    wl_keyfile kf;
    json_t *o;
    int ch, ret;

    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        /* willing member list --server URL */
        char base[1024], url[1200], err[512], m[512];
        cli_buf b = {0};
        json_t *doc, *v;
        size_t i;
        long st;
        if (argc != 4 || strcmp(argv[2], "--server") != 0)
            return member_usage(stderr);
        cli_base_url(argv[3], base, sizeof base);
        snprintf(url, sizeof url, "%s/api/v1/members", base);
        st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
        if (st != 200) {
            fprintf(stderr, "willing member list: %s\n",
                    cli_answer_message(st, &b, err, m, sizeof m));
            cli_buf_free(&b);
            return 1;
        }
        doc = json_loads(b.buf, 0, NULL);
        json_array_foreach(json_object_get(doc, "members"), i, v)
        {
            printf("%-16s %-12s %s (entry %lld)\n", json_string_value(json_object_get(v, "member")),
                   json_string_value(json_object_get(v, "role")),
                   json_string_value(json_object_get(v, "name")),
                   (long long)json_integer_value(json_object_get(v, "added")));
        }
        json_decref(doc);
        cli_buf_free(&b);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
            return member_usage(stdout);
        return member_usage(stderr);
    }
    argc--;
    argv++;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            server = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'p':
            pub = optarg;
            break;
        case 'P':
            pubfile = optarg;
            break;
        case 'S':
            scope = optarg;
            break;
        case 'j':
            json_out = true;
            break;
        case 'h':
            return member_usage(stdout);
        default:
            return member_usage(stderr);
        }
    }
    if (!server || !key || !id || !name || !role || (!pub == !pubfile) || optind != argc)
        return member_usage(stderr);
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (pubfile) {
        wl_keyfile mk;
        if (wl_keyfile_read(pubfile, &mk) != WL_OK) {
            fprintf(stderr, "willing member add: cannot read %s\n", pubfile);
            return 1;
        }
        wl_b64_encode(mk.key.pk, 32, b64);
        wl_key_wipe(&mk.key);
        pub = b64;
    }
    if (load_key(key, NULL, &kf, &who) != 0)
        return 1;
    o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "member", id, "name", name, "role", role, "key", pub,
                  "scope", scope);
    body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (body == NULL) {
        fprintf(stderr, "willing member add: the name must be valid UTF-8\n");
        wl_key_wipe(&kf.key);
        return 2;
    }
    ret = cli_post_entry(server, &kf, who, "member.add", body, cli_now_us(), json_out, NULL, NULL);
    free(body);
    wl_key_wipe(&kf.key);
    return ret;
}
