/* pcap/pcapng through libpcap (loaded when a capture is read, so the monitor and the
 * other commands never map it and the dozen libraries it pulls in), link layers Ethernet (with VLAN tags), Linux cooked
 * (v1, v2), raw IP and BSD loopback; IPv4 and IPv6; TCP reassembled per connection and
 * direction. Bounded: at most CAPTURE_STREAMS connections and PENDING_MAX out-of-order
 * segments per direction; beyond that a gap is declared, noted and skipped. */
#include "proto/capture/pcap.h"

#include <dlfcn.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

/* The five calls a capture needs, looked up once. */
static struct {
    bool tried, ok;
    char why[256];
    pcap_t *(*fopen_offline)(FILE *, char *);
    int (*datalink)(pcap_t *);
    int (*next_ex)(pcap_t *, struct pcap_pkthdr **, const u_char **);
    char *(*geterr)(pcap_t *);
    void (*close)(pcap_t *);
} lib;

static bool load_libpcap(void)
{
    if (lib.tried)
        return lib.ok;
    lib.tried = true;
    /* Debian keeps the soname libpcap.so.0.8 for libpcap 1.x, others name it .so.1; the
     * plain name is the development link, there only with libpcap's headers. */
    static const char *const names[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !handle; i++)
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *e = dlerror();
        snprintf(lib.why, sizeof lib.why, "reading a pcap needs libpcap (Debian: apt install "
                 "libpcap0.8): %s", e ? e : "not found");
        return false;
    }
    /* POSIX's way to take a function from dlsym without a cast C forbids. */
    *(void **)&lib.fopen_offline = dlsym(handle, "pcap_fopen_offline");
    *(void **)&lib.datalink = dlsym(handle, "pcap_datalink");
    *(void **)&lib.next_ex = dlsym(handle, "pcap_next_ex");
    *(void **)&lib.geterr = dlsym(handle, "pcap_geterr");
    *(void **)&lib.close = dlsym(handle, "pcap_close");
    if (!lib.fopen_offline || !lib.datalink || !lib.next_ex || !lib.geterr || !lib.close) {
        snprintf(lib.why, sizeof lib.why, "the libpcap found lacks pcap_fopen_offline and the like");
        return false;
    }
    lib.ok = true;
    return true;
}

#define PENDING_MAX 64

bool capture_is_pcap(const uint8_t *h, size_t len)
{
    if (len < 4)
        return false;
    uint32_t be = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    return be == 0xA1B2C3D4u || be == 0xD4C3B2A1u || be == 0xA1B23C4Du || be == 0x4D3CB2A1u ||
           be == 0x0A0D0D0Au;
}

struct segment {
    uint32_t seq;
    uint32_t len;
    uint8_t *data;
};

struct half {
    bool started;
    uint32_t next;               /* the sequence number the decoder wants next */
    struct rct_decoder dec;
    struct segment pending[PENDING_MAX];
    int npending;
};

struct stream {
    int family;
    uint8_t client[16], device[16];
    uint16_t client_port, device_port;
    unsigned number;
    struct half half[2];         /* 0: client -> device, 1: device -> client */
};

struct reader {
    uint16_t port;
    capture_frame_fn on_frame;
    capture_note_fn on_note;
    void *ctx;
    struct capture_stats *stats;
    struct stream **streams;
    size_t nstreams;
    int64_t now_us;
    struct stream *cur;          /* whose bytes the decoder is working on */
    int cur_dir;
};

static void note(struct reader *r, struct stream *s, int dir, const char *text)
{
    if (!r->on_note)
        return;
    struct capture_note n = {r->now_us, s ? s->number : 0, dir == 0, ""};
    snprintf(n.text, sizeof n.text, "%s", text);
    r->on_note(&n, r->ctx);
}

static void on_decoded(const struct rct_frame *f, void *arg)
{
    struct reader *r = arg;
    struct capture_frame cf = {f, r->now_us, r->cur_dir == 0, r->cur->number};
    r->on_frame(&cf, r->ctx);
}

static void deliver(struct reader *r, struct stream *s, int dir, const uint8_t *data, size_t len)
{
    r->cur = s;
    r->cur_dir = dir;
    r->stats->bytes += len;
    rct_decoder_feed(&s->half[dir].dec, data, len, on_decoded, r);
    s->half[dir].next += (uint32_t)len;
}

