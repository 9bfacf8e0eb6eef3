/* Loading recordings for replay, and answering history queries from their pages. */
#include "proto/capture/replay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/codec/value.h"

struct replay {
    char header[4096];
    struct record_entry *records;
    size_t n, cap;
    uint8_t *bytes;              /* every record's data, back to back */
    size_t bytes_len, bytes_cap;
    uint64_t read_bytes;         /* of the file's records so far */
    bool failed, too_large;
};

/* Recorded times are microseconds; beyond ~3000 years from 1970 they are not times. */
#define TIME_MAX_US 100000000000000000LL

static int64_t clamp_time(int64_t us)
{
    return us < 0 ? 0 : us > TIME_MAX_US ? TIME_MAX_US : us;
}

static void keep(const struct record_entry *e, void *ctx)
{
    struct replay *r = ctx;
    if (r->failed)
        return;
    /* A replay holds the recording whole (its index and bytes, about twice the file):
     * past the cap it is refused, not read until the memory runs out. */
    r->read_bytes += 21 + e->len;
    if (r->read_bytes > REPLAY_MAX_BYTES) {
        r->failed = r->too_large = true;
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        struct record_entry *grown = realloc(r->records, cap * sizeof *grown);
        if (!grown) {
            r->failed = true;
            return;
        }
        r->records = grown;
        r->cap = cap;
    }
    if (r->bytes_len + e->len > r->bytes_cap) {
        size_t cap = r->bytes_cap ? r->bytes_cap : 65536;
        while (cap < r->bytes_len + e->len)
            cap *= 2;
        uint8_t *grown = realloc(r->bytes, cap);
        if (!grown) {
            r->failed = true;
            return;
        }
        r->bytes = grown;
        r->bytes_cap = cap;
    }
    if (e->len)
        memcpy(r->bytes + r->bytes_len, e->data, e->len);
    r->records[r->n] = *e;
    /* A damaged or forged file may hold any time; keep them where sums cannot overflow. */
    r->records[r->n].unix_us = clamp_time(e->unix_us);
    r->records[r->n].mono_us = clamp_time(e->mono_us);
    /* Offsets until loading ends: the byte buffer may still move. */
    r->records[r->n].data = (const uint8_t *)(uintptr_t)r->bytes_len;
    r->bytes_len += e->len;
    r->n++;
}

struct replay *replay_load(const char *path, char *err, size_t errcap, char *warning,
                           size_t warncap)
{
    warning[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct replay *r = replay_load_stream(f, path, err, errcap, warning, warncap);
    fclose(f);
    return r;
}

struct replay *replay_load_stream(FILE *f, const char *name, char *err, size_t errcap,
                                  char *warning, size_t warncap)
{
    const char *path = name;
    warning[0] = '\0';
    struct replay *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    char why[256];
    bool whole = record_read(f, keep, r, r->header, sizeof r->header, why, sizeof why);
    if (r->failed) {
        if (r->too_large)
            snprintf(err, errcap, "%s: more than %d MB of records, the most a replay holds in memory "
                     "(rcttop decode reads any size; --record-max keeps recordings smaller)", path,
                     REPLAY_MAX_BYTES >> 20);
        else
            snprintf(err, errcap, "%s: too large to replay in memory", path);
        replay_free(r);
        return NULL;
    }
    if (!whole && (strstr(why, "not an rcttop") || strstr(why, "memory"))) {
        snprintf(err, errcap, "%s: %s", path, why);
        replay_free(r);
        return NULL;
    }
    if (!whole)
        snprintf(warning, warncap, "%s: %s; replaying the %zu records before it", path, why, r->n);
    static const uint8_t nothing[1];
    for (size_t i = 0; i < r->n; i++)  /* (all records may be empty: no buffer at all) */
        r->records[i].data = r->bytes ? r->bytes + (uintptr_t)r->records[i].data : nothing;
    /* A monotonic clock never runs back; a damaged or stitched file might. */
    for (size_t i = 1; i < r->n; i++)
        if (r->records[i].mono_us < r->records[i - 1].mono_us)
            r->records[i].mono_us = r->records[i - 1].mono_us;
    if (r->n == 0 && whole)
        snprintf(warning, warncap, "%s: the recording holds no traffic", path);
    return r;
}

void replay_free(struct replay *r)
{
    if (!r)
        return;
    free(r->records);
    free(r->bytes);
    free(r);
}

size_t replay_count(const struct replay *r)
{
    return r->n;
}

const struct record_entry *replay_record(const struct replay *r, size_t index)
{
    return index < r->n ? &r->records[index] : NULL;
}

const char *replay_header(const struct replay *r, const char *key, char *buf, size_t cap)
{
    size_t klen = strlen(key);
    buf[0] = '\0';
    for (const char *line = r->header; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > klen + 1 && !strncmp(line, key, klen) && line[klen] == ':') {
            const char *v = line + klen + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, cap, "%.*s", (int)(line + len - v), v);
            break;
        }
        line += len + (nl ? 1 : 0);
    }
    return buf;
}

