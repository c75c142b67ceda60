/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coalition module (lib/coalition): monotone pledge conditions (a text
 * syntax and JSON) and the clearing engine that finds which pledges are
 * binding (no storage: anyone given the inputs re-runs it and gets the same
 * result); its kinds and their rules (who may seal, amend and withdraw a
 * pledge); its views (the coverage of the requirements as a viewer may see
 * it, from a store read). No network, no threads, no printing.
 * docs/internals/coalition.md has the design.
 */
#ifndef WILLING_COALITION_H
#define WILLING_COALITION_H

#include "willing/ledger.h"
#include "willing/wl.h"

typedef struct json_t json_t;

/* Quantities are exact decimals with up to 4 places, held scaled by 10^4. */
#define WL_QTY_SCALE 10000
wl_rc wl_qty_parse(const char *s, size_t len, int64_t *out) WL_MUST;
/* Writes the shortest exact decimal; out holds at least 32 bytes. */
void wl_qty_format(int64_t q, char *out, size_t cap);

typedef enum {
    WL_COND_TRUE,     /* no condition */
    WL_COND_REQUIRES, /* member `name` holds a binding pledge */
    WL_COND_AT_LEAST, /* at least n other members hold binding pledges in category `name` */
    WL_COND_TOTAL,    /* the binding total in category `name`, unit `unit`, is >= n (scaled) */
    WL_COND_FACT,     /* the fact `name` is recorded */
    WL_COND_ALL,
    WL_COND_ANY,
} wl_cond_op;

typedef struct wl_cond {
    wl_cond_op op;
    char *name;
    char *unit;
    int64_t n;
    struct wl_cond **kids;
    size_t nkids;
} wl_cond;

/*
 * Parses the text syntax, e.g.
 *   all(requires(us), at_least(5, ground_forces))
 *   any(fact(ceasefire-signed), total(air_defence, systems) >= 100)
 * `not`, `at_most`, `<` and `<=` are refused with a message saying why.
 * On failure why gets the message (with the offending position).
 */
wl_rc wl_cond_parse(const char *text, wl_cond **out, char *why, size_t whylen) WL_MUST;
/* JSON form: {"all":[...]}, {"any":[...]}, {"requires":"us"},
 * {"at_least":{"n":5,"category":"ground_forces"}},
 * {"total":{"category":"finance","unit":"GBP","min":"1600000000"}}, {"fact":"x"}, true */
wl_rc wl_cond_from_json(const json_t *j, wl_cond **out, char *why, size_t whylen) WL_MUST;
json_t *wl_cond_to_json(const wl_cond *c);
void wl_cond_free(wl_cond *c); /* NULL is a no-op */

/* Clearing. */
typedef struct {
    const char *id;       /* the pledge's identifier, for reasons */
    const char *member;   /* its author */
    const char *category; /* ground_forces, air_policing, ... */
    const char *unit;     /* troops, aircraft, systems, GBP, ... */
    int64_t qty;          /* scaled by WL_QTY_SCALE */
    const wl_cond *cond;  /* NULL: unconditional */
} wl_pledge_in;

typedef struct {
    size_t n;
    uint8_t *binding; /* per pledge */
    char **reason;    /* per pledge: why not, and what would make it bind; for a binding one
                       * NULL, or why when a fact with words (a deal's) made it bind */
    size_t rounds;    /* re-evaluations done (for the record and the benchmark) */
} wl_clearing;

/*
 * The binding pledges are the greatest set whose conditions all hold given
 * that set: start from all, drop those whose conditions fail, until none
 * fails. Unique and independent of the order of the input. Release with
 * wl_clearing_free.
 */
wl_rc wl_clear(const wl_pledge_in *p, size_t n, const char *const *facts, size_t nfacts,
               wl_clearing *out) WL_MUST;
/*
 * The same, with words for facts no one records by hand: a pledge that waits
 * for fact `fact` says "fact(FACT): WHY" instead of asking the coordinator to
 * record it (the deal's: "the deal ID is not in force (suspended)").
 */
