/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pledge conditions: exact decimal quantities, the text syntax, the JSON
 * form. Conditions are monotone by construction: the grammar has no way to
 * say "not", "at most" or "less than", so a pledge that binds can never be
 * undone by others joining. docs/internals/clearing.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/coalition.h"
#include "willing/deal.h" /* WL_DEAL_FACT_PREFIX */

#define WHY(...) snprintf(why, whylen, __VA_ARGS__)

wl_rc wl_qty_parse(const char *s, size_t len, int64_t *out)
{
    int64_t whole = 0, frac = 0;
    size_t i = 0, fd = 0;
    *out = 0;
    if (len == 0)
        return WL_ERR_INVALID;
    for (; i < len && s[i] != '.'; i++) {
        if (!isdigit((unsigned char)s[i]) || whole > (INT64_MAX / WL_QTY_SCALE - 9) / 10)
            return WL_ERR_INVALID;
        whole = whole * 10 + (s[i] - '0');
    }
    if (i == 0)
        return WL_ERR_INVALID;
    if (i < len) {
        if (++i == len)
            return WL_ERR_INVALID;
        for (; i < len; i++, fd++) {
            if (!isdigit((unsigned char)s[i]) || fd >= 4)
                return WL_ERR_INVALID;
            frac = frac * 10 + (s[i] - '0');
        }
    }
    while (fd++ < 4)
        frac *= 10;
    *out = whole * WL_QTY_SCALE + frac;
    return WL_OK;
}

void wl_qty_format(int64_t q, char *out, size_t cap)
{
    int64_t whole = q / WL_QTY_SCALE, frac = q % WL_QTY_SCALE;
    char f[8];
    size_t n;
    if (frac == 0) {
        snprintf(out, cap, "%lld", (long long)whole);
        return;
    }
    snprintf(f, sizeof f, "%04lld", (long long)frac);
    n = strlen(f);
    while (n > 0 && f[n - 1] == '0')
        f[--n] = '\0';
    snprintf(out, cap, "%lld.%s", (long long)whole, f);
}

void wl_cond_free(wl_cond *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nkids; i++)
        wl_cond_free(c->kids[i]);
    wl_free(c->kids);
    wl_free(c->name);
    wl_free(c->unit);
    wl_free(c);
}

static wl_cond *node(wl_cond_op op)
{
    wl_cond *c = wl_calloc(1, sizeof *c);
    if (c)
        c->op = op;
    return c;
}

static int add_kid(wl_cond *c, wl_cond *k)
{
    wl_cond **nk = wl_realloc(c->kids, (c->nkids + 1) * sizeof *nk);
    if (nk == NULL)
        return -1;
    c->kids = nk;
    c->kids[c->nkids++] = k;
    return 0;
}

static int valid_ident(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* A fact's name: an id, or deal-in-force:<deal id>, which only the deal's own entries record. */
static int valid_fact(const char *s, size_t n)
{
    const size_t np = sizeof WL_DEAL_FACT_PREFIX - 1;
    if (n > np && memcmp(s, WL_DEAL_FACT_PREFIX, np) == 0)
        return valid_ident(s + np, n - np);
    return valid_ident(s, n);
}

static const char refused_not[] =
    "'not' is refused: a pledge must never be undone by others joining, so a condition may "
    "only ask for more (all, any, requires, at_least, total >=, fact)";
static const char refused_at_most[] =
    "'at_most' is refused: more members joining would undo the pledge; conditions may only "
    "ask for more (at_least)";
static const char refused_less[] =
    "'<' and '<=' are refused: totals only grow as others join, so a pledge conditioned on a "
    "total staying small could be undone; use '>='";

/* ---- the text syntax: a small recursive-descent parser ---- */

typedef struct {
    const char *s, *p;
    unsigned nodes;
    char *why;
    size_t whylen;
} parser;

static void skip(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
        ps->p++;
}

static int fail(parser *ps, const char *msg)
{
    snprintf(ps->why, ps->whylen, "%s (at column %d)", msg, (int)(ps->p - ps->s) + 1);
    return -1;
}

static int expect(parser *ps, char c)
{
    skip(ps);
    if (*ps->p != c) {
        char m[64];
        snprintf(m, sizeof m, "expected '%c'", c);
        return fail(ps, m);
    }
    ps->p++;
    return 0;
}

/* An identifier or a number: [a-z0-9._-]+ */
static int word(parser *ps, const char **w, size_t *n)
{
    skip(ps);
    *w = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '.' || *ps->p == '_' || *ps->p == '-')
        ps->p++;
    *n = (size_t)(ps->p - *w);
    if (*n == 0)
        return fail(ps, "expected a name or a number");
    return 0;
}

