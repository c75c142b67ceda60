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
#define WL_ORIGIN_MAX 255u         /* bytes of a log's origin */
#define WL_KEYNAME_MAX 255u        /* bytes of a note key's name */
#define WL_ENTRY_SKEW_S 300        /* s: how far after the log's clock an entry's time may be */
#define WL_KIND_MAX 32u            /* bytes of an entry's kind */
#define WL_MEMBER_MAX 64u          /* bytes of a member id */
#define WL_BODY_DEPTH_MAX 16u      /* nesting of an entry's JSON body */
#define WL_STATEMENT_MAX 4096u     /* bytes of a statement's text */
#define WL_KINDS_MAX 64u           /* entry kinds registered by every module together */
#define WL_MODULES_MAX 16u         /* modules registered (lib/modules.c) */
#define WL_PROOF_MAX 64u           /* hashes in an inclusion or consistency proof */
#define WL_NOTE_SIGS_MAX 32u       /* signature lines accepted in one note */
#define WL_NOTE_MAX (WL_ENTRY_MAX) /* bytes of a note we parse */
#define WL_BATCH_MAX 1000u         /* entries in one batch request */
#define WL_BUNDLE_MAX (256u * (2u + WL_ENTRY_MAX)) /* bytes of an entry bundle (256 entries) */

/* RFC 9421 signed requests. */
#define WL_HTTPSIG_FIELD_MAX 4096u    /* bytes of a Signature-Input or a Signature field */
#define WL_HTTPSIG_COMPONENTS_MAX 16u /* components one signature covers */
#define WL_HTTPSIG_BASE_MAX 8192u     /* bytes of a signature base */
#define WL_HTTPSIG_PARAMS_MAX 8u      /* parameters of one signature (created, keyid, nonce...) */
#define WL_SIGNED_PATH_MAX 1023u      /* bytes of a signed request's path */
#define WL_SIGNED_QUERY_MAX 2047u     /* bytes of a signed request's query, '?' included */

/* Request bodies, by route (each route's row names its ceiling: src/daemon/route.h). */
/* a batch of up to 1,000 entries: an import of 100,000 flow rows is one request */
#define WL_BODY_MAX_BATCH (32u * 1024u * 1024u)
#define WL_BODY_MAX_ENTRY (128u * 1024u) /* one entry: 64 KiB as base64 in JSON */
#define WL_BODY_MAX_SMALL (4u * 1024u)   /* login, logout, announce: a few fields */

/*
 * Keys of one member over its life, revoked and sealed ones included (an old
 * entry still verifies against a revoked key): one more is refused with 409
 * too_many_keys. Every read of a member's keys has room for all of them.
 */
#define WL_MAX_KEYS_PER_MEMBER 16u

/*
 * Announcing a sealed member reveals its member.add and every key.add of it:
 * at most one and WL_MAX_KEYS_PER_MEMBER. More is refused (409 too_many_sealed).
 */
#define WL_ANNOUNCE_ENTRIES_MAX (1u + WL_MAX_KEYS_PER_MEMBER)

/*
 * Sealing: the commitments read for one batch deadline (what is left is
 * published at the next deadline, never dropped), and the envelopes sequenced
 * in one transaction. Envelope seqs are <deadline>000000 + slot, and the
 * operator's announce seqs keep clear of the first 200,000 slots: a batch read
 * and its padding stay under that.
 */
#define WL_SEAL_BATCH_READ 100000u
#define WL_SEAL_CHUNK 512u
#define WL_SEAL_BATCH_MAX 4096u /* serve --seal-batch: envelopes per batch at most */

/* Sign-in: challenges remembered as used within their life (a full ring refuses sign-ins). */
#define WL_LOGIN_USED_MAX 4096u

/* Pledges. */
#define WL_PLEDGE_CAVEATS_MAX 8u    /* caveats of one pledge */
#define WL_PLEDGE_CAVEAT_BYTES 200u /* bytes of one caveat */
#define WL_PLEDGE_TEXT_BYTES 2000u  /* bytes of a pledge's text */
#define WL_COND_AT_LEAST_MAX 999999 /* n of an at_least condition */
#define WL_COND_DEPTH_MAX 8         /* nesting of a pledge's condition */
#define WL_COND_NODES_MAX 64        /* terms of a pledge's condition */

