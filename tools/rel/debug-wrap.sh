#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the debug-kernel guest: run one test, unload the project's modules,
# then scan for leaks (kmemleak) and save the report in the run's output
# directory (kmemleak.txt).  A new suspect also lands in dmesg, which the
# harness fails on.  Exit status: the test's.
#   tools/rel/debug-wrap.sh TEST [ARGS...]
t=$1
shift
case "$t" in
*.sh | *.bash) /bin/bash "$t" "$@" ;;
*) "$t" "$@" ;;
esac
rc=$?
for m in sriov_netvsc sriov_vf sriov_pf; do
	rmmod "$m" 2>/dev/null
done
k=/sys/kernel/debug/kmemleak
if [ -w $k ]; then
	# two scans: an object freed late is not reported by the second
	echo scan >$k
	sleep 5
	echo scan >$k
	cat $k >"$SRIOV_OUT/kmemleak.txt"
	echo "# kmemleak: $(grep -c 'unreferenced object' "$SRIOV_OUT/kmemleak.txt") suspect(s)"
else
	echo "# kmemleak: not available in this kernel"
fi
exit $rc
