/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-iatibench [N]: exports N activities (default 10,000), each with a commitment and
 * a disbursement (2N flows, amounts with decimals, providers and receivers), as one IATI
 * 2.03 document (wl_iati_export), then reads it back (wl_iati_import_read, without the
 * schema) and checks that every amount came back; then stores the same flows in a fresh
 * ledger file and streams the document as GET /api/v1/flows/iati does (wl_flows_iati_open
 * and _next, as the public), checks it is byte for byte the same, and times it. Prints the
 * times as JSON for make bench (issue 9: an IATI export of 10,000 activities under 2 s).
 * Same input every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
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

/* The flows as the kinds store them, in a fresh ledger file under dir; NULL on failure. */
static wl_store *store_for(json_t *flows, char dir[32])
{
    char path[64];
    wl_store *s = NULL;
    snprintf(dir, 32, "/tmp/wl-iatib.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return NULL;
    snprintf(path, sizeof path, "%s/log.db", dir);
    if (wl_store_open(path, 1, &s) != WL_OK || wl_store_begin(s) != WL_OK)
        goto fail;
    for (size_t i = 0; i < json_array_size(flows); i++) {
        const json_t *f = json_array_get(flows, i);
        wl_flow_row r;
        int64_t v;
        char *body = json_dumps(f, JSON_COMPACT);
        memset(&r, 0, sizeof r);
        r.idx = i + 1;
        r.row = -1;
#define COL(field, key)                                                                            \
    snprintf(r.field, sizeof r.field, "%s", json_string_value(json_object_get(f, key)))
        COL(id, "flow");
        COL(activity, "activity");
        COL(category, "category");
        COL(stage, "stage");
        COL(date, "date");
        COL(currency, "currency");
#undef COL
        snprintf(r.author, sizeof r.author, "gb");
        r.has_amount = true;
        wl_rc rc = wl_iati_decimal_parse(json_string_value(json_object_get(f, "amount")), &v);
        r.amount = v;
        r.body = body;
        if (rc == WL_OK)
            rc = body ? wl_store_flow_put(s, &r) : WL_ERR_NOMEM;
        free(body);
        if (rc != WL_OK)
            goto fail;
    }
    if (wl_store_commit(s) == WL_OK)
        return s;
fail:
    fprintf(stderr, "cannot store the flows in %s\n", dir);
    wl_store_close(s);
    return NULL;
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
    wl_iati_import_free(&back);
    {
        /* the route's way: streamed from a ledger file, a piece at a time */
        wl_flows_viewer pub = {0, ""};
        wl_iati_stream *st = NULL;
        const char *piece;
        size_t len, pieces = 0, at = 0, most = 0;
        char dir[32];
        wl_store *s = store_for(flows, dir);
        double t3 = now(), t4;
        wl_rc vrc =
            s ? wl_flows_iati_open(s, &pub, "gb", "2026-11-30T00:00:00Z", &st, &err) : WL_ERR_IO;
        while (vrc == WL_OK && (vrc = wl_flows_iati_next(st, s, &piece, &len, &err)) == WL_OK &&
               len) {
            if (at + len > x.len || memcmp(x.buf + at, piece, len) != 0) {
                vrc = WL_ERR_CORRUPT;
                break;
            }
            at += len;
            pieces++;
            most = len > most ? len : most;
        }
        t4 = now();
        wl_flows_iati_close(st);
        wl_store_close(s);
        if (s) {
            char cmd[64];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
            (void)!system(cmd);
        }
        if (vrc != WL_OK || at != x.len) {
            fprintf(stderr, "view: %s\n",
                    vrc == WL_OK || vrc == WL_ERR_CORRUPT ? "not the same document as the export"
                                                          : err.msg);
            goto out;
        }
        printf("{\"activities\": %ld, \"transactions\": %zu, \"bytes\": %zu, "
               "\"export_seconds\": %.3f, \"import_seconds\": %.3f, \"view_seconds\": %.3f, "
               "\"view_pieces\": %zu, \"view_largest_piece\": %zu}\n",
               n, json_array_size(flows), x.len, t1 - t0, t2 - t1, t4 - t3, pieces, most);
    }
    rc = 0;
out:
    wl_buf_free(&x);
    json_decref(flows);
    return rc;
}
