/* One process, one notion of "now": see clock.h. */
#include "proto/core/clock.h"

#include <time.h>

static int hold_depth;
static int replaying;
static int64_t held_mono_us, held_unix_us;

static int64_t read_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_mono_us(void)
{
    return replaying || hold_depth ? held_mono_us : read_us(CLOCK_MONOTONIC);
}

int64_t clock_unix_us(void)
{
    return replaying || hold_depth ? held_unix_us : read_us(CLOCK_REALTIME);
}

int64_t clock_host_mono_us(void)
{
    return read_us(CLOCK_MONOTONIC);
}

void clock_refresh(void)
{
    if (replaying)
        return;
    held_mono_us = read_us(CLOCK_MONOTONIC);
    held_unix_us = read_us(CLOCK_REALTIME);
}

void clock_hold(void)
{
    if (hold_depth++ == 0)
        clock_refresh();
}

void clock_release(void)
{
    if (hold_depth > 0)
        hold_depth--;
}

void clock_set_replay(int64_t mono_us, int64_t unix_us)
{
    replaying = 1;
    held_mono_us = mono_us;
    held_unix_us = unix_us;
}

void clock_live(void)
{
    replaying = 0;
    if (hold_depth)
        clock_refresh();
}

int clock_is_replay(void)
{
    return replaying;
}
