/* Event-table rows into words: the three type-specific words of each row mean what
 * events.csv says they mean for that type, and nothing is guessed for unknown types. */
#include "tui/format/eventfmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "tui/format/json.h"
#include "tui/format/timearg.h"
#include "tui/format/valfmt.h"

static float bits_to_float(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void take_element(struct event_view *ev, const char *meaning, uint32_t raw)
{
    if (strcmp(meaning, "End timestamp") == 0) {
        ev->has_end = true;
        ev->end = raw;
    } else if (strcmp(meaning, "Float value") == 0) {
        ev->has_value = true;
        ev->value = bits_to_float(raw);
    } else if (strcmp(meaning, "Case number") == 0 || strcmp(meaning, "Error code") == 0) {
        ev->has_code = true;
        ev->code = raw;
        ev->code_kind = meaning[0] == 'C' ? "case" : "error code";
    }
}

void eventfmt_decode(const struct rct_event_row *row, struct event_view *out)
{
    memset(out, 0, sizeof *out);
    out->type = row->type;
    out->ts = row->ts;
    out->e2 = row->e2;
    out->e3 = row->e3;
    out->e4 = row->e4;
    const struct rct_event_type *et = rct_event_type_by_id(row->type);
    /* Event types share their number with the fault bit of the same condition, except
     * PHASE_POS (0x61), whose bit means something else. */
    if (row->type < RCT_FAULT_BITS && row->type != 0x61)
        out->description = rct_fault_label(row->type);
    if (!et)
        return;
    out->name = et->name;
    if (strcmp(et->element[0], "Object ID") == 0) {
        out->is_param_change = true;
        out->changed_oid = row->e2;
        out->changed = rct_registry_by_id(row->e2);
        out->old_raw = row->e3;
        out->new_raw = row->e4;
        return;
    }
    if (strcmp(et->name, "UPDATE") == 0) {
        out->is_update = true;
        out->old_raw = row->e3;
        out->new_raw = row->e4;
        return;
    }
    const uint32_t raw[3] = {row->e2, row->e3, row->e4};
    for (int i = 0; i < 3; i++)
        take_element(out, et->element[i], raw[i]);
}

const char *eventfmt_param_value(const struct event_view *ev, uint32_t raw, char *buf,
                                 size_t cap)
{
    struct rct_value v;
    enum rct_type type = ev->changed ? ev->changed->response_type : RCT_TYPE_UNKNOWN;
    /* The row holds the value in a 32-bit word: floats as their bit pattern, integers
     * and enums as numbers. */
    uint8_t bytes[4] = {(uint8_t)(raw >> 24), (uint8_t)(raw >> 16), (uint8_t)(raw >> 8),
                        (uint8_t)raw};
    switch (type) {
    case RCT_TYPE_FLOAT:
    case RCT_TYPE_UINT32:
    case RCT_TYPE_INT32:
        rct_value_decode(type, bytes, 4, &v);
        break;
    case RCT_TYPE_UINT16:
    case RCT_TYPE_INT16:
        rct_value_decode(type, bytes + 2, 2, &v);
        break;
    case RCT_TYPE_BOOL:
    case RCT_TYPE_UINT8:
    case RCT_TYPE_INT8:
    case RCT_TYPE_ENUM:
        rct_value_decode(type, bytes + 3, 1, &v);
        break;
    default:
        snprintf(buf, cap, "0x%08" PRIX32, raw);
        return buf;
    }
    return valfmt_display(ev->changed, &v, buf, cap);
}

static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));


static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

static void format_duration(int64_t seconds, char *buf, size_t cap)
{
    if (seconds < 60)
        snprintf(buf, cap, "%lld s", (long long)seconds);
    else if (seconds < 3600)
        snprintf(buf, cap, "%lld min %lld s", (long long)(seconds / 60),
                 (long long)(seconds % 60));
    else if (seconds < 86400)
        snprintf(buf, cap, "%lld h %lld min", (long long)(seconds / 3600),
                 (long long)(seconds % 3600 / 60));
    else
        snprintf(buf, cap, "%lld d %lld h", (long long)(seconds / 86400),
                 (long long)(seconds % 86400 / 3600));
}

