/* The simulated inverter: a deterministic plant model (sun on two strings, household
 * load, battery, grid, energy counters, faults, event log, history) and the device's
 * side of the protocol, with one switch per real-device quirk. Served over any
 * bufferevent (in-process demo) or a TCP listener (`rcttop sim`). */
#ifndef RCT_SIM_H
#define RCT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct event_base;
struct bufferevent;

#define SIM_ANSWER_ONLY_MAX 64
struct sim_quirks {
    int latency_ms;            /* answer delay */
    int jitter_ms;             /* + up to this much, random */
    double drop;               /* probability an answer never comes */
    double crc_errors;         /* probability an answer has a wrong CRC */
    bool truncate;             /* a request arriving mid-answer cuts that answer short */
    double noise;              /* probability of junk, 0x00, AT+\r or 2b 3c e1 before an answer */
    double unsolicited_s;      /* a net.package WRITE every this many seconds (0 = off) */
    double foreign;            /* probability of an extra answer meant for another client */
    double disconnect_every_s; /* drop each connection after this long (0 = never) */
    bool night;                /* a PV-only unit: silent while the sun is down */
    double unknown_oids;       /* fraction of registry OIDs this firmware does not know */
    int max_clients;           /* further connections are closed at once (0 = no limit) */
    bool broadcast;            /* every answer goes to every client, as real devices do */
    /* A device (or a gateway in front of one) that answers reads of these OIDs only, and
     * every history query: nanswer_only 0 = off. */
    uint32_t answer_only[SIM_ANSWER_ONLY_MAX];
    size_t nanswer_only;
};

/* Conditions a site can be in, one switch each, for diagnosing (rcttop check). */
struct sim_conditions {
    int cell_low_module;       /* a cell of this module sits cell_low_mv below the others */
    int cell_low_tower;        /* ... in this tower: 0 battery.*, 1 battery_placeholder[0].* */
    double cell_low_mv;        /* 0 = off */
    int weak_cell_module;      /* a cell of this module with 3x the resistance; -1 = off */
    double riso_ohm;           /* insulation resistance (negative = the healthy default) */
    double grid_voltage;       /* phase L1 held at this voltage (0 = off) */
    char dead_string;          /* 'A' or 'B': that string produces nothing (0 = off) */
    char stuck_string;         /* 'A' or 'B': that string sees light (voltage) and gives no power */
    double soc_hold;           /* the battery held idle at this SOC (fraction; 0 = off) */
    int cell_mv;               /* every cell of every module at this voltage (0 = off) */
    int silent_module;         /* this module of tower 1 keeps its serial, its cells read 0 (-1 = off) */
    bool cell_temp_set;        /* every cell at cell_temp_c (sent as the signed byte it is) */
    int cell_temp_c;
    bool soh_set;              /* battery.soh held at soh (fraction) */
    double soh;
    bool counter_back;         /* energy.e_ac_total runs backwards */
    int grid_losses;           /* NO_GRID events in the last 7 days */
};

/* Kinds of site, as they differ from the default storage system. */
enum sim_profile {
    SIM_PROFILE_STORAGE = 0,   /* inverter with a battery (the default) */
    SIM_PROFILE_INVERTER,      /* no battery: no battery OID is ever answered */
    SIM_PROFILE_OLD_FIRMWARE,  /* does not know the battery's cell statistics and resistances */
    SIM_PROFILE_DUAL_TOWER,    /* a second tower answers battery_placeholder[0].* */
    SIM_PROFILE_SINGLE_STRING, /* string B was never connected: 0 V, 0 W, 0 Wh for life */
    SIM_PROFILE_STORAGE_AC,    /* a Power Storage AC: a battery coupled on the AC side, no PV
                                * strings at all (both 0 V, 0 W, not enabled) */
};
/* "storage", "inverter", "old-firmware", "dual-tower", "single-string", "storage-ac"; false
 * for another name. */
bool sim_profile_from_name(const char *name, enum sim_profile *out);
struct sim_config;
/* A comma-separated combination: one kind of site, and old-firmware with any of them
 * ("dual-tower,old-firmware"). False with why for an unknown name or two kinds. */
bool sim_profiles_parse(const char *list, struct sim_config *config, char *why, size_t cap);
/* The names in order (shell completion lists them); NULL past the last. */
const char *sim_profile_name(size_t index);
/* The plant roles by their wifi.sockb_protocol value (standalone, master, slave), NULL
 * past the last; and the role a name gives, false for none. */
const char *sim_role_name(size_t role);
bool sim_role_from_name(const char *name, int *role);

/* A change of state on a schedule (rcttop sim --at T:WHAT, --script FILE), so alerts can
 * be tested end to end: seconds after the start, then what happens. */
