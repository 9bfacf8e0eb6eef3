/* The device's clock and what its timestamps mean. Devices are reported to keep local
 * wall time written as if it were UTC (an hour off in winter, two in summer in central
 * Europe), with a daylight-saving flag (flash_rtc.flag_time_auto_switch). So a
 * timestamp from the device (its clock, its logs, its events, the BMS's extremes) is
 * read in an assumed zone, and only what is left over is drift:
 *   utc    the timestamps are UTC; the whole offset from the host is drift;
 *   local  they are wall time of this computer's zone (TZ);
 *   auto   with the daylight-saving flag set, the offset rounded to a quarter hour is
 *          the zone (within +-14 h) and the rest is drift; without it, UTC.
 * Plain data: no terminal, testable on crafted stores. */
#ifndef RCT_DEVCLOCK_H
#define RCT_DEVCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "proto/core/store.h"

enum devclock_mode { DEVCLOCK_AUTO = 0, DEVCLOCK_UTC, DEVCLOCK_LOCAL };
/* "auto", "utc", "local"; false for another word. */
bool devclock_mode_from_name(const char *name, enum devclock_mode *out);
/* The names in order; NULL past the last. */
const char *devclock_mode_name(size_t index);

struct devclock {
    bool read;           /* flash_rtc.time_stamp was read */
    int64_t offset_s;    /* the device's clock minus the host's, as read */
    bool zoned;          /* its timestamps are wall time of zone_s (else UTC) */
    int64_t zone_s;      /* seconds east of UTC */
    int64_t drift_s;     /* offset_s - zone_s: what is really off */
    char basis[112];     /* why this zone: "[device] clock = local", "daylight-saving flag set", ... */
};

/* Judges the clock from flash_rtc.time_stamp and flash_rtc.flag_time_auto_switch. */
void devclock_judge(struct devclock *clock, enum devclock_mode mode, const struct store *store);
/* The device's wall time of one of its timestamps: "2026-06-21 12:00:30". A NULL clock,
 * or one judged UTC, shows the host's local time of it. */
const char *devclock_format(const struct devclock *clock, int64_t device_ts, char *buf, size_t cap);
/* The same, broken down (for axes and day boundaries). */
void devclock_wall(const struct devclock *clock, int64_t device_ts, struct tm *out);
/* The device timestamp of a wall time (the inverse of devclock_wall). */
int64_t devclock_from_wall(const struct devclock *clock, struct tm *wall);
/* "UTC+01:00", or "UTC (shown in this computer's time)" when not zoned. */
const char *devclock_zone_text(const struct devclock *clock, char *buf, size_t cap);
/* The device's "now" on its own scale, from the host's. */
int64_t devclock_now(const struct devclock *clock, int64_t host_unix);

#endif
