#!/bin/sh
# mkmap.sh OBJ... - print the linker version script of libntsec.so.
# Exported: the native API ntsec_<noun>_<verb> (libsec), and every global
# function an emul/ object defines (the Windows ABI; emul helpers are
# static or named emul__*), functions and data (PsProcessType). Hidden:
# ntsec__* internals and all else.
set -eu
emul=""
for o in "$@"; do
    case "$o" in *obj/emul/*) emul="$emul $o";; esac
done
{
    nm -g --defined-only "$@" | awk 'NF == 3 && $2 == "T" && $3 ~ /^ntsec_[a-z]/ { print $3 }'
    if [ -n "$emul" ]; then
        # shellcheck disable=SC2086
        nm -g --defined-only $emul | awk 'NF == 3 && $2 ~ /^[TDBR]$/ && $3 !~ /^(ntsec_|emul__)/ { print $3 }'
    fi
} | sort -u | {
    echo "NTSEC_0 {"
    echo "  global:"
    while read -r s; do echo "    $s;"; done
    echo "  local: *;"
    echo "};"
}
