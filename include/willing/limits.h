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

/* Request bodies, by route (src/daemon/http.c takes the ceiling from the route). */
#define WL_BODY_MAX_ENTRY (128u * 1024u)        /* one entry: 64 KiB as base64 in JSON */
#define WL_BODY_MAX_BATCH (16u * 1024u * 1024u) /* a batch of up to 1,000 entries */
#define WL_BODY_MAX_SMALL (4u * 1024u)          /* login, logout, announce: a few fields */

/*
 * Keys of one member over its life, revoked and sealed ones included (an old
 * entry still verifies against a revoked key): one more is refused with 409
 * too_many_keys. Every read of a member's keys has room for all of them.
 */
#define WL_MAX_KEYS_PER_MEMBER 16u

/* Lists. A page that does not hold everything says where the rest is (`next`). */
#define WL_SEALED_PAGE_MAX 1000u  /* GET /api/v1/sealed: items in one page (and the default) */
#define WL_ENTRIES_PAGE_MAX 1000u /* GET /api/v1/entries: entries in one page */
#define WL_ENTRIES_PAGE_DEFAULT 100u
#define WL_CSV_MAX_BYTES (8u << 20) /* one CSV answer; more is refused (ask for fewer rows) */

/* The Atom feed (GET /feed.atom): newest first, a rel="next" link to the older ones. */
#define WL_FEED_ENTRIES 200u         /* entries in one feed document */
#define WL_FEED_MAX_BYTES (8u << 20) /* bytes of one feed document */
#define WL_FEED_TITLE_BYTES 200u /* a statement's text in an entry's title, cut at a character */
#define WL_PUBLIC_URL_MAX 512u   /* serve --public-url */

/* The willing command (src/cli): what it reads at most. */
#define WL_CLI_ANSWER_MAX (64u << 20)       /* bytes of one HTTP answer */
#define WL_CLI_CLEAR_INPUT_MAX (256u << 20) /* willing clear --input: the clearing's inputs */
#define WL_CLI_DATA_MAX (16u << 20)         /* willing fetch --data @FILE: a request body */
#define WL_CLI_PROOF_MAX (1u << 20)         /* willing prove --check: a .tlog-proof file */
#define WL_CLI_STATE_MAX 65536u             /* willing verify: the last checkpoint it saw */
#define WL_CLI_WITNESSES_MAX 16u            /* --witness keys (verify, prove --check) */
#define WL_CLI_TIMEOUT_S 60L                /* seconds one HTTP request may take */

#endif
