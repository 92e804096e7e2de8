#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-debug.sh - the in-guest suite on a debug kernel, as 'make
# check-debug' runs it (after 'make setup'; not part of 'make check').
#
# Builds Linux 6.12 from Debian's linux-source-6.12 with KASAN (generic,
# inline), KFENCE, lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, kmemleak
# and UBSAN, on x86_64_defconfig plus scripts/debug-kernel.config: what
# the VM needs built in, the rest of what a VM never uses left out.  Then
# boots it with qemu/run --kver 6.12-debug, which fails on any kernel
# complaint in the console log (KASAN, lockdep, UBSAN, kmemleak's
# "unreferenced object" after the scan qemu/init asks for at the end).
#
# Cached under $BFT_CACHE/debug-kernel: the source by its Debian version,
# the build by a stamp of that version, the config fragment and this
# script's config steps; a second run builds nothing but the module.
# $BFT_CACHE/kernels/6.12-debug is laid out like the kernels make setup
# fetches: vmlinuz, build (the built tree), release, an empty modules/.
#
# Then the exec fuzzer (scripts/stress.sh) on the same kernel, in a boot
# of its own: mismatches with the stock loader, complaints, slab, rmmod.
#
# Environment: BFT_DEBUG_TIMEOUT  seconds the guest may run (default 5400:
# TCG with KASAN and lockdep is many times slower than the plain kernels).
# BFT_DEBUG_STRESS  cases for the exec fuzzer (default 1000; 0: none).
#
# Prints the suite's TAP lines and ends with "N passed, N failed".

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BFT_CACHE:-$top/.cache}
dir=$cache/debug-kernel
kdir=$cache/kernels/6.12-debug
fragment=$top/scripts/debug-kernel.config
timeout=${BFT_DEBUG_TIMEOUT:-5400}
stress=${BFT_DEBUG_STRESS:-1000}
log=$top/build/check-debug

say() { printf 'check-debug: %s\n' "$*"; }
die() { printf 'check-debug: error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@";
	elif command -v sudo >/dev/null; then sudo "$@";
	else die "need root to run: $*"; fi
}

# What a kernel build needs beyond what make setup installs.
install_build_deps() {
	local missing=() p
	for p in bc bison flex libelf-dev libssl-dev; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	say "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null || die "cannot install ${missing[*]}"
}

# fetch_source: the whole linux-source-6.12 tree in $dir/linux-source-6.12,
# once per Debian version.
fetch_source() {
	local version tmp
	version=$(apt-cache show --no-all-versions linux-source-6.12 2>/dev/null |
		  sed -n 's/^Version: //p')
	[ -n "$version" ] || die "apt-cache knows no linux-source-6.12 (apt-get update?)"
	src_version=$version
	tree=$dir/linux-source-6.12
	if [ -f "$dir/src-stamp" ] && [ "$(cat "$dir/src-stamp")" = "$version" ] &&
	   [ -f "$tree/Makefile" ]; then
		say "linux-source-6.12 $version: cached"
		return
	fi
	say "linux-source-6.12 $version: fetching and unpacking the whole tree"
	rm -rf "$tree" "$dir/src-stamp" "$dir/build-stamp"
	mkdir -p "$dir"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "linux-source-6.12=$version" 2>&1 |
		grep -v 'unsandboxed' >&2 || true)
	compgen -G "$tmp/linux-source-6.12_*.deb" >/dev/null ||
		{ rm -rf "$tmp"; die "download of linux-source-6.12=$version failed"; }
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc -T0 |
		tar -x -C "$dir"
	rm -rf "$tmp"
	[ -f "$tree/Makefile" ] || die "linux-source-6.12 did not unpack to $tree"
	echo "$version" > "$dir/src-stamp"
}