/* Delivers queued segments that now continue the stream (or overlap its end). */
static void drain(struct reader *r, struct stream *s, int dir)
{
    struct half *h = &s->half[dir];
    bool progress = true;
    while (progress) {
        progress = false;
        for (int i = 0; i < h->npending; i++) {
            struct segment *g = &h->pending[i];
            int32_t d = (int32_t)(g->seq - h->next);
            if (d > 0)
                continue;
            uint32_t skip = h->next - g->seq;
            if (skip < g->len)
                deliver(r, s, dir, g->data + skip, g->len - skip);
            free(g->data);
            h->pending[i] = h->pending[--h->npending];
            progress = true;
            break;
        }
    }
}

/* Gives up waiting for missing bytes: says so, restarts the decoder at the next segment. */
static void skip_gap(struct reader *r, struct stream *s, int dir)
{
    struct half *h = &s->half[dir];
    if (!h->npending)
        return;
    uint32_t lowest = h->pending[0].seq;
    for (int i = 1; i < h->npending; i++)
        if ((int32_t)(h->pending[i].seq - lowest) < 0)
            lowest = h->pending[i].seq;
    char text[128];
    snprintf(text, sizeof text, "%u bytes never captured (a lost segment): frames around it "
             "may be cut", (unsigned)(lowest - h->next));
    note(r, s, dir, text);
    r->stats->gaps++;
    rct_decoder_init(&h->dec);
    h->next = lowest;
    drain(r, s, dir);
}

static void segment(struct reader *r, struct stream *s, int dir, uint32_t seq, bool syn,
                    const uint8_t *data, size_t len)
{
    struct half *h = &s->half[dir];
    if (syn) {
        h->started = true;
        h->next = seq + 1;
        rct_decoder_init(&h->dec);
        return;
    }
    if (!len)
        return;
    if (!h->started) {
        h->started = true;
        h->next = seq;
    }
    int32_t d = (int32_t)(seq - h->next);
    if (d < 0) {
        uint32_t old = h->next - seq;  /* unsigned: no overflow at the far end of the window */
        if (old >= len) {
            r->stats->retransmitted++;
            return;
        }
        data += old;
        len -= old;
        d = 0;
    }
    if (d == 0) {
        deliver(r, s, dir, data, len);
        drain(r, s, dir);
        return;
    }
    if (h->npending == PENDING_MAX)
        skip_gap(r, s, dir);
    if ((int32_t)(seq - h->next) <= 0) {  /* the gap skip reached it */
        segment(r, s, dir, seq, false, data, len);
        return;
    }
    struct segment *g = &h->pending[h->npending];
    g->data = malloc(len);
    if (!g->data)
        return;
    memcpy(g->data, data, len);
    g->seq = seq;
    g->len = (uint32_t)len;
    h->npending++;
}

