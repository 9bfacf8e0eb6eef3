/* The generic frame encoder. Private to the codec: only proto/codec/request.c (the
 * read-only request builders) and the simulator (the device's side) may include this
 * header; tests/proto/codec/test_readonly.c enforces that by scanning the sources. */
#ifndef RCT_FRAME_PRIVATE_H
#define RCT_FRAME_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/* Worst case of an escaped frame carrying `payload_len` payload bytes. */
#define RCT_FRAME_WIRE_MAX(payload_len) (1 + 2 * (1 + 2 + 4 + 4 + (payload_len) + 2))

/* Encodes one frame (escaping and CRC included) into out; returns the bytes written, or
 * 0 if cap is too small, the payload too long, or the command unknown. */
size_t rct_frame_encode(uint8_t command, uint32_t address, uint32_t oid,
                        const uint8_t *payload, size_t payload_len,
                        uint8_t *out, size_t cap);

#endif
