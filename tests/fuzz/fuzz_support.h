/* Helpers shared by the fuzz targets: input as a NUL-terminated string, input as a file
 * with a path (memfd), and a way to catch or silence what code under test prints. */
#ifndef RCT_FUZZ_SUPPORT_H
#define RCT_FUZZ_SUPPORT_H

#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bytes as a C string on the heap, cut at the first NUL the input holds (as a shell
 * argument would be), so ASan sees any read past its end. Free with free(). */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The bytes as a file: a memfd, reachable by path as /proc/self/fd/N (the path contains
 * '/', so loaders treat it as a path, not a name). Returns the fd, -1 on failure. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("rct-fuzz", 0);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

/* Capturing fd 2 around a call. Sanitizer reports go to a duplicate of the real stderr
 * (set up once), so a crash inside a captured call is still reported where it belongs;
 * libFuzzer's own one-line crash notes may land in the capture, the artifact does not. */
static int fuzz_real_stderr = -1;
static int fuzz_capture_fd = -1;

static inline void fuzz_stderr_init(void)
{
    if (fuzz_real_stderr >= 0)
        return;
    fuzz_real_stderr = dup(2);
    if (fuzz_real_stderr >= 0)
        __sanitizer_set_report_fd((void *)(intptr_t)fuzz_real_stderr);
    fuzz_capture_fd = memfd_create("rct-fuzz-stderr", 0);
}

/* From here on, writes to fd 2 go into the capture (emptied first). */
static inline void fuzz_stderr_begin(void)
{
    fflush(stderr);
    if (fuzz_capture_fd < 0 || fuzz_real_stderr < 0)
        return;
    if (ftruncate(fuzz_capture_fd, 0) != 0 || lseek(fuzz_capture_fd, 0, SEEK_SET) != 0)
        return;
    dup2(fuzz_capture_fd, 2);
}

/* Restores fd 2; returns how many bytes were written to it meanwhile. If `echo`, they
 * are copied to the real stderr (to show what was printed before trapping). */
static inline size_t fuzz_stderr_end(bool echo)
{
    fflush(stderr);
    if (fuzz_capture_fd < 0 || fuzz_real_stderr < 0)
        return 0;
    dup2(fuzz_real_stderr, 2);
    struct stat st;
    if (fstat(fuzz_capture_fd, &st) != 0)
        return 0;
    if (echo && st.st_size > 0) {
        char buf[1024];
        ssize_t n = pread(fuzz_capture_fd, buf, sizeof buf, 0);
        if (n > 0 && write(2, buf, (size_t)n) < 0)
            return (size_t)st.st_size;
    }
    return (size_t)st.st_size;
}

#endif
