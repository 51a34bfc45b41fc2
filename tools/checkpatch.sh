#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over every C source and header under kernel/ and
# the uapi header.  checkpatch comes from Debian's linux-source package
# (tools/ksrc.sh); it is not part of this repository.  Exit 1 on any
# ERROR, WARNING or CHECK.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# (the Makefile's KSRC_PATHS names these too: make check extracts them at once)
tree=$("$top/tools/ksrc.sh" scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch)
cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard -- 'kernel/*.[ch]' 'include/uapi/*.h' |
	grep -v '\.mod\.c$' | sort -u)
[ ${#files[@]} -gt 0 ] || { echo "checkpatch: no files"; exit 0; }
# Generated netlink code follows ynl-gen's layout; it is checked for
# agreement with the spec instead (tools/regen-netlink.sh --check).
ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES
status=0
for f in "${files[@]}"; do
	out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--ignore "$ignore" --show-types -f "$f" 2>&1) || status=1
	[ -n "$out" ] && printf '%s\n' "$out"
done
[ $status = 0 ] && echo "checkpatch: ${#files[@]} files clean"
exit $status
