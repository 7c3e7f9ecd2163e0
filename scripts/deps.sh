#!/bin/sh
# deps.sh - make sure the Debian packages ntsec builds and tests with are
# installed (libxml2-utils: xmllint, which tests/cli.sh uses on the SVG of
# `ntsec demo com`). Installs the missing ones with apt-get when run as root;
# otherwise names them and fails, so nothing half-builds.
set -eu

# `deps.sh` installs what builds and tests need; `deps.sh bench` adds the
# peers the benchmarks measure side by side: Samba's libraries, Wine and
# mingw (bench_impersonate_win32 built for Windows and run under Wine), and
# gnuplot (no X) for the charts.
packages="gcc make pkg-config libwine-dev libcunit1-dev libcap-dev libcrypt-dev libinih-dev valgrind clang libclang-rt-14-dev libxml2-utils"
if [ "${1:-}" = bench ]; then
    packages="samba-libs wine wine64 gcc-mingw-w64-x86-64 gnuplot-nox"
fi

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
