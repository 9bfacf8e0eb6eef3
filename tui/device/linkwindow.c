/* The link rule's window: see linkwindow.h. */
#include "tui/device/linkwindow.h"

/* a - b for the counters that only grow; the gauge (suspect requests) as it is now. */
static struct session_counters counters_since(const struct session_counters *a,
                                              const struct session_counters *b)
{
    struct session_counters d = *a;
#define SINCE(f) d.f = a->f >= b->f ? a->f - b->f : 0
    SINCE(requests); SINCE(answers); SINCE(timeouts); SINCE(retries); SINCE(gave_up);
    SINCE(crc_errors); SINCE(truncated); SINCE(foreign); SINCE(unsolicited); SINCE(broken);
    SINCE(unsupported_requests);
#undef SINCE
    return d;
}

double link_window_update(struct link_window *w, const struct session_counters *c, bool here,
                          int64_t now_ms)
{
    if (!here) {
        if (!w->away && w->base_ms)
            w->span_ms = now_ms - w->base_ms;
        w->away = true;
    } else if (w->base_ms == 0) {
        w->base = w->mid = *c;
        w->base_ms = w->mid_ms = now_ms;
    } else if (w->away) {
        /* Back: the window goes on from what it held before the outage, without it (an
         * empty one would give no verdict until thirty more requests are settled). */
        w->away = false;
        w->base = counters_since(c, &w->window);
        w->base_ms = now_ms - w->span_ms;
        w->mid = *c;
        w->mid_ms = now_ms;
    } else if (now_ms - w->mid_ms >= LINK_WINDOW_STEP_MS) {
        w->base = w->mid;
        w->base_ms = w->mid_ms;
        w->mid = *c;
        w->mid_ms = now_ms;
    }
    if (here)
        w->window = counters_since(c, &w->base);
    return w->base_ms && now_ms > w->base_ms ? (double)(now_ms - w->base_ms) / 60000.0 : 0;
}
