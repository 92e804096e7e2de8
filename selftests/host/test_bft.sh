#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the bft tool: wrap, unwrap, info and usage handling;
# run, trace and summarize on sample trace lines and a fake debugfs
# (BFT_DEBUGFS), since the module is not loaded on the host.
#
#   selftests/host/test_bft.sh [PATH-TO-BFT]
#
# PATH-TO-BFT defaults to bft/bft in the repository.  Nothing is built here.
# Output is TAP, followed by one summary line "host: N passed, N failed".
# The exit status is non-zero if any check failed.

set -u

TAP_NAME=test_bft.sh
# shellcheck source=tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

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

# Objects that are not programs: refused unless --force; a static PIE
# (ET_DYN with DF_1_PIE, no PT_INTERP) is a program.
printf 'int f(void) { return 1; }\n' >lib.c
printf 'int main(void) { return 0; }\n' >main.c
if cc -c -o obj.o lib.c && cc -shared -fPIC -o lib.so lib.c &&
   cc -static-pie -o spie main.c 2>/dev/null; then
	check_rc "wrap of a relocatable object (ET_REL): exit 2" 2 wrap obj.o out
	[[ $ERR == *"a relocatable object (ET_REL), not an executable"* ]] &&
		pass "wrap of ET_REL says what it is" ||
		fail "wrap of ET_REL says what it is" "stderr: $ERR"
	check_rc "wrap of a shared library: exit 2" 2 wrap lib.so out
	[[ $ERR == *"a shared library"* ]] &&
		pass "wrap of a shared library says what it is" ||
		fail "wrap of a shared library says what it is" "stderr: $ERR"
	check "refused wraps leave OUT intact" cmp -s out out.keep
	check_rc "wrap --force of a shared library: exit 0" 0 \
		wrap --force lib.so lib.bft
	check_rc "wrap of a static PIE (DF_1_PIE, no PT_INTERP): exit 0" 0 \
		wrap spie spie.bft
else
	pass "wrap of ET_REL and shared objects # SKIP no cc -static-pie here"
fi

# OUT that is not a regular file is never replaced (rename() would).
mkfifo out.fifo
check_rc "wrap onto a FIFO: exit 2" 2 wrap prog.elf out.fifo
check "wrap onto a FIFO leaves it a FIFO" test -p out.fifo
mkdir out.dir
check_rc "wrap onto a directory: exit 2" 2 wrap prog.elf out.dir
check "wrap onto a directory leaves it a directory" test -d out.dir
ln -s /dev/null out.link
check_rc "wrap onto a symlink to a device: exit 2" 2 wrap prog.elf out.link
check "wrap onto a symlink leaves the symlink" \
	test "$(readlink out.link)" = /dev/null
check_rc "unwrap onto a FIFO: exit 2" 2 unwrap prog.bft out.fifo
if [ "$(id -u)" -eq 0 ]; then
	mknod out.full c 1 7
	check_rc "wrap onto a device node: exit 2" 2 wrap prog.elf out.full
	check "wrap onto a device node leaves the device" test -c out.full
	rm -f out.full
else
	pass "wrap onto a device node # SKIP needs root"
fi
rm -rf out.fifo out.dir out.link

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

# A directory is refused before anything is written; a missing one
# cannot take the temporary file.
mkdir -p busy/dir && touch busy/dir/x
check_rc "OUT is a directory: exit 2" 2 wrap prog.elf busy/dir
check "a refused OUT leaves no temp file behind" \
	test "$(ls -A busy)" = dir
check_rc "write failure (OUT in a missing directory): exit 1" 1 \
	wrap prog.elf no-such-dir/out

# A PT_LOAD whose mapping ends at 2^63 - 4096, the last offset mmap maps
# from a file (MAX_LFS_FILESIZE, rounded down to a page): the kernel maps
# it bare, but 4096 bytes further into a wrapped file it cannot exist.
# One page lower it can; --force wraps anything (docs/format.md).
make_elf lfs.elf
le $((0x7fffffffffffe000)) 8 | patch_at lfs.elf 128
check_rc "wrap of a PT_LOAD mapped up to 2^63 - 4096: exit 2" 2 \
	wrap lfs.elf lfs.bft
WANT="bft: lfs.elf: program header 1 (PT_LOAD) maps file offsets within 4096 bytes of MAX_LFS_FILESIZE, which a wrapped file cannot map (use --force to wrap it anyway)"
if [ "$ERR" = "$WANT" ] && [ ! -e lfs.bft ]; then
	pass "2^63 limit: stderr names the program header and --force"
else
	fail "2^63 limit: stderr names the program header and --force" \
		"stderr: $ERR" "want: $WANT"
fi
check_rc "wrap --force of that ELF: exit 0" 0 wrap --force lfs.elf lfs.bft
le $((0x7fffffffffffd000)) 8 | patch_at lfs.elf 128
check_rc "wrap of a PT_LOAD mapped up to 2^63 - 8192: exit 0" 0 \
	wrap lfs.elf lfs2.bft

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
# summarize: the report of a saved trace (selftests/host/trace-sample.txt,
# lines in the exact format of docs/trace-format.md)