int64_t replay_first_mono_us(const struct replay *r)
{
    return r->n ? r->records[0].mono_us : 0;
}

int64_t replay_last_mono_us(const struct replay *r)
{
    return r->n ? r->records[r->n - 1].mono_us : 0;
}

/* The last record at or before a monotonic position (0 if it is before them all). */
static size_t record_before(const struct replay *r, int64_t mono_us)
{
    size_t lo = 0, hi = r->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->records[mid].mono_us <= mono_us)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int64_t replay_unix_at(const struct replay *r, int64_t mono_us)
{
    if (!r->n)
        return 0;
    mono_us = clamp_time(mono_us);
    const struct record_entry *e = &r->records[record_before(r, mono_us)];
    return e->unix_us + (mono_us - e->mono_us);
}

int64_t replay_mono_at(const struct replay *r, int64_t unix_us)
{
    if (!r->n)
        return 0;
    unix_us = clamp_time(unix_us);
    /* Wall clocks may step; the last record at or before the time decides. */
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < r->n; i++)
        if (r->records[i].unix_us <= unix_us)
            best = i;
    if (best == SIZE_MAX)
        return r->records[0].mono_us;
    int64_t mono = r->records[best].mono_us + (unix_us - r->records[best].unix_us);
    int64_t last = r->records[r->n - 1].mono_us;
    return mono > last ? last : mono;
}

/* ---- history pages ---------------------------------------------------------- */

struct page {
    uint32_t oid, query_ts, oldest;
    size_t entries;
    int64_t read_unix_s, read_mono_us;
    uint8_t *payload;
    uint16_t len;
};

struct replay_pages {
    struct page *pages;
    size_t n, cap;
};

struct replay_pages *replay_pages_new(void)
{
    return calloc(1, sizeof(struct replay_pages));
}

void replay_pages_clear(struct replay_pages *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->pages[i].payload);
    p->n = 0;
}

void replay_pages_free(struct replay_pages *p)
{
    if (!p)
        return;
    replay_pages_clear(p);
    free(p->pages);
    free(p);
}

size_t replay_pages_count(const struct replay_pages *p)
{
    return p->n;
}

void replay_pages_add(struct replay_pages *p, uint32_t oid, uint32_t query_ts, int64_t read_unix_s,
                      int64_t read_mono_us, const uint8_t *payload, uint16_t len)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    static struct rct_value v;  /* large; one thread */
    if (!info || !rct_registry_is_history(info) ||
        rct_value_decode(info->response_type, payload, len, &v) != RCT_VALUE_OK)
        return;  /* a page that does not decode answers nothing */
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct page *grown = realloc(p->pages, cap * sizeof *grown);
        if (!grown)
            return;
        p->pages = grown;
        p->cap = cap;
    }
    struct page pg = {.oid = oid, .query_ts = query_ts, .oldest = UINT32_MAX,
                      .read_unix_s = read_unix_s, .read_mono_us = read_mono_us, .len = len};
    pg.entries = info->response_type == RCT_TYPE_TIMESERIES ? v.u.ts.n : v.u.ev.n;
    for (size_t i = 0; i < pg.entries; i++) {
        uint32_t ts = info->response_type == RCT_TYPE_TIMESERIES ? v.u.ts.p[i].ts : v.u.ev.r[i].ts;
        if (ts < query_ts && ts < pg.oldest)
            pg.oldest = ts;
    }
    pg.payload = malloc(len ? len : 1);
    if (!pg.payload)
        return;
    if (len)
        memcpy(pg.payload, payload, len);
    p->pages[p->n++] = pg;
}

