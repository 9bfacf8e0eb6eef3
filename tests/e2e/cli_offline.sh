#!/usr/bin/env bash
# End to end, as a user runs them: `rcttop decode` on every real capture and on hostile
# input, `rcttop list` filters and formats, help and usage errors with exit status 2.
set -u
RCTTOP=$1
DATA=$2
source "$(dirname "$0")/lib.bash"

# Every capture decodes to the value the capture table gives.
while IFS=, read -r source hex expect note; do
    [ "$source" = source ] && continue
    out=$(echo "$hex" | "$RCTTOP" decode --format json)
    case "$expect" in
        READ\ *)
            name=${expect#READ }
            echo "$out" | grep -qF "\"command\":\"READ\"" &&
                echo "$out" | grep -qF "\"name\":\"$name\""
            check "capture $hex is a READ of $name" $? ;;
        *)
            name=${expect%%=*}
            value=${expect#*=}
            echo "$out" | grep -qF "\"name\":\"$name\"" &&
                echo "$out" | grep -qF "\"value\":$value," &&
                echo "$out" | grep -qF '"error":null}'
            check "capture $hex decodes to $expect (got $out)" $? ;;
    esac
done < "$DATA/captures.csv"

# Text output names the OID, the value and the unit.
out=$(echo 2b0508b1ef67ce4a6df692caea | "$RCTTOP" decode)
echo "$out" | grep -q 'energy.e_ac_total = 3898788.5 Wh'
check "text decode shows name, value and unit" $?

# Noise, a keepalive, a CRC error and a cut-off frame in one paste, split over lines.
out=$(printf '00 2b 05 08 95 99 30 bf\n3e 97 b1 91 9c 86\n41 54 2b 0d\n0x2b:0x05:0x05:0x97:0xe2:0x03:0xf9:0x55:0xbb:0x9b\n2b 05 08 95\n' |
      "$RCTTOP" decode --format json)
[ "$(echo "$out" | wc -l)" = 3 ]
check "three records from the hostile paste" $?
echo "$out" | sed -n 2p | grep -q '"error":"CRC mismatch (received 0xBB9B, computed 0x6E18)"'
check "CRC mismatch shows both CRCs" $?
echo "$out" | sed -n 3p | grep -q 'cut off'
check "a frame cut off at the end is reported" $?

# --stats: totals only.
stats=$(tail -n +2 "$DATA/captures.csv" | cut -d, -f2 | "$RCTTOP" decode --stats)
echo "$stats" | grep -Eq '^frames +6$'
check "stats count six frames" $?

# Binary input through a file.
tmp=$(mktemp)
printf '\x00\x2b\x05\x08\x95\x99\x30\xbf\x3e\x97\xb1\x91\x9c\x86' > "$tmp"
"$RCTTOP" decode --binary "$tmp" | grep -q 'battery.soc = 0.2962766 (29.63 %)'
check "binary file decodes" $?
rm -f "$tmp"

# Bad input is a one-line error and exit status 2.
echo "2b zz" | "$RCTTOP" decode >/dev/null 2>&1; [ $? = 2 ]; check "bad hex exits 2" $?
"$RCTTOP" decode --nope >/dev/null 2>&1; [ $? = 2 ]; check "bad option exits 2" $?
err=$("$RCTTOP" decode --nope 2>&1 >/dev/null); [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q -- '--nope'
check "bad option is one line naming it" $?
"$RCTTOP" decode /no/such/file >/dev/null 2>&1; [ $? = 2 ]; check "missing file exits 2" $?
"$RCTTOP" frobnicate >/dev/null 2>&1; [ $? = 2 ]; check "unknown command exits 2" $?

# list.
"$RCTTOP" list --format csv | head -1 | grep -q '^oid,name,group,type,kind,unit,label$'
check "list csv header" $?
[ "$("$RCTTOP" list --format csv | tail -n +2 | wc -l)" = 895 ]
check "list shows all 895 OIDs" $?
"$RCTTOP" list soc --kind setting 2>/dev/null | grep -q 'power_mng.soc_min '
check "list filters by text and kind" $?
"$RCTTOP" list --kind setting --format json | grep -q '"name":"power_mng.soc_min".*"kind":"setting"'
check "list json" $?
"$RCTTOP" list --kind nonsense >/dev/null 2>&1; [ $? = 2 ]; check "bad kind exits 2" $?

# libpcap is loaded only to read a capture (cli_write_errors.sh decodes one): the program
# does not need it, nor the libraries it brings, to start.
if command -v readelf > /dev/null; then
    ! readelf -d "$RCTTOP" | grep -q "NEEDED.*libpcap"; check "the program does not link libpcap" $?
fi

# help and version.
"$RCTTOP" --help | grep -q 'decode' ; check "--help lists commands" $?
"$RCTTOP" help decode | grep -q -- '--stats'; check "help decode" $?
"$RCTTOP" --version | grep -q '^rcttop [0-9]'; check "--version" $?
# Built from a git checkout, the version names the revision HEAD is at.
src=$(cd "$(dirname "$0")/../.." && pwd)
if rev=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null); then
    "$RCTTOP" --version | grep -q "^rcttop [0-9.]* (git $rev\(-dirty\)\?)$"
    check "--version names the git revision ($rev)" $?
fi
same=0 commands=0
for c in $("$RCTTOP" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    commands=$((commands + 1))
    [ "$("$RCTTOP" "$c" --version)" = "$("$RCTTOP" --version)" ] && same=$((same + 1))
done
[ $commands -ge 10 ] && [ $same = $commands ]
check "every command's --version is rcttop --version ($same of $commands)" $?

finish
