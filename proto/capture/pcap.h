/* Reading network captures (pcap and pcapng, through libpcap) of the device's TCP port:
 * each connection's two directions reassembled in sequence order (retransmissions
 * dropped, a lost segment noted and skipped) and fed to a frame decoder of its own, so
 * `rcttop decode` prints frames with their time, direction and connection. */
#ifndef RCT_CAPTURE_H
#define RCT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/codec/frame.h"

/* True when the first bytes of a file are a pcap or pcapng header. */
bool capture_is_pcap(const uint8_t *head, size_t len);

struct capture_frame {
    const struct rct_frame *frame;
    int64_t unix_us;              /* time of the packet that completed the frame */
    bool to_device;               /* client -> device (else device -> client) */
    unsigned stream;              /* connection number, 1.. in order of appearance */
};

/* A note about the capture itself (a lost segment, an unreadable packet). */
struct capture_note {
    int64_t unix_us;
    unsigned stream;
    bool to_device;
    char text[128];
};

struct capture_stats {
    uint64_t packets, tcp_packets, port_packets, bytes, retransmitted, gaps, streams;
    uint64_t packets_skipped;   /* of connections past the first CAPTURE_STREAMS: not decoded */
};
#define CAPTURE_STREAMS 1024

typedef void (*capture_frame_fn)(const struct capture_frame *f, void *ctx);
typedef void (*capture_note_fn)(const struct capture_note *n, void *ctx);

/* Reads the capture in `file` (opened for reading; closed by the time this returns,
 * whatever happened); port is the device's TCP port. Returns false with a reason in err
 * when libpcap cannot read it. */
bool capture_read(FILE *file, uint16_t port, capture_frame_fn on_frame, capture_note_fn on_note,
                  void *ctx, struct capture_stats *stats, char *err, size_t errcap);

#endif