SAMPLE=$REPO/selftests/host/trace-sample.txt
SESSIONS=$REPO/selftests/host/sessions-sample.txt

# check_out DESCRIPTION WANT-STDOUT BFT-ARGS...: exit 0, exactly that output.
check_out() {
	local desc=$1 want=$2
	shift 2
	run "$@"
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "bft $*: exit $RC" "stderr: $ERR" "got:" \
			"$OUT" "want:" "$want"
	fi
}

# check_err DESCRIPTION WANT-RC WANT-STDERR BFT-ARGS...: exit status and
# the whole of stderr.
check_err() {
	local desc=$1 want=$2 want_err=$3
	shift 3
	run "$@"
	if [ "$RC" -eq "$want" ] && [ "$ERR" = "$want_err" ]; then
		pass "$desc"
	else
		fail "$desc" "bft $*: exit $RC, want $want" "stderr: $ERR" \
			"want:   $want_err"
	fi
}

# line N of the last output
out_line() {
	sed -n "$1p" stdout
}

SUMMARY3='== session 3: pid 4242, file /dev/fd/3, label my\x20demo
== summary
load: result=0 load_ns=102345
faults: 19
latency: total 362100 ns, max 120000 ns
result: minor 14, major 3, retry 1, sigsegv 1, sigbus 0, oom 0
retry: io 0, lock fallback 1
lock: vma 1, mmap 18
cache: hit 6, miss 3, none 10
access: read 7, write 8, exec 4
mode: user 18, kernel 1, remote 0
objects:
  exe seg 2: 1 (file 1, anon 0)
  exe seg 3: 1 (file 1, anon 0)
  exe seg 4: 2 (file 1, anon 1)
  interp seg 0: 1 (file 1, anon 0)
  interp seg 1: 1 (file 1, anon 0)
  interp seg 2: 2 (file 1, anon 1)
  lib libc.so.6: 3 (file 3, anon 0)
  lib my\x20lib.so: 1 (file 1, anon 0)
  heap: 1
  stack: 2
  anon: 1
  vdso: 1
  vvar: 1
  none: 1
processes: fork 1, mm_exit 2
maps: mmap 0, mprotect 0, munmap 0, mremap 0, brk 0
lost: unknown'
check_out "summarize --session 3 --summary-only: the exact summary" \
	"$SUMMARY3" summarize --session 3 --summary-only "$SAMPLE"
check_out "summarize --pid 4242 picks the session whose load_start has pid=4242" \
	"$SUMMARY3" summarize --pid 4242 --summary-only "$SAMPLE"

SUMMARY4='== session 4: pid 1234567, file /tmp/bad.bft
== summary
load: result=-8 load_ns=11000
load_error: step=bft_check_elf error=-8
faults: 0
latency: total 0 ns, max 0 ns
result: minor 0, major 0, retry 0, sigsegv 0, sigbus 0, oom 0
retry: io 0, lock fallback 0
lock: vma 0, mmap 0
cache: hit 0, miss 0, none 0
access: read 0, write 0, exec 0
mode: user 0, kernel 0, remote 0
objects: none
processes: fork 0, mm_exit 0
maps: mmap 0, mprotect 0, munmap 0, mremap 0, brk 0
lost: unknown'
check_out "summarize of a failed load (7-digit tid): load_error, no faults" \
	"$SUMMARY4" summarize --pid 1234567 --summary-only "$SAMPLE"

# fault_capture=fast: each fault's result from its task's next counts:
# minor, minor, major (majflt 0->1), none counted (other), minor by the
# mm_exit; tid 5001 wrote nothing after its fault (unknown).
FAST_SAMPLE=$REPO/selftests/host/trace-fast-sample.txt
SUMMARY7='== session 7: pid 5000, file /tmp/hi
== summary
load: result=0 load_ns=100000
faults: 6
latency: total 0 ns, max 0 ns, unknown 6
result: minor 3, major 1, retry 0, sigsegv 0, sigbus 0, oom 0, other 1, unknown 1
retry: io 0, lock fallback 0
lock: vma 0, mmap 0, unknown 6
cache: hit 0, miss 0, none 0, unknown 6
access: read 2, write 3, exec 1
mode: user 6, kernel 0, remote 0
objects:
  exe seg 0: 2 (file 2, anon 0)
  heap: 2
  stack: 1
  none: 1
processes: fork 0, mm_exit 1
maps: mmap 0, mprotect 0, munmap 0, mremap 0, brk 0
lost: unknown'
check_out "summarize, fast capture: results from the task's counts, the rest unknown" \
	"$SUMMARY7" summarize --session 7 --summary-only "$FAST_SAMPLE"

run summarize --session 3 "$SAMPLE"
if [ "$RC" -eq 0 ] &&
   [ "$(grep -c '^== ' stdout)" -eq 4 ] &&
   [ "$(out_line 2)" = "== load steps: 27 events" ] &&
   [ "$(out_line 3)" = "+0.000000 4242    load_start  pid=4242 file=/dev/fd/3 interp=/lib64/ld-linux-x86-64.so.2 argc=2 envc=12 label=my\x20demo flags=0x0 elf_offset=0x1000 elf_size=0x3e58 type=DYN phnum=6 entry=0x1060" ] &&
   [ "$(out_line 29)" = "+0.000102 4242    load_end    result=0 load_ns=102345" ] &&
   [ "$(out_line 30)" = "== fault timeline: 22 events" ] &&
   [ "$(out_line 48)" = "+0.000800 4242    fork        child=4243" ] &&
   [ "$(out_line 53)" = "== summary" ]; then
	pass "summarize: header, load steps, timeline, summary in readable form"
