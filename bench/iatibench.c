/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-iatibench [N]: exports N activities (default 10,000), each with a commitment and
 * a disbursement (2N flows, amounts with decimals, providers and receivers), as one IATI
 * 2.03 document (wl_iati_export), then reads it back (wl_iati_import_read, without the
 * schema) and checks that every amount came back. Prints the times as JSON for make bench
 * (issue 9: an IATI export of 10,000 activities under 2 s). Same input every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "willing/iati.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static json_t *flows_for(long n)
{
    json_t *flows = json_array();
    for (long i = 0; flows && i < 2 * n; i++) {
        char id[33], act[64], amount[32], date[11];
        snprintf(id, sizeof id, "%032lx", (unsigned long)i);
        snprintf(act, sizeof act, "GB-GOV-3-%ld", i / 2);
        snprintf(amount, sizeof amount, "%ld.%02ld", 1000 + i * 7919 % 100000000, i % 100);
        snprintf(date, sizeof date, "2025-%02ld-%02ld", 1 + i % 12, 1 + i % 28);
        json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "flow", id,
                              "activity", act, "stage", i % 2 ? "disbursement" : "commitment",
                              "date", date, "amount", amount, "currency", "GBP", "category",
                              "air_defence", "iati", "type", i % 2 ? "3" : "2", "provider",
                              "UK Export Finance", "receiver", "Ministry of Defence of Ukraine");
        if (f == NULL || json_array_append_new(flows, f) != 0) {
            json_decref(flows);
            return NULL;
        }
    }
    return flows;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    wl_buf x = {0};
    wl_error err = {0};
    wl_iati_import back;
    size_t skipped;
    int rc = 1;
    json_t *flows = n > 0 ? flows_for(n) : NULL;
    if (flows == NULL) {
        fprintf(stderr, "usage: willing-iatibench [N > 0]\n");
        return 2;
    }
    double t0 = now();
    if (wl_iati_export("gb", flows, "2026-11-30T00:00:00Z", &x, &skipped, &err) != WL_OK) {
        fprintf(stderr, "export: %s\n", err.msg);
        goto out;
    }
    double t1 = now();
    if (wl_iati_import_read(x.buf, x.len, NULL, &back, &err) != WL_OK || back.nbad ||
        json_array_size(back.flows) != json_array_size(flows)) {
        fprintf(stderr, "import: %s\n", err.msg);
        wl_iati_import_free(&back);
        goto out;
    }
    double t2 = now();
    for (size_t i = 0; i < json_array_size(flows); i++) {
        const char *a = json_string_value(json_object_get(json_array_get(flows, i), "amount"));
        const char *b = json_string_value(json_object_get(json_array_get(back.flows, i), "amount"));
        int64_t va, vb;
        if (wl_iati_decimal_parse(a, &va) != WL_OK || wl_iati_decimal_parse(b, &vb) != WL_OK ||
            va != vb) {
            fprintf(stderr, "amount %zu: %s came back as %s\n", i, a, b);
            wl_iati_import_free(&back);
            goto out;
        }
    }
    printf("{\"activities\": %ld, \"transactions\": %zu, \"bytes\": %zu, \"export_seconds\": %.3f, "
           "\"import_seconds\": %.3f}\n",
           n, json_array_size(flows), x.len, t1 - t0, t2 - t1);
    wl_iati_import_free(&back);
    rc = 0;
out:
    wl_buf_free(&x);
    json_decref(flows);
    return rc;
}
