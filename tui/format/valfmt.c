/* Human formatting of values for screens and text output; the canonical machine forms
 * are proto/codec/value.c's text (rct_value_format) and tui/format/json.c's JSON. */
#include "tui/format/valfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto/core/store.h"
#include "widgets/text.h"

bool valfmt_is_fraction(const struct rct_oid_info *info)
{
    return info && strcmp(info->unit, "%") == 0;
}

bool valfmt_number(const struct rct_oid_info *info, const struct rct_value *value,
                   double *out)
{
    if (!rct_value_as_double(value, out))
        return false;
    if (valfmt_is_fraction(info))
        *out *= 100.0;
    return true;
}

/* Enough digits to be useful, not so many that noise looks like precision; trailing
 * zeros dropped so 7 % reads "7 %", not "7.000 %". */
static void format_number(double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (isnan(v)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, cap, v < 0 ? "-inf" : "inf");
        return;
    }
    if (a != 0 && (a >= 1e9 || a < 1e-3)) {
        snprintf(buf, cap, "%.3g", v);  /* "3.4e+38": absurd values stay short */
        return;
    }
    int decimals = a >= 100 ? 1 : a >= 1 ? 2 : 3;
    snprintf(buf, cap, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, cap, "0");
}

/* "%.*f" with the integer part grouped by thousands: "7 405.0". */
static void grouped(double v, int decimals, char *buf, size_t cap)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    text_group(raw, buf, cap);
}

bool valfmt_quantity(double v, const char *unit, char *buf, size_t cap)
{
    bool large_ok = strcmp(unit, "Wh") == 0 || strcmp(unit, "Ohm") == 0;
    if (!isfinite(v) || (fabs(v) >= 1e6 && !(large_ok && fabs(v) < 1e15))) {
        if (strcmp(unit, "W") == 0) {
            valfmt_power(v, false, buf, cap);
            return true;
        }
        return false;  /* the generic short forms: NaN, inf, 3.4e+38 */
    }
    char num[64];
    if (strcmp(unit, "V") == 0 || strcmp(unit, "°C") == 0 || strcmp(unit, "%") == 0) {
        snprintf(num, sizeof num, "%.1f", v);
    } else if (strcmp(unit, "Hz") == 0 || strcmp(unit, "A") == 0) {
        snprintf(num, sizeof num, "%.2f", v);
    } else if (strcmp(unit, "W") == 0) {
        valfmt_power(v, false, buf, cap);
        return true;
    } else if (strcmp(unit, "Ohm") == 0) {
        /* Insulation: what the installer's meter says, 3.20 MOhm, 850.0 kOhm. */
        if (fabs(v) >= 1e6)
            snprintf(buf, cap, "%.2f MOhm", v / 1e6);
        else if (fabs(v) >= 1e3)
            snprintf(buf, cap, "%.1f kOhm", v / 1e3);
        else
            snprintf(buf, cap, "%.0f Ohm", v);
        return true;
    } else if (strcmp(unit, "Wh") == 0) {
        if (fabs(v) >= 1e9) {
            grouped(v / 1e6, 1, num, sizeof num);
            snprintf(buf, cap, "%s MWh", num);
        } else if (fabs(v) >= 10000) {
            grouped(v / 1000.0, 1, num, sizeof num);
            snprintf(buf, cap, "%s kWh", num);
        } else {
            grouped(v, 0, num, sizeof num);
            snprintf(buf, cap, "%s Wh", num);
        }
        return true;
    } else {
        return false;
    }
    if (strcmp(num, "-0.0") == 0 || strcmp(num, "-0.00") == 0)
        memmove(num, num + 1, strlen(num));
    snprintf(buf, cap, "%s %s", num, unit);
    return true;
}

