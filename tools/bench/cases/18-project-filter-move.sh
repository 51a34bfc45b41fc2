#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 300
#
# filter_move_lost (project only, target 0): tests/vm/pf2_filter_move.sh on
# sriov_pf - a 2000 datagrams/s sequenced UDP stream from ext0 to one MAC,
# with a receiver behind the PF's default VPort and one behind a VF's
# VPort (igbvf), while pf2_mover.py moves the MAC filter 100 times between
# them.  The value is sent - (unique datagrams received by either side).
# Tunables (passed on to the test): PF2_RATE, PF2_MOVES, PF2_SECS.
# The PF is handed back to igb afterwards, as the other project cases do.
. "$SRIOV_TOP/tools/bench/lib.sh"

bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf
SETUP="${PF2_RATE:-2000} pps, ${PF2_MOVES:-100} moves, sriov_pf + igbvf"

give_back() {
	[ -e "$sys/driver" ] && echo "$bdf" >"$sys/driver/unbind"
	modprobe igb && echo "$bdf" >/sys/bus/pci/drivers/igb/bind 2>/dev/null
}

fail() {
	bench_fail filter_move_lost project packets "$SETUP" "$1"
	exit 0
}

# ext0 stays for the test: it reuses it (see pf2_filter_move.sh)
bench_ext 0 || bench_abort "external host"
drv=
[ -e "$sys/driver" ] && drv=$(basename "$(readlink "$sys/driver")")
if [ -n "$drv" ] && [ "$drv" != sriov_pf ]; then
	echo "$bdf" >"$sys/driver/unbind" || fail "could not unbind $drv from the PF"
fi
defer give_back
modprobe sriov_pf || fail "sriov_pf did not load"
[ -e "$sys/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind ||
	fail "sriov_pf did not bind"

rm -f "$SRIOV_OUT/filter_move_lost"
bash "$SRIOV_TOP/tests/vm/pf2_filter_move.sh" >"$BENCH_RAW/18-filter-move.ktap" 2>&1
bench_log "$(grep -E '^(ok|not ok|# Totals)' "$BENCH_RAW/18-filter-move.ktap" | tr '\n' ';')"
[ -s "$SRIOV_OUT/filter_move_lost" ] ||
	fail "the move test did not finish (see $BENCH_RAW/18-filter-move.ktap)"
bench_record filter_move_lost project "$(cat "$SRIOV_OUT/filter_move_lost")" \
	packets "$SETUP"
exit 0
