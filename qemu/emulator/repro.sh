#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# repro.sh - show the emulator issues of docs/hardening.md on both
# kernels, with binfmt_trace unloaded: a complaint here is QEMU's, not the
# module's.
#
# Usage: qemu/emulator/repro.sh [6.1|6.12 ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -nostdlib -static -s -o "$work/farret" "$here/farret.S"
cat > "$work/guest.sh" <<GUEST
#!/bin/sh
rmmod binfmt_trace
echo "binfmt_trace loaded: \$(grep -c '^binfmt_trace ' /proc/modules)"
echo $(base64 -w0 "$work/farret") | base64 -d > /tmp/farret
chmod +x /tmp/farret
/tmp/farret
echo "farret: exit status \$? (hardware: 139, SIGSEGV)"
GUEST
rc=0
for k in "${@:-6.1 6.12}"; do
	for kver in $k; do
		bash "$top/qemu/run" --kver "$kver" --mode demo \
			--script "$work/guest.sh" | grep -v '^BFT-GUEST-END'
		if grep -q 'Oops' "$top/build/vm-$kver/console.log"; then
			echo "$kver: the guest kernel Oopsed (the emulator issue)"
			grep -m3 -E 'BUG:|#PF:|Oops' "$top/build/vm-$kver/console.log"
		else
			echo "$kver: no Oops"
			rc=1
		fi
	done
done
exit $rc
