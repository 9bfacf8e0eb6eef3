/* What the session tells its owner of itself: the link's state and why, its counters and
 * timings, and what another client's traffic taught it. Reads only. */
#include "proto/core/session.h"
#include "proto/core/session_internal.h"

#include "proto/core/store.h"

const char *session_frame_class_name(enum session_frame_class cls)
{
    static const char *const names[] = {"sent", "answer", "foreign", "unsolicited",
                                        "truncated", "crc error", "broken", "timeout",
                                        "not supported"};
    return (unsigned)cls < sizeof names / sizeof names[0] ? names[cls] : "?";
}

void session_heard(const struct session *s, unsigned *distinct_oids, uint64_t *answers)
{
    *answers = s->counters.foreign;
    unsigned n = 0;
    for (size_t i = 0; i < store_count(s->store); i++)
        n += store_at(s->store, i)->has_value;
    *distinct_oids = n;
}

enum link_state session_state(const struct session *s)
{
    return s->link.state;
}

const char *session_state_detail(const struct session *s)
{
    return s->detail;
}

int64_t session_retry_at_ms(const struct session *s)
{
    return s->link.state == LINK_OFFLINE ? s->link.reconnect_at_ms : 0;
}

int64_t session_unreachable_since_ms(const struct session *s)
{
    return s->link.state == LINK_OFFLINE ? s->unreachable_since_unix_ms : 0;
}

int64_t session_timeout_ms(const struct session *s)
{
    return link_timeout_ms(&s->link);
}

double session_srtt_ms(const struct session *s)
{
    return s->link.rtt_samples ? s->link.srtt_ms : -1;
}

bool session_ever_connected(const struct session *s)
{
    return s->ever_connected;
}

const struct session_counters *session_counters(const struct session *s)
{
    return &s->counters;
}
