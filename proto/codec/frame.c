/* Streaming frame decoder (noise skipping, unescaping, length and CRC checks) and the
 * private generic encoder used only by the request builders and the simulator. */
#include "proto/codec/frame.h"

#include <string.h>

#include "proto/codec/crc.h"
#include "proto/codec/frame_private.h"

enum decoder_state {
    DEC_HUNT = 0,     /* outside a frame: looking for a start token */
    DEC_COMMAND,      /* start token seen, next byte is the command */
    DEC_BODY,         /* collecting length, address, OID, payload and CRC */
};

static const struct { uint8_t command; const char *name; } command_names[] = {
    {RCT_CMD_READ, "READ"},
    {RCT_CMD_WRITE, "WRITE"},
    {RCT_CMD_LONG_WRITE, "LONG_WRITE"},
    {RCT_CMD_RESPONSE, "RESPONSE"},
    {RCT_CMD_LONG_RESPONSE, "LONG_RESPONSE"},
    {RCT_CMD_READ_PERIODICALLY, "READ_PERIODICALLY"},
    {RCT_CMD_EXTENSION, "EXTENSION"},
    {RCT_CMD_PLANT_READ, "PLANT_READ"},
    {RCT_CMD_PLANT_WRITE, "PLANT_WRITE"},
    {RCT_CMD_PLANT_LONG_WRITE, "PLANT_LONG_WRITE"},
    {RCT_CMD_PLANT_RESPONSE, "PLANT_RESPONSE"},
    {RCT_CMD_PLANT_LONG_RESPONSE, "PLANT_LONG_RESPONSE"},
    {RCT_CMD_PLANT_READ_PERIODICALLY, "PLANT_READ_PERIODICALLY"},
};

const char *rct_command_name(uint8_t command)
{
    for (size_t i = 0; i < sizeof command_names / sizeof command_names[0]; i++)
        if (command_names[i].command == command)
            return command_names[i].name;
    return NULL;
}

/* EXTENSION is named but is not a frame: the decoder treats it as noise. */
bool rct_command_is_known(uint8_t command)
{
    return command != RCT_CMD_EXTENSION && rct_command_name(command) != NULL;
}

bool rct_command_is_plant(uint8_t command)
{
    return rct_command_is_known(command) && (command & RCT_PLANT_FLAG);
}

bool rct_command_is_long(uint8_t command)
{
    uint8_t base = command & (uint8_t)~RCT_PLANT_FLAG;
    return rct_command_is_known(command) &&
           (base == RCT_CMD_LONG_WRITE || base == RCT_CMD_LONG_RESPONSE);
}

bool rct_command_is_response(uint8_t command)
{
    uint8_t base = command & (uint8_t)~RCT_PLANT_FLAG;
    return rct_command_is_known(command) &&
           (base == RCT_CMD_RESPONSE || base == RCT_CMD_LONG_RESPONSE);
}

