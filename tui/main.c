/* rcttop's entry point: dispatches to a one-shot command or starts the monitor.
 * Everything else lives in the rcttui library so tests can link it. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"

static int print_command_help(const char *name)
{
    const struct cli_command *cmd = cli_command_find(name);
    if (!cmd) {
        fprintf(stderr, "rcttop help: no command '%s' (try 'rcttop --help')\n", name);
        return CLI_EXIT_USAGE;
    }
    fputs(cmd->usage, stdout);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* The user's locale for characters and the terminal, never for numbers: perfdata,
     * CSV, JSON and the configuration are read by programs ("7.0", not "7,0"). */
    setlocale(LC_NUMERIC, "C");
    if (argc >= 2) {
        const char *first = argv[1];
        if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
            cli_print_main_help(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
            printf("rcttop %s\n", RCTTOP_VERSION);
            return CLI_EXIT_OK;
        }
        if (strcmp(first, "help") == 0) {
            if (argc < 3) {
                cli_print_main_help(stdout);
                return CLI_EXIT_OK;
            }
            return print_command_help(argv[2]);
        }
        const struct cli_command *cmd = cli_command_find(first);
        if (cmd) {
            for (int i = 2; i < argc; i++)
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                    return print_command_help(first);
            return cmd->run(argc - 1, argv + 1);
        }
        if (first[0] != '-') {
            fprintf(stderr, "rcttop: unknown command '%s' (try 'rcttop --help')\n", first);
            return CLI_EXIT_USAGE;
        }
    }
    const struct cli_command *monitor = cli_command_find("monitor");
    if (!monitor) {
        cli_print_main_help(stderr);
        return CLI_EXIT_USAGE;
    }
    return monitor->run(argc, argv);
}
