/* Hex dump text to bytes, for `rcttop decode`: tolerant of the many ways captures are
 * pasted, strict about anything that is not hex so a typo is reported, not guessed. */
#include "tui/format/hexdump.h"

static int nibble(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
           c == ':' || c == '-' || c == ',';
}

void hexdump_init(struct hexdump_parser *p)
{
    p->pending = -1;
    p->token_start = true;
    p->maybe_prefix = false;
    p->line = 1;
    p->failed = false;
    p->bad_char = 0;
    p->bad_line = 0;
}

size_t hexdump_feed(struct hexdump_parser *p, const char *text, size_t len, uint8_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len && !p->failed; i++) {
        char c = text[i];
        if (c == '\n')
            p->line++;
        if (is_separator(c)) {
            p->token_start = true;
            p->maybe_prefix = false;
            continue;
        }
        if ((c == 'x' || c == 'X') && p->maybe_prefix) {
            /* "0x": the '0' was a prefix, not data. */
            p->pending = -1;
            p->maybe_prefix = false;
            continue;
        }
        int v = nibble(c);
        if (v < 0) {
            p->failed = true;
            p->bad_char = c;
            p->bad_line = p->line;
            break;
        }
        p->maybe_prefix = p->token_start && p->pending < 0 && c == '0';
        p->token_start = false;
        if (p->pending < 0) {
            p->pending = v;
        } else {
            out[n++] = (uint8_t)(p->pending << 4 | v);
            p->pending = -1;
        }
    }
    return n;
}

bool hexdump_dangling(const struct hexdump_parser *p)
{
    return p->pending >= 0;
}
