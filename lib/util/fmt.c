/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Formatting into a fixed buffer that says when it did not fit: what a
 * signature base, a path, a URL, an id or an answer is built with, where a
 * cut would make it wrong instead of short (issue 14, point 15). A message
 * for people may still be cut with plain snprintf.
 */
#include <stdarg.h>
#include <stdio.h>

#include "willing/wl.h"

wl_rc wl_fmt(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (cap == 0)
        return WL_ERR_TOO_LARGE;
    va_start(ap, fmt);
    n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        out[0] = '\0'; /* never a cut value that could pass for the whole one */
        return WL_ERR_TOO_LARGE;
    }
    return WL_OK;
}
