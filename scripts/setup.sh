#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh - install what binfmt_trace needs on Debian 12, and fetch the two
# target kernels (image, headers, a few modules) into the cache directory.
#
# Idempotent: a second run installs and downloads nothing and takes seconds.
# Everything downloaded or generated lives under $BFT_CACHE (default
# .cache/ in the repository), which git ignores.
#
# Usage: scripts/setup.sh [SHORT...]  (as root, or with sudo available)
#
# SHORT names the kernels to fetch; by default 6.1 and 6.12.  6.12-rt,
# Debian's PREEMPT_RT build of 6.12, is fetched only when named.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BFT_CACHE:-$top/.cache}

# The Debian packages the project needs.  dwarves provides pahole, which the
# 6.12 kbuild runs for module BTF; kmod provides modinfo for module deps;
# zstd decompresses the 6.12 vmlinuz for scripts/ibt-check.py, and
# e2fsprogs' debugfs copies the guest's kallsyms off its disk.  bft report
# reads ELF files with elfutils (libdw, libelf; bft is linked statically,
# so their compression libraries too); python3-jsonschema checks its JSON,
# librsvg2-bin's rsvg-convert renders its --format svg in the tests;
# libc6-dbg gives the VM's ld.so and libc their symbols (qemu/mkinitramfs).
packages=(make gcc gcc-12 libc6-dev linux-libc-dev binutils
	  qemu-system-x86 busybox-static cpio xz-utils zstd e2fsprogs
	  sparse dwarves kmod musl-tools perl python3 gdb groff-base
	  dkms dh-dkms debhelper lintian dpkg-dev clang libclang-rt-14-dev
	  libdw-dev libelf-dev libzstd-dev zlib1g-dev liblzma-dev libbz2-dev
	  python3-jsonschema librsvg2-bin libc6-dbg)

# The meta-packages that name the target kernels, by short name.
declare -A meta=([6.1]=linux-image-amd64 [6.12]=linux-image-6.12-amd64
		 [6.12-rt]=linux-image-6.12-rt-amd64)

# In-tree modules the VM needs: an ext4 filesystem on a virtio disk, and
# FUSE (test_remote_fault serves a file system of its own).  Their
# dependencies are resolved with modinfo; names built into a kernel are
# skipped.  The list is part of a kernel's stamp: a change fetches again.
guest_modules=(virtio virtio_ring virtio_pci virtio_blk crc32c_generic ext4
	       fuse)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@";
	elif command -v sudo >/dev/null; then sudo "$@";
	else die "need root to run: $*"; fi
}

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return
	say "apt-get update"
	as_root apt-get update -qq
	apt_updated=1
}

install_packages() {
	local missing=() p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return
	apt_update_once
	say "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null
}

# resolve_kernel META: print "ABI-NAME VERSION" of the image that META
# depends on, e.g. "6.1.0-56-amd64 6.1.192-2".
resolve_kernel() {
	local out
	out=$(apt-cache show --no-all-versions "$1" 2>/dev/null |
	      sed -n 's/^Depends: linux-image-\([^ ,]*\) (= \([^)]*\)).*/\1 \2/p' |
	      head -n 1)
	if [ -z "$out" ]; then
		apt_update_once
		out=$(apt-cache show --no-all-versions "$1" |
		      sed -n 's/^Depends: linux-image-\([^ ,]*\) (= \([^)]*\)).*/\1 \2/p' |
		      head -n 1)
	fi
	[ -n "$out" ] || die "cannot resolve the kernel behind $1"
	echo "$out"
}

# download DIR PKG=VERSION...: fetch .debs into DIR unless already there.
download() {
	local dir=$1; shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get download -qq "$@" 2>&1 |
		grep -v 'unsandboxed' >&2 || true)
	local spec
	for spec in "$@"; do
		compgen -G "$dir/${spec%%=*}_*.deb" >/dev/null ||
			die "download of $spec failed"
	done
}

# fetch_headers SHORT KVER VERSION DIR: unpack the header packages into
# DIR/root and point the arch Makefile at the local common tree.
fetch_headers() {
	local kver=$2 version=$3 dir=$4 deb kbuild common depends
	# The common headers are -common, or -common-rt for the RT kernel.
	depends=$(apt-cache show --no-all-versions "linux-headers-$kver" |
		  sed -n 's/^Depends: //p' | tr ',' '\n')
	common=$(grep -o 'linux-headers-[^ ]*-common[^ ]*' <<<"$depends" |
		 head -n 1)
	kbuild=$(grep -o 'linux-kbuild-[^ ]*' <<<"$depends" | head -n 1)
	[ -n "$common" ] || die "cannot resolve the common headers of $kver"
	[ -n "$kbuild" ] || die "cannot resolve the kbuild package of $kver"
	download "$dir/debs" "linux-headers-$kver=$version" \
		"$common=$version" "$kbuild=$version"
	rm -rf "$dir/root"
	mkdir -p "$dir/root"
	for deb in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	sed -i "s|/usr/src/|$dir/root/usr/src/|" \
		"$dir/root/usr/src/linux-headers-$kver/Makefile"
	ln -sfn "root/usr/src/linux-headers-$kver" "$dir/build"
}

