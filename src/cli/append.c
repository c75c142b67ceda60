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
               "Kinds: statement, member.add, key.add, key.revoke, member.status, sealed,\n"
               "announce. Members and keys (member.add, key.add, key.revoke,\n"
               "member.status) change only with a key of scope sign; a console key writes\n"
               "the rest; a login key writes nothing.\n"
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

static const cli_sub member_subs[] = {
    {"list", "list --server URL [--key FILE] [--json]",
     "The public members; signed with --key, the coordinator sees every member\n"
     "and its status, a sealed member also itself.\n"},
    {"add",
     "add --server URL --key OPERATOR_KEY --id ID --name TEXT\n"
     "                          --role ROLE (--pubkey BASE64 | --pubkey-file KEYFILE)\n"
     "                          [--scope sign|login|console] [--sealed] [--json]",
     "The operator adds a member with its first key (OPERATOR_KEY: a sign key).\n"
     "In public (a member.add entry) the member is announced at once; with\n"
     "--sealed it is invited and appears in nothing public: only the operator,\n"
     "the coordinator and the member itself know of it, until it announces.\n"
     "Roles: coordinator, member, host, party, monitor, observer.\n"},
    {"willing", "willing --server URL --key FILE [--json]",
     "A sealed member tells the coordinator, privately, that it is willing.\n"},
    {"announce", "announce --server URL --key FILE [--json]",
     "A sealed member makes its membership public (its member.add and keys are\n"
     "revealed, dated by their envelopes). FILE is a key of scope sign.\n"},
    {"withdraw", "withdraw --server URL --key FILE [--json]",
     "The member withdraws (privately if sealed, else in public).\n"},
};

static int member_usage_for(FILE *f, const char *sub)
{
    return cli_usage(f, "member", member_subs, sizeof member_subs / sizeof member_subs[0], sub,
                     "Members and keys change only with a key of scope sign. `willing member\n"
                     "<subcommand> --help` says more.\n");
}

static int member_usage(FILE *f)
{
    return member_usage_for(f, NULL);
}

static int member_list(const char *server, const char *keyp)
{
    char base[1024], url[1200], err[512], m[512];
    cli_buf b = {0};
    json_t *doc, *v;
    wl_keyfile kf;
    size_t i;
    long st;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/members", base);
    if (keyp) {
        if (cli_member_key("member", keyp, &kf) != 0)
            return 1;
        st = cli_signed_http("GET", url, NULL, 0, &kf, &b, err, sizeof err);
        wl_key_wipe(&kf.key);
    } else {
        st = cli_http("GET", url, NULL, NULL, 0, &b, err, sizeof err);
    }
    if (st != 200) {
        fprintf(stderr, "willing member list: %s\n", cli_answer_message(st, &b, err, m, sizeof m));
        cli_buf_free(&b);
        return 1;
    }
    doc = json_loads(b.buf, 0, NULL);
    if (cli_json) {
        json_dumpf(doc, stdout, JSON_INDENT(2));
        putchar('\n');
    } else
        json_array_foreach(json_object_get(doc, "members"), i, v)
        {
            json_t *added = json_object_get(v, "added");
            char where[32];
            if (json_is_integer(added))
                snprintf(where, sizeof where, "entry %lld", (long long)json_integer_value(added));
            else
                snprintf(where, sizeof where, "sealed");
            printf("%-16s %-12s %-10s %s (%s)\n", json_string_value(json_object_get(v, "member")),
                   json_string_value(json_object_get(v, "role")),
                   json_string_value(json_object_get(v, "status")),
                   json_string_value(json_object_get(v, "name")), where);
        }
    json_decref(doc);
    cli_buf_free(&b);
    return 0;
}

