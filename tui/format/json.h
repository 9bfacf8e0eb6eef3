/* JSON for every output that has it (snapshots, the alert hook, check, watch, get, dump,
 * list, decode, history, events): one rule for strings and one for numbers.
 * Strings are escaped as untrusted (device text): quotes, backslashes and control bytes,
 * and any byte that is not well-formed UTF-8 as the Latin-1 character it would be, so the
 * output is valid JSON and valid UTF-8 whatever arrives. A number that is not finite
 * (NaN, an infinity) is null, never a string. Objects and arrays place their own commas.
 * Compact: no space anywhere, one document per call sequence. */
#ifndef RCT_JSON_H
#define RCT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/codec/value.h"

#define JSON_DEPTH_MAX 16

struct json {
    FILE *out;
    char *buf;                       /* json_open_buffer: the memory written to */
    size_t len;
    int depth;                       /* objects and arrays open */
    char closer[JSON_DEPTH_MAX];     /* '}' or ']' for each */
    bool more[JSON_DEPTH_MAX + 1];   /* a member or element is in it already: a comma next */
    bool after_key;                  /* a key was written, its value comes without a comma */
};

/* Writes to out (stdout, a file). */
void json_open(struct json *j, FILE *out);
/* Writes to memory; false when there is none. json_close_buffer returns the text (NUL
 * terminated, len bytes, to free()), or NULL when it could not be kept. */
bool json_open_buffer(struct json *j);
char *json_close_buffer(struct json *j, size_t *len);

/* '{' or '[' as the next value; json_end closes the innermost one. */
void json_object(struct json *j);
void json_array(struct json *j);
void json_end(struct json *j);
/* The next member's name; its value follows with one of the calls below. */
void json_key(struct json *j, const char *key);

/* s NULL is null. */
void json_string(struct json *j, const char *s);
void json_string_n(struct json *j, const char *s, size_t len);
/* printf-formatted text as a string ("0x%08X" of an OID; short text, up to 511 bytes). */
void json_stringf(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* %.10g. */
void json_number(struct json *j, double v);
/* A fixed number of decimals, as precise as the device measures. */
void json_fixed(struct json *j, double v, int decimals);
/* The shortest text that reads back as the same float. */
void json_float(struct json *j, float v);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A decoded value: number, bool, string, array or object (composites by their fields). */
void json_value(struct json *j, const struct rct_value *v);

#endif
