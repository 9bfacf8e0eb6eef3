/* OIDs the device does not know: see session_internal.h. A real device stays silent
 * about an OID it does not know, exactly as a dead one would; the difference is that it
 * goes on answering the others. A lossy link loses answers too, so one round is not
 * enough: an OID never answered that went unanswered in two polling rounds (more on a
 * lossy link, until the loss would explain its silence less than once in 10 000), while
 * the device answered most other requests in between, is not supported by this device. An
 * OID known to work is asked once after the second round, and its answer confirms. The
 * scheduler asks a confirmed OID again every few minutes, so a wrong verdict heals. */
#include "proto/core/session_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec/registry.h"
#include "proto/core/store.h"

/* Attempts for an OID never answered, while the device answers others: one retry. */
#define NEVER_ANSWERED_ATTEMPTS 2
/* OIDs of a group found unsupported, none of it answered, before the rest of the group is
 * asked only once. */
#define GROUP_UNKNOWN_AFTER 3
/* ... and of a family (the same figure of every module): a firmware knows all or none. */
#define FAMILY_UNKNOWN_AFTER 1
/* Attempts in an unanswered OID's second round: five in all before a verdict (a 30 %
 * lossy link loses all five of a known OID 0.2 % of the time, and that verdict heals),
 * within a command's budget; the same live and replayed (a recording does not say which
 * requests were a plan's). */
#define SECOND_ROUND_ATTEMPTS 3
/* The share of other requests the device must have answered for silence to mean "does
 * not know it" rather than "the link lost it". */
#define ANSWERED_MOSTLY 0.5
/* How rarely the link's own loss may explain an OID's silence before it is called not
 * supported: over the hundred or so OIDs a monitor asks for the first time, a 30 % lossy
 * link then makes one wrong verdict in a hundred sessions, not in four. */
#define VERDICT_CHANCE 1e-4
#define VERDICT_ATTEMPTS_MAX 12

/* The part of a name its siblings share: "battery.cells_stat" of
 * "battery.cells_stat[3].u_min.time", "battery_placeholder[0].cells_stat" of the second
 * tower's (up to the last index: the tower's own is part of the family). */
static size_t family_length(const char *name)
{
    const char *bracket = strrchr(name, '[');
    return bracket ? (size_t)(bracket - name) : strlen(name);
}

/* Groups are related when one name extends the other ("battery", "battery_placeholder"):
 * a device without a battery knows neither tower's family. */
static bool related_group(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    if (strncmp(a, b, n) != 0)
        return false;
    return la == lb || (la > lb ? a[n] : b[n]) == '_';
}

/* Group and family of every registry OID as small numbers, worked out once: the check
 * below runs before an OID's first request, and comparing names there made a sweep of
 * the registry cost the square of its size. */
#define KIN_GROUPS_MAX 128
static struct {
    bool ready;
    size_t n, ngroups;
    uint16_t *group, *family;
    /* A family and its like in a related group (battery.cells_stat and the second
     * tower's battery_placeholder[0].cells_stat): one firmware knows both or neither. */
    uint16_t *tribe;
    bool related[KIN_GROUPS_MAX][KIN_GROUPS_MAX];
} kin;

/* The part of a family's name after its group's ("cells_stat" of both towers'). */
static const char *family_suffix(const char *name, size_t *len)
{
    size_t flen = family_length(name);
    const char *dot = memchr(name, '.', flen);
    const char *from = dot ? dot + 1 : name;
    *len = flen - (size_t)(from - name);
    return from;
}

