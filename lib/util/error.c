/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The error every layer of the library fills (wl_error in include/willing/wl.h):
 * a code, its stable name and a one-line message.
 */
#include <stdarg.h>
#include <stdio.h>

#include "willing/wl.h"

wl_rc wl_error_set(wl_error *err, wl_rc rc, const char *code, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL)
        return rc;
    err->rc = rc;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}