/* Flows (docs/internals/flows.md). */
#define WL_FLOW_BATCH_ROWS 1000u   /* flows in one flow.batch entry */
#define WL_FLOW_TEXT_BYTES 2000u   /* bytes of a flow's text, a dispute's reason */
#define WL_FLOW_NAME_BYTES 200u    /* bytes of an activity id, an instrument's name, a source */
#define WL_FLOW_READERS_MAX 32u    /* named readers of a sealed flow */
#define WL_INSTRUMENT_DEPTH_MAX 8u /* facilities above a contract, at most */

/* Witnesses: peers of `serve --witness`, logs and body of `willing witness`. */
#define WL_WITNESS_MAX 8u
#define WL_WITNESS_LOGS_MAX 16u
#define WL_WITNESS_BODY_MAX 16384u

/* Blobs: documents by hash (docs/internals/deal.md, "Blobs"). */
#define WL_BLOB_MAX (16u << 20)          /* bytes of a blob: serve --blob-max's default */
#define WL_BLOB_MAX_CEILING (256u << 20) /* the most serve --blob-max may allow */
#define WL_BLOB_MEDIA_MAX 100u           /* bytes of a blob's media type (its Content-Type) */

/* Files read whole. */
#define WL_WEB_FILE_MAX (2u << 20) /* one file of the console (web/) */
#define WL_TLS_FILE_MAX (1u << 20) /* serve --tls-cert, --tls-key */

/* Whole view answers kept until the register changes (src/daemon/viewcache.c). */
#define WL_VIEWCACHE_SLOTS 8u        /* slots: the zones lists (public, exact: kept), deals */
#define WL_VIEWCACHE_MAX (32u << 20) /* bytes of one kept answer */

/* Lists. A page that does not hold everything says where the rest is (`next`). */
#define WL_SEALED_PAGE_MAX 1000u  /* GET /api/v1/sealed: items in one page (and the default) */
#define WL_ENTRIES_PAGE_MAX 1000u /* GET /api/v1/entries: entries in one page */
#define WL_ENTRIES_PAGE_DEFAULT 100u
#define WL_CSV_MAX_BYTES (8u << 20)      /* one CSV answer; more is refused (ask for fewer rows) */
#define WL_COVERAGE_MAX_BYTES (1u << 30) /* one coverage answer (JSON); more answers 500 */

/* The flows views (lib/flows/views*.c, GET /api/v1/flows...) */
#define WL_FLOWS_PAGE_MAX 1000u            /* flows in one page of the list (JSON or CSV) */
#define WL_FLOWS_PAGE_DEFAULT 100u         /* ... when the request names no limit */
#define WL_FLOWS_ANSWERS_MAX 100u          /* answers of one flow shown (the latest) */
#define WL_FLOWS_CHAIN_MAX 100             /* flows of one correction chain shown */
#define WL_FLOWS_INSTRUMENTS_MAX 10000u    /* instruments in one tree answer */
#define WL_FLOWS_RATES_MAX 10000u          /* rates in one answer */
#define WL_FLOWS_SUMMARY_ROWS_MAX 100000u  /* keys, and key-measure figures, of one summary */
#define WL_FLOWS_NOT_CONVERTIBLE_MAX 1000u /* flows and pledges named as not convertible */

/* The Atom feed (GET /feed.atom): newest first, a rel="next" link to the older ones. */
#define WL_FEED_ENTRIES 200u         /* entries in one feed document */
#define WL_FEED_MAX_BYTES (8u << 20) /* bytes of one feed document */
#define WL_FEED_TITLE_BYTES 200u /* a statement's text in an entry's title, cut at a character */
#define WL_PUBLIC_URL_MAX 512u   /* serve --public-url */