else
	fail "summarize: header, load steps, timeline, summary in readable form" \
		"exit $RC" "got:" "$OUT"
fi

# The sample has a fault written on CPU 3 at .500290 read after one of
# CPU 1 at .500300: the timeline is in time order.
if [[ $(out_line 37) == "+0.000290 4242    page_fault  since=290017 "*"obj=exe seg=3 "* ]] &&
   [[ $(out_line 38) == "+0.000300 4242    page_fault  since=300017 "* ]]; then
	pass "summarize: the timeline is sorted by timestamp across CPUs"
else
	fail "summarize: the timeline is sorted by timestamp across CPUs" \
		"line 37: $(out_line 37)" "line 38: $(out_line 38)"
fi

run summarize --session 3 --raw "$SAMPLE"
grep ' session=3 ' "$SAMPLE" | sort >want.sorted
sed -n '/^== load steps/,/^== summary/p' stdout | grep -v '^==' |
	sort >got.sorted
if [ "$RC" -eq 0 ] && cmp -s want.sorted got.sorted &&
   [ "$(out_line 2)" = "== load steps: 27 events" ] &&
   [ "$(out_line 3)" = "$(grep -m1 load_start "$SAMPLE")" ]; then
	pass "summarize --raw: the session's lines exactly as in the trace"
else
	fail "summarize --raw: the session's lines exactly as in the trace" \
		"exit $RC" "$(diff want.sorted got.sorted)"
fi

# Session 5: memory-map system calls, in the timeline and counted.
run summarize --session 5 "$SAMPLE"
if [ "$RC" -eq 0 ] &&
   [ "$(out_line 5)" = "== fault timeline: 8 events" ] &&
   [ "$(out_line 7)" = "+0.000300 4300    mmap        addr=0x0 len=0x1e1f50 prot=r-- flags=PRIVATE|DENYWRITE fd=3 file=/lib/x86_64-linux-gnu/libc.so.6 off=0x0 result=0x7fb5f6772000" ] &&
   [ "$(out_line 9)" = "+0.000500 4300    mprotect    addr=0x56471b0c1000 len=0x1000 prot=r-- result=0" ] &&
   [ "$(grep -x 'maps: mmap 3, mprotect 1, munmap 1, mremap 1, brk 1' stdout)" ] &&
   [ "$(grep -x 'faults: 0' stdout)" ]; then
	pass "summarize: memory-map events in the timeline, and the maps: line"
else
	fail "summarize: memory-map events in the timeline, and the maps: line" \
		"exit $RC" "got:" "$OUT"
fi

