/* `rcttop decode`: frames from a hex dump, a binary capture or a pcap/pcapng file, as
 * text, JSON Lines or totals. Streams in fixed-size chunks so a capture of any size runs in constant memory. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "proto/codec/frame.h"
#include "proto/capture/record.h"
#include "proto/codec/registry.h"
#include "proto/codec/value.h"
#include "proto/capture/pcap.h"
#include "tui/commands/cli.h"
#include "tui/commands/cli_options.h"
#include "tui/format/hexdump.h"
#include "tui/format/json.h"
#include "tui/format/valfmt.h"

struct decode_ctx {
    enum cli_format format;
    bool stats_only;
    bool capture;             /* frames from a pcap: time, direction and stream too */
    int64_t unix_us;
    bool to_device;
    unsigned stream;
    FILE *out;
    uint64_t index;
    struct rct_value value;   /* large: kept here, not on the stack per frame */
    char text[8192];
};

static void print_hex(const uint8_t *bytes, size_t len, FILE *out)
{
    for (size_t i = 0; i < len; i++)
        fprintf(out, "%02x", bytes[i]);
}

/* Payloads of responses decode by the response type; of writes, by the request type. */
static enum rct_type payload_type(const struct rct_frame *f, const struct rct_oid_info *info)
{
    if (!info)
        return RCT_TYPE_UNKNOWN;
    return rct_command_is_response(f->command) ? info->response_type : info->request_type;
}

/* "2026-11-26 08:04:26.877653", local time: how captures and recordings date a frame. */
static const char *local_time_us(int64_t unix_us, char *buf, size_t cap)
{
    char when[40];
    time_t t = (time_t)(unix_us / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, cap, "%s.%06lld", when, (long long)(unix_us % 1000000));
    return buf;
}

static void print_frame_text(struct decode_ctx *ctx, const struct rct_frame *f,
                             const struct rct_oid_info *info, enum rct_value_error verr,
                             bool has_value)
{
    FILE *out = ctx->out;
    const char *cmd = rct_command_name(f->command);
    if (ctx->capture) {
        char when[48];
        fprintf(out, "%s  %u  %s  ", local_time_us(ctx->unix_us, when, sizeof when), ctx->stream,
                ctx->to_device ? "client -> device" : "device -> client");
    }
    fprintf(out, "%-15s", cmd ? cmd : "?");
    if (f->plant)
        fprintf(out, " @0x%08" PRIX32, f->address);
    if (f->error == RCT_FRAME_TOO_SHORT || f->error == RCT_FRAME_TOO_LONG ||
        (f->error == RCT_FRAME_INTERRUPTED && f->oid == 0)) {
        fprintf(out, " error: %s\n", rct_frame_strerror(f->error));
        return;
    }
    fprintf(out, " 0x%08" PRIX32 " %s", f->oid, info ? info->name : "(unknown OID)");
    if (f->error == RCT_FRAME_INTERRUPTED) {
        fprintf(out, " error: %s\n", rct_frame_strerror(f->error));
        return;
    }
    if (has_value) {
        rct_value_format(&ctx->value, ctx->text, sizeof ctx->text);
        char safe[sizeof ctx->text];
        rct_sanitize(ctx->text, strlen(ctx->text), safe, sizeof safe);
        if (ctx->value.type == RCT_TYPE_STRING)
            fprintf(out, " = \"%s\"", safe);
        else
            fprintf(out, " = %s", safe);
        if (ctx->value.type == RCT_TYPE_ENUM) {
            const char *label = rct_enum_label(f->oid, (uint32_t)ctx->value.u.i);
            if (label)
                fprintf(out, " (%s)", label);
        } else if (valfmt_is_fraction(info) && ctx->value.type == RCT_TYPE_FLOAT) {
            fprintf(out, " (%.2f %%)", ctx->value.u.f * 100.0);
        } else if (info && info->unit[0] && rct_type_is_scalar(ctx->value.type)) {
            fprintf(out, " %s", info->unit);
        }
    }
    if (f->payload_len) {
        fputs("  payload ", out);
        print_hex(f->payload, f->payload_len, out);
    }
    if (f->error == RCT_FRAME_CRC_MISMATCH)
        fprintf(out, "  error: CRC mismatch (received 0x%04X, computed 0x%04X)",
                f->crc_received, f->crc_computed);
    else if (verr != RCT_VALUE_OK && f->payload_len)
        fprintf(out, "  error: %s (%s, %u bytes)", rct_value_strerror(verr),
                rct_type_name(payload_type(f, info)), f->payload_len);
    fputc('\n', out);
}