enum sim_action_kind {
    SIM_ACT_FAULT,       /* fault=BIT: the bit is raised */
    SIM_ACT_CLEAR,       /* clear=BIT: and cleared */
    SIM_ACT_SILENT,      /* silent: the device stops answering (connections stay open) */
    SIM_ACT_ANSWER,      /* answer: and answers again */
    SIM_ACT_CELL_LOW,    /* cell-low=[TOWER:]MODULE:MV */
    SIM_ACT_CELL_OK,     /* cell-ok: every cell as the others */
    SIM_ACT_SOC,         /* soc=PCT: the battery held idle there */
};
struct sim_action {
    double at_s;
    enum sim_action_kind kind;
    int bit, tower, module;
    double value;
};
#define SIM_ACTIONS_MAX 64
/* "20:fault=16", "40:clear=16", "60:silent", "90:answer", "30:cell-low=1:150", "50:cell-ok",
 * "10:soc=50". False with why for anything else. */
bool sim_action_parse(const char *text, struct sim_action *out, char *why, size_t cap);

struct sim_config {
    uint32_t seed;
    enum sim_profile profile;
    bool old_firmware;         /* and, with any profile, no cell statistics / resistances
                                * ("--profile dual-tower,old-firmware") */
    double start_unix;         /* simulated time at start; 0 = now */
    double speed;              /* simulated seconds per real second; 0 freezes time */
    uint32_t faults[4];        /* fault bits active from the start */
    double faults_cycle_s;     /* a demo fault comes and goes with this period (0 = off) */
    unsigned page_points;      /* timeseries points per history answer */
    unsigned page_events;      /* event rows per history answer */
    double clock_offset_s;     /* the device's clock minus true time (real ones are off) */
    bool clock_local;          /* the device keeps local wall time (TZ) written as if UTC, in
                                * its clock, logs, events and BMS extremes; its
                                * daylight-saving flag is set */
    int plant_role;            /* wifi.sockb_protocol: 0 standalone, 1 master, 2 slave */
    struct sim_conditions cond;
    struct sim_action actions[SIM_ACTIONS_MAX];   /* in any order */
    size_t nactions;
    unsigned bad_page_after;   /* history answers after this many per connection are
                                * malformed (a length no page can have); 0 = never */
    struct sim_quirks quirks;
    bool verbose;              /* log each request to stderr */
    FILE *record;              /* every byte clients send is appended here, if set */
};
void sim_default_config(struct sim_config *config);
/* Fills the answer_only quirk from comma-separated OID names, or "minimal": a dozen live
 * values (power, SOC, grid) and nothing else, not even the serial or the clock. False with
 * why for a name the registry lacks. */
bool sim_answer_only_parse(struct sim_quirks *quirks, const char *list, char *why, size_t cap);
/* Turns on every quirk at rates a careful client still gets all values through. */
void sim_enable_all_quirks(struct sim_quirks *quirks);

struct sim_stats {
    uint64_t connections, refused_connections;
    uint64_t requests, answers, dropped, unknown, silent_at_night;
    uint64_t history_queries, bad_pages, truncated, crc_errors, foreign, unsolicited, disconnects;
    uint64_t forbidden_frames;  /* frames a read-only client must never send */
    uint64_t bytes_in;
};

struct sim;
struct sim *sim_new(struct event_base *base, const struct sim_config *config);
void sim_free(struct sim *sim);

/* The simulated clock (UNIX seconds). */
double sim_now(const struct sim *sim);

/* The payload the device answers a READ of oid with at time t; false when the device
 * would not answer (unknown OID, or an OID the registry does not know). */
bool sim_read_payload(struct sim *sim, uint32_t oid, double t, uint8_t *out, size_t cap,
                      size_t *len);
/* The payload answering a history query (timeseries or event table) at before_ts. */
bool sim_history_payload(struct sim *sim, uint32_t oid, uint32_t before_ts, uint8_t *out,
                         size_t cap, size_t *len);
/* The fault words at time t. */
void sim_fault_words(struct sim *sim, double t, uint32_t words[4]);

/* Serves one client over bev (TCP or one end of a bufferevent pair); takes ownership. */
bool sim_serve_bufferevent(struct sim *sim, struct bufferevent *bev);
/* Listens on host:port (port 0 picks one); *bound_port says which. */
bool sim_listen(struct sim *sim, const char *host, uint16_t port, uint16_t *bound_port);

const struct sim_stats *sim_stats(const struct sim *sim);

/* A plant of several simulated units on one event loop (rcttop sim --plant): the master
 * knows its slaves and serves what it knows of them (net.n_slaves, net.slave_data, their
 * signed AC sum on io_board.s0_external_power, all at the time asked for); each slave
 * names its master's address (wifi.sockb_ip, wifi.sockb_port). Roles come from the
 * configs (plant_role). A master keeps pointers to its slaves: free it first, or with them. */
#define SIM_PLANT_SLAVES_MAX 8
bool sim_plant_join(struct sim *master, struct sim *slave);
/* The address a unit serves, as its slaves report it (set once it listens). */
void sim_set_address(struct sim *sim, const char *host, uint16_t port);
/* The unit's own number in the plant (1 the master), the network id in net.slave_data. */
void sim_set_unit_number(struct sim *sim, uint32_t number);
/* The slaves' signed AC power sum at time t (what the master's S0 input measures). */
double sim_plant_slaves_ac(struct sim *master, double t);
/* Whether the unit would answer a request at time t (not silenced by --at, not asleep). */
bool sim_awake(struct sim *sim, double t);

#endif
