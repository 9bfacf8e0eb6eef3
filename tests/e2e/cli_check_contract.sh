#!/usr/bin/env bash
# `rcttop check` as Nagios, Icinga and Checkmk run it (the Monitoring Plugins development
# guidelines): -t is the whole run, on a silent or lossy device too; every UNKNOWN says
# why on the first line of stdout (unreachable, silent, bad usage, a bad config key, another
# check running), in text and JSON; one TCP connection per check and one check per device
# at a time; perfdata that a real parser (Monitoring::Plugin::Performance) reads, numbers
# in the C locale whatever the user's; -p, -V, -w/-c, --skip; JSON that is valid UTF-8.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
export XDG_STATE_HOME=$work/state XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR"
check_details() { sed 's/^/    | /' "$work/out" 2>/dev/null | head -6; }
first_line_unknown() {  # first_line_unknown STATUS PATTERN: exit 3 and the reason on line 1
    [ "$1" = 3 ] && head -1 "$work/out" | grep -q "^RCT UNKNOWN - .*$2"
}

"$RCTTOP" check -V > "$work/out"; v1=$?
"$RCTTOP" check --version >> "$work/out"
[ $v1 = 0 ] && [ "$(sort -u "$work/out")" = "$("$RCTTOP" --version)" ]; check "-V and --version print the version, exit 0" $?

