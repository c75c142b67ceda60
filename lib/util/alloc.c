/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one allocation wrapper of the library, with fault injection for tests
 * (STYLE.md #11), a growable buffer with a ceiling, and the names of error codes.
 */
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>

#include "willing/wl.h"

static atomic_ulong fail_countdown;
static atomic_int failed; /* the armed failure has happened */

void wl_alloc_fail_at(unsigned long n)
{
    atomic_store(&failed, 0);
    atomic_store(&fail_countdown, n);
}

int wl_alloc_failed(void)
{
    return atomic_load(&failed);
}

static int should_fail(void)
{
    unsigned long c = atomic_load(&fail_countdown);
    while (c != 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &c, c - 1)) {
            if (c == 1)
                atomic_store(&failed, 1);
            return c == 1;
        }
    }
    return 0;
}

void *wl_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *wl_calloc(size_t count, size_t n)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, n ? n : 1);
}

void *wl_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *wl_strndup(const char *s, size_t n)
{
    char *d = wl_malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void wl_copy_str(char *dst, size_t size, const char *src, size_t max)
{
    size_t n = src ? strnlen(src, max < size - 1 ? max : size - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

void wl_free(void *p)
{
    free(p);
}

wl_rc wl_buf_append(wl_buf *b, const void *p, size_t n, size_t max)
{
    if (b->len + n > max)
        return WL_ERR_TOO_LARGE;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        char *nb;
        while (nc < b->len + n + 1)
            nc *= 2;
        nb = wl_realloc(b->buf, nc);
        if (nb == NULL)
            return WL_ERR_NOMEM;
        b->buf = nb;
        b->cap = nc;
    }
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return WL_OK;
}

void wl_buf_free(wl_buf *b)
{
    wl_free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
}

const char *wl_rc_name(wl_rc rc)
{
    switch (rc) {
    case WL_OK:
        return "ok";
    case WL_ERR_NOMEM:
        return "out_of_memory";
    case WL_ERR_INVALID:
        return "invalid";
    case WL_ERR_TOO_LARGE:
        return "too_large";
    case WL_ERR_SIGNATURE:
        return "bad_signature";
    case WL_ERR_UNKNOWN_KEY:
        return "unknown_key";
    case WL_ERR_REVOKED:
        return "revoked_key";
    case WL_ERR_NOT_FOUND:
        return "not_found";
    case WL_ERR_CONFLICT:
        return "conflict";
    case WL_ERR_FORBIDDEN:
        return "forbidden";
    case WL_ERR_PROOF:
        return "bad_proof";
    case WL_ERR_IO:
        return "io_error";
    case WL_ERR_CORRUPT:
        return "corrupt";
    case WL_ERR_INTERNAL:
        return "internal";
    case WL_ERR_VERSION:
        return "other_version";
    case WL_ERR_UNAVAILABLE:
        return "unavailable";
    }
    return "unknown";
}
