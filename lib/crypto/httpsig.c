/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9421 HTTP Message Signatures, Ed25519 only, for requests: parsing of
 * the Signature-Input and Signature dictionaries (the subset of RFC 8941
 * structured fields they use), the signature base (§2.5), signing and
 * verification; RFC 9530 Content-Digest. Component parameters (;sf, ;key,
 * ;bs, ;req) are not supported and are refused, not ignored.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "willing/httpsig.h"

#define WHY(...) snprintf(why, whylen, __VA_ARGS__)

static const char *ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* An RFC 8941 key: lcalpha or '*', then lcalpha, digits, _ - . * */
static const char *sf_key(const char *p, char *out, size_t cap)
{
    size_t n = 0;
    if (!(islower((unsigned char)*p) || *p == '*'))
        return NULL;
    while (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-' ||
           *p == '.' || *p == '*') {
        if (n + 1 >= cap)
            return NULL;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return p;
}

/* An RFC 8941 string: "..." with \\ and \" escapes, printable ASCII only. */
static const char *sf_string(const char *p, char *out, size_t cap)
{
    size_t n = 0;
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            if (c != '"' && c != '\\')
                return NULL;
        } else if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e) {
            return NULL;
        }
        if (n + 1 >= cap)
            return NULL;
        out[n++] = c;
    }
    out[n] = '\0';
    return p + 1;
}

static const char *sf_integer(const char *p, int64_t *v)
{
    int neg = 0, digits = 0;
    *v = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    while (isdigit((unsigned char)*p)) {
        if (++digits > 15)
            return NULL;
        *v = *v * 10 + (*p++ - '0');
    }
    if (digits == 0)
        return NULL;
    if (neg)
        *v = -*v;
    return p;
}

/* Parses one dictionary member "label=(...);params" into s; returns the end. */
static const char *parse_input_member(const char *p, wl_httpsig *s, char *why, size_t whylen)
{
    if ((p = sf_key(p, s->label, sizeof s->label)) == NULL || *p++ != '=' || *p++ != '(') {
        WHY("Signature-Input: expected label=(\"component\" ...)");
        return NULL;
    }
    s->ncomponents = 0;
    for (;;) {
        p = ows(p);
        if (*p == ')') {
            p++;
            break;
        }
        if (s->ncomponents >= WL_HTTPSIG_COMPONENTS_MAX) {
            WHY("Signature-Input: at most %u covered components", WL_HTTPSIG_COMPONENTS_MAX);
            return NULL;
        }
        if ((p = sf_string(p, s->components[s->ncomponents], sizeof s->components[0])) == NULL) {
            WHY("Signature-Input: a covered component must be a quoted string");
            return NULL;
        }
        if (*p == ';') {
            WHY("Signature-Input: component parameters (;sf, ;key, ;bs, ;req) are not supported");
            return NULL;
        }
        s->ncomponents++;
        if (*p != ' ' && *p != ')') {
            WHY("Signature-Input: components are separated by one space");
            return NULL;
        }
    }
    s->nparams = 0;
    while (*p == ';') {
        char name[16];
        wl_httpsig_param *pr;
        if (s->nparams >= WL_HTTPSIG_PARAMS_MAX) {
            WHY("Signature-Input: at most %u parameters", WL_HTTPSIG_PARAMS_MAX);
            return NULL;
        }
        pr = &s->params[s->nparams];
        if ((p = sf_key(p + 1, name, sizeof name)) == NULL || *p++ != '=') {
            WHY("Signature-Input: a parameter must be name=value");
            return NULL;
        }
        memcpy(pr->name, name, sizeof name);
        if (*p == '"') {
            pr->is_int = 0;
            if ((p = sf_string(p, pr->sval, sizeof pr->sval)) == NULL) {
                WHY("Signature-Input: parameter %s: a malformed string", name);
                return NULL;
            }
        } else {
            pr->is_int = 1;
            if ((p = sf_integer(p, &pr->ival)) == NULL) {
                WHY("Signature-Input: parameter %s: a malformed integer", name);
                return NULL;
            }
        }
        s->nparams++;
    }
    return p;
}

/*
 * The named parameters into their fields; -1 (naming it in why) if one is
 * longer than its field: a cut keyid, nonce, alg or tag would be another one.
 */
