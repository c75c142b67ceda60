/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole JSON answers of views that follow from the register alone, kept until
 * the register changes (wl_srv->reg_gen: every commit that may change it bumps
 * it): GET /api/v1/zones, whose 1,000 zones cost a few hundred milliseconds to
 * build and a copy to serve, and GET /api/v1/deals/<id>, which also follows the
 * published checkpoint (a witness's cosignature dates "in force since"). A few
 * slots by key; docs/internals/daemon.md.
 */
#ifndef WL_DAEMON_VIEWCACHE_H
#define WL_DAEMON_VIEWCACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "respond.h"

#define WL_VIEWCACHE_KEY_MAX 96 /* a key's bytes, its ending NUL included */

/*
 * The key of a view that follows the published checkpoint too: "WHAT:ID@SIZE", SIZE the
 * published checkpoint's (every publish has a new size). WHAT and ID: at most 8 and 64
 * bytes.
 */
void wl_viewcache_key_at_checkpoint(char key[WL_VIEWCACHE_KEY_MAX], const char *what,
                                    const char *id);

/*
 * Answers c from the slot of key when it holds the register of now (*ret: the
 * queue's result) and returns true; else returns false, *gen the register's
 * generation to build the view at (read before the view's snapshot is taken).
 */
bool wl_viewcache_hit(struct MHD_Connection *c, const char *key, uint64_t *gen,
                      enum MHD_Result *ret);

/*
 * Answers c with body (taken) as a 200 JSON answer, exactly as wl_respond_json
 * does, and keeps its text under key for generation gen (not when it passes
 * WL_VIEWCACHE_MAX bytes).
 */
enum MHD_Result wl_viewcache_answer(struct MHD_Connection *c, const char *key, uint64_t gen,
                                    json_t *body);

#endif
