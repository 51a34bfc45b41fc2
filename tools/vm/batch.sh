#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs several VM tests in one lab guest, one after the other, as
# `make check` does to share boots (tests/CMakeLists.txt):
#   tools/vm/run --batch --name GROUP [vm-args] -- tools/vm/batch.sh TEST.sh...
#
# For each test T, in $SRIOV_OUT/T/: output.txt (its KTAP output; the test
# sees SRIOV_OUT=$SRIOV_OUT/T), rc (its exit code, 124 when it ran past its
# "# timeout:"), dmesg.txt (the kernel log from its start to the end of the
# reset after it; the ring is cleared between tests, so a test never sees
# another's messages) and reset.log.  The kernel log also carries the
# markers "sriov-batch: begin T" and "sriov-batch: end T" around each test
# and its reset: tools/vm/run --batch judges kernel reports between them
# as the test's (tools/vm/batch-result), and any other one as the group's.
# Between tests the guest is put back as after boot (tools/vm/lab-reset.sh).
# Exit status: 0 when every test ran and left its rc (whatever it is), 1
# otherwise.
. "$SRIOV_TOP/tools/vm/lab-reset.sh"

cd "$SRIOV_TOP" || exit 1
echo on >/proc/sys/kernel/printk_devkmsg
for t in "$@"; do
	rm -rf "${SRIOV_OUT:?}/$(basename "$t" .sh)"
done
lab_reset_save
dmesg >"$SRIOV_OUT/dmesg-boot.txt"
dmesg -C
group_out=$SRIOV_OUT
rc=0
for t in "$@"; do
	name=$(basename "$t" .sh)
	tmo=$(sed -n 's/^# timeout:[ ]*//p' "$t" | head -n1)
	dir=$group_out/$name
	mkdir -p "$dir"
	echo "# batch: $(date -u +%T) $name (timeout ${tmo:-300} s)"
	echo "<4>sriov-batch: begin $name" >/dev/kmsg
	t0=$SECONDS
	SRIOV_OUT=$dir timeout -k 10 "${tmo:-300}" /bin/bash "$t" >"$dir/output.txt" 2>&1 </dev/null
	r=$?
	echo "# batch: $(date -u +%T) $name exit $r after $((SECONDS - t0)) s; resetting the lab"
	lab_reset >"$dir/reset.log" 2>&1
	echo "<4>sriov-batch: end $name" >/dev/kmsg
	dmesg >"$dir/dmesg.txt"
	dmesg -C
	echo "$r" >"$dir/rc" || rc=1
done
exit $rc
