/* Backwards paging of logger series and the event table, as the device serves them:
 * each answer holds entries older than the asked time, newest page first. */
#include "proto/core/history.h"

#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"

bool history_pager_init(struct history_pager *p, uint32_t oid, int64_t since, int64_t until)
{
    memset(p, 0, sizeof *p);
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (!info || !rct_registry_is_history(info) || since > until || until < 0)
        return false;
    p->oid = oid;
    p->type = info->response_type;
    p->since = since < 0 ? 0 : since;
    p->until = until;
    /* Entries strictly before the query time come back, so ask just after `until`. */
    p->cursor = until >= UINT32_MAX ? UINT32_MAX : (uint32_t)until + 1;
    return true;
}

void history_pager_free(struct history_pager *p)
{
    free(p->points);
    free(p->rows);
    p->points = NULL;
    p->rows = NULL;
    p->n = p->cap = 0;
}

bool history_pager_next_query(const struct history_pager *p, uint32_t *ts)
{
    if (p->status != HISTORY_RUNNING)
        return false;
    *ts = p->cursor;
    return true;
}

static bool grow(struct history_pager *p)
{
    if (p->n < p->cap)
        return true;
    if (p->cap >= HISTORY_MAX_ITEMS) {
        p->status = HISTORY_FULL;
        return false;
    }
    size_t cap = p->cap ? p->cap * 2 : 256;
    if (cap > HISTORY_MAX_ITEMS)
        cap = HISTORY_MAX_ITEMS;
    if (p->type == RCT_TYPE_TIMESERIES) {
        struct rct_ts_point *np = realloc(p->points, cap * sizeof *np);
        if (!np)
            return false;
        p->points = np;
    } else {
        struct rct_event_row *nr = realloc(p->rows, cap * sizeof *nr);
        if (!nr)
            return false;
        p->rows = nr;
    }
    p->cap = cap;
    return true;
}

static bool have_point(const struct history_pager *p, uint32_t ts)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->points[i].ts == ts)
            return true;
    return false;
}

static bool have_row(const struct history_pager *p, const struct rct_event_row *r)
{
    for (size_t i = 0; i < p->n; i++)
        if (memcmp(&p->rows[i], r, sizeof *r) == 0)
            return true;
    return false;
}

static int by_ts_ascending(const void *a, const void *b)
{
    const struct rct_ts_point *x = a, *y = b;
    return (x->ts > y->ts) - (x->ts < y->ts);
}

static int by_ts_descending(const void *a, const void *b)
{
    const struct rct_event_row *x = a, *y = b;
    return (x->ts < y->ts) - (x->ts > y->ts);
}

static void finish(struct history_pager *p, enum history_status status)
{
    p->status = status;
    if (p->type == RCT_TYPE_TIMESERIES && p->n)
        qsort(p->points, p->n, sizeof *p->points, by_ts_ascending);
    else if (p->n)
        qsort(p->rows, p->n, sizeof *p->rows, by_ts_descending);
}

void history_pager_page(struct history_pager *p, const uint8_t *payload, size_t len)
{
    if (p->status != HISTORY_RUNNING)
        return;
    static struct rct_value v;  /* large; the pager runs on one thread */
    if (rct_value_decode(p->type, payload, len, &v) != RCT_VALUE_OK) {
        finish(p, HISTORY_BAD_PAGE);
        return;
    }
    p->pages++;
    size_t count = p->type == RCT_TYPE_TIMESERIES ? v.u.ts.n : v.u.ev.n;
    uint32_t oldest = p->cursor;
    for (size_t i = 0; i < count; i++) {
        uint32_t ts = p->type == RCT_TYPE_TIMESERIES ? v.u.ts.p[i].ts : v.u.ev.r[i].ts;
        /* Only entries older than what was asked count: a device (or a confused one) that
         * repeats newer entries must not make the walk go round in circles. */
        if (ts >= p->cursor)
            continue;
        if (ts < oldest)
            oldest = ts;
        if ((int64_t)ts < p->since || (int64_t)ts > p->until)
            continue;
        if (p->type == RCT_TYPE_TIMESERIES) {
            if (have_point(p, ts) || !grow(p))
                continue;
            p->points[p->n++] = v.u.ts.p[i];
        } else {
            if (have_row(p, &v.u.ev.r[i]) || !grow(p))
                continue;
            p->rows[p->n++] = v.u.ev.r[i];
        }
        if (p->status == HISTORY_FULL)
            break;
    }
    if (p->status == HISTORY_FULL) {
        finish(p, HISTORY_FULL);
        return;
    }
    if (count == 0 || oldest >= p->cursor || (int64_t)oldest <= p->since) {
        finish(p, HISTORY_DONE);
        return;
    }
    p->cursor = oldest;
    if (p->max_pages && p->pages >= p->max_pages) {
        /* Enough for now: a caller loading on demand continues from p->cursor later. */
        p->more = true;
        finish(p, HISTORY_DONE);
    }
}

double history_pager_progress(const struct history_pager *p)
{
    if (p->status != HISTORY_RUNNING)
        return 1.0;
    double span = (double)(p->until - p->since);
    if (span <= 0)
        return 1.0;
    double covered = (double)p->until - (double)p->cursor;
    return covered <= 0 ? 0.0 : covered / span > 1.0 ? 1.0 : covered / span;
}