static int is(const char *w, size_t n, const char *kw)
{
    return strlen(kw) == n && memcmp(w, kw, n) == 0;
}

static int ident(parser *ps, char **out, const char *what)
{
    const char *w;
    size_t n;
    char m[128];
    if (word(ps, &w, &n) != 0)
        return -1;
    if (!valid_ident(w, n)) {
        snprintf(m, sizeof m, "%s must be 1-64 of a-z 0-9 . _ -", what);
        return fail(ps, m);
    }
    *out = wl_strndup(w, n);
    return *out ? 0 : fail(ps, "out of memory");
}

/* A category a condition names (at_least, total): one pledges can have, else it never binds. */
static int category(parser *ps, char **out)
{
    const char *at = ps->p;
    char m[200];
    if (ident(ps, out, "a category") != 0)
        return -1;
    if (wl_pledge_category(*out))
        return 0;
    ps->p = at;
    skip(ps);
    snprintf(m, sizeof m, "unknown category '%.64s': a condition names one of %s", *out,
             WL_PLEDGE_CATEGORIES);
    return fail(ps, m);
}

static int parse_cond(parser *ps, unsigned depth, wl_cond **out);

/* A fact's name in the text: an id, or deal-in-force:ID (valid_fact). */
static int fact_name(parser *ps, char **out)
{
    const char *w = ps->p, *at;
    size_t n;
    skip(ps);
    at = ps->p;
    if (word(ps, &w, &n) != 0)
        return -1;
    if (is(w, n, "deal-in-force") && *ps->p == ':') {
        ps->p++;
        if (word(ps, &w, &n) != 0)
            return -1;
        n = (size_t)(ps->p - at);
        w = at;
    }
    if (!valid_fact(w, n))
        return fail(ps, "a fact name must be 1-64 of a-z 0-9 . _ -, or deal-in-force:DEAL");
    *out = wl_strndup(w, n);
    return *out ? 0 : fail(ps, "out of memory");
}

