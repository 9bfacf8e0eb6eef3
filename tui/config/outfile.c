/* Exclusive, private file creation for what the monitor writes, with a fallback
 * directory that belongs to the user instead of a shared /tmp. */
#include "tui/config/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *outfile_state_dir(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, cap, "%s/rcttop", xdg);
    else if (home && home[0] == '/')
        snprintf(buf, cap, "%s/.local/state/rcttop", home);
    else
        return NULL;
    return buf;
}

/* mkdir -p with private permissions for the directories it creates. */
static int make_dirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static FILE *create_in(const char *dir, const char *prefix, const char *stamp,
                       const char *suffix, char *path, size_t cap, int *err)
{
    for (int n = 1; n < 100; n++) {
        char num[16] = "";
        if (n > 1)
            snprintf(num, sizeof num, "-%d", n);
        int len = snprintf(path, cap, "%s/%s-%s%s%s", dir, prefix, stamp, num, suffix);
        if (len < 0 || (size_t)len >= cap) {
            *err = ENAMETOOLONG;
            return NULL;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "w");
            if (!f) {
                *err = errno;
                close(fd);
                unlink(path);
            }
            return f;
        }
        *err = errno;
        if (errno != EEXIST)
            return NULL;
    }
    return NULL;
}

FILE *outfile_open_new(const char *path, char *err, size_t err_cap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, err_cap, "cannot create %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
    }
    return f;
}

FILE *outfile_create(const char *prefix, time_t when, const char *suffix, char *path,
                     size_t path_cap, char *err, size_t err_cap)
{
    char stamp[32];
    struct tm tm;
    localtime_r(&when, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    int why = 0;
    FILE *f = create_in(".", prefix, stamp, suffix, path, path_cap, &why);
    if (f)
        return f;
    int cwd_why = why;
    char state[900];
    if (!outfile_state_dir(state, sizeof state)) {
        snprintf(err, err_cap, "cannot write in the working directory (%s) and neither "
                 "$XDG_STATE_HOME nor $HOME is set", strerror(cwd_why));
        return NULL;
    }
    if (make_dirs(state) != 0) {
        snprintf(err, err_cap, "cannot write in the working directory (%s) nor create %s (%s)",
                 strerror(cwd_why), state, strerror(errno));
        return NULL;
    }
    f = create_in(state, prefix, stamp, suffix, path, path_cap, &why);
    if (!f)
        snprintf(err, err_cap, "cannot write in the working directory (%s) nor in %s (%s)",
                 strerror(cwd_why), state, strerror(why));
    return f;
}
