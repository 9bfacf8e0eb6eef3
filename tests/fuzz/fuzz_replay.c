/* libFuzzer target: arbitrary bytes as a recording through the whole replay path: the
 * loader, the history page index, a session in replay mode fed every record on the
 * recorded clock, and walks answered from the pages. Nothing may crash or run away. */
#include <event2/event.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/core/clock.h"
#include "proto/capture/replay.h"
#include "proto/core/session.h"
#include "proto/core/walk.h"

static struct replay_pages *pages;
static int64_t now_us;

static enum walk_source_answer from_pages(void *ctx, uint32_t oid, uint32_t ts,
                                          const uint8_t **payload, uint16_t *len)
{
    (void)ctx;
    switch (replay_pages_answer(pages, oid, ts, now_us, payload, len)) {
    case REPLAY_PAGE_FOUND: return WALK_SOURCE_PAGE;
    case REPLAY_PAGE_LATER: return WALK_SOURCE_LATER;
    default: return WALK_SOURCE_NONE;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    char err[256], warn[512];
    struct replay *r = replay_load_stream(f, "fuzz", err, sizeof err, warn, sizeof warn);
    fclose(f);
    if (!r)
        return 0;
    static struct event_base *base;
    if (!base)
        base = event_base_new();
    pages = replay_pages_new();
    replay_pages_index(pages, r);
    struct store *store = store_new();
    struct scheduler_config sc;
    scheduler_default_config(&sc);
    struct scheduler *sched = scheduler_new(&sc);
    struct session_config cfg;
    session_default_config(&cfg);
    cfg.replay = true;
    struct session *s = session_new(base, &cfg, store, sched, NULL, NULL);
    struct walk_broker w;
    walk_init(&w, sched);
    walk_set_source(&w, from_pages, NULL);
    for (size_t i = 0; i < replay_count(r); i++) {
        const struct record_entry *e = replay_record(r, i);
        clock_set_replay(e->mono_us, e->unix_us);
        now_us = e->mono_us;
        session_replay(s, e->kind, e->data, e->len);
    }
    replay_unix_at(r, now_us / 2);
    replay_mono_at(r, 1700000000000000LL);
    walk_start(&w, 0x6F3876BCu, 0, 4000000000LL, 50);   /* the event table */
    walk_start(&w, 0x50B441C1u, 0, 4000000000LL, 50);   /* a day's PV A series */
    walk_free(&w);
    session_free(s);
    scheduler_free(sched);
    store_free(store);
    replay_pages_free(pages);
    replay_free(r);
    clock_live();
    return 0;
}
