/* Shell completion: `rcttop completion bash|zsh` prints a script; the script asks
 * `rcttop __complete INDEX WORDS...` at each Tab, and the answer comes from the program's
 * own tables (commands, each command's getopt table, the registry, themes, profiles). */
#ifndef RCT_COMPLETION_H
#define RCT_COMPLETION_H

#include <stddef.h>

#include "tui/commands/cli.h"

/* `rcttop __complete INDEX WORD0 WORD1 ...` (argv from INDEX on): the candidates for word
 * INDEX, one a line; exit status 3 asks the script for file names instead. The commands
 * are handed in (main has the list; `rcttop completion SHELL` is cli_cmd_completion). */
int cli_complete(int argc, char **argv, const struct cli_command *const *table, size_t count);

#endif
