#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the bft tool: wrap, unwrap, info and usage handling.
#
#   selftests/host/test_bft.sh [PATH-TO-BFT]
#
# PATH-TO-BFT defaults to bft/bft in the repository.  Nothing is built here.
# Output is TAP, followed by one summary line "host: N passed, N failed".
# The exit status is non-zero if any check failed.

set -u

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BFT=${1:-$REPO/bft/bft}
case $BFT in
/*) ;;
*) BFT=$PWD/$BFT ;;
esac

if [ ! -x "$BFT" ]; then
	echo "test_bft.sh: $BFT is not an executable; run make -C bft" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/test_bft.XXXXXX") || exit 2
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
	OUT=$(cat stdout)
	ERR=$(cat stderr)
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

# ------------------------------------------------------------------
# Helpers for building and inspecting files.

# Bytes of an unsigned little-endian integer: le VALUE NBYTES
le() {
	local v=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		printf "\\x$(printf %02x $((v & 0xff)))"
		v=$((v >> 8))
	done
}

# The hex bytes of FILE at OFFSET, LENGTH bytes long, as "aa bb cc".
hexat() {
	od -A n -t x1 -v -j "$2" -N "$3" "$1" | tr -s ' \n' '  ' | sed 's/^ //;s/ $//'
}

# Overwrite bytes of FILE at OFFSET with stdin.
patch_at() {
	dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

mode_of() {
	stat -c %a "$1"
}

INTERP=/lib64/ld-linux-x86-64.so.2

# A minimal, fully known ELF64 executable: an ELF header, a PT_INTERP and
# a PT_LOAD program header, and the interpreter path.  204 bytes.
make_elf() {
	{
		printf '\177ELF\x02\x01\x01'; le 0 9	# e_ident
		le 2 2				# e_type ET_EXEC
		le 62 2				# e_machine EM_X86_64
		le 1 4				# e_version
		le $((0x401000)) 8		# e_entry
		le 64 8				# e_phoff
		le 0 8				# e_shoff
		le 0 4				# e_flags
		le 64 2; le 56 2; le 2 2	# e_ehsize, e_phentsize, e_phnum
		le 64 2; le 0 2; le 0 2		# e_shentsize, e_shnum, e_shstrndx
		# PT_INTERP
		le 3 4; le 4 4; le 176 8; le $((0x4000b0)) 8
		le $((0x4000b0)) 8; le 28 8; le 28 8; le 1 8
		# PT_LOAD
		le 1 4; le 5 4; le 0 8; le $((0x400000)) 8
		le $((0x400000)) 8; le 204 8; le 204 8; le $((0x1000)) 8
		printf '%s\0' "$INTERP"
	} >"$1"
}

# ------------------------------------------------------------------
# Usage and exit codes

run --help
if [ "$RC" -eq 0 ] && [[ $OUT == "usage: bft"* ]] && [ -z "$ERR" ]; then
	pass "bft --help: usage on stdout, exit 0"
else
	fail "bft --help: usage on stdout, exit 0" "exit $RC" "stdout: $OUT"
fi

run help
if [ "$RC" -eq 0 ] && [[ $OUT == "usage: bft"* ]]; then
	pass "bft help: usage on stdout, exit 0"
else
	fail "bft help: usage on stdout, exit 0" "exit $RC"
fi

run wrap --help
if [ "$RC" -eq 0 ] && [[ $OUT == "usage: bft wrap "* ]]; then
	pass "bft wrap --help: wrap usage on stdout, exit 0"
else
	fail "bft wrap --help: wrap usage on stdout, exit 0" "exit $RC" \
		"stdout: $OUT"
fi

run
if [ "$RC" -eq 2 ] && [ -z "$OUT" ] && [[ $ERR == *"usage: bft"* ]]; then
	pass "no command: usage on stderr, exit 2"
else
	fail "no command: usage on stderr, exit 2" "exit $RC" "stdout: $OUT"
fi

check_rc "unknown command: exit 2" 2 frobnicate
check_rc "unknown option: exit 2" 2 wrap --frobnicate a b
check_rc "wrap with one operand: exit 2" 2 wrap a
check_rc "info with two operands: exit 2" 2 info a b
check_rc "--label without an argument: exit 2" 2 wrap --label

# ------------------------------------------------------------------
# wrap: header layout

make_elf prog.elf
ELF_SIZE=$(stat -c %s prog.elf)

check_rc "wrap a known ELF with label and both flags" 0 \
	wrap --label hello --no-load-events --no-fault-events prog.elf prog.bft

# magic "BFTWRAP\0", version 1, header_size 64, flags 3
check "header bytes 0-15: magic, version 1, header_size 64, flags 0x3" \
	test "$(hexat prog.bft 0 16)" = \
	"42 46 54 57 52 41 50 00 01 00 40 00 03 00 00 00"
check "header bytes 16-23: elf_offset 4096" \
	test "$(hexat prog.bft 16 8)" = "00 10 00 00 00 00 00 00"
check "header bytes 24-31: elf_size $ELF_SIZE" \
	test "$(hexat prog.bft 24 8)" = "$(le "$ELF_SIZE" 8 | od -A n -t x1 |
					  tr -s ' \n' '  ' | sed 's/^ //;s/ $//')"
check "header bytes 32-63: label NUL-padded" \
	test "$(hexat prog.bft 32 32)" = \
	"68 65 6c 6c 6f$(printf ' 00%.0s' {1..27})"
check "bytes 64-4095 are zero" cmp -s -i 64:0 -n 4032 prog.bft /dev/zero
check "ELF starts at exactly 4096 and is unchanged" \
	cmp -s -i 4096:0 prog.bft prog.elf
check "wrapped size is 4096 + ELF size" \
	test "$(stat -c %s prog.bft)" -eq $((4096 + ELF_SIZE))

run wrap prog.elf noflags.bft
check "no flags, no label: flags and label bytes are zero" \
	test "$(hexat noflags.bft 12 4)/$(hexat noflags.bft 32 32)" = \
	"00 00 00 00/00$(printf ' 00%.0s' {1..31})"

# ------------------------------------------------------------------
# Round trips and modes

check_rc "unwrap the known ELF" 0 unwrap prog.bft prog.out
check "unwrap gives back the ELF byte for byte" cmp -s prog.elf prog.out

cp /bin/true true.elf
run wrap true.elf true.bft
run unwrap true.bft true.out
check "/bin/true survives wrap and unwrap byte for byte" \
	cmp -s true.elf true.out

{ cat prog.elf; head -c 300000 /dev/urandom; } >big.elf
run wrap big.elf big.bft
run unwrap big.bft big.out
check "a 300 KB input survives wrap and unwrap" cmp -s big.elf big.out

cat prog.elf | "$BFT" wrap --label hello --no-load-events \
	--no-fault-events /dev/stdin piped.bft 2>/dev/null
check "wrapping from a pipe gives the same bytes" cmp -s piped.bft prog.bft

chmod 4755 prog.elf
run wrap prog.elf suid.bft
check "wrap keeps mode 4755" test "$(mode_of suid.bft)" = 4755
chmod 0700 prog.elf
run wrap prog.elf priv.bft
check "wrap keeps mode 0700" test "$(mode_of priv.bft)" = 700
chmod 2750 priv.bft
run unwrap priv.bft priv.out
check "unwrap keeps mode 2750" test "$(mode_of priv.out)" = 2750
chmod 0755 prog.elf

# ------------------------------------------------------------------
# wrap: refusing bad input, and leaving OUT alone

printf 'keep me\n' >out.keep
cp out.keep out

printf '#!/bin/sh\necho not an elf\n' >script
check_rc "wrap of a non-ELF: exit 2" 2 wrap script out
check "failed wrap leaves an existing OUT intact" cmp -s out out.keep

{ printf '\177ELF'; head -c 50 /dev/zero; } >short.elf
check_rc "wrap of an ELF magic shorter than an ELF64 header: exit 2" 2 \
	wrap short.elf out

check_rc "wrap of an already wrapped file: exit 2" 2 wrap prog.bft out
if [[ $ERR == *"prog.bft"*"already wrapped"* ]]; then
	pass "already wrapped: stderr names the file and the reason"
else
	fail "already wrapped: stderr names the file and the reason" \
		"stderr: $ERR"
fi

check_rc "--label of 32 bytes: exit 2" 2 \
	wrap --label 0123456789abcdef0123456789abcdef prog.elf out
check "failed wraps leave OUT intact and no temp files" \
	test "$(cmp -s out out.keep && ls -A | grep -c '^\.bft-')" = 0

check_rc "--label of 31 bytes is accepted" 0 \
	wrap --label 0123456789abcdef0123456789abcde prog.elf label31.bft

check_rc "missing input: exit 1" 1 wrap no-such-file out
if [[ $ERR == *"no-such-file"*"No such file or directory"* ]]; then
	pass "missing input: stderr names the file and strerror"
else
	fail "missing input: stderr names the file and strerror" "stderr: $ERR"
fi

# rename() onto a non-empty directory fails after the temp file is written.
mkdir -p busy/dir && touch busy/dir/x
check_rc "write failure (OUT is a directory): exit 1" 1 \
	wrap prog.elf busy/dir
check "write failure leaves no temp file behind" \
	test "$(ls -A busy)" = dir

printf 'any bytes at all' >junk
check_rc "wrap --force of arbitrary bytes: exit 0" 0 wrap --force junk junk.bft
check "--force payload is at 4096 unchanged" cmp -s -i 4096:0 junk.bft junk

# ------------------------------------------------------------------
# info

run info prog.bft
WANT="magic: ok
version: 1
header_size: 64
flags: 0x3 (no-load-events,no-fault-events)
elf_offset: 4096
elf_size: $ELF_SIZE
label: \"hello\"
elf_class: ELF64
elf_data: little-endian
elf_type: ET_EXEC
elf_machine: EM_X86_64
elf_entry: 0x401000
elf_phnum: 2
elf_interp: \"$INTERP\""
if [ "$RC" -eq 0 ] && [ "$OUT" = "$WANT" ]; then
	pass "info of the known ELF prints exactly the expected lines"
else
	fail "info of the known ELF prints exactly the expected lines" \
		"exit $RC" "got:" "$OUT"
fi

run info noflags.bft
if [ "$RC" -eq 0 ] && grep -qx 'flags: 0x0 (none)' stdout &&
   grep -qx 'label: ""' stdout; then
	pass "info without flags and label: 'flags: 0x0 (none)', 'label: \"\"'"
else
	fail "info without flags and label" "got:" "$OUT"
fi

if [ "$(uname -m)" = x86_64 ] && [ -e "$INTERP" ]; then
	run info true.bft
	if [ "$RC" -eq 0 ] && grep -qx "elf_interp: \"$INTERP\"" stdout; then
		pass "info of wrapped /bin/true shows interpreter $INTERP"
	else
		fail "info of wrapped /bin/true shows interpreter $INTERP" \
			"got:" "$OUT"
	fi
else
	pass "info of wrapped /bin/true # SKIP not an x86-64 glibc host"
fi

# bft itself is linked statically.
run wrap "$BFT" static.bft
run info static.bft
if [ "$RC" -eq 0 ] && grep -qx 'elf_interp: none' stdout; then
	pass "info of a static program: 'elf_interp: none'"
else
	fail "info of a static program: 'elf_interp: none'" "got:" "$OUT"
fi

run info junk.bft
if [ "$RC" -eq 0 ] && grep -qx 'elf: invalid (no ELF magic)' stdout; then
	pass "info of a --force'd non-ELF: 'elf: invalid (no ELF magic)'"
else
	fail "info of a --force'd non-ELF" "exit $RC" "got:" "$OUT"
fi

check_rc "info of a file that is not wrapped: exit 2" 2 info prog.elf

# ------------------------------------------------------------------
# unwrap and info: malformed headers

# bad_header NAME OFFSET BYTES...: a copy of prog.bft with bytes patched.
bad_header() {
	local name=$1 off=$2
	shift 2
	cp prog.bft "$name"
	printf "$@" | patch_at "$name" "$off"
}

bad_header v2.bft 8 '\x02\x00'
check_rc "unwrap of version 2: exit 2" 2 unwrap v2.bft v2.out
check "failed unwrap creates no OUT" test ! -e v2.out
check_rc "info of version 2: exit 2" 2 info v2.bft

bad_header hsize.bft 10 '\x48\x00'
check_rc "unwrap with header_size 72: exit 2" 2 unwrap hsize.bft x.out

# elf_offset 2048 with a matching elf_size, so only the alignment is wrong
bad_header misaligned.bft 16 '\x00\x08'
le $((4096 + ELF_SIZE - 2048)) 8 | patch_at misaligned.bft 24
check_rc "unwrap with elf_offset 2048: exit 2" 2 unwrap misaligned.bft x.out

head -c -1 prog.bft >truncated.bft
check_rc "unwrap of a truncated file (size mismatch): exit 2" 2 \
	unwrap truncated.bft x.out

check_rc "unwrap of a plain ELF: exit 2" 2 unwrap prog.elf x.out

# ------------------------------------------------------------------

echo "TAP version 13"
echo "1..${#RESULTS[@]}"
printf '%s\n' "${RESULTS[@]}"
echo "host: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
