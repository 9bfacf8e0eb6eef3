/* CRC-16 as the RCT Power protocol computes it over a frame's unescaped bytes.
 * Polynomial 0x1021, init 0xFFFF, with the device's pad-odd-length-with-0x00 quirk. */
#ifndef RCT_CRC_H
#define RCT_CRC_H

#include <stddef.h>
#include <stdint.h>

/* CRC over data[0..len); when len is odd, one 0x00 is appended first (device quirk). */
uint16_t rct_crc16(const uint8_t *data, size_t len);

#endif
