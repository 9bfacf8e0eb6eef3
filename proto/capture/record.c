/* Writing and reading recordings (see record.h for the format). */
#include "proto/capture/record.h"

#include "proto/core/clock.h"
#include "proto/core/version.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAX_LEN (16u << 20)  /* no single record is larger (a reader's bound) */

struct recorder {
    FILE *f;                     /* NULL: memory only */
    uint64_t written, max_bytes;
    bool full;
    int64_t flushed_mono_us;
    char *header;
    /* The last keep_us in memory, oldest first from ring_start (see ring_append). */
    int64_t keep_us;
    size_t keep_max;
    uint8_t *ring;
    size_t ring_start, ring_end, ring_cap;
    uint64_t first_mono, first_off;   /* times of the record at ring_start */
    bool has_last;
    uint64_t last_mono, last_off;     /* and of the newest */
    uint8_t *state_note;         /* the newest connection note that left the window */
    size_t state_note_len;
    int write_errno;             /* the file could not be written (0: fine) */
};

void record_header(char *buf, size_t cap, const char *host, const char *command, double rate,
                   double timeout_s, int retries, bool listen_only)
{
    char when[40];
    time_t now = (time_t)(clock_unix_us() / 1000000);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(buf, cap, "rcttop: %s\nhost: %s\nstart: %s\ncommand: %s\n"
             "options: rate %g, timeout %g, retries %d%s\n", rct_version(), host, when, command,
             rate, timeout_s, retries, listen_only ? ", listen-only" : "");
}

bool record_header_options(const char *options, double *rate, double *timeout_s, int *retries,
                           bool *listen_only)
{
    *listen_only = strstr(options, ", listen-only") != NULL;
    return sscanf(options, "rate %lf, timeout %lf, retries %d", rate, timeout_s, retries) == 3 &&
           *rate >= 0.1 && *rate <= 10000 && *timeout_s >= 0.05 && *timeout_s <= 600 &&
           *retries >= 0 && *retries <= 10;
}

struct recorder *recorder_open(const char *path, const char *header_lines, uint64_t max_bytes,
                               bool replace, char *err, size_t errcap)
{
    struct recorder *r = calloc(1, sizeof *r);
    if (!r || !(r->header = strdup(header_lines))) {
        free(r);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    r->max_bytes = max_bytes;
    if (!path)
        return r;  /* memory only (recorder_keep) */
    /* A new regular file, never an old one overwritten, a link followed or a FIFO blocked
     * on. With replace, an existing regular file of one link is removed first. */
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!replace || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
            snprintf(err, errcap, "the recording %s exists%s", path,
                     !S_ISREG(st.st_mode) ? " and is not a regular file" : st.st_nlink != 1
                     ? " and has other links" : "; give --force to replace it");
            recorder_close(r);
            return NULL;
        }
        if (unlink(path) != 0) {
            snprintf(err, errcap, "cannot replace the recording %s: %s", path, strerror(errno));
            recorder_close(r);
            return NULL;
        }
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    r->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!r->f) {
        snprintf(err, errcap, "cannot create the recording %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        recorder_close(r);
        return NULL;
    }
    fputs(RECORD_MAGIC, r->f);
    fputs(header_lines, r->f);
    fputc('\n', r->f);
    if (fflush(r->f) != 0 || ferror(r->f)) {
        snprintf(err, errcap, "cannot write the recording %s: %s", path, strerror(errno));
        recorder_close(r);
        unlink(path);
        return NULL;
    }
    r->written = (uint64_t)ftell(r->f);
    return r;
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get_u64(const uint8_t *p);

/* The kept window holds records with a compact head: the kind, then the length and the
 * two times as differences from the record before, in LEB128 (four or five bytes where a
 * file has 21): 15 minutes at 4 requests/s take half the memory. Written out, each record
 * gets its file head back. */
static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = (uint8_t)(v & 0x7f);
        v >>= 7;
        p[n++] = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
    return n;
}

static size_t get_varint(const uint8_t *p, uint64_t *v)
{
    uint64_t x = 0;
    size_t n = 0;
    do
        x |= (uint64_t)(p[n] & 0x7f) << (7 * n);
    while ((p[n++] & 0x80) && n < 10);
    *v = x;
    return n;
}

struct kept_record {
    char kind;
    uint64_t dmono, doff;        /* differences from the record before (wrapping) */
    const uint8_t *data;
    size_t len, size;            /* the payload; the whole record in the window */
};

static void kept_parse(const uint8_t *p, struct kept_record *k)
{
    uint64_t len;
    size_t n = 1;
    k->kind = (char)p[0];
    n += get_varint(p + n, &len);
    n += get_varint(p + n, &k->dmono);
    n += get_varint(p + n, &k->doff);
    k->len = (size_t)len;
    k->data = p + n;
    k->size = n + k->len;
}

