#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-packaging.sh - installing like a kernel module, as 'make check'
# runs it (after 'make setup'):
#
#   dkms     dkms builds binfmt_trace.ko from the sources and dkms.conf,
#            for each target kernel, against the cached header trees, in
#            a private dkms tree (nothing goes to /usr/src or /var/lib)
#   vm       the 6.12 module DKMS built loads and runs in the VM
#   deb      make deb builds binfmt-trace-dkms and bft; lintian finds no
#            error; the packages hold the DKMS sources and bft, its man
#            page and completion
#
# One TAP line per check; a missing tool is a failure (make setup
# installs them all), never a silent skip.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BFT_CACHE:-$top/.cache}
log=$top/build/check
release=$(sed -n 's/^#define BFT_RELEASE[[:space:]]*"\(.*\)"$/\1/p' "$top/bft_format.h")
tree=$top/build/dkms
kernels=(6.1 6.12)

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	[ -n "${2:-}" ] && [ -s "$2" ] && tail -n 30 "$2" | sed 's/^/#   /'
}

dkms_build() {
	local k=$1 krel out=$log/dkms-$1.log ko
	krel=$(cat "$cache/kernels/$k/release")
	if ! command -v dkms >/dev/null; then
		echo "dkms is not installed (make setup installs it)" > "$out"
		not_ok "dkms: $k: builds binfmt_trace.ko from dkms.conf" "$out"
		return
	fi
	dkms build --sourcetree "$tree/src" --dkmstree "$tree/tree" \
		-m binfmt-trace -v "$release" -k "$krel" \
		--kernelsourcedir "$cache/kernels/$k/build" > "$out" 2>&1
	ko=$tree/tree/binfmt-trace/$release/$krel/x86_64/module/binfmt_trace.ko
	if [ -f "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$krel "; then
		ok "dkms: $k: builds binfmt_trace.ko from dkms.conf"
	else
		not_ok "dkms: $k: builds binfmt_trace.ko from dkms.conf" "$out"
	fi
}

dkms_setup() {
	rm -rf "$tree"
	mkdir -p "$tree/src/binfmt-trace-$release" "$tree/tree"
	(cd "$top" && cp Kbuild dkms.conf ./*.c ./*.h \
		"$tree/src/binfmt-trace-$release/")
	command -v dkms >/dev/null &&
		dkms add --sourcetree "$tree/src" --dkmstree "$tree/tree" \
			-m binfmt-trace -v "$release" > "$log/dkms-add.log" 2>&1
}

dkms_module_boots() {
	local krel out=$log/dkms-vm.log ko
	krel=$(cat "$cache/kernels/6.12/release")
	ko=$tree/tree/binfmt-trace/$release/$krel/x86_64/module/binfmt_trace.ko
	if [ -f "$ko" ] && bash "$top/qemu/run" --kver 6.12 --mode demo \
		--module "$ko" --script "$top/qemu/boot-check.sh" \
		--timeout 300 > "$out" 2>&1 &&
	   grep -q '^guest booted: .*binfmt_trace loaded' "$out"; then
		ok "dkms: 6.12: the module DKMS built loads in the VM"
	else
		not_ok "dkms: 6.12: the module DKMS built loads in the VM" "$out"
	fi
}

deb_packages() {
	local out=$log/deb.log dir=$top/build/deb
	if ! bash "$top/scripts/deb.sh" > "$out" 2>&1; then
		not_ok "deb: binfmt-trace-dkms and bft build, lintian finds no error" "$out"
		return
	fi
	ok "deb: binfmt-trace-dkms and bft build, lintian finds no error"
	local dkms_files bft_files
	dkms_files=$(dpkg-deb -c "$dir/binfmt-trace-dkms_${release}_all.deb")
	bft_files=$(dpkg-deb -c "$dir/bft_${release}_amd64.deb")
	if [[ $dkms_files == *"/usr/src/binfmt-trace-$release/dkms.conf"* &&
	      $dkms_files == *"/usr/src/binfmt-trace-$release/loader.c"* &&
	      $bft_files == *"/usr/bin/bft"* &&
	      $bft_files == *"/usr/share/man/man1/bft.1.gz"* &&
	      $bft_files == *"/usr/share/bash-completion/completions/bft"* ]]; then
		ok "deb: the packages hold the DKMS sources, bft, its man page and completion"
	else
		not_ok "deb: the packages hold the DKMS sources, bft, its man page and completion" "$out"
	fi
}

mkdir -p "$log"
dkms_setup
for k in "${kernels[@]}"; do dkms_build "$k"; done
dkms_module_boots
deb_packages
