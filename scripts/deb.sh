#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh - build the binfmt-trace-dkms and bft Debian packages from the
# tracked files, in build/deb/, with dpkg-buildpackage (debhelper,
# dh-dkms), then run lintian on them.  'make deb'.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
release=$(sed -n 's/^#define BFT_RELEASE[[:space:]]*"\(.*\)"$/\1/p' "$top/bft_format.h")
version=$(cd "$top" && dpkg-parsechangelog -S Version)
[ "$release" = "$version" ] || {
	echo "deb: bft_format.h says $release, debian/changelog $version" >&2
	exit 1
}
for tool in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$tool" >/dev/null || {
		echo "deb: $tool is missing: apt-get install debhelper dh-dkms lintian" >&2
		exit 1
	}
done

rm -rf "$out"
mkdir -p "$out/binfmt-trace-$release"
# Only what git tracks: the package is built from the sources as committed.
(cd "$top" && git ls-files -z | xargs -0 tar cf - --) |
	tar xf - -C "$out/binfmt-trace-$release"
(cd "$out/binfmt-trace-$release" &&
	dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -n 30 "$out/build.log" >&2
	exit 1
}
ls "$out"/*.deb
lintian --no-tag-display-limit "$out"/*.changes | tee "$out/lintian.log"
! grep -q '^E: ' "$out/lintian.log"
