/* The command-line front: the table of subcommands (name, summary, usage, entry
 * point) and the main help. */
#ifndef RCT_CLI_H
#define RCT_CLI_H

#include <stddef.h>
#include <stdio.h>

struct cli_command {
    const char *name;
    const char *summary;    /* one line for `rcttop --help` */
    const char *usage;      /* full text for `rcttop help NAME` and `NAME --help` */
    int (*run)(int argc, char **argv);  /* argv[0] is the command name */
};

const struct cli_command *cli_command_find(const char *name);
size_t cli_command_count(void);
const struct cli_command *cli_command_at(size_t index);
void cli_print_main_help(FILE *out);

#endif
