/* Captures of port-8899 traffic, built here from known frames (pcap through libpcap,
 * pcapng by hand): several connections, both directions, frames split across segments,
 * a retransmission and a lost segment decode to exactly the frames that were sent. */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proto/codec/crc.h"
#include "proto/codec/registry.h"
#include "proto/codec/request.h"
#include "proto/capture/pcap.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* A RESPONSE of a 4-byte float for oid, escaped as on the wire (test-side encoder: the
 * program's own is private and builds requests only). */
static size_t response(uint32_t oid, float value, uint8_t *out)
{
    uint8_t body[12];
    uint32_t bits;
    memcpy(&bits, &value, 4);
    body[0] = 0x05;
    body[1] = 8;
    put32(body + 2, oid);
    put32(body + 6, bits);
    uint16_t crc = rct_crc16(body, 10);
    put16(body + 10, crc);
    size_t n = 0;
    out[n++] = '+';
    for (int i = 0; i < 12; i++) {
        if (body[i] == '+' || body[i] == '-')
            out[n++] = '-';
        out[n++] = body[i];
    }
    return n;
}

struct pkt {
    int64_t us;
    uint16_t client_port;
    bool to_device;
    uint32_t seq;
    const uint8_t *data;
    size_t len;
    bool syn;
};

/* Ethernet + IPv4 + TCP around a payload. */
static size_t ethernet(const struct pkt *p, uint8_t *out)
{
    memset(out, 0, 54);
    put16(out + 12, 0x0800);
    uint8_t *ip = out + 14;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 20 + p->len));
    ip[8] = 64;
    ip[9] = 6;
    const uint8_t client[4] = {192, 168, 1, 10}, device[4] = {192, 168, 1, 50};
    memcpy(ip + 12, p->to_device ? client : device, 4);
    memcpy(ip + 16, p->to_device ? device : client, 4);
    uint8_t *tcp = ip + 20;
    put16(tcp, p->to_device ? p->client_port : 8899);
    put16(tcp + 2, p->to_device ? 8899 : p->client_port);
    put32(tcp + 4, p->seq);
    tcp[12] = 5 << 4;
    tcp[13] = p->syn ? 0x02 : 0x18;
    if (p->len)  /* SYNs carry no data */
        memcpy(tcp + 20, p->data, p->len);
    return 54 + p->len;
}

static void write_pcap(const char *path, const struct pkt *pkts, size_t n)
{
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    cr_assert_not_null(d);
    uint8_t buf[2048];
    for (size_t i = 0; i < n; i++) {
        struct pcap_pkthdr h;
        h.ts.tv_sec = (time_t)(pkts[i].us / 1000000);
        h.ts.tv_usec = (suseconds_t)(pkts[i].us % 1000000);
        h.caplen = h.len = (bpf_u_int32)ethernet(&pkts[i], buf);
        pcap_dump((u_char *)d, &h, buf);
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

/* pcapng: section header, one interface, enhanced packet blocks (microseconds). */
static void write_pcapng(const char *path, const struct pkt *pkts, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    uint32_t shb[7] = {0x0A0D0D0A, 28, 0x1A2B3C4D, 0x00000001, 0xFFFFFFFF, 0xFFFFFFFF, 28};
    fwrite(shb, 4, 7, f);  /* little-endian host: the byte-order magic says so */
    uint32_t idb[5] = {0x00000001, 20, 1 /* Ethernet */ | (0u << 16), 65535, 20};
    fwrite(idb, 4, 5, f);
    uint8_t buf[2048];
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)ethernet(&pkts[i], buf);
        uint32_t padded = (len + 3) & ~3u, total = 32 + padded;
        uint64_t ts = (uint64_t)pkts[i].us;
        uint32_t head[7] = {0x00000006, total, 0, (uint32_t)(ts >> 32), (uint32_t)ts, len, len};
        fwrite(head, 4, 7, f);
        fwrite(buf, 1, len, f);
        static const uint8_t zeros[4];
        fwrite(zeros, 1, padded - len, f);
        fwrite(&total, 4, 1, f);
    }
    fclose(f);
}

struct seen {
    uint32_t oid[32];
    bool to_device[32];
    unsigned stream[32];
    int n, notes;
    char note[256];
};

static void on_frame(const struct capture_frame *cf, void *ctx)
{
    struct seen *s = ctx;
    if (s->n < 32 && cf->frame->error == RCT_FRAME_OK) {
        s->oid[s->n] = cf->frame->oid;
        s->to_device[s->n] = cf->to_device;
        s->stream[s->n++] = cf->stream;
    }
}

static void on_note(const struct capture_note *n, void *ctx)
{
    struct seen *s = ctx;
    s->notes++;
    snprintf(s->note, sizeof s->note, "%s", n->text);
}

static struct seen read_file(const char *path, struct capture_stats *st)
{
    struct seen s;
    memset(&s, 0, sizeof s);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    char err[256];
    cr_assert(capture_read(f, 8899, on_frame, on_note, &s, st, err, sizeof err), "%s", err);
    return s;
}

#define SOC 0x959930BFu
#define BAT 0x400F015Bu

/* Two connections: the first asks battery.soc in one segment and gets the answer split
 * mid-frame, with the first half sent twice; the second asks g_sync.p_acc_lp. */
