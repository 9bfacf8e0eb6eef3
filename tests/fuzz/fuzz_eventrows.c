/* libFuzzer target: arbitrary event-table rows (struct rct_event_row, 20 bytes each as on
 * the wire) through eventfmt_decode, eventfmt_detail, eventfmt_param_value and the JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "tui/format/eventfmt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("TZ", "Europe/Berlin", 1);
    return 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- a strict little JSON checker: one value, nothing after it ------------------- */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (;;) {
        unsigned char c = (unsigned char)*p++;
        if (c == '"')
            return p;
        if (c < 0x20)
            return NULL;   /* raw control characters are not allowed in JSON strings */
        if (c == '\\') {
            c = (unsigned char)*p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", *p++) || p[-1] == '\0')
                        return NULL;
            } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
                return NULL;
            }
        }
    }
}

static const char *json_number(const char *p)
{
    const char *start = p;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return p > start ? p : NULL;
}

static const char *json_value(const char *p, int depth)
{
    if (depth > 16)
        return NULL;
    p = json_ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        bool object = *p == '{';
        p = json_ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (object) {
                p = json_string(json_ws(p));
                if (!p)
                    return NULL;
                p = json_ws(p);
                if (*p++ != ':')
                    return NULL;
            }
            p = json_value(p, depth + 1);
            if (!p)
                return NULL;
            p = json_ws(p);
            if (*p == close)
                return p + 1;
            if (*p++ != ',')
                return NULL;
        }
    }
    if (*p == '"')
        return json_string(p);
    if (strncmp(p, "true", 4) == 0)
        return p + 4;
    if (strncmp(p, "false", 5) == 0)
        return p + 5;
    if (strncmp(p, "null", 4) == 0)
        return p + 4;
    return json_number(p);
}

/* ---- the target ------------------------------------------------------------------ */
static void check_text(const char *buf, size_t cap)
{
    const char *end = memchr(buf, 0, cap);
    if (!end)
        __builtin_trap();
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            __builtin_trap();
}

static void exercise(const struct rct_event_row *row, size_t cap)
{
    struct event_view ev;
    eventfmt_decode(row, &ev);
    const struct rct_event_type *et = rct_event_type_by_id(row->type);
    if ((ev.name != NULL) != (et != NULL) || ev.type != row->type || ev.ts != row->ts)
        __builtin_trap();
    if (ev.is_param_change && (ev.changed_oid != row->e2 ||
                               ev.changed != rct_registry_by_id(row->e2)))
        __builtin_trap();
    if (ev.has_code && !ev.code_kind)
        __builtin_trap();

    /* The one-line detail at the size the Events pane uses and at the input's size. */
    char line[512];
    eventfmt_detail(&ev, NULL, line, sizeof line);
    check_text(line, sizeof line);
    char *small = malloc(cap ? cap : 1);
    if (!small)
        return;
    small[0] = 'X';
    eventfmt_detail(&ev, NULL, small, cap);
    if (cap == 0 && small[0] != 'X')
        __builtin_trap();   /* nothing may be written into no room */
    if (cap) {
        check_text(small, cap);
        /* A shorter buffer holds the start of the same line. */
        if (strncmp(small, line, strlen(small)) != 0)
            __builtin_trap();
    }
    for (int i = 0; i < 2 && cap; i++) {
        eventfmt_param_value(&ev, i ? row->e4 : row->e3, small, cap);
        check_text(small, cap);
    }
    free(small);

    /* JSON Lines for `rcttop events --format=json`: one valid object. */
    char *json = NULL;
    size_t json_len = 0;
    FILE *out = open_memstream(&json, &json_len);
    if (!out)
        return;
    eventfmt_write_json(&ev, out);
    fclose(out);
    const char *end = json[0] == '{' ? json_value(json, 0) : NULL;
    if (!end || *json_ws(end) != '\0' || strlen(json) != json_len)
        __builtin_trap();
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* Byte 0 picks the small buffer's size; then rows of five big-endian words. */
    size_t cap = (size_t)data[0] % 100;
    size_t rows = 0;
    for (size_t pos = 1; pos + 20 <= size && rows < 64; pos += 20, rows++) {
        struct rct_event_row row = {be32(data + pos), be32(data + pos + 4), be32(data + pos + 8),
                                    be32(data + pos + 12), be32(data + pos + 16)};
        exercise(&row, cap);
    }
    return 0;
}
