#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the debug-kernel guest: run each test in turn; after each, unload the
# project's modules, scan for leaks (kmemleak, two scans) and save the
# report in the run's output directory (kmemleak-NAME.txt, and the test's
# exit code in rc-NAME, its kernel log in dmesg-NAME.txt).  A new suspect
# also lands in dmesg, which the harness fails on.  A line per finished
# test goes to debug-progress.txt in the run's output directory.  Exit
# status: the first failing test's (0 if all pass, a skip (4) counts as a
# pass).
#   tools/rel/debug-wrap.sh [--full] TEST...
#
# The debug kernel runs several times slower, so each test runs with
# KSFT_MACHINE_SLOW=yes (its liveness waits, tests/lib/ktap.sh slow_s, are
# four times longer) and, unless --full, with the shorter
# repetition counts its header names ("# debug-args: ARGS" replaces the
# arguments, "# debug-env: VAR=N ..." adds to the environment): every code
# path still runs, with tens rather than hundreds of repetitions.
export KSFT_MACHINE_SLOW=yes
. "$(dirname "$0")/kernel-reports.sh"
. "$(dirname "$0")/../vm/lab-reset.sh"

# step WHAT: a time-stamped line about the cleanup between two tests
step() { echo "# debug-wrap: $(date -u +%T) $*"; }
full=0
[ "${1:-}" = --full ] && { full=1; shift; }
lab_reset_save
rc=0
for t in "$@"; do
	name=$(basename "$t" .sh)
	dargs=() denv=()
	if [ $full = 0 ]; then
		read -ra dargs <<<"$(sed -n 's/^# debug-args:[ ]*//p' "$t" | head -n1)"
		read -ra denv <<<"$(sed -n 's/^# debug-env:[ ]*//p' "$t" | head -n1)"
	fi
	echo "# debug-wrap: $name ${denv[*]} ${dargs[*]}"
	case "$t" in
	*.sh | *.bash) env "${denv[@]}" /bin/bash "$t" "${dargs[@]}" ;;
	*) env "${denv[@]}" "$t" "${dargs[@]}" ;;
	esac
	r=$?
	echo "$r" >"$SRIOV_OUT/rc-$name"
	# the whole kernel log as the test left it (the console has only
	# warnings and worse)
	dmesg >"$SRIOV_OUT/dmesg-$name.txt"
	[ "$rc" = 0 ] && [ "$r" != 0 ] && [ "$r" != 4 ] && rc=$r
	# the next test finds the lab as after boot (tools/vm/lab-reset.sh:
	# leftover processes, modules, namespaces, links, sysctls); each step
	# is bounded and says what it did, so a VM that stops here says where
	step "resetting the lab"
	lab_reset
	step "kmemleak scans"
	k=/sys/kernel/debug/kmemleak
	leaks=0
	if [ -w $k ]; then
		# two scans: an object freed late is not reported by the second
		echo scan >$k
		sleep 5
		echo scan >$k
		cat $k >"$SRIOV_OUT/kmemleak-$name.txt"
		leaks=$(grep -c 'unreferenced object' "$SRIOV_OUT/kmemleak-$name.txt")
		echo "# kmemleak after $name: $leaks suspect(s)"
		# report each suspect once, after the test that left it
		echo clear >$k
	else
		echo "# kmemleak: not available in this kernel"
	fi
	# a line per test as it ends (check-debug's report.txt is written when
	# the whole VM ends): exit code, kmemleak suspects, and the kernel
	# log's KASAN and lockdep reports so far
	printf '%s %s rc %d kmemleak %d kasan-so-far %d lockdep-so-far %d\n' \
		"$(date -u +%T)" "$name" "$r" \
		"$leaks" "$(dmesg | grep -c "$KASAN_RE")" "$(dmesg | grep -cE "$LOCKDEP_RE")" \
		>>"$SRIOV_OUT/debug-progress.txt"
done
exit $rc
