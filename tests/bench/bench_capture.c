/* Capture decoding throughput: a ~100 MB pcap of port-8899 traffic (many connections,
 * requests and answers, answers split across segments) written to /tmp, then read with
 * capture_read RUNS times. Prints MB/s per run and the median.
 * Usage: bench_capture [RUNS], or bench_capture --smoke (one run over 1 MB, for ctest). */
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/codec/crc.h"
#include "proto/codec/registry.h"
#include "proto/codec/request.h"
#include "proto/capture/pcap.h"

static uint64_t frames;

static void on_frame(const struct capture_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    frames++;
}

static size_t packet(uint8_t *out, int to_device, uint16_t cport, uint32_t seq, const uint8_t *data,
                     size_t len)
{
    memset(out, 0, 54);
    out[12] = 0x08;
    uint8_t *ip = out + 14, *tcp = ip + 20;
    ip[0] = 0x45;
    ip[2] = (uint8_t)((40 + len) >> 8);
    ip[3] = (uint8_t)(40 + len);
    ip[9] = 6;
    uint16_t sp = to_device ? cport : 8899, dp = to_device ? 8899 : cport;
    tcp[0] = (uint8_t)(sp >> 8); tcp[1] = (uint8_t)sp; tcp[2] = (uint8_t)(dp >> 8); tcp[3] = (uint8_t)dp;
    tcp[4] = (uint8_t)(seq >> 24); tcp[5] = (uint8_t)(seq >> 16); tcp[6] = (uint8_t)(seq >> 8); tcp[7] = (uint8_t)seq;
    tcp[12] = 5 << 4;
    tcp[13] = 0x18;
    memcpy(tcp + 20, data, len);
    return 54 + len;
}

static size_t answer(uint32_t oid, uint8_t *out)
{
    uint8_t b[12] = {0x05, 8};
    for (int i = 0; i < 4; i++)
        b[2 + i] = (uint8_t)(oid >> (24 - 8 * i));
    b[6] = 0x3f; b[7] = 0x40; b[8] = 0x00; b[9] = 0x01;
    uint16_t crc = rct_crc16(b, 10);
    b[10] = (uint8_t)(crc >> 8);
    b[11] = (uint8_t)crc;
    size_t n = 0;
    out[n++] = '+';
    for (int i = 0; i < 12; i++) {
        if (b[i] == '+' || b[i] == '-')
            out[n++] = '-';
        out[n++] = b[i];
    }
    return n;
}

static void generate(const char *path, size_t target)
{
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    uint8_t pkt[2048], payload[1400];
    size_t written = 0;
    uint32_t seq_c[16] = {0}, seq_d[16] = {0};
    for (uint64_t i = 0; written < target; i++) {
        int conn = (int)(i % 16);
        /* A burst of requests in one segment, then their answers in two segments. */
        size_t n = 0, m = 0;
        uint8_t answers[1400];
        for (int k = 0; k < 40; k++) {
            uint32_t oid = rct_registry_at((size_t)((i * 40 + (uint64_t)k) % rct_registry_count()))->oid;
            struct rct_request q;
            rct_request_read(oid, &q);
            memcpy(payload + n, q.bytes, q.len);
            n += q.len;
            m += answer(oid, answers + m);
        }
        struct pcap_pkthdr h = {{(time_t)(i / 1000), (suseconds_t)(i % 1000) * 1000}, 0, 0};
        h.caplen = h.len = (bpf_u_int32)packet(pkt, 1, (uint16_t)(40000 + conn), seq_c[conn], payload, n);
        pcap_dump((u_char *)d, &h, pkt);
        seq_c[conn] += (uint32_t)n;
        size_t half = m / 2 + 3;
        h.caplen = h.len = (bpf_u_int32)packet(pkt, 0, (uint16_t)(40000 + conn), seq_d[conn], answers, half);
        pcap_dump((u_char *)d, &h, pkt);
        h.caplen = h.len = (bpf_u_int32)packet(pkt, 0, (uint16_t)(40000 + conn), seq_d[conn] + (uint32_t)half,
                                               answers + half, m - half);
        pcap_dump((u_char *)d, &h, pkt);
        seq_d[conn] += (uint32_t)m;
        written += 3 * 16 + 162 + n + m;
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    bool smoke = argc > 1 && !strcmp(argv[1], "--smoke");
    int runs = smoke ? 1 : argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1 || runs > 20)
        runs = 3;
    char path[64];
    snprintf(path, sizeof path, "/tmp/rcttop-bench-%d.pcap", (int)getpid());
    generate(path, smoke ? 1u << 20 : 100u << 20);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    double mb = (double)ftell(f) / 1e6;
    fclose(f);
    double rates[20];
    for (int r = 0; r < runs; r++) {
        frames = 0;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        FILE *in = fopen(path, "rb");
        struct capture_stats st;
        char err[256];
        bool ok = capture_read(in, 8899, on_frame, NULL, NULL, &st, err, sizeof err);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (!ok || frames == 0) {
            fprintf(stderr, "bench_capture: %s\n", ok ? "no frame decoded" : err);
            unlink(path);
            return 1;
        }
        double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        rates[r] = mb / s;
        printf("run %d: %.1f MB in %.3f s: %.0f MB/s, %llu frames\n", r + 1, mb, s, rates[r],
               (unsigned long long)frames);
    }
    qsort(rates, (size_t)runs, sizeof rates[0], cmp);
    printf("median: %.0f MB/s over a %.0f MB pcap\n", rates[runs / 2], mb);
    unlink(path);
    return 0;
}