# configure: x86_64_defconfig, the fragment merged on, then every line of
# the fragment checked: Kconfig drops what a dependency forbids, silently.
configure() {
	local want name val got bad=0
	make -s -C "$tree" x86_64_defconfig >/dev/null || die "x86_64_defconfig failed"
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") \
		>"$log/merge-config.log" 2>&1 || die "merge_config.sh failed: $log/merge-config.log"
	make -s -C "$tree" olddefconfig >/dev/null || die "olddefconfig failed"
	while read -r want; do
		name=${want%=*} val=${want#*=}
		got=$(sed -n "s/^$name=//p; s/^# $name is not set/n/p" "$tree/.config")
		if [ "${got:-n}" != "$val" ]; then
			say "config: $name is ${got:-absent}, the fragment wants $val"
			bad=1
		fi
	done < <(sed -n 's/^\(CONFIG_[A-Z0-9_]*=.*\)/\1/p;
		       s/^# \(CONFIG_[A-Z0-9_]*\) is not set/\1=n/p' "$fragment")
	[ $bad = 0 ] || die "the config lacks what $fragment asks for"
}

# build: configure and build unless the stamp says this very build is there.
build() {
	local stamp start end
	stamp=$( { echo "$src_version"; cat "$fragment";
		   sed -n '/^configure()/,/^}/p' "$0"; } | sha256sum | cut -d' ' -f1)
	if [ -f "$dir/build-stamp" ] && [ "$(cat "$dir/build-stamp")" = "$stamp" ] &&
	   [ -f "$tree/arch/x86/boot/bzImage" ] && [ -f "$tree/Module.symvers" ]; then
		say "kernel $(cat "$tree/include/config/kernel.release"): cached ($(cat "$dir/build-time" 2>/dev/null || echo '?') s to build)"
		return
	fi
	rm -f "$dir/build-stamp"
	configure
	say "building $(make -s -C "$tree" kernelrelease) (nice, -j$(nproc)); log in ${log#"$top"/}/build.log"
	start=$(date +%s)
	if ! nice -n 10 make -C "$tree" -j"$(nproc)" bzImage modules >"$log/build.log" 2>&1; then
		tail -n 30 "$log/build.log" | sed 's/^/#   /' >&2
		die "kernel build failed"
	fi
	end=$(date +%s)
	echo $((end - start)) > "$dir/build-time"
	say "built in $((end - start)) s"
	echo "$stamp" > "$dir/build-stamp"
}

# layout: $kdir as qemu/run expects a kernel: vmlinuz, build, release,
# modules/load-order (empty: the VM's drivers are built in).
layout() {
	rm -rf "$kdir"
	mkdir -p "$kdir/modules"
	cp "$tree/arch/x86/boot/bzImage" "$kdir/vmlinuz"
	ln -sfn "$tree" "$kdir/build"
	cat "$tree/include/config/kernel.release" > "$kdir/release"
	: > "$kdir/modules/load-order"
	cat "$dir/build-stamp" > "$kdir/stamp"
}

main() {
	local out p=0 f=1 s=0
	[ -f "$cache/src/stamp" ] || die "run 'make setup' first (kselftest headers)"
	mkdir -p "$log" "$dir"
	install_build_deps
	fetch_source
	build
	layout
	out=$log/vm.log
	say "the suite on $(cat "$kdir/release") (qemu/run --kver 6.12-debug, timeout ${timeout} s)"
	# no5lvl: with 5-level paging (QEMU's -cpu max has LA57), an interrupt
	# during identify_boot_cpu() makes KASAN report a wild access at boot
	# (docs/hardening.md, "Emulator issues"; qemu/emulator/la57-kasan.sh).
	bash "$top/qemu/run" --kver 6.12-debug --mode test --timeout "$timeout" \
		--append no5lvl 2>&1 |
		tee "$out"
	if [ -f "$top/build/vm-6.12-debug/counts" ] &&
	   grep -q '^ok - 6.12-debug: guest ran' "$out"; then
		read -r p f s < "$top/build/vm-6.12-debug/counts"
	else
		echo "not ok - 6.12-debug: suite ran to its end"
	fi
	if [ "$stress" != 0 ]; then
		say "make stress on $(cat "$kdir/release"): $stress cases (BFT_DEBUG_STRESS)"
		if bash "$top/scripts/stress.sh" "$stress" 6.12-debug 2>&1 |
			tee "$log/stress.log" | grep -E '^(ok|not ok|#|stress:)'; then
			p=$((p + 1))
		else
			f=$((f + 1))
		fi
	fi
	echo "$p passed, $f failed"
	[ "$f" = 0 ]
}

main "$@"
