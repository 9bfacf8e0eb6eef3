/* Value layer: typed decoding of response payloads, with exact length checks, and the
 * canonical text rendering shared by every command (JSON is tui/format/json.h). */
#ifndef RCT_VALUE_H
#define RCT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rct_type {
    RCT_TYPE_UNKNOWN = 0,
    RCT_TYPE_BOOL,
    RCT_TYPE_UINT8,
    RCT_TYPE_INT8,
    RCT_TYPE_UINT16,
    RCT_TYPE_INT16,
    RCT_TYPE_UINT32,
    RCT_TYPE_INT32,
    RCT_TYPE_FLOAT,
    RCT_TYPE_ENUM,
    RCT_TYPE_STRING,
    RCT_TYPE_TIMESERIES,
    RCT_TYPE_EVENT_TABLE,
    RCT_TYPE_BAT_STATUS,      /* battery_module_status */
    RCT_TYPE_BAT_STATISTICS,  /* battery_module_statistics */
    RCT_TYPE_BAT_RESISTANCE,  /* battery_module_resistance */
    RCT_TYPE_COUNT
};
/* Registry spelling ("float", "battery_module_status", ...). */
const char *rct_type_name(enum rct_type type);
enum rct_type rct_type_from_name(const char *name);  /* UNKNOWN if not a type name */
bool rct_type_is_scalar(enum rct_type type);          /* bool .. enum */

/* Bounds on decoded data: every payload that fits in a frame fits here. */
#define RCT_STRING_MAX 2044
#define RCT_TIMESERIES_MAX ((2048 - 8) / 8)
#define RCT_EVENT_TABLE_MAX ((2048 - 8) / 20)
#define RCT_BAT_CELLS 24

struct rct_ts_point { uint32_t ts; float value; };
struct rct_event_row { uint32_t type, ts, e2, e3, e4; };
/* The temperature byte is read as signed: LFP cells go below 0 °C in winter, and a raw
 * 254 is -2 °C, never 254 °C. */
struct rct_bat_cell { int8_t temp_c; uint16_t millivolt; uint8_t status; };
struct rct_bat_extreme { uint32_t cell; uint32_t ts; float value; };

struct rct_value {
    enum rct_type type;
    union {
        bool b;
        int64_t i;            /* every integer type and enum */
        float f;
        struct { char text[RCT_STRING_MAX + 1]; uint16_t len; } s;  /* up to first NUL */
        struct { uint32_t query_ts; uint16_t n; struct rct_ts_point p[RCT_TIMESERIES_MAX]; } ts;
        struct { uint32_t query_ts; uint16_t n; struct rct_event_row r[RCT_EVENT_TABLE_MAX]; } ev;
        struct rct_bat_cell cells[RCT_BAT_CELLS];
        struct { struct rct_bat_extreme u_min, u_max, t_min, t_max; } stats;
        uint16_t resistance_raw[RCT_BAT_CELLS]; /* 1/256 milliohm */
    } u;
};

enum rct_value_error {
    RCT_VALUE_OK = 0,
    RCT_VALUE_BAD_LENGTH,     /* payload size does not fit the type (truncated answer) */
    RCT_VALUE_UNKNOWN_TYPE,   /* the registry does not know how to decode it */
    RCT_VALUE_ERROR_COUNT
};
const char *rct_value_strerror(enum rct_value_error error);

/* Decodes payload as `type`. On error, *out is left with type set and no value. */
enum rct_value_error rct_value_decode(enum rct_type type, const uint8_t *payload,
                                      size_t len, struct rct_value *out);

/* A scalar as a double (bool 0/1, ints, float); false for strings and composites. */
bool rct_value_as_double(const struct rct_value *value, double *out);

/* Exact decimal when it has at most 9 significant digits, else the shortest one that
 * reads back as the same float32; "nan", "inf", "-inf". */
void rct_format_float(float value, char *buf, size_t cap);

/* Canonical text of a value as in the protocol vectors (`decoded` column): floats
 * shortest round-trip, bools true/false, strings as-is (not sanitised; see
 * rct_sanitize), composites in the vectors' compact form. Returns buf. */
const char *rct_value_format(const struct rct_value *value, char *buf, size_t cap);

/* Copies untrusted device text into buf for a terminal: control and non-ASCII bytes
 * become '?', at most cap-1 bytes. Returns buf. */
char *rct_sanitize(const char *text, size_t len, char *buf, size_t cap);

#endif