static int take_params(wl_httpsig *s, char *why, size_t whylen)
{
    s->created = s->expires = -1;
    for (size_t i = 0; i < s->nparams; i++) {
        const char *n = s->params[i].name;
        char *to = NULL;
        size_t cap = 0;
        if (strcmp(n, "created") == 0 && s->params[i].is_int)
            s->created = s->params[i].ival;
        else if (strcmp(n, "expires") == 0 && s->params[i].is_int)
            s->expires = s->params[i].ival;
        else if (strcmp(n, "keyid") == 0 && !s->params[i].is_int)
            to = s->keyid, cap = sizeof s->keyid;
        else if (strcmp(n, "nonce") == 0 && !s->params[i].is_int)
            to = s->nonce, cap = sizeof s->nonce;
        else if (strcmp(n, "alg") == 0 && !s->params[i].is_int)
            to = s->alg, cap = sizeof s->alg;
        else if (strcmp(n, "tag") == 0 && !s->params[i].is_int)
            to = s->tag, cap = sizeof s->tag;
        if (to && wl_fmt(to, cap, "%s", s->params[i].sval) != WL_OK) {
            WHY("Signature-Input: parameter %s is longer than %zu characters", n, cap - 1);
            return -1;
        }
    }
    return 0;
}

wl_rc wl_httpsig_parse(const char *sig_input, const char *signature, const char *label,
                       wl_httpsig *out, char *why, size_t whylen)
{
    const char *p;
    wl_httpsig s;
    int found = 0, count = 0;

    memset(out, 0, sizeof *out);
    if (sig_input == NULL || signature == NULL) {
        WHY("the request carries no Signature-Input and Signature fields");
        return WL_ERR_INVALID;
    }
    if (strlen(sig_input) > WL_HTTPSIG_FIELD_MAX || strlen(signature) > WL_HTTPSIG_FIELD_MAX) {
        WHY("Signature-Input or Signature is longer than %u bytes", WL_HTTPSIG_FIELD_MAX);
        return WL_ERR_TOO_LARGE;
    }
    for (p = ows(sig_input); *p;) {
        memset(&s, 0, sizeof s);
        if ((p = parse_input_member(p, &s, why, whylen)) == NULL)
            return WL_ERR_INVALID;
        count++;
        if (!found && (label == NULL || strcmp(label, s.label) == 0)) {
            *out = s;
            found = 1;
        }
        p = ows(p);
        if (*p == ',')
            p = ows(p + 1);
        else if (*p != '\0') {
            WHY("Signature-Input: unexpected text after a signature");
            return WL_ERR_INVALID;
        }
    }
    if (!found || (label == NULL && count != 1)) {
        WHY(label ? "Signature-Input has no signature labelled %s"
                  : "Signature-Input must hold exactly one signature%s",
            label ? label : "");
        memset(out, 0, sizeof *out);
        return WL_ERR_INVALID;
    }
    if (take_params(out, why, whylen) != 0) {
        memset(out, 0, sizeof *out);
        return WL_ERR_INVALID;
    }
    /* the Signature dictionary: label=:base64: */
    for (p = ows(signature); *p;) {
        char key[33], b64[128];
        const char *end;
        size_t n = 0;
        if ((p = sf_key(p, key, sizeof key)) == NULL || *p++ != '=' || *p++ != ':' ||
            (end = strchr(p, ':')) == NULL || (size_t)(end - p) >= sizeof b64) {
            WHY("Signature: expected label=:base64:");
            memset(out, 0, sizeof *out);
            return WL_ERR_INVALID;
        }
        memcpy(b64, p, (size_t)(end - p));
        if (strcmp(key, out->label) == 0) {
            if (wl_b64_decode(b64, (size_t)(end - p), out->sig, sizeof out->sig, &n) != WL_OK ||
                n != 64) {
                WHY("Signature: %s is not a base64 Ed25519 signature", key);
                memset(out, 0, sizeof *out);
                return WL_ERR_INVALID;
            }
            out->siglen = n;
        }
        p = ows(end + 1);
        if (*p == ',')
            p = ows(p + 1);
        else if (*p != '\0') {
            WHY("Signature: unexpected text");
            memset(out, 0, sizeof *out);
            return WL_ERR_INVALID;
        }
    }
    if (out->siglen != 64) {
        WHY("Signature has no value for %s", out->label);
        memset(out, 0, sizeof *out);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

static int put(char *base, size_t cap, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int put(char *base, size_t cap, size_t *off, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(base + *off, cap - *off, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *off)
        return -1;
    *off += (size_t)n;
    return 0;
}

/* A string as an RFC 8941 sf-string (quotes and backslashes escaped). */
static int put_sfstring(char *base, size_t cap, size_t *off, const char *s)
{
    if (put(base, cap, off, "\"") != 0)
        return -1;
    for (; *s; s++)
        if (put(base, cap, off, "%s%c", (*s == '"' || *s == '\\') ? "\\" : "", *s) != 0)
            return -1;
    return put(base, cap, off, "\"");
}

static int put_params(const wl_httpsig *s, char *base, size_t cap, size_t *off)
{
    if (put(base, cap, off, "(") != 0)
        return -1;
    for (size_t i = 0; i < s->ncomponents; i++)
        if ((i && put(base, cap, off, " ") != 0) || put_sfstring(base, cap, off, s->components[i]))
            return -1;
    if (put(base, cap, off, ")") != 0)
        return -1;
    for (size_t i = 0; i < s->nparams; i++) {
        if (put(base, cap, off, ";%s=", s->params[i].name) != 0)
            return -1;
        if (s->params[i].is_int ? put(base, cap, off, "%lld", (long long)s->params[i].ival)
                                : put_sfstring(base, cap, off, s->params[i].sval))
            return -1;
    }
    return 0;
}

static void trim(const char *v, const char **start, size_t *len)
{
    const char *e = v + strlen(v);
    while (*v == ' ' || *v == '\t')
        v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = v;
    *len = (size_t)(e - v);
}

wl_rc wl_httpsig_base(const wl_httpsig *s, const wl_httpsig_req *req, char *base, size_t cap,
                      size_t *len, char *why, size_t whylen)
{
    size_t off = 0;
    *len = 0;
    for (size_t i = 0; i < s->ncomponents; i++) {
        const char *c = s->components[i], *v = NULL;
        int r;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->components[j], c) == 0) {
                WHY("component %s is covered twice", c);
                return WL_ERR_INVALID;
            }
        if (strcmp(c, "@method") == 0) {
            v = req->method;
        } else if (strcmp(c, "@authority") == 0 && req->authority) {
            /* written whole, then lower-cased where it lies: never a cut copy */
            size_t at = off + strlen(c) + 4; /* after "\"name\": " */
            if (put(base, cap, &off, "\"%s\": %s\n", c, req->authority) != 0) {
                WHY("the signature base is too long");
                return WL_ERR_TOO_LARGE;
            }
            for (size_t k = at; k + 1 < off; k++)
                base[k] = (char)tolower((unsigned char)base[k]);
            continue;
        } else if (strcmp(c, "@authority") == 0) {
            v = NULL;
        } else if (strcmp(c, "@path") == 0) {
            v = req->path;
        } else if (strcmp(c, "@query") == 0) {
            v = req->query && req->query[0] ? req->query : "?";
        } else if (strcmp(c, "@request-target") == 0 && req->path) {
            if (put(base, cap, &off, "\"%s\": %s%s\n", c, req->path,
                    req->query ? req->query : "") != 0) {
                WHY("the signature base is too long");
                return WL_ERR_TOO_LARGE;
            }
            continue;
        } else if (strcmp(c, "@request-target") == 0) {
            v = NULL;
        } else if (c[0] == '@') {
            WHY("derived component %s is not supported", c);
            return WL_ERR_INVALID;
        } else {
            for (const char *q = c; *q; q++)
                if (isupper((unsigned char)*q)) {
                    WHY("component names are lower-case: %s", c);
                    return WL_ERR_INVALID;
                }
            v = req->field ? req->field(req->ctx, c) : NULL;
            if (v) {
                const char *t;
                size_t tl;
                trim(v, &t, &tl);
                r = put(base, cap, &off, "\"%s\": %.*s\n", c, (int)tl, t);
                if (r != 0) {
                    WHY("the signature base is too long");
                    return WL_ERR_TOO_LARGE;
                }
                continue;
            }
        }
        if (v == NULL) {
            WHY("covered component %s is absent from the request", c);
            return WL_ERR_INVALID;
        }
        if (put(base, cap, &off, "\"%s\": %s\n", c, v) != 0) {
            WHY("the signature base is too long");
            return WL_ERR_TOO_LARGE;
        }
    }
    if (put(base, cap, &off, "\"@signature-params\": ") != 0 || put_params(s, base, cap, &off)) {
        WHY("the signature base is too long");
        return WL_ERR_TOO_LARGE;
    }
    *len = off;
    return WL_OK;
}

wl_rc wl_httpsig_verify(const wl_httpsig *s, const wl_httpsig_req *req, const uint8_t pk[32],
                        char *why, size_t whylen)
{
    char base[WL_HTTPSIG_BASE_MAX];
    size_t len = 0;
    wl_rc rc = wl_httpsig_base(s, req, base, sizeof base, &len, why, whylen);
    if (rc != WL_OK)
        return rc;
    if (s->alg[0] && strcmp(s->alg, "ed25519") != 0) {
        WHY("alg %s is not supported: willing signs requests with ed25519", s->alg);
        return WL_ERR_INVALID;
    }
    if (wl_ed25519_verify(pk, base, len, s->sig) != WL_OK) {
        WHY("the request signature does not verify");
        return WL_ERR_SIGNATURE;
    }
    return WL_OK;
}

wl_rc wl_httpsig_sign(const wl_httpsig_req *req, const char *label, const char *const *components,
                      size_t n, int64_t created, const char *keyid, const char *nonce,
                      const char *tag, const wl_key *key, char *sig_input, size_t in_cap,
                      char *signature, size_t sig_cap)
{
    wl_httpsig s;
    char base[WL_HTTPSIG_BASE_MAX], why[128], b64[89];
    size_t len = 0, off = 0;
    wl_rc rc;

    memset(&s, 0, sizeof s);
    /* what does not fit is refused: a cut name or value would sign something else */
    if (n > WL_HTTPSIG_COMPONENTS_MAX || wl_fmt(s.label, sizeof s.label, "%s", label) != WL_OK)
        return WL_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (wl_fmt(s.components[s.ncomponents++], sizeof s.components[0], "%s", components[i]) !=
            WL_OK)
            return WL_ERR_INVALID;
#define PARAM_INT(nm, v)                                                                           \
    do {                                                                                           \
        memcpy(s.params[s.nparams].name, nm, sizeof nm);                                           \
        s.params[s.nparams].is_int = 1;                                                            \
        s.params[s.nparams++].ival = (v);                                                          \
    } while (0)
#define PARAM_STR(nm, v)                                                                           \
    do {                                                                                           \
        memcpy(s.params[s.nparams].name, nm, sizeof nm);                                           \
        if (wl_fmt(s.params[s.nparams++].sval, sizeof s.params[0].sval, "%s", v) != WL_OK)         \
            return WL_ERR_INVALID;                                                                 \
    } while (0)
    PARAM_INT("created", created);
    if (keyid)
        PARAM_STR("keyid", keyid);
    if (nonce)
        PARAM_STR("nonce", nonce);
    if (tag)
        PARAM_STR("tag", tag);
#undef PARAM_INT
#undef PARAM_STR
    if (take_params(&s, why, sizeof why) != 0)
        return WL_ERR_INVALID;
    if ((rc = wl_httpsig_base(&s, req, base, sizeof base, &len, why, sizeof why)) != WL_OK)
        return rc;
    wl_ed25519_sign(key, base, len, s.sig);
    if (put(sig_input, in_cap, &off, "%s=", label) != 0 || put_params(&s, sig_input, in_cap, &off))
        return WL_ERR_TOO_LARGE;
    wl_b64_encode(s.sig, 64, b64);
    if (wl_fmt(signature, sig_cap, "%s=:%s:", label, b64) != WL_OK)
        return WL_ERR_TOO_LARGE;
    return WL_OK;
}

void wl_content_digest(const void *body, size_t len, char *out, size_t cap)
{
    uint8_t h[32];
    char b64[45];
    wl_sha256(body, len, h);
    wl_b64_encode(h, 32, b64);
    if (wl_fmt(out, cap, "sha-256=:%s:", b64) != WL_OK)
        return; /* out is empty, which matches no digest: never a cut one */
}