static struct stream *find_stream(struct reader *r, int family, const uint8_t *client,
                                  uint16_t cport, const uint8_t *device, uint16_t dport)
{
    size_t alen = family == 4 ? 4 : 16;
    for (size_t i = r->nstreams; i-- > 0;) {
        struct stream *s = r->streams[i];
        if (s->family == family && s->client_port == cport && s->device_port == dport &&
            !memcmp(s->client, client, alen) && !memcmp(s->device, device, alen))
            return s;
    }
    if (r->nstreams == CAPTURE_STREAMS)
        return NULL;
    struct stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->family = family;
    memcpy(s->client, client, alen);
    memcpy(s->device, device, alen);
    s->client_port = cport;
    s->device_port = dport;
    s->number = (unsigned)r->nstreams + 1;
    rct_decoder_init(&s->half[0].dec);
    rct_decoder_init(&s->half[1].dec);
    r->streams[r->nstreams++] = s;
    r->stats->streams = r->nstreams;
    return s;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void tcp(struct reader *r, int family, const uint8_t *src, const uint8_t *dst,
                const uint8_t *p, size_t len)
{
    if (len < 20)
        return;
    size_t off = (size_t)(p[12] >> 4) * 4;
    if (off < 20 || off > len)
        return;
    r->stats->tcp_packets++;
    uint16_t sport = be16(p), dport = be16(p + 2);
    int dir;
    if (dport == r->port)
        dir = 0;
    else if (sport == r->port)
        dir = 1;
    else
        return;
    r->stats->port_packets++;
    struct stream *s = dir == 0 ? find_stream(r, family, src, sport, dst, dport)
                                : find_stream(r, family, dst, dport, src, sport);
    if (!s) {
        r->stats->packets_skipped++;   /* said by the caller: never dropped in silence */
        return;
    }
    bool syn = p[13] & 0x02;
    segment(r, s, dir, be32(p + 4), syn, p + off, len - off);
}

static void ip(struct reader *r, const uint8_t *p, size_t len)
{
    if (len < 1)
        return;
    if ((p[0] >> 4) == 4) {
        if (len < 20)
            return;
        size_t ihl = (size_t)(p[0] & 0x0F) * 4, total = be16(p + 2);
        if (ihl < 20 || total < ihl || total > len)
            total = len;  /* a snapped packet: take what is there */
        if (ihl > total || p[9] != 6)
            return;
        if ((be16(p + 6) & 0x3FFF) != 0) {
            note(r, NULL, 0, "an IP fragment was skipped (the capture should not fragment TCP)");
            return;
        }
        tcp(r, 4, p + 12, p + 16, p + ihl, total - ihl);
    } else if ((p[0] >> 4) == 6) {
        if (len < 40 || p[6] != 6)
            return;
        size_t total = 40 + (size_t)be16(p + 4);
        if (total > len)
            total = len;
        tcp(r, 6, p + 8, p + 24, p + 40, total - 40);
    }
}

static void packet(struct reader *r, int linktype, const uint8_t *p, size_t len)
{
    r->stats->packets++;
    switch (linktype) {
    case DLT_EN10MB: {
        if (len < 14)
            return;
        size_t off = 12;
        uint16_t type = be16(p + off);
        while ((type == 0x8100 || type == 0x88A8) && off + 6 <= len) {  /* VLAN tags */
            off += 4;
            type = be16(p + off);
        }
        if (type == 0x0800 || type == 0x86DD)
            ip(r, p + off + 2, len - off - 2);
        return;
    }
    case DLT_LINUX_SLL:
        if (len >= 16)
            ip(r, p + 16, len - 16);
        return;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        if (len >= 20)
            ip(r, p + 20, len - 20);
        return;
#endif
    case DLT_NULL:
    case DLT_LOOP:
        if (len >= 4)
            ip(r, p + 4, len - 4);
        return;
    default:  /* DLT_RAW and friends: IP right away */
        ip(r, p, len);
        return;
    }
}

#define CAPTURE_LAST_SECOND 253402300799LL   /* 9999-12-31T23:59:59Z */

bool capture_read(FILE *file, uint16_t port, capture_frame_fn on_frame, capture_note_fn on_note,
                  void *ctx, struct capture_stats *stats, char *err, size_t errcap)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    memset(stats, 0, sizeof *stats);
    if (!load_libpcap()) {
        fclose(file);
        snprintf(err, errcap, "%s", lib.why);
        return false;
    }
    pcap_t *pc = lib.fopen_offline(file, perr);
    if (!pc) {
        /* libpcap takes the file only when it opens it: on a refusal it is still ours. */
        fclose(file);
        snprintf(err, errcap, "not a capture libpcap can read: %s", perr);
        return false;
    }
    struct reader r = {port, on_frame, on_note, ctx, stats, NULL, 0, 0, NULL, 0};
    r.streams = calloc(CAPTURE_STREAMS, sizeof *r.streams);
    if (!r.streams) {
        lib.close(pc);
        snprintf(err, errcap, "out of memory");
        return false;
    }
    int linktype = lib.datalink(pc);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc;
    while ((rc = lib.next_ex(pc, &hdr, &data)) == 1) {
        /* A pcapng interface may say its times are in seconds, or add a huge offset: a
         * time is held to the years 0001-9999, so no product overflows. */
        int64_t sec = (int64_t)hdr->ts.tv_sec;
        sec = sec > CAPTURE_LAST_SECOND ? CAPTURE_LAST_SECOND : sec < -CAPTURE_LAST_SECOND ? -CAPTURE_LAST_SECOND : sec;
        int64_t usec = hdr->ts.tv_usec >= 0 && hdr->ts.tv_usec < 1000000 ? (int64_t)hdr->ts.tv_usec : 0;
        r.now_us = sec * 1000000 + usec;
        packet(&r, linktype, data, hdr->caplen);
    }
    bool ok = rc == PCAP_ERROR_BREAK || rc == -2;
    if (!ok)
        snprintf(err, errcap, "the capture ends in a damaged record: %s", lib.geterr(pc));
    /* What is still waiting for missing bytes is decoded after saying so. */
    for (size_t i = 0; i < r.nstreams; i++) {
        for (int dir = 0; dir < 2; dir++) {
            while (r.streams[i]->half[dir].npending)
                skip_gap(&r, r.streams[i], dir);
            if (rct_decoder_in_frame(&r.streams[i]->half[dir].dec))
                note(&r, r.streams[i], dir, "the capture ends in the middle of a frame");
        }
        free(r.streams[i]);
    }
    free(r.streams);
    lib.close(pc);
    return ok;
}
