/* Every row of tests/data/vectors.csv and captures.csv through the decoder, whole, split
 * at every byte boundary and one byte at a time, and through the value decoders. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "proto/codec/frame.h"
#include "proto/codec/registry.h"
#include "proto/codec/request.h"
#include "proto/codec/value.h"
#include "support/csv_reader.h"

#define MAX_FRAMES 16

struct seen {
    int n;
    struct rct_frame f[MAX_FRAMES];
};

static void collect(const struct rct_frame *f, void *ctx)
{
    struct seen *s = ctx;
    if (s->n < MAX_FRAMES)
        s->f[s->n] = *f;
    s->n++;
}

static struct rct_decoder dec;

static void decode_chunks(const unsigned char *bytes, size_t len, size_t split, size_t step,
                          struct seen *out)
{
    memset(out, 0, sizeof *out);
    rct_decoder_init(&dec);
    size_t pos = 0;
    if (split) {
        rct_decoder_feed(&dec, bytes, split, collect, out);
        pos = split;
    }
    while (pos < len) {
        size_t n = step && step < len - pos ? step : len - pos;
        rct_decoder_feed(&dec, bytes + pos, n, collect, out);
        pos += n;
    }
}

static void assert_same_frames(const struct seen *a, const struct seen *b, const char *what,
                               const char *hex)
{
    cr_assert_eq(a->n, b->n, "%s: frame count differs for %s", what, hex);
    for (int i = 0; i < a->n && i < MAX_FRAMES; i++) {
        cr_assert_eq(a->f[i].command, b->f[i].command, "%s: command, %s", what, hex);
        cr_assert_eq(a->f[i].oid, b->f[i].oid, "%s: oid, %s", what, hex);
        cr_assert_eq(a->f[i].error, b->f[i].error, "%s: error, %s", what, hex);
        cr_assert_eq(a->f[i].payload_len, b->f[i].payload_len, "%s: len, %s", what, hex);
        cr_assert_eq(memcmp(a->f[i].payload, b->f[i].payload, a->f[i].payload_len), 0,
                     "%s: payload, %s", what, hex);
    }
}

static void check_all_chunkings(const unsigned char *bytes, size_t len, const struct seen *whole,
                                const char *hex)
{
    struct seen other;
    for (size_t split = 1; split < len; split++) {
        decode_chunks(bytes, len, split, 0, &other);
        assert_same_frames(whole, &other, "split", hex);
    }
    decode_chunks(bytes, len, 0, 1, &other);
    assert_same_frames(whole, &other, "byte by byte", hex);
}

static FILE *open_data(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RCT_TEST_DATA_DIR, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    return f;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
    out[2 * n] = '\0';
}

static struct csv_row header, row;
static unsigned char bytes[8192];
static struct rct_value value;
static char text[16384];

/* Frames every from_device/to_device row, checking command, OID, address, payload. */
Test(vectors, every_wire_row_decodes_to_its_command_oid_and_payload)
{
    FILE *f = open_data("vectors.csv");
    cr_assert(csv_read_row(f, &header));
    int c_dir = csv_column(&header, "direction"), c_hex = csv_column(&header, "hex"),
        c_cmd = csv_column(&header, "command"), c_oid = csv_column(&header, "oid"),
        c_addr = csv_column(&header, "address"), c_payload = csv_column(&header, "payload_hex"),
        c_note = csv_column(&header, "note");
    int rows = 0;
    while (csv_read_row(f, &row)) {
        if (strcmp(row.field[c_dir], "value") == 0)
            continue;
        rows++;
        const char *hex = row.field[c_hex];
        long len = csv_hex_to_bytes(hex, bytes, sizeof bytes);
        cr_assert_gt(len, 0, "bad hex in vectors: %s", hex);
        struct seen whole;
        decode_chunks(bytes, (size_t)len, 0, 0, &whole);
        check_all_chunkings(bytes, (size_t)len, &whole, hex);

        if (strcmp(row.field[c_cmd], "EXTENSION") == 0) {
            cr_assert_eq(whole.n, 0, "EXTENSION must not be a frame");
            cr_assert_eq(dec.stats.noise_bytes, 3);
            continue;
        }
        if (strchr(row.field[c_oid], ';')) {
            /* A pipelined segment: each OID in order. */
            char oids[CSV_MAX_FIELD];
            snprintf(oids, sizeof oids, "%s", row.field[c_oid]);
            int i = 0;
            for (char *tok = strtok(oids, ";"); tok; tok = strtok(NULL, ";"), i++) {
                cr_assert_lt(i, whole.n);
                cr_assert_eq(whole.f[i].oid, (uint32_t)strtoul(tok, NULL, 16));
                cr_assert_eq(whole.f[i].error, RCT_FRAME_OK);
            }
            cr_assert_eq(i, whole.n);
            continue;
        }
        cr_assert_eq(whole.n, 1, "expected one frame from %s, got %d", hex, whole.n);
        const struct rct_frame *fr = &whole.f[0];
        cr_assert_str_eq(rct_command_name(fr->command), row.field[c_cmd], "command of %s", hex);
        cr_assert_eq(fr->oid, (uint32_t)strtoul(row.field[c_oid], NULL, 16), "oid of %s", hex);
        if (row.field[c_addr][0])
            cr_assert_eq(fr->address, (uint32_t)strtoul(row.field[c_addr], NULL, 16));
        if (strstr(row.field[c_note], "CRC mismatch")) {
            cr_assert_eq(fr->error, RCT_FRAME_CRC_MISMATCH, "%s", hex);
            unsigned got, calc;
            const char *g = strstr(row.field[c_note], "got 0x");
            const char *k = strstr(row.field[c_note], "calculated 0x");
            cr_assert(g && k && sscanf(g, "got 0x%x", &got) == 1 &&
                      sscanf(k, "calculated 0x%x", &calc) == 1);
            cr_assert_eq(fr->crc_received, got);
            cr_assert_eq(fr->crc_computed, calc);
        } else {
            cr_assert_eq(fr->error, RCT_FRAME_OK, "%s: %s", hex, rct_frame_strerror(fr->error));
            cr_assert_eq(fr->crc_received, fr->crc_computed);
        }
        char payload_hex[8192];
        to_hex(fr->payload, fr->payload_len, payload_hex);
        cr_assert_str_eq(payload_hex, row.field[c_payload], "payload of %s", hex);
        cr_assert_eq(fr->wire_len + (bytes[0] == 0 ? 1 : 0), (size_t)len);
    }
    fclose(f);
    cr_assert_gt(rows, 50);
}

