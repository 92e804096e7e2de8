#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh - 'make fuzz': the parsers of untrusted bytes, under libFuzzer
# with ASan and UBSan (clang -fsanitize=fuzzer,address,undefined):
#
#   elf_check    elf_check.c, the module's checks of wrapper, ELF and
#                program headers, built for user space as it is
#   bft_wrapped  bft's readers of wrapped files and ELF headers (info,
#                unwrap, wrap), and the wrap/decode round trip
#   report       bft report's trace reader and model builder, and its
#                text, JSON and CSV writers (seeds: the report fixtures)
#
# Seed corpus: real binaries (the test programs, busybox, /bin/true), each
# also wrapped, and the hostile corpus of test_hostile.  Each harness first
# runs every file of selftests/fuzz/regressions/ (earlier findings), then
# RUNS mutated inputs (default 10000000 for elf_check, a tenth of that for
# bft_wrapped, whose every run formats its report).  A finding stops the
# run; its input is left in build/fuzz/ to become a regression case.
#
# Usage: scripts/fuzz.sh [RUNS]
# Prints one TAP line per harness and "fuzz: NAME: N runs, no finding".

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BFT_CACHE:-$top/.cache}
out=$top/build/fuzz
runs=${1:-10000000}
case $runs in ''|*[!0-9]*|0)
	echo "usage: scripts/fuzz.sh [RUNS]: RUNS is a positive number" >&2
	exit 2 ;;
esac
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -I"$top" -I"$top/bft")
rc=0

build() {
	mkdir -p "$out"
	clang "${cflags[@]}" -include stddef.h -o "$out/fuzz_elf_check" \
		"$top/selftests/fuzz/fuzz_elf_check.c" "$top/elf_check.c" &&
	clang "${cflags[@]}" -o "$out/fuzz_bft_wrapped" \
		"$top/selftests/fuzz/fuzz_bft_wrapped.c" \
		"$top"/bft/{run,diff,trace_stream,summarize,trace_report,trace_parse,trace_dir,ring_read,ring_place}.c \
		"$top"/bft/{report,report_model,report_attr,report_text,report_data,report_perfetto,report_svg,report_stack,fault_result}.c \
		-ldw -lelf &&
	clang "${cflags[@]}" -o "$out/fuzz_report" \
		"$top/selftests/fuzz/fuzz_report.c" \
		"$top"/bft/{report_model,report_attr,report_text,report_data,report_perfetto,report_svg,report_stack,fault_result,trace_parse}.c \
		-ldw -lelf
}

# The seeds: real binaries, their wrapped forms, the hostile corpus.
seed() {
	local seeds=$out/seeds st=$out/selftests f
	rm -rf "$seeds" && mkdir -p "$seeds"
	make -s -C "$top/selftests" OUT="$st" \
		KSFT_DIR="$cache/src/tools/testing/selftests" >/dev/null || return 1
	make -s -C "$top/bft" O="$out" >/dev/null || return 1
	for f in "$st"/progs/* /bin/true "$(command -v busybox)"; do
		[ -f "$f" ] || continue
		cp "$f" "$seeds/$(basename "$f")"
		"$out/bft" wrap --force "$f" "$seeds/$(basename "$f").bft" >/dev/null
	done
	cp "$st"/hostile/*.elf "$seeds/"
	mkdir -p "$out/seeds-report"
	cp "$top"/selftests/fixtures/report/*.trace "$out/seeds-report/"
}

run_harness() {
	local name=$1 n=$2 log=$out/$1.log corpus=$out/corpus-$1
	mkdir -p "$corpus"
	(cd "$out" && "./fuzz_$name" -close_fd_mask=3 \
		"$top"/selftests/fuzz/regressions/*) > "$log" 2>&1 || {
		echo "not ok - fuzz: $name: a regression case fails again"
		tail -n 30 "$log" | sed 's/^/#   /'
		rc=1
		return
	}
	(cd "$out" && "./fuzz_$name" -runs="$n" -max_len=65536 \
		-close_fd_mask=3 -print_final_stats=1 "$corpus" "${3:-$out/seeds}") \
		>> "$log" 2>&1
	if [ $? -eq 0 ] && grep -q '^Done [0-9]* runs' "$log"; then
		echo "ok - fuzz: $name: $n runs and the regression cases, no finding"
		echo "fuzz: $name: $(grep -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "$log")"
	else
		echo "not ok - fuzz: $name: a finding (input in $out, log $log)"
		grep -A20 -m1 'ERROR\|runtime error' "$log" | sed 's/^/#   /'
		rc=1
	fi
}

if ! command -v clang >/dev/null; then
	echo "not ok - fuzz: clang is missing (make setup installs it)"
	exit 1
fi
mkdir -p "$out"
if ! build > "$out/build.log" 2>&1; then
	echo "not ok - fuzz: the harnesses build"
	sed 's/^/#   /' "$out/build.log" | tail -n 20
	exit 1
fi
if ! seed > "$out/seed.log" 2>&1; then
	echo "not ok - fuzz: the seed corpus"
	sed 's/^/#   /' "$out/seed.log" | tail -n 20
	exit 1
fi
run_harness elf_check "$runs"
run_harness bft_wrapped "$(( runs / 10 > 0 ? runs / 10 : 1 ))"
run_harness report "$(( runs / 10 > 0 ? runs / 10 : 1 ))" "$out/seeds-report"
exit $rc
