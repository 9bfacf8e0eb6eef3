/* The simulated plant: sun on two strings, household load, a battery within its SOC
 * limits, grid as the balance, and energy counters integrated from those same powers,
 * all a pure function of seed and time, so every test sees the same device. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/codec/registry.h"
#include "proto/sim/sim_internal.h"

#define PI 3.14159265358979323846
#define SOC_MIN 0.07f
#define SOC_MAX 0.97f
#define BAT_MAX_W 3000.0f
#define INSTALL_DAYS 400         /* history reaches this far back before the start */

int64_t sim_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Simulated time runs from the start at cfg.speed times the host's pace. */
double sim_now(const struct sim *sim)
{
    return sim->start_unix + (double)(sim_mono_ms() - sim->start_mono_ms) / 1000.0 * sim->cfg.speed;
}

uint32_t sim_hash(uint32_t seed, uint32_t a, uint32_t b)
{
    /* A small avalanche mix: same inputs, same device, on every machine. */
    uint32_t h = seed * 0x9E3779B1u ^ a * 0x85EBCA77u ^ b * 0xC2B2AE3Du;
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    h *= 0x846CA68Bu;
    h ^= h >> 16;
    return h;
}

static double hash01(uint32_t seed, uint32_t a, uint32_t b)
{
    return (double)sim_hash(seed, a, b) / 4294967296.0;
}

/* Smooth noise in [0,1]: hashed knots every `period` seconds, cosine-interpolated. */
static double smooth_noise(uint32_t seed, uint32_t channel, double t, double period)
{
    double x = t / period;
    double k = floor(x);
    double f = x - k;
    double a = hash01(seed, channel, (uint32_t)(int64_t)k);
    double b = hash01(seed, channel, (uint32_t)(int64_t)(k + 1));
    double w = (1 - cos(f * PI)) / 2;
    return a * (1 - w) + b * w;
}

static double bump(double hour, double centre, double width)
{
    double d = (hour - centre) / width;
    return exp(-d * d);
}

static int day_of_year(int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_yday;
}

/* Sun elevation factor 0..1 at a UTC hour of a given day, for a site in central Europe
 * (solar noon about 11:30 UTC). */
static double sun(int doy, double hour)
{
    double daylen = 12.0 + 4.0 * sin(2 * PI * (doy - 80) / 365.0);
    double rise = 11.5 - daylen / 2;
    if (hour <= rise || hour >= rise + daylen)
        return 0;
    return sin(PI * (hour - rise) / daylen);
}

static void totals_add(struct sim_totals *acc, const struct sim_totals *add)
{
    acc->pv_a += add->pv_a;
    acc->pv_b += add->pv_b;
    acc->ac += add->ac;
    acc->load += add->load;
    acc->feed += add->feed;
    acc->grid_load += add->grid_load;
    acc->charge += add->charge;
    acc->discharge += add->discharge;
    acc->ext += add->ext;
}

static const struct sim_day *day_table(struct sim *sim, int64_t day, int depth);

/* SOC at the start of a day: the end of the previous day, so the battery carries over
 * midnight; a seeded guess where the chain has to stop. */
static float start_soc(struct sim *sim, int64_t day, int depth)
{
    if (depth >= 3)
        return (float)(0.25 + 0.2 * hash01(sim->cfg.seed, 11, (uint32_t)day));
    return day_table(sim, day - 1, depth + 1)->m[1440].soc;
}

/* A master's slaves' AC power each minute of a day: what its S0 input sees. */
static void slaves_ac(struct sim *sim, int64_t day, float ext[1441])
{
    memset(ext, 0, 1441 * sizeof ext[0]);
    for (size_t i = 0; i < sim->nslaves; i++) {
        const struct sim_day *d = day_table(sim->slaves[i], day, 0);
        for (int m = 0; m <= 1440; m++)
            ext[m] += d->m[m].ac;
    }
}

