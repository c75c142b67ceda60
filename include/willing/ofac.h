/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OFAC's SDN list in its legacy CSV files (sdn.csv, add.csv, alt.csv,
 * sdn_comments.csv) read into entries the pressure module designates from:
 * no header, `-0- ` for null, CRLF, a trailing 0x1A, programmes packed as
 * `SDGT] [SYRIA`, dates of birth, places, nationalities, identifiers and
 * a.k.a.s in the remarks, remarks continued in sdn_comments.csv. All or
 * nothing: every rejected record is reported with its file, line and why.
 * Pure: bytes in, entries out. docs/internals/pressure.md, "OFAC".
 */
#ifndef WILLING_OFAC_H
#define WILLING_OFAC_H

#include <jansson.h>

#include "willing/names.h"

typedef struct {
    char *name;
    char kind[4]; /* "aka", "fka", "nka" */
    int weak;     /* OFAC's "weak a.k.a." */
} wl_ofac_alias;

typedef struct {
    uint64_t ent_num;
    size_t line;      /* of its record in sdn.csv */
    char *name;       /* as listed: "SURNAME, Given" for a person */
    const char *type; /* "person", "entity", "vessel", "aircraft" */
    char **programs;  /* "UKRAINE-EO13661", "CYBER2", ... */
    size_t n_programs;
    char *title, *call_sign, *vessel_type, *tonnage, *grt, *vessel_flag,
        *vessel_owner;      /* NULL: -0- */
    char *remarks;          /* with its continuation from sdn_comments.csv; NULL: none */
    wl_ofac_alias *aliases; /* alt.csv's, then the remarks' a.k.a.s */
    size_t n_aliases;
    wl_name_date *dobs; /* "DOB 14 Apr 1965; alt. DOB 1964", "DOB circa 1958" */
    size_t n_dobs;
    char **countries; /* nationality, citizen, addresses' countries */
    size_t n_countries;
    char *pob;
    wl_name_id *ids; /* passports, national, tax and registration numbers, IMO... */
    size_t n_ids;
} wl_ofac_entry;

typedef struct {
    char file[24];
    size_t line;
    char why[200];
} wl_ofac_reject;

typedef struct {
    wl_ofac_entry *entries;
    size_t n;
    size_t n_aliases, n_addresses, n_comments;
    wl_ofac_reject *rejects; /* the records refused, in file order: the first WL_OFAC_REJECTS_MAX */
    size_t n_rejects;        /* all of them */
} wl_ofac_list;

/*
 * Reads the files' bytes (add, alt and comments may be NULL). WL_OK with
 * every entry; WL_ERR_INVALID (ofac_rejected) when any record was refused
 * (among the reasons: a field that is not UTF-8 or holds a NUL byte, an
 * ent_num twice, at the second's line),
 * with every refusal in out->rejects (free it all the same); WL_ERR_TOO_LARGE
 * (file_too_large) for a file over WL_OFAC_FILE_MAX. Caller frees with
 * wl_ofac_free (a no-op on a zeroed list).
 */
wl_rc wl_ofac_read(const char *sdn, size_t sdn_len, const char *add, size_t add_len,
                   const char *alt, size_t alt_len, const char *comments, size_t comments_len,
                   wl_ofac_list *out, wl_error *err) WL_MUST;
void wl_ofac_free(wl_ofac_list *l);

/*
 * An entry as the body of a pressure.designation (include/willing/pressure.h)
 * attributed to OFAC's list: subject its ent_num, source {"list": "ofac-sdn",
 * "file": file_sha256}, listed the date given (the legacy files carry no
 * designation dates: the date of the file that first listed it). The body
 * passes wl_pressure_designation_check, or the call fails naming why (such as
 * more identifiers than a designation holds). Caller json_decrefs *out.
 */
wl_rc wl_ofac_body(const wl_ofac_entry *e, const char *file_sha256, const char *listed,
                   json_t **out, wl_error *err) WL_MUST;

#endif
