/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module (issue 11): monitors' reports, signed in the field and
 * perhaps offline, kept so that no one can change them after the fact. Its
 * one kind so far, monitor.report (a member of role monitor only): when, how
 * precisely, where (coordinates with a radius, or a named oblast), what (a
 * type from the taxonomy of lib/monitor/taxonomy.c, after the OSCE SMM's),
 * how many, direction and distance, evidence by blob hash with its chain of
 * custody, free text. No network, no threads, no printing.
 * docs/internals/monitor.md has the design, docs/FORMAT.md the body.
 */
#ifndef WILLING_MONITOR_H
#define WILLING_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "willing/module.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* The module (lib/monitor/kinds.c), registered in lib/modules.c. */
extern const wl_module wl_monitor_module;

/*
 * A report's body checked against every rule that needs no store (the
 * kind's validate): time is the entry's own time, now the sequencing time
 * (0: not checked). WL_ERR_INVALID, invalid_body naming the field.
 */
wl_rc wl_monitor_report_check(const json_t *body, int64_t time, int64_t now, wl_error *err) WL_MUST;

/* The taxonomy (lib/monitor/taxonomy.c): each list NULL-terminated, the one list of each. */
extern const char *const wl_monitor_types[];
extern const char *const wl_monitor_restrictions[];
extern const char *const wl_monitor_weapons[];
extern const char *const wl_monitor_directions[];
/* Whether s is in list. */
bool wl_monitor_in(const char *const *list, const char *s);
/* The oblast's name in data/geo (ADMIN_1) for its id, or NULL for an id that is none. */
const char *wl_monitor_oblast_name(const char *id);

/*
 * The views (lib/monitor/views.c), public (reports are public entries).
 * wl_monitor_reports: {"reports": [...], "next": N or null}, those of index
 * > after, observed on day ("YYYY-MM-DD", NULL: any) of type (NULL: any),
 * at most limit. wl_monitor_report_show: one (WL_ERR_NOT_FOUND: none).
 * *out: caller decrefs; NULL on any error.
 */
wl_rc wl_monitor_reports(wl_store *s, const char *day, const char *type, uint64_t after,
                         unsigned limit, json_t **out) WL_MUST;
wl_rc wl_monitor_report_show(wl_store *s, uint64_t index, json_t **out) WL_MUST;

#endif