# module_deps KO: print the names a module depends on.
module_deps() {
	modinfo -F depends "$1" | tr ',' ' '
}

# fetch_image KVER VERSION DIR: vmlinuz and the guest modules, decompressed,
# with DIR/modules/load-order listing them dependencies first.
fetch_image() {
	local kver=$1 version=$2 dir=$3 deb tmp name
	download "$dir/debs" "linux-image-$kver=$version"
	deb=$(ls "$dir"/debs/linux-image-"$kver"_*.deb)
	tmp=$(mktemp -d)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards \
		"./boot/vmlinuz-$kver" "./lib/modules/$kver/kernel/drivers/virtio/*" \
		"./lib/modules/$kver/kernel/drivers/block/virtio_blk*" \
		"./lib/modules/$kver/kernel/fs/*" "./lib/modules/$kver/kernel/lib/*" \
		"./lib/modules/$kver/kernel/crypto/*" \
		"./lib/modules/$kver/kernel/arch/x86/crypto/*" 2>/dev/null || true
	[ -f "$tmp/boot/vmlinuz-$kver" ] || die "no vmlinuz in $deb"
	cp "$tmp/boot/vmlinuz-$kver" "$dir/vmlinuz"
	find "$tmp/lib/modules" -name '*.ko.xz' -exec xz -d {} +
	rm -rf "$dir/modules"
	mkdir -p "$dir/modules"
	local -A path=() seen=()
	local ko
	while IFS= read -r ko; do
		path[$(basename "$ko" .ko | tr - _)]=$ko
	done < <(find "$tmp/lib/modules" -name '*.ko')
	add_module() {
		local n=${1//-/_} d
		[ -n "${seen[$n]:-}" ] && return
		seen[$n]=1
		[ -n "${path[$n]:-}" ] || return 0	# built in
		for d in $(module_deps "${path[$n]}"); do add_module "$d"; done
		cp "${path[$n]}" "$dir/modules/$n.ko"
		echo "$n" >> "$dir/modules/load-order"
	}
	: > "$dir/modules/load-order"
	for name in "${guest_modules[@]}"; do add_module "$name"; done
	rm -rf "$tmp"
}

# kernel_complete DIR: everything a VM boot needs is still there (a kbuild
# 'clean' run on the repository deletes every .ko below it, cache included).
kernel_complete() {
	local m
	[ -f "$1/vmlinuz" ] && [ -f "$1/build/Makefile" ] || return 1
	for m in $(cat "$1/modules/load-order" 2>/dev/null); do
		[ -f "$1/modules/$m.ko" ] || return 1
	done
}

setup_kernel() {
	local short=$1 kver version dir
	read -r kver version < <(resolve_kernel "${meta[$short]}")
	dir=$cache/kernels/$short
	if [ -f "$dir/stamp" ] &&
	   [ "$(cat "$dir/stamp")" = "$kver $version ${guest_modules[*]}" ] &&
	   kernel_complete "$dir"; then
		say "kernel $short: $kver ($version), cached"
		return
	fi
	say "kernel $short: $kver ($version), fetching"
	rm -rf "$dir"
	mkdir -p "$dir"
	fetch_headers "$short" "$kver" "$version" "$dir"
	fetch_image "$kver" "$version" "$dir"
	echo "$kver" > "$dir/release"
	rm -rf "$dir/debs"
	echo "$kver $version ${guest_modules[*]}" > "$dir/stamp"
}

# The kselftest harness and checkpatch come from Debian's linux-source-6.12.
source_files=(tools/testing/selftests/kselftest_harness.h
	      tools/testing/selftests/kselftest.h
	      scripts/checkpatch.pl scripts/spelling.txt
	      scripts/const_structs.checkpatch)

setup_source() {
	local dir=$cache/src version f tmp
	version=$(apt-cache show --no-all-versions linux-source-6.12 2>/dev/null |
		  sed -n 's/^Version: //p')
	if [ -z "$version" ]; then
		apt_update_once
		version=$(apt-cache show --no-all-versions linux-source-6.12 |
			  sed -n 's/^Version: //p')
	fi
	if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$version" ]; then
		say "linux-source-6.12 $version: cached"
		return
	fi
	say "linux-source-6.12 $version: fetching ${#source_files[@]} files"
	rm -rf "$dir"
	mkdir -p "$dir"
	tmp=$(mktemp -d)
	download "$tmp" "linux-source-6.12=$version"
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc -T0 |
		tar -x -C "$dir" --strip-components=1 \
			$(printf 'linux-source-6.12/%s ' "${source_files[@]}")
	for f in "${source_files[@]}"; do
		[ -f "$dir/$f" ] || die "linux-source-6.12 lacks $f"
	done
	rm -rf "$tmp"
	echo "$version" > "$dir/stamp"
}

main() {
	[ -r /etc/debian_version ] || die "this script expects Debian 12"
	install_packages
	mkdir -p "$cache"
	local short kernels=("$@")
	[ $# -gt 0 ] || kernels=(6.1 6.12)
	for short in "${kernels[@]}"; do
		[ -n "${meta[$short]:-}" ] ||
			die "unknown kernel '$short' (${!meta[*]})"
		setup_kernel "$short"
	done
	setup_source
	say "done; cache in $cache"
}

main "$@"
