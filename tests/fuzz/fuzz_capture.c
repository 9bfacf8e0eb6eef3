/* libFuzzer target: arbitrary bytes as a pcap/pcapng file through libpcap, the link,
 * IP and TCP parsing, stream reassembly and a frame decoder per direction. */
#include <stdint.h>
#include <stdio.h>

#include "proto/capture/pcap.h"

static void on_frame(const struct capture_frame *f, void *ctx)
{
    (void)ctx;
    if (f->frame->payload_len > RCT_FRAME_MAX_PAYLOAD || f->stream == 0)
        __builtin_trap();
}

static void on_note(const struct capture_note *n, void *ctx)
{
    (void)n;
    (void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    struct capture_stats st;
    char err[256];
    if (!capture_read(f, 8899, on_frame, on_note, NULL, &st, err, sizeof err) && st.packets == 0)
        return 0;  /* libpcap closed f either way */
    if (st.port_packets > st.tcp_packets || st.tcp_packets > st.packets)
        __builtin_trap();
    return 0;
}
