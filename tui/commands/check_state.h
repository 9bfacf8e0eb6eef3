/* What `rcttop check` keeps on disk between runs: a per-device lock so two checks never
 * poll one device at once, and the energy totals of the last run per device serial, so a
 * counter reset between two runs is found. Both under the user's XDG directories. */
#ifndef RCT_CHECK_STATE_H
#define RCT_CHECK_STATE_H

#include <stdbool.h>
#include <stddef.h>

/* Takes the lock for host:port, waiting up to wait_s for a running check to finish.
 * Returns a descriptor to pass to check_unlock, -1 when another check holds it (why says
 * so), or -2 when no lock could be made (why says why; the check runs without one). */
int check_lock(const char *host, unsigned port, double wait_s, char *why, size_t cap);
void check_unlock(int fd);

/* The totals of the last run for this serial, NaN where none; n names. False with why
 * when there is no earlier run (or it cannot be read). */
bool check_totals_load(const char *serial, const char *const *names, double *values, size_t n,
                       char *why, size_t cap);
/* Keeps this run's totals (NaN: not read, the earlier value stays). False with why. */
bool check_totals_save(const char *serial, const char *const *names, const double *values,
                       size_t n, char *why, size_t cap);
/* Where they are kept for this serial. */
const char *check_totals_path(const char *serial, char *out, size_t cap);

#endif
