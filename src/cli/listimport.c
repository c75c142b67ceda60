/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Part of the CLI's shared layer (cli.h): a sanctions list's designations,
 * as any reader gave them (OFAC's CSV files; the UN's, EU's and UK's XML),
 * imported as the differences from what the log holds: the list's latest
 * snapshot and then its stored designations read a page at a time, compared
 * (wl_pressure_diff), and the added, amended and delisted ones posted in
 * pressure.batch entries with the import's pressure.snapshot last (its base
 * the snapshot read), in one batch request: all stored or none.
 * docs/internals/pressure.md, "Importing a list"; docs/internals/cli.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "willing/pressure.h"

/*
 * The list's stored designation bodies, every page of GET /api/v1/pressure/subjects, and *base
 * the entry of its latest snapshot (-1: none) as the first page gave it, read with that page
 * and so before any other: an import committed while the pages are read makes the base stale,
 * and the server refuses the snapshot (stale_base) rather than store a comparison against a
 * list that changed under it.
 */
static int fetch_stored(const char *cmd, const char *server, const char *list, json_t **out,
                        int64_t *base)
{
    json_t *all = json_array(), *page = NULL, *s;
    char path[512], next[200] = "";
    size_t i;
    *out = NULL;
    *base = -1;
    if (all == NULL)
        return 1;
    do {
        snprintf(path, sizeof path, "/api/v1/pressure/subjects?source=%s&limit=%u%s%s", list,
                 WL_PRESSURE_PAGE_MAX, *next ? "&after=" : "", next);
        if (cli_get_json(cmd, server, path, NULL, &page, NULL) != 0) {
            json_decref(all);
            return 1;
        }
        if (*next == '\0') { /* the first page */
            const json_t *snap = json_object_get(page, "snapshot");
            if (snap == NULL) {
                fprintf(stderr, "willing %s: the server gives no list's latest snapshot\n", cmd);
                json_decref(page);
                json_decref(all);
                return 1;
            }
            if (json_is_object(snap))
                *base = (int64_t)json_integer_value(json_object_get(snap, "entry"));
        }
        json_array_foreach(json_object_get(page, "subjects"), i, s)
        {
            if (json_array_append(all, json_object_get(s, "designation")) != 0) {
                json_decref(page);
                json_decref(all);
                return 1;
            }
        }
        snprintf(next, sizeof next, "%s", cli_str(page, "next", ""));
        json_decref(page);
    } while (*next);
    *out = all;
    return 0;
}

/* The batch's bodies and their kinds: the writes packed in pressure.batch bodies, the snapshot. */
static int pack(const char *cmd, const cli_list_import *im, const wl_pressure_plan *p,
                json_t **bodies, const char ***kinds)
{
    json_t *head = json_pack("{s:s, s:s}", "list", im->list, "file", im->file);
    size_t n;
    wl_error err;
    *bodies = NULL;
    *kinds = NULL;
    if (head == NULL)
        return 1;
    if (json_array_size(p->writes) == 0)
        *bodies = json_array();
    else if (wl_import_parts(head, "designations", p->writes, WL_PRESSURE_BATCH_ROWS,
                             WL_PRESSURE_PARTS_MAX, bodies, &err) != WL_OK) {
        fprintf(stderr, "willing %s: %s\n", cmd, err.msg);
        json_decref(head);
        return 1;
    }
    json_decref(head);
    n = json_array_size(*bodies);
    if (*bodies == NULL || json_array_append(*bodies, p->snapshot) != 0 ||
        (*kinds = calloc(n + 1, sizeof **kinds)) == NULL) {
        json_decref(*bodies);
        *bodies = NULL;
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        (*kinds)[i] = "pressure.batch";
    (*kinds)[n] = "pressure.snapshot";
    return 0;
}

static void print_done(const cli_list_import *im, const wl_pressure_plan *p, const json_t *answer)
{
    const json_t *ents = json_object_get(answer, "entries");
    const size_t n = json_array_size(ents);
    if (cli_json) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:O, s:O?}", "list", im->list, "file", im->file,
                              "date", im->date, "counts", json_object_get(p->snapshot, "counts"),
                              "entries", (json_t *)ents);
        cli_print_json(o);
        json_decref(o);
        return;
    }
    printf("%s %s of %s (SHA-256 %s, %s): %zu subjects, %zu added, %zu amended, %zu "
           "delisted\n",
           answer ? "imported" : "would import", im->list, im->path, im->file, im->date,
           p->subjects, p->added, p->amended, p->delisted);
    if (n)
        printf(
            "in %zu entries, indexes %lld to %lld (the snapshot)\n", n,
            (long long)json_integer_value(json_object_get(json_array_get(ents, 0), "index")),
            (long long)json_integer_value(json_object_get(json_array_get(ents, n - 1), "index")));
}

int cli_list_import_send(const char *cmd, const cli_common *c, const cli_list_import *im)
{
    const bool tty = isatty(STDERR_FILENO);
    wl_pressure_plan plan = {0};
    json_t *stored = NULL, *bodies = NULL, *answer = NULL;
    const char **kinds = NULL;
    int64_t base;
    wl_keyfile kf;
    wl_error err;
    int ret = 1;

    if (tty)
        fprintf(stderr, "willing %s: reading what the log holds of the list %s\n", cmd, im->list);
    if (fetch_stored(cmd, c->server, im->list, &stored, &base) != 0)
        return 1;
    if (wl_pressure_diff(im->list, im->file, im->date, base, im->bodies, stored, &plan, &err) !=
        WL_OK) {
        fprintf(stderr, "willing %s: %s\n", cmd, err.msg);
        goto out;
    }
    if (tty)
        fprintf(stderr,
                "willing %s: %zu stored, %zu in the file: %zu added, %zu amended, %zu "
                "delisted\n",
                cmd, json_array_size(stored), plan.subjects, plan.added, plan.amended,
                plan.delisted);
    if (im->dry_run) {
        print_done(im, &plan, NULL);
        ret = 0;
        goto out;
    }
    if (pack(cmd, im, &plan, &bodies, &kinds) != 0 || cli_member_key(cmd, c->key, &kf) != 0)
        goto out;
    if (tty)
        fprintf(stderr, "willing %s: signing and sending %zu entries in one request\n", cmd,
                json_array_size(bodies));
    ret = cli_post_batch_kinds(cmd, c->server, &kf, kinds, bodies, &answer);
    wl_key_wipe(&kf.key);
    if (ret == 0)
        print_done(im, &plan, answer);
out:
    free(kinds);
    json_decref(answer);
    json_decref(bodies);
    json_decref(stored);
    wl_pressure_plan_free(&plan);
    return ret;
}
