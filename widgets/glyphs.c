/* The two glyph sets. ASCII keeps every screen readable where UTF-8 is not available
 * (a non-UTF-8 locale, a serial console, --ascii). */
#include "widgets/glyphs.h"

static const struct wglyphs utf8_set = {
    true, "─", "│", "┌", "┐", "└", "┘", "┬", "├", "└", "┴", "┼",
    "▶", "◀", "▲", "▼", "…", "°",
    {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
    {"█", "▇", "▆", "▅", "▄", "▃", "▂", "▁", " "}, true,
    "█", "░", "▾", "▸",
};

static const struct wglyphs ascii_set = {
    false, "-", "|", "+", "+", "+", "+", "+", "+", "`", "+", "+",
    ">", "<", "^", "v", "...", "",
    {" ", ".", ",", "-", "~", "=", "+", "*", "#"},
    {" ", "'", "'", "'", "\"", "\"", "\"", "V", "#"}, false,
    "#", ".", "v", ">",
};

const struct wglyphs *glyphs_get(bool utf8)
{
    return utf8 ? &utf8_set : &ascii_set;
}
