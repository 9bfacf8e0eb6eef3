/* Frame decoder behaviour on hostile streams (noise, cut-offs, bad lengths, CRC errors)
 * and random build-then-decode round trips over the registry. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/crc.h"
#include "proto/codec/frame.h"
/* Tests play the device's side too, so they may use the private encoder; the program
 * may not (see test_readonly.c). */
#include "proto/codec/frame_private.h"
#include "proto/codec/registry.h"

struct seen {
    int n;
    struct rct_frame last;
    int errors[RCT_FRAME_ERROR_COUNT];
    uint32_t oids[64];
};

static void collect(const struct rct_frame *f, void *ctx)
{
    struct seen *s = ctx;
    if (s->n < 64)
        s->oids[s->n] = f->oid;
    s->n++;
    s->last = *f;
    s->errors[f->error]++;
}

static struct rct_decoder dec;

static void feed(const void *bytes, size_t len, struct seen *s)
{
    rct_decoder_feed(&dec, bytes, len, collect, s);
}

Test(crc, matches_the_documented_read_request_and_pads_odd_lengths)
{
    const uint8_t read_soc[] = {0x01, 0x04, 0x95, 0x99, 0x30, 0xbf};
    cr_assert_eq(rct_crc16(read_soc, sizeof read_soc), 0x0d65);
    const uint8_t odd[] = {0x05, 0x05, 0x97, 0xe2, 0x03, 0xf9, 0x01};
    const uint8_t padded[] = {0x05, 0x05, 0x97, 0xe2, 0x03, 0xf9, 0x01, 0x00};
    cr_assert_eq(rct_crc16(odd, sizeof odd), rct_crc16(padded, sizeof padded));
    cr_assert_eq(rct_crc16(odd, sizeof odd), 0xac63);
}

Test(frame_decoder, skips_at_keepalive_extension_and_zero_noise_before_a_frame)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    const uint8_t stream[] = {'A', 'T', '+', '\r', 0x2b, 0x3c, 0xe1, 0x00, 0x00,
                              0x2b, 0x05, 0x08, 0x95, 0x99, 0x30, 0xbf, 0x3e, 0x97, 0xb1, 0x91,
                              0x9c, 0x86};
    feed(stream, sizeof stream, &s);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.last.error, RCT_FRAME_OK);
    cr_assert_eq(s.last.oid, 0x959930BF);
    cr_assert_eq(dec.stats.noise_bytes, 9);
    cr_assert_eq(dec.stats.frames, 1);
}

Test(frame_decoder, resyncs_when_a_new_start_token_cuts_a_frame_short)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    /* Leftover head of an earlier answer, then a complete one. */
    const uint8_t stream[] = {0x2b, 0x05, 0x08, 0x95, 0x99,
                              0x2b, 0x05, 0x08, 0x95, 0x99, 0x30, 0xbf, 0x3e, 0x97, 0xb1, 0x91,
                              0x9c, 0x86};
    feed(stream, sizeof stream, &s);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.errors[RCT_FRAME_INTERRUPTED], 1);
    cr_assert_eq(s.errors[RCT_FRAME_OK], 1);
    cr_assert_eq(s.last.oid, 0x959930BF);
}

Test(frame_decoder, reports_lengths_too_short_for_an_oid_and_recovers)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    const uint8_t bad[] = {0x2b, 0x05, 0x02, 0x11, 0x22};
    feed(bad, sizeof bad, &s);
    cr_assert_eq(s.errors[RCT_FRAME_TOO_SHORT], 1);
    const uint8_t plant_bad[] = {0x2b, 0x45, 0x06, 0, 0, 0, 1, 0x95, 0x99};
    feed(plant_bad, sizeof plant_bad, &s);
    cr_assert_eq(s.errors[RCT_FRAME_TOO_SHORT], 2);
    const uint8_t good[] = {0x2b, 0x01, 0x04, 0x95, 0x99, 0x30, 0xbf, 0x0d, 0x65};
    feed(good, sizeof good, &s);
    cr_assert_eq(s.last.error, RCT_FRAME_OK);
    cr_assert_eq(s.last.command, RCT_CMD_READ);
}

Test(frame_decoder, refuses_absurd_long_lengths_without_buffering_them)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    const uint8_t bad[] = {0x2b, 0x06, 0xff, 0xf0, 0x95, 0x99, 0x30, 0xbf};
    feed(bad, sizeof bad, &s);
    cr_assert_eq(s.errors[RCT_FRAME_TOO_LONG], 1);
    cr_assert_not(rct_decoder_in_frame(&dec));
}

Test(frame_decoder, reports_both_crcs_on_a_mismatch)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    const uint8_t bad[] = {0x2b, 0x05, 0x05, 0x97, 0xe2, 0x03, 0xf9, 0x55, 0xbb, 0x9b};
    feed(bad, sizeof bad, &s);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.last.error, RCT_FRAME_CRC_MISMATCH);
    cr_assert_eq(s.last.crc_received, 0xbb9b);
    cr_assert_eq(s.last.crc_computed, 0x6e18);
    cr_assert_eq(dec.stats.errors[RCT_FRAME_CRC_MISMATCH], 1);
}

