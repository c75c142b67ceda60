/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every limit of willing, named once. Each is enforced where input enters or a
 * list leaves: exceeding one is an error naming the limit (or, for a list, a
 * `next` link to the rest), never a silent cut. docs/FORMAT.md says which
 * answer names which limit; included by willing/wl.h.
 */
#ifndef WILLING_LIMITS_H
#define WILLING_LIMITS_H

/* Entries and notes. */
#define WL_ENTRY_MAX 65535u        /* bytes of an entry: tile entry bundles use a uint16 length */
#define WL_PROOF_MAX 64u           /* hashes in an inclusion or consistency proof */
#define WL_NOTE_SIGS_MAX 32u       /* signature lines accepted in one note */
#define WL_NOTE_MAX (WL_ENTRY_MAX) /* bytes of a note we parse */
#define WL_BATCH_MAX 1000u         /* entries in one batch request */

/* The Atom feed (GET /feed.atom): newest first, a rel="next" link to the older ones. */
#define WL_FEED_ENTRIES 200u         /* entries in one feed document */
#define WL_FEED_MAX_BYTES (8u << 20) /* bytes of one feed document */
#define WL_FEED_TITLE_BYTES 200u /* a statement's text in an entry's title, cut at a character */
#define WL_PUBLIC_URL_MAX 512u   /* serve --public-url */

#endif
