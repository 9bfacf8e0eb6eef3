/* Theme loading: the built-in themes compiled from the themes/ INI files, a user's file
 * (~/.config/rcttop/themes/NAME.ini or a path), each role falling back to default. */
#ifndef RCT_THEMES_H
#define RCT_THEMES_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/theme.h"

size_t themes_builtin_count(void);
const char *themes_builtin_name(size_t index);
/* Loads NAME (built-in), a path containing '/' or ending in .ini, or
 * ~/.config/rcttop/themes/NAME.ini. On error writes a line naming file and key. */
bool themes_load(const char *name, struct wtheme *out, char *err, size_t errcap);

#endif
