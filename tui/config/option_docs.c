/* The documents the option table writes: the sample configuration, `rcttop help config` and
 * the man page's list of keys, so none of them can fall out of step with what is parsed. */
#include <stdio.h>
#include <string.h>

#include "tui/config/config.h"
#include "tui/config/options.h"

static const enum option_scope scopes[] = {OPTION_GENERAL, OPTION_DEVICE, OPTION_PLANT, OPTION_CHECK,
                                           OPTION_ALERTS};

/* What the sample shows: its example, the [general] default a device key falls back to,
 * or the default. */
static const char *shown_value(const struct option_def *o)
{
    if (o->example)
        return o->example;
    const struct option_def *general = o->inherits ? options_find(OPTION_GENERAL, o->key) : NULL;
    return general ? general->text : o->text;
}

/* The sample sets what a first file needs; the rest is shown commented out, at its default. */
static bool commented_out(const struct option_def *o)
{
    /* A plant needs a second device: the sample shows one commented out. */
    return o->scope == OPTION_PLANT ||
           (!o->example && (o->scope == OPTION_CHECK || o->scope == OPTION_ALERTS ||
                            o->inherits || !o->text[0]));
}

static bool has_range(const struct option_def *o)
{
    return o->type == OPTION_DOUBLE || o->type == OPTION_INT;
}

/* "[general]", "[device:NAME]" as the help names a section. */
static const char *section_label(enum option_scope scope, char *buf, size_t cap)
{
    snprintf(buf, cap, "[%s%s]", options_section_name(scope), scope == OPTION_DEVICE || scope == OPTION_PLANT ? "NAME" : "");
    return buf;
}

void config_write_sample(FILE *out)
{
    static const char *const intro[] = {
        [OPTION_GENERAL] = "\n[general]\n",
        [OPTION_DEVICE] = "\n; One section per inverter; open one with --device NAME.\n[device:home]\n",
        /* In parentheses: one string on two lines, not two elements with a comma missing. */
        [OPTION_PLANT] = ("\n; Several units that work together, a master and its slaves, each a device;\n"
                          "; open them with --plant NAME.\n;[device:garage]\n;host = 192.168.1.51\n;[plant:home]\n"),
        [OPTION_CHECK] = "\n; Thresholds of `rcttop check` and the Health pane (defaults shown).\n[check]\n",
        [OPTION_ALERTS] = "\n; Alerts of the monitor and `rcttop watch` (defaults shown).\n[alerts]\n",
    };
    fputs("; rcttop configuration: $XDG_CONFIG_HOME/rcttop/config.ini or\n"
          "; ~/.config/rcttop/config.ini, or any file given with --config.\n"
          "; Generated from rcttop's option table (rcttop monitor --print-sample-config).\n", out);
    for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++) {
        fputs(intro[scopes[s]], out);
        for (size_t i = 0; i < options_count(); i++) {
            const struct option_def *o = options_at(i);
            if (o->scope != scopes[s])
                continue;
            fprintf(out, "; %s", o->help);
            if (has_range(o))
                fprintf(out, " (%g..%g)", o->min, o->max);
            fprintf(out, "\n%s%s = %s\n", commented_out(o) ? ";" : "", o->key, shown_value(o));
        }
    }
}

/* Words of text from column indent, broken before column width. */
static void write_wrapped(FILE *out, const char *text, int indent, int width)
{
    int column = indent;
    fprintf(out, "%*s", indent, "");
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column > indent && column + 1 + (int)word > width) {
            fprintf(out, "\n%*s", indent, "");
            column = indent;
        } else if (column > indent) {
            fputc(' ', out);
            column++;
        }
        fwrite(text, 1, word, out);
        column += (int)word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

void config_write_help(FILE *out)
{
    for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++) {
        char section[24], help[512];
        fprintf(out, "%s%s\n", s ? "\n" : "", section_label(scopes[s], section, sizeof section));
        for (size_t i = 0; i < options_count(); i++) {
            const struct option_def *o = options_at(i);
            if (o->scope != scopes[s])
                continue;
            if (o->inherits)
                fprintf(out, "  %s (default: the [general] value)\n", o->key);
            else
                fprintf(out, "  %s = %s\n", o->key, o->text[0] ? o->text : "\"\"");
            int n = snprintf(help, sizeof help, "%s", o->help);
            if (has_range(o) && n >= 0 && (size_t)n < sizeof help)
                snprintf(help + n, sizeof help - (size_t)n, " (%g..%g)", o->min, o->max);
            write_wrapped(out, help, 6, 80);
        }
    }
}

/* Text for roff: a backslash is \e, and a line may not begin with a control character. */
static void write_roff_text(FILE *out, const char *text)
{
    if (text[0] == '.' || text[0] == '\'')
        fputs("\\&", out);
    for (const char *p = text; *p; p++)
        if (*p == '\\')
            fputs("\\e", out);
        else
            fputc(*p, out);
}

static void write_man_option(FILE *out, const struct option_def *o)
{
    fputs(".TP\n\\fB", out);
    write_roff_text(out, o->key);
    if (o->inherits || !o->text[0]) {
        fputs("\\fR\n", out);
    } else {
        fputs("\\fR = \\fI", out);
        write_roff_text(out, o->text);
        fputs("\\fR\n", out);
    }
    write_roff_text(out, o->help);
    if (has_range(o))
        fprintf(out, " (%g..%g)", o->min, o->max);
    if (o->inherits)
        fputs(" (default: the [general] value)", out);
    fputc('\n', out);
}

void config_write_man(FILE *out)
{
    for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++) {
        char section[24];
        fprintf(out, ".SS %s\n", section_label(scopes[s], section, sizeof section));
        for (size_t i = 0; i < options_count(); i++)
            if (options_at(i)->scope == scopes[s])
                write_man_option(out, options_at(i));
    }
}
