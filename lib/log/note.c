/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C2SP signed-note: parsing, verifier keys, Ed25519 (0x01) signatures and
 * tlog-cosignature/v1 (0x04) timestamped cosignatures; C2SP tlog-checkpoint
 * bodies. Written from the specs; docs/FORMAT.md gives the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "willing/note.h"

static const char em_dash_sp[] = "\xe2\x80\x94 "; /* U+2014 then a space */

wl_rc wl_parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    *out = 0;
    if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
        return WL_ERR_INVALID;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return WL_ERR_INVALID;
        if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
            return WL_ERR_INVALID;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return WL_OK;
}

/* Decodes one UTF-8 code point at s (strict: no overlongs, no surrogates). */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    uint32_t c;
    size_t n, i;
    if (len == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2;
        c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

static int is_unicode_space(uint32_t c)
{
    return c == 0x20 || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000;
}

int wl_note_valid_name(const char *s, size_t len)
{
    size_t i = 0;
    if (len == 0 || len > WL_KEYNAME_MAX)
        return 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_next((const unsigned char *)s + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == '+' || is_unicode_space(cp))
            return 0;
        i += n;
    }
    return 1;
}

uint32_t wl_note_key_id(const char *name, size_t name_len, uint8_t type, const uint8_t pk[32])
{
    static const uint8_t nl = '\n';
    uint8_t h[32];
    const void *parts[4] = {name, &nl, &type, pk};
    size_t lens[4] = {name_len, 1, 1, 32};
    wl_sha256_parts(parts, lens, 4, h);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

wl_rc wl_vkey_parse(const char *s, size_t len, wl_vkey *out)
{
    const char *p1, *p2;
    uint8_t raw[40], idb[4];
    size_t rawlen = 0, nlen;
    memset(out, 0, sizeof *out);
    p1 = memchr(s, '+', len);
    if (p1 == NULL)
        return WL_ERR_INVALID;
    nlen = (size_t)(p1 - s);
    p2 = memchr(p1 + 1, '+', len - nlen - 1);
    if (p2 == NULL || p2 - p1 - 1 != 8 || !wl_note_valid_name(s, nlen))
        return WL_ERR_INVALID;
    if (wl_hex_decode(p1 + 1, 8, idb, 4) != WL_OK)
        return WL_ERR_INVALID;
    if (wl_b64_decode(p2 + 1, len - (size_t)(p2 + 1 - s), raw, sizeof raw, &rawlen) != WL_OK ||
        rawlen != 33)
        return WL_ERR_INVALID;
    if (raw[0] != WL_SIGTYPE_ED25519 && raw[0] != WL_SIGTYPE_COSIG_V1)
        return WL_ERR_INVALID;
    memcpy(out->name, s, nlen);
    out->type = raw[0];
    memcpy(out->pk, raw + 1, 32);
    out->id = (uint32_t)idb[0] << 24 | (uint32_t)idb[1] << 16 | (uint32_t)idb[2] << 8 | idb[3];
    if (out->id != wl_note_key_id(s, nlen, out->type, out->pk)) {
        memset(out, 0, sizeof *out);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

wl_rc wl_vkey_make(const char *name, uint8_t type, const uint8_t pk[32], wl_vkey *out)
{
    memset(out, 0, sizeof *out);
    if (wl_fmt(out->name, sizeof out->name, "%s", name) != WL_OK)
        return WL_ERR_TOO_LARGE; /* a cut name would be another key's */
    out->type = type;
    memcpy(out->pk, pk, 32);
    out->id = wl_note_key_id(out->name, strlen(out->name), type, pk);
    return WL_OK;
}

wl_rc wl_vkey_format(const wl_vkey *k, char *buf, size_t cap)
{
    uint8_t raw[33];
    char b64[49];
    raw[0] = k->type;
    memcpy(raw + 1, k->pk, 32);
    wl_b64_encode(raw, sizeof raw, b64);
    return wl_fmt(buf, cap, "%s+%08x+%s", k->name, (unsigned)k->id, b64);
}

void wl_vkey_fingerprint(const char *vkey_text, char out[WL_VKEY_FINGERPRINT_LEN])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t h[32];
    size_t o = 0;
    wl_sha256(vkey_text, strlen(vkey_text), h);
    for (size_t i = 0; i < 16; i++) {
        if (i > 0 && i % 2 == 0)
            out[o++] = ' ';
        out[o++] = digits[h[i] >> 4];
        out[o++] = digits[h[i] & 15];
    }
    out[o] = '\0';
}

static wl_rc parse_sig_line(const char *p, size_t len, wl_note_sig *s)
{
    const char *sp;
    uint8_t small[192];
    size_t blen, got = 0;
    wl_rc rc;

    memset(s, 0, sizeof *s);
    if (len < 4 || memcmp(p, em_dash_sp, 4) != 0)
        return WL_ERR_INVALID;
    p += 4;
    len -= 4;
    sp = memchr(p, ' ', len);
    if (sp == NULL || !wl_note_valid_name(p, (size_t)(sp - p)))
        return WL_ERR_INVALID;
    s->name = p;
    s->name_len = (size_t)(sp - p);
    blen = len - s->name_len - 1;
    if (blen < 8)
        return WL_ERR_INVALID;
    if (blen / 4 * 3 <= sizeof small) {
        rc = wl_b64_decode(sp + 1, blen, small, sizeof small, &got);
    } else {
        /* Long signatures (other algorithms) are checked for syntax and skipped. */
        uint8_t *big = wl_malloc(blen / 4 * 3);
        if (big == NULL)
            return WL_ERR_NOMEM;
        rc = wl_b64_decode(sp + 1, blen, big, blen / 4 * 3, &got);
        if (rc == WL_OK)
            memcpy(small, big, sizeof small);
        wl_free(big);
    }
    if (rc != WL_OK || got < 5)
        return WL_ERR_INVALID;
    s->id =
        (uint32_t)small[0] << 24 | (uint32_t)small[1] << 16 | (uint32_t)small[2] << 8 | small[3];
    s->sig_len = got - 4;
    memcpy(s->sig, small + 4, s->sig_len < sizeof s->sig ? s->sig_len : sizeof s->sig);
    return WL_OK;
}

wl_rc wl_note_parse(const char *buf, size_t len, wl_note *n)
{
    size_t i, split = 0, found = 0;
    const char *p, *end;
    wl_rc rc;

    memset(n, 0, sizeof *n);
    if (len > WL_NOTE_MAX)
        return WL_ERR_TOO_LARGE;
    if (len < 2 || buf[len - 1] != '\n')
        return WL_ERR_INVALID;
    /* UTF-8 throughout, and no control characters but newline. */
    for (i = 0; i < len;) {
        uint32_t cp;
        size_t k;
        unsigned char c = (unsigned char)buf[i];
        if ((c >= 0x20 && c < 0x7f) || c == '\n') { /* ASCII, most of a note: at once */
            i++;
            continue;
        }
        k = utf8_next((const unsigned char *)buf + i, len - i, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\n') || cp == 0x7f)
            return WL_ERR_INVALID;
        i += k;
    }
    /* The text ends at the last blank line. */
    for (i = len - 1; i > 0; i--) {
        if (buf[i] == '\n' && buf[i - 1] == '\n') {
            split = i;
            found = 1;
            break;
        }
    }
    if (!found || split < 1)
        return WL_ERR_INVALID;
    n->text = buf;
    n->text_len = split; /* includes the newline before the blank line */
    p = buf + split + 1;
    end = buf + len;
    if (p >= end)
        return WL_ERR_INVALID;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return WL_ERR_INVALID;
        if (n->nsigs >= WL_NOTE_SIGS_MAX)
            return WL_ERR_TOO_LARGE;
        rc = parse_sig_line(p, (size_t)(nl - p), &n->sigs[n->nsigs]);
        if (rc != WL_OK) {
            memset(n, 0, sizeof *n);
            return rc;
        }
        n->nsigs++;
        p = nl + 1;
    }
    return WL_OK;
}

static wl_rc verify_one(const wl_note *n, const wl_note_sig *s, const wl_vkey *k, uint64_t *time)
{
    if (k->type == WL_SIGTYPE_ED25519) {
        if (s->sig_len != 64)
            return WL_ERR_SIGNATURE;
        return wl_ed25519_verify(k->pk, n->text, n->text_len, s->sig);
    }
    if (k->type == WL_SIGTYPE_COSIG_V1) {
        char hdr[64];
        uint64_t ts = 0;
        int hl;
        uint8_t *msg;
        wl_rc rc;
        if (s->sig_len != 72)
            return WL_ERR_SIGNATURE;
        for (int i = 0; i < 8; i++)
            ts = ts << 8 | s->sig[i];
        if (ts > INT64_MAX)
            return WL_ERR_SIGNATURE;
        /* 20 digits at most: it fits */
        hl = snprintf(hdr, sizeof hdr, "cosignature/v1\ntime %llu\n", (unsigned long long)ts);
        msg = wl_malloc((size_t)hl + n->text_len);
        if (msg == NULL)
            return WL_ERR_NOMEM;
        memcpy(msg, hdr, (size_t)hl);
        memcpy(msg + hl, n->text, n->text_len);
        rc = wl_ed25519_verify(k->pk, msg, (size_t)hl + n->text_len, s->sig + 8);
        wl_free(msg);
        if (rc == WL_OK && time)
            *time = ts;
        return rc;
    }
    return WL_ERR_UNKNOWN_KEY;
}

wl_rc wl_note_verify(const wl_note *n, const wl_vkey *keys, size_t nkeys, uint8_t *verified,
                     uint64_t *times)
{
    int any = 0;
    for (size_t j = 0; j < nkeys; j++) {
        verified[j] = 0;
        if (times)
            times[j] = 0;
    }
    for (size_t i = 0; i < n->nsigs; i++) {
        const wl_note_sig *s = &n->sigs[i];
        for (size_t j = 0; j < nkeys; j++) {
            const wl_vkey *k = &keys[j];
            uint64_t t = 0;
            wl_rc rc;
            if (k->id != s->id || strlen(k->name) != s->name_len ||
                memcmp(k->name, s->name, s->name_len) != 0)
                continue;
            rc = verify_one(n, s, k, &t);
            if (rc == WL_ERR_NOMEM)
                return rc;
            if (rc != WL_OK)
                return WL_ERR_SIGNATURE;
            verified[j] = 1;
            if (times)
                times[j] = t;
            any = 1;
        }
    }
    return any ? WL_OK : WL_ERR_UNKNOWN_KEY;
}

size_t wl_note_cosigned(const wl_note *n, const wl_vkey *keys, size_t nkeys, uint8_t *verified,
                        uint64_t *times)
{
    size_t got = 0;
    for (size_t i = 0; i < nkeys; i++) {
        uint64_t t = 0;
        verified[i] = 0;
        if (wl_note_verify(n, &keys[i], 1, &verified[i], &t) != WL_OK)
            verified[i] = 0;
        if (times)
            times[i] = verified[i] ? t : 0;
        got += verified[i];
    }
    return got;
}

/* Appends to why (cap) the names of the keys whose verified[i] is want, ", " between. */
static void quorum_names(char *why, size_t cap, const wl_vkey *keys, const uint8_t *verified,
                         size_t nkeys, uint8_t want)
{
    const char *sep = "";
    for (size_t i = 0; i < nkeys; i++) {
        size_t used = strlen(why);
        if (verified[i] != want)
            continue;
        snprintf(why + used, cap - used, "%s%s", sep, keys[i].name);
        sep = ", ";
    }
}

wl_rc wl_note_quorum(const wl_vkey *keys, const uint8_t *verified, size_t nkeys, size_t quorum,
                     char *why, size_t cap)
{
    size_t got = 0, used;
    for (size_t i = 0; i < nkeys; i++)
        got += verified[i] ? 1 : 0;
    if (cap == 0)
        return got >= quorum ? WL_OK : WL_ERR_SIGNATURE;
    snprintf(why, cap, "%zu valid cosignature%s of the %zu witnesses given, %zu required", got,
             got == 1 ? "" : "s", nkeys, quorum);
    if (got > 0) {
        used = strlen(why);
        snprintf(why + used, cap - used, "; valid: ");
        quorum_names(why, cap, keys, verified, nkeys, 1);
    }
    if (got < nkeys) {
        used = strlen(why);
        snprintf(why + used, cap - used, "; none valid from: ");
        quorum_names(why, cap, keys, verified, nkeys, 0);
    }
    return got >= quorum ? WL_OK : WL_ERR_SIGNATURE;
}

size_t wl_note_sign_line(const char *text, size_t text_len, const char *name, uint8_t type,
                         const wl_key *key, uint64_t timestamp, char *out, size_t cap)
{
    uint8_t raw[4 + 8 + 64];
    size_t rawlen;
    char b64[112];
    uint32_t id = wl_note_key_id(name, strlen(name), type, key->pk);
    int n;

    raw[0] = (uint8_t)(id >> 24);
    raw[1] = (uint8_t)(id >> 16);
    raw[2] = (uint8_t)(id >> 8);
    raw[3] = (uint8_t)id;
    if (type == WL_SIGTYPE_COSIG_V1) {
        char hdr[64]; /* 20 digits at most: it fits */
        int hl =
            snprintf(hdr, sizeof hdr, "cosignature/v1\ntime %llu\n", (unsigned long long)timestamp);
        uint8_t *msg = wl_malloc((size_t)hl + text_len);
        if (msg == NULL)
            return 0;
        memcpy(msg, hdr, (size_t)hl);
        memcpy(msg + hl, text, text_len);
        for (int i = 0; i < 8; i++)
            raw[4 + i] = (uint8_t)(timestamp >> (56 - 8 * i));
        wl_ed25519_sign(key, msg, (size_t)hl + text_len, raw + 12);
        wl_free(msg);
        rawlen = 76;
    } else {
        wl_ed25519_sign(key, text, text_len, raw + 4);
        rawlen = 68;
    }
    wl_b64_encode(raw, rawlen, b64);
    n = snprintf(out, cap, "%s%s %s\n", em_dash_sp, name, b64);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    return (size_t)n;
}

wl_rc wl_checkpoint_parse(const char *text, size_t len, wl_checkpoint *cp)
{
    const char *p = text, *end = text + len, *nl;
    size_t rlen = 0;
    memset(cp, 0, sizeof *cp);
    if (len == 0 || text[len - 1] != '\n')
        return WL_ERR_INVALID;
    /* a note's text: no control characters but newline (and so no NUL) */
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] < 0x20 && text[i] != '\n') || text[i] == 0x7f)
            return WL_ERR_INVALID;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == p || (size_t)(nl - p) > WL_ORIGIN_MAX)
        return WL_ERR_INVALID;
    memcpy(cp->origin, p, (size_t)(nl - p));
    p = nl + 1;
    if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
        wl_parse_u64(p, (size_t)(nl - p), &cp->size) != WL_OK)
        goto bad;
    p = nl + 1;
    if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
        wl_b64_decode(p, (size_t)(nl - p), cp->root, 32, &rlen) != WL_OK || rlen != 32)
        goto bad;
    /* Extension lines, if any, must be non-empty. */
    for (p = nl + 1; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == p)
            goto bad;
    }
    return WL_OK;
bad:
    memset(cp, 0, sizeof *cp);
    return WL_ERR_INVALID;
}

size_t wl_checkpoint_format(const wl_checkpoint *cp, char *out, size_t cap)
{
    char b64[45];
    int n;
    wl_b64_encode(cp->root, 32, b64);
    n = snprintf(out, cap, "%s\n%llu\n%s\n", cp->origin, (unsigned long long)cp->size, b64);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    return (size_t)n;
}
