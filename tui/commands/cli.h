/* The command-line front: what a subcommand is (its entry: name, summary, usage, the
 * option table its getopt reads, entry point), the list of them, and the main help. */
#ifndef RCT_CLI_H
#define RCT_CLI_H

#include <stddef.h>
#include <stdio.h>

struct option;

/* Each tui/commands/cmd_*.c defines its own entry; cli.c only lists them. */
struct cli_command {
    const char *name;
    const char *summary;    /* one line for `rcttop --help` */
    /* Full text for `rcttop help NAME` and `NAME --help`; %{section.key} stands for the
     * configuration's default of that key, %{section.key:range} for its range, so the
     * help says what the option table says (cli_print_usage). */
    const char *usage;
    /* What the command's getopt reads, so shell completion reads the same (NULL: the
     * command takes no options). */
    const struct option *options;
    const char *shortopts;
    int (*run)(int argc, char **argv);  /* argv[0] is the command name */
};

extern const struct cli_command cli_cmd_monitor, cli_cmd_replay, cli_cmd_decode, cli_cmd_list,
    cli_cmd_sim, cli_cmd_get, cli_cmd_dump, cli_cmd_faults, cli_cmd_events, cli_cmd_history,
    cli_cmd_watch, cli_cmd_check, cli_cmd_scan, cli_cmd_completion;

/* Every command, in `rcttop --help` order. */
extern const struct cli_command *const cli_commands[];
extern const size_t cli_commands_count;

const struct cli_command *cli_command_find(const char *name);
void cli_print_main_help(FILE *out);
/* A usage text with its %{section.key} and %{section.key:range} filled in from the option
 * table; one it cannot fill is printed as written (a test finds it). */
void cli_print_usage(const char *usage, FILE *out);

#endif
