/* `rcttop replay FILE`: the monitor fed from a recording instead of a device. Records are
 * handed to the session at their recorded times on a recorded clock, so every pane (the
 * store, staleness, faults, findings, the Link pane) behaves as it did live; history
 * pages come from those the recording holds. Space pauses, arrows seek, + - set the
 * speed, g goes to a time. A seek backwards starts over from the beginning. */
#ifndef RCT_TUI_REPLAY_H
#define RCT_TUI_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct device_options;

/* Loads app->opt->replay_path and sets the device up for it (its name and link as the
 * recording's header says); false after saying why on stderr. */
bool replay_driver_open(struct app *app, struct device_options *dev);
/* Points the app's history walks at the recorded pages; a replay only (app->replay set). */
void replay_driver_attach_walks(struct app *app);
/* Goes to the starting position and starts playing (or not, with --paused). */
void replay_driver_start(struct app *app);
void replay_driver_free(struct app *app);

/* The status bar's mark: REPLAY, the recorded time, speed and position, as cols allow. */
void replay_driver_status(struct app *app, char *buf, size_t cap, int cols);
/* Draws the "go to time" prompt on row when it is open; false when it is not. */
bool replay_driver_prompt(struct app *app, int row, int cols);
/* The replay's keys; true if ch was one. */
bool replay_driver_key(struct app *app, int ch);

/* Parses what `g` accepts: "HH:MM[:SS[.ffffff]]" on the day of `day_of_unix_us`,
 * "YYYY-MM-DD HH:MM[:SS[.ffffff]]", "start" or "end" (as INT64_MIN / INT64_MAX). */
bool replay_parse_time(const char *text, int64_t day_of_unix_us, int64_t *unix_us);

#endif