/* Imports (CSV and reference data: lib/flows/csvimport.c, reference.c). */
#define WL_IMPORT_FILE_MAX (256u << 20) /* bytes of one imported file */
#define WL_IMPORT_FIELDS_MAX 256u       /* columns of one CSV record */
#define WL_IMPORT_RECORD_MAX 65536u     /* bytes of one CSV record */
#define WL_IMPORT_BODY_MAX 61440u       /* bytes of one import entry's body: room for its header */
#define WL_REF_BATCH_ROWS 1000u         /* rows of one reference.batch entry */
#define WL_REF_PARTS_MAX 1000u          /* entries of one reference import (one batch request) */
#define WL_REF_TEXT_BYTES 200u          /* bytes of a reference row's donor or text; a release */
#define WL_REF_DECIMALS 18u             /* decimals of a reference amount, kept exactly */
#define WL_REF_INT_DIGITS 20u           /* digits before the point of a reference amount */
#define WL_REF_GROUPS_MAX 4096u         /* donors and currencies of one totals answer */
#define WL_REF_PAGE_MAX 1000u           /* GET /api/v1/reference: rows in one page */
#define WL_REF_PAGE_DEFAULT 100u

/* History: UCDP's events (lib/monitor/history.c, docs/internals/monitor.md "History"). */
#define WL_HISTORY_NAME_BYTES 200u   /* a conflict, dyad, side or admin area's name */
#define WL_HISTORY_PLACE_BYTES 1000u /* an event's where_description */
#define WL_HISTORY_COORD_BYTES 24u   /* a latitude or longitude as the file writes it */
#define WL_HISTORY_BATCH_ROWS 1000u  /* events of one history.batch entry */
/* an event's deaths (each figure, best, high, low): far above any one event's,
 * low enough that the yearly sums of every event never overflow */
#define WL_HISTORY_DEATHS_MAX 10000000u
#define WL_HISTORY_PARTS_MAX 1000u /* entries of one import (one batch request) */
#define WL_HISTORY_PAGE_MAX 1000u  /* GET /api/v1/history/events: events in one page */
#define WL_HISTORY_PAGE_DEFAULT 100u

/* The willing command (src/cli): what it reads at most. */
#define WL_CLI_ANSWER_MAX (64u << 20)       /* bytes of one HTTP answer */
#define WL_CLI_SERVER_URL_MAX 512u          /* --server URL: a request's URL then fits */
#define WL_CLI_CLEAR_INPUT_MAX (256u << 20) /* willing clear --input: the clearing's inputs */
#define WL_CLI_DATA_MAX (16u << 20)         /* willing fetch --data @FILE: a request body */
#define WL_CLI_PROOF_MAX (1u << 20)         /* willing prove --check: a .tlog-proof file */
#define WL_CLI_STATE_MAX 65536u             /* willing verify: the last checkpoint it saw */
#define WL_CLI_VERIFY_STATE_MAX 262144u     /* verify --state: a checkpoint, its edge and tiles */
#define WL_CLI_WITNESSES_MAX 16u            /* --witness keys (verify, prove --check) */
#define WL_CLI_TIMEOUT_S 60L                /* seconds one HTTP request may take */

/* IATI 2.03 import and export (lib/flows/iati_*.c, willing flows import-iati / export-iati) */
#define WL_IATI_MAX_BYTES (64u << 20)         /* an IATI file read; more is refused unread */
#define WL_IATI_PROBLEMS_MAX 1000u            /* bad transactions listed (all are counted) */
#define WL_IATI_EXPORT_MAX_BYTES (256u << 20) /* one iati-activities document written */
#define WL_IATI_EXPORT_FLOWS_MAX 200000u      /* flows in one export (GET /api/v1/flows/iati) */
#define WL_RATE_TARGETS_MAX 16   /* currencies the rates may convert into (kept totals each) */
#define WL_IATI_TEXT_BYTES 2000u /* a flow's text taken from a description */
#define WL_IATI_ORG_BYTES 200u   /* a provider or receiver taken from an org */

/* The monitors' daily report (lib/monitor/daily.c, docs/internals/monitor.md). */
#define WL_DAILY_REPORTS_MAX 100000u /* reports one day's report holds; more is refused */
#define WL_DAILY_PAGE 1000u          /* reports read from the store at a time */
#define WL_DAILY_CSV_MAX (64u << 20) /* bytes of one day's CSV */
#define WL_DAILY_MAP_MAX (16u << 20) /* bytes of the oblasts' map read for it */

