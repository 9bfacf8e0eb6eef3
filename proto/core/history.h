/* The history pager: walks a device's logger timeseries or event table backwards page
 * by page (each query asks for entries before the oldest one received) until the range
 * is covered, de-duplicating, and stopping on an empty or non-advancing page. Pure: the
 * pages of one range. Who may start one and whose it is, on a shared link, is walk.h. */
#ifndef RCT_HISTORY_H
#define RCT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/codec/value.h"

#define HISTORY_MAX_ITEMS 100000   /* bound on what one range may collect */

enum history_status {
    HISTORY_RUNNING = 0,
    HISTORY_DONE,           /* range covered, or the device has nothing older */
    HISTORY_BAD_PAGE,       /* a page did not decode (reported; the pager stops) */
    HISTORY_FULL,           /* HISTORY_MAX_ITEMS reached */
};

struct history_pager {
    uint32_t oid;
    enum rct_type type;           /* RCT_TYPE_TIMESERIES or RCT_TYPE_EVENT_TABLE */
    int64_t since, until;         /* UNIX seconds, inclusive range */
    uint32_t cursor;              /* the next query's timestamp */
    enum history_status status;
    unsigned pages;
    unsigned max_pages;           /* stop after this many pages (0 = no limit) ... */
    bool more;                    /* ... and say whether the device had more */
    size_t n, cap;
    struct rct_ts_point *points;  /* timeseries: sorted ascending when done */
    struct rct_event_row *rows;   /* event table: sorted newest first when done */
};

/* Returns false if oid is not a history OID or the range is empty. */
bool history_pager_init(struct history_pager *p, uint32_t oid, int64_t since, int64_t until);
void history_pager_free(struct history_pager *p);
/* The timestamp to query next; false when finished. */
bool history_pager_next_query(const struct history_pager *p, uint32_t *ts);
/* Feeds one answer page (the LONG_RESPONSE payload). */
void history_pager_page(struct history_pager *p, const uint8_t *payload, size_t len);
/* 0..1: how much of the range is covered so far. */
double history_pager_progress(const struct history_pager *p);

#endif