typedef struct {
    const char *fact, *why;
} wl_fact_note;
wl_rc wl_clear_noted(const wl_pledge_in *p, size_t n, const char *const *facts, size_t nfacts,
                     const wl_fact_note *notes, size_t nnotes, wl_clearing *out) WL_MUST;
void wl_clearing_free(wl_clearing *c);

/*
 * The coalition's kinds, as a module (lib/coalition/kinds.c): requirement.set,
 * requirement.endorse, fact.record, fact.retract, clearing, and the sealed
 * pledge and pledge.withdraw. See willing/module.h.
 */
struct wl_module;
extern const struct wl_module wl_coalition_module;

/* Pledges: the body of sealed content of kind "pledge" (docs/FORMAT.md). */
#define WL_PLEDGE_CATEGORIES                                                                       \
    "ground_forces, air_policing, air_defence, maritime, logistics, intelligence, training, "      \
    "finance, other"
/* Whether s is one of WL_PLEDGE_CATEGORIES (pledges, requirements and conditions name them). */
int wl_pledge_category(const char *s);
/* The i-th category in the order the console lists them; NULL past the last. */
const char *wl_pledge_category_at(size_t i);
/* The unit a category's quantities are counted in when total() names none; NULL if none. */
const char *wl_pledge_category_unit(const char *category);
/* A requirement's priority: a whole number from WL_PRIORITY_MIN (first) to WL_PRIORITY_MAX. */
#define WL_PRIORITY_MIN 1
#define WL_PRIORITY_MAX 5

/*
 * What the console lists rather than copies (GET /api/v1/registry,
 * docs/FORMAT.md "The registry"): {"categories": [{"category": NAME, "unit":
 * UNIT or null}, ...], "priority": {"min": 1, "max": 5}}. NULL when out of
 * memory; the caller releases it with json_decref.
 */
json_t *wl_coalition_registry(void);
wl_rc wl_pledge_check(const json_t *body, char *why, size_t whylen) WL_MUST;

/*
 * A set of pledges built from sealed contents in order: a pledge, an
 * amendment (a new pledge whose "amends" names its predecessor, by the same
 * author), a withdrawal (kind pledge.withdraw, {"pledge": id}).
 */
typedef struct {
    char *id, *member, *category, *unit;
    int64_t qty;
    wl_cond *cond;
    uint64_t where; /* the caller's position: announce index, or received order */
    int64_t time;   /* its sealed content's time (unix seconds): the pledge's day */
    int withdrawn;  /* withdrawn or amended by its author */
    int inactive;   /* set by the caller: its member has withdrawn */
} wl_pledge_item;

typedef struct {
    wl_pledge_item *items;
    size_t n, cap;
    wl_pledge_in *in;
    wl_pledge_item **live;
    size_t *slots; /* index by id */
    size_t nslots;
} wl_pledges;

void wl_pledges_init(wl_pledges *ps);
/* Adds sealed content (a signed willing.sealed/v1 note; the caller checked it). */
wl_rc wl_pledges_add(wl_pledges *ps, const char *content, size_t len, uint64_t where) WL_MUST;
/* The live pledges as clearing input; valid until the next call or wl_pledges_free. */
wl_rc wl_pledges_inputs(wl_pledges *ps, const wl_pledge_in **in, const wl_pledge_item ***items,
                        size_t *n) WL_MUST;
void wl_pledges_free(wl_pledges *ps);

/* Coverage of one requirement by a cleared set of pledges. */
typedef struct {
    int64_t binding, pledged, gap; /* pledged: pledged but not binding */
    size_t nbinding, npledged;
} wl_cover;
void wl_coverage(const char *category, const char *unit, int64_t need, const wl_pledge_in *p,
                 size_t n, const wl_clearing *c, wl_cover *out);