static void compute_day(struct sim *sim, struct sim_day *d, int64_t day, int depth)
{
    float ext[1441];
    slaves_ac(sim, day, ext);
    uint32_t seed = sim->cfg.seed;
    int doy = day_of_year(day);
    double season = 0.55 + 0.45 * sin(2 * PI * (doy - 80) / 365.0);
    double weather = 0.45 + 0.55 * hash01(seed, 12, (uint32_t)day);
    float soc = start_soc(sim, day, depth);
    struct sim_totals e = {0};
    d->day = day;
    for (int m = 0; m <= 1440; m++) {
        double t = (double)day * 86400 + m * 60.0;
        double hour = m / 60.0;
        double clouds = weather * (0.6 + 0.4 * smooth_noise(seed, 1, t, 900));
        double elev = sun(doy, hour);
        double pv_a = 4200 * pow(sun(doy, hour + 0.7), 1.2) * season * clouds;
        double pv_b = 2600 * pow(sun(doy, hour - 0.7), 1.2) * season * clouds;
        /* Diffuse light from the whole sky reaches both roof faces while the sun is up. */
        double diffuse = 140 * pow(elev, 1.2) * season * clouds;
        pv_a += diffuse;
        pv_b += diffuse * 0.6;
        const struct sim_conditions *cond = &sim->cfg.cond;
        if (cond->dead_string == 'A' || cond->stuck_string == 'A')
            pv_a = 0;  /* a string, a connector or a tracker out: the plant stays coherent */
        if (cond->dead_string == 'B' || cond->stuck_string == 'B' || !sim_has_string_b(sim))
            pv_b = 0;
        double load = 280 + 900 * bump(hour, 7.5, 1.0) + 1400 * bump(hour, 12.5, 0.8) +
                      1600 * bump(hour, 19.0, 1.5) + 500 * smooth_noise(seed, 2, t, 180);
        if (hash01(seed, 3, (uint32_t)(t / 600)) < 0.08)
            load += 1800;  /* a kettle, an oven: short spikes */
        double pv_ac = (pv_a + pv_b) * 0.97;
        /* A master's battery and the grid see the whole plant: its slaves' AC too. */
        double surplus = pv_ac + ext[m] - load;
        if (!sim_has_pv(sim)) {
            /* AC-coupled storage: it follows the surplus of PV beside it on the house's AC
             * side (the same sun), and has no strings of its own. */
            pv_a = pv_b = pv_ac = 0;
        }
        double bat = 0;  /* positive = discharging */
        if (!sim_has_battery(sim))
            ;  /* an inverter without storage: the grid balances everything */
        else if (cond->soc_hold > 0)
            soc = (float)cond->soc_hold;  /* held idle (a target reached, an external strategy) */
        else if (surplus > 0 && soc < SOC_MAX)
            bat = -fmin(surplus, BAT_MAX_W);
        else if (surplus < 0 && soc > SOC_MIN)
            bat = fmin(-surplus, BAT_MAX_W);
        /* Within the minute the battery must stay inside its limits. */
        double dsoc = -bat / 60.0 / SIM_CAPACITY_WH;
        if (soc + dsoc > SOC_MAX)
            bat = -(SOC_MAX - soc) * 60.0 * SIM_CAPACITY_WH;
        if (soc + dsoc < SOC_MIN)
            bat = (soc - SOC_MIN) * 60.0 * SIM_CAPACITY_WH;
        double ac = pv_ac + bat;
        double grid = load - ac - ext[m];
        if (fabs(grid) < 1e-3)
            grid = 0;  /* balanced by the battery: no rounding dust in the counters */
        struct sim_minute *mm = &d->m[m];
        mm->pv_a = (float)pv_a;
        mm->pv_b = (float)pv_b;
        mm->load = (float)load;
        mm->bat = (float)bat;
        mm->ac = (float)ac;
        mm->grid = (float)grid;
        mm->soc = soc;
        mm->elev = (float)elev;
        mm->ext = ext[m];
        mm->e = e;
        if (m == 1440)
            break;
        e.pv_a += pv_a / 60;
        e.pv_b += pv_b / 60;
        e.ac += ac / 60;
        e.load += load / 60;
        e.feed += grid < 0 ? -grid / 60 : 0;
        e.grid_load += grid > 0 ? grid / 60 : 0;
        e.charge += bat < 0 ? -bat / 60 : 0;
        e.discharge += bat > 0 ? bat / 60 : 0;
        e.ext += ext[m] / 60.0;
        soc = (float)(soc - bat / 60.0 / SIM_CAPACITY_WH);
    }
}

