/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What names.c (folding, keys) and names_index.c (the index, screening)
 * share, private to lib/pressure: the folding context with ICU's
 * transliterators and a screening's scratch memory.
 */
#ifndef WILLING_PRESSURE_NAMES_INT_H
#define WILLING_PRESSURE_NAMES_INT_H

#include <unicode/utrans.h>

#include "willing/names.h"

/* A subject's running best in one screening. */
typedef struct {
    uint32_t subject;
    uint32_t nkey;    /* its name key that agreed best, UINT32_MAX: none */
    uint32_t variant; /* the query's key it met */
    uint32_t idref;   /* the identifier that agreed, UINT32_MAX: none */
    double name_score;
    wl_name_match how;
    unsigned agreed;
} wl_names_cand;

struct wl_names {
    UTransliterator *ru, *uk, *fold;
    /* screening scratch, grown to the index's size: stamps say what this screening touched */
    uint32_t stamp;
    uint32_t *kstamp, *khits, *touched; /* per name key */
    size_t kcap;
    uint32_t *sstamp, *sslot; /* per subject: its slot in cands */
    size_t scap;
    wl_names_cand *cands;
    size_t ncands, ccap;
    wl_name_keys query; /* the last screening's keys: candidates' explanations name them */
};

typedef struct {
    uint32_t str, len, hash;
} strent;

/* Strings (in the arena) to entries: open addressing, slot = entry + 1. */
typedef struct {
    uint32_t *slot;
    size_t cap;
    strent *ent;
    size_t n, ecap;
} strmap;

typedef struct {
    uint32_t subject, name, exact, loose, tok0;
    uint16_t words, ntok;
    uint8_t schemes;
} nkey;

typedef struct {
    uint32_t text;
    uint8_t alias, weak;
} nname;

typedef struct {
    uint64_t id;
    uint32_t dob0, ndob, ctry0, nctry;
    uint32_t primary; /* arena offset of its primary name (else its first), UINT32_MAX: none */
} nsubject;

typedef struct {
    uint32_t subject, type, value, next;
} nidref;

typedef struct {
    uint32_t *p;
    uint32_t n, cap;
} postings;

struct wl_names_index {
    uint64_t version;
    char *arena;
    size_t alen, acap;
    nkey *keys;
    size_t nkeys, kcap;
    nname *names;
    size_t nnames, ncap;
    nsubject *subjects;
    size_t nsubjects, scap;
    wl_name_date *dobs;
    size_t ndobs, dcap;
    uint32_t *ctry; /* arena offsets of folded countries */
    size_t nctry, ccap;
    uint32_t *tokids; /* each key's distinct loose words, as token ids */
    size_t ntokids, tcap;
    strmap tokens;
    postings *post; /* per token */
    size_t pcap;
    strmap idvals;
    uint32_t *idhead; /* per identifier value: its first nidref + 1 */
    size_t hcap;
    nidref *idrefs;
    size_t nidrefs, rcap;
};

/* Grows *p (elements of size elem, capacity *cap, new ones zeroed) to hold need; -1 when out of
 * memory. */
int wl_names_grow(void *p, size_t *cap, size_t need, size_t elem);
/* The entry of s in m (the index's tokens or identifiers), or -1. */
long wl_names_index_find(const wl_names_index *ix, const strmap *m, const char *s, size_t len);
/* Letters and digits of s only into out, upper-cased (identifiers) or lower-cased (countries). */
size_t wl_names_squeeze(const char *s, char *out, size_t cap, int upper);
/* An identifier's value squeezed to upper-case letters and digits, an IMO number without its
 * "IMO" prefix (IMO9610781 is 9610781) */
size_t wl_names_squeeze_id(const char *s, char *out, size_t cap);

#endif
