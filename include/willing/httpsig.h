/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP Message Signatures (RFC 9421) with Ed25519: the signature base of a
 * request, signing, and verification, for the profile willing uses to
 * authenticate private reads and writes (docs/FORMAT.md, "Signed requests").
 * No network here: the caller supplies the request's parts.
 */
#ifndef WILLING_HTTPSIG_H
#define WILLING_HTTPSIG_H

#include "willing/crypto.h"

/* The request as the signature sees it. */
typedef struct {
    const char *method;    /* "GET" */
    const char *authority; /* host[:port], lower-case */
    const char *path;      /* "/api/v1/..." */
    const char *query;     /* "?a=b" or NULL */
    /* a header field's value by lower-case name, or NULL */
    const char *(*field)(void *ctx, const char *name);
    void *ctx;
} wl_httpsig_req;

typedef struct {
    char name[16];
    int is_int;
    int64_t ival;
    char sval[129];
} wl_httpsig_param;

typedef struct {
    char label[33];
    char components[WL_HTTPSIG_COMPONENTS_MAX][48];
    size_t ncomponents;
    int64_t created; /* -1 if absent */
    int64_t expires; /* -1 if absent */
    char keyid[129];
    char nonce[129];
    char alg[33];
    char tag[65];
    uint8_t sig[64];
    size_t siglen;
    /* the parameters in their order, to serialize @signature-params as received */
    wl_httpsig_param params[WL_HTTPSIG_PARAMS_MAX];
    size_t nparams;
} wl_httpsig;

/*
 * Parses the Signature-Input and Signature field values and picks the
 * signature labelled `label` (or the only one, when label is NULL).
 */
wl_rc wl_httpsig_parse(const char *sig_input, const char *signature, const char *label,
                       wl_httpsig *out, char *why, size_t whylen) WL_MUST;
/*
 * Builds the signature base (RFC 9421 §2.5) of req for the parsed parameters:
 * every value whole, or WL_ERR_TOO_LARGE when the base passes cap.
 */
wl_rc wl_httpsig_base(const wl_httpsig *s, const wl_httpsig_req *req, char *base, size_t cap,
                      size_t *len, char *why, size_t whylen) WL_MUST;
/* Verifies the parsed signature over req with an Ed25519 public key. */
wl_rc wl_httpsig_verify(const wl_httpsig *s, const wl_httpsig_req *req, const uint8_t pk[32],
                        char *why, size_t whylen) WL_MUST;
/*
 * Signs req: writes the Signature-Input and Signature field values (each
 * holding at least 1024 bytes), covering the given components in order.
 * WL_ERR_INVALID when a label, component name, keyid, nonce or tag is longer
 * than its field above, WL_ERR_TOO_LARGE when the base or a field value does
 * not fit: nothing is signed then (never a cut base).
 */
wl_rc wl_httpsig_sign(const wl_httpsig_req *req, const char *label, const char *const *components,
                      size_t n, int64_t created, const char *keyid, const char *nonce,
                      const char *tag, const wl_key *key, char *sig_input, size_t in_cap,
                      char *signature, size_t sig_cap) WL_MUST;

/*
 * RFC 9530 Content-Digest of a body: "sha-256=:<base64>:" (out: at least 55
 * bytes; a smaller one is left empty, never holding a cut digest).
 */
void wl_content_digest(const void *body, size_t len, char *out, size_t cap);

#endif
