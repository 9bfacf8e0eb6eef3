/* `get`, `dump`, `faults` and `check` with --replay: the answers in a recording stand in
 * for a device's. */
#include "tui/commands/oneshot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proto/capture/record.h"
#include "proto/codec/frame.h"
#include "proto/core/session.h"

/* --replay: every answer in a recording, in order, into the store (the last value of each
 * OID wins, with the time it was recorded), as if read now from the device then. */
struct replay {
    struct store *store;
    struct rct_decoder dec;
    int64_t unix_us, mono_us;
    int64_t last_mono_us, now_ms;  /* ages count back from the recording's end */
    uint64_t answers;
};

static void replay_end(const struct record_entry *e, void *arg)
{
    struct replay *rp = arg;
    if (e->mono_us > rp->last_mono_us)
        rp->last_mono_us = e->mono_us;
}

static void replay_frame(const struct rct_frame *f, void *arg)
{
    struct replay *rp = arg;
    if (f->error != RCT_FRAME_OK || f->plant || !rct_command_is_response(f->command))
        return;
    /* A recording's times are untrusted numbers: no difference of them may overflow. */
    int64_t back_us;
    if (__builtin_sub_overflow(rp->last_mono_us, rp->mono_us, &back_us) || back_us < 0)
        back_us = 0;
    int64_t at = rp->now_ms - back_us / 1000;
    if (store_put(rp->store, f->oid, f->payload, f->payload_len, at, rp->unix_us / 1000000) ==
        RCT_VALUE_OK)
        rp->answers++;
}

static void replay_record(const struct record_entry *e, void *arg)
{
    struct replay *rp = arg;
    if (e->kind == '!' && e->len >= 9 && !memcmp(e->data, "connected", 9))
        rct_decoder_init(&rp->dec);
    if (e->kind != '<')
        return;
    rp->unix_us = e->unix_us;
    rp->mono_us = e->mono_us;
    rct_decoder_feed(&rp->dec, e->data, e->len, replay_frame, rp);
}

int oneshot_read_replay(const char *command, const struct oneshot_options *opts, struct store *store)
{
    FILE *in = fopen(opts->replay_path, "rb");
    if (!in)
        return cli_usage_error(command, "cannot open the recording '%s': %s", opts->replay_path,
                               strerror(errno));
    static struct replay rp;
    memset(&rp, 0, sizeof rp);
    rp.store = store;
    rct_decoder_init(&rp.dec);
    char header[2048], err[256];
    record_read(in, replay_end, &rp, header, sizeof header, err, sizeof err);
    rewind(in);
    rp.now_ms = session_mono_ms();
    bool ok = record_read(in, replay_record, &rp, header, sizeof header, err, sizeof err);
    fclose(in);
    if (!ok && rp.answers == 0)
        return cli_usage_error(command, "%s: %s", opts->replay_path, err);
    if (!ok)
        fprintf(stderr, "rcttop %s: %s: %s (what came before is used)\n", command,
                opts->replay_path, err);
    return CLI_EXIT_OK;
}
