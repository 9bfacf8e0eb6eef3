/* libFuzzer target: arbitrary bytes as a theme file through themes_load (iniparser, role
 * names, colour specs), and each input line through wtheme_parse_spec on its own. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "tui/config/themes.h"
#include "widgets/theme.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_stderr_init();
    return 0;
}

static void check_spec(const struct wcolour_spec *s)
{
    if (s->fg < -1 || s->fg > 255 || s->bg < -1 || s->bg > 255 ||
        (s->attrs & ~(unsigned)(WATTR_BOLD | WATTR_DIM | WATTR_REVERSE | WATTR_UNDERLINE)))
        __builtin_trap();
    short f8 = wtheme_to_8(s->fg), b8 = wtheme_to_8(s->bg);
    if (f8 < -1 || f8 > 7 || b8 < -1 || b8 > 7)
        __builtin_trap();
}

/* Each line alone as a spec, the way a theme's value reaches the parser. */
static void parse_lines(const uint8_t *data, size_t size)
{
    char *text = fuzz_strdup(data, size);
    if (!text)
        return;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        struct wcolour_spec spec;
        char why[128];
        memset(why, 'X', sizeof why);
        if (wtheme_parse_spec(line, &spec, why, sizeof why))
            check_spec(&spec);
        else if (memchr(why, 0, sizeof why) == NULL)
            __builtin_trap();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    static struct wtheme theme;
    char err[512];
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    fuzz_stderr_begin();
    bool ok = themes_load(path, &theme, err, sizeof err);
    size_t printed = fuzz_stderr_end(true);
    close(fd);
    if (printed)
        __builtin_trap();   /* the loader printed instead of returning the error */
    if (memchr(err, 0, sizeof err) == NULL)
        __builtin_trap();
    if (ok) {
        if (memchr(theme.name, 0, sizeof theme.name) == NULL || !theme.name[0])
            __builtin_trap();
        for (int r = 0; r < WROLE_COUNT; r++)
            check_spec(&theme.spec[r]);
        /* Without a terminal only the monochrome mapping applies; it must not need one. */
        wtheme_apply(&theme, WCOLOUR_MONO);
    } else if (err[0] == 'X' || strchr(err, '\n')) {
        __builtin_trap();
    }
    parse_lines(data, size);
    return 0;
}
