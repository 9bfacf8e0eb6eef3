/* Decoder throughput on a large generated stream shaped like real traffic: mostly float
 * responses, some escaped strings, some long timeseries answers, a 0x00 before most frames.
 * Usage: bench_decode [MEGABYTES] [RUNS]; prints MB/s and frames/s per run and the median.
 * bench_decode --smoke: one run over 1 MB, for ctest. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/frame.h"
/* The benchmark plays the device, so it builds response frames with the private encoder. */
#include "proto/codec/frame_private.h"
#include "proto/codec/registry.h"
#include "proto/codec/value.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct counts { unsigned long frames, values; };

static struct rct_value value;

static void on_frame(const struct rct_frame *f, void *ctx)
{
    struct counts *c = ctx;
    c->frames++;
    const struct rct_oid_info *info = rct_registry_by_id(f->oid);
    if (info && rct_value_decode(info->response_type, f->payload, f->payload_len, &value) ==
                    RCT_VALUE_OK)
        c->values++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t generate(uint8_t *buf, size_t cap, unsigned long *frames_out)
{
    srand(42);
    const struct rct_oid_info *soc = rct_registry_by_name("battery.soc");
    const struct rct_oid_info *desc = rct_registry_by_name("android_description");
    const struct rct_oid_info *log = rct_registry_by_name("logger.minutes_ea_log_ts");
    size_t n = 0;
    unsigned long frames = 0;
    uint8_t payload[1024];
    while (n + 1024 < cap) {
        int kind = rand() % 100;
        uint8_t cmd = RCT_CMD_RESPONSE;
        uint32_t oid;
        size_t plen;
        if (kind < 85) {
            /* A float response for a random float OID; values often hit escapable bytes. */
            const struct rct_oid_info *info;
            do {
                info = rct_registry_at((size_t)rand() % rct_registry_count());
            } while (info->response_type != RCT_TYPE_FLOAT);
            oid = info->oid;
            float v = (float)(rand() % 100000) / 7.0f;
            memcpy(payload, &v, 4);
            plen = 4;
        } else if (kind < 95) {
            oid = desc ? desc->oid : soc->oid;
            plen = 32;
            memset(payload, 0, plen);
            memcpy(payload, "PS 10.0 +Bat-X", 14);
        } else {
            oid = log->oid;
            cmd = RCT_CMD_LONG_RESPONSE;
            plen = 4 + 8 * 41;
            for (size_t i = 0; i < plen; i++)
                payload[i] = (uint8_t)rand();
        }
        if (rand() % 4)
            buf[n++] = 0x00;
        n += rct_frame_encode(cmd, 0, oid, payload, plen, buf + n, cap - n);
        frames++;
    }
    *frames_out = frames;
    return n;
}

int main(int argc, char **argv)
{
    bool smoke = argc > 1 && !strcmp(argv[1], "--smoke");
    size_t megabytes = smoke ? 1 : argc > 1 ? (size_t)atoi(argv[1]) : 64;
    int runs = smoke ? 1 : argc > 2 ? atoi(argv[2]) : 5;
    if (megabytes < 1 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_decode [MEGABYTES>=1] [RUNS 1..99]\n");
        return 2;
    }
    size_t cap = megabytes << 20;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return 1;
    unsigned long expected;
    size_t len = generate(buf, cap, &expected);
    static struct rct_decoder dec;
    double mbps[99], fps[99];
    for (int r = 0; r < runs; r++) {
        struct counts c = {0, 0};
        rct_decoder_init(&dec);
        double t0 = now_s();
        /* 1460-byte chunks: what a TCP read typically hands over. */
        for (size_t pos = 0; pos < len; pos += 1460)
            rct_decoder_feed(&dec, buf + pos, len - pos < 1460 ? len - pos : 1460, on_frame, &c);
        double dt = now_s() - t0;
        if (c.frames != expected) {
            fprintf(stderr, "decoded %lu frames, generated %lu\n", c.frames, expected);
            return 1;
        }
        mbps[r] = (double)len / dt / 1e6;
        fps[r] = (double)c.frames / dt;
        printf("run %d: %.1f MB/s, %.0f frames/s (%lu frames, %lu values)\n", r + 1, mbps[r],
               fps[r], c.frames, c.values);
    }
    qsort(mbps, (size_t)runs, sizeof mbps[0], cmp_double);
    qsort(fps, (size_t)runs, sizeof fps[0], cmp_double);
    printf("median: %.1f MB/s, %.0f frames/s over %.1f MB\n", mbps[runs / 2], fps[runs / 2],
           (double)len / 1e6);
    free(buf);
    return 0;
}