/* The decoded column: every from_device frame and value row through rct_value_decode. */
Test(vectors, every_decoded_column_matches_the_value_decoders)
{
    FILE *f = open_data("vectors.csv");
    cr_assert(csv_read_row(f, &header));
    int c_dir = csv_column(&header, "direction"), c_payload = csv_column(&header, "payload_hex"),
        c_dec = csv_column(&header, "decoded"), c_type = csv_column(&header, "data_type"),
        c_note = csv_column(&header, "note"), c_hex = csv_column(&header, "hex");
    int checked = 0;
    while (csv_read_row(f, &row)) {
        if (strcmp(row.field[c_dir], "to_device") == 0 || !row.field[c_type][0])
            continue;
        if (strstr(row.field[c_note], "CRC mismatch"))
            continue;  /* its value is only what it would be if the CRC were ignored */
        enum rct_type type = rct_type_from_name(row.field[c_type]);
        cr_assert_neq(type, RCT_TYPE_UNKNOWN, "type %s", row.field[c_type]);
        long len = csv_hex_to_bytes(row.field[c_payload], bytes, sizeof bytes);
        cr_assert_geq(len, 0);
        enum rct_value_error err = rct_value_decode(type, bytes, (size_t)len, &value);
        const char *want = row.field[c_dec];
        if (strncmp(want, "error:", 6) == 0) {
            cr_assert_eq(err, RCT_VALUE_BAD_LENGTH, "%s must be rejected", row.field[c_hex]);
        } else {
            cr_assert_eq(err, RCT_VALUE_OK, "%s: %s", row.field[c_hex], rct_value_strerror(err));
            rct_value_format(&value, text, sizeof text);
            cr_assert_str_eq(text, want, "value of %s (%s)", row.field[c_hex], row.field[c_type]);
        }
        checked++;
    }
    fclose(f);
    cr_assert_gt(checked, 40);
}