run summarize --summary-only "$SAMPLE"
if [ "$RC" -eq 0 ] &&
   [ "$(grep '^== session' stdout)" = "== session 1: no load_start in this trace
== session 3: pid 4242, file /dev/fd/3, label my\x20demo
== session 2: no load_start in this trace
== session 4: pid 1234567, file /tmp/bad.bft
== session 5: pid 4300, file /tmp/mm.bft" ] &&
   [ "$(grep -c '^$' stdout)" -eq 4 ] &&
   grep -qx '  lib libc.so.6: 1 (file 1, anon 0)' stdout; then
	pass "summarize without a choice: every session, in order of first line"
else
	fail "summarize without a choice: every session, in order of first line" \
		"exit $RC" "got:" "$OUT"
fi

run summarize --session 3 --summary-only --sessions "$SESSIONS" "$SAMPLE"
if [ "$RC" -eq 0 ] &&
   [ "$(tail -n 1 stdout)" = "lost: 17 (the trace is incomplete)" ] &&
   [ "$ERR" = "bft summarize: warning: 17 of the 66 events of session 3 are missing: the buffer overwrote them, or another reader of trace_pipe took them; for a bigger buffer: echo 8192 > /sys/kernel/debug/binfmt_trace/buffer_size_kb" ]; then
	pass "summarize --sessions: events= minus the lines is the count lost, and a warning naming buffer_size_kb"
else
	fail "summarize --sessions: lost count, and a warning" "exit $RC" \
		"stdout: $(tail -n 1 stdout)" "stderr: $ERR"
fi

run summarize --session 4 --summary-only --sessions "$SESSIONS" "$SAMPLE"
if [ "$RC" -eq 0 ] && [ "$(tail -n 1 stdout)" = "lost: 0" ] &&
   [ -z "$ERR" ]; then
	pass "summarize --sessions: 'lost: 0' and no warning"
else
	fail "summarize --sessions: 'lost: 0' and no warning" \
		"stdout: $(tail -n 1 stdout)" "stderr: $ERR"
fi

run summarize --pid 4099 --summary-only --sessions "$SESSIONS" "$SAMPLE"
if [ "$RC" -eq 0 ] && [ "$(out_line 1)" = "== session 2: no load_start in this trace" ] &&
   [ "$(grep -c '^== session' stdout)" -eq 1 ]; then
	pass "summarize --pid finds a session through the sessions file"
else
	fail "summarize --pid finds a session through the sessions file" \
		"exit $RC" "got:" "$OUT"
fi

# The same four events of session 4 as perf script and trace-cmd report
# print the binfmt_trace:* tracepoints: the system before the event name,
# names padded, "comm pid" or "comm-pid", nanoseconds.
cat >perf.txt <<'EOF'
             bft 1234567 [002]  1234.500950: binfmt_trace:load_start: session=4 pid=1234567 file=/tmp/bad.bft interp=- argc=1 envc=0 label=- flags=0x2 elf_offset=0x1000 elf_size=0x2000 type=EXEC phnum=1 entry=0x401000
             bft 1234567 [002]  1234.500951:  binfmt_trace:load_phdr: session=4 obj=exe index=0 type=LOAD offset=0x0 vaddr=0x400000 paddr=0x400000 filesz=0x3000 memsz=0x3000 flags=RE align=0x1000
             bft 1234567 [002]  1234.500960: binfmt_trace:load_error: session=4 step=bft_check_elf error=-8
             bft 1234567 [002]  1234.500961:   binfmt_trace:load_end: session=4 result=-8 load_ns=11000
EOF
cat >trace-cmd.txt <<'EOF'
cpus=4
             bft-1234567 [002]  1234.500950000: load_start:           session=4 pid=1234567 file=/tmp/bad.bft interp=- argc=1 envc=0 label=- flags=0x2 elf_offset=0x1000 elf_size=0x2000 type=EXEC phnum=1 entry=0x401000
             bft-1234567 [002]  1234.500951000: load_phdr:            session=4 obj=exe index=0 type=LOAD offset=0x0 vaddr=0x400000 paddr=0x400000 filesz=0x3000 memsz=0x3000 flags=RE align=0x1000
             bft-1234567 [002]  1234.500960000: load_error:           session=4 step=bft_check_elf error=-8
             bft-1234567 [002]  1234.500961000: load_end:             session=4 result=-8 load_ns=11000
EOF
check_out "summarize of perf script lines: the same report" \
	"$SUMMARY4" summarize --pid 1234567 --summary-only perf.txt
check_out "summarize of trace-cmd report lines: the same report" \
	"$SUMMARY4" summarize --pid 1234567 --summary-only trace-cmd.txt

{ cat "$SAMPLE"; printf 'not a trace line\n\n'; } >noisy.txt
run summarize --session 3 --summary-only noisy.txt
if [ "$RC" -eq 0 ] && [ "$OUT" = "$SUMMARY3" ] &&
   [ "$ERR" = "bft summarize: noisy.txt: skipped 1 line that is not a trace event" ]; then
	pass "summarize skips (and counts) lines that are not events"
else
	fail "summarize skips (and counts) lines that are not events" \
		"exit $RC" "stderr: $ERR"
fi

# PREEMPT_RT's lazy preemption (Debian 6.12-rt; mainline 6.13) prints l
# or L as the need-resched flag: ".l.2.", ".L.1.".
sed -e '1~2s/ \([.dDbX]\)\.\([.hHsSzZ]\)\([0-9a-f]\)/ \1l\2\3/' \
    -e '2~2s/ \([.dDbX]\)\.\([.hHsSzZ]\)\([0-9a-f]\)/ \1L\2\3/' \
	"$SAMPLE" >lazy.txt
check_out "summarize of lines with the lazy need-resched flags l, L: the same report" \
	"$SUMMARY3" summarize --session 3 --summary-only lazy.txt

check_err "summarize of a session that is not there: exit 2" 2 \
	"bft summarize: $SAMPLE: no events of session 9" \
	summarize --session 9 "$SAMPLE"
check_rc "summarize without a file: exit 2" 2 summarize
check_rc "summarize with two files: exit 2" 2 summarize "$SAMPLE" "$SAMPLE"
check_rc "summarize --session 0: exit 2" 2 summarize --session 0 "$SAMPLE"
check_rc "summarize --session abc: exit 2" 2 summarize --session abc "$SAMPLE"
check_rc "summarize --pid with --session: exit 2" 2 \
	summarize --pid 1 --session 1 "$SAMPLE"
check_rc "summarize of a missing file: exit 1" 1 summarize no-such-trace

# ------------------------------------------------------------------
# run and trace: usage errors come before any other check

run run
if [ "$RC" -eq 2 ] && [[ $ERR == *"usage: bft run "* ]]; then
	pass "run without a program: usage on stderr, exit 2"
else
	fail "run without a program: usage on stderr, exit 2" "exit $RC" \
		"stderr: $ERR"
fi
check_rc "run --frobnicate: exit 2" 2 run --frobnicate -- /bin/true
check_rc "run --label of 32 bytes: exit 2" 2 \
	run --label 0123456789abcdef0123456789abcdef -- /bin/true
run run --help
if [ "$RC" -eq 0 ] && [[ $OUT == "usage: bft run "* ]]; then
	pass "run --help: usage on stdout, exit 0"
else
	fail "run --help: usage on stdout, exit 0" "exit $RC"
fi
check_rc "trace with an operand: exit 2" 2 trace extra
check_rc "trace --pid abc: exit 2" 2 trace --pid abc
check_rc "trace --pid with --session: exit 2" 2 trace --pid 1 --session 1
check_rc "trace --frobnicate: exit 2" 2 trace --frobnicate

# as_root DESCRIPTION FUNCTION: the tests of FUNCTION, or one SKIP line
# when not root (bft run and bft trace check for root before anything).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$2"
	else
		pass "$1 # SKIP needs root"
	fi
}

