/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's session family: console sessions and signed-request nonces
 * (tables sessions, nonces): what login and request authentication remember.
 * Included by store/store.h; lib/store/store_session.c implements it.
 */
#ifndef WILLING_STORE_SESSION_H
#define WILLING_STORE_SESSION_H

#include "willing/wl.h"

typedef struct wl_store wl_store;

/*
 * Console sessions: token is the SHA-256 of the cookie's value (the value
 * itself is never stored). delete removes that session and every expired one.
 */
wl_rc wl_store_session_put(wl_store *s, const uint8_t token[32], const char *member,
                           uint32_t key_id, const char *csrf, int64_t expires) WL_MUST;
wl_rc wl_store_session_get(wl_store *s, const uint8_t token[32], char member[65], uint32_t *key_id,
                           char csrf[65], int64_t *expires) WL_MUST;
wl_rc wl_store_session_delete(wl_store *s, const uint8_t token[32], int64_t now) WL_MUST;

/*
 * Records a request nonce until `expires` (unix seconds); WL_ERR_CONFLICT if it
 * was already recorded and has not expired. Forgets nonces expired at `now`.
 */
wl_rc wl_store_nonce_use(wl_store *s, const char *nonce, int64_t expires, int64_t now) WL_MUST;

#endif