# Bad usage: the reason on stdout (engines keep stdout, not stderr), exit 3.
"$RCTTOP" check --bogus > "$work/out" 2>/dev/null
first_line_unknown $? "unknown option '--bogus'"; check "an unknown option: UNKNOWN on stdout" $?
"$RCTTOP" check --only nosuchrule > "$work/out" 2>/dev/null
first_line_unknown $? "--only 'nosuchrule' selects no rule"; check "--only nosuchrule: UNKNOWN on stdout" $?
"$RCTTOP" check -w nosuch=10 > "$work/out" 2>/dev/null
first_line_unknown $? "no figure 'nosuch'"; check "-w on an unknown figure: UNKNOWN on stdout" $?
"$RCTTOP" check -c soc=abc > "$work/out" 2>/dev/null
first_line_unknown $? "no range"; check "-c with a bad range: UNKNOWN on stdout" $?
"$RCTTOP" check --format json --bogus > "$work/out" 2>/dev/null
[ $? = 3 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="unknown" and "bogus" in d["reason"] and d["schema"]=="rcttop-check/1"' "$work/out"
check "bad usage in JSON: status unknown with the reason" $?
printf '[check]\nsoh_warnin = 80\n' > "$work/bad.ini"
"$RCTTOP" check --config "$work/bad.ini" > "$work/out" 2>/dev/null
first_line_unknown $? "soh_warnin: unknown key"; check "a bad config key: UNKNOWN naming it on stdout" $?
"$RCTTOP" check --host 127.0.0.1:1 > "$work/out" 2>/dev/null
first_line_unknown $? "cannot reach 127.0.0.1:1"; check "unreachable: UNKNOWN saying so on stdout" $?

# The slow parts wait on timers, not the CPU: they run beside the rest, each with its own
# simulator, and say their results into a file that is checked at the end.
later() { echo "$2|$1" >> "$work/later.$3"; }   # later NAME STATUS SECTION
mkdir -p "$work/silent" "$work/lossy"
# A device that connects and never answers: -t bounds the whole run.
(
    trap 'stop_sim' EXIT
    start_sim "$work/silent" --drop 1 || exit 1
    start=$(date +%s%3N)
    "$RCTTOP" check -H 127.0.0.1 -p "$PORT" -t 5 > "$work/silent/out1" 2>/dev/null
    status=$?
    took=$(( $(date +%s%3N) - start ))
    out=$work/silent/out1
    first_line_unknown() { [ "$1" = 3 ] && head -1 "$out" | grep -q "^RCT UNKNOWN - .*$2"; }
    first_line_unknown $status "connected, but no answer in [45] s"; later "silent device: UNKNOWN with the reason ($(head -1 "$out"))" $? silent
    # The budget is a timer in the program; the margin is for a busy machine starting it.
    [ "$took" -lt 9000 ]; later "silent device with -t 5: done in $took ms" $? silent
    out=$work/silent/out2
    start=$(date +%s%3N)
    "$RCTTOP" check -H 127.0.0.1 -p "$PORT" -t 3 --answer-timeout 20 > "$out" 2>/dev/null
    status=$?
    took=$(( $(date +%s%3N) - start ))
    first_line_unknown $status "connected, but no answer in [23] s"; later "-t below the answer timeout: the budget wins, the silence is named ($(head -1 "$out"))" $? silent
    [ "$took" -lt 7000 ]; later "-t 3 with --answer-timeout 20: done in $took ms" $? silent
) &
silent_part=$!
# A lossy link: whatever the verdict, within the budget and with a first line.
(
    trap 'stop_sim' EXIT
    start_sim "$work/lossy" --drop 0.5 --latency 50 || exit 1
    start=$(date +%s%3N)
    "$RCTTOP" check -H 127.0.0.1 -p "$PORT" -t 8 --rate 50 > "$work/lossy/out" 2>/dev/null
    status=$?
    took=$(( $(date +%s%3N) - start ))
    [ "$took" -lt 12000 ] && head -1 "$work/lossy/out" | grep -q "^RCT [A-Z]* - "
    later "lossy link with -t 8: exit $status in $took ms ($(head -1 "$work/lossy/out" | cut -c1-70))" $? lossy
) &
lossy_part=$!

# A healthy site: one connection for the whole check, perfdata a real parser reads.
start_sim "$work" -v --soc 50
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 > "$work/out" 2>/dev/null
status=$?
[ $status = 0 ]; check "healthy: exit 0" $?
connections=$(grep -c "\] .* connected$" "$work/sim.err")
[ "$connections" = 1 ]; check "one TCP connection per check (saw $connections)" $?
summary=$(head -1 "$work/out" | sed 's/ | .*//')
case "$summary" in *";"*) false ;; *) true ;; esac; check "the summary has no ';'" $?
perf=$(head -1 "$work/out" | sed 's/^[^|]*| //')
perl -MMonitoring::Plugin::Performance -e '
    my $text = $ARGV[0];
    my @p = Monitoring::Plugin::Performance->parse_perfstring($text);
    my $want = () = $text =~ /\x27=/g;
    die "parsed ".scalar(@p)." of $want\n" unless @p == $want && $want > 20;
    my %by = map { $_->label => $_ } @p;
    die "soc\n" unless $by{soc}->uom eq "%" && $by{soc}->value == 50;
    die "clock_offset\n" unless $by{clock_offset}->uom eq "s" && $by{clock_offset}->threshold->warning->start == -300;
    die "energy_ac\n" unless $by{energy_ac}->uom eq "c";
    die "riso\n" unless $by{riso}->threshold->critical->start == 100000;
    die "grid_l1\n" unless $by{grid_l1}->threshold->critical->end == 253;
    die "soh\n" unless $by{soh}->threshold->warning->start == 80;
' "$perf" 2> "$work/perl.err"
ok=$?; check "Monitoring::Plugin::Performance parses every figure with its UOM and ranges ($(head -1 "$work/perl.err"))" $ok

# Numbers never follow the locale (a German one writes 7,0).
mkdir -p "$work/locale"
if localedef -i de_DE -f UTF-8 "$work/locale/de_DE.UTF-8" 2>/dev/null; then
    german=$(LOCPATH=$work/locale LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 7.5)
    LOCPATH=$work/locale LC_ALL=de_DE.UTF-8 "$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 > "$work/out" 2>/dev/null
    [ "$german" = "7,5" ] && head -1 "$work/out" | grep -q "'soc'=50\.0%" && ! grep -q "[0-9],[0-9][0-9]* V" "$work/out"
    check "under de_DE.UTF-8 (where printf gives $german): 'soc'=50.0%" $?
