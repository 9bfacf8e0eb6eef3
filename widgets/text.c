/* Width-aware text for the terminal. Device strings arrive here already sanitised; this
 * only measures, cuts and places them. */
#include "widgets/text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Length of the UTF-8 sequence starting at s, or 1 for an invalid byte. */
static size_t seq_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

static int seq_width(const unsigned char *s, size_t n)
{
    if (n == 1)
        return 1;
    wchar_t wc;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    if (mbrtowc(&wc, (const char *)s, n, &st) != n)
        return 1;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = seq_len(p);
        w += seq_width(p, n);
        p += n;
    }
    return w;
}

const char *text_fit(const char *s, int width, const struct wglyphs *g, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    if (width <= 0)
        return buf;
    if (text_width(s) <= width && strlen(s) < cap) {
        memcpy(buf, s, strlen(s) + 1);
        return buf;
    }
    int ell_w = text_width(g->ellipsis);
    int room = width - ell_w;
    size_t out = 0;
    int used = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && room > 0) {
        size_t n = seq_len(p);
        int w = seq_width(p, n);
        if (used + w > room || out + n + 1 >= cap)
            break;
        memcpy(buf + out, p, n);
        out += n;
        used += w;
        p += n;
    }
    buf[out] = '\0';
    if (ell_w <= width && out + strlen(g->ellipsis) + 1 < cap)
        strcat(buf, g->ellipsis);
    return buf;
}

const char *text_group(const char *number, char *buf, size_t cap)
{
    const char *p = number;
    size_t out = 0;
    if (*p == '-' || *p == '+') {
        if (out + 1 < cap)
            buf[out++] = *p;
        p++;
    }
    size_t digits = strspn(p, "0123456789");
    for (size_t i = 0; i < digits && out + 2 < cap; i++) {
        buf[out++] = p[i];
        size_t left = digits - i - 1;
        if (left > 0 && left % 3 == 0 && digits >= 4)
            buf[out++] = ' ';
    }
    snprintf(buf + out, cap > out ? cap - out : 0, "%s", p + digits);
    return buf;
}

const char *text_ascii(const char *s, char *buf, size_t cap)
{
    /* What the program itself writes (units, arrows, boxes, the ellipsis) maps to its
     * ASCII look; anything else outside ASCII becomes '?', one per character. */
    static const struct { const char *utf8, *ascii; } map[] = {
        {"°", ""}, {"…", "..."}, {"─", "-"}, {"│", "|"}, {"┌", "+"}, {"┐", "+"}, {"└", "+"},
        {"┘", "+"}, {"├", "+"}, {"┤", "+"}, {"┬", "+"}, {"┴", "+"}, {"┼", "+"}, {"▶", ">"},
        {"◀", "<"}, {"▲", "^"}, {"▼", "v"}, {"→", "->"}, {"←", "<-"}, {"↑", "^"}, {"↓", "v"},
        {"µ", "u"}, {"Ω", "Ohm"}, {"²", "2"}, {"³", "3"}, {"±", "+-"}, {"×", "x"},
        {"▾", "v"}, {"▸", ">"}, {"✗", "x"}, {"✓", "v"}, {"·", "."}, {"–", "-"}, {"—", "-"},
    };
    size_t out = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && out + 1 < cap) {
        if (*p < 0x80) {
            buf[out++] = (char)*p++;
            continue;
        }
        size_t n = seq_len(p);
        const char *rep = "?";
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strlen(map[i].utf8) == n && memcmp(map[i].utf8, p, n) == 0)
                rep = map[i].ascii;
        size_t rn = strlen(rep);
        if (out + rn + 1 > cap)
            break;
        memcpy(buf + out, rep, rn);
        out += rn;
        p += n;
    }
    buf[out] = '\0';
    return buf;
}

int text_put(WINDOW *win, int y, int x, int width, const char *s, attr_t attr,
             const struct wglyphs *g)
{
    char buf[1024], plain[1024];
    if (!g->utf8)
        s = text_ascii(s, plain, sizeof plain);
    text_fit(s, width, g, buf, sizeof buf);
    if (width <= 0)
        return 0;
    wattron(win, attr);
    mvwaddstr(win, y, x, buf);
    wattroff(win, attr);
    return text_width(buf);
}

void text_put_right(WINDOW *win, int y, int x, int width, const char *s, attr_t attr,
                    const struct wglyphs *g)
{
    char plain[1024];
    if (!g->utf8)
        s = text_ascii(s, plain, sizeof plain);
    int w = text_width(s);
    if (w > width)
        w = width;
    text_put(win, y, x + width - w, width, s, attr, g);
}
