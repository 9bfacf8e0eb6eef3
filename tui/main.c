/* rcttop's entry point: dispatches to a one-shot command or starts the monitor.
 * Everything else lives in the rcttui library so tests can link it. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/commands/completion.h"
#include "tui/commands/oneshot.h"
#include "tui/config/config.h"
#include "proto/core/version.h"

static int print_command_help(const char *name)
{
    if (strcmp(name, "config") == 0) {
        /* Not a command: the configuration's keys, from the table that parses them. */
        fputs("Every key of the configuration file, its default and its meaning\n"
              "(a commented file: rcttop monitor --print-sample-config):\n\n", stdout);
        config_write_help(stdout);
        return CLI_EXIT_OK;
    }
    const struct cli_command *cmd = cli_command_find(name);
    if (!cmd) {
        fprintf(stderr, "rcttop help: no command '%s' (try 'rcttop --help')\n", name);
        return CLI_EXIT_USAGE;
    }
    cli_print_usage(cmd->usage, stdout);
    return CLI_EXIT_OK;
}

/* A command's status, or a failure when what it printed did not reach its reader: a full
 * disk (> /dev/full), a pipe whose reader is gone. Never exit 0 on lost output. */
static int output_checked(const char *command, int status)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    int err = errno;
    if (err == EPIPE)
        return 141;   /* as a shell reports a pipe that closed */
    fprintf(stderr, "rcttop %s: cannot write the output: %s\n", command, err ? strerror(err) : "write error");
    /* check speaks the Monitoring Plugins' language: UNKNOWN. */
    return strcmp(command, "check") == 0 ? 3 : status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL ? CLI_EXIT_USAGE : status;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* The user's locale for characters and the terminal, never for numbers: perfdata,
     * CSV, JSON and the configuration are read by programs ("7.0", not "7,0"). */
    setlocale(LC_NUMERIC, "C");
    /* A file size limit (ulimit -f) is a full disk: a write fails and is said, the
     * process is not killed mid-sentence. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc >= 2) {
        const char *first = argv[1];
        if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
            cli_print_main_help(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
            printf("rcttop %s\n", rct_version());
            return CLI_EXIT_OK;
        }
        if (strcmp(first, "help") == 0) {
            if (argc < 3) {
                cli_print_main_help(stdout);
                return CLI_EXIT_OK;
            }
            return print_command_help(argv[2]);
        }
        /* Shell completion's question (hidden: the scripts ask it, not people). */
        if (strcmp(first, "__complete") == 0)
            return cli_complete(argc - 2, argv + 2, cli_commands, cli_commands_count);
        const struct cli_command *cmd = cli_command_find(first);
        if (cmd) {
            for (int i = 2; i < argc; i++) {
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                    return print_command_help(first);
                /* The same line as `rcttop --version`: one build, one name for it. */
                if (strcmp(argv[i], "--version") == 0) {
                    printf("rcttop %s\n", rct_version());
                    return output_checked(first, CLI_EXIT_OK);
                }
            }
            int status = cmd->run(argc - 1, argv + 1);
            /* A recording that did not all reach its file is a failure, whatever was read. */
            if (!oneshot_end_recording(first) && (status == CLI_EXIT_OK || status == CLI_EXIT_PARTIAL))
                status = strcmp(first, "check") == 0 ? 3 : CLI_EXIT_USAGE;
            return output_checked(first, status);
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
