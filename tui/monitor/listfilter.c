/* The list panes' filter: see listfilter.h. */
#include "tui/monitor/listfilter.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool list_filter_key(struct list_filter *f, int ch, bool *changed)
{
    *changed = false;
    size_t n = strlen(f->text);
    if (!f->typing) {
        if (ch == '/') {
            f->typing = true;
            return true;
        }
        if (ch == 27 && n) {
            f->text[0] = '\0';
            *changed = true;
            return true;
        }
        return false;
    }
    if (ch == 27) {
        f->typing = false;
        *changed = n > 0;
        f->text[0] = '\0';
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        f->typing = false;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (n) {
            f->text[n - 1] = '\0';
            *changed = true;
        }
    } else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof f->text) {
        f->text[n] = (char)ch;
        f->text[n + 1] = '\0';
        *changed = true;
    } else if (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_PPAGE || ch == KEY_NPAGE) {
        f->typing = false;  /* moving in the list ends typing; the pane moves */
        return false;
    }
    return true;  /* while typing, every other key is swallowed: no pane switch by a digit */
}

bool list_filter_matches(const struct list_filter *f, const char *row_text)
{
    size_t n = strlen(f->text);
    if (!n)
        return true;
    for (const char *p = row_text; *p; p++)
        if (strncasecmp(p, f->text, n) == 0)
            return true;
    return false;
}

bool list_filter_active(const struct list_filter *f)
{
    return f->typing || f->text[0];
}

const char *list_filter_prompt(const struct list_filter *f, int shown, int total, char *buf,
                               int cap)
{
    buf[0] = '\0';
    if (!list_filter_active(f))
        return buf;
    if (total >= 0 && f->text[0])
        snprintf(buf, (size_t)cap, "/ %s%s  (%d of %d)", f->text, f->typing ? "_" : "", shown, total);
    else
        snprintf(buf, (size_t)cap, "/ %s%s", f->text, f->typing ? "_" : "");
    return buf;
}
