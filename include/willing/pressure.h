/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pressure module's bodies (issue 12): pressure.designation (a subject a
 * list designates: its type, names and aliases with script and quality,
 * identifiers, dates and places of birth with precision, programmes, dates
 * listed, amended and delisted, the source list and the SHA-256 of its file)
 * and pressure.snapshot (an import's file hash, date and counts). The checks
 * of their bodies, pure; the kinds are registered in a later slice.
 * docs/internals/pressure.md, "Designations".
 */
#ifndef WILLING_PRESSURE_H
#define WILLING_PRESSURE_H

#include <jansson.h>

#include "willing/wl.h"

/* WL_OK, or WL_ERR_INVALID / WL_ERR_TOO_LARGE with err naming the field (invalid_body, or
 * name_too_long / name_invalid for a name). */
wl_rc wl_pressure_designation_check(const json_t *body, wl_error *err) WL_MUST;
wl_rc wl_pressure_snapshot_check(const json_t *body, wl_error *err) WL_MUST;

#endif
