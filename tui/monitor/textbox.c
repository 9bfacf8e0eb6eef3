/* The centred box of "key\ttext" lines that the help and every detail view use: as wide
 * as it needs up to the terminal, long lines wrapped at words, scrolled. */
#include "tui/monitor/textbox.h"

#include <string.h>

#include "tui/monitor/app.h"
#include "widgets/box.h"
#include "widgets/text.h"

/* "key\ttext" lines split in two; returns how many. */
static int split_lines(const char *text, char lines[][2][160], int max)
{
    int n = 0;
    for (const char *p = text; *p && n < max;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        size_t klen = tab ? (size_t)(tab - p) : len;
        snprintf(lines[n][0], sizeof lines[n][0], "%.*s", (int)klen, p);
        snprintf(lines[n][1], sizeof lines[n][1], "%.*s", tab ? (int)(len - klen - 1) : 0,
                 tab ? tab + 1 : "");
        n++;
        p += len + (nl ? 1 : 0);
    }
    return n;
}

/* Cuts text at a word boundary so it takes at most `width` columns; returns the bytes
 * taken (the rest continues on the next row). */
static size_t wrap_at(const char *text, int width)
{
    size_t len = strlen(text), best = 0;
    char buf[160];
    for (size_t i = 1; i <= len && i < sizeof buf; i++) {
        if (i < len && text[i] != ' ')
            continue;
        snprintf(buf, sizeof buf, "%.*s", (int)i, text);
        if (text_width(buf) > width)
            break;
        best = i;
    }
    if (best == 0) {  /* one word longer than the row: cut it */
        size_t i = 0;
        while (i < len && i < sizeof buf - 1) {
            snprintf(buf, sizeof buf, "%.*s", (int)(i + 1), text);
            if (text_width(buf) > width)
                break;
            i++;
        }
        best = i ? i : 1;
    }
    return best;
}

void textbox_draw(struct app *app, const char *title_text, const char *text, int *scroll)
{
    int rows = LINES, cols = COLS;
    static char lines[96][2][160];
    int n = split_lines(text, lines, 96);
    int key_w = 4, text_w = 10;
    for (int i = 0; i < n; i++) {
        int kw = text_width(lines[i][0]), tw = text_width(lines[i][1]);
        if (kw > key_w && kw <= 28)
            key_w = kw;
        if (tw > text_w)
            text_w = tw;
    }
    int w = key_w + text_w + 5;
    if (w > cols)
        w = cols;
    if (rows < 5 || w < 12)
        return;
    int kw = key_w < w / 3 ? key_w : w / 3;
    int tw = w - kw - 5;
    /* Rows after wrapping: (line index, byte offset) pairs. */
    static struct { short line; short offset; } view[512];
    int nview = 0;
    for (int i = 0; i < n && nview < 512; i++) {
        size_t off = 0, len = strlen(lines[i][1]);
        if (text_width(lines[i][0]) > kw && nview < 511) {
            /* A key too wide for its column gets a row of its own: every key is shown whole. */
            view[nview].line = (short)i;
            view[nview].offset = -1;
            nview++;
        }
        do {
            view[nview].line = (short)i;
            view[nview].offset = (short)off;
            nview++;
            if (off < len)
                off += wrap_at(lines[i][1] + off, tw);
            while (off < len && lines[i][1][off] == ' ')
                off++;
        } while (off < len && nview < 512);
    }
    int h = nview + 2;
    if (h > rows - 2)
        h = rows - 2;
    int visible = h - 2;
    if (*scroll > nview - visible)
        *scroll = nview - visible;
    if (*scroll < 0)
        *scroll = 0;
    struct wrect r = {(rows - h) / 2, (cols - w) / 2, h, w};
    for (int y = 0; y < r.h; y++)
        mvhline(r.y + y, r.x, ' ', r.w);
    char title[160];
    if (nview > visible)
        snprintf(title, sizeof title, "%s  %d-%d of %d", title_text, *scroll + 1, *scroll + visible, nview);
    else
        snprintf(title, sizeof title, "%s", title_text);
    box_draw(stdscr, r, title, app_attr(app, WROLE_BORDER), app_attr(app, WROLE_TITLE), app->glyphs);
    for (int i = 0; i < visible; i++) {
        int v = *scroll + i;
        const char (*l)[160] = lines[view[v].line];
        int y = r.y + 1 + i;
        if (view[v].offset < 0) {
            text_put(stdscr, y, r.x + 2, r.w - 4, l[0], app_attr(app, WROLE_TITLE), app->glyphs);
            continue;
        }
        if (view[v].offset == 0 && text_width(l[0]) <= kw)
            text_put(stdscr, y, r.x + 2, kw, l[0], app_attr(app, WROLE_TITLE), app->glyphs);
        const char *rest = l[1] + view[v].offset;
        size_t take = strlen(rest) ? wrap_at(rest, tw) : 0;
        char row[160];
        snprintf(row, sizeof row, "%.*s", (int)take, rest);
        text_put(stdscr, y, r.x + 3 + kw, tw, row, app_attr(app, WROLE_VALUE), app->glyphs);
    }
}

bool textbox_key(int ch, int *scroll)
{
    switch (ch) {
    case KEY_UP: (*scroll)--; return true;
    case KEY_DOWN: (*scroll)++; return true;
    case KEY_PPAGE: *scroll -= LINES / 2; return true;
    case KEY_NPAGE: *scroll += LINES / 2; return true;
    case KEY_HOME: *scroll = 0; return true;
    case KEY_END: *scroll = 1 << 20; return true;
    case KEY_RESIZE: return true;
    default: return false;
    }
}