static bool kin_build(void)
{
    if (kin.ready)
        return kin.group != NULL;
    kin.ready = true;
    size_t n = rct_registry_count();
    kin.group = calloc(n ? n : 1, sizeof *kin.group);
    kin.family = calloc(n ? n : 1, sizeof *kin.family);
    kin.tribe = calloc(n ? n : 1, sizeof *kin.tribe);
    const char *group_names[KIN_GROUPS_MAX];
    if (!kin.group || !kin.family || !kin.tribe)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const struct rct_oid_info *info = rct_registry_at(i);
        size_t g = 0;
        while (g < kin.ngroups && strcmp(group_names[g], info->group) != 0)
            g++;
        if (g == kin.ngroups) {
            if (kin.ngroups == KIN_GROUPS_MAX)
                goto fail;
            group_names[kin.ngroups++] = info->group;
        }
        kin.group[i] = (uint16_t)g;
        /* A family is numbered by its first member: members share the prefix. */
        size_t flen = family_length(info->name);
        size_t f = i;
        for (size_t j = 0; j < i; j++) {
            const char *other = rct_registry_at(j)->name;
            if (kin.family[j] == j && family_length(other) == flen && !strncmp(other, info->name, flen)) {
                f = j;
                break;
            }
        }
        kin.family[i] = (uint16_t)f;
    }
    for (size_t a = 0; a < kin.ngroups; a++)
        for (size_t b = 0; b < kin.ngroups; b++)
            kin.related[a][b] = related_group(group_names[a], group_names[b]);
    /* A tribe is numbered by its first family: only the families' first members compared. */
    for (size_t i = 0; i < n; i++) {
        size_t f = kin.family[i];
        if (f != i) {
            kin.tribe[i] = kin.tribe[f];
            continue;
        }
        size_t len;
        const char *suffix = family_suffix(rct_registry_at(i)->name, &len);
        kin.tribe[i] = (uint16_t)i;
        for (size_t j = 0; j < i; j++) {
            size_t other_len;
            const char *other;
            if (kin.family[j] != j || !kin.related[kin.group[j]][kin.group[i]])
                continue;
            other = family_suffix(rct_registry_at(j)->name, &other_len);
            if (other_len == len && !strncmp(other, suffix, len)) {
                kin.tribe[i] = kin.tribe[j];
                break;
            }
        }
    }
    kin.n = n;
    return true;
fail:
    free(kin.group);
    free(kin.family);
    free(kin.tribe);
    kin.group = kin.family = kin.tribe = NULL;
    return false;
}

/* What the store says of info's group (battery, ...) and family (battery.cells_stat[*]...,
 * of either tower): members found not supported, and whether any answered. False when
 * nothing is found unsupported yet (then no group or family can be). */
struct kin_counts {
    int group_unknown, family_unknown;
    bool group_known, family_known;
};
static bool kin_count(const struct session *s, const struct rct_oid_info *info,
                      struct kin_counts *out)
{
    memset(out, 0, sizeof *out);
    if (s->counters.unsupported == 0 || !kin_build())
        return false;
    size_t me = (size_t)(info - rct_registry_at(0));
    if (me >= kin.n)
        return false;
    size_t n = kin.n < store_count(s->store) ? kin.n : store_count(s->store);
    for (size_t i = 0; i < n; i++) {
        bool group = kin.related[kin.group[i]][kin.group[me]];
        bool family = kin.tribe[i] == kin.tribe[me] && i != me;
        if (!group && !family)
            continue;
        const struct store_entry *e = store_at(s->store, i);
        bool unknown = !e->has_value && e->state == STORE_UNSUPPORTED;
        out->group_known |= group && e->has_value;
        out->family_known |= family && e->has_value;
        out->group_unknown += group && unknown;
        out->family_unknown += family && unknown;
    }
    return true;
}

/* Whether the device does not know OIDs of this one's group or family and knows none of
 * them: a firmware without a battery, or without the cell statistics, ignores them all. */
static bool group_unknown(const struct session *s, const struct rct_oid_info *info)
{
    struct kin_counts k;
    return kin_count(s, info, &k) &&
           ((!k.group_known && k.group_unknown >= GROUP_UNKNOWN_AFTER) ||
            (!k.family_known && k.family_unknown >= FAMILY_UNKNOWN_AFTER));
}