/* Real-device captures: name=value for responses, "READ name" for requests. */
Test(vectors, real_device_captures_decode_to_their_expected_values)
{
    FILE *f = open_data("captures.csv");
    cr_assert(csv_read_row(f, &header));
    int c_hex = csv_column(&header, "hex"), c_expect = csv_column(&header, "expect");
    int rows = 0;
    while (csv_read_row(f, &row)) {
        rows++;
        long len = csv_hex_to_bytes(row.field[c_hex], bytes, sizeof bytes);
        struct seen whole;
        decode_chunks(bytes, (size_t)len, 0, 0, &whole);
        check_all_chunkings(bytes, (size_t)len, &whole, row.field[c_hex]);
        cr_assert_eq(whole.n, 1);
        const struct rct_frame *fr = &whole.f[0];
        cr_assert_eq(fr->error, RCT_FRAME_OK);
        const struct rct_oid_info *info = rct_registry_by_id(fr->oid);
        cr_assert_not_null(info);
        const char *expect = row.field[c_expect];
        if (strncmp(expect, "READ ", 5) == 0) {
            cr_assert_eq(fr->command, RCT_CMD_READ);
            cr_assert_str_eq(info->name, expect + 5);
            struct rct_request req;
            rct_request_read(fr->oid, &req);
            cr_assert_eq(req.len, (size_t)len);
            cr_assert_eq(memcmp(req.bytes, bytes, req.len), 0, "builder reproduces %s",
                         row.field[c_hex]);
            continue;
        }
        cr_assert_eq(rct_value_decode(info->response_type, fr->payload, fr->payload_len, &value),
                     RCT_VALUE_OK);
        char got[512];
        snprintf(got, sizeof got, "%s=%s", info->name, rct_value_format(&value, text, sizeof text));
        cr_assert_str_eq(got, expect);
    }
    fclose(f);
    cr_assert_eq(rows, 6);
}

/* to_device rows the builders may make are reproduced byte for byte; others are not. */
Test(vectors, builders_reproduce_every_allowed_request_and_refuse_the_rest)
{
    FILE *f = open_data("vectors.csv");
    cr_assert(csv_read_row(f, &header));
    int c_dir = csv_column(&header, "direction"), c_hex = csv_column(&header, "hex"),
        c_cmd = csv_column(&header, "command"), c_oid = csv_column(&header, "oid"),
        c_addr = csv_column(&header, "address"), c_payload = csv_column(&header, "payload_hex");
    int built = 0;
    while (csv_read_row(f, &row)) {
        if (strcmp(row.field[c_dir], "to_device") != 0 || strchr(row.field[c_oid], ';'))
            continue;
        long len = csv_hex_to_bytes(row.field[c_hex], bytes, sizeof bytes);
        uint32_t oid = (uint32_t)strtoul(row.field[c_oid], NULL, 16);
        struct rct_request req;
        const char *cmd = row.field[c_cmd];
        if (strcmp(cmd, "READ") == 0) {
            rct_request_read(oid, &req);
        } else if (strcmp(cmd, "PLANT_READ") == 0) {
            rct_request_plant_read((uint32_t)strtoul(row.field[c_addr], NULL, 16), oid, &req);
        } else if (strcmp(cmd, "WRITE") == 0 && strlen(row.field[c_payload]) == 8) {
            uint32_t ts = (uint32_t)strtoul(row.field[c_payload], NULL, 16);
            cr_assert_eq(rct_request_history(oid, ts, &req), RCT_REQUEST_OK);
        } else if (strcmp(cmd, "WRITE") == 0) {
            /* A payload-less WRITE to a non-history OID: refused. */
            cr_assert_eq(rct_request_history(oid, 0, &req), RCT_REQUEST_NOT_HISTORY);
            cr_assert_eq(req.len, 0u);
            continue;
        } else {
            continue;  /* READ_PERIODICALLY, EXTENSION: no builder exists */
        }
        cr_assert_eq(req.len, (size_t)len, "length for %s", row.field[c_hex]);
        cr_assert_eq(memcmp(req.bytes, bytes, req.len), 0, "bytes for %s", row.field[c_hex]);
        built++;
    }
    fclose(f);
    cr_assert_gt(built, 15);
}
