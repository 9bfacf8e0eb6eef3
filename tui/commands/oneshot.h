/* The engine under the line-mode commands: connect, read a list of OIDs once (or walk a
 * history range), report what never answered, fail fast and clearly on a dead host,
 * stop cleanly on Ctrl-C. Same session, scheduler and store as the monitor. */
#ifndef RCT_ONESHOT_H
#define RCT_ONESHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/core/devclock.h"
#include "proto/core/history.h"
#include "proto/core/store.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/oneshot_options.h"

/* Reads every OID once. *store receives the readings (caller frees). Returns
 * CLI_EXIT_OK, CLI_EXIT_USAGE for an unreachable device, or 130 after Ctrl-C. */
int oneshot_read(const char *command, const struct oneshot_options *opts, const uint32_t *oids,
                 size_t n, struct store **store);
/* Walks a history range with the pager (caller frees with history_pager_free).
 * Returns CLI_EXIT_OK when the range was covered, CLI_EXIT_PARTIAL when the walk stopped
 * early with pages read (device went silent, a bad page, the page or time budget; the
 * reason is on stderr), CLI_EXIT_USAGE when nothing came back, 130 after Ctrl-C. */
int oneshot_history(const char *command, const struct oneshot_options *opts,
                    struct history_pager *pager);

/* One connection for several phases (`check`: values, module details, the event log),
 * under one time budget (0: none) that covers connecting, reading and paging. Once the
 * device is found unreachable or silent, the budget runs out or Ctrl-C comes, every
 * further phase returns at once with that status. NULL after saying why. */
struct oneshot_link;
enum { ONESHOT_OUT_OF_TIME = 124 };   /* a phase's status when the budget ran out */
struct oneshot_link *oneshot_link_open(const char *command, const struct oneshot_options *opts,
                                       struct store *store, double budget_s);
/* Reads the OIDs into the link's store; statuses as oneshot_read's. */
int oneshot_link_read(struct oneshot_link *link, const uint32_t *oids, size_t n);
/* Walks a history range; statuses as oneshot_history's. */
int oneshot_link_history(struct oneshot_link *link, struct history_pager *pager);
/* False once the link can serve no further phase. */
bool oneshot_link_usable(const struct oneshot_link *link);
void oneshot_link_close(struct oneshot_link *link);
/* Several links on one event loop, the caller's (`check` over a plant's units, each on
 * its own connection, all in parallel): a phase begins and returns at once, and done is
 * called on the loop when it ends, with the status oneshot_link_read would return. The
 * caller handles the signals; the reason a phase failed is kept, not said. */
struct event_base;
typedef void (*oneshot_phase_done)(void *ctx, struct oneshot_link *link, int status);
struct oneshot_link *oneshot_link_open_on(struct event_base *base, const char *command,
                                          const struct oneshot_options *opts, struct store *store,
                                          double budget_s, oneshot_phase_done done, void *ctx);
/* Reads oids[0..n), or walks pager's range when pager is given. */
void oneshot_link_begin(struct oneshot_link *link, const uint32_t *oids, size_t n,
                        struct history_pager *pager);
/* Why the link's last phase failed ("" when it did not). */
const char *oneshot_link_error(const struct oneshot_link *link);
/* This link's counters, round-trip estimate (-1: none) and time since it opened. */
struct session_counters;
const struct session_counters *oneshot_link_counters(const struct oneshot_link *link,
                                                     double *srtt_ms, double *seconds);
/* --replay: the recording's answers into store, as if read now. */
int oneshot_read_replay(const char *command, const struct oneshot_options *opts, struct store *store);

/* Ends --record: false (after saying why) when what was recorded did not all reach the
 * file, so the command does not exit 0. */
bool oneshot_end_recording(const char *command);

/* The link counters of the last run (for `check`'s link rule), its round-trip estimate
 * (-1 when none) and how long it took. */
struct session_counters;
const struct session_counters *oneshot_last_link(double *srtt_ms, double *seconds);

#endif
