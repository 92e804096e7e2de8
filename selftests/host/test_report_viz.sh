#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of bft report --format perfetto and --format svg, on
# two kinds of model:
#   - built by hand (report_viz_test.c: a glibc program with libraries,
#     heap, stack, vdso, a fork, mm events, major faults and cache
#     misses; a load that failed at its first step; a session with no
#     event), written by the two writers alone;
#   - built by bft report from the fixtures traced in the VM
#     (selftests/fixtures/report/*.trace), whose --format json is the
#     model the other two outputs are checked against.
# check_report_viz.py parses the trace-event JSON with python3's json,
# the SVG with xml.etree, and compares them with the model; rsvg-convert
# renders each SVG.
#
#   selftests/host/test_report_viz.sh
#
# Builds report_viz_test into a temporary directory; bft/bft must be
# built (make -C bft).  Output is TAP
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

# check_py FORMAT FILE FACTS [PREFIX]: forward check_report_viz.py's lines.
check_py() {
	local line pre=${4:-}
	python3 "$CHECK" "$1" "$2" "$3" >"$T/py.log" 2>&1
	while read -r line; do
		case $line in
		"ok - "*) pass "$pre${line#ok - }" ;;
		"not ok - "*) fail "$pre${line#not ok - }" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$T/py.log"
	grep -q '^ok - \|^not ok - ' "$T/py.log" ||
		fail "${pre}check_report_viz.py $1 ran" "$T/py.log"
}

# render SVG PNG: rsvg-convert turns SVG into a non-empty PNG, silently.
render() {
	rsvg-convert -o "$2" "$1" 2>"$T/rsvg.log" &&
		[ "$(head -c 8 "$2" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(stat -c %s "$2")" -gt 10000 ] && ! [ -s "$T/rsvg.log" ]
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
elif render "$T/a.svg" "$T/a.png"; then
	pass "rsvg-convert renders the svg to a PNG, without a warning"
else
	fail "rsvg-convert renders the svg to a PNG, without a warning" "$T/rsvg.log"
fi

# The fixtures traced in the VM, through bft report itself; the model is
# its --format json.
BFT=$REPO/bft/bft
FIX=$REPO/selftests/fixtures/report
for trace in "$FIX"/*.trace; do
	[ -e "$trace" ] || continue
	n=$(basename "$trace" .trace)
	ok=1
	for fmt in json perfetto svg; do
		"$BFT" report --root "$FIX/root" -f $fmt -o "$T/$n.$fmt" "$trace" \
			2>"$T/$n.$fmt.err" || ok=
	done
	"$BFT" report --root "$FIX/root" -f perfetto -o "$T/$n.2.perfetto" "$trace" 2>/dev/null
	"$BFT" report --root "$FIX/root" -f svg -o "$T/$n.2.svg" "$trace" 2>/dev/null
	# Only the notes of files the fixture leaves out (libc: see
	# scripts/capture-fixture.sh) may be on stderr.
	if [ -n "$ok" ] && ! cat "$T/$n".*.err |
	   grep -v '^bft report: note: .*: cannot open: No such file or directory; no symbols for it$' | grep -q .; then
		pass "$n.trace: bft report writes json, perfetto and svg, with no message but the fixture's missing files"
	else
		fail "$n.trace: bft report writes json, perfetto and svg, silently"
		cat "$T/$n".*.err | sed 's/^/# /'
		continue
	fi
	if cmp -s "$T/$n.perfetto" "$T/$n.2.perfetto" && cmp -s "$T/$n.svg" "$T/$n.2.svg"; then
		pass "$n.trace: same trace, same bytes"
	else
		fail "$n.trace: same trace, same bytes"
	fi
	check_py perfetto "$T/$n.perfetto" "$T/$n.json" "$n.trace: "
	check_py svg "$T/$n.svg" "$T/$n.json" "$n.trace: "
	if render "$T/$n.svg" "$T/$n.png"; then
		pass "$n.trace: rsvg-convert renders the svg to a PNG, without a warning"
	else
		fail "$n.trace: rsvg-convert renders the svg to a PNG, without a warning" "$T/rsvg.log"
	fi
done

echo "viz: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