static int parse_list(parser *ps, unsigned depth, wl_cond *c)
{
    if (expect(ps, '(') != 0)
        return -1;
    for (;;) {
        wl_cond *k = NULL;
        if (parse_cond(ps, depth + 1, &k) != 0)
            return -1;
        if (add_kid(c, k) != 0) {
            wl_cond_free(k);
            return fail(ps, "out of memory");
        }
        skip(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        return expect(ps, ')');
    }
}

static int parse_cond(parser *ps, unsigned depth, wl_cond **out)
{
    const char *w;
    size_t n;
    wl_cond *c = NULL;

    *out = NULL;
    if (depth > WL_COND_DEPTH_MAX)
        return fail(ps, "conditions nest at most 8 deep");
    if (++ps->nodes > WL_COND_NODES_MAX)
        return fail(ps, "a condition has at most 64 parts");
    skip(ps);
    if (*ps->p == '!')
        return fail(ps, refused_not);
    if (word(ps, &w, &n) != 0)
        return -1;
    if (is(w, n, "not"))
        return fail(ps, refused_not);
    if (is(w, n, "at_most"))
        return fail(ps, refused_at_most);
    if (is(w, n, "true")) {
        c = node(WL_COND_TRUE);
    } else if (is(w, n, "all") || is(w, n, "any")) {
        c = node(is(w, n, "all") ? WL_COND_ALL : WL_COND_ANY);
        if (c == NULL || parse_list(ps, depth, c) != 0)
            goto bad;
    } else if (is(w, n, "requires") || is(w, n, "fact")) {
        c = node(is(w, n, "requires") ? WL_COND_REQUIRES : WL_COND_FACT);
        if (c == NULL || expect(ps, '(') != 0 ||
            (c->op == WL_COND_REQUIRES ? ident(ps, &c->name, "a member id")
                                       : fact_name(ps, &c->name)) != 0 ||
            expect(ps, ')') != 0)
            goto bad;
    } else if (is(w, n, "at_least")) {
        const char *nw;
        size_t nn;
        c = node(WL_COND_AT_LEAST);
        if (c == NULL || expect(ps, '(') != 0 || word(ps, &nw, &nn) != 0)
            goto bad;
        if (nn > 6 || strspn(nw, "0123456789") < nn) {
            fail(ps, "at_least wants a whole number of members first");
            goto bad;
        }
        c->n = strtoll(nw, NULL, 10);
        if (expect(ps, ',') != 0 || category(ps, &c->name) != 0 || expect(ps, ')') != 0)
            goto bad;
    } else if (is(w, n, "total")) {
        const char *qw;
        size_t qn;
        c = node(WL_COND_TOTAL);
        if (c == NULL || expect(ps, '(') != 0 || category(ps, &c->name) != 0)
            goto bad;
        skip(ps);
        if (*ps->p == ',') {
            ps->p++;
            if (ident(ps, &c->unit, "a unit") != 0)
                goto bad;
        } else {
            const char *u = wl_pledge_category_unit(c->name);
            if (u == NULL) {
                fail(ps, "total() of this category needs its unit: total(category, unit)");
                goto bad;
            }
            c->unit = wl_strndup(u, strlen(u));
        }
        if (expect(ps, ')') != 0)
            goto bad;
        skip(ps);
        if (ps->p[0] == '<') {
            fail(ps, refused_less);
            goto bad;
        }
        if (ps->p[0] != '>' || ps->p[1] != '=') {
            fail(ps, "total(...) must be followed by '>=' and a quantity");
            goto bad;
        }
        ps->p += 2;
        if (word(ps, &qw, &qn) != 0)
            goto bad;
        if (wl_qty_parse(qw, qn, &c->n) != WL_OK) {
            fail(ps, "the quantity must be a decimal with at most 4 places");
            goto bad;
        }
    } else {
        fail(ps, "expected all, any, requires, at_least, total, fact or true");
        goto bad;
    }
    if (c == NULL)
        return fail(ps, "out of memory");
    skip(ps);
    if (*ps->p == '<') {
        fail(ps, refused_less);
        goto bad;
    }
    *out = c;
    return 0;
bad:
    wl_cond_free(c);
    return -1;
}

wl_rc wl_cond_parse(const char *text, wl_cond **out, char *why, size_t whylen)
{
    parser ps = {text, text, 0, why, whylen};
    wl_cond *c = NULL;
    *out = NULL;
    if (parse_cond(&ps, 0, &c) != 0)
        return WL_ERR_INVALID;
    skip(&ps);
    if (*ps.p != '\0') {
        fail(&ps, "unexpected text after the condition");
        wl_cond_free(c);
        return WL_ERR_INVALID;
    }
    *out = c;
    return WL_OK;
}

/* ---- JSON ---- */

static wl_rc from_json(const json_t *j, unsigned depth, unsigned *nodes, wl_cond **out, char *why,
                       size_t whylen)
{
    const char *key;
    json_t *v;
    wl_cond *c = NULL;

    *out = NULL;
    if (depth > WL_COND_DEPTH_MAX || ++*nodes > WL_COND_NODES_MAX) {
        WHY("conditions nest at most 8 deep and have at most 64 parts");
        return WL_ERR_INVALID;
    }
    if (json_is_true(j)) {
        *out = node(WL_COND_TRUE);
        return *out ? WL_OK : WL_ERR_NOMEM;
    }
    if (!json_is_object(j) || json_object_size(j) != 1) {
        WHY("a condition is true or an object with one key");
        return WL_ERR_INVALID;
    }
    key = json_object_iter_key(json_object_iter((json_t *)j));
    v = json_object_get(j, key);
    if (strcmp(key, "not") == 0) {
        WHY("%s", refused_not);
        return WL_ERR_INVALID;
    }
    if (strcmp(key, "at_most") == 0) {
        WHY("%s", refused_at_most);
        return WL_ERR_INVALID;
    }
    if (strcmp(key, "all") == 0 || strcmp(key, "any") == 0) {
        size_t i;
        json_t *k;
        if (!json_is_array(v) || json_array_size(v) == 0) {
            WHY("'%s' takes a non-empty array of conditions", key);
            return WL_ERR_INVALID;
        }
        c = node(key[1] == 'l' ? WL_COND_ALL : WL_COND_ANY);
        if (c == NULL)
            return WL_ERR_NOMEM;
        json_array_foreach(v, i, k)
        {
            wl_cond *kid = NULL;
            wl_rc rc = from_json(k, depth + 1, nodes, &kid, why, whylen);
            if (rc != WL_OK || add_kid(c, kid) != 0) {
                wl_cond_free(kid);
                wl_cond_free(c);
                return rc != WL_OK ? rc : WL_ERR_NOMEM;
            }
        }
        *out = c;
        return WL_OK;
    }
    if (strcmp(key, "requires") == 0 || strcmp(key, "fact") == 0) {
        const char *s = json_string_value(v);
        if (s == NULL || !(key[0] == 'r' ? valid_ident(s, strlen(s)) : valid_fact(s, strlen(s)))) {
            WHY("'%s' takes a name of 1-64 of a-z 0-9 . _ -%s", key,
                key[0] == 'r' ? "" : ", or deal-in-force:DEAL");
            return WL_ERR_INVALID;
        }
        c = node(key[0] == 'r' ? WL_COND_REQUIRES : WL_COND_FACT);
        if (c == NULL || (c->name = wl_strndup(s, strlen(s))) == NULL) {
            wl_cond_free(c);
            return WL_ERR_NOMEM;
        }
        *out = c;
        return WL_OK;
    }
    if (strcmp(key, "at_least") == 0) {
        json_t *nn = json_object_get(v, "n");
        const char *cat = json_string_value(json_object_get(v, "category"));
        if (!json_is_object(v) || json_object_size(v) != 2 || !json_is_integer(nn) ||
            json_integer_value(nn) < 0 || json_integer_value(nn) > WL_COND_AT_LEAST_MAX ||
            cat == NULL || !valid_ident(cat, strlen(cat))) {
            WHY("'at_least' takes {\"n\": whole number, \"category\": name}");
            return WL_ERR_INVALID;
        }
        if (!wl_pledge_category(cat)) {
            WHY("unknown category '%.64s': a condition names one of %s", cat, WL_PLEDGE_CATEGORIES);
            return WL_ERR_INVALID;
        }
        c = node(WL_COND_AT_LEAST);
        if (c == NULL || (c->name = wl_strndup(cat, strlen(cat))) == NULL) {
            wl_cond_free(c);
            return WL_ERR_NOMEM;
        }
        c->n = json_integer_value(nn);
        *out = c;
        return WL_OK;
    }
    if (strcmp(key, "total") == 0) {
        const char *cat = json_string_value(json_object_get(v, "category"));
        const char *unit = json_string_value(json_object_get(v, "unit"));
        const char *min = json_string_value(json_object_get(v, "min"));
        if (json_object_get(v, "max") || json_object_get(v, "less_than")) {
            WHY("%s", refused_less);
            return WL_ERR_INVALID;
        }
        if (!json_is_object(v) || cat == NULL || !valid_ident(cat, strlen(cat)) || min == NULL ||
            (unit && !valid_ident(unit, strlen(unit))) || json_object_size(v) != (unit ? 3u : 2u)) {
            WHY("'total' takes {\"category\": name, \"unit\": name, \"min\": \"decimal\"}");
            return WL_ERR_INVALID;
        }
        if (!wl_pledge_category(cat)) {
            WHY("unknown category '%.64s': a condition names one of %s", cat, WL_PLEDGE_CATEGORIES);
            return WL_ERR_INVALID;
        }
        if (unit == NULL && (unit = wl_pledge_category_unit(cat)) == NULL) {
            WHY("'total' of category %s needs its unit", cat);
            return WL_ERR_INVALID;
        }
        c = node(WL_COND_TOTAL);
        if (c == NULL)
            return WL_ERR_NOMEM;
        c->name = wl_strndup(cat, strlen(cat));
        c->unit = wl_strndup(unit, strlen(unit));
        if (c->name == NULL || c->unit == NULL || wl_qty_parse(min, strlen(min), &c->n) != WL_OK) {
            wl_cond_free(c);
            WHY("'total' min must be a decimal string with at most 4 places");
            return WL_ERR_INVALID;
        }
        *out = c;
        return WL_OK;
    }
    WHY("unknown condition '%s': use all, any, requires, at_least, total or fact", key);
    return WL_ERR_INVALID;
}

wl_rc wl_cond_from_json(const json_t *j, wl_cond **out, char *why, size_t whylen)
{
    unsigned nodes = 0;
    return from_json(j, 0, &nodes, out, why, whylen);
}

json_t *wl_cond_to_json(const wl_cond *c)
{
    char q[32];
    json_t *a;
    switch (c->op) {
    case WL_COND_TRUE:
        return json_true();
    case WL_COND_REQUIRES:
        return json_pack("{s:s}", "requires", c->name);
    case WL_COND_FACT:
        return json_pack("{s:s}", "fact", c->name);
    case WL_COND_AT_LEAST:
        return json_pack("{s:{s:I, s:s}}", "at_least", "n", (json_int_t)c->n, "category", c->name);
    case WL_COND_TOTAL:
        wl_qty_format(c->n, q, sizeof q);
        return json_pack("{s:{s:s, s:s, s:s}}", "total", "category", c->name, "unit", c->unit,
                         "min", q);
    case WL_COND_ALL:
    case WL_COND_ANY:
        a = json_array();
        for (size_t i = 0; i < c->nkids; i++)
            json_array_append_new(a, wl_cond_to_json(c->kids[i]));
        return json_pack("{s:o}", c->op == WL_COND_ALL ? "all" : "any", a);
    }
    return NULL;
}
