#!/usr/bin/env bash
# The monitor against every kind of site the simulator models, all at once: two battery
# towers (both BMS serials in the Battery pane at 120x40 within 60 s, both on the
# dashboard), a device without a battery ("no battery" on the dashboard, the Battery pane
# and Health, once each), a single-string slave (no PV warning, "slave of ..." in the status bar and
# the Device pane), a device keeping local time (its zone named, no clock warning), and
# an old firmware. None of them gets a warning the site does not have.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-sites-$$"
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
# On a failure, the screen of the site the check names ("dual tower: ..." is dual's).
check_details() {
    local site
    case $1 in dual*) site=dual ;; inverter*) site=inverter ;; single*|slave*) site=single ;;
               local*) site=local ;; old*) site=old ;; *) site=dual ;; esac
    print_pane $site
}

sites="dual inverter single local old"
declare -A args=(
    [dual]="--profile dual-tower" [inverter]="--profile inverter"
    [single]="--profile single-string --role slave" [local]="--profile storage --clock local"
    [old]="--profile old-firmware")
declare -A port
for s in $sites; do
    TZ=Europe/Berlin "$RCTTOP" sim --listen 127.0.0.1:0 ${args[$s]} > "$work/$s.sim" 2>&1 &
done
for s in $sites; do
    retry 30 grep -q listening "$work/$s.sim"
    port[$s]=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$s.sim")
done
for s in $sites; do
    $T new-session -d -s $s -x 120 -y 40 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color TZ=UTC $RCTTOP --host 127.0.0.1:${port[$s]} --rate 40 --config /dev/null; sleep 60"
done

# Two towers: the Battery pane shows both BMS serials within 60 s.
dual_sn1=$("$RCTTOP" get battery.bms_sn --host 127.0.0.1:${port[dual]} --rate 50 | awk '{print $2}' | tr -d '"')
dual_sn2=$("$RCTTOP" get battery_placeholder[0].bms_sn --host 127.0.0.1:${port[dual]} --rate 50 | awk '{print $2}' | tr -d '"')
[ -n "$dual_sn1" ] && [ "$dual_sn1" != "$dual_sn2" ]; check "the two towers have their own serials ($dual_sn1, $dual_sn2)" $?
wait_for_pane dual "Battery: 2 towers" 30; check "dual tower: the dashboard's battery box has both towers" $?
wait_for_pane_re dual "BMS $dual_sn2 +SOC [0-9.]+ %" 30; check "dual tower: the second tower's line on the dashboard" $?
$T send-keys -t dual 6
start=$(date +%s)
both_serials() { pane_has "Tower BMS $dual_sn1" dual && pane_has "Tower BMS $dual_sn2" dual; }
retry 60 both_serials; ok=$?; check "dual tower: both BMS serials in the Battery pane at 120x40 within 60 s ($(( $(date +%s) - start )) s)" $ok
wait_for_pane_re dual "^ Battery +2 towers +5 modules" 30; check "dual tower: 5 modules in 2 towers" $?

# No battery: said where the battery would be.
wait_for_pane inverter "no battery" 40; check "inverter: 'no battery' on the dashboard" $?
pane_has "┌ Battery " inverter && ! pane_has "SOC \(█\|░\)" inverter; check "inverter: no SOC gauge" $?
$T send-keys -t inverter 6
wait_for_pane inverter "No battery: this device answers no battery OID" 40; check "inverter: the Battery pane says no battery" $?
# The one line, first in the pane: no header of SOH and cycles that never come.
screen inverter | sed -n 3p | grep -q "^ No battery: " && ! pane_has "SOH" inverter && ! pane_has "cycles" inverter
check "inverter: the Battery pane is the one line, no SOH ... cycles header" $?
$T send-keys -t inverter 9
wait_for_pane inverter "no battery (an inverter without storage)" 40; check "inverter: Health says there is no battery" $?
! pane_has "battery[.a-z]*: not supported" inverter; check "inverter: Health has no 'not supported' line per battery rule" $?

# A single-string slave.
wait_for_pane single "slave of 192.168.1." 40; check "slave: its role and master in the status bar" $?
$T send-keys -t single 9
wait_for_pane single "B not in use" 60; check "single string: string B 'not in use' in Health" $?
$T send-keys -t single 7
wait_for_pane single "Plant role: slave of 192.168.1." 30; check "slave: the Device pane names the role" $?

# A local clock: the zone named in Device and History, no clock warning.
$T send-keys -t local 7
retry 40 pane_has "Clock: UTC+0[12]:00, drift" local; check "local clock: the Device pane names the zone it keeps" $?
$T send-keys -t local 5
retry 40 pane_has "device time UTC+0[12]:00" local; check "local clock: History says it shows the device's time" $?
$T send-keys -t local 9
wait_for_pane local "device clock within a minute (local time)" 60; check "local clock: no clock warning in Health" $?

# Old firmware: the cells without their statistics.
$T send-keys -t old 6
wait_for_pane_re old "Module 1 +sn BM" 40; check "old firmware: the modules in the Battery pane" $?

# No site gets a warning it does not have (sampled once all panes above were read).
for s in $sites; do
    ! pane_has "WARN\|CRIT\|FAULT" $s; check "$s: no WARN, CRIT or FAULT in the status bar" $?
done
finish
