/* Files the monitor writes on request (snapshots, link logs): created new, mode 0600,
 * never through a symlink or over an existing file; in the working directory, or under
 * $XDG_STATE_HOME/rcttop (~/.local/state/rcttop) when that is not writable. */
#ifndef RCT_OUTFILE_H
#define RCT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* Opens "<prefix>-<local ISO-8601 basic time><suffix>" for writing, in the working
 * directory or else the state directory, adding -2, -3 ... when that name exists. On
 * success *path holds the name; on failure NULL and err says where it tried and why. */
FILE *outfile_create(const char *prefix, time_t when, const char *suffix, char *path,
                     size_t path_cap, char *err, size_t err_cap);
/* Opens exactly `path` the same careful way (e.g. a companion file beside the first). */
FILE *outfile_open_new(const char *path, char *err, size_t err_cap);

/* The directory a file lands in when the working directory is not writable. */
const char *outfile_state_dir(char *buf, size_t cap);

#endif
