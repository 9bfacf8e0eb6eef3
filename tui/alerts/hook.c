/* The alert hook's children, watched through libevent. */
#define _GNU_SOURCE
#include "tui/alerts/hook.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/codec/value.h"
#include "tui/format/args.h"
#include "tui/format/json.h"
#include "tui/format/timearg.h"

#define HOOK_WORDS 32
#define HOOK_KINDS 8
#define HOOK_QUEUE 16

void alert_write_unit(struct json *j, const struct alert_device *dev)
{
    if (!dev->unit_line)
        return;
    json_key(j, "unit");
    json_object(j);
    json_key(j, "label");
    json_string(j, dev->label);
    json_key(j, "host");
    json_string(j, dev->host);
    json_key(j, "port");
    json_int(j, dev->port);
    json_key(j, "serial");
    json_string(j, dev->serial);
    json_end(j);
}

void alert_write_json(const struct alert_event *ev, const struct alert_device *dev, FILE *out)
{
    char when[40], since[40];
    struct json j;
    json_open(&j, out);
    json_object(&j);
    json_key(&j, "time");
    json_string(&j, timearg_iso(ev->time_unix, when, sizeof when));
    json_key(&j, "type");
    json_string(&j, "event");
    alert_write_unit(&j, dev);
    json_key(&j, "event");
    json_string(&j, ev->event);
    json_key(&j, "state");
    json_string(&j, alert_state_name(ev->state));
    json_key(&j, "severity");
    json_string(&j, health_severity_name(ev->severity));
    json_key(&j, "key");
    json_string(&j, ev->key);
    json_key(&j, "message");
    json_string(&j, ev->message);
    json_key(&j, "value");
    json_number(&j, ev->value);
    json_key(&j, "since");
    json_string(&j, timearg_iso(ev->since_unix, since, sizeof since));
    if (ev->state == ALERT_RESOLVED) {
        json_key(&j, "duration_s");
        json_int(&j, (long long)ev->duration_s);
    }
    json_key(&j, "device");
    json_object(&j);
    json_key(&j, "address");
    json_string(&j, dev->address);
    json_key(&j, "label");
    json_string(&j, dev->label);
    json_key(&j, "serial");
    json_string(&j, dev->serial);
    json_end(&j);
    if (ev->fault_bit >= 0) {
        json_key(&j, "fault");
        json_object(&j);
        json_key(&j, "bit");
        json_int(&j, ev->fault_bit);
        json_key(&j, "category");
        json_string(&j, ev->category);
        json_end(&j);
    }
    if (ev->rule[0]) {
        json_key(&j, "rule");
        json_string(&j, ev->rule);
    }
    if (ev->cause[0]) {
        json_key(&j, "cause");
        json_string(&j, ev->cause);
    }
    json_end(&j);
}

static int split_words(char *line, char **argv, int max)
{
    int n = 0;
    for (char *save = NULL, *w = strtok_r(line, " \t", &save); w && n < max - 1; w = strtok_r(NULL, " \t", &save))
        argv[n++] = w;
    argv[n] = NULL;
    return n;
}

static bool runnable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool hook_check_command(const char *command, char *why, size_t cap)
{
    char copy[512], *argv[HOOK_WORDS];
    snprintf(copy, sizeof copy, "%s", command);
    if (split_words(copy, argv, HOOK_WORDS) == 0) {
        snprintf(why, cap, "the alert command is empty");
        return false;
    }
    if (strchr(argv[0], '/')) {
        if (runnable(argv[0]))
            return true;
        snprintf(why, cap, "the alert command '%.200s' is not a program that can be run", argv[0]);
        return false;
    }
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char full[4400];
        snprintf(full, sizeof full, "%s/%s", *d ? d : ".", argv[0]);
        if (runnable(full))
            return true;
    }
    snprintf(why, cap, "the alert command '%.200s' is not found in PATH", argv[0]);
    return false;
}

struct hook_job {
    struct alert_event ev;
    struct alert_device dev;
};

