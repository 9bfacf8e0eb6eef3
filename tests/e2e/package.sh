#!/usr/bin/env bash
# The Debian package as a user gets it: `cpack -G DEB` in the build directory makes
# rcttop_VERSION_ARCH.deb; its control fields name the libraries the binary needs, it
# holds the program, the man page, the sample configuration and both completion scripts,
# and the program unpacked from it runs and is the one that was built.
set -u
RCTTOP=$1
source "$(dirname "$0")/lib.bash"
build=$(cd "$(dirname "$RCTTOP")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! command -v cpack > /dev/null || ! command -v dpkg-deb > /dev/null; then
    echo "SKIP: cpack or dpkg-deb missing"; exit 0
fi
# CPack names the dependencies with dpkg-shlibdeps, after asking `file` what the binary is.
command -v file > /dev/null || { echo "FAIL: the package needs the file utility (apt-get install file)"; exit 1; }
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" > "$work/cpack.log" 2>&1)
check "cpack -G DEB builds the package" $?
deb=$(ls "$work"/rcttop_*.deb 2>/dev/null | head -1)
[ -n "$deb" ]; check "named rcttop_VERSION_ARCH.deb ($(basename "${deb:-none}"))" $?
dpkg-deb -I "$deb" > "$work/info"
grep -q "^ Package: rcttop$" "$work/info"; check "Package: rcttop" $?
version=$("$RCTTOP" --version | sed 's/^rcttop \([0-9.]*\).*/\1/')
grep -q "^ Version: $version$" "$work/info"; check "Version: $version, as rcttop --version" $?
for lib in libc6 libevent-core libncursesw6 libtinfo6 libiniparser1; do
    grep "^ Depends:" "$work/info" | grep -q "$lib"; check "Depends names $lib" $?
done
! grep "^ Depends:" "$work/info" | grep -q "libpcap"; check "libpcap is not a dependency (loaded to decode a pcap)..." $?
grep -q "^ Recommends:.*libpcap0.8" "$work/info"; check "...but recommended" $?
grep -q "^ Section: utils" "$work/info" && grep -q "^ Description: read-only" "$work/info"
check "a section and a description" $?
dpkg-deb -c "$deb" > "$work/contents"
for f in ./usr/bin/rcttop ./usr/share/man/man1/rcttop.1.gz ./usr/share/doc/rcttop/rcttop.ini.sample \
         ./usr/share/bash-completion/completions/rcttop ./usr/share/zsh/vendor-completions/_rcttop; do
    grep -q " $f$" "$work/contents"; check "it holds $f" $?
done
dpkg-deb -x "$deb" "$work/root"
[ "$("$work/root/usr/bin/rcttop" --version)" = "$("$RCTTOP" --version)" ]
check "the packaged program runs and is this build" $?
# libpcap is only recommended, so the program must start without it: it is loaded (dlopen)
# when a capture is decoded.
! readelf -d "$work/root/usr/bin/rcttop" | grep -qE "NEEDED.*libpcap\.so"
check "the program does not need libpcap at start" $?
cmp -s "$work/root/usr/share/bash-completion/completions/rcttop" <("$RCTTOP" completion bash)
check "the packaged bash completion is what the program prints" $?
zcat "$work/root/usr/share/man/man1/rcttop.1.gz" | grep -q "^\.SH SAFETY"; check "the man page, compressed" $?
"$work/root/usr/bin/rcttop" monitor --print-sample-config | diff -q - "$work/root/usr/share/doc/rcttop/rcttop.ini.sample" > /dev/null
check "the sample configuration is the program's own" $?
finish
