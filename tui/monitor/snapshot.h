/* `s` in any pane: a support snapshot of what rcttop knows now (identity, active faults,
 * findings, every value read, link counters) as text and JSON side by side, and live the
 * last 15 minutes of traffic as a recording beside them. */
#ifndef RCT_SNAPSHOT_H
#define RCT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

struct app;

/* Writes the files; buf says where (or why not). False when nothing was written. */
bool snapshot_write(struct app *app, char *buf, size_t cap);

#endif
