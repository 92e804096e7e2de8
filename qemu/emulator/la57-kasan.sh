#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# la57-kasan.sh - the early-boot KASAN report of docs/hardening.md
# ("Emulator issues"): boot the debug kernel (make check-debug builds it)
# N times as it is, then N times with no5lvl, and count the boots whose
# console shows "KASAN: wild-memory-access" before /init runs, that is,
# before binfmt_trace is loaded.  The guest script only removes the module.
#
# Usage: qemu/emulator/la57-kasan.sh [N]      (default 10)
# Prints "la57-kasan: ARGS: K of N boots" for each command line; exits 0
# when the plain boots showed it and the no5lvl boots did not.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-10}
case $n in ''|*[!0-9]*|0) echo "usage: $0 [N]" >&2; exit 2 ;; esac
log=$top/build/vm-6.12-debug/console.log
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\nrmmod binfmt_trace\necho removed\n' > "$work/guest.sh"

# boots ARGS: boot N times with kernel command line ARGS added; print the
# count of boots with the report before "Run /init".
boots() {
	local i hit=0 build=
	for i in $(seq "$n"); do
		bash "$top/qemu/run" --kver 6.12-debug --mode demo $build \
			--script "$work/guest.sh" --timeout 600 \
			--append "$1" >/dev/null 2>&1
		build=--no-build
		if sed '/Run \/init/q' "$log" | grep -q 'KASAN: wild-memory-access'; then
			hit=$((hit + 1))
			grep -m1 -A12 'KASAN: wild-memory-access' "$log" >&2
		fi
	done
	echo "la57-kasan: ${1:-(as it is)}: $hit of $n boots" >&2
	echo "$hit"
}

plain=$(boots "")
nolvl5=$(boots no5lvl)
[ "$plain" -gt 0 ] && [ "$nolvl5" -eq 0 ]
