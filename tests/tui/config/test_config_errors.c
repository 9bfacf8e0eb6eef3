/* What a bad configuration or theme file is told with, on plain data: the key is named
 * (iniparser lowers its case) and its control characters are shown as "?", never sent to
 * the terminal (cli_write_errors.sh sees the same through the program). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tui/config/config.h"
#include "tui/config/themes.h"

static char path[256];

static const char *write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/rcttop-test-errors-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

Test(config_errors, a_key_with_an_escape_is_named_without_it)
{
    struct config cfg;
    char err[512] = "";
    config_defaults(&cfg);
    bool ok = config_load(&cfg, write_file("[general]\n\033[2Jkey = 1\n"), err, sizeof err);
    unlink(path);
    cr_assert_not(ok);
    cr_assert(strstr(err, "line 2: [general] "), "%s", err);
    cr_assert(strstr(err, "?[2jkey: unknown key"), "the key is named, its escape a ?: %s", err);
    cr_assert_null(strchr(err, '\033'), "no escape reaches the terminal: %s", err);
}

Test(config_errors, a_theme_role_with_an_escape_is_named_without_it)
{
    struct wtheme theme;
    char err[512] = "";
    bool ok = themes_load(write_file("[theme]\n\033[2Jrole = red\n"), &theme, err, sizeof err);
    unlink(path);
    cr_assert_not(ok);
    cr_assert(strstr(err, "[theme] "), "%s", err);
    cr_assert(strstr(err, "?[2jrole: unknown role"), "the role is named, its escape a ?: %s", err);
    cr_assert_null(strchr(err, '\033'), "no escape reaches the terminal: %s", err);
}
