/* libFuzzer target: arbitrary bytes as an rcttop recording through the reader, and every
 * record's bytes through a frame decoder. */
#include <stdint.h>
#include <stdio.h>

#include "proto/codec/frame.h"
#include "proto/capture/record.h"

static struct rct_decoder dec;

static void on_frame(const struct rct_frame *f, void *ctx)
{
    (void)ctx;
    if (f->payload_len > RCT_FRAME_MAX_PAYLOAD)
        __builtin_trap();
}

static void on_record(const struct record_entry *e, void *ctx)
{
    (void)ctx;
    if (e->kind != '>' && e->kind != '<' && e->kind != '!')
        __builtin_trap();
    rct_decoder_feed(&dec, e->data, e->len, on_frame, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    rct_decoder_init(&dec);
    char header[512], err[128];
    record_read(f, on_record, NULL, header, sizeof header, err, sizeof err);
    fclose(f);
    return 0;
}
