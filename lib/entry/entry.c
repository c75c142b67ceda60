/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry encoding, parsing and signing (willing.entry/v1). The server never
 * re-serialises an entry: the bytes a member signed are the leaf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "willing/entry.h"
#include "willing/merkle.h"

#define WHY(...) snprintf(why, whylen, __VA_ARGS__)

int wl_valid_member_id(const char *s, size_t len)
{
    if (len == 0 || len > WL_MEMBER_MAX)
        return 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int wl_valid_kind(const char *s, size_t len)
{
    if (len == 0 || len > WL_KIND_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    return wl_valid_member_id(s, len);
}

uint32_t wl_entry_key_id(const char *member, const uint8_t pk[32])
{
    return wl_note_key_id(member, strlen(member), WL_SIGTYPE_ED25519, pk);
}

static int json_depth_ok(const json_t *j, unsigned depth)
{
    if (depth > WL_BODY_DEPTH_MAX)
        return 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) if (!json_depth_ok(v, depth + 1)) return 0;
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) if (!json_depth_ok(v, depth + 1)) return 0;
    }
    return 1;
}

/* Next line of [p, end) without its newline; NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
    const char *s = *p, *nl;
    if (s >= end)
        return NULL;
    nl = memchr(s, '\n', (size_t)(end - s));
    if (nl == NULL)
        return NULL;
    *len = (size_t)(nl - s);
    *p = nl + 1;
    return s;
}

/*
 * Entries and sealed contents share one layout: seven lines under a header,
 * then one signature by the author. They differ in the header and in line 5:
 * an entry's decimal seq, a sealed content's random nonce (32 hex digits).
 */
/* json: parse the body (0 when the caller built it from a checked tree: e->body_json NULL). */
static wl_rc parse_as(const char *header, const char *bytes, size_t len, wl_entry *e, char *why,
                      size_t whylen, int json);

wl_rc wl_entry_parse(const char *bytes, size_t len, wl_entry *e, char *why, size_t whylen)
{
    return parse_as(WL_ENTRY_HEADER, bytes, len, e, why, whylen, 1);
}

wl_rc wl_sealed_parse(const char *bytes, size_t len, wl_entry *e, char *why, size_t whylen)
{
    return parse_as(WL_SEALED_HEADER, bytes, len, e, why, whylen, 1);
}

