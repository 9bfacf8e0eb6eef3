/* What every command shares on its command line: exit statuses, output formats,
 * one-line option errors, checked numbers, CSV fields and the getopt wrapper. */
#ifndef RCT_CLI_OPTIONS_H
#define RCT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses every command keeps to. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FOUND = 1,     /* e.g. `faults`: active faults present */
    CLI_EXIT_PARTIAL = 1,   /* some of what was asked came back, not all */
    CLI_EXIT_NONE = 1,      /* e.g. `scan`: nothing found */
    CLI_EXIT_USAGE = 2,     /* bad option or argument, bad config, unreadable device */
};

/* Stopped by a signal (Ctrl-C 130, SIGHUP 129, SIGTERM 143, as shells report them): what
 * was read is printed, then that status. */
bool cli_interrupted(int status);

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_CSV, CLI_FORMAT_JSON };
bool cli_format_parse(const char *text, enum cli_format *out);
/* The format names in order; NULL past the last. */
const char *cli_format_name(size_t index);

/* Prints "rcttop CMD: MESSAGE" to stderr and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The last message cli_usage_error printed (without "rcttop CMD: "), "" before any. */
const char *cli_last_error(void);

/* Writes text with control characters shown as \xHH (arguments echoed back). */
void cli_put_visible(const char *text, FILE *out);

/* A plain decimal number within [min, max]; otherwise prints a one-line error naming the
 * option. No hex, exponents, signs other than '-', spaces, inf or nan. */
bool cli_parse_number(const char *command, const char *option, const char *text, double min,
                      double max, double *out);

/* The same for whole numbers (ports, counts, retries). */
bool cli_parse_integer(const char *command, const char *option, const char *text, double min,
                       double max, double *out);

/* A number for an option that sets what [section] key sets in the configuration, in the
 * range the configuration allows (config_number_range). */
bool cli_parse_setting(const char *command, const char *option, const char *section,
                       const char *key, const char *text, double *out);

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