# ------------------------------------------------------------------
# run and trace: what must be there before anything is traced

NOT_ROOT="bft run: must be root to read /sys/kernel/debug/binfmt_trace"
NOT_MOUNTED="bft run: debugfs is not mounted: mount -t debugfs none"
NOT_LOADED="bft run: the binfmt_trace module is not loaded: insmod binfmt_trace.ko"

if [ "$(id -u)" -ne 0 ]; then
	check_err "run as a user: exit 1" 1 "$NOT_ROOT" run -- /bin/true
elif command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BFT" run -- /bin/true >stdout 2>stderr
	RC=$?
	if [ "$RC" -eq 1 ] && [ "$(<stderr)" = "$NOT_ROOT" ]; then
		pass "run as a user: '$NOT_ROOT', exit 1"
	else
		fail "run as a user: exit 1 and a one-line reason" "exit $RC" \
			"stderr: $(<stderr)"
	fi
else
	pass "run as a user # SKIP needs setpriv"
fi

# With debugfs mounted in a private mount namespace: the module's check.
test_module_not_loaded() {
	mkdir -p realdbg
	if ! unshare -m sh -c 'mount -t debugfs none "$1"' sh realdbg \
		2>/dev/null; then
		pass "run, debugfs mounted, no module # SKIP cannot mount debugfs here"
		return
	fi
	unshare -m sh -c 'mount -t debugfs none "$1" &&
		BFT_DEBUGFS=$1 exec "$2" run -- /bin/true' sh \
		"$T/realdbg" "$BFT" >stdout 2>stderr
	RC=$?
	if [ "$RC" -eq 1 ] && [ "$(<stderr)" = "$NOT_LOADED" ]; then
		pass "run, debugfs mounted, no module: '$NOT_LOADED', exit 1"
	else
		fail "run, debugfs mounted, no module: exit 1" "exit $RC" \
			"stderr: $(<stderr)"
	fi
}

# The host as it is: whichever of the two is missing comes first.
test_host_as_it_is() {
	if [ "$(stat -f -c %t /sys/kernel/debug 2>/dev/null)" = 64626720 ]; then
		WANT=$NOT_LOADED
	else
		WANT="$NOT_MOUNTED /sys/kernel/debug"
	fi
	(unset BFT_DEBUGFS; "$BFT" run -- /bin/true >stdout 2>stderr)
	RC=$?
	if [ "$RC" -eq 1 ] && [ "$(<stderr)" = "$WANT" ]; then
		pass "run -- /bin/true on this host: '$WANT', exit 1"
	else
		fail "run -- /bin/true on this host: exit 1" "exit $RC" \
			"stderr: $(<stderr)" "want:   $WANT"
	fi
}

test_missing_pieces() {
	mkdir -p emptydbg
	BFT_DEBUGFS=$T/emptydbg check_err \
		"run, debugfs not mounted at BFT_DEBUGFS: exit 1" 1 \
		"$NOT_MOUNTED $T/emptydbg" run -- /bin/true
	BFT_DEBUGFS=$T/emptydbg check_err \
		"trace, debugfs not mounted: the same message from trace" 1 \
		"bft trace: debugfs is not mounted: mount -t debugfs none $T/emptydbg" \
		trace
	if [ -e /sys/module/binfmt_trace ]; then
		pass "run without the module # SKIP binfmt_trace is loaded here"
		return
	fi
	test_module_not_loaded
	test_host_as_it_is
}
as_root "run and trace: debugfs and module checks" test_missing_pieces

# ------------------------------------------------------------------
# trace: a fake debugfs (BFT_DEBUGFS) whose trace_pipe is a regular file,
# so that bft trace reads it to its end and stops

mkdir -p fakedbg/binfmt_trace
cp "$SAMPLE" fakedbg/binfmt_trace/trace_pipe
cp "$SESSIONS" fakedbg/binfmt_trace/sessions
echo 1 >fakedbg/binfmt_trace/enable
echo 2048 >fakedbg/binfmt_trace/buffer_size_kb
: >fakedbg/binfmt_trace/trace_next_exec

# ftrace: run bft with the fake debugfs
ftrace() {
	BFT_DEBUGFS=$T/fakedbg run "$@"
}

