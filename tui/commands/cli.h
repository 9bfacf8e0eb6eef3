/* The command-line front: the table of subcommands, and helpers every non-interactive
 * command shares (output formats, option errors, exit statuses). */
#ifndef RCT_CLI_H
#define RCT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses every command keeps to. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FOUND = 1,     /* e.g. `faults`: active faults present */
    CLI_EXIT_PARTIAL = 1,   /* some of what was asked came back, not all */
    CLI_EXIT_USAGE = 2,     /* bad option or argument, bad config, unreadable device */
};

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

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_CSV, CLI_FORMAT_JSON };
bool cli_format_parse(const char *text, enum cli_format *out);

/* Prints "rcttop CMD: MESSAGE" to stderr and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes text with control characters shown as \xHH (arguments echoed back). */
void cli_put_visible(const char *text, FILE *out);

/* "HOST", "HOST:PORT", a bare IPv6 address or "[IPv6]:PORT"; the port stays as given
 * when absent and must be 1..65535 in digits. On failure *why says what is wrong. */
bool cli_parse_host_port(const char *text, char *host, size_t host_cap, uint16_t *port,
                         const char **why);
/* The same for an address to listen on, where port 0 means "any free port". */
bool cli_parse_listen_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                              const char **why);
/* host:port as a person writes it back: [IPv6]:PORT for IPv6. */
const char *cli_format_host_port(const char *host, uint16_t port, char *buf, size_t cap);
/* A plain decimal number within [min, max]; otherwise prints a one-line error naming the
 * option. No hex, exponents, signs other than '-', spaces, inf or nan. */
bool cli_parse_number(const char *command, const char *option, const char *text, double min,
                      double max, double *out);
/* The plain decimal check alone, printing nothing (for configuration files). */
bool cli_decimal(const char *text, bool integer, double *out);
/* The same for whole numbers (ports, counts, retries). */
bool cli_parse_integer(const char *command, const char *option, const char *text, double min,
                       double max, double *out);

/* Writes one CSV field with RFC 4180 quoting where needed; text that a spreadsheet would
 * run as a formula (leading = + - @ tab CR, except a signed number) gets a leading '. */
void cli_csv_field(const char *text, FILE *out);

/* getopt_long wrapper shared by all commands (set optind = 0 before the first call so a
 * command can run twice in one process, as tests do): turns unknown options and missing
 * arguments into one-line errors naming the option. Returns the option character, -1 at
 * the end, or '?' after printing the error (caller returns CLI_EXIT_USAGE). */
struct option;
int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
               const struct option *longopts);

#endif