Test(frame_decoder, treats_unknown_command_bytes_as_noise)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    const uint8_t junk[] = {0x2b, 0x07, 0x04, 0x2b, 0x99, 0x2b, 0x2b};
    feed(junk, sizeof junk, &s);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(dec.stats.noise_bytes, 6);
    cr_assert(rct_decoder_in_frame(&dec));
}

Test(frame_decoder, stays_bounded_on_megabytes_of_random_bytes)
{
    rct_decoder_init(&dec);
    struct seen s = {0};
    srand(7);
    uint8_t buf[4096];
    for (int round = 0; round < 256; round++) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (uint8_t)rand();
        feed(buf, sizeof buf, &s);
    }
    cr_assert_eq(dec.stats.bytes, 256u * sizeof buf);
    cr_assert_lt(dec.fill, sizeof dec.buf + 1);
}

static const uint8_t all_commands[] = {
    RCT_CMD_READ, RCT_CMD_WRITE, RCT_CMD_LONG_WRITE, RCT_CMD_RESPONSE, RCT_CMD_LONG_RESPONSE,
    RCT_CMD_READ_PERIODICALLY, RCT_CMD_PLANT_READ, RCT_CMD_PLANT_WRITE,
    RCT_CMD_PLANT_LONG_WRITE, RCT_CMD_PLANT_RESPONSE, RCT_CMD_PLANT_LONG_RESPONSE,
    RCT_CMD_PLANT_READ_PERIODICALLY};

Test(frame_roundtrip, random_frames_over_the_registry_survive_encode_and_any_chunking)
{
    srand(12345);
    static uint8_t wire[RCT_FRAME_WIRE_MAX(RCT_FRAME_MAX_PAYLOAD)];
    static uint8_t payload[RCT_FRAME_MAX_PAYLOAD];
    size_t count = rct_registry_count();
    for (int round = 0; round < 3000; round++) {
        const struct rct_oid_info *info = rct_registry_at((size_t)rand() % count);
        uint8_t cmd = all_commands[(size_t)rand() % sizeof all_commands];
        size_t max = rct_command_is_long(cmd) ? 1200 : 251 - (rct_command_is_plant(cmd) ? 4 : 0);
        size_t plen = (size_t)rand() % (max + 1);
        for (size_t i = 0; i < plen; i++)
            payload[i] = (uint8_t)(rand() % 4 == 0 ? 0x2b + (rand() & 2) : rand());
        uint32_t addr = rct_command_is_plant(cmd) ? (uint32_t)rand() : 0;
        size_t n = rct_frame_encode(cmd, addr, info->oid, payload, plen, wire, sizeof wire);
        cr_assert_gt(n, 0);
        rct_decoder_init(&dec);
        struct seen s = {0};
        size_t pos = 0;
        while (pos < n) {
            size_t step = 1 + (size_t)rand() % 17;
            if (step > n - pos)
                step = n - pos;
            feed(wire + pos, step, &s);
            pos += step;
        }
        cr_assert_eq(s.n, 1, "round %d", round);
        cr_assert_eq(s.last.error, RCT_FRAME_OK);
        cr_assert_eq(s.last.command, cmd);
        cr_assert_eq(s.last.oid, info->oid);
        cr_assert_eq(s.last.address, addr);
        cr_assert_eq(s.last.payload_len, plen);
        cr_assert_eq(memcmp(s.last.payload, payload, plen), 0);
        cr_assert_eq(s.last.wire_len, n);
    }
}

Test(frame_encoder, refuses_unknown_commands_and_oversized_payloads)
{
    uint8_t wire[64];
    static uint8_t big[300];
    cr_assert_eq(rct_frame_encode(0x3c, 0, 1, NULL, 0, wire, sizeof wire), 0u);
    cr_assert_eq(rct_frame_encode(0x07, 0, 1, NULL, 0, wire, sizeof wire), 0u);
    static uint8_t out[1024];
    cr_assert_eq(rct_frame_encode(RCT_CMD_RESPONSE, 0, 1, big, 252, out, sizeof out), 0u);
    cr_assert_gt(rct_frame_encode(RCT_CMD_LONG_RESPONSE, 0, 1, big, 300, out, sizeof out), 0u);
    cr_assert_eq(rct_frame_encode(RCT_CMD_READ, 0, 0x2b2b2b2b, NULL, 0, wire, 8), 0u);
}

static uint16_t reference_crc(const uint8_t *data, size_t len)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len + (len & 1u); i++) {
        uint8_t byte = i < len ? data[i] : 0;
        crc ^= (uint16_t)(byte << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

Test(crc, table_driven_crc_equals_the_bitwise_definition_for_every_length)
{
    srand(3);
    uint8_t data[300];
    for (size_t len = 0; len < sizeof data; len++) {
        for (size_t i = 0; i < len; i++)
            data[i] = (uint8_t)rand();
        cr_assert_eq(rct_crc16(data, len), reference_crc(data, len), "length %zu", len);
    }
}