test_trace() {
	ftrace trace --raw
	check "trace --raw without a filter: every line, byte for byte" \
		cmp -s stdout "$SAMPLE"

	ftrace trace --raw --session 3
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$(grep ' session=3 ' "$SAMPLE")" ]; then
		pass "trace --raw --session 3: that session's lines, in order read"
	else
		fail "trace --raw --session 3" "exit $RC" "got:" "$OUT"
	fi

	ftrace trace --raw --pid 4242
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$(grep ' session=3 ' "$SAMPLE")" ]; then
		pass "trace --pid 4242: its session, the forked child's lines too"
	else
		fail "trace --pid 4242: its session, the forked child's lines too" \
			"exit $RC" "got:" "$OUT"
	fi

	ftrace trace --raw --pid 4099
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$(grep ' session=2 ' "$SAMPLE")" ]; then
		pass "trace --pid: a session found in the sessions file"
	else
		fail "trace --pid: a session found in the sessions file" \
			"exit $RC" "got:" "$OUT"
	fi

	: >fakedbg/binfmt_trace/sessions
	ftrace trace --raw --pid 4100
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$(grep -- '-4100 ' "$SAMPLE")" ]; then
		pass "trace --pid: lines whose tid is PID, without a load_start"
	else
		fail "trace --pid: lines whose tid is PID, without a load_start" \
			"exit $RC" "got:" "$OUT"
	fi

	ftrace trace --pid 4001
	if [ "$RC" -eq 0 ] && [ "$OUT" = "S1 +0.000000 4001    page_fault  since=5000100200 addr=0x7ffd2a1c3ff8 ip=0x7f3b1c2d4e10 access=write mode=user obj=stack seg=-1 off=- file=- result=minor lock=mmap cache=- lat=1200" ]; then
		pass "trace: readable form 'S<session> +time tid event fields'"
	else
		fail "trace: readable form 'S<session> +time tid event fields'" \
			"exit $RC" "got:" "$OUT"
	fi

	ftrace trace
	if [ "$RC" -eq 0 ] &&
	   [ "$(wc -l <stdout)" -eq "$(wc -l <"$SAMPLE")" ] &&
	   [ "$(grep -m1 '^S4 ' stdout)" = "S4 +0.000000 1234567 load_start  pid=1234567 file=/tmp/bad.bft interp=- argc=1 envc=0 label=- flags=0x2 elf_offset=0x1000 elf_size=0x2000 type=EXEC phnum=1 entry=0x401000" ] &&
	   [ "$(grep '^S2 ' stdout | tail -n 1)" = "S2 +0.000950 4100    mm_exit     mms_left=0" ]; then
		pass "trace: times count from each session's first line"
	else
		fail "trace: times count from each session's first line" \
			"exit $RC" "got:" "$OUT"
	fi

	echo 0 >fakedbg/binfmt_trace/enable
	ftrace trace --session 4
	if [ "$RC" -eq 0 ] && [ "$ERR" = "bft trace: warning: recording is off: echo 1 > $T/fakedbg/binfmt_trace/enable" ]; then
		pass "trace warns when recording is off"
	else
		fail "trace warns when recording is off" "stderr: $ERR"
	fi
	echo 1 >fakedbg/binfmt_trace/enable

	# SIGINT ends bft trace with status 0: a FIFO that never reaches its end.
	rm fakedbg/binfmt_trace/trace_pipe
	mkfifo fakedbg/binfmt_trace/trace_pipe
	exec 7<>fakedbg/binfmt_trace/trace_pipe
	BFT_DEBUGFS=$T/fakedbg "$BFT" trace --session 3 >fifo.out 2>fifo.err 7>&- &
	TRACE_PID=$!
	grep -m3 ' session=3 ' "$SAMPLE" >&7
	for _ in $(seq 100); do
		[ "$(wc -l <fifo.out)" -ge 3 ] && break
		sleep 0.05
	done
	kill -INT "$TRACE_PID"
	wait "$TRACE_PID"
	RC=$?
	exec 7>&-
	if [ "$RC" -eq 0 ] && [ "$(wc -l <fifo.out)" -eq 3 ] &&
	   [[ $(head -n 1 fifo.out) == "S3 +0.000000 4242    load_start  pid=4242 "* ]]; then
		pass "trace prints lines as they come and exits 0 on SIGINT"
	else
		fail "trace prints lines as they come and exits 0 on SIGINT" \
			"exit $RC" "output: $(cat fifo.out fifo.err)"
	fi
	rm fakedbg/binfmt_trace/trace_pipe
	: >fakedbg/binfmt_trace/trace_pipe
}
as_root "trace with a fake debugfs" test_trace

# ------------------------------------------------------------------
# run: programs that cannot be run.  With the fake debugfs the checks
# pass; without the module the kernel refuses the wrapped image with
# ENOEXEC.

