/* libFuzzer target: the history pager walking a timeseries and the event table with pages
 * cut from the input; checks bounds, sorting, de-duplication and a cursor that only falls. */
#include <stdint.h>
#include <string.h>

#include "proto/core/history.h"
#include "proto/codec/value.h"

#define TS_OID 0x5293B668u      /* logger.minutes_soc_log_ts: timeseries */
#define EVENTS_OID 0x6F3876BCu  /* logger.error_log_time_stamp: event table */
#define T0 1750000000

struct reader {
    const uint8_t *data;
    size_t size, pos;
};

static unsigned take(struct reader *r, int bytes)
{
    unsigned v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | (r->pos < r->size ? r->data[r->pos++] : 0);
    return v;
}

static void check(const struct history_pager *p, int64_t until)
{
    if (p->n > p->cap || p->n > HISTORY_MAX_ITEMS || (p->n && !p->points && !p->rows))
        __builtin_trap();
    double progress = history_pager_progress(p);
    if (!(progress >= 0.0 && progress <= 1.0))
        __builtin_trap();
    uint32_t ts;
    if (history_pager_next_query(p, &ts) != (p->status == HISTORY_RUNNING))
        __builtin_trap();
    for (size_t i = 0; i < p->n; i++) {
        uint32_t t = p->type == RCT_TYPE_TIMESERIES ? p->points[i].ts : p->rows[i].ts;
        /* Only what the range asked for is kept. */
        if ((int64_t)t < p->since || (int64_t)t > until)
            __builtin_trap();
        if (p->status == HISTORY_RUNNING || i == 0)
            continue;
        if (p->type == RCT_TYPE_TIMESERIES) {
            /* Finished series: strictly ascending (one point per timestamp). */
            if (p->points[i - 1].ts >= p->points[i].ts)
                __builtin_trap();
        } else if (p->rows[i - 1].ts < p->rows[i].ts) {
            __builtin_trap();   /* finished event list: newest first */
        }
    }
}

static void walk(uint32_t oid, struct reader *r)
{
    /* The range and the page limit, then pages until the pager stops or input runs out. */
    int64_t until = T0 - (int64_t)take(r, 2) * 60;
    int64_t since = until - (int64_t)take(r, 2) * 60 + (int64_t)(take(r, 1) % 4) * -1000000;
    unsigned max_pages = take(r, 1) % 8;
    struct history_pager p;
    if (!history_pager_init(&p, oid, since, until)) {
        if (p.n || p.points || p.rows)
            __builtin_trap();
        history_pager_free(&p);
        return;
    }
    p.max_pages = max_pages;
    size_t item = oid == TS_OID ? 8 : 20;
    size_t most = oid == TS_OID ? RCT_TIMESERIES_MAX : RCT_EVENT_TABLE_MAX;
    uint32_t last_cursor = p.cursor;
    unsigned pages = 0;
    while (p.status == HISTORY_RUNNING && r->pos < r->size && pages++ < 64) {
        /* Page header: high bit = any length (usually a bad page), else an item count. */
        unsigned h = take(r, 2);
        size_t len = h & 0x8000 ? h % 2048
                                : 4 + item * (h % (most + 1));
        if (len > r->size - r->pos)
            len = r->size - r->pos;
        history_pager_page(&p, r->data + r->pos, len);
        r->pos += len;
        if (p.cursor > last_cursor)
            __builtin_trap();   /* the walk only goes back in time */
        last_cursor = p.cursor;
        check(&p, until);
    }
    history_pager_free(&p);
    if (p.n || p.cap || p.points || p.rows)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = {data, size, 0};
    /* Byte 0 bit 0: which walk goes first; both share the input, one after the other. */
    bool events_first = size && (data[0] & 1);
    r.pos = 1;
    walk(events_first ? EVENTS_OID : TS_OID, &r);
    walk(events_first ? TS_OID : EVENTS_OID, &r);
    return 0;
}
