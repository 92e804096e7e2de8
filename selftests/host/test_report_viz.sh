#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of bft report --format perfetto and --format svg: the
# two writers run on a model built by hand (report_viz_test.c: a glibc
# program with a library, heap, stack, vdso, a fork, mm events, major
# faults and cache misses; a load that failed at its first step; a
# session with no event), and their outputs are checked against that
# model by check_report_viz.py: the trace-event JSON parsed by python3's
# json, the SVG by xml.etree, and the SVG rendered by rsvg-convert.
#
#   selftests/host/test_report_viz.sh
#
# Builds report_viz_test into a temporary directory.  Output is TAP
# ("ok - host: report: ..."), then one line "viz: N passed, N failed".

set -u

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHECK=$REPO/selftests/host/check_report_viz.py
T=$(mktemp -d "${TMPDIR:-/tmp}/test_report_viz.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

PASSED=0
FAILED=0

pass() {
	echo "ok - host: report: $1"
	PASSED=$((PASSED + 1))
}

fail() {
	echo "not ok - host: report: $1"
	FAILED=$((FAILED + 1))
	[ -n "${2:-}" ] && [ -s "$2" ] && sed 's/^/# /' "$2" | tail -n 20
}

# check_py FORMAT FILE FACTS: forward check_report_viz.py's lines.
check_py() {
	local line
	python3 "$CHECK" "$1" "$2" "$3" >"$T/py.log" 2>&1
	while read -r line; do
		case $line in
		"ok - "*) pass "${line#ok - }" ;;
		"not ok - "*) fail "${line#not ok - }" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$T/py.log"
	grep -q '^ok - \|^not ok - ' "$T/py.log" ||
		fail "check_report_viz.py $1 ran" "$T/py.log"
}

if make -s -C "$REPO/bft" test-viz O="$T" >"$T/build.log" 2>&1; then
	pass "report_viz_test builds"
else
	fail "report_viz_test builds" "$T/build.log"
	echo "viz: $PASSED passed, $FAILED failed"
	exit 1
fi

if "$T/report_viz_test" "$T/a.json" "$T/a.svg" "$T/facts.json" 2>"$T/run.log" &&
   "$T/report_viz_test" "$T/b.json" "$T/b.svg" "$T/facts2.json" 2>>"$T/run.log"; then
	pass "the writers return 0 on the hand-made model"
else
	fail "the writers return 0 on the hand-made model" "$T/run.log"
fi
if cmp -s "$T/a.json" "$T/b.json" && cmp -s "$T/a.svg" "$T/b.svg"; then
	pass "same model, same bytes (perfetto and svg)"
else
	fail "same model, same bytes (perfetto and svg)"
fi

check_py perfetto "$T/a.json" "$T/facts.json"
check_py svg "$T/a.svg" "$T/facts.json"

if ! command -v rsvg-convert >/dev/null; then
	fail "rsvg-convert renders the svg (rsvg-convert missing: make setup installs librsvg2-bin)"
elif rsvg-convert -o "$T/a.png" "$T/a.svg" 2>"$T/rsvg.log" &&
     [ "$(head -c 8 "$T/a.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
     [ "$(stat -c %s "$T/a.png")" -gt 10000 ] && ! [ -s "$T/rsvg.log" ]; then
	pass "rsvg-convert renders the svg to a PNG, without a warning"
else
	fail "rsvg-convert renders the svg to a PNG, without a warning" "$T/rsvg.log"
fi

echo "viz: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
