#!/usr/bin/env bash
# `rcttop check` over the units of a plant: three simulators (a master, two slaves, one
# with its insulation below the device's minimum) checked at once give one Monitoring
# Plugins result: CRITICAL naming the unit, perfdata prefixed by unit that a real parser
# (Monitoring::Plugin::Performance) reads, JSON with a devices array of three and a plant
# object; --plant NAME names the same units by their labels; a unit whose simulator is
# gone is said to be offline while the others are still reported.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { sed 's/^/    | /' "$work/out" 2>/dev/null | cut -c1-400 | head -8; }

start_at() {  # start_at NAME ARGS...: a simulator of our own; its port in $work/NAME.port
    local name=$1
    shift
    "$RCTTOP" sim --listen 127.0.0.1:0 "$@" > "$work/$name.sim" 2> "$work/$name.simerr" &
    echo $! > "$work/$name.pid"
    retry 30 grep -q listening "$work/$name.sim" || return 1
    sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$name.sim" > "$work/$name.port"
}
start_at master --role master --seed 1
start_at pv --role slave --seed 2
start_at ac --role slave --seed 3 --riso 80000
P1=$(cat "$work/master.port") P2=$(cat "$work/pv.port") P3=$(cat "$work/ac.port")
units=(-H 127.0.0.1:$P1 -H 127.0.0.1:$P2 -H 127.0.0.1:$P3)

"$RCTTOP" check "${units[@]}" --rate 200 > "$work/out" 2> "$work/err"
status=$?
[ $status = 2 ]; check "three units, one with insulation below its minimum: CRITICAL, exit 2 (got $status)" $?
head -1 "$work/out" | grep -q "^RCT CRITICAL - 127\.0\.0\.1:$P3: insulation 80\.0 kOhm"
check "the first line names the unit of the problem first" $?
perf=$(head -1 "$work/out" | sed 's/^[^|]*| //')
perl -MMonitoring::Plugin::Performance -e '
    my ($text, @ports) = @ARGV;
    my @p = Monitoring::Plugin::Performance->parse_perfstring($text);
    my $want = () = $text =~ /\x27=/g;
    die "parsed ".scalar(@p)." of $want\n" unless @p == $want && $want > 60;
    my %by = map { $_->label => $_ } @p;
    die "labels not distinct\n" unless keys(%by) == @p;
    for my $port (@ports) {
        my $soc = $by{"127.0.0.1:$port:soc"} or die "no soc of $port\n";
        die "soc uom of $port\n" unless $soc->uom eq "%";
        die "no riso of $port\n" unless $by{"127.0.0.1:$port:riso"};
    }
    my $riso = $by{"127.0.0.1:$ports[2]:riso"};
    die "riso of the third\n" unless $riso->value == 80000 && $riso->threshold->critical->start == 100000;
' "$perf" "$P1" "$P2" "$P3" 2> "$work/perl.err"
ok=$?; check "Monitoring::Plugin::Performance parses every unit's figures, labels UNIT:figure ($(head -1 "$work/perl.err"))" $ok

"$RCTTOP" check "${units[@]}" --rate 200 --format json > "$work/out" 2> "$work/err"
status=$?
python3 - "$work/out" "$P1" "$P2" "$P3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ports = [int(p) for p in sys.argv[2:]]
assert d["schema"] == "rcttop-check/1" and d["status"] == "critical" and d["exit_code"] == 2, d["status"]
assert len(d["devices"]) == 3, len(d["devices"])
for dev, port in zip(d["devices"], ports):
    assert dev["port"] == port and dev["host"] == "127.0.0.1" and dev["label"] == f"127.0.0.1:{port}", dev["label"]
    assert dev["serial"] and dev["online"] and dev["findings"], dev["label"]
assert [x["status"] for x in d["devices"]] == ["ok", "ok", "critical"], [x["status"] for x in d["devices"]]
assert any(f["id"] == "insulation" and f["severity"] == "critical" for f in d["devices"][2]["findings"])
p = d["plant"]
assert isinstance(p["findings"], list) and all(f["id"].startswith("plant.") for f in p["findings"])
assert p["totals"]["pv"]["counted"] == 3, p["totals"]["pv"]
assert all(x["unit"] for x in d["findings"])
PY
ok=$?; [ $status = 2 ] && [ $ok = 0 ]; check "JSON: devices of three with label, host, port, serial, findings; a plant object" $?

# The same units as a plant of the configuration: labelled as it names them.
cat > "$work/plant.ini" <<INI
[device:master]
host = 127.0.0.1
port = $P1
label = master
[device:pv]
host = 127.0.0.1
port = $P2
label = pv
[device:ac]
host = 127.0.0.1
port = $P3
label = ac
[plant:home]
devices = master, pv, ac
INI
"$RCTTOP" check --config "$work/plant.ini" --plant home --rate 200 > "$work/out" 2> "$work/err"
status=$?
[ $status = 2 ] && head -1 "$work/out" | grep -q "^RCT CRITICAL - ac: insulation" &&
    head -1 "$work/out" | grep -q "'master:soc'=" && head -1 "$work/out" | grep -q "'pv:soc'="
check "--plant home: the units by their labels (ac: insulation, 'master:soc')" $?

# One unit gone: said to be offline, the others still judged.
kill "$(cat "$work/pv.pid")"
wait "$(cat "$work/pv.pid")" 2>/dev/null
"$RCTTOP" check "${units[@]}" --rate 200 > "$work/out" 2> "$work/err"
status=$?
[ $status = 2 ]; check "a unit offline beside a critical one: still CRITICAL (got $status)" $?
head -1 "$work/out" | grep -q "127\.0\.0\.1:$P2: offline"; check "the first line names the offline unit" $?
head -1 "$work/out" | grep -q "127\.0\.0\.1:$P3: insulation" && head -1 "$work/out" | grep -q "'127.0.0.1:$P1:soc'="
check "the units still there are still reported" $?
"$RCTTOP" check "${units[@]}" --rate 200 --format json > "$work/out" 2> "$work/err"
python3 - "$work/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["devices"]) == 3
gone = d["devices"][1]
assert gone["status"] == "unknown" and not gone["online"] and "cannot reach" in gone["reason"], gone
assert d["devices"][0]["online"] and d["devices"][0]["findings"] and d["devices"][2]["status"] == "critical"
PY
check "JSON: the offline unit unknown with its reason, the others judged" $?

# A healthy standalone unit and an offline one (no plant finding either way): UNKNOWN,
# as for one device that cannot be reached. A warning or a critical elsewhere would win,
# as Monitoring::Plugin's max_state_alt has it.
kill "$(cat "$work/ac.pid")"
wait "$(cat "$work/ac.pid")" 2>/dev/null
start_at solo --seed 4
P4=$(cat "$work/solo.port")
"$RCTTOP" check -H 127.0.0.1:$P4 -H 127.0.0.1:$P3 --rate 200 > "$work/out" 2> "$work/err"
status=$?
[ $status = 3 ] && head -1 "$work/out" | grep -q "^RCT UNKNOWN - 127\.0\.0\.1:$P3: offline"
check "a healthy unit and an offline one: UNKNOWN naming it (got $status)" $?

finish