static const struct sim_day *day_table(struct sim *sim, int64_t day, int depth)
{
    for (unsigned i = 0; i < SIM_DAY_CACHE; i++)
        if (sim->days[i].day == day)
            return &sim->days[i];
    struct sim_day *slot = &sim->days[sim->next_slot];
    sim->next_slot = (sim->next_slot + 1) % SIM_DAY_CACHE;
    slot->day = -1;
    compute_day(sim, slot, day, depth);
    return slot;
}

static struct sim_totals day_totals(struct sim *sim, int64_t day)
{
    size_t slot = (size_t)((uint64_t)day % SIM_TOTALS_CACHE);
    if (sim->totals[slot].day == day)
        return sim->totals[slot].t;
    struct sim_totals t = day_table(sim, day, 0)->m[1440].e;
    sim->totals[slot].day = day;
    sim->totals[slot].t = t;
    return t;
}

static void sum_days(struct sim *sim, int64_t from, int64_t to, struct sim_totals *acc)
{
    for (int64_t d = from; d < to; d++) {
        struct sim_totals t = day_totals(sim, d);
        totals_add(acc, &t);
    }
}

static int64_t floor_day(double t)
{
    return (int64_t)floor(t / 86400.0);
}

/* First day of the month / year containing `day`. */
static int64_t month_start(int64_t day, bool year)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    return day - (year ? tm.tm_yday : tm.tm_mday - 1);
}

void sim_plant_at(struct sim *sim, double t, struct sim_plant *out)
{
    int64_t day = floor_day(t);
    const struct sim_day *d = day_table(sim, day, 0);
    double into = t - (double)day * 86400;
    int m = (int)(into / 60);
    if (m > 1439)
        m = 1439;
    const struct sim_minute *mm = &d->m[m];
    double frac_h = (into - m * 60.0) / 3600.0;
    memset(out, 0, sizeof *out);
    out->pv_a = mm->pv_a;
    out->pv_b = mm->pv_b;
    out->load = mm->load;
    out->bat = mm->bat;
    out->grid = mm->grid;
    out->ac = mm->ac;
    out->elev = mm->elev;
    out->soc = (float)(mm->soc - mm->bat * frac_h / SIM_CAPACITY_WH);
    /* Energy so far today: whole minutes from the table plus this minute's share. */
    out->day = mm->e;
    out->day.pv_a += mm->pv_a * frac_h;
    out->day.pv_b += mm->pv_b * frac_h;
    out->day.ac += mm->ac * frac_h;
    out->day.load += mm->load * frac_h;
    out->day.feed += mm->grid < 0 ? -mm->grid * frac_h : 0;
    out->day.grid_load += mm->grid > 0 ? mm->grid * frac_h : 0;
    out->day.charge += mm->bat < 0 ? -mm->bat * frac_h : 0;
    out->day.discharge += mm->bat > 0 ? mm->bat * frac_h : 0;
    out->day.ext += mm->ext * frac_h;
    out->ext = mm->ext;
    out->month = out->day;
    sum_days(sim, month_start(day, false), day, &out->month);
    out->year = out->day;
    sum_days(sim, month_start(day, true), day, &out->year);
    /* Earlier years: a seeded lifetime production, scaled like this year's mix. */
    double years = 2.0 + 3.0 * hash01(sim->cfg.seed, 13, 0);
    out->total = out->year;
    struct sim_totals base = {5.2e6, 3.1e6, 7.9e6, 6.5e6, 3.6e6, 2.3e6, 2.0e6, 1.9e6, 0};
    if (!sim_has_string_b(sim))
        base.pv_b = 0;  /* never connected: nothing in its lifetime */
    if (!sim_has_pv(sim)) {
        base.pv_a = 0;
        base.ac = base.discharge - base.charge;  /* what it gave minus what it took */
    }
    if (!sim_has_battery(sim))
        base.charge = base.discharge = 0;
    base.pv_a *= years; base.pv_b *= years; base.ac *= years; base.load *= years;
    base.feed *= years; base.grid_load *= years; base.charge *= years;
    base.discharge *= years;
    totals_add(&out->total, &base);
    for (int i = 0; i < 3; i++)
        out->u_l[i] = (float)(229.0 + 4.0 * smooth_noise(sim->cfg.seed, 20 + (uint32_t)i, t, 40));
    out->freq = (float)(49.97 + 0.06 * smooth_noise(sim->cfg.seed, 24, t, 30));
}

