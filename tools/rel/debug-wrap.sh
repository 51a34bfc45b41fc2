#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the debug-kernel guest: run each test in turn; after each, unload the
# project's modules, scan for leaks (kmemleak, two scans) and save the
# report in the run's output directory (kmemleak-NAME.txt, and the test's
# exit code in rc-NAME).  A new suspect also lands in dmesg, which the
# harness fails on.  Exit status: the first failing test's (0 if all
# pass, a skip (4) counts as a pass).
#   tools/rel/debug-wrap.sh TEST...
rc=0
for t in "$@"; do
	name=$(basename "$t" .sh)
	echo "# debug-wrap: $name"
	case "$t" in
	*.sh | *.bash) /bin/bash "$t" ;;
	*) "$t" ;;
	esac
	r=$?
	echo "$r" >"$SRIOV_OUT/rc-$name"
	[ "$rc" = 0 ] && [ "$r" != 0 ] && [ "$r" != 4 ] && rc=$r
	# unload the project's modules and the in-tree drivers some tests bind
	# (netvsc_* run on igb): the next test finds the 82576 as after boot
	for m in sriov_netvsc sriov_vf sriov_pf igbvf igb; do
		rmmod "$m" 2>/dev/null
	done
	k=/sys/kernel/debug/kmemleak
	if [ -w $k ]; then
		# two scans: an object freed late is not reported by the second
		echo scan >$k
		sleep 5
		echo scan >$k
		cat $k >"$SRIOV_OUT/kmemleak-$name.txt"
		echo "# kmemleak after $name: $(grep -c 'unreferenced object' "$SRIOV_OUT/kmemleak-$name.txt") suspect(s)"
		# report each suspect once, after the test that left it
		echo clear >$k
	else
		echo "# kmemleak: not available in this kernel"
	fi
done
exit $rc
