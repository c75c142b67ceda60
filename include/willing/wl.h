/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing core: error codes, limits and the allocation wrapper shared by every
 * module of the library. The design is in docs/ARCHITECTURE.md.
 *
 * Every fallible function returns a wl_rc (WL_OK is 0) and writes its results
 * through out-parameters that are zeroed on failure.
 */
#ifndef WILLING_WL_H
#define WILLING_WL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "willing/limits.h" /* every limit, named once */

#define WL_MUST __attribute__((warn_unused_result))

typedef enum {
    WL_OK = 0,
    WL_ERR_NOMEM,       /* allocation failed */
    WL_ERR_INVALID,     /* malformed input */
    WL_ERR_TOO_LARGE,   /* input above a ceiling */
    WL_ERR_SIGNATURE,   /* a signature did not verify */
    WL_ERR_UNKNOWN_KEY, /* no known key matches */
    WL_ERR_REVOKED,     /* the key was revoked */
    WL_ERR_NOT_FOUND,   /* no such record */
    WL_ERR_CONFLICT,    /* same identity, different content */
    WL_ERR_FORBIDDEN,   /* the author may not do this */
    WL_ERR_PROOF,       /* a Merkle proof did not verify */
    WL_ERR_IO,          /* storage or file error */
    WL_ERR_CORRUPT,     /* stored data fails an integrity check */
    WL_ERR_INTERNAL,    /* a bug: an invariant did not hold */
    WL_ERR_VERSION,     /* made by another version of willing (its schema) */
    WL_ERR_UNAVAILABLE, /* not now: a standby, or the database server away; retry later */
} wl_rc;

/* A short stable name for an error code ("invalid", "signature", ...). */
const char *wl_rc_name(wl_rc rc);

/*
 * Why a call failed, for a person and for a program: the code, a stable name
 * for {"error": code} and a one-line message. Every layer fills it the same
 * way, from request decoding up to a kind's rules.
 */
typedef struct {
    wl_rc rc;
    const char *code; /* stable, for {"error": code} */
    char msg[256];
} wl_error;

/* Sets err (when not NULL) and returns rc. */
wl_rc wl_error_set(wl_error *err, wl_rc rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define WL_HASH_BYTES 32u

/*
 * Allocation. All library allocation goes through these so that tests can make
 * the Nth call fail (wl_alloc_fail_at). wl_free(NULL) is a no-op.
 */
void *wl_malloc(size_t n);
void *wl_calloc(size_t count, size_t n);
void *wl_realloc(void *p, size_t n);
char *wl_strndup(const char *s, size_t n);
/*
 * Copies at most size - 1 bytes of src (at most max of them; NULL as "") into dst and ends
 * it with a NUL, as snprintf(dst, size, "%.*s", max, src) does, without the format's cost
 * (hot paths: a flow import copies a dozen fields per row). size is at least 1.
 */
void wl_copy_str(char *dst, size_t size, const char *src, size_t max);
void wl_free(void *p);
/* Make the nth allocation from now fail (1 = the next one); 0 disables. */
void wl_alloc_fail_at(unsigned long n);
/* 1 if the failure armed by the last wl_alloc_fail_at has happened (tests check it). */
int wl_alloc_failed(void);

/*
 * A growable byte buffer with a ceiling, always NUL-terminated.
 * Zero-initialise it; release with wl_buf_free (a no-op on an empty buffer).
 */
typedef struct {
    char *buf;
    size_t len, cap;
} wl_buf;

/* WL_ERR_TOO_LARGE if len + n would exceed max. */
wl_rc wl_buf_append(wl_buf *b, const void *p, size_t n, size_t max) WL_MUST;
void wl_buf_free(wl_buf *b);

/*
 * snprintf that refuses to cut: WL_ERR_TOO_LARGE (and out empty) when the
 * whole text does not fit in cap bytes. For values that would be wrong, not
 * just short, when cut: signature bases, paths, URLs, ids, answers.
 */
wl_rc wl_fmt(char *out, size_t cap, const char *fmt, ...) WL_MUST
    __attribute__((format(printf, 3, 4)));

/* A unix time as ISO 8601 UTC, "2026-11-30T19:40:00Z", into out (21 bytes suffice). */
void wl_time_iso8601(int64_t t, char *out, size_t cap);

/*
 * Civil dates (proleptic Gregorian) as days since 1970-01-01, and back.
 * wl_date_days: "YYYY-MM-DD" (or, with month_ok, "YYYY-MM": its 1st) as days,
 * -1 for anything else (NULL, a 31st of a 30-day month, year 0000 too).
 * wl_days_date: days as "YYYY-MM-DD" into out (11 bytes), for years 1-9999.
 */
int64_t wl_days_from_civil(int64_t y, unsigned m, unsigned d);
void wl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
int64_t wl_date_days(const char *s, bool month_ok);
void wl_days_date(int64_t days, char out[11]);

/*
 * Ukraine's civil time (Europe/Kyiv) as the offset from UTC in seconds at the
 * unix time t: EET (+7200), and EEST (+10800) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October, the rule
 * Ukraine has kept with the EU since 1996. Computed, not read from tzdata,
 * so every server and replay agrees on it.
 */
int32_t wl_kyiv_offset(int64_t t);

#endif