/* The requests spent on OIDs still to be judged: the link rule leaves them out. */
static void count_suspects(struct session *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->nsuspects; i++) {
        const struct store_entry *e = store_get(s->store, s->suspects[i].oid);
        n += e ? e->timeouts : 0;
    }
    s->counters.suspect_requests = n;
}

static struct session_suspect *suspect_of(struct session *s, uint32_t oid)
{
    for (size_t i = 0; i < s->nsuspects; i++)
        if (s->suspects[i].oid == oid)
            return &s->suspects[i];
    return NULL;
}

void session_oids_first_send(struct session *s)
{
    const struct store_entry *e = store_get(s->store, s->current.oid);
    bool known = e && e->has_value;
    if (s->current.kind != SCHED_READ || s->current.max_attempts != 0 || known ||
        s->link.rtt_samples == 0 || s->link.cfg.retries + 1 <= 1)
        return;
    const struct rct_oid_info *info = rct_registry_by_id(s->current.oid);
    if (info && group_unknown(s, info))
        s->current.max_attempts = 1;  /* its whole group is unknown here: asked once */
    else if (suspect_of(s, s->current.oid)) {
        /* Its second round: more attempts, a verdict is at stake. */
        if (s->link.cfg.retries + 1 > SECOND_ROUND_ATTEMPTS)
            s->current.max_attempts = SECOND_ROUND_ATTEMPTS;
    }
    else if (s->link.cfg.retries + 1 > NEVER_ANSWERED_ATTEMPTS)
        s->current.max_attempts = NEVER_ANSWERED_ATTEMPTS;
}

void session_oids_sent(struct session *s)
{
    const struct store_entry *e = store_get(s->store, s->current.oid);
    /* A probe counts too: it is asked to learn whether the device answers. */
    s->asked_known = s->current.kind == SCHED_READ && ((e && e->has_value) || s->current.probe);
    s->known_requests += s->asked_known;
}

void session_oids_answered(struct session *s)
{
    s->known_answers += s->asked_known;
    s->asked_known = false;
}

/* Before any answer, a probe asks what nearly every device answers: its serial, and for
 * a gateway that passes live values only, its AC power. Both unanswered: it is silent. */
static const char *const well_known[] = {"inverter_sn", "g_sync.p_ac_sum_lp"};
#define WELL_KNOWN (sizeof well_known / sizeof well_known[0])

static void queue_probe(struct session *s, uint32_t not_this)
{
    uint32_t probe = s->last_answered;
    if (!probe) {
        if (s->blind_probes >= WELL_KNOWN)
            return;
        probe = rct_registry_by_name(well_known[s->blind_probes++])->oid;
    }
    if (probe != not_this)
        scheduler_probe(s->sched, probe);
}

bool session_oids_gave_up(struct session *s, const struct sched_request *req)
{
    const struct store_entry *e = store_get(s->store, req->oid);
    if (req->probe && req->kind == SCHED_READ && s->counters.answers == 0) {
        queue_probe(s, req->oid);  /* the next well-known one, if any is left */
        return false;
    }
    if (req->kind != SCHED_READ || req->probe || (e && e->has_value))
        return false;
    struct session_suspect *sus = suspect_of(s, req->oid);
    if (!sus && s->nsuspects >= SESSION_SUSPECTS_MAX)
        return false;
    const struct rct_oid_info *info = rct_registry_by_id(req->oid);
    if (!sus) {
        sus = &s->suspects[s->nsuspects++];
        *sus = (struct session_suspect){.oid = req->oid, .rounds = 1,
                                        .requests = s->known_requests,
                                        .answers = s->known_answers};
        if (info && group_unknown(s, info)) {
            /* Its family was found unknown, each in two rounds: one more fits that. */
            sus->ripe = true;
        } else if (req->planned && !scheduler_plan_again(s->sched, req->oid)) {
            /* A one-shot plan has no next round of its own: the OID is asked again after
             * a probe's answer, unless the plan cannot (then its one round decides). */
            sus->ripe = true;
        }
    } else {
        sus->rounds++;
        sus->ripe = true;
    }
    /* Asked once: the last OID answered, or before any answer one every device knows.
     * After the second round its answer judges; after a first between a plan's two rounds,
     * or when silences pile up (unknown OIDs in a row would otherwise read as a dead link). */
    if (!sus->ripe && !scheduler_one_shot(s->sched) &&
        s->link.consecutive_timeouts < s->link.cfg.degraded_after)
        return true;
    count_suspects(s);
    queue_probe(s, req->oid);
    return true;
}

