#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract parts of Debian's linux-source-6.12 tarball (checkpatch.pl, YNL,
# ...) into build/ksrc once; print the tree's path.  Nothing extracted here
# is committed.   Usage: tools/ksrc.sh [PATH-IN-TREE ...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/kver.sh"
tarball=$(ls /usr/src/linux-source-"$KVER_SERIES".tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "ksrc: linux-source-$KVER_SERIES is not installed" >&2; exit 1; }
dest=${SRIOV_KSRC:-$top/build/ksrc}
tree=$dest/linux-source-$KVER_SERIES
# A path counts as extracted once its stamp exists: a directory can exist
# with only part of it (tools/net/ynl after tools/net/ynl/lib alone).
stamp() { echo "$dest/.done-${1//\//_}"; }
want=() paths=()
for p in "${@:-scripts/checkpatch.pl}"; do
	[ -e "$(stamp "$p")" ] || { want+=("linux-source-$KVER_SERIES/$p"); paths+=("$p"); }
done
if [ ${#want[@]} -gt 0 ]; then
	mkdir -p "$dest"
	tar -C "$dest" -xf "$tarball" "${want[@]}"
	for p in "${paths[@]}"; do : >"$(stamp "$p")"; done
fi
echo "$tree"
