/* The list of commands and the main help. Each tui/commands/cmd_*.c defines its own
 * entry (name, summary, usage, options, run); adding a command is its file, its name in
 * cli.h and a line in the list below. */
#include "tui/commands/cli.h"
#include "proto/core/version.h"

#include <stdlib.h>
#include <string.h>

const struct cli_command *const cli_commands[] = {
    &cli_cmd_monitor, &cli_cmd_replay, &cli_cmd_decode, &cli_cmd_list,    &cli_cmd_sim,
    &cli_cmd_get,     &cli_cmd_dump,   &cli_cmd_faults, &cli_cmd_events,  &cli_cmd_history,
    &cli_cmd_watch,   &cli_cmd_check,  &cli_cmd_completion,
};
const size_t cli_commands_count = sizeof cli_commands / sizeof cli_commands[0];

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_commands_count; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

void cli_print_main_help(FILE *out)
{
    fprintf(out,
            "rcttop %s: a read-only monitor and diagnosis tool for RCT Power inverters\n"
            "\n"
            "usage: rcttop [OPTIONS]              interactive monitor\n"
            "       rcttop COMMAND [OPTIONS]      one-shot command\n"
            "       rcttop help COMMAND           help for one command\n"
            "       rcttop help config            every configuration key and its default\n"
            "\n"
            "commands:\n",
            rct_version());
    for (size_t i = 0; i < cli_commands_count; i++)
        fprintf(out, "  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fprintf(out,
            "\n"
            "monitor options (all of them: rcttop help monitor):\n"
            "  -H, --host HOST[:PORT]  the inverter (port 8899 by default)\n"
            "      --device NAME       a [device:NAME] section of the configuration\n"
            "      --demo              the built-in simulated inverter (the default without a\n"
            "                          device)\n"
            "      --config FILE       configuration file\n"
            "  -r, --rate N            requests per second (default 4)\n"
            "      --record FILE       record every byte both ways\n"
            "      --version           the version\n"
            "\n"
            "rcttop never writes to the inverter: the only frames it sends are reads and\n"
            "history queries.\n");
}
