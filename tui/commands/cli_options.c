/* What every command shares on its command line: output formats, one-line option
 * errors, checked numbers, CSV fields and the getopt wrapper. */
#include "tui/commands/cli_options.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tui/config/config.h"
#include "tui/format/args.h"

static const struct { const char *name; enum cli_format format; } format_names[] = {
    {"text", CLI_FORMAT_TEXT}, {"csv", CLI_FORMAT_CSV}, {"json", CLI_FORMAT_JSON}};

bool cli_format_parse(const char *text, enum cli_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(text, format_names[i].name) == 0) {
            *out = format_names[i].format;
            return true;
        }
    return false;
}

const char *cli_format_name(size_t index)
{
    return index < sizeof format_names / sizeof format_names[0] ? format_names[index].name : NULL;
}

void cli_put_visible(const char *text, FILE *out)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
}

bool cli_interrupted(int status)
{
    return status == 129 || status == 130 || status == 143;
}

static char last_error[1024];

const char *cli_last_error(void)
{
    return last_error;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Kept, control characters made visible, for a caller that must say it on stdout. */
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)msg; *p && n + 5 < sizeof last_error; p++)
        n += (size_t)(*p < 0x20 || *p == 0x7f ? snprintf(last_error + n, sizeof last_error - n, "\\x%02x", *p)
                                              : snprintf(last_error + n, sizeof last_error - n, "%c", *p));
    last_error[n] = '\0';
    fputs(command[0] ? "rcttop " : "rcttop", stderr);
    cli_put_visible(command, stderr);
    fputs(": ", stderr);
    cli_put_visible(msg, stderr);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}


static bool parse_checked(const char *command, const char *option, const char *text,
                          double min, double max, bool integer, double *out)
{
    double v = NAN;
    (void)args_decimal(text, integer, &v);
    if (v != v || v < min || v > max) {
        cli_usage_error(command, "%s must be a %s from %g to %g, not '%s'", option,
                        integer ? "whole number" : "number", min, max, text);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_number(const char *command, const char *option, const char *text, double min,
                      double max, double *out)
{
    return parse_checked(command, option, text, min, max, false, out);
}

bool cli_parse_integer(const char *command, const char *option, const char *text, double min,
                       double max, double *out)
{
    return parse_checked(command, option, text, min, max, true, out);
}

bool cli_parse_setting(const char *command, const char *option, const char *section,
                       const char *key, const char *text, double *out)
{
    double min, max;
    bool whole;
    if (!config_number_range(section, key, &min, &max, &whole))
        abort();  /* a command names a key the option table lacks: a programming error */
    return parse_checked(command, option, text, min, max, whole, out);
}

/* A signed number written by the program itself ("-12.5", "-3.4e+38") is data. */
static bool is_signed_number(const char *text)
{
    if ((text[0] != '-' && text[0] != '+') || !(isdigit((unsigned char)text[1]) || text[1] == '.'))
        return false;
    char *end;
    (void)strtod(text, &end);
    return *end == '\0';
}

void cli_csv_field(const char *text, FILE *out)
{
    /* Spreadsheets run a cell that starts with = + - @ (or tab, CR) as a formula: a
     * device string must never become one, so such text gets a leading apostrophe. */
    bool formula = strchr("=+-@\t\r", text[0]) && text[0] && !is_signed_number(text);
    if (!formula && !strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
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
            cli_usage_error(command, "unknown option '-%c' (see 'rcttop help%s%s')", optopt,
                            command[0] ? " " : "", command);
        else
            cli_usage_error(command, "unknown option '%s' (see 'rcttop help%s%s')",
                            arg ? arg : "?", command[0] ? " " : "", command);
        return '?';
    }
    return c;
}
