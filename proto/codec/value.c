/* Typed decoding of payloads with exact length checks, and the one canonical way to
 * print a value as text, shared by decode, get, dump and the panes (JSON: tui/format). */
#include "proto/codec/value.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[RCT_TYPE_COUNT] = {
    [RCT_TYPE_UNKNOWN] = "unknown",
    [RCT_TYPE_BOOL] = "bool",
    [RCT_TYPE_UINT8] = "uint8",
    [RCT_TYPE_INT8] = "int8",
    [RCT_TYPE_UINT16] = "uint16",
    [RCT_TYPE_INT16] = "int16",
    [RCT_TYPE_UINT32] = "uint32",
    [RCT_TYPE_INT32] = "int32",
    [RCT_TYPE_FLOAT] = "float",
    [RCT_TYPE_ENUM] = "enum",
    [RCT_TYPE_STRING] = "string",
    [RCT_TYPE_TIMESERIES] = "timeseries",
    [RCT_TYPE_EVENT_TABLE] = "event_table",
    [RCT_TYPE_BAT_STATUS] = "battery_module_status",
    [RCT_TYPE_BAT_STATISTICS] = "battery_module_statistics",
    [RCT_TYPE_BAT_RESISTANCE] = "battery_module_resistance",
};

const char *rct_type_name(enum rct_type type)
{
    return (unsigned)type < RCT_TYPE_COUNT ? type_names[type] : "unknown";
}

enum rct_type rct_type_from_name(const char *name)
{
    for (int t = 0; t < RCT_TYPE_COUNT; t++)
        if (name && strcmp(name, type_names[t]) == 0)
            return (enum rct_type)t;
    return RCT_TYPE_UNKNOWN;
}

bool rct_type_is_scalar(enum rct_type type)
{
    return type >= RCT_TYPE_BOOL && type <= RCT_TYPE_ENUM;
}