/* The deal (lib/deal, docs/internals/deal.md): a version's lists and texts. */
#define WL_DEAL_TITLE_BYTES 256u   /* a version's title */
#define WL_DEAL_ANNEXES_MAX 64u    /* annexes of one version */
#define WL_DEAL_ANNEX_NAME 200u    /* bytes of an annex's name */
#define WL_DEAL_PARTIES_MAX 64u    /* required parties of one version */
#define WL_DEAL_ZONES_MAX 1000u    /* zone versions one version names */
#define WL_DEAL_NOTICE_BYTES 2000u /* a notice's text */
#define WL_DEALS_LIST_MAX 1000u    /* deals in GET /api/v1/deals */
#define WL_DEAL_VERSIONS_MAX 1000u /* versions shown by GET /api/v1/deals/<id> (the latest) */
#define WL_DEAL_COSIGN_LOOK 64u    /* checkpoints looked at for in_force_since's cosignature */

/* Incidents (lib/monitor/correlate.c, docs/internals/monitor.md "Incidents"). */
#define WL_CORR_REPORTS_MAX (1u << 24)     /* reports one correlation holds */
#define WL_CORR_TYPES_MAX 32u              /* classes of the compatibility table */
#define WL_CORR_RADIUS_MAX 2000000u        /* m: the vaguest location correlated */
#define WL_CORR_PT_MAX 31622400u           /* s: the vaguest time correlated (366 days) */
#define WL_CORR_OVERRIDES_MAX 100000u      /* splits and merges in force */
#define WL_CORR_OVERRIDE_REPORTS_MAX 1000u /* reports one monitor.merge or .split names */
#define WL_CORR_REASON_BYTES 2000u         /* an override's reason */
#define WL_INCIDENTS_DAY_MAX 10000u        /* incidents GET /api/v1/incidents?day= lists */

/* The deal's zones and sites (lib/deal/zone.c, docs/internals/deal.md "Zones and sites"). */
#define WL_ZONE_VERTICES_MAX                                                                       \
    5000u /* positions of one zone's geometry: 5,001 short ones fit an entry */
#define WL_ZONE_TEXT_BYTES 2000u      /* bytes of a zone's text */
#define WL_ZONE_PRECISION_MAX 100u    /* km: the coarsest precision a site may be shown at */
#define WL_ZONE_PRECISION_DEFAULT 10u /* km: a zone's precision when the entry gives none */
#define WL_ZONE_SITE_RADIUS_KM 50.0   /* contains: the protected sites within this distance */
#define WL_ZONES_INDEX_MAX 100000u    /* current zones the containment index holds */

/* Monitors' reports (lib/monitor, docs/internals/monitor.md). */
#define WL_MONITOR_SKEW_S                                                                          \
    WL_ENTRY_SKEW_S /* s: how far after its entry's time an observation may be */
#define WL_MONITOR_OBSERVED_MIN 1388534400 /* 2014-01-01: no report observes earlier */
#define WL_MONITOR_PRECISION_MIN 60u       /* s: the finest precision of an observed time */
#define WL_MONITOR_PRECISION_MAX 86400u
#define WL_MONITOR_RADIUS_MIN 100u /* m: the finest radius of a location */
#define WL_MONITOR_RADIUS_MAX 50000u
#define WL_MONITOR_DISTANCE_MAX 50000u /* m: a report's distance to what it saw */
#define WL_MONITOR_COUNT_MAX 100000u   /* events one report counts */
#define WL_MONITOR_WEAPONS_MAX 10000u  /* weapons one report counts */
#define WL_MONITOR_EVIDENCE_MAX 16u    /* evidence items of one report */
#define WL_MONITOR_DEVICE_BYTES 100u   /* an evidence item's device */
#define WL_MONITOR_PLACE_BYTES 100u    /* a settlement's name */
#define WL_MONITOR_TEXT_BYTES 4000u    /* a report's free text */
#define WL_MONITOR_PAGE_DEFAULT 100u   /* reports in one page of GET /api/v1/reports */
#define WL_MONITOR_PAGE_MAX 1000u