void sim_fault_words(struct sim *sim, double t, uint32_t words[4])
{
    memcpy(words, sim->cfg.faults, 4 * sizeof words[0]);
    if (sim->cfg.faults_cycle_s > 0) {
        /* Battery overcurrent (bit 16) during the first third of every cycle. */
        double phase = fmod(t - sim->start_unix, sim->cfg.faults_cycle_s);
        if (phase >= 0 && phase < sim->cfg.faults_cycle_s / 3)
            words[0] |= 1u << 16;
    }
}

static const char *const profile_names[] = {"storage", "inverter", "old-firmware", "dual-tower", "single-string",
                                            "storage-ac"};

static const char *const role_names[] = {"standalone", "master", "slave"};

const char *sim_role_name(size_t role)
{
    return role < sizeof role_names / sizeof role_names[0] ? role_names[role] : NULL;
}

bool sim_role_from_name(const char *name, int *role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (!strcmp(name, role_names[i])) {
            *role = (int)i;
            return true;
        }
    return false;
}

const char *sim_profile_name(size_t index)
{
    return index < sizeof profile_names / sizeof profile_names[0] ? profile_names[index] : NULL;
}

bool sim_profile_from_name(const char *name, enum sim_profile *out)
{
    for (size_t i = 0; i < sizeof profile_names / sizeof profile_names[0]; i++)
        if (!strcmp(name, profile_names[i])) {
            *out = (enum sim_profile)i;
            return true;
        }
    return false;
}

bool sim_profiles_parse(const char *list, struct sim_config *config, char *why, size_t cap)
{
    char copy[160];
    snprintf(copy, sizeof copy, "%s", list);
    enum sim_profile kind = SIM_PROFILE_STORAGE;
    bool kind_set = false, old = false;
    for (char *save = NULL, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        enum sim_profile p;
        if (!sim_profile_from_name(name, &p)) {
            char names[160] = "";
            for (size_t i = 0; sim_profile_name(i); i++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                         sim_profile_name(i));
            snprintf(why, cap, "unknown profile '%s' (%s)", name, names);
            return false;
        }
        if (p == SIM_PROFILE_OLD_FIRMWARE) {
            old = true;
            continue;
        }
        if (kind_set && p != kind) {
            snprintf(why, cap, "profiles '%s' and '%s' are two kinds of site; only old-firmware "
                     "combines with another", sim_profile_name(kind), name);
            return false;
        }
        kind = p;
        kind_set = true;
    }
    config->profile = kind_set || !old ? kind : SIM_PROFILE_OLD_FIRMWARE;
    config->old_firmware = old;
    return true;
}

/* What a kind of site does not know at all, whatever the quirks. */
static bool profile_unknown(const struct sim *sim, const struct rct_oid_info *info)
{
    /* Single-tower sites do not know the second tower's family. */
    bool tower2 = !strcmp(info->group, "battery_placeholder");
    if (sim->cfg.old_firmware && (strstr(info->name, ".cells_stat[") || strstr(info->name, ".cells_resist[")))
        return true;
    switch (sim->cfg.profile) {
    case SIM_PROFILE_INVERTER:
        return !strcmp(info->group, "battery") || tower2;
    case SIM_PROFILE_OLD_FIRMWARE:
        return tower2 || strstr(info->name, ".cells_stat[") || strstr(info->name, ".cells_resist[");
    case SIM_PROFILE_DUAL_TOWER:
        return false;
    default:
        return tower2;
    }
}

