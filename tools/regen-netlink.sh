#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the files derived from the "sriov" YNL spec, or (--check)
# verify that the committed files are exactly what the generator produces.
#
#   tools/regen-netlink.sh            regenerate in place
#   tools/regen-netlink.sh --check    exit 1 if any generated file differs
#
# The generator is the kernel's tools/net/ynl/ynl-gen-c.py (linux-source
# 6.12).  YNL_DIR overrides its location; otherwise tools/ksrc.sh extracts
# it (with the genetlink schema) from Debian's linux-source into build/ksrc.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
spec=Documentation/netlink/specs/sriov.yaml
py=${PYTHON:-/usr/bin/python3}
check=0
[ "${1:-}" = "--check" ] && check=1

find_ynl() {
	local d=${YNL_DIR:-}
	if [ -n "$d" ] && [ -f "$d/ynl-gen-c.py" ] &&
		[ -f "$d/../../../Documentation/netlink/genetlink.yaml" ]; then
		echo "$d"
		return
	fi
	# the project's own extraction of Debian's linux-source (build/ksrc)
	d=$("$top/tools/ksrc.sh" tools/net/ynl \
		Documentation/netlink/genetlink.yaml) || return 1
	echo "$d/tools/net/ynl"
}

ynl=$(find_ynl)
gen="$ynl/ynl-gen-c.py"

# output file : generator arguments
targets=(
	"include/uapi/linux/sriov.h:--mode uapi --header"
	"kernel/pf/swpf_nl_gen.h:--mode kernel --header"
	"kernel/pf/swpf_nl_gen.c:--mode kernel --source"
	"daemon/src/netlink/gen/sriov-user.h:--mode user --header"
	"daemon/src/netlink/gen/sriov-user.c:--mode user --source"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
cd "$top"
# The generator validates the spec against the schema it finds next to the
# spec's directory (Documentation/netlink/genetlink.yaml): run it on a copy
# of the spec in a scratch tree that holds the kernel's own schema.
# ynl-gen-c.py also walks up from the spec to a directory holding a
# MAINTAINERS file (the kernel root) to print the spec's relative path.
mkdir -p "$tmp/Documentation/netlink/specs"
: > "$tmp/MAINTAINERS"
cp "$spec" "$tmp/$spec"
cp "$ynl/../../../Documentation/netlink/genetlink.yaml" \
	"$tmp/Documentation/netlink/"
for t in "${targets[@]}"; do
	out=${t%%:*}
	args=${t#*:}
	# The generator names its include of the kernel header after the
	# output file, so generate under the final file name.
	mkdir -p "$tmp/gen/$(dirname "$out")"
	# shellcheck disable=SC2086
	(cd "$tmp" && timeout 120 "$py" "$gen" $args --spec "$tmp/$spec" -o "$tmp/gen/$out" \
		>/dev/null)
	if [ $check = 1 ]; then
		if ! cmp -s "$tmp/gen/$out" "$out"; then
			echo "STALE: $out does not match $spec" >&2
			diff -u "$out" "$tmp/gen/$out" | head -20 >&2 || true
			rc=1
		fi
	else
		if ! cmp -s "$tmp/gen/$out" "$out"; then
			mkdir -p "$(dirname "$out")"
			cp "$tmp/gen/$out" "$out"
			echo "GEN $out"
		fi
	fi
done
exit $rc
