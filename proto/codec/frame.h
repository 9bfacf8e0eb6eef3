/* Frame layer: command bytes, frame structs and the streaming decoder that turns an
 * untrusted byte stream into frames or typed errors, in bounded memory, with no I/O. */
#ifndef RCT_FRAME_H
#define RCT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rct_command {
    RCT_CMD_READ = 0x01,
    RCT_CMD_WRITE = 0x02,
    RCT_CMD_LONG_WRITE = 0x03,
    RCT_CMD_RESPONSE = 0x05,
    RCT_CMD_LONG_RESPONSE = 0x06,
    RCT_CMD_READ_PERIODICALLY = 0x08,
    RCT_CMD_EXTENSION = 0x3C,
    RCT_CMD_PLANT_READ = 0x41,
    RCT_CMD_PLANT_WRITE = 0x42,
    RCT_CMD_PLANT_LONG_WRITE = 0x43,
    RCT_CMD_PLANT_RESPONSE = 0x45,
    RCT_CMD_PLANT_LONG_RESPONSE = 0x46,
    RCT_CMD_PLANT_READ_PERIODICALLY = 0x48,
};

#define RCT_START_TOKEN 0x2B
#define RCT_ESCAPE_TOKEN 0x2D
#define RCT_PLANT_FLAG 0x40

/* Largest value of a frame's length field we accept (address + OID + payload). Real
 * answers stay far below it; anything larger is treated as noise, not buffered. */
#define RCT_FRAME_MAX_DATA 2048
#define RCT_FRAME_MAX_PAYLOAD (RCT_FRAME_MAX_DATA - 4)

/* "READ", "LONG_RESPONSE", ...; NULL for a byte that is no known command. */
const char *rct_command_name(uint8_t command);
bool rct_command_is_known(uint8_t command);
bool rct_command_is_plant(uint8_t command);
bool rct_command_is_long(uint8_t command);    /* 2-byte length field */
bool rct_command_is_response(uint8_t command); /* RESPONSE family, plant included */

enum rct_frame_error {
    RCT_FRAME_OK = 0,
    RCT_FRAME_CRC_MISMATCH,   /* complete frame, CRC does not match: crc_* say both */
    RCT_FRAME_TOO_SHORT,      /* length field smaller than OID (+ address) */
    RCT_FRAME_TOO_LONG,       /* length field above RCT_FRAME_MAX_DATA */
    RCT_FRAME_INTERRUPTED,    /* an unescaped start token arrived mid-frame */
    RCT_FRAME_ERROR_COUNT
};
const char *rct_frame_strerror(enum rct_frame_error error);

struct rct_frame {
    uint8_t command;
    bool plant;
    uint32_t address;         /* plant frames only, else 0 */
    uint32_t oid;             /* 0 when the frame broke off before its OID */
    uint16_t payload_len;
    enum rct_frame_error error;
    uint16_t crc_received;    /* valid for OK and CRC_MISMATCH */
    uint16_t crc_computed;
    size_t wire_len;          /* bytes this frame took on the wire, escapes included */
    uint8_t payload[RCT_FRAME_MAX_PAYLOAD];
};

struct rct_decoder_stats {
    uint64_t bytes;                           /* every byte fed */
    uint64_t noise_bytes;                     /* bytes outside any frame */
    uint64_t frames;                          /* frames with a good CRC */
    uint64_t by_command[256];                 /* good frames per command byte */
    uint64_t errors[RCT_FRAME_ERROR_COUNT];   /* index by enum rct_frame_error */
};

/* Opaque-by-convention state; embed it, initialise with rct_decoder_init. Bounded
 * size: the unescaped frame buffer never exceeds the largest legal frame. */
struct rct_decoder {
    int state;
    uint8_t command;
    bool escaped;
    uint16_t need;            /* unescaped bytes still expected in this part */
    uint16_t data_len;        /* length field value */
    uint16_t fill;            /* unescaped bytes collected after the start token */
    size_t wire_len;
    uint8_t buf[1 + 2 + RCT_FRAME_MAX_DATA + 2];
    struct rct_frame frame;
    struct rct_decoder_stats stats;
};

/* Called for every complete frame (error == RCT_FRAME_OK or CRC_MISMATCH) and for every
 * frame that had to be abandoned (the other errors; fields after the break are zero).
 * The frame is only valid during the call. */
typedef void (*rct_frame_cb)(const struct rct_frame *frame, void *ctx);

void rct_decoder_init(struct rct_decoder *dec);
/* Feed any number of bytes, in any chunking; calls on_frame for each frame completed. */
void rct_decoder_feed(struct rct_decoder *dec, const uint8_t *bytes, size_t len,
                      rct_frame_cb on_frame, void *ctx);
/* True while a frame has started but not completed (e.g. to report a cut-off at EOF). */
bool rct_decoder_in_frame(const struct rct_decoder *dec);

#endif
