/* Recordings: every byte a session sends and receives, with wall-clock and monotonic
 * times and the direction, so a site's traffic can be taken home and decoded later.
 *
 * Format, version 1 (all integers big-endian):
 *   "RCTREC 1\n", then header lines "key: value\n" (rcttop version, host, start time,
 *   options), then one empty line; then records, each
 *     u8 kind   '>' bytes sent to the device, '<' bytes received, '!' a note (connect,
 *               disconnect, recording stopped), as text
 *     u64 unix_us, u64 mono_us, u32 length, then `length` bytes.
 * Records are appended as they happen and flushed at least once a second, so a crash
 * loses at most the last second. */
#ifndef RCT_RECORD_H
#define RCT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RECORD_MAGIC "RCTREC 1\n"

struct recorder;

/* A recording's header lines: rcttop's version, the host, the start (now, UTC), the
 * command and the link's options ("options: rate 4, timeout 2, retries 3[, listen-only]"). */
void record_header(char *buf, size_t cap, const char *host, const char *command, double rate,
                   double timeout_s, int retries, bool listen_only);
/* Reads back an options value record_header wrote; false when it is not one (or out of
 * the ranges the options allow). */
bool record_header_options(const char *options, double *rate, double *timeout_s, int *retries,
                           bool *listen_only);

/* Creates path, a new regular file (mode 0600, not through a symlink; an existing file is
 * refused, or with replace removed first when it is a regular file of one link), and
 * writes the header; header_lines are "key: value\n" lines. max_bytes 0 = no limit; past
 * it, recording stops with a note. path NULL: nothing is written to a file (see
 * recorder_keep). NULL with a reason in err. */
struct recorder *recorder_open(const char *path, const char *header_lines, uint64_t max_bytes,
                               bool replace, char *err, size_t errcap);
void recorder_bytes(struct recorder *r, char kind, const uint8_t *data, size_t len);
void recorder_note(struct recorder *r, const char *text);
/* recorder_bytes for a session's tap (struct session_tap: {recorder_tap, recorder}), at
 * the time the session read (what it counts and what the recording says agree). */
void recorder_tap(void *recorder, char kind, int64_t mono_us, const uint8_t *data, size_t len);
/* Also keeps the last keep_us of records in memory (at most max_bytes of them), so they
 * can be written out later: a support case after the fact. */
void recorder_keep(struct recorder *r, int64_t keep_us, size_t max_bytes);
/* Writes the kept window to out as a recording of its own (the header gets a "kept"
 * line; the connection note in force when the window opens comes first). */
bool recorder_write_kept(const struct recorder *r, FILE *out);
/* True once the size limit (or a write error) stopped it. */
bool recorder_full(const struct recorder *r);
/* Why the file could not be written (a full disk), or NULL while it is fine. */
const char *recorder_error(const struct recorder *r);
/* Closes and frees; false with why in err when what was recorded did not all reach the
 * file (a write or the close failed). */
bool recorder_finish(struct recorder *r, char *err, size_t errcap);
void recorder_close(struct recorder *r);

struct record_entry {
    char kind;
    int64_t unix_us, mono_us;
    const uint8_t *data;
    uint32_t len;
};

bool record_is_recording(const uint8_t *head, size_t len);
typedef void (*record_fn)(const struct record_entry *e, void *ctx);
/* Reads a recording: its header text into header (NUL-terminated, cut to cap), then every
 * record in order. False with a reason in err on a damaged file (records before the
 * damage are delivered). */
bool record_read(FILE *in, record_fn fn, void *ctx, char *header, size_t header_cap,
                 char *err, size_t errcap);

#endif