static int valid_nonce(const char *s, size_t n)
{
    if (n != 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static wl_rc parse_as(const char *header, const char *bytes, size_t len, wl_entry *e, char *why,
                      size_t whylen, int json)
{
    wl_note note;
    const char *p, *end, *l;
    size_t ll;
    uint64_t v;
    json_error_t jerr;

    memset(e, 0, sizeof *e);
    if (why && whylen)
        why[0] = '\0';
    if (len > WL_ENTRY_MAX) {
        WHY("entry is %zu bytes, over the limit of %u", len, WL_ENTRY_MAX);
        return WL_ERR_TOO_LARGE;
    }
    if (wl_note_parse(bytes, len, &note) != WL_OK) {
        WHY("not a signed note: needs UTF-8 text, a blank line and signature lines");
        goto fail;
    }
    if (note.nsigs != 1) {
        WHY("an entry carries exactly one signature line, found %zu", note.nsigs);
        goto fail;
    }
    p = note.text;
    end = note.text + note.text_len;
    if ((l = next_line(&p, end, &ll)) == NULL || ll != strlen(header) ||
        memcmp(l, header, ll) != 0) {
        WHY("first line must be %s", header);
        goto fail;
    }
    if ((l = next_line(&p, end, &ll)) == NULL || ll == 0 || ll > WL_ORIGIN_MAX) {
        WHY("line 2 must be the log origin");
        goto fail;
    }
    memcpy(e->origin, l, ll);
    if ((l = next_line(&p, end, &ll)) == NULL || !wl_valid_kind(l, ll)) {
        WHY("line 3 must be a kind: 1-32 of a-z 0-9 . _ -, starting with a letter");
        goto fail;
    }
    memcpy(e->kind, l, ll);
    if ((l = next_line(&p, end, &ll)) == NULL || !wl_valid_member_id(l, ll)) {
        WHY("line 4 must be the author's member id: 1-64 of a-z 0-9 . _ -");
        goto fail;
    }
    memcpy(e->author, l, ll);
    if ((l = next_line(&p, end, &ll)) == NULL) {
        WHY("line 5 is missing");
        goto fail;
    }
    if (strcmp(header, WL_SEALED_HEADER) == 0) {
        if (!valid_nonce(l, ll)) {
            WHY("line 5 must be a random nonce of 32 lower-case hex digits");
            goto fail;
        }
        memcpy(e->nonce, l, ll);
    } else if (wl_parse_u64(l, ll, &e->seq) != WL_OK) {
        WHY("line 5 must be the sequence number in decimal, no leading zeroes");
        goto fail;
    }
    if ((l = next_line(&p, end, &ll)) == NULL || wl_parse_u64(l, ll, &v) != WL_OK ||
        v > (uint64_t)INT64_MAX) {
        WHY("line 6 must be the unix time in decimal seconds");
        goto fail;
    }
    e->time = (int64_t)v;
    if ((l = next_line(&p, end, &ll)) == NULL || ll == 0) {
        WHY("line 7 must be the body, one line of JSON");
        goto fail;
    }
    e->body = l;
    e->body_len = ll;
    if (p != end) {
        WHY("the entry text has more than 7 lines");
        goto fail;
    }
    e->body_json = json ? json_loadb(l, ll, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (json && e->body_json == NULL) {
        WHY("body is not valid JSON: %s at column %d", jerr.text, jerr.column);
        goto fail;
    }
    if (json && (!json_is_object(e->body_json) || !json_depth_ok(e->body_json, 0))) {
        WHY("body must be a JSON object nested at most %u deep", WL_BODY_DEPTH_MAX);
        goto fail;
    }
    if (note.sigs[0].name_len != strlen(e->author) ||
        memcmp(note.sigs[0].name, e->author, note.sigs[0].name_len) != 0) {
        WHY("the signature line must name the author (%s)", e->author);
        goto fail;
    }
    if (note.sigs[0].sig_len != 64) {
        WHY("the signature is not an Ed25519 signature");
        goto fail;
    }
    e->bytes = bytes;
    e->len = len;
    e->text = note.text;
    e->text_len = note.text_len;
    e->key_id = note.sigs[0].id;
    memcpy(e->sig, note.sigs[0].sig, 64);
    wl_merkle_leaf_hash(bytes, len, e->leaf);
    return WL_OK;
fail:
    wl_entry_clear(e); /* nothing of a refused entry is left, its JSON included */
    return WL_ERR_INVALID;
}

void wl_entry_clear(wl_entry *e)
{
    if (e->body_json)
        json_decref(e->body_json);
    memset(e, 0, sizeof *e);
}

wl_rc wl_entry_verify_sig(const wl_entry *e, const uint8_t pk[32])
{
    if (wl_entry_key_id(e->author, pk) != e->key_id)
        return WL_ERR_UNKNOWN_KEY;
    return wl_ed25519_verify(pk, e->text, e->text_len, e->sig);
}

static wl_rc build_as(const char *header, const char *origin, const char *kind, const char *author,
                      const char *line5, int64_t time, const char *body, int json,
                      const wl_key *key, char **out, size_t *outlen);

wl_rc wl_entry_build(const char *origin, const char *kind, const char *author, uint64_t seq,
                     int64_t time, const char *body, const wl_key *key, char **out, size_t *outlen)
{
    char l5[24];
    snprintf(l5, sizeof l5, "%llu", (unsigned long long)seq);
    return build_as(WL_ENTRY_HEADER, origin, kind, author, l5, time, body, 1, key, out, outlen);
}

wl_rc wl_entry_build_json(const char *origin, const char *kind, const char *author, uint64_t seq,
                          int64_t time, const json_t *body, const wl_key *key, char **out,
                          size_t *outlen)
{
    char l5[24], *text;
    wl_rc rc;
    *out = NULL;
    *outlen = 0;
    /* the checks parsing the body back would make, made on the tree */
    if (!json_is_object(body) || !json_depth_ok(body, 0))
        return WL_ERR_INVALID;
    if ((text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        return WL_ERR_NOMEM;
    snprintf(l5, sizeof l5, "%llu", (unsigned long long)seq);
    rc = build_as(WL_ENTRY_HEADER, origin, kind, author, l5, time, text, 0, key, out, outlen);
    free(text); /* jansson's */
    return rc;
}

wl_rc wl_sealed_build(const char *origin, const char *kind, const char *author, const char *nonce,
                      int64_t time, const char *body, const wl_key *key, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (!valid_nonce(nonce, strlen(nonce)))
        return WL_ERR_INVALID;
    return build_as(WL_SEALED_HEADER, origin, kind, author, nonce, time, body, 1, key, out, outlen);
}

static wl_rc build_as(const char *header, const char *origin, const char *kind, const char *author,
                      const char *line5, int64_t time, const char *body, int json,
                      const wl_key *key, char **out, size_t *outlen)
{
    size_t cap, tl, sl;
    char *buf = NULL;
    int n;
    wl_entry chk;
    wl_rc rc = WL_ERR_INTERNAL;

    *out = NULL;
    *outlen = 0;
    if (strchr(body, '\n') != NULL || time < 0)
        return WL_ERR_INVALID;
    cap = strlen(origin) + strlen(kind) + strlen(author) + strlen(body) + 64 + 2 * 24 + 256;
    if (cap > WL_ENTRY_MAX + 256)
        return WL_ERR_TOO_LARGE;
    if ((buf = wl_malloc(cap)) == NULL)
        return WL_ERR_NOMEM;
    n = snprintf(buf, cap, "%s\n%s\n%s\n%s\n%s\n%lld\n%s\n", header, origin, kind, author, line5,
                 (long long)time, body);
    if (n < 0 || (size_t)n >= cap)
        goto out;
    tl = (size_t)n;
    buf[tl] = '\n';
    sl = wl_note_sign_line(buf, tl, author, WL_SIGTYPE_ED25519, key, 0, buf + tl + 1, cap - tl - 1);
    if (sl == 0)
        goto out;
    /* Never hand out bytes the parser would refuse (the body: parsed, or checked on its tree). */
    if ((rc = parse_as(header, buf, tl + 1 + sl, &chk, NULL, 0, json)) != WL_OK)
        goto out;
    wl_entry_clear(&chk);
    *out = buf;
    *outlen = tl + 1 + sl;
    buf = NULL;
out:
    wl_free(buf);
    return rc;
}