const char *eventfmt_detail(const struct event_view *ev, const struct devclock *clock, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    if (ev->name)
        append(buf, cap, &len, "%s", ev->name);
    else
        append(buf, cap, &len, "type 0x%02" PRIX32, ev->type);
    if (ev->description)
        append(buf, cap, &len, "  %s", ev->description);
    if (ev->is_param_change) {
        char old_text[96], new_text[96];
        eventfmt_param_value(ev, ev->old_raw, old_text, sizeof old_text);
        eventfmt_param_value(ev, ev->new_raw, new_text, sizeof new_text);
        if (ev->changed)
            append(buf, cap, &len, "  %s: %s -> %s", ev->changed->name, old_text, new_text);
        else
            append(buf, cap, &len, "  OID 0x%08" PRIX32 ": %s -> %s", ev->changed_oid,
                   old_text, new_text);
        return buf;
    }
    if (ev->is_update) {
        append(buf, cap, &len, "  version %" PRIu32 " -> %" PRIu32, ev->old_raw, ev->new_raw);
        return buf;
    }
    if (ev->has_end) {
        if (ev->end == 0) {
            append(buf, cap, &len, "  still active");
        } else if (ev->end >= ev->ts) {
            char when[32], dur[32];
            devclock_format(clock, ev->end, when, sizeof when);
            format_duration(ev->end - ev->ts, dur, sizeof dur);
            append(buf, cap, &len, "  until %s (%s)", when + 11, dur);
        } else {
            append(buf, cap, &len, "  end before start (%" PRId64 ")", ev->end);
        }
    }
    if (ev->has_value) {
        /* The unit from what the event is about: a voltage or a frequency limit. */
        const char *n = ev->name ? ev->name : "";
        const char *unit = strstr(n, "FMIN") || strstr(n, "FMAX") ? "Hz"
                           : strstr(n, "UMIN") || strstr(n, "UMAX") || strstr(n, "VOLTAGE") ||
                                     !strncmp(n, "UL_", 3) ? "V" : "";
        char num[48];
        if (!*unit || !valfmt_quantity(ev->value, unit, num, sizeof num))
            rct_format_float(ev->value, num, sizeof num);
        append(buf, cap, &len, "  value %s", num);
    }
    if (ev->has_code)
        append(buf, cap, &len, "  %s %" PRIu32, ev->code_kind, ev->code);
    if (!ev->name)
        append(buf, cap, &len, "  e2=0x%08" PRIX32 " e3=0x%08" PRIX32 " e4=0x%08" PRIX32,
               ev->e2, ev->e3, ev->e4);
    return buf;
}

void eventfmt_write_json(const struct event_view *ev, FILE *out)
{
    struct json j;
    json_open(&j, out);
    json_object(&j);
    json_key(&j, "type");
    json_uint(&j, ev->type);
    json_key(&j, "name");
    json_string(&j, ev->name);
    json_key(&j, "description");
    json_string(&j, ev->description);
    json_key(&j, "ts");
    json_int(&j, ev->ts);
    if (ev->has_end) {
        json_key(&j, "end_ts");
        if (ev->end)
            json_int(&j, ev->end);
        else
            json_null(&j);
        json_key(&j, "duration_s");
        if (ev->end)
            json_int(&j, ev->end >= ev->ts ? ev->end - ev->ts : 0);
        else
            json_null(&j);
    }
    if (ev->has_value) {
        json_key(&j, "value");
        json_float(&j, ev->value);
    }
    if (ev->has_code) {
        json_key(&j, ev->code_kind[0] == 'c' ? "case" : "error_code");
        json_uint(&j, ev->code);
    }
    if (ev->is_param_change) {
        char text[96];
        json_key(&j, "oid");
        json_stringf(&j, "0x%08" PRIX32, ev->changed_oid);
        json_key(&j, "oid_name");
        json_string(&j, ev->changed ? ev->changed->name : NULL);
        json_key(&j, "old");
        json_string(&j, eventfmt_param_value(ev, ev->old_raw, text, sizeof text));
        json_key(&j, "new");
        json_string(&j, eventfmt_param_value(ev, ev->new_raw, text, sizeof text));
    }
    if (ev->is_update) {
        json_key(&j, "old_version");
        json_uint(&j, ev->old_raw);
        json_key(&j, "new_version");
        json_uint(&j, ev->new_raw);
    }
    const char *const names[] = {"e2", "e3", "e4"};
    const uint32_t fields[] = {ev->e2, ev->e3, ev->e4};
    for (int k = 0; k < 3; k++) {
        json_key(&j, names[k]);
        json_uint(&j, fields[k]);
    }
    json_end(&j);
}