else
    check "localedef could make de_DE.UTF-8 for the locale test (package 'locales')" 1
fi

# JSON: valid UTF-8 (°C, not Â°C), numbers as numbers, the schema.
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 --format json > "$work/json" 2>/dev/null
python3 - "$work/json" <<'EOF'
import json, sys
raw = open(sys.argv[1], 'rb').read()
d = json.loads(raw.decode('utf-8'))          # strict: invalid UTF-8 raises
assert d["schema"] == "rcttop-check/1" and d["status"] == "ok" and d["exit_code"] == 0
assert "\u00c2" not in raw.decode('utf-8'), "Â in the output"
temps = [f for f in d["findings"] if f["rule"] == "battery.temperature"]
assert temps and "°C" in temps[0]["title"], temps[0]["title"]
ev = {e["name"]: e for f in d["findings"] for e in f["evidence"]}
assert ev["cell spread"]["value"] > 0 and ev["cell spread"]["unit"] == "mV"
assert any(p["label"] == "soc" and p["value"] == 50 for p in d["perfdata"])
EOF
check "JSON: valid UTF-8 with °C, numeric evidence with units, schema, perfdata" $?

# -w/-c on the figures; --skip and [check] skip switch a rule (or one fault bit) off.
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 -w soc=60: > "$work/out" 2>/dev/null
[ $? = 1 ] && grep -q "^warning  *threshold.soc *soc 50.0% outside the warning range 60:" "$work/out" &&
    head -1 "$work/out" | grep -q "'soc'=50.0%;60:;"
check "-w soc=60: at 50 %: WARNING, the range in the perfdata" $?
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 -w soc=60: -c soc=55: > "$work/out" 2>/dev/null
[ $? = 2 ] && [ "$(grep -c "threshold.soc" "$work/out")" = 1 ]; check "-w and -c on one figure: CRITICAL, said once" $?
start_sim "$work" --fault 105
export XDG_STATE_HOME=$work/state/fault105   # another simulated device, the same serial
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 > "$work/out" 2>/dev/null
[ $? = 1 ] && grep -A1 "^warning  *faults.bit105 " "$work/out" | grep -q "ripple control"; check "fault 105: a warning that says why" $?
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 --skip faults.bit105 > "$work/out" 2>/dev/null
[ $? = 0 ] && ! grep -q "faults.bit105" "$work/out"; check "--skip faults.bit105: OK" $?
printf '[check]\nskip = faults.bit105,events\n' > "$work/skip.ini"
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 --config "$work/skip.ini" > "$work/out" 2>/dev/null
[ $? = 0 ] && ! grep -q "faults.bit105\|^[a-z]* *events" "$work/out"; check "[check] skip: OK" $?

# One check per device at a time: a second one waits, then says another is running.
start_sim "$work"
export XDG_STATE_HOME=$work/state/lock
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 10 > "$work/first" 2>&1 &
first=$!
lock=$XDG_RUNTIME_DIR/rcttop/check-127.0.0.1-$PORT.lock
held() { [ -e "$lock" ] && ! flock -n "$lock" true; }
retry 20 held; check "the first check holds the lock" $?
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" -t 6 > "$work/out" 2>/dev/null
first_line_unknown $? "another check of 127.0.0.1:$PORT is running"; check "a second check at once: UNKNOWN, another is running" $?
wait $first
[ $? = 0 ]; check "the first check ends OK" $?
"$RCTTOP" check -H 127.0.0.1 -p "$PORT" --rate 200 > "$work/out" 2>/dev/null
[ $? = 0 ]; check "the lock is free again after it" $?

wait $silent_part $lossy_part
for section in silent lossy; do
    [ -s "$work/later.$section" ]; check "the $section part ran" $?
    while IFS='|' read -r status name; do check "$name" "$status"; done < "$work/later.$section" 2>/dev/null
done
finish
