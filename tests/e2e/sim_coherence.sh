#!/usr/bin/env bash
# The simulator is one coherent plant: at several times of day and seeds, every value
# it serves agrees with the others (power balance on the DC and AC sides, the battery's
# voltage wherever it is reported, references near 1.5 V, SOC within its limits, energy
# counters that add up, the device clock on the simulated time plus its offset).
set -u
RCTTOP=$1
source "$(dirname "$0")/lib.bash"

for seed in 1 7 42; do
    for when in 2026-06-21T04:00:00Z 2026-06-21T12:00:00Z 2026-06-21T19:30:00Z 2026-12-21T02:00:00Z 2026-12-21T11:00:00Z; do
        out=$("$RCTTOP" sim --print-values --seed $seed --start $when --clock-offset -3600)
        problems=$(echo "$out" | awk -v when="$when" '
            { v[$1] = $2 }
            function near(a, b, tol) { return (a - b <= tol && b - a <= tol) }
            function need(cond, what) { if (!cond) print what }
            END {
                pva = v["dc_conv.dc_conv_struct[0].p_dc_lp"]; pvb = v["dc_conv.dc_conv_struct[1].p_dc_lp"]
                bat = v["g_sync.p_acc_lp"]; ac = v["g_sync.p_ac_sum_lp"]
                load = v["g_sync.p_ac_load_sum_lp"]; grid = v["g_sync.p_ac_grid_sum_lp"]
                need(near(ac, 0.97 * (pva + pvb) + bat, 1), "DC side: inverter AC = 0.97 PV + battery")
                need(near(grid, load - ac, 1), "AC side: grid = house - inverter")
                need(near(v["adc.u_acc"], v["battery.voltage"], 0.01), "adc.u_acc is the battery voltage")
                need(near(v["power_mng.u_acc_lp"], v["battery.voltage"], 0.01), "power_mng.u_acc_lp too")
                need(near(v["battery.current"] * v["battery.voltage"], bat, 1), "battery I x U = P")
                for (i = 0; i < 4; i++)
                    need(near(v["adc.u_ref_1_5v[" i "]"], 1.5, 0.5), "reference " i " near 1.5 V")
                need(v["battery.soc"] >= v["power_mng.soc_min"] - 0.001 && v["battery.soc"] <= v["power_mng.soc_max"] + 0.001,
                     "SOC within soc_min..soc_max")
                need(v["battery.voltage"] < v["battery.maximum_charge_voltage"] &&
                     v["battery.voltage"] > v["battery.minimum_discharge_voltage"], "battery voltage within its limits")
                need(near(v["energy.e_load_day"], v["energy.e_ac_day"] + v["energy.e_grid_load_day"] + v["energy.e_grid_feed_day"], 1),
                     "today: house = inverter + bought - fed in")
                need(v["energy.e_grid_feed_day"] <= 0, "feed-in counters are negative")
                need(v["energy.e_dc_day[0]"] <= v["energy.e_dc_month[0]"] + 0.5 && v["energy.e_dc_month[0]"] <= v["energy.e_dc_year[0]"] + 0.5 &&
                     v["energy.e_dc_year[0]"] <= v["energy.e_dc_total[0]"] + 0.5, "day <= month <= year <= total")
                need(pva >= 0 && pvb >= 0, "PV never negative")
                need(v["g_sync.u_l_rms[0]"] > v["grid_mon[0].u_under.threshold"] && v["g_sync.u_l_rms[0]"] < v["grid_mon[0].u_over.threshold"],
                     "grid voltage inside the trip band")
            }')
        [ -z "$problems" ]; ok=$?
        check "seed $seed at $when: $(echo $problems)" $ok
        start=$(date -u -d "$when" +%s)
        clock=$(echo "$out" | awk '$1 == "flash_rtc.time_stamp" { print $2 }')
        [ "$clock" = $((start - 3600)) ]; check "seed $seed at $when: device clock = time + offset ($clock)" $?
    done
done
finish
