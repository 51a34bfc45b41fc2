#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: the in-VM suite on the debug kernel (KASAN, lockdep,
# kmemleak; tools/rel/build-debug-kernel.sh), one VM per tests/vm/*.sh.
# After each test the guest triggers a kmemleak scan (tools/rel/
# debug-wrap.sh); the harness fails a run on any KASAN/lockdep/kmemleak
# line anyway.  Summary in build/debug-kernel/report.txt: per test the
# exit code and the counts of KASAN reports, lockdep splats and kmemleak
# suspects.  Not part of `make check`: the build alone takes hours on 2
# cores.
#
#   tools/rel/check-debug.sh [TEST_NAME_REGEX]
#
# DEBUG_FULL_COUNTS=1 runs the tests' full repetition counts (see
# tools/rel/debug-wrap.sh).
# DEBUG_KERNEL_DIR (default build/debug-kernel): the kernel; built first
# if it has no kver yet, else only read.  The project's modules (built
# from this tree against it), the staged module tree and report.txt go
# to DEBUG_OUT_DIR (default build/check-debug).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${DEBUG_KERNEL_DIR:-$top/build/debug-kernel}
out_dir=${DEBUG_OUT_DIR:-$top/build/check-debug}
filter=${1:-.}
. "$top/tools/rel/kernel-reports.sh"
# DEBUG_FULL_COUNTS=1: the tests' own repetition counts, not the shorter
# ones of their "# debug-args:"/"# debug-env:" headers (tools/rel/debug-wrap.sh)
full=
[ "${DEBUG_FULL_COUNTS:-0}" = 1 ] && full=--full

if [ ! -f "$dir/kver" ] || [ ! -f "$dir/obj/arch/x86/boot/bzImage" ]; then
	DEBUG_KERNEL_DIR=$dir "$top/tools/rel/build-debug-kernel.sh" kernel || exit 1
fi
kver=$(cat "$dir/kver")
mkdir -p "$out_dir"
# the project's modules: rebuilt when kernel/ or include/ changed
stamp=$out_dir/kmod/kernel/pf/sriov_pf.ko
if [ ! -f "$stamp" ] || [ "$dir/kver" -nt "$stamp" ] ||
	[ -n "$(find "$top/kernel" "$top/include" -newer "$stamp" -type f \
		\( -name '*.[ch]' -o -name Makefile -o -name Kbuild \) -print -quit)" ]; then
	DEBUG_KERNEL_DIR=$dir DEBUG_KMOD_DIR=$out_dir/kmod \
		"$top/tools/rel/build-debug-kernel.sh" modules >"$out_dir/kmod.log" 2>&1 ||
		{ tail "$out_dir/kmod.log"; exit 1; }
fi
"$top/tools/rel/stage-kernel-modules.sh" "$dir/mods/lib/modules/$kver" \
	"$out_dir/kmod/kernel" "$out_dir/stage" || exit 1

report=$out_dir/report.txt
: >"$report"
fails=0 kasan=0 lockdep=0 leaks=0
# one VM per test, or with DEBUG_ONE_VM=1 one VM per distinct vm-args for
# all the tests that share them (the debug kernel alone boots in ~4 min
# under TCG on a loaded host); debug-wrap.sh scans for leaks after each
declare -A group_tests group_tmo
order=()
for t in "$top"/tests/vm/*.sh; do
	name=$(basename "$t" .sh)
	[[ $name =~ $filter ]] || continue
	args=$(sed -n 's/^# vm-args:[ ]*//p' "$t" | head -n1)
	tmo=$(sed -n 's/^# timeout:[ ]*//p' "$t" | head -n1)
	# KASAN + lockdep + kmemleak make the guest ~3x slower under TCG
	tmo=$(( ${tmo:-300} * 3 ))
	key=$name
	[ "${DEBUG_ONE_VM:-0}" = 1 ] && key="args:$args"
	[ -n "${group_tests[$key]:-}" ] || order+=("$key")
	group_tests[$key]+="$t "
	group_tmo[$key]=$(( ${group_tmo[$key]:-240} + tmo ))
done
g=0
for key in "${order[@]}"; do
	read -ra tests <<<"${group_tests[$key]}"
	args=$(sed -n 's/^# vm-args:[ ]*//p' "${tests[0]}" | head -n1)
	if [ ${#tests[@]} = 1 ]; then
		run=dbg-$(basename "${tests[0]}" .sh)
	else
		g=$((g + 1))
		run=dbg-group$g
	fi
	out=$top/build/vm/$run
	for try in 1 2; do
		# no5lvl: with 5-level paging (QEMU's "max" CPU has LA57) KASAN
		# calls an interrupt's access during the boot CPU's
		# identify_cpu() "wild": identify_cpu() clears the CPU's
		# feature bits for a moment, LA57 among them, and KASAN's
		# shadow bounds depend on that bit (Documentation/reliability.rst)
		# The debug kernel boots in 1-5 minutes here (not 5-20 s): a
		# boot counts as hung only after 20 minutes.
		# shellcheck disable=SC2086
		"$top/tools/vm/run" --name "$run" --quiet --timeout "${group_tmo[$key]}" \
			--boot-timeout 1200 --kernel "$dir/obj/arch/x86/boot/bzImage" --cmdline no5lvl \
			--modules "$out_dir/stage/lib/modules" $args -- \
			"$top/tools/rel/debug-wrap.sh" $full "${tests[@]}"
		vmrc=$?
		# QEMU 10's MTTCG abort (Documentation/reliability.rst, Findings)
		# kills the VM, not the guest: run the group once more
		grep -q "qemu-system.*Assertion" "$out/harness.log" 2>/dev/null || break
		[ $try = 1 ] && echo "$run: QEMU aborted ($(grep -m1 Assertion "$out/harness.log")), running it again" |
			tee -a "$report"
	done
	logs=$(cat "$out/dmesg.txt" "$out/console.log" 2>/dev/null)
	k=$(grep -c "$KASAN_RE" <<<"$logs")
	l=$(grep -cE "$LOCKDEP_RE" <<<"$logs")
	kasan=$((kasan + k)) lockdep=$((lockdep + l))
	tfail=0
	for t in "${tests[@]}"; do
		name=$(basename "$t" .sh)
		rc=$(cat "$out/rc-$name" 2>/dev/null || echo "$vmrc")
		[ "$rc" = 0 ] || [ "$rc" = 4 ] || tfail=1
		m=$(grep -c 'unreferenced object 0x' "$out/kmemleak-$name.txt" 2>/dev/null)
		printf '%-28s exit %-3d kmemleak %d  (VM %s: exit %d, KASAN %d, lockdep %d)\n' \
			"$name" "$rc" "${m:-0}" "$run" "$vmrc" "$k" "$l" | tee -a "$report"
		[ "$rc" = 0 ] || [ "$rc" = 4 ] || fails=$((fails + 1))
		leaks=$((leaks + ${m:-0}))
	done
	# the harness fails the VM on a kernel report or a timeout even
	# when every test passed
	if [ $tfail = 0 ] && [ "$vmrc" != 0 ] && [ "$vmrc" != 4 ]; then
		echo "$run: VM exit $vmrc (kernel report or timeout: see above and $out)" |
			tee -a "$report"
		fails=$((fails + 1))
	fi
done
echo "total: $fails failed, KASAN $kasan, lockdep $lockdep, kmemleak $leaks ($kver)" |
	tee -a "$report"
[ $fails = 0 ] && [ $kasan = 0 ] && [ $lockdep = 0 ] && [ $leaks = 0 ]
