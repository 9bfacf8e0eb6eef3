#!/usr/bin/env bash
# Every write checked, every input bounded: output that cannot be written (a full disk, a
# reader that went away) is an error, never exit 0; a hang-up or SIGTERM keeps what was
# read and exits 129 or 143; --record makes a new regular file only (or --force), says at
# once when it cannot write and does not exit 0; a recording's header, a config key and a
# theme key never reach the terminal raw; a config that is endless or absurd is refused.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { for f in "$work"/*.err; do [ -s "$f" ] && sed 's/^/    | /' "$f" | head -3; done; }

# Output that cannot be written.
"$RCTTOP" list > /dev/full 2> "$work/list.err"
status=$?
[ $status = 2 ] && grep -q "cannot write the output: No space left on device" "$work/list.err"
check "list > /dev/full: exit 2, said (got $status)" $?
printf '2b0104959930bf\n' > "$work/frame.hex"
"$RCTTOP" decode "$work/frame.hex" > /dev/full 2> "$work/decode.err"
[ $? = 2 ]; check "decode > /dev/full: exit 2" $?
start_sim "$work" -v
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT > /dev/full 2> "$work/get.err"
[ $? = 2 ] && grep -q "cannot write the output" "$work/get.err"; check "get > /dev/full: exit 2, said" $?
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > /dev/full 2> "$work/check.err"
[ $? = 3 ]; check "check > /dev/full: UNKNOWN (3)" $?

# A reader that went away stops the reading at once, not after 850 OIDs.
before=$(grep -c "READ" "$work/sim.err")
"$RCTTOP" dump --host 127.0.0.1:$PORT --rate 50 2> "$work/dump.err" | true
status=${PIPESTATUS[0]}
asked=$(( $(grep -c "READ" "$work/sim.err") - before ))
[ "$asked" -le 3 ] && [ "$status" = 141 ]; check "dump | true: stopped after $asked requests, exit $status (141)" $?
# Rows come as they are read (not all at the end), so `head -1` has its line at once and
# the pipe it closes stops the reading.
before=$(grep -c "READ" "$work/sim.err")
"$RCTTOP" dump --host 127.0.0.1:$PORT --rate 50 2> "$work/dump.err" | head -1 > "$work/head.out"
status=${PIPESTATUS[0]}
asked=$(( $(grep -c "READ" "$work/sim.err") - before ))
[ "$(wc -l < "$work/head.out")" = 1 ] && [ "$asked" -le 4 ] && [ "$status" = 141 ]
check "dump | head -1: one line, stopped after $asked requests, exit $status (141)" $?
# Streamed or not, the same rows in the same order as a terminal would get at the end.
"$RCTTOP" dump --host 127.0.0.1:$PORT --rate 1000 --group battery --format csv 2>/dev/null | cut -d, -f1-2 > "$work/streamed.csv"
script -qec "$RCTTOP dump --host 127.0.0.1:$PORT --rate 1000 --group battery --format csv" /dev/null 2>/dev/null \
    | tr -d '\r' | grep '^0x\|^oid' | cut -d, -f1-2 > "$work/tty.csv"
[ -s "$work/tty.csv" ] && cmp -s "$work/streamed.csv" "$work/tty.csv"
check "dump to a pipe (streamed) and to a terminal (at the end): the same rows, in order" $?

# A hang-up (the SSH session went) or SIGTERM keeps what was read.
for sig in HUP TERM; do
    mark=$(grep -c "READ" "$work/sim.err")
    "$RCTTOP" dump --host 127.0.0.1:$PORT --rate 20 > "$work/$sig.out" 2> "$work/$sig.err" &
    dumper=$!
    some_read() { [ $(( $(grep -c "READ" "$work/sim.err") - mark )) -ge 10 ]; }
    retry 30 some_read
    kill -$sig $dumper
    wait $dumper
    status=$?
    want=$([ $sig = HUP ] && echo 129 || echo 143)
    lines=$(grep -c . "$work/$sig.out")
    [ $status = "$want" ] && [ "$lines" -ge 5 ]; check "SIG$sig during dump: exit $status ($want), $lines lines kept" $?
done

# --record: a new regular file, or --force; never a FIFO, never another's link.
echo "precious" > "$work/old.rec"
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --record "$work/old.rec" > /dev/null 2> "$work/rec1.err"
status=$?
[ $status = 2 ] && grep -q "exists; give --force" "$work/rec1.err" && grep -q precious "$work/old.rec"
check "--record over an existing file: refused, the file kept (exit $status)" $?
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --record "$work/old.rec" --force > /dev/null 2> "$work/rec2.err"
[ $? = 0 ] && ! grep -q precious "$work/old.rec" && [ "$(stat -c %a "$work/old.rec")" = 600 ]
check "--force replaces it, mode 0600" $?
mkfifo "$work/fifo.rec"
timeout 10 "$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --record "$work/fifo.rec" > /dev/null 2> "$work/rec3.err"
status=$?
[ $status = 2 ] && grep -q "not a regular file" "$work/rec3.err"; check "--record to a FIFO: refused at once (exit $status)" $?
ln "$work/old.rec" "$work/hard.rec"
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --record "$work/hard.rec" --force > /dev/null 2> "$work/rec4.err"
[ $? = 2 ] && grep -q "has other links" "$work/rec4.err"; check "--force never replaces a file with other links" $?
# A full disk while recording (a file size limit stands in for it): said at once, exit 2.
( ulimit -f 4; "$RCTTOP" dump --group battery --host 127.0.0.1:$PORT --rate 200 --record "$work/big.rec" > /dev/null 2> "$work/full.err" )
status=$?
[ $status = 2 ] && grep -q "the recording .*big.rec stopped: File too large" "$work/full.err"
check "a recording that cannot be written: said, exit 2 (got $status)" $?

