/* Writing and reading recordings (see record.h for the format). */
#include "proto/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAX_LEN (16u << 20)  /* no single record is larger (a reader's bound) */

struct recorder {
    FILE *f;
    uint64_t written, max_bytes;
    bool full;
    int64_t flushed_mono_us;
};

static int64_t clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct recorder *recorder_open(const char *path, const char *header_lines, uint64_t max_bytes,
                               char *err, size_t errcap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    struct recorder *r = f ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        snprintf(err, errcap, "cannot create the recording %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        else if (fd >= 0)
            close(fd);
        return NULL;
    }
    r->f = f;
    r->max_bytes = max_bytes;
    fputs(RECORD_MAGIC, f);
    fputs(header_lines, f);
    fputc('\n', f);
    fflush(f);
    r->written = (uint64_t)ftell(f);
    return r;
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void append(struct recorder *r, char kind, const uint8_t *data, size_t len)
{
    if (!r || r->full || len > RECORD_MAX_LEN)
        return;
    if (r->max_bytes && r->written + 21 + len > r->max_bytes && kind != '!') {
        static const char msg[] = "recording stopped: --record-max reached";
        append(r, '!', (const uint8_t *)msg, sizeof msg - 1);  /* notes pass the limit */
        r->full = true;
        fflush(r->f);
        return;
    }
    uint8_t head[21];
    int64_t mono = clock_us(CLOCK_MONOTONIC);
    head[0] = (uint8_t)kind;
    put_u64(head + 1, (uint64_t)clock_us(CLOCK_REALTIME));
    put_u64(head + 9, (uint64_t)mono);
    head[17] = (uint8_t)(len >> 24);
    head[18] = (uint8_t)(len >> 16);
    head[19] = (uint8_t)(len >> 8);
    head[20] = (uint8_t)len;
    fwrite(head, 1, sizeof head, r->f);
    fwrite(data, 1, len, r->f);
    r->written += sizeof head + len;
    if (mono - r->flushed_mono_us >= 1000000 || kind == '!') {
        fflush(r->f);
        r->flushed_mono_us = mono;
    }
}

void recorder_bytes(struct recorder *r, char kind, const uint8_t *data, size_t len)
{
    append(r, kind, data, len);
}

void recorder_note(struct recorder *r, const char *text)
{
    append(r, '!', (const uint8_t *)text, strlen(text));
}

bool recorder_full(const struct recorder *r)
{
    return r && r->full;
}

void recorder_close(struct recorder *r)
{
    if (!r)
        return;
    fclose(r->f);
    free(r);
}

bool record_is_recording(const uint8_t *head, size_t len)
{
    return len >= 7 && memcmp(head, "RCTREC ", 7) == 0;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

bool record_read(FILE *in, record_fn fn, void *ctx, char *header, size_t header_cap, char *err,
                 size_t errcap)
{
    char line[1024];
    size_t used = 0;
    if (!fgets(line, sizeof line, in) || strcmp(line, RECORD_MAGIC) != 0) {
        snprintf(err, errcap, "not an rcttop recording of version 1");
        return false;
    }
    header[0] = '\0';
    while (fgets(line, sizeof line, in) && strcmp(line, "\n") != 0) {
        size_t n = strlen(line);
        if (used + n < header_cap) {
            memcpy(header + used, line, n + 1);
            used += n;
        }
    }
    uint8_t *buf = NULL;
    size_t cap = 0;
    bool ok = true;
    for (;;) {
        uint8_t head[21];
        size_t got = fread(head, 1, sizeof head, in);
        if (got == 0)
            break;
        uint32_t len = (uint32_t)head[17] << 24 | (uint32_t)head[18] << 16 |
                       (uint32_t)head[19] << 8 | head[20];
        if (got < sizeof head || (head[0] != '>' && head[0] != '<' && head[0] != '!') ||
            len > RECORD_MAX_LEN) {
            snprintf(err, errcap, "a damaged record after %s", used ? "the header" : "the start");
            ok = false;
            break;
        }
        if (len > cap) {
            uint8_t *grown = realloc(buf, len);
            if (!grown) {
                snprintf(err, errcap, "out of memory");
                ok = false;
                break;
            }
            buf = grown;
            cap = len;
        }
        if (fread(buf, 1, len, in) != len) {
            snprintf(err, errcap, "the recording ends in the middle of a record (cut off)");
            ok = false;
            break;
        }
        struct record_entry e = {(char)head[0], (int64_t)get_u64(head + 1),
                                 (int64_t)get_u64(head + 9), buf, len};
        fn(&e, ctx);
    }
    free(buf);
    return ok;
}