/*
 * The rules of sealed pledges (kinds.c), for the kind descriptors of pledge
 * and pledge.withdraw. Each returns WL_OK or sets err (its rc says the
 * answer: WL_ERR_INVALID invalid_pledge, WL_ERR_NOT_FOUND unknown_pledge).
 *   validate: the body alone (wl_pledge_check; a withdrawal is
 *     {"pledge": the id withdrawn});
 *   seal_check: against the store: amending ("amends") or withdrawing names
 *     a pledge sealed by the same author; another member's pledge gets the
 *     same answer as one that does not exist.
 */
wl_rc wl_pledge_validate(const wl_entry *content, wl_error *err) WL_MUST;
wl_rc wl_pledge_withdraw_validate(const wl_entry *content, wl_error *err) WL_MUST;
wl_rc wl_pledge_seal_check(wl_store *s, const wl_entry *content, wl_error *err) WL_MUST;
wl_rc wl_pledge_withdraw_seal_check(wl_store *s, const wl_entry *content, wl_error *err) WL_MUST;

/* The coverage views (views.c): who looks decides what is counted. */
typedef enum {
    WL_VIEWER_PUBLIC,      /* announced pledges only: nothing sealed can be inferred */
    WL_VIEWER_COORDINATOR, /* sealed pledges too */
    WL_VIEWER_MEMBER,      /* the member's own sealed pledges and the announced ones */
} wl_coalition_viewer;
const char *wl_coalition_viewer_name(wl_coalition_viewer viewer); /* "public", ... */

/*
 * The pledge set a view is cleared from, grown incrementally: a build parses
 * only sealed rows and announcements new since the last one. Items are never
 * freed before wl_coalition_base_free, so views built earlier stay valid.
 */
typedef struct {
    wl_pledges ps;
    int64_t sealed_after;   /* the last sealed row parsed */
    uint64_t announce_from; /* the next announce index to parse */
} wl_coalition_base;
void wl_coalition_base_init(wl_coalition_base *b);
void wl_coalition_base_free(wl_coalition_base *b); /* leaves it empty, initialised */
/*
 * Brings b up to date: with sealed, the sealed contents stored since the last
 * update (of `only`'s authorship, or all when NULL); and the announcements.
 * Its live items are then the pledges that viewer sees (the flows views read
 * pledged figures from it).
 */
wl_rc wl_coalition_base_update(wl_store *s, wl_coalition_base *b, int sealed,
                               const char *only) WL_MUST;

/* One cleared view. */
typedef struct {
    wl_coalition_base *own; /* the pledge set, when the view owns it (a member's view) */
    wl_pledge_in *in;       /* the pledges in the view; strings belong to the pledge set */
    size_t n;
    wl_clearing clr;
    char *facts_json; /* ["fact", ...] */
    char *reqs_json;  /* [{requirement and its coverage}, ...] */
    wl_buf csv;       /* the requirements as CSV, with its header */
    char *notice;     /* the log's notice, or NULL */
} wl_coalition_view;

/*
 * Builds viewer's view from s (the caller may hold a read transaction so
 * that every table is read at one moment). The public and coordinator views
 * grow base (one per viewer, kept by the caller between builds); a member's
 * view is built afresh for `member` and base is NULL. Members withdrawn
 * (in public: publicly) do not count. *out: caller frees with
 * wl_coalition_view_free; NULL on failure.
 */
wl_rc wl_coalition_view_build(wl_store *s, wl_coalition_viewer viewer, const char *member,
                              wl_coalition_base *base, wl_coalition_view **out) WL_MUST;
void wl_coalition_view_free(wl_coalition_view *v); /* NULL is a no-op */
/*
 * GET /api/v1/coverage's answer: {"view", "pledges_total", "offset", "limit",
 * "notice"?, "facts", "requirements", "pledges": the page [offset, offset +
 * limit) with binding and reason}. out is set afresh (free with wl_buf_free).
 */
wl_rc wl_coalition_view_json(const wl_coalition_view *v, wl_coalition_viewer viewer, size_t offset,
                             size_t limit, wl_buf *out) WL_MUST;
/* The clearing's inputs in the form `willing clear --input` reads: {"facts", "pledges"}. */
json_t *wl_coalition_view_inputs(const wl_coalition_view *v);

#endif
