/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV cells for the server's exports (RFC 4180), made safe to open in a
 * spreadsheet: a cell that begins with =, +, -, @, a tab or a carriage return
 * would be read as a formula (OWASP, "CSV Injection"), so it is written with a
 * leading single quote, and quoted. A plain decimal number ("-12", "4.5") is
 * left as it is: a spreadsheet reads it as the number it is.
 */
#ifndef WILLING_CSV_H
#define WILLING_CSV_H

#include "willing/wl.h"

enum {
    WL_CSV_LAST = 1,  /* the row's last cell: ends the line with CRLF */
    WL_CSV_QUOTE = 2, /* always quote (otherwise only when the cell needs it) */
};

/* 1 if a spreadsheet would read cell s as a formula. */
int wl_csv_is_formula(const char *s);

/*
 * Appends cell s (NULL: empty) to b, then a comma, or CRLF with WL_CSV_LAST;
 * WL_ERR_TOO_LARGE if b would exceed max bytes.
 */
wl_rc wl_csv_cell(wl_buf *b, const char *s, int flags, size_t max) WL_MUST;

#endif