struct hook_kind {
    char name[24];
    pid_t pid;                    /* 0: none running */
    struct hook_job running;
    int64_t started_ms;
    bool killed;
    int err_fd;
    struct event *err_event, *timer;
    char err[200];
    size_t err_len;
    struct hook_job queue[HOOK_QUEUE];
    unsigned qhead, qlen;
    struct hook_runner *owner;
};

struct hook_runner {
    struct event_base *base;
    char command[512];
    double timeout_s;
    hook_report_fn report;
    void *ctx;
    struct hook_kind kinds[HOOK_KINDS];
    struct event *sigchld;
    unsigned started;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void report(struct hook_runner *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(struct hook_runner *h, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (h->report)
        h->report(h->ctx, line);
}

static void start_next(struct hook_kind *k);

static void on_stderr(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct hook_kind *k = arg;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
        size_t room = sizeof k->err - 1 - k->err_len;
        size_t take = (size_t)n < room ? (size_t)n : room;
        memcpy(k->err + k->err_len, buf, take);
        k->err_len += take;
        k->err[k->err_len] = '\0';
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    event_del(k->err_event);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct hook_kind *k = arg;
    if (!k->pid)
        return;
    /* First asked to stop, then made to: the whole process group it started. */
    kill(-k->pid, k->killed ? SIGKILL : SIGTERM);
    k->killed = true;
    struct timeval tv = {2, 0};
    evtimer_add(k->timer, &tv);
}

static void finished(struct hook_kind *k, int status)
{
    struct hook_runner *h = k->owner;
    /* What is left in the pipe (a child's last words before it exits). */
    for (char buf[256]; k->err_fd >= 0;) {
        ssize_t n = read(k->err_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        size_t room = sizeof k->err - 1 - k->err_len, take = (size_t)n < room ? (size_t)n : room;
        memcpy(k->err + k->err_len, buf, take);
        k->err_len += take;
        k->err[k->err_len] = '\0';
    }
    for (char *p = k->err; *p; p++)
        if (*p == '\n' || *p == '\r' || (unsigned char)*p < 0x20)
            *p = ' ';
    double took = (double)(mono_ms() - k->started_ms) / 1000.0;
    char what[160];
    snprintf(what, sizeof what, "alert hook for %s (%s)", k->running.ev.key, alert_state_name(k->running.ev.state));
    if (k->killed)
        report(h, "%s: killed after %.0f s (hook timeout %.0f s)%s%s", what, took, h->timeout_s,
               k->err_len ? ": " : "", k->err);
    else if (WIFEXITED(status))
        report(h, "%s: exit %d in %.1f s%s%s", what, WEXITSTATUS(status), took, k->err_len ? ": " : "", k->err);
    else if (WIFSIGNALED(status))
        report(h, "%s: ended by signal %d%s%s", what, WTERMSIG(status), k->err_len ? ": " : "", k->err);
    if (k->err_event) {
        event_free(k->err_event);
        k->err_event = NULL;
    }
    if (k->err_fd >= 0)
        close(k->err_fd);
    k->err_fd = -1;
    evtimer_del(k->timer);
    k->pid = 0;
    start_next(k);
}

static void on_sigchld(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct hook_runner *h = arg;
    /* Only this runner's children: with several runners on one loop (`watch` over a
     * plant, one a unit) each hears every SIGCHLD, and reaping any child would take
     * another runner's exit from it. */
    for (int i = 0; i < HOOK_KINDS; i++) {
        int status;
        if (h->kinds[i].pid > 0 && waitpid(h->kinds[i].pid, &status, WNOHANG) == h->kinds[i].pid)
            finished(&h->kinds[i], status);
    }
}

void alert_device_init(struct alert_device *d, const char *host, uint16_t port, const char *label)
{
    memset(d, 0, sizeof *d);
    bool demo = !host || !host[0];
    if (demo)
        snprintf(d->address, sizeof d->address, "demo");
    else
        args_format_host_port(host, port, d->address, sizeof d->address);
    snprintf(d->label, sizeof d->label, "%s", label && label[0] ? label : demo ? "demo" : host);
    snprintf(d->host, sizeof d->host, "%s", demo ? "demo" : host);
    d->port = port;
}

void hook_environment(const struct alert_event *ev, const struct alert_device *dev,
                      struct hook_var vars[HOOK_VARS])
{
    static const char *const names[HOOK_VARS] = {
        "RCTTOP_EVENT", "RCTTOP_STATE", "RCTTOP_SEVERITY", "RCTTOP_KEY", "RCTTOP_MESSAGE",
        "RCTTOP_HOST", "RCTTOP_LABEL", "RCTTOP_SERIAL", "RCTTOP_VALUE", "RCTTOP_SINCE",
        "RCTTOP_TIME", "RCTTOP_DURATION"};
    for (int i = 0; i < HOOK_VARS; i++) {
        vars[i].name = names[i];
        vars[i].value[0] = '\0';
    }
    snprintf(vars[0].value, sizeof vars[0].value, "%s", ev->event);
    snprintf(vars[1].value, sizeof vars[1].value, "%s", alert_state_name(ev->state));
    snprintf(vars[2].value, sizeof vars[2].value, "%s", health_severity_name(ev->severity));
    snprintf(vars[3].value, sizeof vars[3].value, "%s", ev->key);
    snprintf(vars[4].value, sizeof vars[4].value, "%s", ev->message);
    snprintf(vars[5].value, sizeof vars[5].value, "%s", dev->address);
    snprintf(vars[6].value, sizeof vars[6].value, "%s", dev->label);
    snprintf(vars[7].value, sizeof vars[7].value, "%s", dev->serial);
    if (isfinite(ev->value))
        snprintf(vars[8].value, sizeof vars[8].value, "%.10g", ev->value);
    else
        snprintf(vars[8].value, sizeof vars[8].value, "%s", ev->value_text);
    timearg_iso(ev->since_unix, vars[9].value, sizeof vars[9].value);
    timearg_iso(ev->time_unix, vars[10].value, sizeof vars[10].value);
    /* Whole seconds, resolved only: how long it lasted (a firing one has not ended). */
    if (ev->state == ALERT_RESOLVED)
        snprintf(vars[11].value, sizeof vars[11].value, "%lld", (long long)ev->duration_s);
}

/* In the child: the event in the environment, then the program. Never returns. */
static void exec_child(const struct hook_runner *h, const struct hook_job *job, int in_fd, int err_fd)
{
    setpgid(0, 0);
    dup2(in_fd, STDIN_FILENO);
    dup2(err_fd, STDOUT_FILENO);   /* what it says goes to the log, never into `watch`'s JSON */
    dup2(err_fd, STDERR_FILENO);
    closefrom(3);
    signal(SIGPIPE, SIG_DFL);
    struct hook_var vars[HOOK_VARS];
    hook_environment(&job->ev, &job->dev, vars);
    for (int i = 0; i < HOOK_VARS; i++)
        setenv(vars[i].name, vars[i].value, 1);
    char copy[512], *argv[HOOK_WORDS];
    snprintf(copy, sizeof copy, "%s", h->command);
    split_words(copy, argv, HOOK_WORDS);
    execvp(argv[0], argv);
    dprintf(STDERR_FILENO, "cannot run %s: %s", argv[0], strerror(errno));
    _exit(127);
}

static void start(struct hook_kind *k, const struct hook_job *job)
{
    struct hook_runner *h = k->owner;
    int in[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0)
        { report(h, "alert hook for %s: cannot make a pipe: %s", job->ev.key, strerror(errno)); return; }
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        { report(h, "alert hook for %s: cannot make a pipe: %s", job->ev.key, strerror(errno)); return; }
    }
    /* The event as JSON, written before the child starts: it is small, a pipe holds it. */
    struct json j;
    char *json = NULL;
    size_t json_len = 0;
    if (json_open_buffer(&j)) {
        alert_write_json(&job->ev, &job->dev, j.out);
        fputc('\n', j.out);
        json = json_close_buffer(&j, &json_len);
    }
    if (json && write(in[1], json, json_len) != (ssize_t)json_len)
        report(h, "alert hook for %s: the event did not fit its stdin", job->ev.key);
    free(json);
    close(in[1]);
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(err[0]);
        close(err[1]);
        { report(h, "alert hook for %s: cannot start it: %s", job->ev.key, strerror(errno)); return; }
    }
    if (pid == 0)
        exec_child(h, job, in[0], err[1]);
    setpgid(pid, pid);   /* also here: the kill must find the group whoever runs first */
    close(in[0]);
    close(err[1]);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    k->pid = pid;
    k->running = *job;
    k->started_ms = mono_ms();
    k->killed = false;
    k->err_len = 0;
    k->err[0] = '\0';
    k->err_fd = err[0];
    k->err_event = event_new(h->base, err[0], EV_READ | EV_PERSIST, on_stderr, k);
    if (k->err_event)
        event_add(k->err_event, NULL);
    struct timeval tv = {(time_t)h->timeout_s, (suseconds_t)((h->timeout_s - floor(h->timeout_s)) * 1e6)};
    evtimer_add(k->timer, &tv);
    h->started++;
}

static void start_next(struct hook_kind *k)
{
    if (k->pid || k->qlen == 0)
        return;
    struct hook_job job = k->queue[k->qhead];
    k->qhead = (k->qhead + 1) % HOOK_QUEUE;
    k->qlen--;
    start(k, &job);
}

struct hook_runner *hook_runner_new(struct event_base *base, const char *command,
                                    double timeout_s, hook_report_fn report_fn, void *ctx)
{
    struct hook_runner *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base = base;
    snprintf(h->command, sizeof h->command, "%s", command);
    h->timeout_s = timeout_s > 0 ? timeout_s : 30;
    h->report = report_fn;
    h->ctx = ctx;
    for (int i = 0; i < HOOK_KINDS; i++) {
        h->kinds[i].owner = h;
        h->kinds[i].err_fd = -1;
        h->kinds[i].timer = evtimer_new(base, on_timeout, &h->kinds[i]);
    }
    h->sigchld = evsignal_new(base, SIGCHLD, on_sigchld, h);
    if (h->sigchld)
        event_add(h->sigchld, NULL);
    return h;
}

void hook_runner_fire(struct hook_runner *h, const struct alert_event *ev, const struct alert_device *dev)
{
    struct hook_kind *k = NULL;
    for (int i = 0; i < HOOK_KINDS && !k; i++)
        if (!strcmp(h->kinds[i].name, ev->event))
            k = &h->kinds[i];
    for (int i = 0; i < HOOK_KINDS && !k; i++)
        if (!h->kinds[i].name[0]) {
            k = &h->kinds[i];
            snprintf(k->name, sizeof k->name, "%s", ev->event);
        }
    if (!k)
        { report(h, "alert hook for %s: too many kinds of event", ev->key); return; }
    if (k->qlen == HOOK_QUEUE) {
        report(h, "alert hook for %s: %u runs of '%s' waiting; the oldest is dropped", ev->key,
               HOOK_QUEUE, k->name);
        k->qhead = (k->qhead + 1) % HOOK_QUEUE;
        k->qlen--;
    }
    k->queue[(k->qhead + k->qlen) % HOOK_QUEUE] = (struct hook_job){*ev, *dev};
    k->qlen++;
    start_next(k);
}

unsigned hook_runner_started(const struct hook_runner *h)
{
    return h->started;
}

unsigned hook_runner_busy(const struct hook_runner *h)
{
    unsigned n = 0;
    for (int i = 0; i < HOOK_KINDS; i++)
        n += (h->kinds[i].pid != 0) + h->kinds[i].qlen;
    return n;
}

void hook_runner_free(struct hook_runner *h)
{
    if (!h)
        return;
    for (int i = 0; i < HOOK_KINDS; i++) {
        struct hook_kind *k = &h->kinds[i];
        if (k->pid) {
            kill(-k->pid, SIGKILL);
            waitpid(k->pid, NULL, 0);
        }
        if (k->err_event)
            event_free(k->err_event);
        if (k->err_fd >= 0)
            close(k->err_fd);
        if (k->timer)
            event_free(k->timer);
    }
    if (h->sigchld)
        event_free(h->sigchld);
    free(h);
}
