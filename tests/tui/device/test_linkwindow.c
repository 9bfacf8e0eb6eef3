/* The link rule's window leaves an outage out and moves on over time. */
#include <criterion/criterion.h>

#include "tui/device/linkwindow.h"

static struct session_counters counted(uint64_t requests, uint64_t answers, uint64_t timeouts)
{
    return (struct session_counters){.requests = requests, .answers = answers, .timeouts = timeouts};
}

Test(linkwindow, starts_with_the_first_answers)
{
    struct link_window w = {0};
    struct session_counters c = counted(40, 40, 0);
    link_window_update(&w, &c, true, 1000);
    cr_assert_eq(w.window.requests, 0);
    c = counted(80, 79, 1);
    double minutes = link_window_update(&w, &c, true, 61000);
    cr_assert_eq(w.window.requests, 40);
    cr_assert_eq(w.window.answers, 39);
    cr_assert_eq(w.window.timeouts, 1);
    cr_assert_float_eq(minutes, 1.0, 1e-9);
}

Test(linkwindow, an_outage_does_not_weigh_after_the_device_is_back)
{
    struct link_window w = {0};
    struct session_counters c = counted(1, 1, 0);
    link_window_update(&w, &c, true, 1);
    c = counted(48, 48, 0);
    link_window_update(&w, &c, true, 12000);
    c = counted(60, 48, 12);   /* 30 s of silence: twelve timeouts */
    link_window_update(&w, &c, false, 30000);
    cr_assert_eq(w.window.timeouts, 0, "while away the window holds what it had");
    link_window_update(&w, &c, true, 31000);   /* back */
    cr_assert_eq(w.window.answers, 47, "what it held goes on: no empty window, no pending");
    c = counted(100, 88, 12);
    link_window_update(&w, &c, true, 41000);
    cr_assert_eq(w.window.requests, 87);
    cr_assert_eq(w.window.answers, 87);
    cr_assert_eq(w.window.timeouts, 0, "the outage's timeouts are left out");
}

Test(linkwindow, moves_on_in_steps_so_old_loss_heals)
{
    struct link_window w = {0};
    struct session_counters c = counted(0, 0, 0);
    link_window_update(&w, &c, true, 1);
    c = counted(100, 50, 50);  /* a bad first five minutes */
    link_window_update(&w, &c, true, 1 + LINK_WINDOW_STEP_MS);
    c = counted(200, 150, 50);
    link_window_update(&w, &c, true, 1 + 2 * LINK_WINDOW_STEP_MS);
    cr_assert_eq(w.window.requests, 100, "the window starts one step back");
    cr_assert_eq(w.window.timeouts, 0);
}

Test(linkwindow, a_gauge_is_taken_as_it_is_and_nothing_underflows)
{
    struct link_window w = {0};
    struct session_counters c = counted(10, 10, 0);
    c.suspect_requests = 5;
    link_window_update(&w, &c, true, 1);
    struct session_counters later = counted(5, 5, 0);  /* counters reset (a new session) */
    later.suspect_requests = 2;
    link_window_update(&w, &later, true, 1000);
    cr_assert_eq(w.window.requests, 0);
    cr_assert_eq(w.window.suspect_requests, 2);
}
