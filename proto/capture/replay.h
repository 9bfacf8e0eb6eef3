/* A recording loaded for replay: its header and records in memory, in order, and the
 * history pages it holds (what the device answered to history queries), so a replayed
 * monitor can page the event log and the day/month/year logs as far as they were read.
 * Nothing here draws; tui/monitor/replay_driver.c drives the monitor with it. */
#ifndef RCT_REPLAY_H
#define RCT_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/capture/record.h"

struct replay;

/* A replay holds a recording whole: at most this many bytes of records (about twice as
 * much memory); a larger one is refused with a reason. */
#define REPLAY_MAX_BYTES (256 << 20)

/* Reads the whole recording at path; NULL with a reason in err. A recording damaged or
 * cut off part way is loaded up to the damage, with the reason in *warning. */
struct replay *replay_load(const char *path, char *err, size_t errcap, char *warning,
                           size_t warncap);
/* The same from an open stream; name is what messages call it. */
struct replay *replay_load_stream(FILE *f, const char *name, char *err, size_t errcap,
                                  char *warning, size_t warncap);
void replay_free(struct replay *r);

size_t replay_count(const struct replay *r);
const struct record_entry *replay_record(const struct replay *r, size_t index);
/* A header value ("host", "start", "command", "options", "rcttop"); "" if absent. */
const char *replay_header(const struct replay *r, const char *key, char *buf, size_t cap);
/* The recording's span on the monotonic clock (microseconds). */
int64_t replay_first_mono_us(const struct replay *r);
int64_t replay_last_mono_us(const struct replay *r);
/* The wall-clock time at a monotonic position (from the nearest record before it). */
int64_t replay_unix_at(const struct replay *r, int64_t mono_us);
/* The monotonic position of a wall-clock time, clamped to the recording. */
int64_t replay_mono_at(const struct replay *r, int64_t unix_us);

/* History pages as they were read, and answers to new queries from them. */
struct replay_pages;
struct replay_pages *replay_pages_new(void);
void replay_pages_free(struct replay_pages *p);
void replay_pages_clear(struct replay_pages *p);
/* One answer page to the query "entries of oid before query_ts", read at read_mono_us
 * (read_unix_s on the wall clock). */
void replay_pages_add(struct replay_pages *p, uint32_t oid, uint32_t query_ts, int64_t read_unix_s,
                      int64_t read_mono_us, const uint8_t *payload, uint16_t len);
/* Every history page in a recording: queries paired with their answers. */
void replay_pages_index(struct replay_pages *p, const struct replay *r);

enum replay_page_answer { REPLAY_PAGE_FOUND, REPLAY_PAGE_LATER, REPLAY_PAGE_NONE };
/* A page read by now_mono_us that answers "before ts" truthfully: its query asked at or
 * after ts (or into what was then the future) and its entries reach below ts. The
 * payload may hold newer entries too (a pager skips those). LATER: only a page read
 * after now covers ts; NONE: no page in the recording does. */
enum replay_page_answer replay_pages_answer(const struct replay_pages *p, uint32_t oid, uint32_t ts,
                                            int64_t now_mono_us, const uint8_t **payload,
                                            uint16_t *len);
size_t replay_pages_count(const struct replay_pages *p);

#endif
