#!/usr/bin/env bash
# History walks that end badly still give what they read: a malformed page after good
# ones, a device that pages one entry at a time past the page budget, a walk past its
# time budget; each prints the entries read, says why on stderr and exits 1.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT

start_fixed_sim() {  # start_fixed_sim OPTIONS...: a simulator at a fixed time and seed; sets PORT
    start_sim "$work" --seed 7 --start 2026-06-21T12:00:00Z --speed 0 "$@"
}

# A page that does not decode after three good ones.
start_fixed_sim --bad-page-after 3
"$RCTTOP" history logger.minutes_soc_log_ts --host 127.0.0.1:$PORT --rate 200 --timeout 2 \
    --since 2026-06-20 > "$work/h.txt" 2> "$work/h.err"
status=$?
[ $status = 1 ]; check "bad page after good ones: exit 1 (got $status)" $?
[ "$(wc -l < "$work/h.txt")" -ge 100 ]; check "the points of the good pages are printed" $?
grep -q "do not decode" "$work/h.err"; check "stderr says the answers did not decode" $?
grep -q "older entries are missing" "$work/h.err"; check "stderr says what is missing" $?
"$RCTTOP" events --host 127.0.0.1:$PORT --rate 200 --timeout 2 --format json > "$work/e.txt" 2> "$work/e.err"
status=$?
[ $status = 1 ] && [ "$(wc -l < "$work/e.txt")" = 30 ]
ok=$?; check "events: the 30 rows of three good pages, exit 1 (got $status, $(wc -l < "$work/e.txt") rows)" $ok

# A device that pages one entry at a time: the page budget stops the walk.
start_fixed_sim --page-events 1
"$RCTTOP" events --host 127.0.0.1:$PORT --rate 1000 --max-pages 25 > "$work/e.txt" 2> "$work/e.err"
status=$?
[ $status = 1 ] && [ "$(wc -l < "$work/e.txt")" = 25 ]; check "--max-pages 25: 25 events, exit 1" $?
grep -q -- "--max-pages" "$work/e.err"; check "stderr names the page budget" $?
"$RCTTOP" events --host 127.0.0.1:$PORT --rate 5 --max-time 2 > "$work/e.txt" 2> "$work/e.err"
status=$?
[ $status = 1 ] && [ -s "$work/e.txt" ]; check "--max-time 2: what was read, exit 1 (got $status)" $?
grep -q -- "--max-time" "$work/e.err"; check "stderr names the time budget" $?
"$RCTTOP" events --host 127.0.0.1:$PORT --max-pages 0 2> "$work/e.err"
[ $? = 2 ]; check "--max-pages 0 is refused" $?
"$RCTTOP" events --host 127.0.0.1:$PORT --max-time 1e3 2> "$work/e.err"
[ $? = 2 ]; check "--max-time 1e3 is refused (plain decimals)" $?

# A whole range still exits 0.
start_fixed_sim
"$RCTTOP" history logger.minutes_soc_log_ts --host 127.0.0.1:$PORT --rate 200 \
    --since 2026-06-21T00:00:00Z --until 2026-06-21T11:59:00Z > "$work/h.txt" 2>/dev/null
status=$?
[ $status = 0 ] && [ "$(grep -c '^2026-' "$work/h.txt")" = 144 ]
ok=$?; check "a complete walk: 144 points, exit 0 (got $status, $(grep -c '^2026-' "$work/h.txt"))" $ok
head -1 "$work/h.txt" | grep -qx "logger.minutes_soc_log_ts: battery state of charge, minute log (percent)"
ok=$?; check "the series is named in words with its unit first: $(head -1 "$work/h.txt")" $ok
"$RCTTOP" history logger.day_ea_log_ts --host 127.0.0.1:$PORT --rate 200 --format csv \
    --since 2026-06-18T00:00:00Z --until 2026-06-20T23:59:00Z > "$work/d.csv" 2>/dev/null
head -1 "$work/d.csv" | grep -qx "ts,time,value,unit" && sed -n 2p "$work/d.csv" | grep -q ",Wh$"
ok=$?; check "history CSV: a header row and the unit in every row: $(head -2 "$work/d.csv" | tr '\n' ' ')" $ok
"$RCTTOP" history logger.minutes_ea_log_ts --host 127.0.0.1:$PORT --rate 200 --format json \
    --since 2026-06-21T10:00:00Z --until 2026-06-21T11:00:00Z 2>/dev/null | head -1 | grep -q '"unit":"W"'
check "history JSON: the unit in every point" $?

finish
