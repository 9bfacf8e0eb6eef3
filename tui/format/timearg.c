/* Parsing and printing of the times users give and read: strict about what is
 * accepted, so a typo is an error instead of a silently different range. */
#include "tui/format/timearg.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool read_digits(const char **p, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += count;
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone involved). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "-90s", "-30min", "-2h", "-1d", "-1w": that long before now. */
static bool parse_ago(const char *text, int64_t *out)
{
    const char *p = text + 1;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || digits > 6)
        return false;
    int64_t n = strtoll(p, NULL, 10);
    static const struct { const char *unit; int64_t seconds; } units[] = {
        {"s", 1}, {"min", 60}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 7 * 86400}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(p + digits, units[i].unit)) {
            *out = (int64_t)time(NULL) - n * units[i].seconds;
            return true;
        }
    return false;
}

bool timearg_parse(const char *text, int64_t *out)
{
    if (!text || !*text)
        return false;
    if (text[0] == '-')
        return parse_ago(text, out);
    size_t n = strlen(text);
    if (strspn(text, "0123456789") == n) {
        if (n > 12)
            return false;
        *out = strtoll(text, NULL, 10);
        return true;
    }
    const char *p = text;
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo) || *p++ != '-' ||
        !read_digits(&p, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &s))
                return false;
        }
        if (h > 23 || mi > 59 || s > 60)
            return false;
    }
    if (*p == '\0') {
        struct tm tm = {0};
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = s;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
            return false;
        *out = (int64_t)t;
        return true;
    }
    int offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!read_digits(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (!read_digits(&p, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    return true;
}

const char *timearg_format(int64_t unix_ts, bool utc, char *buf, size_t cap)
{
    time_t t = (time_t)unix_ts;
    struct tm tm;
    if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL) {
        snprintf(buf, cap, "%lld", (long long)unix_ts);
        return buf;
    }
    if (cap && strftime(buf, cap, utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm) == 0)
        buf[0] = '\0';  /* too small: strftime leaves the buffer unterminated */
    return buf;
}

const char *timearg_span_words(int64_t seconds, char *buf, size_t cap)
{
    long long a = seconds < 0 ? -(long long)seconds : (long long)seconds;
    if (a < 60)
        snprintf(buf, cap, "%lld s", a);
    else if (a < 3600)
        snprintf(buf, cap, "%lld min", a / 60);
    else if (a < 172800)
        snprintf(buf, cap, "%lld h %02lld min", a / 3600, a % 3600 / 60);
    else
        snprintf(buf, cap, "%lld days", a / 86400);
    return buf;
}

const char *timearg_iso(int64_t unix_ts, char *buf, size_t cap)
{
    time_t t = (time_t)unix_ts;
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        snprintf(buf, cap, "%lld", (long long)unix_ts);
        return buf;
    }
    char zone[8];
    strftime(zone, sizeof zone, "%z", &tm);   /* +0100 -> +01:00 */
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
    size_t n = strlen(buf);
    if (strlen(zone) == 5 && n + 7 <= cap)
        snprintf(buf + n, cap - n, "%.3s:%.2s", zone, zone + 3);
    return buf;
}
