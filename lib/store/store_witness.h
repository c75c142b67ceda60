/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's witness family: for `willing witness`, the latest checkpoint it
 * cosigned per origin (table witness). Included by store/store.h;
 * lib/store/store_witness.c implements it.
 */
#ifndef WILLING_STORE_WITNESS_H
#define WILLING_STORE_WITNESS_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

wl_rc wl_store_witness_get(wl_store *s, const char *origin, uint64_t *size,
                           uint8_t root[32]) WL_MUST;
wl_rc wl_store_witness_set(wl_store *s, const char *origin, uint64_t size, const uint8_t root[32],
                           const char *note, size_t len) WL_MUST;

#endif
