/* The link rule's window over the session's counters: the requests since the device last
 * came back from an outage, or over the last five to ten minutes, so what timed out while
 * it was away (the offline alert's to report) does not weigh on the link all session. */
#ifndef RCT_LINKWINDOW_H
#define RCT_LINKWINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/core/session.h"

#define LINK_WINDOW_STEP_MS (5 * 60 * 1000)

struct link_window {
    struct session_counters base, mid, window;
    int64_t base_ms, mid_ms;   /* 0: not started */
    int64_t span_ms;           /* the window's span when the device went away */
    bool away;                 /* offline, connecting or silent since the last start */
};

/* Moves the window on with the counters now (here: the device answers, online or
 * degraded) in steps of LINK_WINDOW_STEP_MS. While it is away the window holds, and when
 * it is back the window goes on from there, the outage left out. Returns the window's span in minutes. */
double link_window_update(struct link_window *w, const struct session_counters *now_counters,
                          bool here, int64_t now_ms);

#endif