/* Attempts, all unanswered, that the loss the device's known OIDs see would explain
 * less often than VERDICT_CHANCE: at least the two rounds' five, eight at 30 % loss. */
static unsigned attempts_for_verdict(const struct session *s)
{
    unsigned least = NEVER_ANSWERED_ATTEMPTS + SECOND_ROUND_ATTEMPTS;
    if (s->known_requests == 0 || s->known_answers >= s->known_requests)
        return least;
    double loss = 1.0 - (double)s->known_answers / (double)s->known_requests;
    if (loss >= 1.0)
        return VERDICT_ATTEMPTS_MAX;
    double needed = ceil(log(VERDICT_CHANCE) / log(loss));
    return needed <= least ? least : needed >= VERDICT_ATTEMPTS_MAX ? VERDICT_ATTEMPTS_MAX
                                                                  : (unsigned)needed;
}

size_t session_oids_confirm(struct session *s, uint32_t answered, int64_t now_ms, uint32_t *out,
                            size_t max)
{
    size_t n = 0, kept = 0;
    for (size_t i = 0; i < s->nsuspects; i++) {
        struct session_suspect sus = s->suspects[i];
        if (sus.oid == answered)
            continue;  /* answered after all: no suspect */
        if (!sus.ripe || n == max) {
            s->suspects[kept++] = sus;
            continue;
        }
        uint64_t asked = s->known_requests - sus.requests;
        uint64_t got = s->known_answers - sus.answers;
        if (asked == 0 || (double)got < ANSWERED_MOSTLY * (double)asked) {
            /* The link lost most of what the device knows: no verdict, its rounds start over. */
            sus.rounds = 1;
            sus.ripe = false;
            sus.requests = s->known_requests;
            sus.answers = s->known_answers;
            s->suspects[kept++] = sus;
            continue;
        }
        const struct store_entry *e = store_get(s->store, sus.oid);
        if (e && e->timeouts < attempts_for_verdict(s) && !scheduler_one_shot(s->sched)) {
            /* A lossy link: too few attempts yet for silence to mean "unknown here"; the
             * next round asks again (a one-shot command has no next round to wait for). */
            sus.ripe = false;
            s->suspects[kept++] = sus;
            continue;
        }
        s->counters.unsupported_requests += e ? e->timeouts : 0;
        store_note_unsupported(s->store, sus.oid);
        scheduler_note_unsupported(s->sched, sus.oid, now_ms);
        s->counters.unsupported++;
        out[n++] = sus.oid;
    }
    s->nsuspects = kept;
    count_suspects(s);
    return n;
}

void session_oids_forget(struct session *s)
{
    s->nsuspects = 0;
    s->blind_probes = 0;
    s->counters.suspect_requests = 0;
}

/* Members of a family found not supported, none answered, before the rest of a one-shot
 * plan's are settled without a frame. */
#define FAMILY_INFERRED_AFTER 2
bool session_oids_inferred(const struct session *s)
{
    const struct store_entry *e = store_get(s->store, s->current.oid);
    const struct rct_oid_info *info = rct_registry_by_id(s->current.oid);
    struct kin_counts k;
    /* Old firmware without the cell statistics, two towers: thirteen seconds of a check
     * were one timeout for each module's member. */
    return s->current.kind == SCHED_READ && !s->current.probe && scheduler_one_shot(s->sched) &&
           info && !(e && (e->has_value || e->state == STORE_UNSUPPORTED)) &&
           kin_count(s, info, &k) && !k.family_known && k.family_unknown >= FAMILY_INFERRED_AFTER;
}