static size_t traffic(struct pkt *p, uint8_t store[][64])
{
    struct rct_request q1, q2;
    rct_request_read(SOC, &q1);
    rct_request_read(BAT, &q2);
    size_t a1 = response(SOC, 0.5f, store[0]);
    size_t a2 = response(BAT, -1250.0f, store[1]);
    memcpy(store[2], q1.bytes, q1.len);  /* the requests outlive this function */
    memcpy(store[3], q2.bytes, q2.len);
    size_t n = 0;
    p[n++] = (struct pkt){1000000, 40000, true, 100, NULL, 0, true};
    p[n++] = (struct pkt){1000100, 40000, false, 900, NULL, 0, true};
    p[n++] = (struct pkt){1001000, 40000, true, 101, store[2], q1.len, false};
    p[n++] = (struct pkt){1002000, 40000, false, 901, store[0], 5, false};
    p[n++] = (struct pkt){1002500, 40000, false, 901, store[0], 5, false};   /* retransmitted */
    p[n++] = (struct pkt){1003000, 40000, false, 906, store[0] + 5, a1 - 5, false};
    p[n++] = (struct pkt){2000000, 40001, true, 7000, store[3], q2.len, false}; /* no SYN seen */
    p[n++] = (struct pkt){2001000, 40001, false, 5000, store[1], a2, false};
    return n;
}

static void check_traffic(const struct seen *s, const struct capture_stats *st)
{
    cr_assert_eq(s->n, 4, "4 frames, got %d", s->n);
    cr_assert(s->oid[0] == SOC && s->to_device[0] && s->stream[0] == 1);
    cr_assert(s->oid[1] == SOC && !s->to_device[1] && s->stream[1] == 1, "the split answer, once");
    cr_assert(s->oid[2] == BAT && s->to_device[2] && s->stream[2] == 2);
    cr_assert(s->oid[3] == BAT && !s->to_device[3] && s->stream[3] == 2);
    cr_assert_eq(st->retransmitted, 1);
    cr_assert_eq(st->streams, 2);
    cr_assert_eq(s->notes, 0, "%s", s->note);
}

Test(capture, pcap_with_two_connections_split_frames_and_a_retransmission)
{
    struct pkt p[16];
    static uint8_t store[4][64];
    size_t n = traffic(p, store);
    char path[64];
    snprintf(path, sizeof path, "/tmp/rcttop-test-%d.pcap", (int)getpid());
    write_pcap(path, p, n);
    struct capture_stats st;
    struct seen s = read_file(path, &st);
    unlink(path);
    check_traffic(&s, &st);
}

Test(capture, pcapng_decodes_the_same)
{
    struct pkt p[16];
    static uint8_t store[4][64];
    size_t n = traffic(p, store);
    char path[64];
    snprintf(path, sizeof path, "/tmp/rcttop-test-%d.pcapng", (int)getpid());
    write_pcapng(path, p, n);
    uint8_t head[4];
    FILE *f = fopen(path, "rb");
    cr_assert_eq(fread(head, 1, 4, f), 4);
    fclose(f);
    cr_assert(capture_is_pcap(head, 4));
    struct capture_stats st;
    struct seen s = read_file(path, &st);
    unlink(path);
    check_traffic(&s, &st);
}

Test(capture, a_lost_segment_is_noted_and_the_stream_goes_on)
{
    struct rct_request q1, q2;
    rct_request_read(SOC, &q1);
    rct_request_read(BAT, &q2);
    struct pkt p[] = {
        {1000000, 40000, true, 100, q1.bytes, q1.len, false},
        /* the next request's segment is lost; the one after arrives */
        {1002000, 40000, true, 100 + (uint32_t)q1.len + (uint32_t)q2.len, q2.bytes, q2.len, false},
    };
    char path[64];
    snprintf(path, sizeof path, "/tmp/rcttop-test-%d-gap.pcap", (int)getpid());
    write_pcap(path, p, 2);
    struct capture_stats st;
    struct seen s = read_file(path, &st);
    unlink(path);
    cr_assert_eq(s.n, 2, "the frames on both sides of the gap");
    cr_assert_eq(st.gaps, 1);
    cr_assert(strstr(s.note, "never captured"), "%s", s.note);
}

Test(capture, the_decode_command_prints_time_direction_and_stream)
{
    struct pkt p[16];
    static uint8_t store[4][64];
    size_t n = traffic(p, store);
    char path[64], cmd[256], out[4096] = "";
    snprintf(path, sizeof path, "/tmp/rcttop-test-%d-cli.pcap", (int)getpid());
    write_pcap(path, p, n);
    snprintf(cmd, sizeof cmd, "%s decode --format json %s", RCTTOP_BINARY, path);
    FILE *f = popen(cmd, "r");
    size_t got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    cr_assert_eq(pclose(f), 0);
    unlink(path);
    cr_assert(strstr(out, "{\"time\":\"1970-01-01T00:00:01.001000Z\",\"direction\":\"client->device\","
                          "\"stream\":1,\"command\":\"READ\",\"oid\":\"0x959930BF\""), "%s", out);
    cr_assert(strstr(out, "\"direction\":\"device->client\",\"stream\":2,\"command\":\"RESPONSE\","
                          "\"oid\":\"0x400F015B\""), "%s", out);
}

static void no_frame(const struct capture_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
}

/* libpcap takes the file only when it opens it; a refused one is closed all the same
 * (the sanitizer build's leak check holds this), and the reason is said. */
Test(capture, a_file_libpcap_refuses_is_closed_and_said)
{
    static char junk[] = "this is no capture at all, just text long enough for a header";
    for (int i = 0; i < 50; i++) {
        FILE *f = fmemopen(junk, sizeof junk, "rb");
        cr_assert_not_null(f);
        struct capture_stats st;
        char err[256];
        cr_assert_not(capture_read(f, 8899, no_frame, NULL, NULL, &st, err, sizeof err));
        cr_assert(strstr(err, "not a capture libpcap can read"), "%s", err);
        cr_assert_eq(st.packets, 0);
    }
}
