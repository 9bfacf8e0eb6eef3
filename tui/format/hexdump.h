/* Streaming parser for hex dumps as people paste them: any whitespace, optional 0x
 * prefixes, ':' '-' ',' separators, several lines. Constant memory. */
#ifndef RCT_HEXDUMP_H
#define RCT_HEXDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hexdump_parser {
    int pending;          /* first nibble of a byte, or -1 */
    bool token_start;     /* next char begins a token (for "0x") */
    bool maybe_prefix;    /* pending '0' could be the start of "0x" */
    unsigned line;        /* 1-based, for error messages */
    bool failed;
    char bad_char;
    unsigned bad_line;
};

void hexdump_init(struct hexdump_parser *p);
/* Parses text[0..len); writes bytes to out (capacity >= len/2 + 1). Returns the bytes
 * written; on an invalid character sets p->failed and stops. */
size_t hexdump_feed(struct hexdump_parser *p, const char *text, size_t len, uint8_t *out);
/* True if the input ended in the middle of a byte (an odd number of digits). */
bool hexdump_dangling(const struct hexdump_parser *p);

#endif
