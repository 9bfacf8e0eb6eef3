/* Inside the configuration: the option table (options.c), one row per key with its type,
 * typed default, range or choices and field. Not public: callers use config.h. */
#ifndef RCT_OPTIONS_H
#define RCT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Which section a row belongs to, and so which struct its field is in: struct config,
 * struct config_device, struct health_thresholds, struct alert_settings, struct
 * config_plant. */
enum option_scope { OPTION_GENERAL, OPTION_DEVICE, OPTION_CHECK, OPTION_ALERTS, OPTION_PLANT };

enum option_type {
    OPTION_BOOL,
    OPTION_INT,
    OPTION_DOUBLE,
    OPTION_STRING,
    OPTION_CHOICE,    /* a string, one of the row's choices */
    OPTION_WINDOW,    /* "HH:MM-HH:MM" into two ints, minutes of the day (-1: none) */
    OPTION_COMMAND,   /* a string, a program the hook can run ("" = none) */
};

struct option_def {
    enum option_scope scope;
    const char *key;
    enum option_type type;
    double number;               /* the default of a bool or a number */
    const char *text;            /* the default as the sample writes it (a string's value) */
    double min, max;             /* numbers: the range; strings: min is the shortest length */
    const char *(*choice)(size_t index);   /* OPTION_CHOICE: each choice, NULL past the last */
    size_t field, size;          /* where in its scope's struct, and how big */
    size_t field_end;            /* OPTION_WINDOW: where the end of the window goes */
    const char *help;
    const char *example;         /* the sample sets this instead of the default */
    bool inherits;               /* 0 or empty stands for the [general] key of the name */
};

/* A section's name in the file ("general", "check", "alerts"; "device:" before a name). */
const char *options_section_name(enum option_scope scope);
/* The scope of the section called name ("device:home" is a device), false for none. */
bool options_section_scope(const char *name, enum option_scope *scope);
/* The row for key in scope, or NULL. */
const struct option_def *options_find(enum option_scope scope, const char *key);
size_t options_count(void);
const struct option_def *options_at(size_t i);
/* Every row of scope's default into base (the scope's struct). */
void options_set_defaults(enum option_scope scope, void *base);
/* The text a string may be: its shortest and longest length. */
void options_text_limits(const struct option_def *o, size_t *min_len, size_t *max_len);
/* "auto, utc or local": the choices a message lists (the empty one goes unsaid). */
const char *options_choice_list(const struct option_def *o, char *buf, size_t cap);

#endif
