# SPDX-License-Identifier: GPL-2.0
#
# tap.sh - what the bft host tests share, sourced by test_bft.sh and
# test_report.sh after they set TAP_NAME (their file name, for messages):
# the bft under test (the script's first argument, or bft/bft), a scratch
# directory that is the working directory and is removed at exit, TAP
# bookkeeping (pass, fail, check), running bft (run, check_rc), and
# tap_end LABEL, which prints the plan, the results and
# "LABEL: N passed, N failed" and returns non-zero if a check failed.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BFT=${1:-$REPO/bft/bft}
case $BFT in
/*) ;;
*) BFT=$PWD/$BFT ;;
esac

if [ ! -x "$BFT" ]; then
	echo "$TAP_NAME: $BFT is not an executable; run make -C bft" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/$TAP_NAME.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

# ------------------------------------------------------------------
# TAP bookkeeping.  Results are collected so the plan can come first.

RESULTS=()
PASSED=0
FAILED=0

pass() {
	RESULTS+=("ok $((${#RESULTS[@]} + 1)) - $1")
	PASSED=$((PASSED + 1))
}

# fail DESCRIPTION [DIAGNOSTIC...]
fail() {
	local line="not ok $((${#RESULTS[@]} + 1)) - $1" d
	shift
	for d in "$@"; do
		line+=$'\n'"# $d"
	done
	RESULTS+=("$line")
	FAILED=$((FAILED + 1))
}

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "failed: $*"
	fi
}

# Run bft, keeping stdout, stderr and the exit status in OUT, ERR, RC.
run() {
	"$BFT" "$@" >stdout 2>stderr
	RC=$?
	OUT=$(<stdout)
	ERR=$(<stderr)
}

# check_rc DESCRIPTION WANT-RC BFT-ARGS...
check_rc() {
	local desc=$1 want=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "bft $*: exit $RC, want $want" "stderr: $ERR"
	fi
}

tap_end() {
	echo "TAP version 13"
	echo "1..${#RESULTS[@]}"
	printf '%s\n' "${RESULTS[@]}"
	echo "$1: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
