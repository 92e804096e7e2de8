#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# capture-fixture.sh - (re)capture the traces of bft report's golden tests
# (selftests/fixtures/report/) from real runs in the VM, and copy the ELF
# files they name into the fixture's root.
#
#   scripts/capture-fixture.sh [--kver 6.12]
#
# In the guest: bft run --trace-out of hello-dynamic (a glibc dynamic
# PIE: exe, ld.so, libc) and of touch (static: known .data/.bss/heap
# pages), each with its page cache in the initramfs.  The traces land in
# selftests/fixtures/report/{hello,touch}.trace, the programs under
# root/ at the paths the traces name, reduced as the README there says.
# Rerun it after a kernel-side change of the trace (e.g. the mmap events)
# and then update the expected outputs: BFT_UPDATE_GOLDEN=1 selftests/host/test_report.sh.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
fix=$top/selftests/fixtures/report
kver=6.12
while [ $# -gt 0 ]; do
	case $1 in
	--kver) kver=${2:?}; shift 2 ;;
	*) echo "usage: scripts/capture-fixture.sh [--kver 6.1|6.12]" >&2
	   exit 2 ;;
	esac
done

guest_script=$(mktemp)
log=$(mktemp)
trap 'rm -f "$guest_script" "$log"' EXIT
cat > "$guest_script" <<'GUEST'
#!/bin/sh
cd /tmp
bft run --trace-out /tmp/hello.trace -- /selftests/progs/hello-dynamic >/dev/null
bft run --trace-out /tmp/touch.trace -- /selftests/progs/touch >/dev/null
bft run --trace-out /tmp/uselib.trace -- /selftests/progs/uselib >/dev/null
for t in hello touch uselib; do
	echo "==BEGIN $t"
	cat /tmp/$t.trace
	echo "==END $t"
done
GUEST
"$top/qemu/run" --kver "$kver" --mode demo --script "$guest_script" | tr -d '\r' > "$log"
for t in hello touch uselib; do
	sed -n "/^==BEGIN $t\$/,/^==END $t\$/p" "$log" | sed '1d;$d' > "$fix/$t.trace"
	if ! [ -s "$fix/$t.trace" ]; then
		echo "capture-fixture.sh: no $t trace in the VM's output:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
	echo "$fix/$t.trace: $(wc -l < "$fix/$t.trace") lines"
done

# The ELF files the traces name, from the guest as it was built (its
# ld.so is this host's, Debian's), reduced to what attribution reads:
# objcopy --only-keep-debug keeps the ELF and program headers, the
# section headers with their addresses, .symtab and the build-id note,
# and drops the bytes of the loaded sections (touch shrinks from 1.6 MB
# to 80 KB).  hello-dynamic is small and kept whole.  ld.so is stripped
# on Debian; its symbols come from libc6-dbg's debug file, found by
# build-id under the fixture's usr/lib/debug, reduced to .symtab
# (objcopy --strip-debug).  uselib and its libbftdemo.so are small and
# kept whole: a library mapped by ld.so (mmap events), attributed by
# symbol.  libc (2 MB) is not copied: its objects read "not found".
guest=$top/build/vm-$kver/guest/selftests/progs
root=$fix/root
rm -rf "$root"
mkdir -p "$root/selftests/progs" "$root/lib64"
cp "$guest/hello-dynamic" "$root/selftests/progs/hello-dynamic"
cp "$guest/uselib" "$guest/libbftdemo.so" "$root/selftests/progs/"
objcopy --only-keep-debug "$guest/touch" "$root/selftests/progs/touch"
ld=$(readlink -f /lib64/ld-linux-x86-64.so.2)
objcopy --only-keep-debug "$ld" "$root/lib64/ld-linux-x86-64.so.2"
id=$(readelf -n "$ld" | sed -n 's/.*Build ID: \([0-9a-f]*\)/\1/p')
dbg=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
if [ -f "$dbg" ]; then
	mkdir -p "$root/usr/lib/debug/.build-id/${id:0:2}"
	objcopy --strip-debug "$dbg" "$root/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
else
	echo "capture-fixture.sh: no $dbg (install libc6-dbg): ld.so without symbols" >&2
fi
du -sh "$fix"
