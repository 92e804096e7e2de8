#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - every test of the project, as 'make check' runs it (after
# 'make setup'):
#
#   host     the bft tool's tests on the host
#   report   bft report's golden tests on VM traces, with bft/bft and
#            with an ASan/UBSan build
#   style    checkpatch --strict on every module source file
#   build    the module for 6.1 and 6.12 with W=1: no warning
#   sparse   sparse (C=2) on both kernels: no warning
#   vm       the in-guest suite on both kernels, in QEMU
#   ibt      no function the module calls through a pointer is sealed on
#            either kernel (scripts/ibt-check.py, with the /proc/kallsyms
#            each VM run dumped)
#   fuzz     make fuzz, short: 200000 runs of each libFuzzer harness
#   flake    one boot per kernel of make flake (probes armed and disarmed
#            under concurrent faults): no kernel complaint
#   stress   make stress, short: 500 mutated executables per kernel run
#            plain, marked and wrapped alike; clean log, slab, rmmod, umount
#   bench    make bench, short: one run of every row on each kernel; the
#            table complete (no figure judged: see bench/results.md)
#   install  DKMS builds for both kernels and loads in the VM; the Debian
#            packages build and pass lintian (scripts/check-packaging.sh)
#   accel    qemu/run falls back to TCG when the accelerator it probes
#            cannot run the guest (a bogus one stands in for broken KVM)
#
# Prints one TAP line per test and ends with "N passed, N failed, N skipped".

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BFT_CACHE:-$top/.cache}
log=$top/build/check
kernels=(6.1 6.12)
passed=0 failed=0 skipped=0

mkdir -p "$log"

