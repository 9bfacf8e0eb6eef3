/* Themes are INI files read with iniparser; the built-in ones are handed to it through a
 * memory file, so a missing theme directory never stops the program. */
#define _GNU_SOURCE
#include "tui/config/themes.h"

#include <iniparser/iniparser.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tui/config/inifile.h"

struct rct_builtin_theme { const char *name; const char *text; };
extern const struct rct_builtin_theme rct_builtin_themes[];
extern const size_t rct_builtin_theme_count;

size_t themes_builtin_count(void)
{
    return rct_builtin_theme_count;
}

const char *themes_builtin_name(size_t index)
{
    return index < rct_builtin_theme_count ? rct_builtin_themes[index].name : NULL;
}

static const char *builtin_text(const char *name)
{
    for (size_t i = 0; i < rct_builtin_theme_count; i++)
        if (strcmp(rct_builtin_themes[i].name, name) == 0)
            return rct_builtin_themes[i].text;
    return NULL;
}

/* " line N:" where the key is set in a theme file, or "" (built-in text, not found). */
static const char *line_at(const char *path, const char *key)
{
    static char buf[32];
    int line = inifile_line_of(path, "theme", key);
    buf[0] = '\0';
    if (line > 0)
        snprintf(buf, sizeof buf, " line %d:", line);
    return buf;
}

/* iniparser reads files only: a memfd gives the built-in text a path. */
static dictionary *load_text(const char *text)
{
    int fd = memfd_create("rcttop-theme", 0);
    if (fd < 0)
        return NULL;
    size_t len = strlen(text);
    dictionary *d = NULL;
    if (write(fd, text, len) == (ssize_t)len) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        d = iniparser_load(path);
    }
    close(fd);
    return d;
}

static bool apply_dict(dictionary *d, const char *where, struct wtheme *out, char *err,
                       size_t errcap)
{
    int n = iniparser_getsecnkeys(d, "theme");
    if (n <= 0) {
        snprintf(err, errcap, "%s: no [theme] section", where);
        return false;
    }
    const char **keys = calloc((size_t)n, sizeof *keys);
    if (!keys)
        return false;
    iniparser_getseckeys(d, "theme", keys);
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        const char *key = strchr(keys[i], ':') + 1;
        const char *value = iniparser_getstring(d, keys[i], "");
        if (strcmp(key, "name") == 0) {
            snprintf(out->name, sizeof out->name, "%s", value);
            continue;
        }
        enum wrole role;
        if (!wrole_from_name(key, &role)) {
            char name[48];
            snprintf(err, errcap, "%s:%s [theme] %s: unknown role", where, line_at(where, key),
                     inifile_visible(key, name, sizeof name));
            ok = false;
            break;
        }
        char why[128];
        if (!wtheme_parse_spec(value, &out->spec[role], why, sizeof why)) {
            (void)why;  /* it quotes the value; the file's text is never echoed */
            snprintf(err, errcap, "%s:%s [theme] %.40s: not a colour (a name such as red or "
                     "brightblue, 0-255, #RRGGBB, optionally with bold, dim, reverse)", where,
                     line_at(where, key), key);
            ok = false;
        }
    }
    free(keys);
    return ok;
}

bool themes_load(const char *name, struct wtheme *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    dictionary *def = load_text(builtin_text("default"));
    if (!def || !apply_dict(def, "built-in default theme", out, err, errcap)) {
        if (def)
            iniparser_freedict(def);
        snprintf(err, errcap, "the built-in default theme is missing");
        return false;
    }
    iniparser_freedict(def);
    if (strcmp(name, "default") == 0)
        return true;
    const char *text = builtin_text(name);
    dictionary *d = NULL;
    char path[1024];
    if (text) {
        d = load_text(text);
        snprintf(path, sizeof path, "built-in theme %s", name);
    } else {
        if (strchr(name, '/') || strstr(name, ".ini")) {
            snprintf(path, sizeof path, "%s", name);
        } else {
            const char *xdg = getenv("XDG_CONFIG_HOME");
            const char *home = getenv("HOME");
            if (xdg && *xdg)
                snprintf(path, sizeof path, "%s/rcttop/themes/%s.ini", xdg, name);
            else
                snprintf(path, sizeof path, "%s/.config/rcttop/themes/%s.ini", home ? home : "", name);
        }
        if (access(path, F_OK) != 0) {
            snprintf(err, errcap, "no theme '%s' (built-in: default, light, monochrome, colorblind; "
                                  "or a file: %s)", name, path);
            return false;
        }
        d = inifile_load(path, "theme file", err, errcap);
        if (!d)
            return false;
    }
    if (!d) {
        snprintf(err, errcap, "%s: not a valid INI file", path);
        return false;
    }
    /* Roles the file leaves out keep the default's spec. */
    bool ok = apply_dict(d, path, out, err, errcap);
    iniparser_freedict(d);
    if (ok && !out->name[0])
        snprintf(out->name, sizeof out->name, "%s", name);
    return ok;
}
