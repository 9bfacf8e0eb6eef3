/* libFuzzer target: arbitrary device bytes as a string value through rct_sanitize and
 * valfmt_display, and through text_width/text_fit: no control bytes out, never too wide. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "tui/format/valfmt.h"
#include "widgets/glyphs.h"
#include "widgets/text.h"

/* OIDs whose info changes how valfmt_display renders: unit, "%" fraction, enum labels,
 * a string, a composite; NULL info too. */
static const uint32_t oids[] = {
    0x16A1F844, /* battery.bms_sn: string */
    0x959930BF, /* battery.soc: float, "%" */
    0x65EED11B, /* battery.voltage: float, V */
    0x5F33284E, /* prim_sm.state: enum with labels */
    0x0CC4BDAA, /* detect_phase_shift_enable: bool */
    0x07C61FAD, /* adc.u_ref_1_5v[0]: uint16, V */
    0x1348AB07, /* battery.cells[4]: battery_module_status */
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* As rcttop runs on a UTF-8 terminal: wide and zero-width characters count. */
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "");
    return 0;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
}

/* buf must hold a string that ends inside its cap bytes. */
static void check_bounded(const char *buf, size_t cap)
{
    if (cap && memchr(buf, 0, cap) == NULL)
        __builtin_trap();
}

static void check_fit(const char *s, int width, size_t cap)
{
    char *buf = malloc(cap ? cap : 1);
    if (!buf)
        return;
    for (int utf8 = 0; utf8 < 2; utf8++) {
        const struct wglyphs *g = glyphs_get(utf8);
        const char *out = text_fit(s, width, g, buf, cap);
        if (out != buf)
            __builtin_trap();
        if (cap == 0)
            continue;
        check_bounded(buf, cap);
        int w = text_width(buf);
        if (w < 0 || w > (width > 0 ? width : 0))
            __builtin_trap();
        /* What fits whole comes back whole (a width of 0 or less always gives ""). */
        if (width > 0 && text_width(s) <= width && strlen(s) < cap && strcmp(buf, s) != 0)
            __builtin_trap();
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    /* Byte 0: the width asked for; byte 1: the buffer size; the rest: the device's bytes. */
    int width = (int)(data[0] % 130) - 2;
    size_t cap = (size_t)data[1] * 5 % 1100;
    const uint8_t *raw = data + 2;
    size_t len = size - 2;

    /* rct_sanitize: printable ASCII only, everything that fits, and always a string. */
    size_t scap = cap ? cap : 1;
    char *clean = malloc(scap);
    if (!clean)
        return 0;
    rct_sanitize((const char *)raw, len, clean, scap);
    check_bounded(clean, scap);
    size_t n = strlen(clean);
    if (n != (len < scap - 1 ? len : scap - 1))
        __builtin_trap();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)clean[i] < 0x20 || (unsigned char)clean[i] >= 0x7F)
            __builtin_trap();

    /* The same bytes as the device's answer, decoded by every type and shown by valfmt
     * with each kind of OID info: bounded, terminated, no control bytes. */
    static struct rct_value v;
    char *shown = malloc(scap);
    if (!shown) {
        free(clean);
        return 0;
    }
    for (size_t k = 0; k <= sizeof oids / sizeof oids[0]; k++) {
        const struct rct_oid_info *info =
            k < sizeof oids / sizeof oids[0] ? rct_registry_by_id(oids[k]) : NULL;
        for (int t = RCT_TYPE_BOOL; t < RCT_TYPE_COUNT; t++) {
            if (rct_value_decode((enum rct_type)t, raw, len, &v) != RCT_VALUE_OK)
                continue;
            memset(shown, 'X', scap);
            if (valfmt_display(info, &v, shown, scap) != shown)
                __builtin_trap();
            check_bounded(shown, scap);
            if (has_control(shown))
                __builtin_trap();
            double d;
            (void)valfmt_number(info, &v, &d);
        }
    }

    /* Text fitting: the sanitised form as panes get it, and the raw bytes as a string
     * (labels and units are UTF-8; invalid bytes count one column each). */
    char *rawtext = malloc(len + 1);
    if (rawtext) {
        memcpy(rawtext, raw, len);
        rawtext[len] = '\0';
        check_fit(clean, width, cap);
        check_fit(rawtext, width, cap);
        free(rawtext);
    }
    free(shown);
    free(clean);
    return 0;
}
