/* Keeps the monitor's picture current: opens the session with callbacks that only record
 * (into the store, the link log, the history walks), brings what is derived from the
 * store up to the clock, and forgets the device when a replay starts over. */
#ifndef RCT_TRACKING_H
#define RCT_TRACKING_H

struct app;

/* A session on app->session_cfg whose callbacks feed app->knows and app->walks (NULL
 * when out of memory). */
struct session *tracking_open_session(struct app *app);
/* Brings what is derived from the store up to the clock: staleness, silence, faults,
 * totals and the findings. The replay calls it as recorded time passes. */
void tracking_catch_up(struct app *app);
/* The part of tracking_catch_up that depends on when it runs (the replay runs it at
 * every tick of recorded time it skips over, as the live monitor did). */
void tracking_tick(struct app *app);
/* Forgets everything learned from the device: a new store, session and walks (a replay's
 * seek backwards starts over). */
void tracking_forget_device(struct app *app);

#endif
