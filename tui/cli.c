/* Subcommand table and shared command-line helpers. Each command lives in its own
 * tui/cmd_*.c; adding one is a line in the table below. */
#include "tui/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

int cmd_decode(int argc, char **argv);
int cmd_list(int argc, char **argv);

static const struct cli_command commands[] = {
    {"decode", "decode frames from a hex dump or a binary capture",
     "usage: rcttop decode [--format text|json] [--binary] [--stats] [FILE]\n"
     "\n"
     "Reads a hex dump (any whitespace, optional 0x, ':' or '-' separators, several\n"
     "lines) or raw bytes (--binary) from FILE or standard input, and prints every frame:\n"
     "command, OID, name, plant address, payload, decoded value with unit, and errors\n"
     "(a CRC mismatch shows both CRCs). Noise between frames is skipped.\n"
     "\n"
     "  -f, --format FMT  text (default) or json (JSON Lines, one object per frame)\n"
     "  -b, --binary      input is raw bytes, not hex\n"
     "  -s, --stats       print only totals: bytes, frames by command, errors, noise\n"
     "\n"
     "example: echo 2b0508959930bf3e97b1919c86 | rcttop decode\n",
     cmd_decode},
    {"list", "list the OID registry, filtered",
     "usage: rcttop list [PATTERN] [--kind K] [--group G] [--format text|csv|json]\n"
     "\n"
     "Lists the OIDs rcttop knows. PATTERN matches a substring of the name or label,\n"
     "case-insensitively. K is measurement, setting, identity or history.\n"
     "\n"
     "  -k, --kind K      only OIDs of that kind\n"
     "  -g, --group G     only OIDs of that group (e.g. battery)\n"
     "  -f, --format FMT  text (default), csv or json (JSON Lines)\n"
     "\n"
     "example: rcttop list soc --kind setting\n",
     cmd_list},
};

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

size_t cli_command_count(void)
{
    return sizeof commands / sizeof commands[0];
}

const struct cli_command *cli_command_at(size_t index)
{
    return index < cli_command_count() ? &commands[index] : NULL;
}

void cli_print_main_help(FILE *out)
{
    fprintf(out,
            "rcttop %s: a read-only monitor and diagnosis tool for RCT Power inverters\n"
            "\n"
            "usage: rcttop [OPTIONS]              interactive monitor\n"
            "       rcttop COMMAND [OPTIONS]      one-shot command\n"
            "       rcttop help COMMAND           help for one command\n"
            "\n"
            "commands:\n",
            RCTTOP_VERSION);
    for (size_t i = 0; i < cli_command_count(); i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "rcttop never writes to the inverter: the only frames it sends are reads and\n"
            "history queries.\n");
}

bool cli_format_parse(const char *text, enum cli_format *out)
{
    static const struct { const char *name; enum cli_format format; } names[] = {
        {"text", CLI_FORMAT_TEXT}, {"csv", CLI_FORMAT_CSV}, {"json", CLI_FORMAT_JSON}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0) {
            *out = names[i].format;
            return true;
        }
    return false;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    fprintf(stderr, "rcttop %s: ", command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

void cli_csv_field(const char *text, FILE *out)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    /* A leading ':' makes getopt report a missing value apart from an unknown option. */
    char opts[64];
    snprintf(opts, sizeof opts, ":%s", shortopts);
    opterr = 0;
    int c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c == '?' || c == ':') {
        const char *arg = argv[optind - 1];
        if (c == ':')
            cli_usage_error(command, "option '%s' needs a value", arg ? arg : "?");
        else if (optopt && arg && arg[0] == '-' && arg[1] != '-')
            cli_usage_error(command, "unknown option '-%c' (see 'rcttop help %s')", optopt,
                            command);
        else
            cli_usage_error(command, "unknown option '%s' (see 'rcttop help %s')",
                            arg ? arg : "?", command);
        return '?';
    }
    return c;
}