test_run_cannot_execute() {
	if [ -e /sys/module/binfmt_trace ]; then
		pass "run of programs that cannot run # SKIP binfmt_trace is loaded here"
		return
	fi
	ftrace run -- no-such-program-here
	if [ "$RC" -eq 127 ] &&
	   [ "$ERR" = "bft run: cannot execute no-such-program-here: No such file or directory" ]; then
		pass "run of a program not in PATH: exit 127"
	else
		fail "run of a program not in PATH: exit 127" "exit $RC" \
			"stderr: $ERR"
	fi

	chmod 0755 script
	: >fakedbg/binfmt_trace/trace_next_exec
	ftrace run -- ./script
	if [ "$RC" -eq 0 ] && [ "$OUT" = "not an elf" ] &&
	   [ "$(cat fakedbg/binfmt_trace/trace_next_exec)" = "1 0 " ]; then
		pass "run of a script: marks the exec, runs it, exits as it did"
	else
		fail "run of a script: marks the exec, runs it, exits as it did" \
			"exit $RC" "stdout: $OUT" "stderr: $ERR" \
			"mark: $(cat fakedbg/binfmt_trace/trace_next_exec)"
	fi

	mkdir -p bin
	cp /bin/true bin/mytrue
	cp /bin/false bin/myfalse
	cp /bin/true bin/notexec && chmod 0644 bin/notexec
	: >fakedbg/binfmt_trace/trace_next_exec
	PATH=$T/bin ftrace run --label lbl --no-fault-events -- myfalse
	if [ "$RC" -eq 1 ] &&
	   [ "$(cat fakedbg/binfmt_trace/trace_next_exec)" = "1 2 lbl" ] &&
	   [[ $ERR == *"no trace of pid"* ]]; then
		pass "run finds PROG in PATH, marks its exec with flags and label, exits as it did"
	else
		fail "run finds PROG in PATH, marks its exec with flags and label" \
			"exit $RC" "stderr: $ERR" \
			"mark: $(cat fakedbg/binfmt_trace/trace_next_exec)"
	fi
	PATH=$T/bin ftrace run -- notexec
	if [ "$RC" -eq 126 ] &&
	   [ "$ERR" = "bft run: cannot execute notexec: Permission denied" ]; then
		pass "run of a PATH entry without x bits: 126, Permission denied"
	else
		fail "run of a PATH entry without x bits: 126, Permission denied" \
			"exit $RC" "stderr: $ERR"
	fi

	PATH=$T/bin ftrace run -o report.txt -- mytrue
	if [ "$RC" -eq 0 ] && [ -z "$OUT" ] && [ -f report.txt ]; then
		pass "run -o FILE: nothing of the report on stdout"
	else
		fail "run -o FILE: nothing of the report on stdout" \
			"exit $RC" "stdout: $OUT"
	fi
	check_rc "run -o without a file: exit 2" 2 run -o

	rm fakedbg/binfmt_trace/trace_next_exec
	PATH=$T/bin ftrace run -- mytrue
	if [ "$RC" -eq 1 ] && [[ $ERR == *"trace_next_exec: cannot open"* ]]; then
		pass "run without trace_next_exec (an older module): exit 1, says so"
	else
		fail "run without trace_next_exec: exit 1, says so" \
			"exit $RC" "stderr: $ERR"
	fi
	: >fakedbg/binfmt_trace/trace_next_exec

	ftrace run --trace-out no-such-dir/out -- /bin/true
	if [ "$RC" -eq 1 ] && [[ $ERR == *"no-such-dir/out: cannot open: No such file or directory" ]]; then
		pass "run --trace-out into a missing directory: exit 1 before running"
	else
		fail "run --trace-out into a missing directory: exit 1" \
			"exit $RC" "stderr: $ERR"
	fi
}
as_root "run of programs that cannot run" test_run_cannot_execute

# ------------------------------------------------------------------
# diff: usage errors first, then root, debugfs, the module, recording;
# with the fake debugfs, the "mark" goes to a regular file, so the second
# run is the kernel's loader again: bft diff must notice and refuse.

DIFF_USAGE="usage: bft diff [--keep[=DIR]] [--against FILE] [--] PROG [ARGS...]"
check_err "diff without a program: exit 2" 2 \
	"bft diff: missing program"$'\n'"$DIFF_USAGE"$'\n'"Run 'bft diff --help' for details." \
	diff --
check_rc "diff --against without a file: exit 2" 2 diff --against
check_rc "diff --keep= with an empty directory: exit 2" 2 diff --keep= /bin/true
check_rc "diff with an unknown option: exit 2" 2 diff --frobnicate /bin/true
run diff --help
if [ "$RC" -eq 0 ] && [[ $OUT == "$DIFF_USAGE"* ]]; then
	pass "diff --help: usage on stdout, exit 0"
else
	fail "diff --help: usage on stdout, exit 0" "exit $RC" "got: $OUT"
fi
# Options end at PROG: its own options are its own.
run diff /nonexistent/prog --keep=x
if [ "$RC" -eq 2 ] && [[ $ERR != *"usage:"* ]] && [ ! -e x ]; then
	pass "diff PROG --keep=x: --keep=x is PROG's, not bft's"
else
	fail "diff PROG --keep=x: --keep=x is PROG's" "exit $RC" "stderr: $ERR"
fi

if [ "$(id -u)" -ne 0 ]; then
	check_err "diff as a user: exit 2" 2 \
		"bft diff: must be root: binfmt_trace's run is marked through debugfs (trace_next_exec), which only root may write" \
		diff -- /bin/true
elif command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BFT" diff -- /bin/true >stdout 2>stderr
	RC=$?
	if [ "$RC" -eq 2 ] && [[ $(<stderr) == "bft diff: must be root: "* ]]; then
		pass "diff as a user: 'must be root', exit 2"
	else
		fail "diff as a user: exit 2" "exit $RC" "stderr: $(<stderr)"
	fi
