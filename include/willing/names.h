/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The names engine of the pressure module: a name folded into keys (ICU's
 * folding to ASCII, "SURNAME, Given" reordered, Cyrillic transliterated three
 * ways: ICU's Russian-Latin/BGN and Ukrainian-Latin/BGN and ICAO Doc 9303),
 * an index of the keys of many subjects, and screening: a name with an
 * optional date of birth, country and identifiers against the index, giving
 * candidates each with its score and why, never a verdict. Pure: no store, no
 * network. The design and the score are in docs/internals/pressure.md, "Names".
 */
#ifndef WILLING_NAMES_H
#define WILLING_NAMES_H

#include "willing/wl.h"

/* Which transliteration gave a key (a bit mask: one key may come from several). */
enum {
    WL_NAME_AS_WRITTEN = 1u, /* the name folded as written (any script but Cyrillic) */
    WL_NAME_BGN_RU = 2u,     /* ICU Russian-Latin/BGN, then folded */
    WL_NAME_BGN_UK = 4u,     /* ICU Ukrainian-Latin/BGN, then folded */
    WL_NAME_ICAO = 8u,       /* ICAO Doc 9303 (machine-readable passports), then folded */
};

/*
 * A folding context: ICU's transliterators and a screening's scratch memory.
 * Not to be shared between threads (ICU's transliterators are not); the index
 * is. Open one per thread; wl_names_close(NULL) is a no-op.
 */
typedef struct wl_names wl_names;
wl_rc wl_names_open(wl_names **out, wl_error *err) WL_MUST;
void wl_names_close(wl_names *n);

/* One key of a name: its words folded to lower-case ASCII, sorted (so word order never matters). */
typedef struct {
    unsigned schemes; /* WL_NAME_* that gave it */
    unsigned words;
    char exact[WL_NAME_KEY_BYTES]; /* the folded words, sorted, one space between */
    char loose[WL_NAME_KEY_BYTES]; /* each word loosened (wl_names_loose), sorted */
} wl_name_key;

typedef struct {
    unsigned count; /* 1, or 1 to 3 for a Cyrillic name (identical keys merged) */
    wl_name_key key[3];
} wl_name_keys;

/*
 * The keys of a name (UTF-8, len bytes). A Cyrillic name (any letter of
 * U+0400-U+04FF) gives a key by each transliteration; any other, one key of
 * the name folded as written. Errors, with out zeroed: name_too_long
 * (WL_ERR_TOO_LARGE: over WL_NAME_MAX_BYTES, or words over WL_NAME_TOKENS_MAX),
 * name_invalid (not UTF-8, a control character, or a bidirectional control or
 * invisible character such as U+202E or U+200B, named by its code point; the
 * zero-width non-joiner and joiner are kept and left out of the keys),
 * name_empty (no letter or digit), icu (ICU failed).
 */
wl_rc wl_names_keys(wl_names *n, const char *name, size_t len, wl_name_keys *out,
                    wl_error *err) WL_MUST;
/* wl_names_keys's checks alone (no ICU): name_too_long, name_invalid; *cyrillic (may be NULL) set
 * when it holds a Cyrillic letter. */
wl_rc wl_names_check(const char *name, size_t len, int *cyrillic, wl_error *err) WL_MUST;

/*
 * The name as people write it: "SURNAME, Given Middle" (one comma) becomes
 * "Given Middle SURNAME"; spaces trimmed and runs of them made one. Into out
 * (cap bytes); WL_ERR_TOO_LARGE when it does not fit.
 */
wl_rc wl_names_reorder(const char *name, size_t len, char *out, size_t cap) WL_MUST;

/*
 * ICAO Doc 9303 Part 3's transliteration of Cyrillic (the Russian and
 * Ukrainian letters of its table), every other character kept: UTF-8 in,
 * UTF-8 out, a capital giving "Shch" or, in a word in capitals, "SHCH".
 * WL_ERR_INVALID on bad UTF-8, WL_ERR_TOO_LARGE when out is too small.
 */
wl_rc wl_names_icao(const char *in, size_t len, char *out, size_t cap) WL_MUST;

/*
 * A folded word loosened, so that the usual spellings of one transliterated
 * sound meet (shch and sch, kh and h, y and i, doubled letters once...; the
 * rules in docs/internals/pressure.md): "Shcherbakov" and "Scherbakov" give
 * "scherbakov", "Yuriy", "Yury" and "Iurii" give "iuri". Into out (cap bytes,
 * at least twice the word's length plus one); cut to fit otherwise.
 */
void wl_names_loose(const char *word, size_t len, char *out, size_t cap);

/* A date of birth with its precision: month 0 for a year only, day 0 for a month. */
typedef struct {
    int year; /* 0: none */
    unsigned month, day;
    int circa; /* "circa 1958": a year up to 2 either side agrees, at the year */
} wl_name_date;

/* An identifier: passport, IMO, registration number... Values agree when equal ignoring case and
 * everything but letters and digits. */
typedef struct {
    const char *type; /* free text, shown in the explanation */
    const char *value;
} wl_name_id;

typedef struct {
    const char *text; /* UTF-8 as written */
    int alias;        /* an a.k.a., not the subject's primary name */
    int weak;         /* a low-quality alias (OFAC's "weak a.k.a.", the UN's "Low") */
} wl_name_in;

/* A subject of a list as the index takes it: the index copies everything. */
typedef struct {
    uint64_t id; /* the caller's (an entry index, a list's reference) */
    const wl_name_in *names;
    size_t n_names;
    const wl_name_date *dobs;
    size_t n_dobs;
    const char *const
        *countries; /* nationality or registration, ISO codes or names as the list writes them */
    size_t n_countries;
    const wl_name_id *ids;
    size_t n_ids;
} wl_names_subject;

typedef struct wl_names_index wl_names_index;
/* An empty index of data version `version` (what screenings say they used: the log's size). */
wl_rc wl_names_index_new(uint64_t version, wl_names_index **out) WL_MUST;
void wl_names_index_free(wl_names_index *ix);
/*
 * Adds a subject: every name's keys (each distinct key once per subject), its
 * dates, countries and identifiers. A name that fails wl_names_keys fails the
 * call with its error (the index unchanged but for the subject's earlier names).
 */
wl_rc wl_names_index_add(wl_names_index *ix, wl_names *n, const wl_names_subject *s,
                         wl_error *err) WL_MUST;
size_t wl_names_index_keys(const wl_names_index *ix);     /* distinct name keys held */
size_t wl_names_index_subjects(const wl_names_index *ix); /* subjects held */
uint64_t wl_names_index_version(const wl_names_index *ix);

typedef struct {
    const char
        *name; /* UTF-8, NUL-terminated; NULL or "" with ids to screen by identifiers alone */
    wl_name_date dob;    /* year 0: not given */
    const char *country; /* NULL: not given */
    const wl_name_id *ids;
    size_t n_ids;     /* at most WL_NAME_IDS_MAX */
    size_t limit;     /* candidates at most; 0: WL_SCREEN_LIMIT_DEFAULT; over WL_SCREEN_LIMIT_MAX
                         refused */
    double min_score; /* candidates under it left out; 0: 0.5 */
} wl_names_query;

/* How the name agreed. */
typedef enum {
    WL_MATCH_NONE = 0, /* no name agreed (an identifier did) */
    WL_MATCH_PARTIAL,  /* some words agreed (loosened) */
    WL_MATCH_LOOSE,    /* every word, once loosened */
    WL_MATCH_EXACT,    /* every word, folded */
} wl_name_match;

/* How a date of birth or a country compared. */
typedef enum {
    WL_AGREE_UNKNOWN = 0, /* not given, or the subject has none */
    WL_AGREE_DISAGREE,
    WL_AGREE_YEAR,  /* the year (or circa the year) */
    WL_AGREE_MONTH, /* year and month */
    WL_AGREE_DAY,   /* the whole date; for a country: the same country */
} wl_name_agree;

/* A candidate: a subject and why it scored what it did. Pointers are the index's. */
typedef struct {
    uint64_t subject;
    double score;           /* 0 to 1: the documented score, never a verdict */
    double name_score;      /* the name's part of it */
    const char *name;       /* the name that agreed best as written (else the primary name) */
    const char *key;        /* its key that met the query's (exact form); NULL: no name agreed */
    unsigned schemes;       /* WL_NAME_* that gave that key */
    unsigned query_schemes; /* WL_NAME_* that gave the query's key it met */
    wl_name_match how;
    unsigned words_agreed, words_query, words_name;
    int alias, weak;
    wl_name_agree dob, country;
    const char *id_type, *id_value; /* the identifier that agreed (the subject's), or NULL */
    char why[512];                  /* all of the above in words */
} wl_names_candidate;

/*
 * Screens q against ix: up to q->limit candidates (at most cap) into out, by
 * score then subject id, their number in *count. An identifier that agrees
 * wins outright (score 1); otherwise the name's score adjusted by date of
 * birth and country (docs/internals/pressure.md, "The score"). Errors as
 * wl_names_keys for the name; screen_empty (neither name nor identifier),
 * screen_limit (limit over WL_SCREEN_LIMIT_MAX), too_many_ids.
 */
wl_rc wl_names_screen(wl_names *n, const wl_names_index *ix, const wl_names_query *q,
                      wl_names_candidate *out, size_t cap, size_t *count, wl_error *err) WL_MUST;

/* A scheme mask in words ("Russian-Latin/BGN, ICAO 9303") into out. */
void wl_names_schemes_text(unsigned schemes, char *out, size_t cap);

#endif
