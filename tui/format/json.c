/* The JSON writer: where each value goes (a comma, or none after a key or an opening),
 * strings escaped as untrusted text, non-finite numbers as null, and decoded values. */
#define _GNU_SOURCE
#include "tui/format/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void json_open(struct json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

bool json_open_buffer(struct json *j)
{
    memset(j, 0, sizeof *j);
    j->out = open_memstream(&j->buf, &j->len);
    return j->out != NULL;
}

char *json_close_buffer(struct json *j, size_t *len)
{
    bool ok = j->out && !ferror(j->out);
    if (j->out && fclose(j->out) != 0)
        ok = false;
    j->out = NULL;
    if (!ok) {
        free(j->buf);
        j->buf = NULL;
        j->len = 0;
    }
    *len = j->len;
    return j->buf;
}

/* Before a value: the comma that separates it from the one before, unless a key leads. */
static void value_starts(struct json *j)
{
    if (!j->after_key && j->more[j->depth])
        fputc(',', j->out);
    j->after_key = false;
    j->more[j->depth] = true;
}

static void open_with(struct json *j, char opener, char closer)
{
    value_starts(j);
    fputc(opener, j->out);
    /* Deeper than JSON_DEPTH_MAX is no output of ours; the commas there would be wrong. */
    if (j->depth < JSON_DEPTH_MAX) {
        j->closer[j->depth++] = closer;
        j->more[j->depth] = false;
    }
}

void json_object(struct json *j)
{
    open_with(j, '{', '}');
}

void json_array(struct json *j)
{
    open_with(j, '[', ']');
}

void json_end(struct json *j)
{
    if (j->depth > 0)
        fputc(j->closer[--j->depth], j->out);
}

/* The length of a well-formed UTF-8 sequence at s (no overlongs, no surrogates, at most
 * U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

static void put_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: {
            /* Well-formed UTF-8 (our own "°C") passes as it is; any other byte is untrusted
             * and escaped as the Latin-1 character it would be. */
            size_t seq = c >= 0x80 ? utf8_sequence((const unsigned char *)s + i, len - i) : 0;
            if (seq) {
                fwrite(s + i, 1, seq, out);
                i += seq - 1;
            } else if (c < 0x20 || c >= 0x7F) {
                fprintf(out, "\\u%04x", c);
            } else {
                fputc(c, out);
            }
        }
        }
    }
    fputc('"', out);
}

void json_string_n(struct json *j, const char *s, size_t len)
{
    value_starts(j);
    put_string(j->out, s, len);
}

/* A key is escaped as any string: an evidence name can carry a device's serial. */
void json_key(struct json *j, const char *key)
{
    if (j->more[j->depth])
        fputc(',', j->out);
    put_string(j->out, key, strlen(key));
    fputc(':', j->out);
    j->more[j->depth] = true;
    j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
    if (s)
        json_string_n(j, s, strlen(s));
    else
        json_null(j);
}

void json_stringf(struct json *j, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_string(j, text);
}

void json_null(struct json *j)
{
    value_starts(j);
    fputs("null", j->out);
}

void json_number(struct json *j, double v)
{
    if (!isfinite(v)) {
        json_null(j);
        return;
    }
    value_starts(j);
    fprintf(j->out, "%.10g", v);
}

void json_fixed(struct json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        json_null(j);
        return;
    }
    value_starts(j);
    fprintf(j->out, "%.*f", decimals, v);
}

void json_float(struct json *j, float v)
{
    if (!isfinite(v)) {
        json_null(j);
        return;
    }
    char text[48];
    rct_format_float(v, text, sizeof text);
    value_starts(j);
    fputs(text, j->out);
}

void json_int(struct json *j, long long v)
{
    value_starts(j);
    fprintf(j->out, "%lld", v);
}

void json_uint(struct json *j, uint64_t v)
{
    value_starts(j);
    fprintf(j->out, "%" PRIu64, v);
}

void json_bool(struct json *j, bool v)
{
    value_starts(j);
    fputs(v ? "true" : "false", j->out);
}

static void extreme(struct json *j, const char *name, const struct rct_bat_extreme *e)
{
    json_key(j, name);
    json_object(j);
    /* Cells numbered 1..24 as everywhere in rcttop: the device's index plus one. */
    json_key(j, "cell");
    json_uint(j, (uint64_t)e->cell + 1);
    json_key(j, "ts");
    json_uint(j, e->ts);
    json_key(j, "value");
    json_float(j, e->value);
    json_end(j);
}

static void timeseries(struct json *j, const struct rct_value *v)
{
    json_object(j);
    json_key(j, "query_ts");
    json_uint(j, v->u.ts.query_ts);
    json_key(j, "points");
    json_array(j);
    for (size_t i = 0; i < v->u.ts.n; i++) {
        json_object(j);
        json_key(j, "ts");
        json_uint(j, v->u.ts.p[i].ts);
        json_key(j, "value");
        json_float(j, v->u.ts.p[i].value);
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

static void event_table(struct json *j, const struct rct_value *v)
{
    json_object(j);
    json_key(j, "query_ts");
    json_uint(j, v->u.ev.query_ts);
    json_key(j, "events");
    json_array(j);
    for (size_t i = 0; i < v->u.ev.n; i++) {
        const struct rct_event_row *r = &v->u.ev.r[i];
        const char *const names[] = {"type", "ts", "e2", "e3", "e4"};
        const uint32_t fields[] = {r->type, r->ts, r->e2, r->e3, r->e4};
        json_object(j);
        for (int k = 0; k < 5; k++) {
            json_key(j, names[k]);
            json_uint(j, fields[k]);
        }
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

static void cells(struct json *j, const struct rct_value *v)
{
    json_array(j);
    for (size_t i = 0; i < RCT_BAT_CELLS; i++) {
        const struct rct_bat_cell *c = &v->u.cells[i];
        json_object(j);
        json_key(j, "cell");
        json_uint(j, i + 1);
        json_key(j, "temp_c");
        json_int(j, c->temp_c);
        json_key(j, "mv");
        json_uint(j, c->millivolt);
        json_key(j, "status");
        json_uint(j, c->status);
        json_end(j);
    }
    json_end(j);
}

void json_value(struct json *j, const struct rct_value *v)
{
    switch (v->type) {
    case RCT_TYPE_BOOL: json_bool(j, v->u.b); break;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: case RCT_TYPE_ENUM:
        json_int(j, (long long)v->u.i);
        break;
    case RCT_TYPE_FLOAT: json_float(j, v->u.f); break;
    case RCT_TYPE_STRING: json_string_n(j, v->u.s.text, v->u.s.len); break;
    case RCT_TYPE_TIMESERIES: timeseries(j, v); break;
    case RCT_TYPE_EVENT_TABLE: event_table(j, v); break;
    case RCT_TYPE_BAT_STATUS: cells(j, v); break;
    case RCT_TYPE_BAT_STATISTICS:
        json_object(j);
        extreme(j, "u_min", &v->u.stats.u_min);
        extreme(j, "u_max", &v->u.stats.u_max);
        extreme(j, "t_min", &v->u.stats.t_min);
        extreme(j, "t_max", &v->u.stats.t_max);
        json_end(j);
        break;
    case RCT_TYPE_BAT_RESISTANCE:
        json_array(j);
        for (size_t i = 0; i < RCT_BAT_CELLS; i++) {
            json_object(j);
            json_key(j, "cell");
            json_uint(j, i + 1);
            json_key(j, "mohm");
            json_fixed(j, v->u.resistance_raw[i] / 256.0, 4);
            json_end(j);
        }
        json_end(j);
        break;
    default: json_null(j); break;
    }
}