result() {	# result OK|FAIL NAME [DETAIL-FILE]
	if [ "$1" = OK ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && tail -n 40 "$3" | sed 's/^/#   /'
	fi
}

check_host() {
	local out=$log/host.log line p f
	if ! make -s -C "$top/bft" >"$out" 2>&1; then
		result FAIL "host: bft builds" "$out"
		return
	fi
	result OK "host: bft builds"
	bash "$top/selftests/host/test_bft.sh" "$top/bft/bft" >"$out" 2>&1
	grep -E '^(not )?ok ' "$out" | sed 's/^\(\(not \)\{0,1\}ok\) [0-9]* -\{0,1\} */\1 - host: /'
	line=$(grep -E '^host: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		result FAIL "host: test_bft.sh ran to its summary line" "$out"
		return
	fi
	read -r p f < <(echo "$line" | sed 's/host: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" = 0 ] || sed -n '/^not ok/,/^ok/p' "$out" | head -n 40 | sed 's/^/#   /'
	# bft report's perfetto and svg writers
	bash "$top/selftests/host/test_report_viz.sh" >"$log/host-viz.log" 2>&1
	forward_tap "host: report viz" "$log/host-viz.log"
}

# check_report_with NAME BFT: selftests/host/test_report.sh with BFT.
check_report_with() {
	local out=$log/$1.log line p f
	bash "$top/selftests/host/test_report.sh" "$2" >"$out" 2>&1
	grep -E '^(not )?ok ' "$out" | sed "s/^\(\(not \)\{0,1\}ok\) [0-9]* -\{0,1\} */\1 - $1: /"
	line=$(grep -E '^report: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		result FAIL "$1: test_report.sh ran to its summary line" "$out"
		return
	fi
	read -r p f < <(echo "$line" | sed 's/report: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/')
	passed=$((passed + p))
	failed=$((failed + f))
}

# bft report's tests, with bft/bft and with a build under ASan and UBSan
# (linked dynamically: libdw has no static build for the sanitizers).
check_report() {
	local asan=$top/build/asan
	check_report_with report "$top/bft/bft"
	if ! make -s -C "$top/bft" O="$asan" STATIC= CC=clang \
		CFLAGS="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" >"$log/report-asan-build.log" 2>&1; then
		result FAIL "report-asan: bft builds with ASan and UBSan" "$log/report-asan-build.log"
		return
	fi
	result OK "report-asan: bft builds with ASan and UBSan"
	ASAN_OPTIONS=detect_leaks=1 check_report_with report-asan "$asan/bft"
}

# compat.h is the one place that compares kernel versions, which an
# in-tree file never does; checkpatch's version warnings are moot there.
#
# tracepoints.h is written in the TRACE_EVENT() layout of the kernel's own
# include/trace/events/*.h, which checkpatch's C rules do not know.
# trace_symbols.h holds bare { value, "name" } lists for __print_symbolic(),
# as include/trace/events/mmflags.h does: parentheses would break them.
checkpatch_ignore() {
	case "$(basename "$1")" in
	trace_symbols.h)
		echo --ignore=COMPLEX_MACRO ;;
	compat.h)
		echo --ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED ;;
	tracepoints.h)
		echo --ignore=PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE ;;
	esac
}

check_style() {
	local f out
	for f in "$top"/*.c "$top"/*.h; do
		out=$log/checkpatch-$(basename "$f").log
		if perl "$cache/src/scripts/checkpatch.pl" --no-tree --strict \
			--show-types -q $(checkpatch_ignore "$f") -f "$f" \
			>"$out" 2>&1 && ! [ -s "$out" ]; then
			result OK "checkpatch --strict: $(basename "$f")"
		else
			result FAIL "checkpatch --strict: $(basename "$f")" "$out"
		fi
	done
}

# warnings LOG: the compiler, sparse or modpost warnings in a build log.
warnings() {
	grep -E 'warning:|error:|WARNING:' "$1" | grep -v '^Skipping BTF'
}

check_build() {
	local k=$1 out=$log/build-$1.log
	rm -rf "$top/build/$k"
	if make -C "$top" module KVER="$k" W=1 >"$out" 2>&1 && ! warnings "$out" >/dev/null; then
		result OK "build: $k, W=1, no warning"
	else
		warnings "$out" > "$out.w"
		result FAIL "build: $k, W=1, no warning" "$out.w"
		[ -s "$out.w" ] || tail -n 20 "$out" | sed 's/^/#   /'
	fi
	out=$log/sparse-$k.log
	if make -C "$top" module KVER="$k" C=2 >"$out" 2>&1 && ! warnings "$out" >/dev/null; then
		result OK "sparse: $k, no warning"
	else
		warnings "$out" > "$out.w"
		result FAIL "sparse: $k, no warning" "$out.w"
	fi
}

check_vm() {
	local k=$1 out=$log/vm-$k.log p f s
	bash "$top/qemu/run" --kver "$k" --mode test >"$out" 2>&1
	cat "$out"
	if [ -f "$top/build/vm-$k/counts" ] && grep -q "^ok - $k: guest ran" "$out"; then
		read -r p f s < "$top/build/vm-$k/counts"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	else
		result FAIL "vm: $k suite ran" "$out"
	fi
}

# forward_tap WHAT LOG: count the "ok - " and "not ok - " lines of LOG,
# a script's TAP output; none at all is a failure of WHAT.
forward_tap() {
	local line
	while read -r line; do
		case $line in
		"ok - "*) result OK "${line#ok - }" ;;
		"not ok - "*) result FAIL "${line#not ok - }" "$2" ;;
		esac
	done < <(grep -E '^(not )?ok - ' "$2")
	grep -q '^ok - \|^not ok - ' "$2" || result FAIL "$1: ran" "$2"
}

check_fuzz() {
	bash "$top/scripts/fuzz.sh" 200000 >"$log/fuzz.log" 2>&1
	forward_tap fuzz "$log/fuzz.log"
}

check_flake() {
	bash "$top/scripts/flake.sh" 1 "${kernels[@]}" >"$log/flake.log" 2>&1
	forward_tap flake "$log/flake.log"
}

# check_ibt KVER: the kernel's sealed functions (.ibt_endbr_seal of its
# vmlinux) against the functions the built module calls through a
# pointer, named by the kallsyms that check_vm's guest dumped.
check_ibt() {
	local k=$1 out=$log/ibt-$1.log name
	python3 "$top/scripts/ibt-check.py" --kver "$k" \
		--vmlinuz "$cache/kernels/$k/vmlinuz" \
		--config "$cache/kernels/$k/build/.config" \
		--kallsyms "$top/build/vm-$k/kallsyms" \
		--module "$top/build/$k/binfmt_trace.ko" >"$out" 2>&1
	name=$(sed -n 's/^\(not \)\{0,1\}ok - //p' "$out" | head -n 1)
	if grep -q '^ok - ' "$out"; then
		result OK "$name"
		grep '^#' "$out"
	else
		result FAIL "${name:-ibt: $k: ibt-check.py ran}" "$out"
	fi
}

check_stress() {
	bash "$top/scripts/stress.sh" 500 "${kernels[@]}" >"$log/stress.log" 2>&1
	forward_tap stress "$log/stress.log"
}

check_accel_fallback() {
	local out=$log/accel-fallback.log
	BFT_ACCEL=auto BFT_ACCEL_PROBE=bogus bash "$top/qemu/run" --kver 6.12 \
		--mode demo --script "$top/qemu/boot-check.sh" --timeout 300 \
		2>&1 | tr -d '\r' >"$out"	# the guest's serial lines end in CRLF
	if grep -q '^# 6.12: accelerator bogus cannot run this guest.*; using TCG$' "$out" &&
	   grep -q '^# 6.12: qemu -accel tcg,thread=single' "$out" &&
	   grep -q '^guest booted: .*binfmt_trace loaded' "$out" &&
	   grep -q '^BFT-GUEST-END rc=0' "$out"; then
		result OK "accel: a probed accelerator that cannot run falls back to TCG"
	else
		result FAIL "accel: a probed accelerator that cannot run falls back to TCG" "$out"
	fi
}

# The walkthrough's commands (docs/walkthrough.md) in the 6.12 VM: each
# runs, the report shows the RELRO mprotect with its sections, bft diff
# finds the two loaders identical.
check_walkthrough() {
	local out=$log/walkthrough.log name="walkthrough: every command of docs/walkthrough.md runs in the VM"
	bash "$top/qemu/run" --kver 6.12 --mode demo \
		--script "$top/qemu/walkthrough.sh" 2>&1 | tr -d '\r' >"$out"
	if grep -q '^BFT-GUEST-END rc=0' "$out" &&
	   [ "$(grep -c '^\$ bft ' "$out")" = 6 ] &&
	   grep -q '^== memory-map calls after the exec' "$out" &&
	   grep -Eq '^ +relro: .*\.dynamic.* \.got' "$out" &&
	   grep -q '^bft diff: identical: /mnt/disk/hello' "$out"; then
		result OK "$name"
	else
		result FAIL "$name" "$out"
	fi
}

# One short run of every row of make bench, so the scoreboard cannot rot.
check_bench() {
	bash "$top/scripts/bench.sh" --smoke "${kernels[@]}" >"$log/bench.log" 2>&1
	forward_tap bench "$log/bench.log"
}

check_packaging() {
	bash "$top/scripts/check-packaging.sh" >"$log/packaging.log" 2>&1
	forward_tap packaging "$log/packaging.log"
}

main() {
	local k
	check_host
	check_report
	check_fuzz
	check_style
	for k in "${kernels[@]}"; do check_build "$k"; done
	for k in "${kernels[@]}"; do check_vm "$k"; done
	for k in "${kernels[@]}"; do check_ibt "$k"; done
	check_flake
	check_stress
	check_walkthrough
	check_bench
	check_packaging
	check_accel_fallback
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}

main "$@"