# Nothing from a file reaches the terminal raw.
printf 'RCTREC 1\nhost: \033]0;pwned\007\033[2J\n\n' > "$work/evil.rec"
"$RCTTOP" decode --stats "$work/evil.rec" > "$work/stats.out" 2>&1
! grep -q $'\033' "$work/stats.out" && grep -q 'x1b' "$work/stats.out"; check "decode --stats: a header's escapes shown, not run" $?
printf '[general]\n\033[2Jkey = 1\n' > "$work/evil.ini"
"$RCTTOP" get battery.soc --config "$work/evil.ini" > /dev/null 2> "$work/ini.err"
[ $? = 2 ] && ! grep -q $'\033' "$work/ini.err" && grep -q "unknown key" "$work/ini.err"
check "a config key with an escape: named without it" $?
printf '[theme]\n\033[2Jrole = red\n' > "$work/evil-theme.ini"
# The monitor wants a terminal: `script` gives it one, and keeps what it printed.
in_terminal() { TERM=xterm script -qec "$*" /dev/null < /dev/null; }
in_terminal "$RCTTOP --theme $work/evil-theme.ini --config /dev/null" > "$work/theme.err" 2>&1
grep -q "unknown role" "$work/theme.err" && ! grep -q $'\033\[2J' "$work/theme.err"
check "a theme key with an escape: named without it" $?

# decode reads what a pipe or FIFO brings as it reads a file, and says what it cannot.
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --record "$work/small.rec" > /dev/null 2>&1
"$RCTTOP" decode "$work/small.rec" > "$work/file.dec" 2>&1
cat "$work/small.rec" | "$RCTTOP" decode > "$work/pipe.dec" 2>&1
"$RCTTOP" decode <(cat "$work/small.rec") > "$work/fifo.dec" 2>&1
grep -q "battery.soc" "$work/file.dec" && cmp -s "$work/file.dec" "$work/pipe.dec" && cmp -s "$work/file.dec" "$work/fifo.dec"
check "decode of a recording from a pipe and a FIFO: the same as from the file" $?
printf 'RCTREC 1\nhost: x\nrcttop: 3\n' > "$work/noend.rec"
"$RCTTOP" decode "$work/noend.rec" > /dev/null 2> "$work/noend.err"
[ $? = 2 ] && grep -q "header never ends" "$work/noend.err"; check "a recording whose header never ends: said, exit 2" $?
# A capture of more connections than decode follows (1024): the rest is said, not dropped.
python3 - "$work/many.pcap" <<'EOF'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
for i in range(1030):
    tcp = struct.pack(">HHIIBBHHH", 40000 + i, 8899, 1, 0, 5 << 4, 0x18, 65535, 0, 0) + b"\x2b\x01\x04\x95\x99\x30\xbf"
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes([10, 0, i // 256, i % 256]), bytes([10, 1, 0, 1]))
    pkt = ip + tcp
    out.write(struct.pack("<IIII", 1790000000, i, len(pkt), len(pkt)) + pkt)
EOF
"$RCTTOP" decode "$work/many.pcap" > /dev/null 2> "$work/many.err"
grep -q "more than 1024 connections; 6 packets of the later ones were not decoded" "$work/many.err"
check "a capture of 1030 connections: the 6 past 1024 said, not dropped in silence" $?

# Inputs that never end or are absurd are refused at once.
timeout 10 "$RCTTOP" get battery.soc --config /dev/zero > /dev/null 2> "$work/zero.err"
status=$?
[ $status = 2 ] && grep -q "not a regular file" "$work/zero.err"; check "--config /dev/zero: refused at once (exit $status)" $?
timeout 10 bash -c "$(declare -f in_terminal); in_terminal $RCTTOP --theme /dev/zero --config /dev/null" > "$work/zerotheme.err" 2>&1
status=$?
[ $status = 2 ] && grep -q "not a regular file" "$work/zerotheme.err"; check "--theme /dev/zero: refused at once (exit $status)" $?
python3 -c 'print("".join("[device:d%d]\nhost = 10.0.0.1\n" % i for i in range(200000)))' > "$work/huge.ini"
timeout 10 "$RCTTOP" get battery.soc --config "$work/huge.ini" > /dev/null 2> "$work/huge.err"
status=$?
[ $status = 2 ] && grep -q "too large\|too many" "$work/huge.err"; check "a config of 200 000 sections: refused at once (exit $status)" $?
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT --config /dev/null > /dev/null
[ $? = 0 ]; check "--config /dev/null is still an empty configuration" $?

finish
