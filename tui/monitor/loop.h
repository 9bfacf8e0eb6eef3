/* The interactive monitor: runs the panes given (in tab order) against a device, the
 * in-process simulator or a recording until the user quits. */
#ifndef RCT_LOOP_H
#define RCT_LOOP_H

#include <stddef.h>

struct app_options;
struct view;

/* Returns the process's exit status (2 after saying why on stderr). The run reads opts
 * throughout, and a replay rewrites what its recording's header says (label, link). */
int monitor_run(struct app_options *opts, const struct view *const *views, size_t nviews);

#endif
