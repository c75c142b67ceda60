/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flows summary as CSV (willing/flows_views.h, wl_flows_summary_csv): a
 * line per key and unit or currency with every figure and the lag, then,
 * with a currency, a line per key of the converted figures ("not
 * convertible" where a rate is missing) and the rates used. The columns are
 * docs/FORMAT.md's. The summary itself: views_summary.c.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "willing/csv.h"
#include "willing/flows_views.h"

enum { F_PLEDGED, F_COMMITTED, F_ALLOCATED, F_DELIVERED, F_DISBURSED, F_CONFIRMED, F_DISPUTED, NF };
static const char *const fig_names[NF] = {"pledged",   "committed", "allocated", "delivered",
                                          "disbursed", "confirmed", "disputed"};

static wl_rc csv_line(wl_buf *out, const char *const *cells, size_t n)
{
    wl_rc rc = WL_OK;
    for (size_t k = 0; k < n && rc == WL_OK; k++)
        rc = wl_csv_cell(out, cells[k] ? cells[k] : "", k + 1 == n ? WL_CSV_LAST : 0,
                         WL_CSV_MAX_BYTES);
    return rc;
}

/* With a currency: a line per key of measure "converted", then the rates used (FORMAT.md). */
static wl_rc converted_csv(const json_t *conv, wl_buf *out)
{
    static const char rates_header[] = "\r\ndate,from,to,rate,entry\r\n";
    const char *cur = json_string_value(json_object_get(conv, "currency"));
    json_t *r;
    size_t i;
    wl_rc rc = WL_OK;
    json_array_foreach(json_object_get(conv, "rows"), i, r)
    {
        const char *cells[3 + NF + 3] = {json_string_value(json_object_get(r, "key")), "converted",
                                         cur};
        for (int k = 0; k < NF; k++)
            cells[3 + k] = k == F_DELIVERED ? ""
                           : json_is_null(json_object_get(r, fig_names[k]))
                               ? "not convertible"
                               : json_string_value(json_object_get(r, fig_names[k]));
        if ((rc = csv_line(out, cells, 3 + NF + 3)) != WL_OK)
            return rc;
    }
    rc = wl_buf_append(out, rates_header, sizeof rates_header - 1, WL_CSV_MAX_BYTES);
    json_array_foreach(json_object_get(conv, "rates"), i, r)
    {
        char e[24];
        const char *cells[5] = {json_string_value(json_object_get(r, "date")),
                                json_string_value(json_object_get(r, "from")),
                                json_string_value(json_object_get(r, "to")),
                                json_string_value(json_object_get(r, "rate")), e};
        snprintf(e, sizeof e, "%lld", (long long)json_integer_value(json_object_get(r, "index")));
        if (rc == WL_OK)
            rc = csv_line(out, cells, 5);
    }
    return rc;
}

wl_rc wl_flows_summary_csv(const json_t *summary, wl_buf *out)
{
    static const char header[] = "key,measure,unit_or_currency,pledged,committed,allocated,"
                                 "delivered,disbursed,confirmed,disputed,lag_median_days,"
                                 "lag_p90_days,lag_pledges\r\n";
    json_t *rows = json_object_get(summary, "rows"), *row;
    size_t i;
    wl_rc rc;
    memset(out, 0, sizeof *out);
    rc = wl_buf_append(out, header, sizeof header - 1, WL_CSV_MAX_BYTES);
    json_array_foreach(rows, i, row)
    {
        json_t *figs = json_object_get(row, "figures"), *f, *lag = json_object_get(row, "lag_days");
        size_t j;
        json_array_foreach(figs, j, f)
        {
            const char *cells[3 + NF + 3];
            char l[3][24];
            const char *lk[3] = {"median", "p90", "pledges"};
            int money = json_object_get(f, "currency") != NULL;
            size_t n = 0;
            cells[n++] = json_string_value(json_object_get(row, "key"));
            cells[n++] = money ? "currency" : "unit";
            cells[n++] = json_string_value(json_object_get(f, money ? "currency" : "unit"));
            for (int k = 0; k < NF; k++)
                cells[n++] = json_string_value(json_object_get(f, fig_names[k]));
            for (int k = 0; k < 3; k++) {
                json_t *x = json_object_get(lag, lk[k]);
                l[k][0] = '\0';
                if (json_is_integer(x))
                    snprintf(l[k], sizeof l[k], "%lld", (long long)json_integer_value(x));
                cells[n++] = l[k];
            }
            if (rc == WL_OK)
                rc = csv_line(out, cells, n);
        }
    }
    if (rc == WL_OK && json_object_get(summary, "converted"))
        rc = converted_csv(json_object_get(summary, "converted"), out);
    if (rc != WL_OK)
        wl_buf_free(out);
    return rc;
}