const char *rct_frame_strerror(enum rct_frame_error error)
{
    switch (error) {
    case RCT_FRAME_OK: return "ok";
    case RCT_FRAME_CRC_MISMATCH: return "CRC mismatch";
    case RCT_FRAME_TOO_SHORT: return "length too short";
    case RCT_FRAME_TOO_LONG: return "length too long";
    case RCT_FRAME_INTERRUPTED: return "frame cut off by a new start token";
    case RCT_FRAME_ERROR_COUNT: break;
    }
    return "unknown error";
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void rct_decoder_init(struct rct_decoder *dec)
{
    memset(dec, 0, sizeof *dec);
    dec->state = DEC_HUNT;
}

bool rct_decoder_in_frame(const struct rct_decoder *dec)
{
    return dec->state != DEC_HUNT;
}

static size_t length_field_size(uint8_t command)
{
    return rct_command_is_long(command) ? 2 : 1;
}

static uint16_t header_data_min(uint8_t command)
{
    return rct_command_is_plant(command) ? 8 : 4;
}

/* Fills dec->frame from what has been collected so far and reports it. Fields that
 * the stream never reached stay zero. */
static void emit(struct rct_decoder *dec, enum rct_frame_error error,
                 rct_frame_cb on_frame, void *ctx)
{
    struct rct_frame *f = &dec->frame;
    size_t lsize = length_field_size(dec->command);
    const uint8_t *data = dec->buf + 1 + lsize;
    size_t have_data = dec->fill > 1 + lsize ? dec->fill - 1 - lsize : 0;

    f->command = dec->command;
    f->plant = rct_command_is_plant(dec->command);
    f->address = 0;
    f->oid = 0;
    f->payload_len = 0;
    f->error = error;
    f->crc_received = 0;
    f->crc_computed = 0;
    f->wire_len = dec->wire_len;

    size_t off = 0;
    if (f->plant) {
        if (have_data >= 4)
            f->address = be32(data);
        off = 4;
    }
    if (have_data >= off + 4)
        f->oid = be32(data + off);
    if (error == RCT_FRAME_OK || error == RCT_FRAME_CRC_MISMATCH) {
        size_t payload_len = dec->data_len - off - 4;
        memcpy(f->payload, data + off + 4, payload_len);
        f->payload_len = (uint16_t)payload_len;
        size_t crc_at = 1 + lsize + dec->data_len;
        f->crc_received = (uint16_t)(dec->buf[crc_at] << 8 | dec->buf[crc_at + 1]);
        f->crc_computed = rct_crc16(dec->buf, crc_at);
        if (f->crc_received != f->crc_computed)
            f->error = error = RCT_FRAME_CRC_MISMATCH;
    }
    if (error == RCT_FRAME_OK) {
        dec->stats.frames++;
        dec->stats.by_command[dec->command]++;
    } else {
        dec->stats.errors[error]++;
    }
    if (on_frame)
        on_frame(f, ctx);
}

static void start_frame(struct rct_decoder *dec)
{
    dec->state = DEC_COMMAND;
    dec->escaped = false;
    dec->fill = 0;
    dec->data_len = 0;
    dec->wire_len = 1;
}

/* Takes one unescaped byte of a frame body; returns true when the frame is complete. */
static bool take_body_byte(struct rct_decoder *dec, uint8_t byte,
                           rct_frame_cb on_frame, void *ctx)
{
    size_t lsize = length_field_size(dec->command);
    dec->buf[dec->fill++] = byte;
    if (dec->fill == 1 + lsize) {
        dec->data_len = lsize == 2 ? (uint16_t)(dec->buf[1] << 8 | dec->buf[2]) : dec->buf[1];
        enum rct_frame_error error = RCT_FRAME_OK;
        if (dec->data_len < header_data_min(dec->command))
            error = RCT_FRAME_TOO_SHORT;
        else if (dec->data_len > RCT_FRAME_MAX_DATA)
            error = RCT_FRAME_TOO_LONG;
        if (error != RCT_FRAME_OK) {
            emit(dec, error, on_frame, ctx);
            /* The bytes that follow are not trusted as this frame's body; they go back
             * to hunting, where any real start token inside them is still found. */
            dec->state = DEC_HUNT;
            return false;
        }
    }
    if (dec->fill > 1 + lsize && dec->fill == 1 + lsize + dec->data_len + 2) {
        emit(dec, RCT_FRAME_OK, on_frame, ctx);
        dec->state = DEC_HUNT;
        return true;
    }
    return false;
}

void rct_decoder_feed(struct rct_decoder *dec, const uint8_t *bytes, size_t len,
                      rct_frame_cb on_frame, void *ctx)
{
    dec->stats.bytes += len;
    for (size_t i = 0; i < len; i++) {
        uint8_t byte = bytes[i];
        switch (dec->state) {
        case DEC_HUNT: {
            /* Fast path: skip runs of noise with memchr. */
            const uint8_t *start = memchr(bytes + i, RCT_START_TOKEN, len - i);
            size_t skip = start ? (size_t)(start - (bytes + i)) : len - i;
            dec->stats.noise_bytes += skip;
            i += skip;
            if (!start)
                return;
            start_frame(dec);
            break;
        }
        case DEC_COMMAND:
            if (byte == RCT_START_TOKEN) {
                /* "++": the first was noise; this one may start a frame. */
                dec->stats.noise_bytes++;
                start_frame(dec);
            } else if (rct_command_is_known(byte)) {
                dec->command = byte;
                dec->buf[0] = byte;
                dec->fill = 1;
                dec->wire_len++;
                dec->state = DEC_BODY;
            } else {
                /* "AT+\r", "+<EXT>", or an unknown command byte: the start token and
                 * this byte are noise. */
                dec->stats.noise_bytes += 2;
                dec->state = DEC_HUNT;
            }
            break;
        case DEC_BODY:
            dec->wire_len++;
            if (dec->escaped) {
                dec->escaped = false;
                take_body_byte(dec, byte, on_frame, ctx);
            } else if (byte == RCT_ESCAPE_TOKEN) {
                dec->escaped = true;
            } else if (byte == RCT_START_TOKEN) {
                /* Inside a frame every '+' is escaped, so a bare one is a new frame:
                 * the current one was cut short (leftovers, overlapping answers). */
                dec->wire_len--;
                emit(dec, RCT_FRAME_INTERRUPTED, on_frame, ctx);
                start_frame(dec);
            } else {
                size_t lsize = length_field_size(dec->command);
                if (dec->fill >= 1 + lsize) {
                    /* Length known: copy the run of plain bytes up to the next escape or
                     * start token (or the frame's end) in one go. */
                    size_t want = (size_t)(1 + lsize + dec->data_len + 2) - dec->fill;
                    size_t run = 1;
                    size_t limit = len - i < want ? len - i : want;
                    while (run < limit && bytes[i + run] != RCT_START_TOKEN &&
                           bytes[i + run] != RCT_ESCAPE_TOKEN)
                        run++;
                    if (run > 1) {
                        memcpy(dec->buf + dec->fill, bytes + i, run - 1);
                        dec->fill = (uint16_t)(dec->fill + run - 1);
                        dec->wire_len += run - 1;
                        i += run - 1;
                        byte = bytes[i];
                    }
                }
                take_body_byte(dec, byte, on_frame, ctx);
            }
            break;
        }
    }
}

static size_t put_escaped(uint8_t *out, size_t pos, size_t cap, uint8_t byte)
{
    if (byte == RCT_START_TOKEN || byte == RCT_ESCAPE_TOKEN) {
        if (pos >= cap)
            return cap + 1;
        out[pos++] = RCT_ESCAPE_TOKEN;
    }
    if (pos >= cap)
        return cap + 1;
    out[pos++] = byte;
    return pos;
}

size_t rct_frame_encode(uint8_t command, uint32_t address, uint32_t oid,
                        const uint8_t *payload, size_t payload_len,
                        uint8_t *out, size_t cap)
{
    if (!rct_command_is_known(command))
        return 0;
    bool plant = rct_command_is_plant(command);
    size_t lsize = length_field_size(command);
    size_t data_len = (plant ? 4 : 0) + 4 + payload_len;
    if (data_len > RCT_FRAME_MAX_DATA || data_len > (lsize == 1 ? 0xFFu : 0xFFFFu))
        return 0;

    uint8_t raw[1 + 2 + RCT_FRAME_MAX_DATA + 2];
    size_t n = 0;
    raw[n++] = command;
    if (lsize == 2)
        raw[n++] = (uint8_t)(data_len >> 8);
    raw[n++] = (uint8_t)data_len;
    if (plant) {
        for (int shift = 24; shift >= 0; shift -= 8)
            raw[n++] = (uint8_t)(address >> shift);
    }
    for (int shift = 24; shift >= 0; shift -= 8)
        raw[n++] = (uint8_t)(oid >> shift);
    if (payload_len)
        memcpy(raw + n, payload, payload_len);
    n += payload_len;
    uint16_t crc = rct_crc16(raw, n);
    raw[n++] = (uint8_t)(crc >> 8);
    raw[n++] = (uint8_t)crc;

    if (cap < 1)
        return 0;
    size_t pos = 0;
    out[pos++] = RCT_START_TOKEN;
    for (size_t i = 0; i < n; i++) {
        pos = put_escaped(out, pos, cap, raw[i]);
        if (pos > cap)
            return 0;
    }
    return pos;
}
