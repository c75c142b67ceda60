/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The publisher's round of cosignatures: every configured witness asked at
 * once (C2SP tlog-witness add-checkpoint, one curl multi handle on the
 * publisher's thread), each with a consistency proof from the size it last
 * cosigned; a witness that answers 409 with another size is asked again from
 * that size. At the deadline (serve --witness-timeout) the requests still
 * open are dropped: the checkpoint goes out with the cosignatures that came
 * and verified. A witness's failure is logged once, when it starts or its
 * reason changes (and its recovery once). docs/internals/daemon.md.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "daemon.h"
#include "threads.h"
#include "willing/merkle.h"

typedef struct {
    wl_witness_peer *w;
    CURL *c;
    struct curl_slist *h;
    char *body;
    wl_buf g;
    int attempts;
    bool done;
} ask;

static size_t on_data(char *p, size_t sz, size_t n, void *ctx)
{
    /* a witness answer is a few lines */
    return wl_buf_append(ctx, p, sz * n, 65536) == WL_OK ? sz * n : 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Says once that w fails (why: again only if the reason changes), or that it answers again. */
static void note_state(wl_witness_peer *w, const char *why)
{
    if (why == NULL) {
        if (w->failing)
            fprintf(stderr, "willing: witness %s cosigns again\n", w->url);
        w->failing = false;
        return;
    }
    if (!w->failing || strcmp(w->why, why) != 0)
        fprintf(stderr,
                "willing: witness %s: %s; checkpoints go out without its cosignature until it "
                "answers (said once)\n",
                w->url, why);
    w->failing = true;
    snprintf(w->why, sizeof w->why, "%s", why);
}

static void ask_end(CURLM *m, ask *a)
{
    if (a->c) {
        curl_multi_remove_handle(m, a->c);
        curl_easy_cleanup(a->c);
    }
    curl_slist_free_all(a->h);
    wl_free(a->body);
    wl_buf_free(&a->g);
    a->c = NULL;
    a->h = NULL;
    a->body = NULL;
}

/* Starts a's add-checkpoint request from the size its witness last cosigned; 0 or -1. */
static int ask_start(CURLM *m, wl_store *s, ask *a, const char *note, size_t nlen, uint64_t size,
                     long left_ms)
{
    uint8_t proof[WL_PROOF_MAX][32];
    size_t np = 0, off;
    char full[600];
    uint64_t old = a->w->size;

    a->attempts++;
    if (old > size) {
        note_state(a->w, "it has cosigned a larger tree than this log's: a split view?");
        return -1;
    }
    if (old > 0 &&
        wl_merkle_consistency_proof(wl_store_hash_reader, s, old, size, proof, &np) != WL_OK) {
        note_state(a->w, "no consistency proof from the size it last cosigned");
        return -1;
    }
    a->body = wl_malloc(32 + np * 45 + 1 + nlen);
    a->c = curl_easy_init();
    if (a->body == NULL || a->c == NULL)
        return -1;
    off = (size_t)snprintf(a->body, 32, "old %llu\n", (unsigned long long)old);
    for (size_t i = 0; i < np; i++) {
        wl_b64_encode(proof[i], 32, a->body + off);
        off += 44;
        a->body[off++] = '\n';
    }
    a->body[off++] = '\n';
    memcpy(a->body + off, note, nlen);
    off += nlen;
    (void)snprintf(full, sizeof full, "%s/add-checkpoint", a->w->url); /* url < 512: it fits */
    a->h = curl_slist_append(NULL, "Content-Type: text/plain; charset=utf-8");
    curl_easy_setopt(a->c, CURLOPT_URL, full);
    curl_easy_setopt(a->c, CURLOPT_POSTFIELDS, a->body);
    curl_easy_setopt(a->c, CURLOPT_POSTFIELDSIZE, (long)off);
    curl_easy_setopt(a->c, CURLOPT_HTTPHEADER, a->h);
    curl_easy_setopt(a->c, CURLOPT_TIMEOUT_MS, left_ms > 1 ? left_ms : 1L);
    curl_easy_setopt(a->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(a->c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(a->c, CURLOPT_WRITEDATA, &a->g);
    curl_easy_setopt(a->c, CURLOPT_PRIVATE, a);
    return curl_multi_add_handle(m, a->c) == CURLM_OK ? 0 : -1;
}

/* a's witness answered 200: its cosignature lines, verified, onto cosigs; 1 if any. */
static int take_cosignature(ask *a, const char *note, size_t nlen, uint64_t size, wl_buf *cosigs)
{
    wl_witness_peer *w = a->w;
    char *all = wl_malloc(nlen + a->g.len);
    wl_note n;
    uint8_t ok = 0;
    int got = 0;
    if (all == NULL)
        return 0;
    memcpy(all, note, nlen);
    memcpy(all + nlen, a->g.buf, a->g.len);
    if (wl_note_parse(all, nlen + a->g.len, &n) == WL_OK &&
        wl_note_verify(&n, &w->vkey, 1, &ok, NULL) == WL_OK && ok) {
        for (size_t i = 0; i < n.nsigs && !got; i++) {
            const wl_note_sig *sg = &n.sigs[i];
            const char *line, *end;
            if (sg->id != w->vkey.id || sg->name_len != strlen(w->vkey.name) ||
                memcmp(sg->name, w->vkey.name, sg->name_len) != 0)
                continue;
            /* the line as received */
            line = sg->name - 4;
            end = memchr(line, '\n', (size_t)(all + nlen + a->g.len - line));
            if (end && wl_buf_append(cosigs, line, (size_t)(end - line + 1), 65536) == WL_OK)
                got = 1;
        }
        w->size = size;
        note_state(w, NULL);
    } else {
        note_state(w, "its answer is not a valid cosignature by its key");
    }
    wl_free(all);
    return got;
}

/* a's request is over: 1 if it is to be asked again (a 409 naming another size). */
static int ask_done(CURLM *m, ask *a, CURLcode res, const char *note, size_t nlen, uint64_t size,
                    wl_buf *cosigs, size_t *got)
{
    long st = 0;
    char why[160];
    uint64_t v;
    if (res == CURLE_OPERATION_TIMEDOUT) { /* curl's own clock: the round's deadline */
        snprintf(why, sizeof why, "no answer within %u ms", wl_srv->witness_timeout_ms);
        note_state(a->w, why);
        goto done;
    }
    if (res != CURLE_OK) {
        snprintf(why, sizeof why, "no answer (%s)", curl_easy_strerror(res));
        note_state(a->w, why);
        goto done;
    }
    curl_easy_getinfo(a->c, CURLINFO_RESPONSE_CODE, &st);
    if (st == 200 && a->g.buf) {
        *got += (size_t)take_cosignature(a, note, nlen, size, cosigs);
        goto done;
    }
    if (st == 409 && a->g.buf && a->attempts < 2) {
        char *nl = memchr(a->g.buf, '\n', a->g.len);
        if (nl && wl_parse_u64(a->g.buf, (size_t)(nl - a->g.buf), &v) == WL_OK && v != a->w->size) {
            a->w->size = v;
            ask_end(m, a);
            return 1;
        }
    }
    if (st == 409 || st == 422)
        snprintf(why, sizeof why,
                 "it refuses the checkpoint (%ld): it cosigned a tree this log does not extend "
                 "(a split view?)",
                 st);
    else
        snprintf(why, sizeof why, "it answered %ld to add-checkpoint", st);
    note_state(a->w, why);
done:
    a->done = true;
    ask_end(m, a);
    return 0;
}

size_t wl_cosign_all(wl_store *s, const char *note, size_t nlen, uint64_t size, wl_buf *cosigs)
{
    ask asks[WL_WITNESS_MAX];
    size_t n = wl_srv->nwitnesses, got = 0, open = 0;
    long deadline = now_ms() + (long)wl_srv->witness_timeout_ms;
    CURLM *m = curl_multi_init();
    if (m == NULL || n == 0)
        goto out;
    memset(asks, 0, sizeof asks);
    for (size_t i = 0; i < n; i++) {
        asks[i].w = &wl_srv->witnesses[i];
        if (ask_start(m, s, &asks[i], note, nlen, size, deadline - now_ms()) != 0) {
            asks[i].done = true;
            ask_end(m, &asks[i]);
        } else {
            open++;
        }
    }
    while (open > 0) {
        long left = deadline - now_ms();
        int running = 0, q = 0;
        CURLMsg *msg;
        if (left <= 0)
            break;
        if (curl_multi_perform(m, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(m, &q)) != NULL) {
            ask *a = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&a);
            if (ask_done(m, a, msg->data.result, note, nlen, size, cosigs, &got) == 0) {
                open--;
            } else if (ask_start(m, s, a, note, nlen, size, deadline - now_ms()) != 0) {
                a->done = true;
                ask_end(m, a);
                open--;
            }
        }
        if (open > 0)
            curl_multi_poll(m, NULL, 0, (int)(left < 50 ? left : 50), NULL);
    }
    for (size_t i = 0; i < n; i++)
        if (!asks[i].done) {
            char why[80];
            snprintf(why, sizeof why, "no answer within %u ms", wl_srv->witness_timeout_ms);
            note_state(asks[i].w, why);
            ask_end(m, &asks[i]);
        }
out:
    if (m)
        curl_multi_cleanup(m);
    return got;
}
