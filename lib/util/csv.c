/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV cells (include/willing/csv.h): quoted as RFC 4180 says, and a cell a
 * spreadsheet would take for a formula written with a leading single quote.
 */
#include <string.h>

#include "willing/csv.h"

/* "-12", "4.5", "0": a number a spreadsheet reads as a number, nothing more. */
static int plain_number(const char *s)
{
    size_t i = s[0] == '-' ? 1 : 0, digits = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (s[i] == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    return digits > 0 && s[i] == '\0';
}

int wl_csv_is_formula(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL && !plain_number(s);
}

wl_rc wl_csv_cell(wl_buf *b, const char *s, int flags, size_t max)
{
    int formula = wl_csv_is_formula(s);
    int quote = (flags & WL_CSV_QUOTE) || formula || (s && strpbrk(s, "\",\r\n") != NULL);
    wl_rc rc = WL_OK;
    if (quote)
        rc = wl_buf_append(b, formula ? "\"'" : "\"", formula ? 2 : 1, max);
    for (const char *p = s; rc == WL_OK && p && *p;) {
        size_t run = strcspn(p, "\"");
        rc = wl_buf_append(b, p, run, max);
        p += run;
        if (rc == WL_OK && *p == '"') {
            rc = wl_buf_append(b, "\"\"", 2, max);
            p++;
        }
    }
    if (rc == WL_OK && quote)
        rc = wl_buf_append(b, "\"", 1, max);
    if (rc == WL_OK)
        rc = wl_buf_append(b, (flags & WL_CSV_LAST) ? "\r\n" : ",", (flags & WL_CSV_LAST) ? 2 : 1,
                           max);
    return rc;
}
