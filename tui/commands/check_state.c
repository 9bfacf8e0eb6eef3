/* The check's lock and its energy totals file. */
#define _GNU_SOURCE
#include "tui/commands/check_state.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Only [A-Za-z0-9._-] of a name goes into a file name. */
static void file_safe(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        out[n++] = (char)((*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z') ||
                                  (*in >= '0' && *in <= '9') || *in == '.' || *in == '-' ? *in : '_');
    out[n] = '\0';
}

/* $XDG_x_HOME/rcttop (or ~/fallback/rcttop), made if missing; false with why. */
static bool state_dir(const char *xdg_var, const char *fallback, char *out, size_t cap, char *why,
                      size_t why_cap)
{
    const char *xdg = getenv(xdg_var), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(out, cap, "%s/rcttop", xdg);
    else if (home && home[0] == '/')
        snprintf(out, cap, "%s/%s/rcttop", home, fallback);
    else {
        snprintf(why, why_cap, "neither %s nor HOME is set", xdg_var);
        return false;
    }
    /* Make each missing parent, private to the user. */
    for (char *p = out + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(out, 0700);
        *p = '/';
    }
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        snprintf(why, why_cap, "cannot make %.200s: %s", out, strerror(errno));
        return false;
    }
    return true;
}

int check_lock(const char *host, unsigned port, double wait_s, char *why, size_t cap)
{
    char dir[900], path[1100], name[300];
    /* The runtime directory is per user and cleared at boot; /tmp otherwise. */
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    if (runtime && runtime[0] == '/') {
        if (!state_dir("XDG_RUNTIME_DIR", ".cache", dir, sizeof dir, why, cap))
            return -2;
    } else {
        snprintf(dir, sizeof dir, "/tmp/rcttop-%u", (unsigned)getuid());
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            snprintf(why, cap, "cannot make %s: %s", dir, strerror(errno));
            return -2;
        }
    }
    file_safe(host, name, sizeof name);
    snprintf(path, sizeof path, "%.700s/check-%.200s-%u.lock", dir, name, port);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, cap, "cannot open the lock %s: %s", path, strerror(errno));
        return -2;
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(why, cap, "cannot lock %s: %s", path, strerror(errno));
            close(fd);
            return -2;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        if (waited >= wait_s) {
            snprintf(why, cap, "another check of %s:%u is running (waited %.0f s for it)", host,
                     port, waited);
            close(fd);
            return -1;
        }
        /* The lock is polled: flock has no timeout, and a check is short. */
        struct timespec step = {0, 100 * 1000 * 1000};
        nanosleep(&step, NULL);
    }
}

void check_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

const char *check_totals_path(const char *serial, char *out, size_t cap)
{
    char dir[900], why[256], name[128];
    if (!state_dir("XDG_STATE_HOME", ".local/state", dir, sizeof dir, why, sizeof why))
        snprintf(dir, sizeof dir, "$XDG_STATE_HOME/rcttop");
    file_safe(serial, name, sizeof name);
    snprintf(out, cap, "%s/totals-%s", dir, name);
    return out;
}

bool check_totals_load(const char *serial, const char *const *names, double *values, size_t n,
                       char *why, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        values[i] = NAN;
    char path[1100];
    check_totals_path(serial, path, sizeof path);
    FILE *in = fopen(path, "r");
    if (!in) {
        snprintf(why, cap, "%s", errno == ENOENT ? "no earlier run for this device" : strerror(errno));
        return false;
    }
    char line[256];
    bool any = false;
    while (fgets(line, sizeof line, in)) {
        char name[128];
        double v;
        /* "NAME VALUE": numbers written in the C locale, whatever the user's. */
        if (sscanf(line, "%127s %lf", name, &v) != 2 || !isfinite(v))
            continue;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(names[i], name)) {
                values[i] = v;
                any = true;
            }
    }
    fclose(in);
    if (!any)
        snprintf(why, cap, "%s holds no totals", path);
    return any;
}

bool check_totals_save(const char *serial, const char *const *names, const double *values,
                       size_t n, char *why, size_t cap)
{
    char path[1100], tmp[1200];
    double keep[16];
    char ignored[64];
    n = n > 16 ? 16 : n;
    check_totals_load(serial, names, keep, n, ignored, sizeof ignored);
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i]))
            keep[i] = values[i];
    char dir[900];
    if (!state_dir("XDG_STATE_HOME", ".local/state", dir, sizeof dir, why, cap))
        return false;
    check_totals_path(serial, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        snprintf(why, cap, "cannot write %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    fprintf(out, "# rcttop check: the energy totals (Wh) of the last run, to find a reset\n");
    for (size_t i = 0; i < n; i++)
        if (isfinite(keep[i]))
            fprintf(out, "%s %.1f\n", names[i], keep[i]);
    bool ok = fflush(out) == 0 && !ferror(out);
    ok = fclose(out) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(why, cap, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}