/* The record's head as a file has it. */
static void file_head(uint8_t head[21], char kind, uint64_t mono, uint64_t off, size_t len)
{
    head[0] = (uint8_t)kind;
    put_u64(head + 1, mono + off);
    put_u64(head + 9, mono);
    head[17] = (uint8_t)(len >> 24);
    head[18] = (uint8_t)(len >> 16);
    head[19] = (uint8_t)(len >> 8);
    head[20] = (uint8_t)len;
}

/* A note about the connection (what a replay needs to start in the right link state). */
static bool is_state_note(const struct kept_record *k)
{
    static const char *const starts[] = {"connecting", "connected", "disconnected: "};
    if (k->kind != '!')
        return false;
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (k->len >= strlen(starts[i]) && !memcmp(k->data, starts[i], strlen(starts[i])))
            return true;
    return false;
}

/* Appends one record to the window and lets go of what fell out of it. Times are kept as
 * unsigned differences, so any clock values (even absurd ones) wrap, never overflow. */
static void ring_append(struct recorder *r, char kind, int64_t unix_us, int64_t mono_us,
                        const uint8_t *data, size_t len)
{
    uint64_t mono = (uint64_t)mono_us, off = (uint64_t)unix_us - (uint64_t)mono_us;
    uint8_t head[31];
    size_t hlen = 1;
    head[0] = (uint8_t)kind;
    hlen += put_varint(head + hlen, len);
    hlen += put_varint(head + hlen, r->has_last ? mono - r->last_mono : 0);
    hlen += put_varint(head + hlen, r->has_last ? off - r->last_off : 0);
    size_t need = hlen + len;
    if (need > r->keep_max)
        return;
    while (r->ring_start < r->ring_end) {
        struct kept_record first;
        kept_parse(r->ring + r->ring_start, &first);
        bool too_old = (int64_t)(mono - r->first_mono) > r->keep_us;
        bool too_big = r->ring_end - r->ring_start + need > r->keep_max;
        if (!too_old && !too_big)
            break;
        if (is_state_note(&first)) {
            uint8_t *copy = realloc(r->state_note, 21 + first.len);
            if (copy) {
                file_head(copy, first.kind, r->first_mono, r->first_off, first.len);
                memcpy(copy + 21, first.data, first.len);
                r->state_note = copy;
                r->state_note_len = 21 + first.len;
            }
        }
        r->ring_start += first.size;
        if (r->ring_start < r->ring_end) {
            struct kept_record next;
            kept_parse(r->ring + r->ring_start, &next);
            r->first_mono += next.dmono;
            r->first_off += next.doff;
        }
    }
    if (r->ring_end + need > r->ring_cap) {
        /* Slide the window to the front before growing. */
        if (r->ring_start)
            memmove(r->ring, r->ring + r->ring_start, r->ring_end - r->ring_start);
        r->ring_end -= r->ring_start;
        r->ring_start = 0;
        if (r->ring_end + need > r->ring_cap) {
            size_t cap = r->ring_cap ? r->ring_cap * 2 : 32768;
            while (cap < r->ring_end + need)
                cap *= 2;
            uint8_t *grown = realloc(r->ring, cap);
            if (!grown)
                return;
            r->ring = grown;
            r->ring_cap = cap;
        }
    }
    if (r->ring_start == r->ring_end) {
        r->ring_start = r->ring_end = 0;
        r->first_mono = mono;
        r->first_off = off;
    }
    memcpy(r->ring + r->ring_end, head, hlen);
    if (len)
        memcpy(r->ring + r->ring_end + hlen, data, len);
    r->ring_end += need;
    r->has_last = true;
    r->last_mono = mono;
    r->last_off = off;
}

static void append(struct recorder *r, char kind, int64_t mono, const uint8_t *data, size_t len)
{
    if (!r || len > RECORD_MAX_LEN)
        return;
    bool to_file = r->f && !r->full;
    if (to_file && r->max_bytes && r->written + 21 + len > r->max_bytes && kind != '!') {
        static const char msg[] = "recording stopped: --record-max reached";
        append(r, '!', mono, (const uint8_t *)msg, sizeof msg - 1);  /* notes pass the limit */
        r->full = true;
        fflush(r->f);
        to_file = false;
    }
    if (!to_file && !r->keep_us)
        return;
    uint8_t head[21];
    head[0] = (uint8_t)kind;
    put_u64(head + 1, (uint64_t)clock_unix_us());
    put_u64(head + 9, (uint64_t)mono);
    head[17] = (uint8_t)(len >> 24);
    head[18] = (uint8_t)(len >> 16);
    head[19] = (uint8_t)(len >> 8);
    head[20] = (uint8_t)len;
    if (r->keep_us)
        ring_append(r, kind, (int64_t)get_u64(head + 1), mono, data, len);
    if (!to_file)
        return;
    bool ok = fwrite(head, 1, sizeof head, r->f) == sizeof head && (len == 0 || fwrite(data, 1, len, r->f) == len);
    r->written += sizeof head + len;
    if (ok && (mono - r->flushed_mono_us >= 1000000 || kind == '!')) {
        ok = fflush(r->f) == 0;
        r->flushed_mono_us = mono;
    }
    if (!ok || ferror(r->f)) {
        /* A full disk: the recording stops here, and whoever started it is told. */
        r->write_errno = errno ? errno : EIO;
        r->full = true;
    }
}

