#!/usr/bin/env bash
# Shell completion as bash runs it: the script `rcttop completion bash` prints is sourced
# and its function called as bash calls it at a Tab (COMP_WORDS, COMP_CWORD); every list
# must come from the program's tables (compared with `rcttop list`, the help, the themes).
set -u
RCTTOP=$1
source "$(dirname "$0")/lib.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$(dirname "$RCTTOP")
export PATH="$bin:$PATH"   # the script calls the rcttop it completes, as typed
"$RCTTOP" completion bash > "$work/rcttop.bash"; check "completion bash prints a script" $?
source "$work/rcttop.bash"
complete -p rcttop | grep -q "_rcttop"; check "it registers itself for rcttop" $?
tab() {  # tab WORD...: the words typed, the last one being completed; COMPREPLY, sorted
    COMP_WORDS=(rcttop "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _rcttop
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
# Commands, from the command table (the main help lists the same).
commands=$("$RCTTOP" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort)
[ "$(tab "" | grep -v '^help$')" = "$commands" ]; check "rcttop <Tab>: every command of the help" $?
[ "$(tab ch)" = "check" ]; check "rcttop ch<Tab>: check" $?
# OID names from the registry (rcttop list shows it).
expect=$("$RCTTOP" list battery.s --format csv | cut -d, -f1 | grep '^battery\.s' | sort)
got=$(tab get battery.s)
[ -n "$got" ] && [ "$got" = "$expect" ]; check "rcttop get battery.s<Tab>: the registry's $(echo "$got" | wc -l) names" $?
tab get battery.so | grep -qx "battery.soc"; check "rcttop get battery.so<Tab>: battery.soc" $?
tab history logger.minutes_soc | grep -qx "logger.minutes_soc_log_ts"; check "history: the logger series" $?
! tab history battery.so | grep -q .; check "history offers series only" $?
# Each command's options, from its own getopt table: all that help shows are offered.
for c in get dump check watch sim decode scan; do
    offered=$(tab "$c" --)
    missing=""
    # The options the help lists (its option lines, not options named in its prose).
    for o in $("$RCTTOP" help "$c" | sed -n 's/^  *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u); do
        echo "$offered" | grep -qx -- "$o" || missing="$missing $o"
    done
    [ -z "$missing" ]; check "rcttop $c --<Tab>: every option its help names${missing:+ (missing:$missing)}" $?
done
tab --ho | grep -qx -- "--host"; check "rcttop --ho<Tab> (the monitor's options): --host" $?
# Values of options, from the same tables the options are checked against.
[ "$(tab dump --format "")" = "$(printf 'csv\njson\ntext')" ]; check "--format <Tab>: text csv json" $?
[ "$(tab scan --format "")" = "$(printf 'csv\nini\njson\ntext')" ]; check "scan --format <Tab>: and ini" $?
tab dump --group batt | grep -qx battery; check "--group batt<Tab>: battery" $?
[ "$(tab dump --kind "" | wc -l)" = 4 ]; check "--kind <Tab>: the four kinds" $?
tab --theme "" | grep -qx monochrome; check "--theme <Tab>: the built-in themes" $?
[ "$(tab sim --profile "" | wc -l)" = 6 ] && tab sim --profile d | grep -qx dual-tower
check "sim --profile <Tab>: the six profiles" $?
tab sim --plant "" | grep -qx master && tab sim --plant s | grep -qx storage-ac
check "sim --plant <Tab>: master and the profiles" $?
[ "$(tab sim --clock "" | tr '\n' ' ')" = "local utc " ] && [ "$(tab get --clock "" | tr '\n' ' ')" = "auto local utc " ]
check "--clock <Tab>: what each command takes (the simulator has no auto)" $?
[ "$(tab sim --role "" | tr '\n' ' ')" = "master slave standalone " ]; check "sim --role <Tab>: the three roles" $?
tab help "" | grep -qx config; check "help <Tab>: config beside the commands" $?
printf '[device:roof]\nhost = 10.0.0.5\n[device:barn]\nhost = 10.0.0.6\n' > "$work/c.ini"
[ "$(tab get --config "$work/c.ini" --device "")" = "$(printf 'barn\nroof')" ]
check "--device <Tab>: the devices of the configuration given" $?
printf '[device:roof]\nhost = 10.0.0.5\n[device:barn]\nhost = 10.0.0.6\n[plant:farm]\ndevices = roof barn\n' > "$work/p.ini"
[ "$(tab check --config "$work/p.ini" --plant "")" = "farm" ]
check "--plant <Tab>: the plants of the configuration given" $?
! tab get --rate "" | grep -q .; check "--rate <Tab>: a number, nothing offered" $?
touch "$work/capture.pcap"
(cd "$work" && tab decode cap) | grep -qx capture.pcap; check "decode <Tab>: file names" $?
(cd "$work" && tab get --record cap) | grep -qx capture.pcap; check "--record <Tab>: file names" $?
tab help wa | grep -qx watch; check "help wa<Tab>: watch" $?
# zsh, where it is installed: the script at least parses.
if command -v zsh > /dev/null; then
    "$RCTTOP" completion zsh > "$work/_rcttop" && zsh -n "$work/_rcttop"; check "the zsh script parses" $?
fi
"$RCTTOP" completion fish > /dev/null 2>&1; [ $? = 2 ]; check "an unknown shell: exit 2" $?
finish