static bool covers(const struct page *pg, uint32_t ts)
{
    bool reaches_up = pg->query_ts >= ts || (int64_t)pg->query_ts > pg->read_unix_s;
    bool reaches_down = pg->oldest == UINT32_MAX || pg->oldest < ts;
    return reaches_up && reaches_down;
}

enum replay_page_answer replay_pages_answer(const struct replay_pages *p, uint32_t oid, uint32_t ts,
                                            int64_t now_mono_us, const uint8_t **payload,
                                            uint16_t *len)
{
    enum replay_page_answer answer = REPLAY_PAGE_NONE;
    /* The newest reading so far wins: it knows the most. */
    for (size_t i = p->n; i-- > 0;) {
        const struct page *pg = &p->pages[i];
        if (pg->oid != oid || !covers(pg, ts))
            continue;
        if (pg->read_mono_us > now_mono_us) {
            answer = REPLAY_PAGE_LATER;
            continue;
        }
        *payload = pg->payload;
        *len = pg->len;
        return REPLAY_PAGE_FOUND;
    }
    return answer;
}

/* Pairs each history query sent with the answer that followed it. */
struct indexer {
    struct replay_pages *pages;
    struct rct_decoder dec[2];
    bool query_out;
    uint32_t query_oid, query_ts;
    const struct record_entry *at;
};

static void index_sent(const struct rct_frame *f, void *arg)
{
    struct indexer *ix = arg;
    if (f->error != RCT_FRAME_OK)
        return;
    ix->query_out = (f->command == RCT_CMD_WRITE || f->command == RCT_CMD_LONG_WRITE) &&
                    f->payload_len == 4;
    ix->query_oid = f->oid;
    ix->query_ts = (uint32_t)f->payload[0] << 24 | (uint32_t)f->payload[1] << 16 |
                   (uint32_t)f->payload[2] << 8 | f->payload[3];
}

static void index_received(const struct rct_frame *f, void *arg)
{
    struct indexer *ix = arg;
    if (f->error != RCT_FRAME_OK || !ix->query_out || f->plant || f->oid != ix->query_oid ||
        !rct_command_is_response(f->command))
        return;
    ix->query_out = false;
    replay_pages_add(ix->pages, f->oid, ix->query_ts, ix->at->unix_us / 1000000, ix->at->mono_us,
                     f->payload, f->payload_len);
}

void replay_pages_index(struct replay_pages *p, const struct replay *r)
{
    static struct indexer ix;  /* decoders are large; one thread */
    memset(&ix, 0, sizeof ix);
    ix.pages = p;
    rct_decoder_init(&ix.dec[0]);
    rct_decoder_init(&ix.dec[1]);
    for (size_t i = 0; i < r->n; i++) {
        const struct record_entry *e = &r->records[i];
        ix.at = e;
        if (e->kind == '>')
            rct_decoder_feed(&ix.dec[0], e->data, e->len, index_sent, &ix);
        else if (e->kind == '<')
            rct_decoder_feed(&ix.dec[1], e->data, e->len, index_received, &ix);
        else if (e->len >= 9 && !memcmp(e->data, "connected", 9)) {
            rct_decoder_init(&ix.dec[0]);
            rct_decoder_init(&ix.dec[1]);
            ix.query_out = false;
        }
    }
}
