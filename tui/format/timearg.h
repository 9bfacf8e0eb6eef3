/* Time arguments as users type them (--since, --until): UNIX seconds, an ISO-8601 date,
 * or a datetime, local time unless it carries Z or an offset; and the reverse. */
#ifndef RCT_TIMEARG_H
#define RCT_TIMEARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses text into UNIX seconds. Accepts "1700000000", "2026-06-21",
 * "2026-06-21T12:00", "2026-06-21 12:00:30", with optional "Z" or "+02:00"/"-0500", and
 * times before now: "-90s", "-30min" (or "-30m"), "-2h", "-1d", "-1w".
 * Returns false for anything else (including impossible dates like 2026-02-30). */
bool timearg_parse(const char *text, int64_t *out);

/* "2026-06-21 12:00:30" in local time (utc false) or "2026-06-21T10:00:30Z" (utc true). */
const char *timearg_format(int64_t unix_ts, bool utc, char *buf, size_t cap);
/* "2026-12-01T17:30:00+01:00": local time with its offset, for JSON and hooks. */
const char *timearg_iso(int64_t unix_ts, char *buf, size_t cap);

/* A span of seconds in words, sign dropped: "45 s", "58 min", "3 h 12 min", "157 days". */
const char *timearg_span_words(int64_t seconds, char *buf, size_t cap);

#endif
