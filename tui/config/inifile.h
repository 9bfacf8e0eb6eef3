/* Loading an INI file through iniparser without letting it talk: a missing, unreadable
 * or non-regular file and the first syntax error become one message naming the file and
 * the line, never the line's text (a wrong path must not print a private file). */
#ifndef RCT_INIFILE_H
#define RCT_INIFILE_H

#include <stddef.h>

#include <iniparser/iniparser.h>

/* NULL with a reason in err ("PATH: ..." ) when the file cannot be used. `what` names
 * the file's role for messages ("configuration file", "theme file"). */
dictionary *inifile_load(const char *path, const char *what, char *err, size_t errcap);

/* The line (1-based) where `key` is set in [section] of the file, or 0 when not found:
 * iniparser keeps no line numbers, and a message should point at the line to fix. */
int inifile_line_of(const char *path, const char *section, const char *key);
/* A name from a file, fit to be echoed in a message: at most 40 characters, a control
 * character (an escape sequence that would move the cursor or retitle the window) as '?'. */
const char *inifile_visible(const char *text, char *buf, size_t cap);

#endif