/* The monitors' map and timeline (lib/monitor/map.c, docs/internals/monitor.md, "The map"). */
#define WL_MAP_ZOOM_DEFAULT 6u     /* the map's zoom when none is given: Ukraine whole */
#define WL_MAP_ZOOM_MAX 18u        /* Leaflet's deepest zoom */
#define WL_MAP_ZOOM_SINGLES 13u    /* from this zoom on (cells < 1 km) nothing is clustered */
#define WL_MAP_CELL_DEG 90.0       /* a cell's width in degrees of longitude at zoom 0 */
#define WL_MAP_REPORTS_MAX 100000u /* reports of one day the map holds; more is refused */
#define WL_MAP_HISTORY_MAX 1000u   /* UCDP events of the history layer */
#define WL_MAP_TIMELINE_DAYS 30u   /* days of the timeline by default */
#define WL_MAP_TIMELINE_MAX 366u   /* days of one timeline at most */

/* Compliance per zone and day (lib/monitor/compliance.c, kinds_compliance.c). */
#define WL_COMPLIANCE_DAYS_DEFAULT 7u      /* days of a trend when none is asked */
#define WL_COMPLIANCE_DAYS_MAX 90u         /* days of one trend at most */
#define WL_COMPLIANCE_REPORTS_MAX 1000000u /* reports of one trend's periods; more is refused */
#define WL_COMPLIANCE_CSV_MAX (64u << 20)  /* bytes of one trend's CSV */
#define WL_THRESHOLD_ABOVE_MAX 1000000u    /* the largest count a threshold may name */
#define WL_THRESHOLD_DAYS_MAX 30u          /* consecutive days a threshold may ask for */
#define WL_THRESHOLD_TEXT_BYTES 1000u      /* bytes of a threshold's text */
#define WL_THRESHOLDS_MAX 1000u            /* thresholds the alerts weigh; more is refused */

/* Names and screening (lib/pressure/names*.c, docs/internals/pressure.md, "Names"). */
#define WL_NAME_MAX_BYTES 512u        /* bytes of one name as written (UTF-8) */
#define WL_NAME_KEY_BYTES 2048u       /* bytes of one key: a name folded to ASCII tokens */
#define WL_NAME_TOKENS_MAX 32u        /* words of one name */
#define WL_NAME_IDS_MAX 16u           /* identifiers of one screening query */
#define WL_SCREEN_LIMIT_DEFAULT 10u   /* candidates one screening answers by default */
#define WL_SCREEN_LIMIT_MAX 100u      /* candidates one screening answers at most */
#define WL_SCREEN_CSV_MAX (8u << 20)  /* bytes of a CSV of names screened in one request */
#define WL_SCREEN_ROWS_MAX 100000u    /* rows of a CSV of names screened in one request */
#define WL_SCREEN_OUT_MAX (32u << 20) /* bytes of the answer to one (JSON or CSV) */
#define WL_PRESSURE_PAGE_MAX 1000u    /* GET /api/v1/pressure/subjects: designations in one page */
#define WL_PRESSURE_PAGE_DEFAULT 100u
#define WL_OFAC_FILE_MAX (64u << 20)      /* bytes of one of OFAC's SDN CSV files */
#define WL_OFAC_REJECTS_MAX 1000u         /* refused records reported; more are counted */
#define WL_SANCTIONS_FILE_MAX (64u << 20) /* bytes of one UN, EU or UK list file (XML) */
#define WL_SANCTIONS_REJECTS_MAX 1000u    /* refused records reported; more are counted */
#define WL_PRESSURE_NAMES_MAX 256u        /* names and aliases of one designation */
#define WL_PRESSURE_LIST_MAX 64u       /* identifiers, dates, places, countries, programmes each */
#define WL_PRESSURE_TEXT_BYTES 512u    /* bytes of a designation's other texts */
#define WL_PRESSURE_REASON_BYTES 2000u /* bytes of an analyst decision's reason */
#define WL_PRESSURE_BATCH_ROWS 1000u   /* designations of one pressure.batch entry */
#define WL_PRESSURE_DATE_AHEAD_S                                                                   \
    (14 * 3600) /* s: a designation's date may be the day in UTC+14 at its entry's time */
#define WL_PRESSURE_PARTS_MAX 999u /* pressure.batch entries of one import (with its snapshot) */
#define WL_PRESSURE_CSV_MAX (64u << 20) /* bytes of an alignment's CSV answer */

#endif
