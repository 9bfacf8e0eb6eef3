/* The clocks everything is stamped with: the host's, held still for the length of one
 * event (so a recording, the Link pane and the store agree to the microsecond on when a
 * byte came), or a recording's own time while it is replayed. */
#ifndef RCT_CLOCK_H
#define RCT_CLOCK_H

#include <stdint.h>

/* Monotonic and wall clock, microseconds. */
int64_t clock_mono_us(void);
int64_t clock_unix_us(void);

/* The host's monotonic clock whatever is replayed: for the interface's own timers. */
int64_t clock_host_mono_us(void);

/* From the outermost hold until its release the clocks read the moment of that hold.
 * Holds nest; clock_refresh moves a held moment to now (new bytes inside a long event). */
void clock_hold(void);
void clock_refresh(void);
void clock_release(void);

/* Replay: the clocks read this recorded moment (until the next call or clock_live). */
void clock_set_replay(int64_t mono_us, int64_t unix_us);
void clock_live(void);
int clock_is_replay(void);

#endif