const char *recorder_error(const struct recorder *r)
{
    return r && r->write_errno ? strerror(r->write_errno) : NULL;
}

void recorder_keep(struct recorder *r, int64_t keep_us, size_t max_bytes)
{
    if (!r)
        return;
    r->keep_us = keep_us;
    r->keep_max = max_bytes;
}

bool recorder_write_kept(const struct recorder *r, FILE *out)
{
    if (!r || !r->keep_us)
        return false;
    fputs(RECORD_MAGIC, out);
    fputs(r->header, out);
    int64_t first_unix = r->ring_end > r->ring_start ? (int64_t)(r->first_mono + r->first_off) : 0;
    time_t t = (time_t)(first_unix / 1000000);
    struct tm tm;
    char when[40] = "-";
    if (first_unix && gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(out, "kept: the last %lld min in memory, from %s\n\n", (long long)(r->keep_us / 60000000), when);
    /* How the link stood when the window opens, so a replay starts in the right state. */
    if (r->state_note)
        fwrite(r->state_note, 1, r->state_note_len, out);
    uint64_t mono = r->first_mono, off = r->first_off;
    for (size_t at = r->ring_start; at < r->ring_end;) {
        struct kept_record k;
        kept_parse(r->ring + at, &k);
        if (at != r->ring_start) {
            mono += k.dmono;
            off += k.doff;
        }
        uint8_t head[21];
        file_head(head, k.kind, mono, off, k.len);
        fwrite(head, 1, sizeof head, out);
        fwrite(k.data, 1, k.len, out);
        at += k.size;
    }
    return !ferror(out);
}

void recorder_bytes(struct recorder *r, char kind, const uint8_t *data, size_t len)
{
    append(r, kind, clock_mono_us(), data, len);
}

void recorder_tap(void *recorder, char kind, int64_t mono_us, const uint8_t *data, size_t len)
{
    append(recorder, kind, mono_us, data, len);
}

void recorder_note(struct recorder *r, const char *text)
{
    append(r, '!', clock_mono_us(), (const uint8_t *)text, strlen(text));
}

bool recorder_full(const struct recorder *r)
{
    return r && r->full;
}

bool recorder_finish(struct recorder *r, char *err, size_t errcap)
{
    if (!r)
        return true;
    if (r->f) {
        if ((fflush(r->f) != 0 || fclose(r->f) != 0) && !r->write_errno)
            r->write_errno = errno ? errno : EIO;
        r->f = NULL;
    }
    bool ok = !r->write_errno;
    if (!ok)
        snprintf(err, errcap, "the recording is incomplete: %s", strerror(r->write_errno));
    recorder_close(r);
    return ok;
}

void recorder_close(struct recorder *r)
{
    if (!r)
        return;
    if (r->f && fclose(r->f) != 0 && !r->write_errno)
        r->write_errno = errno ? errno : EIO;
    free(r->header);
    free(r->ring);
    free(r->state_note);
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

#define RECORD_HEADER_MAX 65536

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
    /* The header is a few text lines and an empty one: one that never ends (or runs on for
     * megabytes) is no recording, said so rather than read as records. */
    bool header_ended = false;
    size_t header_bytes = 0;
    while (fgets(line, sizeof line, in)) {
        if (strcmp(line, "\n") == 0) {
            header_ended = true;
            break;
        }
        size_t n = strlen(line);
        header_bytes += n;
        if (header_bytes > RECORD_HEADER_MAX)
            break;
        if (used + n < header_cap) {
            memcpy(header + used, line, n + 1);
            used += n;
        }
    }
    if (!header_ended) {
        snprintf(err, errcap, header_bytes > RECORD_HEADER_MAX ? "the header runs past %d bytes without its "
                 "empty line: not a recording" : "the header never ends (no empty line): cut off or not a recording",
                 RECORD_HEADER_MAX);
        return false;
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
