/* One quiet INI loader for the configuration and theme files: iniparser's own error
 * printer would echo the offending line to stderr, so its report is reduced to a line
 * number here. */
#include "tui/config/inifile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdbool.h>
#include <sys/stat.h>

static int syntax_line;   /* first syntax error's line; iniparser runs on one thread */
static int syntax_errors;

/* iniparser formats "iniparser: syntax error in %s (%d):\n-> %s\n": keep the number. */
static int capture_syntax_error(const char *fmt, ...)
{
    if (syntax_errors++ > 0 || !strstr(fmt, "syntax error"))
        return 0;
    va_list ap;
    va_start(ap, fmt);
    (void)va_arg(ap, const char *);
    syntax_line = va_arg(ap, int);
    va_end(ap);
    return 0;
}

#define INIFILE_MAX_BYTES (256 * 1024)
#define INIFILE_MAX_SECTIONS 256

dictionary *inifile_load(const char *path, const char *what, char *err, size_t errcap)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errcap, "%s: cannot open the %s: %s", path, what, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errcap, "%s: is a directory, not a %s", path, what);
        return NULL;
    }
    /* /dev/null is an empty file (the tests' "no configuration"); any other device or pipe
     * could be endless (/dev/zero) or never end (a FIFO nobody writes): refused. */
    struct stat null_st;
    bool is_null = S_ISCHR(st.st_mode) && stat("/dev/null", &null_st) == 0 && st.st_rdev == null_st.st_rdev;
    if (!S_ISREG(st.st_mode) && !is_null) {
        snprintf(err, errcap, "%s: not a regular file, so not a %s", path, what);
        return NULL;
    }
    if (st.st_size > INIFILE_MAX_BYTES) {
        snprintf(err, errcap, "%s: %lld bytes, too large for a %s (at most %d)", path,
                 (long long)st.st_size, what, INIFILE_MAX_BYTES);
        return NULL;
    }
    FILE *probe = fopen(path, "r");
    if (!probe) {
        snprintf(err, errcap, "%s: cannot read the %s: %s", path, what, strerror(errno));
        return NULL;
    }
    /* The INI reader's time grows with the square of the sections: a file of thousands
     * is no configuration, and is refused before it is read. */
    int sections = 0, c, prev = '\n';
    while ((c = getc(probe)) != EOF) {
        if (prev == '\n' && c == '[')
            sections++;
        prev = c;
    }
    fclose(probe);
    if (sections > INIFILE_MAX_SECTIONS) {
        snprintf(err, errcap, "%s: %d sections, too many for a %s (at most %d)", path, sections,
                 what, INIFILE_MAX_SECTIONS);
        return NULL;
    }
    syntax_line = 0;
    syntax_errors = 0;
    iniparser_set_error_callback(capture_syntax_error);
    dictionary *d = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (d && syntax_errors == 0)
        return d;
    if (d)
        iniparser_freedict(d);
    if (syntax_line > 0)
        snprintf(err, errcap, "%s: line %d: not INI (expected [section] or key = value); "
                 "is this a %s?", path, syntax_line, what);
    else
        snprintf(err, errcap, "%s: not a valid %s", path, what);
    return NULL;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int inifile_line_of(const char *path, const char *section, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    int number = 0, found = 0;
    bool in_section = section == NULL || section[0] == '\0';
    size_t klen = strlen(key), slen = section ? strlen(section) : 0;
    while (!found && fgets(line, sizeof line, f)) {
        number++;
        const char *p = skip_blanks(line);
        if (*p == '[') {
            p = skip_blanks(p + 1);
            in_section = slen && strncasecmp(p, section, slen) == 0 &&
                         *skip_blanks(p + slen) == ']';
        } else if (in_section && strncasecmp(p, key, klen) == 0) {
            const char *q = skip_blanks(p + klen);
            if (*q == '=' || *q == ':')
                found = number;
        }
    }
    fclose(f);
    return found;
}

const char *inifile_visible(const char *text, char *buf, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < cap && n < 40; p++)
        buf[n++] = (char)(*p < 0x20 || *p == 0x7f ? '?' : *p);
    if (cap)
        buf[n] = '\0';
    return buf;
}