/* willing, announce, withdraw: the member's own steps. */
static int member_step(const char *sub, const char *server, const char *keyp)
{
    char base[1024], url[1200], err[512], m[512];
    cli_buf b = {0};
    wl_keyfile kf;
    json_t *me = NULL, *body = NULL;
    long st;
    int ret = 1, sealed;
    if (cli_member_key("member", keyp, &kf) != 0)
        return 1;
    cli_base_url(server, base, sizeof base);
    snprintf(url, sizeof url, "%s/api/v1/whoami", base);
    st = cli_signed_http("GET", url, NULL, 0, &kf, &b, err, sizeof err);
    if (st != 200) {
        fprintf(stderr, "willing member %s: %s\n", sub,
                cli_answer_message(st, &b, err, m, sizeof m));
        goto out;
    }
    me = json_loads(b.buf, 0, NULL);
    sealed = json_is_true(json_object_get(me, "sealed"));
    cli_buf_free(&b);
    if (strcmp(sub, "announce") == 0) {
        snprintf(url, sizeof url, "%s/api/v1/members/announce", base);
        st = cli_signed_http("POST", url, NULL, 0, &kf, &b, err, sizeof err);
        if (st != 201) {
            fprintf(stderr, "willing member announce: %s\n",
                    cli_answer_message(st, &b, err, m, sizeof m));
            goto out;
        }
        body = json_loads(b.buf, 0, NULL);
        if (cli_json)
            printf("%s\n", b.buf);
        else
            printf("%s announced: entries %lld to %lld\n", kf.member,
                   (long long)json_integer_value(json_object_get(body, "first")),
                   (long long)json_integer_value(json_object_get(body, "last")));
        ret = 0;
    } else if (sealed) {
        body = json_pack("{s:s, s:s}", "member", kf.member, "status",
                         strcmp(sub, "willing") == 0 ? "willing" : "withdrawn");
        ret = cli_seal(server, &kf, "member.status", body, "");
    } else if (strcmp(sub, "willing") == 0) {
        fprintf(stderr, "willing member willing: %s is already public (%s)\n", kf.member,
                json_string_value(json_object_get(me, "status")));
    } else {
        char *text;
        body = json_pack("{s:s, s:s}", "member", kf.member, "status", "withdrawn");
        text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
        ret = cli_post_entry(server, &kf, kf.member, "member.status", text, cli_now_us(), cli_json,
                             NULL, NULL);
        free(text);
    }
out:
    json_decref(me);
    json_decref(body);
    cli_buf_free(&b);
    wl_key_wipe(&kf.key);
    return ret;
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
        {"sealed", no_argument, NULL, 'E'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *key = NULL, *id = NULL, *name = NULL, *role = NULL, *sub;
    const char *pub = NULL, *pubfile = NULL, *scope = "sign", *who;
    char b64[45], *body;
    bool json_out = false, sealed = false;
    wl_keyfile kf;
    json_t *o;
    int ch, ret;

    if (argc < 2)
        return member_usage(stderr);
    sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
        return member_usage(stdout);
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
        case 'E':
            sealed = true;
            break;
        case 'j':
            json_out = true;
            break;
        case 'h':
            return member_usage_for(stdout, sub);
        default:
            return member_usage_for(stderr, sub);
        }
    }
    if (optind != argc || server == NULL)
        return member_usage_for(stderr, sub);
    cli_json = json_out;
    if (wl_crypto_init() != WL_OK)
        return 1;
    if (strcmp(sub, "list") == 0)
        return member_list(server, key);
    if (strcmp(sub, "willing") == 0 || strcmp(sub, "announce") == 0 || strcmp(sub, "withdraw") == 0)
        return key ? member_step(sub, server, key) : member_usage_for(stderr, sub);
    if (strcmp(sub, "add") != 0 || !key || !id || !name || !role || (!pub == !pubfile))
        return member_usage_for(stderr, sub);
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
    if (o != NULL && sealed) {
        char label[100];
        snprintf(label, sizeof label, "member %s (invited, sealed)\n", id);
        if (who != kf.member)
            snprintf(kf.member, sizeof kf.member, "%s", who);
        ret = cli_seal(server, &kf, "member.add", o, label);
        json_decref(o);
        wl_key_wipe(&kf.key);
        return ret;
    }
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