bool sim_has_battery(const struct sim *sim)
{
    return sim->cfg.profile != SIM_PROFILE_INVERTER;
}

bool sim_has_string_b(const struct sim *sim)
{
    return sim->cfg.profile != SIM_PROFILE_SINGLE_STRING && sim_has_pv(sim);
}

bool sim_has_pv(const struct sim *sim)
{
    return sim->cfg.profile != SIM_PROFILE_STORAGE_AC;
}

static double zone_at(const struct sim *sim, double t)
{
    if (!sim->cfg.clock_local)
        return 0;
    time_t tt = (time_t)t;
    struct tm tm;
    return localtime_r(&tt, &tm) ? (double)tm.tm_gmtoff : 0;
}

double sim_device_time(const struct sim *sim, double true_t)
{
    return true_t + zone_at(sim, true_t);
}

double sim_true_time(const struct sim *sim, double device_t)
{
    /* The zone of the true time near it (exact but for the hour a clock is set back). */
    return device_t - zone_at(sim, device_t - zone_at(sim, device_t));
}

bool sim_answer_only_parse(struct sim_quirks *quirks, const char *list, char *why, size_t cap)
{
    static const char *const minimal[] = {
        "dc_conv.dc_conv_struct[0].p_dc_lp", "dc_conv.dc_conv_struct[1].p_dc_lp",
        "g_sync.p_ac_load_sum_lp", "g_sync.p_ac_grid_sum_lp", "g_sync.p_acc_lp",
        "g_sync.p_ac_sum_lp", "battery.soc", "grid_pll[0].f", "g_sync.u_l_rms[0]",
        "g_sync.u_l_rms[1]", "g_sync.u_l_rms[2]", "energy.e_dc_day[0]"};
    quirks->nanswer_only = 0;
    if (!strcmp(list, "minimal")) {
        for (size_t i = 0; i < sizeof minimal / sizeof minimal[0]; i++)
            quirks->answer_only[quirks->nanswer_only++] = rct_registry_by_name(minimal[i])->oid;
        return true;
    }
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        const struct rct_oid_info *info = rct_registry_by_name(name);
        if (!info) {
            snprintf(why, cap, "no OID named '%s'", name);
            return false;
        }
        if (quirks->nanswer_only == SIM_ANSWER_ONLY_MAX) {
            snprintf(why, cap, "at most %d OIDs", SIM_ANSWER_ONLY_MAX);
            return false;
        }
        quirks->answer_only[quirks->nanswer_only++] = info->oid;
    }
    if (!quirks->nanswer_only) {
        snprintf(why, cap, "no OID named");
        return false;
    }
    return true;
}

bool sim_oid_unknown(const struct sim *sim, uint32_t oid)
{
    const struct rct_oid_info *info = rct_registry_by_id(oid);
    if (info && profile_unknown(sim, info))
        return true;
    if (sim->cfg.quirks.nanswer_only && info && info->kind != RCT_KIND_HISTORY) {
        for (size_t i = 0; i < sim->cfg.quirks.nanswer_only; i++)
            if (sim->cfg.quirks.answer_only[i] == oid)
                return false;
        return true;
    }
    if (sim->cfg.quirks.unknown_oids <= 0)
        return false;
    /* The fault words and the identity (every client's first question) are known to
     * every firmware. */
    for (unsigned w = 0; w < 4; w++)
        if (oid == rct_fault_word_oid(w))
            return false;
    static const char *const essentials[] = {"inverter_sn", "android_description", "svnversion"};
    for (size_t i = 0; info && i < sizeof essentials / sizeof essentials[0]; i++)
        if (!strcmp(info->name, essentials[i]))
            return false;
    return hash01(sim->cfg.seed, 30, oid) < sim->cfg.quirks.unknown_oids;
}