const char *valfmt_display(const struct rct_oid_info *info, const struct rct_value *value,
                           char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    const char *unit = info ? info->unit : "";
    char num[64];
    switch (value->type) {
    case RCT_TYPE_FLOAT: {
        double v = value->u.f;
        if (valfmt_is_fraction(info))
            v *= 100.0;
        if (valfmt_quantity(v, unit, buf, cap))
            return buf;
        format_number(v, num, sizeof num);
        snprintf(buf, cap, "%s%s%s", num, *unit ? " " : "", unit);
        return buf;
    }
    case RCT_TYPE_ENUM: {
        const char *label = info ? rct_enum_label(info->oid, (uint32_t)value->u.i) : NULL;
        if (label)
            snprintf(buf, cap, "%s (%lld)", label, (long long)value->u.i);
        else
            snprintf(buf, cap, "%lld", (long long)value->u.i);
        return buf;
    }
    case RCT_TYPE_BOOL:
        snprintf(buf, cap, "%s", value->u.b ? "yes" : "no");
        return buf;
    case RCT_TYPE_UINT8: case RCT_TYPE_INT8: case RCT_TYPE_UINT16: case RCT_TYPE_INT16:
    case RCT_TYPE_UINT32: case RCT_TYPE_INT32: {
        double v = (double)value->u.i;
        if (valfmt_is_fraction(info)) {
            format_number(v * 100.0, num, sizeof num);
        } else {
            snprintf(num, sizeof num, "%lld", (long long)value->u.i);
        }
        snprintf(buf, cap, "%s%s%s", num, *unit ? " " : "", unit);
        return buf;
    }
    case RCT_TYPE_STRING:
        return rct_sanitize(value->u.s.text, value->u.s.len, buf, cap);
    default: {
        /* Composites: the canonical compact form, sanitised for the terminal. */
        char raw[512];
        rct_value_format(value, raw, sizeof raw);
        return rct_sanitize(raw, strlen(raw), buf, cap);
    }
    }
}

const char *valfmt_power(double watts, bool magnitude_only, char *buf, size_t cap)
{
    if (isnan(watts)) {
        snprintf(buf, cap, "NaN W");
        return buf;
    }
    double v = magnitude_only ? fabs(watts) : watts;
    double a = fabs(v);
    const char *sign = v < 0 ? "-" : "";
    if (a < 0.5) {
        snprintf(buf, cap, "0 W");
    } else if (a < 9999.5) {
        long w = lround(a);
        if (w >= 1000)
            snprintf(buf, cap, "%s%ld %03ld W", sign, w / 1000, w % 1000);
        else
            snprintf(buf, cap, "%s%ld W", sign, w);
    } else if (a < 99950) {
        snprintf(buf, cap, "%s%.1f kW", sign, a / 1e3);
    } else if (a < 999500) {
        snprintf(buf, cap, "%s%.0f kW", sign, a / 1e3);
    } else if (a < 99.95e6) {
        snprintf(buf, cap, "%s%.1f MW", sign, a / 1e6);
    } else if (a < 999.5e6) {
        snprintf(buf, cap, "%s%.0f MW", sign, a / 1e6);
    } else {
        snprintf(buf, cap, "%s999 MW", v < 0 ? "<-" : ">");
    }
    return buf;
}

int valfmt_reading_order(const void *a, const void *b)
{
    const struct rct_oid_info *x = *(const struct rct_oid_info *const *)a;
    const struct rct_oid_info *y = *(const struct rct_oid_info *const *)b;
    bool xi = x->kind == RCT_KIND_IDENTITY, yi = y->kind == RCT_KIND_IDENTITY;
    if (xi != yi)
        return xi ? -1 : 1;
    int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->name, y->name);
}

bool valfmt_store_number(const struct store *store, const char *name, double *v)
{
    const struct rct_oid_info *info = rct_registry_by_name(name);
    if (!info || !store_number(store, info->oid, v) || !isfinite(*v))
        return false;
    if (valfmt_is_fraction(info))
        *v *= 100.0;
    return true;
}