const char *rct_value_strerror(enum rct_value_error error)
{
    switch (error) {
    case RCT_VALUE_OK: return "ok";
    case RCT_VALUE_BAD_LENGTH: return "payload length does not fit the type";
    case RCT_VALUE_UNKNOWN_TYPE: return "unknown data type";
    case RCT_VALUE_ERROR_COUNT: break;
    }
    return "unknown error";
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static float bits_to_float(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* Bytes a fixed-size type needs; 0 for variable or unknown sizes. */
static size_t fixed_size(enum rct_type type)
{
    switch (type) {
    case RCT_TYPE_BOOL: case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_ENUM:
        return 1;
    case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
        return 2;
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: case RCT_TYPE_FLOAT:
        return 4;
    case RCT_TYPE_BAT_STATUS: case RCT_TYPE_BAT_RESISTANCE:
        return RCT_BAT_CELLS * 4;
    case RCT_TYPE_BAT_STATISTICS:
        return 48;
    default:
        return 0;
    }
}

static void decode_extreme(const uint8_t *p, struct rct_bat_extreme *out)
{
    out->cell = le32(p);
    out->ts = le32(p + 4);
    out->value = bits_to_float(le32(p + 8));
}

enum rct_value_error rct_value_decode(enum rct_type type, const uint8_t *payload,
                                      size_t len, struct rct_value *out)
{
    out->type = type;
    size_t need = fixed_size(type);
    if (need && len != need)
        return RCT_VALUE_BAD_LENGTH;

    switch (type) {
    case RCT_TYPE_BOOL: out->u.b = payload[0] != 0; break;
    case RCT_TYPE_UINT8: case RCT_TYPE_ENUM: out->u.i = payload[0]; break;
    case RCT_TYPE_INT8: out->u.i = (int8_t)payload[0]; break;
    case RCT_TYPE_UINT16: out->u.i = (uint16_t)(payload[0] << 8 | payload[1]); break;
    case RCT_TYPE_INT16: out->u.i = (int16_t)(uint16_t)(payload[0] << 8 | payload[1]); break;
    case RCT_TYPE_UINT32: out->u.i = be32(payload); break;
    case RCT_TYPE_INT32: out->u.i = (int32_t)be32(payload); break;
    case RCT_TYPE_FLOAT: out->u.f = bits_to_float(be32(payload)); break;
    case RCT_TYPE_STRING: {
        if (len > RCT_STRING_MAX)
            return RCT_VALUE_BAD_LENGTH;
        const uint8_t *nul = len ? memchr(payload, 0, len) : NULL;
        size_t n = nul ? (size_t)(nul - payload) : len;
        if (n)
            memcpy(out->u.s.text, payload, n);
        out->u.s.text[n] = '\0';
        out->u.s.len = (uint16_t)n;
        break;
    }
    case RCT_TYPE_TIMESERIES: {
        if (len < 4 || (len - 4) % 8 != 0 || (len - 4) / 8 > RCT_TIMESERIES_MAX)
            return RCT_VALUE_BAD_LENGTH;
        out->u.ts.query_ts = be32(payload);
        out->u.ts.n = (uint16_t)((len - 4) / 8);
        for (size_t i = 0; i < out->u.ts.n; i++) {
            const uint8_t *p = payload + 4 + i * 8;
            out->u.ts.p[i].ts = be32(p);
            out->u.ts.p[i].value = bits_to_float(be32(p + 4));
        }
        break;
    }
    case RCT_TYPE_EVENT_TABLE: {
        if (len < 4 || (len - 4) % 20 != 0 || (len - 4) / 20 > RCT_EVENT_TABLE_MAX)
            return RCT_VALUE_BAD_LENGTH;
        out->u.ev.query_ts = be32(payload);
        out->u.ev.n = (uint16_t)((len - 4) / 20);
        for (size_t i = 0; i < out->u.ev.n; i++) {
            const uint8_t *p = payload + 4 + i * 20;
            struct rct_event_row *row = &out->u.ev.r[i];
            row->type = be32(p);
            row->ts = be32(p + 4);
            row->e2 = be32(p + 8);
            row->e3 = be32(p + 12);
            row->e4 = be32(p + 16);
        }
        break;
    }
    case RCT_TYPE_BAT_STATUS:
        for (size_t i = 0; i < RCT_BAT_CELLS; i++) {
            const uint8_t *p = payload + i * 4;
            out->u.cells[i].temp_c = (int8_t)p[0];
            out->u.cells[i].millivolt = (uint16_t)(p[1] | p[2] << 8);
            out->u.cells[i].status = p[3];
        }
        break;
    case RCT_TYPE_BAT_STATISTICS:
        decode_extreme(payload, &out->u.stats.u_min);
        decode_extreme(payload + 12, &out->u.stats.u_max);
        decode_extreme(payload + 24, &out->u.stats.t_min);
        decode_extreme(payload + 36, &out->u.stats.t_max);
        break;
    case RCT_TYPE_BAT_RESISTANCE:
        for (size_t i = 0; i < RCT_BAT_CELLS; i++)
            out->u.resistance_raw[i] = (uint16_t)(payload[i * 4] << 8 | payload[i * 4 + 1]);
        break;
    default:
        return RCT_VALUE_UNKNOWN_TYPE;
    }
    return RCT_VALUE_OK;
}

bool rct_value_as_double(const struct rct_value *value, double *out)
{
    switch (value->type) {
    case RCT_TYPE_BOOL: *out = value->u.b ? 1.0 : 0.0; return true;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: case RCT_TYPE_ENUM:
        *out = (double)value->u.i;
        return true;
    case RCT_TYPE_FLOAT: *out = value->u.f; return true;
    default: return false;
    }
}

void rct_format_float(float value, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (isnan(value)) {
        snprintf(buf, cap, "nan");
        return;
    }
    if (isinf(value)) {
        snprintf(buf, cap, value < 0 ? "-inf" : "inf");
        return;
    }
    /* A value whose exact binary value has a short decimal form is printed exactly
     * (3898786.75, as devices' tools show it); any other as the fewest significant
     * digits that read back as the same float32 (0.2962766, not 0.296276599). */
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.9g", (double)value);
    if (strtod(tmp, NULL) != (double)value) {
        for (int precision = 1; precision <= 9; precision++) {
            snprintf(tmp, sizeof tmp, "%.*g", precision, (double)value);
            if (strtof(tmp, NULL) == value)
                break;
        }
    }
    /* Keep integral values recognisably floating point ("32768.0"), as the vectors do. */
    if (!strpbrk(tmp, ".e"))
        strncat(tmp, ".0", sizeof tmp - strlen(tmp) - 1);
    snprintf(buf, cap, "%s", tmp);
}

/* A bounded appender: output is cut at cap, never overrun. */
struct sbuf { char *buf; size_t cap, len; };

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    if (sb->len + 1 >= sb->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        sb->len = sb->len + (size_t)n < sb->cap ? sb->len + (size_t)n : sb->cap - 1;
}

static void sb_float(struct sbuf *sb, float value)
{
    char tmp[48];
    rct_format_float(value, tmp, sizeof tmp);
    sb_printf(sb, "%s", tmp);
}

static void format_extreme(struct sbuf *sb, const char *name, const struct rct_bat_extreme *e)
{
    sb_printf(sb, "%s=cell%u@%u:", name, (unsigned)e->cell, (unsigned)e->ts);
    sb_float(sb, e->value);
}

const char *rct_value_format(const struct rct_value *value, char *buf, size_t cap)
{
    struct sbuf sb = {buf, cap, 0};
    if (cap)
        buf[0] = '\0';
    switch (value->type) {
    case RCT_TYPE_BOOL: sb_printf(&sb, "%s", value->u.b ? "true" : "false"); break;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: case RCT_TYPE_ENUM:
        sb_printf(&sb, "%lld", (long long)value->u.i);
        break;
    case RCT_TYPE_FLOAT: sb_float(&sb, value->u.f); break;
    case RCT_TYPE_STRING: sb_printf(&sb, "%s", value->u.s.text); break;
    case RCT_TYPE_TIMESERIES:
        sb_printf(&sb, "query=%u", (unsigned)value->u.ts.query_ts);
        if (value->u.ts.n == 0)
            sb_printf(&sb, ";(no pairs)");
        for (size_t i = 0; i < value->u.ts.n; i++) {
            sb_printf(&sb, ";%u=", (unsigned)value->u.ts.p[i].ts);
            sb_float(&sb, value->u.ts.p[i].value);
        }
        break;
    case RCT_TYPE_EVENT_TABLE:
        sb_printf(&sb, "query=%u", (unsigned)value->u.ev.query_ts);
        for (size_t i = 0; i < value->u.ev.n; i++) {
            const struct rct_event_row *r = &value->u.ev.r[i];
            sb_printf(&sb, ";type=0x%02X ts=%u e2=0x%08X e3=0x%08X e4=0x%08X",
                      (unsigned)r->type, (unsigned)r->ts, (unsigned)r->e2,
                      (unsigned)r->e3, (unsigned)r->e4);
        }
        break;
    case RCT_TYPE_BAT_STATUS:
        for (size_t i = 0; i < RCT_BAT_CELLS; i++) {
            const struct rct_bat_cell *c = &value->u.cells[i];
            sb_printf(&sb, "%sc%zu=%dC/%umV/s%u", i ? " " : "", i, (int)c->temp_c,
                      (unsigned)c->millivolt, (unsigned)c->status);
        }
        break;
    case RCT_TYPE_BAT_STATISTICS:
        format_extreme(&sb, "u_min", &value->u.stats.u_min);
        sb_printf(&sb, " ");
        format_extreme(&sb, "u_max", &value->u.stats.u_max);
        sb_printf(&sb, " ");
        format_extreme(&sb, "t_min", &value->u.stats.t_min);
        sb_printf(&sb, " ");
        format_extreme(&sb, "t_max", &value->u.stats.t_max);
        break;
    case RCT_TYPE_BAT_RESISTANCE:
        sb_printf(&sb, "raw(1/256 mOhm)=");
        for (size_t i = 0; i < RCT_BAT_CELLS; i++)
            sb_printf(&sb, "%s%u", i ? "," : "", (unsigned)value->u.resistance_raw[i]);
        break;
    default:
        sb_printf(&sb, "?");
        break;
    }
    return buf;
}

char *rct_sanitize(const char *text, size_t len, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        buf[n++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    buf[n] = '\0';
    return buf;
}
