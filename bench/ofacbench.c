/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-ofacbench DIR: OFAC's SDN legacy CSV files in DIR (sdn.csv, add.csv,
 * alt.csv, sdn_comments.csv; make bench gives tests/fixtures/ofac/2021-07)
 * read by lib/pressure/ofac.c five times (the median), then every entry's
 * names and aliases, dates, countries and identifiers indexed by the names
 * engine once. Prints JSON for make bench: the reading and indexing parts of
 * issue 12's target for the whole SDN import (under 3 s); the import through
 * the log is not measured here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "willing/ofac.h"

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    FILE *f;
    long n;
    char *b = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "rb")))
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else
        free(b), b = NULL;
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/ofac/2021-07";
    size_t sl = 0, al = 0, ll = 0, cl = 0, keys = 0;
    char *s = slurp(dir, "sdn.csv", &sl), *a = slurp(dir, "add.csv", &al);
    char *l = slurp(dir, "alt.csv", &ll), *c = slurp(dir, "sdn_comments.csv", &cl);
    double t[5];
    wl_ofac_list list;
    wl_error err;
    if (!s || !a || !l || !c) {
        fprintf(stderr, "ofacbench: cannot read the four files in %s\n", dir);
        return 1;
    }
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        if (wl_ofac_read(s, sl, a, al, l, ll, c, cl, &list, &err) != WL_OK) {
            fprintf(stderr, "ofacbench: %s\n", err.msg);
            return 1;
        }
        t[i] = now() - t0;
        if (i < 4)
            wl_ofac_free(&list);
    }
    qsort(t, 5, sizeof t[0], cmp);
    wl_names *n = NULL;
    wl_names_index *ix = NULL;
    if (wl_names_open(&n, &err) != WL_OK || wl_names_index_new(1, &ix) != WL_OK)
        return 1;
    double t0 = now();
    for (size_t i = 0; i < list.n; i++) {
        const wl_ofac_entry *e = &list.entries[i];
        wl_name_in names[256];
        size_t nn = 0;
        names[nn++] = (wl_name_in){e->name, 0, 0};
        for (size_t k = 0; k < e->n_aliases && nn < 256; k++)
            names[nn++] = (wl_name_in){e->aliases[k].name, 1, e->aliases[k].weak};
        wl_names_subject sub = {e->ent_num,     names,     nn,
                                e->dobs,        e->n_dobs, (const char *const *)e->countries,
                                e->n_countries, e->ids,    e->n_ids};
        if (wl_names_index_add(ix, n, &sub, &err) != WL_OK) {
            fprintf(stderr, "ofacbench: %llu: %s\n", (unsigned long long)e->ent_num, err.msg);
            return 1;
        }
    }
    double t1 = now();
    keys = wl_names_index_keys(ix);
    printf("{\"entries\": %zu, \"aliases\": %zu, \"addresses\": %zu, \"bytes\": %zu, "
           "\"read_seconds\": %.3f, \"index_seconds\": %.3f, \"name_keys\": %zu, "
           "\"seconds\": %.3f}\n",
           list.n, list.n_aliases, list.n_addresses, sl + al + ll + cl, t[2], t1 - t0, keys,
           t[2] + (t1 - t0));
    wl_names_index_free(ix);
    wl_names_close(n);
    wl_ofac_free(&list);
    free(s), free(a), free(l), free(c);
    return 0;
}
