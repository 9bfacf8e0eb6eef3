/* libFuzzer target: arbitrary text through timearg_parse (--since/--until: UNIX seconds,
 * ISO-8601 dates and datetimes with Z or offsets) and timearg_format at every buffer size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/format/timearg.h"

/* 9999-12-31T23:59:59Z: the last moment a four-digit year can print, so parse(format(t))
 * must give t back for every t from 0 up to here. */
#define LAST_FOUR_DIGIT_YEAR 253402300799LL

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* A zone with daylight saving time, so local parsing meets gaps and overlaps. */
    setenv("TZ", "Europe/Berlin", 1);
    return 0;
}

/* Formats t into a buffer of exactly `cap` bytes (heap, so ASan sees a byte too far) and
 * checks the result is a string that stays inside it. */
static void check_format(int64_t t, bool utc, size_t cap)
{
    char *buf = malloc(cap);
    if (!buf)
        return;
    memset(buf, 'X', cap);
    const char *s = timearg_format(t, utc, buf, cap);
    if (s != buf || memchr(buf, 0, cap) == NULL)
        __builtin_trap();   /* unterminated: callers print it with %s */
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The text exactly as the user typed it, NUL-terminated right after the last byte. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    int64_t t = 0;
    if (timearg_parse(text, &t)) {
        char a[64], b[64];
        timearg_format(t, true, a, sizeof a);
        timearg_format(t, false, b, sizeof b);
        if (memchr(a, 0, sizeof a) == NULL || memchr(b, 0, sizeof b) == NULL)
            __builtin_trap();
        /* What the formatter prints in UTC reads back as the same moment. */
        if (t >= 0 && t <= LAST_FOUR_DIGIT_YEAR) {
            int64_t back = -1;
            if (!timearg_parse(a, &back) || back != t)
                __builtin_trap();
        }
    }

    /* The input's first bytes as a raw timestamp, formatted at an input-chosen size: a
     * buffer too small for the text must still come back as a (shorter) string. */
    if (size >= 9) {
        int64_t raw;
        memcpy(&raw, data, sizeof raw);
        size_t cap = (size_t)(data[8] % 48) + 1;
        check_format(raw, true, cap);
        check_format(raw, false, cap);
        check_format(t, (data[8] & 0x80) != 0, cap);
    }
    free(text);
    return 0;
}
