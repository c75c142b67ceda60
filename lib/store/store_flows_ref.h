/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's reference-data family (lib/store/store_flows_ref.c): the rows
 * of third-party reference data (table refs), one per row of a
 * reference.batch entry, kept apart from members' flows. Amounts are kept as
 * the exact decimal text the source gave; the store knows no meaning.
 * Included by store/store.h; docs/internals/store.md.
 */
#ifndef WILLING_STORE_FLOWS_REF_H
#define WILLING_STORE_FLOWS_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/wl.h"

typedef struct wl_store wl_store;

/* One row of reference data: the entry (idx) and its place in it (row). */
typedef struct {
    uint64_t idx, row, line, part, parts;
    char source[65];
    char release[WL_REF_TEXT_BYTES + 1];
    char file[65];
    char donor[WL_REF_TEXT_BYTES + 1];
    char date[11];
    char type[16], stage[16];
    char amount[WL_REF_INT_DIGITS + WL_REF_DECIMALS + 3];
    char currency[4];
} wl_store_ref;

wl_rc wl_store_ref_put(wl_store *s, const wl_store_ref *r) WL_MUST;
/*
 * The file and first entry stored for a source's release: WL_ERR_NOT_FOUND
 * when none. With part not 0, the entry holding that part instead.
 */
wl_rc wl_store_ref_release(wl_store *s, const char *source, const char *release, uint64_t part,
                           char file[65], uint64_t *idx) WL_MUST;
/* The release of a source imported last (highest entry); WL_ERR_NOT_FOUND when none. */
wl_rc wl_store_ref_latest(wl_store *s, const char *source, char *release, size_t cap) WL_MUST;
/* Called per row; anything but WL_OK stops the walk and is returned. */
typedef wl_rc (*wl_store_ref_fn)(void *ctx, const wl_store_ref *r);
/*
 * A source's release's rows in entry and row order (by_donor: by donor first),
 * donor NULL for all, from offset, at most limit (UINT64_MAX: all).
 */
wl_rc wl_store_refs(wl_store *s, const char *source, const char *release, const char *donor,
                    bool by_donor, uint64_t offset, uint64_t limit, wl_store_ref_fn fn,
                    void *ctx) WL_MUST;

#endif