static void print_frame_json(struct decode_ctx *ctx, const struct rct_frame *f,
                             const struct rct_oid_info *info, enum rct_value_error verr,
                             bool has_value)
{
    const char *cmd = rct_command_name(f->command);
    bool has_oid = !(f->error == RCT_FRAME_TOO_SHORT || f->error == RCT_FRAME_TOO_LONG) &&
                   !(f->error == RCT_FRAME_INTERRUPTED && f->oid == 0);
    struct json j;
    json_open(&j, ctx->out);
    json_object(&j);
    if (ctx->capture) {
        char when[40];
        time_t t = (time_t)(ctx->unix_us / 1000000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
        json_key(&j, "time");
        json_stringf(&j, "%s.%06lldZ", when, (long long)(ctx->unix_us % 1000000));
        json_key(&j, "direction");
        json_string(&j, ctx->to_device ? "client->device" : "device->client");
        json_key(&j, "stream");
        json_uint(&j, ctx->stream);
    }
    json_key(&j, "command");
    json_string(&j, cmd ? cmd : "?");
    json_key(&j, "oid");
    if (has_oid)
        json_stringf(&j, "0x%08" PRIX32, f->oid);
    else
        json_null(&j);
    json_key(&j, "name");
    json_string(&j, info ? info->name : NULL);
    json_key(&j, "address");
    if (f->plant)
        json_stringf(&j, "0x%08" PRIX32, f->address);
    else
        json_null(&j);
    char hex[2 * RCT_FRAME_MAX_PAYLOAD + 1];
    for (size_t i = 0; i < f->payload_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", f->payload[i]);
    hex[2 * f->payload_len] = '\0';
    json_key(&j, "payload");
    json_string(&j, hex);
    json_key(&j, "value");
    if (has_value)
        json_value(&j, &ctx->value);
    else
        json_null(&j);
    json_key(&j, "unit");
    bool unit = info && info->unit[0] && !valfmt_is_fraction(info);  /* a 0..1 fraction: no "%" */
    json_string(&j, unit ? info->unit : NULL);
    json_key(&j, "error");
    if (f->error == RCT_FRAME_CRC_MISMATCH)
        json_stringf(&j, "CRC mismatch (received 0x%04X, computed 0x%04X)", f->crc_received,
                     f->crc_computed);
    else if (f->error != RCT_FRAME_OK)
        json_string(&j, rct_frame_strerror(f->error));
    else if (verr != RCT_VALUE_OK && f->payload_len)
        json_string(&j, rct_value_strerror(verr));
    else
        json_null(&j);
    json_end(&j);
    fputc('\n', ctx->out);
}

static void on_frame(const struct rct_frame *f, void *arg)
{
    struct decode_ctx *ctx = arg;
    ctx->index++;
    if (ctx->stats_only)
        return;
    const struct rct_oid_info *info = f->oid ? rct_registry_by_id(f->oid) : NULL;
    bool has_value = false;
    enum rct_value_error verr = RCT_VALUE_OK;
    enum rct_type type = payload_type(f, info);
    /* A frame with a bad CRC is not data: its value is not shown. An answer with no
     * payload is an empty string where the type is a string (READs carry none). */
    bool empty_string = !f->payload_len && type == RCT_TYPE_STRING && rct_command_is_response(f->command);
    if (f->error == RCT_FRAME_OK && (f->payload_len || empty_string)) {
        verr = rct_value_decode(type, f->payload, f->payload_len, &ctx->value);
        has_value = verr == RCT_VALUE_OK;
    }
    if (ctx->format == CLI_FORMAT_JSON)
        print_frame_json(ctx, f, info, verr, has_value);
    else
        print_frame_text(ctx, f, info, verr, has_value);
}

static void on_capture_frame(const struct capture_frame *cf, void *arg)
{
    struct decode_ctx *ctx = arg;
    ctx->unix_us = cf->unix_us;
    ctx->to_device = cf->to_device;
    ctx->stream = cf->stream;
    on_frame(cf->frame, ctx);
}

static void on_capture_note(const struct capture_note *n, void *arg)
{
    struct decode_ctx *ctx = arg;
    fprintf(stderr, "rcttop decode: stream %u %s: %s\n", n->stream,
            n->to_device ? "client -> device" : "device -> client", n->text);
    (void)ctx;
}

/* An rcttop recording: one decoder per direction, restarted at each connection. */
struct replay_ctx {
    struct decode_ctx *ctx;
    struct rct_decoder dec[2];
    unsigned stream;
};

static void on_decoded(const struct rct_frame *f, void *arg)
{
    on_frame(f, arg);
}

static void on_record(const struct record_entry *e, void *arg)
{
    struct replay_ctx *rc = arg;
    struct decode_ctx *ctx = rc->ctx;
    ctx->unix_us = e->unix_us;
    if (e->kind == '!') {
        char text[256];
        size_t n = e->data ? (e->len < 200 ? e->len : 200) : 0;
        memcpy(text, e->data ? (const char *)e->data : "", n);
        text[n] = '\0';
        char safe[256];
        rct_sanitize(text, strlen(text), safe, sizeof safe);
        if (!strncmp(safe, "connected", 9)) {
            rc->stream++;
            rct_decoder_init(&rc->dec[0]);
            rct_decoder_init(&rc->dec[1]);
        }
        if (!ctx->stats_only && ctx->format == CLI_FORMAT_TEXT) {
            char when[48];
            fprintf(ctx->out, "# %s  %s\n", local_time_us(e->unix_us, when, sizeof when), safe);
        }
        return;
    }
    int dir = e->kind == '>' ? 0 : 1;
    ctx->to_device = dir == 0;
    ctx->stream = rc->stream ? rc->stream : 1;
    rct_decoder_feed(&rc->dec[dir], e->data, e->len, on_decoded, ctx);
}

static int decode_recording(struct decode_ctx *ctx, FILE *in, const char *path)
{
    static struct replay_ctx rc;
    memset(&rc, 0, sizeof rc);
    rc.ctx = ctx;
    rct_decoder_init(&rc.dec[0]);
    rct_decoder_init(&rc.dec[1]);
    ctx->capture = true;
    char header[2048], err[256];
    bool ok = record_read(in, on_record, &rc, header, sizeof header, err, sizeof err);
    fclose(in);
    if (ctx->stats_only) {
        /* The header is the file's text: its lines as they are, anything that would drive
         * the terminal (an escape, a carriage return) made visible. */
        for (char *line = header, *end; *line; line = end + (*end ? 1 : 0)) {
            end = line + strcspn(line, "\n");
            char keep = *end;
            *end = '\0';
            cli_put_visible(line, stdout);
            putchar('\n');
            *end = keep;
            if (!keep)
                break;
        }
        printf("%llu frames\n", (unsigned long long)ctx->index);
    }
    if (!ok) {
        fprintf(stderr, "rcttop decode: %s: %s\n", path, err);
        return ctx->index ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* A pcap or pcapng file: frames per connection and direction. */
static int decode_capture(struct decode_ctx *ctx, FILE *in, const char *path, uint16_t port)
{
    struct capture_stats st;
    char err[300];
    ctx->capture = true;
    bool ok = capture_read(in, port, on_capture_frame, on_capture_note, ctx, &st, err, sizeof err);
    if (!ok && st.packets == 0)
        return cli_usage_error("decode", "%s: %s", path, err);
    if (st.packets_skipped)
        fprintf(stderr, "rcttop decode: %s: more than %d connections; %llu packets of the later "
                "ones were not decoded\n", path, CAPTURE_STREAMS, (unsigned long long)st.packets_skipped);
    if (!ok)
        fprintf(stderr, "rcttop decode: %s: %s (the frames before it are shown)\n", path, err);
    if (ctx->stats_only || st.port_packets == 0)
        fprintf(ctx->stats_only ? stdout : stderr,
                "packets %llu, TCP %llu, to or from port %u: %llu in %llu connection%s, %llu "
                "payload bytes, %llu frames, %llu retransmitted segments, %llu gaps\n",
                (unsigned long long)st.packets, (unsigned long long)st.tcp_packets, port,
                (unsigned long long)st.port_packets, (unsigned long long)st.streams,
                st.streams == 1 ? "" : "s", (unsigned long long)st.bytes,
                (unsigned long long)ctx->index, (unsigned long long)st.retransmitted,
                (unsigned long long)st.gaps);
    return ok ? CLI_EXIT_OK : CLI_EXIT_PARTIAL;
}

static void print_stats(const struct rct_decoder_stats *st, bool cut_off, FILE *out)
{
    fprintf(out, "bytes        %" PRIu64 "\n", st->bytes);
    fprintf(out, "noise bytes  %" PRIu64 "\n", st->noise_bytes);
    fprintf(out, "frames       %" PRIu64 "\n", st->frames);
    for (int c = 0; c < 256; c++)
        if (st->by_command[c])
            fprintf(out, "  %-22s %" PRIu64 "\n", rct_command_name((uint8_t)c),
                    st->by_command[c]);
    uint64_t errors = 0;
    for (int e = 1; e < RCT_FRAME_ERROR_COUNT; e++)
        errors += st->errors[e];
    fprintf(out, "errors       %" PRIu64 "\n", errors + (cut_off ? 1 : 0));
    for (int e = 1; e < RCT_FRAME_ERROR_COUNT; e++)
        if (st->errors[e])
            fprintf(out, "  %-22s %" PRIu64 "\n", rct_frame_strerror((enum rct_frame_error)e),
                    st->errors[e]);
    if (cut_off)
        fprintf(out, "  %-22s 1\n", "cut off at end of input");
}

static const struct option decode_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"binary", no_argument, NULL, 'b'},
    {"stats", no_argument, NULL, 's'},
    {"port", required_argument, NULL, 'p'},
    {NULL, 0, NULL, 0},
};

static int cmd_decode(int argc, char **argv)
{
    double port = 8899;
    static struct decode_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.out = stdout;
    bool binary = false;
    optind = 0;
    int c;
    while ((c = cli_getopt("decode", argc, argv, cli_cmd_decode.shortopts,
                           cli_cmd_decode.options)) != -1) {
        switch (c) {
        case 'f':
            if (!cli_format_parse(optarg, &ctx.format) || ctx.format == CLI_FORMAT_CSV)
                return cli_usage_error("decode", "unknown format '%s' (text or json)", optarg);
            break;
        case 'b': binary = true; break;
        case 's': ctx.stats_only = true; break;
        case 'p':
            if (!cli_parse_integer("decode", "--port", optarg, 1, 65535, &port))
                return CLI_EXIT_USAGE;
            break;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("decode", "too many arguments: '%s' (one FILE at most)",
                               argv[optind + 1]);
    FILE *in = stdin;
    const char *path = "standard input";
    if (optind < argc && strcmp(argv[optind], "-") != 0) {
        path = argv[optind];
        in = fopen(path, "rb");
        if (!in)
            return cli_usage_error("decode", "cannot open '%s': %s", path, strerror(errno));
    }

    /* A pipe or FIFO (`cat x.rec | rcttop decode`) cannot be read twice: it is copied to
     * an unnamed temporary file first, so its kind is told by its first bytes like a
     * file's and nothing of it is lost. A terminal is hex typed or pasted: read as it comes. */
    bool typed = isatty(fileno(in));
    if (!typed && fseek(in, 0, SEEK_CUR) != 0) {
        FILE *copy = tmpfile();
        if (!copy) {
            if (in != stdin)
                fclose(in);
            return cli_usage_error("decode", "cannot make a temporary copy of %s: %s", path, strerror(errno));
        }
        static char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, copy) != n) {
                fclose(copy);
                if (in != stdin)
                    fclose(in);
                return cli_usage_error("decode", "cannot copy %s: %s", path, strerror(errno));
            }
        bool read_failed = ferror(in);
        if (in != stdin)
            fclose(in);
        if (read_failed) {
            fclose(copy);
            return cli_usage_error("decode", "reading %s: %s", path, strerror(errno));
        }
        rewind(copy);
        in = copy;
    }
    /* A capture file (pcap, pcapng) or a recording is told by its first bytes. */
    if (!typed) {
        uint8_t head[8];
        size_t got_head = fread(head, 1, sizeof head, in);
        rewind(in);
        if (capture_is_pcap(head, got_head))
            return decode_capture(&ctx, in, path, (uint16_t)port);  /* libpcap closes it */
        if (record_is_recording(head, got_head))
            return decode_recording(&ctx, in, path);
    }

    struct rct_decoder *dec = malloc(sizeof *dec);
    if (!dec) {
        if (in != stdin)
            fclose(in);
        return cli_usage_error("decode", "out of memory");
    }
    rct_decoder_init(dec);
    struct hexdump_parser hex;
    hexdump_init(&hex);
    static char chunk[65536];
    static uint8_t bytes[65536];
    int status = CLI_EXIT_OK;
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        size_t n = got;
        const uint8_t *data = (const uint8_t *)chunk;
        if (!binary) {
            n = hexdump_feed(&hex, chunk, got, bytes);
            data = bytes;
        }
        rct_decoder_feed(dec, data, n, on_frame, &ctx);
        if (hex.failed) {
            unsigned char bad = (unsigned char)hex.bad_char;
            status = cli_usage_error("decode",
                                     "%s line %u: not a hex digit: %s%c%s (0x%02x); "
                                     "use --binary for raw bytes",
                                     path, hex.bad_line, bad >= 0x20 && bad < 0x7f ? "'" : "",
                                     bad >= 0x20 && bad < 0x7f ? bad : '?',
                                     bad >= 0x20 && bad < 0x7f ? "'" : "", bad);
            break;
        }
    }
    if (ferror(in))
        status = cli_usage_error("decode", "reading %s: %s", path, strerror(errno));
    if (status == CLI_EXIT_OK && !binary && hexdump_dangling(&hex))
        status = cli_usage_error("decode", "%s: odd number of hex digits at the end", path);

    bool cut_off = rct_decoder_in_frame(dec);
    if (status != CLI_EXIT_OK) {
        /* The input was not what it claimed to be: no totals or cut-off notes on top. */
    } else if (ctx.stats_only) {
        print_stats(&dec->stats, cut_off, stdout);
    } else if (cut_off) {
        if (ctx.format == CLI_FORMAT_JSON)
            fputs("{\"command\":null,\"oid\":null,\"name\":null,\"address\":null,"
                  "\"payload\":\"\",\"value\":null,\"unit\":null,"
                  "\"error\":\"frame cut off at end of input\"}\n", stdout);
        else
            puts("(end of input in the middle of a frame: cut off)");
    }
    free(dec);
    if (in != stdin)
        fclose(in);
    return status;
}

const struct cli_command cli_cmd_decode = {
    .name = "decode",
    .summary = "decode frames from a hex dump, a binary capture, a recording or a pcap",
    .usage =
        "usage: rcttop decode [--format text|json] [--binary] [--stats] [--port N] [FILE]\n"
        "\n"
        "Reads a hex dump (any whitespace, optional 0x, ':' or '-' separators, several\n"
        "lines) or raw bytes (--binary) from FILE or standard input, and prints every frame:\n"
        "command, OID, name, plant address, payload, decoded value with unit, and errors\n"
        "(a CRC mismatch shows both CRCs). Noise between frames is skipped.\n"
        "\n"
        "An rcttop recording (--record) is recognised too, and so is a pcap or pcapng\n"
        "FILE (tcpdump, Wireshark): the TCP\n"
        "traffic to and from the device's port is reassembled per connection and direction\n"
        "(retransmissions dropped, lost segments noted on stderr) and every frame printed\n"
        "with its time, connection and direction (JSON: keys time, direction, stream).\n"
        "\n"
        "  -f, --format FMT  text (default) or json (JSON Lines, one object per frame)\n"
        "  -b, --binary      input is raw bytes, not hex\n"
        "  -s, --stats       print only totals: bytes, frames by command, errors, noise\n"
        "  -p, --port N      captures: the device's TCP port (default 8899)\n"
        "\n"
        "Exit status: 0 read to the end, 1 a recording or capture damaged part-way (the\n"
        "frames before the damage are printed), 2 nothing readable or bad usage.\n"
        "\n"
        "example: echo 2b0508959930bf3e97b1919c86 | rcttop decode\n",
    .options = decode_options,
    .shortopts = "f:bsp:",
    .run = cmd_decode,
};
