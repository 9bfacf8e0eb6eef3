/* libFuzzer target: arbitrary bytes through the streaming decoder in input-chosen chunk
 * sizes, and every frame's payload through every value decoder and formatter. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/codec/value.h"

static struct rct_value value;
static char text[65536];

static void exercise_payload(const uint8_t *payload, size_t len)
{
    for (int t = 0; t < RCT_TYPE_COUNT; t++) {
        if (rct_value_decode((enum rct_type)t, payload, len, &value) == RCT_VALUE_OK) {
            rct_value_format(&value, text, sizeof text);
            /* The formatter must always terminate within the buffer. */
            if (memchr(text, 0, sizeof text) == NULL)
                __builtin_trap();
            double d;
            (void)rct_value_as_double(&value, &d);
        }
    }
}

static void on_frame(const struct rct_frame *f, void *ctx)
{
    (void)ctx;
    if (f->payload_len > RCT_FRAME_MAX_PAYLOAD)
        __builtin_trap();
    (void)rct_registry_by_id(f->oid);
    exercise_payload(f->payload, f->payload_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rct_decoder dec;
    rct_decoder_init(&dec);
    if (size == 0)
        return 0;
    /* The first byte picks the chunk size, so splits inside frames get explored too. */
    size_t chunk = (size_t)(data[0] % 16) + 1;
    for (size_t pos = 1; pos < size; pos += chunk) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        rct_decoder_feed(&dec, data + pos, n, on_frame, NULL);
    }
    exercise_payload(data, size > 4096 ? 4096 : size);
    if (dec.stats.bytes != size - 1)
        __builtin_trap();
    return 0;
}