fi

test_diff_fake() {
	BFT_DEBUGFS=$T/emptydbg check_err "diff, debugfs not mounted: exit 2" 2 \
		"bft diff: debugfs is not mounted: mount -t debugfs none $T/emptydbg" \
		diff -- /bin/true
	echo 0 >fakedbg/binfmt_trace/enable
	ftrace diff -- /bin/true
	if [ "$RC" -eq 2 ] && [[ $ERR == "bft diff: recording is off "* ]]; then
		pass "diff with recording off: exit 2"
	else
		fail "diff with recording off: exit 2" "exit $RC" "stderr: $ERR"
	fi
	echo 1 >fakedbg/binfmt_trace/enable
	ftrace diff -- /nonexistent/prog
	check "diff of a missing program: exit 2, one line" \
		test "$RC:$ERR" = "2:bft diff: cannot run /nonexistent/prog: No such file or directory"
	ftrace diff --keep="$T/kept" -- /bin/echo fake
	if [ "$RC" -eq 2 ] && [ -z "$OUT" ] &&
	   [[ $ERR == "bft diff: /bin/echo was not loaded by binfmt_trace: the sessions file has no session of pid "* ]] &&
	   [ "$(<fakedbg/binfmt_trace/trace_next_exec)" = "1 2 bft-diff" ] &&
	   [ "$(<kept/stock/stdout)" = fake ] && [ "$(<kept/stock/status)" = "exited 0" ] &&
	   grep -q '^AT_RANDOM 0x[0-9a-f]* bytes=[0-9a-f]\{32\}$' kept/stock/auxv &&
	   grep -q '^AT_EXECFN 0x[0-9a-f]* "/bin/echo"$' kept/stock/auxv; then
		pass "diff when binfmt_trace did not load the program: exit 2, not stock against stock"
	else
		fail "diff when binfmt_trace did not load it: exit 2" "exit $RC" \
			"stderr: $ERR" "mark: $(<fakedbg/binfmt_trace/trace_next_exec)"
	fi
	: >fakedbg/binfmt_trace/trace_next_exec
	mkdir -p difftmp
	TMPDIR=$T/difftmp ftrace diff -- /bin/true
	if [ "$RC" -eq 2 ] && [ -z "$(ls -A difftmp)" ]; then
		pass "diff without --keep leaves no directory behind"
	else
		fail "diff without --keep leaves no directory behind" \
			"exit $RC" "$(ls -AR difftmp)"
	fi
}
as_root "diff with a fake debugfs" test_diff_fake

run help
if [[ $OUT == *"bft run "*"bft trace "*"bft summarize "* ]]; then
	pass "help lists run, trace and summarize"
else
	fail "help lists run, trace and summarize" "got: $OUT"
fi

# ------------------------------------------------------------------
# --version, the man page and bash completion

SRC=$(cd "$(dirname "$BFT")" && pwd)
release=$(sed -n 's/^#define BFT_RELEASE[[:space:]]*"\(.*\)"$/\1/p' "$SRC/../bft_format.h")
run --version
if [ "$RC" -eq 0 ] && [ -n "$release" ] && [ "$OUT" = "bft (binfmt_trace) $release" ]; then
	pass "--version: 'bft (binfmt_trace) RELEASE' from bft_format.h"
else
	fail "--version" "exit $RC" "got: $OUT" "want release '$release'"
fi

if groff -man -Tutf8 -ww -z "$SRC/bft.1" 2>groff.err && ! [ -s groff.err ]; then
	pass "man page bft.1 renders without a groff warning"
else
	fail "man page bft.1 renders without a groff warning" "$(cat groff.err)"
fi
man_text=$(groff -man -Tascii -P-c -P-u -P-b "$SRC/bft.1" 2>/dev/null)
missing=
for opt in $(for c in run trace summarize report diff wrap unwrap info; do
		"$BFT" help "$c" | head -n 1; done |
	     grep -oE -- '-(-[a-z][a-z-]*|[a-zA-Z])\b' | sort -u); do
	[[ $man_text == *"$opt"* ]] || missing="$missing $opt"
done
if [ -z "$missing" ] && [[ $man_text == *"binfmt_trace $release"* ]]; then
	pass "man page documents every option of every command's usage line"
else
	fail "man page documents every option" "missing:$missing"
fi

complete_words() {	# complete_words WORD...: what <TAB> offers after them
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		 _bft; printf "%s\n" "${COMPREPLY[@]}"' sh \
		"$SRC/bft.bash-completion" "$@" | sort | tr '\n' ' '
}
if [ "$(complete_words bft su)" = "summarize " ] &&
   [ "$(complete_words bft trace --p)" = "--pid " ] &&
   [ "$(complete_words bft run -o-nothing-like-this --no-f)" = "--no-fault-events " ] &&
   [ "$(complete_words bft di)" = "diff " ] &&
   [ "$(complete_words bft diff --ag)" = "--against " ]; then
	pass "bash completion: commands and each command's options"
else
	fail "bash completion" "bft su: $(complete_words bft su)" \
		"bft trace --p: $(complete_words bft trace --p)"
fi

# ------------------------------------------------------------------

tap_end host
